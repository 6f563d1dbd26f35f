// Verify on-chain (verify.html and <tao-verify>): re-run a subnet's epoch from chain data (a
// snapshot: storage at the parent of the epoch block plus the outputs persisted at it) and compare
// every output with the chain's. Sources: the embedded snapshots (offline), a snapshot file, or a
// node the user names (nothing is contacted unless the user types an endpoint and presses Fetch).
// On-chain text is textContent only. Side-effect free: `mount(root, ctx)` draws into root. State:
// ?snapshot= (an embedded snapshot's id). Property `snapshotData` (snapshot JSON, text or object) is
// verified instead. Events: `load` { label, netuid, block, rerunnable } and `verify` { verdict,
// netuid, block, n, mismatched, firstDifference } after a re-run.
import { snapshotNew, snapshotPlan, snapshotInsert, loadSnapshot, verifySnapshot, normaliseWeights, checkReveal } from "tao-engine/full";
import { createRpcClient } from "tao-engine/rpc";
import { card, el } from "../lib/dom.js";
import { EMBEDDED, embeddedText } from "../verify/data.js";
import { diffTable, metagraphTable, summaryTable, traceList, weightRows } from "../verify/tables.js";
import { mountVerifyLive } from "../lib/verify-live.js";
import { timelockCard } from "../verify/timelock.js";
import { errorText } from "../lib/format.js";

export const page = {
  title: "Verify on-chain",
  lead: "Take everything one subnet epoch reads — storage at the parent of the epoch block — re-run the epoch with the " +
    "engine's bit-exact Yuma consensus, and compare every output the chain persisted at that block: incentive, dividends, " +
    "consensus, validator trust, stake weight, emission, active, validator permits and bonds.",
};

