// The boundary never traps: every function export of the package's node entry, found by
// enumeration (not a hand list), is called with arbitrary argument lists of wrong JS types
// (fast-check, seeded, a fixed number of runs per export). After each call:
//   - no `WebAssembly.RuntimeError` (a trap) was thrown or rejected;
//   - whatever was thrown is an `Error` (or subclass) with a non-empty string `code`, a message
//     that does not repeat the code, and (for `INVALID_TYPE`) the `field` to blame;
//   - the instance still answers known good calls correctly.
// Handle families (`…Start` with `…Run`/`…Report`/`…Drop` …) are also driven with a live handle.
// A class export (`Capture`, `StakeModel`, `NetworkSim`, `RetentionMap`, `InferModel`) is
// constructed with `new`, and its methods are driven on a live instance; static methods are probed
// like functions.
// Returning normally for odd input is fine.
// (Over 500 lines: the good calls and valid constructions of every export live beside the
// property that abuses them, so a new export cannot be added without both.)
//
//   BOUNDARY_RUNS=200 node --test tests/js/boundary.test.mjs     # more runs per export
//   BOUNDARY_SURVEY=1 node --test tests/js/boundary.test.mjs     # count problems, never fail
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fc from "fast-check";
import { readFileSync } from "node:fs";

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.join(here, "../../pkg/node/index.js");
const RUNS = Number(process.env.BOUNDARY_RUNS ?? 200);
const SEED = Number(process.env.BOUNDARY_SEED ?? 20261206);
const SURVEY = process.env.BOUNDARY_SURVEY === "1";

// The entry re-exports the generated module; a fresh copy of that module (a new URL, so a new
// wasm instance) replaces one that a trap left in doubt. Only the survey mode goes on after one.
const base = await import(entry);
let engine = base;
const generated = path.join(here, "../../pkg/node/tao_engine.js");
let loads = 0;
const load = async () => ({ ...base, ...(await import(`${generated}?instance=${loads++}`)) });

const names = Object.keys(engine)
  .filter((k) => typeof engine[k] === "function")
  .sort();
const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));
// Call an export as JS would: a class with `new` (and the instance freed at once).
function invoke(e, name, args) {
  const f = e[name];
  if (!isClass(f)) return f(...args);
  const obj = new f(...args);
  obj.free?.();
  return undefined;
}

// Known good calls, checked after every abusive call (values from tests/js/engine.test.mjs).
function healthy(e) {
  assert.equal(e.blockEmission(0n), 1_000_000_000n, "blockEmission(0n) after the call");
  assert.equal(e.blockEmission("15750000000000000"), 250_000_000n, "blockEmission(decimal string)");
  assert.ok(e.knownTypes().length > 0, "knownTypes() after the call");
}

// ---- arbitrary values -------------------------------------------------------------------------

// Field names the exports read, so that nested objects reach past the first type check.
const keys = [
  "pool", "order", "amount", "amounts", "taoReserve", "alphaReserve", "feeRate", "netuid", "netuids",
  "era", "limit", "allowPartial", "origin", "destination", "targetPrice", "paths", "seed", "network",
  "horizonDays", "subnets", "maxUids", "specVersion", "kind", "weights", "uids", "values", "salt",
  "versionKey", "commitHash", "hotkey", "block", "source", "inputs", "outputs", "stake", "validators",
  "hyperparameters", "tempo", "n", "count", "pools", "ss58", "blockHash", "emission", "version",
];

const special = fc.constantFrom(
  NaN, Infinity, -Infinity, -0, 0, 1, -1, 1.5, -2.5, 255, 256, 65535, 65536, 2 ** 31, 2 ** 32,
  2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE,
  -(2 ** 53), 0n, 1n, -1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 128n, -(2n ** 64n),
  "", " ", "0", "-5", "1.5", "abc", "0x", "0xzz", "0x00", "0x0102", "[1,2]", "[", "{}", "null",
  "18446744073709551616", "weighted", "v3", "constant-product", "buy", "sell", "digits", "text",
  "simd", "scalar", "inputs", "outputs", "owner", "root", "raw", "vec_u8", "\u0000", "\ud800",
  "é€😀", true, false, null, undefined,
);

