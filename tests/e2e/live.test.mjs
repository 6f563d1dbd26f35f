// Live data in the app (issue 13 items 4 and 5), against two loopback replay "nodes" on 127.0.0.1
// built by tests/support/live-node.mjs (which responses are REAL finney captures and which are
// BUILT is listed there), with faults injected (an HTTP 503, a dropped connection, a dropped
// WebSocket):
//  * www/src/lib/live.js in Node: head, metadata, subnets, validators with takes, realized APY,
//    and the pool quote beside the node's own sim_swap;
//  * the app in a browser, live: the stake simulator picks a subnet and a validator, fills the take
//    and dividend share, projects and shows the realized APY; the pools page quotes the live pool
//    and shows that the engine and the node's sim_swap agree;
//  * the app offline: the same views on the embedded real captures, nothing leaving 127.0.0.1;
//  * the verify page's live block (coinbase) and live epoch checks, against BUILT nodes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { prepareApp, startPreview } from "../../scripts/vite-app.mjs";
import { startRpcServer } from "../support/rpc-server.mjs";
import { buildBlockNode, buildEpochNode, buildPoolsNode, buildStakeNode, APY_GOLDEN, HOSTILE } from "../support/live-node.mjs";
import { launch, openWatched } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const shots = path.join(here, "screenshots");
mkdirSync(shots, { recursive: true });
const E = await import(path.join(root, "pkg/node/index.js"));
const live = await import(path.join(root, "www/src/lib/live.js"));
const liveEpoch = await import(path.join(root, "www/src/lib/live-epoch.js"));

