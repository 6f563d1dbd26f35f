// Live chain data for the app: what a page needs from a Subtensor node (or from the embedded real
// capture, offline), fetched through the project's JSON-RPC client (js/rpc.js: batching, retries
// with backoff, AbortSignal cancellation, progress events) and decoded by the engine.
//
// Side-effect free: importing this module touches neither the network nor the DOM. Every result
// carries a `stamp` ({ source, endpoint, blockNumber, blockHash, specVersion, fetchedAt }) so a
// view can say which block and runtime it shows and how old the data is.
//
// Everything read here is a runtime-API result or a storage value at ONE pinned block hash (the
// head when the source was opened), except the realized APY, which reads the same few storage
// values at recent epoch blocks (an archive node is needed for history older than a node keeps).
import { createRpcClient, hexToBytes } from "tao-engine/rpc";
import {
  decodeType, metadataInfo, metadataStorageKeys, realizedApy, replayBlock, replayCheck, replayQuote, runtimeRules, storageKey,
} from "tao-engine/full";
import { errorText, taoNumber } from "./format.js";

/** The public endpoint the app offers by default. It is run by a third party, not by this project. */
export const DEFAULT_ENDPOINT = "wss://entrypoint-finney.opentensor.ai:443";

/** `Delegates` default: 11 796 / 65 535 = 18 % (the chain's `DefaultDelegateTake`). */
const DEFAULT_TAKE_U16 = 11_796;
/** Target block time; used only when a node serves no `Timestamp.Now` at an epoch block. */
const BLOCK_SECONDS = 12;

/**
 * @typedef {object} Stamp
 * @property {"live" | "offline"} source
 * @property {string | null} endpoint   the node, or null offline
 * @property {number} blockNumber
 * @property {string | null} blockHash
 * @property {number} specVersion
 * @property {string} specName
 * @property {number} fetchedAt         ms since the epoch (Date.now()) when the data was read
 * @property {string} [provenance]     offline: where the embedded capture comes from
 */

/**
 * @typedef {object} Subnet
 * @property {number} netuid
 * @property {string} name      on-chain text: render with textContent only
 * @property {string} symbol    on-chain text
 * @property {number} tempo
 * @property {number} lastStep  block of the last epoch
 * @property {bigint} taoIn
 * @property {bigint} alphaIn
 * @property {bigint} alphaOut
 */

/**
 * @typedef {object} Validator
 * @property {number} uid
 * @property {string} hotkey          0x public key
 * @property {string} coldkey
 * @property {string | null} identity  on-chain text (ChainIdentity name), null when none
 * @property {number} takeU16         `Delegates[hotkey]` (absent: the chain default)
 * @property {boolean} takeIsDefault  the key was absent (or not captured offline)
 * @property {number} takePercent
 * @property {number} dividendShare   the validator's share of the subnet's dividends, 0..1
 * @property {bigint} alphaStake
 * @property {bigint} taoStake
 * @property {bigint} totalStake
 */

/** SCALE u16 (a netuid) as hex digits, little-endian. */
export const u16le = (n) => {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`netuid ${n} is not a u16`);
  return (n & 0xff).toString(16).padStart(2, "0") + (n >> 8).toString(16).padStart(2, "0");
};
/** SCALE u64 as hex digits, little-endian. */
export const u64le = (v) => {
  let x = BigInt(v);
  if (x < 0n || x >= 1n << 64n) throw new RangeError(`${v} is not a u64`);
  let s = "";
  for (let i = 0; i < 8; i++, x >>= 8n) s += Number(x & 0xffn).toString(16).padStart(2, "0");
  return s;
};
/** Little-endian unsigned integer of a storage value (hex), as bigint; `null` stays null. */
export function leUint(hex) {
  if (hex === null || hex === undefined) return null;
  const b = hexToBytes(hex);
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v;
}
const big = (v) => BigInt(v ?? 0);

