//! Yuma consensus: run one or many epochs (`tao_engine::consensus::run_epochs`), with an optional
//! trace; check and default hyperparameters; replay upstream scenarios. The request and response
//! types are in `epoch_types.rs`.

use super::convert::{js_error, to_bool, to_ts, to_u16, to_u32};
use super::epoch_types::{
    EpochInput, EpochOptions, EpochResult, EpochResults, HyperparameterSettings, Hyperparameters,
};
use super::request::{read, read_or_default, FromJs};
use serde::Serialize;
use tao_engine::consensus::{self, Origin};
use tao_engine::error::{Error, ErrorCode};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// The epoch result type under its former name (`timelock.rs` builds its preview from it).
#[cfg(feature = "timelock")]
pub(super) type JsEpochResult<'a> = EpochResult;

/// Read and validate an `EpochInput` argument (field paths under `input`).
pub(super) fn input(value: JsValue) -> Result<consensus::EpochInput, JsValue> {
    let input = EpochInput::parse(&value, "input").map_err(js_error)?.into_core();
    input.validate().map_err(|e| js_error(e.within("input")))?;
    Ok(input)
}

/// Who sets hyperparameters: a subnet owner or root.
#[derive(Serialize, Tsify, Clone, Copy, Default)]
#[serde(rename_all = "lowercase")]
pub enum HyperparameterOrigin {
    /// The subnet owner (the default).
    #[default]
    Owner,
    /// Root (sudo).
    Root,
}

impl FromJs for HyperparameterOrigin {
    fn parse(v: &JsValue, field: &str) -> tao_engine::Result<Self> {
        match String::parse(v, field)?.as_str() {
            "owner" => Ok(Self::Owner),
            "root" => Ok(Self::Root),
            other => Err(Error::field(
                ErrorCode::OutOfRange,
                field,
                format!("{other:?} is not \"owner\" or \"root\""),
            )),
        }
    }
}

/// Which defaults: a new mainnet subnet's or subtensor's unit-test runtime's.
#[derive(Serialize, Tsify, Clone, Copy, Default)]
#[serde(rename_all = "kebab-case")]
pub enum HyperparameterDefaults {
    /// What the chain writes for a new subnet (the default).
    #[default]
    NewSubnet,
    /// subtensor's unit-test mock runtime (the upstream scenarios use it).
    UnitTest,
}

