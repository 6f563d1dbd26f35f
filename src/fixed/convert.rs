//! Conversions between fixed types, integers and u16 proportions (all saturating, flooring).

use super::fast::FastOps;
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

/// `u16_proportion_to_fixed`: `x / 65535`.
#[inline]
pub fn u16_proportion_to_fixed(x: u16) -> I32F32 {
    u16_to_fixed(x).safe_div(U16_MAX_FIXED)
}

/// `fixed_to_fixed_u16_proportion`: `x / 65535`.
#[inline]
pub fn fixed_to_fixed_u16_proportion(x: I32F32) -> I32F32 {
    x.safe_div(U16_MAX_FIXED)
}

/// `fixed_proportion_to_u16`: `floor(x · 65535)` clamped to `[0, 65535]`.
#[inline]
pub fn fixed_proportion_to_u16(x: I32F32) -> u16 {
    fixed_to_u16(x.smul(U16_MAX_FIXED))
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
    fn u16_round_trip_loses_at_most_one() {
        for v in [0u16, 1, 2, 1000, 32767, 65534, 65535] {
            let back = fixed_proportion_to_u16(u16_proportion_to_fixed(v));
            assert!(v - back <= 1, "{v} -> {back}");
        }
    }
}
