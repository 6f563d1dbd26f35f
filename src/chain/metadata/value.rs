//! Values decoded by a metadata type id (storage values, constants, runtime-API results), and the
//! readable names of type ids.
//!
//! Follows the type definitions of paritytech/scale-info `src/ty/mod.rs` (`TypeDef`: composite,
//! variant, sequence, array, tuple, primitive, compact, bit sequence) and the `bitvec` SCALE
//! encoding (`Compact<u32>` bit count, then whole store words, little-endian). Decoding uses the
//! crate's bounded [`Reader`]: nesting and allocation are limited and `decode_all` rejects
//! leftover bytes.

use crate::chain::hex;
use crate::chain::scale::{leaf, Reader};
use crate::error::{Error, ErrorCode, Result};
use parity_scale_codec::Compact;
use scale_info::form::PortableForm;
use scale_info::{Field, PortableRegistry, TypeDef, TypeDefPrimitive};
use serde_json::{Map, Value as Json};

/// A value decoded by its metadata type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `bool`.
    Bool(bool),
    /// `char`.
    Char(char),
    /// `str` (and `String`).
    Str(String),
    /// Any unsigned integer up to 128 bits (also compacts).
    U(u128),
    /// Any signed integer up to 128 bits.
    I(i128),
    /// `u256` / `i256`: the 32 little-endian bytes.
    Wide([u8; 32]),
    /// A sequence or array of `u8`.
    Bytes(Vec<u8>),
    /// Any other sequence or array.
    Seq(Vec<Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A struct: fields in order, named or not.
    Composite(Vec<(Option<String>, Value)>),
    /// An enum variant with its fields.
    Variant {
        /// Variant name.
        name: String,
        /// Variant index (its encoded tag).
        index: u8,
        /// Its fields.
        fields: Vec<(Option<String>, Value)>,
    },
    /// A bit sequence.
    Bits(Vec<bool>),
}

impl Value {
    /// An unsigned integer, looking through newtypes (`NetUid(u16)`) and compacts.
    pub fn as_u128(&self) -> Option<u128> {
        match self {
            Value::U(v) => Some(*v),
            Value::Composite(f) if f.len() == 1 => f.first().and_then(|(_, v)| v.as_u128()),
            _ => None,
        }
    }

    /// Text, looking through newtypes (`Cow<str>`, `RuntimeString`).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Composite(f) if f.len() == 1 => f.first().and_then(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// A named field of a struct.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Composite(f) => f
                .iter()
                .find(|(n, _)| n.as_deref() == Some(name))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// JSON in the fixture conventions: integers above 2^53 - 1 as decimal strings, bytes as `0x`
    /// hex, newtypes transparent, `None` as `null`, `Some(x)` as `x`, unit variants as their
    /// name, other variants as `{name: fields}`.
    pub fn to_json(&self) -> Json {
        const MAX_SAFE: u128 = (1 << 53) - 1;
        match self {
            Value::Bool(b) => Json::Bool(*b),
            Value::Char(c) => Json::String(c.to_string()),
            Value::Str(s) => Json::String(s.clone()),
            Value::U(v) if *v <= MAX_SAFE => Json::from(*v as u64),
            Value::U(v) => Json::String(v.to_string()),
            Value::I(v) if v.unsigned_abs() <= MAX_SAFE => Json::from(*v as i64),
            Value::I(v) => Json::String(v.to_string()),
            Value::Wide(b) => Json::String(hex::encode(b)),
            Value::Bytes(b) => Json::String(hex::encode(b)),
            Value::Seq(v) | Value::Tuple(v) => Json::Array(v.iter().map(Value::to_json).collect()),
            Value::Bits(b) => Json::Array(b.iter().map(|x| Json::Bool(*x)).collect()),
            Value::Composite(f) => fields_json(f),
            Value::Variant { name, fields, .. } => match (name.as_str(), fields.as_slice()) {
                ("None", []) => Json::Null,
                ("Some", [(_, v)]) => v.to_json(),
                (_, []) => Json::String(name.clone()),
                _ => {
                    let mut m = Map::new();
                    m.insert(name.clone(), fields_json(fields));
                    Json::Object(m)
                }
            },
        }
    }
}

