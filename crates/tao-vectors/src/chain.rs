//! Runner for chain capture fixtures (`fixtures/chain`, format in its README).
//!
//! Each file is decoded per its `type` and `result_wrapping` and every field of `expected` and
//! `derived` is compared with the decoded value, rendered in the fixture conventions; vector
//! summaries (`len`, `sum`, `first5`, `count_true`, ...) are computed from the decoded vectors.
//! Each compared leaf is one outcome. Besides: `byte_length`, a re-encode round trip, storage
//! keys rebuilt from the item table, header hashes, runtime-API ids, the rejection of NEGATIVE
//! fixtures by every current layout, and the SDK weight conversion on the SN15 float dump.
//!
//! [`decode_fixture`] is the same decoding without comparisons (`tao-decode`).

mod compare;
mod decode;
mod metadata;
mod special;
mod storage;

use special::{run_negative, run_weights_dump};
use storage::{check_storage_spec, run_storage_changes, storage_read};

pub use decode::{decode_fixture, fixture_samples, FixtureDecode, FixtureSample};
pub use metadata::summary_json as metadata_summary_json;

use super::Outcomes;
use compare::{check, check_expected};
use serde_json::{json, Value};
use tao_engine::chain::registry::{decode_type, Decoded, Wrapping};
use tao_engine::chain::render::{self, RenderOpts};
use tao_engine::chain::types::Header;
use tao_engine::chain::{hex, runtime};
use tao_engine::error::{Error, ErrorCode, Result};

/// What a fixture file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixtureKind {
    /// One `hex` of a SCALE type.
    Single,
    /// `cases`, each with its own hex (and maybe its own type or storage item).
    Cases,
    /// A storage map read through `state_getKeysPaged` + `state_queryStorageAt`.
    StorageChanges,
    /// `chain_getHeader` JSON plus its SCALE encoding.
    Header,
    /// `state_getRuntimeVersion` JSON.
    RuntimeVersion,
    /// Bytes that the current layouts must reject.
    Negative,
    /// Not SCALE: the SN15 float metagraph dump.
    WeightsDump,
    /// Runtime metadata in a sibling `.scale` file (`file`).
    Metadata,
}

/// A fixture's declared type, parsed: the type name for [`decode_type`] and the wrapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureType {
    /// Type name (as written, before canonicalisation).
    pub type_name: String,
    /// Wrapping, when the type text says (`Vec<u8> wrapping X`).
    pub wrapping: Option<Wrapping>,
}

/// Parse a fixture's free-text `type` (`"Vec<u8> wrapping Vec<NeuronInfoLite<AccountId32>>"`,
/// `"DelegateInfo (LEGACY pre-dTAO layout: ...)"`, `"Vec<(u16, u16)> per key"`, ...).
pub fn parse_fixture_type(text: &str) -> FixtureType {
    let mut t = text.trim();
    let mut wrapping = None;
    if let Some(rest) = t.strip_prefix("Vec<u8> wrapping ") {
        wrapping = Some(Wrapping::VecU8);
        t = rest.trim_start();
    }
    let legacy = text.contains("LEGACY");
    t = t.strip_prefix("LEGACY ").unwrap_or(t);
    // The leading type expression: stop at whitespace outside brackets.
    let mut depth = 0i32;
    let mut end = t.len();
    for (i, c) in t.char_indices() {
        match c {
            '<' | '(' | '[' => depth = depth.saturating_add(1),
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() && depth <= 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let mut name = t.get(..end).unwrap_or(t).to_string();
    if legacy && matches!(name.as_str(), "DelegateInfo" | "StakeInfo") {
        name.push_str("Legacy");
    }
    FixtureType {
        type_name: name,
        wrapping,
    }
}

fn first_word(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str)
        .and_then(|s| s.split(|c: char| c.is_whitespace() || c == '(').next())
        .unwrap_or("")
}

/// Classify a fixture file.
pub fn fixture_kind(doc: &Value) -> FixtureKind {
    let ty = doc.get("type").and_then(Value::as_str).unwrap_or("");
    let wrapping = first_word(doc.get("result_wrapping"));
    if metadata::is_metadata_fixture(doc) {
        FixtureKind::Metadata
    } else if ty.starts_with("NOT SCALE") {
        FixtureKind::WeightsDump
    } else if ty.starts_with("NEGATIVE") {
        FixtureKind::Negative
    } else if wrapping == "json_object" && ty.starts_with("Header") {
        FixtureKind::Header
    } else if wrapping == "json_object" {
        FixtureKind::RuntimeVersion
    } else if wrapping == "storage_changes" {
        FixtureKind::StorageChanges
    } else if doc.get("cases").is_some_and(Value::is_array) {
        FixtureKind::Cases
    } else {
        FixtureKind::Single
    }
}

pub(super) fn file_wrapping(doc: &Value, ft: &FixtureType) -> Result<Wrapping> {
    match doc.get("result_wrapping").and_then(Value::as_str) {
        Some(w) => Wrapping::parse(w),
        None => Ok(ft.wrapping.unwrap_or(Wrapping::Raw)),
    }
}

pub(super) fn hex_of(v: &Value, key: &str) -> Result<Option<Vec<u8>>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => hex::decode(s).map(Some).map_err(|e| e.within(key)),
        Some(_) => Err(Error::field(
            ErrorCode::InvalidType,
            key,
            "not a hex string",
        )),
    }
}

