// <tao-verify>: the Verify on-chain page's demo (../pages/verify.js) as a custom element. Data
// only (the demo loads when the element connects), so Node can read it for custom-elements.json.
import { textAttribute as text } from "../lib/attributes.js";

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-verify",
  demo: "verify",
  page: "verify.html",
  title: "Verify on-chain",
  summary: "Re-run a subnet epoch from a snapshot of chain storage and compare every output the chain persisted: embedded snapshots, a file, or a node you name.",
  attributes: [
    text("snapshot", "sn1-6852344", "An embedded snapshot: sn1-6852344, active-stake, graph-10, outdated-weights, commit-reveal-mask, validator-permits."),
  ],
  properties: [
    { name: "snapshotData", type: "string | object | null", description: "A snapshot (JSON text or object, the format verify.html downloads) verified instead of an embedded one." },
    { name: "result", type: "{ verdict, netuid, block, n, mismatched, firstDifference } | null", readonly: true, description: "The last `verify` event's detail." },
  ],
  events: [
    { name: "verify", primary: true, description: "A snapshot was re-run: detail { verdict: match | mismatch | match-except-emission | skipped, netuid, block, n, mismatched, firstDifference }." },
    { name: "load", description: "A snapshot was loaded: detail { label, netuid, block, rerunnable }." },
    { name: "error", description: "The snapshot could not be used: detail { code, field, message }." },
    { name: "statechange", description: "The user picked another embedded snapshot; detail: { snapshot }." },
  ],
  example: { snapshot: "graph-10" },
  load: async () => ({
    mount: (await import("../pages/verify.js")).mount,
    css: [(await import("../verify/verify.css?inline")).default],
  }),
};
