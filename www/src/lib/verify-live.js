// The verify page's live-block check: at the head block of a node, the engine reads the pools'
// raw storage, recomputes what the runtime's own `SwapRuntimeApi_current_alpha_price` and
// `_sim_swap_tao_for_alpha` return for the subnets asked, and compares byte for byte with the
// node's answers (`replayCheck`). Offline it checks the embedded real capture of block 9,240,388.
//
// A second card replays the block's coinbase from its parent (`scripts/replay block` in the
// browser, `replayLiveBlock`): every item the coinbase writes, computed by the engine and compared
// with the block's storage. Offline it replays the embedded BUILT pair.
//
// A third card verifies a subnet's last epoch (`scripts/replay epoch` in the browser,
// `replayLiveEpoch`): the epoch block is the subnet's `LastMechansimStepBlock` at the head, the
// engine runs the epoch on its parent's storage and compares every output with the block's
// storage. Offline it runs on the embedded BUILT pair made from the chain's own epoch scenario.
// Mounted with one call:
//
//   mountVerifyLive(container);
import * as engine from "tao-engine/full";
import { card, el } from "./dom.js";
import { errorText, formatTao, parseTao } from "./format.js";
import { mountSourcePanel, stampText } from "./source-panel.js";
import { readPoolCapture, replayLiveBlock, u16le, u64le } from "./live.js";
import { embeddedBlockPair, embeddedEpochPair, embeddedPoolCapture } from "./live-offline.js";
import { epochReport, replayLiveEpoch } from "./live-epoch.js";

function parseNetuids(textValue) {
  const list = textValue.split(/[\s,]+/).filter(Boolean).map((t) => Number(t));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 0 || n > 65535)) throw new Error("netuids: whole numbers 0 to 65535, comma separated");
  return [...new Set(list)].slice(0, 16);
}