/** Draw the verifier into `main`; ctx: { params, props, emit, setState } (see lib/embed/element.js). */
export function mount(main, ctx) {
  const params = ctx.params;

  const status = el("p", { class: "muted", dataset: { testid: "verify-status" }, "aria-live": "polite" });
  const results = el("div", { dataset: { testid: "verify-results" } });

  // --- sources -------------------------------------------------------------------------------
  const select = el("select", { id: "embedded", dataset: { testid: "embedded-select" } },
    EMBEDDED.map((e) => el("option", { value: e.id }, e.label)));
  const wanted = params.get("snapshot");
  if (wanted && EMBEDDED.some((e) => e.id === wanted)) select.value = wanted;
  select.addEventListener("change", () => {
    ctx.setState({ snapshot: select.value });
    show(embeddedText(select.value), EMBEDDED.find((e) => e.id === select.value)?.label);
  });

  const file = el("input", { type: "file", id: "snapshot-file", accept: ".json,application/json", dataset: { testid: "snapshot-file" } });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (f) show(await f.text(), `file ${f.name}`);
  });

  const endpoint = el("input", { id: "endpoint", type: "url", placeholder: "wss://your-archive-node:443", autocomplete: "off", dataset: { testid: "endpoint" } });
  const netuid = el("input", { id: "netuid", type: "number", min: "1", max: "65535", value: "1", dataset: { testid: "netuid" } });
  const block = el("input", { id: "block", type: "number", min: "1", placeholder: "epoch block", dataset: { testid: "block" } });
  const progress = el("progress", { max: "1", value: "0", hidden: true, dataset: { testid: "fetch-progress" } });
  const fetchStatus = el("p", { class: "muted", dataset: { testid: "fetch-status" } });
  let abort = null;
  const cancel = el("button", { type: "button", disabled: true, onclick: () => abort?.abort() }, "Cancel");
  const fetchBtn = el("button", { type: "button", dataset: { testid: "fetch" }, onclick: () => fetchLive() }, "Fetch & verify");
  let lastSnapshot = null;
  const download = el("button", { type: "button", disabled: true, dataset: { testid: "download" }, onclick: () => {
    if (!lastSnapshot) return;
    const url = URL.createObjectURL(new Blob([lastSnapshot.text], { type: "application/json" }));
    el("a", { href: url, download: lastSnapshot.name }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } }, "Download snapshot");

  main.append(card("Data", "Pick an embedded snapshot (works offline), load a snapshot file, or fetch one from a node you trust.",
    el("div", { class: "verify-sources" },
      el("div", {}, el("label", { for: "embedded" }, "Embedded snapshot"), select),
      el("div", {}, el("label", { for: "snapshot-file" }, "Snapshot file (.json)"), file),
      el("fieldset", { class: "verify-fetch" },
        el("legend", {}, "Fetch from a node"),
        el("label", { for: "endpoint" }, "Endpoint (ws://, wss://, http:// or https://; an archive node for old blocks)"), endpoint,
        el("div", { class: "verify-row" },
          el("div", {}, el("label", { for: "netuid" }, "Netuid"), netuid),
          el("div", {}, el("label", { for: "block" }, "Epoch block"), block)),
        el("div", { class: "verify-row" }, fetchBtn, cancel, download),
        progress, fetchStatus)),
    status));
  main.append(results);

  function show(text, label) {
    results.replaceChildren();
    try {
      const info = loadSnapshot(text);
      status.textContent = `Loaded ${label}: netuid ${info.netuid}, epoch block ${info.block}, ${info.inputs} input and ${info.outputs} output storage entries.`;
      ctx.emit("load", { label, netuid: info.netuid, block: info.block, rerunnable: info.rerunnable });
      results.append(sourceCard(info));
      if (info.rerunnable) {
        const t0 = performance.now();
        const v = verifySnapshot(text);
        results.append(verdictCard(v, performance.now() - t0), diffCard(v), weightsCard(v));
        ctx.emit("verify", {
          verdict: v.verdict, netuid: v.netuid, block: v.block, n: v.n,
          mismatched: v.summary.reduce((a, x) => a + x.mismatched, 0), firstDifference: v.first_difference ?? null,
        });
      } else {
        results.append(card("Re-run not possible", null,
          el("p", { dataset: { testid: "not-rerunnable" } },
            info.metagraph
              ? "This capture is the subnet's metagraph (the runtime API's view: stakes, incentives, dividends, consensus, " +
                "emission, permits). It does not contain the weights matrix, the bonds or the other storage an epoch reads, " +
                "so the epoch cannot be re-run from it — only browsed. Fetch a snapshot from an archive node to verify."
              : `The snapshot is incomplete: ${info.missing}`)));
      }
      if (info.metagraph) results.append(metagraphCard(info.metagraph));
    } catch (err) {
      results.append(el("p", { class: "error", dataset: { testid: "load-error" } }, errorText(err)));
      status.textContent = `Could not use ${label}.`;
      ctx.emit("error", { code: err.code ?? null, field: err.field ?? null, message: String(err.message ?? err) });
    }
  }

  async function fetchLive() {
    const url = endpoint.value.trim();
    if (!url) { fetchStatus.textContent = "Type the endpoint of a node first (nothing is contacted by default)."; return; }
    const nu = Number(netuid.value), b = Number(block.value);
    if (!Number.isInteger(nu) || nu < 1 || nu > 65535 || !Number.isInteger(b) || b < 1) {
      fetchStatus.textContent = "Netuid must be 1–65535 and the block a positive integer.";
      return;
    }
    abort = new AbortController();
    const signal = abort.signal;
    fetchBtn.disabled = true; cancel.disabled = false; progress.hidden = false; progress.value = 0;
    let rpc;
    try {
      rpc = createRpcClient({ endpoint: url, timeoutMs: 30000, retries: 3 });
      fetchStatus.textContent = `Block ${b}: looking up its hash…`;
      const blockHash = await rpc.getBlockHash(b, { signal });
      if (!blockHash) throw Object.assign(new Error(`the node has no block ${b}`), { code: "RPC" });
      const header = await rpc.getHeader(blockHash, { signal });
      if (!header) throw Object.assign(new Error(`the node has no header for block ${blockHash}`), { code: "RPC" });
      const version = await rpc.getRuntimeVersion(blockHash, { signal });
      let snap = snapshotNew(nu, BigInt(b), {
        source: { kind: "rpc", description: `netuid ${nu}, epoch block ${b}, fetched from ${url}`, endpoint: url, provenance: null },
        blockHash, parentHash: header.parentHash, specVersion: version.specVersion,
      });
      let round = 0;
      for (let plan = snapshotPlan(snap); plan.phase !== "done"; plan = snapshotPlan(snap)) {
        round += 1;
        const at = plan.phase === "inputs" ? header.parentHash : blockHash;
        fetchStatus.textContent = `Round ${round} (${plan.phase} at ${plan.phase === "inputs" ? "the parent block" : "the epoch block"}): reading ${plan.keys.length} storage keys…`;
        const values = await rpc.getStorageValues(/** @type {import("tao-engine/rpc").Hex[]} */ (plan.keys), at, {
          signal,
          onProgress: (p) => { if (p.phase === "values") { progress.max = p.total || 1; progress.value = p.done; } },
        });
        snap = snapshotInsert(snap, plan.phase, [...values.entries()]);
      }
      const text = snap;
      lastSnapshot = { text, name: `snapshot-sn${nu}-b${b}.json` };
      download.disabled = false;
      fetchStatus.textContent = `Fetched ${round} rounds of storage.`;
      show(text, `node ${url}`);
    } catch (err) {
      fetchStatus.textContent = errorText(err);
    } finally {
      rpc?.close();
      fetchBtn.disabled = false; cancel.disabled = true; progress.hidden = true; abort = null;
    }
  }

  main.append(toolsCard());
  main.append(timelockCard());
  mountVerifyLive(main);
  const given = ctx.props.snapshotData;
  if (given != null) show(typeof given === "string" ? given : JSON.stringify(given), "the snapshot property");
  else show(embeddedText(select.value), EMBEDDED.find((e) => e.id === select.value)?.label);
}

