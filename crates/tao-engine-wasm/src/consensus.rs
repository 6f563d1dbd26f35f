//! Yuma consensus: run one or many epochs, with an optional trace; replay upstream scenarios.
//!
//! Length: each export carries its TypeScript declarations and `@example`s (one file per
//! domain of exports, as in the rest of this crate).

use super::convert::{from_js, js_error, to_bool, to_js, to_opt_str, to_u16, to_u32};
use super::runtime::{JsRuntimeChoice, JsRuntimeInfo};
use tao_engine::consensus::{
    self, CommitVersion, EpochInput, EpochOutput, EpochTrace, Hyperparameters, Origin, WeightCommit,
};
use tao_engine::error::{Error, ErrorCode};
use tao_engine::fixed::{SparseRow, I32F32};
use tao_engine::runtime::Rules;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CONSENSUS: &'static str = r#"
/** A stored sparse row: `[uid, value]` pairs in storage order (u16 values). */
export type U16Row = [number, number][];

/** Subnet hyperparameters as the chain stores them (u16 parameters mean value/65535). */
export interface Hyperparameters {
  /** Blocks between epochs. */
  tempo: number;
  /** Consensus majority = kappa / 65535 (default 32767). */
  kappa: number;
  /** Bonds EMA, per million (default 900000). */
  bondsMovingAverage: bigint | number;
  /** Blend of clipped and raw weights for bonds, /65535. */
  bondsPenalty: number;
  liquidAlphaEnabled: boolean;
  alphaLow: number;
  alphaHigh: number;
  alphaSigmoidSteepness: number;
  /** Yuma3 (relative bonds) instead of original Yuma. */
  yuma3Enabled: boolean;
  maxAllowedValidators: number;
  /** Activity cutoff = max(1, factor · tempo / 1000) blocks. */
  activityCutoffFactorMilli: number;
  /** Minimum stake for a validator permit (rao). */
  stakeThreshold: bigint | number;
  commitRevealEnabled: boolean;
  revealPeriodEpochs: bigint | number;
  /** Weight of root TAO stake: value / (2^64 − 1). */
  taoWeight: bigint | number;
  mechanismCount: number;
  /** u16 parts summing to 65535, or null for an even split. */
  mechanismEmissionSplit: number[] | null;
  bondsResetEnabled: boolean;
  /** Which consensus liquid alpha reads (runtimes from spec 445): "auto" (default), "current", "previous". */
  liquidAlphaConsensusMode: "auto" | "current" | "previous";
}

/** A live commit-reveal commit. */
export interface WeightCommit { uid: number; commitBlock: bigint | number; commitEpoch: bigint | number; version?: "V2" | "V4"; }

/** Everything one mechanism epoch reads. Missing fields take their defaults (empty / 0). */
export interface EpochInput {
  /** Missing fields take the chain's defaults. */
  hyperparameters?: Partial<Hyperparameters>;
  /** Number of uids (at most 4096). */
  n: number;
  currentBlock: bigint | number;
  /** Emission (rao) handed to the epoch. */
  emission: bigint | number;
  alphaStake: (bigint | number)[];
  taoStake?: (bigint | number)[];
  blockAtRegistration: (bigint | number)[];
  lastUpdate: (bigint | number)[];
  validatorPermit?: boolean[];
  ownerUid?: number | null;
  /** One stored row per uid (or empty). */
  weights?: U16Row[];
  /** One stored row per uid (or empty). */
  bonds?: U16Row[];
  lastMechanismStepBlock?: bigint | number;
  commits?: WeightCommit[];
  currentEpochIndex?: bigint | number;
  /** Stored `Consensus` of the previous epoch (u16), which liquid alpha may read from spec 445. */
  previousConsensus?: number[];
}

/** Every intermediate of an epoch (fixed-point values as numbers; exact chain log lines in `log`). */
export interface EpochTrace {
  activityCutoff: bigint;
  inactive: boolean[];
  stake: number[];
  activeStake: number[];
  validatorPermits: boolean[];
  newValidatorPermits: boolean[];
  weights: [number, number][][];
  weightsMasked: [number, number][][];
  weightsNormalized: [number, number][][];
  consensus: number[];
  clippedWeights: [number, number][][];
  validatorTrust: number[];
  incentive: number[];
  weightsForBonds: [number, number][][];
  yuma3: boolean;
  bondsBefore: [number, number][][];
  bondsAfter: [number, number][][];
  dividends: number[];
  serverEmission: bigint[];
  validatorEmission: bigint[];
  /** The chain's debug log of this epoch, line by line: [name, rendered value]. */
  log: [string, string][];
}