const fn = fc.constantFrom(() => 1, function named() {}, async () => 1, class K {}, Math.max);
const symbol = fc.constantFrom(Symbol("s"), Symbol.iterator, Symbol.for("x"));
const typedArray = fc.oneof(
  fc.uint8Array({ maxLength: 16 }),
  fc.float32Array({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  fc.int32Array({ maxLength: 8 }),
  fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { maxLength: 6 }).map((a) => BigUint64Array.from(a)),
  fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 8 }).map((a) => Uint16Array.from(a)),
  fc.constant(new ArrayBuffer(8)),
  fc.constant(new DataView(new ArrayBuffer(4))),
);
const scalar = fc.oneof(
  { weight: 4, arbitrary: special },
  fc.integer({ min: -10, max: 70_000 }),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string({ maxLength: 12 }),
  fn,
  symbol,
  fc.constantFrom(new Date(0), /re/, new Map([[1, 2]]), new Set([1]), new Error("plain"), Promise.resolve(1)),
);

const { value: anything } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: typedArray },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(special, { maxLength: 4 }) },
    {
      weight: 2,
      arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), tie("value"), {
        maxKeys: 5,
      }),
    },
  ),
}));

const argLists = (arity) => fc.array(anything, { maxLength: Math.max(arity, 1) + 2 });

// ---- one call ---------------------------------------------------------------------------------

const tally = {
  exports: new Set(),
  calls: 0,
  traps: 0,
  codeless: 0,
  badMessage: 0,
  fieldless: 0,
  unhealthy: 0,
  returned: 0,
  codes: new Map(),
  byExport: new Map(),
};
const counts = (name) => {
  if (!tally.byExport.has(name)) tally.byExport.set(name, { traps: 0, codeless: 0, badMessage: 0, fieldless: 0, unhealthy: 0, examples: [] });
  return tally.byExport.get(name);
};

const show = (v) => {
  try {
    return fc.stringify(v);
  } catch {
    return String(v);
  }
};

// Handles that an abusive `…Start`/`…Restore` call happened to open are released at once, so a
// later arbitrary id never finds a long run to advance.
const dropperOf = (name) => {
  const m = /^(.*)(Start|Restore)$/.exec(name);
  return m && typeof engine[`${m[1]}Drop`] === "function" ? `${m[1]}Drop` : null;
};

async function probe(name, args, call = (e) => invoke(e, name, args)) {
  tally.exports.add(name);
  tally.calls += 1;
  let thrown = null;
  let threw = false;
  try {
    let out = call(engine);
    if (out && typeof out.then === "function") out = await out;
    const drop = dropperOf(name);
    if (drop && typeof out === "number") engine[drop](out);
  } catch (e) {
    threw = true;
    thrown = e;
  }
  if (!threw) tally.returned += 1;
  else tally.codes.set(String(thrown?.code), (tally.codes.get(String(thrown?.code)) ?? 0) + 1);
  const problems = [];
  if (threw && thrown instanceof WebAssembly.RuntimeError) {
    tally.traps += 1;
    counts(name).traps += 1;
    problems.push(`trap: ${thrown.message}`);
  } else if (threw && !(thrown instanceof Error && typeof thrown.code === "string" && thrown.code.length > 0)) {
    tally.codeless += 1;
    counts(name).codeless += 1;
    problems.push(`throw without a code: ${thrown?.constructor?.name}: ${String(thrown?.message ?? thrown)}`);
  } else if (threw && (!thrown.message || thrown.message.startsWith(thrown.code))) {
    tally.badMessage += 1;
    counts(name).badMessage += 1;
    problems.push(`${thrown.code}: the message is empty or repeats the code: ${JSON.stringify(thrown.message)}`);
  } else if (threw && thrown.code === "INVALID_TYPE" && !(typeof thrown.field === "string" && thrown.field)) {
    tally.fieldless += 1;
    counts(name).fieldless += 1;
    problems.push(`INVALID_TYPE without a field: ${thrown.message}`);
  }
  try {
    healthy(engine);
  } catch (e) {
    tally.unhealthy += 1;
    counts(name).unhealthy += 1;
    problems.push(`instance unhealthy afterwards: ${e.message}`);
  }
  if (problems.length > 0) {
    const seen = counts(name).examples;
    if (seen.length < 3) seen.push(`${name}(${args.map(show).join(", ")}): ${problems.join("; ")}`);
    // A trap may leave the instance broken: carry on with a fresh one.
    if (problems.some((x) => x.startsWith("trap") || x.startsWith("instance unhealthy"))) engine = await load();
  }
  return problems;
}

