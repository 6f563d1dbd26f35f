// The page shell every page shares: navigation, engine start-up, footer, and small DOM helpers.
// Everything that reaches the DOM goes through textContent (never innerHTML): on-chain text such as
// subnet names and identities is attacker-controlled.
import init, { buildInfo, runtimeRules } from "tao-engine";
import "./style.css";

export const PAGES = [
  { href: "./index.html", id: "index", label: "Emission" },
  { href: "./stake.html", id: "stake", label: "Stake simulator" },
  { href: "./pools.html", id: "pools", label: "Pools & slippage" },
  { href: "./consensus.html", id: "consensus", label: "Consensus explorer" },
  { href: "./retention.html", id: "retention", label: "Retention maps" },
  { href: "./verify.html", id: "verify", label: "Verify on-chain" },
  { href: "./playground.html", id: "playground", label: "Subnet playground" },
];

/** Create an element: el("p", { class: "x", dataset: { testid: "y" } }, "text", child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const RAO_PER_TAO = 1_000_000_000n;

/** Format a rao amount (bigint) as TAO with up to `digits` decimals, exactly (no float rounding). */
export function formatTao(rao, digits = 9) {
  const neg = rao < 0n;
  const abs = neg ? -rao : rao;
  const whole = abs / RAO_PER_TAO;
  let frac = (abs % RAO_PER_TAO).toString().padStart(9, "0").slice(0, digits).replace(/0+$/, "");
  const w = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${w}${frac ? "." + frac : ""}`;
}

/** Parse a TAO amount typed by a person ("10.5") into rao (bigint); throws on bad input. */
export function parseTao(text) {
  const t = String(text).trim().replace(/[,_\s]/g, "");
  const m = /^(\d+)(?:\.(\d{0,9}))?$/.exec(t);
  if (!m) throw new Error(`"${text}" is not a TAO amount (digits, optionally a point and up to 9 decimals)`);
  return BigInt(m[1]) * RAO_PER_TAO + BigInt((m[2] || "").padEnd(9, "0"));
}

/** Render the shell, start the engine, then call render(main). Errors show on the page. */
export async function startPage(render) {
  const current = document.body.dataset.page;
  const nav = el("nav", { class: "nav", "aria-label": "Pages" },
    el("a", { class: "brand", href: "./index.html" }, "τ tao-engine"),
    el("ul", {}, PAGES.map((p) => el("li", {},
      el("a", { href: p.href, "aria-current": p.id === current ? "page" : null }, p.label)))));
  document.getElementById("shell").replaceChildren(nav);
  const main = document.getElementById("page");
  try {
    await init();
    const info = buildInfo();
    const rules = runtimeRules();
    document.body.append(el("footer", { class: "footer" },
      `tao-engine ${info.version} · wasm ${info.simd ? "with SIMD" : "scalar"} · `,
      runtimeNote(rules),
      " · all numbers computed in your browser, offline"));
    main.replaceChildren();
    await render(main);
  } catch (err) {
    console.error(err);
    main.replaceChildren(el("div", { class: "error", role: "alert" },
      el("strong", {}, "Something went wrong: "), `${err?.code ? err.code + ": " : ""}${err?.message ?? err}`));
  }
}

/**
 * Which runtime's rules produced a result, in words: "rules of finney runtime 475 (live since
 * 2026-10-09)"; an approximate result says so plainly, with what the engine cannot know.
 */
export function runtimeNote(runtime) {
  const since = runtime.liveSince ? ` (live since ${runtime.liveSince})` : "";
  if (!runtime.approximate) {
    return el("span", { dataset: { testid: "runtime" } }, `rules of finney runtime ${runtime.rulesSpec ?? runtime.specVersion}${since}`);
  }
  return el("span", { class: "warn", role: "note", dataset: { testid: "runtime" } },
    `approximate: runtime ${runtime.specVersion} is unknown to this engine; rules of runtime ${runtime.rulesSpec}${since} stand in. Not modelled: ${runtime.unknownChanges.join("; ")}`);
}

/** A section card with a heading and an optional explanation. */
export function card(title, explanation, ...body) {
  return el("section", { class: "card" }, el("h2", {}, title), explanation ? el("p", { class: "muted" }, explanation) : null, ...body);
}
