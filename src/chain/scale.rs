//! The SCALE decoding core: a bounded byte [`Reader`] and the [`Codec`] trait.
//!
//! A `Codec` is a type-level description of an encoding; its `Value` is the plain Rust value it
//! decodes to. Leaves follow `parity-scale-codec` (so `bool`, `Compact<T>` and the fixed-width
//! integers behave exactly as on chain: non-canonical compacts and bool bytes other than 0/1 are
//! errors): [`super::scale_fast`] reads the common ones in place and accepts exactly what the
//! library accepts; the library decodes the rest and reports every error), containers and structs are decoded here so every error can name the field path
//! (`axons[17].port`) and the byte offset. Struct values are plain Rust (`u16`, `Vec<u64>`), not
//! `Compact` wrappers: `Compact<u16>` is used as a codec (marker) type whose value is `u16`.
//!
//! Hostile input: every `Vec` length is checked against the bytes left (each element needs at least
//! `MIN_LEN` bytes) before anything is allocated, allocations are charged to a budget
//! ([`Limits::max_alloc_bytes`], `DECODE_LIMIT` when exceeded), nesting is limited
//! ([`Limits::max_depth`]), and [`decode_all`] insists that every byte is consumed
//! (`TRAILING_BYTES`). Models: parity-scale-codec `src/decode_all.rs`, `src/depth_limit.rs`,
//! `src/mem_tracking.rs`.
//!
//! Length: one codec: the hostile-input [`Reader`] (limits, allocation budget, depth) and the
//! [`Codec`] impls that read through it; the tests are the last 150 lines.

use super::scale_fast as fast;
use crate::error::{Error, ErrorCode, Result};
use parity_scale_codec::{Compact, Encode as _};

#[cfg(feature = "render")]
use super::render::{self, RenderOpts};
#[cfg(feature = "render")]
use serde_json::Value;

/// Decoder limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest nesting depth of structs, vectors and options.
    pub max_depth: u32,
    /// Largest total size in bytes of the vectors allocated while decoding one value.
    pub max_alloc_bytes: usize,
}

impl Limits {
    /// Depth 64, 256 MiB: generous for every runtime-API result (an all-subnets metagraph call is
    /// tens of megabytes) while bounding what a hostile length prefix can make us allocate.
    pub const DEFAULT: Limits = Limits {
        max_depth: 64,
        max_alloc_bytes: 256 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A cursor over the input bytes that tracks the offset, the nesting depth and the allocation
/// budget. It also implements `parity_scale_codec::Input`.
#[derive(Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    depth: u32,
    allocated: usize,
    limits: Limits,
}

impl<'a> Reader<'a> {
    /// A reader with [`Limits::DEFAULT`].
    pub fn new(data: &'a [u8]) -> Self {
        Self::with_limits(data, Limits::DEFAULT)
    }

    /// A reader with explicit limits.
    pub fn with_limits(data: &'a [u8], limits: Limits) -> Self {
        Reader {
            data,
            pos: 0,
            depth: 0,
            allocated: 0,
            limits,
        }
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// The bytes not yet consumed.
    #[inline(always)]
    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    /// Bytes charged to the allocation budget so far.
    pub fn allocated(&self) -> usize {
        self.allocated
    }

    /// Consume `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let slice = self
            .pos
            .checked_add(n)
            .and_then(|end| self.data.get(self.pos..end));
        match slice {
            Some(s) => {
                self.pos = self.pos.saturating_add(n);
                Ok(s)
            }
            None => Err(self.eof(n)),
        }
    }

    /// Consume `n` bytes where there are that many (nothing otherwise).
    #[inline(always)]
    pub fn take_fixed(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.data.get(self.pos..)?.get(..n)?;
        self.pos = self.pos.saturating_add(n);
        Some(s)
    }

    /// Consume `N` bytes into an array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let s = self.take(N)?;
        <[u8; N]>::try_from(s).map_err(|_| self.eof(N))
    }

