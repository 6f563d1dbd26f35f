//! Fast paths for the SCALE leaves the large runtime-API results are made of: compact integers,
//! fixed-width little-endian integers and `bool`, read straight off the input slice.
//!
//! Each function returns the value and the bytes it takes when, and only when,
//! `parity-scale-codec` 3.7 (`src/compact.rs`, `impl Decode for Compact<u8 … u128>`; `src/codec.rs`
//! for `bool` and the integers) would decode the same bytes to the same value; `None` otherwise
//! (too few bytes, a non-canonical or out-of-range compact, a bool byte above 1). The callers in
//! [`super::scale`] then run the library's decoder from the same offset, so every error (code,
//! offset, message) is the library's, and a `None` where the library would succeed costs only
//! time. `scale_fast_tests.rs` holds both in step: random values of every width and random byte
//! strings, each decoded both ways.
//!
//! The compact rules, as the library applies them (`x` is the decoded number, `n` its bytes):
//! single-byte mode (`0b00`) any `x < 64`; two-byte mode (`0b01`) `x >= 64`; four-byte mode
//! (`0b10`) `x >= 2^14`; big-integer mode (`0b11`, `n = (prefix >> 2) + 4` bytes after the
//! prefix, at most the type's width) `x >= 2^30` when `n = 4`, else `x >= 2^(8(n - 1))` (a zero
//! top byte is non-canonical); and always `x <=` the type's maximum (so `Compact<u16>` has no
//! big-integer mode and `Compact<u8>` only the first two).

/// `(value, bytes taken)` of a compact integer at the start of `s` whose type has at most
/// `width` (4 or 8) bytes and maximum `max`, where parity-scale-codec accepts it.
#[inline(always)]
pub fn compact_u64(s: &[u8], width: usize, max: u64) -> Option<(u64, usize)> {
    let &prefix = s.first()?;
    let (x, len) = match prefix & 0b11 {
        0b00 => (u64::from(prefix >> 2), 1),
        0b01 => {
            let x = u64::from(u16::from_le_bytes(*s.first_chunk::<2>()?) >> 2);
            if x < 1 << 6 {
                return None;
            }
            (x, 2)
        }
        0b10 => {
            let x = u64::from(u32::from_le_bytes(*s.first_chunk::<4>()?) >> 2);
            if x < 1 << 14 {
                return None;
            }
            (x, 4)
        }
        _ => {
            let n = usize::from(prefix >> 2).saturating_add(4);
            if n > width {
                return None;
            }
            let x = le_u64(s.get(1..)?, n)?;
            let min = if n == 4 {
                1 << 30
            } else {
                1u64 << (8 * (n - 1))
            };
            if x < min {
                return None;
            }
            (x, n.saturating_add(1))
        }
    };
    (x <= max).then_some((x, len))
}

/// `(value, bytes taken)` of a `Compact<u128>` at the start of `s`, where parity-scale-codec
/// accepts it.
#[inline(always)]
pub fn compact_u128(s: &[u8]) -> Option<(u128, usize)> {
    let &prefix = s.first()?;
    if prefix & 0b11 != 0b11 {
        return compact_u64(s, 8, u64::MAX).map(|(x, n)| (u128::from(x), n));
    }
    let n = usize::from(prefix >> 2).saturating_add(4);
    let body = s.get(1..)?;
    let x = if n <= 8 {
        u128::from(le_u64(body, n)?)
    } else if n <= 16 {
        let lo = u128::from(u64::from_le_bytes(*body.first_chunk::<8>()?));
        let hi = u128::from(le_u64(body.get(8..)?, n - 8)?);
        lo | hi << 64
    } else {
        return None;
    };
    let min = if n == 4 {
        1 << 30
    } else {
        1u128 << (8 * (n - 1))
    };
    (x >= min).then_some((x, n.saturating_add(1)))
}

/// The first `n` (1..=8) bytes of `s` as a little-endian number.
#[inline(always)]
fn le_u64(s: &[u8], n: usize) -> Option<u64> {
    if let Some(w) = s.first_chunk::<8>() {
        // One load; keep the low `n` bytes.
        let shift = 8usize.checked_sub(n)?.saturating_mul(8);
        return Some(u64::from_le_bytes(*w) & (u64::MAX >> shift));
    }
    let mut buf = [0u8; 8];
    buf.get_mut(..n)?.copy_from_slice(s.get(..n)?);
    Some(u64::from_le_bytes(buf))
}

/// A fixed-width little-endian integer at the start of `s`.
macro_rules! le_int {
    ($($name:ident: $t:ty;)*) => {$(
        #[doc = concat!("A little-endian `", stringify!($t), "` at the start of `s`.")]
        #[inline(always)]
        pub fn $name(s: &[u8]) -> Option<$t> {
            s.first_chunk().map(|b| <$t>::from_le_bytes(*b))
        }
    )*};
}

le_int! {
    le_u16: u16;
    le_u32: u32;
    le_u64_fixed: u64;
    le_u128: u128;
}

/// A SCALE `bool` at the start of `s` (byte 0 or 1).
#[inline(always)]
pub fn bool_at(s: &[u8]) -> Option<bool> {
    match s.first()? {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

#[cfg(test)]
#[path = "scale_fast_tests.rs"]
mod tests;
