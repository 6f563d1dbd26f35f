// Web Workers that share the page's compiled wasm: the engine's .wasm is fetched and compiled once
// per page and posted to every worker ({type:"init", module} → {type:"ready"}), so a pool of one
// worker per core costs one compile. Used by the retention maps (../retention/pool.js) and the
// stake model (./stake-parallel.js). No side effects at import.
import wasmUrl from "tao-engine/full/wasm?url";

let compiled = null;

/** The engine's wasm, fetched and compiled once per page. */
export function compiledModule() {
  // From bytes rather than compileStreaming: static hosts do not all serve application/wasm.
  const load = async () => {
    const res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`${wasmUrl}: HTTP ${res.status}`);
    return WebAssembly.compile(await res.arrayBuffer());
  };
  compiled ??= load().catch((e) => {
    compiled = null;
    throw e;
  });
  return compiled;
}

/** Workers per core: `navigator.hardwareConcurrency` (2 when the browser does not say), 1 to 32. */
export const coreCount = () => Math.max(1, Math.min(32, Number(globalThis.navigator?.hardwareConcurrency) || 2));

/**
 * Start `size` workers from `make()` (which must call `new Worker(new URL(..., import.meta.url))`
 * itself, so the bundler finds the worker) and send each the compiled module. Resolves to
 * { size, workers, close } once all are ready; `close()` terminates them all.
 */
export async function startWorkers(make, size) {
  const module = await compiledModule();
  const n = Math.max(1, Math.min(32, size));
  const started = [];
  const close = () => started.forEach((w) => w.terminate());
  try {
    const workers = await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const w = make();
      started.push(w);
      w.onmessage = (ev) => {
        if (ev.data.type === "ready") resolve(w);
        else reject(Object.assign(new Error(ev.data.message), { code: ev.data.code }));
      };
      w.onerror = (e) => reject(new Error(e.message || "worker failed to start"));
      w.postMessage({ type: "init", module });
    })));
    return { size: n, workers, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** A started Web Worker as the endpoint { post, listen, terminate } of ./stake-parallel.js. */
export function webEndpoint(w) {
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
    listen: (onMessage, onError) => {
      w.onmessage = (ev) => onMessage(ev.data);
      w.onerror = (e) => {
        e.preventDefault?.();
        onError(new Error(e.message || "worker failed"));
      };
    },
    terminate: () => w.terminate(),
  };
}