pub(super) fn case_name(case: &Value, i: usize) -> String {
    for k in ["name", "test_seed", "type"] {
        if let Some(s) = case.get(k).and_then(Value::as_str) {
            return format!("[{i}] {s}");
        }
    }
    format!("[{i}]")
}

// ---- decoding helpers -----------------------------------------------------------------------

/// Decode and record `decode` (and a re-encode round trip) as outcomes; returns the value.
pub(super) fn decode_recorded(
    out: &mut Outcomes,
    case: &str,
    ty: &str,
    bytes: &[u8],
    wrapping: Wrapping,
) -> Option<Decoded> {
    match decode_type(ty, bytes, wrapping) {
        Ok(d) => {
            out.record(case, "decode", true, ty, d.type_name());
            let inner = match wrapping {
                Wrapping::VecU8 => inner_of_vec_u8(bytes),
                _ => Some(bytes),
            };
            // Option<T> in a Vec<u8> wrapper re-encodes with its tag; skip that form.
            let tagged = wrapping == Wrapping::VecU8 && d.type_name().starts_with("Option<");
            if !tagged {
                let re = d.encode();
                let same = inner.is_some_and(|b| b == re.as_slice());
                out.record(
                    case,
                    "re-encode",
                    same,
                    format!("{} bytes", bytes.len()),
                    format!("{} bytes", re.len()),
                );
            }
            Some(d)
        }
        Err(e) => {
            out.record(case, "decode", false, ty, e);
            None
        }
    }
}

fn inner_of_vec_u8(bytes: &[u8]) -> Option<&[u8]> {
    let mut r = tao_engine::chain::scale::Reader::new(bytes);
    r.compact_len().ok()?;
    bytes.get(r.position()..)
}

// ---- file kinds -----------------------------------------------------------------------------

