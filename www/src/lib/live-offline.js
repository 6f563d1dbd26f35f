// Offline data for the live-data views: the embedded REAL capture (finney SN1's metagraph at block
// 6,852,344, spec 343, from www/src/verify/data; provenance in its `source`). Same shapes as the
// live fetches of ./live.js, stamped `source: "offline"`. No synthetic subnets: SN1 is all it has.
import { decodeType } from "tao-engine";
import { subnetFrom, subnetView } from "./live.js";
import sn1Snapshot from "../verify/data/sn1-b6852344-metagraph.json";

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
  return decodeType(call.resultType, call.result);
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

