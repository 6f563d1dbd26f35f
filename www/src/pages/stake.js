// Stake simulator (stake.html and <tao-stake-simulator>): what a stake earns over time, from the
// engine's stake-return model (exact pool swaps, the chain's emission terms and bucket split per
// block, seeded Monte Carlo over user flows). The paths run in Web Workers, one per core
// (../lib/stake-parallel.js, ../stake/worker.js), a few at a time, so the page never freezes; the
// shards merge into the report one run gives; progress over all workers, and a cancel button that
// terminates every worker. Side-effect free:
// `mount(root, ctx)` draws into root; every input is the demo's state (the page's query string, the
// element's attributes). Events: `progress` { done, total, workers }, `result` { report, strategies },
// `error` { code, field, message }. Property `spreadNetuids`: the subnets of the spread strategy.
import * as engine from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { errorText, formatTao, parseTao, percent, taoNumber } from "../lib/format.js";
import { lineChart } from "../lib/chart.js";
import { mountStakeLive } from "../lib/stake-live.js";
import { coreCount, startWorkers, webEndpoint } from "../lib/worker-pool.js";
import { runStakeParallel } from "../lib/stake-parallel.js";

const FIELDS = [
  // [query key, label, default, kind, help]
  ["amount", "Amount (TAO)", "100", "tao", "TAO staked at entry, fee included"],
  ["netuid", "Subnet (0 = root)", "1", "int", "The subnet to stake on; 0 stakes on root"],
  ["take", "Validator take (%)", "18", "pct", "The validator's delegate take"],
  ["share", "Validator's dividend share (%)", "10", "pct", "Share of the subnet's validator dividends the validator earns"],
  ["days", "Horizon (days)", "30", "int", "How long the stake is held"],
  ["paths", "Monte Carlo paths", "32", "int", "More paths: smoother ranges, slower"],
  ["seed", "Seed", "1", "int", "Same seed, same numbers"],
  ["sigma", "Daily flow σ (bp of pool TAO)", "100", "int", "Standard deviation of daily net user flow"],
  ["drift", "Daily flow mean (bp)", "0", "sint", "Mean daily net flow; negative = outflow"],
  ["spread", "Spread over N largest pools", "4", "int", "For the strategy comparison"],
];

/** The model input for the form values (also what the e2e test recomputes in Node). */
function modelInput(values, spreadNetuids) {
  const pct = (v) => Math.round(Number(v) * 100);
  return {
    amount: parseTao(values.amount),
    netuids: [Number(values.netuid)],
    take: Math.min(65535, Math.round((Number(values.take) / 100) * 65535)),
    dividendSharePpm: pct(values.share) * 100,
    horizonDays: Number(values.days),
    paths: Number(values.paths),
    seed: Number(values.seed),
    flowSigmaBps: Number(values.sigma),
    flowDriftBps: Number(values.drift),
    exit: values.exit !== "0",
    spreadNetuids,
  };
}

/** The state keys (attribute names of <tao-stake-simulator>): every field and `exit`. */
export const STATE_KEYS = [...FIELDS.map(([key]) => key), "exit"];

function readQuery(q) {
  const v = {};
  for (const [key, , def] of FIELDS) v[key] = q.get(key) ?? def;
  v.exit = q.get("exit") ?? "1";
  return v;
}

function validate(values) {
  for (const [key, label, , kind] of FIELDS) {
    const t = String(values[key]).trim();
    if (kind === "tao") parseTao(t);
    else if (kind === "int" && !/^\d+$/.test(t)) throw new Error(`${label}: a whole number`);
    else if (kind === "sint" && !/^-?\d+$/.test(t)) throw new Error(`${label}: a whole number`);
    else if (kind === "pct" && !(/^\d+(\.\d+)?$/.test(t) && Number(t) <= 100)) throw new Error(`${label}: 0 to 100`);
  }
}

const tao = (rao, d = 4) => formatTao(BigInt(rao), d);

export const page = {
  title: "Stake simulator",
  lead: "What will a stake earn? The engine steps the chain's own rules — the subnet's share of block emission, " +
    "liquidity injection and chain buys, the owner cut and the validator bucket, the validator's take — and " +
    "swaps through the exact weighted pool for entry, exit and simulated user flows. A seeded Monte Carlo " +
    "gives a range rather than one number.",
};

