//! The stake-return model: one-shot (`stakeReturn`, `compareStrategies`), step-wise in a
//! `StakeModel` instance (progress and cancellation in a Worker), and the default network's
//! subnets. The whole-network simulator is `NetworkSim` (`network_sim.rs`).
//!
//! Length: each export carries its TypeScript declarations and `@example`s.

use super::convert::{from_js, js_error, to_js, to_ts, to_u16, to_u32, to_u64};
use super::network_sim::SubnetPool;
use serde::Serialize;
use std::cell::RefCell;
use tao_engine::emission::{BalancerPool, Network};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::sim::returns::{compare_strategies, ReturnQuery, ReturnRun};
use tao_engine::sim::{default_network, subnet_rows, DefaultConfig, FlowModel};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_SIM: &'static str = r#"
/** The embedded default network (128 subnets; real SN1 at block 6852344, synthetic elsewhere). */
export interface NetworkConfig {
  /** Subnets, netuids 1..=subnets (1-128, default 128). */
  subnets?: number;
  /** Most uids of a synthetic subnet (default 64). */
  maxUids?: number;
  /** Uids kept on SN1, highest stake first (default 1024 = all). */
  sn1Uids?: number;
  /** Tempo override for every subnet. */
  tempo?: number;
  /** Seed of the synthetic parts (default 1). */
  seed?: number;
}

/** A stake position and the Monte Carlo assumptions. */
export interface StakeReturnInput extends RuntimeChoice {
  /** TAO staked at entry (rao, fee included). */
  amount: bigint | number | string;
  /** [0] = root, [n] = subnet n, several = spread equally (default [1]). */
  netuids?: number[];
  /** Validator take, u16-normalised (default 11796 ≈ 18 %). */
  take?: number;
  /** The validator's share of the subnet's validator dividends, ppm (default 100000). */
  dividendSharePpm?: number;
  /** The validator's stake before entry (rao; 0 = dividendSharePpm of the outstanding alpha). */
  validatorStake?: bigint | number | string;
  /** Horizon in days (1-3650, default 30). */
  horizonDays?: number;
  /** Sell at the horizon (default true). */
  exit?: boolean;
  /** Monte Carlo paths (1-10000, default 32). */
  paths?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Daily net flow standard deviation, bp of the TAO reserve (default 100). */
  flowSigmaBps?: number;
  /** Daily net flow mean, bp (default 0). */
  flowDriftBps?: number;
  /** Blocks per step (default 7200 = one day). */
  stepBlocks?: number;
  /** The network to snapshot (default: the full default network). */
  network?: NetworkConfig;
  /** `StakeModel` only: run paths pathStart .. pathStart + pathCount of `paths` (a shard; see `stakeModelMerge`). */
  pathStart?: number;
  /** `StakeModel` only: how many paths from pathStart (default: the rest). */
  pathCount?: number;
}

/** One point of a return series. */
export interface SeriesPoint {
  day: number;
  alphaMean: bigint;
  taoMean: bigint;
  taoP10: bigint;
  taoP50: bigint;
  taoP90: bigint;
}

/** Mean value split (TAO rao): final = amount - entryFee - entrySlippage + emissionYield + priceChange - exitFee - exitSlippage. */
export interface ValueSplit {
  entryFee: bigint;
  entrySlippage: bigint;
  emissionYield: bigint;
  priceChange: bigint;
  exitFee: bigint;
  exitSlippage: bigint;
}

/** The model's answer. */
export interface StakeReturnReport {
  amount: bigint;
  netuids: number[];
  paths: number;
  series: SeriesPoint[];
  split: ValueSplit;
  alphaEarned: bigint;
  /** Emission yield / entry value × 365 / days. */
  apr: number;
  /** (1 + apr/365)^365 − 1. */
  apy: number;
  assumptions: string[];
  /** The runtime whose rules the model ran under. */
  runtime: RuntimeInfo;
  /** The query's subnets that are synthetic (drawn by the default network's seeded generator, not captured from finney). */
  syntheticNetuids: number[];
}


/** One strategy of a comparison. */
export interface StrategyResult {
  label: string;
  report: StakeReturnReport;
}
"#;

// A memo, not user state: the default network is a pure function of its `DefaultConfig`, built
// once per config (seconds for the full network) and only read by the calls below.
thread_local! {
    static NETWORK: RefCell<Option<(DefaultConfig, Network<BalancerPool>)>> = const { RefCell::new(None) };
}

