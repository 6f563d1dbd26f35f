// The JSON-RPC client over WebSocket in Node: with the `ws` package's client passed as
// options.WebSocket, and with Node's own global WebSocket (node --experimental-websocket on
// Node 20) in a child process. Round trips of every fixture, pipelining, faults, a dropped socket
// and reconnect, cancellation. The browser's WebSocket is covered by tests/e2e/rpc.test.mjs.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import WS from "ws";
import { startRpcServer, buildReplayTable } from "../support/rpc-server.mjs";
import { buildPlan, runSteps } from "../support/rpc-fixture-plan.mjs";
import { createRpcClient, RpcError } from "../../js/rpc.js";

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

function client(opts = {}) {
  const c = createRpcClient({ endpoint: server.wsUrl, WebSocket: WS, timeoutMs: 2000, retries: 0, seed: 3, backoff: { baseMs: 5, maxMs: 50 }, ...opts });
  clients.push(c);
  return c;
}
const plan = buildPlan();
const SMALL_CALL = plan.steps.find((s) => s.fixture === "network_registration_cost.json");
const HEADER = plan.steps.find((s) => s.op === "getHeader");
const MAP = (name) => plan.steps.find((s) => s.op === "getStorageEntries" && s.fixture.includes(name));

async function rejectsWith(promise, code, check) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof RpcError, `an RpcError, got ${e?.message}`);
    assert.equal(e.code, code, e.message);
    check?.(e);
    return true;
  });
}
function assertStepResults(results) {
  for (const r of results) {
    const where = `${r.step.fixture} ${r.step.op}`;
    assert.equal(r.err, undefined, `${where}: ${r.msg}`);
    assert.deepEqual(r.ok, r.step.expect, where);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("every replayable fixture round-trips over one WebSocket, pipelined", async () => {
  const c = client({ timeoutMs: 10_000 });
  assert.equal(c.transport, "ws");
  assertStepResults(await runSteps(c, plan.steps));
  assert.equal(server.wsConnections, 1, "one connection for everything");
  assert.ok(server.calls.length >= plan.steps.length);
  assert.ok(server.calls.every((x) => x.transport === "ws"));
  assert.equal(server.httpRequests.length, 0);
});

test("pipelined calls are answered out of order and each gets its own result", async () => {
  const c = client();
  server.inject({ kind: "delay", ms: 300 }, { method: "chain_getHeader" });
  const order = [];
  const slow = c.getHeader(HEADER.args[0]).then((h) => (order.push("header"), h));
  const fast = c.stateCall(...SMALL_CALL.args).then((v) => (order.push("call"), v));
  assert.deepEqual(await slow, HEADER.expect);
  assert.equal(await fast, SMALL_CALL.expect);
  assert.deepEqual(order, ["call", "header"]);
  assert.equal(server.wsConnections, 1);
});

const FAULTS = [
  [{ kind: "malformed" }, "RPC_MALFORMED"],
  [{ kind: "wrongId" }, "RPC_BAD_ID"],
  [{ kind: "missingId" }, "RPC_BAD_ID"],
  [{ kind: "truncateHex" }, "RPC_BAD_HEX"],
  [{ kind: "nonHex" }, "RPC_BAD_HEX"],
  [{ kind: "rpcError", code: -32000, message: "Execution failed" }, "RPC_ERROR"],
  [{ kind: "drop" }, "RPC_CLOSED"],
];
for (const [fault, code] of FAULTS) {
  test(`WebSocket fault ${fault.kind} gives ${code}, and the next call works`, async () => {
    const c = client();
    server.inject(fault);
    await rejectsWith(c.stateCall(...SMALL_CALL.args), code, (e) => {
      if (fault.kind === "rpcError") assert.equal(e.rpcCode, -32000);
      assert.equal(e.transient, fault.kind === "drop");
    });
    assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect);
  });
}

test("a timed-out call's late answer is ignored and the socket stays usable", async () => {
  const c = client({ timeoutMs: 5000 });
  assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect); // the socket is open
  server.inject({ kind: "delay", ms: 400 });
  await rejectsWith(c.stateCall(...SMALL_CALL.args, { timeoutMs: 150 }), "RPC_TIMEOUT");
  // The late answer to that call arrives while the header call is pending.
  server.inject({ kind: "delay", ms: 500 }, { method: "chain_getHeader" });
  const [header] = await Promise.all([c.getHeader(HEADER.args[0]), sleep(400)]);
  assert.deepEqual(header, HEADER.expect);
  assert.equal(server.wsConnections, 1);
});

