// The pool and staking API of the built package (pkg/node): quotes in every era, curves, the
// inverse, round trips, limit orders, moves, batches; the error contract (code + field) and the
// instance still working after an error. Expected values come from the chain's pool vectors
// (tests/fixtures/pool) or from relations the chain's rules imply, never from this engine's output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const E = await import(path.join(root, "pkg/node/index.js"));

// SN1 at finney block 6852344 (tests/fixtures/chain/finney_b6852344_sn1_metagraph.json).
const sn1Fixture = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"), "utf8")).derived;
const SN1 = { taoReserve: BigInt(sn1Fixture.tao_in), alphaReserve: BigInt(sn1Fixture.alpha_in), netuid: 1 };
const TAO = 1_000_000_000n;

function throwsCode(fn, code, field, cls = Error) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof cls, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, code, e.message);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    return true;
  });
}

test("poolQuote matches the chain's swap vectors (swap-pool-basic: single swaps at w = 0.5)", () => {
  const file = JSON.parse(readFileSync(path.join(root, "tests/fixtures/pool/swap-pool-basic.json"), "utf8"));
  const env = file.environment;
  const pool = { taoReserve: BigInt(env.tao_reserve), alphaReserve: BigInt(env.alpha_reserve), feeRate: env.FeeRate };
  const swaps = file.cases.filter((c) => c.inputs.order !== undefined && c.expected.amount_paid_out !== undefined);
  assert.ok(swaps.length >= 2, "the fixture has swap cases");
  for (const c of swaps) {
    const order = /buy/i.test(c.inputs.order) ? "buy" : "sell";
    const limitPrice = c.inputs.limit_price === undefined ? undefined : BigInt(Math.round(Number(c.inputs.limit_price) * 1e9));
    const q = E.poolQuote({ pool, order, amount: BigInt(c.inputs.amount), limitPrice });
    const want = BigInt(c.expected.amount_paid_out);
    const eps = BigInt(c.assertion?.epsilon ?? "0");
    const d = q.amountOut > want ? q.amountOut - want : want - q.amountOut;
    assert.ok(d <= eps, `${c.name}: ${q.amountOut} vs ${want} ± ${eps}`);
    if (c.derived?.fee_paid !== undefined) assert.equal(q.fee, BigInt(c.derived.fee_paid), `${c.name}: fee`);
    if (c.expected.reserve_delta_in !== undefined) assert.equal(q.amountPaidIn, BigInt(c.expected.reserve_delta_in), `${c.name}: net in`);
    assert.ok(order === "buy" ? q.priceAfterRao > q.spotPriceRao : q.priceAfterRao < q.spotPriceRao, `${c.name}: price moves`);
  }
});

test("poolQuote: fields are bigints; fee is floor(amount × 33/65535); quotes are pure", () => {
  const amount = 100n * TAO;
  const q = E.poolQuote({ pool: SN1, order: "buy", amount });
  for (const k of ["amountIn", "amountPaidIn", "amountOut", "fee", "spotPriceRao", "priceAfterRao", "effectivePriceRao", "slippage", "refund"]) {
    assert.equal(typeof q[k], "bigint", k);
  }
  assert.equal(q.era, "weighted");
  assert.equal(q.fee, (amount * 33n) / 65535n);
  assert.equal(q.amountPaidIn, amount - q.fee);
  assert.equal(q.spotPriceRao, (SN1.taoReserve * TAO) / SN1.alphaReserve); // 50/50: price = tao/alpha
  assert.ok(q.priceAfterRao > q.spotPriceRao && q.priceImpact > 0);
  // With weights 1/2 the swap is constant product: out = floor(alpha × dt / (tao + dt)) up to the
  // fixed-point floor of the exponent (never above it).
  const cp = (SN1.alphaReserve * q.amountPaidIn) / (SN1.taoReserve + q.amountPaidIn);
  assert.ok(q.amountOut <= cp && cp - q.amountOut <= 2n, `${q.amountOut} vs ${cp}`);
  // Same input as a number and as a decimal string.
  assert.deepEqual(E.poolQuote({ pool: SN1, order: "buy", amount: 100_000_000_000 }), q);
  assert.deepEqual(E.poolQuote({ pool: { taoReserve: String(SN1.taoReserve), alphaReserve: String(SN1.alphaReserve) }, order: "buy", amount: "100000000000" }), q);
});

