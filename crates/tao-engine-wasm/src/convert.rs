//! JS <-> Rust value conversion and the one place engine errors become JS errors.

use js_sys::Reflect;
use serde::Serialize;
use tao_engine::error::{Error, ErrorCode, Result};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Turn an engine [`Error`] into a JS `Error` (or `RangeError` for range problems) carrying
/// `code`, `field` and `offset` properties. The message is the explanation alone (and the byte
/// offset, for decoders): the code and the field are properties, never repeated in it.
pub fn js_error(e: Error) -> JsValue {
    let msg = match e.offset {
        Some(offset) => format!("{} (at byte {offset})", e.message),
        None => e.message.clone(),
    };
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

/// A JS string. Anything else is `INVALID_TYPE` naming `field`.
pub fn to_str(v: &JsValue, field: &str) -> Result<String> {
    v.as_string().ok_or_else(|| invalid_type(field, "a string"))
}

/// An optional JS string: `undefined` and `null` are `None`.
pub fn to_opt_str(v: &JsValue, field: &str) -> Result<Option<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    to_str(v, field).map(Some)
}

/// A JS boolean (no truthiness: `0`, `""` and objects are `INVALID_TYPE`).
pub fn to_bool(v: &JsValue, field: &str) -> Result<bool> {
    v.as_bool().ok_or_else(|| invalid_type(field, "a boolean"))
}

/// A count or index up to `u32::MAX`, read as [`to_u64`] reads amounts.
pub fn to_u32(v: &JsValue, field: &str) -> Result<u32> {
    to_bounded(v, field, u64::from(u32::MAX)).map(|x| u32::try_from(x).unwrap_or(u32::MAX))
}

/// An optional [`to_u32`]: `undefined` and `null` are `None`.
pub fn to_opt_u32(v: &JsValue, field: &str) -> Result<Option<u32>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    to_u32(v, field).map(Some)
}

/// A netuid or uid count up to `u16::MAX`, read as [`to_u64`] reads amounts.
pub fn to_u16(v: &JsValue, field: &str) -> Result<u16> {
    to_bounded(v, field, u64::from(u16::MAX)).map(|x| u16::try_from(x).unwrap_or(u16::MAX))
}

/// A [`to_u64`] value no larger than `max` (`TOO_LARGE` above it).
pub fn to_bounded(v: &JsValue, field: &str, max: u64) -> Result<u64> {
    let x = to_u64(v, field)?;
    if x > max {
        return Err(Error::field(
            ErrorCode::TooLarge,
            field,
            format!("{x} is above {max}"),
        ));
    }
    Ok(x)
}

/// The elements of a JS array (`Array.isArray`).
pub fn to_array(v: &JsValue, field: &str) -> Result<Vec<JsValue>> {
    if !js_sys::Array::is_array(v) {
        return Err(invalid_type(field, "an array"));
    }
    Ok(v.unchecked_ref::<js_sys::Array>().iter().collect())
}

/// Read a typed array `T` as is, or a plain array element by element with `item`, which names
/// the offending element `field[i]`.
fn typed_or_array<T: JsCast, E>(
    v: &JsValue,
    field: &str,
    want: &str,
    typed: impl Fn(&T) -> Vec<E>,
    item: impl Fn(&JsValue, &str) -> Result<E>,
) -> Result<Vec<E>> {
    if let Some(t) = v.dyn_ref::<T>() {
        return Ok(typed(t));
    }
    if !js_sys::Array::is_array(v) {
        return Err(invalid_type(field, want));
    }
    v.unchecked_ref::<js_sys::Array>()
        .iter()
        .enumerate()
        .map(|(i, x)| item(&x, &format!("{field}[{i}]")))
        .collect()
}

fn number(x: &JsValue, field: &str) -> Result<f64> {
    x.as_f64().ok_or_else(|| invalid_type(field, "a number"))
}

fn small_int(x: &JsValue, field: &str, max: f64) -> Result<f64> {
    number(x, field)?;
    x.as_f64()
        .filter(|f| f.fract() == 0.0 && (0.0..=max).contains(f))
        .ok_or_else(|| {
            Error::field(
                ErrorCode::OutOfRange,
                field,
                format!("not an integer in 0..={max}"),
            )
        })
}

/// Bytes: a `Uint8Array` or an array of integers 0..=255.
pub fn to_bytes(v: &JsValue, field: &str) -> Result<Vec<u8>> {
    typed_or_array(
        v,
        field,
        "a Uint8Array or an array of bytes",
        js_sys::Uint8Array::to_vec,
        |x, f| small_int(x, f, 255.0).map(|b| b as u8),
    )
}

/// Optional [`to_bytes`]: `undefined` and `null` are `None`.
pub fn to_opt_bytes(v: &JsValue, field: &str) -> Result<Option<Vec<u8>>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    to_bytes(v, field).map(Some)
}

/// u16 values: a `Uint16Array` or an array of integers 0..=65535.
pub fn to_u16s(v: &JsValue, field: &str) -> Result<Vec<u16>> {
    typed_or_array(
        v,
        field,
        "a Uint16Array or an array of integers",
        js_sys::Uint16Array::to_vec,
        |x, f| small_int(x, f, 65535.0).map(|b| b as u16),
    )
}

/// f32 values: a `Float32Array` or an array of numbers.
pub fn to_f32s(v: &JsValue, field: &str) -> Result<Vec<f32>> {
    typed_or_array(
        v,
        field,
        "a Float32Array or an array of numbers",
        js_sys::Float32Array::to_vec,
        |x, f| number(x, f).map(|n| n as f32),
    )
}

/// f64 values: a `Float64Array` or an array of numbers.
pub fn to_f64s(v: &JsValue, field: &str) -> Result<Vec<f64>> {
    typed_or_array(
        v,
        field,
        "a Float64Array or an array of numbers",
        js_sys::Float64Array::to_vec,
        number,
    )
}

/// u64 amounts: a `BigUint64Array` or an array of [`to_u64`] values.
pub fn to_u64s(v: &JsValue, field: &str) -> Result<Vec<u64>> {
    typed_or_array(
        v,
        field,
        "a BigUint64Array or an array of amounts",
        js_sys::BigUint64Array::to_vec,
        to_u64,
    )
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

/// Serialize a response as its generated TypeScript type. Every response type declares
/// `#[tsify(large_number_types_as_bigints, hashmap_as_object)]` (a type without them does not
/// compile), so the declared types are exactly what [`to_js`] produces: 64-bit and larger integers
/// as `bigint`, maps as plain objects. A type that also declares `missing_as_null` gets `null`
/// for `None` (its TypeScript says `T | null`), else `undefined`.
pub fn to_ts<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    const {
        assert!(
            T::SERIALIZATION_CONFIG.large_number_types_as_bigints
                && T::SERIALIZATION_CONFIG.hashmap_as_object,
            "a response type must declare #[tsify(large_number_types_as_bigints, hashmap_as_object)]"
        )
    };
    if T::SERIALIZATION_CONFIG.missing_as_null {
        return to_js_nulls(value).map(Ts::new_unchecked);
    }
    to_js(value).map(Ts::new_unchecked)
}

/// [`to_js`] with `None` as `null`.
fn to_js_nulls<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_large_number_types_as_bigints(true)
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
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
