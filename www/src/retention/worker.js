// A retention-map worker: instantiates the one wasm module the page compiled (posted in "init", so
// the .wasm is fetched and compiled once for all workers) and computes chunks of cells on request.
// In: {type:"init", module} then {type:"chunk", id, request, start, count}. Out: {type:"ready"},
// {type:"chunk", id, chunk} or {type:"error", id, code, field, message}.
import init, { initSync, RetentionMap } from "tao-engine/full";

// One map per worker: it keeps the last sampled stake share, so consecutive chunks of a share
// sample it once.
let map = null;

self.onmessage = async (ev) => {
  const m = ev.data;
  if (m.type === "init") {
    try {
      if (m.module) initSync({ module: m.module });
      else await init();
      map = new RetentionMap();
      postMessage({ type: "ready" });
    } catch (e) {
      postMessage({ type: "error", id: null, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
    }
    return;
  }
  if (m.type === "chunk") {
    try {
      if (!map) throw new Error("worker used before init");
      const chunk = map.cells({ ...m.request, start: m.start, count: m.count });
      postMessage({ type: "chunk", id: m.id, chunk });
    } catch (e) {
      postMessage({ type: "error", id: m.id, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
    }
  }
};
