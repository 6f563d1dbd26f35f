// Loopback "nodes" for the live-data tests (tests/e2e/live.test.mjs, tests/js/live.test.mjs):
// fixture folders in the replay server's format (tests/support/rpc-server.mjs), written to a temp
// dir from the shared fixtures. Each response below is marked REAL (a finney capture, served for
// the block it was captured at) or BUILT (made here, from real values where there are any).
//
// Node A, "stake": head = finney block 6,852,344 (spec 343).
//   REAL   get_metagraph(SN1) at 6,852,344 (tests/fixtures/chain/finney_b6852344_sn1_metagraph.json),
//          its block hash; the spec-343 runtime metadata (metadata/finney_spec343_v15.scale, read at
//          block 6,852,690, same runtime) and runtime version (read at 6,852,689), served at 6,852,344.
//   BUILT  the head header (real number, zero roots); get_all_dynamic_info = SN1's DynamicInfo
//          re-encoded from the real metagraph's fields, plus an SN2 with markup for a name (HOSTILE;
//          its metagraph is not recorded, so picking it is an error the page must show); `Delegates` takes of SN1's 12 permit holders
//          (the top validator 9 %, the others absent = default 18 %); the realized-APY history of
//          the top validator: hashes of the 9 blocks around its last 8 epochs (made up), and at each,
//          AlphaDividendsPerSubnet / TotalHotkeyAlpha (SN1 and root) / TaoWeight taken from the REAL
//          numbers of the first 8 epochs of shared/fixtures/returns/taoyield_sn64_validator_apy.json
//          (another subnet's validator: transplanted), and Timestamp.Now 12 s per block.
// Node B, "pools": head = finney block 9,240,388 (spec 475).
//   REAL   the block hash; SN1's and SN92's pool storage and the node's three sim_swap results
//          (data/replay/real/finney_b9240388_spec475_balancer_sn1_sn92.json).
//   BUILT  the head header; the runtime version (343's with specVersion 475); `SubnetMechanism` = 1
//          and `PalSwapInitialized` = true for both subnets (the capture lacks them; the same
//          assumption as tests/replay_cli.rs). No metadata: the node answers NOT_RECORDED, and the
//          app must go on without it.
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const chainDir = path.join(root, "tests/fixtures/chain");
const E = await import(path.join(root, "pkg/node/index.js"));
const readJson = (p) => JSON.parse(readFileSync(p, "utf8"));

export const METAGRAPH_FIXTURE = path.join(chainDir, "finney_b6852344_sn1_metagraph.json");
export const POOL_CAPTURE = path.join(root, "data/replay/real/finney_b9240388_spec475_balancer_sn1_sn92.json");
export const APY_GOLDEN = path.join(root, "tests/fixtures/returns/taoyield_sn64_validator_apy.json");

// --- SCALE encoding (test support only: the engine decodes what this writes, and the tests check
// the decode against the real source fields) --------------------------------------------------
const hexOf = (bytes) => Buffer.from(bytes).toString("hex");
function compact(v) {
  let n = BigInt(v);
  if (n < 64n) return hexOf([Number(n) << 2]);
  if (n < 1n << 14n) return hexOf([Number((n << 2n) & 0xffn) | 1, Number(n >> 6n)]);
  if (n < 1n << 30n) {
    const x = (n << 2n) | 2n;
    return hexOf([0, 1, 2, 3].map((i) => Number((x >> BigInt(8 * i)) & 0xffn)));
  }
  const out = [];
  while (n > 0n) { out.push(Number(n & 0xffn)); n >>= 8n; }
  return hexOf([((out.length - 4) << 2) | 3, ...out]);
}
const le = (v, bytes) => {
  let n = BigInt.asUintN(8 * bytes, BigInt(v));
  const out = [];
  for (let i = 0; i < bytes; i++) { out.push(Number(n & 0xffn)); n >>= 8n; }
  return hexOf(out);
};
const utf8 = (s) => [...Buffer.from(typeof s === "string" ? s : Buffer.from(s.hex.slice(2), "hex"))];
const text = (s) => compact(utf8(s).length) + hexOf(utf8(s)); // Vec<u8>
const compactText = (s) => compact(utf8(s).length) + utf8(s).map((b) => compact(b)).join(""); // Vec<Compact<u8>>
const acct = (h) => h.slice(2);
const IDENTITY_V3 = ["subnet_name", "github_repo", "subnet_contact", "subnet_url", "discord", "description", "logo_url", "additional"];