// Chain text renders as a string, or as { hex } when it is not UTF-8.
const text = (v) => (v === null || v === undefined ? "" : typeof v === "object" && typeof v.hex === "string" ? v.hex : String(v));

/** The runtime rules the engine would apply to a spec (nearest known rules when it is unknown). */
export function rulesFor(specVersion) {
  return runtimeRules({ specVersion, acceptApproximate: true });
}

/** The `get_metagraph` layout of a runtime: collateral vectors from 435 on (see Rules). */
export function metagraphType(specVersion) {
  return rulesFor(specVersion).metagraphCollateralLayout ? "Option<MetagraphWithCollateral>" : "Option<Metagraph>";
}

/**
 * Open a live source on `endpoint`. `onEvent` sees the client's events (requests, retries, socket
 * open/close) for a progress display. Close it with `source.close()`.
 * @param {string} [endpoint]
 * @param {{ onEvent?: (event: import("tao-engine/rpc").RpcEvent) => void, timeoutMs?: number, retries?: number, backoff?: import("tao-engine/rpc").Backoff }} [options]
 */
export function openLive(endpoint = DEFAULT_ENDPOINT, { onEvent, timeoutMs = 30_000, retries = 3, backoff } = {}) {
  const client = createRpcClient({ endpoint, timeoutMs, retries, onEvent, ...(backoff ? { backoff } : {}) });
  return { kind: "live", endpoint, client, close: () => client.close() };
}

/**
 * Pin the head block: header, its hash and the runtime version there.
 * @param {any} src
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function fetchHead(src, { signal } = {}) {
  const c = src.client;
  const header = await c.getHeader(undefined, { signal });
  if (header === null) throw new Error("the node has no head block");
  const blockNumber = Number.parseInt(header.number.slice(2), 16);
  const blockHash = await c.getBlockHash(blockNumber, { signal });
  if (blockHash === null) throw new Error(`the node has no hash for block ${blockNumber}`);
  const version = await c.getRuntimeVersion(blockHash, { signal });
  return {
    source: "live", endpoint: src.endpoint, blockNumber, blockHash,
    specVersion: version.specVersion, specName: version.specName, fetchedAt: Date.now(),
  };
}

/**
 * The runtime metadata at the stamp's block, decoded by the engine. Returns
 * `{ stamp, info, hex }`, or `{ stamp, info: null, error }` when the node does not serve it or it
 * does not decode (the pages then go on without it).
 * @param {any} src
 * @param {any} stamp
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function fetchMetadata(src, stamp, { signal } = {}) {
  try {
    const hex = await src.client.requestBytes("state_getMetadata", [stamp.blockHash], { signal });
    return { stamp, hex, info: metadataInfo(hex) };
  } catch (e) {
    if (e?.code === "CANCELLED") throw e;
    return { stamp, hex: null, info: null, error: errorText(e) };
  }
}

export function subnetFrom(d) {
  return {
    netuid: d.netuid, name: text(d.subnet_name ?? d.name), symbol: text(d.token_symbol ?? d.symbol),
    tempo: d.tempo, lastStep: Number(d.last_step), taoIn: big(d.tao_in), alphaIn: big(d.alpha_in), alphaOut: big(d.alpha_out),
  };
}

/**
 * Every subnet (`SubnetInfoRuntimeApi_get_all_dynamic_info`), sorted by netuid.
 * @param {any} src
 * @param {any} stamp
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function fetchSubnets(src, stamp, { signal } = {}) {
  const hex = await src.client.stateCall("SubnetInfoRuntimeApi_get_all_dynamic_info", "0x", stamp.blockHash, { signal });
  const list = decodeType("Vec<Option<DynamicInfo>>", hex, undefined, undefined);
  return { stamp, subnets: list.filter((d) => d !== null).map(subnetFrom).sort((a, b) => a.netuid - b.netuid) };
}

function identityName(id) {
  if (id === null || id === undefined) return null;
  const n = text(id.name).trim();
  return n === "" ? null : n;
}

/** The validators of a decoded metagraph (permit holders), with their dividend share. */
function validatorsOf(m, takes) {
  const permits = m.validator_permit ?? [];
  const uids = permits.map((p, uid) => (p ? uid : -1)).filter((u) => u >= 0);
  const divs = m.dividends ?? [];
  const sum = uids.reduce((a, u) => a + Number(divs[u] ?? 0), 0);
  return uids.map((uid) => {
    const hotkey = m.hotkeys[uid];
    const t = takes.get(hotkey);
    const takeU16 = t ?? DEFAULT_TAKE_U16;
    return {
      uid, hotkey, coldkey: m.coldkeys[uid], identity: identityName(m.identities?.[uid]),
      takeU16, takeIsDefault: t === undefined || t === null, takePercent: (takeU16 / 65535) * 100,
      dividendShare: sum > 0 ? Number(divs[uid] ?? 0) / sum : 0,
      alphaStake: big(m.alpha_stake?.[uid]), taoStake: big(m.tao_stake?.[uid]), totalStake: big(m.total_stake?.[uid]),
    };
  }).sort((a, b) => (b.dividendShare - a.dividendShare) || (a.uid - b.uid));
}

