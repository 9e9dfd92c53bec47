// The cadres' phone app at /m/ (its own bundle; the console's code never loads here). Offline-first: everything it
// shows comes from IndexedDB (synced tasks, the app's own queue); the network only brings news and takes the queue.
// Pages: /m/ 我的任务, /m/tasks/{id} a task, /m/claim 待认领, /m/inbox 消息, /m/me 我的.
import "./common.css";
import "./m/mobile.css";
import { esc, } from "./api.js";
import { ACTIONS, MESSAGE_KINDS, STARS, TASK_STATUS, word } from "./labels.js";
import { call, message, Offline } from "./m/net.js";
import { all, get, put } from "./m/db.js";
import { whoAmI, sync } from "./m/sync.js";
import { drain, enqueue, entries, discard, rebase, EFFECT, KIND_WORDS } from "./m/queue.js";
import { readExif, resize } from "./m/photos.js";

const TABS = [
  { key: "assigned", label: "待签收", statuses: ["ASSIGNED"] },
  { key: "doing", label: "办理中", statuses: ["ACCEPTED", "IN_PROGRESS"] },
  { key: "returned", label: "被退回", statuses: ["RETURNED"] },
  { key: "done", label: "已办结", statuses: ["SUBMITTED", "VERIFIED"] },
];
const OPEN = ["ASSIGNED", "ACCEPTED", "IN_PROGRESS", "RETURNED"];

const state = {
  /** @type {{ username: string, name: string } | null} */ me: null,
  online: true, authLost: false, tab: "assigned", unread: 0, error: "", leaving: false,
  /** @type {any[]} */ tasks: [],
  /** @type {import("./m/queue.js").Entry[]} */ queue: [],
  /** @type {number | null} */ lastSync: null,
  /** @type {Record<string, any>} */ servers: {},
  /** @type {Record<string, string>} */ progress: {},
  /** the task whose close or extension form is open: news does not redraw it under the cadre's fingers */
  /** @type {string | null} */ formOpen: null,
};

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const banner = /** @type {HTMLElement} */ (document.getElementById("banner"));

// ---- data ----------------------------------------------------------------------------------------------------------

async function load() {
  const user = await get("meta", "user");
  state.me = state.me || user || null;
  state.tasks = await all("tasks");
  state.queue = (await entries()).filter((e) => !state.me || e.author === state.me.username);
  state.lastSync = (await get("meta", "lastSync")) || null;
}

/** The status the cadre sees: the server's, moved on by what waits in the queue. */
function effective(/** @type {any} */ t) {
  let s = t.status;
  for (const e of state.queue) {
    if (e.taskId === t.id && e.state === "pending" && EFFECT[/** @type {keyof EFFECT} */ (e.kind)]) s = EFFECT[/** @type {keyof EFFECT} */ (e.kind)];
  }
  return s;
}

let refreshing = /** @type {Promise<void> | null} */ (null);
let again = false;

/** Sends the queue, then syncs; marks offline or signed-out as it finds them. A call during a refresh runs one more after it. */
function refresh() {
  if (refreshing) {
    again = true;
  } else {
    refreshing = (async () => {
      try {
        // a phone with nothing synced yet asks who it is and fetches the list at once (a round trip less on a slow
        // network); otherwise it first makes sure the synced data is this person's
        const fresh = !(await get("meta", "syncToken"));
        const early = fresh ? sync().catch((e) => e) : null;
        const me = await whoAmI();
        if (early) await early;
        if (!me) {
          state.authLost = true;
        } else {
          state.me = me;
          state.authLost = false;
          state.online = true;
          await load();
          render();
          const drained = await drain(me.username, onQueueChange);
          if (drained === "signed-out") state.authLost = true;
          if (drained === "offline") throw new Offline();
          if (!(await sync())) state.authLost = true;
          state.online = true;
          counts();
        }
      } catch (e) {
        if (e instanceof Offline) state.online = false;
        else state.error = /** @type {Error} */ (e).message;
      }
      await load();
      render();
    })().finally(() => {
      refreshing = null;
      if (again) { again = false; refresh(); }
    });
  }
  return /** @type {Promise<void>} */ (refreshing);
}