test("eras: the same trade under each set of rules; era by block/spec version through a schedule", () => {
  const amount = 500n * TAO;
  const by = Object.fromEntries(["weighted", "v3", "constant-product"].map((era) => [era, E.poolQuote({ pool: SN1, order: "buy", amount, era })]));
  assert.equal(by.v3.era, "v3");
  assert.equal(by["constant-product"].fee, 50_000n); // the launch pool's flat fee
  assert.equal(by.v3.fee, (amount * 33n) / 65535n);
  // Full-range v3 and the 50/50 weighted pool are both constant product; v3 starts from a
  // square-root price found by bisection to 10^-6, so they agree to about that.
  const d = by.v3.amountOut > by.weighted.amountOut ? by.v3.amountOut - by.weighted.amountOut : by.weighted.amountOut - by.v3.amountOut;
  assert.ok(d < by.weighted.amountOut / 10_000n, `${by.v3.amountOut} vs ${by.weighted.amountOut}`);
  assert.notEqual(by.v3.amountOut, by.weighted.amountOut, "different rules, different rounding");
  const schedule = [
    { block: 100, specVersion: 200, era: "constant-product" },
    { block: 5_000_000, specVersion: 290, era: "v3" },
    { block: 9_000_000, specVersion: 400, era: "weighted" },
  ];
  assert.equal(E.poolQuote({ pool: SN1, order: "buy", amount, block: 6_852_344, schedule }).era, "v3");
  assert.equal(E.poolQuote({ pool: SN1, order: "buy", amount, specVersion: 250, schedule }).era, "constant-product");
  assert.deepEqual(E.poolQuote({ pool: SN1, order: "buy", amount, block: 6_852_344, schedule }), by.v3);
  throwsCode(() => E.poolQuote({ pool: SN1, order: "buy", amount, block: 50, schedule }), "UNKNOWN_ERA", "block");
  throwsCode(() => E.poolQuote({ pool: SN1, order: "buy", amount, block: 6_852_344 }), "UNKNOWN_ERA", "schedule");
  throwsCode(() => E.poolQuote({ pool: SN1, order: "buy", amount, era: "stableswap" }), "UNKNOWN_ERA", "era");
});

test("slippageCurve: one call, each point equal to a single quote; batch functions agree", () => {
  const pts = E.slippageCurve({ pool: SN1, order: "sell", maxAmount: SN1.alphaReserve, points: 40, logarithmic: true });
  assert.equal(pts.length, 40);
  assert.equal(pts.at(-1).amountIn, SN1.alphaReserve);
  for (const p of [pts[0], pts[17], pts[39]]) {
    const q = E.poolQuote({ pool: SN1, order: "sell", amount: p.amountIn });
    assert.equal(p.amountOut, q.amountOut);
    assert.equal(p.effectivePriceRao, q.effectivePriceRao);
  }
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].amountOut >= pts[i - 1].amountOut, "monotone");
  const amounts = BigUint64Array.from(pts.map((p) => p.amountIn));
  const simd = E.quoteOutputs(SN1, "sell", amounts);
  const scalar = E.quoteOutputsScalar(SN1, "sell", amounts);
  assert.ok(simd instanceof BigUint64Array);
  assert.deepEqual(Array.from(simd), Array.from(scalar));
  assert.deepEqual(Array.from(simd), pts.map((p) => p.amountOut));
  const entries = E.quoteAmounts({ pool: SN1, order: "sell", amounts: [pts[3].amountIn, 0n] });
  assert.equal(entries[0].ok, true);
  assert.equal(entries[0].quote.amountOut, pts[3].amountOut);
  assert.deepEqual([entries[1].ok, entries[1].code], [false, "ZERO_AMOUNT"]);
  const other = { taoReserve: 10n ** 13n, alphaReserve: 10n ** 15n };
  const many = E.quotePools({ pools: [SN1, other, { taoReserve: 0n, alphaReserve: 5n }], order: "buy", amount: 10n * TAO });
  assert.equal(many[0].quote.amountOut, E.poolQuote({ pool: SN1, order: "buy", amount: 10n * TAO }).amountOut);
  assert.equal(many[1].quote.amountOut, E.poolQuote({ pool: other, order: "buy", amount: 10n * TAO }).amountOut);
  assert.deepEqual([many[2].ok, many[2].code], [false, "EMPTY_POOL"]);
});

