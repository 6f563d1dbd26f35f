// The retention-map demo as a module: mount(root, opts) builds the controls, the worker pool and
// the canvas inside `root` and returns a controller. Importing it has no side effects (no DOM, no
// workers, no engine start until mount). The page (../pages/retention.js) and the custom element
// <tao-retention-map> both use it.
//
// Events dispatched on `root` (bubbling CustomEvents): "retention-progress" {done, total},
// "retention-done" {ms, total, workers, seed, csv}, "retention-cancelled" {done, total},
// "retention-error" {code, field, message}, "retention-change" {state} when a control changes.
import { buildInfo } from "tao-engine/full";
import { DEFAULTS, FIGURES, STAKES, figureById, requestFor } from "./figures.js";
import { cellCount, createPool, runMap } from "./pool.js";
import { drawEmission, drawRetentionLines } from "./plot.js";
// The styles travel with the mount (a <style> inside the container), so mounting into a shadow
// root works and importing injects nothing.
import css from "./retention.css?inline";
import { el } from "../lib/dom.js";
import { engineReady } from "../lib/engine.js";

// [key, label, kind, help]
const FIELDS = [
  ["seed", "Seed", "int", "Same seed and settings, same map (and CSV), in every browser, Node and natively"],
  ["steps", "Resolution (steps per axis)", "int", "Weights 0, 1/steps, …, 1 on each axis; the published maps use 50"],
  ["kappa", "Kappa κ", "frac", "Stake majority that decides consensus (stored as κ·65535, floored)"],
  ["bondsPenalty", "Bonds penalty β", "frac", "How much of the weight above consensus is cut for bonds"],
  ["validatorShare", "Validators' share ξ", "frac", "Emission ratio: ξ of the emission follows dividends, 1 − ξ incentive"],
  ["weightStddev", "Weight spread σ_W", "frac2", "Standard deviation of the weights, as a fraction of their mean"],
  ["stakeStddev", "Stake spread σ_S", "frac2", "Standard deviation of validator stake, as a fraction of its mean"],
  ["networkN", "Uids", "int", "Network size (upstream 512)"],
  ["validatorsN", "Validators", "int", "Validators among the uids (upstream 64); the rest are servers"],
];

/** The settings of a figure, with `opts` (e.g. from a query string) on top. */
export function settingsFor(opts = {}) {
  const figure = figureById(opts.figure ?? DEFAULTS.figure);
  /** @type {Record<string, any>} */
  const s = { ...DEFAULTS, ...figure.settings };
  for (const k of Object.keys(DEFAULTS)) if (opts[k] != null && opts[k] !== "") s[k] = opts[k];
  s.figure = figure.id;
  s.yuma3 = s.yuma3 === true || s.yuma3 === "1" || s.yuma3 === "true";
  return s;
}

function check(s) {
  for (const [key, label, kind] of FIELDS) {
    const t = String(s[key]).trim();
    const x = Number(t);
    if (kind === "int" && !/^\d+$/.test(t)) throw new Error(`${label}: a whole number`);
    if (kind === "frac" && !(/^\d*\.?\d+$/.test(t) && x <= 1)) throw new Error(`${label}: a number from 0 to 1`);
    if (kind === "frac2" && !(/^\d*\.?\d+$/.test(t) && x <= 2)) throw new Error(`${label}: a number from 0 to 2`);
  }
  if (Number(s.steps) < 1 || Number(s.steps) > 200) throw new Error("Resolution: 1 to 200 steps");
}

/** The CSV of a finished map: a reproducibility header, then upstream's columns. */
export function toCsv(result, note) {
  const c = result.cells;
  const lines = note.map((l) => `# ${l}`);
  lines.push("major_stake,major_weight,minor_weight,avg_weight_dev,major_ratio");
  for (let k = 0; k < result.total; k++) {
    lines.push([c.stakeMilli[k] / 1000, c.majorWeight[k], c.minorWeight[k], c.avgWeightDev[k], c.majorRatio[k]].join(","));
  }
  return lines.join("\n") + "\n";
}

/**
 * Mount the retention-map demo into `root`. opts: any settings (figure, seed, steps, kappa,
 * bondsPenalty, validatorShare, weightStddev, stakeStddev, networkN, validatorsN, yuma3),
 * `workers` (default navigator.hardwareConcurrency), `autorun`. Returns {run, cancel, destroy,
 * state, result}.
 */