/** The subnet parameters a staker cares about, from the metagraph. */
function hyperparamsOf(m) {
  const keys = ["tempo", "rho", "kappa", "immunity_period", "max_validators", "activity_cutoff", "weights_rate_limit",
    "commit_reveal_weights_enabled", "commit_reveal_period", "liquid_alpha_enabled", "alpha_high", "alpha_low", "bonds_moving_avg",
    "burn", "registration_allowed", "max_uids", "num_uids"];
  return Object.fromEntries(keys.filter((k) => m[k] !== undefined).map((k) => [k, m[k]]));
}

export function subnetView(stamp, m, takes) {
  return {
    stamp,
    subnet: subnetFrom({ ...m, tempo: m.tempo }),
    validators: validatorsOf(m, takes),
    hyperparams: hyperparamsOf(m),
  };
}

/**
 * One subnet's validators with their takes and stakes, and its hyperparameters:
 * `SubnetInfoRuntimeApi_get_metagraph` (layout by spec) plus `Delegates[hotkey]` for each
 * permit holder (absent = the chain default, 18 %).
 * @param {any} src
 * @param {any} stamp
 * @param {number} netuid
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function fetchSubnet(src, stamp, netuid, { signal } = {}) {
  const hex = await src.client.stateCall("SubnetInfoRuntimeApi_get_metagraph", `0x${u16le(netuid)}`, stamp.blockHash, { signal });
  const m = decodeType(metagraphType(stamp.specVersion), hex, undefined, undefined);
  if (m === null) throw new Error(`subnet ${netuid} does not exist at block ${stamp.blockNumber}`);
  const hotkeys = (m.validator_permit ?? []).map((p, uid) => (p ? m.hotkeys[uid] : null)).filter((h) => h !== null);
  const keys = hotkeys.map((h) => storageKey("Delegates", [h]));
  const values = keys.length ? await src.client.getStorageValues(keys, stamp.blockHash, { signal }) : new Map();
  const takes = new Map(hotkeys.map((h, i) => {
    const v = leUint(values.get(keys[i]));
    return [h, v === null ? null : Number(v)];
  }));
  return subnetView(stamp, m, takes);
}

/**
 * Realized APY of `hotkey` on `netuid` over the `epochs` most recent epochs (`realizedApy`, the
 * definition of shared/fixtures/returns): at each epoch block, `AlphaDividendsPerSubnet`, the
 * hotkey's alpha stake and root stake (`TotalHotkeyAlpha`) and `TaoWeight`; the window's seconds
 * from `Timestamp.Now`. Keys come from the runtime metadata (`metadataHex`). Inherited stakes are
 * not read (0): they only matter to the stake filter, for validators below 4 000 own stake.
 * @param {any} src
 * @param {any} stamp
 * @param {{ netuid: number, hotkey: string, tempo: number, lastStep: number, epochs?: number, metadataHex: string }} query
 * @param {{ signal?: AbortSignal, onProgress?: (progress: any) => void }} [options]
 */
