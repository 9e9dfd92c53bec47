// The phone's calls to /api through the front door. Unlike the console's api(), nothing here reloads the page: a
// network failure is "offline" (the caller keeps its work and tries later) and every answer, 401 included, is
// handed back to the caller to decide.

export const CLIENT = "web/mobile";

export class Offline extends Error {
  constructor() { super("网络不可用"); }
}

/**
 * @typedef {{ status: number, ok: boolean, etag: string | null, body: any }} Answer
 * @param {string} path @param {RequestInit & { json?: any }} [options]
 * @returns {Promise<Answer>}
 */
export async function call(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = Object.assign({ "X-Client": CLIENT, Accept: "application/json" }, /** @type {any} */ (options.headers) || {});
  const init = Object.assign({}, options, { headers, credentials: /** @type {RequestCredentials} */ ("same-origin"), cache: /** @type {RequestCache} */ ("no-store") });
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.json);
    delete init.json;
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    throw new Offline();
  }
  // a navigation-style redirect to the login page means the session is gone
  if (r.redirected && !new URL(r.url).pathname.startsWith("/api/")) {
    return { status: 401, ok: false, etag: null, body: null };
  }
  let body = null;
  const type = r.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try { body = await r.json(); } catch (e) { throw new Offline(); } // an answer cut short
  }
  return { status: r.status, ok: r.ok, etag: r.headers.get("ETag"), body };
}

/** A problem's Chinese message for a person. */
export function message(/** @type {Answer} */ a) {
  const p = a.body || {};
  if (a.status === 401) return "登录已过期，请重新登录";
  const v = Array.isArray(p.violations) && p.violations.length ? "：" + p.violations.map((/** @type {any} */ x) => x.message).join("；") : "";
  return (p.title || "请求失败（HTTP " + a.status + "）") + (p.detail ? "：" + p.detail : "") + v;
}

/**
 * Uploads one photo under the id the phone made (PUT, so a replay changes nothing), reporting progress 0..1.
 * @returns {Promise<Answer>}
 */
export function upload(/** @type {string} */ path, /** @type {FormData} */ form, /** @type {(p: number) => void} */ progress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("PUT", path);
    x.setRequestHeader("X-Client", CLIENT);
    x.setRequestHeader("Accept", "application/json");
    x.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded / e.total); };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (e) { /* not json */ }
      if (x.responseURL && !new URL(x.responseURL).pathname.startsWith("/api/")) {
        resolve({ status: 401, ok: false, etag: null, body: null });
        return;
      }
      resolve({ status: x.status, ok: x.status >= 200 && x.status < 300, etag: x.getResponseHeader("ETag"), body });
    };
    x.onerror = () => reject(new Offline());
    x.onabort = () => reject(new Offline());
    x.send(form);
  });
}
