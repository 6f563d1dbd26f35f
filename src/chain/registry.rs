//! Decode by type name: the entry point for callers that only know the type as text (the JS
//! wrapper, the fixture runner, `tao-decode`).
//!
//! Names are parsed and normalised (`NeuronInfo<AccountId32>` -> `NeuronInfo`, `Compact<NetUid>`
//! -> `Compact<u16>`, `BoundedVec<u8, 5000>` -> `Vec<u8>`, `T::AccountId` -> `AccountId32`, spaces
//! dropped) and looked up in a table of concrete codecs, so decoding is always into typed structs
//! (no dynamic value tree). The result is a [`Decoded`]: downcast it with
//! [`Decoded::get`]`::<Option<Metagraph>>()` or render it as JSON.

use super::registry_structs::with_registered_structs;
use super::scale::{decode_all_with_limits, BTreeMapCodec, Codec, Limits, Reader};
pub use super::type_name::canonical_type_name;
use super::types::*;
use crate::error::{Error, ErrorCode, Result};
use core::any::Any;
use core::fmt;
use core::marker::PhantomData;
use parity_scale_codec::Compact;

#[cfg(feature = "render")]
use super::render::RenderOpts;
#[cfg(feature = "render")]
use serde_json::Value;

/// How the result bytes are wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wrapping {
    /// The bytes are the declared type (current `state_call` results, storage values).
    Raw,
    /// Runtimes before December 2024 returned `Vec<u8>`: a compact length, then the inner bytes.
    /// For an `Option<T>` type the inner bytes carry no Option tag and an empty vector is `None`.
    VecU8,
    /// Node-side custom RPCs (`neuronInfo_*`, `delegateInfo_*`) answer a JSON array of byte values;
    /// the bytes (see [`bytes_from_json_array`]) are the bare type, decoded as [`Wrapping::Raw`].
    JsonByteArray,
}

impl Wrapping {
    /// Parse `raw`, `vec_u8` or `json_byte_array` (only the first word counts, so the fixture
    /// field `result_wrapping` can be passed as is).
    pub fn parse(text: &str) -> Result<Wrapping> {
        let word = text
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        match word {
            "raw" | "" => Ok(Wrapping::Raw),
            "vec_u8" => Ok(Wrapping::VecU8),
            "json_byte_array" => Ok(Wrapping::JsonByteArray),
            other => Err(Error::new(
                ErrorCode::Unsupported,
                format!("unknown result wrapping {other:?} (raw, vec_u8, json_byte_array)"),
            )),
        }
    }

    /// The name as `parse` accepts it.
    pub fn as_str(self) -> &'static str {
        match self {
            Wrapping::Raw => "raw",
            Wrapping::VecU8 => "vec_u8",
            Wrapping::JsonByteArray => "json_byte_array",
        }
    }
}

/// Bytes from the JSON array of numbers the custom RPCs answer (`[12, 0, 255]`).
pub fn bytes_from_json_array(text: &str) -> Result<Vec<u8>> {
    let bad = |why: String| Error::new(ErrorCode::InvalidJson, why);
    let t = text.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .ok_or_else(|| bad("expected a JSON array of byte values".into()))?;
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    inner
        .split(',')
        .enumerate()
        .map(|(i, item)| {
            item.trim()
                .parse::<u8>()
                .map_err(|_| bad(format!("item {i} is not a byte value: {:?}", item.trim())))
        })
        .collect()
}

/// A decoded value of a type chosen at run time.
pub trait DecodedValue: Any + fmt::Debug + Send + Sync {
    /// For downcasting.
    fn as_any(&self) -> &dyn Any;
    /// Re-encode (bytes equal to the input for every valid input: decoding is canonical).
    fn encode(&self) -> Vec<u8>;
    /// Render as JSON.
    #[cfg(feature = "render")]
    fn render(&self, opts: &RenderOpts) -> Value;
}

struct Typed<C: Codec>(C::Value, PhantomData<fn() -> C>);

impl<C: Codec> fmt::Debug for Typed<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<C: Codec> DecodedValue for Typed<C> {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn encode(&self) -> Vec<u8> {
        super::scale::encode::<C>(&self.0)
    }
    #[cfg(feature = "render")]
    fn render(&self, opts: &RenderOpts) -> Value {
        C::render(&self.0, opts)
    }
}