export async function fetchRealizedApy(src, stamp, { netuid, hotkey, tempo, lastStep, epochs = 8, metadataHex }, { signal, onProgress } = {}) {
  if (!metadataHex) throw new Error("the realized APY needs the runtime metadata (storage keys by name)");
  const acct = hotkey.toLowerCase();
  const [divKey, alphaKey, rootKey, weightKey, nowKey] = metadataStorageKeys(metadataHex, [
    { pallet: "SubtensorModule", item: "AlphaDividendsPerSubnet", keys: [`0x${u16le(netuid)}`, acct] },
    { pallet: "SubtensorModule", item: "TotalHotkeyAlpha", keys: [acct, `0x${u16le(netuid)}`] },
    { pallet: "SubtensorModule", item: "TotalHotkeyAlpha", keys: [acct, "0x0000"] },
    { pallet: "SubtensorModule", item: "TaoWeight" },
    { pallet: "Timestamp", item: "Now" },
  ]);
  const period = tempo + 1;
  const blocks = [];
  for (let k = epochs - 1; k >= 0; k--) blocks.push(lastStep - k * period);
  const start = blocks[0] - period;
  if (start < 0) throw new Error("not enough history for that many epochs");
  const c = src.client;
  const hashes = await Promise.all([start, ...blocks].map((b) => c.getBlockHash(b, { signal })));
  if (hashes.some((h) => h === null)) throw new Error("the node does not have every epoch block");
  let done = 0;
  const reads = await Promise.all(hashes.map(async (h, i) => {
    const keys = i === 0 ? [nowKey] : [divKey, alphaKey, rootKey, weightKey, nowKey];
    const v = await c.getStorageValues(keys, h, { signal });
    onProgress?.({ done: ++done, total: hashes.length });
    return keys.map((k) => v.get(k));
  }));
  const rao = (hex) => taoNumber(leUint(hex) ?? 0n);
  const rows = blocks.map((block, i) => {
    const [div, alpha, root, weight] = reads[i + 1];
    return {
      block, alphaDivRaw: rao(div), subnetAlphaStake: rao(alpha), rootStakeTao: rao(root),
      taoWeightParam: Number(leUint(weight) ?? 0n) / 2 ** 64,
    };
  });
  const t0 = leUint(reads[0][0]);
  const t1 = leUint(reads[reads.length - 1][4]);
  const measured = t0 !== null && t1 !== null && t1 > t0;
  const intervalSeconds = measured ? Number(t1 - t0) / 1000 : (blocks[blocks.length - 1] - start) * BLOCK_SECONDS;
  const result = realizedApy(rows.map(({ block, ...e }) => e), intervalSeconds, undefined);
  return { stamp, netuid, hotkey: acct, epochs: rows, fromBlock: start, toBlock: blocks.at(-1), intervalSeconds, intervalMeasured: measured, ...result };
}

/** The runtime API of each side of a trade. */
export const SWAP_METHOD = { buy: "SwapRuntimeApi_sim_swap_tao_for_alpha", sell: "SwapRuntimeApi_sim_swap_alpha_for_tao" };

/** The inputs a `MISSING_FIELD` error of the engine names: [{ item, args, key }]. */
export function missingInputs(err) {
  return [...String(err?.message ?? "").matchAll(/([A-Za-z]+\.[A-Za-z0-9]+)(\[[^\]]*\])? \(key (0x[0-9a-f]+)\)/g)]
    .map((m) => ({ item: m[1], args: m[2] ?? "", key: m[3] }));
}

