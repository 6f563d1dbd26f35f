//! Build information.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_BUILD_INFO: &'static str = r#"
/** What this build of the engine is. */
export interface BuildInfo {
  /** Crate version, e.g. "0.1.0". */
  version: string;
  /** Whether the wasm was compiled with the simd128 target feature. */
  simd: boolean;
  /** The subtensor commit the engine's rules were ported from. */
  subtensorCommit: string;
}
"#;

/// Version, SIMD status and the subtensor commit the rules follow.
///
/// @example
/// ```ts
/// import init, { buildInfo } from "tao-engine";
/// await init();
/// console.log(buildInfo().simd); // true
/// ```
#[wasm_bindgen(js_name = buildInfo, unchecked_return_type = "BuildInfo")]
pub fn build_info() -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"version".into(), &env!("CARGO_PKG_VERSION").into());
    let _ = js_sys::Reflect::set(&o, &"simd".into(), &cfg!(target_feature = "simd128").into());
    let _ = js_sys::Reflect::set(
        &o,
        &"subtensorCommit".into(),
        &"14bc6f9f964b9cc362e9635dd110a487fa5d15a0".into(),
    );
    o.into()
}
