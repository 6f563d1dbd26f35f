// `replayBlock` and `scripts/replay --wasm block` on the engine-written spec-473 pair
// (data/replay/block_spec473_{parent,child}.json, written by tests/replay_block.rs):
// the pair replays to itself, a tampered child value is the one mismatch, and the script keeps
// the output contract (JSON, then "N equal, M mismatched, K missing"; exit 0 only when M = 0, N > 0).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const E = await import(path.join(root, "pkg/node/index.js"));
const dir = path.join(root, "data/replay");
const parentPath = path.join(dir, "block_spec473_parent.json");
const childPath = path.join(dir, "block_spec473_child.json");
const parent = JSON.parse(readFileSync(parentPath, "utf8"));
const child = JSON.parse(readFileSync(childPath, "utf8"));

test("replayBlock: an engine-written pair replays to itself", () => {
  const r = E.replayBlock(parent, child);
  assert.equal(r.specVersion, 473);
  assert.equal(r.block, child.block);
  assert.equal(r.approximate, false);
  assert.ok(r.items.length > 20);
  assert.ok(r.items.every((i) => i.equal));
  assert.deepEqual(r.missing, []);
});

test("replayBlock: a tampered child value is a mismatch; a wrong child block is an error", () => {
  const i = E.replayBlock(parent, child).items.find((x) => x.item === "SubtensorModule.TotalStake");
  const tampered = structuredClone(child);
  tampered.storage[i.key] = "0x0100000000000000";
  const r = E.replayBlock(parent, tampered);
  const bad = r.items.filter((x) => !x.equal);
  assert.equal(bad.length, 1);
  assert.equal(bad[0].key, i.key);
  assert.throws(() => E.replayBlock(parent, parent), (e) => e.code === "OUT_OF_RANGE" && e.field === "child");
});

test("scripts/replay --wasm block keeps the output contract", () => {
  const run = (c) =>
    spawnSync(process.execPath, [path.join(root, "scripts/replay.mjs"), "block", parentPath, c], { encoding: "utf8" });
  const ok = run(childPath);
  assert.equal(ok.status, 0, ok.stderr);
  const lines = ok.stdout.trimEnd().split("\n");
  const last = lines.pop();
  const r = JSON.parse(lines.join("\n"));
  assert.equal(last, `${r.items.length} equal, 0 mismatched, 0 missing`);
  const bad = run(path.join(dir, "v3_initialised_spec391_sn3.json"));
  assert.equal(bad.status, 2, "a child that is not the next block is bad input");
});

// ---- the Capture class (issue 13: "the same operations on a capture object") -----------------
// Good calls give the free functions' answers (quote, price, check, next block) and the CLI's
// (`scripts/replay --wasm epoch`); the epoch pair is the chain's own scenario
// `epoch__test_active_stake` written as storage (tests/replay_epoch.rs), whose outputs are the
// scenario's, not this engine's. Junk throws coded errors.
const epochParentPath = path.join(dir, "epoch_scenario_active_stake_parent.json");
const epochChildPath = path.join(dir, "epoch_scenario_active_stake_child.json");
const epochParent = JSON.parse(readFileSync(epochParentPath, "utf8"));
const epochChild = JSON.parse(readFileSync(epochChildPath, "utf8"));
// The emission the scenario states for that epoch (its last `epoch` step).
const scenario = JSON.parse(readFileSync(path.join(root, "data/yuma/epoch/epoch__test_active_stake.json"), "utf8"));
const scenarioEmission = BigInt(scenario.steps.filter((s) => s.op === "epoch").at(-1).emission);
const codeOf = (f) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    return [e.code, e.field];
  }
  assert.fail("did not throw");
};

test("Capture: validated once; its getters and rules name the block and runtime", () => {
  const cap = new E.Capture(JSON.stringify(parent));
  try {
    assert.equal(cap.block, parent.block);
    assert.equal(cap.specVersion, 473);
    assert.equal(cap.chain, parent.chain);
    assert.equal(cap.blockHash, parent.block_hash.toLowerCase());
    assert.equal(cap.storageSize, Object.keys(parent.storage).length);
    const rules = cap.rules();
    assert.equal(rules.specVersion, 473);
    assert.deepEqual(rules, E.runtimeRules({ specVersion: 473 }));
    assert.equal(new E.Capture({ ...parent, spec_version: 999 }).rules().approximate, true);
    // toJSON round-trips: a Capture is accepted wherever a capture object is.
    assert.deepEqual(new E.Capture(cap.toJSON()).toJSON(), cap.toJSON());
  } finally {
    cap.free();
  }
});

test("Capture: quote, price, check and nextBlock equal the free functions", () => {
  for (const [file, netuid] of [["balancer_spec424_sn64.json", 64], ["v3_initialised_spec391_sn3.json", 3], ["balancer_reservoirs_spec473_sn64_root.json", 64]]) {
    const raw = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    const cap = new E.Capture(raw);
    for (const amount of [1n, 1_000_000_000n, 10n ** 15n]) {
      assert.deepEqual(cap.quote(netuid, { buy: amount }), E.replayQuote(raw, netuid, "buy", amount), `${file} buy ${amount}`);
      assert.deepEqual(cap.quote(netuid, { sell: String(amount) }), E.replayQuote(raw, netuid, "sell", amount), `${file} sell ${amount}`);
    }
    assert.equal(cap.price(netuid), E.replayPrice(raw, netuid));
    assert.deepEqual(cap.check(), E.replayCheck(raw));
    cap.free();
  }
  const cap = new E.Capture(parent);
  const want = E.replayBlock(parent, child);
  assert.deepEqual(cap.nextBlock(child), want);
  const childCap = new E.Capture(child);
  assert.deepEqual(cap.nextBlock(childCap), want, "a Capture as the child");
  childCap.free();
  cap.free();
});

