// End to end: build www/, serve it on 127.0.0.1, and drive Debian's headless Chromium through
// every page. Fails on any console error, failed request or request leaving 127.0.0.1; checks real
// engine output against the chain's vectors; saves a screenshot of each page (desktop and phone)
// into tests/e2e/screenshots/ (git-ignored).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });

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

const PAGES = ["index", "stake", "pools", "consensus", "retention", "verify", "playground"];

async function visit(name, check) {
  const { page, problems } = await openWatched(browser.context, `${server.url}${name}.html`);
  try {
    await page.waitForSelector("footer", { timeout: 20000 });
    assert.match(await page.textContent("footer"), /wasm with SIMD/);
    assert.equal(await page.locator("[role=alert]").count(), 0, "no error banner");
    await check?.(page);
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name}: ${overflow}px horizontal overflow at phone width`);
    await page.screenshot({ path: path.join(shots, `${name}-phone.png`), fullPage: true });
    assert.deepEqual(problems, [], `${name}: problems while loading`);
  } finally {
    await page.close();
  }
}

const raoToTao = (rao) => {
  const s = BigInt(rao);
  const frac = (s % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${s / 1_000_000_000n}${frac ? "." + frac : ""}`;
};

test("emission page: the engine's TAO per block equals the chain's halving vectors", async () => {
  const cases = JSON.parse(readFileSync(path.join(root, "tests/fixtures/pool/block-emission-halving.json"), "utf8"))
    .cases.filter((c) => c.inputs.issuance !== undefined);
  await visit("index", async (page) => {
    await page.waitForSelector("[data-testid=emission-chart] canvas");
    const rows = await page.locator("[data-testid=schedule-table] tbody tr").count();
    assert.ok(rows >= 10, "the schedule lists at least 10 eras");
    assert.equal(await page.textContent("[data-testid=schedule-table] tbody tr:nth-child(2) td:nth-child(2)"), "10,500,000");
    for (const c of cases) {
      await page.fill("[data-testid=issuance-input]", raoToTao(c.inputs.issuance));
      const shown = await page.textContent("[data-testid=emission-output]");
      const [whole, frac] = raoToTao(c.expected.emission).split(".");
      const expected = `${whole.replace(/\B(?=(\d{3})+$)/g, ",")}${frac ? "." + frac : ""} TAO per block`;
      assert.equal(shown, expected, `issuance ${c.inputs.issuance}`);
    }
    await page.fill("[data-testid=issuance-input]", "-3");
    assert.match(await page.textContent("[data-testid=emission-detail]"), /not a TAO amount/);
    await page.fill("[data-testid=issuance-input]", "10600000");
  });
});

for (const name of PAGES.filter((p) => p !== "index")) {
  test(`${name} page loads the engine and renders`, async () => {
    await visit(name, async (page) => {
      assert.ok((await page.textContent("h1")).length > 3);
    });
  });
}
