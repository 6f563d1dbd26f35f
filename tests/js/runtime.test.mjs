// Rules by runtime version at the package boundary: every result says which runtime's rules
// produced it, an unknown spec is refused with UNSUPPORTED_RUNTIME (naming the newest known spec)
// unless the caller accepts the nearest known rules, and then the result says `approximate`.
// The rule boundaries themselves are unit-tested in src/runtime/rules.rs; here the contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const E = await import(path.join(root, "pkg/node/index.js"));

const known = E.knownRuntimes();
const NEWEST = known.newest;
const UNKNOWN = NEWEST + 1;

function unsupported(fn) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, "UNSUPPORTED_RUNTIME", e.message);
    assert.equal(e.field, "specVersion");
    assert.match(e.message, new RegExp(String(NEWEST)));
    return true;
  });
}

const epochInput = {
  n: 3, currentBlock: 1000n, emission: 1_000_000_000n,
  alphaStake: [1_000_000_000n, 0n, 0n], blockAtRegistration: [0, 0, 0],
  lastUpdate: [999, 999, 999], validatorPermit: [true, false, false],
  weights: [[[1, 65535]], [], []],
};
const quote = { pool: { taoReserve: 10n ** 13n, alphaReserve: 10n ** 14n }, order: "buy", amount: 10n ** 9n };

test("the timeline: 423 to 475, every boundary listed, grades A/B/C", () => {
  assert.equal(known.oldest, 423);
  assert.equal(NEWEST, 475);
  for (const s of [432, 436, 440, 441, 442, 444, 445, 446, 448, 458, 467, 468, 469, 473]) {
    assert.ok(known.boundaries.includes(s), `boundary ${s}`);
  }
  for (const r of known.timeline) assert.match(r.evidence, /^[ABC]$/);
  for (const r of known.timeline) assert.ok(r.fromSpec >= known.oldest && (r.untilSpec === undefined || r.untilSpec >= r.fromSpec), r.feature);
  for (const [spec, date] of known.liveDates) assert.ok(Number.isInteger(spec) && /^\d{4}-\d{2}-\d{2}$/.test(date), `${spec} ${date}`);
  const newest = E.runtimeRules();
  assert.equal(newest.liveSince, known.liveDates.find(([s]) => s === newest.rulesSpec)?.[1]);
});

test("runtimeRules: the rules switch at their specs; the default is the newest runtime", () => {
  assert.equal(E.runtimeRules().specVersion, NEWEST);
  assert.equal(E.runtimeRules({ specVersion: 439 }).gate, "off");
  assert.equal(E.runtimeRules({ specVersion: 440 }).gate, "q_mass");
  assert.equal(E.runtimeRules({ specVersion: 441 }).gate, "rank_or_q_mass");
  assert.equal(E.runtimeRules({ specVersion: 444 }).shares, "price");
  assert.equal(E.runtimeRules({ specVersion: 445 }).shares, "price_burn");
  assert.equal(E.runtimeRules({ specVersion: 475 }).poolCurve, "balancer");
  assert.equal(E.runtimeRules({ specVersion: 475, swapSuperellipse: true }).poolCurve, "superellipse");
  unsupported(() => E.runtimeRules({ specVersion: UNKNOWN }));
  assert.equal(E.runtimeRules({ specVersion: 423 }).shares, "root_prop_price_burn");
  assert.equal(E.runtimeRules({ specVersion: 423 }).balancerSwapGuards, false);
  assert.equal(E.runtimeRules({ specVersion: 424 }).balancerSwapGuards, true);
  unsupported(() => E.runtimeRules({ specVersion: 422 }));
});

test("runEpoch: specVersion chooses the rules, unknown specs are refused or approximate", () => {
  const r = E.runEpoch(epochInput);
  assert.equal(r.runtime.specVersion, NEWEST);
  assert.equal(r.runtime.approximate, false);
  assert.equal(E.runEpoch(epochInput, { specVersion: 440 }).runtime.specVersion, 440);
  unsupported(() => E.runEpoch(epochInput, { specVersion: UNKNOWN }));
  const a = E.runEpoch(epochInput, { specVersion: UNKNOWN, acceptApproximate: true });
  assert.equal(a.runtime.approximate, true);
  assert.equal(a.runtime.rulesSpec, NEWEST);
  assert.ok(a.runtime.unknownChanges.length > 0);
  // Same math either way for a subnet without liquid alpha.
  assert.deepEqual(a.incentive, r.incentive);
});

