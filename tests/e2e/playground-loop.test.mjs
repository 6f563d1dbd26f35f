// End to end: the Subnet playground's whole loop (miners -> validators -> u16 weights -> Yuma
// epoch -> emissions) in Debian's headless Chromium. On WebGPU (SwiftShader, forced with
// backend=webgpu since "auto" skips software adapters) on the playground page, and on the CPU
// fallback in a browser launched without --enable-unsafe-webgpu, the cheaters must earn less than
// the honest good miners after K epochs, and every epoch's incentive and emissions must equal the
// engine's runEpoch run in Node on the same input. The embed example page: the element renders in
// its shadow DOM, emits one `epoch` event per epoch, respects its attributes; no console errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { buildApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";
import { runEpoch } from "../../pkg/node/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });

// The honest miners that should out-earn every cheater (the other honest ones are smaller models).
const GOOD = { vision: ["digits-l", "digits-m"], text: ["text-mlp"] };
const K = 5;

let server;
before(async () => {
  await buildApp({ quiet: true });
  server = await startPreview(0);
});
after(async () => { await server?.close(); });

// bigint-safe transfer out of the page
const TAG = "__bigint__";
const revive = (text) => JSON.parse(text, (k, v) => (typeof v === "string" && v.startsWith(TAG) ? BigInt(v.slice(TAG.length)) : v));
const dump = `(x) => JSON.stringify(x, (k, v) => (typeof v === "bigint" ? "${TAG}" + v : v))`;

/** Cheaters earn less than every good honest miner; the copier earns nothing. */
function checkEarnings(history, demo) {
  const last = history[history.length - 1];
  const miners = last.uids.filter((u) => u.role === "miner");
  const good = miners.filter((u) => u.kind === "honest" && GOOD[demo].includes(u.model));
  const cheaters = miners.filter((u) => u.kind !== "honest");
  assert.ok(good.length >= GOOD[demo].length && cheaters.length >= 1, "good miners and cheaters present");
  for (const c of cheaters) {
    for (const g of good) {
      assert.ok(last.earned[c.uid] < last.earned[g.uid], `${demo}: cheater ${c.label} (${last.earned[c.uid]}) earns less than ${g.label} (${last.earned[g.uid]})`);
      assert.ok(last.incentive[c.uid] < last.incentive[g.uid], `${demo}: ${c.label} incentive below ${g.label}`);
    }
    if (c.kind === "copier") assert.equal(last.earned[c.uid], 0n, "the copier is caught every epoch");
  }
}

/** Each epoch: the stored u16 rows are the chain's max-upscale of the scores, and runEpoch in
 * Node on the same input gives the same incentive, dividends and emissions. */
function checkAgainstEngine(history) {
  let earned = null;
  for (const r of history) {
    for (const [v, scores] of r.scores.entries()) {
      const row = r.weightsU16[v];
      const max = Math.max(...scores.map(([, s]) => s));
      assert.equal(Math.max(...row.map(([, w]) => w)), 65535, "largest weight is 65535");
      for (const [uid, s] of scores) {
        const w = row.find(([u]) => u === uid)?.[1] ?? 0;
        assert.ok(Math.abs(w - Math.floor((65535 * s) / max)) <= 1, `u16 weight of uid ${uid}: ${w} vs score ${s}/${max}`);
      }
    }
    const out = runEpoch(r.input);
    assert.deepEqual(out.incentive.map((x) => x / 65535), r.incentive, `epoch ${r.epoch}: incentive`);
    assert.deepEqual(out.dividends.map((x) => x / 65535), r.dividends, `epoch ${r.epoch}: dividends`);
    assert.deepEqual(out.emission, r.emission, `epoch ${r.epoch}: emission (rao)`);
    const total = out.serverEmission.reduce((a, b) => a + b, 0n) + out.validatorEmission.reduce((a, b) => a + b, 0n);
    assert.ok(total <= r.input.emission && total > r.input.emission - 1000n, "the epoch's emission is handed out");
    earned = earned ? earned.map((x, u) => x + out.emission[u]) : out.emission.slice();
    assert.deepEqual(r.earned, earned, `epoch ${r.epoch}: earned alpha`);
  }
}

