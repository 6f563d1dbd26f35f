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

/// The invariant-divisor constants for `floor(n / d)` over every `n < 2^32` and a fixed
/// `2 ≤ d < 2^32`, by the round-up method with an add (Granlund and Montgomery; Warren,
/// *Hacker's Delight*, 2nd ed., §10-8): `l = ⌈log2 d⌉` and `M = ⌊2^32·(2^l − d) / d⌋ + 1`, so
/// that `t = (M·n) >> 32` and `(t + ((n − t) >> 1)) >> (l − 1)` is the quotient (no step
/// overflows 32 bits). Returns `(M, l − 1)`. The lane form of the max-upscale
/// divides by `2m` this way, four lanes per `extmul`, instead of through f64.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
#[inline]
pub(crate) fn magic_divisor(d: u32) -> (u32, u32) {
    let d = d.max(2);
    let l = 32 - (d - 1).leading_zeros();
    let m = ((1u64 << 32) * ((1u64 << l) - u64::from(d))) / u64::from(d) + 1;
    (m as u32, l - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lane form's steps in scalar: `floor(n / d)` from `magic_divisor(d) = (m, shift)`.
    fn magic_div(n: u32, (m, shift): (u32, u32)) -> u32 {
        let t = ((u64::from(m) * u64::from(n)) >> 32) as u32;
        (t + ((n - t) >> 1)) >> shift
    }

    /// The magic quotient is the true one for every divisor `2m` of the max-upscale
    /// (`m ≤ 32768`), at every numerator the max-upscale forms (`2·e·65535 + m`, `e ≤ m`, sampled
    /// with the ends) and at the top of the u32 range; and for divisors across the range.
    #[test]
    fn magic_division_is_the_quotient() {
        let mut seed = 0x853C_49E6_748F_EA9Bu64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for m in 1..=32_768u32 {
            let d = 2 * m;
            let k = magic_divisor(d);
            let mut es = vec![0, 1, m / 2, m.div_ceil(2), m - 1, m];
            es.extend((0..24).map(|_| (next() % u64::from(m + 1)) as u32));
            for e in es {
                let n = 2 * e * 65_535 + m;
                assert_eq!(magic_div(n, k), n / d, "m {m}, e {e}");
                assert_eq!(magic_div(n + 1, k), (n + 1) / d, "m {m}, e {e}, +1");
            }
            // Around the quotient's steps and at the top of the range.
            for n in [d - 1, d, d + 1, u32::MAX, u32::MAX - 1, u32::MAX - d] {
                assert_eq!(magic_div(n, k), n / d, "m {m}, n {n}");
            }
        }
        for _ in 0..200_000 {
            let d = (next() >> (next() % 32)) as u32 | 2;
            let n = next() as u32;
            assert_eq!(magic_div(n, magic_divisor(d)), n / d, "{n} / {d}");
        }
    }
}
