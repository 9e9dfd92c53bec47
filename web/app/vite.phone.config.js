import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineConfig } from "vite";

/**
 * The phone app (/m/), built on its own after the other pages so that its script is one file: that script and its
 * styles are then written into the page itself (on a 2-second-latency network a page that needs no second round
 * trip shows two seconds sooner). Then its service worker: the template sw/phone.js with the files the page needs
 * and a version that changes whenever the page does.
 */
function phoneShell() {
  return {
    name: "phone-shell",
    /** @param {any} options */
    writeBundle(options) {
      const page = resolve(options.dir, "m/index.html");
      let html = readFileSync(page, "utf8");
      if (/rel="modulepreload"/.test(html)) throw new Error("the phone app's script must be one chunk to be inlined");
      html = html.replace(/<link rel="stylesheet" crossorigin href="(\/assets\/[^"]+\.css)">/g,
        (_, href) => `<style>${readFileSync(resolve(options.dir, href.slice(1)), "utf8")}</style>`);
      html = html.replace(/<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/g, (_, src) => {
        const code = readFileSync(resolve(options.dir, src.slice(1)), "utf8");
        if (/<\/script/i.test(code) || /\bimport\s*\(|from\s*["']\.\//.test(code)) throw new Error("cannot inline " + src);
        return `<script type="module">${code}</script>`;
      });
      writeFileSync(page, html);
      const files = new Set(["/m/manifest.webmanifest", "/m/icon-192.png", "/m/icon-512.png"]);
      for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) files.add(m[1]);
      const list = [...files].sort();
      const version = createHash("sha256").update(list.join("\n") + html).digest("hex").slice(0, 12);
      const source = readFileSync(resolve(import.meta.dirname, "sw/phone.js"), "utf8")
        .replace("__VERSION__", version).replace("__FILES__", JSON.stringify(list));
      writeFileSync(resolve(options.dir, "m/sw.js"), source);
    },
  };
}

export default defineConfig({
  plugins: [phoneShell()],
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, "../target/classes/META-INF/resources"),
    emptyOutDir: false,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { mobile: resolve(import.meta.dirname, "m/index.html") } },
  },
});
