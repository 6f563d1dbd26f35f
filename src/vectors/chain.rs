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

pub use decode::{decode_fixture, fixture_samples, FixtureDecode, FixtureSample};

use super::Outcomes;
use crate::chain::registry::{canonical_type_name, decode_type, Decoded, Wrapping};
use crate::chain::render::{self, RenderOpts};
use crate::chain::storage::{item_named, Hasher, KeyArg, KeyType, StorageItem};
use crate::chain::types::{AccountId32, Header};
use crate::chain::{hex, runtime, weights};
use crate::error::{Error, ErrorCode, Result};
use compare::{as_int, check, check_expected, short};
use serde_json::{json, Value};

/// The current layouts a NEGATIVE neuron fixture must fail to decode as.
const NEGATIVE_TYPES: &[&str] = &[
    "NeuronInfo",
    "NeuronInfoLite",
    "Vec<NeuronInfo>",
    "Vec<NeuronInfoLite>",
    "Option<NeuronInfo>",
    "Option<NeuronInfoLite>",
];

/// The transient dev layouts the NEGATIVE fixtures were written in.
const TRANSIENT_TYPES: &[&str] = &[
    "NeuronInfoLiteDevRao",
    "NeuronInfoDevRao",
    "Vec<NeuronInfoLiteDevRao>",
    "Vec<NeuronInfoDevRao>",
];

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
    if ty.starts_with("NOT SCALE") {
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
fn decode_recorded(
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
    let mut r = crate::chain::scale::Reader::new(bytes);
    r.compact_len().ok()?;
    bytes.get(r.position()..)
}

fn key_arg(kt: KeyType, v: &Value) -> Result<KeyArg> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidType,
            format!("key value {v} is not a {kt:?}"),
        )
    };
    Ok(match kt {
        KeyType::U8 => KeyArg::U8(
            v.as_u64()
                .and_then(|x| u8::try_from(x).ok())
                .ok_or_else(bad)?,
        ),
        KeyType::U16 => KeyArg::U16(
            v.as_u64()
                .and_then(|x| u16::try_from(x).ok())
                .ok_or_else(bad)?,
        ),
        KeyType::U64 => KeyArg::U64(v.as_u64().ok_or_else(bad)?),
        KeyType::AccountId32 => KeyArg::Account(AccountId32::parse(v.as_str().ok_or_else(bad)?)?),
    })
}

fn hasher_name(h: Hasher) -> &'static str {
    match h {
        Hasher::Identity => "Identity",
        Hasher::Twox64Concat => "Twox64Concat",
        Hasher::Blake2_128Concat => "Blake2_128Concat",
        Hasher::Twox128 => "Twox128",
        Hasher::Blake2_128 => "Blake2_128",
        Hasher::Blake2_256 => "Blake2_256",
    }
}

/// Check a fixture `storage` block against the item table: hashers, value type, and the key
/// rebuilt from the key values (`key_hex`) or the fixed leading keys (`prefix_hex`).
fn check_storage_spec(
    out: &mut Outcomes,
    case: &str,
    storage: &Value,
) -> Result<&'static StorageItem> {
    let name = storage.get("item").and_then(Value::as_str).unwrap_or("");
    let item = item_named(name).ok_or_else(|| {
        Error::field(
            ErrorCode::Unsupported,
            "storage.item",
            format!("unknown item {name:?}"),
        )
    })?;
    if let Some(hs) = storage.get("hashers").and_then(Value::as_array) {
        let want: Vec<&str> = hs.iter().filter_map(Value::as_str).collect();
        let have: Vec<&str> = item.keys.iter().map(|(h, _)| hasher_name(*h)).collect();
        out.record(
            case,
            "storage.hashers",
            want == have,
            format!("{want:?}"),
            format!("{have:?}"),
        );
    }
    if let Some(vt) = storage.get("value_type").and_then(Value::as_str) {
        let want = canonical_type_name(vt).unwrap_or_else(|e| e.to_string());
        out.record(
            case,
            "storage.value_type",
            want == item.value_type,
            &want,
            item.value_type,
        );
    }
    let keys = storage
        .get("keys")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut args = Vec::new();
    for (k, (_, kt)) in keys.iter().zip(item.keys) {
        match k.get("value") {
            Some(v) if !v.is_string() || *kt == KeyType::AccountId32 => args.push(key_arg(*kt, v)?),
            _ => break,
        }
    }
    for field in ["key_hex", "prefix_hex"] {
        if let Some(want) = storage.get(field).and_then(Value::as_str) {
            let built = item
                .key(&args)
                .map(|k| hex::encode(&k))
                .unwrap_or_else(|e| e.to_string());
            out.record(
                case,
                &format!("storage.{field}"),
                built == want,
                want,
                built,
            );
        }
    }
    Ok(item)
}

