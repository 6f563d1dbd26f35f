// <tao-slippage>: the Pools & slippage page's demo (../pages/pools.js) as a custom element. Data
// only (the demo loads when the element connects), so Node can read it for custom-elements.json.
import { textAttribute as text } from "../lib/attributes.js";

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-slippage",
  demo: "slippage",
  page: "pools.html",
  title: "Pools & slippage",
  summary: "Exact stake and unstake quotes on a subnet pool (SN1's real reserves or your own), the slippage curve, limit prices with partial fill, and the same trade in each pool era.",
  attributes: [
    text("netuid", "1", "An embedded pool's netuid, or `custom` (with `tao` and `alpha`)."),
    text("amount", "100", "Trade size: TAO for a stake, alpha for an unstake."),
    text("order", "buy", "`buy` (stake, TAO → alpha) or `sell` (unstake, alpha → TAO)."),
    text("tao", "10000", "TAO reserve of the custom pool."),
    text("alpha", "1000000", "Alpha reserve of the custom pool."),
    text("limit", "", "Limit price in TAO per alpha (default: 1 % past spot)."),
    text("partial", "1", "1: allow a partial fill at the limit; 0: fill or kill."),
  ],
  properties: [
    { name: "pool", type: "{ taoReserve: bigint, alphaReserve: bigint } | null", description: "A custom pool in rao (overrides netuid)." },
    { name: "result", type: "{ pool, order, amount, quote } | null", readonly: true, description: "The last `quote` event's detail." },
  ],
  events: [
    { name: "quote", primary: true, description: "After every quote: detail { pool, order, amount, quote } with the engine's poolQuote result (rao as bigint)." },
    { name: "statechange", description: "The user changed the pool, side or amount; detail: the attributes that describe it." },
  ],
  example: { netuid: "1", amount: "250" },
  load: async () => ({
    mount: (await import("../pages/pools.js")).mount,
    css: [(await import("../pools/pools.css?inline")).default],
  }),
};
