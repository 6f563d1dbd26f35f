// Path-parallel Monte Carlo of the engine's stake-return model: the paths of each run are split
// into contiguous shards (`stakeModelShards`, one per worker), every worker runs its shards a few
// paths at a time and posts progress and then its partial result (bytes, transferred), and the
// partials merge (`stakeModelMerge`) into the report one run over every path gives, bit for bit
// (each path's randomness depends only on the seed and the path index).
//
// Plain JavaScript with no imports, so the same code runs the page's Web Workers (../stake/worker.js
// and ../pages/stake.js) and the Node benchmark's worker_threads (scripts/stake-parallel.mjs).
// A worker is an endpoint { post(msg, transfer), listen(onMessage, onError), terminate() }.
//
// Protocol: in {type:"shard", job, input, pathStart, pathCount, chunk}; out {type:"progress", job,
// done}, {type:"partial", job, partial} or {type:"error", job, code, field, message}.

/** Handle one message in a worker: `engine` is the initialised package, `post(msg, transfer)`. */
export function handleShard(engine, msg, post) {
  if (msg?.type !== "shard") return;
  const { job, input, pathStart, pathCount } = msg;
  const chunk = Math.max(1, msg.chunk ?? 1);
  let id = null;
  try {
    id = engine.stakeModelStart({ ...input, pathStart, pathCount });
    for (;;) {
      const p = engine.stakeModelRun(id, chunk);
      post({ type: "progress", job, done: p.done });
      if (p.done >= p.total) break;
    }
    const partial = engine.stakeModelPartial(id);
    post({ type: "partial", job, partial }, [partial.buffer]);
  } catch (e) {
    post({ type: "error", job, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
  } finally {
    if (id != null) engine.stakeModelDrop(id);
  }
}

/** A coded Error from a worker's error message. */
const workerError = (m) => Object.assign(new Error(m.message), { code: m.code, field: m.field });

/**
 * Run every input of `inputs` (StakeReturnInput, each with its own `paths`) over `workers`.
 * Options: `onProgress(done, total)` with paths summed over all inputs and workers; `signal`
 * (AbortSignal): on abort every worker is terminated at once and the promise resolves to
 * { cancelled: true, done, total } (the workers are gone: start new ones for the next run);
 * `chunk`: paths between progress messages (default 1).
 * Resolves to { cancelled: false, reports, shards } (`reports[i]` for `inputs[i]`, `shards`:
 * how many shards ran). A worker error terminates every worker and rejects with its code and field.
 * @param {any} engine
 * @param {any[]} workers
 * @param {any[]} inputs
 * @param {{ onProgress?: (done: number, total: number) => void, signal?: AbortSignal, chunk?: number }} [options]
 */
export function runStakeParallel(engine, workers, inputs, { onProgress = () => {}, signal, chunk = 1 } = {}) {
  const jobs = [];
  inputs.forEach((input, plan) => {
    for (const s of engine.stakeModelShards(input.paths ?? 32, workers.length)) jobs.push({ plan, ...s, done: 0, partial: null });
  });
  const total = jobs.reduce((a, j) => a + j.pathCount, 0);
  let done = 0;
  let next = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const stopAll = () => workers.forEach((w) => w.terminate());
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      fn(value);
    };
    const onAbort = () => {
      stopAll();
      settle(resolve, { cancelled: true, done, total });
    };
    const fail = (e) => {
      stopAll();
      settle(reject, e);
    };
    const finish = () => {
      try {
        const reports = inputs.map((_, plan) => engine.stakeModelMerge(jobs.filter((j) => j.plan === plan).map((j) => j.partial)));
        settle(resolve, { cancelled: false, reports, shards: jobs.length });
      } catch (e) {
        fail(e);
      }
    };
    let left = jobs.length;
    const dispatch = (w) => {
      if (settled || next >= jobs.length) return;
      const k = next++;
      const j = jobs[k];
      w.post({ type: "shard", job: k, input: inputs[j.plan], pathStart: j.pathStart, pathCount: j.pathCount, chunk });
    };
    workers.forEach((w) => {
      w.listen((m) => {
        if (settled) return;
        const j = jobs[m.job];
        if (m.type === "error" || !j) return fail(workerError(m.type === "error" ? m : { message: `unknown job ${m.job}`, code: "INTERNAL" }));
        if (m.type === "progress") {
          done += m.done - j.done;
          j.done = m.done;
          onProgress(done, total);
        } else if (m.type === "partial") {
          j.partial = m.partial;
          left -= 1;
          if (left === 0) finish();
          else dispatch(w);
        }
      }, (e) => fail(e instanceof Error ? e : new Error(e?.message || "worker failed")));
    });
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (jobs.length === 0) return finish();
    workers.forEach(dispatch);
  });
}
