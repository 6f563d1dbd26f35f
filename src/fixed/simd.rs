//! simd128 kernels for the exact path, with the scalar code they must match bit for bit.
//!
//! On wasm32 with `+simd128` (the npm package's build) the public functions use
//! `core::arch::wasm32` two-lane i64 arithmetic; elsewhere they are the scalar loops. The
//! compiler does not vectorize these by itself because the scalar forms carry a data-dependent
//! fallback (saturation) per element. Equality with the scalar reference on random inputs,
//! including out-of-range values, is tested in `tests/wasm.rs` (the SIMD build) and below.

use super::I32F32;

/// Scalar reference of [`sum`]: `Σx` with wrapping i64 addition of the raw bits (the runtime's
/// plain `+` over at most 4096 normalized values cannot overflow; wrapping keeps it total).
pub fn sum_scalar(x: &[I32F32]) -> I32F32 {
    I32F32::from_bits(x.iter().fold(0i64, |acc, v| acc.wrapping_add(v.to_bits())))
}

/// Scalar reference of [`proportions_to_u16`]: `fixed_proportion_to_u16` per element.
pub fn proportions_to_u16_scalar(x: &[I32F32], out: &mut [u16]) {
    for (o, v) in out.iter_mut().zip(x) {
        *o = super::fixed_proportion_to_u16(*v);
    }
}

/// `Σx` (wrapping on the raw bits, which is associative, so lane order cannot change the bits).
#[inline]
pub fn sum(x: &[I32F32]) -> I32F32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        wasm::sum(x)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        sum_scalar(x)
    }
}

/// `vec_fixed_proportions_to_u16` into `out` (`floor(x·65535)` clamped to u16), for the first
/// `min(x.len(), out.len())` elements.
#[inline]
pub fn proportions_to_u16(x: &[I32F32], out: &mut [u16]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        wasm::proportions_to_u16(x, out)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        proportions_to_u16_scalar(x, out)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use super::I32F32;
    use core::arch::wasm32::*;

    pub fn sum(x: &[I32F32]) -> I32F32 {
        let mut acc = i64x2_splat(0);
        let mut pairs = x.chunks_exact(2);
        for p in &mut pairs {
            if let [a, b] = p {
                acc = i64x2_add(acc, i64x2(a.to_bits(), b.to_bits()));
            }
        }
        let mut total = i64x2_extract_lane::<0>(acc).wrapping_add(i64x2_extract_lane::<1>(acc));
        for v in pairs.remainder() {
            total = total.wrapping_add(v.to_bits());
        }
        I32F32::from_bits(total)
    }

    pub fn proportions_to_u16(x: &[I32F32], out: &mut [u16]) {
        let len = x.len().min(out.len());
        let (x, out) = (&x[..len], &mut out[..len]);
        let lo = i64x2_splat(-1);
        let hi = i64x2_splat(1i64 << 32 | 1);
        let k = i64x2_splat(65535);
        let mut i = 0;
        while i + 2 <= len {
            let (a, b) = (x[i].to_bits(), x[i + 1].to_bits());
            let v = i64x2(a, b);
            // In [0, 1] (bits 0..=2^32) the product bits·65535 < 2^48 cannot saturate, so
            // floor(bits·65535 / 2^32) is exact; any other lane takes the scalar path.
            let in_range = v128_and(i64x2_gt(v, lo), i64x2_lt(v, hi));
            if i64x2_all_true(in_range) {
                let q = i64x2_shr(i64x2_mul(v, k), 32);
                out[i] = i64x2_extract_lane::<0>(q) as u16;
                out[i + 1] = i64x2_extract_lane::<1>(q) as u16;
            } else {
                out[i] = crate::fixed::fixed_proportion_to_u16(x[i]);
                out[i + 1] = crate::fixed::fixed_proportion_to_u16(x[i + 1]);
            }
            i += 2;
        }
        if i < len {
            out[i] = crate::fixed::fixed_proportion_to_u16(x[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportions_match_the_definition_at_the_edges() {
        let x: Vec<I32F32> = [
            0i64,
            1,
            (1 << 32) - 1,
            1 << 32,
            (1 << 32) + 1,
            -1,
            i64::MAX,
            i64::MIN,
            1 << 31,
        ]
        .iter()
        .map(|&b| I32F32::from_bits(b))
        .collect();
        let mut out = vec![0u16; x.len()];
        proportions_to_u16(&x, &mut out);
        assert_eq!(out, vec![0, 0, 65534, 65535, 65535, 0, 65535, 0, 32767]);
    }

    #[test]
    fn sum_wraps_like_the_reference() {
        let x: Vec<I32F32> = [i64::MAX, 1, 5, -7]
            .iter()
            .map(|&b| I32F32::from_bits(b))
            .collect();
        assert_eq!(sum(&x), sum_scalar(&x));
        assert_eq!(
            sum(&x).to_bits(),
            i64::MAX.wrapping_add(1).wrapping_add(5).wrapping_sub(7)
        );
    }
}