/// The result of [`decode_type`].
#[derive(Debug)]
pub struct Decoded {
    type_name: String,
    value: Box<dyn DecodedValue>,
}

impl Decoded {
    /// Wrap a typed value (e.g. a storage default).
    pub fn new<C: Codec>(type_name: impl Into<String>, value: C::Value) -> Decoded {
        Decoded {
            type_name: type_name.into(),
            value: Box::new(Typed::<C>(value, PhantomData)),
        }
    }

    /// The canonical type name.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The typed value, when `C` is the codec this was decoded with
    /// (e.g. `get::<Option<Metagraph>>()`, `get::<Vec<(Compact<u16>, Compact<u16>)>>()`).
    pub fn get<C: Codec>(&self) -> Option<&C::Value> {
        self.value.as_any().downcast_ref::<Typed<C>>().map(|t| &t.0)
    }

    /// Re-encode the value.
    pub fn encode(&self) -> Vec<u8> {
        self.value.encode()
    }

    /// Render as JSON in the fixture conventions.
    #[cfg(feature = "render")]
    pub fn render(&self, opts: &RenderOpts) -> Value {
        self.value.render(opts)
    }
}

/// Render a decoded value as JSON (same as [`Decoded::render`]).
#[cfg(feature = "render")]
pub fn render(d: &Decoded, opts: &RenderOpts) -> Value {
    d.render(opts)
}

type DecodeFn = fn(&[u8], Limits) -> Result<Box<dyn DecodedValue>>;

fn dec<C: Codec>(bytes: &[u8], limits: Limits) -> Result<Box<dyn DecodedValue>> {
    let v = decode_all_with_limits::<C>(bytes, limits)?;
    Ok(Box::new(Typed::<C>(v, PhantomData)))
}

/// The decode table: the runtime-API structs (listed in `registry_structs.rs`), each registered as
/// `T`, `Option<T>`, `Vec<T>` and `Vec<Option<T>>`, then the `extra` names.
macro_rules! table {
    (structs: [$($s:ident),* $(,)?], extra: [$($name:literal => $codec:ty),* $(,)?]) => {
        static TABLE: &[(&str, DecodeFn)] = &[
            $(
                (stringify!($s), dec::<$s>),
                (concat!("Option<", stringify!($s), ">"), dec::<Option<$s>>),
                (concat!("Vec<", stringify!($s), ">"), dec::<Vec<$s>>),
                (concat!("Vec<Option<", stringify!($s), ">>"), dec::<Vec<Option<$s>>>),
            )*
            $( ($name, dec::<$codec>), )*
        ];
    };
}