test("amountForPrice moves the price to the target; roundTrip costs at least the fees", () => {
  const spot = E.poolQuote({ pool: SN1, order: "buy", amount: 1_000_000n }).spotPriceRao;
  const target = (spot * 11n) / 10n;
  const q = E.amountForPrice({ pool: SN1, order: "buy", targetPrice: target });
  assert.ok(q.priceAfterRao <= target && target - q.priceAfterRao <= 1n, `${q.priceAfterRao} vs ${target}`);
  throwsCode(() => E.amountForPrice({ pool: SN1, order: "buy", targetPrice: spot / 2n }), "LIMIT_NOT_FILLABLE", "targetPrice");
  const rt = E.roundTrip({ pool: SN1, amount: 100n * TAO });
  assert.equal(rt.taoIn, 100n * TAO);
  assert.equal(rt.cost, rt.taoIn - rt.taoOut);
  assert.ok(rt.cost >= (rt.taoIn * 33n) / 65535n, "at least the stake fee");
  assert.ok(rt.costFraction > 0 && rt.costFraction < 0.01);
  const cp = E.roundTrip({ pool: SN1, amount: 100n * TAO, era: "constant-product" });
  assert.equal(cp.era, "constant-product");
  assert.ok(cp.cost > 0n && cp.cost < cp.taoIn, "the launch pool keeps its flat fee in the pool: some comes back");
});

test("addStake / removeStake with a limit: partial fill vs fill-or-kill; maxAmount agrees", () => {
  const spot = E.poolQuote({ pool: SN1, order: "buy", amount: 1_000_000n }).spotPriceRao;
  const limitPrice = (spot * 1001n) / 1000n; // +0.1 %
  const max = E.maxAmount({ pool: SN1, order: "buy", limitPrice });
  assert.ok(max > 0n && max < 1000n * TAO);
  const big = 1000n * TAO;
  const part = E.addStake({ pool: SN1, amount: big, limitPrice, allowPartial: true });
  assert.equal(part.taoIn, max);
  assert.ok(part.poolAfter.priceRao <= limitPrice);
  throwsCode(() => E.addStake({ pool: SN1, amount: big, limitPrice, allowPartial: false }), "LIMIT_NOT_FILLABLE", "amount");
  const full = E.addStake({ pool: SN1, amount: 10n * TAO });
  assert.equal(full.alpha, E.poolQuote({ pool: SN1, order: "buy", amount: 10n * TAO }).amountOut);
  assert.equal(full.poolAfter.taoReserve, SN1.taoReserve + full.swap.amountPaidIn);
  const low = (spot * 999n) / 1000n;
  const maxSell = E.maxAmount({ pool: SN1, order: "sell", limitPrice: low });
  const un = E.removeStake({ pool: SN1, amount: maxSell * 3n, limitPrice: low, allowPartial: true });
  assert.equal(un.alphaIn - un.refund, maxSell);
  throwsCode(() => E.maxAmount({ pool: SN1, order: "buy", limitPrice: spot / 2n }), "LIMIT_NOT_FILLABLE", "limitPrice");
  throwsCode(() => E.addStake({ pool: SN1, amount: 1000n }), "OUT_OF_RANGE", "amount"); // below the minimum stake
});

