// Pools & slippage (pools.html and <tao-slippage>): exact quotes on a subnet pool (real SN1
// reserves or typed in), the slippage curve, a limit-price calculator with partial fill, and the
// same trade in each pool era — all computed by the engine with the chain's arithmetic (spec
// emission-and-pools.md §11-§12, §17). Side-effect free: `mount(root, ctx)` draws into root.
// State: ?netuid=1&amount=100&order=buy (amount in TAO for a buy, alpha for a sell; netuid=custom
// with tao= and alpha= reserves). Property `pool` ({ taoReserve, alphaReserve } in rao) sets a
// custom pool. Event: `quote` { pool, order, amount, quote } after every quote.
import { addStake, amountForPrice, maxAmount, poolQuote, removeStake, roundTrip, slippageCurve } from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { errorText, formatTao, parseTao, percent, taoNumber } from "../lib/format.js";
import { lineChart } from "../lib/chart.js";
import { mountPoolsLive } from "../lib/pools-live.js";
import data from "../pools/data/pools.json";

/** @type {[import("tao-engine/full").PoolEraName, string][]} */
const ERAS = [
  ["weighted", "Weighted pool (current, since 2026-06-25)"],
  ["v3", "Uniswap v3, full range (2025-06-30 … 2026-06-25)"],
  ["constant-product", "Constant product (dTAO launch, 2025-02-13)"],
];

const priceTao = (rao) => `${formatTao(BigInt(rao))} TAO/α`;

/** Output fields: label → element with a data-testid. */
function outputs(prefix, labels) {
  const box = el("div", { class: "pools-out" });
  const v = {};
  for (const [key, label] of labels) {
    v[key] = el("div", { class: "v", dataset: { testid: `${prefix}-${key}` } }, "—");
    box.append(el("div", {}, el("div", { class: "k" }, label), v[key]));
  }
  return { box, v, clear() { for (const n of Object.values(v)) n.textContent = "—"; } };
}

export const page = {
  title: "Pools & slippage",
  lead: "What a stake or unstake gets on a subnet pool, exactly as the chain would execute it: the fee, the output, " +
    "the effective price and how far the trade moves the price. Real SN1 reserves are embedded; type your own to try " +
    "another pool. Everything is computed in your browser by the wasm engine.",
};

