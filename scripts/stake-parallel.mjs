// The stake model's path-parallel runner on Node (worker_threads, one per core): the same
// orchestration as the web app (www/src/lib/stake-parallel.js), with Node threads in place of Web
// Workers. Used by the benchmark (scripts/bench.mjs) and tests/js/stake-parallel.test.mjs.
//
//   import { createNodePool, runStakeParallelNode } from "./stake-parallel.mjs";
//   const pool = await createNodePool(4);
//   const { reports } = await runStakeParallelNode(pool, [input]);
//   await pool.close();
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runStakeParallel } from "../www/src/lib/stake-parallel.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultEntry = path.join(here, "../pkg/node/index.js");

/** A worker_threads Worker as the endpoint { post, listen, terminate } of stake-parallel.js. */
function endpoint(w) {
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
    listen: (onMessage, onError) => {
      w.removeAllListeners("message");
      w.removeAllListeners("error");
      w.on("message", onMessage);
      w.on("error", onError);
    },
    terminate: () => { w.terminate(); },
  };
}

/**
 * `size` worker threads (default: the machine's cores), each with its own instance of the package
 * at `entry` (default pkg/node). Resolves once every thread has loaded it: { size, workers,
 * threads, engine, close }, where `engine` is the same package in this thread (it splits and
 * merges) and `threads` the worker_threads Workers.
 */
export async function createNodePool(size = availableParallelism(), { entry = defaultEntry } = {}) {
  const engine = await import(pathToFileURL(entry).href);
  const n = Math.max(1, Math.min(64, size));
  const threads = Array.from({ length: n }, () => new Worker(new URL("./stake-worker.mjs", import.meta.url), { workerData: { entry } }));
  const close = () => Promise.all(threads.map((w) => w.terminate()));
  try {
    await Promise.all(threads.map((w) => new Promise((resolve, reject) => {
      w.once("message", (m) => (m.type === "ready" ? resolve() : reject(new Error(m.message))));
      w.once("error", reject);
    })));
  } catch (e) {
    await close();
    throw e;
  }
  return { size: n, workers: threads.map(endpoint), threads, engine, close };
}

/** Run `inputs` on `pool` (see runStakeParallel in www/src/lib/stake-parallel.js for the options). */
export function runStakeParallelNode(pool, inputs, options) {
  return runStakeParallel(pool.engine, pool.workers, inputs, options);
}
