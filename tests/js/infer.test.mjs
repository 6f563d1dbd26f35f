// The playground's model API under Node (pkg/ node build + www/src/playground): shipped models
// on both CPU kernels, seeded challenges, scoring, the cheater miners, WebGPU's absence reported
// as a coded error, and the error contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const engine = await import(path.join(root, "pkg/node/index.js"));
const pg = await import(path.join(root, "www/src/playground/index.js"));
const { InferModel, inferModelNames, inferManifest, inferGpuInit, digitChallenges, textChallenges, scoreAnswers, denseCpu, textEncode, textDecode } = engine;

const sameBits = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

function throwsCode(fn, code, ctor = Error) {
  assert.throws(fn, (e) => e instanceof ctor && e.code === code, `expected ${code}`);
}

test("every shipped model runs; SIMD and scalar kernels agree bit for bit; documented scores hold", () => {
  const names = inferModelNames();
  assert.deepEqual(names, inferManifest().models.map((m) => m.name));
  for (const name of names) {
    const m = pg.loadModel(name);
    const doc = inferManifest().models.find((d) => d.name === name);
    assert.equal(m.params, doc.params);
    const own = new InferModel(name);
    assert.deepEqual(own.info(), m.info());
    assert.equal(own.name, name);
    assert.equal(own.task, m.task);
    own.free();
    const ch = m.task === "digits" ? digitChallenges(5n, 300) : textChallenges(5, 300, m.inputDim);
    const simd = m.runCpu(ch.inputs, ch.count, "simd");
    const scalar = m.runCpu(ch.inputs, ch.count, "scalar");
    assert.equal(simd.length, ch.count * m.outputDim);
    assert.ok(sameBits(simd, scalar), `${name}: SIMD and scalar differ`);
    const s = scoreAnswers(m.task, simd, ch.targets);
    // 300 random held-out challenges: within a few points of the documented full held-out figure
    if (m.task === "digits") assert.ok(s.accuracy > doc.heldout.accuracy - 0.06, `${name} ${s.accuracy}`);
    else assert.ok(s.bits < doc.heldout.bits + 0.4, `${name} ${s.bits}`);
  }
});

test("challenges are seeded and scoring ranks answers", () => {
  const a = digitChallenges(42, 50), b = digitChallenges("42", 50), c = digitChallenges(43, 50);
  assert.deepEqual([...a.targets], [...b.targets]);
  assert.notDeepEqual([...a.sources], [...c.sources]);
  assert.equal(a.inputs.length, 50 * 64);
  const perfect = new Float32Array(500);
  a.targets.forEach((t, i) => { perfect[i * 10 + t] = 1; });
  assert.equal(scoreAnswers("digits", perfect, a.targets).accuracy, 1);
  const half = new Uint8Array(50).map((_, i) => i % 2);
  const s = scoreAnswers("digits", perfect, a.targets, half);
  assert.equal(s.answered, 25);
  assert.equal(s.accuracy, 0.5);
  assert.equal(textDecode(textEncode("Call me Ishmael!")), "call me ishmael!");
});

test("dense kernels: SIMD equals scalar on odd shapes", () => {
  const m = 13, k = 70, n = 37;
  const r = pg.rng(3);
  const x = Float32Array.from({ length: m * k }, () => r() - 0.5);
  const w = Float32Array.from({ length: k * n }, () => r() - 0.5);
  const bias = Float32Array.from({ length: n }, () => r() - 0.5);
  assert.ok(sameBits(denseCpu("simd", x, m, k, w, n, bias, true), denseCpu("scalar", x, m, k, w, n, bias, true)));
  // and against a plain JS reference (f64 accumulate, loose tolerance)
  const y = denseCpu("simd", x, m, k, w, n, bias, false);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let acc = bias[j];
    for (let q = 0; q < k; q++) acc += x[i * k + q] * w[q * n + j];
    assert.ok(Math.abs(acc - y[i * n + j]) < 1e-4);
  }
});

