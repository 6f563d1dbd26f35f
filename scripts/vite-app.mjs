// Shared by scripts/serve.mjs and the e2e test: build www/ and serve it on 127.0.0.1.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wwwDir = path.join(root, "www");
// vite is a dependency of www/, not of the repository root.
const require = createRequire(path.join(wwwDir, "package.json"));
const vite = await import(require.resolve("vite"));

export const distDir = path.join(wwwDir, "dist");

export async function buildApp({ quiet = false } = {}) {
  await vite.build({ root: wwwDir, configFile: path.join(wwwDir, "vite.config.js"), logLevel: quiet ? "warn" : "info" });
}

/**
 * Build www/ unless scripts/test already did (it sets TAO_APP_BUILT=1 after one build, so the e2e
 * files, which each call this, share that build).
 */
export async function prepareApp() {
  if (process.env.TAO_APP_BUILT !== "1") await buildApp({ quiet: true });
}

/** Serve www/dist on 127.0.0.1:port (0 = any free port). Returns { url, close }. */
export async function startPreview(port = 0) {
  const server = await vite.preview({
    root: wwwDir,
    configFile: path.join(wwwDir, "vite.config.js"),
    logLevel: "warn",
    preview: { host: "127.0.0.1", port, strictPort: port !== 0 },
  });
  const addr = server.httpServer.address();
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    close: () => new Promise((resolve) => server.httpServer.close(() => resolve())),
  };
}
