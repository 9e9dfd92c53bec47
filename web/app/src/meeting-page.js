// The console's page of one meeting, at /meetings/{id}: where action-item, ranking and statement messages lead.
import "./common.css";
import { api, esc, whoAmI } from "./api.js";
import { MEETING_STATUS, MEETING_TYPES, OUTCOMES, STARS, TASK_STATUS, word } from "./labels.js";

/** @typedef {import("./api/review-service").components["schemas"]["MeetingView"]} MeetingView */
/** @typedef {import("./api/review-service").components["schemas"]["DecisionView"]} DecisionView */

const id = decodeURIComponent(window.location.pathname.split("/")[2] || "");
const client = "web/console";
whoAmI().then((me) => { document.getElementById("who").textContent = me.name; }).catch(() => {});

async function show() {
  const [/** @type {MeetingView} */ m, /** @type {DecisionView[]} */ decisions] = await Promise.all([
    api("/api/v1/meetings/" + encodeURIComponent(id), {}, client),
    api("/api/v1/meetings/" + encodeURIComponent(id) + "/decisions", {}, client),
  ]);
  document.title = m.title + " · 五星支部创建";
  const items = decisions.map((d) => `<li><p>${esc(d.text)}</p><ul>${(d.actionItems || []).map((a) => `<li>${esc(a.title)}（期限 ${esc(a.dueDate)}）：`
      + (a.taskId ? `<a href="/tasks/${esc(a.taskId)}">${esc(word(TASK_STATUS, a.taskStatus))}</a>` : "尚未生成任务")
      + ` · ${esc(word(OUTCOMES, a.outcome))}</li>`).join("")}</ul></li>`).join("");
  document.getElementById("meeting").innerHTML = `
    <h2 id="meeting-title">${esc(m.title)}</h2>
    <dl class="facts">
      <dt>类型</dt><dd>${esc(word(MEETING_TYPES, m.type))}${m.star ? "（" + esc(word(STARS, m.star)) + "）" : ""}</dd>
      <dt>日期</dt><dd>${esc(m.date)}</dd>
      <dt>地点</dt><dd>${esc(m.place || "")}</dd>
      <dt>状态</dt><dd id="meeting-status">${esc(word(MEETING_STATUS, m.status))}</dd>
    </dl>
    ${m.agenda ? `<h3>议程</h3><p>${esc(m.agenda)}</p>` : ""}
    ${m.minutes ? `<h3>纪要</h3><p>${esc(m.minutes)}</p>` : ""}
    <h3>议定事项</h3><ol class="decisions">${items || "<li>暂无</li>"}</ol>`;
}

show().catch((e) => {
  document.getElementById("meeting").textContent = "";
  document.getElementById("error").textContent = e.message;
});