const settings = (name) => ({ seed: SEED ^ hash(name), numRuns: RUNS, endOnFailure: true });

function hash(s) {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h | 0;
}

async function check(name, args, call) {
  const problems = await probe(name, args, call);
  if (!SURVEY) assert.deepEqual(problems, [], `${name}(${args.map(show).join(", ")})`);
}

test("the node entry exports functions to abuse", () => {
  assert.ok(names.length >= 60, `${names.length} function exports`);
  assert.ok(names.includes("blockEmission"));
  healthy(engine);
});

for (const name of names) {
  test(`${name}: arbitrary arguments never trap and every throw has a code`, async () => {
    await fc.assert(
      fc.asyncProperty(argLists(engine[name].length), (args) => check(name, args)),
      settings(name),
    );
  });
}

// ---- good calls with one part replaced -------------------------------------------------------

// Arbitrary arguments are mostly refused at the first one. To reach the checks behind it, some
// good calls (from the other tests) get one argument, or one field or element at any depth,
// replaced by an arbitrary value. This table only feeds that deeper probe; the coverage of
// every export is the enumeration above.
// The chain's epoch scenario as a capture pair (tests/replay_epoch.rs), for the Capture class.
const readJson = (f) => JSON.parse(readFileSync(path.join(here, "../../data/replay", f), "utf8"));
const EPOCH_PARENT = readJson("epoch_scenario_active_stake_parent.json");
const EPOCH_CHILD = readJson("epoch_scenario_active_stake_child.json");
const SN1 = { taoReserve: 2_906_983_385_178_101n, alphaReserve: 4_293_826_245_683_934n, netuid: 1 };
const TAO = 1_000_000_000n;
// A reduced default network (fast to build) for the simulator's classes.
const small = { subnets: 8, maxUids: 16, sn1Uids: 64 };
// Timelocked commits made by bittensor-drand and the drand pulses that open them (the Verify page's demo).
const TL = await import(path.join(here, "../../www/src/verify/timelock-demo.js"));
const reveal = {
  hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", netuidIndex: 1, uids: [0, 1, 2],
  values: [65535, 32768, 1], salt: [1, 2, 3, 4, 5, 6, 7, 8], versionKey: 0n,
  commitHash: "0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d",
};
// One NeuronInfoLite (Vec of 1): keys, uid 1, netuid 1, active, zero axon and prometheus, one
// stake entry of 2 rao, eight compact zeros, permit, pruning score 65535.
const oneNeuron = "0x04" + "11".repeat(32) + "22".repeat(32) + "040401" + "00".repeat(34 + 31) +
  "04" + "33".repeat(32) + "08" + "00".repeat(8) + "01" + "feff0300";
// Two halves of a small stake-model run, as a Web Worker pool would post them back.
const stakeShard = (pathStart) => {
  const model = new base.StakeModel({ amount: 100_000_000_000n, netuids: [1], horizonDays: 1, paths: 2, seed: 3, pathStart, pathCount: 1, network: { subnets: 8, maxUids: 16, sn1Uids: 64 } });
  model.run(1);
  const partial = model.partial();
  model.free();
  return partial;
};

