// The playground's inference API: open a backend ("webgpu" | "cpu" | "auto"), load shipped
// models, make seeded challenges and run batches. Every error is a JS Error with a `code`.
import {
  InferModel, digitChallenges, inferGpuInit, inferGpuRelease, inferManifest, inferModelNames, textChallenges, trimContext,
} from "tao-engine/full";

/** An Error with a stable `code`, like the engine's. */
export function codedError(code, message) {
  const e = /** @type {Error & { code?: string }} */ (new Error(message));
  e.code = code;
  return e;
}

/**
 * Open a backend. `choice`: "webgpu" (reject if unavailable), "cpu", or "auto" (WebGPU when it
 * works on a hardware adapter, else CPU: a software fallback adapter such as SwiftShader is far
 * slower than the wasm SIMD CPU, unless `allowFallbackAdapter`). `kernel` picks the CPU kernel
 * ("simd" | "scalar").
 * Resolves to { kind: "webgpu" | "cpu", kernel, adapter, reason, run(model, inputs, batch), close() }:
 * `reason` says in words why this backend ran (e.g. why WebGPU was not used).
 */
export async function openBackend(choice = "auto", { kernel = "simd", allowFallbackAdapter = false } = {}) {
  if (!["auto", "webgpu", "cpu"].includes(choice)) {
    throw codedError("INVALID_TYPE", `backend ${JSON.stringify(choice)} is not "webgpu", "cpu" or "auto"`);
  }
  if (!["simd", "scalar"].includes(kernel)) throw codedError("INVALID_TYPE", `kernel ${JSON.stringify(kernel)} is not "simd" or "scalar"`);
  const cpu = (reason) => ({
    kind: "cpu", kernel, adapter: null, reason,
    async run(model, inputs, batch) { return model.runCpu(inputs, batch, kernel); },
    close() {},
  });
  if (choice === "cpu") return cpu("the CPU backend was requested");
  let gpu;
  try {
    gpu = await inferGpuInit();
  } catch (err) {
    if (choice === "webgpu") throw err;
    return cpu(`WebGPU unavailable (${err.message ?? err}); running on the CPU (wasm ${kernel})`);
  }
  if (choice === "auto" && gpu.fallbackAdapter && !allowFallbackAdapter) {
    return cpu(`WebGPU only offers a software fallback adapter (${gpu.adapter}), slower than the CPU; running on the CPU (wasm ${kernel})`);
  }
  return {
    kind: "webgpu", kernel: null, adapter: gpu.adapter, fallbackAdapter: gpu.fallbackAdapter,
    reason: choice === "webgpu" ? "WebGPU was requested" : `WebGPU is available (adapter: ${gpu.adapter})`,
    run: async (model, inputs, batch) => model.runGpu(inputs, batch),
    close() { inferGpuRelease(); },
  };
}

// Models by name: each shipped model is decoded once (and its GPU weights uploaded once).
const models = new Map();

function wrap(model) {
  const info = model.info();
  return {
    ...info,
    info: () => info,
    /** Run on the CPU: `batch * inputDim` inputs -> `batch * outputDim` outputs. */
    runCpu: (inputs, batch, kernel = /** @type {import("tao-engine/full").CpuKernel} */ ("simd")) => model.runCpu(inputs, batch, kernel),
    /** Run on WebGPU (after `inferGpuInit`): resolves to the same outputs. */
    runGpu: (inputs, batch) => model.runGpu(inputs, batch),
  };
}

/**
 * A model by name: { name, task, inputDim, outputDim, dtype, params, macsPerRow, layers, embed,
 * info(), runCpu(inputs, batch, kernel), runGpu(inputs, batch) }. Throws code UNSUPPORTED for an
 * unknown name.
 */
export function loadModel(name) {
  if (!models.has(name)) models.set(name, wrap(new InferModel(name)));
  return models.get(name);
}

/** Load a model from `.tmod` bytes (it replaces any model of the same name). */
export function loadModelBytes(bytes) {
  const m = wrap(InferModel.fromBytes(bytes));
  models.set(m.name, m);
  return m;
}

/** Names of the shipped models, optionally of one task ("digits" | "text"). */
export function modelNames(task) {
  const names = inferModelNames();
  return task ? names.filter((n) => n.startsWith(task)) : names;
}

/** The manifest: each model's recipe, size and held-out accuracy / log-likelihood. */
export const manifest = () => inferManifest();

/** Seeded challenges: `task` "digits" or "text"; same seed, same challenges. */
export function makeChallenges(task, seed, count, { context = 12 } = {}) {
  if (task === "digits") return digitChallenges(seed, count);
  if (task === "text") return textChallenges(seed, count, context);
  throw codedError("INVALID_TYPE", `task ${JSON.stringify(task)} is not "digits" or "text"`);
}

/** Run a batch of challenges through `model` on `backend`; adapts text contexts to the model. */
export async function answer(model, challenges, backend) {
  if (model.task !== challenges.task) {
    throw codedError("INVALID_TYPE", `model ${model.name} answers ${model.task}, the challenges are ${challenges.task}`);
  }
  let inputs = challenges.inputs;
  if (model.inputDim !== challenges.inputDim) {
    inputs = trimContext(inputs, challenges.inputDim, model.inputDim);
  }
  return backend.run(model, inputs, challenges.count);
}