fn fields_json(f: &[(Option<String>, Value)]) -> Json {
    match f {
        [(_, v)] => v.to_json(),
        _ if f.iter().all(|(n, _)| n.is_some()) => Json::Object(
            f.iter()
                .map(|(n, v)| (n.clone().unwrap_or_default(), v.to_json()))
                .collect(),
        ),
        _ => Json::Array(f.iter().map(|(_, v)| v.to_json()).collect()),
    }
}

fn unknown(id: u32) -> Error {
    Error::field(
        ErrorCode::InvalidType,
        "type",
        format!("unknown type id {id}"),
    )
}

/// Decode `bytes` as type `id`, every byte consumed.
pub fn decode_all(types: &PortableRegistry, id: u32, bytes: &[u8]) -> Result<Value> {
    let mut r = Reader::new(bytes);
    let v = decode(types, id, &mut r)?;
    r.finish()?;
    Ok(v)
}

/// Decode one value of type `id` from the reader.
pub fn decode(types: &PortableRegistry, id: u32, r: &mut Reader<'_>) -> Result<Value> {
    // Each value is charged to the allocation budget: zero-sized types (`()`, empty structs)
    // consume no input, so this is what bounds the work a hostile registry can ask for.
    r.reserve(1, 0, core::mem::size_of::<Value>())?;
    r.enter()?;
    let v = decode_inner(types, id, r);
    r.leave();
    v
}

fn decode_fields(
    types: &PortableRegistry,
    fields: &[Field<PortableForm>],
    r: &mut Reader<'_>,
) -> Result<Vec<(Option<String>, Value)>> {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let v = decode(types, f.ty.id, r).map_err(|e| match &f.name {
            Some(n) => e.within(n),
            None => e,
        })?;
        out.push((f.name.clone(), v));
    }
    Ok(out)
}

fn is_u8(types: &PortableRegistry, id: u32) -> bool {
    matches!(
        types.resolve(id).map(|t| &t.type_def),
        Some(TypeDef::Primitive(TypeDefPrimitive::U8))
    )
}

fn decode_items(
    types: &PortableRegistry,
    elem: u32,
    n: usize,
    r: &mut Reader<'_>,
) -> Result<Value> {
    if is_u8(types, elem) {
        return Ok(Value::Bytes(r.take(n)?.to_vec()));
    }
    let mut out = Vec::new();
    for i in 0..n {
        out.push(decode(types, elem, r).map_err(|e| e.within(&format!("[{i}]")))?);
    }
    Ok(Value::Seq(out))
}

fn decode_inner(types: &PortableRegistry, id: u32, r: &mut Reader<'_>) -> Result<Value> {
    let ty = types.resolve(id).ok_or_else(|| unknown(id))?;
    Ok(match &ty.type_def {
        TypeDef::Composite(c) => Value::Composite(decode_fields(types, &c.fields, r)?),
        TypeDef::Variant(v) => {
            let at = r.position();
            let tag = r.byte()?;
            let var = v.variants.iter().find(|x| x.index == tag).ok_or_else(|| {
                Error::new(ErrorCode::Decode, format!("no variant with index {tag}")).at_offset(at)
            })?;
            Value::Variant {
                name: var.name.clone(),
                index: tag,
                fields: decode_fields(types, &var.fields, r).map_err(|e| e.within(&var.name))?,
            }
        }
        TypeDef::Sequence(s) => {
            let n = r.compact_len()?;
            decode_items(types, s.type_param.id, n, r)?
        }
        TypeDef::Array(a) => {
            let n = usize::try_from(a.len).map_err(|_| unknown(id))?;
            decode_items(types, a.type_param.id, n, r)?
        }
        TypeDef::Tuple(t) => {
            let mut out = Vec::with_capacity(t.fields.len());
            for f in &t.fields {
                out.push(decode(types, f.id, r)?);
            }
            Value::Tuple(out)
        }
        TypeDef::Primitive(p) => primitive(p, r)?,
        TypeDef::Compact(c) => compact(types, c.type_param.id, r)?,
        TypeDef::BitSequence(b) => bits(types, b.bit_store_type.id, b.bit_order_type.id, r)?,
    })
}

