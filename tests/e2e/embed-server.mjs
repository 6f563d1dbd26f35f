// A tiny static server for the embed tests and scripts/screenshots.mjs: serves a folder (the built
// www/dist) plus in-memory pages, on 127.0.0.1 and a free port. Two of them are two origins
// (127.0.0.1:A and 127.0.0.1:B), which is what an iframe embedded by another site sees.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".wasm": "application/wasm", ".png": "image/png",
  ".svg": "image/svg+xml", ".bin": "application/octet-stream", ".txt": "text/plain; charset=utf-8",
};

/**
 * Serve `dir` (may be null) and `pages` ({ "/path": html }) on 127.0.0.1. Returns { origin, url,
 * setPage(path, html), close() }.
 */
export async function serve(dir, pages = {}) {
  const extra = new Map(Object.entries(pages));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const send = (status, type, body) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (extra.has(url.pathname)) return send(200, TYPES[".html"], extra.get(url.pathname));
    if (!dir) return send(404, TYPES[".txt"], "not found");
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return send(403, TYPES[".txt"], "forbidden");
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
      send(200, TYPES[path.extname(file)] ?? "application/octet-stream", await readFile(file));
    } catch {
      send(404, TYPES[".txt"], "not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}/`,
    setPage: (p, html) => extra.set(p, html),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

/** The one module script tag of the built embed.html (what a host page copies), as a root path. */
export function elementScript(embedHtml) {
  const m = /<script type="module"[^>]*src="\.?\/?([^"]+)"/.exec(embedHtml);
  if (!m) throw new Error("no module script in dist/embed.html");
  return `/${m[1]}`;
}