/** Draw the pools demo into `main`; ctx: { params, props, emit, setState } (see lib/embed/element.js). */
export function mount(main, ctx) {
  const params = ctx.params;
  const pools = data.pools;

  // --- Pool choice -------------------------------------------------------------------------
  const select = el("select", { id: "pool-select", dataset: { testid: "pool-select" } },
    pools.map((p) => el("option", { value: String(p.netuid) }, `SN${p.netuid} ${p.name} — block ${p.block.toLocaleString("en-US")}`)),
    el("option", { value: "custom" }, "Custom pool (type reserves)"));
  const customTao = el("input", { id: "custom-tao", inputmode: "decimal", value: "10000", dataset: { testid: "custom-tao" } });
  const customAlpha = el("input", { id: "custom-alpha", inputmode: "decimal", value: "1000000", dataset: { testid: "custom-alpha" } });
  const customBox = el("div", { class: "row pools-custom", hidden: true },
    el("div", {}, el("label", { for: "custom-tao" }, "TAO reserve (SubnetTAO)"), customTao),
    el("div", {}, el("label", { for: "custom-alpha" }, "Alpha reserve (SubnetAlphaIn)"), customAlpha));
  const poolInfo = el("p", { class: "muted", dataset: { testid: "pool-info" } });
  main.append(card("Subnet pool",
    "Embedded: the SN1 Metagraph captured from finney at block 6,852,344 (runtime 343): tao_in and alpha_in are the " +
    "pool reserves. Quotes use today's weighted-pool rules with 50/50 weights unless an era is compared below.",
    el("label", { for: "pool-select" }, "Pool"), select, customBox, poolInfo));

  // --- Trade -------------------------------------------------------------------------------
  const order = el("select", { id: "order", dataset: { testid: "order" } },
    el("option", { value: "buy" }, "Stake (TAO → alpha)"), el("option", { value: "sell" }, "Unstake (alpha → TAO)"));
  const amount = el("input", { id: "amount", inputmode: "decimal", value: "100", dataset: { testid: "amount-input" } });
  const slider = el("input", { id: "amount-slider", type: "range", min: "0", max: "1000", step: "1", class: "pools-slider",
    "aria-label": "Amount (logarithmic)", dataset: { testid: "amount-slider" } });
  const amountLabel = el("label", { for: "amount" }, "Amount (TAO)");
  const msg = el("p", { class: "pools-msg bad", dataset: { testid: "quote-error" } });
  const q = outputs("quote", [["out", "You receive"], ["fee", "Fee"], ["price", "Effective price"], ["spot", "Spot price before"],
    ["after", "Spot price after"], ["impact", "Price impact"], ["slippage", "Slippage vs spot"]]);
  main.append(card("Quote", "Fee included: the fee is taken from the input (33/65535 ≈ 0.05 %) and goes to the block author.",
    el("div", { class: "row" }, el("div", {}, el("label", { for: "order" }, "Trade"), order),
      el("div", {}, amountLabel, amount)),
    el("label", { for: "amount-slider" }, "Size (drag: 0.001 → the whole reserve, log scale)"), slider, msg, q.box));
  mountPoolsLive(main, { amount, order, netuid: Number(params.get("netuid")) || 1 });

  // --- Curve -------------------------------------------------------------------------------
  const chartBox = el("div", { class: "chart", dataset: { testid: "slippage-chart" } });
  main.append(card("Slippage curve",
    "Every point is an exact engine quote (120 sizes, log-spaced up to the input reserve). Price impact: how far the " +
    "spot price moves; slippage: the output lost against trading the whole amount at the spot price (fee included).",
    chartBox));

  // --- Limit -------------------------------------------------------------------------------
  const limit = el("input", { id: "limit", inputmode: "decimal", value: "", dataset: { testid: "limit-input" } });
  const partial = el("input", { id: "partial", type: "checkbox", checked: true, dataset: { testid: "partial" } });
  const limitMsg = el("p", { class: "pools-msg bad", dataset: { testid: "limit-error" } });
  const lim = outputs("limit", [["max", "Most that fits the limit"], ["filled", "Executed"], ["refund", "Not executed"],
    ["got", "You receive"], ["after", "Spot price after"], ["target", "Input to reach the limit exactly"]]);
  main.append(card("Limit price",
    "add_stake_limit / remove_stake_limit: the chain stops where the price reaches your limit. With partial fills allowed " +
    "it executes what fits; without, an order that does not fit fails (fill-or-kill).",
    el("div", { class: "row" },
      el("div", {}, el("label", { for: "limit" }, "Limit price (TAO per alpha)"), limit),
      el("label", { class: "pools-check", for: "partial" }, partial, "Allow partial fill")),
    limitMsg, lim.box));

  // --- Eras --------------------------------------------------------------------------------
  const eraBody = el("tbody", {});
  main.append(card("The same trade in each pool era",
    "The same reserves and amount under each set of rules the chain has used. The v3 pool is the protocol's full-range " +
    "position (≈ constant product with the percentage fee); the launch pool took a flat 50,000 rao fee. Round trip: " +
    "stake the amount and unstake everything it bought at once.",
    el("div", { class: "pools-table-wrap" }, el("table", { dataset: { testid: "era-table" } },
      el("thead", {}, el("tr", {}, ["Era", "You receive", "Fee", "Effective price", "Price impact", "Round-trip cost"].map((h) => el("th", {}, h)))),
      eraBody))));

  // --- State -------------------------------------------------------------------------------
  const initial = params.get("netuid");
  select.value = pools.some((p) => String(p.netuid) === initial) ? initial : initial === "custom" ? "custom" : String(pools[0].netuid);
  if (params.get("order") === "sell") order.value = "sell";
  if (params.get("amount")) amount.value = params.get("amount");
  if (params.get("tao")) customTao.value = params.get("tao");
  if (params.get("alpha")) customAlpha.value = params.get("alpha");
  if (params.get("limit")) limit.value = params.get("limit");
  if (params.get("partial") === "0") partial.checked = false;
  if (ctx.props.pool) {
    select.value = "custom";
    customTao.value = formatTao(BigInt(ctx.props.pool.taoReserve)).replace(/,/g, "");
    customAlpha.value = formatTao(BigInt(ctx.props.pool.alphaReserve)).replace(/,/g, "");
  }

  let curveKey = "";

  function currentPool() {
    if (select.value === "custom") {
      return { pool: { taoReserve: parseTao(customTao.value), alphaReserve: parseTao(customAlpha.value) }, block: null, name: "custom" };
    }
    const p = pools.find((x) => String(x.netuid) === select.value) ?? pools[0];
    return { pool: { taoReserve: BigInt(p.taoReserve), alphaReserve: BigInt(p.alphaReserve), netuid: p.netuid }, block: p.block, name: `SN${p.netuid} ${p.name}`, meta: p };
  }

  /** The side the order select names. @returns {import("tao-engine/full").OrderSide} */
  const orderSide = () => (order.value === "sell" ? "sell" : "buy");
  const inputReserve = (pool) => (order.value === "buy" ? pool.taoReserve : pool.alphaReserve);
  const unitIn = () => (order.value === "buy" ? "TAO" : "α");
  const unitOut = () => (order.value === "buy" ? "α" : "TAO");

  // Slider: position 0…1000 ↔ 10^6 rao … the input reserve, geometric.
  const sliderToAmount = (pos, max) => {
    const lo = Math.log10(1e6), hi = Math.log10(Math.max(Number(max), 1e7));
    return BigInt(Math.round(10 ** (lo + ((hi - lo) * pos) / 1000)));
  };
  const amountToSlider = (rao, max) => {
    const lo = Math.log10(1e6), hi = Math.log10(Math.max(Number(max), 1e7));
    return Math.round(Math.min(1000, Math.max(0, ((Math.log10(Math.max(Number(rao), 1)) - lo) / (hi - lo)) * 1000)));
  };

  function syncUrl() {
    const custom = select.value === "custom";
    ctx.setState({
      netuid: select.value, amount: amount.value.trim(), order: order.value === "sell" ? "sell" : null,
      tao: custom ? customTao.value.trim() : null, alpha: custom ? customAlpha.value.trim() : null,
    });
  }

  function drawCurve(pool) {
    const key = `${pool.taoReserve}/${pool.alphaReserve}/${order.value}`;
    if (key === curveKey) return;
    curveKey = key;
    chartBox.replaceChildren();
    const pts = slippageCurve({ pool, order: orderSide(), maxAmount: inputReserve(pool), points: 120, logarithmic: true });
    const spot = Number(poolQuote({ pool, order: orderSide(), amount: 1_000_000n }).spotPriceRao);
    const ok = pts.filter((p) => p.amountOut > 0n);
    const slip = ok.map((p) => {
      const eff = Number(p.effectivePriceRao);
      return order.value === "buy" ? (eff / spot - 1) * 100 : (1 - eff / spot) * 100;
    });
    lineChart(chartBox, {
      x: ok.map((p) => Math.log10(taoNumber(p.amountIn))),
      series: [
        { label: "Slippage vs spot (%)", values: slip },
        { label: "Price impact (%)", values: ok.map((p) => Math.abs(p.priceImpact) * 100) },
      ],
      xLabel: `Amount (${unitIn()}, log)`,
      yLabel: "%",
      xFormat: (v) => { const a = 10 ** v; return a >= 1000 ? `${(a / 1000).toFixed(a >= 1e4 ? 0 : 1)}k` : a >= 1 ? a.toFixed(0) : a.toPrecision(1); },
    });
  }

  /**
   * @param {any} pool
   * @param {bigint | null} amt
   */
  function updateLimit(pool, amt) {
    lim.clear();
    limitMsg.textContent = "";
    const text = limit.value.trim();
    if (!text) { limitMsg.textContent = ""; lim.v.max.textContent = "Type a limit price"; return; }
    let limitRao;
    try { limitRao = parseTao(text); } catch (err) { limitMsg.textContent = err.message; return; }
    const side = orderSide();
    try {
      const m = maxAmount({ pool, order: side, limitPrice: limitRao });
      lim.v.max.textContent = `${formatTao(m)} ${unitIn()}`;
    } catch (err) { lim.v.max.textContent = errorText(err); }
    try {
      const t = amountForPrice({ pool, order: side, targetPrice: limitRao });
      lim.v.target.textContent = `${formatTao(t.amountIn)} ${unitIn()}`;
    } catch (err) { lim.v.target.textContent = err.code ?? "—"; }
    if (amt == null) return;
    try {
      const req = { pool, amount: amt, limitPrice: limitRao, allowPartial: partial.checked };
      if (side === "buy") {
        const r = addStake(req);
        lim.v.filled.textContent = `${formatTao(r.taoIn)} TAO`;
        lim.v.refund.textContent = `${formatTao(amt - r.taoIn)} TAO`;
        lim.v.got.textContent = `${formatTao(r.alpha)} α`;
        lim.v.after.textContent = priceTao(r.poolAfter.priceRao);
      } else {
        const r = removeStake(req);
        lim.v.filled.textContent = `${formatTao(/** @type {bigint} */ (r.alphaIn - r.refund))} α`;
        lim.v.refund.textContent = `${formatTao(r.refund)} α`;
        lim.v.got.textContent = `${formatTao(r.tao)} TAO`;
        lim.v.after.textContent = priceTao(r.poolAfter.priceRao);
      }
    } catch (err) {
      limitMsg.textContent = err.code === "LIMIT_NOT_FILLABLE"
        ? `${errorText(err)} — the order does not fit this limit${partial.checked ? "" : " (allow a partial fill to execute what fits)"}.`
        : errorText(err);
    }
  }

  function updateEras(pool, amt) {
    eraBody.replaceChildren();
    for (const [era, label] of ERAS) {
      const cells = [el("td", {}, label)];
      try {
        const r = poolQuote({ pool, order: orderSide(), amount: amt, era });
        cells.push(el("td", {}, `${formatTao(r.amountOut)} ${unitOut()}`), el("td", {}, `${formatTao(r.fee)} ${unitIn()}`),
          el("td", {}, priceTao(r.effectivePriceRao)), el("td", {}, percent(r.priceImpact, 4)));
      } catch (err) {
        cells.push(el("td", { colspan: "4" }, errorText(err)));
      }
      try {
        const rt = order.value === "buy" ? roundTrip({ pool, amount: amt, era }) : null;
        cells.push(el("td", {}, rt ? `${formatTao(rt.cost)} TAO (${percent(rt.costFraction, 4)})` : "—"));
      } catch (err) { cells.push(el("td", {}, err.code ?? "—")); }
      eraBody.append(el("tr", { dataset: { era } }, cells));
    }
  }

  function update({ fromSlider = false } = {}) {
    msg.textContent = "";
    q.clear();
    amountLabel.textContent = `Amount (${unitIn()})`;
    let cur;
    try { cur = currentPool(); } catch (err) { msg.textContent = `Pool: ${errorText(err)}`; eraBody.replaceChildren(); return; }
    const { pool } = cur;
    const spotRao = pool.alphaReserve > 0n ? (pool.taoReserve * 1_000_000_000n) / pool.alphaReserve : 0n;
    poolInfo.textContent = `${cur.name}${cur.block ? ` at block ${cur.block.toLocaleString("en-US")}` : ""}: ` +
      `${formatTao(pool.taoReserve, 3)} TAO and ${formatTao(pool.alphaReserve, 3)} α in the pool · spot ≈ ${formatTao(spotRao)} TAO/α`;
    if (!limit.value && spotRao > 0n) limit.value = formatTao((spotRao * (order.value === "buy" ? 101n : 99n)) / 100n).replace(/,/g, "");
    syncUrl();
    try { drawCurve(pool); } catch (err) { chartBox.replaceChildren(el("p", { class: "bad" }, errorText(err))); curveKey = ""; }
    /** @type {bigint | null} */
    let amt = null;
    try {
      amt = parseTao(amount.value);
      if (!fromSlider) slider.value = String(amountToSlider(amt, inputReserve(pool)));
      const r = poolQuote({ pool, order: orderSide(), amount: amt });
      q.v.out.textContent = `${formatTao(r.amountOut)} ${unitOut()}`;
      q.v.fee.textContent = `${formatTao(r.fee)} ${unitIn()}`;
      q.v.price.textContent = priceTao(r.effectivePriceRao);
      q.v.spot.textContent = priceTao(r.spotPriceRao);
      q.v.after.textContent = priceTao(r.priceAfterRao);
      q.v.impact.textContent = percent(r.priceImpact, 4);
      q.v.slippage.textContent = `${formatTao(r.slippage)} ${unitOut()}`;
      ctx.emit("quote", { pool, order: order.value, amount: amt, quote: r });
    } catch (err) {
      msg.textContent = errorText(err);
      eraBody.replaceChildren();
      updateLimit(pool, null);
      return;
    }
    updateEras(pool, amt);
    updateLimit(pool, amt);
  }

  select.addEventListener("change", () => { customBox.hidden = select.value !== "custom"; limit.value = ""; update(); });
  order.addEventListener("change", () => { limit.value = ""; update(); });
  for (const i of [customTao, customAlpha]) i.addEventListener("input", () => { limit.value = ""; update(); });
  amount.addEventListener("input", () => update());
  limit.addEventListener("input", () => update());
  partial.addEventListener("change", () => update());
  slider.addEventListener("input", () => {
    let max = 10n ** 13n;
    try { max = inputReserve(currentPool().pool); } catch { /* keep the default */ }
    amount.value = formatTao(sliderToAmount(Number(slider.value), max)).replace(/,/g, "");
    update({ fromSlider: true });
  });
  customBox.hidden = select.value !== "custom";
  update();
}
