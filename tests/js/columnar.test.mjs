// decodeColumns through the built package (pkg/node and pkg/web via initSync): on the SN1 captures
// of block 6852344 the columns equal decodeType's per-object output for every uid and every field
// (hex and SS58 accounts; raw account bytes match the hex), the columns have the documented
// typed-array kinds, every numeric column is its own aligned range of one ArrayBuffer, hand-encoded
// Vec<Option<DynamicInfo>> rows and a spec-435 metagraph's collateral columns equal decodeType, and
// bad input throws coded Errors. The comparison maps both sides to one
// form: integers as decodeType writes them (a number up to 2^53 − 1, a decimal string above),
// bools as 0/1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const nodeBuild = await import(path.join(root, "pkg/node/index.js"));
const webBuild = await import(path.join(root, "pkg/web/tao_engine.js"));
webBuild.initSync({ module: readFileSync(path.join(root, "pkg/web/tao_engine_bg.wasm")) });

const fixture = (name) => JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain", name), "utf8"));
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const big = (b) => (b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b.toString());

// Either side's value in one form: bigint → number/decimal string, bool → 0/1, nested likewise.
function norm(v) {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "bigint") return big(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}

const isTyped = (c) => ArrayBuffer.isView(c);
const u128 = (c, i) => (BigInt.asUintN(64, c.hi[i]) << 64n) | c.lo[i];

// Entry i of a column, rebuilt in decodeType's shape (lists and the *_per_hotkey pair groups are tuples).
function cell(name, c, i) {
  if (isTyped(c)) return c[i];
  if (Array.isArray(c)) return c[i];
  if (c.offsets) {
    const keys = Object.keys(c).filter((k) => k !== "offsets");
    return Array.from({ length: c.offsets[i + 1] - c.offsets[i] }, (_, j) => keys.map((k) => cell(k, c[k], c.offsets[i] + j)));
  }
  if (c.hi && c.lo) return u128(c, i);
  if (c.bits && c.approx) return { bits: ((c.bits.hi[i] << 64n) + c.bits.lo[i]).toString(), approx: c.approx[i] };
  if (name.endsWith("_per_hotkey")) return Object.keys(c).map((k) => cell(k, c[k], i));
  return row(c, i);
}

function row(group, i) {
  if (group.present && group.present[i] === 0) return null;
  return Object.fromEntries(Object.keys(group).filter((k) => k !== "present").map((k) => [k, cell(k, group[k], i)]));
}

const columnLength = (c) => (isTyped(c) || Array.isArray(c) ? c.length : c.offsets ? c.offsets.length - 1 : c.hi ? c.hi.length : c.bits ? c.approx.length : columnLength(c[Object.keys(c).find((k) => k !== "present")]));

// SCALE encoding of the few shapes the DynamicInfo and collateral tests need (no fixture holds them).
function compact(v) {
  v = BigInt(v);
  if (v < 64n) return [Number(v << 2n)];
  if (v < 1n << 14n) { const x = Number((v << 2n) | 1n); return [x & 255, x >> 8]; }
  if (v < 1n << 30n) { const x = Number((v << 2n) | 2n); return [x & 255, (x >> 8) & 255, (x >> 16) & 255, x >>> 24]; }
  const out = [];
  for (let x = v; x > 0n; x >>= 8n) out.push(Number(x & 255n));
  while (out.length < 4) out.push(0);
  return [((out.length - 4) << 2) | 3, ...out];
}
const le = (v, bytes) => Array.from({ length: bytes }, (_, i) => Number((BigInt.asUintN(bytes * 8, v) >> BigInt(8 * i)) & 255n));
const text = (b) => [...compact(b.length), ...b];
const compactText = (b) => [...compact(b.length), ...b.flatMap((x) => compact(x))];
const utf8 = (s) => [...Buffer.from(s, "utf8")];

