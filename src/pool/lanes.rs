//! Lane-parallel kernels for batch quoting: the two fixed-point products every weighted-pool
//! quote does around its exponentiation, done two lanes at a time with wasm `simd128`.
//!
//! * the fee, `floor(amount × FeeRate/65535)` (spec §11.5) = the high 64 bits of
//!   `amount × rate.bits` (the rate is below 1, so its U64F64 bits fit in 64 bits);
//! * the output, `floor(reserve_out × (1 − e))` = the high 64 bits of `reserve_out × (1 − e).bits`
//!   plus `reserve_out` when `1 − e` is exactly 1 (bits = 2^64).
//!
//! Both are exact 64 × 64 → 128-bit products. wasm has no such lane instruction, so the SIMD path
//! splits each operand into 32-bit limbs and forms the four partial products with `i64x2.mul`
//! (exact, as limbs are below 2^32). Not an upstream file: the chain computes the same values
//! one at a time in `pallets/swap/src/pallet/{impls,swap_step}.rs` (commit 14bc6f9); the tests
//! check the lanes against the scalar `U64F64` expressions bit for bit.

/// Which kernel a batch uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lanes {
    /// `u128` products, one element at a time.
    Scalar,
    /// Two elements per `v128` on wasm32 with `simd128`; elsewhere 32-bit-limb code in chunks
    /// of four that the compiler may vectorise.
    Simd,
}

/// `floor(a × b / 2^64)`.
#[inline]
pub fn mulhi(a: u64, b: u64) -> u64 {
    // The product of two u64 fits u128; its high half fits u64.
    ((u128::from(a) * u128::from(b)) >> 64) as u64
}

/// The same product by 32-bit limbs (what each SIMD lane computes).
#[inline]
pub fn mulhi_limbs(a: u64, b: u64) -> u64 {
    const M: u64 = 0xffff_ffff;
    let (a0, a1, b0, b1) = (a & M, a >> 32, b & M, b >> 32);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 32) + (p01 & M) + (p10 & M);
    p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::*;

    /// Two `mulhi`s at once.
    #[inline]
    pub fn mulhi_x2(a: v128, b: v128) -> v128 {
        let m = u64x2_splat(0xffff_ffff);
        let (a0, a1) = (v128_and(a, m), u64x2_shr(a, 32));
        let (b0, b1) = (v128_and(b, m), u64x2_shr(b, 32));
        let p00 = i64x2_mul(a0, b0);
        let p01 = i64x2_mul(a0, b1);
        let p10 = i64x2_mul(a1, b0);
        let p11 = i64x2_mul(a1, b1);
        let mid = i64x2_add(
            i64x2_add(u64x2_shr(p00, 32), v128_and(p01, m)),
            v128_and(p10, m),
        );
        i64x2_add(
            i64x2_add(p11, u64x2_shr(p01, 32)),
            i64x2_add(u64x2_shr(p10, 32), u64x2_shr(mid, 32)),
        )
    }

    /// `out[i] = mulhi(a[i], b)` two lanes at a time; returns how many were done.
    pub fn mulhi_splat(a: &[u64], b: u64, out: &mut [u64]) -> usize {
        let bv = u64x2_splat(b);
        let mut done = 0;
        for (o, x) in out.chunks_exact_mut(2).zip(a.chunks_exact(2)) {
            if let ([x0, x1], [o0, o1]) = (x, o) {
                let r = mulhi_x2(u64x2(*x0, *x1), bv);
                *o0 = u64x2_extract_lane::<0>(r);
                *o1 = u64x2_extract_lane::<1>(r);
                done += 2;
            }
        }
        done
    }

    /// `out[i] = mulhi(a, lo[i]) + a × hi[i]` (hi ∈ {0, 1}) two lanes at a time.
    pub fn scale_splat(a: u64, lo: &[u64], hi: &[u64], out: &mut [u64]) -> usize {
        let av = u64x2_splat(a);
        let mut done = 0;
        for ((o, l), h) in out
            .chunks_exact_mut(2)
            .zip(lo.chunks_exact(2))
            .zip(hi.chunks_exact(2))
        {
            if let ([o0, o1], [l0, l1], [h0, h1]) = (o, l, h) {
                let r = mulhi_x2(av, u64x2(*l0, *l1));
                let r = i64x2_add(r, i64x2_mul(av, u64x2(*h0, *h1)));
                *o0 = u64x2_extract_lane::<0>(r);
                *o1 = u64x2_extract_lane::<1>(r);
                done += 2;
            }
        }
        done
    }
}

/// `out[i] = mulhi(a[i], b)` for `i < min(a.len(), out.len())`.
pub fn mulhi_many(lanes: Lanes, a: &[u64], b: u64, out: &mut [u64]) {
    let n = a.len().min(out.len());
    let (a, out) = (
        a.get(..n).unwrap_or(&[]),
        out.get_mut(..n).unwrap_or(&mut []),
    );
    let start = match lanes {
        Lanes::Scalar => 0,
        Lanes::Simd => simd_mulhi(a, b, out),
    };
    for (o, &x) in out.iter_mut().zip(a).skip(start) {
        *o = mulhi(x, b);
    }
}

