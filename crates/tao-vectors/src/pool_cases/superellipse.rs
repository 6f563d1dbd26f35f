//! `swap` cases of the superellipse era (files whose `era` names the superellipse): dispatch by
//! input shape and the comparison of every key; curve maths in [`super::superellipse_math`],
//! pallet scenarios in [`super::superellipse_pallet`].
//!
//! Each recogniser computes one actual value per `expected` and `derived` key; [`Got::report`]
//! then compares every key (a key nothing computed is a failed outcome). Booleans in `expected`
//! restate the predicates of the upstream tests (f64 where upstream uses f64).

use super::superellipse_math as m;
use super::*;
use tao_engine::pool::superellipse::{EllipseError, Superellipse};

/// Whether a file belongs to the superellipse era (its `era` text starts with the name).
pub(super) fn is_superellipse(doc: &Value) -> bool {
    doc.get("era")
        .and_then(Value::as_str)
        .is_some_and(|e| e.trim_start().starts_with("superellipse"))
}

/// Actual values by key, for `expected` and for `derived`.
#[derive(Default)]
pub(super) struct Got {
    pub(super) exp: Map<String, Value>,
    pub(super) der: Map<String, Value>,
}

impl Got {
    pub(super) fn e(&mut self, key: &str, v: Value) {
        self.exp.insert(key.to_string(), v);
    }
    pub(super) fn d(&mut self, key: &str, v: Value) {
        self.der.insert(key.to_string(), v);
    }

    /// Compare every expected key (under the case's assertion) and every derived key (exactly).
    pub(super) fn report(&self, c: &Ctx, out: &mut Outcomes) {
        for (k, exp) in c.fields() {
            match self.exp.get(k) {
                Some(a) => {
                    let tol = (c.kind == "abs").then(|| c.eps_for(k));
                    out.record(c.name, k, same(exp, a, tol), render(exp), render(a));
                }
                None => out.fail(c.name, k, "not evaluated"),
            }
        }
        for (k, exp) in &c.derived {
            let field = format!("derived.{k}");
            match self.der.get(k) {
                Some(a) => out.record(c.name, &field, same(exp, a, None), render(exp), render(a)),
                None => out.fail(c.name, &field, "not evaluated"),
            }
        }
    }
}

/// Structural equality; numbers and decimal strings compare by text, or within `tol`.
fn same(exp: &Value, act: &Value, tol: Option<f64>) -> bool {
    match (exp, act) {
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| same(x, y, tol))
        }
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, x)| a.get(k).is_some_and(|y| same(x, y, tol)))
        }
        (Value::Bool(e), Value::Bool(a)) => e == a,
        (Value::Null, Value::Null) => true,
        _ => {
            let (Some(e), Some(a)) = (scalar(exp), scalar(act)) else {
                return false;
            };
            if e == a {
                return true;
            }
            match (tol, e.parse::<f64>(), a.parse::<f64>()) {
                (Some(t), Ok(x), Ok(y)) => (x - y).abs() <= t + x.abs() * 1e-12,
                _ => false,
            }
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A decimal string value.
pub(super) fn s(v: impl ToString) -> Value {
    Value::String(v.to_string())
}

/// A list of decimal strings.
pub(super) fn list<T: ToString>(v: &[T]) -> Value {
    Value::Array(v.iter().map(|x| s(x.to_string())).collect())
}

/// A curve as the vectors write it.
pub(super) fn curve_json(c: &Superellipse) -> Value {
    serde_json::json!({
        "alpha_scale": c.alpha_scale.to_string(),
        "tao_scale": c.tao_scale.to_string(),
        "center_alpha": c.center_alpha.to_string(),
        "center_tao": c.center_tao.to_string(),
    })
}

/// A value, or the error's name.
pub(super) fn or_err<T: ToString, E: Display>(r: core::result::Result<T, E>) -> Value {
    match r {
        Ok(v) => s(v),
        Err(e) => s(e),
    }
}

/// The error's name (`"ok"` when there is none).
pub(super) fn err_name<T, E: Display>(r: core::result::Result<T, E>) -> Value {
    match r {
        Ok(_) => s("ok"),
        Err(e) => s(e),
    }
}

use core::fmt::Display;

pub(super) fn u(inputs: &Map<String, Value>, key: &str) -> Result<u64> {
    input_u64(inputs, key)
}

pub(super) fn u128_of(inputs: &Map<String, Value>, key: &str) -> Result<u128> {
    inputs.get(key).and_then(value_u128).ok_or_else(|| {
        Error::field(
            ErrorCode::MissingField,
            format!("inputs.{key}"),
            "missing or not a u128",
        )
    })
}

pub(super) fn parts(inputs: &Map<String, Value>, key: &str) -> Result<Perquintill> {
    u(inputs, key).map(Perquintill::from_parts)
}

pub(super) fn u64_list(inputs: &Map<String, Value>, key: &str) -> Result<Vec<u64>> {
    inputs
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(value_u64).collect::<Vec<_>>())
        .ok_or_else(|| {
            Error::field(
                ErrorCode::MissingField,
                format!("inputs.{key}"),
                "missing list",
            )
        })
}

pub(super) fn ellipse(r: core::result::Result<Superellipse, EllipseError>) -> Result<Superellipse> {
    r.map_err(|e| Error::field(ErrorCode::OutOfRange, "inputs", format!("curve: {e}")))
}

pub(super) fn math(r: core::result::Result<u64, EllipseError>, what: &str) -> Result<u64> {
    r.map_err(|e| Error::field(ErrorCode::OutOfRange, what, e.name()))
}

pub(super) fn bits(p: U64F64) -> Value {
    s(p.to_bits())
}

// ---------------------------------------------------------------------------------------------
// Dispatch

pub(super) fn superellipse_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    let has = |k: &str| inputs.contains_key(k);
    let mut g = Got::default();
    if has("roots") {
        m::sqrt_case(inputs, &mut g)?;
    } else if has("lcg_multiplier") {
        m::lcg_case(inputs, &mut g, c)?;
    } else if has("pools") {
        m::extremes_case(inputs, &mut g)?;
    } else if has("floors") {
        m::floors_case(inputs, &mut g)?;
    } else if has("equal_quote_weight_parts") {
        m::domain_case(c, inputs, &mut g)?;
    } else if has("alpha_outputs_wanted") {
        m::inverse_case(inputs, &mut g)?;
    } else if has("buy_target_price_bits") {
        m::limits_case(inputs, &mut g)?;
    } else if has("buy_tao_inputs") {
        m::convert_case(inputs, &mut g)?;
    } else if has("tao_inputs") {
        m::buys_case(inputs, &mut g)?;
    } else if has("alpha_inputs") {
        m::sells_case(inputs, &mut g)?;
    } else if has("buy_input") && has("sell_input") && has("quote_weight_parts") {
        m::calibration_case(inputs, &mut g)?;
    } else if has("round_trip_amounts") {
        super::superellipse_extraction::round_trips_case(inputs, &mut g)?;
    } else if has("price_bits") && !has("order") {
        m::from_price_case(inputs, &mut g)?;
    } else if !super::superellipse_pallet::pallet_case(c, inputs, &mut g)? {
        out.fail(c.name, "case", "unrecognised superellipse case shape");
        return Ok(());
    }
    g.report(c, out);
    Ok(())
}
