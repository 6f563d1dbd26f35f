// The round-trip plan for the RPC client tests: for every chain fixture that records an RPC
// response, the client call that asks for it and the exact bytes (or JSON) the fixture holds.
// Built from the fixture files directly (not from the server's replay table), so a replay bug and
// a client bug cannot cancel out. Each step is plain JSON: { fixture, op, args, expect }, where
// `op` names an RpcClient method; the steps can run in Node or be sent into a browser page.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { FIXTURE_DIR } from "./rpc-server.mjs";

const hexBytes = (hex) => {
  const out = [];
  for (let i = 2; i < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
};

/** Whether a fixture records an RPC response at all (the rest are decoder-only captures). */
export function isReplayable(f) {
  return Boolean(f.rpc || f.runtime_api || f.storage || (Array.isArray(f.cases) && f.cases.some((c) => c.storage)));
}

export function loadFixtures(dir = FIXTURE_DIR) {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(path.join(dir, file), "utf8")) }));
}

export function buildPlan(dir = FIXTURE_DIR) {
  const steps = [];
  const covered = new Set();
  const blockHashes = new Map();
  for (const { file, json: f } of loadFixtures(dir)) {
    const rpc = f.rpc ?? {};
    const add = (op, args, expect) => {
      steps.push({ fixture: file, op, args, expect });
      covered.add(file);
    };
    if (Number.isInteger(f.chain?.block_number) && f.chain?.block_hash) blockHashes.set(f.chain.block_number, { file, hash: f.chain.block_hash });
    if (f.runtime_api && typeof f.hex === "string") {
      add("stateCall", [f.runtime_api.method, f.runtime_api.params_scale_hex, rpc.params?.[2] ?? null], f.hex);
    }
    if (rpc.method === "chain_getHeader") add("getHeader", [rpc.params[0]], f.rpc_result_json);
    if (rpc.method === "state_getRuntimeVersion") add("getRuntimeVersion", [rpc.params[0]], f.rpc_result_json);
    if (String(f.result_wrapping ?? "").startsWith("json_byte_array")) {
      add("requestBytes", [rpc.method, rpc.params ?? [hexBytes(rpc.params_hex)]], f.hex);
    }
    if (f.storage?.key_hex && !Array.isArray(f.cases)) {
      const at = rpc.params?.[1] ?? null;
      add("getStorage", [f.storage.key_hex, at], f.hex);
      for (const rc of f.related_cases ?? []) add("getStorage", [rc.storage.key_hex, at], rc.hex);
    }
    for (const c of Array.isArray(f.cases) ? f.cases : []) {
      if (c.storage?.key_hex) {
        add("getStorage", [c.storage.key_hex, c.at ?? null], c.hex);
        if (Number.isInteger(c.at_block_number) && c.at) blockHashes.set(c.at_block_number, { file, hash: c.at });
      }
    }
    if (f.storage?.prefix_hex && Array.isArray(f.cases)) {
      const calls = rpc.keys_paged_calls ?? [];
      const at = rpc.block ?? calls[0]?.params?.[3] ?? f.chain.block_hash;
      const last = calls[calls.length - 1];
      const complete = last.result_len < last.params[1];
      const expect = f.cases.map((c) => ({ key: c.key_hex, value: c.hex })).sort((a, b) => (a.key < b.key ? -1 : 1));
      // A capture that stopped before the map's end can only be replayed up to its last key.
      add("getStorageEntries", [f.storage.prefix_hex, { at, pageSize: 7, ...(complete ? {} : { maxKeys: f.cases.length }) }], expect);
    }
    if (rpc.method === "chain_getHeader") {
      blockHashes.set(Number.parseInt(f.rpc_result_json.number.slice(2), 16), { file, hash: rpc.params[0] });
    }
  }
  for (const [n, { file, hash }] of blockHashes) steps.push({ fixture: file, op: "getBlockHash", args: [n], expect: hash });
  const replayable = loadFixtures(dir).filter(({ json }) => isReplayable(json)).map(({ file }) => file);
  return { steps, covered, replayable };
}

/** Run every step through `client`; returns [{ step, ok?, err?, msg? }] (runs in Node or a page). */
export async function runSteps(client, steps) {
  return Promise.all(steps.map((s) => client[s.op](...s.args).then(
    (ok) => ({ step: s, ok }),
    (e) => ({ step: s, err: e.code ?? String(e), msg: e.message }),
  )));
}
