// Two builds of the Yuma epoch side by side in one Node process, for a change's effect on a
// shared, noisy machine: each round times A, B, B, A (medians of a few epochs each) and keeps the
// ratio B/A, so drifts in the machine's speed cancel within a round. Prints the median ratio and
// its quartiles per size, and whether both builds give the same epoch (digest of every output).
// Usage: node scripts/bench-yuma-ab.mjs A/index.js B/index.js [rounds]
//   where A and B are copies of pkg/node from two `scripts/build` runs, e.g.
//   git stash; scripts/build && cp -r pkg/node /tmp/old; git stash pop; scripts/build
//   node scripts/bench-yuma-ab.mjs /tmp/old/index.js pkg/node/index.js
import path from "node:path";
import { median } from "./bench-lib.mjs";

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: node scripts/bench-yuma-ab.mjs A/index.js B/index.js [rounds]");
  process.exit(2);
}
const rounds = Number(roundsArg ?? 30);
const [A, B] = await Promise.all([a, b].map((p) => import(path.resolve(p))));
const sizes = [[1024, 3], [256, 5]];
for (const m of [A, B]) for (const [n] of sizes) m.benchYumaEpoch(n, 64, true, 10);
const quartiles = (xs) => { const s = [...xs].sort((x, y) => x - y); return [s[Math.floor(s.length / 4)], s[Math.floor((3 * s.length) / 4)]]; };
for (const [n, runs] of sizes) {
  const t = (m) => median(Array.from(m.benchYumaEpoch(n, 64, true, runs)));
  const ratios = [], ta = [], tb = [];
  for (let r = 0; r < rounds; r++) {
    const [a1, b1, b2, a2] = [t(A), t(B), t(B), t(A)];
    ratios.push((b1 + b2) / (a1 + a2));
    ta.push(a1, a2);
    tb.push(b1, b2);
  }
  const [q1, q3] = quartiles(ratios);
  console.log(`${n} uids x 64: A ${median(ta).toFixed(3)} ms, B ${median(tb).toFixed(3)} ms, B/A per round ${median(ratios).toFixed(3)} (quartiles ${q1.toFixed(3)}-${q3.toFixed(3)})`);
}
const digest = (m) => m.benchEpochKernels(1024, 64, 1).epochDigest;
console.log(digest(A) === digest(B) ? "epoch digests equal" : "EPOCH DIGESTS DIFFER");
