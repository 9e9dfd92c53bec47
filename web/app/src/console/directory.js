// The directory as the console shows it: groups, towns, villages and people by id (read once per page load).
import { reactive } from "vue";
import { get } from "./http.js";

export const dir = reactive({
  loaded: false,
  /** @type {any[]} */ groups: [],
  /** @type {any[]} */ towns: [],
  /** @type {any[]} */ villages: [],
  /** @type {Record<string, any>} */ people: {},
});

let loading = null;

export function loadDirectory() {
  if (!loading) {
    loading = Promise.all([get("/api/v1/groups"), get("/api/v1/towns"), get("/api/v1/villages")]).then(([g, t, v]) => {
      dir.groups = g.filter((/** @type {any} */ x) => x.kind === "GROUP");
      dir.towns = t;
      dir.villages = v;
      dir.loaded = true;
    });
  }
  return loading;
}

/** The people of a group (active), for the person pickers. @param {string} groupId */
export async function members(groupId) {
  const page = await get("/api/v1/people", { groupId, size: 200 });
  page.items.forEach((/** @type {any} */ p) => { dir.people[p.id] = p; });
  return page.items.filter((/** @type {any} */ p) => p.active);
}

/** Names for the ids on a page of tasks: people not seen yet are read (one call per unknown group). @param {any[]} tasks */
export async function namePeople(tasks) {
  const groups = new Set(tasks.filter((t) => t.assigneeId && !dir.people[t.assigneeId]).map((t) => t.groupId));
  await Promise.all([...groups].map((g) => members(g).catch(() => [])));
}

const by = (list, id) => (list.find((/** @type {any} */ x) => x.id === id) || {}).name || "";
export const groupName = (id) => by(dir.groups, id);
export const townName = (id) => by(dir.towns, id);
export const villageName = (id) => by(dir.villages, id);
export const personName = (id) => (id ? (dir.people[id] ? dir.people[id].displayName : "…") : "未分配");
