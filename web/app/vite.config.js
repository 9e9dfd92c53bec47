import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

/**
 * The phone app's service worker: the template sw/phone.js with the list of files the /m/ page needs (read from the
 * built m/index.html: its script, its styles, what they import) and a version that changes when any of them does.
 */
function phoneServiceWorker() {
  return {
    name: "phone-service-worker",
    /** @param {any} options @param {Record<string, any>} bundle */
    writeBundle(options, bundle) {
      const html = readFileSync(resolve(options.dir, "m/index.html"), "utf8");
      const files = new Set(["/m/manifest.webmanifest", "/m/icon-192.png", "/m/icon-512.png"]);
      for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) files.add(m[1]);
      // and what the page's chunks import in turn
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === "chunk" && [...files].includes("/" + chunk.fileName)) {
          chunk.imports.forEach((/** @type {string} */ f) => files.add("/" + f));
          (chunk.viteMetadata?.importedCss || []).forEach((/** @type {string} */ f) => files.add("/" + f));
        }
      }
      const list = [...files].sort();
      const version = createHash("sha256").update(list.join("\n") + html).digest("hex").slice(0, 12);
      const source = readFileSync(resolve(import.meta.dirname, "sw/phone.js"), "utf8")
        .replace("__VERSION__", version).replace("__FILES__", JSON.stringify(list));
      writeFileSync(resolve(options.dir, "m/sw.js"), source);
    },
  };
}

// One build, several pages, each its own bundle: the phone (/m/) never loads the console's code.
export default defineConfig({
  plugins: [phoneServiceWorker()],
  build: {
    outDir: resolve(import.meta.dirname, "../target/classes/META-INF/resources"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, "index.html"),
        dashboard: resolve(import.meta.dirname, "dashboard/index.html"),
        mobile: resolve(import.meta.dirname, "m/index.html"),
        task: resolve(import.meta.dirname, "tasks/index.html"),
        meeting: resolve(import.meta.dirname, "meetings/index.html"),
      },
    },
  },
});
