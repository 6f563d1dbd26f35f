// The pools page's chain quote: the same trade quoted by the engine on the pool's storage as the
// node has it, beside the node's own `SwapRuntimeApi_sim_swap_*` result at the same block, and
// whether the two agree byte for byte. Mounted with one call:
//
//   mountPoolsLive(container, { amount, order, netuid });   // the page's inputs (amount in TAO/alpha)
//
// Offline it quotes the embedded REAL capture of finney block 9,240,388 (spec 475, balancer
// pools of SN1 and SN92; data/replay/real), whose chain results were captured for three
// trades. That capture lacks two items (`SubnetMechanism`, `PalSwapInitialized`); they are
// completed with the BUILT assumption that both subnets are dynamic and their pools initialised,
// as tests/replay_cli.rs does, and the page says so.
import { replayCheck, replayQuote } from "tao-engine/full";
import { card, el } from "./dom.js";
import { errorText, formatTao, parseTao } from "./format.js";
import { mountSourcePanel, stampText } from "./source-panel.js";
import { SWAP_METHOD, decodeSimSwap, leUint, quoteLive, u16le, u64le } from "./live.js";
import { embeddedPoolCapture } from "./live-offline.js";

const FIELDS = [["taoAmount", "TAO amount"], ["alphaAmount", "alpha amount"], ["taoFee", "TAO fee"], ["alphaFee", "alpha fee"],
  ["taoSlippage", "TAO slippage"], ["alphaSlippage", "alpha slippage"]];

/** Mount the chain-quote card (with its data-source control) under `parent`. */
export function mountPoolsLive(parent, { amount, order, netuid: initialNetuid = 1 }) {
  const netuid = el("input", { id: "live-netuid", value: String(initialNetuid), inputmode: "numeric", dataset: { testid: "live-netuid" } });
  const go = el("button", { type: "button", dataset: { testid: "live-quote" } }, "Quote on the chain's pool");
  const status = el("p", { class: "muted", role: "status", dataset: { testid: "live-quote-status" } });
  const table = el("table", { dataset: { testid: "live-quote-table" } });
  const verdict = el("p", { dataset: { testid: "live-agree" } });
  const box = el("div", { class: "live-pools" });
  parent.append(box);
  let state = null;
  let run = 0;
  // Deferred: the page sets its inputs from the query string after mounting this card.
  const panel = mountSourcePanel(box, { onSource: (s) => { state = s; setTimeout(() => void quote(), 0); }, title: "Data source (pool state)" });
  box.append(card("The chain's own quote",
    "The engine quotes the pool from its raw storage at one block; the node's SwapRuntimeApi_sim_swap_* answers the same trade " +
    "at the same block. The two should agree to the last rao.",
    el("div", { class: "row" }, el("label", { for: "live-netuid" }, "Subnet (netuid)", netuid), go), status,
    el("div", { class: "scroll" }, table), verdict));

  function render(engine, chain, agree) {
    table.replaceChildren(
      el("thead", {}, el("tr", {}, el("th", {}, "SimSwapResult field"), el("th", {}, "engine"), el("th", {}, "chain (node)"))),
      el("tbody", {}, FIELDS.map(([k, label]) => el("tr", {}, el("td", {}, label),
        el("td", { dataset: { testid: `engine-${k}` } }, formatTao(BigInt(engine[k]))),
        el("td", { dataset: { testid: `chain-${k}` } }, chain ? formatTao(BigInt(chain[k])) : "—")))));
    verdict.className = agree === true ? "ok" : agree === false ? "bad" : "muted";
    verdict.textContent = agree === true ? "The engine and the chain agree, byte for byte."
      : agree === false ? "The engine and the chain DIFFER (see the table)." : "No chain result to compare with.";
  }

  async function quote() {
    const s = state;
    if (!s) return;
    const mine = ++run;
    table.replaceChildren();
    verdict.textContent = "";
    let n;
    let amt;
    try {
      n = Number.parseInt(netuid.value, 10);
      if (!(n >= 0 && n <= 65535)) throw new Error("netuid: 0 to 65535");
      amt = parseTao(amount.value);
      if (amt === 0n) throw new Error("amount: more than 0");
    } catch (e) {
      status.textContent = e.message;
      return;
    }
    const side = order.value === "sell" ? "sell" : "buy";
    if (s.mode === "live") {
      status.textContent = `Reading SN${n}'s pool at block ${s.stamp.blockNumber.toLocaleString("en-US")}…`;
      try {
        const r = await quoteLive(s.src, s.stamp, { netuid: n, order: side, amount: amt });
        if (mine !== run || state !== s) return;
        status.textContent = `SN${n}, ${side === "buy" ? "stake" : "unstake"} ${formatTao(amt)} ${side === "buy" ? "TAO" : "α"} · ` +
          `${Object.keys(r.capture.storage).length} storage values read · ${stampText(s.stamp)}` +
          (r.chainError ? ` · the node's sim_swap failed: ${r.chainError}` : "");
        render(r.engine, r.chain, r.agree);
      } catch (e) {
        if (mine === run) status.textContent = `Could not quote SN${n}: ${errorText(e)}`;
      }
      return;
    }
    try {
      const { cap, built } = embeddedPoolCapture([n]);
      const engine = replayQuote(cap, n, side, amt);
      const args = `0x${u16le(n)}${u64le(amt)}`;
      const hit = cap.runtime_api.find((c) => c.method === SWAP_METHOD[side] && c.args_hex === args);
      let chain = null;
      let agree = null;
      if (hit) {
        chain = decodeSimSwap(hit.result);
        const check = replayCheck({ ...cap, runtime_api: [hit] });
        agree = check.length === 1 && check[0].equal === true;
      }
      const captured = cap.runtime_api.filter((c) => c.method.startsWith("SwapRuntimeApi_sim_swap"))
        .map((c) => `SN${Number(leUint(c.args_hex.slice(0, 6)))} stake ${formatTao(/** @type {bigint} */ (leUint(`0x${c.args_hex.slice(6)}`)))} TAO`);
      status.textContent = `Offline: embedded real capture, finney block ${cap.block.toLocaleString("en-US")}, runtime spec ${cap.spec_version}. ` +
        `BUILT (not captured): ${built.join(", ") || "nothing"}. The chain's own result was captured for: ${captured.join("; ")}.`;
      render(engine, chain, agree);
    } catch (e) {
      status.textContent = `Offline: ${errorText(e)}`;
    }
  }

  let debounce = null;
  const later = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void quote(), 300);
  };
  go.addEventListener("click", () => void quote());
  netuid.addEventListener("input", later);
  amount.addEventListener("input", later);
  order.addEventListener("change", later);
  return panel;
}
