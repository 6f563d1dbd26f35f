// A loopback JSON-RPC server for tests: HTTP and WebSocket on 127.0.0.1 (port 0 by default) that
// REPLAYS the real chain responses recorded in tests/fixtures/chain/*.json, with fault injection.
//
//   const server = await startRpcServer();          // { url, wsUrl, port, table, ... }
//   server.inject({ kind: "http", status: 503 }, { method: "state_call", times: 2 });
//   ...
//   await server.close();
//
// The replay table is built from whatever fixture files are present: state_call (runtime_api),
// chain_getHeader / state_getRuntimeVersion (rpc_result_json), storage values (key_hex, cases,
// related_cases), storage maps (prefix_hex + cases, served through state_getKeysPaged and
// state_queryStorageAt), custom RPCs answering JSON byte arrays, and chain_getBlockHash from the
// block number/hash pairs the fixtures state, and any other JSON result recorded as `rpc_result`
// for `rpc`. Anything not recorded is answered with the JSON-RPC error NOT_RECORDED (-32050), never
// with made-up data.
import http from "node:http";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { WebSocketServer } from "ws";

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/chain");
export const NOT_RECORDED = -32050;

const isHexStr = (v) => typeof v === "string" && /^0x[0-9a-fA-F]*$/.test(v);
const lc = (v) => (isHexStr(v) ? v.toLowerCase() : v);

// Canonical form of params for table lookup: hex in lower case, trailing nulls dropped.
function canonParams(params) {
  const p = (params ?? []).map((v) => (Array.isArray(v) ? v.map(lc) : lc(v)));
  while (p.length && (p[p.length - 1] === null || p[p.length - 1] === undefined)) p.pop();
  return p;
}
const keyOf = (method, params) => `${method} ${JSON.stringify(canonParams(params))}`;

