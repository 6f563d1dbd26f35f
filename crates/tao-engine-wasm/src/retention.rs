//! Retention maps at the boundary: one chunk of a map's cells per call, which is what one Web
//! Worker computes between progress messages. `retentionCells` computes a chunk on its own; a
//! `RetentionMap` instance keeps the last sampled stake share
//! (`sim::retention::retention_cells_cached`), so a worker computing a map chunk by chunk samples
//! each share once.

use super::convert::{js_error, to_ts};
use super::request::{read_flat, U64Like};
use super::runtime::RuntimeChoice;
use serde::Serialize;
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::fixed::I32F32;
use tao_engine::runtime::{RuntimeInfo, Rules};
use tao_engine::sim::retention::{
    retention_cells_cached, RetentionGraph, RetentionGrid, RetentionParams,
};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// Most cells one call computes (a chunk is a worker's slice between two progress messages).
const MAX_CHUNK: u32 = 4096;

js_request! {
    /// One chunk of a retention map (docs/consensus.md); missing settings take upstream's values.
    /// With `specVersion` / `acceptApproximate` / `swapSuperellipse` as in `RuntimeChoice`.
    pub struct RetentionRequest {
        // Which runtime's rules apply (default: the newest known).
        ..runtime: RuntimeChoice,
        /// Uids (default 512).
        #[tsify(optional)]
        network_n "networkN": Option<u16>,
        /// Validators among them (default 64).
        #[tsify(optional)]
        validators_n "validatorsN": Option<u16>,
        /// Kappa as stored, /65535 (default 32767).
        #[tsify(optional)]
        kappa "kappa": Option<u16>,
        /// Bonds penalty as stored, /65535 (default 65535).
        #[tsify(optional)]
        bonds_penalty "bondsPenalty": Option<u16>,
        /// Weight spread σ_W, thousandths of the mean (default 400).
        #[tsify(optional)]
        weight_stddev_milli "weightStddevMilli": Option<u16>,
        /// Stake spread σ_S, thousandths of the mean (default 300).
        #[tsify(optional)]
        stake_stddev_milli "stakeStddevMilli": Option<u16>,
        /// Validators' emission share ξ, per mille (default 500, the chain's).
        #[tsify(optional)]
        validator_share_milli "validatorShareMilli": Option<u16>,
        /// Yuma3 bonds (default false: the published figures predate Yuma3).
        #[tsify(optional)]
        yuma3 "yuma3": Option<bool>,
        /// Seed of the draws (default 0).
        #[tsify(optional)]
        seed "seed": Option<U64Like>,
        /// Honest stake shares, per mille (upstream: 510, 550, 600, …, 950, 990).
        stakes_milli "stakesMilli": Vec<u16>,
        /// Weight steps per axis (upstream 50: 51 × 51 cells per share; 1-200).
        steps "steps": u16,
        /// First cell (default 0): cell k is share k / (steps+1)², then W_H index, then W_C index.
        #[tsify(optional)]
        start "start": Option<u32>,
        /// Cells in this chunk (at most 4096; clipped at the end of the map).
        count "count": u32,
    }
}

/// The cells start … start + count − 1 of a map, one entry per cell in every array.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RetentionChunk {
    start: u32,
    /// Cells in the whole map.
    total: u32,
    stake_milli: Vec<u16>,
    /// Honest self-weight W_H (x).
    major_weight: Vec<f64>,
    /// Cabal self-weight W_C (y).
    minor_weight: Vec<f64>,
    /// Stake-weighted mean absolute weight deviation over the mean.
    avg_weight_dev: Vec<f64>,
    /// The honest side's share of the epoch's emission, E_H.
    major_ratio: Vec<f64>,
    /// The runtime whose rules produced the chunk.
    #[tsify(type = "RuntimeInfo")]
    runtime: RuntimeInfo,
}

/// A request read and checked: settings, grid, chunk and rules.
struct Chunk {
    params: RetentionParams,
    grid: RetentionGrid,
    start: usize,
    count: usize,
    rules: Rules,
}

