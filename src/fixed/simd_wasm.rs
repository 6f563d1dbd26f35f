//! The `core::arch::wasm32` forms of the kernels in [`super::simd`] (compiled only for wasm32
//! with `+simd128`). Each handles whole groups of lanes whose inputs lie in the range where the
//! lane arithmetic is exact, and hands any other group, and the tail, to the scalar code, so the
//! bits are the scalar function's in every case (tested in `crates/tao-engine-wasm/tests/wasm.rs`).
//! Safe code only: vectors are built from and stored to slice elements, which the compiler
//! turns into lane loads and stores.

use super::lane_scalar::{ema_value, upscale_one, upscale_scale};
use super::{fixed_proportion_to_u16, I32F32};
use core::arch::wasm32::*;

/// Wrapping `Σ` of the bits, four lanes (two accumulators) per step.
pub fn sum(x: &[I32F32]) -> I32F32 {
    let (mut acc0, mut acc1) = (i64x2_splat(0), i64x2_splat(0));
    let mut quads = x.chunks_exact(4);
    for q in &mut quads {
        if let [a, b, c, d] = q {
            acc0 = i64x2_add(acc0, i64x2(a.to_bits(), b.to_bits()));
            acc1 = i64x2_add(acc1, i64x2(c.to_bits(), d.to_bits()));
        }
    }
    let acc = i64x2_add(acc0, acc1);
    let mut total = i64x2_extract_lane::<0>(acc).wrapping_add(i64x2_extract_lane::<1>(acc));
    for v in quads.remainder() {
        total = total.wrapping_add(v.to_bits());
    }
    I32F32::from_bits(total)
}

/// `fixed_proportion_to_u16`, four lanes per step: on `[0, 1]` (bits `0..=2^32`) the product
/// `bits·65535 = (bits << 16) − bits` is below `2^48`, so `>> 32` is the exact floor.
pub fn proportions_to_u16(x: &[I32F32], out: &mut [u16]) {
    let len = x.len().min(out.len());
    let (x, out) = (&x[..len], &mut out[..len]);
    let (lo, hi) = (i64x2_splat(-1), i64x2_splat((1i64 << 32) + 1));
    let mut xs = x.chunks_exact(4);
    let mut os = out.chunks_exact_mut(4);
    for (xq, oq) in (&mut xs).zip(&mut os) {
        let ([a, b, c, d], [o0, o1, o2, o3]) = (xq, oq) else {
            continue;
        };
        let v0 = i64x2(a.to_bits(), b.to_bits());
        let v1 = i64x2(c.to_bits(), d.to_bits());
        let ok = v128_and(
            v128_and(i64x2_gt(v0, lo), i64x2_lt(v0, hi)),
            v128_and(i64x2_gt(v1, lo), i64x2_lt(v1, hi)),
        );
        if i64x2_all_true(ok) {
            let q0 = u64x2_shr(i64x2_sub(i64x2_shl(v0, 16), v0), 32);
            let q1 = u64x2_shr(i64x2_sub(i64x2_shl(v1, 16), v1), 32);
            // The low 16 bits of each 64-bit lane, in order.
            let p = i8x16_shuffle::<0, 1, 8, 9, 16, 17, 24, 25, 0, 1, 8, 9, 16, 17, 24, 25>(q0, q1);
            *o0 = u16x8_extract_lane::<0>(p);
            *o1 = u16x8_extract_lane::<1>(p);
            *o2 = u16x8_extract_lane::<2>(p);
            *o3 = u16x8_extract_lane::<3>(p);
        } else {
            for (o, v) in [o0, o1, o2, o3].into_iter().zip([a, b, c, d]) {
                *o = fixed_proportion_to_u16(*v);
            }
        }
    }
    for (o, v) in os.into_remainder().iter_mut().zip(xs.remainder()) {
        *o = fixed_proportion_to_u16(*v);
    }
}