    /// Consume one byte.
    #[inline]
    pub fn byte(&mut self) -> Result<u8> {
        match self.data.get(self.pos) {
            Some(b) => {
                self.pos = self.pos.saturating_add(1);
                Ok(*b)
            }
            None => Err(self.eof(1)),
        }
    }

    fn eof(&self, n: usize) -> Error {
        Error::new(
            ErrorCode::Decode,
            format!(
                "unexpected end of input: need {n} byte(s), {} left",
                self.remaining()
            ),
        )
        .at_offset(self.pos)
    }

    /// Enter a nested value (struct, vector, option); `DECODE_LIMIT` past the depth limit.
    #[inline]
    pub fn enter(&mut self) -> Result<()> {
        if self.depth >= self.limits.max_depth {
            return Err(Error::new(
                ErrorCode::DecodeLimit,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            )
            .at_offset(self.pos));
        }
        self.depth = self.depth.saturating_add(1);
        Ok(())
    }

    /// Leave a nested value.
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Check a length prefix of `count` elements, each at least `min_len` bytes long and
    /// `elem_size` bytes in memory, against the input left and the allocation budget.
    #[inline]
    pub fn reserve(&mut self, count: usize, min_len: usize, elem_size: usize) -> Result<()> {
        let need = count.checked_mul(min_len);
        if need.is_none_or(|need| need > self.remaining()) {
            return Err(self.short_for(count, need));
        }
        // Zero-sized encodings (`()`, `[T; 0]`) need no input: cap them separately.
        if min_len == 0 && count > 1 << 20 {
            return Err(self.too_many_zero_sized(count));
        }
        let bytes = count.saturating_mul(elem_size.max(1));
        let total = self.allocated.saturating_add(bytes);
        if total > self.limits.max_alloc_bytes {
            return Err(self.over_budget());
        }
        self.allocated = total;
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn short_for(&self, count: usize, need: Option<usize>) -> Error {
        Error::new(
            ErrorCode::Decode,
            format!(
                "length prefix {count} needs at least {} bytes, {} left",
                need.map_or_else(|| "too many".to_string(), |n| n.to_string()),
                self.remaining()
            ),
        )
        .at_offset(self.pos)
    }

    #[cold]
    #[inline(never)]
    fn too_many_zero_sized(&self, count: usize) -> Error {
        Error::new(
            ErrorCode::DecodeLimit,
            format!("{count} zero-sized elements is more than the decoder allows"),
        )
        .at_offset(self.pos)
    }

    #[cold]
    #[inline(never)]
    fn over_budget(&self) -> Error {
        Error::new(
            ErrorCode::DecodeLimit,
            format!(
                "decoding would allocate more than {} bytes",
                self.limits.max_alloc_bytes
            ),
        )
        .at_offset(self.pos)
    }

    /// Require that every byte was consumed (`TRAILING_BYTES` otherwise).
    pub fn finish(&self) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::TrailingBytes,
                format!(
                    "{} byte(s) left over after decoding {} of {}",
                    self.remaining(),
                    self.pos,
                    self.data.len()
                ),
            )
            .at_offset(self.pos))
        }
    }

    /// Decode a `Compact<u32>` length prefix.
    #[inline]
    pub fn compact_len(&mut self) -> Result<usize> {
        let n = match fast::compact_u64(self.rest(), 4, u64::from(u32::MAX)) {
            Some((n, len)) => {
                self.pos = self.pos.saturating_add(len);
                n
            }
            None => u64::from(leaf_cold::<Compact<u32>>(self, "Compact<u32> length")?.0),
        };
        usize::try_from(n).map_err(|_| {
            Error::new(ErrorCode::DecodeLimit, "length does not fit in usize").at_offset(self.pos)
        })
    }
}