function onQueueChange(/** @type {any} */ entry, /** @type {string=} */ progress) {
  if (progress) {
    const [id, fraction] = progress.split(":");
    state.progress[id] = fraction;
    const bar = /** @type {HTMLProgressElement | null} */ (document.getElementById("p-" + id));
    if (bar) bar.value = Number(fraction);
    return;
  }
  load().then(render);
}

async function counts() {
  try {
    const a = await call("/api/v1/inbox/unread-count");
    if (a.ok) state.unread = a.body.count ?? a.body.unread ?? 0;
  } catch (e) { /* offline: keep the last count */ }
}

// ---- rendering -----------------------------------------------------------------------------------------------------

function today() {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function daysLeft(/** @type {string} */ due) {
  const [y, m, d] = due.split("-").map(Number);
  return Math.round((new Date(y, m - 1, d).getTime() - today().getTime()) / 86400000);
}

function light(/** @type {any} */ t, /** @type {string} */ status) {
  if (!OPEN.includes(status)) return "";
  const left = daysLeft(t.dueDate);
  return left < 0 ? "red" : left <= 3 ? "yellow" : "";
}

function hhmm(/** @type {number | null} */ ms) {
  if (!ms) return "从未";
  const d = new Date(ms);
  return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
}

function render() {
  const mine = state.queue.length;
  /** @type {HTMLElement} */ (document.getElementById("who")).textContent = state.me ? state.me.name : "";
  banner.innerHTML = state.authLost
    ? `<p class="warn" id="signin-banner">登录已过期，未发送的操作已保留。<a href="/m/?signin">重新登录</a></p>`
    : !state.online ? `<p class="offline" id="offline">离线 · 上次同步 ${hhmm(state.lastSync)}</p>` : "";
  const badge = (/** @type {number} */ n, /** @type {string} */ id) => (n > 0 ? `<i class="badge" id="${id}">${n}</i>` : "");
  /** @type {HTMLElement} */ (document.getElementById("nav")).innerHTML = `
    <a href="/m/" data-nav>任务</a><a href="/m/claim" data-nav>待认领</a>
    <a href="/m/inbox" data-nav>消息${badge(state.unread, "unread")}</a><a href="/m/me" data-nav>我的${badge(mine, "queued")}</a>`;
  const path = window.location.pathname;
  const one = path.match(/^\/m\/tasks\/([^/]+)$/);
  if (one && state.formOpen === decodeURIComponent(one[1]) && document.getElementById("form")?.childElementCount) return;
  state.formOpen = null;
  if (one) taskPage(decodeURIComponent(one[1]));
  else if (path === "/m/claim") claimPage();
  else if (path === "/m/inbox") inboxPage();
  else if (path === "/m/me") mePage();
  else listPage();
}

function listPage() {
  document.title = "我的任务 · 五星支部创建";
  const started = performance.now();
  const rows = state.tasks.map((t) => ({ t, s: effective(t) }));
  const tab = TABS.find((x) => x.key === state.tab) || TABS[0];
  const shown = rows.filter((r) => tab.statuses.includes(r.s)).sort((a, b) => {
    const rank = (/** @type {any} */ r) => ({ red: 0, yellow: 1, "": 2 }[light(r.t, r.s)]);
    return rank(a) - rank(b) || a.t.dueDate.localeCompare(b.t.dueDate) || a.t.title.localeCompare(b.t.title);
  });
  const waiting = new Set(state.queue.map((e) => e.taskId));
  main.innerHTML = `
    <nav class="tabs">${TABS.map((x) => `<button data-tab="${x.key}" class="${x.key === tab.key ? "on" : ""}">${x.label}
      <small>${rows.filter((r) => x.statuses.includes(r.s)).length}</small></button>`).join("")}</nav>
    <ul class="tasks" id="tasks">${shown.length === 0 ? `<li class="empty">暂无任务</li>` : shown.map(({ t, s }) => {
      const left = daysLeft(t.dueDate);
      const when = !OPEN.includes(s) ? word(TASK_STATUS, s) : left < 0 ? `逾期 ${-left} 天` : left === 0 ? "今天到期" : `还剩 ${left} 天`;
      return `<li class="row ${light(t, s)}" data-id="${esc(t.id)}"><a href="/m/tasks/${esc(t.id)}" data-nav>
        <b>${esc(t.title)}</b>${t.isNew ? `<i class="new">新</i>` : ""}${waiting.has(t.id) ? `<i class="wait">待发送</i>` : ""}
        <span>${esc(word(STARS, t.star))} · 截止 ${esc(t.dueDate)} · <em>${when}</em></span></a></li>`;
    }).join("")}</ul>`;
  main.dataset.rendered = String(performance.now() - started);
}

async function taskPage(/** @type {string} */ id) {
  let t = state.tasks.find((x) => x.id === id);
  if (!t) {
    main.innerHTML = `<p>正在读取任务…</p>`;
    try {
      const a = await call("/api/v1/tasks/" + encodeURIComponent(id));
      if (!a.ok) { main.innerHTML = `<p class="red">${esc(message(a))}</p>`; return; }
      const h = await call("/api/v1/tasks/" + encodeURIComponent(id) + "/history");
      t = Object.assign({}, a.body, { etag: a.etag, history: h.ok ? h.body : [] });
    } catch (e) {
      main.innerHTML = `<p class="red">离线，且本机没有这项任务</p>`;
      return;
    }
  }
  if (t.isNew) { t.isNew = false; put("tasks", t); }
  document.title = t.title + " · 五星支部创建";
  const s = effective(t);
  const mine = state.queue.filter((e) => e.taskId === id);
  const rules = [t.minPhotos > 0 ? `至少上传 ${t.minPhotos} 张照片` : "", t.noteRequired ? "须填写办结说明" : ""].filter(Boolean);
  const actions = [];
  if (s === "ASSIGNED") actions.push(`<button id="do-accept">签收</button>`);
  if (["ASSIGNED", "ACCEPTED", "RETURNED"].includes(s)) actions.push(`<button id="do-start">开始办理</button>`);
  if (["ACCEPTED", "IN_PROGRESS", "RETURNED"].includes(s)) actions.push(`<button id="do-close" class="primary">办结</button>`);
  if (OPEN.includes(s)) actions.push(`<button id="do-extend">申请延期</button>`);
  main.innerHTML = `
    <section class="task">
      <h2 id="task-title">${esc(t.title)}</h2>
      <dl class="facts">
        <dt>状态</dt><dd id="task-status" class="${light(t, s)}">${esc(word(TASK_STATUS, s))}${s !== t.status ? "（待发送）" : ""}</dd>
        <dt>星级</dt><dd>${esc(word(STARS, t.star))}</dd>
        <dt>办结期限</dt><dd>${esc(t.dueDate)}</dd>
        <dt>办结要求</dt><dd id="task-rules">${esc(rules.join("；") || "无特别要求")}</dd>
        ${t.returnReason ? `<dt>退回原因</dt><dd id="task-return" class="red">${esc(t.returnReason)}</dd>` : ""}
        ${t.note ? `<dt>办结说明</dt><dd>${esc(t.note)}</dd>` : ""}
      </dl>
      ${mine.map(entryCard).join("")}
      ${mine.flatMap((e) => e.photos || []).length ? `<ul class="photos" id="uploads">${mine.flatMap((e) => e.photos || []).map((p) =>
        `<li>${esc(p.name)} <progress id="p-${esc(p.id)}" max="1" value="${p.done ? 1 : Number(state.progress[p.id] || 0)}"></progress></li>`).join("")}</ul>` : ""}
      <div class="actions">${actions.join("")}</div>
      <div id="form"></div>
      <h3>办理记录</h3>
      <ol class="history" id="task-history">${(t.history || []).map((/** @type {any} */ h) =>
        `<li>${esc(String(h.at || "").replace("T", " ").slice(0, 16))} ${esc(word(ACTIONS, h.action))}${h.note ? "：" + esc(h.note) : ""}</li>`).join("")}
        ${mine.map((e) => `<li class="wait">${esc(KIND_WORDS[/** @type {keyof KIND_WORDS} */ (e.kind)] || e.kind)}（待发送）</li>`).join("")}</ol>
    </section>`;
  const on = (/** @type {string} */ sel, /** @type {() => void} */ fn) => { const b = document.getElementById(sel); if (b) b.onclick = fn; };
  on("do-accept", () => act(t, "accept"));
  on("do-start", () => act(t, "start"));
  on("do-close", () => closeForm(t));
  on("do-extend", () => extendForm(t));
  wireEntryCards();
}

/** One queued entry that needs the cadre: a conflict (412) or a refusal (409, 422...). */
function entryCard(/** @type {import("./m/queue.js").Entry} */ e) {
  if (e.state === "pending") return "";
  const server = state.servers[e.taskId];
  const what = KIND_WORDS[/** @type {keyof KIND_WORDS} */ (e.kind)] || e.kind;
  return `<div class="conflict" id="conflict-${esc(e.taskId)}" data-task="${esc(e.taskId)}">
    <b>${e.state === "conflict" ? "冲突：办公室已修改此任务" : "无法完成“" + esc(what) + "”"}</b>
    <p>${esc(e.error || "")}</p>
    ${server ? `<p class="server">服务器上现在：${esc(word(TASK_STATUS, server.status))}，期限 ${esc(server.dueDate)}</p>` : ""}
    <button class="discard">放弃我的修改</button>${e.state === "conflict" && (!server || OPEN.includes(server.status))
      ? `<button class="reapply">在新版本上重新提交</button>` : ""}</div>`;
}

function wireEntryCards() {
  document.querySelectorAll(".conflict").forEach((el) => {
    const taskId = /** @type {string} */ (/** @type {HTMLElement} */ (el).dataset.task);
    if (!state.servers[taskId]) {
      call("/api/v1/tasks/" + encodeURIComponent(taskId)).then((a) => {
        state.servers[taskId] = a.ok ? Object.assign({ etag: a.etag }, a.body) : { status: "不可见", dueDate: "—" };
        render();
      }).catch(() => {});
    }
    const d = /** @type {HTMLElement | null} */ (el.querySelector(".discard"));
    if (d) d.onclick = async () => { await discard(taskId); delete state.servers[taskId]; await load(); render(); };
    const r = /** @type {HTMLElement | null} */ (el.querySelector(".reapply"));
    if (r) r.onclick = async () => {
      const a = await call("/api/v1/tasks/" + encodeURIComponent(taskId)).catch(() => null);
      if (!a || !a.ok || !a.etag) { state.error = a ? message(a) : "离线，稍后再试"; render(); return; }
      await rebase(taskId, a.etag);
      delete state.servers[taskId];
      refresh();
    };
  });
}

async function act(/** @type {any} */ t, /** @type {string} */ kind, body = undefined, /** @type {any[]} */ photos = []) {
  if (!state.me) { state.error = "请先登录"; render(); return; }
  state.formOpen = null;
  await enqueue(state.me.username, t, kind, body, photos);
  await load();
  render();
  refresh();
}

function closeForm(/** @type {any} */ t) {
  state.formOpen = t.id;
  const form = /** @type {HTMLElement} */ (document.getElementById("form"));
  /** @type {{ id: string, file: File }[]} */
  const picked = [];
  form.innerHTML = `<div class="close-form">
    <label>办结说明<textarea id="close-note" rows="3"></textarea></label>
    <label class="pick">拍照<input id="camera" type="file" accept="image/*" capture="environment"></label>
    <label class="pick">从相册选择<input id="gallery" type="file" accept="image/*" multiple></label>
    <ul id="photos" class="photos"></ul>
    <p id="close-error" class="red"></p>
    <button id="close-send" class="primary">确认办结</button></div>`;
  const list = /** @type {HTMLElement} */ (document.getElementById("photos"));
  const add = (/** @type {HTMLInputElement} */ input) => {
    for (const file of Array.from(input.files || [])) picked.push({ id: crypto.randomUUID(), file });
    input.value = "";
    list.innerHTML = picked.map((p) => `<li>${esc(p.file.name)} <progress id="p-${p.id}" max="1" value="0"></progress></li>`).join("");
  };
  /** @type {HTMLInputElement} */ (document.getElementById("camera")).onchange = (e) => add(/** @type {HTMLInputElement} */ (e.target));
  /** @type {HTMLInputElement} */ (document.getElementById("gallery")).onchange = (e) => add(/** @type {HTMLInputElement} */ (e.target));
  /** @type {HTMLElement} */ (document.getElementById("close-send")).onclick = async () => {
    const note = /** @type {HTMLTextAreaElement} */ (document.getElementById("close-note")).value.trim();
    const problems = [];
    if (picked.length < (t.minPhotos || 0)) problems.push(`须至少上传 ${t.minPhotos} 张照片（已选 ${picked.length} 张）`);
    if (t.noteRequired && !note) problems.push("须填写办结说明");
    if (problems.length) { /** @type {HTMLElement} */ (document.getElementById("close-error")).textContent = problems.join("；"); return; }
    /** @type {HTMLButtonElement} */ (document.getElementById("close-send")).disabled = true;
    const photos = [];
    for (const p of picked) {
      const exif = await readExif(p.file); // read before resizing drops it
      const blob = await resize(p.file);
      photos.push(Object.assign({ id: p.id, blob, name: p.file.name.replace(/\.[^.]*$/, "") + ".jpg" }, exif));
    }
    await act(t, "submit", { note }, photos);
  };
}

function extendForm(/** @type {any} */ t) {
  state.formOpen = t.id;
  const form = /** @type {HTMLElement} */ (document.getElementById("form"));
  form.innerHTML = `<div class="close-form"><label>延期至<input id="extend-date" type="date" min="${esc(t.dueDate)}"></label>
    <label>理由<textarea id="extend-reason" rows="2"></textarea></label><p id="extend-error" class="red"></p>
    <button id="extend-send" class="primary">提交申请</button></div>`;
  /** @type {HTMLElement} */ (document.getElementById("extend-send")).onclick = () => {
    const dueDate = /** @type {HTMLInputElement} */ (document.getElementById("extend-date")).value;
    const reason = /** @type {HTMLTextAreaElement} */ (document.getElementById("extend-reason")).value.trim();
    if (!dueDate || dueDate <= t.dueDate || !reason) {
      /** @type {HTMLElement} */ (document.getElementById("extend-error")).textContent = "请选择晚于原期限的日期并填写理由";
      return;
    }
    act(t, "extension", { dueDate, reason });
  };
}

async function claimPage() {
  document.title = "待认领 · 五星支部创建";
  main.innerHTML = `<p>正在读取本专班待认领的任务…</p>`;
  let a;
  try { a = await call("/api/v1/me/claimable?limit=100"); } catch (e) { main.innerHTML = `<p class="offline">离线时无法查看待认领任务</p>`; return; }
  if (!a.ok) { main.innerHTML = `<p class="red">${esc(message(a))}</p>`; return; }
  const items = a.body.items;
  main.innerHTML = `<p id="claim-error" class="red"></p><ul class="tasks" id="claimable">${items.length === 0 ? `<li class="empty">暂无待认领任务</li>`
    : items.map((/** @type {any} */ t) => `<li class="row ${light(t, t.status)}" data-id="${esc(t.id)}"><b>${esc(t.title)}</b>
      <span>${esc(word(STARS, t.star))} · 截止 ${esc(t.dueDate)}</span><button class="claim" data-id="${esc(t.id)}">认领</button></li>`).join("")}</ul>`;
  main.querySelectorAll("button.claim").forEach((b) => {
    /** @type {HTMLElement} */ (b).onclick = async () => {
      const t = items.find((/** @type {any} */ x) => x.id === /** @type {HTMLElement} */ (b).dataset.id);
      const r = await call("/api/v1/tasks/" + t.id + "/claim", { method: "POST", headers: { "If-Match": t.etag, "Idempotency-Key": crypto.randomUUID() } })
        .catch(() => null);
      if (!r || !r.ok) {
        /** @type {HTMLElement} */ (document.getElementById("claim-error")).textContent = !r ? "离线，稍后再试"
          : r.status === 412 || r.status === 409 ? "已被他人认领" : message(r);
        if (r) claimPage();
        return;
      }
      await sync().catch(() => {});
      await load();
      history.pushState(null, "", "/m/tasks/" + t.id);
      render();
    };
  });
}

async function inboxPage() {
  document.title = "消息 · 五星支部创建";
  let items = (await get("meta", "inbox")) || [];
  const draw = () => {
    main.innerHTML = `<ul class="inbox" id="inbox">${items.length === 0 ? `<li class="empty">暂无消息</li>` : items.map((/** @type {any} */ m) =>
      `<li class="${m.read ? "" : "unread"}${m.urgent ? " red" : ""}" data-id="${esc(m.id)}" data-link="${esc(m.link || "")}"><b>${esc(m.title)}</b>
        <p>${esc(m.body || "")}</p><small>${esc(String(m.createdAt).replace("T", " ").slice(0, 16))}</small></li>`).join("")}</ul>`;
    main.querySelectorAll("#inbox li[data-id]").forEach((li) => {
      /** @type {HTMLElement} */ (li).onclick = async () => {
        const el = /** @type {HTMLElement} */ (li);
        call("/api/v1/inbox/" + el.dataset.id + "/read", { method: "POST" }).then(counts).catch(() => {});
        const link = el.dataset.link ? new URL(el.dataset.link, window.location.href).pathname : "";
        if (link.startsWith("/m/")) { history.pushState(null, "", link); render(); }
      };
    });
  };
  draw();
  try {
    const a = await call("/api/v1/inbox?limit=50");
    if (a.ok) { items = a.body.items; await put("meta", items, "inbox"); draw(); }
  } catch (e) { /* offline: the last page stays */ }
}

function mePage() {
  document.title = "我的 · 五星支部创建";
  const titles = Object.fromEntries(state.tasks.map((t) => [t.id, t.title]));
  main.innerHTML = `<section>
    <p id="me-name">${esc(state.me ? state.me.name : "")}</p>
    <p>上次同步：<span id="last-sync">${hhmm(state.lastSync)}</span>${state.online ? "" : "（离线）"}</p>
    <h3>待发送（<span id="queue-size">${state.queue.length}</span>）</h3>
    <ol class="queue" id="queue">${state.queue.map((e) => `<li data-state="${e.state}">${esc(KIND_WORDS[/** @type {keyof KIND_WORDS} */ (e.kind)] || e.kind)}
      · ${esc(titles[e.taskId] || e.title || e.taskId)}${(e.photos || []).length ? ` · ${(e.photos || []).length} 张照片` : ""}
      <small>${e.state === "pending" ? "等待发送" : e.state === "conflict" ? "冲突，需要您处理" : "未能完成"}</small></li>`).join("")}</ol>
    ${state.queue.map(entryCard).join("")}
    <button id="retry">立即重试</button>
    <p id="me-error" class="red">${esc(state.error)}</p>
    ${state.leaving ? `<div class="warn" id="leave-warning">还有 ${state.queue.length} 个操作未发送。退出后它们保留在本机，您再次登录时继续发送。
      <button id="leave-anyway">仍然退出</button><button id="leave-cancel">取消</button></div>` : ""}
    <button id="logout" class="danger">退出登录</button></section>`;
  /** @type {HTMLElement} */ (document.getElementById("retry")).onclick = () => { state.error = ""; refresh(); };
  /** @type {HTMLElement} */ (document.getElementById("logout")).onclick = () => {
    if (state.queue.length && !state.leaving) { state.leaving = true; render(); return; }
    window.location.href = "/logout";
  };
  const anyway = document.getElementById("leave-anyway");
  if (anyway) anyway.onclick = () => { window.location.href = "/logout"; };
  const cancel = document.getElementById("leave-cancel");
  if (cancel) cancel.onclick = () => { state.leaving = false; render(); };
  wireEntryCards();
}

// ---- start ---------------------------------------------------------------------------------------------------------

document.addEventListener("click", (e) => {
  const target = /** @type {HTMLElement} */ (e.target);
  const tab = target.closest("[data-tab]");
  if (tab) { state.tab = /** @type {string} */ (/** @type {HTMLElement} */ (tab).dataset.tab); render(); return; }
  const a = /** @type {HTMLAnchorElement | null} */ (target.closest("a[data-nav]"));
  if (a) {
    e.preventDefault();
    history.pushState(null, "", a.getAttribute("href"));
    render();
    window.scrollTo(0, 0);
  }
});
window.addEventListener("popstate", render);
window.addEventListener("online", () => refresh());

if (window.location.search.includes("signin")) history.replaceState(null, "", window.location.pathname);
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" }).catch(() => {});
}

load().then(() => {
  render();
  refresh().then(() => {
    // live while online: a new message bumps the badge and brings the list up to date at once
    const stream = new EventSource("/api/v1/inbox/stream");
    // each kind of message is its own event name on the stream
    for (const kind of Object.keys(MESSAGE_KINDS)) {
      stream.addEventListener(kind, () => { state.unread++; render(); refresh(); });
    }
  });
});
// the queue is tried again on a timer (a cut that ends without an "online" event), and the list synced now and then
setInterval(() => { if (state.queue.some((e) => e.state === "pending") || !state.online) refresh(); }, 5000);
setInterval(() => { refresh(); }, 60000);
