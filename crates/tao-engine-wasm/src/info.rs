//! Build information.

use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

/// What this build of the engine is.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct BuildInfo {
    /// Crate version, e.g. "0.1.0".
    version: &'static str,
    /// Whether the wasm was compiled with the simd128 target feature.
    simd: bool,
    /// The subtensor commit the engine's rules were ported from.
    subtensor_commit: &'static str,
}

/// Version, SIMD status and the subtensor commit the rules follow.
///
/// @example
/// ```ts
/// import init, { buildInfo } from "tao-engine";
/// await init();
/// console.log(buildInfo().simd); // true
/// ```
#[wasm_bindgen(js_name = buildInfo)]
pub fn build_info() -> Result<tsify::Ts<BuildInfo>, JsValue> {
    super::convert::to_ts(&BuildInfo {
        version: env!("CARGO_PKG_VERSION"),
        simd: cfg!(target_feature = "simd128"),
        subtensor_commit: "14bc6f9f964b9cc362e9635dd110a487fa5d15a0",
    })
}
