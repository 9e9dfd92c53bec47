// One task as a person reads it: shared by the console's task page (/tasks/{id}) and the phone's (/m/tasks/{id}).
import { api, esc } from "./api.js";
import { ACTIONS, STARS, TASK_STATUS, word } from "./labels.js";

/** @typedef {import("./api/task-service").components["schemas"]["TaskView"]} TaskView */

/** Fills the element with the task and its history; rejects with a Chinese message when it cannot be read. */
export async function showTask(id, element, client) {
  const [/** @type {TaskView} */ t, history] = await Promise.all([
    api("/api/v1/tasks/" + encodeURIComponent(id), {}, client),
    api("/api/v1/tasks/" + encodeURIComponent(id) + "/history", {}, client),
  ]);
  document.title = t.title + " · 五星支部创建";
  const late = t.overdue ? ` <span class="red">已逾期</span>` : "";
  element.innerHTML = `
    <h2 id="task-title">${esc(t.title)}</h2>
    <dl class="facts">
      <dt>状态</dt><dd id="task-status">${esc(word(TASK_STATUS, t.status))}${late}</dd>
      <dt>星级</dt><dd>${esc(word(STARS, t.star))}</dd>
      <dt>办结期限</dt><dd>${esc(t.dueDate)}</dd>
      <dt>交办周</dt><dd>${esc(t.week || "")}</dd>
      ${t.note ? `<dt>办结说明</dt><dd>${esc(t.note)}</dd>` : ""}
    </dl>
    <h3>办理记录</h3>
    <ol class="history">${(history || []).map((/** @type {any} */ h) =>
      `<li>${esc(String(h.at || "").replace("T", " ").slice(0, 16))} ${esc(word(ACTIONS, h.action))}${h.note ? "：" + esc(h.note) : ""}</li>`).join("")}</ol>`;
}
