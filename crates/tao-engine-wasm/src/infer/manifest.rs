//! `inferManifest`: the shipped models' manifest (`models/manifest.json`) as typed data.

use super::ModelDType;
use crate::convert::{js_error, to_ts};
use crate::request::InferTask;
use serde::{Deserialize, Serialize};
use tao_engine::error::{Error, ErrorCode};
use tao_playground::shipped;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// How a shipped model was trained.
#[derive(Serialize, Deserialize, Tsify)]
pub struct ManifestSgd {
    /// Seed of initialization and sample order.
    seed: f64,
    /// Minibatch steps.
    steps: u32,
    /// Rows per minibatch.
    batch: u32,
    /// Learning rate.
    lr: f64,
    momentum: f64,
    /// L2 weight decay.
    decay: f64,
}

/// A shipped model's score on the held-out set.
#[derive(Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ManifestHeldout {
    count: u32,
    accuracy: f64,
    mean_log_likelihood: f64,
    bits: f64,
}

/// One shipped model: its recipe, size and measured held-out accuracy / log-likelihood.
#[derive(Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
pub struct ManifestModel {
    name: String,
    task: InferTask,
    /// Its `.tmod` file.
    file: String,
    /// Size of the file.
    bytes: u32,
    dtype: ModelDType,
    /// Layer widths from features to outputs (empty for the bigram).
    layers: Vec<u32>,
    /// Text MLPs: [context, embedding dim].
    embed: Option<(u32, u32)>,
    params: u32,
    sgd: ManifestSgd,
    heldout: ManifestHeldout,
}

/// `models/manifest.json`.
#[derive(Serialize, Deserialize, Tsify)]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct ModelManifest {
    models: Vec<ManifestModel>,
}

/// `models/manifest.json`: every shipped model's recipe, size and measured held-out
/// accuracy / log-likelihood.
#[wasm_bindgen(js_name = inferManifest)]
pub fn infer_manifest() -> Result<Ts<ModelManifest>, JsValue> {
    let m: ModelManifest = serde_json::from_str(shipped::MANIFEST_JSON).map_err(|e| {
        js_error(Error::new(
            ErrorCode::Internal,
            format!("the shipped manifest does not parse: {e}"),
        ))
    })?;
    to_ts(&m)
}
