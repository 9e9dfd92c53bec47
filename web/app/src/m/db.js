// The phone's own storage (IndexedDB): the synced tasks (server truth), the queue of actions waiting to be sent,
// and a few facts (whose data this is, the sync token, the last sync time). A tiny promise wrapper, no library.

const NAME = "fivestar-m";
/** @type {Promise<IDBDatabase> | null} */
let opened = null;

function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, 1);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore("tasks", { keyPath: "id" });
        db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        db.createObjectStore("meta");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opened;
}

/** A request's result as a promise. */
function done(/** @type {IDBRequest} */ req) {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
}

/**
 * Runs fn(stores) in one read-write (or read-only) transaction over the named stores; resolves with fn's result when
 * the transaction has committed (so nothing is reported done that was not written).
 * @template T
 * @param {string[]} names @param {"readonly"|"readwrite"} mode
 * @param {(stores: Record<string, IDBObjectStore>) => T | Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function tx(names, mode, fn) {
  const db = await open();
  const t = db.transaction(names, mode);
  /** @type {Record<string, IDBObjectStore>} */
  const stores = {};
  names.forEach((n) => { stores[n] = t.objectStore(n); });
  const committed = new Promise((resolve, reject) => { t.oncomplete = resolve; t.onerror = () => reject(t.error); t.onabort = () => reject(t.error); });
  const result = await fn(stores);
  await committed;
  return result;
}

export const get = (/** @type {string} */ store, /** @type {IDBValidKey} */ key) => tx([store], "readonly", (s) => done(s[store].get(key)));
export const all = (/** @type {string} */ store) => tx([store], "readonly", (s) => done(s[store].getAll()));
/** @param {string} store @param {any} value @param {IDBValidKey} [key] */
export function put(store, value, key) {
  return tx([store], "readwrite", (s) => done(key === undefined ? s[store].put(value) : s[store].put(value, key)));
}
export const del = (/** @type {string} */ store, /** @type {IDBValidKey} */ key) => tx([store], "readwrite", (s) => done(s[store].delete(key)));
export { done as request };
