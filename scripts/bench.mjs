// Every figure of the speed issue in one run: native (release), wasm with SIMD (pkg/node), wasm
// without SIMD (target-bench/pkg-scalar/node) and the peers (yuma-simulation, bt-decode) when
// their Python venvs exist. Prints a Markdown table of medians and ratios and writes
// target-bench/bench.json. Driven by scripts/bench, which builds everything first.
//
//   node scripts/bench.mjs <native tao-bench binary>
//   env: RUNS (epochs/quote batches, default 25), YUMA_PY / BTDECODE_PY (python of each venv,
//        empty = peer unavailable), BLOCKS (network blocks per run, default 361 = one tempo),
//        BLOCK_RUNS (timed runs of the network, after one untimed run; default 5),
//        STAKE_SCALAR=1 (also time the stake model on the scalar build; ~20 s more),
//        STAKE_RUNS (runs of each stake row, alternating, median; default 1), WORKERS (threads of the parallel
//        stake row; default: the machine's cores), ONLY=stake (time only the stake rows; the
//        other keys of an existing bench.json are kept)
// The `kernel_*` rows time the epoch's simd128 lane kernels one by one inside wasm
// (`benchEpochKernels`, crates/tao-engine-wasm/src/bench_kernels.rs); `simd_speedup` has their
// scalar/SIMD ratios beside the whole workloads'. Both builds' epochs must digest the same.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { isDeepStrictEqual } from "node:util";
import path from "node:path";
import { root, loadBuilds, median, timeMs as timeJs, SN1, MIGRATED_WEIGHT as WEIGHTED, HALF_WEIGHT as HALF, amounts, BUILDS } from "./bench-lib.mjs";
import { createNodePool, runStakeParallelNode } from "./stake-parallel.mjs";

const [nativeBin] = process.argv.slice(2);
const RUNS = Number(process.env.RUNS ?? 25);
const BLOCKS = Number(process.env.BLOCKS ?? 361);
const BLOCK_RUNS = Math.max(1, Number(process.env.BLOCK_RUNS ?? 5));
const STAKE_RUNS = Math.max(1, Number(process.env.STAKE_RUNS ?? 1));
const WORKERS = Number(process.env.WORKERS ?? availableParallelism());
const ONLY = process.env.ONLY ?? "";
if (ONLY && ONLY !== "stake") throw new Error(`ONLY=${ONLY}: only ONLY=stake is supported`);
const all = ONLY === "";
const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const native = (...args) => median(JSON.parse(execFileSync(nativeBin, args.map(String), { encoding: "utf8" })).times ?? []);
const nativeYuma = (n, v) => median(JSON.parse(execFileSync(nativeBin, ["yuma", n, v, 1, RUNS].map(String), { encoding: "utf8" })).times_ms);