function hexToByteArray(hex) {
  const out = [];
  for (let i = 2; i < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/**
 * Build the replay table from every *.json under `dir`. Returns
 * { entries, storage, maps, conflicts, skipped, lookupExact(method, params) } where `entries` lists
 * every exact (method, params) -> result pair with its fixture file, `storage` maps
 * "key|at" -> value hex (null = recorded absent), `maps` lists storage maps
 * { prefix, at, keys (sorted), complete, fixture }.
 */
export function buildReplayTable(dir = FIXTURE_DIR) {
  const exact = new Map(); // key -> entry
  const storage = new Map(); // `${key}|${at}` -> { value, fixture }
  const maps = [];
  const conflicts = [];
  const skipped = [];
  const conflicted = new Set();

  const addExact = (fixture, kind, method, params, result) => {
    const k = keyOf(method, params);
    if (conflicted.has(k)) return;
    const prev = exact.get(k);
    if (prev) {
      if (JSON.stringify(prev.result) === JSON.stringify(result)) return;
      exact.delete(k);
      conflicted.add(k);
      conflicts.push({ key: k, fixtures: [prev.fixture, fixture] });
      return;
    }
    exact.set(k, { fixture, kind, method, params: canonParams(params), result });
  };
  const addStorage = (fixture, key, at, value) => {
    if (!isHexStr(key) || !(value === null || isHexStr(value))) return;
    const k = `${key.toLowerCase()}|${at ? at.toLowerCase() : null}`;
    if (conflicted.has(k)) return;
    const prev = storage.get(k);
    if (prev) {
      if (prev.value === lc(value)) return;
      storage.delete(k);
      conflicted.add(k);
      conflicts.push({ key: k, fixtures: [prev.fixture, fixture] });
      return;
    }
    storage.set(k, { value: lc(value), fixture, key: key.toLowerCase(), at: at ? at.toLowerCase() : null });
  };
  const addBlockHash = (fixture, number, hash) => {
    if (Number.isInteger(number) && isHexStr(hash) && hash.length === 66) addExact(fixture, "block_hash", "chain_getBlockHash", [number], hash.toLowerCase());
  };

  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
  for (const file of files) {
    let f;
    try {
      f = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    } catch (e) {
      skipped.push({ fixture: file, why: `not JSON: ${e.message}` });
      continue;
    }
    const rpc = f.rpc ?? {};
    const wrapping = String(f.result_wrapping ?? "");
    let used = false;
    addBlockHash(file, f.chain?.block_number, f.chain?.block_hash);

    if ((rpc.method === "state_call" || f.runtime_api) && isHexStr(f.hex) && f.runtime_api) {
      const at = rpc.params?.[2] ?? null;
      addExact(file, "state_call", "state_call", [f.runtime_api.method, f.runtime_api.params_scale_hex, at], f.hex.toLowerCase());
      used = true;
    }
    if ((rpc.method === "chain_getHeader" || rpc.method === "state_getRuntimeVersion") && f.rpc_result_json) {
      addExact(file, rpc.method, rpc.method, rpc.params ?? [], f.rpc_result_json);
      if (rpc.method === "chain_getHeader" && isHexStr(f.rpc_result_json.number) && rpc.params?.[0]) {
        addBlockHash(file, Number.parseInt(f.rpc_result_json.number.slice(2), 16), rpc.params[0]);
      }
      used = true;
    }
    // Any other recorded JSON result (e.g. state_getMetadata, or chain_getHeader of the head).
    if (typeof rpc.method === "string" && Object.hasOwn(f, "rpc_result")) {
      addExact(file, "rpc_result", rpc.method, rpc.params ?? [], f.rpc_result);
      used = true;
    }
    if (wrapping.startsWith("json_byte_array") && typeof rpc.method === "string" && isHexStr(f.hex)) {
      const params = rpc.params ?? (isHexStr(rpc.params_hex) ? [hexToByteArray(rpc.params_hex)] : []);
      addExact(file, "byte_array_rpc", rpc.method, params, hexToByteArray(f.hex));
      used = true;
    }
    // A single storage value (and the related reads captured with it).
    if (f.storage?.key_hex && f.hex !== undefined && !Array.isArray(f.cases)) {
      const at = rpc.method?.startsWith("state_getStorage") ? rpc.params?.[1] ?? null : null;
      addStorage(file, f.storage.key_hex, at, f.hex);
      for (const rc of f.related_cases ?? []) addStorage(file, rc.storage?.key_hex, at, rc.hex);
      used = true;
    }
    // Cases that each carry their own storage key (storage_values_misc).
    for (const c of Array.isArray(f.cases) ? f.cases : []) {
      if (c.storage?.key_hex && c.hex !== undefined) {
        addStorage(file, c.storage.key_hex, c.at ?? null, c.hex);
        addBlockHash(file, c.at_block_number, c.at);
        used = true;
      }
    }
    // A storage map: prefix + per-key cases, read through getKeysPaged + queryStorageAt.
    if (f.storage?.prefix_hex && Array.isArray(f.cases)) {
      const calls = rpc.keys_paged_calls ?? [];
      const at = (rpc.block ?? calls[0]?.params?.[3] ?? f.chain?.block_hash ?? null)?.toLowerCase() ?? null;
      const prefix = f.storage.prefix_hex.toLowerCase();
      const keys = [];
      for (const c of f.cases) {
        if (!isHexStr(c.key_hex) || !c.key_hex.toLowerCase().startsWith(prefix)) continue;
        keys.push(c.key_hex.toLowerCase());
        addStorage(file, c.key_hex, at, c.hex);
      }
      keys.sort();
      const last = calls[calls.length - 1];
      const complete = !!last && Number.isInteger(last.result_len) && last.result_len < last.params?.[1];
      maps.push({ fixture: file, prefix, at, keys, complete });
      used = true;
    }
    if (!used) skipped.push({ fixture: file, why: "no recorded RPC response (decoder-only fixture)" });
  }
  return {
    entries: [...exact.values()],
    storage,
    maps,
    conflicts,
    skipped,
    files,
    lookupExact: (method, params) => exact.get(keyOf(method, params)),
  };
}

// ---------------------------------------------------------------------------------------------

function replay(table, method, params) {
  const p = Array.isArray(params) ? params : [];
  const notRecorded = () => ({ error: { code: NOT_RECORDED, message: `replay: no recorded response for ${method} ${JSON.stringify(p).slice(0, 200)}` } });
  switch (method) {
    case "state_getStorage":
    case "state_getStorageAt": {
      const key = lc(p[0]);
      const hit = table.storage.get(`${key}|${lc(p[1] ?? null)}`);
      return hit ? { result: hit.value } : notRecorded();
    }
    case "state_queryStorageAt": {
      const at = lc(p[1] ?? null);
      if (!Array.isArray(p[0]) || at === null) return notRecorded();
      const changes = [];
      for (const k of p[0]) {
        const hit = table.storage.get(`${lc(k)}|${at}`);
        if (!hit) return notRecorded();
        changes.push([hit.key, hit.value]);
      }
      return { result: [{ block: at, changes }] };
    }
    case "state_getKeysPaged":
    case "state_getKeysPagedAt": {
      const [prefix, count, startKey, atRaw] = p;
      const at = lc(atRaw ?? null);
      if (!isHexStr(prefix) || !Number.isInteger(count) || count < 0) return { error: { code: -32602, message: "invalid params" } };
      const want = prefix.toLowerCase();
      const start = isHexStr(startKey) ? startKey.toLowerCase() : null;
      for (const m of table.maps) {
        if (m.at !== at || !want.startsWith(m.prefix)) continue;
        const after = m.keys.filter((k) => k.startsWith(want) && (start === null ? true : k > start));
        if (!m.complete && after.length < count) continue; // the capture stopped before this page
        return { result: after.slice(0, count) };
      }
      return notRecorded();
    }
    default: {
      const hit = table.lookupExact(method, p);
      if (hit) return { result: structuredClone(hit.result) };
      const known = table.entries.some((e) => e.method === method);
      return known ? notRecorded() : { error: { code: -32601, message: `Method not found: ${method}` } };
    }
  }
}

function truncateFirstHex(value, chars) {
  let done = false;
  const walk = (v) => {
    if (done) return v;
    if (isHexStr(v) && v.length > 2) {
      done = true;
      return v.slice(0, Math.max(2, v.length - chars));
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

const HTTP_LEVEL = new Set(["delay", "malformed", "http", "drop"]);

/**
 * Start the server. Options: { host = "127.0.0.1", port = 0, fixtureDir, static: { "/path": { type, body } } }.
 * Returns a handle:
 *   url, wsUrl, port             where to connect (http://127.0.0.1:PORT/, ws://127.0.0.1:PORT/)
 *   table                        the replay table (buildReplayTable)
 *   inject(fault, { method, match, times = 1 })   add a fault rule; returns it (rule.hits counts uses)
 *       fault.kind: "delay" {ms} | "malformed" | "http" {status, retryAfter} | "drop" |
 *                   "wrongId" | "missingId" | "truncateHex" {chars = 1} | "nonHex" |
 *                   "rpcError" {code, message, data}
 *       delay/malformed/http/drop act on a whole HTTP request (or WebSocket message); the others
 *       on each matching call. `times` may be Infinity.
 *   clearFaults(), reset()       drop rules (reset also clears the logs and the connection count)
 *   httpRequests                 log of JSON-RPC HTTP requests: { calls, batch, methods }
 *   calls                        log of every call: { method, params, transport, id }
 *   wsConnections                number of WebSocket connections accepted so far
 *   dropWebSockets()             terminate every open WebSocket (a dropped connection)
 *   close()                      stop everything (idempotent)
 */
export async function startRpcServer(options = {}) {
  const host = options.host ?? "127.0.0.1";
  if (host !== "127.0.0.1") throw new Error("the test RPC server binds 127.0.0.1 only");
  const table = options.table ?? buildReplayTable(options.fixtureDir ?? FIXTURE_DIR);
  const statics = options.static ?? {};
  let rules = [];
  const timers = new Set();
  const handle = {
    table,
    httpRequests: [],
    calls: [],
    wsConnections: 0,
    inject(fault, { method, match, times = 1 } = {}) {
      const rule = { fault, method, match, left: times, hits: 0 };
      rules.push(rule);
      return rule;
    },
    clearFaults() {
      rules = [];
    },
    reset() {
      rules = [];
      handle.httpRequests.length = 0;
      handle.calls.length = 0;
      handle.wsConnections = 0;
    },
  };

  const matches = (rule, call) => rule.left > 0 && (rule.method === undefined || rule.method === call?.method) && (rule.match === undefined || rule.match(call));
  // The first rule of an HTTP-level kind matching any of `calls` (consumes one use).
  const takeLevelFault = (calls) => {
    for (const r of rules) {
      if (HTTP_LEVEL.has(r.fault.kind) && calls.some((c) => matches(r, c))) {
        r.left -= 1;
        r.hits += 1;
        return r.fault;
      }
    }
    return null;
  };
  const takeCallFault = (call) => {
    for (const r of rules) {
      if (!HTTP_LEVEL.has(r.fault.kind) && matches(r, call)) {
        r.left -= 1;
        r.hits += 1;
        return r.fault;
      }
    }
    return null;
  };
  const later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  // One call -> its response object (or undefined for a notification).
  const answer = (call, transport) => {
    if (call === null || typeof call !== "object" || Array.isArray(call) || call.jsonrpc !== "2.0" || typeof call.method !== "string") {
      return { jsonrpc: "2.0", id: call?.id ?? null, error: { code: -32600, message: "Invalid Request" } };
    }
    handle.calls.push({ method: call.method, params: call.params, transport, id: call.id });
    if (!Object.hasOwn(call, "id")) return undefined;
    const fault = takeCallFault(call);
    if (fault?.kind === "rpcError") {
      return { jsonrpc: "2.0", id: call.id, error: { code: fault.code ?? -32000, message: fault.message ?? "injected error", ...(fault.data === undefined ? {} : { data: fault.data }) } };
    }
    const out = { jsonrpc: "2.0", id: call.id, ...replay(table, call.method, call.params) };
    if (fault?.kind === "wrongId") out.id = typeof call.id === "number" ? call.id + 1000 : `${call.id}-wrong`;
    if (fault?.kind === "missingId") delete out.id;
    if (fault?.kind === "truncateHex" && Object.hasOwn(out, "result")) out.result = truncateFirstHex(out.result, fault.chars ?? 1);
    if (fault?.kind === "nonHex" && Object.hasOwn(out, "result")) out.result = "0xzz";
    return out;
  };
  const answerBody = (parsed, transport) => {
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) return { jsonrpc: "2.0", id: null, error: { code: -32600, message: "empty batch" } };
      return parsed.map((c) => answer(c, transport)).filter((r) => r !== undefined);
    }
    return answer(parsed, transport);
  };
  const callsOf = (parsed) => (Array.isArray(parsed) ? parsed : [parsed]).filter((c) => c && typeof c === "object");

  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type, accept",
  };

  const server = http.createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      return res.end();
    }
    if (req.method === "GET" && statics[req.url]) {
      const s = statics[req.url];
      res.writeHead(200, { "content-type": s.type, "cache-control": "no-store" });
      return res.end(s.body);
    }
    if (req.method !== "POST") {
      res.writeHead(405, cors);
      return res.end();
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let parsed;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        const body = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
        res.writeHead(200, { ...cors, "content-type": "application/json" });
        return res.end(body);
      }
      const calls = callsOf(parsed);
      handle.httpRequests.push({ calls: calls.length, batch: Array.isArray(parsed), methods: calls.map((c) => c.method) });
      const fault = takeLevelFault(calls);
      const respond = () => {
        if (res.destroyed) return;
        if (fault?.kind === "http") {
          const headers = { ...cors, "content-type": "text/plain" };
          if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
          res.writeHead(fault.status ?? 500, headers);
          return res.end(`injected HTTP ${fault.status ?? 500}`);
        }
        const out = answerBody(parsed, "http");
        let body = JSON.stringify(out);
        if (fault?.kind === "malformed") body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
        if (fault?.kind === "drop") {
          // Promise the whole body, send half of it, then cut the connection.
          res.writeHead(200, { ...cors, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
          res.write(body.slice(0, Math.floor(body.length / 2)));
          return void setImmediate(() => res.socket?.destroy());
        }
        res.writeHead(200, { ...cors, "content-type": "application/json" });
        res.end(body);
      };
      if (fault?.kind === "delay") later(fault.ms ?? 1000, respond);
      else respond();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      handle.wsConnections += 1;
      ws.on("message", (data) => {
        let parsed;
        try {
          parsed = JSON.parse(data.toString("utf8"));
        } catch {
          return ws.send(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
        }
        const fault = takeLevelFault(callsOf(parsed));
        if (fault?.kind === "drop") return ws.terminate();
        const respond = () => {
          if (ws.readyState !== ws.OPEN) return;
          if (fault?.kind === "http") return ws.close(1011, `injected ${fault.status ?? 500}`);
          let body = JSON.stringify(answerBody(parsed, "ws"));
          if (fault?.kind === "malformed") body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
          ws.send(body);
        };
        if (fault?.kind === "delay") later(fault.ms ?? 1000, respond);
        else respond();
      });
    });
  });
  handle.dropWebSockets = () => {
    for (const ws of wss.clients) ws.terminate();
  };

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address();
  handle.port = port;
  handle.url = `http://${host}:${port}/`;
  handle.wsUrl = `ws://${host}:${port}/`;
  let closing = null;
  handle.close = () => {
    closing ??= new Promise((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return handle;
}