/// `inplace_mask_vector`: an and-not with the mask widened to 64-bit lanes, two per `v128`.
pub fn mask_zero(mask: &[bool], vector: &mut [I32F32]) {
    if mask.is_empty() {
        return;
    }
    let m = mask.len().min(vector.len());
    let (head, tail) = vector.split_at_mut(m);
    let mut vs = head.chunks_exact_mut(2);
    let mut ms = mask[..m].chunks_exact(2);
    for (vp, mp) in (&mut vs).zip(&mut ms) {
        let ([v0, v1], [m0, m1]) = (vp, mp) else {
            continue;
        };
        let mk = i64x2(-i64::from(*m0), -i64::from(*m1));
        let r = v128_andnot(i64x2(v0.to_bits(), v1.to_bits()), mk);
        *v0 = I32F32::from_bits(i64x2_extract_lane::<0>(r));
        *v1 = I32F32::from_bits(i64x2_extract_lane::<1>(r));
    }
    for (v, &k) in vs.into_remainder().iter_mut().zip(ms.remainder()) {
        if k {
            *v = I32F32::from_bits(0);
        }
    }
    // A missing mask entry masks.
    tail.fill(I32F32::from_bits(0));
}

/// The liquid EMA, four entries per step. With `0 < α < 2^32` and `w, b ≤ 2^32` (checked on the
/// 32-bit halves), split `w = w_hi·2^32 + w_lo` (`w_hi ∈ {0, 1}`, `w_lo = 0` when `w_hi = 1`):
/// `(α·w) >> 32 = (α·w_lo) >> 32 + α·w_hi` exactly, and the same for `(2^32 − α)·b`. Each product
/// is one `extmul` of 32-bit lanes into 64-bit lanes.
pub fn ema_values(a: &[i64], w: &[i64], b: &[i64], out: &mut [i64]) {
    let len = a.len().min(w.len()).min(b.len()).min(out.len());
    let (a, w, b, out) = (&a[..len], &w[..len], &b[..len], &mut out[..len]);
    let one = i64x2_splat(1 << 32);
    let (zero32, one32) = (u32x4_splat(0), u32x4_splat(1));
    let mut k = 0;
    while k + 4 <= len {
        let (Some(aq), Some(wq), Some(bq)) = (a.get(k..k + 4), w.get(k..k + 4), b.get(k..k + 4))
        else {
            break;
        };
        let halves = |q: &[i64]| -> (v128, v128) {
            let (v0, v1) = match q {
                [x0, x1, x2, x3] => (i64x2(*x0, *x1), i64x2(*x2, *x3)),
                _ => (i64x2_splat(-1), i64x2_splat(-1)),
            };
            (
                i32x4_shuffle::<0, 2, 4, 6>(v0, v1),
                i32x4_shuffle::<1, 3, 5, 7>(v0, v1),
            )
        };
        let (a_lo, a_hi) = halves(aq);
        let (w_lo, w_hi) = halves(wq);
        let (b_lo, b_hi) = halves(bq);
        let le_one = |lo: v128, hi: v128| {
            v128_or(
                i32x4_eq(hi, zero32),
                v128_and(i32x4_eq(hi, one32), i32x4_eq(lo, zero32)),
            )
        };
        let ok = v128_and(
            v128_and(i32x4_eq(a_hi, zero32), i32x4_ne(a_lo, zero32)),
            v128_and(le_one(w_lo, w_hi), le_one(b_lo, b_hi)),
        );
        if i32x4_all_true(ok) {
            // 2^32 − α as u32 (α in (0, 2^32), so the wrap is the true value).
            let na = i32x4_sub(zero32, a_lo);
            // One half (entries 0–1 or 2–3) of the group, by the extmul of that half.
            macro_rules! part {
                ($mul:ident) => {{
                    let decayed = i64x2_add(u64x2_shr($mul(na, b_lo), 32), $mul(na, b_hi));
                    let fresh = i64x2_add(u64x2_shr($mul(a_lo, w_lo), 32), $mul(a_lo, w_hi));
                    let v = i64x2_add(decayed, fresh);
                    v128_bitselect(one, v, i64x2_gt(v, one))
                }};
            }
            let r0 = part!(u64x2_extmul_low_u32x4);
            let r1 = part!(u64x2_extmul_high_u32x4);
            if let Some([o0, o1, o2, o3]) = out.get_mut(k..k + 4) {
                *o0 = i64x2_extract_lane::<0>(r0);
                *o1 = i64x2_extract_lane::<1>(r0);
                *o2 = i64x2_extract_lane::<0>(r1);
                *o3 = i64x2_extract_lane::<1>(r1);
            }
        } else {
            for i in k..k + 4 {
                if let (Some(o), Some(x), Some(y), Some(z)) =
                    (out.get_mut(i), a.get(i), w.get(i), b.get(i))
                {
                    *o = ema_value(*x, *y, *z);
                }
            }
        }
        k += 4;
    }
    for i in k..len {
        if let (Some(o), Some(x), Some(y), Some(z)) = (out.get_mut(i), a.get(i), w.get(i), b.get(i))
        {
            *o = ema_value(*x, *y, *z);
        }
    }
}

