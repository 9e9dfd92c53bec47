// Calls to /api through the front door: the session cookie signs them (tokens never reach this code), the client
// marker X-Client travels with every call (the front door refuses a change without it), and a 401 — the session
// has expired — sends the page through the login page again.
export function api(path, options = {}, client = "web") {
  const headers = Object.assign({ "X-Client": client, Accept: "application/json" }, options.headers || {});
  /** @type {RequestInit} */
  const init = Object.assign({}, options, { headers, credentials: /** @type {RequestCredentials} */ ("same-origin") });
  return fetch(path, init).then(async (r) => {
    if (r.status === 401) {
      window.location.reload();
      throw new Error("登录已过期，正在重新登录");
    }
    if (!r.ok) {
      let detail = "HTTP " + r.status;
      try { const p = await r.json(); detail = p.title + (p.detail ? "：" + p.detail : ""); } catch (e) { /* not problem details */ }
      throw new Error(detail);
    }
    return r.status === 204 ? null : r.json();
  });
}

export function whoAmI() {
  return api("/api/session");
}

export function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c]));
}