/** What one epoch produced, per uid (u16 values as the chain persists them). */
export interface EpochResult {
  incentive: number[];
  dividends: number[];
  consensus: number[];
  validatorTrust: number[];
  stakeWeight: number[];
  emission: bigint[];
  serverEmission: bigint[];
  validatorEmission: bigint[];
  active: boolean[];
  validatorPermit: boolean[];
  /** Bond row to store per uid. */
  bonds: U16Row[];
  stake: bigint[];
  trace?: EpochTrace;
  /** The runtime whose rules produced this result. */
  runtime: RuntimeInfo;
}

/** Options of runEpoch / runEpochs (and the runtime whose rules apply: the newest by default). */
export interface EpochOptions extends RuntimeChoice {
  /** Return every intermediate vector and matrix (off by default; no cost when off). */
  trace?: boolean;
  /** runEpochs: blocks between consecutive epochs (default: tempo + 1, the chain's cadence). */
  blocksPerEpoch?: bigint | number;
}

/** One epoch of a replayed upstream scenario. */
export interface ScenarioEpoch {
  step: number;
  label: string;
  block: bigint;
  weights: U16Row[];
  stakeWeight: number[];
  output: EpochResult;
  bonds: U16Row[];
  checks: { case: string; field: string; passed: boolean; expected: string; actual: string }[];
}

/** An upstream epoch scenario replayed step by step. */
export interface ScenarioReplay {
  id: string;
  description: string;
  n: number;
  hyperparameters: Hyperparameters;
  epochs: ScenarioEpoch[];
}
"#;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct JsHyperparameters {
    tempo: Option<u16>,
    kappa: Option<u16>,
    bonds_moving_average: Option<u64>,
    bonds_penalty: Option<u16>,
    liquid_alpha_enabled: Option<bool>,
    alpha_low: Option<u16>,
    alpha_high: Option<u16>,
    alpha_sigmoid_steepness: Option<i16>,
    yuma3_enabled: Option<bool>,
    max_allowed_validators: Option<u16>,
    activity_cutoff_factor_milli: Option<u32>,
    stake_threshold: Option<u64>,
    commit_reveal_enabled: Option<bool>,
    reveal_period_epochs: Option<u64>,
    tao_weight: Option<u64>,
    mechanism_count: Option<u8>,
    mechanism_emission_split: Option<Option<Vec<u16>>>,
    bonds_reset_enabled: Option<bool>,
    liquid_alpha_consensus_mode: Option<consensus::ConsensusMode>,
}

