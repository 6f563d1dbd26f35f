//! Retention maps at the boundary: one chunk of a map's cells per call, which is what one Web
//! Worker computes between progress messages. The last sampled stake share is kept per instance
//! (`sim::retention::retention_cells_cached`), so a worker samples each share once.

use super::convert::{js_error, to_bool, to_js, to_u16, to_u16s, to_u32, to_u64};
use super::runtime::{choice_of, JsRuntimeInfo};
use serde::Serialize;
use std::cell::RefCell;
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::sim::retention::{
    retention_cells_cached, RetentionGraph, RetentionGrid, RetentionParams,
};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_RETENTION: &'static str = r#"
/** One chunk of a retention map (docs/consensus.md); missing settings take upstream's values. */
export interface RetentionRequest extends RuntimeChoice {
  /** Uids (default 512). */
  networkN?: number;
  /** Validators among them (default 64). */
  validatorsN?: number;
  /** Kappa as stored, /65535 (default 32767). */
  kappa?: number;
  /** Bonds penalty as stored, /65535 (default 65535). */
  bondsPenalty?: number;
  /** Weight spread σ_W, thousandths of the mean (default 400). */
  weightStddevMilli?: number;
  /** Stake spread σ_S, thousandths of the mean (default 300). */
  stakeStddevMilli?: number;
  /** Validators' emission share ξ, per mille (default 500, the chain's). */
  validatorShareMilli?: number;
  /** Yuma3 bonds (default false: the published figures predate Yuma3). */
  yuma3?: boolean;
  /** Seed of the draws (default 0). */
  seed?: bigint | number | string;
  /** Honest stake shares, per mille (upstream: 510, 550, 600, …, 950, 990). */
  stakesMilli: number[];
  /** Weight steps per axis (upstream 50: 51 × 51 cells per share; 1-200). */
  steps: number;
  /** First cell (default 0): cell k is share k / (steps+1)², then W_H index, then W_C index. */
  start?: number;
  /** Cells in this chunk (at most 4096; clipped at the end of the map). */
  count: number;
}

/** The cells start … start + count − 1 of a map, one entry per cell in every array. */
export interface RetentionChunk {
  start: number;
  /** Cells in the whole map. */
  total: number;
  stakeMilli: number[];
  /** Honest self-weight W_H (x). */
  majorWeight: number[];
  /** Cabal self-weight W_C (y). */
  minorWeight: number[];
  /** Stake-weighted mean absolute weight deviation over the mean. */
  avgWeightDev: number[];
  /** The honest side's share of the epoch's emission, E_H. */
  majorRatio: number[];
  runtime: RuntimeInfo;
}
"#;

/// Most cells one call computes (a chunk is a worker's slice between two progress messages).
const MAX_CHUNK: u32 = 4096;

thread_local! {
    static LAST: RefCell<Option<RetentionGraph>> = const { RefCell::new(None) };
}

fn field(obj: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn present(v: &JsValue) -> bool {
    !(v.is_undefined() || v.is_null())
}

fn read_request(obj: &JsValue) -> Result<(RetentionParams, RetentionGrid, usize, usize)> {
    if !obj.is_object() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "request",
            "expected an object",
        ));
    }
    let mut p = RetentionParams::default();
    for (name, slot) in [
        ("networkN", &mut p.network_n),
        ("validatorsN", &mut p.validators_n),
        ("kappa", &mut p.kappa),
        ("bondsPenalty", &mut p.bonds_penalty),
        ("weightStddevMilli", &mut p.weight_stddev_milli),
        ("stakeStddevMilli", &mut p.stake_stddev_milli),
        ("validatorShareMilli", &mut p.validator_share_milli),
    ] {
        let v = field(obj, name);
        if present(&v) {
            *slot = to_u16(&v, name)?;
        }
    }
    let v = field(obj, "yuma3");
    if present(&v) {
        p.yuma3 = to_bool(&v, "yuma3")?;
    }
    let v = field(obj, "seed");
    if present(&v) {
        p.seed = to_u64(&v, "seed")?;
    }
    // The grid and the chunk are required: a call names the work it asks for.
    let required = |name: &str| -> Result<JsValue> {
        let v = field(obj, name);
        if present(&v) {
            Ok(v)
        } else {
            Err(Error::field(ErrorCode::MissingField, name, "required"))
        }
    };
    let grid = RetentionGrid {
        stakes_milli: to_u16s(&required("stakesMilli")?, "stakesMilli")?,
        steps: to_u16(&required("steps")?, "steps")?,
    };
    let v = field(obj, "start");
    let start = if present(&v) { to_u32(&v, "start")? } else { 0 };
    let count = to_u32(&required("count")?, "count")?;
    if count > MAX_CHUNK {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "count",
            format!("{count} cells in one call, at most {MAX_CHUNK}"),
        ));
    }
    let (start, count) = (
        usize::try_from(start).unwrap_or(usize::MAX),
        usize::try_from(count).unwrap_or(usize::MAX),
    );
    Ok((p, grid, start, count))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsChunk {
    // u32, not usize: `to_js` turns 64-bit integers into bigint.
    start: u32,
    total: u32,
    stake_milli: Vec<u16>,
    major_weight: Vec<f64>,
    minor_weight: Vec<f64>,
    avg_weight_dev: Vec<f64>,
    major_ratio: Vec<f64>,
    runtime: JsRuntimeInfo,
}

/// Cells of a retention map (subtensor `docs/consensus.md`): for each honest stake share and each
/// pair of self-weights, the honest side's share of one epoch's emission, through the engine's
/// exact epoch. Seeded: the same request gives the same numbers in Node, every browser and the
/// native engine. Values are `I32F32` read exactly as numbers.
///
/// Throws `Error`/`RangeError` with `code` (`INVALID_TYPE`, `OUT_OF_RANGE`, `TOO_MANY_UIDS`,
/// `TOO_LARGE`, `MISSING_FIELD`, `UNSUPPORTED_RUNTIME`, ...) and `field`.
///
/// @example
/// ```ts
/// const c = retentionCells({ stakesMilli: [600], steps: 10, start: 0, count: 11 });
/// c.majorRatio.length; // 11: W_H = 0, W_C = 0 … 1
/// c.total;             // 121
/// ```
#[wasm_bindgen(js_name = retentionCells, unchecked_return_type = "RetentionChunk")]
pub fn retention_cells(
    #[wasm_bindgen(unchecked_param_type = "RetentionRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let (params, grid, start, count) = read_request(&request).map_err(js_error)?;
    let rules = choice_of(&request)
        .and_then(|c| c.rules_core())
        .map_err(js_error)?;
    let cells = LAST
        .with(|last| {
            retention_cells_cached(&params, &grid, start, count, &rules, &mut last.borrow_mut())
        })
        .map_err(js_error)?;
    let f = |x: tao_engine::fixed::I32F32| x.to_num::<f64>();
    to_js(&JsChunk {
        start: u32::try_from(start).unwrap_or(u32::MAX),
        total: u32::try_from(grid.len()).unwrap_or(u32::MAX),
        stake_milli: cells.iter().map(|c| c.stake_milli).collect(),
        major_weight: cells.iter().map(|c| f(c.major_weight)).collect(),
        minor_weight: cells.iter().map(|c| f(c.minor_weight)).collect(),
        avg_weight_dev: cells.iter().map(|c| f(c.avg_weight_dev)).collect(),
        major_ratio: cells.iter().map(|c| f(c.major_ratio)).collect(),
        runtime: rules.info(),
    })
}
