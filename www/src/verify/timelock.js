// Next-epoch preview (Verify page): open commit-reveal v3/v4 timelocked weight commits with
// published drand quicknet pulses (each pulse's BLS signature is checked first), then show what
// the next epoch pays beside the current one. Everything runs in the page; nothing is fetched.
// Inputs are JSON the user can edit (commits, drand beacon answers, the subnet's epoch input);
// every value shown is set with textContent.
import { previewNextEpoch } from "tao-engine/full";
import { card, el } from "../lib/dom.js";
import { DEMO_COMMITS, DEMO_PULSES, DEMO_SUBNET } from "./timelock-demo.js";
import { errorText, percent } from "../lib/format.js";

const pct = (u16) => percent(u16 / 65535);

function textarea(id, value, rows) {
  return el("textarea", { id, rows: String(rows), spellcheck: "false", class: "tl-json", dataset: { testid: id } }, value);
}

function parsePulses(text) {
  // One drand answer per line ({"round":…,"signature":…}), or a JSON array of them.
  const t = text.trim();
  if (t.startsWith("[")) return JSON.parse(t).map((p) => (typeof p === "string" ? p : JSON.stringify(p)));
  return t.split("\n").map((l) => l.trim()).filter(Boolean);
}

function outcomeTable(reveals) {
  return el("table", { dataset: { testid: "tl-reveals" } },
    el("thead", {}, el("tr", {}, ["uid", "round", "status", "uids", "values", "version key"].map((h) => el("th", {}, h)))),
    el("tbody", {}, reveals.map((r, i) => el("tr", { dataset: { testid: `tl-reveal-${i}`, status: r.status } },
      el("td", {}, String(r.uid)),
      el("td", {}, String(r.revealRound)),
      el("td", {}, r.status === "failed" ? `failed: ${r.code}` : r.status === "rejected" ? `rejected: ${r.chainError}` : r.status),
      el("td", {}, r.weights ? r.weights.uids.join(", ") : "—"),
      el("td", {}, r.weights ? r.weights.values.join(", ") : "—"),
      el("td", {}, r.weights ? String(r.weights.versionKey) : "—")))));
}

function payTable(p) {
  const n = p.current.incentive.length;
  const head = ["uid", "incentive now", "incentive next", "dividends now", "dividends next", "emission now (rao)", "emission next (rao)"];
  return el("table", { dataset: { testid: "tl-pay" } },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))),
    el("tbody", {}, Array.from({ length: n }, (_, uid) => {
      const c = p.current, x = p.next;
      const cell = (now, next, fmt) => [
        el("td", {}, fmt(now)),
        el("td", { class: now === next ? null : "tl-changed" }, fmt(next)),
      ];
      return el("tr", { dataset: { testid: `tl-uid-${uid}` } },
        el("td", {}, String(uid)),
        ...cell(c.incentive[uid], x.incentive[uid], pct),
        ...cell(c.dividends[uid], x.dividends[uid], pct),
        ...cell(c.emission[uid], x.emission[uid], String));
    })));
}

/** The "Next-epoch preview" card. */
export function timelockCard() {
  const commits = textarea("tl-commits", JSON.stringify(DEMO_COMMITS, null, 1), 8);
  const pulses = textarea("tl-pulses", DEMO_PULSES.join("\n"), 3);
  const subnet = textarea("tl-subnet", JSON.stringify(DEMO_SUBNET, null, 1), 8);
  const out = el("div", { class: "verify-scroll", dataset: { testid: "tl-out" } });
  const status = el("p", { class: "muted", dataset: { testid: "tl-status" }, "aria-live": "polite" });

  function run() {
    out.replaceChildren();
    try {
      const p = previewNextEpoch(JSON.parse(subnet.value), JSON.parse(commits.value), parsePulses(pulses.value), undefined);
      const applied = p.reveals.filter((r) => r.status === "applied").length;
      status.textContent = `${applied} of ${p.reveals.length} commits revealed; the next epoch runs at block ${p.nextBlock}. ` +
        `Pulses verified against drand quicknet's key.`;
      out.append(outcomeTable(p.reveals), payTable(p));
    } catch (err) {
      status.textContent = "";
      out.append(el("p", { class: "error", dataset: { testid: "tl-error" } },
        errorText(err)));
    }
  }

  const button = el("button", { type: "button", dataset: { testid: "tl-run" }, onclick: run }, "Open commits & preview");
  return card("Next-epoch preview from timelocked commits",
    "Commit-reveal v3/v4 hides weights behind drand timelock encryption until a drand round is published. Once it is, " +
    "anyone can open the commits: paste TimelockedWeightCommits entries (with the uid each hotkey holds), the drand " +
    "beacon's answers for their rounds, and the subnet's epoch input. Each pulse's BLS signature is verified, the commits " +
    "are decrypted, their weights pass the chain's set_weights checks, and the next epoch runs on the state the reveal " +
    "leaves (stakes as given). The demo commits were made by bittensor-drand, the SDK's committer.",
    el("div", { class: "verify-grid" },
      el("div", {}, el("label", { for: "tl-commits" }, "Commits (JSON)"), commits),
      el("div", {}, el("label", { for: "tl-pulses" }, "drand pulses (one beacon answer per line)"), pulses),
      el("div", {}, el("label", { for: "tl-subnet" }, "Subnet epoch input (JSON)"), subnet)),
    el("div", { class: "verify-row" }, button),
    status, out);
}