fn primitive(p: &TypeDefPrimitive, r: &mut Reader<'_>) -> Result<Value> {
    use TypeDefPrimitive as P;
    Ok(match p {
        P::Bool => Value::Bool(leaf::<bool>(r, "bool")?),
        P::Char => {
            let at = r.position();
            let c = leaf::<u32>(r, "char")?;
            Value::Char(
                char::from_u32(c)
                    .ok_or_else(|| Error::new(ErrorCode::Decode, "invalid char").at_offset(at))?,
            )
        }
        P::Str => {
            let n = r.compact_len()?;
            let at = r.position();
            let b = r.take(n)?;
            Value::Str(
                core::str::from_utf8(b)
                    .map_err(|_| Error::new(ErrorCode::Decode, "invalid UTF-8").at_offset(at))?
                    .to_string(),
            )
        }
        P::U8 => Value::U(u128::from(r.byte()?)),
        P::U16 => Value::U(u128::from(leaf::<u16>(r, "u16")?)),
        P::U32 => Value::U(u128::from(leaf::<u32>(r, "u32")?)),
        P::U64 => Value::U(u128::from(leaf::<u64>(r, "u64")?)),
        P::U128 => Value::U(leaf::<u128>(r, "u128")?),
        P::I8 => Value::I(i128::from(leaf::<i8>(r, "i8")?)),
        P::I16 => Value::I(i128::from(leaf::<i16>(r, "i16")?)),
        P::I32 => Value::I(i128::from(leaf::<i32>(r, "i32")?)),
        P::I64 => Value::I(i128::from(leaf::<i64>(r, "i64")?)),
        P::I128 => Value::I(leaf::<i128>(r, "i128")?),
        P::U256 | P::I256 => Value::Wide(r.array::<32>()?),
    })
}

/// `Compact<T>`: T is an unsigned primitive, or a newtype around one (`Compact<NetUid>`).
fn compact(types: &PortableRegistry, inner: u32, r: &mut Reader<'_>) -> Result<Value> {
    let ty = types.resolve(inner).ok_or_else(|| unknown(inner))?;
    use TypeDefPrimitive as P;
    Ok(match &ty.type_def {
        TypeDef::Primitive(P::U8) => Value::U(u128::from(leaf::<Compact<u8>>(r, "Compact<u8>")?.0)),
        TypeDef::Primitive(P::U16) => {
            Value::U(u128::from(leaf::<Compact<u16>>(r, "Compact<u16>")?.0))
        }
        TypeDef::Primitive(P::U32) => {
            Value::U(u128::from(leaf::<Compact<u32>>(r, "Compact<u32>")?.0))
        }
        TypeDef::Primitive(P::U64) => {
            Value::U(u128::from(leaf::<Compact<u64>>(r, "Compact<u64>")?.0))
        }
        TypeDef::Primitive(P::U128) => Value::U(leaf::<Compact<u128>>(r, "Compact<u128>")?.0),
        TypeDef::Composite(c) if c.fields.len() == 1 => {
            let f = c
                .fields
                .first()
                .map(|f| f.ty.id)
                .ok_or_else(|| unknown(inner))?;
            r.enter()?;
            let v = compact(types, f, r);
            r.leave();
            Value::Composite(vec![(c.fields.first().and_then(|f| f.name.clone()), v?)])
        }
        TypeDef::Composite(c) if c.fields.is_empty() => Value::Composite(Vec::new()),
        _ => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "type",
                format!("Compact of type {inner}"),
            ))
        }
    })
}