impl parity_scale_codec::Input for Reader<'_> {
    fn remaining_len(&mut self) -> core::result::Result<Option<usize>, parity_scale_codec::Error> {
        Ok(Some(self.remaining()))
    }

    #[inline]
    fn read(&mut self, into: &mut [u8]) -> core::result::Result<(), parity_scale_codec::Error> {
        let s = self
            .take(into.len())
            .map_err(|_| "Not enough data to fill buffer")?;
        into.copy_from_slice(s);
        Ok(())
    }

    #[inline]
    fn read_byte(&mut self) -> core::result::Result<u8, parity_scale_codec::Error> {
        self.byte()
            .map_err(|_| "Not enough data to fill buffer".into())
    }

    fn descend_ref(&mut self) -> core::result::Result<(), parity_scale_codec::Error> {
        self.enter()
            .map_err(|_| "Maximum recursion depth reached when decoding".into())
    }

    fn ascend_ref(&mut self) {
        self.leave();
    }

    fn on_before_alloc_mem(
        &mut self,
        size: usize,
    ) -> core::result::Result<(), parity_scale_codec::Error> {
        self.reserve(size, 0, 1)
            .map_err(|_| "Heap memory limit exceeded while decoding".into())
    }
}

/// Decode one leaf with parity-scale-codec, mapping its error to `DECODE` at the leaf's offset.
#[inline]
pub fn leaf<T: parity_scale_codec::Decode>(r: &mut Reader<'_>, what: &str) -> Result<T> {
    let start = r.pos;
    T::decode(r).map_err(|e| {
        let why = e.to_string();
        let why = why.trim_end();
        Error::new(ErrorCode::Decode, format!("invalid {what}: {why}")).at_offset(start)
    })
}

/// Attach a struct field to an error raised while decoding it: the field path grows by `field`,
/// and the innermost struct and field are named in the message.
#[cold]
pub fn in_field(mut e: Error, ty: &str, field: &str) -> Error {
    if e.field.is_none() {
        e.message = format!("{} (in {ty}.{field})", e.message);
    }
    e.within(field)
}

#[cold]
pub(crate) fn in_index(e: Error, i: usize) -> Error {
    e.within(&format!("[{i}]"))
}

/// A type-level description of one SCALE encoding.
pub trait Codec: 'static {
    /// The Rust value this encoding decodes to.
    type Value: Clone + core::fmt::Debug + PartialEq + Send + Sync + 'static;
    /// The fewest bytes any value of this encoding takes (used to reject absurd length prefixes).
    const MIN_LEN: usize;
    /// Decode one value, advancing the reader.
    fn decode(r: &mut Reader<'_>) -> Result<Self::Value>;
    /// Append the encoding of `v`.
    fn encode_to(v: &Self::Value, out: &mut Vec<u8>);
    /// Render `v` as JSON in the fixture conventions (see [`super::render`]).
    #[cfg(feature = "render")]
    fn render(v: &Self::Value, opts: &RenderOpts) -> Value;
}

/// Decode `bytes` as `C`, requiring that every byte is consumed, with default limits.
pub fn decode_all<C: Codec>(bytes: &[u8]) -> Result<C::Value> {
    decode_all_with_limits::<C>(bytes, Limits::DEFAULT)
}

