//! The two fixture kinds that are not plain decodes: NEGATIVE bytes every current layout must
//! reject, and the SN15 float weight dump checked against the SDK's u16 conversion.

use super::compare::{check, short};
use super::{case_name, hex_of};
use crate::Outcomes;
use serde_json::{json, Value};
use tao_engine::chain::registry::{decode_type, Wrapping};
use tao_engine::chain::render::RenderOpts;
use tao_engine::chain::types::AccountId32;
use tao_engine::chain::weights;
use tao_engine::error::{Error, ErrorCode, Result};

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

pub(super) fn run_negative(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
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

pub(super) fn run_weights_dump(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
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
