// Spreads a retention map's cells over Web Workers, one per core: each worker takes a contiguous
// range (so it samples each stake share once) and computes it chunk by chunk, reporting progress
// between chunks; an AbortSignal stops dispatching and ends the run as cancelled. The workers
// share the page's compiled wasm module (../lib/worker-pool.js). No side effects at import.
import { startWorkers } from "../lib/worker-pool.js";

/** A pool of `size` workers; `close()` terminates them. */
export function createPool(size = navigator.hardwareConcurrency || 2) {
  return startWorkers(() => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }), size);
}

/** Cells of a request: stake shares × (steps + 1)². */
export const cellCount = (request) => request.stakesMilli.length * (request.steps + 1) ** 2;

/**
 * Compute every cell of `request` (a RetentionRequest with stakesMilli and steps, without
 * start/count) on `pool`. Resolves to { cancelled, done, total, cells, runtime }: `cells` holds
 * the RetentionChunk columns (stakeMilli, majorWeight, minorWeight, avgWeightDev, majorRatio) in
 * cell order. A worker error rejects with its code and field.
 * @param {any} pool
 * @param {any} request
 * @param {{ chunk?: number, onProgress?: (done: number, total: number) => void, signal?: AbortSignal }} [options]
 */
export function runMap(pool, request, { chunk = 24, onProgress = () => {}, signal } = {}) {
  const total = cellCount(request);
  const cols = ["stakeMilli", "majorWeight", "minorWeight", "avgWeightDev", "majorRatio"];
  const cells = Object.fromEntries(cols.map((c) => [c, new Array(total)]));
  const per = Math.ceil(total / pool.size);
  const ranges = pool.workers.map((_, k) => ({ next: Math.min(k * per, total), end: Math.min((k + 1) * per, total) }));
  let done = 0;
  let busy = 0;
  let runtime = null;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn, v) => {
      if (settled) return;
      settled = true;
      pool.workers.forEach((w) => { w.onmessage = null; });
      fn(v);
    };
    const maybeEnd = () => {
      if (busy > 0) return;
      if (signal?.aborted) settle(resolve, { cancelled: true, done, total });
      else if (done >= total) settle(resolve, { cancelled: false, done, total, cells, runtime });
    };
    const dispatch = (k) => {
      const r = ranges[k];
      if (signal?.aborted || r.next >= r.end) return maybeEnd();
      const count = Math.min(chunk, r.end - r.next);
      busy += 1;
      pool.workers[k].postMessage({ type: "chunk", id: k, request, start: r.next, count });
      r.next += count;
    };
    pool.workers.forEach((w, k) => {
      w.onmessage = (ev) => {
        const m = ev.data;
        busy -= 1;
        if (m.type === "error") {
          settle(reject, Object.assign(new Error(m.message), { code: m.code, field: m.field }));
          return;
        }
        const c = m.chunk;
        runtime = c.runtime;
        cols.forEach((col) => c[col].forEach((v, i) => { cells[col][c.start + i] = v; }));
        done += c.majorRatio.length;
        onProgress(done, total);
        dispatch(k);
      };
    });
    signal?.addEventListener("abort", maybeEnd, { once: true });
    pool.workers.forEach((_, k) => dispatch(k));
  });
}