test("on WebGPU (SwiftShader, forced): the playground page's loop pays the honest miners, not the cheaters", async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openWatched(browser.context, `${server.url}playground.html?backend=webgpu&epochs=${K}&validators=3`);
    await page.waitForSelector("main[data-loop=done]", { timeout: 120000 });
    const loop = revive(await page.evaluate(`(${dump})(window.taoPlaygroundDemo.loop)`));
    assert.equal(loop.backend.kind, "webgpu");
    assert.equal(loop.backend.requested, "webgpu");
    assert.match(await page.locator("tao-subnet-playground [data-part=backend]").textContent(), /WebGPU .*WebGPU was requested/);
    assert.equal(loop.history.length, K);
    checkEarnings(loop.history, "vision");
    checkAgainstEngine(loop.history);
    // the lazy miner is scored on its own answers (about half of them), not taken for a copy
    const last = loop.history[K - 1];
    const lazy = last.uids.find((u) => u.kind === "lazy");
    assert.equal(last.copiedFrom[lazy.uid], null);
    assert.ok(last.accuracy[lazy.uid] > 0.3 && last.accuracy[lazy.uid] < 0.7, `lazy accuracy ${last.accuracy[lazy.uid]}`);
    assert.ok(last.weight[lazy.uid] > 0);
    // the table shows every uid: 3 validators + 3 honest + 3 cheaters
    assert.equal(await page.locator("tao-subnet-playground [data-testid=loop-table] tbody tr").count(), 9);
    await page.locator("tao-subnet-playground").screenshot({ path: path.join(shots, "playground-loop-webgpu.png") });
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `playground page: no horizontal overflow at 390 px (${overflow})`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test("on the CPU fallback (no WebGPU): the vision and text loops pay the honest miners; the controls rerun the loop", async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openWatched(browser.context, `${server.url}embed.html`);
    // a second element, text demo, every cheater, auto backend -> CPU
    await page.evaluate(() => {
      const t = document.createElement("tao-subnet-playground");
      t.id = "text";
      t.setAttribute("demo", "text");
      t.setAttribute("epochs", "4");
      t.setAttribute("validators", "2");
      document.body.append(t);
    });
    await page.waitForSelector("#text[data-state=done]", { timeout: 120000 });
    await page.waitForSelector("#demo[data-state=done]", { timeout: 120000 });
    const text = revive(await page.evaluate(`(${dump})({ history: document.getElementById("text").history, backend: document.getElementById("text").backendInfo })`));
    assert.equal(text.backend.kind, "cpu");
    assert.match(text.backend.reason, /WebGPU unavailable/);
    assert.match(await page.locator("#text [data-part=backend]").textContent(), /CPU .*WebGPU unavailable/);
    assert.equal(text.history.length, 4);
    checkEarnings(text.history, "text");
    checkAgainstEngine(text.history);
    const vision = revive(await page.evaluate(`(${dump})(document.getElementById("demo").history)`));
    assert.equal(vision.length, 6);
    checkEarnings(vision, "vision");
    // the controls: switch the lazy cheater on -> the loop reruns with it and it earns less
    await page.locator("#text input[data-cheater=lazy]").uncheck();
    await page.waitForSelector("#text[data-state=done]", { timeout: 120000 });
    const noLazy = revive(await page.evaluate(`(${dump})(document.getElementById("text").history)`));
    assert.equal(noLazy[0].uids.filter((u) => u.kind === "lazy").length, 0);
    assert.equal(await page.locator("#text").getAttribute("cheaters"), "random,copier");
    // add a miner: one more row, and it is honest
    await page.locator("#text select[data-control=add-model]").selectOption("text-bigram");
    await page.locator("#text button[data-control=add-miner]").click();
    await page.waitForFunction(() => document.getElementById("text").history.length === 4 && document.getElementById("text").dataset.state === "done" && document.getElementById("text").history[0].uids.length === 7, null, { timeout: 120000 });
    // Yuma settings: Yuma3 and liquid alpha on, bonds penalty 0 -> same incentive inputs, other dividends
    const before = revive(await page.evaluate(`(${dump})(document.getElementById("text").history)`));
    await page.locator("#text input[data-control=yuma3]").check();
    await page.waitForSelector("#text[data-state=done]", { timeout: 120000 });
    await page.locator("#text input[data-control=liquid-alpha]").check();
    await page.waitForSelector("#text[data-state=done]", { timeout: 120000 });
    const after = revive(await page.evaluate(`(${dump})(document.getElementById("text").history)`));
    const hp = after[0].input.hyperparameters;
    assert.equal(hp.yuma3Enabled, true);
    assert.equal(hp.liquidAlphaEnabled, true);
    assert.equal(await page.locator("#text").getAttribute("yuma3"), "true");
    assert.notDeepEqual(after.map((r) => r.dividends.slice(0, 2)), before.map((r) => r.dividends.slice(0, 2)), "Yuma3 + liquid alpha change the validators' dividends");
    checkAgainstEngine(after);
    await page.locator("#text").screenshot({ path: path.join(shots, "playground-loop-cpu-text.png") });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test("the embed example: one element, one script tag, epoch events, attributes respected, themable", async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openWatched(browser.context, `${server.url}embed.html`);
    // exactly one module script in the built page's body/head that loads the element
    const scripts = await page.evaluate(() => [...document.querySelectorAll("script[src]")].map((s) => s.type));
    assert.deepEqual(scripts, ["module"]);
    await page.waitForSelector("#demo[data-state=done]", { timeout: 120000 });
    const info = await page.evaluate(() => {
      const el = document.getElementById("demo");
      return {
        shadow: !!el.shadowRoot, rows: el.shadowRoot.querySelectorAll("[data-testid=loop-table] tbody tr").length,
        kinds: [...el.shadowRoot.querySelectorAll("[data-testid=loop-table] tbody tr")].map((r) => r.dataset.kind),
        controlsHidden: getComputedStyle(el.shadowRoot.querySelector("fieldset")).display === "none",
        logged: document.querySelectorAll("#log li").length,
        canvases: el.shadowRoot.querySelectorAll("canvas").length,
        accent: getComputedStyle(el).getPropertyValue("--tao-accent").trim(),
        bg: getComputedStyle(el).backgroundColor,
        leaked: document.querySelectorAll("table").length,
      };
    });
    assert.ok(info.shadow, "renders in a shadow root");
    // cheaters="random,copier": no lazy miner; 3 validators + 3 honest + 2 cheaters
    assert.equal(info.rows, 8);
    assert.ok(!info.kinds.includes("lazy") && info.kinds.includes("random") && info.kinds.includes("copier"));
    assert.equal(info.controlsHidden, true, 'controls="none" hides the controls');
    assert.equal(info.logged, 6, "one epoch event per epoch (epochs=6) heard by the page");
    assert.ok(info.canvases >= 4, "charts drawn");
    assert.equal(info.accent, "#b35c00");
    assert.equal(info.bg, "rgb(255, 255, 255)", "--tao-bg themes the element");
    assert.equal(info.leaked, 0, "nothing rendered into the light DOM");
    // an attribute change reruns it: kappa and epochs, seen in the events' input
    const events = await page.evaluate(() => new Promise((resolve) => {
      const el = document.getElementById("demo");
      const got = [];
      el.addEventListener("epoch", (e) => got.push({ epoch: e.detail.epoch, incentive: e.detail.incentive, emission: e.detail.emission.map(String) }));
      el.addEventListener("done", () => resolve({ got, kappa: el.history[0].input.hyperparameters.kappa }), { once: true });
      el.setAttribute("epochs", "2");
      el.setAttribute("kappa", "0.75");
    }));
    assert.equal(events.got.length, 2);
    assert.deepEqual(events.got.map((e) => e.epoch), [0, 1]);
    assert.equal(events.kappa, Math.round(0.75 * 65535));
    assert.ok(events.got.every((e) => e.incentive.length === 8 && e.emission.length === 8));
    await page.screenshot({ path: path.join(shots, "playground-embed.png"), fullPage: true });
    // phone width: no horizontal page overflow
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal overflow at 390 px (${overflow})`);
    await page.screenshot({ path: path.join(shots, "playground-embed-phone.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
