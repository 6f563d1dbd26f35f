// The Verify page in Debian's headless Chromium: offline on the embedded SN1 metagraph (browse
// only, values equal the engine's decode in Node), a snapshot file built from a chain test scenario
// (verdict "match", cells equal the engine's outputs computed in Node), a tampered file (the
// mismatch at the right uid and field), and a live fetch from a loopback JSON-RPC node that serves
// a scenario's storage (the page's plan -> RPC -> snapshot -> verify loop).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { launch, openWatched } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const engine = await import(path.join(root, "pkg/node/index.js"));
const dataDir = path.join(root, "www/src/verify/data");
const scenarioFile = readdirSync(dataDir).find((f) => f.startsWith("epoch__test_active_stake"));
const scenarioText = readFileSync(path.join(dataDir, scenarioFile), "utf8");
const tmp = mkdtempSync(path.join(tmpdir(), "tao-verify-"));

let server, browser, rpcNode;
before(async () => {
  await prepareApp();
  server = await startPreview(0);
  browser = await launch({ webgpu: false });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => (rpcNode ? rpcNode.close(r) : r()));
});

async function open(query = "") {
  const watched = await openWatched(browser.context, `${server.url}verify.html${query}`);
  await watched.page.waitForSelector("footer", { timeout: 20000 });
  return watched;
}

async function phoneCheck(page, name) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${overflow}px horizontal overflow at phone width`);
  await page.screenshot({ path: path.join(shots, `verify-${name}-phone.png`), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("verify page: the embedded SN1 metagraph is browsable offline and says why it cannot re-run", async () => {
  const fx = JSON.parse(readFileSync(path.join(root, "tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"), "utf8"));
  const m = engine.decodeType("Option<Metagraph>", fx.hex, "raw", { ss58: true });
  const { page, problems } = await open();
  try {
    await page.waitForSelector("[data-testid=metagraph-table]");
    assert.equal(await page.locator("[data-testid=metagraph-table] tbody tr").count(), 1024);
    assert.match(await page.textContent("[data-testid=not-rerunnable]"), /weights matrix/);
    for (const uid of [0, 17, 1023]) {
      const cells = await page.locator(`[data-testid=neuron-${uid}] td`).allTextContents();
      assert.equal(cells[0], String(uid));
      assert.equal(cells[7], String(m.incentives[uid]), `incentive of uid ${uid}`);
      assert.equal(cells[8], String(m.dividends[uid]), `dividends of uid ${uid}`);
      assert.equal(cells[6], String(m.total_stake[uid]), `total stake of uid ${uid}`);
    }
    await page.screenshot({ path: path.join(shots, "verify-sn1.png") });
    await phoneCheck(page, "sn1");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("verify page: an embedded scenario re-runs to a match (deep link)", async () => {
  const { page, problems } = await open("?snapshot=active-stake");
  try {
    await page.waitForSelector("[data-testid=verdict]");
    assert.equal(await page.getAttribute("[data-testid=verdict]", "data-verdict"), "match");
    assert.equal(await page.inputValue("[data-testid=embedded-select]"), "active-stake");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("verify page: a snapshot file built from a Yuma vector matches, with the engine's values", async () => {
  const file = path.join(tmp, "scenario.json");
  writeFileSync(file, scenarioText);
  const v = engine.verifySnapshot(scenarioText);
  assert.equal(v.verdict, "match");
  const { page, problems } = await open();
  try {
    await page.setInputFiles("[data-testid=snapshot-file]", file);
    await page.waitForSelector("[data-testid=verdict][data-verdict=match]");
    for (let uid = 0; uid < v.n; uid++) {
      assert.equal(await page.textContent(`[data-testid=cell-${uid}-dividends]`), String(v.computed.dividends[uid]));
      assert.equal(await page.textContent(`[data-testid=cell-${uid}-emission]`), String(v.computed.emission[uid]));
    }
    assert.equal(await page.textContent("[data-testid=summary-bonds]"), "0");
    await page.screenshot({ path: path.join(shots, "verify-file-match.png"), fullPage: true });
    await phoneCheck(page, "file-match");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("verify page: a tampered snapshot shows the mismatch at the right uid and field", async () => {
  const snap = JSON.parse(scenarioText);
  const key = engine.storageKey("Incentive", [snap.netuid]);
  const inc = engine.decodeStorageValue("Incentive", snap.outputs[key]);
  const uid = 3;
  inc[uid] -= 1;
  snap.outputs[key] = "0x" + (inc.length * 4).toString(16).padStart(2, "0") +
    inc.map((d) => [d & 0xff, d >> 8].map((b) => b.toString(16).padStart(2, "0")).join("")).join("");
  const file = path.join(tmp, "tampered.json");
  writeFileSync(file, JSON.stringify(snap));
  const { page, problems } = await open();
  try {
    await page.setInputFiles("[data-testid=snapshot-file]", file);
    await page.waitForSelector("[data-testid=verdict][data-verdict=mismatch]");
    assert.equal(await page.textContent("[data-testid=first-uid]"), String(uid));
    assert.match(await page.textContent("[data-testid=first-difference]"), /field incentive/);
    assert.equal(await page.textContent("[data-testid=first-expected]"), String(inc[uid]));
    assert.equal(await page.textContent("[data-testid=first-actual]"), String(inc[uid] + 1));
    assert.equal(await page.textContent("[data-testid=summary-incentive]"), "1");
    const cell = page.locator(`[data-testid=cell-${uid}-incentive]`);
    assert.equal(await cell.getAttribute("class"), "diff");
    assert.equal(await page.locator("[data-testid=diff-table] tbody tr").count(), 1, "only the differing uid is listed");
    // The uid links to its weight row.
    await page.click("[data-testid=first-uid]");
    assert.ok(await page.locator(`#weights-${uid}`).isVisible());
    await page.screenshot({ path: path.join(shots, "verify-tampered.png"), fullPage: true });
    const bad = path.join(tmp, "bad.json");
    writeFileSync(bad, "{ not json");
    await page.setInputFiles("[data-testid=snapshot-file]", bad);
    await page.waitForSelector("[data-testid=load-error]");
    assert.match(await page.textContent("[data-testid=load-error]"), /^INVALID_JSON/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

/** A loopback JSON-RPC node (HTTP, CORS open) serving one snapshot's storage. */
function startNode(snap) {
  const parentHash = "0x" + "11".repeat(32), blockHash = "0x" + "22".repeat(32);
  const header = { parentHash, number: "0x" + Number(snap.block).toString(16), stateRoot: "0x" + "33".repeat(32), extrinsicsRoot: "0x" + "44".repeat(32), digest: { logs: [] } };
  const version = { specName: "node-subtensor", implName: "node-subtensor", authoringVersion: 1, specVersion: 425, implVersion: 1, apis: [], transactionVersion: 1, stateVersion: 1 };
  const log = [];
  const answer = (c) => {
    log.push(c.method);
    switch (c.method) {
      case "chain_getBlockHash": return c.params[0] === Number(snap.block) ? blockHash : null;
      case "chain_getHeader": return header;
      case "state_getRuntimeVersion": return version;
      case "state_queryStorageAt": {
        const [keys, at] = c.params;
        const src = at === parentHash ? snap.inputs : snap.outputs;
        return [{ block: at, changes: keys.map((k) => [k, src[k] ?? null]) }];
      }
      default: return undefined;
    }
  };
  const srv = http.createServer((req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type", "access-control-allow-methods": "POST, OPTIONS" };
    if (req.method === "OPTIONS") { res.writeHead(204, cors); res.end(); return; }
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const parsed = JSON.parse(body);
      const one = (c) => {
        const result = answer(c);
        return result === undefined ? { jsonrpc: "2.0", id: c.id, error: { code: -32601, message: "not here" } } : { jsonrpc: "2.0", id: c.id, result };
      };
      res.writeHead(200, { ...cors, "content-type": "application/json" });
      res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(one) : one(parsed)));
    });
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({ srv, url: `http://127.0.0.1:${srv.address().port}/`, log })));
}