fn run_single(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let opts = RenderOpts::default();
    let ft = parse_fixture_type(doc.get("type").and_then(Value::as_str).unwrap_or(""));
    let wrapping = file_wrapping(doc, &ft)?;
    let bytes = hex_of(doc, "hex")?
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "hex", "no hex"))?;
    if let Some(n) = doc.get("byte_length").and_then(Value::as_u64) {
        out.record(id, "byte_length", n == bytes.len() as u64, n, bytes.len());
    }
    if let Some(n) = doc.get("inner_hex_len_bytes").and_then(Value::as_u64) {
        let inner = inner_of_vec_u8(&bytes).map_or(0, <[u8]>::len);
        out.record(id, "inner_hex_len_bytes", n == inner as u64, n, inner);
    }
    let item = match doc.get("storage") {
        Some(s) => Some(check_storage_spec(out, id, s)?),
        None => None,
    };
    let ty = item.map_or(ft.type_name.as_str(), |i| i.value_type);
    let Some(d) = decode_recorded(out, id, ty, &bytes, wrapping) else {
        return Ok(());
    };
    let rendered = d.render(&opts);
    if let Some(e) = doc.get("expected") {
        check_expected(out, id, &rendered, e);
    }
    if let Some(want) = doc.get("derived") {
        check(out, id, "derived", Some(&rendered), want);
    }
    if let Some(want) = doc.get("derived_ss58") {
        check(
            out,
            id,
            "derived_ss58",
            Some(&d.render(&RenderOpts::SS58)),
            want,
        );
    }
    for (i, rc) in doc
        .get("related_cases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let case = format!("{id} related[{i}]");
        let storage = rc
            .get("storage")
            .ok_or_else(|| Error::field(ErrorCode::MissingField, "storage", "missing"))?;
        let item = check_storage_spec(out, &case, storage)?;
        storage_read(out, &case, item, rc, &opts)?;
    }
    Ok(())
}

fn run_cases(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let opts = RenderOpts::default();
    let file_ft = parse_fixture_type(doc.get("type").and_then(Value::as_str).unwrap_or(""));
    let wrapping = file_wrapping(doc, &file_ft)?;
    for (i, c) in doc
        .get("cases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let case = format!("{id} {}", case_name(c, i));
        out.guard(&case, |out| {
            if let Some(storage) = c.get("storage") {
                let item = check_storage_spec(out, &case, storage)?;
                return storage_read(out, &case, item, c, &opts);
            }
            let ft = match c.get("type").and_then(Value::as_str) {
                Some(t) => parse_fixture_type(t),
                None => file_ft.clone(),
            };
            let bytes = hex_of(c, "hex")?
                .ok_or_else(|| Error::field(ErrorCode::MissingField, "hex", "no hex"))?;
            if let Some(d) = decode_recorded(
                out,
                &case,
                &ft.type_name,
                &bytes,
                ft.wrapping.unwrap_or(wrapping),
            ) {
                let rendered = d.render(&opts);
                if let Some(e) = c.get("expected") {
                    check_expected(out, &case, &rendered, e);
                }
                if let Some(want) = c.get("derived") {
                    check(out, &case, "derived", Some(&rendered), want);
                }
            }
            Ok(())
        });
    }
    Ok(())
}

fn run_header(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let json = doc
        .get("rpc_result_json")
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "rpc_result_json", "missing"))?;
    let from_json = Header::from_rpc_json(json)?;
    if let Some(bytes) = hex_of(doc, "hex")? {
        let enc = from_json.encode();
        out.record(
            id,
            "scale_from_json",
            enc == bytes,
            hex::encode(&bytes),
            hex::encode(&enc),
        );
        if let Some(d) = decode_recorded(out, id, "Header", &bytes, Wrapping::Raw) {
            let same = d.get::<Header>() == Some(&from_json);
            out.record(
                id,
                "decoded_equals_json",
                same,
                "equal",
                if same { "equal" } else { "different" },
            );
        }
    }
    if let Some(e) = doc.get("expected") {
        if let Some(want) = e.get("block_hash").and_then(Value::as_str) {
            let got = from_json.hash().to_hex();
            out.record(id, "expected.block_hash", got == want, want, got);
        }
        if let Some(want) = e.get("block_number").and_then(Value::as_u64) {
            out.record(
                id,
                "expected.block_number",
                u64::from(from_json.number) == want,
                want,
                from_json.number,
            );
        }
    }
    let items: Vec<Value> = from_json
        .digest
        .iter()
        .map(|d| {
            json!({
                "hex": hex::encode(&tao_engine::chain::scale::encode::<tao_engine::chain::types::DigestItem>(d)),
                "kind_byte": format!("{:02x}", d.kind_byte()),
                "engine_ascii": d.engine().map_or(Value::Null, |e| render::text(&e)),
            })
        })
        .collect();
    let rendered = json!({"parent_hash": from_json.parent_hash.to_hex(), "digest_items": items});
    if let Some(want) = doc.get("derived") {
        check(out, id, "derived", Some(&rendered), want);
    }
    Ok(())
}

