// The phone app's service worker (scope /m/; a template: vite.config.js fills it in and writes m/sw.js). It only precaches and serves the app shell: the page's own queue in
// IndexedDB sends every action (a background-sync queue would drop a request on any HTTP answer). The build fills in
// the list of files and the version (vite.config.js).
/* eslint-disable no-restricted-globals */
const VERSION = "__VERSION__";
const SHELL = "/m/";
const FILES = __FILES__;
const CACHE = "fivestar-m-" + VERSION;

/** A usable copy of the shell: a 200 that is not the login page a lapsed session was sent to. */
function usable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of [SHELL, ...FILES]) {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (usable(response)) await cache.put(url, response);
      else if (url !== SHELL) throw new Error("precache failed for " + url);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("fivestar-m-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/m/")) {
    // an address with a query goes to the network: ?signin (through the login page) and the sign-in's own return
    // (?state=…&code=…, which the front door must see); the app's pages have none and open the cached shell at once,
    // whose copy is refreshed in the background
    if (url.search) return;
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(SHELL);
      const fresh = fetch(SHELL, { credentials: "same-origin", cache: "no-store" }).then(async (response) => {
        if (usable(response)) await cache.put(SHELL, response.clone());
        return response;
      });
      if (cached) {
        event.waitUntil(fresh.catch(() => undefined));
        return cached;
      }
      return fetch(request);
    })());
    return;
  }
  if (url.pathname.startsWith("/assets/") || FILES.includes(url.pathname)) {
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(url.pathname);
      if (cached) return cached;
      const response = await fetch(request);
      if (usable(response) && url.pathname.startsWith("/assets/")) await cache.put(url.pathname, response.clone());
      return response;
    })());
  }
});
