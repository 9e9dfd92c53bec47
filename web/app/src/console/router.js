// The console's pages. Each path is one line of the front door's pages.properties; /api/session says which the
// signed-in person may open (me.pages): the menu lists those and any other shows the "no permission" page.
import { createRouter, createWebHistory } from "vue-router";
import Home from "./views/Home.vue";
import Dashboard from "./views/Dashboard.vue";
import Escalations from "./views/Escalations.vue";
import Search from "./views/Search.vue";
import Verify from "./views/Verify.vue";
import Dispatch from "./views/Dispatch.vue";
import Extensions from "./views/Extensions.vue";
import Catalogue from "./views/Catalogue.vue";
import Directory from "./views/Directory.vue";
import Group from "./views/Group.vue";
import Meetings from "./views/Meetings.vue";
import Meeting from "./views/Meeting.vue";
import Statements from "./views/Statements.vue";
import Rankings from "./views/Rankings.vue";
import NoPermission from "./views/NoPermission.vue";

/** In menu order: the page, its Chinese name and its view. */
export const PAGES = [
  { path: "/", title: "首页", component: Home },
  { path: "/dashboard", title: "督办看板", component: Dashboard },
  { path: "/escalations", title: "督办清单", component: Escalations },
  { path: "/meetings", title: "会议", component: Meetings },
  { path: "/statements", title: "表态发言", component: Statements },
  { path: "/rankings", title: "排名变化", component: Rankings },
  { path: "/verify", title: "待销号", component: Verify },
  { path: "/dispatch", title: "每周交办", component: Dispatch },
  { path: "/search", title: "任务查询", component: Search },
  { path: "/extensions", title: "延期审批", component: Extensions },
  { path: "/group", title: "本专班任务", component: Group },
  { path: "/catalogue", title: "任务清单", component: Catalogue },
  { path: "/directory", title: "名册导入", component: Directory },
];

/** @param {{pages: string[]}} me */
export function makeRouter(me) {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      ...PAGES.map((p) => ({ path: p.path, component: p.component, meta: { title: p.title } })),
      { path: "/meetings/:id", component: Meeting, meta: { title: "会议" } },
      { path: "/:rest(.*)*", component: NoPermission, meta: { title: "没有权限" } },
    ],
  });
  router.beforeEach((to) => {
    const page = "/" + (to.path.split("/")[1] || "");
    if (PAGES.some((p) => p.path === page) && !me.pages.includes(page)) {
      return { path: "/no-permission", query: { from: to.fullPath } };
    }
    return true;
  });
  router.afterEach((to) => { document.title = (to.meta.title || "工作台") + " · 五星支部创建"; });
  return router;
}
