import { resolve } from "node:path";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// One build, two pages, each its own bundle: the console (Vue 3 + Element Plus, every path of the front door's
// pages.properties, /meetings/{id} included), the task page messages link to (/tasks/{id}). The phone app (/m/) is built on its own
// (vite.phone.config.js): it never loads the console's code and shares no chunk with it.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: resolve(import.meta.dirname, "../target/classes/META-INF/resources"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, "index.html"),
        task: resolve(import.meta.dirname, "tasks/index.html"),
      },
    },
  },
});
