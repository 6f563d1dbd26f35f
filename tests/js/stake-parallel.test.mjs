// The stake model's path-parallel runner (scripts/stake-parallel.mjs: worker_threads driving the
// web app's own orchestration, www/src/lib/stake-parallel.js) against one run in one thread: the
// merged report is deep-equal to `stakeReturn` and to a single step-wise run, for several inputs,
// worker counts and uneven splits; progress adds up over the workers; cancel terminates every
// worker; shards and partials are validated like every export.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { createNodePool, runStakeParallelNode } from "../../scripts/stake-parallel.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const engine = await import(path.join(here, "../../pkg/node/index.js"));

const small = { subnets: 8, maxUids: 16, sn1Uids: 64 };
const base = { amount: 100_000_000_000n, netuids: [1], horizonDays: 8, paths: 7, seed: 3, network: small };
const inputs = [
  base,
  { ...base, netuids: [2, 5], seed: 99, paths: 10, exit: false, flowSigmaBps: 300, flowDriftBps: -20 },
  { ...base, netuids: [0], paths: 3 },
  { ...base, paths: 2, horizonDays: 3, stepBlocks: 3600 },
];

/** One thread, one step-wise run over every path. */
function single(input) {
  const model = new engine.StakeModel(input);
  try {
    model.run(input.paths);
    return model.report();
  } finally {
    model.free();
  }
}

const pools = [];
async function pool(n) {
  const p = await createNodePool(n);
  pools.push(p);
  return p;
}
after(() => Promise.all(pools.map((p) => p.close())));

test("stakeModelShards: contiguous, sizes within one, capped at the path count", () => {
  assert.deepEqual(engine.stakeModelShards(10, 4), [
    { pathStart: 0, pathCount: 3 }, { pathStart: 3, pathCount: 3 }, { pathStart: 6, pathCount: 2 }, { pathStart: 8, pathCount: 2 },
  ]);
  assert.equal(engine.stakeModelShards(2, 8).length, 2);
  assert.deepEqual(engine.stakeModelShards(5, 0), [{ pathStart: 0, pathCount: 5 }]);
  assert.throws(() => engine.stakeModelShards(0, 2), (e) => e.code === "OUT_OF_RANGE" && e.field === "paths");
  assert.throws(() => engine.stakeModelShards(4, "x"), (e) => e.code === "INVALID_TYPE" && e.field === "workers");
});

for (const workers of [1, 2, 3, 4]) {
  test(`${workers} worker thread(s): merged reports deep-equal the one-thread run`, async () => {
    const p = await pool(workers);
    const seen = [];
    const out = await runStakeParallelNode(p, inputs, { onProgress: (done, total) => seen.push([done, total]) });
    assert.equal(out.cancelled, false);
    assert.equal(out.reports.length, inputs.length);
    inputs.forEach((input, i) => {
      assert.deepStrictEqual(out.reports[i], single(input), `input ${i}`);
      assert.deepStrictEqual(out.reports[i], engine.stakeReturn(input), `input ${i} vs stakeReturn`);
    });
    const total = inputs.reduce((a, x) => a + x.paths, 0);
    assert.equal(out.shards, inputs.reduce((a, x) => a + Math.min(x.paths, workers), 0));
    assert.deepEqual(seen.at(-1), [total, total]);
    assert.ok(seen.every(([d], k) => k === 0 || d >= seen[k - 1][0]), "progress never goes back");
  });
}

test("partials merge in any order; gaps, overlaps, other runs and junk are coded errors", () => {
  const partial = (input, pathStart, pathCount) => {
    const model = new engine.StakeModel({ ...input, pathStart, pathCount });
    try {
      assert.throws(() => model.partial(), (e) => e.code === "OUT_OF_RANGE");
      assert.deepEqual(model.run(99), { done: pathCount, total: pathCount });
      return model.partial();
    } finally {
      model.free();
    }
  };
  const [a, b, c] = [partial(base, 0, 1), partial(base, 1, 4), partial(base, 5, 2)];
  assert.ok(a instanceof Uint8Array);
  assert.deepStrictEqual(engine.stakeModelMerge([c, a, b]), single(base));
  const code = (parts) => {
    try {
      engine.stakeModelMerge(parts);
    } catch (e) {
      return [e.code, e.field];
    }
    return null;
  };
  assert.deepEqual(code([a, c]), ["OUT_OF_RANGE", "partials"]);
  assert.deepEqual(code([a, b, b, c]), ["OUT_OF_RANGE", "partials"]);
  assert.deepEqual(code([a, b, partial({ ...base, seed: 4 }, 5, 2)]), ["OUT_OF_RANGE", "partials"]);
  assert.deepEqual(code([]), ["OUT_OF_RANGE", "partials"]);
  assert.deepEqual(code([a, new Uint8Array([1, 2, 3])]), ["INVALID_JSON", "partials[1]"]);
  assert.deepEqual(code([a, "x"]), ["INVALID_TYPE", "partials[1]"]);
  assert.deepEqual(code("x"), ["INVALID_TYPE", "partials"]);
  assert.throws(() => new engine.StakeModel({ ...base, pathStart: 7 }), (e) => e.code === "OUT_OF_RANGE" && e.field === "pathStart");
  assert.throws(() => new engine.StakeModel({ ...base, pathStart: 2, pathCount: 6 }), (e) => e.code === "OUT_OF_RANGE" && e.field === "pathCount");
  assert.throws(() => new engine.StakeModel({ ...base, pathCount: -1 }), (e) => e.field === "pathCount");
});

test("cancel terminates every worker thread and resolves as cancelled", async () => {
  const p = await pool(2);
  const exited = p.threads.map((w) => new Promise((resolve) => w.once("exit", resolve)));
  const ctrl = new AbortController();
  const long = { ...base, horizonDays: 365, paths: 400 };
  let progressed = 0;
  const out = await runStakeParallelNode(p, [long], {
    onProgress: (done) => {
      progressed = done;
      if (done >= 1) ctrl.abort();
    },
    signal: ctrl.signal,
  });
  assert.equal(out.cancelled, true);
  assert.ok(out.done >= 1 && out.done < out.total, `${out.done} of ${out.total}`);
  assert.equal(progressed, out.done);
  await Promise.all(exited);
  assert.ok(p.threads.every((w) => w.threadId === -1), "every thread is gone");
});