/** SN1's DynamicInfo (BUILT) from the real metagraph's decoded fields. */
export function dynamicInfoFromMetagraph(m) {
  const id = m.identity === null ? "00" : "01" + IDENTITY_V3.map((k) => text(m.identity[k] ?? "")).join("");
  return "0x" + compact(m.netuid) + acct(m.owner_hotkey) + acct(m.owner_coldkey) + compactText(m.name) + compactText(m.symbol) +
    compact(m.tempo) + compact(m.last_step) + compact(m.blocks_since_last_step) + compact(m.subnet_emission) +
    compact(m.alpha_in) + compact(m.alpha_out) + compact(m.tao_in) + compact(m.alpha_out_emission) + compact(m.alpha_in_emission) +
    compact(m.tao_in_emission) + compact(m.pending_alpha_emission) + compact(m.pending_root_emission) + compact(m.subnet_volume) +
    compact(m.network_registered_at) + id + le(m.moving_price.bits, 16);
}
const vec = (items) => compact(items.length) + items.join("");

const builtHash = (label) => "0x" + createHash("sha256").update(`tao-engine built block ${label}`).digest("hex");
const header = (number) => ({
  parentHash: builtHash(number - 1), number: `0x${number.toString(16)}`, stateRoot: `0x${"00".repeat(32)}`,
  extrinsicsRoot: `0x${"00".repeat(32)}`, digest: { logs: [] },
});
const stateCallFile = (method, args, at, hex) => ({ runtime_api: { method, params_scale_hex: args }, rpc: { method: "state_call", params: [method, args, at] }, hex });
const resultFile = (method, params, result) => ({ rpc: { method, params }, rpc_result: result });

/** A BUILT second subnet whose on-chain text is markup: the app must show it as text. */
export const HOSTILE = { netuid: 2, name: '<img src=x onerror="window.__pwned=1">', symbol: "<b>β</b>", identity: null };

/** Node A's fixture folder; returns { dir, expect } with what the tests should see. */
export function buildStakeNode() {
  const dir = mkdtempSync(path.join(tmpdir(), "tao-live-a-"));
  const mgFile = readJson(METAGRAPH_FIXTURE);
  const at = mgFile.chain.block_hash;
  const head = mgFile.chain.block_number;
  copyFileSync(METAGRAPH_FIXTURE, path.join(dir, "real_metagraph.json"));
  const m = E.decodeType("Option<Metagraph>", mgFile.hex);
  const meta = readFileSync(path.join(chainDir, "metadata/finney_spec343_v15.scale"));
  const metaHex = "0x" + meta.toString("hex");
  const version = readJson(path.join(chainDir, "finney_b6852690_runtime_version.json")).rpc_result_json;
  const files = {
    "built_head.json": resultFile("chain_getHeader", [], header(head)),
    "real_runtime_version.json": resultFile("state_getRuntimeVersion", [at], version),
    "real_metadata.json": resultFile("state_getMetadata", [at], metaHex),
    "built_dynamic_info.json": stateCallFile("SubnetInfoRuntimeApi_get_all_dynamic_info", "0x", at, "0x" + vec([
      `01${dynamicInfoFromMetagraph(m).slice(2)}`, `01${dynamicInfoFromMetagraph({ ...m, ...HOSTILE }).slice(2)}`])),
  };
  // Takes: the validator with the largest dividend gets 9 % (5898/65535), the others are absent.
  const permit = m.validator_permit.map((p, uid) => (p ? uid : -1)).filter((u) => u >= 0);
  const top = permit.reduce((a, b) => (m.dividends[b] > m.dividends[a] ? b : a));
  const hotkey = m.hotkeys[top];
  const cases = permit.map((uid) => ({
    storage: { key_hex: E.storageKey("Delegates", [m.hotkeys[uid]]) }, at, hex: uid === top ? `0x${le(5898, 2)}` : null,
  }));
  // Realized-APY history (BUILT from the golden's real numbers, see the module comment).
  const golden = readJson(APY_GOLDEN);
  const epochs = 8;
  const period = m.tempo + 1;
  const blocks = Array.from({ length: epochs }, (_, i) => m.last_step - (epochs - 1 - i) * period);
  const start = blocks[0] - period;
  const u16 = (n) => `0x${le(n, 2)}`;
  const [divKey, alphaKey, rootKey, weightKey, nowKey] = E.metadataStorageKeys(metaHex, [
    { pallet: "SubtensorModule", item: "AlphaDividendsPerSubnet", keys: [u16(1), hotkey] },
    { pallet: "SubtensorModule", item: "TotalHotkeyAlpha", keys: [hotkey, u16(1)] },
    { pallet: "SubtensorModule", item: "TotalHotkeyAlpha", keys: [hotkey, u16(0)] },
    { pallet: "SubtensorModule", item: "TaoWeight" },
    { pallet: "Timestamp", item: "Now" },
  ]);
  const rao = (x) => BigInt(Math.round(x * 1e9));
  const taoWeight = BigInt(Math.round(0.18 * 2 ** 64));
  const t0 = 1_750_000_000_000n;
  const ms = (b) => t0 + BigInt(b - start) * 12_000n;
  const history = [];
  for (const [i, b] of [start, ...blocks].entries()) {
    const h = builtHash(b);
    cases.push({ storage: { key_hex: nowKey }, at: h, at_block_number: b, hex: `0x${le(ms(b), 8)}` });
    if (i === 0) continue;
    const g = golden.fetched_data[i - 1];
    const row = { alphaDivRaw: Number(rao(g.alpha_div_raw)) / 1e9, subnetAlphaStake: Number(rao(g.subnet_alpha_stake)) / 1e9, rootStakeTao: Number(rao(g.root_stake_tao)) / 1e9, taoWeightParam: Number(taoWeight) / 2 ** 64 };
    history.push(row);
    cases.push({ storage: { key_hex: divKey }, at: h, hex: `0x${le(rao(g.alpha_div_raw), 8)}` });
    cases.push({ storage: { key_hex: alphaKey }, at: h, hex: `0x${le(rao(g.subnet_alpha_stake), 8)}` });
    cases.push({ storage: { key_hex: rootKey }, at: h, hex: `0x${le(rao(g.root_stake_tao), 8)}` });
    cases.push({ storage: { key_hex: weightKey }, at: h, hex: `0x${le(taoWeight, 8)}` });
  }
  files["built_storage.json"] = { cases };
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(body));
  const intervalSeconds = Number(ms(blocks.at(-1)) - ms(start)) / 1000;
  return {
    dir,
    close: () => rmSync(dir, { recursive: true, force: true }),
    expect: { head, at, specVersion: 343, metagraph: m, topUid: top, hotkey, takeU16: 5898, history, intervalSeconds, fromBlock: start, toBlock: blocks.at(-1), epochs },
  };
}