test("moveStake: unstake on the origin, restake the TAO on the destination", () => {
  const other = { taoReserve: 10n ** 13n, alphaReserve: 10n ** 15n, netuid: 2 };
  const alpha = 1000n * TAO;
  const m = E.moveStake({ origin: SN1, destination: other, amount: alpha });
  assert.equal(m.unstake.tao, E.poolQuote({ pool: SN1, order: "sell", amount: alpha }).amountOut);
  assert.equal(m.tao, m.unstake.tao);
  assert.ok(m.stake.alpha > 0n);
  throwsCode(() => E.moveStake({ origin: SN1, destination: SN1, amount: alpha }), "OUT_OF_RANGE", "destination.netuid");
});

test("bad input: an Error with a code and the field; the instance keeps working", () => {
  const ok = () => E.poolQuote({ pool: SN1, order: "buy", amount: TAO });
  const before = ok();
  const cases = [
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: 0n }), "ZERO_AMOUNT", "amount"],
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: -5n }), "NEGATIVE", "amount", RangeError],
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: 2n ** 64n }), "TOO_LARGE", "amount", RangeError],
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: 1.5 }), "NOT_AN_INTEGER", "amount", RangeError],
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: "ten" }), "INVALID_TYPE", "amount"],
    [() => E.poolQuote({ pool: SN1, order: "buy" }), "MISSING_FIELD", "amount"],
    [() => E.poolQuote({ pool: SN1, order: "hold", amount: TAO }), "INVALID_TYPE", "order"],
    [() => E.poolQuote({ pool: { taoReserve: 0n, alphaReserve: 0n }, order: "buy", amount: TAO }), "EMPTY_POOL", "pool"],
    [() => E.poolQuote({ pool: { taoReserve: 10n ** 12n, alphaReserve: 999_999n }, order: "buy", amount: TAO }), "EMPTY_POOL", "pool"],
    [() => E.poolQuote({ pool: { taoReserve: -1n, alphaReserve: 5n }, order: "buy", amount: TAO }), "NEGATIVE", "pool.taoReserve", RangeError],
    [() => E.poolQuote({ pool: { alphaReserve: 5n }, order: "buy", amount: TAO }), "MISSING_FIELD", "pool.taoReserve"],
    [() => E.poolQuote({ pool: { ...SN1, quoteWeight: 10n ** 18n }, order: "buy", amount: TAO }), "OUT_OF_RANGE", "pool.quoteWeight", RangeError],
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: SN1.taoReserve * 1001n }), "TOO_LARGE", "amount", RangeError],
    [() => E.poolQuote({ pool: SN1, order: "buy", amount: TAO, limitPrice: 1n }), "LIMIT_NOT_FILLABLE", "limitPrice"],
    [() => E.poolQuote(null), "INVALID_TYPE", "request"],
    [() => E.poolQuote(42), "INVALID_TYPE", "request"],
    [() => E.slippageCurve({ pool: SN1, order: "buy", maxAmount: TAO, points: 5000 }), "OUT_OF_RANGE", "points", RangeError],
    [() => E.quoteOutputs({ taoReserve: 0n, alphaReserve: 1n }, "buy", new BigUint64Array([1n])), "EMPTY_POOL", "pool"],
    [() => E.quoteOutputs(SN1, "both", new BigUint64Array([1n])), "INVALID_TYPE", "order"],
  ];
  for (const [fn, code, field, cls] of cases) {
    throwsCode(fn, code, field, cls);
    assert.deepEqual(ok(), before, `still working after ${code}`);
  }
});