/// Decode `bytes` as `C`, requiring that every byte is consumed.
pub fn decode_all_with_limits<C: Codec>(bytes: &[u8], limits: Limits) -> Result<C::Value> {
    let mut r = Reader::with_limits(bytes, limits);
    let v = C::decode(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// Encode a value with codec `C`.
pub fn encode<C: Codec>(v: &C::Value) -> Vec<u8> {
    let mut out = Vec::new();
    C::encode_to(v, &mut out);
    out
}

macro_rules! plain_leaf {
    ($($t:ty, $min:expr, $name:literal, $fast:expr, |$v:ident| $render:expr;)*) => {$(
        impl Codec for $t {
            type Value = $t;
            const MIN_LEN: usize = $min;
            #[inline(always)]
            fn decode(r: &mut Reader<'_>) -> Result<$t> {
                // The fast path reads the bytes in place; where it declines, the library decodes
                // (and reports its error) from the same offset.
                match $fast(r.rest()) {
                    Some(v) => {
                        r.pos = r.pos.saturating_add($min);
                        Ok(v)
                    }
                    None => leaf_cold::<$t>(r, $name),
                }
            }
            fn encode_to(v: &$t, out: &mut Vec<u8>) {
                v.encode_to(out);
            }
            #[cfg(feature = "render")]
            fn render($v: &$t, _opts: &RenderOpts) -> Value {
                $render
            }
        }
    )*};
}

/// [`leaf`], kept out of line (the slow path of the fast leaves).
#[cold]
#[inline(never)]
fn leaf_cold<T: parity_scale_codec::Decode>(r: &mut Reader<'_>, what: &str) -> Result<T> {
    leaf::<T>(r, what)
}

/// The integers' own decoders for the rarely used signed and byte leaves.
#[inline(always)]
fn no_fast<T>(_: &[u8]) -> Option<T> {
    None
}

plain_leaf! {
    bool, 1, "bool", fast::bool_at, |v| Value::Bool(*v);
    u8, 1, "u8", |s: &[u8]| s.first().copied(), |v| Value::from(*v);
    u16, 2, "u16", fast::le_u16, |v| Value::from(*v);
    u32, 4, "u32", fast::le_u32, |v| Value::from(*v);
    u64, 8, "u64", fast::le_u64_fixed, |v| render::uint(u128::from(*v));
    u128, 16, "u128", fast::le_u128, |v| render::uint(*v);
    i8, 1, "i8", no_fast, |v| Value::from(*v);
    i16, 2, "i16", no_fast, |v| Value::from(*v);
    i32, 4, "i32", no_fast, |v| Value::from(*v);
    i64, 8, "i64", no_fast, |v| render::int(i128::from(*v));
    i128, 16, "i128", no_fast, |v| render::int(*v);
}

macro_rules! compact_leaf {
    ($($t:ty, $name:literal, |$s:ident| $fast:expr;)*) => {$(
        impl Codec for Compact<$t> {
            type Value = $t;
            const MIN_LEN: usize = 1;
            #[inline(always)]
            fn decode(r: &mut Reader<'_>) -> Result<$t> {
                // `scale_fast` accepts exactly what parity-scale-codec accepts; anything else
                // (non-canonical, out of range, too short) goes through the library for its error.
                let $s = r.rest();
                match $fast {
                    Some((v, n)) => {
                        r.pos = r.pos.saturating_add(n);
                        Ok(v)
                    }
                    None => Ok(leaf_cold::<Compact<$t>>(r, $name)?.0),
                }
            }
            fn encode_to(v: &$t, out: &mut Vec<u8>) {
                Compact(*v).encode_to(out);
            }
            #[cfg(feature = "render")]
            fn render(v: &$t, opts: &RenderOpts) -> Value {
                <$t as Codec>::render(v, opts)
            }
        }
    )*};
}

// The `as` casts narrow values `compact_u64` has checked against the type's maximum.
compact_leaf! {
    u8, "Compact<u8>", |s| fast::compact_u64(s, 4, u64::from(u8::MAX)).map(|(x, n)| (x as u8, n));
    u16, "Compact<u16>", |s| fast::compact_u64(s, 4, u64::from(u16::MAX)).map(|(x, n)| (x as u16, n));
    u32, "Compact<u32>", |s| fast::compact_u64(s, 4, u64::from(u32::MAX)).map(|(x, n)| (x as u32, n));
    u64, "Compact<u64>", |s| fast::compact_u64(s, 8, u64::MAX);
    u128, "Compact<u128>", |s| fast::compact_u128(s);
}

impl Codec for () {
    type Value = ();
    const MIN_LEN: usize = 0;
    fn decode(_r: &mut Reader<'_>) -> Result<()> {
        Ok(())
    }
    fn encode_to(_v: &(), _out: &mut Vec<u8>) {}
    #[cfg(feature = "render")]
    fn render(_v: &(), _opts: &RenderOpts) -> Value {
        Value::Null
    }
}

/// `str` / `String`: a `Vec<u8>` that must be valid UTF-8.
impl Codec for String {
    type Value = String;
    const MIN_LEN: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<String> {
        let start = r.position();
        let bytes = Bytes::decode(r)?;
        String::from_utf8(bytes).map_err(|e| {
            Error::new(ErrorCode::Decode, format!("invalid str: {e}")).at_offset(start)
        })
    }
    fn encode_to(v: &String, out: &mut Vec<u8>) {
        v.as_bytes().encode_to(out);
    }
    #[cfg(feature = "render")]
    fn render(v: &String, _opts: &RenderOpts) -> Value {
        Value::String(v.clone())
    }
}

impl<C: Codec> Codec for Vec<C> {
    type Value = Vec<C::Value>;
    const MIN_LEN: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self::Value> {
        let n = r.compact_len()?;
        r.reserve(n, C::MIN_LEN, core::mem::size_of::<C::Value>())?;
        r.enter()?;
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            v.push(C::decode(r).map_err(|e| in_index(e, i))?);
        }
        r.leave();
        Ok(v)
    }
    fn encode_to(v: &Self::Value, out: &mut Vec<u8>) {
        encode_len(v.len(), out);
        for x in v {
            C::encode_to(x, out);
        }
    }
    #[cfg(feature = "render")]
    fn render(v: &Self::Value, opts: &RenderOpts) -> Value {
        Value::Array(v.iter().map(|x| C::render(x, opts)).collect())
    }
}

/// Append a `Compact<u32>` length prefix. Lengths above `u32::MAX` cannot be SCALE-encoded;
/// they are written as the compact of the full `usize` (never reached for decoded values).
pub fn encode_len(n: usize, out: &mut Vec<u8>) {
    match u32::try_from(n) {
        Ok(n) => Compact(n).encode_to(out),
        Err(_) => Compact(n as u64).encode_to(out),
    }
}

impl<C: Codec> Codec for Option<C> {
    type Value = Option<C::Value>;
    const MIN_LEN: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self::Value> {
        let start = r.position();
        match r.byte()? {
            0 => Ok(None),
            1 => {
                r.enter()?;
                let v = C::decode(r)?;
                r.leave();
                Ok(Some(v))
            }
            b => Err(
                Error::new(ErrorCode::Decode, format!("invalid Option tag {b:#04x}"))
                    .at_offset(start),
            ),
        }
    }
    fn encode_to(v: &Self::Value, out: &mut Vec<u8>) {
        match v {
            None => out.push(0),
            Some(x) => {
                out.push(1);
                C::encode_to(x, out);
            }
        }
    }
    #[cfg(feature = "render")]
    fn render(v: &Self::Value, opts: &RenderOpts) -> Value {
        v.as_ref().map_or(Value::Null, |x| C::render(x, opts))
    }
}

macro_rules! tuple_codec {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Codec),+> Codec for ($($name,)+) {
            type Value = ($($name::Value,)+);
            const MIN_LEN: usize = 0 $(+ $name::MIN_LEN)+;
            fn decode(r: &mut Reader<'_>) -> Result<Self::Value> {
                Ok(($($name::decode(r).map_err(|e| e.within(stringify!($idx)))?,)+))
            }
            fn encode_to(v: &Self::Value, out: &mut Vec<u8>) {
                $($name::encode_to(&v.$idx, out);)+
            }
            #[cfg(feature = "render")]
            fn render(v: &Self::Value, opts: &RenderOpts) -> Value {
                Value::Array(vec![$($name::render(&v.$idx, opts)),+])
            }
        }
    };
}

