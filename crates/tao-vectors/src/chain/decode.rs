//! Decoding a fixture-format document without comparing it (`tao-decode`).

use super::special::{sdk_row, weight_rows};
use super::{case_name, file_wrapping, fixture_kind, hex_of, parse_fixture_type};
use super::{FixtureKind, FixtureType};
use serde_json::{json, Map, Value};
use tao_engine::chain::registry::{decode_type, Wrapping};
use tao_engine::chain::render::{self, RenderOpts};
use tao_engine::chain::storage::{item_named, KeyArg, StorageItem};
use tao_engine::chain::types::Header;
use tao_engine::chain::{hex, runtime};
use tao_engine::error::{Error, ErrorCode, Result};

/// The result of decoding a fixture-format document: the rendered value and whether any part
/// failed to decode (then the value holds `{"error": ...}` entries for those parts).
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureDecode {
    /// One JSON document.
    pub value: Value,
    /// Errors met (decode errors, leftover bytes).
    pub errors: Vec<Error>,
}

fn error_json(e: &Error) -> Value {
    json!({"error": {"code": e.code.as_str(), "field": e.field, "offset": e.offset, "message": e.message}})
}

fn storage_case_value(
    item: &StorageItem,
    c: &Value,
    opts: &RenderOpts,
    errors: &mut Vec<Error>,
) -> Value {
    let read = hex_of(c, "hex").and_then(|b| item.decode_value(b.as_deref()));
    match read {
        Ok(Some(d)) => d.render(opts),
        Ok(None) => Value::Null,
        Err(e) => {
            let v = error_json(&e);
            errors.push(e);
            v
        }
    }
}

