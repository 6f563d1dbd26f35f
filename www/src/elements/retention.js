// <tao-retention-map>: the Retention maps page's demo (../retention/map.js) as a custom element.
// Data only (the demo loads when the element connects), so Node can read it for
// custom-elements.json. The map's own events ("retention-*") bubble out of the shadow root.
import { textAttribute as text } from "../lib/attributes.js";

// Attribute names → the demo's settings (attributes are lower case; settings are camelCase).
const SETTINGS = { figure: "figure", seed: "seed", steps: "steps", kappa: "kappa", "bonds-penalty": "bondsPenalty", yuma3: "yuma3" };

/** The demo's mount adapted to the element's ctx: attributes in, the finished map as `result`. */
async function load() {
  const { mount } = await import("../retention/map.js");
  return {
    css: [],
    mount: (root, ctx) => {
      const opts = { autorun: ctx.params.get("autorun") === "1" };
      for (const [attr, key] of Object.entries(SETTINGS)) if (ctx.params.has(attr)) opts[key] = ctx.params.get(attr);
      // The finished map becomes the element's `result` (re-dispatched by the element itself).
      root.addEventListener("retention-done", (e) => {
        if (e.target !== root) return;
        e.stopPropagation();
        ctx.emit("retention-done", e.detail);
      });
      root.addEventListener("retention-change", (e) => {
        const s = e.detail.state;
        ctx.setState(Object.fromEntries(Object.entries(SETTINGS).map(([attr, key]) => [attr, s[key] === true ? "1" : s[key] === false ? "0" : s[key]])));
      });
      return mount(root, opts);
    },
  };
}

/** @type {import("./index.js").ElementSpec} */
export default {
  tag: "tao-retention-map",
  demo: "retention",
  page: "retention.html",
  title: "Retention maps",
  summary: "How much emission an honest majority keeps against a cabal: subtensor's docs/consensus.md Monte Carlo through the engine's exact epoch, on Web Workers.",
  attributes: [
    text("figure", "retention-lines", "Which docs/consensus.md figure to reproduce (retention-lines, emission-60, emission-70, …)."),
    text("seed", "0", "Seed of the random stakes and weights (the same seed gives the same map, bit for bit)."),
    text("steps", "20", "Resolution: steps per weight axis (1–200)."),
    text("kappa", "0.5", "Kappa, 0 to 1."),
    text("bonds-penalty", "1", "Bonds penalty, 0 to 1."),
    text("yuma3", "0", "1: Yuma3 bonds (the published figures predate Yuma3)."),
    text("autorun", "0", "1: draw the map as soon as the element connects."),
  ],
  properties: [
    { name: "result", type: "{ ms: number, total: number, workers: number, seed: number, csv: string } | null", readonly: true, description: "The last `retention-done` event's detail." },
  ],
  events: [
    { name: "retention-done", primary: true, description: "A map is drawn: { ms, total (cells), workers, seed, csv (with a reproducibility header) }." },
    { name: "retention-progress", description: "Cells done so far: { done, total }." },
    { name: "retention-cancelled", description: "The reader cancelled a run: { done, total }." },
    { name: "retention-error", description: "Settings or the engine refused: { code, field, message }." },
    { name: "retention-change", description: "A control changed: { state }." },
  ],
  example: { figure: "retention-lines", steps: "6", seed: "1", autorun: "1" },
  load,
};
