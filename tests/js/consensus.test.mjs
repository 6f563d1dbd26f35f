// The Yuma epoch exports of the built package (pkg/) under Node: runEpochs carries the stored
// state (bonds, permits, consensus) from one epoch to the next exactly as runEpoch on the carried
// input gives it, at the chain's cadence; hyperparameter defaults and checks; coded errors that
// name the field and leave the instance usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const E = await import(path.join(here, "../../pkg/node/index.js"));
const RAO = 1_000_000_000n;

const input = {
  hyperparameters: { tempo: 10, yuma3Enabled: true, commitRevealEnabled: false, activityCutoffFactorMilli: 1_000_000, stakeThreshold: 0 },
  n: 5, currentBlock: 100n, emission: RAO,
  alphaStake: [3n * RAO, 2n * RAO, RAO, 0n, 0n],
  blockAtRegistration: [0, 0, 0, 0, 0], lastUpdate: [100, 100, 100, 100, 100],
  validatorPermit: [true, true, true, false, false],
  weights: [[[3, 65535], [4, 10000]], [[3, 0], [4, 65535]], [[3, 40000], [4, 30000]], [], []],
};

test("runEpochs: each epoch runs on the state the previous one stored", () => {
  const runs = E.runEpochs(input, 3, { trace: true });
  assert.equal(runs.length, 3);
  assert.deepEqual(runs.map((r) => r.trace.activityCutoff), [10_000n, 10_000n, 10_000n]);
  let state = input;
  for (const [k, got] of runs.entries()) {
    const want = E.runEpoch(state, { trace: true });
    assert.deepEqual(got, want, `epoch ${k}`);
    state = {
      ...state, lastMechanismStepBlock: state.currentBlock, currentBlock: BigInt(state.currentBlock) + 11n,
      validatorPermit: want.validatorPermit, bonds: want.bonds, previousConsensus: want.consensus,
    };
  }
  assert.notDeepEqual(runs[0].bonds, runs[2].bonds, "yuma3 bonds grow");
  // Another cadence gives other blocks (bonds EMA steps are per epoch, so only the trace differs).
  const paced = E.runEpochs(input, 2, { blocksPerEpoch: 7n });
  assert.equal(paced.length, 2);
  assert.equal(paced[0].trace, undefined);
  assert.deepEqual(E.runEpochs(input, 0), []);
});

test("hyperparameters: defaults, checks and origins", () => {
  const d = E.defaultHyperparameters();
  assert.equal(d.tempo, 360);
  assert.equal(d.kappa, 32767);
  assert.equal(typeof d.bondsMovingAverage, "bigint");
  assert.equal(d.liquidAlphaConsensusMode, "auto");
  assert.equal(E.defaultHyperparameters("unit-test").maxAllowedValidators, 100);
  assert.deepEqual(E.defaultHyperparameters("new-subnet"), d);
  assert.throws(() => E.defaultHyperparameters("mainnet"), (e) => e.code === "OUT_OF_RANGE" && e.field === "kind");
  assert.equal(E.validateHyperparameters({ kappa: 40000 }), undefined);
  assert.throws(() => E.validateHyperparameters({ liquidAlphaEnabled: true, alphaLow: 1, alphaHigh: 60000 }), (e) => e.code === "INVALID_HYPERPARAMETER");
  assert.throws(() => E.validateHyperparameters({}, "sudo"), (e) => e.code === "OUT_OF_RANGE" && e.field === "origin");
});

test("bad input: coded errors naming the field, and the instance keeps working", () => {
  const cases = [
    [() => E.runEpochs(input, 10_001), "OUT_OF_RANGE", "count"],
    [() => E.runEpochs(input, -1), "NEGATIVE", "count"],
    [() => E.runEpoch({ ...input, alphaStake: [1n, "x"] }), "INVALID_TYPE", "input.alphaStake[1]"],
    [() => E.runEpoch({ ...input, weights: [[[3, 1, 2]], [], [], [], []] }), "LENGTH_MISMATCH", "input.weights[0][0]"],
    [() => E.runEpoch({ ...input, hyperparameters: { kappa: 70000 } }), "TOO_LARGE", "input.hyperparameters.kappa"],
    [() => E.runEpoch({ ...input, hyperparameters: { alphaSigmoidSteepness: 1.5 } }), "NOT_AN_INTEGER", "input.hyperparameters.alphaSigmoidSteepness"],
    [() => E.runEpoch({ ...input, hyperparameters: { liquidAlphaConsensusMode: "later" } }), "OUT_OF_RANGE", "input.hyperparameters.liquidAlphaConsensusMode"],
    [() => E.runEpoch({ ...input, commits: [{ uid: 0, commitBlock: 1, commitEpoch: 0, version: "V3" }] }), "OUT_OF_RANGE", "input.commits[0].version"],
    [() => E.runEpoch(input, { trace: 1 }), "INVALID_TYPE", "options.trace"],
    [() => E.runEpoch(input, 5), "INVALID_TYPE", "options"],
  ];
  for (const [f, code, field] of cases) {
    assert.throws(f, (e) => e instanceof Error && e.code === code && e.field === field, `${code} ${field}`);
  }
  assert.equal(E.runEpochs(input, 1).length, 1, "still usable");
});
