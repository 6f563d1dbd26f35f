// <tao-consensus-explorer>: the Consensus explorer page's demo (../pages/consensus.js) as a custom
// element. Data only (the demo loads when the element connects), so Node can read it for
// custom-elements.json.
import { textAttribute as text } from "../lib/attributes.js";

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-consensus-explorer",
  demo: "consensus",
  page: "consensus.html",
  title: "Consensus explorer",
  summary: "The chain's own epoch test scenarios replayed by the engine (every upstream expectation checked live), an editable subnet run for N epochs with heatmaps of weights and bonds, and a yuma-simulation case under each historical Yuma version side by side.",
  attributes: [
    text("preset", "epoch__test_yuma_3_kappa_moves_first__dense", "The upstream scenario to replay (a file name of data/yuma without .json)."),
    text("epoch", "", "The epoch shown in detail (default: the last)."),
    text("yuma-case", "0", "The yuma-simulation case run under each historical Yuma version (its index in the case list)."),
  ],
  properties: [
    { name: "subnet", type: "{ validators: { stake: number }[], miners: number, weights: number[][] } | null", description: "The editable subnet: validators' stakes (alpha), the number of miners, u16 weights (validators × miners); set it and it runs." },
    { name: "result", type: "{ preset, n, epochs, epoch, passed, total } | null", readonly: true, description: "The last `replay` event's detail." },
  ],
  events: [
    { name: "replay", primary: true, description: "A preset was replayed (or another epoch picked): detail { preset, n, epochs, epoch, passed, total } (upstream checks passed / total)." },
    { name: "run", description: "The editable subnet ran: detail { epochs, consensus, incentive, dividends, emission } of the last epoch." },
    { name: "statechange", description: "The user picked another preset, epoch or yuma-simulation case; detail: { preset, epoch, \"yuma-case\" } (those set)." },
  ],
  example: { preset: "epoch__test_yuma_3_kappa_moves_first__dense" },
  load: async () => ({
    mount: (await import("../pages/consensus.js")).mount,
    css: [(await import("../consensus/consensus.css?inline")).default],
  }),
};