/// Decode a fixture-format document (its `type`, `hex` and `result_wrapping`; `cases`, storage
/// reads, headers and runtime versions too) and render it in the fixture conventions.
pub fn decode_fixture(doc: &Value, opts: &RenderOpts) -> Result<FixtureDecode> {
    let mut errors = Vec::new();
    let value = match fixture_kind(doc) {
        FixtureKind::Single => {
            let ft = parse_fixture_type(doc.get("type").and_then(Value::as_str).unwrap_or(""));
            let wrapping = file_wrapping(doc, &ft)?;
            let bytes = hex_of(doc, "hex")?
                .ok_or_else(|| Error::field(ErrorCode::MissingField, "hex", "no hex"))?;
            let ty = match doc
                .get("storage")
                .and_then(|s| s.get("item"))
                .and_then(Value::as_str)
                .and_then(item_named)
            {
                Some(item) => item.value_type,
                None => ft.type_name.as_str(),
            };
            decode_type(ty, &bytes, wrapping)?.render(opts)
        }
        FixtureKind::Cases | FixtureKind::Negative => {
            let file_ft = parse_fixture_type(doc.get("type").and_then(Value::as_str).unwrap_or(""));
            let negative = fixture_kind(doc) == FixtureKind::Negative;
            let mut list = Vec::new();
            for (i, c) in doc
                .get("cases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let mut entry = Map::new();
                entry.insert("case".into(), Value::from(case_name(c, i)));
                let v = if let Some(item) = c
                    .get("storage")
                    .and_then(|s| s.get("item"))
                    .and_then(Value::as_str)
                    .and_then(item_named)
                {
                    entry.insert("storage_item".into(), Value::from(item.name));
                    entry.insert(
                        "absent".into(),
                        Value::from(c.get("hex").is_none_or(Value::is_null)),
                    );
                    storage_case_value(item, c, opts, &mut errors)
                } else {
                    let ty = match (c.get("type").and_then(Value::as_str), negative) {
                        (Some(t), _) => parse_fixture_type(t),
                        (None, true) => FixtureType {
                            type_name: guess_neuron_type(c),
                            wrapping: None,
                        },
                        (None, false) => file_ft.clone(),
                    };
                    entry.insert("type".into(), Value::from(ty.type_name.clone()));
                    let r = hex_of(c, "hex").and_then(|b| {
                        let b = b.ok_or_else(|| {
                            Error::field(ErrorCode::MissingField, "hex", "no hex")
                        })?;
                        decode_type(&ty.type_name, &b, ty.wrapping.unwrap_or(Wrapping::Raw))
                    });
                    match r {
                        Ok(d) => d.render(opts),
                        Err(e) => {
                            let v = error_json(&e);
                            errors.push(e);
                            v
                        }
                    }
                };
                entry.insert("value".into(), v);
                list.push(Value::Object(entry));
            }
            json!({ "cases": list })
        }
        FixtureKind::StorageChanges => {
            let name = doc
                .get("storage")
                .and_then(|s| s.get("item"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let item = item_named(name).ok_or_else(|| {
                Error::field(
                    ErrorCode::Unsupported,
                    "storage.item",
                    format!("unknown item {name:?}"),
                )
            })?;
            let mut list = Vec::new();
            for c in doc
                .get("cases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key_hex = c.get("key_hex").cloned().unwrap_or(Value::Null);
                let keys = hex_of(c, "key_hex")
                    .ok()
                    .flatten()
                    .and_then(|k| item.split_key(&k).ok())
                    .map(|ks| Value::Array(ks.iter().map(key_json).collect()))
                    .unwrap_or(Value::Null);
                let value = storage_case_value(item, c, opts, &mut errors);
                let absent = c.get("hex").is_none_or(Value::is_null);
                list.push(
                    json!({"key_hex": key_hex, "keys": keys, "absent": absent, "value": value}),
                );
            }
            json!({ "item": item.name, "entries": list })
        }
        FixtureKind::Header => {
            let header = match hex_of(doc, "hex")? {
                Some(b) => tao_engine::chain::scale::decode_all::<Header>(&b)?,
                None => Header::from_rpc_json(doc.get("rpc_result_json").unwrap_or(&Value::Null))?,
            };
            let mut v = <Header as tao_engine::chain::scale::Codec>::render(&header, opts);
            if let Value::Object(m) = &mut v {
                m.insert("hash".into(), Value::from(header.hash().to_hex()));
            }
            v
        }
        FixtureKind::RuntimeVersion => {
            let json = doc.get("rpc_result_json").cloned().unwrap_or(Value::Null);
            let mut apis = Map::new();
            for p in json
                .get("apis")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let id_hex = p.get(0).and_then(Value::as_str).unwrap_or("");
                let name = hex::decode_array::<8>(id_hex)
                    .ok()
                    .and_then(|id| runtime::api_name(&id));
                apis.insert(
                    name.unwrap_or(id_hex).to_string(),
                    p.get(1).cloned().unwrap_or(Value::Null),
                );
            }
            json!({"spec_name": json.get("specName"), "spec_version": json.get("specVersion"), "apis": apis})
        }
        FixtureKind::WeightsDump => {
            let mut rows = Vec::new();
            for row in weight_rows(doc) {
                let v = sdk_row(row).unwrap_or_else(|e| {
                    let v = error_json(&e);
                    errors.push(e);
                    v
                });
                rows.push(json!({"uid": row.get("uid"), "weights_u16_sdk": v}));
            }
            json!({"n": doc.get("n"), "weight_rows": rows})
        }
        FixtureKind::Metadata => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "file",
                "a metadata fixture: decode the .scale file it names",
            ))
        }
    };
    Ok(FixtureDecode { value, errors })
}

fn key_json(k: &KeyArg) -> Value {
    match k {
        KeyArg::U8(v) => Value::from(*v),
        KeyArg::U16(v) => Value::from(*v),
        KeyArg::U32(v) => render::uint(u128::from(*v)),
        KeyArg::U64(v) => render::uint(u128::from(*v)),
        KeyArg::Account(a) => Value::from(a.to_hex()),
    }
}