fn chunk_of(req: RetentionRequest) -> Result<Chunk> {
    let d = RetentionParams::default();
    let params = RetentionParams {
        network_n: req.network_n.unwrap_or(d.network_n),
        validators_n: req.validators_n.unwrap_or(d.validators_n),
        kappa: req.kappa.unwrap_or(d.kappa),
        bonds_penalty: req.bonds_penalty.unwrap_or(d.bonds_penalty),
        weight_stddev_milli: req.weight_stddev_milli.unwrap_or(d.weight_stddev_milli),
        stake_stddev_milli: req.stake_stddev_milli.unwrap_or(d.stake_stddev_milli),
        validator_share_milli: req.validator_share_milli.unwrap_or(d.validator_share_milli),
        yuma3: req.yuma3.unwrap_or(d.yuma3),
        seed: req.seed.map_or(d.seed, |s| s.0),
    };
    if req.count > MAX_CHUNK {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "count",
            format!("{} cells in one call, at most {MAX_CHUNK}", req.count),
        ));
    }
    let rules = req.runtime.rules_core()?;
    Ok(Chunk {
        params,
        grid: RetentionGrid {
            stakes_milli: req.stakes_milli,
            steps: req.steps,
        },
        start: usize::try_from(req.start.unwrap_or(0)).unwrap_or(usize::MAX),
        count: usize::try_from(req.count).unwrap_or(usize::MAX),
        rules,
    })
}

fn cells(
    request: &Ts<RetentionRequest>,
    cache: &mut Option<RetentionGraph>,
) -> std::result::Result<Ts<RetentionChunk>, JsValue> {
    let c = chunk_of(read_flat(request, "request")?).map_err(js_error)?;
    let cells = retention_cells_cached(&c.params, &c.grid, c.start, c.count, &c.rules, cache)
        .map_err(js_error)?;
    let f = |x: I32F32| x.to_num::<f64>();
    to_ts(&RetentionChunk {
        start: u32::try_from(c.start).unwrap_or(u32::MAX),
        total: u32::try_from(c.grid.len()).unwrap_or(u32::MAX),
        stake_milli: cells.iter().map(|c| c.stake_milli).collect(),
        major_weight: cells.iter().map(|c| f(c.major_weight)).collect(),
        minor_weight: cells.iter().map(|c| f(c.minor_weight)).collect(),
        avg_weight_dev: cells.iter().map(|c| f(c.avg_weight_dev)).collect(),
        major_ratio: cells.iter().map(|c| f(c.major_ratio)).collect(),
        runtime: c.rules.info(),
    })
}

/// Cells of a retention map (subtensor `docs/consensus.md`): for each honest stake share and each
/// pair of self-weights, the honest side's share of one epoch's emission, through the engine's
/// exact epoch. Seeded: the same request gives the same numbers in Node, every browser and the
/// native engine. Values are `I32F32` read exactly as numbers. (A worker computing a whole map
/// chunk by chunk uses a `RetentionMap`, which samples each stake share once.)
///
/// Throws `Error`/`RangeError` with `code` (`INVALID_TYPE`, `OUT_OF_RANGE`, `TOO_MANY_UIDS`,
/// `TOO_LARGE`, `UNSUPPORTED_RUNTIME`, ...) and `field`.
///
/// @example
/// ```ts
/// const c = retentionCells({ stakesMilli: [600], steps: 10, start: 0, count: 11 });
/// c.majorRatio.length; // 11: W_H = 0, W_C = 0 … 1
/// c.total;             // 121
/// ```
#[wasm_bindgen(js_name = retentionCells)]
pub fn retention_cells(
    request: Ts<RetentionRequest>,
) -> std::result::Result<Ts<RetentionChunk>, JsValue> {
    cells(&request, &mut None)
}

/// A retention map computed chunk by chunk (one per Web Worker): `cells` gives what
/// `retentionCells` gives for the same request, and keeps the last sampled stake share for the
/// next chunk. `free()` releases it (or let the garbage collector do it).
///
/// @example
/// ```ts
/// const map = new RetentionMap();
/// const a = map.cells({ stakesMilli: [600], steps: 10, start: 0, count: 60 });
/// const b = map.cells({ stakesMilli: [600], steps: 10, start: 60, count: 61 }); // same share: not sampled again
/// ```
#[wasm_bindgen]
#[derive(Default)]
pub struct RetentionMap(Option<RetentionGraph>);

#[wasm_bindgen]
impl RetentionMap {
    /// An empty map (nothing sampled yet).
    #[wasm_bindgen(constructor)]
    pub fn new() -> RetentionMap {
        RetentionMap::default()
    }

    /// Cells of the map, as `retentionCells` computes them.
    ///
    /// @example
    /// ```ts
    /// map.cells({ stakesMilli: [600], steps: 10, count: 11 }).majorRatio.length; // 11
    /// ```
    pub fn cells(
        &mut self,
        request: Ts<RetentionRequest>,
    ) -> std::result::Result<Ts<RetentionChunk>, JsValue> {
        cells(&request, &mut self.0)
    }
}
