// Calls to /api through the front door: the session cookie signs them (tokens never reach this code), the client
// marker X-Client travels with every call (the front door refuses a change without it), and a 401 — the session
// has expired — sends the page through the login page again.

/** A refusal in problem details (RFC 9457): the status, and the service's Chinese title, detail and per-field problems. */
export class ApiError extends Error {
  /** @param {number} status @param {any} problem */
  constructor(status, problem) {
    super(problem && problem.title ? problem.title + (problem.detail ? "：" + problem.detail : "") : "HTTP " + status);
    this.status = status;
    /** @type {{title?: string, detail?: string, violations?: {field: string, message: string}[], errors?: {row: number, column: string, problem: string}[]} | null} */
    this.problem = problem;
  }
}

/** The answer with its ETag (for the next If-Match). @returns {Promise<{body: any, etag: string | null}>} */
export function apiTagged(path, options = {}, client = "web") {
  const headers = Object.assign({ "X-Client": client, Accept: "application/json" }, options.headers || {});
  /** @type {RequestInit} */
  const init = Object.assign({}, options, { headers, credentials: /** @type {RequestCredentials} */ ("same-origin") });
  return fetch(path, init).then(async (r) => {
    if (r.status === 401) {
      window.location.reload();
      throw new ApiError(401, { title: "登录已过期", detail: "正在重新登录" });
    }
    if (!r.ok) {
      let problem = null;
      try { problem = await r.json(); } catch (e) { /* not problem details */ }
      throw new ApiError(r.status, problem);
    }
    return { body: r.status === 204 ? null : await r.json(), etag: r.headers.get("ETag") };
  });
}

export function api(path, options = {}, client = "web") {
  return apiTagged(path, options, client).then((r) => r.body);
}

export function whoAmI() {
  return api("/api/session");
}

export function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]));
}
