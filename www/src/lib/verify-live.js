// The verify page's live-block check: at the head block of a node, the engine reads the pools'
// raw storage, recomputes what the runtime's own `SwapRuntimeApi_current_alpha_price` and
// `_sim_swap_tao_for_alpha` return for the subnets asked, and compares byte for byte with the
// node's answers (`replayCheck`). Offline it checks the embedded real capture of block 9,240,388.
//
// A block's emission (`scripts/replay block`) is not exported to the package yet: the card says
// so instead of guessing, and uses `replayBlock` once a build has it. Mounted with one call:
//
//   mountVerifyLive(container);
import * as engine from "tao-engine";
import { card, el, formatTao, parseTao } from "./dom.js";
import { mountSourcePanel, stampText } from "./source-panel.js";
import { errorText, readPoolCapture, u16le, u64le } from "./live.js";
import { embeddedPoolCapture } from "./live-offline.js";

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
  const emission = el("p", { class: "muted", dataset: { testid: "vl-emission" } },
    typeof engine.replayBlock === "function"
      ? "Block emission replay is in this build (replayBlock); the page does not drive it yet: use scripts/replay block."
      : "Block emission (the coinbase of a block, scripts/replay block) is not in this package build yet; only the pool " +
        "APIs below are checked against the live block.");
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
    status, el("div", { class: "scroll" }, table), verdict, emission));

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

  go.addEventListener("click", () => void check());
}
