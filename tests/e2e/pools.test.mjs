// End to end for the Pools & slippage page: offline (no request leaves 127.0.0.1), the quote
// shown equals the engine's quote computed here in Node from pkg/node for the same inputs, the
// slider moves the quote, deep links set the state, bad input shows a clear message, phone width
// has no horizontal overflow; screenshots go to tests/e2e/screenshots/pools-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched, waitReady } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const E = await import(path.join(root, "pkg/node/index.js"));

// The same SN1 reserves the page embeds, read from the chain fixture itself.
const fx = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"), "utf8")).derived;
const SN1 = { taoReserve: BigInt(fx.tao_in), alphaReserve: BigInt(fx.alpha_in) };

// Format rao as the page does (grouped whole part, up to 9 decimals, trailing zeros dropped).
const fmt = (rao) => {
  const frac = (rao % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${(rao / 1_000_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? "." + frac : ""}`;
};

// Parse a TAO amount as the page's input does ("4070.15" -> rao).
const rao = (text) => {
  const [w, f = ""] = text.replace(/,/g, "").split(".");
  return BigInt(w) * 1_000_000_000n + BigInt(f.padEnd(9, "0"));
};

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

async function open(query) {
  const w = await openWatched(browser.context, `${server.url}pools.html${query}`);
  // The page draws once the full wasm entry is compiled: generous on a loaded machine.
  await waitReady(w, ["footer", "[data-testid=slippage-chart] canvas", "[data-testid=era-table] tr[data-era]"], 60000);
  return w;
}

test("pools page: SN1 quote equals the engine's, slider and deep link move it, eras listed", async () => {
  const { page, problems } = await open("?netuid=1&amount=250");
  try {
    assert.equal(await page.inputValue("[data-testid=amount-input]"), "250");
    assert.match(await page.textContent("[data-testid=pool-info]"), /block 6,852,344/);
    const q = E.poolQuote({ pool: SN1, order: "buy", amount: 250_000_000_000n });
    assert.equal(await page.textContent("[data-testid=quote-out]"), `${fmt(q.amountOut)} α`);
    assert.equal(await page.textContent("[data-testid=quote-fee]"), `${fmt(q.fee)} TAO`);
    assert.equal(await page.textContent("[data-testid=quote-price]"), `${fmt(q.effectivePriceRao)} TAO/α`);

    // The era table: the same trade under each set of rules.
    for (const era of ["weighted", "v3", "constant-product"]) {
      const r = E.poolQuote({ pool: SN1, order: "buy", amount: 250_000_000_000n, era });
      assert.equal(await page.textContent(`[data-testid=era-table] tr[data-era="${era}"] td:nth-child(2)`), `${fmt(r.amountOut)} α`, era);
    }

    // The slider changes the amount and the quote.
    await page.locator("[data-testid=amount-slider]").fill("900");
    const moved = await page.inputValue("[data-testid=amount-input]");
    assert.notEqual(moved, "250");
    const q2 = E.poolQuote({ pool: SN1, order: "buy", amount: rao(moved) });
    assert.ok(q2.amountOut > q.amountOut);
    assert.equal(await page.textContent("[data-testid=quote-out]"), `${fmt(q2.amountOut)} α`);
    assert.match(page.url(), new RegExp(`amount=${moved.replace(".", "\\.")}`));

    // Limit price with partial fill: executed = maxAmount for that limit.
    await page.locator("[data-testid=amount-slider]").fill("400");
    await page.fill("[data-testid=amount-input]", "5000");
    await page.fill("[data-testid=limit-input]", "0.0096");
    const max = E.maxAmount({ pool: SN1, order: "buy", limitPrice: 9_600_000n });
    assert.equal(await page.textContent("[data-testid=limit-max]"), `${fmt(max)} TAO`);
    assert.equal(await page.textContent("[data-testid=limit-filled]"), `${fmt(max)} TAO`);
    await page.uncheck("[data-testid=partial]");
    assert.match(await page.textContent("[data-testid=limit-error]"), /LIMIT_NOT_FILLABLE/);

    await page.screenshot({ path: path.join(shots, "pools-desktop.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } catch (err) {
    // Whatever failed, say what the page itself reported.
    err.message += `\nproblems the page reported: ${JSON.stringify(problems)}`;
    throw err;
  } finally {
    await page.close();
  }
});

test("pools page: bad input shows a clear message and the page recovers; sell side; phone width", async () => {
  const { page, problems } = await open("?netuid=1&amount=100&order=sell");
  try {
    const q = E.poolQuote({ pool: SN1, order: "sell", amount: 100_000_000_000n });
    assert.equal(await page.textContent("[data-testid=quote-out]"), `${fmt(q.amountOut)} TAO`);
    await page.fill("[data-testid=amount-input]", "abc");
    assert.match(await page.textContent("[data-testid=quote-error]"), /not a TAO amount/);
    assert.equal(await page.textContent("[data-testid=quote-out]"), "—");
    await page.fill("[data-testid=amount-input]", "0");
    assert.match(await page.textContent("[data-testid=quote-error]"), /ZERO_AMOUNT/);
    await page.fill("[data-testid=amount-input]", "100");
    assert.equal(await page.textContent("[data-testid=quote-error]"), "");
    assert.equal(await page.textContent("[data-testid=quote-out]"), `${fmt(q.amountOut)} TAO`);

    // A typed-in pool; an empty one is refused with its code.
    await page.selectOption("[data-testid=pool-select]", "custom");
    await page.selectOption("[data-testid=order]", "buy");
    await page.fill("[data-testid=custom-tao]", "0");
    assert.match(await page.textContent("[data-testid=quote-error]"), /EMPTY_POOL/);
    await page.fill("[data-testid=custom-tao]", "10000");
    await page.fill("[data-testid=custom-alpha]", "1000000");
    const c = E.poolQuote({ pool: { taoReserve: 10_000n * 10n ** 9n, alphaReserve: 1_000_000n * 10n ** 9n }, order: "buy", amount: 100n * 10n ** 9n });
    assert.equal(await page.textContent("[data-testid=quote-out]"), `${fmt(c.amountOut)} α`);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(150);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${overflow}px horizontal overflow at phone width`);
    await page.screenshot({ path: path.join(shots, "pools-phone.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } catch (err) {
    // Whatever failed, say what the page itself reported.
    err.message += `\nproblems the page reported: ${JSON.stringify(problems)}`;
    throw err;
  } finally {
    await page.close();
  }
});
