//! Request types: one per call, declared once in Rust. [`js_request!`] writes the struct (whose
//! TypeScript declaration tsify generates, camelCase) and its [`FromJs`] reader, which reads each
//! field with the checked readers of [`convert`](super::convert) and names the offending field by
//! its path (`pool.taoReserve`, `amounts[3]`).
//!
//! Field types are what the JS side may pass: [`U64Like`] for amounts that can exceed 2^53 (a
//! bigint, a safe-integer number or a decimal string), `u16`/`u32` for ids and counts, `bool`,
//! `String`, `f64`, `Vec<T>`, `Option<T>` (absent, `undefined` or `null` is `None`; mark the field
//! `#[tsify(optional)]` so TypeScript says `field?:`), [`Bytes`], [`U64Likes`], [`SparseEntry`],
//! [`I16Number`], [`I32Number`], [`U8Number`], and other requests.
//!
//! ```ignore
//! js_request! {
//!     /// A quote request.
//!     pub struct QuoteRequest {
//!         /// Amount in, rao.
//!         amount "amount": U64Like,
//!         /// Limit price, rao per alpha.
//!         #[tsify(optional)]
//!         limit_price "limitPrice": Option<U64Like>,
//!     }
//! }
//! // in the export:  pub fn quote(req: Ts<QuoteRequest>) -> Result<Ts<Quote>, JsValue>
//! //                 let req = read(&req, "request")?;
//! ```

use super::convert::{
    js_error, to_bool, to_bounded, to_bytes, to_f64s, to_str, to_u16, to_u16s, to_u32, to_u64,
    to_u64s,
};
use tao_engine::error::{Error, ErrorCode, Result};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// A value read from JS with the checked readers; `field` is its path for error messages.
pub trait FromJs: Sized {
    /// Read `v`; a wrong JS type or an out-of-range value is an [`Error`] naming `field`.
    fn parse(v: &JsValue, field: &str) -> Result<Self>;
}

/// Read a call's request argument (a [`Ts`] crosses the boundary as a plain JS value and is
/// read here, inside the call, so bad input is an ordinary error and never a trap).
pub fn read<T: Tsify + FromJs>(req: &Ts<T>, field: &str) -> Result<T, JsValue> {
    T::parse(&req.js_value(), field).map_err(js_error)
}

/// Read an optional request argument: `undefined` or `null` is the type's default.
pub fn read_or_default<T: Tsify + FromJs + Default>(
    req: &Option<Ts<T>>,
    field: &str,
) -> Result<T, JsValue> {
    match req {
        None => Ok(T::default()),
        Some(r) => Option::<T>::parse(&r.js_value(), field)
            .map(Option::unwrap_or_default)
            .map_err(js_error),
    }
}

/// Read a request argument whose fields are named on their own (`count`, not `request.count`),
/// as the calls that took an options object before request types name them; a value that is not
/// an object is `INVALID_TYPE` naming `name`.
pub fn read_flat<T: Tsify + FromJs>(req: &Ts<T>, name: &str) -> Result<T, JsValue> {
    let v = req.js_value();
    property(&v, name, "").map_err(js_error)?;
    T::parse(&v, "").map_err(js_error)
}

/// `parent.key`, or `key` at the top level.
pub fn path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Property `key` of `obj`, after checking that `obj` is an object (`INVALID_TYPE` naming
/// `field` otherwise). A missing property is `undefined`.
pub fn property(obj: &JsValue, field: &str, key: &str) -> Result<JsValue> {
    if !obj.is_object() || js_sys::Array::is_array(obj) || obj.is_function() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            field,
            "expected an object",
        ));
    }
    Ok(js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
}

/// Declare a request struct and its reader; see the module docs. Leading fields written `..name:
/// Type,` are flattened: another request type whose fields sit on the same JS object (TypeScript:
/// an intersection), e.g. `..runtime: RuntimeChoice,` for `specVersion`, `acceptApproximate` and
/// `swapSuperellipse` (a flattened field takes no attributes: describe it with a `//` comment).
#[macro_export]
macro_rules! js_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( .. $flat:ident : $fty:ty, )*
            $( $(#[$fmeta:meta])* $field:ident $js:literal : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(tsify::Tsify)]
        pub struct $name {
            $( $(#[$fmeta])* #[serde(rename = $js)] pub $field: $ty, )*
            $( #[serde(flatten)] pub $flat: $fty, )*
        }
        impl $crate::request::FromJs for $name {
            fn parse(
                v: &wasm_bindgen::JsValue,
                field: &str,
            ) -> tao_engine::error::Result<Self> {
                Ok(Self {
                    $( $field: $crate::request::FromJs::parse(
                        &$crate::request::property(v, field, $js)?,
                        &$crate::request::path(field, $js),
                    )?, )*
                    $( $flat: $crate::request::FromJs::parse(v, field)?, )*
                })
            }
        }
    };
}

/// An unsigned 64-bit amount: a bigint, a safe-integer number, or a decimal string.
#[derive(Tsify, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[tsify(type = "bigint | number | string")]
pub struct U64Like(pub u64);

/// Many unsigned 64-bit amounts: a `BigUint64Array` or an array of `U64Like`.
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "BigUint64Array | U64Like[]")]
pub struct U64Likes(pub Vec<u64>);

/// Bytes: a `Uint8Array` or an array of integers 0..=255.
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "Uint8Array | number[]")]
pub struct Bytes(pub Vec<u8>);