tuple_codec!(A 0, B 1);
tuple_codec!(A 0, B 1, C 2);
tuple_codec!(A 0, B 1, C 2, D 3);

impl<C: Codec, const N: usize> Codec for [C; N]
where
    [C::Value; N]: Clone + core::fmt::Debug + PartialEq + Send + Sync,
{
    type Value = [C::Value; N];
    const MIN_LEN: usize = C::MIN_LEN.saturating_mul(N);
    fn decode(r: &mut Reader<'_>) -> Result<Self::Value> {
        r.reserve(N, C::MIN_LEN, core::mem::size_of::<C::Value>())?;
        let mut v = Vec::with_capacity(N);
        for i in 0..N {
            v.push(C::decode(r).map_err(|e| in_index(e, i))?);
        }
        <[C::Value; N]>::try_from(v).map_err(|_| {
            Error::new(ErrorCode::Internal, "array length mismatch").at_offset(r.position())
        })
    }
    fn encode_to(v: &Self::Value, out: &mut Vec<u8>) {
        for x in v {
            C::encode_to(x, out);
        }
    }
    #[cfg(feature = "render")]
    fn render(v: &Self::Value, opts: &RenderOpts) -> Value {
        Value::Array(v.iter().map(|x| C::render(x, opts)).collect())
    }
}

