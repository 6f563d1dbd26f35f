// The playground's end-to-end loop: each epoch, every validator sends its own seeded challenges,
// the miners answer (honest models and cheaters), the validator scores them (accuracy or
// likelihood, with a latency budget), turns its scores into u16 weights the way the chain stores
// them, and the bit-exact Yuma epoch (runEpoch) turns weights and stake into incentive,
// dividends and emissions (rao). Bonds and validator permits carry from epoch to epoch.
import { runEpoch } from "tao-engine/full";
import { codedError, makeChallenges } from "./infer.js";
import { honestMiner, randomMiner, copierMiner, lazyMiner, runRound } from "./miners.js";
import { RAO_PER_TAO as RAO } from "../lib/format.js";

// One alpha in rao, and alpha as text (defined once, in lib/format.js).
export { RAO_PER_TAO as RAO, formatAlpha } from "../lib/format.js";
/** Blocks per epoch in the playground (the chain's cadence is tempo + 1). */
export const TEMPO = 99;
/** Alpha (rao) handed to each epoch: half to miners (incentive), half to validators (dividends). */
export const EPOCH_EMISSION = 100n * RAO;
/** Validator stakes (alpha), highest first; the first `validators` of them are used. */
export const VALIDATOR_STAKE = [4000n, 2500n, 1500n, 1000n, 600n];
/** A miner slower than this per round (ms) has its score scaled by budget / ms. */
export const LATENCY_BUDGET_MS = 5000;

/** The cheater kinds. */
export const CHEATERS = ["random", "copier", "lazy"];

/**
 * Default miners of a demo: honest models of different sizes, then one of each cheater. The lazy
 * cheater runs a model no honest miner runs: answers identical to another miner's are a copy to
 * the validator (worth nothing), whoever computed them.
 */
export function defaultMiners(demo) {
  if (demo === "vision") {
    return [
      { kind: "honest", model: "digits-l" }, { kind: "honest", model: "digits-m" }, { kind: "honest", model: "digits-s" },
      { kind: "random" }, { kind: "copier" }, { kind: "lazy", model: "digits-l-q8", fraction: 0.5 },
    ];
  }
  if (demo === "text") {
    return [
      { kind: "honest", model: "text-mlp" }, { kind: "honest", model: "text-bigram" },
      { kind: "random" }, { kind: "copier" }, { kind: "lazy", model: "text-mlp-q8", fraction: 0.5 },
    ];
  }
  throw codedError("INVALID_TYPE", `demo ${JSON.stringify(demo)} is not "vision" or "text"`);
}

/** The task a demo's miners answer. */
export const taskOf = (demo) => (demo === "text" ? "text" : "digits");

/** A short label of a miner spec. */
export function minerLabel(m) {
  switch (m.kind) {
    case "honest": return m.model;
    case "random": return "random (cheater)";
    case "copier": return "copier (cheater)";
    case "lazy": return `lazy ${Math.round(100 * m.fraction)} % (cheater)`;
    default: return m.kind;
  }
}

/**
 * A validator's float weights -> the u16 row the chain stores. The chain's `normalize_weights`
 * (max-upscale) scales a row so its largest entry is 65535: w * 65535 / max, floored. No engine
 * export does this yet, so it is computed here with integer arithmetic: each float is first
 * fixed to an integer number of billionths (round), then max-upscaled exactly in BigInt.
 * Zero weights are left out of the sparse row. Returns [uid, u16][] in uid order.
 */
export function weightsToU16(uids, weights) {
  const q = weights.map((w) => (Number.isFinite(w) && w > 0 ? BigInt(Math.round(w * 1e9)) : 0n));
  const max = q.reduce((a, b) => (b > a ? b : a), 0n);
  if (max === 0n) return [];
  const row = [];
  q.forEach((x, i) => {
    const v = Number((x * 65535n) / max);
    if (v > 0) row.push([uids[i], v]);
  });
  return row.sort((a, b) => a[0] - b[0]);
}

/** A validator's challenge seed for an epoch (distinct per validator and epoch). */
const seedOf = (seed, epoch, v) => (seed * 1_000_003 + epoch * 101 + v * 7919 + 1) >>> 0;

/**
 * Build the simulation: `config` = { demo: "vision" | "text", miners (specs, see defaultMiners;
 * `enabled: false` leaves one out), validators (1..5), kappa (u16), yuma3, liquidAlpha,
 * bondsPenalty (u16), batch (challenges per validator per epoch), seed, backend (an opened
 * backend) }. Returns { uids, step(): Promise<EpochReport>, history }.
 */
