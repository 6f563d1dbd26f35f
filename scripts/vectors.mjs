// Run reference-vector files through the wasm engine under Node, with the same harness the native
// binary uses: the harness build (scripts/build --variant vectors -> target-vectors/pkg/node), which
// never ships in pkg/. Usage: node scripts/vectors.mjs [--list] <dir-or-file>...
// Prints one line per failed check and ends with "N passed, M failed"; exit 1 on any failure.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { runVectorFile } = await import(path.join(root, "target-vectors/pkg/node/index.js"));

const args = process.argv.slice(2);
const list = args.includes("--list");
const roots = args.filter((a) => a !== "--list");
if (roots.length === 0) {
  console.error("usage: node scripts/vectors.mjs [--list] <dir-or-file>...");
  process.exit(2);
}
const files = [];
const walk = (p) => {
  if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(path.join(p, e));
  else if (p.endsWith(".json")) files.push(p);
};
roots.forEach(walk);

let passed = 0, failed = 0;
for (const f of files) {
  let report;
  try {
    const text = readFileSync(f, "utf8");
    // A runtime-metadata fixture names its blob, beside it (a plain file name).
    const named = JSON.parse(text).file;
    const blob = typeof named === "string" && /^[^/\\]+$/.test(named) && named !== ".."
      ? new Uint8Array(readFileSync(path.join(path.dirname(f), named)))
      : undefined;
    report = runVectorFile(text, blob);
  } catch (e) {
    console.log(`FAIL ${f} | file | ${e.code ?? ""} ${e.message}`);
    failed++;
    continue;
  }
  for (const o of report.outcomes) {
    if (!o.passed || list) console.log(`${o.passed ? "PASS" : "FAIL"} ${f} | case ${o.case} | field ${o.field} | expected ${o.expected} | actual ${o.actual}`);
    o.passed ? passed++ : failed++;
  }
}
if (files.length === 0) { console.log(`no vector files found under ${roots.join(" ")}`); failed++; }
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
