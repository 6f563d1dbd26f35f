//! Conversions between fixed types, integers and u16 proportions (all saturating, flooring).

use super::ops::{SafeDiv, U16_MAX_FIXED};
use super::{I32F32, I64F64};

/// `fixed_to_u16`: floor, clamped to `[0, 65535]`.
#[inline]
pub fn fixed_to_u16(x: I32F32) -> u16 {
    x.saturating_to_num::<u16>()
}

/// `fixed_to_u64`: floor, clamped to `[0, u64::MAX]`.
#[inline]
pub fn fixed_to_u64(x: I32F32) -> u64 {
    x.saturating_to_num::<u64>()
}

/// `fixed64_to_u64`: floor, clamped to `[0, u64::MAX]`.
#[inline]
pub fn fixed64_to_u64(x: I64F64) -> u64 {
    x.saturating_to_num::<u64>()
}

/// `fixed64_to_fixed32`: drops the extra fractional bits (floor), saturates the integer part.
#[inline]
pub fn fixed64_to_fixed32(x: I64F64) -> I32F32 {
    I32F32::saturating_from_num(x)
}

/// `fixed32_to_fixed64`: exact widening.
#[inline]
pub fn fixed32_to_fixed64(x: I32F32) -> I64F64 {
    I64F64::saturating_from_num(x)
}

/// `u16_to_fixed`: the integer value (not divided by 65535).
#[inline]
pub fn u16_to_fixed(x: u16) -> I32F32 {
    I32F32::from_bits(i64::from(x) << 32)
}

/// `u16_proportion_to_fixed`: `x / 65535`, i.e. `floor(x·2^32 / 65535)` on the bits. Since
/// `2^32 = 65535·65537 + 1`, that is `x·65537 + floor(x / 65535)` (no division; every u16 is
/// checked against the crate in the tests).
#[inline]
pub fn u16_proportion_to_fixed(x: u16) -> I32F32 {
    I32F32::from_bits(i64::from(x) * 65_537 + i64::from(x == u16::MAX))
}

/// `fixed_to_fixed_u16_proportion`: `x / 65535`.
#[inline]
pub fn fixed_to_fixed_u16_proportion(x: I32F32) -> I32F32 {
    x.safe_div(U16_MAX_FIXED)
}

/// `fixed_proportion_to_u16`: `floor(x · 65535)` clamped to `[0, 65535]`. The product of the
/// bits by the integer 65535 is exact for `0 < x < 1` (below `2^48`); at and above 1 it is at
/// least 65535 and below 0 it floors to a negative, so the clamps decide (checked against the
/// crate's saturating product in the tests).
#[inline]
pub fn fixed_proportion_to_u16(x: I32F32) -> u16 {
    let b = x.to_bits();
    if b <= 0 {
        0
    } else if b >= 1 << 32 {
        u16::MAX
    } else {
        ((b * 65_535) >> 32) as u16
    }
}

/// `vec_fixed64_to_fixed32`.
pub fn vec_fixed64_to_fixed32(v: &[I64F64]) -> Vec<I32F32> {
    v.iter().copied().map(fixed64_to_fixed32).collect()
}

/// `vec_fixed_proportions_to_u16`.
pub fn vec_fixed_proportions_to_u16(v: &[I32F32]) -> Vec<u16> {
    let mut out = vec![0; v.len()];
    super::simd::proportions_to_u16(v, &mut out);
    out
}

/// `checked_sum` for u64: `None` on overflow, `Some(0)` for an empty slice.
pub fn checked_sum_u64(x: &[u64]) -> Option<u64> {
    x.iter().try_fold(0u64, |acc, v| acc.checked_add(*v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportion_quantization_floors() {
        assert_eq!(fixed_proportion_to_u16(I32F32::from_num(0.5)), 32767);
        assert_eq!(fixed_proportion_to_u16(I32F32::from_num(1) / 64), 1023);
        assert_eq!(fixed_proportion_to_u16(I32F32::from_num(2)), 65535);
        assert_eq!(fixed_proportion_to_u16(I32F32::from_num(-1)), 0);
    }

    #[test]
    fn proportion_to_u16_matches_the_saturating_product() {
        let one = 1i64 << 32;
        let mut xs: Vec<i64> = vec![0, 1, -1, one - 1, one, one + 1, i64::MIN, i64::MAX, 1 << 47];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            xs.push((seed >> (seed % 40)) as i64 - (1 << 20));
            xs.push((seed % (1 << 33)) as i64);
        }
        for x in xs {
            let x = I32F32::from_bits(x);
            let want = fixed_to_u16(x.saturating_mul(U16_MAX_FIXED));
            assert_eq!(fixed_proportion_to_u16(x), want, "{x:?}");
        }
    }

    #[test]
    fn u16_proportion_matches_the_division_for_every_u16() {
        for v in 0..=u16::MAX {
            let want = I32F32::from_bits(i64::from(v) << 32)
                .checked_div(U16_MAX_FIXED)
                .unwrap_or_default();
            assert_eq!(u16_proportion_to_fixed(v), want, "{v}");
            assert_eq!(fixed_to_fixed_u16_proportion(u16_to_fixed(v)), want, "{v}");
        }
    }

    #[test]
    fn u16_round_trip_loses_at_most_one() {
        for v in [0u16, 1, 2, 1000, 32767, 65534, 65535] {
            let back = fixed_proportion_to_u16(u16_proportion_to_fixed(v));
            assert!(v - back <= 1, "{v} -> {back}");
        }
    }
}
