// The consensus explorer's "Yuma versions" card: one yuma-simulation case run under each
// historical Yuma version (Yuma 1, 2, 2B, 2C, 3, 3 with liquid alpha) by the engine's
// `yumaVersions`, side by side: validator dividends and server incentive over the epochs, and the
// final bonds. These are yuma-simulation's definitions in f32 (as torch computes them), not the
// chain's fixed-point epoch. Side-effect free; state: ?yuma-case=<index>.
import { yumaVersions } from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { lineChart } from "../lib/chart.js";
import { errorText } from "../lib/format.js";

const NAMES = {
  yuma1: "Yuma 1", yuma2: "Yuma 2", yuma2b: "Yuma 2B", yuma2c: "Yuma 2C", yuma3: "Yuma 3", "yuma3-liquid": "Yuma 3, liquid alpha",
};

/** Digits shown for every value in this card. */
export const DIGITS = 4;
const fmt = (v) => v.toFixed(DIGITS);
// Yuma 2C keeps raw bonds (bought against a capacity of stake × (2^64 − 1)), so they can be huge.
const fmtBond = (v) => (Math.abs(v) >= 1e4 ? v.toExponential(3) : fmt(v));
const NOTES = { yuma2c: "Bonds are raw (bought against a capacity of stake × (2^64 − 1)), not normalised." };

/** The card; `ctx` is the page's mount context (params, setState). */
export async function versionsCard(ctx) {
  const { default: data } = await import("./data/yuma-cases.json");
  const cases = data.cases;
  const select = el("select", { id: "yuma-case", dataset: { testid: "yuma-case-select" }, "aria-label": "yuma-simulation case" },
    cases.map((c, i) => el("option", { value: String(i) }, c.name)));
  const wanted = Number(ctx.params.get("yuma-case"));
  select.value = Number.isInteger(wanted) && wanted >= 0 && wanted < cases.length ? String(wanted) : "0";
  const body = el("div", { class: "cx-versions", dataset: { testid: "yuma-versions" } });
  const draw = () => {
    const c = cases[Number(select.value)];
    try {
      body.replaceChildren(...c.versions.map((v) => column(c, v)));
      body.dataset.case = select.value;
    } catch (err) {
      console.error(err);
      body.replaceChildren(el("div", { class: "error", role: "alert" }, errorText(err)));
    }
  };
  select.addEventListener("change", () => {
    ctx.setState({ "yuma-case": select.value });
    draw();
  });
  const section = card("Yuma versions over time",
    "The same case of yuma-simulation (opentensor's research simulator) under each historical Yuma version, side by side: " +
    "validator dividends and server incentive per epoch, and the bonds after the last epoch. " +
    "These are yuma-simulation's definitions, computed by the engine in 32-bit floats as torch does, " +
    "each version with the parameters yuma-simulation gives it (b = bond penalty). They are not the chain's " +
    "exact fixed-point epoch, which the sections above run.",
    el("label", { for: "yuma-case" }, "Case"), select, body);
  draw();
  return section;
}

function column(c, v) {
  const s = c.scenario;
  const out = yumaVersions({ ...s, version: v.version, params: v.params });
  const epochs = out.epochs;
  const x = epochs.map((_, i) => i);
  const last = epochs[epochs.length - 1];
  const validators = Array.from({ length: s.num_validators }, (_, i) => i);
  const servers = Array.from({ length: s.num_servers }, (_, j) => j);
  const div = el("div", { class: "cx-chart" });
  const inc = el("div", { class: "cx-chart" });
  const col = el("div", { class: "cx-version", dataset: { testid: "version-column", version: v.version } },
    el("h3", {}, NAMES[v.version] ?? v.version),
    el("p", { class: "muted" }, `yuma-simulation run: ${v.label}`),
    NOTES[v.version] ? el("p", { class: "muted" }, NOTES[v.version]) : null,
    el("h4", {}, "Validator dividends"), div,
    el("h4", {}, "Server incentive"), inc,
    el("h4", {}, `After epoch ${epochs.length - 1}`),
    el("div", { class: "cx-scroll" }, el("table", { dataset: { testid: "final-values" } },
      el("thead", {}, el("tr", {}, el("th", {}, "validator"), el("th", {}, "dividend"),
        servers.map((j) => el("th", {}, `bond in server ${j}`)))),
      el("tbody", {}, validators.map((i) => el("tr", {},
        el("th", { scope: "row" }, String(i)),
        el("td", { dataset: { testid: "dividend" } }, fmt(last.dividends[i])),
        servers.map((j) => el("td", {}, fmtBond(last.bonds[i][j])))))))),
    el("p", { class: "muted", dataset: { testid: "final-incentive" } },
      `Server incentive: ${servers.map((j) => `${j}: ${fmt(last.incentives[j])}`).join(", ")}`));
  // Charts size to their container: drawn once the card is in the page.
  setTimeout(() => {
    lineChart(div, { x, height: 160, xLabel: "epoch",
      series: validators.map((i) => ({ label: `validator ${i}`, values: epochs.map((e) => e.dividends[i]) })) });
    lineChart(inc, { x, height: 160, xLabel: "epoch",
      series: servers.map((j) => ({ label: `server ${j}`, values: epochs.map((e) => e.incentives[j]) })) });
  }, 0);
  return col;
}
