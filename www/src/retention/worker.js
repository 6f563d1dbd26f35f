// A retention-map worker: instantiates the one wasm module the page compiled (posted in "init", so
// the .wasm is fetched and compiled once for all workers) and computes chunks of cells on request.
// In: {type:"init", module} then {type:"chunk", id, request, start, count}. Out: {type:"ready"},
// {type:"chunk", id, chunk} or {type:"error", id, code, field, message}.
import init, { initSync, retentionCells } from "tao-engine/full";

let ready = null;

self.onmessage = async (ev) => {
  const m = ev.data;
  if (m.type === "init") {
    try {
      if (m.module) initSync({ module: m.module });
      else await init();
      ready = true;
      postMessage({ type: "ready" });
    } catch (e) {
      postMessage({ type: "error", id: null, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
    }
    return;
  }
  if (m.type === "chunk") {
    try {
      if (!ready) throw new Error("worker used before init");
      const chunk = retentionCells({ ...m.request, start: m.start, count: m.count });
      postMessage({ type: "chunk", id: m.id, chunk });
    } catch (e) {
      postMessage({ type: "error", id: m.id, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
    }
  }
};
