//! The whole-network simulation as a `NetworkSim` instance: the default network driven by the
//! seeded event generator, advanced in chunks, summarised, saved and restored as JSON.

use super::convert::{js_error, to_str, to_ts, to_u32, to_u64};
use super::request::read_or_default;
use super::sim::RunProgress;
use super::stake_types::NetworkConfig;
use serde::Serialize;
use tao_engine::error::{Error, ErrorCode};
use tao_engine::sim::{default_network, FlowModel, Runner, SimStats, SimSummary, SubnetRow};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// A simulation of the default network (seeded event generator) over a fixed number of blocks:
/// `run` advances it in chunks, `summary` reads it, `save` / `NetworkSim.restore` copy it as JSON,
/// `free()` releases it (or let the garbage collector do it).
///
/// @example
/// ```ts
/// const sim = new NetworkSim({ subnets: 8, tempo: 20 }, 7n, 1000);
/// sim.run(100).done; // 100
/// sim.summary().block;
/// sim.free();
/// ```
#[wasm_bindgen]
pub struct NetworkSim(Runner);

#[wasm_bindgen]
impl NetworkSim {
    /// A new simulation of `blocks` blocks on the default network sized by `config`, its events
    /// drawn from `seed`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: Option<Ts<NetworkConfig>>,
        #[wasm_bindgen(unchecked_param_type = "U64Like")] seed: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] blocks: JsValue,
    ) -> Result<NetworkSim, JsValue> {
        let blocks = to_u32(&blocks, "blocks").map_err(js_error)?;
        let cfg = read_or_default(&config, "config")?.resolve();
        let seed = to_u64(&seed, "seed").map_err(js_error)?;
        let sim = default_network(&cfg, FlowModel::default(), seed).map_err(js_error)?;
        Ok(NetworkSim(Runner::new(sim, u64::from(blocks))))
    }

    /// Advance by up to `n` blocks.
    ///
    /// @example
    /// ```ts
    /// sim.run(50); // { done: 50, total: 1000 }
    /// ```
    pub fn run(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<Ts<RunProgress>, JsValue> {
        let n = to_u32(&n, "n").map_err(js_error)?;
        let p = self.0.run_chunk(u64::from(n)).map_err(js_error)?;
        to_ts(&RunProgress {
            done: p.done as f64,
            total: p.total as f64,
        })
    }

    /// Totals, pools and counters.
    ///
    /// @example
    /// ```ts
    /// sim.summary().block; // 50n
    /// ```
    pub fn summary(&self) -> Result<Ts<NetworkSimSummary>, JsValue> {
        to_ts(&NetworkSimSummary::from(self.0.sim.summary()))
    }

    /// The whole state as JSON (restore with `NetworkSim.restore`).
    ///
    /// @example
    /// ```ts
    /// const saved = sim.save();
    /// ```
    pub fn save(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.0)
            .map_err(|e| js_error(Error::new(ErrorCode::Internal, e.to_string())))
    }

    /// A new simulation from a state saved with `save`.
    ///
    /// @example
    /// ```ts
    /// const copy = NetworkSim.restore(saved);
    /// ```
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<NetworkSim, JsValue> {
        let text = to_str(&text, "text").map_err(js_error)?;
        serde_json::from_str(&text)
            .map(NetworkSim)
            .map_err(|e| js_error(Error::field(ErrorCode::InvalidJson, "text", e.to_string())))
    }
}

/// One subnet's pool (rao).
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct SubnetPool {
    netuid: u16,
    /// `SubnetTAO`.
    tao_reserve: u64,
    /// `SubnetAlphaIn`.
    alpha_reserve: u64,
    /// `SubnetAlphaOut`: alpha held by stakers.
    alpha_out: u64,
    /// Spot price, rao of TAO per alpha.
    price_rao: u64,
}

impl From<SubnetRow> for SubnetPool {
    fn from(r: SubnetRow) -> Self {
        SubnetPool {
            netuid: r.netuid,
            tao_reserve: r.tao_reserve,
            alpha_reserve: r.alpha_reserve,
            alpha_out: r.alpha_out,
            price_rao: r.price_rao,
        }
    }
}

/// Counts of what the simulator applied.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct NetworkSimStats {
    stakes: u64,
    unstakes: u64,
    registrations: u64,
    shocks: u64,
    weight_sets: u64,
    /// Events refused (pool limits, nothing to sell, unknown subnet).
    refused: u64,
    epochs: u64,
}

impl From<SimStats> for NetworkSimStats {
    fn from(s: SimStats) -> Self {
        NetworkSimStats {
            stakes: s.stakes,
            unstakes: s.unstakes,
            registrations: s.registrations,
            shocks: s.shocks,
            weight_sets: s.weight_sets,
            refused: s.refused,
            epochs: s.epochs,
        }
    }
}

/// Where a network simulation stands.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct NetworkSimSummary {
    block: u64,
    /// `TotalIssuance` (rao).
    total_issuance: u64,
    /// TAO staked on root (rao).
    root_tao: u64,
    /// TAO minted since the start (rao).
    minted: u64,
    /// TAO recycled since the start (rao).
    recycled: u64,
    subnets: Vec<SubnetPool>,
    stats: NetworkSimStats,
    /// The runtime whose rules the simulation follows (the newest known), with the rules of it
    /// that the network model leaves out (`notModelled`: the Root Reborn payout, …).
    runtime: crate::runtime::RuntimeInfo,
}

impl From<SimSummary> for NetworkSimSummary {
    fn from(s: SimSummary) -> Self {
        NetworkSimSummary {
            block: s.block,
            total_issuance: s.total_issuance,
            root_tao: s.root_tao,
            minted: s.minted,
            recycled: s.recycled,
            subnets: s.subnets.into_iter().map(SubnetPool::from).collect(),
            stats: s.stats.into(),
            runtime: s.runtime.into(),
        }
    }
}
