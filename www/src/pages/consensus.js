// Consensus explorer (consensus.html and <tao-consensus-explorer>): the upstream scenarios as
// presets (replayed by the engine, with the chain's own expectations checked), and an editable
// small subnet run for N epochs with the full trace. Every number on this page comes from the
// engine. Side-effect free: `mount(root, ctx)` draws into root. State: ?preset=&epoch=&yuma-case=. Property
// `subnet` ({ validators: [{ stake }], miners, weights: [[u16]] }) replaces the editable subnet and
// runs it. Events: `replay` { preset, n, epochs, epoch, passed, total } when a preset is shown,
// `run` { epochs, consensus, incentive, dividends, emission } after the editable subnet ran.
import { replayYumaScenario, runEpochs, defaultHyperparameters } from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { errorText, formatTao, RAO_PER_TAO as RAO } from "../lib/format.js";
import { lineChart } from "../lib/chart.js";
import { heatmap } from "../lib/heatmap.js";
import { versionsCard } from "../consensus/versions.js";

// Every epoch scenario of the repository's Yuma vectors, loaded on demand (text, parsed by the engine).
const SCENARIOS = /** @type {Record<string, () => Promise<string>>} */ (import.meta.glob(["../../../data/yuma/epoch/*.json", "../../../data/yuma/mechanism/*.json"],
  { query: "?raw", import: "default" }));
const presetId = (path) => path.split("/").pop().replace(/\.json$/, "");
const MAX_PRESET_UIDS = 64;

const u16 = (v) => (v / 65535).toFixed(4);
const dense = (rows, n) => rows.map((r) => { const d = new Array(n).fill(0); for (const [j, v] of r) if (j < n) d[j] = v; return d; });

const EXPLAIN = [
  ["Stake", "Each validator's stake (alpha plus TAO × tao weight), normalized. Only validators with a permit (top-k by stake) count."],
  ["Weights", "Each validator's weight row, as stored (u16), then masked: no self-weights, no weights older than the target's registration, row-normalized."],
  ["Consensus", "For each miner, the stake-weighted median of the weights it received, at the kappa quantile (kappa = 0.5 is the median)."],
  ["Clipping", "Weights above consensus are clipped to it: a validator gains nothing by over-weighting a miner the majority does not back."],
  ["Incentive", "The stake-weighted sum of clipped weights, normalized: the miners' share of the emission."],
  ["Bonds", "Validators accumulate bonds in the miners they weight (an EMA; Yuma3 bonds are relative and can use liquid alpha)."],
  ["Dividends", "Each validator earns by its bonds times the miners' incentive: backing good miners early pays."],
];

export const page = {
  title: "Consensus explorer",
  lead: "Yuma consensus turns validators' weights into miner incentive and validator dividends every epoch. " +
    "This page runs the engine's bit-exact port of the chain's epoch: first on the chain's own test scenarios, " +
    "then on a small subnet you edit; last, yuma-simulation's historical Yuma versions side by side.",
};

/** Draw the explorer into `main`; ctx: { params, props, emit, setState } (see lib/embed/element.js). */
export async function mount(main, outer) {
  // The sections share one state: each one's setState keeps the others' keys.
  const state = Object.fromEntries(outer.params);
  const ctx = { ...outer, setState: (s) => outer.setState(Object.assign(state, s)) };
  await presetSection(main, ctx);
  playgroundSection(main, ctx);
  main.append(await versionsCard(ctx));
}

async function presetSection(main, ctx) {
  const params = ctx.params;
  const entries = Object.keys(SCENARIOS).sort();
  const select = el("select", { id: "preset", dataset: { testid: "preset-select" }, "aria-label": "Scenario" },
    entries.map((p) => el("option", { value: presetId(p) }, presetId(p).replace(/^(epoch|epoch_logs|mechanism)__/, "").replaceAll("_", " "))));
  const wanted = params.get("preset");
  select.value = entries.some((p) => presetId(p) === wanted) ? wanted : "epoch__test_yuma_3_kappa_moves_first__dense";
  const body = el("div", { dataset: { testid: "preset-body" } });
  const run = async () => {
    const path = entries.find((p) => presetId(p) === select.value);
    const text = await SCENARIOS[/** @type {string} */ (path)]();
    const replay = replayYumaScenario(text);
    const preset = select.value;
    renderPreset(body, replay, Number(params.get("epoch") ?? replay.epochs.length - 1), (i) => {
      ctx.setState({ preset, epoch: i });
      const e = replay.epochs;
      ctx.emit("replay", {
        preset, n: replay.n, epochs: e.length, epoch: i,
        passed: e.reduce((a, x) => a + x.checks.filter((c) => c.passed).length, 0),
        total: e.reduce((a, x) => a + x.checks.length, 0),
      });
    });
  };
  select.addEventListener("change", () => run().catch(showError(body)));
  main.append(card("Upstream scenarios",
    "The chain's own epoch tests (subtensor tests/epoch.rs and friends), replayed step by step. " +
    "Each epoch lists how the test's expectations fared against the engine's output.",
    el("label", { for: "preset" }, "Scenario"), select, body));
  await run().catch(showError(body));
}

