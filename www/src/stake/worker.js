// A stake-model worker, one of a pool (one per core, ../lib/worker-pool.js): instantiates the wasm
// module the page compiled once (posted in "init") and runs shards of the Monte Carlo paths
// (../lib/stake-parallel.js), posting progress between chunks and its partial result at the end.
// The page cancels by terminating the worker. In: {type:"init", module}, then {type:"shard", ...}.
// Out: {type:"ready"}, progress, partial or error ({code, field, message}).
import init, * as engine from "tao-engine/full";
import { handleShard } from "../lib/stake-parallel.js";

let ready = false;

self.onmessage = async (ev) => {
  const m = ev.data;
  if (m.type === "init") {
    try {
      if (m.module) engine.initSync({ module: m.module });
      else await init();
      ready = true;
      postMessage({ type: "ready" });
    } catch (e) {
      postMessage({ type: "error", job: null, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
    }
    return;
  }
  if (!ready) {
    postMessage({ type: "error", job: m.job ?? null, code: "INTERNAL", field: null, message: "worker used before init" });
    return;
  }
  handleShard(engine, m, (msg, transfer) => postMessage(msg, transfer ?? []));
};
