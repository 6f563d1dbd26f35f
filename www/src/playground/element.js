// <tao-subnet-playground>: the whole subnet loop (miners -> validators -> u16 weights -> Yuma
// epoch -> incentive, dividends, emissions) as one custom element, for any plain HTML page:
//
//   <script type="module" src="tao-subnet-playground.js"></script>   (the built module)
//   <tao-subnet-playground demo="vision" cheaters="random,copier" epochs="8"></tao-subnet-playground>
//
// Attributes: demo ("vision" | "text"), cheaters (comma list of random, copier, lazy; "none"),
// epochs (1..50), kappa (u16, 0..65535, or a fraction 0..1), validators (1..5), backend ("auto" |
// "cpu" | "webgpu"), yuma3, liquid-alpha (present = on), bonds-penalty (u16 or fraction),
// batch (challenges per validator per epoch), seed, controls ("none" hides the controls).
// Events: `epoch` (detail: { epoch, uids, incentive, dividends, emission, serverEmission,
// validatorEmission, earned, accuracy, weight, backend }), `done` (detail: { history, backend }),
// `error` (detail: { code, message }). Styles live in the shadow DOM; theme with --tao-accent,
// --tao-bg, --tao-fg, --tao-muted, --tao-border, --tao-good, --tao-bad, --tao-font.
import uPlot from "uplot";
import uplotCss from "uplot/dist/uPlot.min.css?inline";
import elementCss from "./element.css?inline";
import { openBackend } from "./infer.js";
import { el as h } from "../lib/dom.js";
import { engineReady } from "../lib/engine.js";
import { errorText, formatAlpha, percent, RAO_PER_TAO as RAO, taoNumber } from "../lib/format.js";
import { CHEATERS, createLoop, defaultMiners } from "./loop.js";

const PALETTE = ["#58c4a7", "#e0a458", "#61afef", "#c678dd", "#e06c75", "#98c379", "#d19a66", "#56b6c2", "#abb2bf", "#ff79c6"];
const ATTRS = ["demo", "cheaters", "epochs", "kappa", "validators", "backend", "yuma3", "liquid-alpha", "bonds-penalty", "batch", "seed", "controls"];

/** A u16 parameter from an attribute: an integer 0..65535, or a fraction 0..1. */
function u16Attr(text, fallback) {
  if (text == null || text === "") return fallback;
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) return fallback;
  if (x <= 1 && text.includes(".")) return Math.round(x * 65535);
  return Math.min(65535, Math.round(x));
}

const intAttr = (text, fallback, lo, hi) => {
  const x = Number.parseInt(text ?? "", 10);
  return Number.isFinite(x) ? Math.max(lo, Math.min(hi, x)) : fallback;
};

const pct = (x) => (x == null ? "" : percent(x, 1));

export class TaoSubnetPlayground extends HTMLElement {
  static get observedAttributes() { return ATTRS; }

