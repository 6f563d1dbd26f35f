#!/usr/bin/env node
// Quotes per second in wasm under Node: the SIMD build (pkg/node) and the scalar build
// (target-bench/pkg-scalar/node, from `scripts/build --variant scalar`), same cases as the native
// bench (crates/tao-bench/benches/pool_quote.rs). Prints one CSV line per case with the median of REPS runs.
//
//   scripts/build && scripts/build --variant scalar && node scripts/bench-pool.mjs
//
// Paths: batch-simd = quoteOutputs (SIMD lanes on the SIMD build), batch-scalar =
// quoteOutputsScalar (scalar lanes), single-quote = one poolQuote call per amount (includes the
// JS boundary: object conversion and bigint results), single-quote-specN = the same under runtime
// N's rules.
import { existsSync } from "node:fs";
import { BUILDS as builds, SN1, MIGRATED_WEIGHT, amounts, median } from "./bench-lib.mjs";

const REPS = Number(process.env.REPS ?? 15);
const POOLS = [["sn1-50/50", SN1], ["migrated-w0.1023", { ...SN1, quoteWeight: MIGRATED_WEIGHT }]];

function time(n, f) {
  f();
  const runs = [];
  for (let r = 0; r < REPS; r++) {
    const t = process.hrtime.bigint();
    f();
    runs.push(Number(process.hrtime.bigint() - t) / n);
  }
  return median(runs);
}

console.log("build,simd,case,order,path,ns_per_quote,quotes_per_s");
for (const [name, file] of builds) {
  if (!existsSync(file)) { console.error(`skip ${name}: ${file} missing`); continue; }
  const E = await import(file);
  const simd = E.buildInfo().simd;
  for (const [caseName, pool] of POOLS) {
    for (const order of ["buy", "sell"]) {
      const xs = amounts(order === "buy" ? pool.taoReserve : pool.alphaReserve, 1000);
      const a = E.quoteOutputs(pool, order, xs);
      const b = E.quoteOutputsScalar(pool, order, xs);
      if (a.some((v, i) => v !== b[i])) throw new Error(`${name} ${caseName} ${order}: SIMD and scalar lanes differ`);
      for (const [p, f] of [
        ["batch-simd", () => E.quoteOutputs(pool, order, xs)],
        ["batch-scalar", () => E.quoteOutputsScalar(pool, order, xs)],
        ["single-quote", () => { for (const amount of xs) E.poolQuote({ pool, order, amount }); }],
        // The same call under the oldest and the newest runtime the engine knows: does a rule set
        // make a quote slower?
        ["single-quote-spec424", () => { for (const amount of xs) E.poolQuote({ pool, order, amount, specVersion: 424 }); }],
        ["single-quote-spec475", () => { for (const amount of xs) E.poolQuote({ pool, order, amount, specVersion: 475 }); }],
      ]) {
        const ns = time(xs.length, f);
        console.log(`${name},${simd},${caseName},${order},${p},${ns.toFixed(0)},${(1e9 / ns).toFixed(0)}`);
      }
    }
  }
}
