//! The direct column decoder: the SCALE stream read once, every value appended to its column, no
//! typed struct in between. [`Columnar`] is implemented for the leaf codecs, `Vec`, `Option` and
//! pairs here, and for the large structs by `scale_struct!` (its `columnar` form) from the same
//! field list that declares the struct and its [`Codec`]: the layout is written once.
//!
//! Decoding mirrors [`Codec::decode`] step for step (leaves call it; containers and structs do the
//! same length checks, allocation charges, depth counting and error paths), so a result and every
//! error (code, field path, offset) are the per-object decoder's; `tests/chain_columnar_direct.rs`
//! compares both on every capture, on truncations and on corrupted bytes.
//!
//! Shapes: a leaf is one typed vector; a struct a [`Column::Group`] of its fields; an
//! `Option<T>` T's columns plus `present` (zeros where absent); a `Vec<T>` a [`Column::List`]
//! (CSR offsets plus T's columns); a pair `(A, B)` two columns named by the field holding the list
//! ([`pair_names`]: the chain's tuples have no field names).

use super::{Column, Columns};
use crate::chain::scale::{in_index, Codec, CompactText, Limits, Reader, Text};
use crate::chain::types::{AccountId32, I96F32};
use crate::error::{Error, ErrorCode, Result};
use parity_scale_codec::Compact;

