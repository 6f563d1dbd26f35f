import { defineConfig } from "vite";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";

// One HTML page per capability, so every page has its own URL and can be copied into another site.
export const pages = ["index", "stake", "pools", "consensus", "retention", "verify", "playground", "embed"];

// The iframe embeds (embed/<demo>.html, one per demo element) and the embedding docs
// (embed/index.html): every HTML file of www/embed/ is built.
export const embeds = readdirSync(resolve(import.meta.dirname, "embed")).filter((f) => f.endsWith(".html")).map((f) => f.slice(0, -5));

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the built pages work from any folder of any static host.
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        ...Object.fromEntries(pages.map((p) => [p, resolve(import.meta.dirname, `${p}.html`)])),
        ...Object.fromEntries(embeds.map((p) => [`embed/${p}`, resolve(import.meta.dirname, "embed", `${p}.html`)])),
      },
    },
  },
  // The wasm package locates its .wasm with new URL(..., import.meta.url); pre-bundling would break it.
  optimizeDeps: { exclude: ["tao-engine", "tao-engine/full"] },
  server: { host: "127.0.0.1", fs: { allow: [resolve(import.meta.dirname, "..")] } },
});