function sourceCard(info) {
  const src = info.source ?? {};
  return card("Source", null,
    el("p", { dataset: { testid: "source-description" } }, src.description || "(no description)"),
    src.provenance ? el("p", { class: "muted verify-wrap" }, `Provenance: ${src.provenance}`) : null,
    src.endpoint ? el("p", { class: "muted verify-wrap" }, `Endpoint: ${src.endpoint}`) : null);
}

const VERDICT_TEXT = {
  match: "Match: every persisted output equals the engine's.",
  mismatch: "Mismatch: the engine's outputs differ from the chain's.",
  "match-except-emission": "Every proportion matches; rao amounts differ because the epoch's emission input is approximate.",
  skipped: "The chain skipped this epoch (two uids share a hotkey).",
};

function verdictCard(v, ms) {
  const first = v.first_difference;
  return card("Verdict", `Epoch of netuid ${v.netuid} at block ${v.block}: ${v.n} uids, ${v.mechanisms} mechanism(s), emission ${v.emission} rao${v.emission_exact ? "" : " (approximate)"}; re-run in ${ms.toFixed(1)} ms.`,
    el("p", { class: `verdict verdict-${v.verdict}`, dataset: { testid: "verdict", verdict: v.verdict } }, VERDICT_TEXT[v.verdict] ?? v.verdict),
    first ? el("div", { dataset: { testid: "first-difference" } },
      el("p", {}, "First difference: uid ", el("a", { href: `#weights-${first.uid}`, dataset: { testid: "first-uid" } }, String(first.uid)),
        `, field ${first.field}${first.mechanism != null ? ` (mechanism ${first.mechanism})` : ""}: chain `,
        el("code", { dataset: { testid: "first-expected" } }, first.expected), ", engine ",
        el("code", { dataset: { testid: "first-actual" } }, first.actual), "."),
      el("details", {}, el("summary", {}, `Engine trace at uid ${first.uid}`), traceList(first.trace))) : null,
    summaryTable(v.summary),
    v.notes.length ? el("ul", { class: "muted" }, v.notes.map((n) => el("li", {}, n))) : null);
}

function diffCard(v) {
  const only = el("input", { type: "checkbox", id: "only-diff", checked: v.verdict !== "match" ? true : null, dataset: { testid: "only-diff" } });
  const box = el("div", { class: "verify-scroll" });
  const render = () => box.replaceChildren(diffTable(v, only.checked));
  only.addEventListener("change", render);
  render();
  return card("Per-uid comparison", "Chain value / engine value for every output; differing cells are marked. Uids link to their weight rows.",
    el("label", { class: "verify-inline" }, only, " only uids with a difference"), box);
}