/// `BTreeMap<K, V>`: encoded like `Vec<(K, V)>`, keys in ascending order. Keys out of order or
/// repeated are an error: the chain never encodes them, and accepting them would make decoding
/// non-canonical (two byte strings for one map) or silently drop entries.
pub struct BTreeMapCodec<K, V>(core::marker::PhantomData<(K, V)>);

impl<K: Codec, V: Codec> Codec for BTreeMapCodec<K, V>
where
    K::Value: Ord,
{
    type Value = std::collections::BTreeMap<K::Value, V::Value>;
    const MIN_LEN: usize = 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self::Value> {
        let n = r.compact_len()?;
        r.reserve(
            n,
            K::MIN_LEN.saturating_add(V::MIN_LEN),
            core::mem::size_of::<(K::Value, V::Value)>(),
        )?;
        r.enter()?;
        let mut m = std::collections::BTreeMap::new();
        for i in 0..n {
            let at = r.position();
            let k = K::decode(r).map_err(|e| in_index(e, i))?;
            let v = V::decode(r).map_err(|e| in_index(e, i))?;
            if m.last_key_value().is_some_and(|(last, _)| *last >= k) {
                return Err(
                    Error::new(ErrorCode::Decode, "BTreeMap keys not in ascending order")
                        .at_offset(at)
                        .with_field(format!("[{i}]")),
                );
            }
            m.insert(k, v);
        }
        r.leave();
        Ok(m)
    }
    fn encode_to(v: &Self::Value, out: &mut Vec<u8>) {
        encode_len(v.len(), out);
        for (k, x) in v {
            K::encode_to(k, out);
            V::encode_to(x, out);
        }
    }
    #[cfg(feature = "render")]
    fn render(v: &Self::Value, opts: &RenderOpts) -> Value {
        Value::Array(
            v.iter()
                .map(|(k, x)| Value::Array(vec![K::render(k, opts), V::render(x, opts)]))
                .collect(),
        )
    }
}

/// Read a `Vec<u8>` body (after its length) in one copy.
fn read_bytes(r: &mut Reader<'_>) -> Result<Vec<u8>> {
    let n = r.compact_len()?;
    r.reserve(n, 1, 1)?;
    Ok(r.take(n)?.to_vec())
}

/// Read a `Vec<Compact<u8>>` (each byte compact-encoded: values >= 64 take two bytes).
fn read_compact_bytes(r: &mut Reader<'_>) -> Result<Vec<u8>> {
    let n = r.compact_len()?;
    r.reserve(n, 1, 1)?;
    let mut v = Vec::with_capacity(n);
    for i in 0..n {
        v.push(<Compact<u8> as Codec>::decode(r).map_err(|e| in_index(e, i))?);
    }
    Ok(v)
}

fn write_compact_bytes(v: &[u8], out: &mut Vec<u8>) {
    encode_len(v.len(), out);
    for b in v {
        Compact(*b).encode_to(out);
    }
}

