// Decode benchmark, wasm side (pkg/node): the same inputs and timing method as the native
// benchmark (tests/verify_decode_bench.rs): strict decode alone, per-object JS (decodeType) and
// columnar JS (decodeColumns). Prints one BENCH JSON line per input and form.
//   node scripts/bench-decode.mjs [iterations]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { decodeType, decodeValidate, decodeColumns } = await import(path.join(root, "pkg/node/index.js"));
const iters = Number(process.argv[2] ?? 200);
for (const name of ["finney_b6852344_sn1_metagraph.json", "finney_b6852344_sn1_neurons_lite.json"]) {
  const fx = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain", name), "utf8"));
  const type = fx.type.replace("<AccountId32>", "");
  const bytes = Uint8Array.from(Buffer.from(fx.hex.slice(2), "hex"));
  const runs = [
    ["wasm decode (decodeValidate)", decodeValidate],
    ["wasm decode + render to JS object (decodeType)", decodeType],
    ["wasm decode into JS columns (decodeColumns: typed arrays, hex accounts)", decodeColumns],
    ["wasm decode into JS columns, raw accounts (decodeColumns, accounts: \"bytes\")", (t, b) => decodeColumns(t, b, "raw", { accounts: "bytes" })],
  ];
  for (const [label, fn] of runs) {
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
