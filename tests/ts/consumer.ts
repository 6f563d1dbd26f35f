// A TypeScript consumer of the published package: must type-check against pkg/*.d.ts with
// `tsc --noEmit` (run by tests/js/package.test.mjs in a folder where tao-engine is npm-installed).
import init, { blockEmission, blockEmissionBatch, buildInfo, halvingSchedule, runEpochs } from "tao-engine";
import type { HalvingStep, U64Like, BuildInfo, EpochInput, EpochResult } from "tao-engine";
// Chain decoding is in the full entry (the core entry is the protocol core only).
import {
  Capture, decodeColumns, NetworkSim, StakeModel, decodeType, knownRuntimes, loadSnapshot, metadataInfo, normaliseWeights, realizedApy,
  runtimeRules, snapshotInsert, snapshotNew, snapshotPlan, storageItems, storageKey, verifySnapshot,
} from "tao-engine/full";
import type { ColumnarTable, Column, EpochReplay, NetworkSimSummary, RunProgress, SimSwap, StakeReturnReport, StorageCapture } from "tao-engine/full";
import type {
  KnownRuntimes, MetadataInfo, RealizedApy, RuntimeRules, SnapshotInfo, SnapshotPlan, StorageItemInfo, Verification,
  WeightNormalisationResult,
} from "tao-engine/full";
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

/** Consecutive epochs, and the simulator's classes: generated request and response types. */
export function epochsAndModels(input: EpochInput): bigint {
  const runs: EpochResult[] = runEpochs(input, 3, { trace: false, blocksPerEpoch: 361n });
  // @ts-expect-error the trace flag is a boolean
  runEpochs(input, 1, { trace: "yes" });
  const model = new StakeModel({ amount: 100_000_000_000n, netuids: [1], paths: 2 });
  const p: RunProgress = model.run(2);
  const report: StakeReturnReport = model.report();
  model.free();
  const sim = new NetworkSim({ subnets: 4 }, 7n, 10);
  sim.run(10);
  const summary: NetworkSimSummary = sim.summary();
  const copy: NetworkSim = NetworkSim.restore(sim.save());
  copy.free();
  sim.free();
  return BigInt(runs.length + p.done) + report.amount + summary.block;
}

/** Chain data and runtime rules: generated request and response types. */
export function chainCheck(snapshot: string, metadata: Uint8Array): number {
  const rules: RuntimeRules = runtimeRules({ specVersion: 475 });
  const curve: "balancer" | "superellipse" = rules.poolCurve;
  const known: KnownRuntimes = knownRuntimes();
  const grade: "A" | "B" | "C" = known.timeline[0].evidence;
  const v: Verification = verifySnapshot(snapshot);
  const uid: number | undefined = v.firstDifference?.uid;
  const exact: boolean = v.emissionExact;
  const stake: bigint = v.state.alphaStake[0];
  const info: SnapshotInfo = loadSnapshot(snapshot);
  const plan: SnapshotPlan = snapshotPlan(snapshotNew(1, 100n, { emission: 5n, source: { kind: "manual", description: "d" } }));
  const phase: "inputs" | "outputs" | "done" = plan.phase;
  // @ts-expect-error a snapshot answer is recorded as inputs or outputs
  snapshotInsert(snapshot, "done", []);
  const weights: WeightNormalisationResult = normaliseWeights([0, 1], [1, 0.5]);
  const items: StorageItemInfo[] = storageItems();
  const key: string = storageKey("Weights", [23, 10n]);
  const meta: MetadataInfo = metadataInfo(metadata);
  const apy: RealizedApy = realizedApy([{ alphaDivRaw: 1, subnetAlphaStake: 2, rootStakeTao: 3, taoWeightParam: 0.18 }], 4332);
  // @ts-expect-error the wrapping is "raw", "vec_u8" or "json_byte_array"
  decodeType("u16", "0x0100", "hex");
  return Number(exact) + (uid ?? 0) + Number(stake) + info.inputs + plan.known + weights.sdkUids.length + items.length +
    key.length + meta.pallets + apy.skipped + grade.length + curve.length + phase.length;
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