/**
 * Read what the engine needs to quote `netuid` at the stamp's block, by asking it: the engine
 * names every missing storage input (item and key); those are fetched and the quote retried.
 * Returns the storage capture (format of issue 13) holding exactly what was read.
 * @param {any} src
 * @param {any} stamp
 * @param {number} netuid
 * @param {{ signal?: AbortSignal, capture?: any }} [options]
 */
export async function readPoolCapture(src, stamp, netuid, { signal, capture } = {}) {
  const cap = capture ?? { chain: "finney", block: stamp.blockNumber, block_hash: stamp.blockHash, spec_version: stamp.specVersion, storage: {}, runtime_api: [] };
  for (let round = 0; round < 12; round++) {
    let missing;
    try {
      replayQuote(cap, netuid, "buy", 1_000_000_000n);
      return cap;
    } catch (e) {
      if (e?.code !== "MISSING_FIELD") throw e;
      missing = missingInputs(e);
    }
    const fresh = missing.filter((m) => !Object.hasOwn(cap.storage, m.key));
    if (fresh.length === 0) throw new Error(`the engine still lacks ${missing.map((m) => m.item).join(", ")} after reading it`);
    const plain = fresh.filter((m) => m.item !== "Swap.Ticks").map((m) => m.key);
    if (plain.length) {
      const values = await src.client.getStorageValues(plain, stamp.blockHash, { signal });
      for (const k of plain) cap.storage[k] = values.get(k);
    }
    for (const m of fresh.filter((x) => x.item === "Swap.Ticks")) {
      // A map read by prefix: every entry under it (the prefix itself marked as read, absent).
      const entries = await src.client.getStorageEntries(m.key, { at: stamp.blockHash, signal });
      for (const { key, value } of entries) cap.storage[key] = value;
      cap.storage[m.key] = null;
    }
  }
  throw new Error("the pool read did not converge");
}

/** Decode a `SimSwapResult` (32 bytes before spec 391, 48 from it): u64 fields, little-endian. */
export function decodeSimSwap(hex) {
  const b = hexToBytes(hex);
  if (b.length !== 32 && b.length !== 48) throw new Error(`a SimSwapResult is 32 or 48 bytes, got ${b.length}`);
  const f = (i) => leUint("0x" + hex.slice(2 + 16 * i, 18 + 16 * i));
  return { taoAmount: f(0), alphaAmount: f(1), taoFee: f(2), alphaFee: f(3), taoSlippage: b.length === 48 ? f(4) : 0n, alphaSlippage: b.length === 48 ? f(5) : 0n };
}

/**
 * Quote a trade on the live pool twice: the engine on the storage it read (`replayQuote`) and the
 * node's own `SwapRuntimeApi_sim_swap_*` at the same block; `agree` is the engine's byte-for-byte
 * comparison of the two results (`replayCheck`).
 * @param {any} src
 * @param {any} stamp
 * @param {{ netuid: number, order: "buy" | "sell", amount: bigint, capture?: any }} trade
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function quoteLive(src, stamp, { netuid, order, amount, capture }, { signal } = {}) {
  const cap = await readPoolCapture(src, stamp, netuid, { signal, capture });
  const args = `0x${u16le(netuid)}${u64le(amount)}`;
  const engine = replayQuote(cap, netuid, order, amount);
  let chain = null;
  let chainError = null;
  let agree = null;
  try {
    const hex = await src.client.stateCall(SWAP_METHOD[order], args, stamp.blockHash, { signal });
    chain = decodeSimSwap(hex);
    const check = replayCheck({ ...cap, runtime_api: [{ method: SWAP_METHOD[order], args_hex: args, result: hex }] });
    agree = check.length === 1 && check[0].equal === true;
  } catch (e) {
    if (e?.code === "CANCELLED") throw e;
    chainError = errorText(e);
  }
  return { stamp, netuid, order, amount: BigInt(amount), engine, chain, chainError, agree, capture: cap };
}

/**
 * One input a `replayBlock` report lacks, parsed from its `needs` text ("[CHILD: ]Item[args] (key
 * 0x…)"): `{ side: "parent" | "child", item, args, key, prefix }`; `prefix` when the whole map under
 * `key` is needed (`[*]`). `null` for a reason that names no storage key (an epoch due, an era the
 * engine does not replay).
 */
