// A subnet's last epoch, verified from a node (`scripts/replay epoch` in the browser): the epoch
// block is the subnet's `LastMechansimStepBlock` at the head; the engine's epoch runs on the
// storage of that block's parent (`Capture.epoch`, the read plan of an epoch snapshot) and every
// output the epoch writes is compared with the block's storage. The engine names what it lacks;
// exactly those keys are read, at the parent or at the epoch block, and the replay is rerun until
// nothing more can be read. Side-effect free, like ./live.js.
import { Capture, storageKey } from "tao-engine/full";
import { leUint, parseNeed } from "./live.js";

/**
 * The block of `netuid`'s last epoch, read at the stamp's block.
 * @param {any} src
 * @param {any} stamp
 * @param {number} netuid
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function lastEpochBlock(src, stamp, netuid, { signal } = {}) {
  const key = storageKey("LastMechansimStepBlock", [netuid]);
  const values = await src.client.getStorageValues([key], stamp.blockHash, { signal });
  const block = leUint(values.get(key) ?? null);
  if (block === null || block === 0n) throw new Error(`subnet ${netuid} has run no epoch by block ${stamp.blockNumber}`);
  return { key, block: Number(block) };
}

/** `Capture.epoch` on plain capture objects (the instance is freed at once). */
export function epochReport(parent, netuid, child, options) {
  const cap = new Capture(parent);
  try {
    return cap.epoch(netuid, child, options);
  } finally {
    cap.free();
  }
}

/**
 * Verify `netuid`'s last epoch before the stamp's block. Returns `{ report, parent, child, read,
 * epochBlock }`: the `Capture.epoch` report and the two captures (issue 13 format) holding exactly
 * what was read. The epoch's emission is not stated (a node does not store it), so `Emission` is
 * listed as missing with the reason.
 * @param {any} src
 * @param {any} stamp
 * @param {number} netuid
 * @param {{ signal?: AbortSignal, onProgress?: (progress: any) => void }} [options]
 */
export async function replayLiveEpoch(src, stamp, netuid, { signal, onProgress } = {}) {
  const c = src.client;
  const { key: stepKey, block: epochBlock } = await lastEpochBlock(src, stamp, netuid, { signal });
  const [hash, parentHash] = await Promise.all([c.getBlockHash(epochBlock, { signal }), c.getBlockHash(epochBlock - 1, { signal })]);
  if (hash === null || parentHash === null) throw new Error(`the node has no hash for block ${epochBlock} or its parent (an archive node keeps old blocks)`);
  const [version, parentVersion] = await Promise.all([c.getRuntimeVersion(hash, { signal }), c.getRuntimeVersion(parentHash, { signal })]);
  const capture = (block, h, spec) => ({ chain: "finney", block, block_hash: h, spec_version: spec, storage: {}, runtime_api: [] });
  const parent = capture(epochBlock - 1, parentHash, parentVersion.specVersion);
  const child = capture(epochBlock, hash, version.specVersion);
  // That the epoch ran at the block is checked by the engine from the block's own value.
  const atBlock = await c.getStorageValues([stepKey], hash, { signal });
  child.storage[stepKey] = atBlock.get(stepKey) ?? null;
  let read = 1;
  for (let round = 0; round < 16; round++) {
    const report = epochReport(parent, netuid, child);
    const fresh = new Map();
    for (const m of report.missing) {
      for (const n of m.needs.map(parseNeed)) {
        const side = n?.side === "child" ? child : parent;
        if (n && !Object.hasOwn(side.storage, n.key)) fresh.set(`${n.side} ${n.key}`, { ...n, side });
      }
    }
    if (fresh.size === 0) return { report, parent, child, read, epochBlock };
    for (const side of [parent, child]) {
      const keys = [...fresh.values()].filter((n) => n.side === side).map((n) => n.key);
      if (!keys.length) continue;
      const values = await c.getStorageValues(keys, side.block_hash, { signal });
      for (const k of keys) side.storage[k] = values.get(k) ?? null;
      read += keys.length;
    }
    onProgress?.({ round: round + 1, read });
  }
  throw new Error("the epoch replay's reads did not converge");
}
