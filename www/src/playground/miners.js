// Miners and a validator for the playground loop. Honest miners run a model; cheaters do not:
// a random miner answers noise, a copier replays another miner's answers, a lazy miner answers
// only a fraction with its model. The validator scores each miner (accuracy or likelihood) and
// zeroes any miner whose answers duplicate an earlier submission.
import { scoreAnswers } from "tao-engine/full";
import { answer, codedError, loadModel } from "./infer.js";

const OUT_DIM = { digits: 10, text: 34 };

/** SplitMix64 in BigInt arithmetic: a seeded stream of floats in [0, 1). */
export function rng(seed) {
  let s = BigInt.asUintN(64, BigInt(seed));
  return () => {
    s = BigInt.asUintN(64, s + 0x9E3779B97F4A7C15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94D049BB133111EBn);
    z ^= z >> 31n;
    return Number(z >> 11n) / 2 ** 53;
  };
}

/** An honest miner: runs `modelName` on every challenge. */
export const honestMiner = (uid, modelName) => ({ uid, kind: "honest", model: modelName });
/** A cheater answering random noise. */
export const randomMiner = (uid, seed = uid) => ({ uid, kind: "random", seed });
/** A cheater replaying miner `target`'s answers (it submits after the target). */
export const copierMiner = (uid, target) => ({ uid, kind: "copier", target });
/** A cheater answering only `fraction` of the challenges (with `modelName`), skipping the rest. */
export const lazyMiner = (uid, modelName, fraction = 0.5, seed = uid) => ({ uid, kind: "lazy", model: modelName, fraction, seed });

/** One miner's answers: { outputs: Float32Array, answered: Uint8Array }. */
export async function mine(miner, challenges, backend, submitted = new Map()) {
  const n = challenges.count;
  const dim = OUT_DIM[challenges.task];
  switch (miner.kind) {
    case "honest":
      return { outputs: await answer(loadModel(miner.model), challenges, backend), answered: new Uint8Array(n).fill(1) };
    case "random": {
      const r = rng(miner.seed);
      const outputs = new Float32Array(n * dim);
      for (let i = 0; i < outputs.length; i++) outputs[i] = challenges.task === "text" ? -4 * r() : r();
      return { outputs, answered: new Uint8Array(n).fill(1) };
    }
    case "copier": {
      const src = submitted.get(miner.target);
      if (!src) throw codedError("UID_OUT_OF_RANGE", `copier ${miner.uid}: miner ${miner.target} has not submitted answers`);
      return { outputs: src.outputs.slice(), answered: src.answered.slice() };
    }
    case "lazy": {
      const r = rng(miner.seed);
      const full = await answer(loadModel(miner.model), challenges, backend);
      const answered = new Uint8Array(n);
      const outputs = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        if (r() < miner.fraction) {
          answered[i] = 1;
          outputs.set(full.subarray(i * dim, (i + 1) * dim), i * dim);
        }
      }
      return { outputs, answered };
    }
    default:
      throw codedError("INVALID_TYPE", `unknown miner kind ${JSON.stringify(miner.kind)}`);
  }
}

/** Whether two submissions carry the same answers (bit-identical rows on >= `share` of the answered). */
export function isCopy(a, b, dim, share = 0.9) {
  const n = a.answered.length;
  let same = 0, both = 0;
  for (let i = 0; i < n; i++) {
    if (!a.answered[i] || !b.answered[i]) continue;
    both++;
    let eq = true;
    for (let j = i * dim; j < (i + 1) * dim; j++) if (!Object.is(a.outputs[j], b.outputs[j])) { eq = false; break; }
    if (eq) same++;
  }
  return both > 0 && same >= share * both;
}

/**
 * One miner's result of a round (`weight`: set by validate; `ms`: by runRound; `latencyFactor`
 * and `scored`: by the loop).
 * @typedef {{ uid: number, kind: string, score: any, copiedFrom: number | null, value: number,
 *   weight?: number, ms?: number, latencyFactor?: number, scored?: number }} MinerResult
 */

/**
 * Score submissions in submission order. Each result: { uid, kind, score: Score, copiedFrom, value }
 * where `value` is what the validator rewards (accuracy for digits, exp(mean log-likelihood) per
 * character for text; 0 for a copy), and `weight` is value normalized to sum 1 (Yuma's input).
 */
export function validate(task, challenges, submissions) {
  const dim = OUT_DIM[task];
  /** @type {MinerResult[]} */
  const results = [];
  for (const [i, s] of submissions.entries()) {
    const score = scoreAnswers(task, s.outputs, challenges.targets, s.answered);
    const earlier = submissions.slice(0, i).find((e) => isCopy(s, e, dim));
    const value = earlier ? 0 : task === "digits" ? score.accuracy : Math.exp(score.meanLogLikelihood);
    results.push({ uid: s.uid, kind: s.kind, score, copiedFrom: earlier ? earlier.uid : null, value });
  }
  const total = results.reduce((a, r) => a + r.value, 0);
  for (const r of results) r.weight = total > 0 ? r.value / total : 0;
  return results;
}

/** One round: every miner answers the same seeded challenges on `backend`; copiers go last. */
export async function runRound({ task, challenges, miners, backend }) {
  const order = [...miners.filter((m) => m.kind !== "copier"), ...miners.filter((m) => m.kind === "copier")];
  const submitted = new Map();
  const submissions = [];
  for (const m of order) {
    const t0 = performance.now();
    const s = { uid: m.uid, kind: m.kind, ...(await mine(m, challenges, backend, submitted)), ms: performance.now() - t0 };
    submitted.set(m.uid, s);
    submissions.push(s);
  }
  const results = validate(task, challenges, submissions);
  results.forEach((r, i) => { r.ms = submissions[i].ms; });
  return results.sort((a, b) => a.uid - b.uid);
}
