// Subnet playground: the whole loop (<tao-subnet-playground>: miners -> validators -> u16 weights
// -> the bit-exact Yuma epoch -> incentive, dividends, emissions over epochs, with controls), then
// the model half in detail: miners run shipped models on WebGPU or the wasm-SIMD CPU, a validator
// scores them on seeded held-out challenges, cheaters included. The loop's scenario deep-links in
// the query string: ?demo=text&cheaters=random,lazy&epochs=10&kappa=40000&validators=2&backend=cpu
// &yuma3&liquid-alpha&bonds-penalty=0.
import { denseCpu, inferDenseGpu, scoreAnswers } from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { startPage } from "../shell.js";
import {
  openBackend, loadModel, modelNames, makeChallenges, answer, manifest,
  honestMiner, randomMiner, copierMiner, lazyMiner, runRound, rng,
} from "../playground/index.js";
import { defineTaoSubnetPlayground } from "../playground/element.js";
import { percent } from "../lib/format.js";

defineTaoSubnetPlayground();

const BATCH = 256;
const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "—");

function table(testid, head, rows) {
  return el("table", { dataset: { testid } },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

async function agreement(gpuBackend, cpuBackend) {
  const rows = [];
  for (const name of modelNames()) {
    const model = loadModel(name);
    const ch = makeChallenges(model.task, 1234, BATCH);
    const t0 = performance.now();
    const cpu = await answer(model, ch, cpuBackend);
    const cpuMs = performance.now() - t0;
    let gpu = null, gpuMs = NaN, maxDiff = NaN;
    if (gpuBackend) {
      const t1 = performance.now();
      gpu = await answer(model, ch, gpuBackend);
      gpuMs = performance.now() - t1;
      maxDiff = 0;
      for (let i = 0; i < cpu.length; i++) maxDiff = Math.max(maxDiff, Math.abs(cpu[i] - gpu[i]));
    }
    rows.push({ name, task: model.task, cpuMs, gpuMs, maxDiff, cpu, gpu, targets: ch.targets });
  }
  return rows;
}

startPage(async (main) => {
  const state = { seed: 1 };
  const auto = await openBackend("auto");
  const cpu = await openBackend("cpu");
  // the agreement check runs on any WebGPU adapter, software fallbacks included
  const gpu = auto.kind === "webgpu" ? auto : await openBackend("webgpu").catch(() => null);
  const demo = { backend: { kind: auto.kind, reason: auto.reason, adapter: auto.adapter }, gpu: gpu ? { adapter: gpu.adapter, fallbackAdapter: gpu.fallbackAdapter } : null, agreement: /** @type {any[]} */ ([]), rounds: /** @type {Record<string, any>} */ ({}) };
  /** @type {any} */ (window).taoPlaygroundDemo = demo;
  // Raw tiled-kernel check for tests: max |GPU - CPU| of one random dense layer m x k x n.
  demo.denseCheck = async (m, k, n) => {
    if (!gpu) return NaN;
    const r = rng(m * 1000 + k * 10 + n);
    const rand = (len) => Float32Array.from({ length: len }, () => r() - 0.5);
    const x = rand(m * k), w = rand(k * n), b = rand(n);
    const want = denseCpu("simd", x, m, k, w, n, b, true);
    const got = await inferDenseGpu(x, m, k, w, n, b, true);
    return want.reduce((mx, v, i) => Math.max(mx, Math.abs(v - got[i])), 0);
  };

  main.append(
    el("h1", {}, "Subnet playground"),
    el("p", { class: "lead" }, "Miners run small neural networks in your browser, a validator scores them on held-out challenges, cheaters included. The models were trained for this page (digits of scikit-learn, the text of Moby Dick) and ship inside the engine."),
    card("Backend", "Which hardware answers the miners' challenges, and why.",
      el("p", { class: "big", dataset: { testid: "backend-kind" } }, auto.kind === "webgpu" ? "WebGPU" : "CPU (wasm SIMD)"),
      el("p", { dataset: { testid: "backend-reason" } }, auto.reason),
      gpu ? el("p", { class: "muted" }, "WebGPU adapter: ", el("code", { dataset: { testid: "backend-adapter" } }, gpu.adapter), gpu.fallbackAdapter ? " (software fallback)" : "") : null),
  );

  // The loop: its attributes come from the query string; it starts once the checks below finished
  // (they share the GPU device).
  const loopHost = el("div", { dataset: { testid: "loop-host" } }, el("p", { class: "loading" }, "The loop starts after the model checks below…"));
  main.append(card("The whole loop", "Each epoch every validator challenges every miner, scores the answers (accuracy or likelihood, within a latency budget), stores u16 weights the way the chain does (largest = 65535), and the chain's Yuma epoch, bit-exact, turns weights and stake into incentive, dividends and emissions. Bonds and validator permits carry over. Switch a cheater on, add a miner, change kappa or the Yuma settings and watch who earns.", loopHost));
  const agreeCard = card("Every model on every backend", `A batch of ${BATCH} held-out challenges per model. Digits: accuracy; text: bits per character (lower is better). GPU outputs must match the CPU's within 1e-4 (probabilities) / 1e-3 (log-probabilities).`, el("p", { class: "loading" }, "Running…"));
  const roundCards = el("div");
  main.append(agreeCard, roundCards);

  const rows = await agreement(gpu, cpu);
  const docs = Object.fromEntries(manifest().models.map((m) => [m.name, m]));
  /** @type {ChildNode} */ (agreeCard.lastChild).replaceWith(table("agreement", ["model", "params", "CPU result", "CPU ms", "GPU ms", "max |GPU − CPU|"], rows.map((r) => {
    const s = scoreAnswers(r.task, r.cpu, r.targets);
    const result = r.task === "digits" ? percent(s.accuracy, 1) : `${fmt(s.bits)} bits`;
    demo.agreement.push({ name: r.name, task: r.task, maxDiff: r.maxDiff, cpuScore: s, gpuScore: r.gpu ? scoreAnswers(r.task, r.gpu, r.targets) : null });
    return el("tr", { dataset: { model: r.name } }, el("td", {}, r.name), el("td", {}, String(docs[r.name]?.params ?? "")), el("td", {}, result),
      el("td", {}, fmt(r.cpuMs, 1)), el("td", {}, r.gpu ? fmt(r.gpuMs, 1) : "—"),
      el("td", { dataset: { testid: "max-diff" } }, r.gpu ? r.maxDiff.toExponential(1) : "no GPU"));
  })));

  async function rounds() {
    const backend = auto;
    const specs = {
      digits: [honestMiner(0, "digits-l"), honestMiner(1, "digits-m"), honestMiner(2, "digits-s"), randomMiner(3), copierMiner(4, 0), lazyMiner(5, "digits-l-q8", 0.5)],
      text: [honestMiner(0, "text-mlp"), honestMiner(1, "text-bigram"), randomMiner(2), copierMiner(3, 0), lazyMiner(4, "text-mlp-q8", 0.5)],
    };
    const cards = [];
    for (const task of ["digits", "text"]) {
      const challenges = makeChallenges(task, state.seed, BATCH);
      const results = await runRound({ task, challenges, miners: specs[task], backend });
      demo.rounds[task] = results.map(({ uid, kind, score, copiedFrom, weight, value }) => ({ uid, kind, score, copiedFrom, weight, value }));
      const label = (m) => m.kind === "copier" ? `copier of ${m.target}` : m.kind === "lazy" ? `lazy (${percent(m.fraction, 1)}, ${m.model})` : m.kind === "honest" ? `honest (${m.model})` : "random";
      cards.push(card(`A ${task} round`, `Seed ${state.seed}: ${BATCH} challenges on ${backend.kind}. A copy of an earlier submission is worth nothing.`,
        table(`round-${task}`, ["uid", "miner", "answered", "accuracy", "bits", "copy of", "weight"], results.map((r) => {
          const m = specs[task].find((x) => x.uid === r.uid);
          return el("tr", { dataset: { kind: r.kind } }, el("td", {}, String(r.uid)), el("td", {}, label(m)), el("td", {}, String(r.score.answered)),
            el("td", {}, percent(r.score.accuracy, 1)), el("td", {}, fmt(r.score.bits)), el("td", {}, r.copiedFrom ?? ""),
            el("td", { class: Number(r.weight) > 0 ? "ok" : "bad" }, fmt(r.weight)));
        }))));
    }
    roundCards.replaceChildren(...cards,
      el("button", { type: "button", dataset: { testid: "new-round" }, onclick: async () => { state.seed += 1; await rounds(); } }, "New round (next seed)"));
    demo.seed = state.seed;
    main.dataset.ready = String(state.seed);
  }
  await rounds();
  const loop = document.createElement("tao-subnet-playground");
  const q = new URLSearchParams(location.search);
  for (const name of TaoLoopAttributes) if (q.has(name)) loop.setAttribute(name, q.get(name) || "true");
  loop.id = "loop";
  loop.addEventListener("done", (e) => {
    const { detail } = /** @type {CustomEvent} */ (e);
    demo.loop = { backend: detail.backend, history: detail.history };
    main.dataset.loop = "done";
  });
  loopHost.replaceChildren(loop);
});

const TaoLoopAttributes = ["demo", "cheaters", "epochs", "kappa", "validators", "backend", "yuma3", "liquid-alpha", "bonds-penalty", "batch", "seed"];
