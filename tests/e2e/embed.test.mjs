// Every demo embedded, in Debian's headless Chromium, at desktop (1280 px) and phone (390 px) width:
//   - the element in a plain page (one copied <script type="module"> tag and the tag, served from
//     the site's origin): it renders in its shadow root, sends its primary event with the engine's
//     numbers (checked against pkg/node for the same input), reacts to an attribute change, defines
//     only what custom-elements.json declares, takes its colours from --tao-* on the host page,
//     and a second define is harmless; object properties (pool, snapshotData, subnet) re-run it;
//   - its iframe (embed/<demo>.html?state) in a page of ANOTHER origin (127.0.0.1:B embeds
//     127.0.0.1:A) with resizer.js: the frame says ready, reports its height (and the resizer
//     applies it), forwards the event, takes an attribute change by postMessage, and (slippage)
//     keeps its URL and the parent in step when the reader changes the state inside;
//   - the docs page (embed/index.html) shows every element live with its snippets as text.
// No console error, failed request or request leaving 127.0.0.1 anywhere. Screenshots of each go to
// tests/e2e/screenshots/embed-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, distDir } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";
import { serve, elementScript } from "./embed-server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const E = await import(path.join(root, "pkg/node/index.js"));
const MANIFEST = JSON.parse(readFileSync(path.join(root, "www/public/custom-elements.json"), "utf8"));
const DECLS = MANIFEST.modules.flatMap((m) => m.declarations).filter((d) => d.customElement);

const RAO = 1_000_000_000n;
const rao = (tao) => BigInt(tao) * RAO;
const fx = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"), "utf8")).derived;
const SN1 = { taoReserve: BigInt(fx.tao_in), alphaReserve: BigInt(fx.alpha_in) };
const stakeInput = (a) => ({
  amount: rao(a.amount), netuids: [Number(a.netuid)], take: Math.round((Number(a.take) / 100) * 65535),
  dividendSharePpm: Number(a.share) * 10_000, horizonDays: Number(a.days), paths: Number(a.paths), seed: Number(a.seed),
  flowSigmaBps: Number(a.sigma), flowDriftBps: Number(a.drift), exit: a.exit !== "0",
});