/** Mount the live-block card (with its data-source control) under `parent`. */
export function mountVerifyLive(parent) {
  const netuids = el("input", { id: "vl-netuids", value: "1", dataset: { testid: "vl-netuids" } });
  const amount = el("input", { id: "vl-amount", value: "1", inputmode: "decimal", dataset: { testid: "vl-amount" } });
  const go = el("button", { type: "button", class: "primary", dataset: { testid: "vl-run" } }, "Check this block");
  const status = el("p", { class: "muted", role: "status", dataset: { testid: "vl-status" } });
  const table = el("table", { dataset: { testid: "vl-table" } });
  const verdict = el("p", { dataset: { testid: "vl-verdict" } });
  const blockGo = el("button", { type: "button", class: "primary", dataset: { testid: "vl-block-run" } }, "Replay this block's coinbase");
  const blockStatus = el("p", { class: "muted", role: "status", dataset: { testid: "vl-block-status" } });
  const blockTable = el("table", { dataset: { testid: "vl-block-table" } });
  const blockVerdict = el("p", { dataset: { testid: "vl-block-verdict" } });
  const box = el("div", { class: "live-verify" });
  parent.append(box);
  let state = null;
  let run = 0;
  mountSourcePanel(box, { onSource: (s) => { state = s; table.replaceChildren(); verdict.textContent = ""; status.textContent = ""; }, title: "Data source (live block)" });
  box.append(card("Verify a live block: the chain's pool APIs",
    "For each subnet: the alpha price and a stake quote, recomputed by the engine from the block's raw storage and compared " +
    "byte for byte with what the node's runtime returns at the same block.",
    el("div", { class: "row" }, el("label", { for: "vl-netuids" }, "Subnets (netuids)", netuids),
      el("label", { for: "vl-amount" }, "Stake (TAO)", amount), go),
    status, el("div", { class: "scroll" }, table), verdict));
  box.append(card("Verify a live block: its emission (the coinbase)",
    "The engine runs the block's coinbase from its parent's storage under the parent's runtime rules — subnet shares, the " +
    "emission gate, injection, reservoirs, chain buys, pending buckets, moving prices — and compares every item the coinbase " +
    "writes with the block's storage. It reads only what it names as missing. Extrinsics in the block (stakes, swaps, fees) " +
    "write the same items and show as mismatches. An epoch due at the block is run from the parent's storage and its " +
    "writes (incentive, dividends, bonds, …) are compared; the payout of its emission to hotkeys is listed as missing, not replayed.",
    blockGo, blockStatus, blockVerdict, el("div", { class: "scroll" }, blockTable)));
  const epochNetuid = el("input", { id: "vl-epoch-netuid", value: "1", inputmode: "numeric", dataset: { testid: "vl-epoch-netuid" } });
  const epochGo = el("button", { type: "button", class: "primary", dataset: { testid: "vl-epoch-run" } }, "Verify its last epoch");
  const epochStatus = el("p", { class: "muted", role: "status", dataset: { testid: "vl-epoch-status" } });
  const epochTable = el("table", { dataset: { testid: "vl-epoch-table" } });
  const epochVerdict = el("p", { dataset: { testid: "vl-epoch-verdict" } });
  box.append(card("Verify a live epoch",
    "For one subnet: its last epoch block (LastMechansimStepBlock at the head), the engine's epoch run on the storage of " +
    "that block's parent under its runtime's rules, and every output the epoch writes — incentive, dividends, consensus, " +
    "validator trust, stake weight, active, validator permits, bonds — compared with the block's storage. It reads only " +
    "what it names as missing. The epoch's emission in rao is not stored on chain, so Emission is listed as missing.",
    el("div", { class: "row" }, el("label", { for: "vl-epoch-netuid" }, "Subnet (netuid)", epochNetuid), epochGo),
    epochStatus, epochVerdict, el("div", { class: "scroll" }, epochTable)));

  async function check() {
    const s = state;
    if (!s) return;
    const mine = ++run;
    table.replaceChildren();
    verdict.textContent = "";
    let list;
    let amt;
    try {
      list = parseNetuids(netuids.value);
      amt = parseTao(amount.value);
      if (amt === 0n) throw new Error("stake: more than 0");
    } catch (e) {
      status.textContent = e.message;
      return;
    }
    const calls = list.flatMap((n) => [
      { netuid: n, method: "SwapRuntimeApi_current_alpha_price", args_hex: `0x${u16le(n)}` },
      { netuid: n, method: "SwapRuntimeApi_sim_swap_tao_for_alpha", args_hex: `0x${u16le(n)}${u64le(amt)}` },
    ]);
    let cap;
    let results;
    let built = [];
    try {
      if (s.mode === "live") {
        status.textContent = `Reading the pools at block ${s.stamp.blockNumber.toLocaleString("en-US")}…`;
        cap = null;
        for (const n of list) cap = await readPoolCapture(s.src, s.stamp, n, { capture: cap ?? undefined });
        results = await Promise.all(calls.map((c) => s.src.client.stateCall(c.method, c.args_hex, s.stamp.blockHash).then((r) => r, (e) => ({ error: errorText(e) }))));
        if (mine !== run || state !== s) return;
      } else {
        ({ cap, built } = embeddedPoolCapture(list));
        results = calls.map((c) => cap.runtime_api.find((r) => r.method === c.method && r.args_hex === c.args_hex)?.result ?? { error: "not in the embedded capture" });
      }
    } catch (e) {
      if (mine === run) status.textContent = `Could not read the block: ${errorText(e)}`;
      return;
    }
    const rows = calls.map((c, i) => ({ ...c, result: results[i] }));
    const answered = rows.filter((r) => typeof r.result === "string");
    // replayCheck answers in the order of the capture's runtime_api: answered[j] ↔ checks[j].
    const checks = answered.length ? engine.replayCheck({ ...cap, runtime_api: answered.map(({ method, args_hex, result }) => ({ method, args_hex, result })) }) : [];
    table.replaceChildren(
      el("thead", {}, el("tr", {}, ["Subnet", "Runtime API", "Node", "Engine", "Equal"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.map((r) => {
        const k = checks[answered.indexOf(r)] ?? null;
        return el("tr", { dataset: { testid: "vl-row" } }, el("td", {}, `SN${r.netuid}`),
          el("td", {}, r.method.replace("SwapRuntimeApi_", "")),
          el("td", { class: "mono" }, typeof r.result === "string" ? r.result : r.result.error),
          el("td", { class: "mono" }, k ? (k.error ?? k.actual) : "—"),
          el("td", { class: k ? (k.equal ? "ok" : "bad") : "muted", dataset: { testid: "vl-equal" } }, k ? (k.equal ? "yes" : "NO") : "—"));
      })));
    const equal = checks.filter((k) => k.equal).length;
    const bad = checks.length - equal;
    const missing = calls.length - checks.length;
    verdict.className = bad ? "bad" : equal ? "ok" : "muted";
    verdict.textContent = `${equal} equal, ${bad} mismatched, ${missing} without a node answer`;
    status.textContent = s.mode === "live"
      ? `${Object.keys(cap.storage).length} storage values read · ${stampText(s.stamp)}`
      : `Offline: embedded real capture, finney block ${cap.block.toLocaleString("en-US")}, runtime spec ${cap.spec_version}; BUILT (not captured): ${built.join(", ") || "nothing"}; stake ${formatTao(amt)} TAO.`;
  }

  let blockRun = 0;
  async function replayBlockCard() {
    const s = state;
    if (!s) return;
    const mine = ++blockRun;
    blockTable.replaceChildren();
    blockVerdict.textContent = "";
    /** @type {any} */
    let out;
    try {
      if (s.mode === "live") {
        blockStatus.textContent = `Replaying block ${s.stamp.blockNumber.toLocaleString("en-US")} from its parent…`;
        out = await replayLiveBlock(s.src, s.stamp, {
          onProgress: (p) => { if (mine === blockRun) blockStatus.textContent = `Reading what the engine needs… ${p.read} storage items (round ${p.round})`; },
        });
      } else {
        const pair = embeddedBlockPair();
        out = { ...pair, report: engine.replayBlock(pair.parent, pair.child) };
      }
    } catch (e) {
      if (mine === blockRun) blockStatus.textContent = `Could not replay the block: ${errorText(e)}`;
      return;
    }
    if (mine !== blockRun || state !== s) return;
    const r = out.report;
    const equal = r.items.filter((i) => i.equal).length;
    const bad = r.items.length - equal;
    blockVerdict.className = bad ? "bad" : equal ? "ok" : "muted";
    blockVerdict.textContent = `${equal} equal, ${bad} mismatched, ${r.missing.length} missing`;
    blockTable.replaceChildren(...reportRows(r, "vl-block-row"));
    const rules = `runtime ${r.specVersion}${r.approximate ? " (approximate: nearest known rules)" : ""}`;
    blockStatus.textContent = s.mode === "live"
      ? `Block ${r.block.toLocaleString("en-US")} from its parent under ${rules}: ${out.read} storage items read · ${stampText(s.stamp)}`
      : `Offline: the embedded BUILT block pair (the engine's own state at spec ${r.specVersion}, stepped one block; not a finney capture), block ${r.block.toLocaleString("en-US")}, ${rules}.`;
  }

  /** One report (block or epoch) as rows: mismatches first, then missing, then equal. */
  function reportRows(r, testid) {
    const rows = [
      ...r.items.filter((i) => !i.equal).map((i) => [`${i.item}${i.args}`, "mismatch", `chain ${i.expected ?? "absent"} · engine ${i.actual ?? "absent"}`]),
      ...r.missing.map((m) => [`${m.item}${m.args}`, "missing", m.needs.join("; ")]),
      ...r.items.filter((i) => i.equal).map((i) => [`${i.item}${i.args}`, "equal", i.expected ?? "absent"]),
    ].slice(0, 200);
    return [
      el("thead", {}, el("tr", {}, ["Item", "Result", "Detail"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.map(([item, what, detail]) => el("tr", { dataset: { testid } },
        el("td", { class: "mono" }, item), el("td", { class: what === "equal" ? "ok" : what === "mismatch" ? "bad" : "muted" }, what),
        el("td", { class: "mono" }, detail)))),
    ];
  }

  let epochRun = 0;
  async function replayEpochCard() {
    const s = state;
    if (!s) return;
    const mine = ++epochRun;
    epochTable.replaceChildren();
    epochVerdict.textContent = "";
    const netuid = Number(epochNetuid.value.trim());
    if (!Number.isInteger(netuid) || netuid < 0 || netuid > 4095) {
      epochStatus.textContent = "netuid: a whole number 0 to 4095";
      return;
    }
    /** @type {any} */
    let out;
    try {
      if (s.mode === "live") {
        epochStatus.textContent = `Finding SN${netuid}'s last epoch before block ${s.stamp.blockNumber.toLocaleString("en-US")}…`;
        out = await replayLiveEpoch(s.src, s.stamp, netuid, {
          onProgress: (p) => { if (mine === epochRun) epochStatus.textContent = `Reading what the engine needs… ${p.read} storage items (round ${p.round})`; },
        });
      } else {
        const pair = embeddedEpochPair();
        if (netuid !== pair.netuid) throw new Error(`the embedded epoch pair holds SN${pair.netuid} only`);
        out = { ...pair, report: epochReport(pair.parent, netuid, pair.child, { emission: pair.emission }) };
      }
    } catch (e) {
      if (mine === epochRun) epochStatus.textContent = `Could not verify the epoch: ${errorText(e)}`;
      return;
    }
    if (mine !== epochRun || state !== s) return;
    const r = out.report;
    const equal = r.items.filter((i) => i.equal).length;
    const bad = r.items.length - equal;
    epochVerdict.className = bad ? "bad" : equal ? "ok" : "muted";
    epochVerdict.textContent = `${equal} equal, ${bad} mismatched, ${r.missing.length} missing`;
    epochTable.replaceChildren(...reportRows(r, "vl-epoch-row"));
    const rules = `runtime ${r.specVersion}${r.approximate ? " (approximate: nearest known rules)" : ""}`;
    epochStatus.textContent = s.mode === "live"
      ? `SN${netuid}'s epoch at block ${r.block.toLocaleString("en-US")} (${(s.stamp.blockNumber - r.block).toLocaleString("en-US")} blocks before the head), ${r.uids} uids, from its parent under ${rules}: ${out.read} storage items read · ${stampText(s.stamp)}`
      : `Offline: the embedded BUILT epoch pair (the chain's own epoch scenario ${out.scenario} written as storage; not a finney capture), SN${netuid}'s epoch at block ${r.block.toLocaleString("en-US")}, ${r.uids} uids, ${rules}.`;
  }

  go.addEventListener("click", () => void check());
  epochGo.addEventListener("click", () => void replayEpochCard());
  blockGo.addEventListener("click", () => void replayBlockCard());
}
