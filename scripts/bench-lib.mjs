// Shared by the benchmark scripts (bench.mjs, bench-pool.mjs, bench-yuma.mjs): the builds, the
// timing helpers and the pool workloads, so every script measures the same thing the same way.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The SIMD package and the scalar (SIMD-off) variant from `scripts/build --variant scalar`. */
export const BUILDS = [["simd-build", path.join(root, "pkg/node/index.js")], ["scalar-build", path.join(root, "target-bench/pkg-scalar/node/index.js")]];

export async function loadBuilds({ scalar: withScalar = true } = {}) {
  const simd = await import(BUILDS[0][1]);
  const scalar = withScalar ? await import(BUILDS[1][1]) : null;
  if (!simd.buildInfo().simd || scalar?.buildInfo().simd) throw new Error("expected a SIMD and a scalar build");
  return { simd, scalar };
}

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** Median wall time of `reps` calls of `f` in ms, after one warm-up call. */
export function timeMs(reps, f) {
  f();
  const xs = [];
  for (let i = 0; i < reps; i++) { const t = process.hrtime.bigint(); f(); xs.push(Number(process.hrtime.bigint() - t) / 1e6); }
  return median(xs);
}

/** The SN1 pool of block 6852344 (weights ½), and the TAO weight of a migrated pool (0.1023). */
export const SN1 = { taoReserve: 22_080_655_078_468n, alphaReserve: 2_315_643_876_555_309n };
export const MIGRATED_WEIGHT = 102_337_248_363_782_924n;
export const HALF_WEIGHT = 500_000_000_000_000_000n;

/** Geometric amounts from max/10^6 to max (as `stake::quote::sample_amounts(max, n, true)`). */
export function amounts(max, n) {
  const lo = Math.max(Number(max) / 1e6, 1);
  return BigUint64Array.from({ length: n }, (_, i) => {
    const v = BigInt(Math.round(lo * (Number(max) / lo) ** (i / (n - 1))));
    return v < 1n ? 1n : v > max ? max : v;
  });
}