// Per demo: the attributes (= iframe query), one change, the event that carries the result, a
// projection of its detail (runs in the browser; plain data comes back), and the check against
// the engine in Node for the attributes in force.
const CASES = {
  emission: {
    attrs: { issuance: "10600000" }, change: { issuance: "15750000" }, event: "result",
    project: (d) => ({ emission: String(d.emission), issuance: String(d.issuance) }),
    check: (p, a) => {
      assert.equal(p.issuance, String(rao(a.issuance)));
      assert.equal(p.emission, String(E.blockEmission(rao(a.issuance))));
    },
  },
  stake: {
    attrs: { amount: "250", netuid: "1", take: "9", share: "20", days: "6", paths: "3", seed: "7", sigma: "150", drift: "-10", spread: "0", exit: "1" },
    change: { days: "8" }, event: "result",
    project: (d) => ({ last: Object.fromEntries(Object.entries(d.report.series.at(-1)).map(([k, v]) => [k, String(v)])), apr: d.report.apr, strategies: d.strategies.length }),
    check: (p, a) => {
      const want = E.stakeReturn(stakeInput(a));
      const last = want.series.at(-1);
      assert.equal(p.last.day, String(last.day));
      assert.equal(p.last.taoP50, String(last.taoP50));
      assert.equal(p.last.taoP90, String(last.taoP90));
      assert.equal(p.apr, want.apr);
      assert.equal(p.strategies, 2, "root and subnet 1 beside the position (spread 0)");
    },
  },
  slippage: {
    attrs: { netuid: "1", amount: "250" }, change: { amount: "1000", order: "sell" }, event: "quote",
    project: (d) => ({ order: d.order, amount: String(d.amount), out: String(d.quote.amountOut), fee: String(d.quote.fee) }),
    check: (p, a) => {
      const order = a.order ?? "buy";
      const q = E.poolQuote({ pool: SN1, order, amount: rao(a.amount) });
      assert.deepEqual(p, { order, amount: String(rao(a.amount)), out: String(q.amountOut), fee: String(q.fee) });
    },
  },
  consensus: {
    attrs: { preset: "epoch__test_yuma_3_kappa_moves_first__dense" }, change: { preset: "epoch__test_10_graph" }, event: "replay",
    project: (d) => ({ preset: d.preset, n: d.n, epochs: d.epochs, passed: d.passed, total: d.total }),
    check: (p, a) => {
      const scenario = JSON.parse(readFileSync(path.join(root, `data/yuma/epoch/${a.preset}.json`), "utf8"));
      const replay = E.replayYumaScenario(JSON.stringify(scenario));
      assert.equal(p.preset, a.preset);
      assert.equal(p.n, replay.n);
      assert.equal(p.epochs, replay.epochs.length);
      assert.ok(p.total > 0 && p.passed === p.total, `upstream checks ${p.passed}/${p.total}`);
    },
  },
  verify: {
    attrs: { snapshot: "graph-10" }, change: { snapshot: "active-stake" }, event: "verify",
    project: (d) => ({ verdict: d.verdict, netuid: d.netuid, block: String(d.block), mismatched: d.mismatched }),
    check: (p, a) => {
      const file = { "graph-10": "epoch__test_10_graph-step-10", "active-stake": "epoch__test_active_stake-step-6" }[a.snapshot];
      const v = E.verifySnapshot(readFileSync(path.join(root, `www/src/verify/data/${file}.json`), "utf8"));
      assert.deepEqual(p, { verdict: "match", netuid: v.netuid, block: String(v.block), mismatched: 0 });
      assert.equal(v.verdict, "match");
    },
  },
  retention: {
    attrs: { figure: "retention-lines", steps: "3", seed: "5", autorun: "1" }, change: { seed: "6" }, event: "retention-done",
    project: (d) => ({ seed: d.seed, total: d.total, rows: d.csv.trim().split("\n").filter((l) => !l.startsWith("#")).length }),
    check: (p, a) => {
      assert.equal(p.seed, Number(a.seed));
      assert.ok(p.total > 0, "cells drawn");
      assert.equal(p.rows, p.total + 1, "one CSV row per cell under the header");
    },
  },
  playground: {
    attrs: { demo: "vision", epochs: "2", validators: "2", backend: "cpu", cheaters: "random", controls: "none" },
    change: { epochs: "3" }, event: "done",
    project: (d) => ({ epochs: d.history.length, backend: d.backend.kind, uids: d.history[0].uids.length }),
    check: (p, a) => {
      assert.equal(p.epochs, Number(a.epochs));
      assert.equal(p.backend, "cpu");
      assert.equal(p.uids, 2 + 3 + 1, "2 validators, 3 honest miners, 1 random cheater");
    },
  },
};
const TAGS = { emission: "tao-emission", stake: "tao-stake-simulator", slippage: "tao-slippage", consensus: "tao-consensus-explorer", verify: "tao-verify", retention: "tao-retention-map", playground: "tao-subnet-playground" };
const WIDTHS = [{ width: 1280, height: 900, name: "desktop" }, { width: 390, height: 844, name: "phone" }];
const TIMEOUT = 120000;

let site, host, browser, script;
before(async () => {
  await prepareApp();
  site = await serve(distDir);
  host = await serve(null);
  script = elementScript(readFileSync(path.join(distDir, "embed.html"), "utf8"));
  browser = await launch({ webgpu: false });
});
after(async () => {
  await browser?.close();
  await site?.close();
  await host?.close();
});

const attrText = (attrs) => Object.entries(attrs).map(([k, v]) => ` ${k}="${v}"`).join("");

// Records every event the manifest names for `tag` (composed events reach the document).
const recorder = (events) => `<script>
  window.__count = {}; window.__last = {}; window.__types = new Set();
  for (const name of ${JSON.stringify(events)}) document.addEventListener(name, (e) => {
    window.__types.add(e.type); window.__count[e.type] = (window.__count[e.type] || 0) + 1; window.__last[e.type] = e.detail;
  });
</script>`;