function showError(target) {
  return (err) => {
    console.error(err);
    target.replaceChildren(el("div", { class: "error", role: "alert" }, errorText(err)));
  };
}

function renderPreset(body, replay, epochIndex, onEpoch) {
  const n = replay.n;
  const epochs = replay.epochs;
  const passed = epochs.reduce((a, e) => a + e.checks.filter((c) => c.passed).length, 0);
  const total = epochs.reduce((a, e) => a + e.checks.length, 0);
  const detail = el("div", {});
  const buttons = epochs.map((e, i) => el("button", { type: "button", "aria-pressed": "false", onclick: () => select(i) }, e.label));
  const select = (i) => {
    buttons.forEach((b, k) => b.setAttribute("aria-pressed", String(k === i)));
    renderEpoch(detail, epochs[i], n);
    onEpoch(i);
  };
  const charts = el("div", { class: "grid" });
  body.replaceChildren(...[
    el("p", { class: "muted" }, replay.description),
    el("p", { class: "cx-checks", dataset: { testid: "preset-checks" } },
      `${epochs.length} epochs · ${n} uids · upstream checks: `,
      el("span", { class: passed === total ? "ok" : "bad" }, `${passed}/${total} passed`)),
    n > MAX_PRESET_UIDS ? el("p", { class: "muted" }, `This scenario has ${n} uids; only the first ${MAX_PRESET_UIDS} are drawn.`) : null,
    charts,
    el("div", { class: "cx-epochs", role: "group", "aria-label": "Epochs" }, buttons),
    detail,
  ].filter(Boolean));
  const shown = Math.min(n, 12);
  const x = epochs.map((_, i) => i);
  for (const [key, label] of [["incentive", "Incentive (u16/65535) by epoch"], ["dividends", "Dividends (u16/65535) by epoch"]]) {
    const box = el("div", { class: "chart" });
    charts.append(el("div", {}, el("h3", {}, label), box));
    lineChart(box, {
      x, height: 220, xLabel: "epoch",
      series: Array.from({ length: shown }, (_, u) => ({ label: `uid ${u}`, values: epochs.map((e) => (e.output[key][u] ?? 0) / 65535) }))
        .filter((s) => s.values.some((v) => v > 0)),
    });
  }
  select(Math.max(0, Math.min(epochs.length - 1, Number.isFinite(epochIndex) ? epochIndex : epochs.length - 1)));
}