  // Built by _build() on first connect (declared here for the type-check).
  /** @type {Record<string, any>} */
  _ui;
  /** @type {HTMLFieldSetElement} */
  _controls;
  /** @type {HTMLParagraphElement} */
  _status;
  /** @type {HTMLParagraphElement} */
  _backendLine;
  /** @type {HTMLParagraphElement} */
  _alert;
  /** @type {HTMLDivElement} */
  _chartBox;
  /** @type {HTMLDivElement} */
  _tableBox;
  /** @type {Map<number, Record<string, HTMLElement>>} */
  _rows;
  /** @type {{ key: string, plot: any, who: any[] }[]} */
  _chartSpecs;

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.history = [];
    this.backendInfo = null;
    this.extraMiners = [];
    this._generation = 0;
    this._backends = new Map();
    this._charts = [];
  }

  /** The scenario the attributes describe. */
  get config() {
    const demo = this.getAttribute("demo") === "text" ? "text" : "vision";
    const cheatersAttr = this.getAttribute("cheaters");
    const cheaters = cheatersAttr == null ? CHEATERS : cheatersAttr.split(",").map((s) => s.trim()).filter((s) => CHEATERS.includes(s));
    const backend = ["auto", "cpu", "webgpu"].includes(this.getAttribute("backend") ?? "") ? this.getAttribute("backend") : "auto";
    return {
      demo, cheaters, backend,
      epochs: intAttr(this.getAttribute("epochs"), 8, 1, 50),
      kappa: u16Attr(this.getAttribute("kappa"), 32767),
      validators: intAttr(this.getAttribute("validators"), 3, 1, 5),
      yuma3: this.hasAttribute("yuma3") && this.getAttribute("yuma3") !== "false",
      liquidAlpha: this.hasAttribute("liquid-alpha") && this.getAttribute("liquid-alpha") !== "false",
      bondsPenalty: u16Attr(this.getAttribute("bonds-penalty"), 65535),
      batch: intAttr(this.getAttribute("batch"), 64, 8, 512),
      seed: intAttr(this.getAttribute("seed"), 1, 0, 2 ** 31),
      controls: this.getAttribute("controls") !== "none",
    };
  }

  connectedCallback() {
    if (!this._built) this._build();
    this._schedule();
  }

  disconnectedCallback() { this._generation++; }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this._built) return;
    this._syncControls();
    this._schedule();
  }

  /** Add an honest miner running `model` (a shipped model name) and rerun. */
  addMiner(model) {
    this.extraMiners.push(model);
    this._schedule();
  }

  _schedule() {
    this.dataset.state = "pending";
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.run(), 0);
  }

  _build() {
    this._built = true;
    const root = /** @type {ShadowRoot} */ (this.shadowRoot);
    const style = h("style");
    style.textContent = uplotCss + "\n" + elementCss;
    const c = (label, input) => h("label", {}, h("span", {}, label), input);
    this._ui = {
      demo: h("select", { part: "demo", onchange: (e) => this.setAttribute("demo", e.target.value) }, h("option", { value: "vision" }, "vision (digits)"), h("option", { value: "text" }, "text (next character)")),
      cheaters: Object.fromEntries(CHEATERS.map((k) => [k, h("input", { type: "checkbox", dataset: { cheater: k }, onchange: () => this._setCheaters() })])),
      kappa: h("input", { type: "range", min: "0", max: "65535", step: "1", dataset: { control: "kappa" }, onchange: (e) => this.setAttribute("kappa", e.target.value) }),
      kappaOut: h("output"),
      validators: h("select", { dataset: { control: "validators" }, onchange: (e) => this.setAttribute("validators", e.target.value) }, [1, 2, 3, 4, 5].map((v) => h("option", { value: String(v) }, String(v)))),
      yuma3: h("input", { type: "checkbox", dataset: { control: "yuma3" }, onchange: (e) => this.setAttribute("yuma3", String(e.target.checked)) }),
      liquid: h("input", { type: "checkbox", dataset: { control: "liquid-alpha" }, onchange: (e) => this.setAttribute("liquid-alpha", String(e.target.checked)) }),
      penalty: h("input", { type: "range", min: "0", max: "65535", step: "1", dataset: { control: "bonds-penalty" }, onchange: (e) => this.setAttribute("bonds-penalty", e.target.value) }),
      epochs: h("input", { type: "number", min: "1", max: "50", dataset: { control: "epochs" }, onchange: (e) => this.setAttribute("epochs", e.target.value) }),
      addModel: h("select", { dataset: { control: "add-model" } }),
    };
    const ui = this._ui;
    this._controls = h("fieldset", { class: "controls", part: "controls" },
      h("legend", {}, "Scenario"),
      c("Demo", ui.demo),
      h("div", { class: "cheaters" }, h("span", {}, "Cheaters"), CHEATERS.map((k) => h("label", { class: "inline" }, ui.cheaters[k], k))),
      h("div", { class: "add" }, h("span", {}, "Add an honest miner"), ui.addModel,
        h("button", { type: "button", dataset: { control: "add-miner" }, onclick: () => this.addMiner(ui.addModel.value) }, "Add miner"),
        h("small", { class: "muted" }, "(a model another miner already runs answers identically: the validator scores it as a copy)")),
      c("Validators", ui.validators),
      c("Kappa (consensus majority)", h("span", { class: "range" }, ui.kappa, ui.kappaOut)),
      c("Bonds penalty", ui.penalty),
      h("label", { class: "inline" }, ui.yuma3, "Yuma3 (relative bonds)"),
      h("label", { class: "inline" }, ui.liquid, "Liquid alpha"),
      c("Epochs", ui.epochs),
    );
    this._status = h("p", { class: "status", dataset: { part: "status" } }, "Starting…");
    this._backendLine = h("p", { class: "backend", dataset: { part: "backend" } });
    this._alert = h("p", { class: "alert", hidden: true });
    this._chartBox = h("div", { class: "charts" });
    this._tableBox = h("div", { class: "scroll" });
    root.replaceChildren(style, h("div", { class: "wrap", part: "wrap" },
      h("header", {}, h("strong", {}, "Subnet playground"), " ", h("span", { class: "muted" }, "miners → validators → Yuma consensus → emissions, in your browser")),
      this._controls, this._backendLine, this._status, this._alert, this._tableBox, this._chartBox));
    this._syncControls();
  }

  _setCheaters() {
    const on = CHEATERS.filter((k) => this._ui.cheaters[k].checked);
    this.setAttribute("cheaters", on.length ? on.join(",") : "none");
  }

  _syncControls() {
    const cfg = this.config;
    const ui = this._ui;
    this._controls.hidden = !cfg.controls;
    ui.demo.value = cfg.demo;
    for (const k of CHEATERS) ui.cheaters[k].checked = cfg.cheaters.includes(k);
    ui.kappa.value = String(cfg.kappa);
    ui.kappaOut.textContent = `${cfg.kappa} (${(cfg.kappa / 65535).toFixed(3)})`;
    ui.validators.value = String(cfg.validators);
    ui.yuma3.checked = cfg.yuma3;
    ui.liquid.checked = cfg.liquidAlpha;
    ui.penalty.value = String(cfg.bondsPenalty);
    ui.epochs.value = String(cfg.epochs);
    const models = cfg.demo === "text" ? ["text-mlp", "text-mlp-q8", "text-bigram"] : ["digits-l", "digits-l-q8", "digits-m", "digits-s"];
    if (ui.addModel.dataset.demo !== cfg.demo) {
      ui.addModel.replaceChildren(...models.map((m) => h("option", { value: m }, m)));
      ui.addModel.dataset.demo = cfg.demo;
    }
  }

  async _backend(choice) {
    if (!this._backends.has(choice)) this._backends.set(choice, openBackend(choice));
    return this._backends.get(choice);
  }

  /** Run the scenario from the start (a run in progress is abandoned). Resolves to the history. */
  async run() {
    const gen = ++this._generation;
    const cfg = this.config;
    const stale = () => gen !== this._generation;
    this.dataset.state = "running";
    this._alert.hidden = true;
    this._alert.removeAttribute("role");
    this.history = [];
    try {
      await engineReady();
      const backend = await this._backend(cfg.backend);
      if (stale()) return null;
      this.backendInfo = { kind: backend.kind, reason: backend.reason, adapter: backend.adapter ?? null, requested: cfg.backend };
      this._backendLine.replaceChildren(h("strong", { dataset: { part: "backend-kind" } }, backend.kind === "webgpu" ? `WebGPU (${backend.adapter})` : `CPU (wasm ${backend.kernel})`), ` — ${backend.reason}`);
      const base = defaultMiners(cfg.demo).filter((m) => m.kind === "honest" || cfg.cheaters.includes(m.kind));
      const extra = this.extraMiners.filter((m) => m.startsWith(cfg.demo === "text" ? "text" : "digits")).map((model) => ({ kind: "honest", model }));
      const loop = createLoop({ ...cfg, miners: [...base, ...extra], backend });
      this._setupView(loop);
      for (let e = 0; e < cfg.epochs; e++) {
        this._status.textContent = `Epoch ${e + 1} of ${cfg.epochs}: ${loop.validators} validator(s) challenge ${loop.n - loop.validators} miners…`;
        const report = await loop.step();
        if (stale()) return null;
        this.history.push(report);
        this._render(loop);
        this.dispatchEvent(new CustomEvent("epoch", {
          bubbles: true, composed: true,
          detail: {
            epoch: report.epoch, uids: report.uids, incentive: report.incentive, dividends: report.dividends,
            emission: report.emission, serverEmission: report.serverEmission, validatorEmission: report.validatorEmission,
            earned: report.earned, accuracy: report.accuracy, weight: report.weight, consensus: report.consensus,
            backend: this.backendInfo.kind,
          },
        }));
      }
      this._status.textContent = `Done: ${cfg.epochs} epochs, ${formatAlpha(BigInt(cfg.epochs) * 100n * RAO, 0)} α emitted (half to miners by incentive, half to validators by dividends).`;
      this.dataset.state = "done";
      this.dispatchEvent(new CustomEvent("done", { bubbles: true, composed: true, detail: { history: this.history, backend: this.backendInfo } }));
      return this.history;
    } catch (err) {
      if (stale()) return null;
      this.dataset.state = "error";
      this._alert.hidden = false;
      this._alert.setAttribute("role", "alert");
      this._alert.textContent = errorText(err);
      this._status.textContent = "Stopped.";
      this.dispatchEvent(new CustomEvent("error", { bubbles: true, composed: true, detail: { code: err.code ?? null, message: String(err.message ?? err) } }));
      return null;
    }
  }

  _setupView(loop) {
    for (const c of this._charts) c.destroy();
    this._charts = [];
    this._chartBox.replaceChildren();
    this._rows = new Map();
    const tbody = h("tbody");
    for (const u of loop.uids) {
      const cells = ["acc", "ms", "weight", "incentive", "dividends", "earned"].map((k) => h("td", { dataset: { col: k } }));
      const tr = h("tr", { dataset: { uid: String(u.uid), kind: u.kind } }, h("td", {}, String(u.uid)), h("td", {}, u.role === "validator" ? u.label : u.label.replace(/^uid \d+: /, "")), cells);
      this._rows.set(u.uid, Object.fromEntries(cells.map((td) => [td.dataset.col, td])));
      tbody.append(tr);
    }
    this._tableBox.replaceChildren(h("table", { part: "table", dataset: { testid: "loop-table" } },
      h("thead", {}, h("tr", {}, ["uid", "who", loop.task === "text" ? "next-char accuracy" : "accuracy", "latency (ms)", "weight", "incentive", "dividends", "earned α"].map((t) => h("th", {}, t)))),
      tbody));
    const cs = getComputedStyle(this);
    const fg = cs.getPropertyValue("--tao-muted").trim() || "#9aa3b2";
    const grid = cs.getPropertyValue("--tao-border").trim() || "#2a303c";
    const miners = loop.uids.filter((u) => u.role === "miner");
    const validators = loop.uids.filter((u) => u.role === "validator");
    const specs = [
      ["accuracy", "Accuracy (mean over validators)", miners], ["weight", "Weight (share of each validator's u16 row)", miners],
      ["incentive", "Incentive", miners], ["earned", "Earned α (cumulative)", miners],
      ["dividends", "Validators' dividends (bonds at work: Yuma3, liquid alpha, bonds penalty)", validators],
    ];
    this._chartSpecs = specs.map(([key, title, who]) => {
      const box = h("div", { class: "chart", dataset: { chart: key } });
      this._chartBox.append(h("figure", {}, h("figcaption", {}, title), box));
      const axis = { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid } };
      const width = () => Math.max(260, box.clientWidth || 320);
      const label = (m) => (m.role === "validator" ? `v${m.uid}` : `${m.uid} ${m.kind === "honest" ? m.model : m.kind}`);
      const plot = new uPlot({
        width: width(), height: 200, scales: { x: { time: false } },
        axes: [{ ...axis, label: "epoch" }, { ...axis, size: 56 }],
        series: [{ label: "epoch" }, ...who.map((m, i) => ({ label: label(m), stroke: PALETTE[i % PALETTE.length], width: 2, points: { show: true, size: 4 } }))],
      }, [[], ...who.map(() => [])], box);
      new ResizeObserver(() => plot.setSize({ width: width(), height: 200 })).observe(box);
      this._charts.push(plot);
      return { key, plot, who };
    });
  }

  _render(loop) {
    const last = this.history[this.history.length - 1];
    for (const u of loop.uids) {
      const row = /** @type {Record<string, HTMLElement>} */ (this._rows.get(u.uid));
      const i = u.uid;
      row.acc.textContent = pct(last.accuracy[i]);
      row.ms.textContent = last.latencyMs[i] == null ? "" : last.latencyMs[i].toFixed(1);
      row.weight.textContent = last.weight[i] == null ? "" : last.weight[i].toFixed(3);
      if (last.copiedFrom[i] != null) row.weight.title = `copy of uid ${last.copiedFrom[i]}'s answers: worth nothing`;
      row.incentive.textContent = last.incentive[i].toFixed(3);
      row.dividends.textContent = last.dividends[i].toFixed(3);
      row.earned.textContent = formatAlpha(last.earned[i]);
      row.earned.closest("tr")?.classList.toggle("cheater", ["random", "copier", "lazy"].includes(u.kind));
    }
    const x = this.history.map((r) => r.epoch);
    for (const { key, plot, who } of this._chartSpecs) {
      const value = (r, uid) => (key === "earned" ? taoNumber(r.earned[uid]) : r[key][uid]);
      plot.setData([x, ...who.map((m) => this.history.map((r) => value(r, m.uid)))]);
    }
  }
}

/** Register the element as <tao-subnet-playground> (once; later calls do nothing). */
export function defineTaoSubnetPlayground(name = "tao-subnet-playground") {
  if (!customElements.get(name)) customElements.define(name, TaoSubnetPlayground);
}
