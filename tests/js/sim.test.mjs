// The simulator and stake-return API of the built package (pkg/) under Node: determinism for a
// seed, the value split adding up, step-wise runs, strategies, save/restore, and coded errors
// that leave the instance usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const engine = await import(path.join(here, "../../pkg/node/index.js"));
const { stakeReturn, compareStrategies, networkSubnets } = engine;
const { StakeModel, NetworkSim } = engine;

const small = { subnets: 8, maxUids: 16, sn1Uids: 64 };
const input = { amount: 100_000_000_000n, netuids: [1], horizonDays: 10, paths: 6, seed: 3, network: small };

test("stakeReturn: bigint amounts, deterministic for a seed, split adds up", () => {
  const a = stakeReturn(input);
  const b = stakeReturn({ ...input, amount: "100000000000" });
  assert.deepEqual(a, b);
  assert.equal(typeof a.series[0].taoP50, "bigint");
  assert.equal(a.series.length, 11);
  const s = a.split;
  const final = a.amount - s.entryFee - s.entrySlippage + s.emissionYield + s.priceChange - s.exitFee - s.exitSlippage;
  const mean = a.series.at(-1).taoMean;
  assert.ok(final - mean <= 2n && mean - final <= 2n, `${final} vs ${mean}`);
  assert.ok(s.entryFee > 0n && s.emissionYield > 0n);
  assert.ok(a.apr > 0 && a.apy > a.apr);
  assert.ok(a.assumptions.length >= 5);
  const other = stakeReturn({ ...input, seed: 4 });
  assert.notDeepEqual(other.series.at(-1), a.series.at(-1));
});

test("a step-wise stake model ends equal to the one-shot call; bad arguments are coded errors", () => {
  const model = new StakeModel(input);
  const seen = [];
  for (;;) {
    const p = model.run(4);
    seen.push(p.done);
    if (p.done >= p.total) break;
  }
  assert.deepEqual(seen, [4, 6]);
  assert.deepEqual(model.report(), stakeReturn(input));
  assert.throws(() => model.run(-1), (e) => e.code === "NEGATIVE" && e.field === "n");
  assert.deepEqual(model.run(1), { done: 6, total: 6 }, "still usable");
  model.free();
  assert.throws(() => new StakeModel({ ...input, paths: 0 }), (e) => typeof e.code === "string");
});

test("compareStrategies and networkSubnets", () => {
  const r = compareStrategies({ ...input, paths: 2 }, 3);
  assert.deepEqual(r.map((s) => s.label), ["root", "subnet 1", "spread over 3"]);
  const root = r[0].report.series;
  assert.ok(root.every((p) => p.taoP10 === p.taoP90), "root has no price range");
  const rows = networkSubnets(small);
  assert.equal(rows.length, 8);
  assert.equal(rows[0].taoReserve, 22080655078468n, "SN1 from the mainnet snapshot");
  assert.deepEqual(rows.map((r) => r.synthetic), [false, true, true, true, true, true, true, true]);
  assert.match(rows[0].source, /real.*6852344/);
  assert.match(rows[3].source, /synthetic/);
});

test("stakeReturn names the synthetic subnets it ran on", () => {
  assert.deepEqual(stakeReturn({ ...input, paths: 1 }).syntheticNetuids, []);
  const r = stakeReturn({ ...input, paths: 1, netuids: [1, 3] });
  assert.deepEqual(r.syntheticNetuids, [3]);
  assert.match(r.assumptions[1], /SN3 is synthetic/);
});

test("network simulation: chunks, summary, save and restore", () => {
  const s = new NetworkSim({ subnets: 4, maxUids: 8, sn1Uids: 16, tempo: 10 }, 5n, 40);
  const start = s.summary();
  assert.equal(s.run(25).done, 25);
  const t = NetworkSim.restore(s.save());
  assert.ok(t instanceof NetworkSim && t !== s);
  assert.equal(s.run(100).done, 40);
  assert.equal(t.run(15).done, 40);
  assert.deepEqual(t.summary(), s.summary());
  const end = s.summary();
  assert.equal(end.block, start.block + 40n);
  assert.ok(end.stats.epochs > 0n && end.minted > start.minted);
  assert.deepEqual(end.subnets.map((p) => p.netuid), [1, 2, 3, 4]);
  assert.equal(typeof end.subnets[0].priceRao, "bigint");
  assert.throws(() => s.run("x"), (e) => e.code === "INVALID_TYPE" && e.field === "n");
  s.free();
  t.free();
  assert.throws(() => NetworkSim.restore("{"), (e) => e.code === "INVALID_JSON" && e.field === "text");
  assert.throws(() => new NetworkSim({ subnets: 200 }, 1n, 5), (e) => e.code === "OUT_OF_RANGE");
});

test("bad input throws coded errors and the instance keeps working", () => {
  const bad = [
    [{ ...input, amount: -1 }, RangeError, "NEGATIVE", "amount"],
    [{ ...input, amount: 0n }, Error, "ZERO_AMOUNT", "amount"],
    [{ ...input, amount: "x" }, Error, "INVALID_TYPE", "amount"],
    [{ ...input, netuids: [999] }, RangeError, "OUT_OF_RANGE", "netuid"],
    [{ ...input, horizonDays: 0 }, RangeError, "OUT_OF_RANGE", "horizonDays"],
    [{ ...input, paths: "many" }, Error, "INVALID_TYPE", "paths"],
    [{ ...input, flowDriftBps: 0.5 }, RangeError, "NOT_AN_INTEGER", "flowDriftBps"],
    [{ ...input, network: { maxUids: "x" } }, Error, "INVALID_TYPE", "network.maxUids"],
    [{ ...input, network: { subnets: 0 } }, RangeError, "OUT_OF_RANGE", "subnets"],
    [null, Error, "INVALID_TYPE", "input"],
  ];
  for (const [i, cls, code, field] of bad) {
    assert.throws(() => stakeReturn(i), (e) => {
      assert.ok(e instanceof cls, `${code}: ${e?.constructor?.name} ${e?.message}`);
      assert.equal(e.code, code);
      assert.equal(e.field, field);
      return true;
    });
  }
  assert.equal(stakeReturn(input).paths, 6);
});