/// `BitVec<Store, Order>`: a `Compact<u32>` bit count, then `ceil(bits / W)` store words.
fn bits(types: &PortableRegistry, store: u32, order: u32, r: &mut Reader<'_>) -> Result<Value> {
    use TypeDefPrimitive as P;
    let width = match types.resolve(store).map(|t| &t.type_def) {
        Some(TypeDef::Primitive(P::U8)) => 8usize,
        Some(TypeDef::Primitive(P::U16)) => 16,
        Some(TypeDef::Primitive(P::U32)) => 32,
        Some(TypeDef::Primitive(P::U64)) => 64,
        _ => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "type",
                "bit store type",
            ))
        }
    };
    let msb = match types
        .resolve(order)
        .and_then(|t| t.path.segments.last())
        .map(String::as_str)
    {
        Some("Lsb0") => false,
        Some("Msb0") => true,
        _ => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "type",
                "bit order type",
            ))
        }
    };
    let n = r.compact_len()?;
    let words = n.div_ceil(width);
    let bytes = r.take(words.saturating_mul(width / 8))?;
    r.reserve(1, 0, n)?;
    let mut out = Vec::new();
    for (wi, word) in bytes.chunks_exact(width / 8).enumerate() {
        let mut buf = [0u8; 8];
        if let Some(dst) = buf.get_mut(..word.len()) {
            dst.copy_from_slice(word);
        }
        let w = u64::from_le_bytes(buf);
        for bit in 0..width {
            if wi.saturating_mul(width).saturating_add(bit) >= n {
                break;
            }
            let shift = if msb {
                width.saturating_sub(1).saturating_sub(bit)
            } else {
                bit
            };
            out.push((w >> shift) & 1 == 1);
        }
    }
    Ok(Value::Bits(out))
}

/// The readable name of a type id: primitives as Rust writes them, `Vec<T>`, `[T; N]`, tuples,
/// `Compact<T>`, `BitVec`, and named types by their last path segment with their type parameters
/// (`Option<u64>`, `AccountId32`, `FixedU128<U64>`).
pub fn type_name(types: &PortableRegistry, id: u32) -> String {
    let mut budget = 256u32;
    name_at(types, id, 0, &mut budget)
}

fn name_at(types: &PortableRegistry, id: u32, depth: u32, budget: &mut u32) -> String {
    // Type parameters can refer back to the type itself, and wide tuples of wide tuples grow
    // exponentially: bound both the depth and the number of names expanded.
    if depth > 16 || *budget == 0 {
        return "…".to_string();
    }
    *budget = budget.saturating_sub(1);
    let Some(ty) = types.resolve(id) else {
        return format!("?{id}");
    };
    let mut sub = |i: u32| name_at(types, i, depth.saturating_add(1), budget);
    match &ty.type_def {
        TypeDef::Sequence(s) => format!("Vec<{}>", sub(s.type_param.id)),
        TypeDef::Array(a) => format!("[{}; {}]", sub(a.type_param.id), a.len),
        TypeDef::Tuple(t) => {
            let parts: Vec<String> = t.fields.iter().map(|f| sub(f.id)).collect();
            format!("({})", parts.join(", "))
        }
        TypeDef::Compact(c) => format!("Compact<{}>", sub(c.type_param.id)),
        TypeDef::BitSequence(_) => "BitVec".to_string(),
        TypeDef::Primitive(p) => format!("{p:?}").to_lowercase(),
        TypeDef::Composite(_) | TypeDef::Variant(_) => {
            let base = ty
                .path
                .segments
                .last()
                .cloned()
                .unwrap_or_else(|| format!("?{id}"));
            let params: Vec<String> = ty
                .type_params
                .iter()
                .filter_map(|p| p.ty.map(|t| sub(t.id)))
                .collect();
            if params.is_empty() {
                base
            } else {
                format!("{base}<{}>", params.join(", "))
            }
        }
    }
}
