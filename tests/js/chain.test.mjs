// Chain data through the built package (pkg/node and pkg/web via initSync): decoding by type name,
// storage keys and values, snapshots (build from a plan, load, verify, tamper), weight
// normalisation both ways and the commit hash check; bad input throws Errors with stable codes and
// the instance keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const nodeBuild = await import(path.join(root, "pkg/node/index.js"));
const webBuild = await import(path.join(root, "pkg/web/tao_engine.js"));
webBuild.initSync({ module: readFileSync(path.join(root, "pkg/web/tao_engine_bg.wasm")) });

const fixture = (name) => JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain", name), "utf8"));
const dataDir = path.join(root, "www/src/verify/data");
const snapshotFiles = readdirSync(dataDir).filter((f) => f.startsWith("epoch__"));
const snapshotText = (f) => readFileSync(path.join(dataDir, f), "utf8");

function expectCode(fn, code, field) {
  let caught;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught instanceof Error, `throws an Error (got ${caught})`);
  assert.equal(caught.code, code, caught.message);
  if (field !== undefined) assert.equal(caught.field, field);
  return caught;
}

for (const [name, e] of [["node build", nodeBuild], ["web build (initSync)", webBuild]]) {
  test(`${name}: decodeType renders the SN1 metagraph as the fixture states`, () => {
    const fx = fixture("finney_b6852344_sn1_metagraph.json");
    const m = e.decodeType(fx.type.replace("<AccountId32>", ""), fx.hex);
    assert.equal(m.netuid, fx.expected.assertions["metagraph(1).netuid"]);
    assert.equal(m.block, fx.expected.assertions["metagraph(1).block"]);
    assert.equal(m.hotkeys.length, fx.expected.assertions["metagraph(1).n"]);
    assert.equal(m.name, fx.derived.name);
    assert.deepEqual(m.incentives.slice(0, 5), fx.derived.incentives.first5 ?? m.incentives.slice(0, 5));
    // The same bytes as Uint8Array and as a plain array.
    const bytes = Uint8Array.from(Buffer.from(fx.hex.slice(2), "hex"));
    assert.equal(e.decodeType("Option<Metagraph>", bytes).hotkeys[3], m.hotkeys[3]);
    assert.match(e.decodeType("Option<Metagraph>", bytes, "raw", { ss58: true }).hotkeys[0], /^5/);
    assert.deepEqual(e.decodeType("Vec<u16>", [8, 1, 0, 255, 255]), [1, 65535]);
    assert.ok(e.knownTypes().includes("Option<Metagraph>"));
  });

  test(`${name}: decode errors carry code, field and byte offset`, () => {
    const fx = fixture("finney_b6852344_sn1_metagraph.json");
    const truncated = fx.hex.slice(0, 2 + 2 * 5000);
    const err = expectCode(() => e.decodeType("Option<Metagraph>", truncated), "DECODE");
    assert.equal(typeof err.offset, "number");
    assert.ok(err.offset <= 5000);
    assert.ok(err.field && err.field.length > 0);
    expectCode(() => e.decodeType("Vec<u16>", "0x0401000000"), "TRAILING_BYTES");
    expectCode(() => e.decodeType("NoSuchType", "0x00"), "UNSUPPORTED");
    expectCode(() => e.decodeType("u16", "0xzz"), "INVALID_HEX", "data");
    expectCode(() => e.decodeType("u16", 42), "INVALID_TYPE", "data");
    expectCode(() => e.decodeType("u16", [1, 300]), "OUT_OF_RANGE", "data[1]");
    expectCode(() => e.decodeType("u16", "0x0100", "nope"), "UNSUPPORTED", "wrapping");
    assert.equal(e.decodeType("u16", "0x0100"), 1, "still usable");
  });

  test(`${name}: storage keys match the spec's examples; values decode with defaults`, () => {
    assert.equal(e.storageKey("Weights", [23, 10]),
      "0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec417000a00");
    assert.equal(e.storageKey("LastUpdate", [1]), "0x658faa385070e074c85bf6b568cf0555696e262a16e52255a69d8acd793541460100");
    assert.equal(e.storageKey("MechanismCountCurrent", [1]),
      "0x658faa385070e074c85bf6b568cf0555604fb97037feb8522bf37d42d54fa6e9f1577fbf1d628fdd0100");
    // Prefix only (iteration), and an account key in SS58 and hex giving the same key.
    assert.equal(e.storageKey("Weights", [23]), "0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec41700");
    const alice = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
    assert.equal(e.storageKey("Uids", [14, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"]), e.storageKey("Uids", [14, alice]));
    assert.equal(e.decodeStorageValue("Tempo", null), 360);
    assert.equal(e.decodeStorageValue("Tempo", "0x6300"), 99);
    assert.equal(e.decodeStorageValue("Uids", null), null);
    const tempo = e.storageItems().find((i) => i.name === "Tempo");
    assert.equal(tempo.defaultHex, "0x6801");
    expectCode(() => e.storageKey("Nope", []), "UNSUPPORTED", "item");
    expectCode(() => e.storageKey("Weights", [1, 2, 3]), "LENGTH_MISMATCH", "keys");
    expectCode(() => e.storageKey("Weights", [70000, 1]), "TOO_LARGE", "keys[0]");
    expectCode(() => e.storageKey("Weights", [-1, 1]), "NEGATIVE", "keys[0]");
    expectCode(() => e.storageKey("Uids", [1, "not an account"]), "INVALID_TYPE", "keys[1]");
  });

  test(`${name}: every embedded scenario snapshot verifies`, () => {
    assert.ok(snapshotFiles.length >= 3);
    for (const f of snapshotFiles) {
      const v = e.verifySnapshot(snapshotText(f));
      assert.equal(v.verdict, "match", `${f}: ${JSON.stringify(v.firstDifference)}`);
      assert.equal(v.firstDifference, undefined, "no difference: the field is absent");
      assert.equal(typeof v.emission, "bigint");
      assert.ok(v.summary.every((s) => s.mismatched === 0 && s.compared === v.n), JSON.stringify(v.summary));
    }
  });

  test(`${name}: a tampered output is reported at its uid and field`, () => {
    const f = snapshotFiles.find((x) => x.includes("active_stake"));
    const snap = JSON.parse(snapshotText(f));
    const key = e.storageKey("Dividends", [snap.netuid]);
    const divs = e.decodeStorageValue("Dividends", snap.outputs[key]);
    divs[1] += 1;
    // Re-encode Vec<u16>: compact length (4 entries -> 0x10), then u16 LE each.
    snap.outputs[key] = "0x" + (divs.length * 4).toString(16).padStart(2, "0") +
      divs.map((d) => [d & 0xff, d >> 8].map((b) => b.toString(16).padStart(2, "0")).join("")).join("");
    const v = e.verifySnapshot(snap);
    assert.equal(v.verdict, "mismatch");
    assert.equal(v.firstDifference.uid, 1);
    assert.equal(v.firstDifference.field, "dividends");
    assert.equal(Number(v.firstDifference.expected), divs[1]);
    assert.equal(Number(v.firstDifference.actual), divs[1] - 1);
    assert.ok(v.firstDifference.trace.some((t) => t.name === "Dividends[1]"));
  });

  test(`${name}: snapshotNew/Plan/Insert follow the plan to the same snapshot`, () => {
    const full = JSON.parse(snapshotText(snapshotFiles[0]));
    let snap = e.snapshotNew(full.netuid, BigInt(full.block), { emission: full.emission, source: { kind: "test", description: "replayed" } });
    let rounds = 0;
    for (let p = e.snapshotPlan(snap); p.phase !== "done"; p = e.snapshotPlan(snap)) {
      rounds += 1;
      assert.ok(rounds < 10);
      const src = p.phase === "inputs" ? full.inputs : full.outputs;
      snap = e.snapshotInsert(snap, p.phase, p.keys.map((k) => [k, src[k] ?? null]));
    }
    const built = JSON.parse(snap);
    assert.deepEqual(built.inputs, full.inputs);
    assert.deepEqual(built.outputs, full.outputs);
    assert.equal(built.emission, full.emission);
    assert.equal(built.source.description, "replayed");
    assert.equal(e.verifySnapshot(snap).verdict, "match");
    expectCode(() => e.snapshotInsert(snap, "later", []), "INVALID_TYPE", "phase");
    expectCode(() => e.snapshotInsert(snap, "inputs", [["0xzz", null]]), "INVALID_HEX", "key");
    expectCode(() => e.snapshotInsert(snap, "inputs", [42]), "INVALID_TYPE", "entries[0]");
    expectCode(() => e.snapshotNew(1, -5n), "NEGATIVE", "block");
    expectCode(() => e.snapshotNew(1, 5, { emission: "x" }), "INVALID_TYPE", "options.emission");
  });

  test(`${name}: snapshot files: load summary, metagraph-only capture, bad files`, () => {
    const sn1 = readFileSync(path.join(dataDir, "sn1-b6852344-metagraph.json"), "utf8");
    const info = e.loadSnapshot(sn1);
    assert.equal(info.rerunnable, false);
    assert.equal(info.block, 6852344n);
    assert.equal(info.metagraph.hotkeys.length, 1024);
    expectCode(() => e.verifySnapshot(sn1), "MISSING_FIELD", "inputs");
    const ok = e.loadSnapshot(snapshotText(snapshotFiles[0]));
    assert.equal(ok.rerunnable, true);
    const inputs = e.snapshotEpochInputs(snapshotText(snapshotFiles[0]));
    assert.equal(inputs.length, 1);
    // The inputs are in runEpoch's shape (camelCase, bigint amounts): re-running them gives the
    // engine outputs verifySnapshot compares.
    assert.equal(typeof inputs[0].alphaStake[0], "bigint");
    const rerun = e.runEpoch(inputs[0]);
    const verified = e.verifySnapshot(snapshotText(snapshotFiles[0]));
    assert.deepEqual([...rerun.dividends], verified.computed.dividends);
    assert.equal(verified.state.mechanisms[0].lastUpdate.length, verified.n);
    expectCode(() => e.loadSnapshot("{"), "INVALID_JSON");
    expectCode(() => e.loadSnapshot(JSON.stringify({ format: "x", version: 1 })), "UNSUPPORTED", "format");
    expectCode(() => e.loadSnapshot(JSON.stringify({ format: "tao-engine/epoch-snapshot", version: 9 })), "UNSUPPORTED", "version");
    expectCode(() => e.verifySnapshot(42), "INVALID_JSON");
  });

  test(`${name}: weight normalisation both ways and the commit hash check`, () => {
    const w = e.normaliseWeights(Uint16Array.from([0, 1, 2]), Float64Array.from([1, 0.5, 0]));
    assert.deepEqual([...w.sdkUids], [0, 1]);
    assert.deepEqual([...w.sdkValues], [65535, 32768]);
    assert.deepEqual([...w.chainValues], [65535, 32768]);
    assert.deepEqual([...e.chainMaxUpscale(Uint16Array.from([1, 2]))], [32768, 65535]);
    expectCode(() => e.normaliseWeights(Uint16Array.from([0]), Float64Array.from([-1])), "NEGATIVE");
    expectCode(() => e.normaliseWeights(Uint16Array.from([0, 1]), Float64Array.from([1])), "LENGTH_MISMATCH");
    const reveal = {
      hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", netuidIndex: 1, uids: [0, 1, 2],
      values: [65535, 32768, 1], salt: [1, 2, 3, 4, 5, 6, 7, 8], versionKey: 0n,
      commitHash: "0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d",
    };
    const r = e.checkReveal(reveal);
    assert.equal(r.matches, true);
    assert.equal(r.computed, reveal.commitHash);
    assert.equal(reveal.versionKey, 0n, "the input object is not modified");
    assert.equal(e.checkReveal({ ...reveal, versionKey: "1" }).matches, false);
    assert.equal(e.checkReveal({ ...reveal, salt: [1, 2, 3, 4, 5, 6, 7, 9] }).matches, false);
    expectCode(() => e.checkReveal({ ...reveal, values: [1] }), "LENGTH_MISMATCH", "values");
    expectCode(() => e.checkReveal({ ...reveal, commitHash: "0x12" }), "INVALID_HEX", "commitHash");
    expectCode(() => e.checkReveal({ ...reveal, versionKey: -1 }), "NEGATIVE", "versionKey");
    expectCode(() => e.checkReveal(null), "INVALID_TYPE");
    assert.equal(e.checkReveal(reveal).matches, true, "still usable");
  });
}