/// `out[i] = floor(a × f_i)` where `f_i = (hi[i] × 2^64 + lo[i]) / 2^64 ≤ 1` (`hi[i]` is 0 or 1,
/// and `lo[i]` is 0 when `hi[i]` is 1): the U64F64 product `fx(a) × f_i`, floored.
pub fn scale_many(lanes: Lanes, a: u64, lo: &[u64], hi: &[u64], out: &mut [u64]) {
    let n = lo.len().min(hi.len()).min(out.len());
    let (lo, hi) = (lo.get(..n).unwrap_or(&[]), hi.get(..n).unwrap_or(&[]));
    let out = out.get_mut(..n).unwrap_or(&mut []);
    let start = match lanes {
        Lanes::Scalar => 0,
        Lanes::Simd => simd_scale(a, lo, hi, out),
    };
    for ((o, &l), &h) in out.iter_mut().zip(lo).zip(hi).skip(start) {
        *o = mulhi(a, l).wrapping_add(a.wrapping_mul(h));
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn simd_mulhi(a: &[u64], b: u64, out: &mut [u64]) -> usize {
    wasm::mulhi_splat(a, b, out)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn simd_scale(a: u64, lo: &[u64], hi: &[u64], out: &mut [u64]) -> usize {
    wasm::scale_splat(a, lo, hi, out)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn simd_mulhi(a: &[u64], b: u64, out: &mut [u64]) -> usize {
    let mut done = 0;
    for (o, x) in out.chunks_exact_mut(4).zip(a.chunks_exact(4)) {
        for (o, &x) in o.iter_mut().zip(x) {
            *o = mulhi_limbs(x, b);
        }
        done += 4;
    }
    done
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn simd_scale(a: u64, lo: &[u64], hi: &[u64], out: &mut [u64]) -> usize {
    let mut done = 0;
    for ((o, l), h) in out
        .chunks_exact_mut(4)
        .zip(lo.chunks_exact(4))
        .zip(hi.chunks_exact(4))
    {
        for ((o, &l), &h) in o.iter_mut().zip(l).zip(h) {
            *o = mulhi_limbs(a, l).wrapping_add(a.wrapping_mul(h));
        }
        done += 4;
    }
    done
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::balancer::{fx, one};
    use substrate_fixed::types::U64F64;

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn limbs_equal_u128() {
        let mut s = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..10_000 {
            let (a, b) = (rng(&mut s), rng(&mut s) >> (rng(&mut s) % 64));
            assert_eq!(mulhi_limbs(a, b), mulhi(a, b), "{a} {b}");
        }
        assert_eq!(mulhi_limbs(u64::MAX, u64::MAX), u64::MAX - 1);
    }

    #[test]
    fn simd_and_scalar_agree_with_fixed_point() {
        let mut s = 12345;
        for n in [0usize, 1, 2, 3, 5, 8, 33] {
            let a: Vec<u64> = (0..n).map(|_| rng(&mut s) >> (rng(&mut s) % 64)).collect();
            let rate = safe_rate(rng(&mut s) as u16);
            let (mut x, mut y) = (vec![0; n], vec![0; n]);
            mulhi_many(Lanes::Simd, &a, rate.to_bits() as u64, &mut x);
            mulhi_many(Lanes::Scalar, &a, rate.to_bits() as u64, &mut y);
            assert_eq!(x, y);
            for (&amt, &fee) in a.iter().zip(&x) {
                assert_eq!(fee, fx(amt).saturating_mul(rate).saturating_to_num::<u64>());
            }
            let r = rng(&mut s);
            let e: Vec<U64F64> = (0..n)
                .map(|i| match i % 3 {
                    0 => U64F64::from_bits(0),
                    _ => U64F64::from_bits(u128::from(rng(&mut s))),
                })
                .collect();
            let f: Vec<u128> = e
                .iter()
                .map(|e| one().saturating_sub(*e).to_bits())
                .collect();
            let lo: Vec<u64> = f.iter().map(|v| *v as u64).collect();
            let hi: Vec<u64> = f.iter().map(|v| (*v >> 64) as u64).collect();
            let (mut x, mut y) = (vec![0; n], vec![0; n]);
            scale_many(Lanes::Simd, r, &lo, &hi, &mut x);
            scale_many(Lanes::Scalar, r, &lo, &hi, &mut y);
            assert_eq!(x, y);
            for (e, got) in e.iter().zip(&x) {
                let want = fx(r)
                    .saturating_mul(one().saturating_sub(*e))
                    .saturating_to_num::<u64>();
                assert_eq!(*got, want);
            }
        }
    }

    fn safe_rate(r: u16) -> U64F64 {
        crate::pool::balancer::safe_div(fx(u64::from(r)), fx(u64::from(u16::MAX)))
    }
}
