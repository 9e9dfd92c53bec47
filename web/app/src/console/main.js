// The console (工作台) at / on the front door: one Vue app for every page pages.properties lists. The signed-in
// person's pages come from /api/session; the menu offers those only and the router shows "no permission" for the rest
// (the front door refuses them too when opened directly; the services stay the authority on data).
import { createApp } from "vue";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import "element-plus/dist/index.css";
import "./console.css";
import App from "./App.vue";
import { makeRouter } from "./router.js";
import { session } from "./http.js";

session().then((me) => {
  const app = createApp(App, { me });
  app.use(ElementPlus, { locale: zhCn });
  app.use(makeRouter(me));
  app.mount("#app");
}).catch((e) => {
  document.getElementById("app").textContent = "无法打开工作台：" + e.message;
});