const goodCalls = {
  stakeModelMerge: [[stakeShard(1), stakeShard(0)]],
  stakeModelShards: [10, 4],
  blockEmission: [0n],
  blockEmissionBatch: [[0n, "15750000000000000", 5]],
  halvingSchedule: [3],
  poolQuote: [{ pool: SN1, order: "buy", amount: TAO }],
  slippageCurve: [{ pool: SN1, order: "sell", maxAmount: TAO, points: 8, logarithmic: true }],
  amountForPrice: [{ pool: SN1, order: "buy", targetPrice: 1_000_000_000n }],
  roundTrip: [{ pool: SN1, amount: 100n * TAO, era: "constant-product" }],
  addStake: [{ pool: SN1, amount: 10n * TAO, limitPrice: 10n ** 12n, allowPartial: true }],
  removeStake: [{ pool: SN1, amount: TAO, allowPartial: false }],
  maxAmount: [{ pool: SN1, order: "sell", limitPrice: 1n }],
  moveStake: [{ origin: SN1, destination: { ...SN1, netuid: 2 }, amount: TAO }],
  quoteAmounts: [{ pool: SN1, order: "sell", amounts: [TAO, 0n] }],
  quotePools: [{ pools: [SN1, { taoReserve: 0n, alphaReserve: 5n }], order: "buy", amount: TAO }],
  quoteOutputs: [SN1, "buy", new BigUint64Array([TAO, 2n * TAO])],
  checkReveal: [reveal],
  verifyDrandPulse: [TL.DEMO_PULSES[0]],
  decryptTimelockedCommit: [TL.DEMO_COMMITS[0].ciphertext, 1000n, TL.DEMO_PULSES[0], TL.DEMO_COMMITS[0].hotkey],
  // One queued commit: (who, commit block 1, 2 ciphertext bytes, round 1000).
  decodeTimelockedCommits: [Uint8Array.from([4, ...new Array(32).fill(7), 1, 0, 0, 0, 0, 0, 0, 0, 8, 1, 2, 232, 3, 0, 0, 0, 0, 0, 0])],
  previewNextEpoch: [TL.DEMO_SUBNET, TL.DEMO_COMMITS.slice(0, 1), TL.DEMO_PULSES.slice(0, 1)],
  normaliseWeights: [[0, 1, 2], [1, 0.5, 0]],
  chainMaxUpscale: [[1, 2]],
  decodeType: ["Vec<u16>", "0x080100ffff", "raw", { ss58: true }],
  decodeColumns: ["Vec<NeuronInfoLite>", oneNeuron, "raw", { ss58: true, accounts: "bytes" }],
  storageKey: ["Weights", [23, 10]],
  decodeStorageValue: ["Tempo", "0x6801", undefined],
  snapshotNew: [1, 100, { emission: 5n, source: { kind: "test", description: "d" }, specVersion: 473 }],
  runtimeRules: [{ specVersion: 473 }],
  validateHyperparameters: [{ liquidAlphaEnabled: true, alphaLow: 2000, alphaHigh: 60000 }, "root"],
  defaultHyperparameters: ["unit-test"],
  digitChallenges: [7n, 4],
  textChallenges: [7n, 4, 8],
  trimContext: [[1, 2, 3, 4], 2, 1],
  scoreAnswers: ["digits", new Float32Array(20), [1, 2], [1, 0]],
  denseCpu: ["scalar", [1, 2], 1, 2, [3, 4], 1, [0.5], true],
  textDecode: [[1, 2, 3]],
  networkSubnets: [{ subnets: 8, maxUids: 16, sn1Uids: 64 }],
  yumaVersions: [{
    version: "yuma3-liquid", params: { kappa: 0.5, bond_moving_avg: 0.975, liquid_alpha: true, liquid_alpha_consensus_mode: "MIXED" },
    num_validators: 2, num_servers: 2, use_full_matrices: true, reset_bonds: { epoch: 1, index: 1 },
    epochs: [
      { weights: [[0, 0, 1, 0], [0, 0, 0.5, 0.5], [0, 0, 0, 0], [0, 0, 0, 0]], stakes: [0.75, 0.25, 0, 0] },
      { weights: [[0, 0, 0, 1], [0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]], stakes: [0.75, 0.25, 0, 0] },
    ],
  }],
  stakeReturn: [{ amount: 100_000_000_000n, netuids: [1], horizonDays: 1, paths: 1, seed: 3, network: { subnets: 8, maxUids: 16, sn1Uids: 64 } }],
  Capture: [EPOCH_PARENT],
  InferModel: ["text-bigram"],
};