with_registered_structs!(table! {
    extra: [
        "()" => (),
        "bool" => bool,
        "u8" => u8,
        "u16" => u16,
        "u32" => u32,
        "u64" => u64,
        "u128" => u128,
        "i8" => i8,
        "i16" => i16,
        "i32" => i32,
        "i64" => i64,
        "i128" => i128,
        "Compact<u8>" => Compact<u8>,
        "Compact<u16>" => Compact<u16>,
        "Compact<u32>" => Compact<u32>,
        "Compact<u64>" => Compact<u64>,
        "Compact<u128>" => Compact<u128>,
        "str" => String,
        "AccountId32" => AccountId32,
        "H256" => H256,
        "I32F32" => I32F32,
        "U64F64" => U64F64,
        "I64F64" => I64F64,
        "I96F32" => I96F32,
        "U96F32" => U96F32,
        "[u8;4]" => [u8; 4],
        "[u8;32]" => [u8; 32],
        "[u16;2]" => [u16; 2],
        "(u16,u16)" => (u16, u16),
        "Option<bool>" => Option<bool>,
        "Option<u8>" => Option<u8>,
        "Option<u16>" => Option<u16>,
        "Option<u32>" => Option<u32>,
        "Option<u64>" => Option<u64>,
        "Option<u128>" => Option<u128>,
        "Option<AccountId32>" => Option<AccountId32>,
        "Option<H256>" => Option<H256>,
        "Option<Vec<u8>>" => Option<Vec<u8>>,
        "Option<Vec<u16>>" => Option<Vec<u16>>,
        "Option<Vec<HyperparamEntry>>" => Option<Vec<HyperparamEntry>>,
        "Vec<u8>" => Vec<u8>,
        "Vec<bool>" => Vec<bool>,
        "Vec<u16>" => Vec<u16>,
        "Vec<u32>" => Vec<u32>,
        "Vec<u64>" => Vec<u64>,
        "Vec<AccountId32>" => Vec<AccountId32>,
        "Vec<H256>" => Vec<H256>,
        "Vec<Compact<u16>>" => Vec<Compact<u16>>,
        "Vec<Compact<u64>>" => Vec<Compact<u64>>,
        "Vec<(u16,u16)>" => Vec<(u16, u16)>,
        "Vec<(Compact<u16>,Compact<u16>)>" => Vec<(Compact<u16>, Compact<u16>)>,
        "Vec<(u64,AccountId32)>" => Vec<(u64, AccountId32)>,
        "Vec<(AccountId32,u64)>" => Vec<(AccountId32, u64)>,
        "Vec<(AccountId32,Compact<u64>)>" => Vec<(AccountId32, Compact<u64>)>,
        "Vec<(H256,u64,u64,u64)>" => Vec<(H256, u64, u64, u64)>,
        "Vec<(AccountId32,u64,Vec<u8>,u64)>" => Vec<(AccountId32, u64, Vec<u8>, u64)>,
        "(u64,AccountId32)" => (u64, AccountId32),
        "Vec<(AccountId32,Vec<StakeInfo>)>" => Vec<(AccountId32, Vec<StakeInfo>)>,
        "Vec<(AccountId32,Vec<StakeInfoLegacy>)>" => Vec<(AccountId32, Vec<StakeInfoLegacy>)>,
        "BTreeMap<u16,I96F32>" => BTreeMapCodec<u16, I96F32>,
        "BTreeMap<AccountId32,BTreeMap<u16,StakeAvailability>>"
            => BTreeMapCodec<AccountId32, BTreeMapCodec<u16, StakeAvailability>>,
        "(DelegateInfo,(Compact<u16>,Compact<u64>))" => Delegated,
        "Vec<(DelegateInfo,(Compact<u16>,Compact<u64>))>" => Vec<Delegated>,
        "(DelegateInfoLegacy,Compact<u64>)" => DelegatedLegacy,
        "Vec<(DelegateInfoLegacy,Compact<u64>)>" => Vec<DelegatedLegacy>,
    ]
});

/// Every type name [`decode_type`] accepts, in canonical form.
pub fn known_types() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(n, _)| *n)
}

/// Decode `bytes` as the named type with the given wrapping, requiring that every byte is used.
///
/// Errors: `UNSUPPORTED` for an unknown type name, `DECODE` for malformed bytes, `TRAILING_BYTES`
/// for leftovers, `DECODE_LIMIT` past the depth or allocation limit; the message starts with the
/// type name, `field` holds the path inside it and `offset` the byte offset in `bytes`.
pub fn decode_type(type_name: &str, bytes: &[u8], wrapping: Wrapping) -> Result<Decoded> {
    decode_type_with_limits(type_name, bytes, wrapping, Limits::DEFAULT)
}

/// [`decode_type`] with explicit limits.
pub fn decode_type_with_limits(
    type_name: &str,
    bytes: &[u8],
    wrapping: Wrapping,
    limits: Limits,
) -> Result<Decoded> {
    let canonical = canonical_type_name(type_name)?;
    let decode = lookup(&canonical).ok_or_else(|| {
        Error::new(
            ErrorCode::Unsupported,
            format!("no decoder for type {canonical}"),
        )
    })?;
    let value = decode_wrapped(&canonical, bytes, wrapping, limits, decode)?;
    Ok(Decoded {
        type_name: canonical,
        value,
    })
}