export function mount(root, opts = {}) {
  const emit = (type, detail) => root.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  let state = settingsFor(opts);
  let pool = null;
  let abort = null;
  let result = null;
  let destroyed = false;
  const ready = engineReady();

  const figureSelect = el("select", { id: "rt-figure", dataset: { testid: "figure" } },
    FIGURES.map((f) => el("option", { value: f.id }, `${f.title} — ${f.section}`)));
  const inputs = {};
  const form = el("form", { class: "rt-form", dataset: { testid: "retention-form" } },
    el("label", { for: "rt-figure", class: "rt-wide" }, "Figure of docs/consensus.md", figureSelect));
  for (const [key, label, , help] of FIELDS) {
    inputs[key] = el("input", { id: `rt-${key}`, name: key, inputmode: "decimal", title: help, dataset: { testid: `in-${key}` } });
    form.append(el("label", { for: `rt-${key}` }, label, inputs[key]));
  }
  inputs.yuma3 = el("input", { id: "rt-yuma3", type: "checkbox", dataset: { testid: "in-yuma3" } });
  form.append(el("label", { for: "rt-yuma3", class: "check" }, inputs.yuma3, "Yuma3 bonds (the published figures predate Yuma3)"));
  const runBtn = el("button", { type: "submit", class: "primary", dataset: { testid: "run" } }, "Draw map");
  const cancelBtn = el("button", { type: "button", disabled: true, dataset: { testid: "cancel" } }, "Cancel");
  const progress = el("progress", { max: "1", value: "0", dataset: { testid: "progress" } });
  const status = el("p", { class: "muted", role: "status", dataset: { testid: "status" } }, "Choose a figure and draw its map.");
  form.append(el("div", { class: "actions rt-wide" }, runBtn, cancelBtn, progress), status);

  const about = el("p", { class: "muted", dataset: { testid: "figure-note" } });
  const canvas = el("canvas", { class: "rt-canvas", dataset: { testid: "retention-canvas" }, role: "img", "aria-label": "Retention map" });
  const pngBtn = el("button", { type: "button", disabled: true, dataset: { testid: "png" } }, "Export PNG");
  const csvBtn = el("button", { type: "button", disabled: true, dataset: { testid: "csv" } }, "Export CSV");
  const note = el("p", { class: "rt-note", dataset: { testid: "repro-note" } });
  const container = el("div", { class: "rt" }, el("style", {}, css),
    el("section", { class: "card" }, el("h2", {}, "Settings"), form),
    el("section", { class: "card" }, el("h2", {}, "Map"), about, canvas, el("div", { class: "actions" }, pngBtn, csvBtn), note));
  root.append(container);

  const fill = () => {
    figureSelect.value = state.figure;
    for (const [key] of FIELDS) inputs[key].value = String(state[key]);
    inputs.yuma3.checked = state.yuma3;
    const f = figureById(state.figure);
    about.textContent = f.kind === "emission"
      ? `Reproduces ${f.title} (section "${f.section}"): the honest share of emission E_H for honest stake S_H = ${f.stake}, ` +
        `over honest self-weight W_H (x) and cabal self-weight W_C (y); the thick line is E_H = S_H, right of it the honest side grows.`
      : `Reproduces ${f.title} (section "${f.section}"): for each honest stake S_H in ${STAKES.join(", ")}, the line where the honest ` +
        `side's share of emission equals its stake (E_H = S_H); right of a line the honest side keeps or grows its stake.`;
  };
  const read = () => {
    const s = { figure: figureSelect.value, yuma3: inputs.yuma3.checked };
    for (const [key] of FIELDS) s[key] = inputs[key].value.trim();
    return s;
  };
  fill();
  figureSelect.addEventListener("change", () => {
    // A figure brings its own settings; seed, resolution and network size stay.
    const keep = { seed: inputs.seed.value, steps: inputs.steps.value, networkN: inputs.networkN.value, validatorsN: inputs.validatorsN.value };
    state = settingsFor({ figure: figureSelect.value, ...keep });
    fill();
    emit("retention-change", { state: { ...state } });
  });
  form.addEventListener("change", (ev) => {
    if (ev.target === figureSelect) return;
    state = settingsFor(read());
    emit("retention-change", { state: { ...state } });
  });

  const setRunning = (on) => {
    runBtn.disabled = on;
    cancelBtn.disabled = !on;
    figureSelect.disabled = on;
  };

  const noteLines = (s, req, runtime) => {
    const info = buildInfo();
    return [
      `tao-engine ${info.version} retention map, figure ${figureById(s.figure).title} of subtensor docs/consensus.md`,
      `seed ${req.seed}; rules of finney runtime ${runtime.rulesSpec ?? runtime.specVersion}${runtime.approximate ? " (approximate)" : ""}`,
      `networkN ${req.networkN}, validatorsN ${req.validatorsN}, kappa ${req.kappa}/65535, bondsPenalty ${req.bondsPenalty}/65535, ` +
        `validatorShare ${req.validatorShareMilli}/1000, weightStddev ${req.weightStddevMilli}/1000, stakeStddev ${req.stakeStddevMilli}/1000, ` +
        `yuma3 ${req.yuma3}, steps ${req.steps}, stakes ${req.stakesMilli.join(" ")}/1000`,
    ];
  };

  const draw = (s, req, r) => {
    const f = figureById(s.figure);
    if (f.kind === "emission") {
      drawEmission(canvas, { cells: r.cells, stake: f.stake, steps: req.steps, title: `Honest emission E_H at S_H = ${f.stake}` });
    } else {
      drawRetentionLines(canvas, { cells: r.cells, stakes: STAKES, steps: req.steps, title: "Retention lines (S_H = E_H)" });
    }
  };

  async function run() {
    if (abort) return null;
    let s;
    try {
      s = settingsFor(read());
      check(s);
    } catch (e) {
      status.textContent = e.message;
      emit("retention-error", { code: "INVALID_INPUT", field: null, message: e.message });
      return null;
    }
    state = s;
    const req = requestFor(figureById(s.figure), s);
    const total = cellCount(req);
    abort = new AbortController();
    setRunning(true);
    progress.max = total;
    progress.value = 0;
    status.textContent = `Starting workers for ${total} epochs…`;
    try {
      await ready;
      pool ??= await createPool(opts.workers ?? navigator.hardwareConcurrency ?? 2);
      const t0 = performance.now();
      const r = await runMap(pool, req, {
        signal: abort.signal,
        onProgress: (done) => {
          progress.value = done;
          status.textContent = `${done} / ${total} cells (each one epoch of ${req.networkN} uids) on ${pool.size} workers`;
          emit("retention-progress", { done, total });
        },
      });
      const ms = performance.now() - t0;
      if (destroyed) return null;
      if (r.cancelled) {
        status.textContent = `Cancelled after ${r.done} of ${total} cells.`;
        emit("retention-cancelled", { done: r.done, total });
        return null;
      }
      result = { ...r, settings: s, request: req, note: noteLines(s, req, r.runtime) };
      result.csv = toCsv(result, result.note);
      draw(s, req, r);
      note.textContent = `Reproducibility: ${result.note.join(" · ")}. The same settings give the same numbers, bit for bit, in any browser, in Node and in the native engine.`;
      status.textContent = `${total} cells in ${(ms / 1000).toFixed(1)} s on ${pool.size} workers.`;
      canvas.dataset.cells = String(total);
      pngBtn.disabled = false;
      csvBtn.disabled = false;
      emit("retention-done", { ms, total, workers: pool.size, seed: req.seed, csv: result.csv });
      return result;
    } catch (e) {
      status.textContent = `${e.code ? e.code + ": " : ""}${e.message}${e.field ? ` (${e.field})` : ""}`;
      emit("retention-error", { code: e.code ?? "INTERNAL", field: e.field ?? null, message: e.message });
      return null;
    } finally {
      abort = null;
      setRunning(false);
    }
  }

  const download = (blob, name) => {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const base = () => `retention-${result.settings.figure}-seed${result.request.seed}-steps${result.request.steps}`;
  pngBtn.addEventListener("click", () => result && canvas.toBlob((b) => b && download(b, `${base()}.png`), "image/png"));
  csvBtn.addEventListener("click", () => result && download(new Blob([result.csv], { type: "text/csv" }), `${base()}.csv`));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
  const cancel = () => abort?.abort();
  cancelBtn.addEventListener("click", cancel);
  if (opts.autorun) queueMicrotask(run);

  return {
    run,
    cancel,
    get state() { return { ...state }; },
    get result() { return result; },
    destroy() {
      destroyed = true;
      cancel();
      pool?.close();
      pool = null;
      container.remove();
    },
  };
}