/** Draw the simulator into `main` and run it; returns { destroy } (stops the workers). */
export function mount(main, ctx) {
  const values = readQuery(ctx.params);
  const inputs = {};
  const form = el("form", { class: "stake-form", dataset: { testid: "stake-form" } });
  for (const [key, label, , , help] of FIELDS) {
    const id = `f-${key}`;
    inputs[key] = el("input", { id, name: key, value: values[key], inputmode: "decimal", title: help, dataset: { testid: `in-${key}` } });
    form.append(el("label", { for: id }, label, inputs[key]));
  }
  inputs.exit = el("input", { id: "f-exit", type: "checkbox", dataset: { testid: "in-exit" } });
  inputs.exit.checked = values.exit !== "0";
  form.append(el("label", { for: "f-exit", class: "check" }, inputs.exit, "Sell at the horizon (exit fee and slippage)"));
  const runBtn = el("button", { type: "submit", class: "primary", dataset: { testid: "run" } }, "Run");
  const cancelBtn = el("button", { type: "button", disabled: true, dataset: { testid: "cancel" } }, "Cancel");
  const progress = el("progress", { max: "1", value: "0", dataset: { testid: "progress" } });
  const status = el("p", { class: "muted", dataset: { testid: "status" }, role: "status" }, "");
  form.append(el("div", { class: "actions" }, runBtn, cancelBtn, progress), status);
  mountStakeLive(main, inputs, form);
  main.append(card("Position", "Entry is now, through the pool; dividends are restaked; exit sells everything at the horizon.", form));

  const summary = el("div", { class: "stake-summary", dataset: { testid: "summary" } });
  const chartBox = el("div", { class: "chart", dataset: { testid: "value-chart" } });
  const alphaBox = el("div", { class: "chart", dataset: { testid: "alpha-chart" } });
  const splitTable = el("table", { dataset: { testid: "split-table" } });
  const stratTable = el("table", { dataset: { testid: "strategy-table" } });
  const assumptions = el("ul", { dataset: { testid: "assumptions" } });
  main.append(
    card("Result", null, summary),
    card("Value over time (TAO)", "Median and 10–90 % band over the Monte Carlo paths; mark to market, the last point after exit.", chartBox),
    card("Position in alpha", "Mean alpha held (TAO for root): grows as dividends are restaked.", alphaBox),
    card("Where the value comes from", "Means over paths. Final = amount − fees − slippage + emission yield + price change.",
      el("div", { class: "scroll" }, splitTable)),
    card("Strategy comparison", "Same amount, seed and assumptions.", el("div", { class: "scroll" }, stratTable)),
    card("Assumptions", null, assumptions),
  );

  const subnets = engine.networkSubnets(undefined);
  // The pool (a promise of one) lives across runs; cancel terminates its workers and the next run
  // starts a new one. `active` is the running run's AbortController.
  let poolP = null;
  let active = null;
  let current = 0;
  let charts = [];
  const closePool = () => {
    const p = poolP;
    poolP = null;
    p?.then((x) => x.close(), () => {});
  };
  const poolOf = (size) => {
    if (poolP?.size !== size) {
      closePool();
      poolP = startWorkers(() => new Worker(new URL("../stake/worker.js", import.meta.url), { type: "module" }), size);
      /** @type {any} */ (poolP).size = size;
    }
    return poolP;
  };
  const stop = () => {
    if (!active) return;
    active.abort();
    active = null;
    closePool();
  };

  const setRunning = (on) => {
    runBtn.disabled = on;
    cancelBtn.disabled = !on;
  };

  const render = (report, strategies) => {
    const last = report.series.at(-1);
    summary.replaceChildren(
      el("div", { class: "big", dataset: { testid: "final-p50" } }, `${tao(last.taoP50)} TAO`),
      el("p", {}, "median after ", String(report.series.at(-1).day), " days · range ",
        el("span", { dataset: { testid: "final-p10" } }, tao(last.taoP10)), " – ",
        el("span", { dataset: { testid: "final-p90" } }, tao(last.taoP90)), " TAO (10–90 %)"),
      el("p", {}, "APR ", el("strong", { dataset: { testid: "apr" } }, percent(report.apr)),
        " · APY ", el("strong", { dataset: { testid: "apy" } }, percent(report.apy)),
        " · alpha earned ", el("span", { dataset: { testid: "alpha-earned" } }, tao(report.alphaEarned))),
    );
    for (const c of charts) c.destroy();
    chartBox.replaceChildren();
    alphaBox.replaceChildren();
    const x = report.series.map((p) => p.day);
    const f = (k) => report.series.map((p) => taoNumber(p[k]));
    charts = [
      lineChart(chartBox, { x, xLabel: "Day", yLabel: "TAO", series: [
        { label: "10 %", values: f("taoP10") }, { label: "median", values: f("taoP50") },
        { label: "90 %", values: f("taoP90") }, { label: "mean", values: f("taoMean") }] }),
      lineChart(alphaBox, { x, xLabel: "Day", yLabel: "alpha", series: [{ label: "alpha held", values: f("alphaMean") }] }),
    ];
    const s = report.split;
    const rows = [
      ["Staked", report.amount], ["Entry fee", -s.entryFee], ["Entry slippage", -s.entrySlippage],
      ["Emission yield", s.emissionYield], ["Price change", s.priceChange], ["Exit fee", -s.exitFee],
      ["Exit slippage", -s.exitSlippage],
    ];
    const final = rows.reduce((a, [, v]) => a + BigInt(v), 0n);
    splitTable.replaceChildren(
      el("thead", {}, el("tr", {}, el("th", {}, "Part"), el("th", {}, "TAO"))),
      el("tbody", {}, [...rows, ["Final (mean)", final]].map(([k, v]) =>
        el("tr", {}, el("td", {}, k), el("td", { dataset: { testid: `split-${k.toLowerCase().replace(/\W+/g, "-")}` } }, tao(v, 6))))));
    stratTable.replaceChildren(
      el("thead", {}, el("tr", {}, ["Strategy", "Median (TAO)", "10 %", "90 %", "APR", "APY"].map((h) => el("th", {}, h)))),
      el("tbody", {}, strategies.map((st) => {
        const l = st.report.series.at(-1);
        return el("tr", { dataset: { testid: "strategy-row" } }, el("td", {}, st.label), el("td", {}, tao(l.taoP50)),
          el("td", {}, tao(l.taoP10)), el("td", {}, tao(l.taoP90)), el("td", {}, percent(st.report.apr)), el("td", {}, percent(st.report.apy)));
      })));
    const left = report.runtime.notModelled;
    const items = report.assumptions.map((a) => el("li", {}, a));
    if (left.length) {
      items.push(el("li", { class: "warn", dataset: { testid: "not-modelled" } },
        `Rules of runtime ${report.runtime.rulesSpec} this model leaves out: ${left.join("; ")}.`));
    }
    assumptions.replaceChildren(...items);
  };

  const showError = (e) => {
    setRunning(false);
    const code = e?.code ?? "INTERNAL";
    const field = e?.field ?? null;
    const message = String(e?.message ?? e);
    status.textContent = errorText(e);
    ctx.emit("error", { code, field, message });
  };

  /** The main position, then the strategy comparison (root, subnet, spread), same seed. */
  const plans = (input, spread) => {
    const { spreadNetuids, ...clean } = input;
    const first = clean.netuids[0];
    const out = [
      { label: "position", input: clean },
      { label: "root", input: { ...clean, netuids: [0] } },
      { label: `subnet ${first}`, input: { ...clean, netuids: [first] } },
    ];
    if (spread > 0 && spreadNetuids.length > 0) out.push({ label: `spread over ${spreadNetuids.length}`, input: { ...clean, netuids: spreadNetuids } });
    return out;
  };

  const run = async (id, input, spread) => {
    stop();
    const ctrl = new AbortController();
    active = ctrl;
    const todo = plans(input, spread);
    const size = Math.max(1, Math.min(coreCount(), input.paths));
    const workers = (n) => `${n} worker${n === 1 ? "" : "s"}`;
    try {
      const p = await poolOf(size);
      progress.dataset.workers = String(p.size);
      const onProgress = (done, total) => {
        if (id !== current) return;
        progress.max = total;
        progress.value = done;
        status.textContent = `Running… ${done} / ${total} paths on ${workers(p.size)}`;
        ctx.emit("progress", { done, total, workers: p.size });
      };
      const out = await runStakeParallel(engine, p.workers.map(webEndpoint), todo.map((t) => t.input), { onProgress, signal: ctrl.signal });
      if (active === ctrl) active = null;
      if (id !== current) return;
      setRunning(false);
      if (out.cancelled) {
        status.textContent = "Cancelled.";
        return;
      }
      const [main, ...strategies] = out.reports.map((report, i) => ({ label: todo[i].label, report }));
      status.textContent = `Done: ${main.report.paths} paths on ${workers(p.size)}.`;
      render(main.report, strategies);
      ctx.emit("result", { report: main.report, strategies });
    } catch (e) {
      if (active === ctrl) {
        active = null;
        closePool();
      }
      if (id === current) showError(e);
    }
  };

  const start = () => {
    const v = Object.fromEntries(FIELDS.map(([k]) => [k, inputs[k].value.trim()]));
    v.exit = inputs.exit.checked ? "1" : "0";
    try {
      validate(v);
    } catch (err) {
      status.textContent = err.message;
      ctx.emit("error", { code: "INVALID_INPUT", field: null, message: err.message });
      return;
    }
    ctx.setState(v);
    const n = Number(v.spread);
    const top = ctx.props.spreadNetuids?.map(Number) ?? [...subnets].sort((a, b) => (a.taoReserve < b.taoReserve ? 1 : a.taoReserve > b.taoReserve ? -1 : a.netuid - b.netuid))
      .slice(0, Math.max(0, Math.min(n, 64))).map((s) => s.netuid);
    current += 1;
    setRunning(true);
    progress.value = 0;
    status.textContent = "Running…";
    run(current, modelInput(v, top), ctx.props.spreadNetuids ? top.length : n);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    start();
  });
  cancelBtn.addEventListener("click", stop);
  start();
  return {
    destroy: () => {
      stop();
      closePool();
    },
  };
}
