// Tables of the Verify page. Every value goes in through textContent (el() children are text
// nodes): hotkeys, names and identities come from the chain and are attacker-controlled.
import { el } from "../lib/dom.js";
import { shortKey } from "../lib/format.js";

/** @type {[string, string, (o: any) => any][]} */
const FIELDS = [
  ["incentive", "Incentive", (o) => o.incentive?.[0]],
  ["dividends", "Dividends", (o) => o.dividends],
  ["consensus", "Consensus", (o) => o.consensus],
  ["validator_trust", "Validator trust", (o) => o.validator_trust],
  ["stake_weight", "Stake weight", (o) => o.stake_weight],
  ["emission", "Emission (rao)", (o) => o.emission],
  ["active", "Active", (o) => o.active],
  ["validator_permit", "Permit", (o) => o.validator_permit],
  ["bonds", "Bonds", (o) => o.bonds?.[0]],
];

const fmtRow = (r) => (r && r.length ? r.map(([j, w]) => `(${j}, ${w})`).join(" ") : "—");
const show = (field, v) => (v === undefined ? "absent" : field === "bonds" ? fmtRow(v.filter(([, w]) => w !== 0)) : String(v));

export function summaryTable(summary) {
  return el("table", { dataset: { testid: "summary-table" } },
    el("thead", {}, el("tr", {}, ["Output", "Values compared", "Differences"].map((h) => el("th", {}, h)))),
    el("tbody", {}, summary.map((s) => el("tr", {},
      el("td", {}, s.field), el("td", {}, String(s.compared)),
      el("td", { class: s.mismatched ? "diff" : null, dataset: { testid: `summary-${s.field}` } }, String(s.mismatched))))));
}

export function traceList(trace) {
  return el("dl", { class: "verify-trace" }, trace.flatMap((t) => [el("dt", {}, t.name), el("dd", {}, t.value)]));
}

export function diffTable(v, onlyDiff) {
  const bad = new Set(v.differences.map((d) => `${d.uid}:${d.field}`));
  const hotkeys = v.state.hotkeys ?? [];
  const rows = [];
  for (let uid = 0; uid < v.n; uid++) {
    const rowBad = FIELDS.some(([f]) => bad.has(`${uid}:${f}`));
    if (onlyDiff && !rowBad) continue;
    rows.push(el("tr", { dataset: { testid: `row-${uid}` } },
      el("td", {}, el("a", { href: `#weights-${uid}` }, String(uid))),
      el("td", { title: hotkeys[uid] ?? "" }, shortKey(hotkeys[uid])),
      FIELDS.map(([f, , pick]) => {
        const chain = pick(v.chain)?.[uid];
        const engine = pick(v.computed)?.[uid];
        const isBad = bad.has(`${uid}:${f}`);
        return el("td", { class: isBad ? "diff" : null, dataset: { testid: `cell-${uid}-${f}` } },
          isBad ? `${show(f, chain)} ≠ ${show(f, engine)}` : show(f, engine));
      })));
  }
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: String(FIELDS.length + 2) }, "No uid differs.")));
  return el("table", { dataset: { testid: "diff-table" } },
    el("thead", {}, el("tr", {}, ["Uid", "Hotkey", ...FIELDS.map(([, h]) => h)].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

export function weightRows(v) {
  const weights = v.state.mechanisms?.[0]?.weights ?? [];
  return el("table", { dataset: { testid: "weights-table" } },
    el("thead", {}, el("tr", {}, ["Uid", "Last update", "Weight row (uid, u16)"].map((h) => el("th", {}, h)))),
    el("tbody", {}, weights.map((row, uid) => el("tr", { id: `weights-${uid}` },
      el("td", {}, String(uid)),
      el("td", {}, String(v.state.mechanisms[0].last_update?.[uid] ?? 0)),
      el("td", {}, fmtRow(row))))));
}

export function metagraphTable(m) {
  const n = m.hotkeys?.length ?? 0;
  /** @type {[string, (i: number) => string][]} */
  const cols = [
    ["Uid", (i) => String(i)],
    ["Hotkey", (i) => shortKey(m.hotkeys[i])],
    ["Coldkey", (i) => shortKey(m.coldkeys?.[i])],
    ["Identity", (i) => m.identities?.[i]?.name ?? ""],
    ["Alpha stake", (i) => String(m.alpha_stake?.[i] ?? "")],
    ["TAO stake", (i) => String(m.tao_stake?.[i] ?? "")],
    ["Total stake", (i) => String(m.total_stake?.[i] ?? "")],
    ["Incentive", (i) => String(m.incentives?.[i] ?? "")],
    ["Dividends", (i) => String(m.dividends?.[i] ?? "")],
    ["Consensus", (i) => String(m.consensus?.[i] ?? "")],
    ["Emission", (i) => String(m.emission?.[i] ?? "")],
    ["Active", (i) => String(m.active?.[i] ?? "")],
    ["Permit", (i) => String(m.validator_permit?.[i] ?? "")],
    ["Last update", (i) => String(m.last_update?.[i] ?? "")],
  ];
  const rows = [];
  for (let i = 0; i < n; i++) {
    rows.push(el("tr", { dataset: { testid: `neuron-${i}` } }, cols.map(([, f]) => el("td", {}, f(i)))));
  }
  return el("table", { dataset: { testid: "metagraph-table" } },
    el("thead", {}, el("tr", {}, cols.map(([h]) => el("th", {}, h)))), el("tbody", {}, rows));
}
