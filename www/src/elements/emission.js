// <tao-emission>: the Emission page's demo (../pages/emission.js) as a custom element. Data only
// (the demo loads when the element connects), so Node can read it for custom-elements.json.
import { textAttribute as text } from "../lib/attributes.js";

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-emission",
  demo: "emission",
  page: "index.html",
  title: "Emission & halving",
  summary: "TAO per block at any total issuance, and the halving schedule with the chain's own thresholds.",
  attributes: [
    text("issuance", "10,600,000", "Total issuance in TAO (digits, optional decimals)."),
  ],
  properties: [
    { name: "result", type: "{ issuance: bigint, emission: bigint, halvings: number, nextHalving: bigint | null } | null", readonly: true, description: "The last `result` event's detail." },
  ],
  events: [
    { name: "result", primary: true, description: "After every computation: issuance and emission per block in rao (bigint), halvings so far, the next threshold." },
    { name: "statechange", description: "The user typed another issuance; detail: { issuance }." },
  ],
  example: { issuance: "10600000" },
  load: async () => ({ mount: (await import("../pages/emission.js")).mount, css: [] }),
};
