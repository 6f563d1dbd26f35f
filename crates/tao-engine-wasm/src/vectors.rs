//! The reference-vector harness, exported so `scripts/vectors.mjs` can hold the wasm engine to the
//! same checks as the native one.

use super::convert::{js_error, to_bytes, to_js, to_str};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_VECTORS: &'static str = r#"
/** One checked field group of one vector case. */
export interface VectorOutcome { case: string; field: string; passed: boolean; expected: string; actual: string; }
/** Result of one vector file. */
export interface VectorReport { schema: string; outcomes: VectorOutcome[]; }
"#;

/// Run one reference-vector file (its JSON text) through the engine. A file that names a blob
/// beside it (a runtime-metadata fixture's `file`) takes that blob's bytes as `file`.
///
/// Throws with `code` `INVALID_JSON` or `UNSUPPORTED` when the file is unusable; case failures
/// are reported as outcomes.
///
/// @example
/// ```ts
/// const r = runVectorFile(readFileSync("block-emission-halving.json", "utf8"));
/// r.outcomes.filter(o => !o.passed).length; // 0
/// ```
#[wasm_bindgen(js_name = runVectorFile, unchecked_return_type = "VectorReport")]
pub fn run_vector_file(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array")] file: JsValue,
) -> Result<JsValue, JsValue> {
    let json = to_str(&json, "json").map_err(js_error)?;
    let file = if file.is_undefined() || file.is_null() {
        None
    } else {
        Some(to_bytes(&file, "file").map_err(js_error)?)
    };
    let load = |_: &str| file.clone();
    let report = tao_vectors::run_file_with(&json, &load).map_err(js_error)?;
    to_js(&report)
}
