//! Storage fixtures: keys rebuilt from the item table, values decoded per item, absent keys
//! checked against the declared defaults, map reads through `state_getKeysPaged`.

use super::compare::{as_int, check, short};
use super::{decode_recorded, hex_of};
use crate::Outcomes;
use serde_json::Value;
use tao_engine::chain::hex;
use tao_engine::chain::registry::{canonical_type_name, Wrapping};
use tao_engine::chain::render::RenderOpts;
use tao_engine::chain::storage::{item_named, Hasher, KeyArg, KeyType, StorageItem};
use tao_engine::chain::types::AccountId32;
use tao_engine::error::{Error, ErrorCode, Result};

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
        KeyType::U32 => KeyArg::U32(
            v.as_u64()
                .and_then(|x| u32::try_from(x).ok())
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
        Hasher::Twox256 => "Twox256",
    }
}

/// Check a fixture `storage` block against the item table: hashers, value type, and the key
/// rebuilt from the key values (`key_hex`) or the fixed leading keys (`prefix_hex`).
pub(super) fn check_storage_spec(
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
pub(super) fn storage_read(
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

pub(super) fn run_storage_changes(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
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
