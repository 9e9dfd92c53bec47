// The leaders' dashboard (moved unchanged from task-service): signed in by the front door's session; live through
// the dashboard's server-sent events (EventSource reconnects by itself, sending Last-Event-ID).
import "./common.css";
import "./dashboard.css";
import { api as call, esc, whoAmI } from "./api.js";

/** @typedef {import("./api/task-service").components["schemas"]} Task */
/** @typedef {Task["Summary"]} Summary @typedef {Task["Lights"]} Lights @typedef {Task["Bucket"]} Bucket */
/** @typedef {Task["TrendWeek"]} TrendWeek @typedef {Task["OverdueTask"]} OverdueTask */

const STARS = { ZB: "支部过硬", CY: "产业兴旺", ST: "生态宜居", PA: "平安法治", WM: "文明幸福", GEN: "综合" };
const api = (path) => call(path, {}, "web/dashboard");
let refreshTimer = null;

/** @param {string} id @param {string | number} value */
function text(id, value) { document.getElementById(id).textContent = String(value); }

/** @param {string} id @param {Lights[]} rows */
function lightsTable(id, rows) {
  document.getElementById(id).innerHTML = "<tr><th>名称</th><th class='red'>红</th><th class='yellow'>黄</th><th class='green'>绿</th></tr>" +
    rows.map((r) => `<tr><td>${esc(r.label)}</td><td class="red">${r.red}</td><td class="yellow">${r.yellow}</td><td class="green">${r.green}</td></tr>`).join("");
}

/** @param {Bucket[]} buckets */
function bars(buckets) {
  const max = Math.max(1, ...buckets.map((b) => b.overdue));
  const w = 420 / Math.max(1, buckets.length);
  document.getElementById("by-star").innerHTML = buckets.map((b, i) => {
    const h = 140 * b.overdue / max;
    return `<rect x="${i * w + 8}" y="${150 - h}" width="${w - 16}" height="${h}" fill="#c62828"></rect>` +
      `<text x="${i * w + w / 2}" y="170" text-anchor="middle" font-size="12">${esc(STARS[b.key] || b.key)}</text>` +
      `<text x="${i * w + w / 2}" y="${145 - h}" text-anchor="middle" font-size="12">${b.overdue}</text>`;
  }).join("");
}

/** @param {TrendWeek[]} weeks */
function trend(weeks) {
  const max = Math.max(1, ...weeks.map((w) => Math.max(w.dispatched, w.verifiedOnTime, w.overdue)));
  const x = (i) => 10 + i * 400 / Math.max(1, weeks.length - 1);
  const line = (key, color) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${weeks.map((w, i) => x(i) + "," + (160 - 150 * w[key] / max)).join(" ")}"></polyline>`;
  document.getElementById("trend").innerHTML = line("dispatched", "#1565c0") + line("verifiedOnTime", "#2e7d32") + line("overdue", "#c62828");
}

/** @param {OverdueTask[]} tasks */
function oldest(tasks) {
  document.getElementById("oldest").innerHTML = tasks.map((t) =>
    `<li data-id="${esc(t.id)}">${esc(t.code || "")} ${esc(t.title)}（逾期 ${t.daysOverdue} 天）</li>`).join("");
  document.querySelectorAll("#oldest li").forEach((/** @type {HTMLElement} */ li) => { li.onclick = () =>
    api("/api/v1/tasks/" + li.dataset.id).then((t) => text("detail", JSON.stringify(t, null, 2))); });
}

function load() {
  return Promise.all([
    api("/api/v1/dashboard/summary").then((/** @type {Summary} */ s) => {
      text("total", s.total); text("verified", s.byStatus.VERIFIED); text("completion", s.completionPercent + "%"); text("overdue", s.overdue);
      text("light-red", s.byLight.RED); text("light-yellow", s.byLight.YELLOW); text("light-green", s.byLight.GREEN);
    }),
    api("/api/v1/dashboard/lights?by=group").then((r) => lightsTable("by-group", r)),
    api("/api/v1/dashboard/lights?by=town").then((r) => lightsTable("by-town", r)),
    api("/api/v1/dashboard/overdue?by=star").then(bars),
    api("/api/v1/dashboard/trend?weeks=12").then(trend),
    api("/api/v1/dashboard/oldest-overdue?limit=10").then(oldest),
  ]);
}

function live() {
  const events = new EventSource("/api/v1/dashboard/stream");
  events.onopen = () => text("live", "实时更新中");
  events.addEventListener("changed", () => { clearTimeout(refreshTimer); refreshTimer = setTimeout(load, 200); });
  events.onerror = () => text("live", "连接中断，正在重连");
}

whoAmI().then((me) => text("who", me.name)).catch(() => {});
load().then(() => {
  document.getElementById("board").hidden = false;
  live();
}).catch((e) => text("error", "无法加载看板：" + e.message));
