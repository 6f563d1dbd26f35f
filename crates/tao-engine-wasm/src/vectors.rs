//! The reference-vector harness, exported so `scripts/vectors.mjs` can hold the wasm engine to the
//! same checks as the native one (feature `harness`, built by `scripts/build --variant vectors`).

use super::convert::{js_error, to_str, to_ts};
use super::request::{Bytes, FromJs};
use serde::Serialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// One checked field group of one vector case.
#[derive(Serialize, Tsify)]
pub struct VectorOutcome {
    case: String,
    field: String,
    passed: bool,
    expected: String,
    actual: String,
}

/// Result of one vector file.
#[derive(Serialize, Tsify)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct VectorReport {
    schema: String,
    outcomes: Vec<VectorOutcome>,
}

impl From<tao_vectors::FileReport> for VectorReport {
    fn from(r: tao_vectors::FileReport) -> Self {
        VectorReport {
            schema: r.schema,
            outcomes: r
                .outcomes
                .into_iter()
                .map(|o| VectorOutcome {
                    case: o.case,
                    field: o.field,
                    passed: o.passed,
                    expected: o.expected,
                    actual: o.actual,
                })
                .collect(),
        }
    }
}

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
#[wasm_bindgen(js_name = runVectorFile)]
pub fn run_vector_file(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    file: Option<Ts<Bytes>>,
) -> Result<Ts<VectorReport>, JsValue> {
    let json = to_str(&json, "json").map_err(js_error)?;
    let blob = match &file {
        None => None,
        Some(f) => Option::<Bytes>::parse(&f.js_value(), "file")
            .map_err(js_error)?
            .map(|b| b.0),
    };
    let load = |_: &str| blob.clone();
    let report = tao_vectors::run_file_with(&json, &load).map_err(js_error)?;
    to_ts(&VectorReport::from(report))
}
