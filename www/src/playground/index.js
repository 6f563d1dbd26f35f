// Public surface of the playground's model half (for the lead's playground loop).
export { openBackend, loadModel, loadModelBytes, modelNames, manifest, makeChallenges, answer, codedError } from "./infer.js";
export { honestMiner, randomMiner, copierMiner, lazyMiner, mine, validate, isCopy, runRound, rng } from "./miners.js";
// The end-to-end loop (challenges -> scores -> u16 weights -> Yuma epoch -> emissions) and the element.
export { createLoop, defaultMiners, weightsToU16, formatAlpha, minerLabel, taskOf, CHEATERS, RAO, TEMPO, EPOCH_EMISSION, VALIDATOR_STAKE, LATENCY_BUDGET_MS } from "./loop.js";