fn config_of(input: &JsValue) -> Result<DefaultConfig> {
    let v = js_sys::Reflect::get(input, &"network".into()).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(DefaultConfig::default());
    }
    from_js(v, "network")
}

fn with_network<T>(
    cfg: &DefaultConfig,
    f: impl FnOnce(&Network<BalancerPool>) -> Result<T>,
) -> Result<T> {
    NETWORK.with(|cell| {
        let mut slot = cell.borrow_mut();
        let fresh = !matches!(slot.as_ref(), Some((c, _)) if c == cfg);
        if fresh {
            let sim = default_network(cfg, FlowModel::quiet(), 0)?;
            *slot = Some((cfg.clone(), sim.net));
        }
        match slot.as_ref() {
            Some((_, net)) => f(net),
            None => Err(Error::new(ErrorCode::Internal, "network cache empty")),
        }
    })
}

fn amount_field(input: &JsValue, field: &str, required: bool) -> Result<Option<u64>> {
    if !input.is_object() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "input",
            "expected an object",
        ));
    }
    let v = js_sys::Reflect::get(input, &field.into()).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() && !required {
        return Ok(None);
    }
    to_u64(&v, field).map(Some)
}

fn query_of(input: &JsValue) -> Result<ReturnQuery> {
    let amount = amount_field(input, "amount", true)?.unwrap_or(0);
    let validator_stake = amount_field(input, "validatorStake", false)?.unwrap_or(0);
    // Amount fields are read above (bigint | number | string); the rest by serde.
    let rest = js_sys::Object::assign(&js_sys::Object::new(), input.unchecked_ref());
    let _ = js_sys::Reflect::delete_property(&rest, &"amount".into());
    let _ = js_sys::Reflect::delete_property(&rest, &"validatorStake".into());
    let _ = js_sys::Reflect::delete_property(&rest, &"network".into());
    for k in ["specVersion", "acceptApproximate", "swapSuperellipse"] {
        let _ = js_sys::Reflect::delete_property(&rest, &k.into());
    }
    let mut q: ReturnQuery = from_js(rest.into(), "input")?;
    q.amount = amount;
    q.validator_stake = validator_stake;
    Ok(q)
}

/// What staking `amount` TAO on a subnet (or root) is worth over the horizon: series in alpha and
/// TAO with 10/50/90 % ranges from a seeded Monte Carlo, the split into emission yield, price
/// change, fees and slippage, APR / APY and the assumptions. Deterministic for a seed.
///
/// Throws `Error`/`RangeError` with `code` (`INVALID_TYPE`, `ZERO_AMOUNT`, `OUT_OF_RANGE`,
/// `NEGATIVE`, `TOO_LARGE`, ...) and `field`.
///
/// @example
/// ```ts
/// const r = stakeReturn({ amount: 100_000_000_000n, netuids: [1], horizonDays: 30, paths: 16 });
/// r.series.at(-1).taoP50; // bigint, rao after exit
/// ```
#[wasm_bindgen(js_name = stakeReturn, unchecked_return_type = "StakeReturnReport")]
pub fn stake_return(
    #[wasm_bindgen(unchecked_param_type = "StakeReturnInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let mut run = new_run(&input).map_err(js_error)?;
    let total = run.query.paths;
    run.run_paths(total);
    to_js(&run.report())
}

/// Compare root, the input's first subnet and the amount spread over the `spread` largest pools,
/// with the same seed and assumptions.
///
/// @example
/// ```ts
/// compareStrategies({ amount: 10n ** 11n, netuids: [3], paths: 8 }, 4).map(s => s.label);
/// // ["root", "subnet 3", "spread over 4"]
/// ```
#[wasm_bindgen(js_name = compareStrategies, unchecked_return_type = "StrategyResult[]")]
pub fn compare(
    #[wasm_bindgen(unchecked_param_type = "StakeReturnInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] spread: JsValue,
) -> Result<JsValue, JsValue> {
    let spread = to_u16(&spread, "spread").map_err(js_error)?;
    let cfg = config_of(&input).map_err(js_error)?;
    let q = query_of(&input).map_err(js_error)?;
    let out = with_network(&cfg, |net| compare_strategies(net, &q, spread)).map_err(js_error)?;
    to_js(&out)
}

