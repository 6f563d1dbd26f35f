// Retention maps: subtensor's docs/consensus.md Monte Carlo (honest vs cabal stake, kappa, bonds
// penalty, emission ratio) through the engine's exact epoch, spread over one Web Worker per core.
// The demo itself is ../retention/map.js (mount), shared with <tao-retention-map>; this page adds
// the shell and mirrors the settings in the query string.
import { el } from "../lib/dom.js";
import { startPage } from "../shell.js";
import { mount } from "../retention/map.js";

const KEYS = ["figure", "seed", "steps", "kappa", "bondsPenalty", "validatorShare", "weightStddev", "stakeStddev", "networkN", "validatorsN", "yuma3"];

startPage((main) => {
  main.append(
    el("h1", {}, "Retention maps"),
    el("p", { class: "lead" },
      "How much emission does an honest majority keep against a cabal that gives itself all the weight it likes? " +
      "Subtensor's consensus guide answers with Monte Carlo maps: a 512-uid subnet split into an honest side and a cabal, " +
      "random stake and weights, one epoch per cell. Here every cell runs the engine's own Yuma epoch, bit-exact with the chain, " +
      "in your browser, on every core."),
  );
  const q = new URLSearchParams(location.search);
  const opts = Object.fromEntries(KEYS.filter((k) => q.has(k)).map((k) => [k, q.get(k)]));
  main.addEventListener("retention-change", (ev) => {
    const s = ev.detail.state;
    const next = new URLSearchParams(KEYS.map((k) => [k, String(s[k] === true ? 1 : s[k] === false ? 0 : s[k])]));
    history.replaceState(null, "", `?${next}`);
  });
  mount(main, opts);
});
