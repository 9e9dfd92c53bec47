import { resolve } from "node:path";
import { defineConfig } from "vite";

// One build, several pages, each its own bundle. The phone app (/m/) is built on its own (vite.phone.config.js): it
// never loads the console's code and shares no chunk with it.
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, "../target/classes/META-INF/resources"),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, "index.html"),
        dashboard: resolve(import.meta.dirname, "dashboard/index.html"),
        task: resolve(import.meta.dirname, "tasks/index.html"),
        meeting: resolve(import.meta.dirname, "meetings/index.html"),
      },
    },
  },
});
