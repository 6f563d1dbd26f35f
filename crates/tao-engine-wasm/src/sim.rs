//! The network simulator and the stake-return model.
//!
//! Length: each export carries its TypeScript declarations and `@example`s; splitting the
//! simulator's exports from the stake model's would split one handle table.

use super::convert::{from_js, js_error, to_js, to_str, to_u16, to_u32, to_u64};
use std::cell::RefCell;
use tao_engine::emission::{BalancerPool, Network};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::sim::returns::{compare_strategies, ReturnQuery, ReturnRun};
use tao_engine::sim::{default_network, DefaultConfig, FlowModel, Runner, Simulator};
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
  /** `stakeModelStart` only: run paths pathStart .. pathStart + pathCount of `paths` (a shard; see `stakeModelMerge`). */
  pathStart?: number;
  /** `stakeModelStart` only: how many paths from pathStart (default: the rest). */
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

/** A subnet of the default network, with where it comes from. */
export type NetworkSubnet = SimSummary["subnets"][number] & {
  /** Drawn by the seeded generator rather than captured from finney (every subnet but SN1). */
  synthetic: boolean;
  /** Where the subnet comes from, in words. */
  source: string;
};

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
#[wasm_bindgen(js_name = networkSubnets, unchecked_return_type = "NetworkSubnet[]")]
pub fn network_subnets(
    #[wasm_bindgen(unchecked_param_type = "NetworkConfig | undefined")] config: JsValue,
) -> Result<JsValue, JsValue> {
    let cfg: DefaultConfig = if config.is_undefined() || config.is_null() {
        DefaultConfig::default()
    } else {
        from_js(config, "config").map_err(js_error)?
    };
    let rows = with_network(&cfg, |net| Ok(subnet_rows(net))).map_err(js_error)?;
    let rows: Vec<SourcedRow> = rows
        .into_iter()
        .map(|row| {
            let source = cfg.source_of(row.netuid);
            SourcedRow {
                synthetic: source.is_synthetic(),
                source: source.describe(row.netuid),
                row,
            }
        })
        .collect();
    to_js(&rows)
}

// Step-wise runs live in handle tables rather than exported classes, so the package's
// declarations need no `Symbol.dispose` (the TypeScript consumer targets es2022).
thread_local! {
    pub(super) static MODELS: RefCell<Handles<ReturnRun>> = RefCell::new(Handles::default());
    static SIMS: RefCell<Handles<Runner>> = RefCell::new(Handles::default());
}

pub(super) struct Handles<T> {
    next: u32,
    items: std::collections::BTreeMap<u32, T>,
}

impl<T> Default for Handles<T> {
    fn default() -> Self {
        Handles {
            next: 1,
            items: std::collections::BTreeMap::new(),
        }
    }
}

impl<T> Handles<T> {
    fn insert(&mut self, item: T) -> u32 {
        let id = self.next;
        self.next = self.next.wrapping_add(1).max(1);
        self.items.insert(id, item);
        id
    }

    pub(super) fn get_mut(&mut self, id: u32) -> Result<&mut T> {
        self.items.get_mut(&id).ok_or_else(|| {
            Error::field(ErrorCode::OutOfRange, "id", format!("no run with id {id}"))
        })
    }
}

fn progress(done: u64, total: u64) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"done".into(), &(done as f64).into());
    let _ = js_sys::Reflect::set(&o, &"total".into(), &(total as f64).into());
    o.into()
}

/// Start a step-wise stake-return run (for progress and cancellation in a Worker): validates the
/// input, snapshots the network and returns a run id. Advance it with `stakeModelRun`, read it
/// with `stakeModelReport`, release it with `stakeModelDrop`. With `pathStart` / `pathCount` it
/// runs one shard of the paths (one per Web Worker; `stakeModelPartial`, `stakeModelMerge`).
///
/// @example
/// ```ts
/// const id = stakeModelStart({ amount: 10n ** 11n, paths: 64 });
/// while (stakeModelRun(id, 4).done < 64) { postMessage("progress"); }
/// const report = stakeModelReport(id);
/// stakeModelDrop(id);
/// ```
#[wasm_bindgen(js_name = stakeModelStart)]
pub fn stake_model_start(
    #[wasm_bindgen(unchecked_param_type = "StakeReturnInput")] input: JsValue,
) -> Result<u32, JsValue> {
    let run = new_run(&input)
        .and_then(|run| super::stake_parallel::with_range(run, &input))
        .map_err(js_error)?;
    Ok(MODELS.with(|m| m.borrow_mut().insert(run)))
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

/// Run up to `n` more paths of run `id`.
///
/// @example
/// ```ts
/// stakeModelRun(id, 4); // { done: 4, total: 64 }
/// ```
#[wasm_bindgen(js_name = stakeModelRun, unchecked_return_type = "RunProgress")]
pub fn stake_model_run(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
) -> Result<JsValue, JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    let n = to_u32(&n, "n").map_err(js_error)?;
    MODELS.with(|m| {
        let mut m = m.borrow_mut();
        let run = m.get_mut(id).map_err(js_error)?;
        let (done, total) = run.run_paths(n);
        Ok(progress(u64::from(done), u64::from(total)))
    })
}