/** Node B's fixture folder; returns { dir, expect }. */
export function buildPoolsNode() {
  const dir = mkdtempSync(path.join(tmpdir(), "tao-live-b-"));
  const cap = readJson(POOL_CAPTURE);
  const at = cap.block_hash;
  const version = { ...readJson(path.join(chainDir, "finney_b6852690_runtime_version.json")).rpc_result_json, specVersion: cap.spec_version };
  const cases = Object.entries(cap.storage).map(([key, hex]) => ({ storage: { key_hex: key }, at, at_block_number: cap.block, hex }));
  // The two items the capture lacks (BUILT): their keys as the engine names them.
  const built = [];
  for (const netuid of [1, 92]) {
    try {
      E.replayQuote(cap, netuid, "buy", 1_000_000_000n);
    } catch (e) {
      for (const mm of String(e.message).matchAll(/([A-Za-z]+\.[A-Za-z0-9]+)(\[[^\]]*\])? \(key (0x[0-9a-f]+)\)/g)) {
        const value = { "SubtensorModule.SubnetMechanism": "0x0100", "Swap.PalSwapInitialized": "0x01" }[mm[1]];
        if (value === undefined) throw new Error(`unexpected missing input ${mm[1]}`);
        cases.push({ storage: { key_hex: mm[3] }, at, hex: value });
        built.push(`${mm[1]}${mm[2]}`);
      }
    }
  }
  const files = {
    "built_head.json": resultFile("chain_getHeader", [], header(cap.block)),
    "built_runtime_version.json": resultFile("state_getRuntimeVersion", [at], version),
    "real_storage.json": { cases },
  };
  cap.runtime_api.forEach((c, i) => { files[`real_call_${i}.json`] = stateCallFile(c.method, c.args_hex, at, c.result); });
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(body));
  return { dir, close: () => rmSync(dir, { recursive: true, force: true }), expect: { head: cap.block, at, specVersion: cap.spec_version, capture: cap, built } };
}

export const BLOCK_PARENT = path.join(root, "data/replay/block_spec473_parent.json");
export const BLOCK_CHILD = path.join(root, "data/replay/block_spec473_child.json");

/**
 * Node C's fixture folder, for the live coinbase replay: head = the child block of the BUILT pair
 * data/replay/block_spec473_{parent,child}.json (the engine's own state at spec 473 and
 * its next block; no real finney pair was available). Every storage value of both captures is
 * served at its block's hash; `NetworksAdded` is a map read by prefix. `tamper` (a storage key of
 * the child) serves that key with its value's last byte changed, to show a mismatch.
 */