// rao → TAO as the pages print it (grouped whole part, up to 9 decimals, trailing zeros dropped).
const fmt = (rao) => {
  const frac = (rao % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${(rao / 1_000_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? "." + frac : ""}`;
};
// The definition of shared/fixtures/returns (restated independently of the engine).
const apyByDefinition = (rows, seconds) => {
  const g = rows.reduce((a, r) => a * (1 + r.alphaDivRaw / r.subnetAlphaStake), 1);
  return ((g ** (31_536_000 / seconds)) - 1) * 100;
};

let nodeA, nodeB, serverA, serverB, app, browser;
before(async () => {
  nodeA = buildStakeNode();
  nodeB = buildPoolsNode();
  serverA = await startRpcServer({ fixtureDir: nodeA.dir });
  serverB = await startRpcServer({ fixtureDir: nodeB.dir });
  assert.deepEqual(serverA.table.conflicts, []);
  assert.deepEqual(serverB.table.conflicts, []);
  await prepareApp();
  app = await startPreview(0);
  browser = await launch({ webgpu: false });
});
after(async () => {
  await browser?.close();
  await app?.close();
  await serverA?.close();
  await serverB?.close();
  nodeA?.close();
  nodeB?.close();
});

test("engine exports: realizedApy reproduces the SN64 golden; metadata keys match the engine's table", () => {
  const g = JSON.parse(readFileSync(APY_GOLDEN, "utf8"));
  const rows = g.fetched_data.map((d) => ({
    alphaDivRaw: d.alpha_div_raw, subnetAlphaStake: d.subnet_alpha_stake, rootStakeTao: d.root_stake_tao,
    taoWeightParam: d.tao_weight_param, inhRootStake: d.inh_root_stake, inhSubnetStake: d.inh_subnet_stake,
  }));
  const r = E.realizedApy(rows, g.actual_interval_seconds, g.no_filters);
  const rel = (a, b) => Math.abs(a - b) / Math.abs(b);
  assert.ok(rel(r.apyPercent, g.results.apy_percent) < 1e-9, `${r.apyPercent} vs ${g.results.apy_percent}`);
  assert.ok(rel(r.periodYield, g.results.period_yield) < 1e-9);
  assert.equal(r.skipped, g.results.skipped);
  assert.throws(() => E.realizedApy(rows, 0), (e) => e.code === "OUT_OF_RANGE");
  assert.throws(() => E.realizedApy([{ alphaDivRaw: "x" }], 1), (e) => e.code === "INVALID_TYPE");

  const meta = "0x" + readFileSync(path.join(root, "tests/fixtures/chain/metadata/finney_spec343_v15.scale")).toString("hex");
  const info = E.metadataInfo(meta);
  assert.equal(info.specVersion, 343);
  assert.ok(info.runtimeApis.includes("SwapRuntimeApi"));
  assert.ok(info.unread.length > 0 && info.unread.length < info.storageItems);
  const [tw, tempo] = E.metadataStorageKeys(meta, [
    { pallet: "SubtensorModule", item: "TaoWeight" }, { pallet: "SubtensorModule", item: "Tempo", keys: ["0x0100"] }]);
  assert.equal(tw, E.storageKey("TaoWeight", []));
  assert.equal(tempo, E.storageKey("Tempo", [1]));
  assert.throws(() => E.metadataStorageKeys(meta, [{ pallet: "SubtensorModule", item: "Tempo", keys: ["0x01"] }]), (e) => e.code === "INVALID_TYPE");
});

test("live.js against node A over HTTP, a 503 retried: head, metadata, subnets, validators, realized APY", async () => {
  serverA.reset();
  const rule = serverA.inject({ kind: "http", status: 503 }, { method: "state_call" });
  const src = live.openLive(serverA.url, { retries: 3, backoff: { baseMs: 10 } });
  try {
    const stamp = await live.fetchHead(src);
    assert.equal(stamp.blockNumber, nodeA.expect.head);
    assert.equal(stamp.blockHash, nodeA.expect.at);
    assert.equal(stamp.specVersion, 343);
    assert.ok(Date.now() - stamp.fetchedAt < 60_000);
    const md = await live.fetchMetadata(src, stamp);
    assert.equal(md.info.specVersion, 343);
    const { subnets } = await live.fetchSubnets(src, stamp);
    const m = nodeA.expect.metagraph;
    assert.deepEqual(subnets.map((s) => [s.netuid, s.name, s.symbol, s.taoIn, s.alphaIn, s.lastStep]),
      [[1, m.name, m.symbol, BigInt(m.tao_in), BigInt(m.alpha_in), m.last_step], [2, HOSTILE.name, HOSTILE.symbol, BigInt(m.tao_in), BigInt(m.alpha_in), m.last_step]]);
    assert.equal(rule.hits, 1, "the 503 was served and retried");
    const view = await live.fetchSubnet(src, stamp, 1);
    assert.equal(view.validators.length, m.validator_permit.filter(Boolean).length);
    const top = view.validators[0];
    assert.equal(top.uid, nodeA.expect.topUid);
    assert.equal(top.takeU16, nodeA.expect.takeU16);
    assert.equal(top.takeIsDefault, false);
    assert.ok(view.validators.slice(1).every((v) => v.takeU16 === 11_796 && v.takeIsDefault));
    const sum = view.validators.reduce((a, v) => a + m.dividends[v.uid], 0);
    assert.equal(top.dividendShare, m.dividends[top.uid] / sum);
    assert.equal(view.hyperparams.tempo, m.tempo);
    const r = await live.fetchRealizedApy(src, stamp, {
      netuid: 1, hotkey: top.hotkey, tempo: view.subnet.tempo, lastStep: view.subnet.lastStep, epochs: nodeA.expect.epochs, metadataHex: md.hex,
    });
    assert.equal(r.fromBlock, nodeA.expect.fromBlock);
    assert.equal(r.intervalMeasured, true);
    assert.equal(r.intervalSeconds, nodeA.expect.intervalSeconds);
    assert.deepEqual(r.epochs.map(({ block, ...e }) => e), nodeA.expect.history);
    assert.ok(Math.abs(r.apyPercent - apyByDefinition(nodeA.expect.history, nodeA.expect.intervalSeconds)) < 1e-9 * r.apyPercent);
    // Offline and wrong-subnet paths are errors, not guesses.
    await assert.rejects(live.fetchSubnet(src, stamp, 7), /NOT_RECORDED|-32050|RPC_ERROR/);
  } finally {
    src.close();
  }
});

test("live.js against node B, a dropped connection retried: the engine's quote equals the node's sim_swap", async () => {
  serverB.reset();
  const rule = serverB.inject({ kind: "drop" }, { method: "state_queryStorageAt" });
  const src = live.openLive(serverB.url, { retries: 3, backoff: { baseMs: 10 } });
  try {
    const stamp = await live.fetchHead(src);
    assert.equal(stamp.specVersion, 475);
    const md = await live.fetchMetadata(src, stamp);
    assert.equal(md.info, null, "node B serves no metadata");
    assert.match(md.error, /RPC_ERROR/);
    const real = nodeB.expect.capture.runtime_api;
    for (const [netuid, amount] of [[1, 1_000_000_000n], [92, 10_000_000_000n], [92, 100_000_000_000n]]) {
      const q = await live.quoteLive(src, stamp, { netuid, order: "buy", amount });
      const want = real.find((c) => c.method === "SwapRuntimeApi_sim_swap_tao_for_alpha" && c.args_hex.startsWith(netuid === 1 ? "0x0100" : "0x5c00") &&
        live.leUint("0x" + c.args_hex.slice(6)) === amount);
      assert.ok(want, "a real result for this trade");
      assert.deepEqual(q.chain, live.decodeSimSwap(want.result));
      assert.deepEqual(q.engine, q.chain);
      assert.equal(q.agree, true);
      // Only real storage (and the two BUILT completions) was read: never a guess.
      for (const k of Object.keys(q.capture.storage)) assert.ok(k in nodeB.expect.capture.storage || nodeB.expect.built.length > 0, k);
    }
    assert.equal(rule.hits, 1, "the dropped connection was served and retried");
  } finally {
    src.close();
  }
});

async function openApp(page, query) {
  const w = await openWatched(browser.context, `${app.url}${page}${query}`);
  await w.page.waitForSelector("footer", { timeout: 30000 });
  return w;
}
// The injected 503 shows in the page's log as a failed resource, and the client's cancelling of
// that response's body as an aborted request to the node; nothing else may.
const unexpected = (problems, node) => problems.filter((p) => !/status of 503|HTTP 503/.test(p) && p !== `request failed: ${node} (net::ERR_ABORTED)`);

test("stake page, live over WebSocket with a dropped socket: pick a validator, project, realized APY", async () => {
  serverA.reset();
  const drop = serverA.inject({ kind: "drop" }, { method: "state_call" });
  const { page, problems } = await openApp("stake.html", `?days=3&paths=2&source=live&endpoint=${encodeURIComponent(serverA.wsUrl)}`);
  try {
    const m = nodeA.expect.metagraph;
    await page.waitForFunction(() => document.querySelector("[data-testid=source-status]")?.textContent.startsWith("Live:"), null, { timeout: 30000 });
    const status = await page.textContent("[data-testid=source-status]");
    assert.match(status, /block 6,852,344, runtime spec 343, \d+ s old/);
    assert.match(await page.textContent("[data-testid=source-third-party]"), /third party/);
    assert.match(await page.textContent("[data-testid=source-metadata]"), /V15: node-subtensor 343/);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=live-validator] option").length > 1, null, { timeout: 30000 });
    assert.equal(drop.hits, 1, "the socket was dropped once");
    assert.ok(serverA.wsConnections >= 2, "and reopened");
    assert.deepEqual(await page.$$eval("[data-testid=live-subnet] option", (o) => o.map((x) => x.textContent)),
      [`SN1 · ${m.name} (${m.symbol})`, `SN2 · ${HOSTILE.name} (${HOSTILE.symbol})`]);
    // On-chain text is text: the markup in SN2's name made no element and ran nothing; picking SN2
    // (whose metagraph the node does not have) is an error on the page, then SN1 works again.
    await page.selectOption("[data-testid=live-subnet]", "2");
    await page.waitForFunction(() => /Could not read SN2/.test(document.querySelector("[data-testid=live-picked]")?.textContent ?? ""), null, { timeout: 30000 });
    assert.ok((await page.textContent("[data-testid=live-picked]")).includes(`SN2 (${HOSTILE.name})`));
    assert.equal(await page.locator("main img, main b").count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.selectOption("[data-testid=live-subnet]", "1");
    await page.waitForFunction(() => /validator\(s\) on SN1/.test(document.querySelector("[data-testid=live-picked]")?.textContent ?? ""), null, { timeout: 30000 });
    // Find the validator by (part of) its hotkey, then pick it.
    const hk = nodeA.expect.hotkey;
    await page.fill("[data-testid=live-filter]", hk.slice(2, 14));
    assert.equal(await page.locator("[data-testid=live-validator] option").count(), 2);
    await page.selectOption("[data-testid=live-validator]", hk);
    const permit = m.validator_permit.map((p, uid) => (p ? uid : -1)).filter((u) => u >= 0);
    const share = m.dividends[nodeA.expect.topUid] / permit.reduce((a, u) => a + m.dividends[u], 0);
    assert.equal(await page.inputValue("[data-testid=in-take]"), ((nodeA.expect.takeU16 / 65535) * 100).toFixed(2));
    assert.equal(await page.inputValue("[data-testid=in-share]"), (share * 100).toFixed(2));
    assert.equal(await page.inputValue("[data-testid=in-netuid]"), "1");
    // The projection ran with the filled inputs, and the realized APY shows beside it.
    await page.waitForFunction(() => /share=/.test(location.search) && document.querySelector("[data-testid=final-p50]"), null, { timeout: 60000 });
    assert.match(page.url(), new RegExp(`take=${((nodeA.expect.takeU16 / 65535) * 100).toFixed(2).replace(".", "\\.")}`));
    await page.waitForSelector("[data-testid=realized-apy]", { timeout: 30000 });
    const want = E.realizedApy(nodeA.expect.history, nodeA.expect.intervalSeconds);
    assert.equal(await page.textContent("[data-testid=realized-apy]"), `${want.apyPercent.toFixed(2)} %`);
    assert.equal(await page.textContent("[data-testid=realized-skipped]"), String(want.skipped));
    assert.ok((await page.textContent("[data-testid=apy]")).endsWith("%"));
    await page.screenshot({ path: path.join(shots, "live-stake.png"), fullPage: true });
    assert.deepEqual(unexpected(problems, serverA.wsUrl), []);
  } finally {
    await page.close();
  }
});

test("pools page, live over HTTP with a 503: the engine's quote beside the node's sim_swap, agreeing", async () => {
  serverB.reset();
  const fault = serverB.inject({ kind: "http", status: 503 }, { method: "state_queryStorageAt" });
  const { page, problems } = await openApp("pools.html", `?netuid=1&amount=1&source=live&endpoint=${encodeURIComponent(serverB.url)}`);
  try {
    await page.waitForFunction(() => /agree/.test(document.querySelector("[data-testid=live-agree]")?.textContent ?? ""), null, { timeout: 30000 });
    assert.equal(await page.textContent("[data-testid=live-agree]"), "The engine and the chain agree, byte for byte.");
    assert.equal(fault.hits, 1);
    const real = live.decodeSimSwap(nodeB.expect.capture.runtime_api.find((c) => c.args_hex === "0x010000ca9a3b00000000").result);
    for (const k of ["taoAmount", "alphaAmount", "taoFee", "alphaFee", "taoSlippage", "alphaSlippage"]) {
      assert.equal(await page.textContent(`[data-testid=chain-${k}]`), fmt(real[k]), k);
      assert.equal(await page.textContent(`[data-testid=engine-${k}]`), fmt(real[k]), k);
    }
    assert.match(await page.textContent("[data-testid=source-status]"), /block 9,240,388, runtime spec 475/);
    assert.match(await page.textContent("[data-testid=source-metadata]"), /not available/);
    await page.screenshot({ path: path.join(shots, "live-pools.png"), fullPage: true });
    assert.deepEqual(unexpected(problems, serverB.url), []);
  } finally {
    await page.close();
  }
});

test("offline: the stake picker and the pool comparison run on the embedded real captures", async () => {
  const { page, problems } = await openApp("stake.html", "?days=3&paths=2&source=offline");
  try {
    assert.match(await page.textContent("[data-testid=source-status]"), /^Offline: embedded real capture, finney block 6,852,344, runtime spec 343/);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=live-validator] option").length > 1, null, { timeout: 30000 });
    const m = nodeA.expect.metagraph;
    assert.equal(await page.locator("[data-testid=live-validator] option").count(), 1 + m.validator_permit.filter(Boolean).length);
    await page.selectOption("[data-testid=live-validator]", nodeA.expect.hotkey);
    assert.equal(await page.inputValue("[data-testid=in-take]"), ((11796 / 65535) * 100).toFixed(2));
    await page.waitForSelector("[data-testid=realized-apy-offline]");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(150);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${overflow}px horizontal overflow at phone width`);
    await page.screenshot({ path: path.join(shots, "live-stake-offline-phone.png"), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
  const pools = await openApp("pools.html", "?netuid=1&amount=1&source=offline");
  try {
    await pools.page.waitForFunction(() => /agree/.test(document.querySelector("[data-testid=live-agree]")?.textContent ?? ""), null, { timeout: 30000 });
    assert.match(await pools.page.textContent("[data-testid=live-quote-status]"), /BUILT \(not captured\): SubtensorModule\.SubnetMechanism\[1\]/);
    await pools.page.fill("[data-testid=amount-input]", "2");
    await pools.page.waitForFunction(() => /No chain result/.test(document.querySelector("[data-testid=live-agree]")?.textContent ?? ""), null, { timeout: 30000 });
    assert.deepEqual(pools.problems, []);
  } finally {
    await pools.page.close();
  }
});

test("verify page: a live block's pool APIs recomputed from its storage equal the node's; offline on the real capture", async () => {
  serverB.reset();
  const { page, problems } = await openApp("verify.html", `?source=live&endpoint=${encodeURIComponent(serverB.url)}`);
  try {
    await page.waitForFunction(() => document.querySelector("[data-testid=source-status]")?.textContent.startsWith("Live:"), null, { timeout: 30000 });
    await page.fill("[data-testid=vl-netuids]", "1, 92");
    await page.click("[data-testid=vl-run]");
    await page.waitForFunction(() => /equal/.test(document.querySelector("[data-testid=vl-verdict]")?.textContent ?? ""), null, { timeout: 30000 });
    // SN1: price and the 1-TAO buy were captured; SN92: the price (its 1-TAO buy was not: the node says so).
    assert.equal(await page.textContent("[data-testid=vl-verdict]"), "3 equal, 0 mismatched, 1 without a node answer");
    assert.deepEqual(await page.$$eval("[data-testid=vl-equal]", (t) => t.map((x) => x.textContent)), ["yes", "yes", "yes", "—"]);
    assert.deepEqual(unexpected(problems, serverB.url), []);
  } finally {
    await page.close();
  }
  const off = await openApp("verify.html", "?source=offline");
  try {
    await off.page.fill("[data-testid=vl-netuids]", "1,92");
    await off.page.click("[data-testid=vl-run]");
    await off.page.waitForFunction(() => /equal/.test(document.querySelector("[data-testid=vl-verdict]")?.textContent ?? ""), null, { timeout: 30000 });
    assert.equal(await off.page.textContent("[data-testid=vl-verdict]"), "3 equal, 0 mismatched, 1 without a node answer");
    assert.match(await off.page.textContent("[data-testid=vl-status]"), /block 9,240,388, runtime spec 475; BUILT \(not captured\): SubtensorModule\.SubnetMechanism\[1\]/);
    assert.deepEqual(off.problems, []);
  } finally {
    await off.page.close();
  }
});

test("verify page: a block's coinbase replayed from a node equals the block's storage; a tampered value is a mismatch; offline on the BUILT pair", async () => {
  const pair = { parent: JSON.parse(readFileSync(path.join(root, "data/replay/block_spec473_parent.json"), "utf8")),
    child: JSON.parse(readFileSync(path.join(root, "data/replay/block_spec473_child.json"), "utf8")) };
  const ref = E.replayBlock(pair.parent, pair.child);
  assert.ok(ref.items.length > 0 && ref.items.every((i) => i.equal) && ref.missing.length === 0, "the BUILT pair replays to itself");
  const target = ref.items.find((i) => i.expected !== null);
  const nodeC = buildBlockNode();
  const nodeD = buildBlockNode({ tamper: target.key });
  const serverC = await startRpcServer({ fixtureDir: nodeC.dir });
  const serverD = await startRpcServer({ fixtureDir: nodeD.dir });
  try {
    assert.deepEqual(serverC.table.conflicts, []);
    const run = async (server) => {
      const { page, problems } = await openApp("verify.html", `?source=live&endpoint=${encodeURIComponent(server.url)}`);
      try {
        await page.waitForFunction(() => document.querySelector("[data-testid=source-status]")?.textContent.startsWith("Live:"), null, { timeout: 30000 });
        await page.click("[data-testid=vl-block-run]");
        await page.waitForFunction(() => /equal/.test(document.querySelector("[data-testid=vl-block-verdict]")?.textContent ?? ""), null, { timeout: 60000 });
        const out = { verdict: await page.textContent("[data-testid=vl-block-verdict]"), status: await page.textContent("[data-testid=vl-block-status]"),
          rows: await page.$$eval("[data-testid=vl-block-row]", (r) => r.map((x) => [...x.children].map((c) => c.textContent))) };
        assert.deepEqual(unexpected(problems, server.url), []);
        return out;
      } finally {
        await page.close();
      }
    };
    const good = await run(serverC);
    assert.equal(good.verdict, `${ref.items.length} equal, 0 mismatched, 0 missing`);
    assert.match(good.status, /^Block 9,221,720 from its parent under runtime 473: \d+ storage items read/);
    const bad = await run(serverD);
    assert.equal(bad.verdict, `${ref.items.length - 1} equal, 1 mismatched, 0 missing`);
    assert.deepEqual(bad.rows[0].slice(0, 2), [`${target.item}${target.args}`, "mismatch"]);
    assert.match(bad.rows[0][2], new RegExp(`chain ${nodeD.expect.tampered.chain} · engine ${target.expected}`));
  } finally {
    await serverC.close();
    await serverD.close();
    nodeC.close();
    nodeD.close();
  }
  const off = await openApp("verify.html", "?source=offline");
  try {
    await off.page.click("[data-testid=vl-block-run]");
    await off.page.waitForFunction(() => /equal/.test(document.querySelector("[data-testid=vl-block-verdict]")?.textContent ?? ""), null, { timeout: 30000 });
    assert.equal(await off.page.textContent("[data-testid=vl-block-verdict]"), `${ref.items.length} equal, 0 mismatched, 0 missing`);
    assert.match(await off.page.textContent("[data-testid=vl-block-status]"), /BUILT block pair/);
    assert.deepEqual(off.problems, []);
  } finally {
    await off.page.close();
  }
});

test("verify page: a subnet's last epoch read from a node equals the epoch block's storage; a tampered output is a mismatch; offline on the BUILT pair", async () => {
  const nodeE = buildEpochNode();
  const parent = nodeE.expect.parent;
  const child = nodeE.expect.child;
  const cap = new E.Capture(parent);
  const ref = cap.epoch(1, child);
  cap.free();
  // The reference: every output but Emission (its rao are not stored on chain) compared and equal.
  assert.ok(ref.items.length > 8 && ref.items.every((i) => i.equal), "the BUILT pair replays to the scenario's outputs");
  assert.deepEqual(ref.missing.map((m) => m.item), ["SubtensorModule.Emission"]);
  const target = ref.items.find((i) => i.item === "SubtensorModule.Dividends");
  const nodeF = buildEpochNode({ tamper: target.key });
  const serverE = await startRpcServer({ fixtureDir: nodeE.dir });
  const serverF = await startRpcServer({ fixtureDir: nodeF.dir });
  try {
    assert.deepEqual(serverE.table.conflicts, []);
    // In Node, with a dropped connection retried: exactly the keys the engine names are read.
    const drop = serverE.inject({ kind: "drop" }, { method: "state_queryStorageAt" });
    const src = live.openLive(serverE.url, { retries: 3, backoff: { baseMs: 10 } });
    try {
      const stamp = await live.fetchHead(src);
      assert.equal(stamp.blockNumber, nodeE.expect.head);
      const out = await liveEpoch.replayLiveEpoch(src, stamp, 1);
      assert.equal(out.epochBlock, nodeE.expect.epochBlock);
      assert.deepEqual(out.report, ref);
      assert.deepEqual(Object.keys(out.parent.storage).sort(), Object.keys(parent.storage).sort());
      assert.equal(drop.hits, 1);
      await assert.rejects(liveEpoch.replayLiveEpoch(src, stamp, 2), /NOT_RECORDED|-32050|RPC_ERROR|no epoch/);
    } finally {
      src.close();
    }
    serverE.reset();
    const run = async (server) => {
      const { page, problems } = await openApp("verify.html", `?source=live&endpoint=${encodeURIComponent(server.url)}`);
      try {
        await page.waitForFunction(() => document.querySelector("[data-testid=source-status]")?.textContent.startsWith("Live:"), null, { timeout: 30000 });
        await page.fill("[data-testid=vl-epoch-netuid]", "1");
        await page.click("[data-testid=vl-epoch-run]");
        await page.waitForFunction(() => /equal/.test(document.querySelector("[data-testid=vl-epoch-verdict]")?.textContent ?? ""), null, { timeout: 60000 });
        const out = { verdict: await page.textContent("[data-testid=vl-epoch-verdict]"), status: await page.textContent("[data-testid=vl-epoch-status]"),
          rows: await page.$$eval("[data-testid=vl-epoch-row]", (r) => r.map((x) => [...x.children].map((c) => c.textContent))) };
        if (server === serverE) await page.screenshot({ path: path.join(shots, "live-verify-epoch.png"), fullPage: true });
        assert.deepEqual(unexpected(problems, server.url), []);
        return out;
      } finally {
        await page.close();
      }
    };
    const good = await run(serverE);
    assert.equal(good.verdict, `${ref.items.length} equal, 0 mismatched, 1 missing`);
    assert.match(good.status, new RegExp(`^SN1's epoch at block 5,003 \\(2 blocks before the head\\), ${ref.uids} uids, from its parent under runtime 425: \\d+ storage items read · Live: block 5,005, runtime spec 425`));
    assert.deepEqual(good.rows[0].slice(0, 2), ["SubtensorModule.Emission[1]", "missing"]);
    const bad = await run(serverF);
    assert.equal(bad.verdict, `${ref.items.length - 1} equal, 1 mismatched, 1 missing`);
    assert.deepEqual(bad.rows[0].slice(0, 2), [`${target.item}${target.args}`, "mismatch"]);
    assert.equal(bad.rows[0][2], `chain ${nodeF.expect.tampered.chain} · engine ${target.expected}`);
  } finally {
    await serverE.close();
    await serverF.close();
    nodeE.close();
    nodeF.close();
  }
  const off = await openApp("verify.html", "?source=offline");
  try {
    await off.page.click("[data-testid=vl-epoch-run]");
    await off.page.waitForFunction(() => /equal/.test(document.querySelector("[data-testid=vl-epoch-verdict]")?.textContent ?? ""), null, { timeout: 30000 });
    // Offline the scenario's stated emission is known, so Emission is compared too.
    assert.equal(await off.page.textContent("[data-testid=vl-epoch-verdict]"), `${ref.items.length + 1} equal, 0 mismatched, 0 missing`);
    assert.match(await off.page.textContent("[data-testid=vl-epoch-status]"), /BUILT epoch pair/);
    assert.deepEqual(off.problems, []);
  } finally {
    await off.page.close();
  }
});
