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
    js_error, to_bool, to_bytes, to_f64s, to_str, to_u16, to_u16s, to_u32, to_u64, to_u64s,
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

/// Chain bytes: `0x` hex, a JSON byte-array string ("[1,2]"), a Uint8Array or an array of byte
/// numbers.
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "string | Uint8Array | number[]")]
pub struct BytesLike(pub Vec<u8>);

#[cfg(feature = "chain")]
impl FromJs for BytesLike {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        use tao_engine::chain::{hex, registry::bytes_from_json_array};
        if let Some(s) = v.as_string() {
            let t = s.trim();
            let bytes = if t.starts_with('[') {
                bytes_from_json_array(t)
            } else {
                hex::decode(t)
            };
            return bytes
                .map(BytesLike)
                .map_err(|e| e.with_field(field.to_string()));
        }
        if js_sys::Uint8Array::instanceof(v) || js_sys::Array::is_array(v) {
            return to_bytes(v, field).map(BytesLike);
        }
        Err(Error::field(
            ErrorCode::InvalidType,
            field,
            "expected hex string, Uint8Array or byte array",
        ))
    }
}

/// How a result is wrapped: current runtimes `raw`; before Dec 2024 `vec_u8`; custom RPCs
/// `json_byte_array`. Absent (`undefined` or `null`) is `raw`.
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Copy, Debug)]
#[tsify(type = "\"raw\" | \"vec_u8\" | \"json_byte_array\"")]
pub struct Wrapping(pub tao_engine::chain::Wrapping);

#[cfg(feature = "chain")]
impl FromJs for Wrapping {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        tao_engine::chain::Wrapping::parse(&to_str(v, field)?)
            .map(Wrapping)
            .map_err(|e| e.with_field(field.to_string()))
    }
}

#[cfg(feature = "chain")]
impl Wrapping {
    /// The wrapping of an optional argument (`raw` when absent).
    pub fn or_raw(w: Option<Wrapping>) -> tao_engine::chain::Wrapping {
        w.map_or(tao_engine::chain::Wrapping::Raw, |w| w.0)
    }
}

/// u16 values (uids, weights): a `Uint16Array` or an array of integers 0..=65535.
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "Uint16Array | number[]")]
pub struct U16s(pub Vec<u16>);

impl FromJs for U16s {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        to_u16s(v, field).map(U16s)
    }
}

/// A snapshot: its JSON text, or the parsed object (serialized again with `JSON.stringify`).
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Debug)]
#[tsify(type = "string | object")]
pub struct SnapshotJson(pub String);

#[cfg(feature = "chain")]
impl FromJs for SnapshotJson {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        if let Some(s) = v.as_string() {
            return Ok(SnapshotJson(s));
        }
        // Anything else goes through JSON.stringify: the snapshot parser then says what is wrong.
        js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .map(SnapshotJson)
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::InvalidType,
                    field,
                    "expected snapshot JSON text or object",
                )
            })
    }
}

/// Which storage answers `snapshotInsert` records: `inputs` (read at the parent block) or
/// `outputs` (read at the epoch block).
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Copy, Debug)]
#[tsify(type = "\"inputs\" | \"outputs\"")]
pub struct SnapshotInsertPhase(pub tao_engine::chain::snapshot::Phase);

#[cfg(feature = "chain")]
impl FromJs for SnapshotInsertPhase {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        use tao_engine::chain::snapshot::Phase;
        match to_str(v, field)?.as_str() {
            "inputs" => Ok(SnapshotInsertPhase(Phase::Inputs)),
            "outputs" => Ok(SnapshotInsertPhase(Phase::Outputs)),
            _ => Err(Error::field(
                ErrorCode::InvalidType,
                field,
                "expected \"inputs\" or \"outputs\"",
            )),
        }
    }
}

/// Storage answers: `[key, value | null]` pairs (hex text), as an array or a `Map`.
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Debug, Default)]
#[tsify(type = "[string, string | null][] | Map<string, string | null>")]
pub struct StorageAnswers(pub Vec<(String, Option<String>)>);

#[cfg(feature = "chain")]
impl FromJs for StorageAnswers {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        let entries: Vec<JsValue> = match v.dyn_ref::<js_sys::Map>() {
            Some(m) => js_sys::Array::from(m).iter().collect(),
            None if js_sys::Array::is_array(v) => js_sys::Array::from(v).iter().collect(),
            None => {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    field,
                    "expected an array of [key, value] pairs or a Map",
                ))
            }
        };
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let at = format!("{field}[{i}]");
                let bad = |what: &str| Error::field(ErrorCode::InvalidType, at.clone(), what);
                let pair = e
                    .dyn_ref::<js_sys::Array>()
                    .ok_or_else(|| bad("expected a [key, value] pair"))?;
                let key = pair
                    .get(0)
                    .as_string()
                    .ok_or_else(|| bad("the key must be hex text"))?;
                let value = Option::<String>::parse(&pair.get(1), &at)
                    .map_err(|_| bad("the value must be hex text or null"))?;
                Ok((key, value))
            })
            .collect::<Result<_>>()
            .map(StorageAnswers)
    }
}

/// A storage map key, typed by the item's key type: u8/u16 as a number, u64 as a bigint, number
/// or decimal string, accounts as `0x` hex or SS58 text. Kept as given until the item is known.
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Debug)]
#[tsify(type = "number | bigint | string")]
pub struct StorageKeyArg(pub JsValue);

#[cfg(feature = "chain")]
impl FromJs for StorageKeyArg {
    fn parse(v: &JsValue, _field: &str) -> Result<Self> {
        Ok(StorageKeyArg(v.clone()))
    }
}

/// How `decodeColumns` hands out accounts: `0x` hex text, SS58 text, or their raw bytes (one
/// `Uint8Array` of 32 bytes per row).
#[cfg(feature = "chain")]
#[derive(Tsify, Clone, Copy, Debug, PartialEq, Eq)]
#[tsify(type = "\"hex\" | \"ss58\" | \"bytes\"")]
pub enum ColumnarAccounts {
    /// `0x` hex text.
    Hex,
    /// SS58 text.
    Ss58,
    /// 32 raw bytes per account.
    Bytes,
}

#[cfg(feature = "chain")]
impl FromJs for ColumnarAccounts {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        match to_str(v, field)?.as_str() {
            "hex" => Ok(ColumnarAccounts::Hex),
            "ss58" => Ok(ColumnarAccounts::Ss58),
            "bytes" => Ok(ColumnarAccounts::Bytes),
            _ => Err(Error::field(
                ErrorCode::InvalidType,
                field,
                "expected \"hex\", \"ss58\" or \"bytes\"",
            )),
        }
    }
}
