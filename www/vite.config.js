import { defineConfig } from "vite";
import { resolve } from "node:path";

// One HTML page per capability, so every page has its own URL and can be copied into another site.
export const pages = ["index", "stake", "pools", "consensus", "retention", "verify", "playground", "embed"];

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the built pages work from any folder of any static host.
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: Object.fromEntries(pages.map((p) => [p, resolve(import.meta.dirname, `${p}.html`)])),
    },
  },
  // The wasm package locates its .wasm with new URL(..., import.meta.url); pre-bundling would break it.
  optimizeDeps: { exclude: ["tao-engine"] },
  server: { host: "127.0.0.1", fs: { allow: [resolve(import.meta.dirname, "..")] } },
});