function weightsCard(v) {
  return card("Weight rows (as stored)", "Weights[netuid][uid] read at the parent block: (uid, u16) pairs in submission order, max-upscaled by the chain.",
    el("div", { class: "verify-scroll" }, weightRows(v)));
}

function metagraphCard(m) {
  return card(`Metagraph: ${m.name ?? ""} (netuid ${m.netuid}, block ${m.block})`,
    "The runtime API's view of the subnet at that block. Names and identities are shown as plain text.",
    el("div", { class: "verify-scroll" }, metagraphTable(m)));
}

function toolsCard() {
  const weightsIn = el("input", { id: "weights-in", value: "1, 0.5, 0, 0.25", dataset: { testid: "weights-in" } });
  const weightsOut = el("pre", { class: "verify-wrap", dataset: { testid: "weights-out" } });
  const normalise = () => {
    try {
      const ws = weightsIn.value.split(",").map((s) => Number(s.trim()));
      const r = normaliseWeights(Uint16Array.from(ws.map((_, i) => i)), Float64Array.from(ws));
      weightsOut.textContent = `SDK sends   uids ${r.sdkUids.join(", ")}\n            values ${r.sdkValues.join(", ")}\nchain stores       ${r.chainValues.join(", ")}` +
        (r.changedByChain.length ? `\n(changed by the chain at uids ${r.changedByChain.join(", ")})` : "");
    } catch (err) { weightsOut.textContent = errorText(err); }
  };
  weightsIn.addEventListener("input", normalise);
  normalise();

  /** @returns {[HTMLInputElement, HTMLDivElement]} */
  const f = (id, label, value) => {
    const input = el("input", { id, value, dataset: { testid: id } });
    return [input, el("div", {}, el("label", { for: id }, label), input)];
  };
  const [hk, hkRow] = f("cr-hotkey", "Hotkey (SS58 or 0x hex)", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
  const [idx, idxRow] = f("cr-index", "Netuid index (netuid + 4096 × mechanism)", "1");
  const [uids, uidsRow] = f("cr-uids", "Uids", "0, 1, 2");
  const [vals, valsRow] = f("cr-values", "Values (as revealed)", "65535, 32768, 1");
  const [salt, saltRow] = f("cr-salt", "Salt", "1, 2, 3, 4, 5, 6, 7, 8");
  const [vk, vkRow] = f("cr-version", "Version key", "0");
  const [hash, hashRow] = f("cr-hash", "Stored commit hash", "0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d");
  const out = el("p", { dataset: { testid: "cr-result" } });
  const nums = (s) => s.value.split(",").map((x) => x.trim()).filter(Boolean).map(Number);
  const check = () => {
    try {
      const r = checkReveal({ hotkey: hk.value, netuidIndex: Number(idx.value), uids: nums(uids), values: nums(vals), salt: nums(salt), versionKey: vk.value.trim() || "0", commitHash: hash.value });
      out.textContent = `${r.matches ? "Matches" : "Does not match"}: recomputed ${r.computed}`;
    } catch (err) { out.textContent = errorText(err); }
  };
  for (const i of [hk, idx, uids, vals, salt, vk, hash]) i.addEventListener("input", check);
  check();
  return card("Weights and commit-reveal checks",
    "Float weights → u16 as the Python SDK converts them (max-upscale, round half to even, zeros dropped), and what the chain then stores " +
    "(its own max-upscale in I32F32, round half away from zero). Below: a revealed CR-v2 weight set against its stored commit hash " +
    "(blake2b-256 of the SCALE hotkey, netuid index, uids, values, salt, version key).",
    el("label", { for: "weights-in" }, "Float weights, uid 0, 1, 2, …"), weightsIn, weightsOut,
    el("div", { class: "verify-grid" }, hkRow, idxRow, uidsRow, valsRow, saltRow, vkRow, hashRow), out);
}