/// A codec that can decode straight into columns.
pub trait Columnar: Codec {
    /// The growing columns of this codec's values.
    type Builder;
    /// No rows yet.
    fn builder() -> Self::Builder;
    /// Room for `n` more rows (a capacity hint).
    fn reserve(b: &mut Self::Builder, n: usize);
    /// Decode one value from `r` onto the end of `b` (errors as [`Codec::decode`]).
    fn decode_into(r: &mut Reader<'_>, b: &mut Self::Builder) -> Result<()>;
    /// Bytes of every encoding of this codec when any that many bytes decode (the fixed-width
    /// integers and accounts); 0 for any other codec (structs included: entering one counts
    /// against the depth limit, which can fail).
    const FIXED: usize = 0;
    /// Append the value encoded at the start of `s`, which holds at least [`Self::FIXED`] (> 0)
    /// bytes: a decode that cannot fail, so a struct of such fields checks its length once.
    fn push_fixed(_s: &[u8], _b: &mut Self::Builder) {}
    /// Append an absent row (zero numbers, zero account, empty text, empty list).
    fn push_zero(b: &mut Self::Builder);
    /// The rows as one column; `field` names the struct field that holds them.
    fn finish(b: Self::Builder, field: &'static str) -> Result<Column>;
    /// The rows as the items of a list (`len` of them): a struct's or pair's own columns, else one
    /// column named `""`.
    fn finish_items(b: Self::Builder, len: usize, field: &'static str) -> Result<Columns> {
        Ok(Columns {
            len,
            present: None,
            columns: vec![("", Self::finish(b, field)?)],
        })
    }
}

macro_rules! leaf_columns {
    ($($codec:ty => $variant:ident($t:ty, $zero:expr, |$x:ident| $into:expr);)*) => {$(
        impl Columnar for $codec {
            type Builder = Vec<$t>;
            fn builder() -> Vec<$t> {
                Vec::new()
            }
            fn reserve(b: &mut Vec<$t>, n: usize) {
                b.reserve(n);
            }
            #[inline]
            fn decode_into(r: &mut Reader<'_>, b: &mut Vec<$t>) -> Result<()> {
                let $x = <$codec as Codec>::decode(r)?;
                b.push($into);
                Ok(())
            }
            fn push_zero(b: &mut Vec<$t>) {
                b.push($zero);
            }
            fn finish(b: Vec<$t>, _field: &'static str) -> Result<Column> {
                Ok(Column::$variant(b))
            }
        }
    )*};
}

/// The fixed-width leaves: `FIXED` bytes, read little-endian (`AccountId32`: the 32 bytes).
macro_rules! fixed_leaf_columns {
    ($($codec:ty => $variant:ident($t:ty, $zero:expr, |$s:ident| $read:expr);)*) => {$(
        impl Columnar for $codec {
            type Builder = Vec<$t>;
            const FIXED: usize = <$codec as Codec>::MIN_LEN;
            fn builder() -> Vec<$t> {
                Vec::new()
            }
            fn reserve(b: &mut Vec<$t>, n: usize) {
                b.reserve(n);
            }
            #[inline]
            fn decode_into(r: &mut Reader<'_>, b: &mut Vec<$t>) -> Result<()> {
                b.push(<$codec as Codec>::decode(r)?);
                Ok(())
            }
            #[inline(always)]
            fn push_fixed($s: &[u8], b: &mut Vec<$t>) {
                // `s` holds at least FIXED bytes (the caller checked), so the default is never used.
                b.push($read.unwrap_or($zero));
            }
            fn push_zero(b: &mut Vec<$t>) {
                b.push($zero);
            }
            fn finish(b: Vec<$t>, _field: &'static str) -> Result<Column> {
                Ok(Column::$variant(b))
            }
        }
    )*};
}

fixed_leaf_columns! {
    u8 => U8(u8, 0, |s| s.first().copied());
    u16 => U16(u16, 0, |s| s.first_chunk().map(|b| u16::from_le_bytes(*b)));
    u32 => U32(u32, 0, |s| s.first_chunk().map(|b| u32::from_le_bytes(*b)));
    u64 => U64(u64, 0, |s| s.first_chunk().map(|b| u64::from_le_bytes(*b)));
    u128 => U128(u128, 0, |s| s.first_chunk().map(|b| u128::from_le_bytes(*b)));
    AccountId32 => Account(AccountId32, AccountId32::ZERO, |s| s.first_chunk().map(|b| AccountId32(*b)));
}

leaf_columns! {
    bool => Bool(u8, 0, |x| u8::from(x));
    Compact<u16> => U16(u16, 0, |x| x);
    Compact<u64> => U64(u64, 0, |x| x);
    Compact<u128> => U128(u128, 0, |x| x);
    I96F32 => I96F32(I96F32, I96F32::from_bits(0), |x| x);
    Text => Text(Vec<u8>, Vec::new(), |x| x);
    CompactText => Text(Vec<u8>, Vec::new(), |x| x);
}

/// The bytes of a struct whose every field is fixed-width ([`Columnar::FIXED`]), else 0.
pub const fn fixed_sum(fields: &[usize]) -> usize {
    let mut sum = 0usize;
    let mut rest = fields;
    while let [first, tail @ ..] = rest {
        if *first == 0 {
            return 0;
        }
        sum = sum.saturating_add(*first);
        rest = tail;
    }
    sum
}

/// Add `n` to a list's item count (`TOO_LARGE` past `u32::MAX` items in one column).
fn grow(offsets: &mut Vec<u32>, n: usize) -> Result<()> {
    let last = offsets.last().copied().unwrap_or(0);
    let next = u32::try_from(n)
        .ok()
        .and_then(|n| last.checked_add(n))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::TooLarge,
                "more than u32::MAX list items in one column",
            )
        })?;
    offsets.push(next);
    Ok(())
}

/// `Vec<T>`: `(offsets, items)`, offsets starting at 0.
impl<C: Columnar> Columnar for Vec<C> {
    type Builder = (Vec<u32>, C::Builder);
    fn builder() -> Self::Builder {
        (vec![0], C::builder())
    }
    fn reserve(b: &mut Self::Builder, n: usize) {
        b.0.reserve(n);
    }
    fn decode_into(r: &mut Reader<'_>, b: &mut Self::Builder) -> Result<()> {
        // As `<Vec<C> as Codec>::decode`: the same checks and charges, in the same order.
        let n = r.compact_len()?;
        r.reserve(n, C::MIN_LEN, core::mem::size_of::<C::Value>())?;
        r.enter()?;
        C::reserve(&mut b.1, n);
        for i in 0..n {
            C::decode_into(r, &mut b.1).map_err(|e| in_index(e, i))?;
        }
        r.leave();
        grow(&mut b.0, n)
    }
    fn push_zero(b: &mut Self::Builder) {
        let last = b.0.last().copied().unwrap_or(0);
        b.0.push(last);
    }
    fn finish(b: Self::Builder, field: &'static str) -> Result<Column> {
        let len = b.0.last().copied().unwrap_or(0) as usize;
        Ok(Column::List {
            offsets: b.0,
            items: C::finish_items(b.1, len, field)?,
        })
    }
}

