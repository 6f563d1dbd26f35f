//! The per-element scalar steps shared by the kernels of [`super::simd`] and their lane forms
//! (`simd_wasm.rs`), which take them for groups outside their exact range: the liquid EMA entry
//! and the integer form of `vec_u16_max_upscale_to_u16`. Not an upstream file.

use super::I32F32;

/// Raw bits of one liquid EMA entry, `min(1, (1 − α)·b + max(0, α·w))` with the crate's
/// saturating steps (`I32F32` bits in and out).
///
/// For `0 < α < 1` and `w, b ∈ [0, 1]` (raw bits `0 < α < 2^32`, `0 ≤ w, b ≤ 2^32`, the epoch's
/// case) nothing saturates: `1 − α < 2^32`, so both products are below `2^64` and exact in u64,
/// and the floor of a non-negative product by `2^32` is a shift. Other inputs take the crate's
/// steps (property-tested against them in `simd_tests.rs`).
#[inline]
pub fn ema_value(a: i64, w: i64, b: i64) -> i64 {
    use super::fast::FastOps;
    use super::ops::ONE;
    const ONE_BITS: u64 = 1 << 32;
    // Negative bits become huge as u64 and fail the range tests.
    let (ua, uw, ub) = (a as u64, w as u64, b as u64);
    if ua.wrapping_sub(1) < ONE_BITS - 1 && uw <= ONE_BITS && ub <= ONE_BITS {
        let decayed = ((ONE_BITS - ua) * ub) >> 32;
        let fresh = (ua * uw) >> 32;
        return (decayed + fresh).min(ONE_BITS) as i64;
    }
    let (a, w, b) = (
        I32F32::from_bits(a),
        I32F32::from_bits(w),
        I32F32::from_bits(b),
    );
    ONE.ssub(a)
        .smul(b)
        .sadd(I32F32::from_bits(a.smul(w).to_bits().max(0)))
        .to_bits()
        .min(ONE.to_bits())
}

/// `round(e · 65535 / m)` of one entry for `0 ≤ e ≤ m`, `0 < m`, as
/// `vec_u16_max_upscale_to_u16` computes it in I32F32: for `m ≤ 32768`,
/// `round((e·65535) / m)` is `floor((2·e·65535 + m) / 2m)` (the numerator is below `2^32`); for
/// `m > 32768` the scale `s = floor(65535·2^32 / m)` (bits, below `2^33`) is taken first and the
/// result is `floor((e·s + 2^31) / 2^32)` (exact: `e` is an integer). Rounding half up is the
/// crate's half away from zero on these non-negative values; nothing saturates (`e ≤ m`).
#[inline]
pub(crate) fn upscale_one(e: u16, m: u16, scale: u64) -> u16 {
    let (e, m) = (u64::from(e), u64::from(m));
    if m <= 32_768 {
        ((2 * e * 65_535 + m) / (2 * m)) as u16
    } else {
        ((e * scale + (1 << 31)) >> 32) as u16
    }
}

/// `floor(65535·2^32 / m)`: the I32F32 bits of `65535 / m` (`m > 0`).
#[inline]
pub(crate) fn upscale_scale(m: u16) -> u64 {
    (65_535u64 << 32) / u64::from(m.max(1))
}
