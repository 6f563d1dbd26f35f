// The figures of subtensor's docs/consensus.md (opentensor/subtensor @ 14bc6f9f) that a retention
// map reproduces, and the settings each one was drawn with. Fractions are what the docs state;
// the chain stores kappa and the bonds penalty as u16 (value / 65535), so they are floored to that.

/** Fraction → the chain's u16 proportion (floor(x · 65535); 0.5 → 32767, as the chain's default). */
export const toU16 = (x) => Math.min(65535, Math.max(0, Math.floor(Number(x) * 65535)));

/** The upstream map's honest stake shares (scripts/map_consensus.py `stakes`). */
export const STAKES = [0.51, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99];

/** Defaults: upstream's map_consensus_guarantees (512 uids, 64 validators, σ_W 0.4, σ_S 0.3). */
export const DEFAULTS = Object.freeze({
  figure: "retention-lines",
  kappa: 0.5,
  bondsPenalty: 1,
  validatorShare: 0.5,
  weightStddev: 0.4,
  stakeStddev: 0.3,
  networkN: 512,
  validatorsN: 64,
  steps: 20,
  seed: 0,
  yuma3: false,
});

const lines = (id, title, section, over = {}) => ({ id, kind: "lines", title, section, settings: over });

/**
 * Each figure: `kind` "lines" (one E_H = S_H contour per honest stake share) or "emission" (the
 * contours of E_H for one share, its own share highlighted), the docs section, the settings.
 */
export const FIGURES = [
  lines("retention-lines", "retention-lines.svg", "Retention graphs"),
  { id: "emission-60", kind: "emission", stake: 0.6, title: "emission-60.svg", section: "Retention graphs", settings: {} },
  { id: "emission-70", kind: "emission", stake: 0.7, title: "emission-70.svg", section: "Retention graphs", settings: {} },
  lines("weights_stddev_0", "weights_stddev_0.svg", "Subjectivity variance", { weightStddev: 0 }),
  lines("weights_stddev_20", "weights_stddev_20.svg", "Subjectivity variance", { weightStddev: 0.2 }),
  lines("weights_stddev_40", "weights_stddev_40.svg", "Subjectivity variance", { weightStddev: 0.4 }),
  lines("kappa_40", "kappa_40.svg", "Majority ratio (κ)", { kappa: 0.4 }),
  lines("kappa_50", "kappa_50.svg", "Majority ratio (κ)", { kappa: 0.5 }),
  lines("kappa_60", "kappa_60.svg", "Majority ratio (κ)", { kappa: 0.6 }),
  lines("bonds_penalty_0", "bonds_penalty_0.svg", "Bonds penalty (β)", { bondsPenalty: 0 }),
  lines("bonds_penalty_50", "bonds_penalty_50.svg", "Bonds penalty (β)", { bondsPenalty: 0.5 }),
  lines("bonds_penalty_100", "bonds_penalty_100.svg", "Bonds penalty (β)", { bondsPenalty: 1 }),
  lines("validator_emission_0", "validator_emission_0.svg", "Emission ratio (ξ)", { validatorShare: 0 }),
  lines("validator_emission_25", "validator_emission_25.svg", "Emission ratio (ξ)", { validatorShare: 0.25 }),
  lines("validator_emission_50", "validator_emission_50.svg", "Emission ratio (ξ)", { validatorShare: 0.5 }),
];

export const figureById = (id) => FIGURES.find((f) => f.id === id) ?? FIGURES[0];

/** The engine request (RetentionRequest) for a figure and the page's settings. */
export function requestFor(figure, s) {
  return {
    networkN: Number(s.networkN),
    validatorsN: Number(s.validatorsN),
    kappa: toU16(s.kappa),
    bondsPenalty: toU16(s.bondsPenalty),
    weightStddevMilli: Math.round(Number(s.weightStddev) * 1000),
    stakeStddevMilli: Math.round(Number(s.stakeStddev) * 1000),
    validatorShareMilli: Math.round(Number(s.validatorShare) * 1000),
    yuma3: Boolean(s.yuma3),
    seed: Number(s.seed),
    stakesMilli: (figure.kind === "emission" ? [figure.stake] : STAKES).map((x) => Math.round(x * 1000)),
    steps: Number(s.steps),
  };
}