/// `Option<T>`: `(present, T's builder)`.
impl<C: Columnar> Columnar for Option<C> {
    type Builder = (Vec<u8>, C::Builder);
    fn builder() -> Self::Builder {
        (Vec::new(), C::builder())
    }
    fn reserve(b: &mut Self::Builder, n: usize) {
        b.0.reserve(n);
        C::reserve(&mut b.1, n);
    }
    fn decode_into(r: &mut Reader<'_>, b: &mut Self::Builder) -> Result<()> {
        let start = r.position();
        match r.byte()? {
            0 => {
                b.0.push(0);
                C::push_zero(&mut b.1);
                Ok(())
            }
            1 => {
                r.enter()?;
                C::decode_into(r, &mut b.1)?;
                r.leave();
                b.0.push(1);
                Ok(())
            }
            tag => Err(
                Error::new(ErrorCode::Decode, format!("invalid Option tag {tag:#04x}"))
                    .at_offset(start),
            ),
        }
    }
    fn push_zero(b: &mut Self::Builder) {
        b.0.push(0);
        C::push_zero(&mut b.1);
    }
    fn finish(b: Self::Builder, field: &'static str) -> Result<Column> {
        let len = b.0.len();
        Ok(Column::Group(Self::finish_items(b, len, field)?))
    }
    fn finish_items(b: Self::Builder, len: usize, field: &'static str) -> Result<Columns> {
        let mut c = C::finish_items(b.1, len, field)?;
        c.present = Some(b.0);
        Ok(c)
    }
}

/// The column names of the pairs in the list field `field` (the chain's tuples are unnamed):
/// a neuron's `stake` is `(coldkey, amount)`, `weights` and `bonds` are `(uid, value)`, the
/// metagraph's `*_dividends_per_hotkey` are `(hotkey, amount)`.
pub fn pair_names(field: &str) -> (&'static str, &'static str) {
    match field {
        "stake" => ("coldkey", "amount"),
        "weights" | "bonds" => ("uid", "value"),
        f if f.ends_with("_per_hotkey") => ("hotkey", "amount"),
        _ => ("0", "1"),
    }
}

/// `(A, B)`: two columns.
impl<A: Columnar, B: Columnar> Columnar for (A, B) {
    type Builder = (A::Builder, B::Builder);
    fn builder() -> Self::Builder {
        (A::builder(), B::builder())
    }
    fn reserve(b: &mut Self::Builder, n: usize) {
        A::reserve(&mut b.0, n);
        B::reserve(&mut b.1, n);
    }
    #[inline]
    fn decode_into(r: &mut Reader<'_>, b: &mut Self::Builder) -> Result<()> {
        A::decode_into(r, &mut b.0).map_err(|e| e.within("0"))?;
        B::decode_into(r, &mut b.1).map_err(|e| e.within("1"))
    }
    fn push_zero(b: &mut Self::Builder) {
        A::push_zero(&mut b.0);
        B::push_zero(&mut b.1);
    }
    fn finish(_b: Self::Builder, field: &'static str) -> Result<Column> {
        Err(Error::new(
            ErrorCode::Internal,
            format!("{field}: a pair has columns only as list items"),
        ))
    }
    fn finish_items(b: Self::Builder, len: usize, field: &'static str) -> Result<Columns> {
        let (a, bn) = pair_names(field);
        Ok(Columns {
            len,
            present: None,
            columns: vec![(a, A::finish(b.0, a)?), (bn, B::finish(b.1, bn)?)],
        })
    }
}

/// Decode `bytes` as `C` into its columns (one row), every byte consumed.
pub fn decode_column<C: Columnar>(bytes: &[u8], limits: Limits) -> Result<Column> {
    let mut r = Reader::with_limits(bytes, limits);
    let mut b = C::builder();
    C::reserve(&mut b, 1);
    C::decode_into(&mut r, &mut b)?;
    r.finish()?;
    C::finish(b, "")
}
