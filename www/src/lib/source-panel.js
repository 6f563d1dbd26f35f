// The "data source" control every live-data view shares: offline (the embedded real capture) or
// live (a node the user names; by default the public finney entrypoint, run by a third party),
// with a status line saying which block and runtime the page shows and how old the data is.
//
//   const panel = mountSourcePanel(parent, { onSource(state) { ... } });
//
// `state` is { mode: "offline" } or { mode: "live", src, stamp, metadata } once the head block is
// pinned; views read through `state.src` (./live.js) and must check `panel.current === state`
// before rendering a late answer. Offline is the default: nothing leaves the page's origin until
// the user picks live (or a deep link says `?source=live&endpoint=…`). Node-supplied text never
// reaches innerHTML: every string goes through `el` (textContent). Its styles are lib/live.css,
// which the page entries import (a lib module injects no CSS).
import { el } from "./dom.js";
import { DEFAULT_ENDPOINT, ageText, fetchHead, fetchMetadata, openLive } from "./live.js";
import { offlineStamp } from "./live-offline.js";
import { errorText } from "./format.js";

const STORE = "tao-engine.source";

function readSaved() {
  const q = new URLSearchParams(location.search);
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(STORE) ?? "{}") ?? {};
  } catch { /* private mode or a bad value: defaults */ }
  return {
    mode: q.get("source") === "live" || (q.get("source") === null && saved.mode === "live") ? "live" : "offline",
    endpoint: q.get("endpoint") ?? saved.endpoint ?? DEFAULT_ENDPOINT,
  };
}

function save(mode, endpoint) {
  try {
    localStorage.setItem(STORE, JSON.stringify({ mode, endpoint }));
  } catch { /* not persisted */ }
}

/** The status line of a stamp: block, runtime spec, age (or the capture's provenance offline). */
export function stampText(stamp) {
  const block = stamp.blockNumber.toLocaleString("en-US");
  if (stamp.source === "offline") return `Offline: embedded real capture, finney block ${block}, runtime spec ${stamp.specVersion}`;
  return `Live: block ${block}, runtime spec ${stamp.specVersion}, ${ageText(stamp)}`;
}

/**
 * Mount the control under `parent`; see the module comment.
 * @param {HTMLElement} parent
 * @param {{ onSource?: (state: any) => void, title?: string }} [options]
 */
