//! Path-parallel stake-model runs across Web Workers (core: `tao_engine::sim::shards`): a shard is a
//! `StakeModel` run over `pathStart .. pathStart + pathCount`; `StakeModel.partial` exports
//! a finished shard as bytes (transferable between threads); `stakeModelMerge` turns the partials
//! of all shards into the report one run over every path gives, bit for bit; `stakeModelShards`
//! says how to split the paths.

use super::convert::{js_error, to_array, to_bytes, to_ts, to_u32};
use super::sim::StakeModel;
use super::stake_types::StakeReturnReport;
use serde::Serialize;
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::sim::shards::{merge_partials, split_paths, ReturnPartial};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// One shard of a path-parallel stake-model run: `new StakeModel({ ...input, pathStart, pathCount })`.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct StakeShard {
    /// First path of the shard.
    path_start: u32,
    /// Paths in the shard.
    path_count: u32,
}

/// The response of `stakeModelShards`.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct StakeShards(Vec<StakeShard>);

/// Most partials one merge reads (one per path at most, and a query has at most 10000 paths).
const MAX_PARTIALS: usize = 10_000;

#[wasm_bindgen]
impl StakeModel {
    /// The finished shard as bytes, for `stakeModelMerge` (post it to the merging thread as a
    /// transferable). Throws `OUT_OF_RANGE` while paths of its range are still to run.
    ///
    /// @example
    /// ```ts
    /// const shard = new StakeModel({ ...input, pathStart: 16, pathCount: 16 });
    /// shard.run(16);
    /// const partial = shard.partial(); // Uint8Array
    /// shard.free();
    /// postMessage({ partial }, [partial.buffer]);
    /// ```
    pub fn partial(&self) -> Result<Vec<u8>, JsValue> {
        self.0.partial().and_then(|p| p.to_bytes()).map_err(js_error)
    }
}

/// Merge the partials of shards that cover each path of one run exactly once (in any order) into
/// that run's report: equal, bit for bit, to `stakeReturn` / one `StakeModel` over every
/// path. Throws with `field` `partials` (or `partials[i]`): `INVALID_TYPE`, `INVALID_JSON`,
/// `UNSUPPORTED` (another format), `OUT_OF_RANGE` (gaps, overlaps, shards of different runs).
///
/// @example
/// ```ts
/// const report = stakeModelMerge([partialA, partialB]);
/// report.paths; // every path of the run
/// ```
#[wasm_bindgen(js_name = stakeModelMerge)]
pub fn stake_model_merge(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array[]")] partials: JsValue,
) -> Result<Ts<StakeReturnReport>, JsValue> {
    let items = to_array(&partials, "partials").map_err(js_error)?;
    if items.len() > MAX_PARTIALS {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "partials",
            format!("at most {MAX_PARTIALS} partials"),
        )));
    }
    let parts = items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let field = format!("partials[{i}]");
            let bytes = to_bytes(v, &field)?;
            ReturnPartial::from_bytes(&bytes, &field)
        })
        .collect::<Result<Vec<_>>>()
        .map_err(js_error)?;
    let report = merge_partials(parts, "partials").map_err(js_error)?;
    to_ts(&StakeReturnReport::from(report))
}

/// Split `paths` Monte Carlo paths over at most `workers` shards: contiguous ranges whose sizes
/// differ by at most one (never an empty one, so fewer shards than workers when paths are few).
///
/// @example
/// ```ts
/// stakeModelShards(10, 4); // [{pathStart:0,pathCount:3},{pathStart:3,pathCount:3},{pathStart:6,pathCount:2},{pathStart:8,pathCount:2}]
/// ```
#[wasm_bindgen(js_name = stakeModelShards)]
pub fn stake_model_shards(
    #[wasm_bindgen(unchecked_param_type = "number")] paths: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] workers: JsValue,
) -> Result<Ts<StakeShards>, JsValue> {
    let paths = to_u32(&paths, "paths").map_err(js_error)?;
    let workers = to_u32(&workers, "workers").map_err(js_error)?;
    if paths == 0 || paths > 10_000 {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "paths",
            "1 to 10000 paths",
        )));
    }
    to_ts(&StakeShards(
        split_paths(paths, workers)
            .into_iter()
            .map(|(path_start, path_count)| StakeShard {
                path_start,
                path_count,
            })
            .collect(),
    ))
}