/// The subnets of the default network (netuid, reserves, outstanding alpha, spot price in rao),
/// e.g. to pick the largest pools for a spread strategy.
///
/// @example
/// ```ts
/// networkSubnets().length; // 128
/// ```
#[wasm_bindgen(js_name = networkSubnets)]
pub fn network_subnets(
    #[wasm_bindgen(unchecked_param_type = "NetworkConfig | undefined")] config: JsValue,
) -> Result<Ts<NetworkSubnets>, JsValue> {
    let cfg = network_config(config).map_err(js_error)?;
    let rows = with_network(&cfg, |net| Ok(subnet_rows(net))).map_err(js_error)?;
    to_ts(&NetworkSubnets(
        rows.into_iter()
            .map(|row| {
                let source = cfg.source_of(row.netuid);
                NetworkSubnet {
                    synthetic: source.is_synthetic(),
                    source: source.describe(row.netuid),
                    pool: row.into(),
                }
            })
            .collect(),
    ))
}

/// A `NetworkConfig` argument: `undefined` or `null` is the full default network.
pub(super) fn network_config(config: JsValue) -> Result<DefaultConfig> {
    if config.is_undefined() || config.is_null() {
        return Ok(DefaultConfig::default());
    }
    from_js(config, "config")
}

/// A step-wise stake-return run (for progress and cancellation in a Worker): the constructor
/// validates the input and snapshots the network; `run` advances it, `report` reads it, `free()`
/// releases it (or let the garbage collector do it). With `pathStart` / `pathCount` it runs one
/// shard of the paths (one per Web Worker; `partial`, `stakeModelMerge`).
///
/// @example
/// ```ts
/// const model = new StakeModel({ amount: 10n ** 11n, paths: 64 });
/// while (model.run(4).done < 64) { postMessage("progress"); }
/// const report = model.report();
/// model.free();
/// ```
#[wasm_bindgen]
pub struct StakeModel(pub(super) ReturnRun);

#[wasm_bindgen]
impl StakeModel {
    /// Validate `input`, snapshot the network and prepare the run (no path runs yet).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "StakeReturnInput")] input: JsValue,
    ) -> Result<StakeModel, JsValue> {
        new_run(&input)
            .and_then(|run| super::stake_parallel::with_range(run, &input))
            .map(StakeModel)
            .map_err(js_error)
    }

    /// Run up to `n` more paths.
    ///
    /// @example
    /// ```ts
    /// model.run(4); // { done: 4, total: 64 }
    /// ```
    pub fn run(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<Ts<RunProgress>, JsValue> {
        let n = to_u32(&n, "n").map_err(js_error)?;
        let (done, total) = self.0.run_paths(n);
        to_ts(&RunProgress {
            done: f64::from(done),
            total: f64::from(total),
        })
    }

    /// The report over the paths run so far.
    ///
    /// @example
    /// ```ts
    /// model.report().series.at(-1).taoP50;
    /// ```
    #[wasm_bindgen(unchecked_return_type = "StakeReturnReport")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.report())
    }
}

/// Progress of a step-wise run.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RunProgress {
    /// Paths (or blocks) done.
    pub done: f64,
    /// Paths (or blocks) asked for.
    pub total: f64,
}

fn new_run(input: &JsValue) -> Result<ReturnRun> {
    let cfg = config_of(input)?;
    let q = query_of(input)?;
    let choice = super::runtime::choice_of(input)?;
    let rules = choice.rules_core()?;
    with_network(&cfg, |net| {
        // The cached network runs the newest known runtime's rules.
        if rules.rules_spec == tao_engine::runtime::NEWEST_KNOWN_SPEC {
            return Ok(ReturnRun::new(net, q)?
                .under(&rules)
                .on_default_network(&cfg));
        }
        // Another runtime's emission rules on the same network state.
        let mut other = net.clone();
        other.params.apply_rules(&rules);
        Ok(ReturnRun::new(&other, q)?
            .under(&rules)
            .on_default_network(&cfg))
    })
}

/// A subnet of the default network, with where it comes from.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct NetworkSubnet {
    #[serde(flatten)]
    pool: SubnetPool,
    /// Drawn by the seeded generator rather than captured from finney (every subnet but SN1).
    synthetic: bool,
    /// Where the subnet comes from, in words.
    source: String,
}

/// The response of `networkSubnets`: every subnet, in netuid order.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct NetworkSubnets(Vec<NetworkSubnet>);
