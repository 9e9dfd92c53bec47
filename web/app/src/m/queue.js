// The phone's own queue of actions (IndexedDB), drained by the page: at start, when the browser says it is online,
// on a timer and by the retry button. Each entry carries a client-made Idempotency-Key and the ETag it is based on:
// the first queued action on a task uses the synced ETag, each later one the ETag its predecessor's answer returned
// (so accept → start → submit queued offline do not 412 against each other). Photos are blobs in their submit's
// entry, uploaded under ids the phone made before the submit that names them. Entries hold no credentials; an entry
// is sent only under its author's session. Nothing is dropped unless the cadre chooses it.
import { call, upload, message, Offline } from "./net.js";
import { request, tx, all, put } from "./db.js";
import { TASK_STATUS, word } from "../labels.js";

/** What a queued move does to the status the cadre sees until the server's answer comes. */
export const EFFECT = { accept: "ACCEPTED", start: "IN_PROGRESS", submit: "SUBMITTED" };
export const KIND_WORDS = { accept: "签收", start: "开始办理", submit: "办结", extension: "申请延期" };

/**
 * @typedef {{ id: string, blob: Blob, name: string, takenAt?: string, latitude?: number, longitude?: number, done?: boolean }} Photo
 * @typedef {{ seq?: number, author: string, taskId: string, title?: string, kind: string, key: string, baseEtag: string | null, body?: any,
 *   photos?: Photo[], state: "pending" | "conflict" | "refused", error?: string, createdAt: number }} Entry
 */

/** Queues one action on a task; its base ETag is the synced one unless an earlier entry on the task is still waiting. */
export function enqueue(/** @type {string} */ author, /** @type {any} */ task, /** @type {string} */ kind, body = undefined,
  /** @type {Photo[]} */ photos = []) {
  return tx(["queue"], "readwrite", async (s) => {
    const waiting = /** @type {Entry[]} */ (await request(s.queue.getAll())).filter((e) => e.taskId === task.id);
    /** @type {Entry} */
    const entry = { author, taskId: task.id, title: task.title, kind, key: crypto.randomUUID(), baseEtag: waiting.length ? null : task.etag, body, photos,
      state: "pending", createdAt: Date.now() };
    return request(s.queue.add(entry));
  });
}

/** @returns {Promise<Entry[]>} */
export async function entries() {
  return /** @type {Entry[]} */ (await all("queue")).sort((a, b) => (a.seq || 0) - (b.seq || 0));
}

/** The cadre chose to give up their queued changes to this task. */
export function discard(/** @type {string} */ taskId) {
  return tx(["queue"], "readwrite", async (s) => {
    for (const e of /** @type {Entry[]} */ (await request(s.queue.getAll()))) {
      if (e.taskId === taskId) await request(s.queue.delete(/** @type {number} */ (e.seq)));
    }
  });
}

/** "Apply again on the new version": the task's first waiting entry is based on the server's current ETag. */
export function rebase(/** @type {string} */ taskId, /** @type {string} */ etag) {
  return tx(["queue"], "readwrite", async (s) => {
    const mine = /** @type {Entry[]} */ (await request(s.queue.getAll())).filter((e) => e.taskId === taskId).sort((a, b) => (a.seq || 0) - (b.seq || 0));
    for (let i = 0; i < mine.length; i++) {
      mine[i].state = "pending";
      delete mine[i].error;
      if (i === 0) mine[i].baseEtag = etag;
      await request(s.queue.put(mine[i]));
    }
  });
}

/** @type {Promise<string> | null} */
let draining = null;

/**
 * Sends what waits, oldest first (several tasks at once, each task's entries in order), under the signed-in person's session. Resolves with how it ended: "done",
 * "offline", "signed-out", "stopped" (a server error: tried again later). An entry the server refuses (412, 409,
 * 422...) waits for the cadre's choice and holds back later entries on its task only.
 */
export function drain(/** @type {string} */ me, /** @type {(e?: Entry, p?: string) => void} */ onChange = () => {}) {
  if (!draining) {
    draining = run(me, onChange).finally(() => { draining = null; });
  }
  return draining;
}

/** How many tasks' entries are sent at once (each task's own entries always one after another, in order). */
const LANES = 3;

