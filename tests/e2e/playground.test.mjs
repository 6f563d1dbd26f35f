// End to end: the playground page in Debian's headless Chromium, twice. With WebGPU (SwiftShader)
// every shipped model's GPU outputs must equal the CPU's within tolerance and the raw tiled kernel
// must match the CPU kernel on odd shapes (a software adapter is then not used for the rounds, and
// the page says so); launched without --enable-unsafe-webgpu the page must fall back to the CPU
// and say why. Both runs score a round with cheaters.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });

// Tolerances of GPU vs CPU: probabilities (digits) and log-probabilities (text).
const TOL = { digits: 1e-4, text: 1e-3 };

let server;
before(async () => {
  await prepareApp();
  server = await startPreview(0);
});
after(async () => { await server?.close(); });

async function openPlayground(webgpu) {
  const browser = await launch({ webgpu });
  const { page, problems } = await openWatched(browser.context, `${server.url}playground.html`);
  await page.waitForSelector("main[data-ready]", { timeout: 120000 });
  assert.equal(await page.locator("[role=alert]").count(), 0, "no error banner");
  const demo = await page.evaluate(() => JSON.parse(JSON.stringify(window.taoPlaygroundDemo, (k, v) => (typeof v === "bigint" ? Number(v) : v))));
  return { browser, page, problems, demo };
}

function checkRounds(demo) {
  for (const task of ["digits", "text"]) {
    const r = demo.rounds[task];
    const honest = r.find((x) => x.uid === 0);
    const copier = r.find((x) => x.kind === "copier");
    const random = r.find((x) => x.kind === "random");
    assert.equal(copier.copiedFrom, 0, `${task}: the copier is caught`);
    assert.equal(copier.weight, 0);
    assert.ok(honest.weight > random.weight, `${task}: honest beats random`);
  }
  assert.ok(demo.rounds.digits.find((x) => x.uid === 0).score.accuracy >= 0.9);
}

test("with WebGPU: GPU outputs equal the CPU's within tolerance for every shipped model", async () => {
  const { browser, page, problems, demo } = await openPlayground(true);
  try {
    assert.ok(demo.gpu, "WebGPU opened");
    // "auto" keeps a software adapter (SwiftShader) for checks only and runs rounds on the CPU
    if (demo.gpu.fallbackAdapter) {
      assert.equal(demo.backend.kind, "cpu");
      assert.match(demo.backend.reason, /software fallback adapter/);
    } else {
      assert.equal(demo.backend.kind, "webgpu", `backend: ${demo.backend.reason}`);
      assert.equal(await page.textContent("[data-testid=backend-kind]"), "WebGPU");
    }
    assert.equal(await page.textContent("[data-testid=backend-adapter]"), demo.gpu.adapter);
    assert.ok(demo.agreement.length >= 7);
    for (const a of demo.agreement) {
      assert.ok(Number.isFinite(a.maxDiff) && a.maxDiff <= TOL[a.task], `${a.name}: max |GPU - CPU| = ${a.maxDiff}`);
      assert.ok(Math.abs(a.gpuScore.accuracy - a.cpuScore.accuracy) <= 1 / 256, `${a.name}: accuracy differs`);
    }
    // the raw tiled kernel on shapes that are not multiples of the 16x16 tile
    for (const [m, k, n] of [[1, 1, 1], [37, 70, 33], [64, 192, 34], [17, 16, 16]]) {
      const diff = await page.evaluate(([m, k, n]) => window.taoPlaygroundDemo.denseCheck(m, k, n), [m, k, n]);
      assert.ok(diff <= 1e-4, `dense ${m}x${k}x${n}: max diff ${diff}`);
    }
    checkRounds(demo);
    await page.screenshot({ path: path.join(shots, "playground-webgpu.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test("without WebGPU: the page falls back to the CPU and says why", async () => {
  const { browser, page, problems, demo } = await openPlayground(false);
  try {
    assert.equal(demo.backend.kind, "cpu");
    assert.equal(demo.gpu, null);
    assert.match(demo.backend.reason, /WebGPU unavailable/);
    assert.match(await page.textContent("[data-testid=backend-reason]"), /WebGPU unavailable .*CPU/);
    assert.match(await page.textContent("[data-testid=backend-kind]"), /CPU/);
    for (const a of demo.agreement) assert.equal(a.gpuScore, null);
    checkRounds(demo);
    await page.screenshot({ path: path.join(shots, "playground-cpu.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