function dynamicInfo(netuid, ident) {
  return {
    netuid, hotkey: Array(32).fill(netuid & 255), coldkey: Array(32).fill(0xfe),
    name: utf8(`net ${netuid}`), symbol: netuid % 2 === 0 ? utf8("\u03b1") : [0xff, 0x00],
    u64s: [360n, 6852000n + BigInt(netuid), 3n, 0n, 2n ** 64n - 1n, 2n ** 53n, 2n ** 53n - 1n, 7n, 8n, 9n, 10n, 0n],
    volume: 2n ** 128n - 1n - BigInt(netuid), registered: 11n,
    ident: ident ? [utf8("Apex"), [], [0xc3], utf8("https://example.org"), [], utf8("a, b"), [], []] : null,
    price: -(BigInt(netuid) << 90n) - 5n,
  };
}

function encodeDynamicInfos(list) {
  const out = [...compact(list.length)];
  for (const d of list) {
    if (d === null) { out.push(0); continue; }
    out.push(1, ...compact(d.netuid), ...d.hotkey, ...d.coldkey, ...compactText(d.name), ...compactText(d.symbol));
    d.u64s.forEach((v) => out.push(...compact(v))); // tempo, then the eleven u64 fields
    out.push(...compact(d.volume), ...compact(d.registered));
    if (d.ident) out.push(1, ...d.ident.flatMap(text)); else out.push(0);
    out.push(...le(d.price, 16));
  }
  return out;
}

