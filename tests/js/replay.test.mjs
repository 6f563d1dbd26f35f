// `replayBlock` and `scripts/replay --wasm block` on the engine-written spec-473 pair
// (tests/fixtures/replay/block_spec473_{parent,child}.json, written by tests/replay_block.rs):
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
const dir = path.join(root, "tests/fixtures/replay");
const parentPath = path.join(dir, "block_spec473_parent.json");
const childPath = path.join(dir, "block_spec473_child.json");
const parent = JSON.parse(readFileSync(parentPath, "utf8"));
const child = JSON.parse(readFileSync(childPath, "utf8"));

test("replayBlock: an engine-written pair replays to itself", () => {
  const r = E.replayBlock(parent, child);
  assert.equal(r.spec_version, 473);
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
