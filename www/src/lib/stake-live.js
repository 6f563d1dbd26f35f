// The stake simulator's chain picker: choose a subnet by name and a validator by hotkey or
// identity, from a live node or the embedded real capture; the validator's real take and dividend
// share fill the simulator's inputs, and (live) its realized APY over recent epochs shows next to
// the projection. Mounted by the stake page with one call:
//
//   mountStakeLive(container, { netuid, take, share }, form);
//
// All chain text (subnet names, identities, hotkeys) is set with textContent (the shell's `el`).
import { el, card } from "./dom.js";
import { mountSourcePanel, stampText } from "./source-panel.js";
import { fetchRealizedApy, fetchSubnet, fetchSubnets } from "./live.js";
import { offlineSubnet, offlineSubnets } from "./live-offline.js";
import { errorText, percent, percentText, shortKey } from "./format.js";


/** A validator's label in the picker: identity (on-chain text), hotkey, take, share. */
function validatorLabel(v) {
  return `${v.identity ?? "(no identity)"} · ${shortKey(v.hotkey, 6)} · take ${percentText(v.takePercent)}${v.takeIsDefault ? " (default)" : ""} · share ${percent(v.dividendShare)}`;
}

/** Mount the picker (and its data-source control) under `parent`; `inputs` are the form's fields. */
export function mountStakeLive(parent, inputs, form) {
  const subnetSel = el("select", { id: "live-subnet", dataset: { testid: "live-subnet" }, disabled: true });
  const filter = el("input", { id: "live-filter", placeholder: "hotkey or identity", dataset: { testid: "live-filter" } });
  const validatorSel = el("select", { id: "live-validator", dataset: { testid: "live-validator" }, disabled: true });
  const epochs = el("input", { id: "live-epochs", value: "8", inputmode: "numeric", dataset: { testid: "live-epochs" } });
  const info = el("p", { class: "muted", dataset: { testid: "live-picked" }, role: "status" });
  const realized = el("div", { class: "live-realized", dataset: { testid: "live-realized" } });
  const hyper = el("p", { class: "muted", dataset: { testid: "live-hyperparams" } });
  const body = el("div", {},
    el("div", { class: "row" },
      el("label", { for: "live-subnet" }, "Subnet", subnetSel),
      el("label", { for: "live-filter" }, "Find a validator", filter),
      el("label", { for: "live-validator", class: "grow" }, "Validator", validatorSel),
      el("label", { for: "live-epochs" }, "Realized APY over (epochs)", epochs)),
    info, hyper, realized,
    el("p", { class: "muted", dataset: { testid: "live-model-note" } },
      "The projection below runs the engine's model network (its SN1 is the real SN1 of block 6,852,344; its other " +
      "subnets are synthetic and labelled so in the assumptions). From the chain it takes this validator's take and dividend share."));
  let state = null;
  let view = null; // { stamp, subnet, validators, hyperparams }
  let subnets = [];
  let apyCtrl = null;

  const fail = (where, e) => {
    info.textContent = `${where}: ${errorText(e)}`;
  };

  const box = el("div", { class: "live-stake" });
  parent.append(box);
  const panel = mountSourcePanel(box, { onSource: (s) => void load(s), title: "Data source (subnets and validators)" });
  box.append(card("Pick a subnet and a validator",
    "The validator's take and its share of the subnet's dividends, as the chain has them, fill the form below (and run it).", body));

  async function load(s) {
    state = s;
    view = null;
    subnetSel.disabled = true;
    validatorSel.disabled = true;
    validatorSel.replaceChildren();
    realized.replaceChildren();
    hyper.textContent = "";
    info.textContent = "Loading subnets…";
    try {
      const r = s.mode === "live" ? await fetchSubnets(s.src, s.stamp) : offlineSubnets();
      if (state !== s) return;
      subnets = r.subnets;
      subnetSel.replaceChildren(...subnets.map((n) =>
        el("option", { value: String(n.netuid) }, `SN${n.netuid} · ${n.name || "(no name)"}${n.symbol ? ` (${n.symbol})` : ""}`)));
      const want = Number(inputs.netuid.value);
      subnetSel.value = String(subnets.some((n) => n.netuid === want) ? want : subnets.find((n) => n.netuid !== 0)?.netuid ?? subnets[0]?.netuid);
      subnetSel.disabled = false;
      info.textContent = `${subnets.length} subnet(s) · ${stampText(r.stamp)}`;
      await loadSubnet();
    } catch (e) {
      if (state === s) fail("Could not read the subnets", e);
    }
  }

  async function loadSubnet() {
    const s = state;
    const netuid = Number(subnetSel.value);
    const label = `SN${netuid} (${subnets.find((n) => n.netuid === netuid)?.name || "no name"})`;
    validatorSel.disabled = true;
    info.textContent = `Loading ${label}…`;
    try {
      const v = s.mode === "live" ? await fetchSubnet(s.src, s.stamp, netuid) : offlineSubnet(netuid);
      if (state !== s) return;
      view = v;
      const h = v.hyperparams;
      hyper.textContent = `SN${netuid} hyperparameters at block ${v.stamp.blockNumber.toLocaleString("en-US")}: tempo ${h.tempo}, kappa ${h.kappa}, ` +
        `immunity ${h.immunity_period}, max validators ${h.max_validators}, commit-reveal ${h.commit_reveal_weights_enabled ? "on" : "off"}, ` +
        `liquid alpha ${h.liquid_alpha_enabled ? "on" : "off"}.`;
      renderValidators();
      info.textContent = `${v.validators.length} validator(s) on ${label} · ${stampText(v.stamp)}` +
        (s.mode === "offline" ? " · takes are not in the offline capture: the chain default (18 %) is shown" : "");
    } catch (e) {
      if (state === s) fail(`Could not read ${label}`, e);
    }
  }

  function renderValidators() {
    if (!view) return;
    const f = filter.value.trim().toLowerCase();
    const list = view.validators.filter((v) => !f || v.hotkey.includes(f) || (v.identity ?? "").toLowerCase().includes(f));
    validatorSel.replaceChildren(el("option", { value: "" }, list.length ? "— choose —" : "no match"),
      ...list.map((v) => el("option", { value: v.hotkey }, validatorLabel(v))));
    validatorSel.disabled = list.length === 0;
  }

  async function pick() {
    const v = view?.validators.find((x) => x.hotkey === validatorSel.value);
    if (!v) return;
    inputs.netuid.value = String(view.subnet.netuid);
    inputs.take.value = v.takePercent.toFixed(2);
    inputs.share.value = (v.dividendShare * 100).toFixed(2);
    realized.replaceChildren(el("p", { class: "muted" }, `Filled from ${v.identity ?? shortKey(v.hotkey, 6)}: take ${percentText(v.takePercent)}, dividend share ${percent(v.dividendShare)} (UID ${v.uid}).`));
    form?.requestSubmit();
    const s = state;
    if (s.mode !== "live") {
      realized.append(el("p", { class: "muted", dataset: { testid: "realized-apy-offline" } },
        "Realized APY needs the chain's history at recent epoch blocks: not in the offline capture. Connect to a node (an archive node for more than a few epochs)."));
      return;
    }
    apyCtrl?.abort();
    apyCtrl = new AbortController();
    const n = Math.max(1, Math.min(64, Number.parseInt(epochs.value, 10) || 8));
    const line = el("p", { dataset: { testid: "realized-apy-status" } }, `Reading ${n} epochs of history…`);
    realized.append(line);
    try {
      const r = await fetchRealizedApy(s.src, s.stamp, {
        netuid: view.subnet.netuid, hotkey: v.hotkey, tempo: view.subnet.tempo, lastStep: view.subnet.lastStep,
        epochs: n, metadataHex: s.metadata?.hex,
      }, { signal: apyCtrl.signal, onProgress: (p) => { line.textContent = `Reading history… ${p.done} / ${p.total} blocks`; } });
      if (state !== s) return;
      line.replaceChildren("Realized APY ", el("strong", { dataset: { testid: "realized-apy" } }, percentText(r.apyPercent)),
        ` over the last ${n} epochs (blocks ${r.fromBlock.toLocaleString("en-US")}–${/** @type {number} */ (r.toBlock).toLocaleString("en-US")}, `,
        `${(r.intervalSeconds / 3600).toFixed(2)} h ${r.intervalMeasured ? "by the chain's timestamps" : "at 12 s per block"}); `,
        el("span", { dataset: { testid: "realized-divs" } }, `${r.divsSumAlpha.toFixed(9)} α`), " of dividends, ",
        el("span", { dataset: { testid: "realized-skipped" } }, String(r.skipped)), " epoch(s) skipped by the stake filter. ",
        "Compare with the projection's APY in the result below (that is a model of the future; this is what the stake earned).");
    } catch (e) {
      if (state === s && e?.code !== "CANCELLED") line.textContent = `Realized APY unavailable: ${errorText(e)} (history older than a few hundred blocks needs an archive node).`;
    }
  }

  subnetSel.addEventListener("change", () => void loadSubnet());
  filter.addEventListener("input", renderValidators);
  validatorSel.addEventListener("change", () => void pick());
  return panel;
}
