import "./common.css";
import { whoAmI } from "./api.js";

whoAmI().then((me) => {
  document.getElementById("who").textContent = me.name + "（" + me.username + "）";
}).catch((e) => { document.getElementById("error").textContent = e.message; });
