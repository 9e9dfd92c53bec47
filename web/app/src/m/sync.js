// Delta sync of "my tasks" into IndexedDB through GET /api/v1/me/tasks?since= (the token stays opaque: it is only
// stored and sent back). A first sync comes in pages (`more`); tasks that left my list are deleted.
import { call, Offline } from "./net.js";
import { request, tx, get, put } from "./db.js";

/** Who is signed in (and remembered for offline starts), or null when the session has expired. */
export async function whoAmI() {
  const a = await call("/api/session");
  if (a.status === 401) return null;
  if (!a.ok) throw new Offline();
  const me = { username: a.body.username, name: a.body.name };
  const before = await get("meta", "user");
  if (before && before.username !== me.username) {
    // a shared phone: another person's synced tasks go; their queue stays theirs (sent only under their session)
    await tx(["tasks", "meta"], "readwrite", (s) => Promise.all([request(s.tasks.clear()), request(s.meta.delete("syncToken")),
      request(s.meta.delete("lastSync")), request(s.meta.delete("inbox"))]));
  }
  await put("meta", me, "user");
  return me;
}

/**
 * Brings the local list up to date. Resolves true when synced, false when the session has expired; rejects with
 * Offline when the network is away.
 */
export async function sync() {
  let token = await get("meta", "syncToken");
  // after the phone's first completed sync, a task it has not seen is news
  const seenBefore = !!(await get("meta", "lastSync"));
  for (;;) {
    const a = await call("/api/v1/me/tasks" + (token ? "?since=" + encodeURIComponent(token) : ""));
    if (a.status === 401) return false;
    if (a.status === 400 && token) { token = null; continue; } // a token this server no longer knows: start over
    if (!a.ok) throw new Offline();
    const page = a.body;
    await tx(["tasks", "meta"], "readwrite", async (s) => {
      if (page.full) await request(s.tasks.clear());
      for (const id of page.removed || []) await request(s.tasks.delete(id));
      for (const t of page.changed || []) {
        // a task that arrives after the first sync is marked new until the cadre opens it
        const before = await request(s.tasks.get(t.id));
        t.isNew = before ? !!before.isNew : seenBefore;
        await request(s.tasks.put(t));
      }
      await request(s.meta.put(page.syncToken, "syncToken"));
      if (!page.more) await request(s.meta.put(Date.now(), "lastSync"));
    });
    if (!page.more) return true;
    token = page.syncToken;
  }
}
