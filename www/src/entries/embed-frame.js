// The iframe embed: www/embed/<demo>.html loads this module. It shows the demo's element alone,
// with its state from the query string (the element's attribute names: embed/stake.html?netuid=1&
// amount=250), keeps the URL in step with the state, and talks to the embedding page by
// postMessage. The protocol (version 1) is documented in www/embed/index.html and the README:
//
//   frame → parent  { type: "tao-embed", version: 1, demo, kind: "ready", tag, state }
//                   { type: "tao-embed", version: 1, demo, kind: "height", height }   (CSS px)
//                   { type: "tao-embed", version: 1, demo, kind: "event", event, detail }
//                   { type: "tao-embed", version: 1, demo, kind: "state", state, query }
//   parent → frame  { type: "tao-embed", kind: "set", attributes: { name: value | null } }
//                   { type: "tao-embed", kind: "get-height" }
//
// Messages go to the parent with targetOrigin "*" (they carry only what the demo shows) unless the
// URL names ?parent-origin=https://host, then only there; inbound messages are accepted only from
// the parent window (and, with parent-origin, only from that origin).
import { ELEMENTS, specOf } from "../elements/index.js";
import { defineElement } from "../lib/embed/element.js";

export const PROTOCOL = "tao-embed";
export const VERSION = 1;

// Query keys that configure the frame itself, not the demo.
const FRAME_KEYS = ["parent-origin", "theme"];

const THEMES = {
  light: { "--tao-bg": "#ffffff", "--tao-card": "#f7f7f5", "--tao-field": "#ffffff", "--tao-fg": "#1d1d1d", "--tao-muted": "#5c6370", "--tao-border": "#d8d4cc", "--tao-accent": "#0b7a5c", "--tao-good": "#2e7d32", "--tao-bad": "#c62828" },
};

/** Post a structured-clone-safe copy: detail may hold DOM nodes or functions, which cannot cross. */
function cloneable(value, depth = 0) {
  if (value == null || ["string", "number", "boolean", "bigint"].includes(typeof value)) return value;
  if (depth > 8 || typeof value === "function" || typeof value === "symbol" || value instanceof Node) return undefined;
  if (ArrayBuffer.isView(value)) return /** @type {Uint8Array} */ (value).slice();
  if (Array.isArray(value)) return value.map((v) => cloneable(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneable(v, depth + 1)]).filter(([, v]) => v !== undefined));
}

async function start() {
  const demo = document.body.dataset.demo;
  const spec = specOf(demo);
  if (!spec) throw new Error(`no demo "${demo}" (known: ${ELEMENTS.map((s) => s.demo).join(", ")})`);
  const query = new URLSearchParams(location.search);
  const parentOrigin = query.get("parent-origin") || "*";
  const embedded = window.parent !== window;
  const post = (kind, body) => {
    if (!embedded) return;
    const msg = { type: PROTOCOL, version: VERSION, demo, kind, ...body };
    try {
      window.parent.postMessage(msg, parentOrigin);
    } catch {
      window.parent.postMessage({ ...msg, detail: cloneable(msg.detail) }, parentOrigin);
    }
  };

  await defineElement(spec);
  const node = document.createElement(spec.tag);
  const known = new Set(spec.attributes.map((a) => a.name));
  for (const [k, v] of query) if (known.has(k)) node.setAttribute(k, v);
  const theme = THEMES[query.get("theme")];
  if (theme) for (const [k, v] of Object.entries(theme)) node.style.setProperty(k, v);

  for (const e of spec.events) {
    if (e.name === "statechange") continue;
    node.addEventListener(e.name, (ev) => post("event", { event: e.name, detail: cloneable(/** @type {CustomEvent} */ (ev).detail) }));
  }
  node.addEventListener("statechange", (ev) => {
    const { detail } = /** @type {CustomEvent} */ (ev);
    const q = new URLSearchParams(detail);
    for (const k of FRAME_KEYS) if (query.has(k)) q.set(k, query.get(k) ?? "");
    history.replaceState(null, "", `${location.pathname}?${q}`);
    post("state", { state: { ...detail }, query: q.toString() });
  });

  // The height of the content, reported whenever it changes (the frame's own resizer).
  let last = -1;
  const report = (force) => {
    const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h !== last || force) post("height", { height: (last = h) });
  };
  new ResizeObserver(() => report(false)).observe(document.body);

  window.addEventListener("message", (ev) => {
    if (ev.source !== window.parent || ev.data?.type !== PROTOCOL) return;
    if (parentOrigin !== "*" && ev.origin !== parentOrigin) return;
    if (ev.data.kind === "get-height") report(true);
    if (ev.data.kind === "set" && ev.data.attributes && typeof ev.data.attributes === "object") {
      for (const [k, v] of Object.entries(ev.data.attributes)) {
        if (!known.has(k)) continue;
        if (v == null || v === false) node.removeAttribute(k);
        else node.setAttribute(k, String(v));
      }
    }
  });

  document.body.append(node);
  post("ready", { tag: spec.tag, state: Object.fromEntries([...query].filter(([k]) => known.has(k))) });
  report(true);
}

start().catch((err) => {
  console.error(err);
  const p = document.createElement("p");
  p.setAttribute("role", "alert");
  p.textContent = String(err?.message ?? err);
  document.body.append(p);
});
