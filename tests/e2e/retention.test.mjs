// Retention maps in Chromium: the default map (retention-lines.svg at the default resolution)
// renders from every worker's cells, and its time is reported; Cancel stops a run and the page
// stays usable; the same seed gives the same CSV (and the numbers Node's engine gives for the same
// request), another seed another one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
let server, browser;
before(async () => { await prepareApp(); server = await startPreview(0); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Non-white pixels of the map canvas (a drawn map has contour lines, a blank one none). */
const inked = (page) => page.$eval("[data-testid=retention-canvas]", (c) => {
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let k = 0; k < d.length; k += 4) if (d[k] < 200 || d[k + 1] < 200 || d[k + 2] < 200) n++;
  return n;
});

/** Click Run and wait for the map; returns the retention-done detail (ms, total, workers). */
async function draw(page, timeout = 300_000) {
  const done = page.evaluate(() => new Promise((resolve, reject) => {
    const main = document.getElementById("page");
    main.addEventListener("retention-done", (e) => resolve({ ms: e.detail.ms, total: e.detail.total, workers: e.detail.workers }), { once: true });
    main.addEventListener("retention-error", (e) => reject(new Error(`${e.detail.code}: ${e.detail.message}`)), { once: true });
  }));
  await page.click("[data-testid=run]");
  let timer;
  const late = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error("map timed out")), timeout); });
  try { return await Promise.race([done, late]); } finally { clearTimeout(timer); }
}

async function csvOf(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=csv]")]);
  return readFileSync(await download.path(), "utf8");
}

test("the default retention map renders at the default resolution", async () => {
  const { page, problems } = await openWatched(browser.context, `${server.url}retention.html`);
  try {
    await page.waitForSelector("[data-testid=run]");
    const before = await inked(page).catch(() => 0);
    const r = await draw(page);
    const steps = Number(await page.inputValue("[data-testid=in-steps]"));
    assert.equal(r.total, 11 * (steps + 1) ** 2, "every stake share × every weight pair");
    assert.equal(await page.getAttribute("[data-testid=retention-canvas]", "data-cells"), String(r.total));
    assert.ok((await inked(page)) > before + 1000, "contour lines are drawn");
    assert.match(await page.textContent("[data-testid=repro-note]"), /seed 0; rules of finney runtime \d+/);
    assert.match(await page.textContent("[data-testid=figure-note]"), /retention-lines\.svg/);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(r.workers, Math.min(32, cores));
    console.log(`# default retention map: ${r.total} cells (epochs of 512 uids) in ${(r.ms / 1000).toFixed(1)} s on ${r.workers} workers (headless Chromium)`);
    await page.screenshot({ path: path.join(shots, "retention-map.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${overflow}px horizontal overflow at phone width`);
    await page.screenshot({ path: path.join(shots, "retention-map-phone.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally { await page.close(); }
});

test("Cancel stops a run and the page draws the next one", async () => {
  const { page, problems } = await openWatched(browser.context, `${server.url}retention.html?steps=50`);
  try {
    await page.waitForSelector("[data-testid=run]");
    const cancelled = page.evaluate(() => new Promise((resolve) => {
      document.getElementById("page").addEventListener("retention-cancelled", (e) => resolve(e.detail), { once: true });
    }));
    await page.click("[data-testid=run]");
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=progress]").value) > 0);
    await page.click("[data-testid=cancel]");
    const c = await cancelled;
    assert.ok(c.done < c.total, `stopped early (${c.done} of ${c.total})`);
    assert.match(await page.textContent("[data-testid=status]"), /Cancelled/);
    assert.equal(await page.isDisabled("[data-testid=run]"), false);
    assert.equal(await page.isDisabled("[data-testid=csv]"), true, "no map from a cancelled run");
    await page.fill("[data-testid=in-steps]", "4");
    const r = await draw(page);
    assert.equal(r.total, 11 * 25);
    assert.deepEqual(problems, []);
  } finally { await page.close(); }
});

test("the same seed gives the same CSV, the numbers of the engine in Node", async () => {
  const url = `${server.url}retention.html?figure=emission-60&steps=6&seed=7&networkN=128&validatorsN=16`;
  const run = async (u) => {
    const { page, problems } = await openWatched(browser.context, u);
    try {
      await page.waitForSelector("[data-testid=run]");
      await draw(page);
      const csv = await csvOf(page);
      assert.deepEqual(problems, []);
      return csv;
    } finally { await page.close(); }
  };
  const a = await run(url);
  const b = await run(url);
  assert.equal(a, b);
  const rows = a.split("\n").filter((l) => l && !l.startsWith("#")).slice(1).map((l) => l.split(",").map(Number));
  assert.equal(rows.length, 49);
  const engine = await import(path.join(root, "pkg/node/index.js"));
  const node = engine.retentionCells({ networkN: 128, validatorsN: 16, seed: 7, stakesMilli: [600], steps: 6, count: 49 });
  assert.deepEqual(rows.map((r) => r[4]), node.majorRatio);
  assert.deepEqual(rows.map((r) => r[3]), node.avgWeightDev);
  const other = await run(url.replace("seed=7", "seed=8"));
  assert.notEqual(other.split("\n").slice(3).join("\n"), a.split("\n").slice(3).join("\n"));
});
