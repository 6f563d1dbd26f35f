#!/usr/bin/env node
// Benchmark of the playground's inference backends in Chromium (not a test): dense-layer GFLOP/s
// and per-batch model latency on WebGPU, the wasm SIMD CPU kernel and the scalar kernel, at the
// model sizes the playground uses. Prints the WebGPU adapter. Needs pkg/ (scripts/build).
//
//   node scripts/bench-infer.mjs                 # headless Chromium, WebGPU via --enable-unsafe-webgpu
//   BENCH_CHROMIUM_ARGS="--use-angle=vulkan --enable-features=Vulkan" node scripts/bench-infer.mjs
//   BENCH_QUICK=1 node scripts/bench-infer.mjs   # fewer sizes and repetitions
//   BENCH_LARGE=1 node scripts/bench-infer.mjs   # adds 4096-row and 512-wide layers (for real GPUs)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { launch } from "../tests/e2e/browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(path.join(root, "pkg/web/tao_engine.js"))) {
  console.error("pkg/web is missing: run scripts/build first");
  process.exit(1);
}
const quick = process.env.BENCH_QUICK === "1";

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title><link rel="icon" href="data:,"><script type="module">
import init, * as E from "/pkg/web/tao_engine.js";
await init();
let gpu = null, gpuError = null;
try { gpu = await E.inferGpuInit(); } catch (e) { gpuError = (e.code || "") + ": " + e.message; }
let seed = 1;
const rand = (n) => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5);
const timeit = async (fn, minMs) => {
  await fn();
  let n = 0; const t0 = performance.now();
  do { await fn(); n++; } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / n;
};
window.benchInfo = () => ({ adapter: gpu?.adapter ?? null, fallback: gpu?.fallbackAdapter ?? null, gpuError, simd: E.buildInfo().simd });
window.benchDense = async (m, k, n, minMs, reps) => {
  const x = rand(m * k), w = rand(k * n), b = rand(n);
  const flop = 2 * m * k * n;
  const row = { m, k, n };
  row.simdMs = await timeit(() => E.denseCpu("simd", x, m, k, w, n, b, true), minMs);
  row.scalarMs = await timeit(() => E.denseCpu("scalar", x, m, k, w, n, b, true), minMs);
  row.simdGflops = flop / row.simdMs / 1e6;
  row.scalarGflops = flop / row.scalarMs / 1e6;
  if (gpu) {
    row.gpuMs = await timeit(() => E.inferDenseGpu(x, m, k, w, n, b, true), minMs);
    row.gpuGflops = flop / row.gpuMs / 1e6;
    if (k === n) {
      const t = await timeit(() => E.inferDenseGpu(x, m, k, w, n, b, true, reps), minMs);
      row.gpuChainGflops = flop * reps / t / 1e6;
      row.gpuChainReps = reps;
    }
  }
  return row;
};
window.benchModel = async (name, batch, minMs) => {
  const m = new E.InferModel(name);
  const model = m.info();
  const ch = model.task === "digits" ? E.digitChallenges(1, batch) : E.textChallenges(1, batch, model.inputDim);
  const row = { name, batch, macsPerRow: model.macsPerRow };
  row.simdMs = await timeit(() => m.runCpu(ch.inputs, batch, "simd"), minMs);
  row.scalarMs = await timeit(() => m.runCpu(ch.inputs, batch, "scalar"), minMs);
  if (gpu) row.gpuMs = await timeit(() => m.runGpu(ch.inputs, batch), minMs);
  m.free();
  return row;
};
window.benchModels = () => E.inferModelNames();
window.benchReady = true;
</script>`;

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/bench.html") { res.writeHead(200, { "content-type": "text/html" }); return res.end(PAGE); }
  const file = path.join(root, path.normalize(url.pathname));
  if (!file.startsWith(path.join(root, "pkg"))) { res.writeHead(404); return res.end(); }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await launch({ extraArgs: (process.env.BENCH_CHROMIUM_ARGS || "").split(" ").filter(Boolean) });
try {
  const page = await browser.context.newPage();
  page.on("console", (m) => { if (m.type() === "error") console.error("page:", m.text()); });
  await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60000 });
  const info = await page.evaluate(() => window.benchInfo());
  const minMs = quick ? 100 : 300;
  const f = (v, d = 2) => (v == null ? "—" : v.toFixed(d));
  console.log(`Chromium ${browser.context.browser()?.version() ?? ""}; wasm SIMD build: ${info.simd}`);
  console.log(`WebGPU adapter: ${info.adapter ?? "none"}${info.fallback ? " (fallback adapter)" : ""}${info.gpuError ? ` — ${info.gpuError}` : ""}`);
  console.log("\nDense layer y = relu(x W + b), x: m x k, W: k x n  (GFLOP/s; GPU incl. upload + readback per call)");
  console.log("    m    k    n | SIMD GF/s  scalar GF/s  SIMD/scalar | GPU ms  GPU GF/s  GPU chained GF/s");
  const sizes = quick ? [[256, 64, 128], [256, 192, 192]]
    : [[1, 64, 128], [256, 64, 16], [256, 64, 128], [256, 128, 64], [256, 192, 192], [256, 192, 34], [1024, 192, 192]]
      .concat(process.env.BENCH_LARGE === "1" ? [[4096, 192, 192], [4096, 512, 512]] : []);
  for (const [m, k, n] of sizes) {
    const d = await page.evaluate(([m, k, n, ms, reps]) => window.benchDense(m, k, n, ms, reps), [m, k, n, minMs, quick ? 5 : 20]);
    console.log(`${String(d.m).padStart(5)} ${String(d.k).padStart(4)} ${String(d.n).padStart(4)} | ${f(d.simdGflops).padStart(9)} ${f(d.scalarGflops).padStart(12)} ${f(d.simdGflops / d.scalarGflops).padStart(12)}x | ${f(d.gpuMs).padStart(6)} ${f(d.gpuGflops).padStart(9)} ${d.gpuChainGflops ? f(d.gpuChainGflops).padStart(9) + ` (${d.gpuChainReps} layers/submit)` : ""}`);
  }
  console.log("\nPer-batch latency of the shipped models (ms; GPU incl. upload, dispatch, readback)");
  console.log("model          batch  MAC/row |  SIMD ms  scalar ms   GPU ms");
  for (const name of await page.evaluate(() => window.benchModels())) {
    for (const batch of quick ? [256] : [1, 256, 1024]) {
      const m = await page.evaluate(([n, b, ms]) => window.benchModel(n, b, ms), [name, batch, minMs]);
      console.log(`${m.name.padEnd(14)} ${String(m.batch).padStart(5)} ${String(m.macsPerRow).padStart(8)} | ${f(m.simdMs, 3).padStart(8)} ${f(m.scalarMs, 3).padStart(10)} ${f(m.gpuMs, 3).padStart(8)}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
