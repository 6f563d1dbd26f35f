// The JSON-RPC client (js/rpc.js) against the loopback replay server (tests/support/rpc-server.mjs)
// over HTTP: every recorded fixture response round-trips with its exact bytes; every injected fault
// gives its error code; retries, batching, paging and cancellation behave as documented.
// (Over 500 lines: one server fixture and one client cover the whole transport contract here; the
// WebSocket transport has its own file, rpc-ws.test.mjs.)
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, copyFileSync, rmSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { execFileSync, execFile } from "node:child_process";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { startRpcServer, buildReplayTable, FIXTURE_DIR, NOT_RECORDED } from "../support/rpc-server.mjs";
import { buildPlan, runSteps } from "../support/rpc-fixture-plan.mjs";
import {
  createRpcClient, RpcClient, RpcError, ERROR_CODES, backoffDelay, seededRandom, encodeHeader,
  expectHex, hexToBytes, bytesToHex, isTransient,
} from "../../js/rpc.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// A fresh server per test (sharing one replay table), so that a request a test abandoned (timed
// out, cancelled) can never reach the next test's server and use up its injected fault.
const table = buildReplayTable();
let server;
let clients = [];
beforeEach(async () => {
  server = await startRpcServer({ table });
});
afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await server.close();
});

/** A client on the test server: small timeouts and a fast, seeded backoff. */
function client(opts = {}) {
  const c = createRpcClient({ endpoint: server.url, timeoutMs: 2000, retries: 0, seed: 7, backoff: { baseMs: 5, maxMs: 50 }, ...opts });
  clients.push(c);
  return c;
}

const plan = buildPlan();
const CALL_AT_METAGRAPH = plan.steps.find((s) => s.fixture === "finney_b6852344_sn1_metagraph.json" && s.op === "stateCall");
const SMALL_CALL = plan.steps.find((s) => s.fixture === "network_registration_cost.json");
const HEADER = plan.steps.find((s) => s.op === "getHeader");
const BLOCK_HASH = plan.steps.find((s) => s.op === "getBlockHash");
const STORAGE = plan.steps.find((s) => s.op === "getStorage" && s.expect !== null);
const MAP = (name) => plan.steps.find((s) => s.op === "getStorageEntries" && s.fixture.includes(name));

