//! The models and held-out sets that ship inside the engine (files under `models/`, embedded at
//! compile time): see `models/README.md` for how each was trained and how well it does.

use super::format::{decode_model, DType};
use super::model::Model;
use super::text;
use super::train::Digit;
use tao_engine::error::{Error, ErrorCode, Result};

/// `(name, .tmod bytes)` of every shipped model, weakest first within each task.
pub const MODELS: &[(&str, &[u8])] = &[
    ("digits-s", include_bytes!("../models/digits-s.tmod")),
    ("digits-m", include_bytes!("../models/digits-m.tmod")),
    ("digits-l", include_bytes!("../models/digits-l.tmod")),
    ("digits-l-q8", include_bytes!("../models/digits-l-q8.tmod")),
    ("text-bigram", include_bytes!("../models/text-bigram.tmod")),
    ("text-mlp", include_bytes!("../models/text-mlp.tmod")),
    ("text-mlp-q8", include_bytes!("../models/text-mlp-q8.tmod")),
];

/// `models/manifest.json`: each model's recipe, size and held-out accuracy / log-likelihood.
pub const MANIFEST_JSON: &str = include_str!("../models/manifest.json");

/// The 360 held-out digits (64 pixels + label each), never seen in training.
pub const DIGITS_HELDOUT: &[u8] = include_bytes!("../models/digits-heldout.bin");

/// 10,000 held-out characters of Moby Dick (the last tenth of the book, never seen in training).
pub const TEXT_HELDOUT: &str = include_str!("../models/text-heldout.txt");

/// Names of the shipped models.
pub fn model_names() -> Vec<&'static str> {
    MODELS.iter().map(|(n, _)| *n).collect()
}

/// The `.tmod` bytes of a shipped model.
pub fn model_bytes(name: &str) -> Result<&'static [u8]> {
    MODELS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
        .ok_or_else(|| {
            Error::field(
                ErrorCode::Unsupported,
                "name",
                format!(
                    "no shipped model {name:?} (have {})",
                    model_names().join(", ")
                ),
            )
        })
}

/// Decode a shipped model.
pub fn load(name: &str) -> Result<(Model, DType)> {
    decode_model(model_bytes(name)?)
}

/// The held-out digits.
pub fn heldout_digits() -> Vec<Digit> {
    DIGITS_HELDOUT
        .chunks_exact(65)
        .filter_map(|c| {
            Some(Digit {
                pixels: <[u8; 64]>::try_from(c.get(..64)?).ok()?,
                label: *c.get(64)?,
            })
        })
        .collect()
}

/// The held-out text as character ids.
pub fn heldout_text() -> Vec<u8> {
    text::encode(TEXT_HELDOUT)
}
