// Stake simulator page, end to end: a small scenario from a deep link runs offline in the page's
// Web Workers (one per core, shards merged) and shows the numbers the engine computes in one run in
// Node (pkg/node) for the same input and seed; a long run uses one worker per core with progress,
// and cancel terminates every worker; the page fits a phone; screenshots are saved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const { stakeReturn } = await import(path.join(root, "pkg/node/index.js"));

let server, browser;
before(async () => {
  await prepareApp();
  server = await startPreview(0);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The page's formatting: exact rao → TAO with 4 decimals, trailing zeros dropped, thousands commas.
function formatTao(rao, digits = 4) {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  const whole = (abs / 1_000_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = (abs % 1_000_000_000n).toString().padStart(9, "0").slice(0, digits).replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? "." + frac : ""}`;
}

test("stake page: a deep-linked scenario shows the engine's numbers for the same seed", async () => {
  const query = "amount=250&netuid=1&take=9&share=20&days=6&paths=5&seed=7&sigma=150&drift=-10&spread=2&exit=1";
  const { page, problems } = await openWatched(browser.context, `${server.url}stake.html?${query}`);
  try {
    await page.waitForSelector("[data-testid=final-p50]", { timeout: 60000 });
    const expected = stakeReturn({
      amount: 250_000_000_000n, netuids: [1], take: Math.round(0.09 * 65535), dividendSharePpm: 200_000,
      horizonDays: 6, paths: 5, seed: 7, flowSigmaBps: 150, flowDriftBps: -10, exit: true,
    });
    const last = expected.series.at(-1);
    assert.equal(await page.textContent("[data-testid=final-p50]"), `${formatTao(last.taoP50)} TAO`);
    assert.equal(await page.textContent("[data-testid=final-p10]"), formatTao(last.taoP10));
    assert.equal(await page.textContent("[data-testid=final-p90]"), formatTao(last.taoP90));
    assert.equal(await page.textContent("[data-testid=apr]"), `${(expected.apr * 100).toFixed(2)} %`);
    assert.equal(await page.textContent("[data-testid=split-emission-yield]"), formatTao(expected.split.emissionYield, 6));
    assert.equal(await page.locator("[data-testid=strategy-row]").count(), 3);
    assert.ok((await page.locator("[data-testid=assumptions] li").count()) >= 5);
    // The projection runs under the newest runtime; what its network model leaves out of it is said.
    assert.equal(await page.textContent("[data-testid=not-modelled]"),
      `Rules of runtime ${expected.runtime.rulesSpec} this model leaves out: ${expected.runtime.notModelled.join("; ")}.`);
    assert.match(await page.textContent("[data-testid=not-modelled]"), /Root Reborn funds \(441\+\)/);
    await page.waitForSelector("[data-testid=value-chart] canvas");
    assert.equal(await page.inputValue("[data-testid=in-amount]"), "250");
    await page.screenshot({ path: path.join(shots, "stake-scenario.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(150);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${overflow}px horizontal overflow at phone width`);
    await page.screenshot({ path: path.join(shots, "stake-scenario-phone.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("stake page: paths run on one worker per core with progress; cancel terminates them all", async () => {
  // Three "cores", whatever this machine has: the page must start one worker per core.
  const init = () => Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => 3 });
  const { page, problems } = await openWatched(browser.context, `${server.url}stake.html?days=365&paths=4000&seed=2`, { init });
  try {
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=progress]")?.value) > 0, null, { timeout: 60000 });
    assert.equal(await page.isDisabled("[data-testid=run]"), true);
    assert.equal(await page.getAttribute("[data-testid=progress]", "data-workers"), "3");
    assert.equal(page.workers().length, 3, "three Web Workers run the paths");
    assert.match(await page.textContent("[data-testid=status]"), /^Running… \d+ \/ \d+ paths on 3 workers$/);
    // Progress is summed over the workers and keeps moving.
    const before = Number(await page.$eval("[data-testid=progress]", (e) => e.value));
    await page.waitForFunction((v) => Number(document.querySelector("[data-testid=progress]")?.value) > v, before, { timeout: 60000 });
    await page.click("[data-testid=cancel]");
    await page.waitForFunction(() => document.querySelector("[data-testid=status]")?.textContent === "Cancelled.", null, { timeout: 30000 });
    for (let i = 0; i < 100 && page.workers().length > 0; i++) await page.waitForTimeout(100);
    assert.equal(page.workers().length, 0, "cancel terminates every worker");
    const stopped = await page.$eval("[data-testid=progress]", (e) => e.value);
    await page.waitForTimeout(500);
    assert.equal(await page.$eval("[data-testid=progress]", (e) => e.value), stopped, "no progress after cancel");
    assert.equal(await page.isDisabled("[data-testid=run]"), false);
    assert.equal(await page.locator("[data-testid=final-p50]").count(), 0, "no result from the cancelled run");
    // A small run afterwards completes.
    await page.fill("[data-testid=in-paths]", "2");
    await page.fill("[data-testid=in-days]", "3");
    await page.click("[data-testid=run]");
    await page.waitForSelector("[data-testid=final-p50]", { timeout: 60000 });
    assert.match(page.url(), /paths=2/);
    assert.equal(await page.textContent("[data-testid=status]"), "Done: 2 paths on 2 workers.", "workers capped at the path count");
    await page.screenshot({ path: path.join(shots, "stake-after-cancel.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