test("verify page: fetching from a node follows the plan and verifies", async () => {
  const snap = JSON.parse(scenarioText);
  const node = await startNode(snap);
  rpcNode = node.srv;
  const { page, problems } = await open();
  try {
    await page.waitForSelector("[data-testid=metagraph-table]");
    assert.equal(node.log.length, 0, "nothing is contacted by default");
    await page.fill("[data-testid=endpoint]", node.url);
    await page.fill("[data-testid=netuid]", String(snap.netuid));
    await page.fill("[data-testid=block]", String(snap.block));
    await page.click("[data-testid=fetch]");
    await page.waitForSelector("[data-testid=verdict]", { timeout: 20000 });
    // The emission is not stated by a node: pending amounts are read (here absent = 0), so the
    // rao amounts differ and every proportion matches.
    assert.equal(await page.getAttribute("[data-testid=verdict]", "data-verdict"), "match-except-emission");
    assert.equal(await page.textContent("[data-testid=summary-dividends]"), "0");
    assert.equal(await page.textContent("[data-testid=summary-bonds]"), "0");
    assert.ok(node.log.filter((m) => m === "state_queryStorageAt").length >= 4);
    assert.match(await page.textContent("[data-testid=fetch-status]"), /Fetched 4 rounds/);
    assert.equal(await page.isDisabled("[data-testid=download]"), false);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