impl JsHyperparameters {
    fn apply(self, h: &mut Hyperparameters) {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { h.$f = v; } )* };
        }
        set!(
            tempo,
            kappa,
            bonds_moving_average,
            bonds_penalty,
            liquid_alpha_enabled,
            alpha_low,
            alpha_high,
            alpha_sigmoid_steepness,
            yuma3_enabled,
            max_allowed_validators,
            activity_cutoff_factor_milli,
            stake_threshold,
            commit_reveal_enabled,
            reveal_period_epochs,
            tao_weight,
            mechanism_count,
            mechanism_emission_split,
            bonds_reset_enabled,
            liquid_alpha_consensus_mode
        );
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsCommit {
    uid: u16,
    commit_block: u64,
    commit_epoch: u64,
    #[serde(default)]
    version: CommitVersion,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsEpochInput {
    #[serde(default)]
    hyperparameters: JsHyperparameters,
    n: u16,
    current_block: u64,
    emission: u64,
    alpha_stake: Vec<u64>,
    #[serde(default)]
    tao_stake: Vec<u64>,
    block_at_registration: Vec<u64>,
    last_update: Vec<u64>,
    #[serde(default)]
    validator_permit: Vec<bool>,
    #[serde(default)]
    owner_uid: Option<u16>,
    #[serde(default)]
    weights: Vec<Vec<(u16, u16)>>,
    #[serde(default)]
    bonds: Vec<Vec<(u16, u16)>>,
    #[serde(default)]
    last_mechanism_step_block: u64,
    #[serde(default)]
    commits: Vec<JsCommit>,
    #[serde(default)]
    current_epoch_index: u64,
    #[serde(default)]
    previous_consensus: Vec<u16>,
}

impl JsEpochInput {
    fn into_core(self) -> EpochInput {
        // Missing hyperparameters take the defaults of a new mainnet subnet.
        let mut hyperparameters = Hyperparameters::new_subnet(360);
        self.hyperparameters.apply(&mut hyperparameters);
        EpochInput {
            hyperparameters,
            n: self.n,
            current_block: self.current_block,
            emission: self.emission,
            alpha_stake: self.alpha_stake,
            tao_stake: self.tao_stake,
            block_at_registration: self.block_at_registration,
            last_update: self.last_update,
            validator_permit: self.validator_permit,
            owner_uid: self.owner_uid,
            weights: self.weights,
            bonds: self.bonds,
            last_mechanism_step_block: self.last_mechanism_step_block,
            commits: self
                .commits
                .into_iter()
                .map(|c| WeightCommit {
                    uid: c.uid,
                    commit_block: c.commit_block,
                    commit_epoch: c.commit_epoch,
                    version: c.version,
                })
                .collect(),
            current_epoch_index: self.current_epoch_index,
            previous_consensus: self.previous_consensus,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct JsOptions {
    trace: bool,
    blocks_per_epoch: Option<u64>,
    spec_version: Option<u32>,
    accept_approximate: bool,
    swap_superellipse: bool,
}

impl JsOptions {
    fn rules(&self) -> Result<Rules, JsValue> {
        JsRuntimeChoice {
            spec_version: self.spec_version,
            accept_approximate: self.accept_approximate,
            swap_superellipse: self.swap_superellipse,
        }
        .rules()
    }
}

fn fixed(v: &[I32F32]) -> Vec<f64> {
    v.iter().map(|x| x.to_num::<f64>()).collect()
}

fn rows(m: &[SparseRow]) -> Vec<Vec<(u16, f64)>> {
    m.iter()
        .map(|r| r.iter().map(|&(j, x)| (j, x.to_num::<f64>())).collect())
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsTrace {
    activity_cutoff: u64,
    inactive: Vec<bool>,
    stake: Vec<f64>,
    active_stake: Vec<f64>,
    validator_permits: Vec<bool>,
    new_validator_permits: Vec<bool>,
    weights: Vec<Vec<(u16, f64)>>,
    weights_masked: Vec<Vec<(u16, f64)>>,
    weights_normalized: Vec<Vec<(u16, f64)>>,
    consensus: Vec<f64>,
    clipped_weights: Vec<Vec<(u16, f64)>>,
    validator_trust: Vec<f64>,
    incentive: Vec<f64>,
    weights_for_bonds: Vec<Vec<(u16, f64)>>,
    yuma3: bool,
    bonds_before: Vec<Vec<(u16, f64)>>,
    bonds_after: Vec<Vec<(u16, f64)>>,
    dividends: Vec<f64>,
    server_emission: Vec<u64>,
    validator_emission: Vec<u64>,
    log: Vec<(&'static str, String)>,
}

impl JsTrace {
    fn of(t: &EpochTrace) -> Self {
        let masked = t
            .weights_commit_reveal
            .as_ref()
            .unwrap_or(&t.weights_outdated);
        JsTrace {
            activity_cutoff: t.activity_cutoff,
            inactive: t.inactive.clone(),
            stake: fixed(&t.stake),
            active_stake: fixed(&t.active_stake),
            validator_permits: t.validator_permits.clone(),
            new_validator_permits: t.new_validator_permits.clone(),
            weights: rows(&t.weights),
            weights_masked: rows(masked),
            weights_normalized: rows(&t.weights_normalized),
            consensus: fixed(&t.consensus),
            clipped_weights: rows(&t.clipped_weights),
            validator_trust: fixed(&t.validator_trust),
            incentive: fixed(&t.incentive),
            weights_for_bonds: rows(&t.weights_for_bonds),
            yuma3: t.yuma3,
            bonds_before: rows(&t.bonds),
            bonds_after: rows(&t.ema_bonds),
            dividends: fixed(&t.dividends),
            server_emission: t.server_emission.clone(),
            validator_emission: t.validator_emission.clone(),
            log: t.entries(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsEpochResult<'a> {
    incentive: &'a [u16],
    dividends: &'a [u16],
    consensus: &'a [u16],
    validator_trust: &'a [u16],
    stake_weight: &'a [u16],
    emission: &'a [u64],
    server_emission: &'a [u64],
    validator_emission: &'a [u64],
    active: &'a [bool],
    validator_permit: &'a [bool],
    bonds: &'a [Vec<(u16, u16)>],
    stake: &'a [u64],
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<JsTrace>,
    runtime: JsRuntimeInfo,
}

impl<'a> JsEpochResult<'a> {
    pub(super) fn of(o: &'a EpochOutput, rules: &Rules) -> Self {
        JsEpochResult {
            incentive: &o.incentive,
            dividends: &o.dividends,
            consensus: &o.consensus,
            validator_trust: &o.validator_trust,
            stake_weight: &o.stake_weight,
            emission: &o.emission,
            server_emission: &o.server_emission,
            validator_emission: &o.validator_emission,
            active: &o.active,
            validator_permit: &o.validator_permit,
            bonds: &o.bonds,
            stake: &o.stake,
            trace: o.trace.as_deref().map(JsTrace::of),
            runtime: rules.info(),
        }
    }
}

fn options(value: JsValue) -> Result<JsOptions, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(JsOptions::default());
    }
    from_js(value, "options").map_err(js_error)
}

pub(super) fn input(value: JsValue) -> Result<EpochInput, JsValue> {
    let parsed: JsEpochInput = from_js(value, "input").map_err(js_error)?;
    let input = parsed.into_core();
    input.validate().map_err(|e| js_error(e.within("input")))?;
    Ok(input)
}

/// Run one epoch of one subnet mechanism, exactly as the chain's `epoch_mechanism` does, and
/// return every persisted output (u16 as stored, emissions in rao as `bigint`) and, with
/// `{ trace: true }`, every intermediate vector and matrix.
///
/// Throws `Error`/`RangeError` with `code` `INVALID_TYPE`, `LENGTH_MISMATCH`,
/// `UID_OUT_OF_RANGE`, `DUPLICATE_UID` or `TOO_MANY_UIDS` and the offending `field`.
///
/// @example
/// ```ts
/// const r = runEpoch({
///   n: 3, currentBlock: 1000n, emission: 1_000_000_000n,
///   alphaStake: [1_000_000_000n, 0n, 0n], blockAtRegistration: [0, 0, 0],
///   lastUpdate: [999, 999, 999], validatorPermit: [true, false, false],
///   weights: [[[1, 65535]], [], []],
/// }, { trace: true });
/// r.incentive; // [0, 65535, 0]
/// ```
#[wasm_bindgen(js_name = runEpoch, unchecked_return_type = "EpochResult")]
pub fn run_epoch(
    #[wasm_bindgen(unchecked_param_type = "EpochInput")] input_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EpochOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options(opts)?;
    let rules = opts.rules()?;
    let input = input(input_value)?;
    let out = consensus::run_epoch_under(&input, &rules, opts.trace).map_err(js_error)?;
    to_js(&JsEpochResult::of(&out, &rules))
}

/// Run `count` consecutive epochs, carrying bonds and validator permits over as the chain
/// persists them (weights, stakes and activity stay as given; `lastUpdate` is not advanced, so
/// set an activity cutoff that covers the run). Epoch k runs at `currentBlock + k · blocksPerEpoch`.
///
/// @example
/// ```ts
/// const rs = runEpochs(input, 10);
/// rs.map((r) => r.dividends[0]); // how validator 0's dividends evolve as its bonds grow
/// ```
#[wasm_bindgen(js_name = runEpochs, unchecked_return_type = "EpochResult[]")]
pub fn run_epochs(
    #[wasm_bindgen(unchecked_param_type = "EpochInput")] input_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EpochOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options(opts)?;
    let rules = opts.rules()?;
    let input = input(input_value)?;
    let run = consensus::EpochRun {
        count: to_u32(&count, "count").map_err(js_error)?,
        blocks_per_epoch: opts.blocks_per_epoch,
        trace: opts.trace,
    };
    let outs = consensus::run_epochs(&input, &rules, run).map_err(js_error)?;
    let results: Vec<_> = outs.iter().map(|o| JsEpochResult::of(o, &rules)).collect();
    to_js(&results)
}

/// Check hyperparameters against the chain's own bounds, as an owner (`"owner"`, default) or
/// root (`"root"`) setting them would be checked. Throws `INVALID_HYPERPARAMETER` naming the
/// field and the chain's error (e.g. `AlphaLowOutOfRange`).
///
/// @example
/// ```ts
/// validateHyperparameters({ liquidAlphaEnabled: true, alphaLow: 1, alphaHigh: 60000 }); // throws
/// ```
#[wasm_bindgen(js_name = validateHyperparameters)]
pub fn validate_hyperparameters(
    #[wasm_bindgen(unchecked_param_type = "Partial<Hyperparameters>")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"owner\" | \"root\" | undefined")] origin: JsValue,
) -> Result<(), JsValue> {
    let origin = to_opt_str(&origin, "origin").map_err(js_error)?;
    let parsed: JsHyperparameters = from_js(value, "hyperparameters").map_err(js_error)?;
    let mut h = Hyperparameters::new_subnet(360);
    parsed.apply(&mut h);
    let origin = match origin.as_deref() {
        None | Some("owner") => Origin::Owner,
        Some("root") => Origin::Root,
        Some(other) => {
            return Err(js_error(Error::field(
                ErrorCode::OutOfRange,
                "origin",
                format!("{other:?} is not \"owner\" or \"root\""),
            )))
        }
    };
    h.validate(origin).map_err(js_error)
}

/// The hyperparameters the chain writes for a new subnet (`"new-subnet"`, default), or those of
/// subtensor's unit-test runtime (`"unit-test"`), which the upstream scenarios use.
///
/// @example
/// ```ts
/// defaultHyperparameters().kappa; // 32767
/// ```
#[wasm_bindgen(js_name = defaultHyperparameters, unchecked_return_type = "Hyperparameters")]
pub fn default_hyperparameters(
    #[wasm_bindgen(unchecked_param_type = "\"new-subnet\" | \"unit-test\" | undefined")]
    kind: JsValue,
) -> Result<JsValue, JsValue> {
    let kind = to_opt_str(&kind, "kind").map_err(js_error)?;
    let h = match kind.as_deref() {
        None | Some("new-subnet") => Hyperparameters::new_subnet(360),
        Some("unit-test") => Hyperparameters::unit_test_mock(),
        Some(other) => {
            return Err(js_error(Error::field(
                ErrorCode::OutOfRange,
                "kind",
                format!("unknown kind {other:?}"),
            )))
        }
    };
    to_js(&CamelHyperparameters(&h))
}

/// Replay an upstream epoch scenario (a `yuma-vectors/epoch-scenario/v1` file's JSON text) step
/// by step and return each epoch's stored weights, outputs, bonds and how the file's own
/// expectations fared.
///
/// @example
/// ```ts
/// const run = replayYumaScenario(await (await fetch("kappa_moves_first.json")).text());
/// run.epochs.every((e) => e.checks.every((c) => c.passed)); // true
/// ```
#[cfg(feature = "scenarios")]
#[wasm_bindgen(js_name = replayYumaScenario, unchecked_return_type = "ScenarioReplay")]
pub fn replay_yuma_scenario(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
) -> Result<JsValue, JsValue> {
    let json = super::convert::to_str(&json, "json").map_err(js_error)?;
    let doc: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| js_error(Error::new(ErrorCode::InvalidJson, format!("not JSON: {e}"))))?;
    let run = tao_vectors::yuma::replay(&doc).map_err(js_error)?;
    let rules = Rules::for_spec(tao_vectors::yuma::YUMA_VECTORS_SPEC).map_err(js_error)?;
    let epochs: Vec<_> = run
        .epochs
        .iter()
        .map(|e| JsScenarioEpoch {
            step: u32::try_from(e.step).unwrap_or(u32::MAX),
            label: &e.label,
            block: e.block,
            weights: &e.weights,
            stake_weight: &e.stake_weight,
            output: JsEpochResult::of(&e.output, &rules),
            bonds: &e.bonds,
            checks: &e.checks,
        })
        .collect();
    to_js(&JsScenario {
        id: &run.id,
        description: &run.description,
        n: u32::try_from(run.n).unwrap_or(u32::MAX),
        hyperparameters: CamelHyperparameters(&run.hyperparameters),
        epochs,
    })
}

#[cfg(feature = "scenarios")]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsScenarioEpoch<'a> {
    step: u32,
    label: &'a str,
    block: u64,
    weights: &'a [Vec<(u16, u16)>],
    stake_weight: &'a [u16],
    output: JsEpochResult<'a>,
    bonds: &'a [Vec<(u16, u16)>],
    checks: &'a [tao_vectors::Outcome],
}

#[cfg(feature = "scenarios")]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsScenario<'a> {
    id: &'a str,
    description: &'a str,
    n: u32,
    hyperparameters: CamelHyperparameters<'a>,
    epochs: Vec<JsScenarioEpoch<'a>>,
}

/// Serializes [`Hyperparameters`] with camelCase names (the core struct keeps the chain's).
struct CamelHyperparameters<'a>(&'a Hyperparameters);

impl Serialize for CamelHyperparameters<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let h = self.0;
        let mut st = s.serialize_struct("Hyperparameters", 18)?;
        st.serialize_field("tempo", &h.tempo)?;
        st.serialize_field("kappa", &h.kappa)?;
        st.serialize_field("bondsMovingAverage", &h.bonds_moving_average)?;
        st.serialize_field("bondsPenalty", &h.bonds_penalty)?;
        st.serialize_field("liquidAlphaEnabled", &h.liquid_alpha_enabled)?;
        st.serialize_field("alphaLow", &h.alpha_low)?;
        st.serialize_field("alphaHigh", &h.alpha_high)?;
        st.serialize_field("alphaSigmoidSteepness", &h.alpha_sigmoid_steepness)?;
        st.serialize_field("yuma3Enabled", &h.yuma3_enabled)?;
        st.serialize_field("maxAllowedValidators", &h.max_allowed_validators)?;
        st.serialize_field("activityCutoffFactorMilli", &h.activity_cutoff_factor_milli)?;
        st.serialize_field("stakeThreshold", &h.stake_threshold)?;
        st.serialize_field("commitRevealEnabled", &h.commit_reveal_enabled)?;
        st.serialize_field("revealPeriodEpochs", &h.reveal_period_epochs)?;
        st.serialize_field("taoWeight", &h.tao_weight)?;
        st.serialize_field("mechanismCount", &h.mechanism_count)?;
        st.serialize_field("mechanismEmissionSplit", &h.mechanism_emission_split)?;
        st.serialize_field("bondsResetEnabled", &h.bonds_reset_enabled)?;
        st.end()
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Benchmark helper: build the deterministic steady-state subnet (`n` uids, `validators`
/// validators with dense weights, Yuma3, liquid alpha as asked) and time `runs` epochs inside
/// wasm with `performance.now()`. Returns the milliseconds of each run (take the median).
/// Used by `scripts/bench-yuma`; it measures the engine, not the JS boundary.
///
/// @example
/// ```ts
/// const ms = benchYumaEpoch(1024, 64, true, 20); // Float64Array of 20 timings
/// ```
#[wasm_bindgen(js_name = benchYumaEpoch)]
pub fn bench_yuma_epoch(
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] validators: JsValue,
    #[wasm_bindgen(js_name = liquidAlpha, unchecked_param_type = "boolean")] liquid_alpha: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] runs: JsValue,
) -> Result<Vec<f64>, JsValue> {
    let n = to_u16(&n, "n").map_err(js_error)?;
    let validators = to_u16(&validators, "validators").map_err(js_error)?;
    let liquid_alpha = to_bool(&liquid_alpha, "liquidAlpha").map_err(js_error)?;
    let runs = to_u32(&runs, "runs").map_err(js_error)?;
    // The core bounds `n` (TOO_MANY_UIDS); `runs` sizes the timing buffer, so it is bounded
    // here, before anything is allocated from it.
    if runs > 10_000 {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "runs",
            format!("{runs} is above 10000"),
        )));
    }
    let s = consensus::bench::steady_state_subnet(n, validators, liquid_alpha).map_err(js_error)?;
    let mut times = Vec::with_capacity(runs as usize);
    for _ in 0..runs {
        let t = performance_now();
        consensus::bench::bench_epoch(&s).map_err(js_error)?;
        times.push(performance_now() - t);
    }
    Ok(times)
}
