//! The network simulator and the stake-return model.

use super::convert::{from_js, js_error, to_js, to_u64};
use crate::emission::{BalancerPool, Network};
use crate::error::{Error, ErrorCode, Result};
use crate::sim::returns::{compare_strategies, ReturnQuery, ReturnRun};
use crate::sim::{default_network, DefaultConfig, FlowModel, Runner, Simulator};
use std::cell::RefCell;
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
export interface StakeReturnInput {
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
}

/** One strategy of a comparison. */
export interface StrategyResult {
  label: string;
  report: StakeReturnReport;
}

/** Progress of a step-wise run. */
export interface RunProgress {
  done: number;
  total: number;
}

/** Where a network simulation stands. */
export interface SimSummary {
  block: bigint;
  totalIssuance: bigint;
  rootTao: bigint;
  minted: bigint;
  recycled: bigint;
  subnets: { netuid: number; taoReserve: bigint; alphaReserve: bigint; alphaOut: bigint; priceRao: bigint }[];
  stats: { stakes: bigint; unstakes: bigint; registrations: bigint; shocks: bigint; weightSets: bigint; refused: bigint; epochs: bigint };
}
"#;

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
    let mut model = StakeModel::new(input)?;
    let total = model.run.query.paths;
    model.run.run_paths(total);
    model.report()
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
    spread: u16,
) -> Result<JsValue, JsValue> {
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
#[wasm_bindgen(js_name = networkSubnets, unchecked_return_type = "SimSummary[\"subnets\"]")]
pub fn network_subnets(
    #[wasm_bindgen(unchecked_param_type = "NetworkConfig | undefined")] config: JsValue,
) -> Result<JsValue, JsValue> {
    let cfg: DefaultConfig = if config.is_undefined() || config.is_null() {
        DefaultConfig::default()
    } else {
        from_js(config, "config").map_err(js_error)?
    };
    let rows = with_network(&cfg, |net| Ok(subnet_rows(net))).map_err(js_error)?;
    to_js(&rows)
}

/// A stake-return run advanced a few paths at a time (for progress and cancellation in a Worker).
#[wasm_bindgen]
pub struct StakeModel {
    run: ReturnRun,
}

#[wasm_bindgen]
impl StakeModel {
    /// Validate the input and snapshot the network.
    ///
    /// @example
    /// ```ts
    /// const m = new StakeModel({ amount: 10n ** 11n, paths: 64 });
    /// while (m.runPaths(4).done < 64) { postMessage("progress"); }
    /// m.report();
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "StakeReturnInput")] input: JsValue,
    ) -> Result<StakeModel, JsValue> {
        let cfg = config_of(&input).map_err(js_error)?;
        let q = query_of(&input).map_err(js_error)?;
        let run = with_network(&cfg, |net| ReturnRun::new(net, q)).map_err(js_error)?;
        Ok(StakeModel { run })
    }

    /// Run up to `n` more paths.
    #[wasm_bindgen(js_name = runPaths, unchecked_return_type = "RunProgress")]
    pub fn run_paths(&mut self, n: u32) -> Result<JsValue, JsValue> {
        let (done, total) = self.run.run_paths(n);
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"done".into(), &done.into());
        let _ = js_sys::Reflect::set(&o, &"total".into(), &total.into());
        Ok(o.into())
    }

    /// The report over the paths run so far.
    #[wasm_bindgen(unchecked_return_type = "StakeReturnReport")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.run.report())
    }
}

/// A whole-network simulation (the default network, seeded event generator), stepped in chunks.
#[wasm_bindgen]
pub struct NetworkSim {
    runner: Runner,
}

#[wasm_bindgen]
impl NetworkSim {
    /// The default network with the default event generator, to run `blocks` blocks.
    ///
    /// @example
    /// ```ts
    /// const s = new NetworkSim({ subnets: 8, tempo: 20 }, 7n, 1000);
    /// s.run(100).done; // 100
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "NetworkConfig")] config: JsValue,
        #[wasm_bindgen(unchecked_param_type = "U64Like")] seed: JsValue,
        blocks: u32,
    ) -> Result<NetworkSim, JsValue> {
        let cfg: DefaultConfig = if config.is_undefined() || config.is_null() {
            DefaultConfig::default()
        } else {
            from_js(config, "config").map_err(js_error)?
        };
        let seed = to_u64(&seed, "seed").map_err(js_error)?;
        let sim = default_network(&cfg, FlowModel::default(), seed).map_err(js_error)?;
        Ok(NetworkSim {
            runner: Runner::new(sim, u64::from(blocks)),
        })
    }

    /// Advance up to `n` blocks.
    #[wasm_bindgen(unchecked_return_type = "RunProgress")]
    pub fn run(&mut self, n: u32) -> Result<JsValue, JsValue> {
        let p = self.runner.run_chunk(u64::from(n)).map_err(js_error)?;
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"done".into(), &(p.done as f64).into());
        let _ = js_sys::Reflect::set(&o, &"total".into(), &(p.total as f64).into());
        Ok(o.into())
    }

    /// Totals, pools and counters.
    #[wasm_bindgen(unchecked_return_type = "SimSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&summary(&self.runner.sim))
    }

    /// The whole state as JSON (restore with `NetworkSim.fromJson`).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.runner)
            .map_err(|e| js_error(Error::new(ErrorCode::Internal, e.to_string())))
    }

    /// Restore a state saved with `toJson`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<NetworkSim, JsValue> {
        serde_json::from_str(text)
            .map(|runner| NetworkSim { runner })
            .map_err(|e| js_error(Error::field(ErrorCode::InvalidJson, "text", e.to_string())))
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SubnetRow {
    netuid: u16,
    tao_reserve: u64,
    alpha_reserve: u64,
    alpha_out: u64,
    price_rao: u64,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary<'a> {
    block: u64,
    total_issuance: u64,
    root_tao: u64,
    minted: u64,
    recycled: u64,
    subnets: Vec<SubnetRow>,
    stats: &'a crate::sim::SimStats,
}

fn summary(sim: &Simulator) -> Summary<'_> {
    let n = &sim.net;
    Summary {
        block: n.block,
        total_issuance: n.total_issuance,
        root_tao: n.root_tao,
        minted: u64::try_from(n.ledger.tao.minted).unwrap_or(u64::MAX),
        recycled: u64::try_from(n.ledger.tao.recycled).unwrap_or(u64::MAX),
        subnets: subnet_rows(n),
        stats: &sim.stats,
    }
}

fn subnet_rows(n: &Network<BalancerPool>) -> Vec<SubnetRow> {
    use crate::emission::SubnetPool;
    n.subnets
        .iter()
        .map(|(k, s)| SubnetRow {
            netuid: *k,
            tao_reserve: s.pool.tao_reserve(),
            alpha_reserve: s.pool.alpha_reserve(),
            alpha_out: s.alpha_out,
            price_rao: crate::pool::swap::price_to_rao(s.pool.price()),
        })
        .collect()
}
