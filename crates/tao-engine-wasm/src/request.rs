//! Request types: one per call, declared once in Rust. [`js_request!`] writes the struct (whose
//! TypeScript declaration tsify generates, camelCase) and its [`FromJs`] reader, which reads each
//! field with the checked readers of [`convert`](super::convert) and names the offending field by
//! its path (`pool.taoReserve`, `amounts[3]`).
//!
//! Field types are what the JS side may pass: [`U64Like`] for amounts that can exceed 2^53 (a
//! bigint, a safe-integer number or a decimal string), `u16`/`u32` for ids and counts, `bool`,
//! `String`, `f64`, `Vec<T>`, `Option<T>` (absent, `undefined` or `null` is `None`; mark the field
//! `#[tsify(optional)]` so TypeScript says `field?:`), [`Bytes`], [`U64Likes`], and other requests.
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
    js_error, to_bool, to_bytes, to_f64s, to_str, to_u16, to_u32, to_u64, to_u64s,
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

/// Declare a request struct and its reader; see the module docs.
#[macro_export]
macro_rules! js_request {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident $js:literal : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(tsify::Tsify)]
        pub struct $name {
            $( $(#[$fmeta])* #[serde(rename = $js)] pub $field: $ty, )*
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
        let x = v.as_f64().ok_or_else(|| {
            Error::field(ErrorCode::InvalidType, field, "expected a number")
        })?;
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

/// Pool rules by name: the current weighted pool, Uniswap v3 (2025-06-30 … 2026-06-25), the
/// constant-product pool of the dTAO launch, or the superellipse (the next era). Requests also
/// accept "balancer" and "uniswap-v3".
#[derive(serde::Serialize, Tsify, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum PoolEraName {
    /// The weighted (balancer) pool.
    Weighted,
    /// Uniswap v3.
    V3,
    /// The launch's constant-product pool.
    ConstantProduct,
    /// The superellipse pool.
    Superellipse,
}

impl FromJs for PoolEraName {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        match to_str(v, field)?.as_str() {
            "weighted" | "balancer" => Ok(PoolEraName::Weighted),
            "v3" | "uniswap-v3" => Ok(PoolEraName::V3),
            "constant-product" => Ok(PoolEraName::ConstantProduct),
            "superellipse" => Ok(PoolEraName::Superellipse),
            other => Err(Error::field(
                ErrorCode::UnknownEra,
                field,
                format!(
                    "unknown pool era {other:?} (use \"weighted\", \"v3\" or \"constant-product\")"
                ),
            )),
        }
    }
}

/// "buy" stakes TAO for alpha, "sell" unstakes alpha for TAO ("stake" and "unstake" are
/// accepted too).
#[derive(serde::Serialize, Tsify, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OrderSide {
    /// TAO in, alpha out.
    Buy,
    /// Alpha in, TAO out.
    Sell,
}

impl FromJs for OrderSide {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        match v.as_string().as_deref() {
            Some("buy") | Some("stake") => Ok(OrderSide::Buy),
            Some("sell") | Some("unstake") => Ok(OrderSide::Sell),
            _ => Err(Error::field(
                ErrorCode::InvalidType,
                field,
                "order must be \"buy\" or \"sell\"",
            )),
        }
    }
}

/// One of a string union's names (`INVALID_TYPE` naming `field` for anything else).
pub fn string_choice<T: Copy>(v: &JsValue, field: &str, choices: &[(&str, T)]) -> Result<T> {
    let s = to_str(v, field)?;
    choices
        .iter()
        .find(|(name, _)| *name == s)
        .map(|&(_, t)| t)
        .ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|(n, _)| format!("{n:?}")).collect();
            Error::field(
                ErrorCode::InvalidType,
                field,
                format!("{s:?} is not {}", names.join(" or ")),
            )
        })
}

/// What a playground model answers: digit-class probabilities or next-character
/// log-probabilities.
#[derive(Tsify, serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InferTask {
    /// 8x8 digit images -> probabilities of the 10 classes.
    Digits,
    /// Character ids -> log-probabilities of the next character.
    Text,
}

impl FromJs for InferTask {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        string_choice(v, field, &[("digits", Self::Digits), ("text", Self::Text)])
    }
}

/// A playground CPU kernel: 4-lane wasm SIMD (f32x4) or the scalar reference.
#[derive(Tsify, serde::Serialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CpuKernel {
    /// 4-lane wasm SIMD.
    #[default]
    Simd,
    /// The scalar reference.
    Scalar,
}

impl FromJs for CpuKernel {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        string_choice(v, field, &[("simd", Self::Simd), ("scalar", Self::Scalar)])
    }
}

/// Bytes given as a `Uint8Array`, an array of bytes, or `0x` hex text.
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "string | Uint8Array | number[]")]
pub struct BytesOrHex(pub Vec<u8>);

impl FromJs for BytesOrHex {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        match v.as_string() {
            Some(s) => tao_engine::chain::hex::decode(s.trim())
                .map(BytesOrHex)
                .map_err(|e| e.with_field(field)),
            None => to_bytes(v, field).map(BytesOrHex),
        }
    }
}