export function mountSourcePanel(parent, { onSource, title = "Data source" } = {}) {
  const saved = readSaved();
  const id = `src-${Math.random().toString(36).slice(2, 8)}`;
  const offlineRadio = el("input", { type: "radio", name: id, value: "offline", id: `${id}-off`, dataset: { testid: "source-offline" } });
  const liveRadio = el("input", { type: "radio", name: id, value: "live", id: `${id}-live`, dataset: { testid: "source-live" } });
  const endpoint = el("input", { id: `${id}-ep`, value: saved.endpoint, spellcheck: "false", autocomplete: "off", dataset: { testid: "source-endpoint" } });
  const connect = el("button", { type: "button", class: "primary", dataset: { testid: "source-connect" } }, "Connect");
  const cancel = el("button", { type: "button", disabled: true, dataset: { testid: "source-cancel" } }, "Cancel");
  const status = el("p", { class: "source-status", role: "status", dataset: { testid: "source-status" } });
  const activity = el("p", { class: "muted source-activity", dataset: { testid: "source-activity" } });
  const meta = el("p", { class: "muted", dataset: { testid: "source-metadata" } });
  const note = el("p", { class: "muted source-note", dataset: { testid: "source-third-party" } },
    "Live data comes from the node you name. The default, ", el("code", {}, DEFAULT_ENDPOINT),
    ", is a public node run by a third party (the Opentensor Foundation), not by tao-engine: its answers are shown as " +
    "it gives them, and every number computed from them is computed here, in your browser.");
  const box = el("section", { class: "card source-panel", dataset: { testid: "source-panel" } },
    el("h2", {}, title),
    el("div", { class: "row" },
      el("label", { for: `${id}-off`, class: "inline" }, offlineRadio, " Offline"),
      el("label", { for: `${id}-live`, class: "inline" }, liveRadio, " Live"),
      el("label", { for: `${id}-ep`, class: "grow" }, "Node endpoint (wss://, ws://, https:// or http://)", endpoint),
      el("div", { class: "row" }, connect, cancel)),
    status, activity, meta, note);
  parent.append(box);

  /** @type {{ current: any, element: HTMLElement, reconnect?: () => Promise<void>, offline?: () => void }} */
  const panel = { current: null, element: box };
  let ctrl = null;
  let src = null;
  let timer = null;
  const tick = () => {
    if (panel.current?.mode === "live") status.textContent = stampText(panel.current.stamp);
  };
  const publish = (state) => {
    panel.current = state;
    onSource?.(state);
  };
  const stop = () => {
    ctrl?.abort();
    ctrl = null;
    src?.close();
    src = null;
    clearInterval(timer);
    timer = null;
  };

  const goOffline = () => {
    stop();
    offlineRadio.checked = true;
    endpoint.disabled = true;
    connect.disabled = true;
    cancel.disabled = true;
    activity.textContent = "";
    const stamp = offlineStamp();
    status.textContent = stampText(stamp);
    meta.textContent = `Source: ${stamp.provenance}`;
    save("offline", endpoint.value.trim());
    publish({ mode: "offline", stamp });
  };

  const goLive = async () => {
    stop();
    liveRadio.checked = true;
    endpoint.disabled = false;
    connect.disabled = true;
    cancel.disabled = false;
    const url = endpoint.value.trim();
    save("live", url);
    const counts = { requests: 0, retries: 0 };
    const show = (what) => { activity.textContent = `${what} · ${counts.requests} request(s), ${counts.retries} retr${counts.retries === 1 ? "y" : "ies"}`; };
    let mine;
    try {
      mine = openLive(url, {
        onEvent: (e) => {
          if (e.type === "http-request" || e.type === "open") counts.requests += e.type === "http-request" ? e.calls : 1;
          if (e.type === "retry") counts.retries += 1;
          show(e.type === "retry" ? `retrying ${e.method} (${e.error?.code ?? "error"})` : "connected");
        },
      });
    } catch (e) {
      status.textContent = `Cannot use this endpoint: ${e.message}`;
      connect.disabled = false;
      cancel.disabled = true;
      return;
    }
    src = mine;
    ctrl = new AbortController();
    const { signal } = ctrl;
    status.textContent = `Connecting to ${url} …`;
    meta.textContent = "";
    panel.current = null;
    try {
      const stamp = await fetchHead(mine, { signal });
      const metadata = await fetchMetadata(mine, stamp, { signal });
      if (src !== mine) return;
      cancel.disabled = true;
      connect.disabled = false;
      status.textContent = stampText(stamp);
      meta.textContent = metadata.info
        ? `Runtime metadata V${metadata.info.metadataVersion}: ${metadata.info.specName} ${metadata.info.specVersion}, ` +
          `${metadata.info.pallets} pallets, ${metadata.info.storageItems} storage items; ` +
          `${metadata.info.unread.length} of them are changes this engine does not model.`
        : `Runtime metadata not available from this node (${metadata.error}); the views that need it say so.`;
      timer = setInterval(tick, 1000);
      publish({ mode: "live", src: mine, stamp, metadata });
    } catch (e) {
      if (src !== mine) return;
      cancel.disabled = true;
      connect.disabled = false;
      status.textContent = e?.code === "CANCELLED" ? "Cancelled." : `Could not read the node: ${errorText(e)}`;
    }
  };

  offlineRadio.addEventListener("change", () => offlineRadio.checked && goOffline());
  liveRadio.addEventListener("change", () => {
    if (!liveRadio.checked) return;
    endpoint.disabled = false;
    connect.disabled = false;
    status.textContent = "Press Connect to read the node.";
  });
  connect.addEventListener("click", () => void goLive());
  endpoint.addEventListener("keydown", (e) => { if (e.key === "Enter") void goLive(); });
  cancel.addEventListener("click", () => {
    ctrl?.abort();
    cancel.disabled = true;
    connect.disabled = false;
  });
  panel.reconnect = goLive;
  panel.offline = goOffline;
  if (saved.mode === "live") void goLive();
  else goOffline();
  return panel;
}