function renderEpoch(target, e, n) {
  const m = Math.min(n, MAX_PRESET_UIDS);
  const o = e.output;
  const rows = Array.from({ length: m }, (_, u) => el("tr", {},
    el("td", {}, String(u)),
    el("td", {}, u16(e.stakeWeight[u] ?? 0)),
    el("td", {}, String(o.incentive[u] ?? 0)),
    el("td", {}, String(o.dividends[u] ?? 0)),
    el("td", {}, String(o.consensus[u] ?? 0)),
    el("td", {}, String(o.validatorTrust[u] ?? 0)),
    el("td", {}, formatTao(o.serverEmission[u] ?? 0n)),
    el("td", {}, formatTao(o.validatorEmission[u] ?? 0n)),
    el("td", {}, o.validatorPermit[u] ? "yes" : "")));
  const failed = e.checks.filter((c) => !c.passed);
  target.replaceChildren(...[
    el("h3", {}, `${e.label} · block ${e.block}`),
    el("div", { class: "cx-scroll" }, el("table", { dataset: { testid: "epoch-table" } },
      el("thead", {}, el("tr", {}, ["uid", "stake", "incentive", "dividends", "consensus", "v. trust", "miner TAO", "validator TAO", "permit"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows))),
    el("p", { class: "muted", dataset: { testid: "epoch-checks" } },
      e.checks.length === 0 ? "No upstream expectation at this epoch." :
        `${e.checks.length - failed.length}/${e.checks.length} upstream expectations hold at this epoch.`),
    failed.length ? el("ul", { class: "bad" }, failed.map((c) => el("li", {}, `${c.field}: expected ${c.expected}, engine ${c.actual}`))) : null,
    el("div", { class: "grid" },
      heatmap({ title: "Stored weights (rows: validators)", rows: dense(e.weights.slice(0, m), m), format: (v) => `${v} (${u16(v)})` }),
      heatmap({ title: "Bonds after the epoch", rows: dense(e.bonds.slice(0, m), m), format: (v) => `${v} (${u16(v)})` })),
  ].filter(Boolean));
}

// ---------------------------------------------------------------------------------------------
// The editable subnet

function playgroundSection(main, ctx) {
  const defaults = defaultHyperparameters(undefined);
  const given = ctx.props.subnet;
  const state = given ? {
    validators: given.validators.map((v) => ({ stake: Number(v.stake ?? v) })),
    miners: Number(given.miners ?? given.weights?.[0]?.length ?? 1),
    weights: given.validators.map((_, i) => Array.from({ length: Number(given.miners ?? given.weights?.[0]?.length ?? 1) }, (_, j) => Number(given.weights?.[i]?.[j] ?? 0))),
  } : {
    validators: [{ stake: 100 }, { stake: 60 }, { stake: 25 }],
    miners: 4,
    weights: [[60000, 30000, 5000, 0], [40000, 40000, 10000, 0], [0, 0, 0, 65535]],
  };
  // The inputs by id, looked up in this demo's own tree (it may live in a shadow root).
  const inputs = {};
  const num = (id, label, value, attrs = {}) => el("label", {}, label, inputs[id] = el("input", { id, type: "number", value: String(value), ...attrs }));
  const check = (id, label, on) => el("label", { class: "check" }, inputs[id] = el("input", { id, type: "checkbox", checked: on || null }), label);
  const paramsBox = el("div", { class: "cx-params" },
    num("cx-kappa", "kappa (/65535)", defaults.kappa, { min: 0, max: 65535 }),
    num("cx-penalty", "bonds penalty (/65535)", defaults.bondsPenalty, { min: 0, max: 65535 }),
    num("cx-bma", "bonds moving average (/1e6)", Number(defaults.bondsMovingAverage), { min: 0, max: 1000000 }),
    num("cx-epochs", "epochs to run", 20, { min: 1, max: 500 }),
    check("cx-yuma3", "Yuma3", defaults.yuma3Enabled),
    check("cx-liquid", "liquid alpha", false));
  const grid = el("div", { class: "cx-scroll" });
  const out = el("div", { dataset: { testid: "custom-output" } });
  const drawGrid = () => {
    const head = el("tr", {}, el("th", {}, "validator"), el("th", {}, "stake (α)"),
      Array.from({ length: state.miners }, (_, j) => el("th", {}, `→ miner ${j}`)));
    const body = state.validators.map((v, i) => el("tr", {},
      el("td", {}, `v${i}`),
      el("td", {}, el("input", { type: "number", min: 0, value: String(v.stake), "aria-label": `stake of validator ${i}`,
        oninput: (ev) => { v.stake = Number(ev.target.value); } })),
      Array.from({ length: state.miners }, (_, j) => el("td", {}, el("input", {
        type: "number", min: 0, max: 65535, value: String(state.weights[i][j] ?? 0), "aria-label": `weight of validator ${i} on miner ${j}`,
        oninput: (ev) => { state.weights[i][j] = Number(ev.target.value); } })))));
    grid.replaceChildren(el("table", { class: "cx-weights" }, el("thead", {}, head), el("tbody", {}, body)));
  };
  drawGrid();
  const addValidator = el("button", { type: "button", onclick: () => { state.validators.push({ stake: 10 }); state.weights.push(new Array(state.miners).fill(0)); drawGrid(); } }, "+ validator");
  const addMiner = el("button", { type: "button", onclick: () => { state.miners += 1; state.weights.forEach((r) => r.push(0)); drawGrid(); } }, "+ miner");
  const run = () => {
    try { ctx.emit("run", renderCustom(out, state, inputs)); } catch (err) { showError(out)(err); }
  };
  const runButton = el("button", { type: "button", class: "primary", dataset: { testid: "custom-run" }, onclick: run }, "Run epochs");
  main.append(el("div", { class: "cx-grid" },
    card("Your subnet",
      "Validators (rows) set weights on miners (columns), as raw u16 values; the engine normalizes them as the chain does. " +
      "Change stakes, weights or parameters and run: bonds carry over from epoch to epoch.",
      paramsBox, grid, el("div", { class: "row" }, addValidator, addMiner, runButton), out),
    el("aside", { class: "card" }, el("h2", {}, "What each step does"), EXPLAIN.flatMap(([h, t]) => [el("h3", {}, h), el("p", {}, t)]))));
  if (given) run();
}

function renderCustom(out, state, inputs) {
  const value = (id) => Number(inputs[id].value);
  const checked = (id) => inputs[id].checked;
  const v = state.validators.length;
  const n = v + state.miners;
  const weights = state.validators.map((_, i) => state.weights[i]
    .map((w, j) => [v + j, Math.max(0, Math.min(65535, Math.round(w || 0)))]).filter(([, w]) => w > 0));
  const input = {
    hyperparameters: {
      tempo: 100, kappa: value("cx-kappa"), bondsPenalty: value("cx-penalty"), bondsMovingAverage: value("cx-bma"),
      yuma3Enabled: checked("cx-yuma3"), liquidAlphaEnabled: checked("cx-liquid"),
      maxAllowedValidators: v, activityCutoffFactorMilli: 1_000_000, stakeThreshold: 0, taoWeight: 0,
    },
    n, currentBlock: 1000n, emission: RAO,
    alphaStake: [...state.validators.map((x) => BigInt(Math.max(0, Math.round(x.stake || 0))) * RAO), ...new Array(state.miners).fill(0n)],
    blockAtRegistration: new Array(n).fill(0), lastUpdate: new Array(n).fill(999),
    validatorPermit: [...new Array(v).fill(true), ...new Array(state.miners).fill(false)],
    weights: [...weights, ...new Array(state.miners).fill([])],
  };
  const epochs = runEpochs(input, Math.max(1, Math.min(500, value("cx-epochs") || 1)), { trace: true });
  const last = epochs[epochs.length - 1];
  const t = /** @type {NonNullable<typeof last.trace>} */ (last.trace);
  const x = epochs.map((_, i) => i);
  const minerCols = (rows) => rows.slice(0, v).map((r) => { const d = new Array(state.miners).fill(0); for (const [j, w] of r) if (j >= v) d[j - v] = w; return d; });
  const charts = el("div", { class: "grid" });
  out.replaceChildren(
    el("h3", {}, `After ${epochs.length} epochs`),
    el("div", { class: "cx-scroll" }, el("table", { dataset: { testid: "custom-table" } },
      el("thead", {}, el("tr", {}, ["uid", "role", "consensus", "incentive", "dividends", "emission (TAO)"].map((h) => el("th", {}, h)))),
      el("tbody", {}, Array.from({ length: n }, (_, u) => el("tr", {},
        el("td", {}, String(u)), el("td", {}, u < v ? `validator ${u}` : `miner ${u - v}`),
        el("td", {}, u16(last.consensus[u])), el("td", {}, u16(last.incentive[u])), el("td", {}, u16(last.dividends[u])),
        el("td", {}, formatTao(last.emission[u]))))))),
    el("div", { class: "grid" },
      heatmap({ title: "Normalized weights W", rows: minerCols(t.weightsNormalized), colLabels: Array.from({ length: state.miners }, (_, j) => `m${j}`), rowLabels: state.validators.map((_, i) => `v${i}`), format: (x) => x.toFixed(4) }),
      heatmap({ title: "Clipped weights W̄ (at consensus)", rows: minerCols(t.clippedWeights), colLabels: Array.from({ length: state.miners }, (_, j) => `m${j}`), rowLabels: state.validators.map((_, i) => `v${i}`), format: (x) => x.toFixed(4) }),
      heatmap({ title: "Bonds after the last epoch", rows: minerCols(t.bondsAfter), colLabels: Array.from({ length: state.miners }, (_, j) => `m${j}`), rowLabels: state.validators.map((_, i) => `v${i}`), format: (x) => x.toFixed(4) })),
    charts,
  );
  for (const [key, label, from, to] of [["incentive", "Miner incentive by epoch", v, n], ["dividends", "Validator dividends by epoch", 0, v]]) {
    const box = el("div", { class: "chart" });
    charts.append(el("div", {}, el("h3", {}, label), box));
    lineChart(box, { x, height: 220, xLabel: "epoch",
      series: Array.from({ length: to - from }, (_, k) => ({ label: key === "incentive" ? `miner ${k}` : `validator ${k}`, values: epochs.map((e) => e[key][from + k] / 65535) })) });
  }
  return { epochs: epochs.length, consensus: last.consensus, incentive: last.incentive, dividends: last.dividends, emission: last.emission };
}