test("Capture.epoch: the scenario's epoch replays equal item by item, as the CLI prints it", () => {
  const cap = new E.Capture(epochParent);
  const r = cap.epoch(1, epochChild, { emission: scenarioEmission });
  assert.equal(r.block, epochChild.block);
  assert.equal(r.specVersion, 425);
  assert.ok(r.uids > 0 && r.items.length === 8 + r.uids);
  assert.ok(r.items.every((i) => i.equal), JSON.stringify(r.items.filter((i) => !i.equal)));
  assert.deepEqual(r.missing, []);
  assert.equal(r.emission, String(scenarioEmission));
  // Each compared value is the child's own (the scenario's output), byte for byte here.
  for (const i of r.items.filter((x) => x.expected !== null && !x.item.endsWith("Bonds"))) assert.equal(i.actual, i.expected, i.item);
  // Without the emission, Emission is listed (not guessed); without outputs, only computed.
  const noEm = cap.epoch(1, epochChild);
  assert.deepEqual(noEm.missing.map((m) => m.item), ["SubtensorModule.Emission"]);
  const only = cap.epoch(1, undefined, { emission: scenarioEmission });
  assert.deepEqual(only.items, []);
  assert.deepEqual(only.computed, r.computed);
  assert.equal(cap.epoch(1).computed.length, r.computed.length);
  // The CLI (through this package) prints the same report, then the summary line.
  const run = spawnSync(process.execPath, [path.join(root, "scripts/replay.mjs"), "epoch", epochParentPath, epochChildPath, "--netuid", "1", "--emission", String(scenarioEmission)], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.equal(lines.pop(), `${r.items.length} equal, 0 mismatched, 0 missing`);
  // …in the native tao-replay's field names (the CLI's contract), the package's report snake_cased.
  const cli = JSON.parse(lines.join("\n"));
  const { specVersion, emissionExact, ...same } = r;
  assert.deepEqual(cli, { ...same, spec_version: specVersion, emission_exact: emissionExact });
  // A tampered output is the one mismatch.
  const key = r.items.find((i) => i.item === "SubtensorModule.Dividends").key;
  const v = epochChild.storage[key];
  const tampered = { ...epochChild, storage: { ...epochChild.storage, [key]: v.slice(0, -2) + (Number.parseInt(v.slice(-2), 16) ^ 1).toString(16).padStart(2, "0") } };
  const bad = cap.epoch(1, tampered, { emission: scenarioEmission }).items.filter((i) => !i.equal);
  assert.deepEqual(bad.map((i) => i.key), [key]);
  // A missing input moves every output to `missing`, naming the input by item and key.
  const tempoKey = E.storageKey("Tempo", [1]);
  const { [tempoKey]: _, ...rest } = epochParent.storage;
  const lacking = new E.Capture({ ...epochParent, storage: rest }).epoch(1, epochChild);
  assert.equal(lacking.items.length, 0);
  assert.ok(lacking.missing.every((m) => m.needs.includes(`SubtensorModule.Tempo[1] (key ${tempoKey})`)));
  cap.free();
});

test("Capture: junk is a coded error, never a trap", () => {
  assert.deepEqual(codeOf(() => new E.Capture(42)), ["INVALID_TYPE", "capture"]);
  assert.deepEqual(codeOf(() => new E.Capture()), ["INVALID_TYPE", "capture"]);
  assert.equal(codeOf(() => new E.Capture("{"))[0], "INVALID_JSON");
  assert.equal(codeOf(() => new E.Capture({ ...parent, block_hash: "0xzz" }))[0], "INVALID_HEX");
  const cap = new E.Capture(epochParent);
  assert.deepEqual(codeOf(() => cap.quote(1, { buy: 1, sell: 1 })), ["INVALID_TYPE", "order"]);
  assert.deepEqual(codeOf(() => cap.quote(1, "buy")), ["INVALID_TYPE", "order"]);
  assert.deepEqual(codeOf(() => cap.quote(1, { buy: -1 })), ["NEGATIVE", "order.buy"]);
  assert.deepEqual(codeOf(() => cap.price(70_000)), ["OUT_OF_RANGE", "netuid"]);
  assert.deepEqual(codeOf(() => cap.epoch(1, epochParent)), ["OUT_OF_RANGE", "outputs"]);
  assert.deepEqual(codeOf(() => cap.epoch(1, epochChild, 5)), ["INVALID_TYPE", "options"]);
  assert.deepEqual(codeOf(() => cap.epoch(1, epochChild, { emission: 1.5 })), ["NOT_AN_INTEGER", "options.emission"]);
  assert.deepEqual(codeOf(() => cap.epoch(5000)), ["OUT_OF_RANGE", "netuid"]);
  assert.deepEqual(codeOf(() => cap.nextBlock(epochParent)), ["OUT_OF_RANGE", "child"]);
  assert.equal(codeOf(() => cap.nextBlock("nope"))[0], "INVALID_JSON");
  cap.free();
});
