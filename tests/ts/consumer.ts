// A TypeScript consumer of the published package: must type-check against pkg/*.d.ts with
// `tsc --noEmit` (run by tests/js/package.test.mjs in a folder where tao-engine is npm-installed).
import init, { blockEmission, blockEmissionBatch, buildInfo, halvingSchedule } from "tao-engine";
import type { HalvingStep, U64Like, BuildInfo } from "tao-engine";
// Chain decoding is in the full entry (the core entry is the protocol core only).
import { Capture, decodeColumns } from "tao-engine/full";
import type { ColumnarTable, Column, EpochReplay, SimSwap, StorageCapture } from "tao-engine/full";
import { InferModel, digitChallenges, scoreAnswers } from "tao-engine/full";
import type { Challenges, ModelInfo, Score } from "tao-engine/full";
import initCompat, { poolQuote } from "tao-engine/compat";
import initSlim from "tao-engine/slim";

export async function main(): Promise<bigint> {
  await init();
  await initCompat();
  // @ts-expect-error the slim entry needs the wasm from the caller
  await initSlim();
  void poolQuote;
  const info: BuildInfo = buildInfo();
  const simd: boolean = info.simd;
  const amount: U64Like = 10_500_000_000_000_000n;
  const perBlock: bigint = blockEmission(amount);
  const steps: HalvingStep[] = halvingSchedule(4);
  const first: bigint = steps[0].emission;
  const batch: BigUint64Array = blockEmissionBatch(new BigUint64Array([0n]));
  // @ts-expect-error a boolean is not an amount
  blockEmission(true);
  const table: ColumnarTable | null = decodeColumns("Vec<NeuronInfoLite>", "0x00", "raw", { accounts: "bytes" });
  const emission: Column | undefined = table?.columns.emission;
  const rows: number = (table?.length ?? 0) + (emission instanceof BigUint64Array ? emission.length : 0);
  // @ts-expect-error accounts is "hex", "ss58" or "bytes"
  decodeColumns("Vec<NeuronInfoLite>", "0x00", "raw", { accounts: "base58" });
  return simd ? perBlock + first + batch[0] + BigInt(rows) : 0n;
}

/** The Capture class: an epoch check and a quote on one validated capture. */
export function captureCheck(parent: StorageCapture, child: StorageCapture): number {
  const cap = new Capture(parent);
  const r: EpochReplay = cap.epoch(1, child, { emission: 1_000_000_000n });
  const q: SimSwap = cap.quote(1, { buy: 1_000_000_000n });
  // @ts-expect-error an order is { buy } or { sell }
  cap.quote(1, { swap: 1n });
  const spec: number = cap.specVersion + r.specVersion;
  cap.free();
  return r.items.filter((i) => i.equal).length + spec + Number(q.alphaAmount > 0n);
}

/** The InferModel class: a shipped model run on the CPU and scored. */
export function inferCheck(): number {
  const m = new InferModel("digits-s");
  const info: ModelInfo = m.info();
  const ch: Challenges = digitChallenges(7n, 4);
  const inputs: Float32Array = ch.inputs;
  const out: Float32Array = m.runCpu(inputs, ch.count, "scalar");
  // @ts-expect-error the kernel is "simd" or "scalar"
  m.runCpu(inputs, ch.count, "avx");
  const s: Score = scoreAnswers(m.task, out, ch.targets);
  m.free();
  return info.inputDim + s.accuracy + (info.embed?.context ?? 0);
}
