// The stake simulator's Web Worker: runs the engine's stake-return model a few Monte Carlo paths at
// a time, posting progress between chunks and stopping when the page cancels, so the page never
// freezes. Messages in: {type:"run", id, input, spread} and {type:"cancel", id}. Out: progress,
// result ({report, strategies}), cancelled, error ({code, field, message}).
import init, { stakeModelDrop, stakeModelReport, stakeModelRun, stakeModelStart } from "tao-engine";

const ready = init();
const cancelled = new Set();
const CHUNK = 2;

const yieldToEvents = () => new Promise((resolve) => setTimeout(resolve, 0));

async function runModel(id, input, onChunk) {
  const run = stakeModelStart(input);
  try {
    for (;;) {
      const p = stakeModelRun(run, CHUNK);
      onChunk(p);
      await yieldToEvents();
      if (cancelled.has(id)) return null;
      if (p.done >= p.total) return stakeModelReport(run);
    }
  } finally {
    stakeModelDrop(run);
  }
}

async function run(id, input, spread) {
  await ready;
  const paths = input.paths ?? 32;
  // The main position, then the strategy comparison (root, subnet, spread), same seed.
  const first = input.netuids?.[0] ?? 1;
  const byReserve = spread > 0 ? input.spreadNetuids ?? [] : [];
  const plans = [
    { label: "position", input },
    { label: "root", input: { ...input, netuids: [0] } },
    { label: `subnet ${first}`, input: { ...input, netuids: [first] } },
  ];
  if (byReserve.length > 0) plans.push({ label: `spread over ${byReserve.length}`, input: { ...input, netuids: byReserve } });
  const total = paths * plans.length;
  let doneBefore = 0;
  const results = [];
  for (const plan of plans) {
    const { spreadNetuids, ...clean } = plan.input;
    const report = await runModel(id, clean, (p) => {
      postMessage({ type: "progress", id, done: doneBefore + p.done, total });
    });
    if (report == null) {
      postMessage({ type: "cancelled", id });
      return;
    }
    doneBefore += paths;
    results.push({ label: plan.label, report });
  }
  const [main, ...strategies] = results;
  postMessage({ type: "result", id, report: main.report, strategies });
}

self.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "cancel") {
    cancelled.add(msg.id);
    return;
  }
  if (msg.type === "run") {
    run(msg.id, msg.input, msg.spread ?? 0).catch((e) => {
      postMessage({ type: "error", id: msg.id, code: e?.code ?? "INTERNAL", field: e?.field ?? null, message: String(e?.message ?? e) });
    });
  }
};
