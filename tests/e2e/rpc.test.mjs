// The JSON-RPC client (js/rpc.js) inside Debian's headless Chromium: the browser's own fetch and
// WebSocket against the loopback replay server, from a page on another 127.0.0.1 origin (so CORS is
// exercised as for a dApp talking to a node). Round trips of every fixture over HTTP and WebSocket,
// a dropped socket and reconnect, a transient 503, a timeout and cancellation.
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { startRpcServer, buildReplayTable } from "../support/rpc-server.mjs";
import { buildPlan } from "../support/rpc-fixture-plan.mjs";
import { launch, openWatched } from "./browser.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PAGE = `<!doctype html><meta charset="utf-8"><title>rpc</title>
<script type="module">import * as rpc from "/rpc.js"; window.rpc = rpc; document.title = "ready";</script>`;

let server, pages, browser, page, problems;
const table = buildReplayTable();
before(async () => {
  pages = await startRpcServer({
    static: {
      "/index.html": { type: "text/html", body: PAGE },
      "/rpc.js": { type: "text/javascript", body: readFileSync(path.join(root, "js/rpc.js"), "utf8") },
      "/favicon.ico": { type: "image/x-icon", body: "" },
    },
  });
  browser = await launch({ webgpu: false });
  ({ page, problems } = await openWatched(browser.context, `${pages.url}index.html`));
  await page.waitForFunction(() => document.title === "ready");
});
after(async () => {
  await page?.close();
  await browser?.close();
  await pages?.close();
});
// A fresh RPC server per test: nothing a test abandoned can reach the next one.
beforeEach(async () => {
  server = await startRpcServer({ table });
});
afterEach(async () => {
  await server.close();
});

const plan = buildPlan();
const SMALL_CALL = plan.steps.find((s) => s.fixture === "network_registration_cost.json");
const HEADER = plan.steps.find((s) => s.op === "getHeader");

/** Run `steps` ({op, args}) in the page through a client made with `options`. */
async function inPage(options, steps, extra = {}) {
  return page.evaluate(async ({ options, steps, extra }) => {
    const events = [];
    const c = window.rpc.createRpcClient({ ...options, onEvent: (e) => events.push(e.type) });
    const ac = new AbortController();
    if (extra.abortAfterMs !== undefined) setTimeout(() => ac.abort(), extra.abortAfterMs);
    const results = await Promise.all(steps.map((s) => c[s.op](...s.args, ...(extra.abortAfterMs !== undefined ? [{ signal: ac.signal }] : []))
      .then((ok) => ({ ok }), (e) => ({ err: e.code, msg: e.message, transient: e.transient, name: e.name }))));
    c.close();
    return { results, events };
  }, { options, steps: steps.map(({ op, args }) => ({ op, args })), extra });
}

function assertResults(results, steps) {
  assert.equal(results.length, steps.length);
  results.forEach((r, i) => {
    assert.equal(r.err, undefined, `${steps[i].fixture} ${steps[i].op}: ${r.msg}`);
    assert.deepEqual(r.ok, steps[i].expect, `${steps[i].fixture} ${steps[i].op}`);
  });
}

// The injected 503 and the fetch cancelled on purpose show up in the page's log.
const expectedProblem = (p) => /HTTP 503|status of 503|net::ERR_ABORTED/.test(p);

test("browser fetch: every replayable fixture round-trips cross-origin, batched", async () => {
  const { results } = await inPage({ endpoint: server.url, timeoutMs: 15_000, retries: 0 }, plan.steps);
  assertResults(results, plan.steps);
  assert.ok(server.httpRequests.some((r) => r.batch && r.calls > 10), "the first calls went out as one batch");
  assert.ok(server.httpRequests.length < plan.steps.length);
});

test("browser WebSocket: every replayable fixture round-trips over one socket", async () => {
  const { results, events } = await inPage({ endpoint: server.wsUrl, timeoutMs: 15_000, retries: 0 }, plan.steps);
  assertResults(results, plan.steps);
  assert.equal(server.wsConnections, 1);
  assert.deepEqual(events.slice(0, 1), ["open"]);
  assert.equal(server.httpRequests.length, 0);
});

test("browser WebSocket: a dropped socket is reopened and the call retried", async () => {
  server.inject({ kind: "drop" }, { method: "chain_getHeader" });
  const steps = [HEADER, SMALL_CALL];
  const { results, events } = await inPage({ endpoint: server.wsUrl, timeoutMs: 5000, retries: 2, seed: 1, backoff: { baseMs: 10 } }, steps);
  assertResults(results, steps);
  assert.equal(server.wsConnections, 2);
  // Both calls were pending on the dropped socket: both are retried, over one new socket.
  assert.deepEqual(events.slice(0, 5), ["open", "close", "retry", "retry", "open"]);

  server.reset();
  server.inject({ kind: "drop" }, { times: Infinity });
  const failed = await inPage({ endpoint: server.wsUrl, timeoutMs: 5000, retries: 1, backoff: { baseMs: 10 } }, [SMALL_CALL]);
  assert.equal(failed.results[0].err, "RPC_CLOSED");
  assert.equal(failed.results[0].transient, true);
  assert.equal(failed.results[0].name, "RpcError");
});

test("browser fetch: a 503 is retried; a node error and bad hex are not", async () => {
  server.inject({ kind: "http", status: 503 });
  const ok = await inPage({ endpoint: server.url, retries: 2, backoff: { baseMs: 10 } }, [SMALL_CALL]);
  assertResults(ok.results, [SMALL_CALL]);
  assert.deepEqual(ok.events, ["http-request", "retry", "http-request"]);

  server.reset();
  server.inject({ kind: "rpcError", code: -32000, message: "no" });
  server.inject({ kind: "truncateHex" }, { method: "chain_getHeader" });
  const bad = await inPage({ endpoint: server.url, retries: 2, batch: false }, [SMALL_CALL, HEADER]);
  assert.deepEqual(bad.results.map((r) => r.err), ["RPC_ERROR", "RPC_BAD_HEX"]);
  assert.equal(server.httpRequests.length, 2);
});

test("browser: timeouts and AbortSignal", async () => {
  server.inject({ kind: "delay", ms: 2000 }, { times: 2 });
  const t = await inPage({ endpoint: server.wsUrl, timeoutMs: 200, retries: 0 }, [SMALL_CALL]);
  assert.equal(t.results[0].err, "RPC_TIMEOUT");
  const a = await inPage({ endpoint: server.url, timeoutMs: 10_000, retries: 0 }, [SMALL_CALL], { abortAfterMs: 50 });
  assert.equal(a.results[0].err, "CANCELLED");
});

test("the page stayed on 127.0.0.1 and logged nothing unexpected", () => {
  assert.deepEqual(problems.filter((p) => !expectedProblem(p)), []);
});
