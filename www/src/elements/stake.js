// <tao-stake-simulator>: the Stake simulator page's demo (../pages/stake.js) as a custom element.
// Data only (the demo loads when the element connects), so Node can read it for
// custom-elements.json. The attributes are the page's query keys.
import { textAttribute as text } from "../lib/attributes.js";

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-stake-simulator",
  demo: "stake",
  page: "stake.html",
  title: "Stake simulator",
  summary: "What a stake earns over time: seeded Monte Carlo over the chain's emission, pool swaps, fees and slippage, with a 10–90 % range and a root / subnet / spread comparison. Runs in Web Workers, one per core.",
  attributes: [
    text("amount", "100", "TAO staked at entry, fee included."),
    text("netuid", "1", "The subnet to stake on; 0 stakes on root."),
    text("take", "18", "The validator's delegate take, in %."),
    text("share", "10", "The validator's share of the subnet's validator dividends, in %."),
    text("days", "30", "Horizon in days."),
    text("paths", "32", "Monte Carlo paths."),
    text("seed", "1", "Seed: same seed, same numbers."),
    text("sigma", "100", "Standard deviation of the daily net user flow, in bp of the pool's TAO."),
    text("drift", "0", "Mean daily net flow in bp (negative: outflow)."),
    text("spread", "4", "The spread strategy stakes over the N largest pools."),
    text("exit", "1", "1: sell at the horizon (exit fee and slippage); 0: hold."),
  ],
  properties: [
    { name: "spreadNetuids", type: "number[] | null", description: "The subnets of the spread strategy (instead of the N largest pools)." },
    { name: "result", type: "{ report: object, strategies: object[] } | null", readonly: true, description: "The last `result` event's detail." },
  ],
  events: [
    { name: "result", primary: true, description: "The model finished: detail { report, strategies } as the engine's stakeReturn returns them (rao as bigint)." },
    { name: "progress", description: "Monte Carlo progress: detail { done, total, workers }: paths done over all workers, and how many run." },
    { name: "error", description: "Bad input or an engine error: detail { code, field, message }." },
    { name: "statechange", description: "The user ran another scenario; detail: the attributes that describe it." },
  ],
  example: { amount: "100", netuid: "1", days: "10", paths: "4", spread: "2" },
  load: async () => ({
    mount: (await import("../pages/stake.js")).mount,
    css: [(await import("../stake/stake.css?inline")).default],
  }),
};