impl FromJs for HyperparameterDefaults {
    fn parse(v: &JsValue, field: &str) -> tao_engine::Result<Self> {
        match String::parse(v, field)?.as_str() {
            "new-subnet" => Ok(Self::NewSubnet),
            "unit-test" => Ok(Self::UnitTest),
            other => Err(Error::field(
                ErrorCode::OutOfRange,
                field,
                format!("unknown kind {other:?}"),
            )),
        }
    }
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
#[wasm_bindgen(js_name = runEpoch)]
pub fn run_epoch(
    #[wasm_bindgen(js_name = input)] input_value: Ts<EpochInput>,
    #[wasm_bindgen(js_name = options)] opts: Option<Ts<EpochOptions>>,
) -> Result<Ts<EpochResult>, JsValue> {
    let opts = read_or_default(&opts, "options")?;
    let rules = opts.rules()?;
    let input = input(input_value.js_value())?;
    let out = consensus::run_epoch_under(&input, &rules, opts.trace.unwrap_or(false))
        .map_err(js_error)?;
    to_ts(&EpochResult::of(&out, &rules))
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
#[wasm_bindgen(js_name = runEpochs)]
pub fn run_epochs(
    #[wasm_bindgen(js_name = input)] input_value: Ts<EpochInput>,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    #[wasm_bindgen(js_name = options)] opts: Option<Ts<EpochOptions>>,
) -> Result<Ts<EpochResults>, JsValue> {
    let opts = read_or_default(&opts, "options")?;
    let rules = opts.rules()?;
    let input = input(input_value.js_value())?;
    let run = consensus::EpochRun {
        count: to_u32(&count, "count").map_err(js_error)?,
        blocks_per_epoch: opts.blocks_per_epoch.map(|b| b.0),
        trace: opts.trace.unwrap_or(false),
    };
    let outs = consensus::run_epochs(&input, &rules, run).map_err(js_error)?;
    to_ts(&EpochResults(
        outs.iter().map(|o| EpochResult::of(o, &rules)).collect(),
    ))
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
    value: Ts<HyperparameterSettings>,
    origin: Option<Ts<HyperparameterOrigin>>,
) -> Result<(), JsValue> {
    let origin = read_or_default(&origin, "origin")?;
    let h = read(&value, "hyperparameters")?.resolve();
    h.validate(match origin {
        HyperparameterOrigin::Owner => Origin::Owner,
        HyperparameterOrigin::Root => Origin::Root,
    })
    .map_err(js_error)
}

/// The hyperparameters the chain writes for a new subnet (`"new-subnet"`, default), or those of
/// subtensor's unit-test runtime (`"unit-test"`), which the upstream scenarios use.
///
/// @example
/// ```ts
/// defaultHyperparameters().kappa; // 32767
/// ```
#[wasm_bindgen(js_name = defaultHyperparameters)]
pub fn default_hyperparameters(
    kind: Option<Ts<HyperparameterDefaults>>,
) -> Result<Ts<Hyperparameters>, JsValue> {
    let h = match read_or_default(&kind, "kind")? {
        HyperparameterDefaults::NewSubnet => consensus::Hyperparameters::new_mainnet_subnet(),
        HyperparameterDefaults::UnitTest => consensus::Hyperparameters::unit_test_mock(),
    };
    to_ts(&Hyperparameters::from(&h))
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
#[wasm_bindgen(js_name = replayYumaScenario)]
pub fn replay_yuma_scenario(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
) -> Result<Ts<ScenarioReplay>, JsValue> {
    let json = super::convert::to_str(&json, "json").map_err(js_error)?;
    let doc: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| js_error(Error::new(ErrorCode::InvalidJson, format!("not JSON: {e}"))))?;
    let run = tao_vectors::yuma::replay(&doc).map_err(js_error)?;
    let rules = tao_engine::runtime::Rules::for_spec(tao_vectors::yuma::YUMA_VECTORS_SPEC)
        .map_err(js_error)?;
    let epochs = run
        .epochs
        .iter()
        .map(|e| ScenarioEpoch {
            step: u32::try_from(e.step).unwrap_or(u32::MAX),
            label: e.label.clone(),
            block: e.block,
            weights: e.weights.clone(),
            stake_weight: e.stake_weight.clone(),
            output: EpochResult::of(&e.output, &rules),
            bonds: e.bonds.clone(),
            checks: e.checks.iter().map(ScenarioCheck::from).collect(),
        })
        .collect();
    to_ts(&ScenarioReplay {
        id: run.id.clone(),
        description: run.description.clone(),
        n: u32::try_from(run.n).unwrap_or(u32::MAX),
        hyperparameters: Hyperparameters::from(&run.hyperparameters),
        epochs,
    })
}

/// How one of a scenario file's own expectations fared.
#[cfg(feature = "scenarios")]
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct ScenarioCheck {
    case: String,
    field: String,
    passed: bool,
    expected: String,
    actual: String,
}

#[cfg(feature = "scenarios")]
impl From<&tao_vectors::Outcome> for ScenarioCheck {
    fn from(o: &tao_vectors::Outcome) -> Self {
        ScenarioCheck {
            case: o.case.clone(),
            field: o.field.clone(),
            passed: o.passed,
            expected: o.expected.clone(),
            actual: o.actual.clone(),
        }
    }
}

/// One epoch of a replayed upstream scenario.
#[cfg(feature = "scenarios")]
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct ScenarioEpoch {
    step: u32,
    label: String,
    block: u64,
    /// Stored weight rows, `[uid, value]` pairs per uid.
    weights: Vec<Vec<(u16, u16)>>,
    stake_weight: Vec<u16>,
    output: EpochResult,
    /// Stored bond rows after the epoch.
    bonds: Vec<Vec<(u16, u16)>>,
    checks: Vec<ScenarioCheck>,
}

/// An upstream epoch scenario replayed step by step.
#[cfg(feature = "scenarios")]
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct ScenarioReplay {
    id: String,
    description: String,
    n: u32,
    hyperparameters: Hyperparameters,
    epochs: Vec<ScenarioEpoch>,
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
