//! JS <-> Rust value conversion and the one place engine errors become JS errors.

use crate::error::{Error, ErrorCode, Result};
use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Turn an engine [`Error`] into a JS `Error` (or `RangeError` for range problems) carrying
/// `code`, `field` and `offset` properties.
pub fn js_error(e: Error) -> JsValue {
    let msg = e.to_string();
    let err: js_sys::Error = if e.code.is_range() {
        js_sys::RangeError::new(&msg).unchecked_into()
    } else {
        js_sys::Error::new(&msg)
    };
    // Reflect::set on a fresh Error object cannot fail; ignore the Result rather than unwrap.
    let _ = Reflect::set(&err, &"code".into(), &e.code.as_str().into());
    let _ = Reflect::set(
        &err,
        &"field".into(),
        &e.field.as_deref().map_or(JsValue::NULL, JsValue::from_str),
    );
    if let Some(offset) = e.offset {
        let _ = Reflect::set(&err, &"offset".into(), &JsValue::from_f64(offset as f64));
    }
    err.into()
}

/// Parse an unsigned 64-bit amount from a JS `bigint`, a safe-integer `number`, or a decimal
/// string. NaN, fractions, negatives, values above u64::MAX and other types are rejected with a
/// code naming `field`.
pub fn to_u64(v: &JsValue, field: &str) -> Result<u64> {
    let text = if v.is_bigint() {
        let b: &js_sys::BigInt = v.unchecked_ref();
        b.to_string(10)
            .map(String::from)
            .map_err(|_| invalid_type(field, "bigint"))?
    } else if let Some(x) = v.as_f64() {
        if !x.is_finite() {
            return Err(Error::field(
                ErrorCode::NotFinite,
                field,
                format!("{x} is not a finite number"),
            ));
        }
        if x < 0.0 {
            return Err(Error::field(
                ErrorCode::Negative,
                field,
                format!("{x} is negative"),
            ));
        }
        if x.fract() != 0.0 {
            return Err(Error::field(
                ErrorCode::NotAnInteger,
                field,
                format!("{x} is not an integer"),
            ));
        }
        if x > 9_007_199_254_740_991.0 {
            return Err(Error::field(
                ErrorCode::TooLarge,
                field,
                format!("{x} is above Number.MAX_SAFE_INTEGER; pass a bigint or a decimal string"),
            ));
        }
        return Ok(x as u64);
    } else if let Some(s) = v.as_string() {
        s.trim().to_string()
    } else {
        return Err(invalid_type(field, "bigint, number or decimal string"));
    };
    parse_u64_decimal(&text, field)
}

/// Parse a decimal integer string as u64 with precise error codes.
pub fn parse_u64_decimal(text: &str, field: &str) -> Result<u64> {
    let digits = text.strip_prefix('-');
    let (negative, digits) = match digits {
        Some(d) => (true, d),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::field(
            ErrorCode::InvalidType,
            field,
            format!("{text:?} is not a decimal integer"),
        ));
    }
    if negative && digits.bytes().any(|b| b != b'0') {
        return Err(Error::field(
            ErrorCode::Negative,
            field,
            format!("{text} is negative"),
        ));
    }
    digits.parse::<u64>().map_err(|_| {
        Error::field(
            ErrorCode::TooLarge,
            field,
            format!("{text} is above u64::MAX (18446744073709551615)"),
        )
    })
}

fn invalid_type(field: &str, want: &str) -> Error {
    Error::field(ErrorCode::InvalidType, field, format!("expected {want}"))
}

/// Serialize a value for JS: objects as plain objects, u64/i64/u128 as `bigint`.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_large_number_types_as_bigints(true)
        .serialize_maps_as_objects(true);
    value.serialize(&ser).map_err(|e| {
        js_error(Error::new(
            ErrorCode::Internal,
            format!("serialization failed: {e}"),
        ))
    })
}

/// Deserialize a JS object into a Rust input struct; type problems become `INVALID_TYPE` errors
/// naming `field`.
pub fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, field: &str) -> Result<T> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| Error::field(ErrorCode::InvalidType, field, e.to_string()))
}