/// `vec_u16_max_upscale_to_u16`: the maximum by `u16x8.max`, then eight entries per step, either
/// `(e·s + 2^31) >> 32` with `s = s_hi·2^32 + s_lo` as two `extmul`s (`m > 32768`), or
/// `floor((2·e·65535 + m) / 2m)` as an f64 quotient (`m ≤ 32768`): numerator below `2^32`,
/// denominator at most `2^16`, so a quotient within `2^−32` (relative) below an integer cannot
/// round up to it and the truncation is the exact floor.
pub fn max_upscale_u16(v: &[u16], out: &mut [u16]) {
    let mut acc = u16x8_splat(0);
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        if let [e0, e1, e2, e3, e4, e5, e6, e7] = c {
            acc = u16x8_max(acc, u16x8(*e0, *e1, *e2, *e3, *e4, *e5, *e6, *e7));
        }
    }
    let lanes = [
        u16x8_extract_lane::<0>(acc),
        u16x8_extract_lane::<1>(acc),
        u16x8_extract_lane::<2>(acc),
        u16x8_extract_lane::<3>(acc),
        u16x8_extract_lane::<4>(acc),
        u16x8_extract_lane::<5>(acc),
        u16x8_extract_lane::<6>(acc),
        u16x8_extract_lane::<7>(acc),
    ];
    let m = lanes
        .into_iter()
        .chain(chunks.remainder().iter().copied())
        .max()
        .unwrap_or(0);
    let len = v.len().min(out.len());
    let (v, out) = (&v[..len], &mut out[..len]);
    if m == 0 {
        out.fill(0);
        return;
    }
    let scale = upscale_scale(m);
    let (s_lo, s_hi) = (u32x4_splat(scale as u32), u32x4_splat((scale >> 32) as u32));
    let half = u64x2_splat(1 << 31);
    let mm = u32x4_splat(u32::from(m));
    let den = f64x2_splat(2.0 * f64::from(m));
    let mut vs = v.chunks_exact(8);
    let mut os = out.chunks_exact_mut(8);
    for (vq, oq) in (&mut vs).zip(&mut os) {
        let [e0, e1, e2, e3, e4, e5, e6, e7] = vq else {
            continue;
        };
        let e = u16x8(*e0, *e1, *e2, *e3, *e4, *e5, *e6, *e7);
        let (lo4, hi4) = (u32x4_extend_low_u16x8(e), u32x4_extend_high_u16x8(e));
        let (r_lo, r_hi) = if m > 32_768 {
            macro_rules! p {
                ($e4:expr, $mul:ident) => {
                    i64x2_add(
                        u64x2_shr(i64x2_add($mul($e4, s_lo), half), 32),
                        $mul($e4, s_hi),
                    )
                };
            }
            let q = |e4: v128| -> v128 {
                i32x4_shuffle::<0, 2, 4, 6>(
                    p!(e4, u64x2_extmul_low_u32x4),
                    p!(e4, u64x2_extmul_high_u32x4),
                )
            };
            (q(lo4), q(hi4))
        } else {
            let q = |e4: v128| -> v128 {
                let num = i32x4_add(i32x4_mul(e4, u32x4_splat(131_070)), mm);
                let d = |n: v128| {
                    u32x4_trunc_sat_f64x2_zero(f64x2_div(f64x2_convert_low_u32x4(n), den))
                };
                let high = i32x4_shuffle::<2, 3, 0, 1>(num, num);
                i32x4_shuffle::<0, 1, 4, 5>(d(num), d(high))
            };
            (q(lo4), q(hi4))
        };
        let r = u16x8_narrow_i32x4(r_lo, r_hi);
        if let [o0, o1, o2, o3, o4, o5, o6, o7] = oq {
            *o0 = u16x8_extract_lane::<0>(r);
            *o1 = u16x8_extract_lane::<1>(r);
            *o2 = u16x8_extract_lane::<2>(r);
            *o3 = u16x8_extract_lane::<3>(r);
            *o4 = u16x8_extract_lane::<4>(r);
            *o5 = u16x8_extract_lane::<5>(r);
            *o6 = u16x8_extract_lane::<6>(r);
            *o7 = u16x8_extract_lane::<7>(r);
        }
    }
    for (o, &e) in os.into_remainder().iter_mut().zip(vs.remainder()) {
        *o = upscale_one(e, m, scale);
    }
}