export function createLoop(config) {
  const demo = config.demo ?? "vision";
  const task = taskOf(demo);
  const V = Math.max(1, Math.min(VALIDATOR_STAKE.length, Math.floor(config.validators ?? 3)));
  const specs = (config.miners ?? defaultMiners(demo)).filter((m) => m.enabled !== false);
  if (!config.backend) throw codedError("INVALID_TYPE", "createLoop needs an opened backend");
  const n = V + specs.length;
  const firstHonest = specs.findIndex((m) => m.kind === "honest");
  const miners = specs.map((m, i) => {
    const uid = V + i;
    switch (m.kind) {
      case "honest": return honestMiner(uid, m.model);
      case "random": return randomMiner(uid, uid * 31 + (config.seed ?? 1));
      case "copier": {
        if (firstHonest < 0) return randomMiner(uid, uid);
        return copierMiner(uid, V + firstHonest);
      }
      case "lazy": return lazyMiner(uid, m.model, m.fraction ?? 0.5, uid + (config.seed ?? 1));
      default: throw codedError("INVALID_TYPE", `unknown miner kind ${JSON.stringify(m.kind)}`);
    }
  });
  const roles = [
    ...Array.from({ length: V }, (_, v) => ({ uid: v, role: "validator", label: `validator ${v} (${VALIDATOR_STAKE[v]} α stake)`, kind: "validator" })),
    ...specs.map((m, i) => ({ uid: V + i, role: "miner", label: `uid ${V + i}: ${minerLabel(m)}`, kind: m.kind, model: m.model ?? null })),
  ];
  const hyperparameters = {
    tempo: TEMPO, kappa: config.kappa ?? 32767, bondsPenalty: config.bondsPenalty ?? 65535,
    yuma3Enabled: !!config.yuma3, liquidAlphaEnabled: !!config.liquidAlpha,
    maxAllowedValidators: V, activityCutoffFactorMilli: 1_000_000, stakeThreshold: 0, taoWeight: 0,
  };
  const state = {
    epoch: 0,
    block: 1000n,
    bonds: Array.from({ length: n }, () => /** @type {import("tao-engine/full").U16Row} */ ([])),
    permits: Array.from({ length: n }, (_, u) => u < V),
    earned: Array.from({ length: n }, () => 0n),
  };
  const history = [];
  const batch = config.batch ?? 64;
  const seed = config.seed ?? 1;

  async function step() {
    const e = state.epoch;
    // 1. every validator challenges every miner and scores the answers
    const perValidator = [];
    for (let v = 0; v < V; v++) {
      const challenges = makeChallenges(task, seedOf(seed, e, v), batch);
      const results = await runRound({ task, challenges, miners, backend: config.backend });
      for (const r of results) {
        const ms = r.ms ?? 0;
        r.latencyFactor = ms > LATENCY_BUDGET_MS ? LATENCY_BUDGET_MS / ms : 1;
        r.scored = r.value * r.latencyFactor;
      }
      const row = weightsToU16(results.map((r) => r.uid), results.map((r) => r.scored));
      perValidator.push({ results, row });
    }
    // 2. the Yuma epoch on the stored u16 weights
    const lastUpdate = new Array(n).fill(state.block);
    const input = {
      hyperparameters, n, currentBlock: state.block, emission: EPOCH_EMISSION,
      alphaStake: Array.from({ length: n }, (_, u) => (u < V ? VALIDATOR_STAKE[u] * RAO : 0n)),
      blockAtRegistration: new Array(n).fill(0), lastUpdate,
      validatorPermit: state.permits,
      weights: Array.from({ length: n }, (_, u) => (u < V ? perValidator[u].row : [])),
      bonds: state.bonds,
      lastMechanismStepBlock: state.block - BigInt(TEMPO + 1),
    };
    const out = runEpoch(input, undefined);
    state.bonds = out.bonds;
    state.permits = out.validatorPermit;
    state.block += BigInt(TEMPO + 1);
    state.epoch += 1;
    state.earned = state.earned.map((x, u) => x + BigInt(out.emission[u]));
    // 3. per-uid report
    const perMiner = (f) => Array.from({ length: n }, (_, u) => (u < V ? null : f(u)));
    const mean = (f) => perMiner((u) => perValidator.reduce((a, p) => a + f(p.results.find((r) => r.uid === u)), 0) / V);
    const report = {
      epoch: e,
      block: input.currentBlock,
      uids: roles,
      accuracy: mean((r) => r.score.accuracy),
      bits: mean((r) => r.score.bits),
      latencyMs: mean((r) => r.ms),
      // a miner's weight: its share of each validator's stored u16 row, averaged over validators
      weight: perMiner((u) => perValidator.reduce((a, p) => {
        const total = p.row.reduce((s, [, w]) => s + w, 0);
        const mine = p.row.find(([uid]) => uid === u)?.[1] ?? 0;
        return a + (total > 0 ? mine / total : 0);
      }, 0) / V),
      weightsU16: perValidator.map((p) => p.row),
      // each validator's float scores [uid, score] before the u16 conversion
      scores: perValidator.map((p) => p.results.map((r) => [r.uid, r.scored])),
      // the exact EpochInput handed to runEpoch (to replay it elsewhere)
      input,
      copiedFrom: perMiner((u) => perValidator[0].results.find((r) => r.uid === u).copiedFrom),
      incentive: out.incentive.map((x) => x / 65535),
      dividends: out.dividends.map((x) => x / 65535),
      consensus: out.consensus.map((x) => x / 65535),
      emission: out.emission.map(BigInt),
      serverEmission: out.serverEmission.map(BigInt),
      validatorEmission: out.validatorEmission.map(BigInt),
      earned: state.earned.slice(),
      validatorPermit: out.validatorPermit.slice(),
      hyperparameters,
    };
    history.push(report);
    return report;
  }
  return { uids: roles, task, validators: V, n, step, history, hyperparameters };
}

