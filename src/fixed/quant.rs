//! Max-upscaling to u16 (weights on submission) and the max-weight-limit check.

use super::fast::FastOps;
use super::ops::{SafeDiv, U16_MAX_FIXED, ZERO};
use super::vector::inplace_normalize;
use super::I32F32;

/// `vec_max_upscale_to_u16`: scale so that the largest entry becomes 65535.
///
/// With `m = max(v)`: `m == 0` → `floor(v·65535)`; `m > 32768` → `round(v · (65535 / m))`
/// (divide first); otherwise `round((v · 65535) / m)`. Rounding is half away from zero; all
/// conversions saturate.
pub fn vec_max_upscale_to_u16(v: &[I32F32]) -> Vec<u16> {
    let threshold = I32F32::from_bits(32_768 << 32);
    let Some(&max) = v.iter().max() else {
        return Vec::new();
    };
    if max == ZERO {
        return v
            .iter()
            .map(|e| e.smul(U16_MAX_FIXED).saturating_to_num::<u16>())
            .collect();
    }
    if max > threshold {
        let scale = U16_MAX_FIXED.safe_div(max);
        return v
            .iter()
            .map(|e| e.smul(scale).saturating_round().saturating_to_num::<u16>())
            .collect();
    }
    v.iter()
        .map(|e| {
            e.smul(U16_MAX_FIXED)
                .safe_div(max)
                .saturating_round()
                .saturating_to_num::<u16>()
        })
        .collect()
}

/// `vec_u16_max_upscale_to_u16`: the same on integer-valued inputs (what `set_weights` stores),
/// computed on the integers ([`super::simd::max_upscale_u16`], lanes in the SIMD build; equal to
/// [`vec_max_upscale_to_u16`] on every input, tested in `simd_tests.rs`).
pub fn vec_u16_max_upscale_to_u16(v: &[u16]) -> Vec<u16> {
    let mut out = vec![0u16; v.len()];
    super::simd::max_upscale_u16(v, &mut out);
    out
}

/// `check_vec_max_limited`: after normalizing, is the largest entry ≤ `max_limit / 65535`?
/// (true for an empty vector).
pub fn check_vec_max_limited(v: &[u16], max_limit: u16) -> bool {
    let limit = I32F32::from_bits(i64::from(max_limit) << 32).safe_div(U16_MAX_FIXED);
    let mut fixed: Vec<I32F32> = v
        .iter()
        .map(|&e| I32F32::from_bits(i64::from(e) << 32))
        .collect();
    inplace_normalize(&mut fixed);
    fixed.iter().max().is_none_or(|m| *m <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(vec_u16_max_upscale_to_u16(&[1]), vec![65535]);
        assert_eq!(
            vec_u16_max_upscale_to_u16(&[0, 1, 65534]),
            vec![0, 1, 65535]
        );
        assert_eq!(
            vec_u16_max_upscale_to_u16(&[43690, 21845]),
            vec![65535, 32768]
        );
        let v: Vec<I32F32> = [0.0, 0.5, 1.0, 1.5, 2.0, 32768.0, 32769.0]
            .iter()
            .map(|&x| I32F32::from_num(x))
            .collect();
        assert_eq!(
            vec_max_upscale_to_u16(&v),
            vec![0, 1, 2, 3, 4, 65533, 65535]
        );
    }
}
