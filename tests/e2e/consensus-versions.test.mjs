// Consensus explorer's "Yuma versions" card in Chromium: a yuma-simulation case picked from the
// list runs under all six historical versions, side by side, and the final dividends shown for
// a version are those `yumaVersions` gives in Node for that case's golden scenario
// (tests/golden/yuma-versions.json), rounded as displayed.
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

const golden = JSON.parse(readFileSync(path.join(root, "tests/golden/yuma-versions.json"), "utf8"));
const VERSIONS = ["yuma1", "yuma2", "yuma2b", "yuma2c", "yuma3", "yuma3-liquid"];

test("a picked case runs under six versions and shows the engine's dividends", async () => {
  const { page, problems } = await openWatched(browser.context, `${server.url}consensus.html`);
  try {
    const select = "[data-testid=yuma-case-select]";
    await page.waitForSelector(`${select} option`, { state: "attached" });
    const options = await page.$$eval(`${select} option`, (os) => os.map((o) => [o.value, o.textContent]));
    const [value, name] = options.find(([, text]) => text.startsWith("Case 22"));
    await page.selectOption(select, value);
    await page.waitForSelector(`[data-testid=yuma-versions][data-case="${value}"] [data-testid=version-column]`);
    const columns = await page.$$eval("[data-testid=version-column]", (cs) => cs.map((c) => c.dataset.version));
    assert.deepEqual(columns, VERSIONS, "six version columns, in order");
    assert.match(new URL(page.url()).search, new RegExp(`yuma-case=${value}`));
    // Two charts per column once the card is in the page.
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=version-column] .uplot").length === 12);
    assert.match(await page.textContent("[data-testid=yuma-versions]"), /yuma-simulation run: yuma2 b0\.5/);
    const card = await page.evaluate(() => document.querySelector("[data-testid=yuma-versions]").closest("section").textContent);
    assert.match(card, /not the chain's exact fixed-point epoch/);

    const engine = await import(path.join(root, "pkg/node/index.js"));
    for (const version of ["yuma2", "yuma3-liquid"]) {
      const run = golden.runs.find((r) => r.name.startsWith(name) && r.scenario.version === version);
      assert.ok(run, `golden run of ${name} under ${version}`);
      const last = engine.yumaVersions(run.scenario).epochs.at(-1);
      const shown = await page.$$eval(`[data-testid=version-column][data-version="${version}"] [data-testid=dividend]`,
        (cells) => cells.map((c) => c.textContent));
      assert.deepEqual(shown, last.dividends.map((v) => v.toFixed(4)), `${version} dividends`);
    }
    // Yuma 2C's raw bonds (stake × (2^64 − 1) scale) are shown in exponent form, as the engine gives them.
    const raw = golden.runs.find((r) => r.name.startsWith(name) && r.scenario.version === "yuma2c");
    const bonds = engine.yumaVersions(raw.scenario).epochs.at(-1).bonds;
    const shownBonds = await page.$$eval("[data-testid=version-column][data-version=yuma2c] [data-testid=final-values] tbody tr",
      (rows) => rows.map((r) => [...r.querySelectorAll("td")].slice(1).map((c) => c.textContent)));
    assert.deepEqual(shownBonds, bonds.map((row) => row.map((v) => v.toExponential(3))));
    // The versions differ on this case (else the side-by-side shows nothing).
    const all = await page.$$eval("[data-testid=version-column]", (cs) =>
      cs.map((c) => [...c.querySelectorAll("[data-testid=dividend]")].map((d) => d.textContent).join(" ")));
    assert.ok(new Set(all).size > 1, all.join(" | "));
    await page.screenshot({ path: path.join(shots, "consensus-versions.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally { await page.close(); }
});

test("the case comes from the page state", async () => {
  const { page, problems } = await openWatched(browser.context, `${server.url}consensus.html?yuma-case=1`);
  try {
    await page.waitForSelector("[data-testid=yuma-versions][data-case=\"1\"] [data-testid=version-column]");
    assert.match(await page.$eval("[data-testid=yuma-case-select]", (s) => s.selectedOptions[0].textContent), /^Case 7/);
    assert.deepEqual(problems, []);
  } finally { await page.close(); }
});
