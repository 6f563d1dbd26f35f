//! Historical Yuma versions (yuma-simulation's Yuma 1, 2, 2B, 2C, 3 and 3-liquid) over a whole
//! scenario: the `scripts/yuma-versions` JSON contract as one export.
//!
//! These are yuma-simulation's definitions computed in `f32` as torch does
//! (`tao_engine::consensus::history`), not the chain's fixed-point epoch; the result says so in
//! `definitions`.

use super::convert::{from_js, js_error, to_ts};
use serde::Serialize;
use tao_engine::consensus::history::{scenario, simulate};
use tao_engine::error::{Error, ErrorCode};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// One epoch of a historical Yuma run (f32 values, each the number its shortest form reads as).
#[derive(Serialize, Tsify)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct YumaVersionEpoch {
    dividends: Vec<f64>,
    incentives: Vec<f64>,
    bonds: Vec<Vec<f64>>,
}

/// A whole historical Yuma run.
#[derive(Serialize, Tsify)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct YumaVersionsResult {
    /// The version that ran: "yuma1", "yuma2", "yuma2b", "yuma2c", "yuma3" or "yuma3-liquid".
    version: String,
    /// Whose rules: always "yuma-simulation (f32)"; not a chain runtime.
    definitions: String,
    epochs: Vec<YumaVersionEpoch>,
}

/// An f32 as the number its shortest decimal form reads as (what yuma-simulation prints, and what
/// `JSON.parse` of it gives), not its exact binary value widened.
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

fn shortest_all(v: &[f32]) -> Vec<f64> {
    v.iter().copied().map(shortest).collect()
}

/// Which rules every result of [`yuma_versions`] follows.
const DEFINITIONS: &str = "yuma-simulation (f32)";

/// Run one yuma-simulation scenario under its `version` (Yuma 1, 2, 2B, 2C, 3 or 3-liquid):
/// per epoch the validators' dividends, the servers' incentives and the bonds.
///
/// `scenario` is a JSON string or a plain object: `{version, params, num_validators, num_servers,
/// use_full_matrices, reset_bonds?, epochs: [{weights, stakes}]}` (`params` keys are
/// yuma-simulation's `YumaConfig`; missing keys take its defaults). Throws `INVALID_JSON` for bad
/// JSON text, `INVALID_TYPE`, `MISSING_FIELD`, `UNSUPPORTED` (unknown key or version),
/// `OUT_OF_RANGE`, `TOO_LARGE` or `LENGTH_MISMATCH` naming the field.
///
/// @example
/// ```ts
/// const r = yumaVersions({ version: "yuma3", num_validators: 2, num_servers: 1,
///   use_full_matrices: false, epochs: [{ weights: [[1], [1]], stakes: [0.5, 0.5] }] });
/// r.epochs[0].dividends; // [0.49999902, 0.49999902] (f32, as yuma-simulation gives them)
/// ```
#[wasm_bindgen(js_name = yumaVersions)]
pub fn yuma_versions(
    #[wasm_bindgen(unchecked_param_type = "string | object")] scenario: JsValue,
) -> Result<Ts<YumaVersionsResult>, JsValue> {
    let value: serde_json::Value = if let Some(text) = scenario.as_string() {
        serde_json::from_str(&text).map_err(|e| {
            js_error(Error::field(
                ErrorCode::InvalidJson,
                "scenario",
                e.to_string(),
            ))
        })?
    } else if scenario.is_object() && !scenario.is_function() {
        from_js(scenario, "scenario").map_err(js_error)?
    } else {
        return Err(js_error(Error::field(
            ErrorCode::InvalidType,
            "scenario",
            "expected a JSON string or an object",
        )));
    };
    if !value.is_object() {
        return Err(js_error(Error::field(
            ErrorCode::InvalidType,
            "scenario",
            "expected a scenario object",
        )));
    }
    let parsed = scenario::parse_scenario(&value).map_err(js_error)?;
    let version = value
        .get("version")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let records = simulate::simulate(&parsed).map_err(js_error)?;
    to_ts(&YumaVersionsResult {
        version,
        definitions: DEFINITIONS.to_string(),
        epochs: records
            .iter()
            .map(|r| YumaVersionEpoch {
                dividends: shortest_all(&r.dividends),
                incentives: shortest_all(&r.incentives),
                bonds: r.bonds.iter().map(|row| shortest_all(row)).collect(),
            })
            .collect(),
    })
}