for (const [label, e] of [["node build", nodeBuild], ["web build (initSync)", webBuild]]) {
  test(`${label}: SN1 neurons lite: every uid and field equals decodeType`, () => {
    const fx = fixture("finney_b6852344_sn1_neurons_lite.json");
    const bytes = Uint8Array.from(Buffer.from(fx.hex.slice(2), "hex"));
    for (const options of [undefined, { ss58: true }]) {
      const objs = e.decodeType(fx.type, bytes, "raw", options);
      const t = e.decodeColumns(fx.type, bytes, "raw", options);
      assert.equal(t.type, "Vec<NeuronInfoLite>");
      assert.equal(t.length, 1024);
      assert.equal(objs.length, 1024);
      assert.deepEqual(Object.keys(t.columns), Object.keys(objs[0]), "the chain's fields, in order");
      let compared = 0;
      for (let uid = 0; uid < objs.length; uid++) {
        const r = row(t.columns, uid);
        for (const field of Object.keys(objs[uid])) {
          assert.deepEqual(norm(r[field]), norm(objs[uid][field]), `uid ${uid} ${field}`);
          compared++;
        }
      }
      assert.equal(compared, 1024 * 18);
    }
  });

  test(`${label}: neurons lite columns have the documented kinds`, () => {
    const fx = fixture("finney_b6852344_sn1_neurons_lite.json");
    const { columns: c } = e.decodeColumns(fx.type, fx.hex);
    assert.ok(c.emission instanceof BigUint64Array && c.emission.length === 1024);
    assert.ok(c.last_update instanceof BigUint64Array);
    for (const k of ["uid", "netuid", "rank", "incentive", "consensus", "trust", "validator_trust", "dividends", "pruning_score"]) {
      assert.ok(c[k] instanceof Uint16Array, k);
    }
    assert.ok(c.active instanceof Uint8Array && c.validator_permit instanceof Uint8Array);
    assert.ok(Array.isArray(c.hotkey) && c.hotkey.every((h) => /^0x[0-9a-f]{64}$/.test(h)));
    assert.equal(c.hotkey[0], fx.derived.uid0.hotkey);
    assert.ok(c.axon_info.block instanceof BigUint64Array && c.axon_info.version instanceof Uint32Array);
    assert.ok(c.axon_info.ip.hi instanceof BigUint64Array && c.axon_info.ip.lo instanceof BigUint64Array);
    assert.ok(c.axon_info.port instanceof Uint16Array && c.axon_info.ip_type instanceof Uint8Array);
    assert.ok(c.stake.offsets instanceof Uint32Array && c.stake.offsets.length === 1025);
    assert.equal(c.stake.coldkey.length, c.stake.offsets[1024]);
    assert.ok(c.stake.amount instanceof BigUint64Array);
    const ss = e.decodeColumns(fx.type, fx.hex, undefined, { ss58: true }).columns;
    assert.ok(ss.hotkey.every((h) => /^5[1-9A-HJ-NP-Za-km-z]{47}$/.test(h)));
    assert.deepEqual(e.decodeColumns(fx.type, fx.hex, undefined, { accounts: "ss58" }).columns.stake.coldkey, ss.stake.coldkey);
    // Raw accounts: 32 bytes per row, the same keys as the hex column.
    const raw = e.decodeColumns(fx.type, fx.hex, undefined, { accounts: "bytes", ss58: true }).columns;
    assert.ok(raw.hotkey instanceof Uint8Array && raw.hotkey.length === 32 * 1024);
    assert.ok(raw.stake.coldkey instanceof Uint8Array && raw.stake.coldkey.length === 32 * c.stake.coldkey.length);
    const hex = (u8, i) => "0x" + Buffer.from(u8.subarray(32 * i, 32 * i + 32)).toString("hex");
    for (let uid = 0; uid < 1024; uid++) {
      assert.equal(hex(raw.hotkey, uid), c.hotkey[uid]);
      assert.equal(hex(raw.coldkey, uid), c.coldkey[uid]);
    }
    c.stake.coldkey.forEach((k, i) => assert.equal(hex(raw.stake.coldkey, i), k));
  });

  test(`${label}: SN1 metagraph: every field and every uid of every vector equals decodeType`, () => {
    const fx = fixture("finney_b6852344_sn1_metagraph.json");
    for (const options of [undefined, { ss58: true }]) {
      const obj = e.decodeType(fx.type, fx.hex, "raw", options);
      const t = e.decodeColumns(fx.type, fx.hex, "raw", options);
      assert.equal(t.type, "Option<Metagraph>");
      assert.equal(t.length, obj.hotkeys.length);
      assert.deepEqual([...Object.keys(t.fields), ...Object.keys(t.columns)], Object.keys(obj));
      for (const [k, v] of Object.entries(t.fields)) {
        const want = obj[k];
        const got = k === "moving_price" ? { bits: v.bits.toString(), approx: v.approx } : v;
        assert.deepEqual(norm(got), norm(want), k);
      }
      assert.equal(typeof t.fields.block, "bigint");
      for (const [k, c] of Object.entries(t.columns)) {
        const n = columnLength(c);
        assert.equal(n, obj[k].length, `${k} length`);
        for (let uid = 0; uid < n; uid++) assert.deepEqual(norm(cell(k, c, uid)), norm(obj[k][uid]), `${k}[${uid}]`);
      }
      assert.ok(t.columns.incentives instanceof Uint16Array && t.columns.total_stake instanceof BigUint64Array);
      assert.ok(t.columns.identities.present instanceof Uint8Array);
    }
    assert.equal(e.decodeColumns("Option<Metagraph>", "0x00"), null);
    const raw = e.decodeColumns(fx.type, fx.hex, "raw", { accounts: "bytes" });
    assert.equal("0x" + Buffer.from(raw.fields.owner_hotkey).toString("hex"), e.decodeType(fx.type, fx.hex).owner_hotkey);
  });

  test(`${label}: every numeric column is its own range of one ArrayBuffer`, () => {
    for (const name of ["finney_b6852344_sn1_neurons_lite.json", "finney_b6852344_sn1_metagraph.json"]) {
      const fx = fixture(name);
      for (const options of [undefined, { accounts: "bytes" }]) {
        const t = e.decodeColumns(fx.type, fx.hex, "raw", options);
        const views = [];
        const walk = (v) => {
          if (ArrayBuffer.isView(v)) views.push(v);
          else if (v && typeof v === "object" && !Array.isArray(v)) Object.values(v).forEach(walk);
        };
        walk(t.columns);
        assert.ok(views.length > 20, `${name}: ${views.length} typed columns`);
        const buf = views[0].buffer;
        assert.ok(views.every((v) => v.buffer === buf), "one buffer");
        const ranges = views.map((v) => [v.byteOffset, v.byteOffset + v.byteLength]).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i][0] >= ranges[i - 1][1], "no two columns overlap");
        assert.ok(ranges.at(-1)[1] <= buf.byteLength);
        views.forEach((v) => assert.equal(v.byteOffset % v.BYTES_PER_ELEMENT, 0, "aligned"));
      }
    }
  });

  test(`${label}: DynamicInfo rows (absent rows, identities, u128, I96F32, text) equal decodeType`, () => {
    const bytes = Uint8Array.from(encodeDynamicInfos([dynamicInfo(0, true), null, dynamicInfo(3, false), dynamicInfo(64, true)]));
    for (const options of [undefined, { ss58: true }]) {
      const objs = e.decodeType("Vec<Option<DynamicInfo>>", bytes, "raw", options);
      const t = e.decodeColumns("Vec<Option<DynamicInfo>>", bytes, "raw", options);
      assert.equal(t.length, 4);
      assert.deepEqual([...t.present], [1, 0, 1, 1]);
      assert.ok(t.columns.moving_price.approx instanceof Float64Array && t.columns.subnet_volume.hi instanceof BigUint64Array);
      for (let i = 0; i < 4; i++) {
        if (objs[i] === null) {
          assert.equal(t.present[i], 0);
          continue;
        }
        assert.deepEqual(norm(row(t.columns, i)), norm(objs[i]), `row ${i}`);
      }
    }
  });

  test(`${label}: spec-435 metagraph: the collateral columns equal decodeType`, () => {
    const fx = fixture("finney_b6852344_sn1_metagraph.json");
    const n = 1024;
    const tail = [];
    for (const f of [(i) => BigInt(i) * 7n, (i) => 2n ** 64n - 1n - BigInt(i), () => 1n]) {
      tail.push(...compact(BigInt(n)));
      for (let i = 0; i < n; i++) tail.push(...compact(f(i)));
    }
    const bytes = Uint8Array.from([...Buffer.from(fx.hex.slice(2), "hex"), ...tail]);
    const obj = e.decodeType("Option<MetagraphWithCollateral>", bytes);
    const t = e.decodeColumns("Option<MetagraphWithCollateral>", bytes);
    assert.deepEqual([...Object.keys(t.fields), ...Object.keys(t.columns)], Object.keys(obj));
    for (const k of ["collateral_locked", "collateral_min", "collateral_earned", "hotkeys", "alpha_stake"]) {
      assert.equal(columnLength(t.columns[k]), n);
      for (let uid = 0; uid < n; uid++) assert.deepEqual(norm(cell(k, t.columns[k], uid)), norm(obj[k][uid]), `${k}[${uid}]`);
    }
    assert.equal(t.columns.collateral_min[0], 2n ** 64n - 1n);
  });

  test(`${label}: bad input throws coded errors like decodeType`, () => {
    const fx = fixture("finney_b6852344_sn1_neurons_lite.json");
    const cut = fx.hex.slice(0, 2 + 2 * 5000);
    const code = (f) => { try { f(); } catch (err) { assert.ok(err instanceof Error); return [err.code, err.field, err.offset]; } assert.fail("no throw"); };
    assert.deepEqual(code(() => e.decodeColumns(fx.type, cut)), code(() => e.decodeType(fx.type, cut)));
    assert.deepEqual(code(() => e.decodeColumns("Vec<u16>", "0x00")).slice(0, 2), ["UNSUPPORTED", "typeName"]);
    assert.deepEqual(code(() => e.decodeColumns(7, "0x00")).slice(0, 2), ["INVALID_TYPE", "typeName"]);
    assert.deepEqual(code(() => e.decodeColumns(fx.type, 42)).slice(0, 2), ["INVALID_TYPE", "data"]);
    assert.deepEqual(code(() => e.decodeColumns(fx.type, fx.hex, 3)).slice(0, 2), ["INVALID_TYPE", "wrapping"]);
    assert.deepEqual(code(() => e.decodeColumns(fx.type, fx.hex, "raw", 1)).slice(0, 2), ["INVALID_TYPE", "options"]);
    assert.deepEqual(code(() => e.decodeColumns(fx.type, fx.hex, "raw", { ss58: 1 })).slice(0, 2), ["INVALID_TYPE", "options.ss58"]);
    assert.deepEqual(code(() => e.decodeColumns(fx.type, fx.hex, "raw", { accounts: "base58" })).slice(0, 2), ["INVALID_TYPE", "options.accounts"]);
    assert.deepEqual(code(() => e.decodeColumns(fx.type, fx.hex, "raw", { accounts: 1 })).slice(0, 2), ["INVALID_TYPE", "options.accounts"]);
    assert.equal(e.decodeColumns("Vec<NeuronInfoLite>", "0x00").length, 0, "still usable");
  });
}