fn run_runtime_version(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let json = doc
        .get("rpc_result_json")
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "rpc_result_json", "missing"))?;
    let apis = json
        .get("apis")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let version_of = |id_hex: &str| {
        apis.iter()
            .find(|p| p.get(0).and_then(Value::as_str) == Some(id_hex))
            .and_then(|p| p.get(1))
            .cloned()
    };
    if let (Some(want), Some(got)) = (
        doc.get("chain").and_then(|c| c.get("spec_version")),
        json.get("specVersion"),
    ) {
        out.record(id, "specVersion", want == got, want, got);
    }
    let derived = doc
        .get("derived")
        .and_then(|d| d.get("api_ids_blake2_64_of_trait_name"))
        .and_then(Value::as_object);
    let Some(derived) = derived else {
        out.fail(id, "derived", "no api_ids_blake2_64_of_trait_name");
        return Ok(());
    };
    for (name, want) in derived {
        let id_hex = hex::encode(&runtime::api_id(name));
        let rendered = json!({"id": id_hex, "version": version_of(&id_hex).unwrap_or(Value::Null)});
        check(out, id, &format!("derived.{name}"), Some(&rendered), want);
    }
    Ok(())
}

/// Compare an already rendered value (e.g. the output of `scripts/decode`) with a single-value
/// fixture's `expected` and `derived` fields, with the same rules as the runner.
pub fn check_rendered(doc: &Value, rendered: &Value) -> Vec<super::Outcome> {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("file");
    let mut out = Outcomes::default();
    if let Some(e) = doc.get("expected") {
        check_expected(&mut out, id, rendered, e);
    }
    if let Some(want) = doc.get("derived") {
        check(&mut out, id, "derived", Some(rendered), want);
    }
    out.into_outcomes()
}

/// Run a chain fixture file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
    run_with(doc, out, &|_| None)
}

/// Run a chain fixture file; `load` reads a file the fixture names (metadata blobs), relative to
/// the fixture's folder.
pub fn run_with(
    doc: &Value,
    out: &mut Outcomes,
    load: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<()> {
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("file")
        .to_string();
    let before = out.len();
    let r = match fixture_kind(doc) {
        FixtureKind::Single => run_single(doc, &id, out),
        FixtureKind::Cases => run_cases(doc, &id, out),
        FixtureKind::StorageChanges => run_storage_changes(doc, &id, out),
        FixtureKind::Header => run_header(doc, &id, out),
        FixtureKind::RuntimeVersion => run_runtime_version(doc, &id, out),
        FixtureKind::Negative => run_negative(doc, &id, out),
        FixtureKind::WeightsDump => run_weights_dump(doc, &id, out),
        FixtureKind::Metadata => {
            let file = doc.get("file").and_then(Value::as_str).unwrap_or("");
            metadata::run_metadata(doc, &id, out, load(file));
            Ok(())
        }
    };
    if let Err(e) = r {
        out.fail(&id, "file", e);
    } else if out.len() == before {
        out.fail(&id, "file", "nothing in this file could be checked");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_type_text() {
        let t = parse_fixture_type("Vec<u8> wrapping Vec<NeuronInfoLite<AccountId32>>");
        assert_eq!(
            (t.type_name.as_str(), t.wrapping),
            ("Vec<NeuronInfoLite<AccountId32>>", Some(Wrapping::VecU8))
        );
        assert_eq!(
            parse_fixture_type("Vec<(u16, u16)> per key").type_name,
            "Vec<(u16, u16)>"
        );
        assert_eq!(
            parse_fixture_type("DelegateInfo (LEGACY pre-dTAO layout: x)").type_name,
            "DelegateInfoLegacy"
        );
        assert_eq!(parse_fixture_type("u64 (TaoBalance, rao)").type_name, "u64");
        assert_eq!(parse_fixture_type("[u8; 4]").type_name, "[u8; 4]");
    }
}