async function run(/** @type {string} */ me, /** @type {(e?: Entry, p?: string) => void} */ onChange) {
  const held = new Set();
  const busy = new Set();
  /** @type {string | null} */
  let stop = null;
  const lane = async () => {
    while (!stop) {
      const waiting = (await entries()).filter((e) => e.author === me);
      waiting.filter((e) => e.state !== "pending").forEach((e) => held.add(e.taskId));
      // the oldest waiting entry of a task nobody is sending for yet
      const next = waiting.find((e) => e.state === "pending" && !held.has(e.taskId) && !busy.has(e.taskId));
      if (!next) return;
      busy.add(next.taskId);
      let outcome;
      try {
        outcome = await send(next, onChange);
      } catch (e) {
        if (!(e instanceof Offline)) throw e;
        outcome = "offline";
      } finally {
        busy.delete(next.taskId);
      }
      onChange(next);
      if (outcome === "held") held.add(next.taskId);
      else if (outcome !== "sent") stop = stop || outcome;
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return stop || "done";
}

const PATHS = { accept: "accept", start: "start", submit: "submit", extension: "extension" };

/** One entry: its photos, then its move. "sent", "held" (waits for the cadre), "signed-out" or "stopped". */
async function send(/** @type {Entry} */ e, /** @type {(e?: Entry, p?: string) => void} */ onChange) {
  const base = "/api/v1/tasks/" + encodeURIComponent(e.taskId);
  if ((e.photos || []).some((p) => !p.done) && e.baseEtag) {
    // photos are uploaded only onto the version the cadre saw: a task changed meanwhile gets none
    const now = await call(base);
    if (now.status === 401) return "signed-out";
    if (now.status >= 500) return "stopped";
    if (!now.ok) return hold(e, "refused", message(now));
    if (now.etag !== e.baseEtag) return hold(e, "conflict", "办公室已修改此任务（现为“" + word(TASK_STATUS, now.body && now.body.status) + "”）");
  }
  for (const p of e.photos || []) {
    if (p.done) continue;
    const form = new FormData();
    form.append("file", p.blob, p.name);
    if (p.takenAt) form.append("takenAt", p.takenAt);
    if (p.latitude != null && p.longitude != null) {
      form.append("latitude", String(p.latitude));
      form.append("longitude", String(p.longitude));
    }
    const a = await upload(base + "/evidence/" + p.id, form, (f) => onChange(e, p.id + ":" + f));
    if (a.status === 401) return "signed-out";
    if (a.status >= 500) return "stopped";
    if (!a.ok) return hold(e, a.status === 412 ? "conflict" : "refused", message(a));
    p.done = true;
    await put("queue", e);
  }
  const body = e.kind === "submit" ? { note: e.body.note, evidenceIds: (e.photos || []).map((p) => p.id) } : e.body;
  /** @type {Record<string, string>} */
  const headers = { "Idempotency-Key": e.key };
  if (e.baseEtag) headers["If-Match"] = e.baseEtag;
  const a = await call(base + "/" + PATHS[/** @type {keyof PATHS} */ (e.kind)], { method: "POST", headers, json: body });
  if (a.status === 401) return "signed-out";
  if (a.status >= 500) return "stopped";
  if (!a.ok) return hold(e, a.status === 412 || a.status === 428 ? "conflict" : "refused", message(a));
  // done: the entry goes and the task's next waiting entry is based on the ETag this answer returned, in one step
  await tx(["queue", "tasks"], "readwrite", async (s) => {
    await request(s.queue.delete(/** @type {number} */ (e.seq)));
    const later = /** @type {Entry[]} */ (await request(s.queue.getAll())).filter((x) => x.taskId === e.taskId).sort((x, y) => (x.seq || 0) - (y.seq || 0));
    if (later.length && a.etag) {
      later[0].baseEtag = a.etag;
      await request(s.queue.put(later[0]));
    }
    const t = await request(s.tasks.get(e.taskId));
    if (t && a.body && a.body.status && a.etag) {
      Object.assign(t, { status: a.body.status, etag: a.etag, dueDate: a.body.dueDate || t.dueDate });
      await request(s.tasks.put(t));
    }
  });
  return "sent";
}

async function hold(/** @type {Entry} */ e, /** @type {"conflict" | "refused"} */ state, /** @type {string} */ error) {
  e.state = state;
  e.error = error;
  await put("queue", e);
  return "held";
}