/// Undo `wrapping` around `bytes` and decode them with `decode` (which must consume every byte):
/// the one place the result wrappings are handled, for [`decode_type_with_limits`] and the
/// columnar decoder. Errors carry the canonical type name and offsets into `bytes`.
pub fn decode_wrapped<T>(
    canonical: &str,
    bytes: &[u8],
    wrapping: Wrapping,
    limits: Limits,
    decode: impl Fn(&[u8], Limits) -> Result<T>,
) -> Result<T> {
    let named = |e: Error| Error {
        message: format!("{canonical}: {}", e.message),
        ..e
    };
    match wrapping {
        Wrapping::Raw | Wrapping::JsonByteArray => decode(bytes, limits).map_err(named),
        Wrapping::VecU8 => {
            let mut r = Reader::with_limits(bytes, limits);
            let n = r.compact_len().map_err(named)?;
            let prefix = r.position();
            if n != r.remaining() {
                let code = if n < r.remaining() {
                    ErrorCode::TrailingBytes
                } else {
                    ErrorCode::Decode
                };
                return Err(named(
                    Error::new(
                        code,
                        format!("Vec<u8> wrapper says {n} bytes, {} follow", r.remaining()),
                    )
                    .at_offset(prefix),
                ));
            }
            let inner = bytes.get(prefix..).unwrap_or(&[]);
            let shift = |e: Error| {
                let off = e.offset.map(|o| o.saturating_add(prefix));
                Error {
                    offset: off,
                    ..named(e)
                }
            };
            match canonical
                .strip_prefix("Option<")
                .and_then(|s| s.strip_suffix('>'))
            {
                // The old runtimes returned the bare value, or an empty vector for None.
                Some(_) => {
                    let mut tagged = Vec::with_capacity(inner.len().saturating_add(1));
                    tagged.push(u8::from(!inner.is_empty()));
                    tagged.extend_from_slice(inner);
                    decode(&tagged, limits).map_err(|e| {
                        let off = e.offset.map(|o| o.saturating_sub(1).saturating_add(prefix));
                        Error {
                            offset: off,
                            ..named(e)
                        }
                    })
                }
                None if inner.is_empty() => Err(named(
                    Error::new(
                        ErrorCode::Decode,
                        "empty Vec<u8> result: the old runtime's None (decode as Option<..>)",
                    )
                    .at_offset(prefix),
                )),
                None => decode(inner, limits).map_err(shift),
            }
        }
    }
}

fn lookup(canonical: &str) -> Option<DecodeFn> {
    TABLE.iter().find(|(n, _)| *n == canonical).map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_name_is_canonical() {
        for name in known_types() {
            assert_eq!(canonical_type_name(name).unwrap(), name);
        }
    }

    #[test]
    fn decode_by_name_and_downcast() {
        let d = decode_type(
            "Vec<(u16, u16)>",
            &[0x04, 0x0a, 0x00, 0xff, 0xff],
            Wrapping::Raw,
        )
        .unwrap();
        assert_eq!(d.get::<Vec<(u16, u16)>>(), Some(&vec![(10u16, 65535u16)]));
        assert_eq!(d.encode(), vec![0x04, 0x0a, 0x00, 0xff, 0xff]);
        let e = decode_type("Nope", &[], Wrapping::Raw).unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
    }

    #[test]
    fn vec_u8_wrapping() {
        // Option<u16> = Some(5) in an old runtime: Vec<u8> of the bare value.
        let d = decode_type("Option<u16>", &[0x08, 5, 0], Wrapping::VecU8).unwrap();
        assert_eq!(d.get::<Option<u16>>(), Some(&Some(5)));
        let d = decode_type("Option<u16>", &[0x00], Wrapping::VecU8).unwrap();
        assert_eq!(d.get::<Option<u16>>(), Some(&None));
        let e = decode_type("u16", &[0x00], Wrapping::VecU8).unwrap_err();
        assert_eq!(e.code, ErrorCode::Decode);
        let e = decode_type("u16", &[0x0c, 5, 0, 1], Wrapping::VecU8).unwrap_err();
        assert_eq!(e.code, ErrorCode::TrailingBytes);
        let e = decode_type("u32", &[0x0c, 5, 0, 1], Wrapping::VecU8).unwrap_err();
        assert_eq!((e.code, e.offset), (ErrorCode::Decode, Some(1)));
    }

    #[test]
    fn json_byte_arrays() {
        assert_eq!(
            bytes_from_json_array("[1, 2,255]").unwrap(),
            vec![1, 2, 255]
        );
        assert_eq!(bytes_from_json_array("[]").unwrap(), Vec::<u8>::new());
        assert_eq!(
            bytes_from_json_array("[256]").unwrap_err().code,
            ErrorCode::InvalidJson
        );
        assert_eq!(
            bytes_from_json_array("1,2").unwrap_err().code,
            ErrorCode::InvalidJson
        );
    }
}
