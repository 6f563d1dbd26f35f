//! Runtime-metadata fixtures (`fixtures/chain/metadata/`): a JSON file naming a sibling `.scale`
//! blob (`file`) of type `RuntimeMetadataPrefixed`, with `byte_length` and a `derived` summary.
//!
//! Outcomes: `byte_length`, `decode` (V14/V15/V16, every byte consumed, canonical), `derived.keys`
//! (the summary has exactly the keys of `derived`), and one outcome per key of `derived`
//! (objects per leaf, as for every chain fixture).

use super::compare::check;
use crate::Outcomes;
use serde_json::Value;
use tao_engine::chain::metadata;

/// Whether a chain fixture is a metadata blob reference (by shape: a `.scale` sibling `file` and
/// a `RuntimeMetadataPrefixed` type).
pub(super) fn is_metadata_fixture(doc: &Value) -> bool {
    let file = doc.get("file").and_then(Value::as_str).unwrap_or("");
    let ty = doc.get("type").and_then(Value::as_str).unwrap_or("");
    file.ends_with(".scale") && ty.starts_with("RuntimeMetadataPrefixed")
}

/// The summary of a metadata blob as JSON (what `scripts/decode FILE.scale` prints).
pub fn summary_json(bytes: &[u8]) -> tao_engine::error::Result<Value> {
    let s = metadata::summarize(bytes)?;
    serde_json::to_value(s).map_err(|e| {
        tao_engine::error::Error::new(
            tao_engine::error::ErrorCode::Internal,
            format!("serialise: {e}"),
        )
    })
}

fn keys_of(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

pub(super) fn run_metadata(doc: &Value, id: &str, out: &mut Outcomes, blob: Option<Vec<u8>>) {
    let file = doc.get("file").and_then(Value::as_str).unwrap_or("");
    let Some(bytes) = blob else {
        out.fail(id, "file", format!("{file} could not be loaded"));
        return;
    };
    if let Some(n) = doc.get("byte_length").and_then(Value::as_u64) {
        out.record(id, "byte_length", n == bytes.len() as u64, n, bytes.len());
    }
    let summary = match summary_json(&bytes) {
        Ok(s) => {
            out.record(
                id,
                "decode",
                true,
                "RuntimeMetadataPrefixed",
                "decoded, every byte",
            );
            s
        }
        Err(e) => {
            out.record(id, "decode", false, "RuntimeMetadataPrefixed", e);
            return;
        }
    };
    let Some(want) = doc.get("derived") else {
        out.fail(id, "derived", "no derived block");
        return;
    };
    let (wk, ak) = (keys_of(want), keys_of(&summary));
    out.record(id, "derived.keys", wk == ak, wk.join(","), ak.join(","));
    check(out, id, "derived", Some(&summary), want);
}