export function parseNeed(text) {
  const m = /^(CHILD: )?([A-Za-z]+\.[A-Za-z0-9]+)(\[[^\]]*\])? \(key (0x[0-9a-f]+)\)$/.exec(String(text));
  if (!m) return null;
  return { side: m[1] ? "child" : "parent", item: m[2], args: m[3] ?? "", key: m[4], prefix: m[3] === "[*]" };
}

/**
 * Replay the coinbase of the stamp's block from its parent (`scripts/replay block`, in the
 * browser): the engine is asked what it lacks, exactly those storage values are read at the parent
 * and at the block (whole maps by prefix), and the replay is rerun until nothing more can be read.
 * Returns `{ report, parent, child }`: the report as `replayBlock` gives it and the two captures
 * (issue 13 format) holding exactly what was read.
 * @param {any} src
 * @param {any} stamp
 * @param {{ signal?: AbortSignal, onProgress?: (progress: any) => void }} [options]
 */
export async function replayLiveBlock(src, stamp, { signal, onProgress } = {}) {
  const c = src.client;
  const parentNumber = stamp.blockNumber - 1;
  const parentHash = await c.getBlockHash(parentNumber, { signal });
  if (parentHash === null) throw new Error(`the node has no hash for block ${parentNumber}`);
  const parentVersion = await c.getRuntimeVersion(parentHash, { signal });
  const capture = (block, hash, spec) => ({ chain: "finney", block, block_hash: hash, spec_version: spec, storage: {}, runtime_api: [] });
  const parent = capture(parentNumber, parentHash, parentVersion.specVersion);
  const child = capture(stamp.blockNumber, stamp.blockHash, stamp.specVersion);
  let read = 0;
  for (let round = 0; round < 16; round++) {
    const report = replayBlock(parent, child);
    const fresh = new Map();
    for (const m of report.missing) {
      for (const n of m.needs.map(parseNeed)) {
        const cap = n?.side === "child" ? child : parent;
        if (n && !Object.hasOwn(cap.storage, n.key)) fresh.set(`${n.side} ${n.key}`, { ...n, cap, hash: cap.block_hash });
      }
    }
    if (fresh.size === 0) return { report, parent, child, read };
    for (const side of [parent, child]) {
      const wanted = [...fresh.values()].filter((n) => n.cap === side);
      const plain = wanted.filter((n) => !n.prefix).map((n) => n.key);
      if (plain.length) {
        const values = await c.getStorageValues(plain, side.block_hash, { signal });
        for (const k of plain) side.storage[k] = values.get(k) ?? null;
      }
      for (const n of wanted.filter((x) => x.prefix)) {
        // A map needed whole: every entry under its prefix, and the prefix itself marked as read.
        const entries = await c.getStorageEntries(n.key, { at: side.block_hash, signal });
        for (const { key, value } of entries) side.storage[key] = value;
        side.storage[n.key] = null;
      }
      read += wanted.length;
    }
    onProgress?.({ round: round + 1, read });
  }
  throw new Error("the block replay's reads did not converge");
}

/** "12 s old", "4 min old", …; `null` for offline data (its age is its block's). */
export function ageText(stamp, now = Date.now()) {
  if (!stamp || stamp.fetchedAt === null || stamp.fetchedAt === undefined) return null;
  const s = Math.max(0, Math.round((now - stamp.fetchedAt) / 1000));
  if (s < 60) return `${s} s old`;
  if (s < 3600) return `${Math.floor(s / 60)} min old`;
  return `${Math.floor(s / 3600)} h old`;
}