test("runEpoch: from spec 446, liquid alpha with bonds penalty 1 reads the stored consensus (Auto)", () => {
  const n = 4;
  const input = {
    n, currentBlock: 1000n, emission: 1_000_000_000n,
    alphaStake: [4_000_000_000n, 3_000_000_000n, 0n, 0n], blockAtRegistration: [0, 0, 0, 0],
    lastUpdate: [999, 999, 999, 999], validatorPermit: [true, true, false, false],
    weights: [[[2, 40000], [3, 25535]], [[2, 10000], [3, 55535]], [], []],
    bonds: [[[2, 1000], [3, 1000]], [[2, 1000], [3, 1000]], [], []],
    hyperparameters: { yuma3Enabled: true, liquidAlphaEnabled: true, bondsPenalty: 65535, alphaLow: 6553, alphaHigh: 58982 },
    previousConsensus: [0, 0, 65535, 1000],
  };
  const before = E.runEpoch(input, { specVersion: 445 });
  const after = E.runEpoch(input, { specVersion: 446 });
  const current = E.runEpoch({ ...input, hyperparameters: { ...input.hyperparameters, liquidAlphaConsensusMode: "current" } }, { specVersion: 446 });
  // 445 has no mode: the fresh consensus, as "current" does at 446.
  assert.deepEqual(before.bonds, current.bonds);
  assert.notDeepEqual(after.bonds, before.bonds);
});

test("poolQuote and the stake model report their runtime and refuse unknown specs", () => {
  const q = E.poolQuote({ ...quote, specVersion: 473 });
  assert.equal(q.runtime.specVersion, 473);
  assert.equal(q.amountOut, E.poolQuote(quote).amountOut);
  unsupported(() => E.poolQuote({ ...quote, specVersion: UNKNOWN }));
  assert.equal(E.poolQuote({ ...quote, specVersion: UNKNOWN, acceptApproximate: true }).runtime.approximate, true);
  const s = { amount: 10n ** 11n, netuids: [1], horizonDays: 2, paths: 2 };
  assert.equal(E.stakeReturn(s).runtime.specVersion, NEWEST);
  unsupported(() => E.stakeReturn({ ...s, specVersion: UNKNOWN }));
  const approx = E.stakeReturn({ ...s, specVersion: UNKNOWN, acceptApproximate: true });
  assert.equal(approx.runtime.approximate, true);
  assert.equal(E.stakeReturn({ ...s, specVersion: 439 }).runtime.specVersion, 439);
});

test("results on the network model list the runtime's rules that model leaves out; exact ones list none", () => {
  const s = { amount: 10n ** 11n, netuids: [1], horizonDays: 2, paths: 2 };
  const newest = E.stakeReturn(s).runtime.notModelled;
  assert.ok(newest.some((r) => r.startsWith("Root Reborn funds (441+)")), newest.join("; "));
  assert.ok(newest.some((r) => r.startsWith("the share-pool value cap (458+)")), newest.join("; "));
  // At 440 the payout is the model's own; only the collateral (436+) is left out.
  assert.deepEqual(E.stakeReturn({ ...s, specVersion: 440 }).runtime.notModelled.map((r) => r.split(" (")[0]), ["miner registration collateral"]);
  assert.deepEqual(E.stakeReturn({ ...s, specVersion: 432 }).runtime.notModelled, []);
  const sim = new E.NetworkSim({ subnets: 4, tempo: 20 }, 7n, 10);
  try {
    const summary = sim.summary();
    assert.equal(summary.runtime.specVersion, NEWEST);
    assert.deepEqual(summary.runtime.notModelled, newest);
    sim.run(5);
    const restored = E.NetworkSim.restore(sim.save());
    assert.deepEqual(restored.summary().runtime, summary.runtime);
    restored.free();
  } finally {
    sim.free();
  }
  // An epoch and a quote apply every rule of their runtime.
  assert.deepEqual(E.runEpoch(epochInput).runtime.notModelled, []);
  assert.deepEqual(E.poolQuote(quote).runtime.notModelled, []);
  assert.deepEqual(E.runtimeRules().notModelled, []);
});