/// Numbers: a `Float64Array` or an array of numbers.
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "Float64Array | number[]")]
pub struct F64s(pub Vec<f64>);

/// One entry of a stored sparse row: `[uid, value]` (both u16).
#[derive(Tsify, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[tsify(type = "[number, number]")]
pub struct SparseEntry(pub u16, pub u16);

/// A signed 16-bit integer given as a number (e.g. a sigmoid steepness).
#[derive(Tsify, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[tsify(type = "number")]
pub struct I16Number(pub i16);

/// A signed 32-bit integer given as a number (e.g. a flow drift in basis points).
#[derive(Tsify, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[tsify(type = "number")]
pub struct I32Number(pub i32);

/// An unsigned 8-bit integer: a number, a bigint or a decimal string (e.g. a mechanism count).
#[derive(Tsify, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[tsify(type = "number")]
pub struct U8Number(pub u8);

impl FromJs for SparseEntry {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        let pair = Vec::<u16>::parse(v, field)?;
        match pair.as_slice() {
            [uid, value] => Ok(SparseEntry(*uid, *value)),
            _ => Err(Error::field(
                ErrorCode::LengthMismatch,
                field,
                format!("expected [uid, value], got {} numbers", pair.len()),
            )),
        }
    }
}

/// A finite integer number in `min..=max`.
fn signed_number(v: &JsValue, field: &str, min: f64, max: f64) -> Result<f64> {
    let x = f64::parse(v, field)?;
    if x.fract() != 0.0 {
        return Err(Error::field(
            ErrorCode::NotAnInteger,
            field,
            format!("{x} is not an integer"),
        ));
    }
    if !(min..=max).contains(&x) {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            field,
            format!("{x} is outside {min}..={max}"),
        ));
    }
    Ok(x)
}

impl FromJs for I16Number {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        signed_number(v, field, f64::from(i16::MIN), f64::from(i16::MAX)).map(|x| I16Number(x as i16))
    }
}

impl FromJs for I32Number {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        signed_number(v, field, f64::from(i32::MIN), f64::from(i32::MAX)).map(|x| I32Number(x as i32))
    }
}

impl FromJs for U8Number {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_bounded(v, field, u64::from(u8::MAX)).map(|x| U8Number(u8::try_from(x).unwrap_or(u8::MAX)))
    }
}

impl FromJs for U64Like {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_u64(v, field).map(U64Like)
    }
}

impl FromJs for U64Likes {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_u64s(v, field).map(U64Likes)
    }
}

impl FromJs for Bytes {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_bytes(v, field).map(Bytes)
    }
}

impl FromJs for F64s {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_f64s(v, field).map(F64s)
    }
}

impl FromJs for u16 {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_u16(v, field)
    }
}

impl FromJs for u32 {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_u32(v, field)
    }
}

impl FromJs for bool {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_bool(v, field)
    }
}

impl FromJs for String {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_str(v, field)
    }
}

impl FromJs for f64 {
    /// A finite number (`NOT_FINITE` for NaN and ±Infinity).
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        let x = v
            .as_f64()
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, field, "expected a number"))?;
        if !x.is_finite() {
            return Err(Error::field(
                ErrorCode::NotFinite,
                field,
                format!("{x} is not a finite number"),
            ));
        }
        Ok(x)
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        T::parse(v, field).map(Some)
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        if !js_sys::Array::is_array(v) {
            return Err(Error::field(
                ErrorCode::InvalidType,
                field,
                "expected an array",
            ));
        }
        js_sys::Array::from(v)
            .iter()
            .enumerate()
            .map(|(i, x)| T::parse(&x, &format!("{field}[{i}]")))
            .collect()
    }
}

/// Read a call's one request object, whose fields are named at the top level (`amount`,
/// `pool.taoReserve`); anything but an object is `INVALID_TYPE` naming `request`.
pub fn read_request<T: Tsify + FromJs>(req: &Ts<T>) -> Result<T, JsValue> {
    let v = req.js_value();
    if !v.is_object() || js_sys::Array::is_array(&v) || v.is_function() {
        return Err(js_error(Error::field(
            ErrorCode::InvalidType,
            "request",
            "expected an object",
        )));
    }
    T::parse(&v, "").map_err(js_error)
}

/// A field that must be present: `undefined` is `MISSING_FIELD` naming it, anything else is
/// read as `T`. Give the field its TypeScript type with `#[tsify(type = "...")]` (e.g.
/// `"U64Like"`), since the wrapper itself has none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Required<T>(pub T);

impl<T: FromJs> FromJs for Required<T> {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        if v.is_undefined() {
            return Err(Error::field(
                ErrorCode::MissingField,
                field,
                format!("{field} is required"),
            ));
        }
        T::parse(v, field).map(Required)
    }
}

mod domain;
pub use domain::*;