test("errors are coded JS errors, and the engine keeps working", async () => {
  const m = pg.loadModel("digits-s");
  throwsCode(() => pg.loadModel("nope"), "UNSUPPORTED");
  throwsCode(() => new InferModel("nope"), "UNSUPPORTED");
  throwsCode(() => new InferModel(42), "INVALID_TYPE");
  throwsCode(() => m.runCpu(new Float32Array(63), 1), "LENGTH_MISMATCH");
  throwsCode(() => m.runCpu(new Float32Array(0), 0), "OUT_OF_RANGE", RangeError);
  throwsCode(() => m.runCpu(new Float32Array(64).fill(NaN), 1), "NOT_FINITE", RangeError);
  throwsCode(() => m.runCpu(new Float32Array(64), 1, "avx"), "INVALID_TYPE");
  throwsCode(() => InferModel.fromBytes(new Uint8Array([1, 2, 3, 4, 5])), "DECODE");
  throwsCode(() => pg.loadModel("text-mlp").runCpu(new Float32Array(12).fill(99), 1), "OUT_OF_RANGE", RangeError);
  throwsCode(() => digitChallenges(-1, 5), "NEGATIVE", RangeError);
  throwsCode(() => digitChallenges(1, 0), "OUT_OF_RANGE", RangeError);
  throwsCode(() => scoreAnswers("images", new Float32Array(10), new Uint8Array(1)), "INVALID_TYPE");
  throwsCode(() => scoreAnswers("digits", new Float32Array(9), new Uint8Array(1)), "LENGTH_MISMATCH");
  assert.equal(m.runCpu(new Float32Array(64), 1).length, 10);
  // round trip through bytes
  const { readFileSync } = await import("node:fs");
  const bytes = readFileSync(path.join(root, "crates/tao-playground/models/digits-l-q8.tmod"));
  throwsCode(() => InferModel.fromBytes(Buffer.concat([bytes, Buffer.from([0])])), "TRAILING_BYTES");
  const loaded = pg.loadModelBytes(bytes);
  assert.equal(loaded.dtype, "int8");
  assert.equal(loaded.name, "digits-l-q8");
  assert.equal(loaded.runCpu(new Float32Array(64), 1).length, 10);
  // the loaded model now answers to its name, and a freed model refuses to run
  assert.equal(pg.loadModel("digits-l-q8"), loaded);
  const gone = new InferModel("digits-s");
  gone.free();
  assert.throws(() => gone.runCpu(new Float32Array(64), 1));
});

test("without WebGPU: inferGpuInit rejects with UNSUPPORTED, auto falls back to the CPU and says why", async () => {
  await assert.rejects(inferGpuInit(), (e) => e.code === "UNSUPPORTED" && /navigator\.gpu/.test(e.message));
  throwsCode(() => new InferModel("digits-s").runGpu(new Float32Array(64), 1), "UNSUPPORTED");
  await assert.rejects(pg.openBackend("webgpu"), (e) => e.code === "UNSUPPORTED");
  await assert.rejects(pg.openBackend("tpu"), (e) => e.code === "INVALID_TYPE");
  const b = await pg.openBackend("auto");
  assert.equal(b.kind, "cpu");
  assert.match(b.reason, /WebGPU unavailable/);
  const out = await pg.answer(pg.loadModel("text-bigram"), pg.makeChallenges("text", 1, 10), b);
  assert.equal(out.length, 10 * 34);
});

test("a round: honest miners earn weight, cheaters do not", async () => {
  const backend = await pg.openBackend("cpu");
  const challenges = pg.makeChallenges("digits", 9, 256);
  const miners = [pg.copierMiner(4, 0), pg.honestMiner(0, "digits-l"), pg.honestMiner(1, "digits-s"), pg.randomMiner(2), pg.lazyMiner(3, "digits-l-q8", 0.5)];
  const r = await pg.runRound({ task: "digits", challenges, miners, backend });
  const by = Object.fromEntries(r.map((x) => [x.kind === "honest" ? `honest${x.uid}` : x.kind, x]));
  assert.equal(by.copier.copiedFrom, 0);
  assert.equal(by.copier.weight, 0);
  assert.equal(by.honest0.copiedFrom, null);
  assert.ok(by.honest0.score.accuracy > 0.9);
  assert.ok(by.honest0.weight > by.lazy.weight && by.lazy.weight > by.random.weight, JSON.stringify(r.map((x) => [x.uid, x.weight])));
  assert.ok(Math.abs(by.lazy.score.answered - 128) < 40);
  assert.ok(Math.abs(r.reduce((a, x) => a + x.weight, 0) - 1) < 1e-12);
  // text round: the MLP beats the bigram on likelihood
  const t = pg.makeChallenges("text", 9, 256);
  const rt = await pg.runRound({ task: "text", challenges: t, miners: [pg.honestMiner(0, "text-mlp"), pg.honestMiner(1, "text-bigram"), pg.randomMiner(2)], backend });
  assert.ok(rt[0].value > rt[1].value && rt[1].value > rt[2].value);
});
