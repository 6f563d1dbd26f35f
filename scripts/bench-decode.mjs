// Decode benchmark, wasm side (pkg/node): the same inputs and timing method as the native
// benchmark (tests/verify_decode_bench.rs). Prints one BENCH JSON line per input.
//   node scripts/bench-decode.mjs [iterations]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { decodeType, decodeValidate } = await import(path.join(root, "pkg/node/index.js"));
const iters = Number(process.argv[2] ?? 200);
for (const name of ["finney_b6852344_sn1_metagraph.json", "finney_b6852344_sn1_neurons_lite.json"]) {
  const fx = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain", name), "utf8"));
  const type = fx.type.replace("<AccountId32>", "");
  const bytes = Uint8Array.from(Buffer.from(fx.hex.slice(2), "hex"));
  for (const [label, fn] of [["wasm decode (decodeValidate)", decodeValidate], ["wasm decode + render to JS object (decodeType)", decodeType]]) {
    for (let i = 0; i < 10; i++) fn(type, bytes);
    const us = [];
    for (let i = 0; i < iters; i++) {
      const t = process.hrtime.bigint();
      fn(type, bytes);
      us.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    us.sort((a, b) => a - b);
    const p = (q) => us[Math.floor((us.length - 1) * q)];
    console.log(`BENCH ${JSON.stringify({ impl: label, input: name, type, bytes: bytes.length, iters, median_us: +p(0.5).toFixed(1), p10_us: +p(0.1).toFixed(1), p90_us: +p(0.9).toFixed(1) })}`);
  }
}