/// The report of run `id` over the paths run so far.
///
/// @example
/// ```ts
/// stakeModelReport(id).series.at(-1).taoP50;
/// ```
#[wasm_bindgen(js_name = stakeModelReport, unchecked_return_type = "StakeReturnReport")]
pub fn stake_model_report(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
) -> Result<JsValue, JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    MODELS.with(|m| {
        let mut m = m.borrow_mut();
        let run = m.get_mut(id).map_err(js_error)?;
        to_js(&run.report())
    })
}

/// Release run `id` (a no-op for an unknown id).
///
/// @example
/// ```ts
/// stakeModelDrop(id);
/// ```
#[wasm_bindgen(js_name = stakeModelDrop)]
pub fn stake_model_drop(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
) -> Result<(), JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    MODELS.with(|m| m.borrow_mut().items.remove(&id));
    Ok(())
}

/// Start a whole-network simulation (the default network, seeded event generator) of `blocks`
/// blocks; returns a simulation id.
///
/// @example
/// ```ts
/// const id = networkSimStart({ subnets: 8, tempo: 20 }, 7n, 1000);
/// networkSimRun(id, 100).done; // 100
/// ```
#[wasm_bindgen(js_name = networkSimStart)]
pub fn network_sim_start(
    #[wasm_bindgen(unchecked_param_type = "NetworkConfig | undefined")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "U64Like")] seed: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] blocks: JsValue,
) -> Result<u32, JsValue> {
    let blocks = to_u32(&blocks, "blocks").map_err(js_error)?;
    let cfg: DefaultConfig = if config.is_undefined() || config.is_null() {
        DefaultConfig::default()
    } else {
        from_js(config, "config").map_err(js_error)?
    };
    let seed = to_u64(&seed, "seed").map_err(js_error)?;
    let sim = default_network(&cfg, FlowModel::default(), seed).map_err(js_error)?;
    Ok(SIMS.with(|s| s.borrow_mut().insert(Runner::new(sim, u64::from(blocks)))))
}

/// Advance simulation `id` by up to `n` blocks.
///
/// @example
/// ```ts
/// networkSimRun(id, 50); // { done: 50, total: 1000 }
/// ```
#[wasm_bindgen(js_name = networkSimRun, unchecked_return_type = "RunProgress")]
pub fn network_sim_run(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
) -> Result<JsValue, JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    let n = to_u32(&n, "n").map_err(js_error)?;
    SIMS.with(|s| {
        let mut s = s.borrow_mut();
        let r = s.get_mut(id).map_err(js_error)?;
        let p = r.run_chunk(u64::from(n)).map_err(js_error)?;
        Ok(progress(p.done, p.total))
    })
}

/// Totals, pools and counters of simulation `id`.
///
/// @example
/// ```ts
/// networkSimSummary(id).block; // 50n
/// ```
#[wasm_bindgen(js_name = networkSimSummary, unchecked_return_type = "SimSummary")]
pub fn network_sim_summary(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
) -> Result<JsValue, JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    SIMS.with(|s| {
        let mut s = s.borrow_mut();
        let r = s.get_mut(id).map_err(js_error)?;
        to_js(&summary(&r.sim))
    })
}

/// The whole state of simulation `id` as JSON (restore with `networkSimRestore`).
///
/// @example
/// ```ts
/// const saved = networkSimSave(id);
/// ```
#[wasm_bindgen(js_name = networkSimSave)]
pub fn network_sim_save(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
) -> Result<String, JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    SIMS.with(|s| {
        let mut s = s.borrow_mut();
        let r = s.get_mut(id).map_err(js_error)?;
        serde_json::to_string(&*r)
            .map_err(|e| js_error(Error::new(ErrorCode::Internal, e.to_string())))
    })
}

/// Restore a state saved with `networkSimSave` as a new simulation; returns its id.
///
/// @example
/// ```ts
/// const copy = networkSimRestore(saved);
/// ```
#[wasm_bindgen(js_name = networkSimRestore)]
pub fn network_sim_restore(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<u32, JsValue> {
    let text = to_str(&text, "text").map_err(js_error)?;
    let runner: Runner = serde_json::from_str(&text)
        .map_err(|e| js_error(Error::field(ErrorCode::InvalidJson, "text", e.to_string())))?;
    Ok(SIMS.with(|s| s.borrow_mut().insert(runner)))
}

/// Release simulation `id` (a no-op for an unknown id).
///
/// @example
/// ```ts
/// networkSimDrop(id);
/// ```
#[wasm_bindgen(js_name = networkSimDrop)]
pub fn network_sim_drop(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
) -> Result<(), JsValue> {
    let id = to_u32(&id, "id").map_err(js_error)?;
    SIMS.with(|s| s.borrow_mut().items.remove(&id));
    Ok(())
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

/// A subnet row of `networkSubnets`, with where the subnet comes from.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SourcedRow {
    #[serde(flatten)]
    row: SubnetRow,
    synthetic: bool,
    source: String,
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
    stats: &'a tao_engine::sim::SimStats,
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
    use tao_engine::emission::SubnetPool;
    n.subnets
        .iter()
        .map(|(k, s)| SubnetRow {
            netuid: *k,
            tao_reserve: s.pool.tao_reserve(),
            alpha_reserve: s.pool.alpha_reserve(),
            alpha_out: s.alpha_out,
            price_rao: tao_engine::pool::swap::price_to_rao(s.pool.price()),
        })
        .collect()
}