export function buildBlockNode({ tamper } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "tao-live-c-"));
  const parent = readJson(BLOCK_PARENT);
  const child = readJson(BLOCK_CHILD);
  const meta = "0x" + readFileSync(path.join(chainDir, "metadata/finney_spec343_v15.scale")).toString("hex");
  const [networksPrefix] = E.metadataStorageKeys(meta, [{ pallet: "SubtensorModule", item: "NetworksAdded" }]).map((k) => k.toLowerCase());
  const version = (spec) => ({ ...readJson(path.join(chainDir, "finney_b6852690_runtime_version.json")).rpc_result_json, specVersion: spec });
  const files = {
    "built_head.json": resultFile("chain_getHeader", [], { ...header(child.block), parentHash: parent.block_hash }),
  };
  let tampered = null;
  for (const [name, cap] of [["parent", parent], ["child", child]]) {
    files[`built_${name}_version.json`] = resultFile("state_getRuntimeVersion", [cap.block_hash], version(cap.spec_version));
    const cases = [];
    const mapCases = [];
    for (const [key, value] of Object.entries(cap.storage)) {
      let hex = value;
      if (cap === child && key === tamper && value) {
        const last = (Number.parseInt(value.slice(-2), 16) ^ 1).toString(16).padStart(2, "0");
        hex = value.slice(0, -2) + last;
        tampered = { key, chain: hex, engine: value };
      }
      if (key.toLowerCase().startsWith(networksPrefix)) mapCases.push({ key_hex: key, hex });
      else cases.push({ storage: { key_hex: key }, at: cap.block_hash, at_block_number: cap.block, hex });
    }
    files[`built_${name}_storage.json`] = { cases };
    files[`built_${name}_networks_added.json`] = {
      storage: { prefix_hex: networksPrefix },
      rpc: { block: cap.block_hash, keys_paged_calls: [{ params: [networksPrefix, 1000, null, cap.block_hash], result_len: mapCases.length }] },
      cases: mapCases,
    };
  }
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(body));
  return { dir, close: () => rmSync(dir, { recursive: true, force: true }), expect: { head: child.block, parent, child, tampered } };
}

export const EPOCH_PARENT = path.join(root, "data/replay/epoch_scenario_active_stake_parent.json");
export const EPOCH_CHILD = path.join(root, "data/replay/epoch_scenario_active_stake_child.json");

/**
 * Node E's fixture folder, for the live epoch check. All BUILT: the chain's own epoch scenario
 * `epoch__test_active_stake` (subtensor pallets/subtensor/src/tests/epoch.rs @ 14bc6f9) written as
 * storage by tests/replay_epoch.rs (the state before its last epoch, and the scenario's own outputs
 * at that epoch's block 5,003, SN1; no real finney epoch pair was available). Served: every value of
 * the parent capture at block 5,002 and of the child at 5,003 (with `LastMechansimStepBlock` = 5,003
 * there), a head two blocks later whose `LastMechansimStepBlock[1]` names 5,003, made-up block hashes,
 * and spec 425's runtime version (343's with specVersion 425). `tamper` (a storage key of the child)
 * serves that key with its value's last byte changed, to show a mismatch.
 */
export function buildEpochNode({ tamper } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "tao-live-e-"));
  const parent = readJson(EPOCH_PARENT);
  const child = readJson(EPOCH_CHILD);
  const head = child.block + 2;
  const version = { ...readJson(path.join(chainDir, "finney_b6852690_runtime_version.json")).rpc_result_json, specVersion: parent.spec_version };
  const stepKey = E.storageKey("LastMechansimStepBlock", [1]);
  const files = {
    "built_head.json": resultFile("chain_getHeader", [], header(head)),
    "built_head_step.json": { cases: [{ storage: { key_hex: stepKey }, at: builtHash(head), at_block_number: head, hex: `0x${le(child.block, 8)}` }] },
    "built_head_version.json": resultFile("state_getRuntimeVersion", [builtHash(head)], version),
  };
  let tampered = null;
  for (const [name, cap] of [["parent", parent], ["child", child]]) {
    const at = builtHash(cap.block);
    files[`built_${name}_version.json`] = resultFile("state_getRuntimeVersion", [at], version);
    const cases = Object.entries(cap.storage).map(([key, value]) => {
      let hex = value;
      if (cap === child && key === tamper && value) {
        hex = value.slice(0, -2) + (Number.parseInt(value.slice(-2), 16) ^ 1).toString(16).padStart(2, "0");
        tampered = { key, chain: hex, engine: value };
      }
      return { storage: { key_hex: key }, at, at_block_number: cap.block, hex };
    });
    files[`built_${name}_storage.json`] = { cases };
  }
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(body));
  return { dir, close: () => rmSync(dir, { recursive: true, force: true }), expect: { head, epochBlock: child.block, parent, child, tampered } };
}
