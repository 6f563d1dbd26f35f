//! Field types with a domain meaning (pool eras, order sides, chain bytes, snapshot phases, model
//! tasks, …): each names its TypeScript type once and reads the JS value with the readers of the
//! parent module, accepting the documented aliases.

use super::*;

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