async function rejectsWith(promise, code, check) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof RpcError, `an RpcError, got ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.startsWith(`${code}: `));
    check?.(e);
    return true;
  });
}

function assertStepResults(results) {
  for (const r of results) {
    const where = `${r.step.fixture} ${r.step.op}(${JSON.stringify(r.step.args).slice(0, 120)})`;
    assert.equal(r.err, undefined, `${where}: ${r.msg}`);
    assert.deepEqual(r.ok, r.step.expect, where);
  }
}

// ---------------------------------------------------------------------------------------------
// Replay table and fixture round trips

test("the replay table covers every fixture that records an RPC response, with no conflicts", () => {
  const table = server.table;
  assert.ok(plan.replayable.length >= 10, "there are replayable fixtures");
  const skipped = new Set(table.skipped.map((s) => s.fixture));
  for (const f of plan.replayable) assert.ok(!skipped.has(f), `${f} is replayed`);
  for (const f of table.files) if (!plan.replayable.includes(f)) assert.ok(skipped.has(f), `${f} has nothing to replay`);
  assert.deepEqual(table.conflicts, []);
  assert.deepEqual([...plan.covered].sort(), [...plan.replayable].sort(), "the round-trip plan checks every replayable fixture");
});

test("the replay table is built from the files present, not a fixed list", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tao-rpc-fixtures-"));
  try {
    copyFileSync(path.join(FIXTURE_DIR, "network_registration_cost.json"), path.join(dir, "network_registration_cost.json"));
    const t = buildReplayTable(dir);
    assert.deepEqual(t.files, ["network_registration_cost.json"]);
    assert.deepEqual(t.entries.map((e) => e.method), ["state_call"]);
    assert.equal(t.storage.size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every replayable fixture round-trips over HTTP with the fixture's exact bytes", async () => {
  const c = client({ batch: false, timeoutMs: 10_000 });
  const results = await runSteps(c, plan.steps);
  assert.ok(results.length >= 30, `${results.length} steps`);
  assertStepResults(results);
  // Big state_call results arrive whole: the SN1 metagraph is ~196 KB of SCALE.
  assert.equal((await c.stateCall(...CALL_AT_METAGRAPH.args)).length, CALL_AT_METAGRAPH.expect.length);
});

test("the header JSON re-encodes to the fixture's SCALE bytes", async () => {
  const c = client();
  const header = await c.getHeader(HEADER.args[0]);
  const fixture = JSON.parse(readFileSync(path.join(FIXTURE_DIR, HEADER.fixture), "utf8"));
  assert.equal(encodeHeader(header), fixture.hex);
  assert.equal(parseInt(header.number, 16), fixture.chain.block_number);
});

test("what the capture did not record is a node error, not made-up data", async () => {
  const c = client();
  // A storage key nobody captured.
  await rejectsWith(c.getStorage("0x1234"), "RPC_ERROR", (e) => assert.equal(e.rpcCode, NOT_RECORDED));
  // NetworksAdded was captured only up to its first 100 keys: asking past them is refused.
  const m = MAP("networks_added");
  await rejectsWith(c.getAllKeys(m.args[0], { at: m.args[1].at, pageSize: 40 }), "RPC_ERROR", (e) => assert.equal(e.rpcCode, NOT_RECORDED));
  await rejectsWith(c.request("system_unknownMethod", []), "RPC_ERROR", (e) => assert.equal(e.rpcCode, -32601));
});

// ---------------------------------------------------------------------------------------------
// Faults -> error codes (no retries)

test("a delay beyond the timeout gives RPC_TIMEOUT", async () => {
  server.inject({ kind: "delay", ms: 1500 });
  const c = client({ timeoutMs: 150 });
  const t0 = Date.now();
  await rejectsWith(c.stateCall(...SMALL_CALL.args), "RPC_TIMEOUT", (e) => assert.equal(e.transient, true));
  assert.ok(Date.now() - t0 < 1200, "gave up at the timeout, not when the server answered");
});

const FAULTS = [
  ["malformed JSON", { kind: "malformed" }, "RPC_MALFORMED"],
  ["a wrong id", { kind: "wrongId" }, "RPC_BAD_ID"],
  ["a missing id", { kind: "missingId" }, "RPC_BAD_ID"],
  ["odd-length (truncated) hex", { kind: "truncateHex", chars: 1 }, "RPC_BAD_HEX"],
  ["hex cut by one whole byte", { kind: "truncateHex", chars: 2 }, null],
  ["non-hex", { kind: "nonHex" }, "RPC_BAD_HEX"],
  ["HTTP 500", { kind: "http", status: 500 }, "RPC_HTTP"],
  ["HTTP 503", { kind: "http", status: 503 }, "RPC_HTTP"],
  ["a dropped socket mid-response", { kind: "drop" }, "RPC_CLOSED"],
  ["a JSON-RPC error object", { kind: "rpcError", code: -32000, message: "Client error: Execution failed", data: "boom" }, "RPC_ERROR"],
];
for (const [name, fault, code] of FAULTS) {
  test(`${name} gives ${code ?? "the shorter bytes (undetectable for state_call)"} over HTTP`, async () => {
    server.inject(fault);
    const c = client();
    if (code === null) {
      // Whole-byte truncation of an opaque SCALE blob is the decoder's job to catch: the client
      // returns exactly what came, one byte short.
      assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect.slice(0, -2));
      return;
    }
    await rejectsWith(c.stateCall(...SMALL_CALL.args), code, (e) => {
      if (fault.kind === "http") assert.equal(e.status, fault.status);
      if (fault.kind === "rpcError") {
        assert.equal(e.rpcCode, -32000);
        assert.equal(e.rpcMessage, "Client error: Execution failed");
        assert.equal(e.rpcData, "boom");
        assert.equal(e.transient, false);
      }
      assert.equal(e.attempts, 1);
    });
    assert.equal(server.httpRequests.length, 1);
  });
}

test("hex of the wrong length where a hash is expected gives RPC_BAD_HEX", async () => {
  const c = client();
  server.inject({ kind: "truncateHex", chars: 2 });
  await rejectsWith(c.getBlockHash(BLOCK_HASH.args[0]), "RPC_BAD_HEX", (e) => assert.match(e.message, /expected 32 bytes, got 31/));
  server.inject({ kind: "truncateHex", chars: 2 });
  await rejectsWith(c.getHeader(HEADER.args[0]), "RPC_BAD_HEX", (e) => assert.match(e.message, /parentHash/));
  server.inject({ kind: "truncateHex", chars: 1 }, { method: "state_getStorage" });
  await rejectsWith(c.getStorage(...STORAGE.args), "RPC_BAD_HEX");
  // And the good answers right after.
  assert.equal(await c.getBlockHash(BLOCK_HASH.args[0]), BLOCK_HASH.expect);
});

test("a refused connection gives RPC_NETWORK", async () => {
  const other = await startRpcServer();
  const url = other.url;
  await other.close();
  const c = createRpcClient({ endpoint: url, retries: 0, timeoutMs: 2000 });
  await rejectsWith(c.stateCall(...SMALL_CALL.args), "RPC_NETWORK", (e) => assert.equal(e.transient, true));
});

test("client-side validation of shapes: keys pages, change sets, runtime version, envelopes", async () => {
  // A fake fetch answering whatever the test needs, to reach the checks no fault kind produces.
  let body;
  const fake = async (_url, init) => {
    const req = JSON.parse(init.body);
    return new Response(JSON.stringify(typeof body === "function" ? body(req) : { jsonrpc: "2.0", id: req.id, result: body }));
  };
  const c = client({ fetch: fake });
  const prefix = "0xaabb";
  body = ["0xaabb02", "0xaabb01"];
  await rejectsWith(c.getKeysPaged(prefix, 10), "RPC_MALFORMED", (e) => assert.match(e.message, /ascending/));
  body = ["0xaabb01", "0xccdd02"];
  await rejectsWith(c.getKeysPaged(prefix, 10), "RPC_MALFORMED", (e) => assert.match(e.message, /not under prefix/));
  body = ["0xaabb01", "0xaabb02"];
  await rejectsWith(c.getKeysPaged(prefix, 1), "RPC_MALFORMED", (e) => assert.match(e.message, /2 keys for count 1/));
  body = ["0xaabb01", "0xaabb0"];
  await rejectsWith(c.getKeysPaged(prefix, 10), "RPC_BAD_HEX");
  body = ["0xaabb01"];
  await rejectsWith(c.getKeysPaged(prefix, 10, "0xaabb05"), "RPC_MALFORMED");
  body = [{ block: "0x" + "11".repeat(32), changes: [["0xaabb01", "0x0"]] }];
  await rejectsWith(c.queryStorageAt(["0xaabb01"], "0x" + "11".repeat(32)), "RPC_BAD_HEX");
  body = [{ block: "0x" + "11".repeat(32), changes: [] }];
  await rejectsWith(c.getStorageValues(["0xaabb01"], "0x" + "11".repeat(32)), "RPC_MALFORMED", (e) => assert.match(e.message, /did not answer/));
  body = { specName: "x", implName: "x", authoringVersion: 1, specVersion: "343", implVersion: 1, transactionVersion: 1, apis: [] };
  await rejectsWith(c.getRuntimeVersion(), "RPC_MALFORMED", (e) => assert.match(e.message, /specVersion/));
  body = (req) => ({ jsonrpc: "2.0", id: req.id, result: "0x00", error: { code: 1, message: "both" } });
  await rejectsWith(c.stateCall("X_y", "0x"), "RPC_MALFORMED");
  body = (req) => ({ jsonrpc: "1.0", id: req.id, result: "0x00" });
  await rejectsWith(c.stateCall("X_y", "0x"), "RPC_MALFORMED");
  body = (req) => ({ jsonrpc: "2.0", id: String(req.id), result: "0x00" });
  await rejectsWith(c.stateCall("X_y", "0x"), "RPC_BAD_ID");
  body = (req) => ({ jsonrpc: "2.0", id: req.id, error: { code: "x" } });
  await rejectsWith(c.stateCall("X_y", "0x"), "RPC_MALFORMED");
  body = [1, 2, 300];
  await rejectsWith(c.requestBytes("neuronInfo_getNeuron", [1, 2]), "RPC_BAD_HEX");
  body = null;
  assert.equal(await c.getStorage("0xaabb"), null);
  assert.equal(await c.getBlockHash(99), null);
});

test("bad arguments and options are refused before any request", async () => {
  const c = client();
  await rejectsWith(c.getStorage("0x123"), "RPC_INVALID_ARGUMENT");
  await rejectsWith(c.getStorage("aabb"), "RPC_INVALID_ARGUMENT");
  await rejectsWith(c.stateCall("X_y", "0x00", "0x1234"), "RPC_INVALID_ARGUMENT");
  await rejectsWith(c.getKeysPaged("0xaa", 1001), "RPC_INVALID_ARGUMENT");
  await rejectsWith(c.getBlockHash(-1), "RPC_INVALID_ARGUMENT");
  assert.equal(server.httpRequests.length, 0);
  assert.throws(() => new RpcClient({}), (e) => e.code === "RPC_CONFIG");
  assert.throws(() => new RpcClient({ endpoint: "ftp://127.0.0.1/" }), (e) => e.code === "RPC_CONFIG");
  assert.throws(() => new RpcClient({ endpoint: server.url, retries: -1 }), (e) => e.code === "RPC_CONFIG");
  assert.throws(() => new RpcClient({ endpoint: server.url, batch: { maxSize: 0 } }), (e) => e.code === "RPC_CONFIG");
  assert.throws(() => new RpcClient({ endpoint: server.url, timeoutMs: -5 }), (e) => e.code === "RPC_CONFIG");
  if (typeof globalThis.WebSocket === "undefined") {
    assert.throws(() => new RpcClient({ endpoint: server.wsUrl }), (e) => e.code === "RPC_CONFIG" && /WebSocket/.test(e.message));
  }
});

test("hex helpers", () => {
  assert.deepEqual([...hexToBytes("0x00ff10")], [0, 255, 16]);
  assert.equal(bytesToHex([0, 255, 16]), "0x00ff10");
  assert.equal(expectHex("0xABcd", "x", 2), "0xabcd");
  for (const bad of ["0x0", "ab", "0xzz", 12, null]) assert.throws(() => expectHex(bad, "x"), (e) => e.code === "RPC_BAD_HEX");
  assert.throws(() => expectHex("0xaabb", "x", 3), (e) => e.code === "RPC_BAD_HEX");
  assert.equal(Object.values(ERROR_CODES).length, new Set(Object.values(ERROR_CODES)).size);
});

// ---------------------------------------------------------------------------------------------
// Retries

test("retries recover from transient faults", async () => {
  const cases = [
    [{ kind: "http", status: 503 }, 2],
    [{ kind: "http", status: 500 }, 1],
    [{ kind: "delay", ms: 1500 }, 1],
    [{ kind: "drop" }, 2],
  ];
  for (const [fault, times] of cases) {
    server.reset();
    server.inject(fault, { times });
    const events = [];
    const c = client({ retries: 3, timeoutMs: fault.kind === "delay" ? 200 : 2000, onEvent: (e) => events.push(e) });
    assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect, fault.kind);
    const retries = events.filter((e) => e.type === "retry");
    assert.equal(retries.length, times, `${fault.kind}: retried ${times} times`);
    assert.ok(retries.every((e) => isTransient(e.error)));
    assert.equal(server.httpRequests.length, times + 1, `${fault.kind}: HTTP requests`);
  }
});

test("retries give up after the limit with the last transient error", async () => {
  server.inject({ kind: "http", status: 503 }, { times: Infinity });
  const c = client({ retries: 2 });
  await rejectsWith(c.stateCall(...SMALL_CALL.args), "RPC_HTTP", (e) => {
    assert.equal(e.status, 503);
    assert.equal(e.attempts, 3);
  });
  assert.equal(server.httpRequests.length, 3);
});

test("no retry on JSON-RPC errors or invalid responses", async () => {
  for (const fault of [{ kind: "rpcError", code: -32000, message: "nope" }, { kind: "malformed" }, { kind: "wrongId" }, { kind: "truncateHex" }]) {
    server.reset();
    server.inject(fault, { times: Infinity });
    const c = client({ retries: 5 });
    await assert.rejects(c.stateCall(...SMALL_CALL.args), (e) => e.attempts === 1 && e.transient === false);
    assert.equal(server.httpRequests.length, 1, `${fault.kind} was not retried`);
  }
});

test("backoff is exponential, capped, jittered, and deterministic when seeded", async () => {
  const noJitter = { baseMs: 100, factor: 2, maxMs: 1000, jitter: 0 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, noJitter)), [100, 200, 400, 800, 1000, 1000]);
  const b = { baseMs: 100, factor: 2, maxMs: 100_000, jitter: 0.5 };
  const r1 = seededRandom(42);
  const r2 = seededRandom(42);
  const a = [0, 1, 2, 3, 4].map((n) => backoffDelay(n, b, r1));
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => backoffDelay(n, b, r2)), a, "same seed, same delays");
  a.forEach((d, n) => assert.ok(d >= 50 * 2 ** n && d <= 150 * 2 ** n, `delay ${n} = ${d} within +-50 %`));
  const r3 = seededRandom(43);
  assert.notDeepEqual([0, 1, 2, 3, 4].map((n) => backoffDelay(n, b, r3)), a, "another seed, other delays");

  // The client's retry delays follow the seed.
  const delays = async (seed) => {
    server.reset();
    server.inject({ kind: "http", status: 503 }, { times: 3 });
    const ev = [];
    const c = client({ retries: 3, seed, backoff: { baseMs: 2, maxMs: 40, jitter: 0.5 }, onEvent: (e) => ev.push(e) });
    await c.stateCall(...SMALL_CALL.args);
    return ev.filter((e) => e.type === "retry").map((e) => e.delayMs);
  };
  const d1 = await delays(9);
  assert.deepEqual(await delays(9), d1);
  assert.equal(d1.length, 3);
});

test("Retry-After on a 503 stretches the backoff (capped at maxMs)", async () => {
  server.inject({ kind: "http", status: 503, retryAfter: 1 });
  const ev = [];
  const c = client({ retries: 1, backoff: { baseMs: 5, maxMs: 300 }, onEvent: (e) => ev.push(e) });
  assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect);
  assert.equal(ev.find((e) => e.type === "retry").delayMs, 300);
});

// ---------------------------------------------------------------------------------------------
// Batching

test("calls made together go out as one JSON-RPC batch over HTTP", async () => {
  const c = client();
  const steps = plan.steps.filter((s) => s.op !== "getStorageEntries").slice(0, 12);
  assert.equal(steps.length, 12);
  const results = await runSteps(c, steps);
  assertStepResults(results);
  assert.equal(server.httpRequests.length, 1, "one HTTP request");
  assert.deepEqual(server.httpRequests[0], { calls: 12, batch: true, methods: server.httpRequests[0].methods });
});

test("batches are split at maxSize, and batch: false sends one request per call", async () => {
  const steps = plan.steps.filter((s) => s.op === "getStorage").slice(0, 10);
  assertStepResults(await runSteps(client({ batch: { maxSize: 4 } }), steps));
  // (the three requests go out in parallel and may arrive in any order)
  assert.deepEqual(server.httpRequests.map((r) => r.calls).sort(), [2, 4, 4]);
  server.reset();
  assertStepResults(await runSteps(client({ batch: false }), steps));
  assert.equal(server.httpRequests.length, 10);
  assert.ok(server.httpRequests.every((r) => !r.batch));
});

test("batch.windowMs gathers calls made over several turns into one batch", async () => {
  const c = client({ batch: { windowMs: 100 } });
  const a = c.getHeader(HEADER.args[0]);
  await new Promise((r) => setTimeout(r, 20));
  const b = c.stateCall(...SMALL_CALL.args);
  assert.deepEqual(await a, HEADER.expect);
  assert.equal(await b, SMALL_CALL.expect);
  assert.deepEqual(server.httpRequests.map((r) => r.calls), [2]);
});

test("inside a batch, a node error fails only its own call; a wrong id fails the whole batch", async () => {
  const c = client();
  server.inject({ kind: "rpcError", code: -32001, message: "only me" }, { method: "chain_getHeader" });
  const [a, b] = await Promise.allSettled([c.getHeader(HEADER.args[0]), c.stateCall(...SMALL_CALL.args)]);
  assert.equal(a.reason.code, "RPC_ERROR");
  assert.equal(a.reason.rpcMessage, "only me");
  assert.equal(b.value, SMALL_CALL.expect);
  assert.equal(server.httpRequests.length, 1);

  server.reset();
  server.inject({ kind: "wrongId" }, { method: "chain_getHeader" });
  const r = await Promise.allSettled([c.getHeader(HEADER.args[0]), c.stateCall(...SMALL_CALL.args)]);
  assert.deepEqual(r.map((x) => x.reason?.code), ["RPC_BAD_ID", "RPC_BAD_ID"]);
});

test("a transient failure of a batch retries its calls", async () => {
  server.inject({ kind: "http", status: 502 });
  const c = client({ retries: 2, backoff: { baseMs: 5, jitter: 0 } });
  const steps = plan.steps.filter((s) => s.op === "getStorage").slice(0, 5);
  assertStepResults(await runSteps(c, steps));
  const [first, ...rest] = server.httpRequests.map((r) => r.calls);
  assert.equal(first, 5, "one batch of five failed");
  // Their retries are batched again when their backoff timers fire in the same turn (usually
  // one batch; a loaded machine may split it).
  assert.equal(rest.reduce((a, b) => a + b, 0), 5, "and all five were sent again");
});

// ---------------------------------------------------------------------------------------------
// Paged keys

test("paged keys iterate all pages, with progress", async () => {
  const m = MAP("bonds_map");
  const [prefix, { at }] = m.args;
  const c = client();
  const progress = [];
  const keys = [];
  for await (const k of c.iterateKeys(prefix, { at, pageSize: 5, onProgress: (p) => progress.push(p) })) keys.push(k);
  assert.deepEqual(keys, m.expect.map((e) => e.key));
  assert.deepEqual(progress.map((p) => [p.page, p.pageKeys, p.total, p.done]), [[1, 5, 5, false], [2, 5, 10, false], [3, 5, 15, false], [4, 4, 19, true]]);
  const pages = server.calls.filter((x) => x.method === "state_getKeysPaged");
  assert.equal(pages.length, 4);
  assert.deepEqual(pages.map((x) => x.params[2]), [prefix, keys[4], keys[9], keys[14]], "each page starts after the last key");

  // A page size that divides the map exactly needs one more (empty) page to know it is done.
  server.reset();
  assert.deepEqual(await c.getAllKeys(prefix, { at, pageSize: 19 }), keys);
  assert.deepEqual(server.calls.filter((x) => x.method === "state_getKeysPaged").map((x) => x.params[1]), [19, 19]);
});

test("getStorageEntries reads keys then values, up to maxKeys on a partial capture", async () => {
  const m = MAP("networks_added");
  const [prefix, opts] = m.args;
  const c = client();
  const progress = [];
  const entries = await c.getStorageEntries(prefix, { ...opts, pageSize: 30, chunkSize: 40, onProgress: (p) => progress.push(p) });
  assert.deepEqual(entries, m.expect);
  assert.deepEqual(progress.filter((p) => p.phase === "keys").map((p) => p.pageKeys), [30, 30, 30, 10]);
  assert.deepEqual(progress.filter((p) => p.phase === "values").map((p) => p.done), [40, 80, 100]);
  assert.deepEqual(server.calls.filter((x) => x.method === "state_queryStorageAt").map((x) => x.params[0].length), [40, 40, 20]);
});

test("a paged read fails fast on a node error mid-way and recovers a transient one", async () => {
  const m = MAP("bonds_map");
  const [prefix, { at }] = m.args;
  let n = 0;
  server.inject({ kind: "rpcError", code: -32000, message: "page 3" }, { match: (call) => call.method === "state_getKeysPaged" && ++n === 3 });
  await rejectsWith(client({ retries: 3 }).getAllKeys(prefix, { at, pageSize: 5 }), "RPC_ERROR");
  server.reset();
  let k = 0;
  server.inject({ kind: "http", status: 503 }, { match: (call) => call.method === "state_getKeysPaged" && ++k === 2 });
  assert.equal((await client({ retries: 3 }).getAllKeys(prefix, { at, pageSize: 5 })).length, 19);
});

// ---------------------------------------------------------------------------------------------
// Cancellation and close

test("an AbortSignal cancels a pending request", async () => {
  server.inject({ kind: "delay", ms: 3000 });
  const c = client({ timeoutMs: 10_000 });
  const ac = new AbortController();
  const t0 = Date.now();
  const p = c.stateCall(...SMALL_CALL.args, { signal: ac.signal });
  setTimeout(() => ac.abort(new Error("user left")), 50);
  await rejectsWith(p, "CANCELLED", (e) => {
    assert.equal(e.transient, false);
    assert.equal(e.cause.message, "user left");
  });
  assert.ok(Date.now() - t0 < 2000);
});

test("an aborted signal sends nothing; aborting one call of a batch leaves the others", async () => {
  const c = client();
  await rejectsWith(c.stateCall(...SMALL_CALL.args, { signal: AbortSignal.abort() }), "CANCELLED");
  assert.equal(server.httpRequests.length, 0);
  const ac = new AbortController();
  const a = c.getHeader(HEADER.args[0], { signal: ac.signal });
  const b = c.stateCall(...SMALL_CALL.args);
  ac.abort();
  await rejectsWith(a, "CANCELLED");
  assert.equal(await b, SMALL_CALL.expect);
});

test("an AbortSignal cancels the backoff wait between retries", async () => {
  server.inject({ kind: "http", status: 503 }, { times: Infinity });
  const c = client({ retries: 5, backoff: { baseMs: 5000, maxMs: 5000 } });
  const ac = new AbortController();
  const t0 = Date.now();
  const p = c.stateCall(...SMALL_CALL.args, { signal: ac.signal });
  setTimeout(() => ac.abort(), 200);
  await rejectsWith(p, "CANCELLED");
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(server.httpRequests.length, 1);
});

test("an AbortSignal stops a paged iteration", async () => {
  const m = MAP("bonds_map");
  const ac = new AbortController();
  const c = client();
  const got = [];
  await rejectsWith((async () => {
    for await (const k of c.iterateKeys(m.args[0], { at: m.args[1].at, pageSize: 5, signal: ac.signal })) {
      got.push(k);
      if (got.length === 7) ac.abort();
    }
  })(), "CANCELLED");
  assert.equal(got.length, 10, "the page in hand is delivered, no further page is fetched");
  assert.equal(server.calls.filter((x) => x.method === "state_getKeysPaged").length, 2);
});

test("close() fails pending and later calls with a non-transient RPC_CLOSED", async () => {
  server.inject({ kind: "delay", ms: 1000 });
  const c = client({ retries: 3 });
  const p = c.stateCall(...SMALL_CALL.args);
  p.catch(() => {});
  await new Promise((r) => setTimeout(r, 50));
  c.close();
  await rejectsWith(p, "RPC_CLOSED", (e) => assert.equal(e.transient, false));
  await rejectsWith(c.stateCall(...SMALL_CALL.args), "RPC_CLOSED");
});

// ---------------------------------------------------------------------------------------------
// Package and types

test("the built package ships the client as tao-engine/rpc", { skip: !existsSync(path.join(root, "pkg/package.json")) && "pkg/ not built" }, () => {
  const manifest = JSON.parse(readFileSync(path.join(root, "pkg/package.json"), "utf8"));
  assert.deepEqual(manifest.exports["./rpc"], { types: "./js/rpc.d.ts", default: "./js/rpc.js" });
  assert.equal(readFileSync(path.join(root, "pkg/js/rpc.js"), "utf8"), readFileSync(path.join(root, "js/rpc.js"), "utf8"));
  assert.equal(readFileSync(path.join(root, "pkg/js/rpc.d.ts"), "utf8"), readFileSync(path.join(root, "js/rpc.d.ts"), "utf8"));
});

test("a strict TypeScript consumer type-checks against tao-engine/rpc as installed", { skip: !existsSync(path.join(root, "pkg/package.json")) && "pkg/ not built" }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tao-rpc-consumer-"));
  try {
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "rpc-consumer", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", path.join(root, "pkg")], { cwd: dir, stdio: "pipe" });
    copyFileSync(path.join(root, "tests/support/rpc-consumer.ts"), path.join(dir, "consumer.ts"));
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom", "dom.asynciterable"], skipLibCheck: false },
      files: ["consumer.ts"],
    }));
    try {
      execFileSync(path.join(root, "node_modules/.bin/tsc"), ["-p", dir], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
    // And the installed module runs: a client against the replay server through the exports map.
    // (async: this process serves the requests)
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e",
      `import { createRpcClient } from "tao-engine/rpc"; const c = createRpcClient({ endpoint: ${JSON.stringify(server.url)}, timeoutMs: 10000 }); console.log(await c.stateCall(...${JSON.stringify(SMALL_CALL.args)}));`],
    { cwd: dir, encoding: "utf8", timeout: 30_000 });
    assert.equal(stdout.trim(), SMALL_CALL.expect);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
