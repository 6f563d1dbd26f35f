// A simulated year of the 128-subnet default network in wasm (the npm package's SIMD build):
// 365 × 7 200 blocks, real tempos, the default event flows, one thread. Prints progress to
// stderr and one JSON line at the end (wall seconds, ms per block, the final totals).
//
//   node scripts/sim-year.mjs [blocks=2628000] [seed=11]     (needs pkg/ from scripts/build)
import path from "node:path";
import { loadavg } from "node:os";
import { root } from "./bench-lib.mjs";

const blocks = Number(process.argv[2] ?? 365 * 7200);
const seed = BigInt(process.argv[3] ?? 11);
const engine = await import(path.join(root, "pkg/node/index.js"));
const sim = new engine.NetworkSim(undefined, seed, blocks);
const chunk = 7200;
const t0 = performance.now();
let done = 0;
while (done < blocks) {
  done = sim.run(Math.min(chunk, blocks - done)).done;
  if (done % (30 * chunk) === 0 || done === blocks) {
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`[sim-year] day ${Math.round(done / 7200)}: ${s.toFixed(0)} s, ${((s * 1000) / done).toFixed(3)} ms/block, load ${loadavg()[0].toFixed(1)}\n`);
  }
}
const wall = (performance.now() - t0) / 1000;
const sum = sim.summary();
sim.free();
console.log(JSON.stringify({
  blocks, seed: String(seed), wall_s: Number(wall.toFixed(1)), ms_per_block: Number(((wall * 1000) / blocks).toFixed(4)),
  block: String(sum.block), total_issuance: String(sum.totalIssuance), minted: String(sum.minted), recycled: String(sum.recycled),
  epochs: String(sum.stats.epochs), load: loadavg()[0],
}));
