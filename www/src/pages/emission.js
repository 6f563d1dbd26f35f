// Emission demo (the home page and <tao-emission>): TAO block emission against total issuance and
// the halving schedule, all from the engine (spec emission-and-pools.md §4). Side-effect free:
// `mount(root, ctx)` draws into root; the page (entries/index.js) and the element share it.
// State: ?issuance= (TAO). Event: `result` { issuance, emission, halvings, nextHalving } (rao bigints).
import { blockEmission, blockEmissionBatch, halvingSchedule } from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { errorText, formatTao, parseTao, taoNumber } from "../lib/format.js";
import { lineChart } from "../lib/chart.js";

const BLOCKS_PER_DAY = 7200n; // 12 s blocks
const TOTAL_SUPPLY = 21_000_000_000_000_000n;

export const page = {
  title: "Emission & halving",
  lead: "Every block mints TAO. How much depends only on total issuance: the chain takes log₂ of 1/(1 − issuance/21 M) " +
    "in 96.32 fixed point, floors it, and halves 1 TAO that many times. Each subnet's alpha follows the same curve " +
    "on its own issuance. Everything below is computed by the wasm engine with the chain's arithmetic.",
};

/** Draw the emission demo into `main`; ctx: { params, props, emit, setState } (see lib/embed/element.js). */
export function mount(main, ctx) {
  const schedule = halvingSchedule(24);

  // Calculator
  const input = el("input", { id: "issuance", inputmode: "decimal", value: ctx.params.get("issuance") ?? "10,600,000", "aria-label": "Total issuance in TAO", dataset: { testid: "issuance-input" } });
  const out = el("div", { class: "big", dataset: { testid: "emission-output" } });
  const detail = el("p", { class: "muted", dataset: { testid: "emission-detail" } });
  const update = (user) => {
    try {
      const issuance = parseTao(input.value);
      const e = blockEmission(issuance);
      out.textContent = `${formatTao(e)} TAO per block`;
      const next = schedule.find((s) => s.issuanceFrom > issuance);
      const halvings = schedule.filter((s) => s.issuanceFrom <= issuance).length - 1;
      if (user) ctx.setState({ issuance: input.value.trim() });
      ctx.emit("result", { issuance, emission: e, halvings, nextHalving: next?.issuanceFrom ?? null });
      detail.textContent = issuance >= TOTAL_SUPPLY
        ? "The 21 M cap is reached: nothing more is minted."
        : `${formatTao(e * BLOCKS_PER_DAY, 3)} TAO per day · ${halvings} halving${halvings === 1 ? "" : "s"} so far` +
          (next ? ` · next halving at ${formatTao(next.issuanceFrom, 0)} TAO issued (${formatTao(next.issuanceFrom - issuance, 0)} TAO from here)` : "");
    } catch (err) {
      out.textContent = "—";
      detail.textContent = errorText(err);
    }
  };
  input.addEventListener("input", () => update(true));
  update(false);
  main.append(card("TAO per block at an issuance", null,
    el("label", { for: "issuance" }, "Total issuance (TAO)"), input, out, detail));

  // Chart: sample the engine across the whole range, plus both sides of every threshold so the
  // steps are sharp.
  const N = 1200n;
  const points = new Set();
  for (let i = 0n; i <= N; i++) points.add((TOTAL_SUPPLY * i) / N);
  for (const s of schedule) if (s.issuanceFrom > 0n) { points.add(s.issuanceFrom - 1n); points.add(s.issuanceFrom); }
  const xs = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ys = blockEmissionBatch(BigUint64Array.from(xs));
  const chartBox = el("div", { class: "chart", dataset: { testid: "emission-chart" } });
  main.append(card("Block emission against total issuance",
    "Stepped: the emission halves each time issuance crosses 21 M × (1 − 2⁻ᵏ). Recycled TAO lowers issuance and so delays the next halving.",
    chartBox));
  lineChart(chartBox, {
    x: xs.map((v) => Number(v) / 1e15),
    series: [{ label: "TAO per block", values: Array.from(ys, (v) => taoNumber(v)), stepped: true }],
    xLabel: "Total issuance (M TAO)",
    yLabel: "TAO per block",
    xFormat: (v) => `${v.toFixed(2)} M`,
  });

  // Table
  const rows = schedule.map((s, i) => {
    const next = schedule[i + 1];
    const blocks = next && s.emission > 0n ? (next.issuanceFrom - s.issuanceFrom + s.emission - 1n) / s.emission : null;
    const years = blocks == null ? "—" : (Number(blocks) / Number(BLOCKS_PER_DAY) / 365.25).toFixed(2);
    return el("tr", {},
      el("td", {}, String(s.halvings)),
      el("td", {}, formatTao(s.issuanceFrom, 0)),
      el("td", {}, formatTao(s.emission)),
      el("td", {}, formatTao(s.emission * BLOCKS_PER_DAY, 3)),
      el("td", {}, blocks == null ? "—" : blocks.toLocaleString("en-US")),
      el("td", {}, years));
  });
  main.append(card("The halving schedule",
    "Thresholds found by bisection on the engine's own emission function, so they include the fixed-point rounding. " +
    "Era length assumes every minted TAO stays issued (no recycling) and 12-second blocks.",
    el("table", { dataset: { testid: "schedule-table" } },
      el("thead", {}, el("tr", {}, ["Halvings", "From issuance (TAO)", "TAO / block", "TAO / day", "Blocks in era", "Years"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))));
}