test("a dropped socket fails pending calls with RPC_CLOSED; retries reconnect and succeed", async () => {
  const events = [];
  const c = client({ retries: 3, onEvent: (e) => events.push(e.type) });
  server.inject({ kind: "drop" }, { times: 2 });
  assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect);
  assert.equal(server.wsConnections, 3, "two drops, two reconnects");
  assert.deepEqual(events, ["open", "close", "retry", "open", "close", "retry", "open"]);

  // Several calls pending on the socket when it drops: all retried on the new one.
  server.reset();
  server.inject({ kind: "delay", ms: 5000 }, { method: "chain_getHeader" });
  const pending = Promise.all([c.getHeader(HEADER.args[0], { timeoutMs: 5000 }), c.stateCall(...SMALL_CALL.args, { timeoutMs: 5000 })]);
  await sleep(100);
  server.clearFaults();
  server.dropWebSockets();
  const [h, v] = await pending;
  assert.deepEqual(h, HEADER.expect);
  assert.equal(v, SMALL_CALL.expect);
  assert.equal(server.wsConnections, 1, "one reconnect after the reset");
});

test("a socket dropped while idle is reopened by the next call", async () => {
  const c = client();
  assert.equal(await c.stateCall(...SMALL_CALL.args), SMALL_CALL.expect);
  server.dropWebSockets();
  await sleep(50);
  assert.deepEqual(await c.getHeader(HEADER.args[0]), HEADER.expect);
  assert.equal(server.wsConnections, 2);
});

test("without retries a dropped socket gives up; with them it gives up after the limit", async () => {
  server.inject({ kind: "drop" }, { times: Infinity });
  await rejectsWith(client({ retries: 2 }).stateCall(...SMALL_CALL.args), "RPC_CLOSED", (e) => assert.equal(e.attempts, 3));
  assert.equal(server.wsConnections, 3);
});

test("no server: RPC_NETWORK", async () => {
  const other = await startRpcServer();
  const url = other.wsUrl;
  await other.close();
  const c = createRpcClient({ endpoint: url, WebSocket: WS, retries: 1, backoff: { baseMs: 5 } });
  clients.push(c);
  await rejectsWith(c.stateCall(...SMALL_CALL.args), "RPC_NETWORK", (e) => assert.equal(e.attempts, 2));
});

test("AbortSignal cancels a pending WebSocket call; close() rejects the rest", async () => {
  const c = client({ timeoutMs: 10_000 });
  server.inject({ kind: "delay", ms: 500 }, { times: 2 });
  const ac = new AbortController();
  const a = c.stateCall(...SMALL_CALL.args, { signal: ac.signal });
  const b = c.getHeader(HEADER.args[0]);
  a.catch(() => {});
  b.catch(() => {});
  await sleep(50);
  ac.abort();
  await rejectsWith(a, "CANCELLED");
  c.close();
  await rejectsWith(b, "RPC_CLOSED", (e) => assert.equal(e.transient, false));
  await rejectsWith(c.getHeader(HEADER.args[0]), "RPC_CLOSED");
});

test("paged keys and values over WebSocket", async () => {
  const c = client();
  const m = MAP("bonds_map");
  const progress = [];
  assert.deepEqual(await c.getStorageEntries(m.args[0], { ...m.args[1], pageSize: 6, onProgress: (p) => progress.push(p.phase) }), m.expect);
  assert.deepEqual(progress, ["keys", "keys", "keys", "keys", "values"]);
});

test("Node's own WebSocket (node --experimental-websocket): fixtures, a drop and a reconnect", async () => {
  const steps = plan.steps.filter((s) => s.op !== "getStorageEntries").slice(0, 8);
  server.inject({ kind: "drop" }, { method: "chain_getHeader" });
  const script = `
    import { createRpcClient } from ${JSON.stringify(path.join(root, "js/rpc.js"))};
    if (typeof WebSocket !== "function") { console.log(JSON.stringify({ noWebSocket: true })); process.exit(0); }
    let input = "";
    for await (const chunk of process.stdin) input += chunk;
    const steps = JSON.parse(input);
    const c = createRpcClient({ endpoint: ${JSON.stringify(server.wsUrl)}, retries: 2, timeoutMs: 5000, backoff: { baseMs: 5 } });
    const events = [];
    c.onEvent = (e) => events.push(e.type);
    const header = await c.getHeader(${JSON.stringify(HEADER.args[0])});
    const results = [];
    for (const s of steps) results.push(await c[s.op](...s.args));
    c.close();
    console.log(JSON.stringify({ header, results, events }));
  `;
  const out = await new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ["--experimental-websocket", "--no-warnings", "--input-type=module", "-e", script], { timeout: 30_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
    child.stdin.end(JSON.stringify(steps.map(({ op, args }) => ({ op, args }))));
  });
  assert.ok(!out.noWebSocket, "node --experimental-websocket provides a global WebSocket");
  assert.deepEqual(out.header, HEADER.expect);
  assert.deepEqual(out.results, steps.map((s) => s.expect));
  assert.deepEqual(out.events.slice(0, 4), ["open", "close", "retry", "open"]);
  assert.equal(server.wsConnections, 2);
});
