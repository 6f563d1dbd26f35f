// The Verify page's next-epoch preview in Debian's headless Chromium: the demo commits (made by
// bittensor-drand) are opened with the real drand pulses and the page shows the next epoch's
// incentive and dividends beside the current ones, equal to previewNextEpoch computed in Node on
// the same data; a forged pulse is refused with TIMELOCK_BAD_SIGNATURE.
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
const engine = await import(path.join(root, "pkg/node/index.js"));
const { DEMO_COMMITS, DEMO_PULSES, DEMO_SUBNET } = await import(path.join(root, "www/src/verify/timelock-demo.js"));

let server, browser;
before(async () => {
  await prepareApp();
  server = await startPreview(0);
  browser = await launch({ webgpu: false });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const pct = (u16) => `${((u16 / 65535) * 100).toFixed(2)} %`;

test("verify page: the next-epoch preview opens the demo commits and shows what the next epoch pays", async () => {
  const expected = engine.previewNextEpoch(DEMO_SUBNET, DEMO_COMMITS, DEMO_PULSES);
  assert.deepEqual(expected.reveals.map((r) => r.status), ["applied", "applied", "applied"]);
  assert.notDeepEqual(expected.next.incentive, expected.current.incentive);
  const { page, problems } = await openWatched(browser.context, `${server.url}verify.html`);
  try {
    await page.waitForSelector("[data-testid=tl-run]", { timeout: 20000 });
    await page.click("[data-testid=tl-run]");
    await page.waitForSelector("[data-testid=tl-pay]", { timeout: 20000 });
    for (let i = 0; i < 3; i++) {
      assert.equal(await page.getAttribute(`[data-testid=tl-reveal-${i}]`, "data-status"), "applied");
    }
    for (let uid = 0; uid < 4; uid++) {
      const cells = await page.locator(`[data-testid=tl-uid-${uid}] td`).allTextContents();
      assert.equal(cells[1], pct(expected.current.incentive[uid]), `incentive now, uid ${uid}`);
      assert.equal(cells[2], pct(expected.next.incentive[uid]), `incentive next, uid ${uid}`);
      assert.equal(cells[3], pct(expected.current.dividends[uid]), `dividends now, uid ${uid}`);
      assert.equal(cells[4], pct(expected.next.dividends[uid]), `dividends next, uid ${uid}`);
    }
    await page.locator("[data-testid=tl-pay]").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "verify-timelock.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${overflow}px horizontal overflow at phone width`);
    await page.locator("[data-testid=tl-pay]").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "verify-timelock-phone.png") });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A pulse with one signature bit flipped: refused before any commit is opened.
    const forged = JSON.parse(DEMO_PULSES[0]);
    forged.signature = forged.signature.slice(0, -1) + (forged.signature.endsWith("9") ? "8" : "9");
    forged.randomness = undefined;
    await page.fill("[data-testid=tl-pulses]", JSON.stringify(forged));
    await page.click("[data-testid=tl-run]");
    await page.waitForSelector("[data-testid=tl-error]");
    assert.match(await page.textContent("[data-testid=tl-error]"), /^TIMELOCK_BAD_SIGNATURE/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
