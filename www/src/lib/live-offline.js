// Offline data for the live-data views: the embedded REAL capture (finney SN1's metagraph at block
// 6,852,344, spec 343, from www/src/verify/data; provenance in its `source`). Same shapes as the
// live fetches of ./live.js, stamped `source: "offline"`. No synthetic subnets: SN1 is all it has.
import { decodeType, replayQuote } from "tao-engine/full";
import { missingInputs, subnetFrom, subnetView } from "./live.js";
import sn1Snapshot from "../verify/data/sn1-b6852344-metagraph.json";
import poolCapture from "../../../data/replay/real/finney_b9240388_spec475_balancer_sn1_sn92.json";
import blockParent from "../../../data/replay/block_spec473_parent.json";
import blockChild from "../../../data/replay/block_spec473_child.json";
import epochParent from "../../../data/replay/epoch_scenario_active_stake_parent.json";
import epochChild from "../../../data/replay/epoch_scenario_active_stake_child.json";

/**
 * The embedded block pair for the offline coinbase replay: BUILT, not captured (the engine wrote
 * the parent from the spec-473 SN64 fixture and stepped one block to write the child; see
 * data/replay/README.md). No real parent/child pair of finney blocks was available.
 */
export function embeddedBlockPair() {
  return { parent: structuredClone(blockParent), child: structuredClone(blockChild), built: true };
}

/**
 * The embedded epoch pair for the offline epoch check: BUILT, not captured — the chain's own epoch
 * scenario `epoch__test_active_stake` (subtensor pallets/subtensor/src/tests/epoch.rs @ 14bc6f9)
 * written as storage by tests/replay_epoch.rs: the state before its last epoch (block 5,003, SN1)
 * and the scenario's own outputs. `emission` is the rao that scenario step states.
 */
export function embeddedEpochPair() {
  return {
    parent: structuredClone(epochParent), child: structuredClone(epochChild), netuid: 1, emission: 1_000_000_000n,
    scenario: "epoch__test_active_stake", built: true,
  };
}

/** Where the offline data comes from (the only subnet it holds is SN1 at block 6,852,344). */
export const OFFLINE_PROVENANCE = sn1Snapshot.source.provenance;

/** The offline stamp: SN1's real metagraph at block 6,852,344 (spec 343). */
export function offlineStamp() {
  return {
    source: "offline", endpoint: null, blockNumber: sn1Snapshot.block, blockHash: null,
    specVersion: sn1Snapshot.specVersion, specName: "node-subtensor", fetchedAt: null, provenance: OFFLINE_PROVENANCE,
  };
}

function offlineMetagraph() {
  const call = sn1Snapshot.runtimeCalls.find((c) => c.method === "SubnetInfoRuntimeApi_get_metagraph");
  if (!call) throw new Error("the embedded SN1 snapshot holds no SubnetInfoRuntimeApi_get_metagraph result");
  return decodeType(call.resultType, call.result, undefined, undefined);
}

/** Offline subnets: SN1 only (the embedded capture holds one subnet; no synthetic ones). */
export function offlineSubnets() {
  const stamp = offlineStamp();
  return { stamp, subnets: [subnetFrom(offlineMetagraph())] };
}

/** Offline SN1 view. Takes were not captured: every validator shows the chain default, said so. */
export function offlineSubnet(netuid) {
  if (netuid !== sn1Snapshot.netuid) throw new Error(`offline data holds subnet ${sn1Snapshot.netuid} only`);
  return subnetView(offlineStamp(), offlineMetagraph(), new Map());
}


/**
 * The items the embedded pool capture (finney block 9,240,388, spec 475, REAL: SN1's and SN92's
 * pool storage and five of the node's SwapRuntimeApi results; data/replay/real) lacks,
 * and the BUILT values that complete it: both subnets dynamic, their pools initialised (the
 * assumption tests/replay_cli.rs states; under it every real result agrees).
 */
const POOL_BUILT = { "SubtensorModule.SubnetMechanism": "0x0100", "Swap.PalSwapInitialized": "0x01" };

/**
 * A copy of the embedded pool capture completed for `netuids` with the BUILT items only:
 * `{ cap, built }` (`built` names what was added). A subnet the capture does not hold is an error.
 */
export function embeddedPoolCapture(netuids) {
  const cap = structuredClone(poolCapture);
  const built = [];
  for (const n of netuids) {
    for (let round = 0; ; round++) {
      let miss;
      try {
        replayQuote(cap, n, "buy", 1_000_000_000n);
        break;
      } catch (e) {
        if (e?.code !== "MISSING_FIELD" || round >= 4) throw e;
        miss = missingInputs(e);
      }
      const unknown = miss.filter((m) => !(m.item in POOL_BUILT));
      if (unknown.length) throw new Error(`the embedded capture holds SN1 and SN92 only (SN${n} lacks ${unknown.map((m) => m.item).join(", ")})`);
      for (const m of miss) {
        cap.storage[m.key] = POOL_BUILT[m.item];
        built.push(`${m.item}${m.args}`);
      }
    }
  }
  return { cap, built };
}