/// NEGATIVE neuron cases name their layout only in prose: `neurons_lite` / `neuron` / a list.
fn guess_neuron_type(c: &Value) -> String {
    let name = c.get("name").and_then(Value::as_str).unwrap_or("");
    let lite = name.contains("lite");
    let list = name.ends_with(".hex");
    match (list, lite) {
        (true, true) => "Vec<NeuronInfoLite>",
        (true, false) => "Vec<NeuronInfo>",
        (false, true) => "NeuronInfoLite",
        (false, false) => "NeuronInfo",
    }
    .to_string()
}

/// One SCALE byte string of a fixture file, with the type and wrapping it is declared as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureSample {
    /// File id and case.
    pub label: String,
    /// Declared type (a [`decode_type`] name).
    pub type_name: String,
    /// Wrapping.
    pub wrapping: Wrapping,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// From a NEGATIVE fixture: the current layouts must reject it.
    pub negative: bool,
}

/// Every SCALE byte string a fixture file holds (for mutation and parity tests). Absent storage
/// keys, JSON-only files and the float dump contribute none.
pub fn fixture_samples(doc: &Value) -> Result<Vec<FixtureSample>> {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("file");
    let kind = fixture_kind(doc);
    let file_ft = parse_fixture_type(doc.get("type").and_then(Value::as_str).unwrap_or(""));
    let mut out = Vec::new();
    let mut push = |label: String,
                    type_name: &str,
                    wrapping: Wrapping,
                    bytes: Option<Vec<u8>>,
                    negative: bool| {
        if let Some(bytes) = bytes {
            out.push(FixtureSample {
                label,
                type_name: type_name.to_string(),
                wrapping,
                bytes,
                negative,
            });
        }
    };
    let storage_type = |v: &Value| {
        v.get("storage")
            .and_then(|s| s.get("item"))
            .and_then(Value::as_str)
            .and_then(item_named)
            .map(|i| i.value_type)
    };
    match kind {
        FixtureKind::Single => {
            let wrapping = file_wrapping(doc, &file_ft)?;
            let ty = storage_type(doc).unwrap_or(file_ft.type_name.as_str());
            push(id.to_string(), ty, wrapping, hex_of(doc, "hex")?, false);
            for (i, rc) in doc
                .get("related_cases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let Some(ty) = storage_type(rc) {
                    push(
                        format!("{id} related[{i}]"),
                        ty,
                        Wrapping::Raw,
                        hex_of(rc, "hex")?,
                        false,
                    );
                }
            }
        }
        FixtureKind::Cases | FixtureKind::Negative => {
            let wrapping = file_wrapping(doc, &file_ft)?;
            for (i, c) in doc
                .get("cases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let label = format!("{id} {}", case_name(c, i));
                let negative = kind == FixtureKind::Negative;
                let (ty, w) = if let Some(t) = storage_type(c) {
                    (t.to_string(), Wrapping::Raw)
                } else if negative {
                    (guess_neuron_type(c), Wrapping::Raw)
                } else {
                    let ft = c
                        .get("type")
                        .and_then(Value::as_str)
                        .map_or(file_ft.clone(), parse_fixture_type);
                    let w = ft.wrapping.unwrap_or(wrapping);
                    (ft.type_name, w)
                };
                push(label, &ty, w, hex_of(c, "hex")?, negative);
            }
        }
        FixtureKind::StorageChanges => {
            if let Some(ty) = storage_type(doc) {
                for (i, c) in doc
                    .get("cases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    push(
                        format!("{id} [{i}]"),
                        ty,
                        Wrapping::Raw,
                        hex_of(c, "hex")?,
                        false,
                    );
                }
            }
        }
        FixtureKind::Header => push(
            id.to_string(),
            "Header",
            Wrapping::Raw,
            hex_of(doc, "hex")?,
            false,
        ),
        FixtureKind::RuntimeVersion | FixtureKind::WeightsDump | FixtureKind::Metadata => {}
    }
    Ok(out)
}
