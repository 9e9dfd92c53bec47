// The console's page of one task, at /tasks/{id}: where the links in messages to the office and leaders lead.
import "./common.css";
import { whoAmI } from "./api.js";
import { showTask } from "./task-view.js";

const id = decodeURIComponent(window.location.pathname.split("/")[2] || "");
whoAmI().then((me) => { document.getElementById("who").textContent = me.name; }).catch(() => {});
showTask(id, /** @type {HTMLElement} */ (document.getElementById("task")), "web/console").catch((e) => {
  document.getElementById("task").textContent = "";
  document.getElementById("error").textContent = e.message;
});