function plainPage(demo) {
  const tag = TAGS[demo];
  const decl = DECLS.find((d) => d.tagName === tag);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A plain page</title><link rel="icon" href="data:,">${recorder(decl.events.map((e) => e.name))}
<script type="module" src="${script}"></script></head>
<body style="margin:8px;font-family:serif"><h1>A plain page</h1><p>One script tag and one element.</p>
<${tag} id="demo" style="--tao-bg:#ffffff;--tao-fg:#1d1d1d;--tao-border:#d8d4cc"${attrText(CASES[demo].attrs)}></${tag}></body></html>`;
}

function hostPage(demo) {
  const q = new URLSearchParams(CASES[demo].attrs);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Another site</title><link rel="icon" href="data:,"></head>
<body style="margin:8px"><h1>Another site</h1>
<script>window.__msgs = []; window.addEventListener("message", (e) => { if (e.data && e.data.type === "tao-embed") window.__msgs.push({ origin: e.origin, data: e.data }); });</script>
<iframe data-tao-embed id="frame" src="${site.origin}/embed/${demo}.html?${q}" style="width:100%;border:0;height:150px" title="${demo}"></iframe>
<script src="${site.origin}/embed/resizer.js"></script></body></html>`;
}

const overflow = (target) => target.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const demo of Object.keys(CASES)) {
  const c = CASES[demo];
  const tag = TAGS[demo];
  const decl = DECLS.find((d) => d.tagName === tag);

  for (const w of WIDTHS) {
    test(`<${tag}> in a plain page at ${w.name} width: renders, emits ${c.event}, follows an attribute change`, async () => {
      assert.ok(decl, `${tag} is in custom-elements.json`);
      site.setPage(`/plain/${demo}.html`, plainPage(demo));
      const { page, problems } = await openWatched(browser.context, `${site.url}plain/${demo}.html`, { viewport: w });
      try {
        await page.waitForFunction((t) => (window.__count[t] || 0) >= 1, c.event, { timeout: TIMEOUT });
        const first = await page.evaluate(([t, f]) => (0, eval)(f)(window.__last[t]), [c.event, c.project.toString()]);
        c.check(first, c.attrs);
        const info = await page.evaluate((tag) => {
          const el = document.getElementById("demo");
          const cls = customElements.get(tag);
          return {
            shadow: !!el.shadowRoot, parts: el.shadowRoot.querySelectorAll("*").length, height: el.getBoundingClientRect().height,
            width: el.getBoundingClientRect().width, leaked: document.querySelectorAll("table, canvas, section, form, input").length,
            observed: [...cls.observedAttributes].sort(), events: cls.events ? [...cls.events].sort() : null,
            bg: getComputedStyle(el).backgroundColor,
            textColours: [...new Set([...el.shadowRoot.querySelectorAll("p, td, h2, strong")].map((n) => getComputedStyle(n).color))],
          };
        }, tag);
        assert.ok(info.shadow && info.parts > 10, "renders in its shadow root");
        assert.ok(info.height > 150, `height ${info.height}`);
        assert.ok(info.width <= w.width, `width ${info.width}`);
        assert.equal(info.leaked, 0, "nothing rendered into the host page's DOM");
        assert.equal(info.bg, "rgb(255, 255, 255)", "--tao-bg themes the element");
        assert.ok(info.textColours.includes("rgb(29, 29, 29)"), `--tao-fg themes the text inside (${info.textColours})`);
        // custom-elements.json describes what the browser defined
        assert.deepEqual(info.observed, decl.attributes.map((a) => a.name).sort(), "observedAttributes = the manifest's attributes");
        if (info.events) assert.deepEqual(info.events, decl.events.map((e) => e.name).sort(), "events = the manifest's events");
        assert.ok((await overflow(page)) <= 1, "no horizontal overflow");
        await page.locator("#demo").screenshot({ path: path.join(shots, `embed-${demo}-${w.name}.png`) });

        // an attribute change re-runs the demo with it
        const before = await page.evaluate((t) => window.__count[t], c.event);
        await page.evaluate((attrs) => { const el = document.getElementById("demo"); for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v); }, c.change);
        await page.waitForFunction(([t, n]) => window.__count[t] > n, [c.event, before], { timeout: TIMEOUT });
        const changed = await page.evaluate(([t, f]) => (0, eval)(f)(window.__last[t]), [c.event, c.project.toString()]);
        c.check(changed, { ...c.attrs, ...c.change });
        assert.notDeepEqual(changed, first);
        if (decl.members.some((m) => m.name === "result")) {
          const result = await page.evaluate(([f]) => (0, eval)(f)(document.getElementById("demo").result), [c.project.toString()]);
          assert.deepEqual(result, changed, "element.result holds the last primary event's detail");
        }

        // the events it sent are all declared; defining again (the script once more) is harmless
        const types = await page.evaluate(() => [...window.__types]);
        for (const t of types) assert.ok(decl.events.some((e) => e.name === t), `${t} is declared`);
        const again = await page.evaluate(async ([src, tag]) => {
          const cls = customElements.get(tag);
          await import(`${src}?again`);
          await new Promise((r) => setTimeout(r, 200));
          return customElements.get(tag) === cls;
        }, [script, tag]);
        assert.ok(again, "a second define keeps the first class, without an error");
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });

    test(`embed/${demo}.html in an iframe of another origin at ${w.name} width: height, events, attribute change by postMessage`, async () => {
      host.setPage(`/host/${demo}.html`, hostPage(demo));
      assert.notEqual(host.origin, site.origin);
      const { page, problems } = await openWatched(browser.context, `${host.url}host/${demo}.html`, { viewport: w });
      try {
        const count = (kind, event) => page.evaluate(([k, e]) => window.__msgs.filter((m) => m.data.kind === k && (!e || m.data.event === e)).length, [kind, event]);
        await page.waitForFunction((e) => window.__msgs.some((m) => m.data.kind === "event" && m.data.event === e), c.event, { timeout: TIMEOUT });
        const msgs = await page.evaluate(() => window.__msgs.map((m) => ({ origin: m.origin, kind: m.data.kind, demo: m.data.demo, version: m.data.version, tag: m.data.tag, height: m.data.height })));
        assert.ok(msgs.every((m) => m.origin === site.origin && m.demo === demo && m.version === 1), "every message from the frame's origin, demo and version");
        assert.equal(msgs.find((m) => m.kind === "ready")?.tag, tag);
        const first = await page.evaluate(([e, f]) => (0, eval)(f)(window.__msgs.filter((m) => m.data.event === e).at(-1).data.detail), [c.event, c.project.toString()]);
        c.check(first, c.attrs);

        // the frame reports its height and resizer.js applies the last one
        await page.waitForFunction(() => {
          const h = window.__msgs.filter((m) => m.data.kind === "height").at(-1)?.data.height;
          return h > 150 && document.getElementById("frame").style.height === `${h}px`;
        }, null, { timeout: 20000 });
        const frame = page.frames().find((f) => f.url().startsWith(`${site.origin}/embed/${demo}.html`));
        assert.ok(frame, "the embed frame");
        const inner = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
        const reported = await page.evaluate(() => window.__msgs.filter((m) => m.data.kind === "height").at(-1).data.height);
        assert.ok(Math.abs(inner - reported) <= 1, `frame content ${inner}px, reported ${reported}px`);
        assert.ok((await overflow(frame)) <= 1, "no horizontal overflow inside the frame");
        assert.ok((await overflow(page)) <= 1, "no horizontal overflow in the host page");
        await page.locator("#frame").screenshot({ path: path.join(shots, `embed-frame-${demo}-${w.name}.png`) });

        // an attribute change sent by the host page
        const before = await count("event", c.event);
        await page.evaluate((attrs) => window.taoEmbed.set(document.getElementById("frame"), attrs), c.change);
        await page.waitForFunction(([e, n]) => window.__msgs.filter((m) => m.data.kind === "event" && m.data.event === e).length > n, [c.event, before], { timeout: TIMEOUT });
        const changed = await page.evaluate(([e, f]) => (0, eval)(f)(window.__msgs.filter((m) => m.data.event === e).at(-1).data.detail), [c.event, c.project.toString()]);
        c.check(changed, { ...c.attrs, ...c.change });
        if (demo === "slippage") {
          // the reader changes the state inside: the frame's URL follows and the parent hears it
          await frame.locator("[data-testid=amount-input]").fill("42");
          await page.waitForFunction(() => window.__msgs.some((m) => m.data.kind === "state" && m.data.state.amount === "42"), null, { timeout: 20000 });
          const state = await page.evaluate(() => window.__msgs.filter((m) => m.data.kind === "state").at(-1).data);
          assert.equal(new URLSearchParams(state.query).get("amount"), "42");
          assert.equal(new URL(frame.url()).searchParams.get("amount"), "42");
          assert.equal(new URL(frame.url()).searchParams.get("order"), "sell", "the state set by the host is kept");
        }
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }
}

test("object properties: a custom pool, a snapshot and a subnet set as properties re-run the demos", async () => {
  site.setPage("/plain/props.html", `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
${recorder(["quote", "verify", "run"])}<script type="module" src="${script}"></script></head>
<body><tao-slippage id="pool" amount="100"></tao-slippage><tao-verify id="snap"></tao-verify><tao-consensus-explorer id="cx"></tao-consensus-explorer></body></html>`);
  const { page, problems } = await openWatched(browser.context, `${site.url}plain/props.html`);
  try {
    await page.waitForFunction(() => window.__count.quote >= 1 && window.__count.verify === undefined, null, { timeout: TIMEOUT });
    // the embedded SN1 metagraph cannot re-run (no verify event); a snapshot set as a property does
    const pool = { taoReserve: 12_345_000_000_000n, alphaReserve: 987_654_000_000_000n };
    const text = readFileSync(path.join(root, "www/src/verify/data/epoch__test_outdated_weights-step-0.json"), "utf8");
    const subnet = { validators: [{ stake: 50 }, { stake: 50 }], miners: 2, weights: [[65535, 0], [0, 65535]] };
    await page.evaluate(([pool, text, subnet]) => {
      document.getElementById("pool").pool = pool;
      document.getElementById("snap").snapshotData = text;
      document.getElementById("cx").subnet = subnet;
    }, [pool, text, subnet]);
    await page.waitForFunction(() => window.__count.quote >= 2 && window.__count.verify >= 1 && window.__count.run >= 1, null, { timeout: TIMEOUT });
    const got = await page.evaluate(() => ({
      out: String(window.__last.quote.quote.amountOut), tao: String(window.__last.quote.pool.taoReserve),
      verdict: window.__last.verify.verdict, block: String(window.__last.verify.block),
      incentive: window.__last.run.incentive, epochs: window.__last.run.epochs,
    }));
    assert.equal(got.tao, String(pool.taoReserve));
    assert.equal(got.out, String(E.poolQuote({ pool, order: "buy", amount: 100n * RAO }).amountOut));
    const v = E.verifySnapshot(text);
    assert.deepEqual([got.verdict, got.block], [v.verdict, String(v.block)]);
    assert.equal(got.epochs, 20, "the explorer's default 20 epochs");
    assert.equal(got.incentive.length, 4);
    assert.ok(got.incentive[2] > 0 && got.incentive[3] > 0 && got.incentive[0] === 0, `incentive ${got.incentive}`);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("the docs page shows every element live, with snippets as text", async () => {
  const { page, problems } = await openWatched(browser.context, `${site.url}embed/index.html`, { viewport: { width: 390, height: 844 } });
  try {
    await page.waitForSelector("body[data-ready=true]", { timeout: TIMEOUT });
    for (const demo of Object.keys(CASES)) {
      await page.waitForSelector(`[data-log=${demo}]:has-text("Heard")`, { timeout: TIMEOUT });
      const snippet = await page.textContent(`[data-snippet=${demo}-element]`);
      assert.match(snippet, new RegExp(`^<${TAGS[demo]}[^>]*></${TAGS[demo]}>$`));
      const frame = await page.textContent(`[data-snippet=${demo}-iframe]`);
      assert.ok(frame.includes(`${site.origin}/embed/${demo}.html?`), frame);
    }
    assert.equal(await page.textContent("[data-snippet=script]"), `<script type="module" src="${site.origin}${script}"></script>`);
    assert.equal(await page.locator("pre tao-emission, pre iframe").count(), 0, "snippets are text, not markup");
    await page.waitForFunction(() => /height \d+ px|event/.test(document.getElementById("frame-log").textContent), null, { timeout: TIMEOUT });
    assert.ok((await overflow(page)) <= 1, "no horizontal overflow at phone width");
    await page.screenshot({ path: path.join(shots, "embed-docs-phone.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
