// The cadres' phone page (a first cut: the mobile issue builds the full app on this entry). Its own bundle.
import "./common.css";
import { api, esc, whoAmI } from "./api.js";

/** @typedef {import("./api/task-service").components["schemas"]["Sync"]} Sync */

const STATUS = { ASSIGNED: "待接收", ACCEPTED: "已接收", IN_PROGRESS: "办理中", SUBMITTED: "已提交", VERIFIED: "已销号", RETURNED: "已退回" };

whoAmI().then((me) => { document.getElementById("who").textContent = me.name; }).catch(() => {});
api("/api/v1/me/tasks", {}, "web/mobile").then((/** @type {Sync} */ page) => {
  const items = page.changed || [];
  document.getElementById("tasks").innerHTML = items.length === 0 ? "<li>暂无任务</li>"
    : items.map((t) => `<li><b>${esc(t.title)}</b><br><span>${esc(STATUS[t.status] || t.status)} · 截止 ${esc(t.dueDate)}</span></li>`).join("");
}).catch((e) => { document.getElementById("error").textContent = e.message; });
