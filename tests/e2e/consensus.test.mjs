// Consensus explorer in Chromium: a preset replays an upstream scenario and shows, per uid, the
// incentive and dividends the chain's test records for that epoch (the fixture's derived
// outputs); the custom subnet runs N epochs with the engine and shows the same numbers the
// engine gives in Node for the same input.
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

const ID = "epoch__test_yuma_3_kappa_moves_first__dense";
const fixture = JSON.parse(readFileSync(path.join(root, `data/yuma/epoch/${ID}.json`), "utf8"));
const epochSteps = fixture.steps.filter((s) => s.op === "epoch");

test("a preset replays the upstream scenario and shows the chain's incentive and dividends", async () => {
  const k = epochSteps.length - 1;
  const expected = epochSteps[k].derived_outputs;
  assert.ok(expected?.incentive, "the fixture carries derived outputs for its last epoch");
  const { page, problems } = await openWatched(browser.context, `${server.url}consensus.html?preset=${ID}&epoch=${k}`);
  try {
    await page.waitForSelector("[data-testid=epoch-table] tbody tr");
    const checks = await page.textContent("[data-testid=preset-checks]");
    const [, ok, all] = /(\d+)\/(\d+) passed/.exec(checks);
    assert.ok(Number(all) > 0);
    assert.equal(ok, all, "every upstream expectation holds in the browser");
    const table = await page.$$eval("[data-testid=epoch-table] tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    assert.equal(table.length, fixture.initial_state.n);
    table.forEach((cells, uid) => {
      assert.equal(Number(cells[2]), expected.incentive[uid], `incentive of uid ${uid}`);
      assert.equal(Number(cells[3]), expected.dividends[uid], `dividends of uid ${uid}`);
    });
    await page.screenshot({ path: path.join(shots, "consensus-preset.png"), fullPage: true });
    // Switching epochs works and updates the table.
    await page.click(".cx-epochs button >> nth=1");
    assert.match(await page.textContent("h3 >> nth=2"), /block/);
    assert.deepEqual(problems, []);
  } finally { await page.close(); }
});

test("the editable subnet runs epochs and matches the engine in Node", async () => {
  const { page, problems } = await openWatched(browser.context, `${server.url}consensus.html`);
  try {
    await page.waitForSelector("[data-testid=custom-run]");
    await page.fill("#cx-epochs", "5");
    await page.click("[data-testid=custom-run]");
    await page.waitForSelector("[data-testid=custom-table] tbody tr");
    const shown = await page.$$eval("[data-testid=custom-table] tbody tr", (rows) => rows.map((r) => r.children[3].textContent));
    // Same subnet through the node build: the page's defaults (3 validators, 4 miners).
    const engine = await import(path.join(root, "pkg/node/index.js"));
    const RAO = 1_000_000_000n;
    const d = engine.defaultHyperparameters();
    const w = [[60000, 30000, 5000, 0], [40000, 40000, 10000, 0], [0, 0, 0, 65535]];
    const input = {
      hyperparameters: { tempo: 100, kappa: d.kappa, bondsPenalty: d.bondsPenalty, bondsMovingAverage: d.bondsMovingAverage,
        yuma3Enabled: d.yuma3Enabled, liquidAlphaEnabled: false, maxAllowedValidators: 3, activityCutoffFactorMilli: 1_000_000, stakeThreshold: 0, taoWeight: 0 },
      n: 7, currentBlock: 1000n, emission: RAO,
      alphaStake: [100n * RAO, 60n * RAO, 25n * RAO, 0n, 0n, 0n, 0n],
      blockAtRegistration: new Array(7).fill(0), lastUpdate: new Array(7).fill(999),
      validatorPermit: [true, true, true, false, false, false, false],
      weights: [...w.map((r) => r.map((x, j) => [3 + j, x]).filter(([, x]) => x > 0)), [], [], [], []],
    };
    const runs = engine.runEpochs(input, 5);
    const last = runs[runs.length - 1];
    assert.deepEqual(shown, last.incentive.map((v) => (v / 65535).toFixed(4)));
    assert.ok(last.incentive.slice(3).some((v) => v > 0), "miners earn incentive");
    await page.screenshot({ path: path.join(shots, "consensus-custom.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally { await page.close(); }
});
