// Yuma epoch benchmark, every engine build in one run: native (release), wasm with SIMD
// (pkg/node) and wasm without SIMD (target-bench/pkg-scalar/node). Same deterministic subnet
// (consensus::bench::steady_state_subnet). Prints medians and ratios as a Markdown table.
// Usage: node scripts/bench-yuma.mjs <native-binary> [runs]   (scripts/bench-yuma builds both)
import { execFileSync } from "node:child_process";
import { loadBuilds, median } from "./bench-lib.mjs";

const [nativeBin, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 25);
const { simd, scalar } = await loadBuilds();
const rows = [];
for (const [n, v, liquid] of [[256, 64, true], [1024, 64, true], [1024, 64, false]]) {
  const native = JSON.parse(execFileSync(nativeBin, ["yuma", String(n), String(v), liquid ? "1" : "0", String(runs)], { encoding: "utf8" })).times_ms;
  const wasm = Array.from(simd.benchYumaEpoch(n, v, liquid, runs));
  const wasmScalar = Array.from(scalar.benchYumaEpoch(n, v, liquid, runs));
  rows.push({ n, v, liquid, native: median(native), wasm: median(wasm), scalar: median(wasmScalar) });
}
console.log(`| epoch (Yuma3, ${"dense weights"}) | native ms | wasm SIMD ms | wasm scalar ms | wasm/native | SIMD speed-up |`);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(`| ${r.n} uids, ${r.v} validators, liquid alpha ${r.liquid ? "on" : "off"} | ${r.native.toFixed(2)} | ${r.wasm.toFixed(2)} | ${r.scalar.toFixed(2)} | ${(r.wasm / r.native).toFixed(2)}× | ${(r.scalar / r.wasm).toFixed(2)}× |`);
}
// A simulated year of the reduced network (tests/sim_conservation.rs's network, default flows).
const yearRuns = 5;
const year = (engine) => Array.from({ length: yearRuns }, () => {
  const sim = new engine.NetworkSim({ subnets: 6, maxUids: 12, sn1Uids: 24, tempo: 6, seed: 7 }, 11n, 2190);
  const t = performance.now();
  sim.run(2190);
  const ms = performance.now() - t;
  sim.free();
  return ms;
});
const yNative = median(JSON.parse(execFileSync(nativeBin, ["year", String(yearRuns)], { encoding: "utf8" })).times_ms);
const ySimd = median(year(simd)), yScalar = median(year(scalar));
console.log(`| a simulated year, 6 subnets, tempo 6 (2190 blocks, 365 epochs per subnet) | ${yNative.toFixed(1)} | ${ySimd.toFixed(1)} | ${yScalar.toFixed(1)} | ${(ySimd / yNative).toFixed(2)}× | ${(yScalar / ySimd).toFixed(2)}× |`);
console.log(`\nmedians of ${runs} runs each (${yearRuns} for the year), measured ${new Date().toISOString().slice(0, 10)} on ${process.arch}, node ${process.version}`);
