// The console's calls: JSON in and out through the front door, marked as the console's, with the services' problem
// details turned into the Chinese message people read.
import { api, apiTagged, ApiError, whoAmI } from "../api.js";

const CLIENT = "web/console";

/** @typedef {{username: string, name: string, roles: string[], pages: string[]}} Me */

/** @returns {Promise<Me>} */
export function session() {
  return whoAmI();
}

export function get(path, params = undefined) {
  return api(params ? path + "?" + query(params) : path, {}, CLIENT);
}

/** @param {string} method @param {string} path @param {any} [body] @param {Record<string, string>} [headers] */
export function send(method, path, body = undefined, headers = {}) {
  return api(path, {
    method,
    headers: Object.assign(body === undefined ? {} : { "Content-Type": "application/json" }, headers),
    body: body === undefined ? undefined : JSON.stringify(body),
  }, CLIENT);
}

/** A read with its ETag. @param {string} path */
export function getTagged(path) {
  return apiTagged(path, {}, CLIENT);
}

/** A change with its answer's ETag. @param {string} method @param {string} path @param {any} body @param {Record<string, string>} headers */
export function sendTagged(method, path, body, headers = {}) {
  return apiTagged(path, {
    method,
    headers: Object.assign(body === undefined ? {} : { "Content-Type": "application/json" }, headers),
    body: body === undefined ? undefined : JSON.stringify(body),
  }, CLIENT);
}

/** A CSV or Excel file as the request body. @param {string} path @param {File} file */
export function upload(path, file) {
  const type = file.name.toLowerCase().endsWith(".csv") ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return api(path, { method: "POST", headers: { "Content-Type": type }, body: file }, CLIENT);
}

/** A photo as a multipart form's `file` part (the browser writes the boundary). @param {string} path @param {Blob} file @param {string} name */
export function uploadPhoto(path, file, name) {
  const form = new FormData();
  form.append("file", file, name);
  return api(path, { method: "POST", body: form }, CLIENT);
}

/** The query string of the filled-in fields only. @param {Record<string, any>} params */
export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== "") q.set(k, String(v)); });
  return q.toString();
}

/** The If-Match of a task (or meeting) as last read. @param {{version: number}} thing */
export function etag(thing) {
  return "\"v" + thing.version + "\"";
}

export function newKey() {
  return crypto.randomUUID();
}

/** What to tell a person about a failed call: the service's own words, with a plain word for the common refusals. */
export function message(e) {
  if (e instanceof ApiError) {
    if (e.status === 412) return "已被他人修改，请刷新后重试（" + (e.problem?.detail || "数据已变化") + "）";
    if (e.status === 403) return "没有权限：" + (e.problem?.detail || "您的角色无权执行此操作");
    return e.message;
  }
  return e && e.message ? e.message : String(e);
}

export { ApiError };
