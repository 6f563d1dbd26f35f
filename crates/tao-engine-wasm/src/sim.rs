//! The stake-return model: one-shot (`stakeReturn`, `compareStrategies`), step-wise in a
//! `StakeModel` instance (progress and cancellation in a Worker), and the default network's
//! subnets. The whole-network simulator is `NetworkSim` (`network_sim.rs`).
//!
//! Request and response types are in `stake_types.rs`.

use super::convert::{js_error, to_ts, to_u16, to_u32};
use super::network_sim::SubnetPool;
use super::request::{read_flat, read_or_default};
use super::stake_types::{NetworkConfig, StakeReturnInput, StakeReturnReport, StrategyResults};
use serde::Serialize;
use std::cell::RefCell;
use tao_engine::emission::{BalancerPool, Network};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::sim::returns::{compare_strategies, ReturnRun};
use tao_engine::sim::{default_network, return_run, subnet_rows, DefaultConfig, FlowModel};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

// A memo, not user state: the default network is a pure function of its `DefaultConfig`, built
// once per config (seconds for the full network) and only read by the calls below.
thread_local! {
    static NETWORK: RefCell<Option<(DefaultConfig, Network<BalancerPool>)>> = const { RefCell::new(None) };
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
#[wasm_bindgen(js_name = stakeReturn)]
pub fn stake_return(input: Ts<StakeReturnInput>) -> Result<Ts<StakeReturnReport>, JsValue> {
    let input = read_flat(&input, "input")?.resolve().map_err(js_error)?;
    let mut run = with_network(&input.network, |net| {
        return_run(net, &input.network, input.query.clone(), &input.rules)
    })
    .map_err(js_error)?;
    let total = run.query.paths;
    run.run_paths(total);
    to_ts(&StakeReturnReport::from(run.report()))
}

/// Compare root, the input's first subnet and the amount spread over the `spread` largest pools,
/// with the same seed and assumptions.
///
/// @example
/// ```ts
/// compareStrategies({ amount: 10n ** 11n, netuids: [3], paths: 8 }, 4).map(s => s.label);
/// // ["root", "subnet 3", "spread over 4"]
/// ```
#[wasm_bindgen(js_name = compareStrategies)]
pub fn compare(
    input: Ts<StakeReturnInput>,
    #[wasm_bindgen(unchecked_param_type = "number")] spread: JsValue,
) -> Result<Ts<StrategyResults>, JsValue> {
    let spread = to_u16(&spread, "spread").map_err(js_error)?;
    let input = read_flat(&input, "input")?.resolve().map_err(js_error)?;
    let out = with_network(&input.network, |net| {
        compare_strategies(net, &input.query, spread)
    })
    .map_err(js_error)?;
    to_ts(&StrategyResults::from(out))
}

/// The subnets of the default network (netuid, reserves, outstanding alpha, spot price in rao),
/// e.g. to pick the largest pools for a spread strategy.
///
/// @example
/// ```ts
/// networkSubnets().length; // 128
/// ```
#[wasm_bindgen(js_name = networkSubnets)]
pub fn network_subnets(config: Option<Ts<NetworkConfig>>) -> Result<Ts<NetworkSubnets>, JsValue> {
    let cfg = read_or_default(&config, "config")?.resolve();
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
    pub fn new(input: Ts<StakeReturnInput>) -> Result<StakeModel, JsValue> {
        let input = read_flat(&input, "input")?.resolve().map_err(js_error)?;
        with_network(&input.network, |net| {
            return_run(net, &input.network, input.query.clone(), &input.rules)
        })
        .and_then(|run| run.with_shard(input.path_start, input.path_count))
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
    pub fn report(&self) -> Result<Ts<StakeReturnReport>, JsValue> {
        to_ts(&StakeReturnReport::from(self.0.report()))
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
