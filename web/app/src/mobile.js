// The cadres' phone page (a first cut: the mobile issue builds the full app on this entry). Its own bundle.
// /m/ lists my tasks; /m/tasks/{id} (where the links in a cadre's messages lead) shows one.
import "./common.css";
import { api, esc, whoAmI } from "./api.js";
import { TASK_STATUS, word } from "./labels.js";
import { showTask } from "./task-view.js";

/** @typedef {import("./api/task-service").components["schemas"]["Sync"]} Sync */

const client = "web/mobile";
const list = /** @type {HTMLElement} */ (document.getElementById("tasks"));
const error = /** @type {HTMLElement} */ (document.getElementById("error"));
whoAmI().then((me) => { document.getElementById("who").textContent = me.name; }).catch(() => {});

const one = window.location.pathname.match(/^\/m\/tasks\/([^/]+)$/);
if (one) {
  const page = document.createElement("section");
  page.id = "task";
  list.replaceWith(page);
  showTask(decodeURIComponent(one[1]), page, client).catch((e) => { error.textContent = e.message; });
} else {
  // a long list comes in pages: call again with the new token while the answer says there is more
  const all = async () => {
    /** @type {Map<string, any>} */
    const byId = new Map();
    /** @type {string | null} */
    let token = null;
    for (;;) {
      const /** @type {Sync} */ page = await api("/api/v1/me/tasks" + (token ? "?since=" + encodeURIComponent(token) : ""), {}, client);
      (page.removed || []).forEach((id) => byId.delete(id));
      (page.changed || []).forEach((t) => byId.set(t.id, t));
      if (!page.more) return [...byId.values()];
      token = page.syncToken;
    }
  };
  all().then((items) => {
    list.innerHTML = items.length === 0 ? "<li>暂无任务</li>"
      : items.map((t) => `<li><a href="/m/tasks/${esc(t.id)}"><b>${esc(t.title)}</b></a><br>`
        + `<span>${esc(word(TASK_STATUS, t.status))} · 截止 ${esc(t.dueDate)}</span></li>`).join("");
  }).catch((e) => { error.textContent = e.message; });
}