// Every place in an argument list: [i], [i, key], [i, key, key] ...
function places(value, at = []) {
  const out = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...places(v, [...at, i])));
  else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) out.push(...places(v, [...at, k]));
  }
  return out;
}

function replaced(value, [key, ...rest], by) {
  if (key === undefined) return by;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  copy[key] = replaced(value[key], rest, by);
  return copy;
}

test("the good calls are good", () => {
  for (const [name, args] of Object.entries(goodCalls)) {
    assert.ok(names.includes(name), `${name} is an export`);
    assert.doesNotThrow(() => invoke(engine, name, args), name);
  }
});

for (const [name, args] of Object.entries(goodCalls)) {
  test(`${name}: a good call with one part replaced never traps and throws only coded errors`, async () => {
    const where = places(args);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...where), anything, (place, value) => check(name, replaced(args, place, value))),
      { ...settings(`${name}/near`), numRuns: RUNS },
    );
  });
}

// ---- the contract on a few former trap sites -------------------------------------------------

function throwsCode(f, code, field) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Error, `${e?.constructor?.name}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field, e.message);
    return true;
  });
}

test("wrong JS types and sizes are coded errors naming the field, not traps", () => {
  const e = engine;
  throwsCode(() => e.textEncode(42), "INVALID_TYPE", "s");
  throwsCode(() => e.textDecode("abc"), "INVALID_TYPE", "ids");
  throwsCode(() => e.textDecode([1, 256]), "OUT_OF_RANGE", "ids[1]");
  throwsCode(() => e.decodeType(Symbol("x"), "0x00"), "INVALID_TYPE", "typeName");
  throwsCode(() => e.decodeType("u8", "0x00", 7), "INVALID_TYPE", "wrapping");
  throwsCode(() => e.decodeColumns(Symbol("x"), "0x00"), "INVALID_TYPE", "typeName");
  throwsCode(() => e.decodeColumns("Vec<u16>", "0x00"), "UNSUPPORTED", "typeName");
  throwsCode(() => e.decodeColumns("Vec<NeuronInfoLite>", oneNeuron, "raw", { ss58: "yes" }), "INVALID_TYPE", "options.ss58");
  throwsCode(() => e.storageKey("Tempo", "not an array"), "INVALID_TYPE", "keys");
  throwsCode(() => e.snapshotNew(65536, 1), "TOO_LARGE", "netuid");
  throwsCode(() => e.blockEmissionBatch([1n, "x"]), "INVALID_TYPE", "issuances[1]");
  throwsCode(() => e.blockEmissionBatch(undefined), "INVALID_TYPE", "issuances");
  throwsCode(() => e.halvingSchedule({}), "INVALID_TYPE", "maxSteps");
  throwsCode(() => e.chainMaxUpscale([1, 70_000]), "OUT_OF_RANGE", "values[1]");
  throwsCode(() => e.normaliseWeights([0], ["1"]), "INVALID_TYPE", "weights[0]");
  const model = new e.StakeModel({ amount: 100_000_000_000n, netuids: [1], horizonDays: 1, paths: 1, network: small });
  throwsCode(() => model.run(1.5), "NOT_AN_INTEGER", "n");
  model.free();
  throwsCode(() => new e.NetworkSim(small, 7n, -1), "NEGATIVE", "blocks");
  throwsCode(() => e.NetworkSim.restore(null), "INVALID_TYPE", "text");
  throwsCode(() => e.runEpochs(undefined, 1n), "INVALID_TYPE", "input");
  throwsCode(() => new e.InferModel("digits-s").runCpu(new Float32Array(64), 1, 5), "INVALID_TYPE", "kernel");
  // Sizes that would exhaust memory are refused before anything is allocated.
  throwsCode(() => e.denseCpu("simd", [], 2 ** 32 - 1, 0, [], 1, [0], false), "OUT_OF_RANGE", "m");
  throwsCode(() => e.denseCpu("simd", [1, 2], 1, 2, [1, 2], 1, [0], 1), "INVALID_TYPE", "relu");
  throwsCode(() => e.benchYumaEpoch(8, 4, true, 2 ** 32 - 1), "OUT_OF_RANGE", "runs");
  throwsCode(() => e.benchYumaEpoch(65_535, 65_535, true, 1), "TOO_MANY_UIDS", "n");
  throwsCode(() => e.benchYumaEpoch(8, 4, 1, 1), "INVALID_TYPE", "liquidAlpha");
  throwsCode(() => e.benchEpochKernels(8, 4, 2 ** 32 - 1), "OUT_OF_RANGE", "runs");
  throwsCode(() => e.benchEpochKernels(4096, 4096, 1), "OUT_OF_RANGE", "validators");
  throwsCode(() => e.benchEpochKernels(8, {}, 1), "INVALID_TYPE", "validators");
  healthy(e);
});

test("the accepted forms still work: typed arrays, plain arrays, optional arguments", () => {
  const e = engine;
  assert.deepEqual([...e.blockEmissionBatch([0, "15750000000000000", 10_500_000_000_000_000n])], [1_000_000_000n, 250_000_000n, 500_000_000n]);
  assert.deepEqual([...e.blockEmissionBatch(new BigUint64Array([0n]))], [1_000_000_000n]);
  assert.equal(e.halvingSchedule().length, e.halvingSchedule(null).length);
  assert.equal(e.halvingSchedule(3).length, 3);
  assert.deepEqual([...e.chainMaxUpscale([1, 2])], [32768, 65535]);
  assert.equal(e.textDecode(e.textEncode("hello")), "hello");
  assert.equal(e.decodeColumns("Vec<NeuronInfoLite>", oneNeuron).columns.pruning_score[0], 65535);
  assert.equal(e.textDecode([...e.textEncode("hello")]), "hello");
  assert.deepEqual([...e.denseCpu("scalar", [1, 2], 1, 2, new Float32Array([3, 4]), 1, [0.5], false)], [11.5]);
  const snap = e.snapshotNew(1, 100);
  assert.equal(e.snapshotInsert(snap, "inputs", new Map()), e.snapshotInsert(snap, "inputs", []));
});

// ---- handle families with a live handle -------------------------------------------------------

// A valid start for each family; every `…Start` export must have one here.
// (None left: the stake model and the network simulation are classes now.)
const starts = {};

test("every handle family has a valid start", () => {
  const families = names.filter((n) => n.endsWith("Start")).map((n) => n.slice(0, -"Start".length));
  assert.deepEqual(families.sort(), Object.keys(starts).sort());
});

for (const [family, start] of Object.entries(starts)) {
  for (const name of names.filter((n) => n.startsWith(family) && !n.endsWith("Start"))) {
    test(`${name} with a live ${family} handle and arbitrary further arguments`, async () => {
      const rest = fc.array(anything, { maxLength: Math.max(engine[name].length - 1, 0) + 2 });
      await fc.assert(
        fc.asyncProperty(rest, async (more) => {
          const id = start(engine);
          assert.equal(typeof id, "number");
          try {
            await check(name, [id, ...more]);
          } finally {
            engine[`${family}Drop`]?.(id);
          }
        }),
        { ...settings(name), numRuns: Math.ceil(RUNS / 3) },
      );
    });
  }
}

// ---- class exports: methods on a live instance -------------------------------------------------

// A valid construction for each class export; every class must have one here.
const instances = {
  Capture: (e) => new e.Capture(EPOCH_PARENT),
  StakeModel: (e) => new e.StakeModel({ amount: 100_000_000_000n, netuids: [1], horizonDays: 2, paths: 2, seed: 3, network: small }),
  NetworkSim: (e) => new e.NetworkSim(small, 7n, 5),
  RetentionMap: (e) => new e.RetentionMap(),
  InferModel: (e) => new e.InferModel("digits-s"),
};
// Good method calls, each probed with one part replaced (as the good calls above).
const goodMethodCalls = {
  Capture: {
    epoch: [1, EPOCH_CHILD, { emission: 1_000_000_000n }],
    quote: [1, { buy: 1_000_000_000n }],
    nextBlock: [{ ...EPOCH_PARENT, block: EPOCH_PARENT.block + 1 }],
  },
  StakeModel: { run: [1] },
  NetworkSim: { run: [3] },
  RetentionMap: { cells: [{ networkN: 16, validatorsN: 4, seed: 7, stakesMilli: [600], steps: 2, start: 1, count: 3 }] },
  InferModel: {
    runCpu: [new Float32Array(128), 2, "scalar"],
  },
};
// Static methods of class exports (not on the prototype), probed like the functions.
const statics = { NetworkSim: ["restore"], InferModel: ["fromBytes"] };
for (const [cls, methods] of Object.entries(statics)) {
  for (const method of methods) {
    test(`${cls}.${method}: arbitrary arguments never trap and every throw has a code`, async () => {
      await fc.assert(
        fc.asyncProperty(argLists(engine[cls][method].length), (args) => check(`${cls}.${method}`, args, (e) => {
          const out = e[cls][method](...args);
          out?.free?.();
          return undefined;
        })),
        settings(`${cls}.${method}`),
      );
    });
  }
}
const classNames = names.filter((n) => isClass(engine[n]));

test("every class export has a valid construction", () => {
  assert.deepEqual([...classNames].sort(), Object.keys(instances).sort());
});

const methodsOf = (cls) => Object.getOwnPropertyNames(cls.prototype)
  .filter((m) => m !== "constructor" && !m.startsWith("__") && typeof Object.getOwnPropertyDescriptor(cls.prototype, m).value === "function");

for (const cls of classNames) {
  for (const method of methodsOf(engine[cls]).filter((m) => m !== "free")) {
    const label = `${cls}.${method}`;
    const callOn = async (args) => {
      const obj = instances[cls](engine);
      try {
        await check(label, args, () => obj[method](...args));
      } finally {
        obj.free();
      }
    };
    test(`${label} on a live instance: arbitrary arguments never trap and every throw has a code`, async () => {
      await fc.assert(
        fc.asyncProperty(argLists(engine[cls].prototype[method].length), (args) => callOn(args)),
        { ...settings(label), numRuns: Math.ceil(RUNS / 2) },
      );
    });
    const good = goodMethodCalls[cls]?.[method];
    if (good) {
      test(`${label}: a good call with one part replaced never traps and throws only coded errors`, async () => {
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...places(good)), anything, (place, value) => callOn(replaced(good, place, value))),
          { ...settings(`${label}/near`), numRuns: Math.ceil(RUNS / 2) },
        );
      });
    }
  }
}

after(() => {
  const lines = [...tally.byExport.entries()].flatMap(([name, c]) => [
    `${name}: traps ${c.traps}, throws without a code ${c.codeless}, messages repeating the code ${c.badMessage}, ` +
      `INVALID_TYPE without a field ${c.fieldless}, unhealthy ${c.unhealthy}`,
    ...c.examples.map((x) => `  ${x}`),
  ]);
  console.log(
    `[boundary] exports ${tally.exports.size}, calls ${tally.calls}, traps ${tally.traps}, ` +
      `throws without a code ${tally.codeless}, messages repeating the code ${tally.badMessage}, ` +
      `INVALID_TYPE without a field ${tally.fieldless}, unhealthy afterwards ${tally.unhealthy}, ` +
      `exports with problems ${tally.byExport.size}`,
  );
  const codes = [...tally.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
  console.log(`[boundary] returned normally ${tally.returned}; thrown codes: ${codes.join(", ")}`);
  for (const l of lines.slice(0, SURVEY ? 1000 : 40)) console.log(`[boundary]   ${l.slice(0, 400)}`);
});
