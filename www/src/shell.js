// The page shell every page shares: navigation, engine start-up, footer and the app's global CSS
// (importing it has side effects; the shared helpers live in lib/). Everything that reaches the
// DOM goes through textContent (never innerHTML): on-chain text such as subnet names and
// identities is attacker-controlled.
import init, { buildInfo, runtimeRules } from "tao-engine/full";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { el, runtimeNote } from "./lib/dom.js";
import { errorText } from "./lib/format.js";

export const PAGES = [
  { href: "./index.html", id: "index", label: "Emission" },
  { href: "./stake.html", id: "stake", label: "Stake simulator" },
  { href: "./pools.html", id: "pools", label: "Pools & slippage" },
  { href: "./consensus.html", id: "consensus", label: "Consensus explorer" },
  { href: "./retention.html", id: "retention", label: "Retention maps" },
  { href: "./verify.html", id: "verify", label: "Verify on-chain" },
  { href: "./playground.html", id: "playground", label: "Subnet playground" },
];

/** Render the shell, start the engine, then call render(main). Errors show on the page. */
export async function startPage(render) {
  const current = document.body.dataset.page;
  const nav = el("nav", { class: "nav", "aria-label": "Pages" },
    el("a", { class: "brand", href: "./index.html" }, "τ tao-engine"),
    el("ul", {}, PAGES.map((p) => el("li", {},
      el("a", { href: p.href, "aria-current": p.id === current ? "page" : null }, p.label)))));
  /** @type {HTMLElement} */ (document.getElementById("shell")).replaceChildren(nav);
  const main = /** @type {HTMLElement} */ (document.getElementById("page"));
  try {
    await init();
    const info = buildInfo();
    const rules = runtimeRules(undefined);
    document.body.append(el("footer", { class: "footer" },
      `tao-engine ${info.version} · wasm ${info.simd ? "with SIMD" : "scalar"} · `,
      runtimeNote(rules),
      " · every number is computed in your browser"));
    main.replaceChildren();
    await render(main);
  } catch (err) {
    console.error(err);
    main.replaceChildren(el("div", { class: "error", role: "alert" },
      el("strong", {}, "Something went wrong: "), errorText(err)));
  }
}

/**
 * A page whose body is one demo (the same demo a custom element embeds): a heading, a lead, then
 * `mount(main, ctx)` with the page's query string as its state. When the demo's state changes the
 * URL follows (history.replaceState), so every state can be linked.
 */
export function startDemoPage({ title, lead }, mount) {
  return startPage(async (main) => {
    main.append(el("h1", {}, title), el("p", { class: "lead" }, lead));
    await mount(main, {
      params: new URLSearchParams(location.search),
      props: {},
      emit() {},
      setState(state) {
        history.replaceState(null, "", `${location.pathname}?${stateQuery(state)}`);
      },
    });
  });
}

/** A demo's state (an object of scalars; null and undefined dropped) as a query string. */
export function stateQuery(state) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v != null) q.set(k, String(v));
  return q.toString();
}
