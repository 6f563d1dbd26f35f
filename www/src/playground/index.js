// Public surface of the playground's model half (for the lead's playground loop).
export { openBackend, loadModel, loadModelBytes, modelNames, manifest, makeChallenges, answer, codedError } from "./infer.js";
export { honestMiner, randomMiner, copierMiner, lazyMiner, mine, validate, isCopy, runRound, rng } from "./miners.js";