macro_rules! byte_codec {
    ($(#[$m:meta])* $name:ident, $read:ident, |$v:ident, $out:ident| $write:expr, |$rv:ident| $render:expr) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name;
        impl Codec for $name {
            type Value = Vec<u8>;
            const MIN_LEN: usize = 1;
            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Vec<u8>> {
                $read(r)
            }
            fn encode_to($v: &Vec<u8>, $out: &mut Vec<u8>) {
                $write
            }
            #[cfg(feature = "render")]
            fn render($rv: &Vec<u8>, _opts: &RenderOpts) -> Value {
                $render
            }
        }
    };
}

byte_codec!(
    /// `Vec<u8>` holding opaque bytes; rendered as `0x` hex.
    Bytes, read_bytes, |v, out| v.encode_to(out), |v| Value::String(super::hex::encode(v))
);
byte_codec!(
    /// `Vec<u8>` holding text (identities, hyperparameter names); rendered as UTF-8.
    Text, read_bytes, |v, out| v.encode_to(out), |v| render::text(v)
);
byte_codec!(
    /// `Vec<Compact<u8>>` holding text (subnet names and symbols); rendered as UTF-8.
    CompactText, read_compact_bytes, |v, out| write_compact_bytes(v, out), |v| render::text(v)
);
byte_codec!(
    /// `Vec<Compact<u8>>` holding opaque bytes (commitments); rendered as `0x` hex.
    CompactBytes, read_compact_bytes, |v, out| write_compact_bytes(v, out),
    |v| Value::String(super::hex::encode(v))
);

/// Strip module paths from a `core::any::type_name` string
/// (`core::option::Option<tao_engine::chain::Metagraph>` -> `Option<Metagraph>`).
pub fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            word.clear();
        } else if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            out.push_str(&word);
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_bool_follow_parity() {
        assert_eq!(decode_all::<Compact<u8>>(&[0xfd, 0x03]).unwrap(), 255);
        assert_eq!(
            decode_all::<Compact<u16>>(&[0xfe, 0xff, 0x03, 0x00]).unwrap(),
            65535
        );
        // Non-canonical: 1 encoded in two-byte mode.
        assert_eq!(
            decode_all::<Compact<u16>>(&[0x05, 0x00]).unwrap_err().code,
            ErrorCode::Decode
        );
        // Out of range for u16.
        assert!(decode_all::<Compact<u16>>(&[0x02, 0x00, 0x04, 0x00]).is_err());
        assert_eq!(
            decode_all::<bool>(&[2]).unwrap_err().code,
            ErrorCode::Decode
        );
        assert_eq!(
            decode_all::<bool>(&[1, 0]).unwrap_err().code,
            ErrorCode::TrailingBytes
        );
    }

    #[test]
    fn vec_length_is_checked_before_allocating() {
        // Length 2^30 - 1 with no body.
        let e = decode_all::<Vec<u64>>(&[0xfe, 0xff, 0xff, 0xff]).unwrap_err();
        assert_eq!(e.code, ErrorCode::Decode);
        assert_eq!(e.offset, Some(4));
        let tight = Limits {
            max_depth: 64,
            max_alloc_bytes: 16,
        };
        let e = decode_all_with_limits::<Vec<u64>>(
            &[
                0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
            ],
            tight,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::DecodeLimit);
        let shallow = Limits {
            max_depth: 1,
            max_alloc_bytes: 1 << 20,
        };
        let e = decode_all_with_limits::<Vec<Vec<u8>>>(&[0x04, 0x04, 0x07], shallow).unwrap_err();
        assert_eq!(e.code, ErrorCode::DecodeLimit);
    }

    #[test]
    fn errors_name_the_path() {
        let e = decode_all::<Vec<(u8, bool)>>(&[0x08, 1, 0, 2, 7]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("[1].1"));
        assert_eq!(e.offset, Some(4));
    }

    #[test]
    fn btree_maps_must_be_sorted() {
        type M = BTreeMapCodec<u8, bool>;
        assert_eq!(decode_all::<M>(&[0x08, 1, 1, 2, 0]).unwrap().len(), 2);
        assert_eq!(
            decode_all::<M>(&[0x08, 2, 1, 1, 0]).unwrap_err().code,
            ErrorCode::Decode
        );
        assert_eq!(
            decode_all::<M>(&[0x08, 1, 1, 1, 0]).unwrap_err().code,
            ErrorCode::Decode
        );
    }

    #[test]
    fn compact_bytes_round_trip() {
        let v = vec![0u8, 63, 64, 255];
        let enc = encode::<CompactText>(&v);
        assert_eq!(enc, vec![0x10, 0x00, 0xfc, 0x01, 0x01, 0xfd, 0x03]);
        assert_eq!(decode_all::<CompactText>(&enc).unwrap(), v);
    }

    /// Our decoders accept exactly what parity-scale-codec's `decode_all` accepts, with the
    /// same values (leaves, with the compact fast path, and the containers built here).
    fn same_as_parity<C, P>(bytes: &[u8])
    where
        C: Codec,
        P: parity_scale_codec::DecodeAll + core::fmt::Debug,
        C::Value: PartialEq<P>,
    {
        let ours = decode_all::<C>(bytes);
        let theirs = P::decode_all(&mut &bytes[..]);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert!(a == b, "{bytes:02x?}: {a:?} vs {b:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{bytes:02x?}: ours {ours:?}, parity {theirs:?}"),
        }
    }

    // proptest has no wasm32-unknown-unknown backend; these run natively.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn leaves_and_containers_match_parity(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..20)) {
            same_as_parity::<bool, bool>(&bytes);
            same_as_parity::<u16, u16>(&bytes);
            same_as_parity::<u64, u64>(&bytes);
            same_as_parity::<Vec<u16>, Vec<u16>>(&bytes);
            same_as_parity::<Option<u32>, Option<u32>>(&bytes);
            same_as_parity::<(u8, bool), (u8, bool)>(&bytes);
            let ours = decode_all::<Vec<Compact<u16>>>(&bytes).ok();
            let theirs = <Vec<Compact<u16>> as parity_scale_codec::DecodeAll>::decode_all(&mut &bytes[..])
                .ok()
                .map(|v| v.into_iter().map(|c| c.0).collect::<Vec<u16>>());
            proptest::prop_assert_eq!(ours, theirs);
            for cut in 0..=bytes.len().min(17) {
                let b = &bytes[..cut];
                let c8 = decode_all::<Compact<u8>>(b).ok();
                prop_compact::<u8>(b, c8);
                prop_compact::<u16>(b, decode_all::<Compact<u16>>(b).ok());
                prop_compact::<u32>(b, decode_all::<Compact<u32>>(b).ok());
                prop_compact::<u64>(b, decode_all::<Compact<u64>>(b).ok());
                prop_compact::<u128>(b, decode_all::<Compact<u128>>(b).ok());
            }
        }
    }

    fn prop_compact<T>(b: &[u8], ours: Option<T>)
    where
        T: PartialEq + core::fmt::Debug + Copy,
        Compact<T>: parity_scale_codec::DecodeAll,
    {
        let theirs = <Compact<T> as parity_scale_codec::DecodeAll>::decode_all(&mut &b[..])
            .ok()
            .map(|c| c.0);
        assert_eq!(ours, theirs, "{b:02x?}");
    }

    #[test]
    fn every_single_byte_compact_matches_parity() {
        for b in 0..=255u8 {
            prop_compact::<u8>(&[b], decode_all::<Compact<u8>>(&[b]).ok());
            prop_compact::<u64>(&[b], decode_all::<Compact<u64>>(&[b]).ok());
        }
    }

    #[test]
    fn type_names_are_shortened() {
        assert_eq!(
            short_type_name("core::option::Option<alloc::vec::Vec<(u8, x::y::Z)>>"),
            "Option<Vec<(u8, Z)>>"
        );
    }
}