// Peers: one BENCH JSON line each.
function peer(py, script, args) {
  if (!py || !existsSync(py)) return [];
  try {
    return execFileSync(py, [path.join(root, "scripts", script), ...args.map(String)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .split("\n").filter((l) => l.startsWith("BENCH ")).map((l) => JSON.parse(l.slice(6)));
  } catch (e) {
    log(`${script} failed: ${e.message.split("\n")[0]}`);
    return [];
  }
}

const buys = amounts(SN1.taoReserve, 1000), sells = amounts(SN1.alphaReserve, 1000);
function quoteUs(engine, weight) {
  const pool = { ...SN1, quoteWeight: weight };
  const ms = timeJs(RUNS, () => { engine.quoteOutputs(pool, "buy", buys); engine.quoteOutputs(pool, "sell", sells); });
  return (ms * 1000) / 2000;
}

/** One run: a fresh network stepped BLOCKS blocks; ms per block. */
function blockRunMs(engine) {
  const sim = new engine.NetworkSim(undefined, 11n, BLOCKS);
  try {
    const t = performance.now();
    sim.run(BLOCKS);
    return (performance.now() - t) / BLOCKS;
  } finally {
    sim.free();
  }
}

/** Median of BLOCK_RUNS runs after one untimed run, which lets V8 finish compiling the hot wasm
 *  functions with its optimising tier (a first run is partly baseline code: ~2× slower). */
function blockMs(engine) {
  blockRunMs(engine);
  return median(Array.from({ length: BLOCK_RUNS }, () => blockRunMs(engine)));
}

const STAKE_YEAR = { amount: 100_000_000_000n, netuids: [1], horizonDays: 365, paths: 100 };

/** One run of the year in this thread (the run starts untimed); returns [seconds, report]. */
function stakeYearOnce(engine) {
  const model = new engine.StakeModel(STAKE_YEAR);
  try {
    const t = performance.now();
    model.run(STAKE_YEAR.paths);
    return [(performance.now() - t) / 1000, model.report()];
  } finally {
    model.free();
  }
}

// The year in one thread and split over WORKERS worker threads (scripts/stake-parallel.mjs, the
// web app's runner), alternating run by run so that both see the same load. The parallel time runs
// from dispatch to the merged report, with the threads started and their network snapshot cached
// by a warm-up first (as the one-thread run is started untimed); its report must equal the
// one-thread report. Returns median seconds { one, parallel }.
async function stakeYearS(engine, entry) {
  const pool = await createNodePool(WORKERS, { entry });
  try {
    await runStakeParallelNode(pool, [{ ...STAKE_YEAR, horizonDays: 1, paths: pool.size }]);
    const one = [], parallel = [], cpuOne = [], cpuParallel = [];
    // Process CPU time (every thread) beside the wall time: on a loaded machine the threads may
    // get less than a core each, and this says whether the split itself costs work.
    const cpuS = (c) => (c.user + c.system) / 1e6;
    for (let r = 0; r < STAKE_RUNS; r++) {
      let c = process.cpuUsage();
      const [s, report] = stakeYearOnce(engine);
      cpuOne.push(cpuS(process.cpuUsage(c)));
      one.push(s);
      c = process.cpuUsage();
      const t = performance.now();
      const { reports } = await runStakeParallelNode(pool, [STAKE_YEAR]);
      parallel.push((performance.now() - t) / 1000);
      cpuParallel.push(cpuS(process.cpuUsage(c)));
      if (!isDeepStrictEqual(reports[0], report)) throw new Error("parallel stake report differs from the one-thread run");
    }
    log(`stake model: CPU time per run (median) ${median(cpuOne).toFixed(2)} s in one thread, ${median(cpuParallel).toFixed(2)} s over ${pool.size} worker threads; reports equal`);
    return { one: median(one), parallel: median(parallel) };
  } finally {
    await pool.close();
  }
}

const lite = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain/finney_b6852344_sn1_neurons_lite.json"), "utf8"));
const liteType = lite.type.replace("<AccountId32>", "");
const liteBytes = Uint8Array.from(Buffer.from(lite.hex.slice(2), "hex"));
const decodeMs = (engine, fn = "decodeType", ...rest) => {
  for (let i = 0; i < 10; i++) engine[fn](liteType, liteBytes, ...rest);
  return timeJs(100, () => engine[fn](liteType, liteBytes, ...rest));
};

const rows = [];
const row = (key, work, unit, nat, w, s, p) => rows.push({ key, work, unit, native: nat, simd: w, scalar: s, peer: p });
// The native runs and the peers first, each in its own process, before this process loads the
// wasm builds: V8 compiles and tiers those modules up on background threads for a while after
// loading them, and on 2 cores that work would compete with whatever ran beside it.
let yumaPeer = [], decodePeer = null;
const nativeMs = {};
if (all) {
  log("native");
  for (const n of [1024, 256]) nativeMs[`yuma_${n}`] = nativeYuma(n, 64);
  nativeMs.quote_weighted = native("quote", WEIGHTED, RUNS) / 1000;
  nativeMs.quote_half = native("quote", HALF, RUNS) / 1000;
  nativeMs.network_block = native("block", BLOCKS, BLOCK_RUNS);
  log("yuma-simulation peer");
  yumaPeer = peer(process.env.YUMA_PY, "bench-yuma-peer.py", [RUNS, "1024:64", "256:64"]);
  log("bt-decode peer");
  decodePeer = peer(process.env.BTDECODE_PY, "bench-decode.py", [100]).find((r) => r.input?.includes("neurons_lite"));
}
const { simd, scalar } = await loadBuilds({ scalar: all || process.env.STAKE_SCALAR === "1" });
if (all) {
  const peerYuma = (n) => yumaPeer.find((r) => r.n === n)?.median_ms ?? null;

  // Both builds warmed up first (V8 tiers wasm up in background threads, which on 2 cores compete
  // with the timed runs), then timed in alternating rounds so that both see the same load.
  const yumaWasm = (n) => {
    for (const b of [simd, scalar]) b.benchYumaEpoch(n, 64, true, 5);
    const t = { simd: [], scalar: [] };
    for (let r = 0; r < 5; r++) {
      t.simd.push(...simd.benchYumaEpoch(n, 64, true, Math.ceil(RUNS / 5)));
      t.scalar.push(...scalar.benchYumaEpoch(n, 64, true, Math.ceil(RUNS / 5)));
    }
    return [median(t.simd), median(t.scalar)];
  };
  for (const n of [1024, 256]) {
    log(`yuma ${n}×64`);
    row(`yuma_${n}`, `Yuma3 + liquid alpha epoch, ${n} uids × 64 validators`, "ms", nativeMs[`yuma_${n}`], ...yumaWasm(n), peerYuma(n));
  }
  // The epoch's lane kernels (fixed::simd) one by one, inside wasm, on the 1024 × 64 subnet's
  // entries: both builds twice, alternating, so that both see the same load. Each call also
  // digests the benchmark epoch's output, which must be the same bits in both builds.
  log("epoch lane kernels, 1024 uids × 64 validators");
  const kernelRuns = { simd: [], scalar: [] };
  // Warm-up rounds, untimed: V8 first runs wasm in its baseline compiler (Liftoff, whose simd128
  // code is far slower) and tiers hot functions up in the background; a round of 13 runs right
  // after loading seemed to measure partly baseline code (four kernels at 0.7-1.6x in two
  // runs, 1.7-3.9x warmed). Then 5 rounds, the builds alternating.
  for (let r = 0; r < 3; r++) for (const b of [simd, scalar]) b.benchEpochKernels(1024, 64, RUNS);
  for (let r = 0; r < 5; r++) {
    kernelRuns.simd.push(simd.benchEpochKernels(1024, 64, RUNS));
    kernelRuns.scalar.push(scalar.benchEpochKernels(1024, 64, RUNS));
  }
  const digests = new Set([...kernelRuns.simd, ...kernelRuns.scalar].map((k) => k.epochDigest));
  if (digests.size !== 1) throw new Error(`the SIMD and scalar builds' epochs differ: ${[...digests]}`);
  const KERNEL_WORK = {
    sum: "Σ of I32F32 vectors (64 × 1024 proportions)",
    quantise_u16: "I32F32 → u16 quantisation of the outputs (64 × 1024)",
    mask: "inactive / non-permitted mask of a stake vector (64 × 1024)",
    ema_liquid: "liquid-alpha bond EMA, (1 − α)·b + α·w by 32×32→64 products (65 536 entries; the kernel alone: the epoch keeps the entry fused with its α)",
    max_upscale_u16: "max-upscale of u16 weight rows as set_weights stores them (64 rows × 1024)",
  };
  kernelRuns.simd[0].kernels.forEach((name, i) => {
    const times = (runs) => median(runs.flatMap((k) => k.timesMs[i]));
    row(`kernel_${name}`, `epoch lane kernel \`${name}\`: ${KERNEL_WORK[name] ?? name}`, "ms", null,
      times(kernelRuns.simd), times(kernelRuns.scalar), null);
  });
  log("quotes");
  row("quote_weighted", "weighted-pool quote, TAO weight 0.1023 (batch of 1000 buys + 1000 sells, SN1 reserves)", "µs",
    nativeMs.quote_weighted, quoteUs(simd, WEIGHTED), quoteUs(scalar, WEIGHTED), null);
  row("quote_half", "same at weights ½", "µs", nativeMs.quote_half, quoteUs(simd, HALF), quoteUs(scalar, HALF), null);
  log(`network: ${BLOCKS} blocks of the 128-subnet default network`);
  row("network_block", `one block of the 128-subnet default network (mean of ${BLOCKS} blocks, real tempos; median of ${BLOCK_RUNS} runs)`, "ms",
    nativeMs.network_block, blockMs(simd), blockMs(scalar), null);
}
log(`stake model, 1 year × 100 paths: one thread, then ${WORKERS} worker threads, alternating`);
const stakeSimd = await stakeYearS(simd, BUILDS[0][1]);
const stakeScalar = process.env.STAKE_SCALAR === "1" ? await stakeYearS(scalar, BUILDS[1][1]) : null;
row("stake_year_100", "stake model, 365 days × 100 paths", "s", null, stakeSimd.one, stakeScalar?.one ?? null, null);
row("stake_year_100_parallel", `same, paths split over ${WORKERS} worker threads (one per core; shards merged into the same report)`, "s",
  null, stakeSimd.parallel, stakeScalar?.parallel ?? null, null);
if (all) {
  log("decode");
  row("decode_neurons_lite", "decode SN1 `Vec<NeuronInfoLite>` ×1024 into JS objects (`decodeType`); peer: bt-decode into Python objects", "ms",
    null, decodeMs(simd), decodeMs(scalar), decodePeer ? decodePeer.median_us / 1000 : null);
  row("decode_neurons_lite_columnar", "same into JS columns (`decodeColumns`: a typed array per field, hex accounts as strings); peer: bt-decode", "ms",
    null, decodeMs(simd, "decodeColumns"), decodeMs(scalar, "decodeColumns"), decodePeer ? decodePeer.median_us / 1000 : null);
  const rawAccounts = ["decodeColumns", "raw", { accounts: "bytes" }];
  row("decode_neurons_lite_columnar_bytes", "same with accounts as raw bytes (`accounts: \"bytes\"`, as bt-decode returns them); peer: bt-decode", "ms",
    null, decodeMs(simd, ...rawAccounts), decodeMs(scalar, ...rawAccounts), decodePeer ? decodePeer.median_us / 1000 : null);
}

const f = (x) => (x == null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const ratio = (a, b) => (a == null || b == null ? "—" : `${(a / b).toFixed(2)}×`);
console.log("| work | unit | native | wasm SIMD | wasm scalar | peer | wasm/native | SIMD speed-up | wasm/peer |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(`| ${r.work} | ${r.unit} | ${f(r.native)} | ${f(r.simd)} | ${f(r.scalar)} | ${f(r.peer)} | ${ratio(r.simd, r.native)} | ${ratio(r.scalar, r.simd)} | ${ratio(r.simd, r.peer)} |`);
}
const stakeNote = `stake model: ${STAKE_RUNS === 1 ? "one run" : `median of ${STAKE_RUNS} runs`}; ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`;
const day = `${new Date().toISOString().slice(0, 10)}, ${process.arch}, node ${process.version}`;
if (all) {
  console.log(`\nmedians (${RUNS} runs; network: mean per block over ${BLOCKS} blocks; ${stakeNote}), ${day}; peers: ${yumaPeer[0]?.impl ?? "yuma-simulation unavailable"} (torch, ${process.env.TORCH_THREADS ?? 2} thread(s)), ${decodePeer ? "bt-decode" : "bt-decode unavailable"}`);
} else {
  console.log(`\nmedians (${stakeNote}), ${day}`);
}

const by = Object.fromEntries(rows.map((r) => [r.key, r]));
const num = (x, d = 4) => (x == null ? null : Number(x.toFixed(d)));
const speedup = {};
for (const r of rows) if (r.simd != null && r.scalar != null) speedup[r.key] = num(r.scalar / r.simd, 3);
const stakeKeys = {
  stake_year_100_wasm_s: num(by.stake_year_100.simd),
  stake_year_100_wasm_parallel_s: num(by.stake_year_100_parallel.simd),
  stake_year_100_workers: WORKERS,
};
const out = path.join(root, "target-bench/bench.json");
const json = all ? {
  yuma_1024_wasm_ms: num(by.yuma_1024.simd), yuma_1024_native_ms: num(by.yuma_1024.native), yuma_1024_peer_ms: num(by.yuma_1024.peer),
  yuma_256_wasm_ms: num(by.yuma_256.simd), yuma_256_peer_ms: num(by.yuma_256.peer),
  quote_weighted_wasm_us: num(by.quote_weighted.simd), quote_half_wasm_us: num(by.quote_half.simd),
  network_block_wasm_ms: num(by.network_block.simd),
  ...stakeKeys,
  decode_neurons_lite_js_wasm_ms: num(by.decode_neurons_lite.simd), decode_neurons_lite_peer_ms: num(by.decode_neurons_lite.peer),
  decode_neurons_lite_columnar_wasm_ms: num(by.decode_neurons_lite_columnar.simd),
  decode_neurons_lite_columnar_bytes_wasm_ms: num(by.decode_neurons_lite_columnar_bytes.simd),
  simd_speedup: speedup,
} : { ...(existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {}), ...stakeKeys };
mkdirSync(path.join(root, "target-bench"), { recursive: true });
writeFileSync(out, JSON.stringify(json, null, 2) + "\n");
log("wrote target-bench/bench.json");