/// `ValueQuery (default 360 ...)`: the stated default, when the text gives an integer.
fn stated_default(query: &str) -> Option<i128> {
    let rest = query.split("default").nth(1)?;
    let num: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    num.parse().ok()
}

/// One storage read (`hex` may be null = absent key) of `item`: decode, compare `derived`, and
/// check the default an absent key stands for.
fn storage_read(
    out: &mut Outcomes,
    case: &str,
    item: &StorageItem,
    c: &Value,
    opts: &RenderOpts,
) -> Result<()> {
    let bytes = hex_of(c, "hex")?;
    match &bytes {
        Some(b) => {
            if let Some(d) = decode_recorded(out, case, item.value_type, b, Wrapping::Raw) {
                if let Some(want) = c.get("derived") {
                    check(out, case, "derived", Some(&d.render(opts)), want);
                }
            }
        }
        None => {
            // The fixtures render an absent key as null; the item decides what it means.
            if let Some(want) = c.get("derived") {
                check(out, case, "derived", Some(&Value::Null), want);
            }
            let value = item.decode_value(None)?;
            let query = c
                .get("storage")
                .and_then(|s| s.get("query"))
                .and_then(Value::as_str)
                .unwrap_or("");
            match (value, stated_default(query)) {
                (Some(d), Some(want)) => {
                    let got = as_int(&d.render(opts));
                    out.record(
                        case,
                        "absent.default",
                        got == Some(want),
                        want,
                        format!("{got:?}"),
                    );
                }
                (None, _) => out.record(
                    case,
                    "absent.option_none",
                    query.contains("OptionQuery"),
                    "OptionQuery",
                    query,
                ),
                (Some(d), None) => out.record(
                    case,
                    "absent.default",
                    query.contains("ValueQuery"),
                    "ValueQuery",
                    d.render(opts),
                ),
            }
        }
    }
    Ok(())
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

fn run_storage_changes(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let opts = RenderOpts::default();
    let storage = doc
        .get("storage")
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "storage", "missing"))?;
    let item = check_storage_spec(out, id, storage)?;
    let mut values: Vec<(Vec<KeyArg>, Value)> = Vec::new();
    for (i, c) in doc
        .get("cases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let case = format!("{id} [{i}]");
        out.guard(&case, |out| {
            let key = hex_of(c, "key_hex")?
                .ok_or_else(|| Error::field(ErrorCode::MissingField, "key_hex", "missing"))?;
            let parts = item.split_key(&key)?;
            // `uid_from_key` / `netuid_from_key`: the last map key.
            for field in ["uid_from_key", "netuid_from_key"] {
                if let Some(want) = c.get(field).and_then(Value::as_u64) {
                    let got = parts.last().and_then(|k| match k {
                        KeyArg::U16(v) => Some(u64::from(*v)),
                        _ => None,
                    });
                    out.record(&case, field, got == Some(want), want, format!("{got:?}"));
                    let rebuilt = item.key(&parts).map(|k| k == key).unwrap_or(false);
                    out.record(
                        &case,
                        "key_rebuilt",
                        rebuilt,
                        hex::encode(&key),
                        format!("{parts:?}"),
                    );
                }
            }
            storage_read(out, &case, item, c, &opts)?;
            let v = hex_of(c, "hex")?
                .map(|b| item.decode_value(Some(&b)))
                .transpose()?
                .flatten()
                .map_or(Value::Null, |d| d.render(&opts));
            values.push((parts, v));
            Ok(())
        });
    }
    if let Some(Value::Object(m)) = doc.get("derived") {
        for (k, want) in m {
            let got = match k.as_str() {
                "netuids_true" => Value::Array(
                    values
                        .iter()
                        .filter(|(_, v)| v.as_bool() == Some(true))
                        .filter_map(|(p, _)| match p.last() {
                            Some(KeyArg::U16(n)) => Some(Value::from(*n)),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => {
                    out.fail(
                        id,
                        &format!("derived.{k}"),
                        "no rule for this file-level derived key",
                    );
                    continue;
                }
            };
            out.record(
                id,
                &format!("derived.{k}"),
                got == *want,
                short(want),
                short(&got),
            );
        }
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
                "hex": hex::encode(&crate::chain::scale::encode::<crate::chain::types::DigestItem>(d)),
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

fn run_negative(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    for (i, c) in doc
        .get("cases")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let case = format!("{id} {}", case_name(c, i));
        out.guard(&case, |out| {
            let bytes = hex_of(c, "hex")?
                .ok_or_else(|| Error::field(ErrorCode::MissingField, "hex", "no hex"))?;
            let mut accepted = Vec::new();
            let mut reasons = Vec::new();
            for ty in NEGATIVE_TYPES {
                match decode_type(ty, &bytes, Wrapping::Raw) {
                    Ok(_) => accepted.push(*ty),
                    Err(e) if matches!(e.code, ErrorCode::Decode | ErrorCode::TrailingBytes) => {
                        reasons.push(format!("{ty}: {}", e.code))
                    }
                    Err(e) => accepted.push(if e.code == ErrorCode::DecodeLimit {
                        "limit"
                    } else {
                        "other"
                    }),
                }
            }
            out.record(
                &case,
                "rejected_by_current_layouts",
                accepted.is_empty(),
                "every current layout rejects",
                if accepted.is_empty() {
                    reasons.join("; ")
                } else {
                    format!("accepted as {accepted:?}")
                },
            );
            if c.get("decodes_with_transient_layout")
                .and_then(Value::as_bool)
                == Some(true)
            {
                let found = TRANSIENT_TYPES
                    .iter()
                    .find_map(|ty| decode_type(ty, &bytes, Wrapping::Raw).ok());
                match found {
                    Some(d) => {
                        if let Some(want) = c.get("derived_with_transient_layout") {
                            check(
                                out,
                                &case,
                                "derived_with_transient_layout",
                                Some(&d.render(&RenderOpts::default())),
                                want,
                            );
                        }
                    }
                    None => out.fail(
                        &case,
                        "transient_layout",
                        "no transient layout decodes these bytes",
                    ),
                }
            }
            Ok(())
        });
    }
    Ok(())
}

pub(super) fn weight_rows(doc: &Value) -> Vec<&Value> {
    doc.get("weight_rows")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn pairs_of(v: Option<&Value>) -> Result<(Vec<u16>, Vec<f64>)> {
    let mut uids = Vec::new();
    let mut ws = Vec::new();
    for p in v.and_then(Value::as_array).into_iter().flatten() {
        let uid = p
            .get(0)
            .and_then(Value::as_u64)
            .and_then(|u| u16::try_from(u).ok());
        let w = p.get(1).and_then(Value::as_f64);
        match (uid, w) {
            (Some(u), Some(w)) => {
                uids.push(u);
                ws.push(w);
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidType,
                    format!("bad weight pair {p}"),
                ))
            }
        }
    }
    Ok((uids, ws))
}

pub(super) fn sdk_row(row: &Value) -> Result<Value> {
    let (uids, ws) = pairs_of(row.get("weights_f32"))?;
    let (u, v) = weights::sdk_convert_weights_and_uids(&uids, &ws)?;
    Ok(Value::Array(
        u.into_iter().zip(v).map(|(u, v)| json!([u, v])).collect(),
    ))
}

fn run_weights_dump(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let hotkeys = doc
        .get("hotkeys")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let n = doc.get("n").and_then(Value::as_u64).unwrap_or(0);
    out.record(
        id,
        "n=len(hotkeys)",
        n == hotkeys.len() as u64,
        n,
        hotkeys.len(),
    );
    if let Some(s) = doc.get("S_tao_f32").and_then(Value::as_array) {
        out.record(id, "n=len(S)", n == s.len() as u64, n, s.len());
    }
    if let Some(ss58) = doc.get("hotkeys_ss58").and_then(Value::as_array) {
        let bad = hotkeys
            .iter()
            .zip(ss58)
            .filter(|(h, s)| {
                let mine = h
                    .as_str()
                    .and_then(|h| AccountId32::from_hex(h).ok())
                    .map(|a| a.to_ss58(42));
                mine.as_deref() != s.as_str()
            })
            .count();
        out.record(
            id,
            "hotkeys_ss58",
            bad == 0 && ss58.len() == hotkeys.len(),
            "all match",
            format!("{bad} differ"),
        );
    }
    for row in weight_rows(doc) {
        let uid = row.get("uid").cloned().unwrap_or(Value::Null);
        let case = format!("{id} uid {uid}");
        out.guard(&case, |out| {
            let got = sdk_row(row)?;
            let want = row
                .get("u16_reconstructed_max_upscale")
                .cloned()
                .unwrap_or(Value::Null);
            out.record(
                &case,
                "sdk_convert_weights_and_uids",
                got == want,
                short(&want),
                short(&got),
            );
            Ok(())
        });
    }
    Ok(())
}

/// Run a chain fixture file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
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
