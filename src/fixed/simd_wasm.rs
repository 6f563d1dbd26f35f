//! The `core::arch::wasm32` forms of the kernels in [`super::simd`] (compiled only for wasm32
//! with `+simd128`). Each handles whole groups of lanes whose inputs lie in the range where the
//! lane arithmetic is exact, and hands any other group, and the tail, to the scalar code, so the
//! bits are the scalar function's in every case (tested in `crates/tao-engine-wasm/tests/wasm.rs`).
//! Vectors move to and from memory with `v128.load`/`v128.store` through the four helpers below
//! (the only `unsafe`: 16 or 8 bytes of a fixed-size array; building vectors lane by lane
//! compiles to one `replace_lane` per element and was slower than the scalar code).

use super::lane_scalar::{ema_value, magic_divisor, upscale_one, upscale_scale};
use super::{fixed_proportion_to_u16, I32F32};
use core::arch::wasm32::*;

/// The 16 bytes of `c` as a vector (`T` is i64, I32F32, u16 or bool: plain bytes).
#[inline(always)]
fn load<T: Copy, const N: usize>(c: &[T; N]) -> v128 {
    const { assert!(core::mem::size_of::<[T; N]>() == 16) };
    // SAFETY: `c` is 16 readable bytes (asserted above); v128_load allows any alignment.
    unsafe { v128_load(c.as_ptr().cast::<v128>()) }
}

/// The low 8 bytes of `c` into a vector's low half (the rest zero).
#[inline(always)]
fn load8(c: &[bool; 8]) -> v128 {
    // SAFETY: `c` is 8 readable bytes; v128_load64_zero allows any alignment.
    unsafe { v128_load64_zero(c.as_ptr().cast::<u64>()) }
}

/// Store `v` into two i64-sized values (`I32F32` is `repr(transparent)` over i64, and every
/// bit pattern is a valid i64 or I32F32).
#[inline(always)]
fn store_x2<T: Bits64>(c: &mut [T; 2], v: v128) {
    // SAFETY: `c` is 16 writable bytes of a type for which every bit pattern is valid.
    unsafe { v128_store(c.as_mut_ptr().cast::<v128>(), v) }
}

/// Store `v` into eight u16, or its low half into four.
#[inline(always)]
fn store_u16<const N: usize>(c: &mut [u16; N], v: v128) {
    const { assert!(N == 4 || N == 8) };
    // SAFETY: `c` is 8 or 16 writable bytes (asserted above); every bit pattern is a valid u16;
    // both stores allow any alignment.
    unsafe {
        if N == 8 {
            v128_store(c.as_mut_ptr().cast::<v128>(), v)
        } else {
            v128_store64_lane::<0>(v, c.as_mut_ptr().cast::<u64>())
        }
    }
}

/// 8-byte types whose every bit pattern is valid (what [`store_x2`] may write).
trait Bits64: Copy {}
impl Bits64 for i64 {}
impl Bits64 for I32F32 {}

/// `&[T]` of exactly `N` elements as an array (chunks of `chunks_exact(N)` always are).
#[inline(always)]
fn arr<T, const N: usize>(c: &[T]) -> Option<&[T; N]> {
    c.try_into().ok()
}

#[inline(always)]
fn arr_mut<T, const N: usize>(c: &mut [T]) -> Option<&mut [T; N]> {
    c.try_into().ok()
}

/// Wrapping `Σ` of the bits, four lanes (two accumulators) per step.
pub fn sum(x: &[I32F32]) -> I32F32 {
    let (mut acc0, mut acc1) = (i64x2_splat(0), i64x2_splat(0));
    let mut quads = x.chunks_exact(4);
    for q in &mut quads {
        let (Some(lo), Some(hi)) = (arr::<_, 2>(&q[..2]), arr::<_, 2>(&q[2..])) else {
            continue;
        };
        acc0 = i64x2_add(acc0, load(lo));
        acc1 = i64x2_add(acc1, load(hi));
    }
    let acc = i64x2_add(acc0, acc1);
    let mut total = i64x2_extract_lane::<0>(acc).wrapping_add(i64x2_extract_lane::<1>(acc));
    for v in quads.remainder() {
        total = total.wrapping_add(v.to_bits());
    }
    I32F32::from_bits(total)
}

/// `fixed_proportion_to_u16`, eight entries per step, without branches: with
/// `bits = hi·2^32 + lo`, `hi = 0` gives `(lo·65535) >> 32 = (lo − (lo >> 16) − min(lo, 1)) >> 16`
/// in 32-bit lanes (`lo·65535 = lo·2^16 − lo`; checked for every `lo` when it was written); the
/// high words, narrowed with saturation to i16 (sign and zero kept), then send `hi > 0` to 65535
/// and `hi < 0` to 0 in 16-bit lanes.
pub fn proportions_to_u16(x: &[I32F32], out: &mut [u16]) {
    let len = x.len().min(out.len());
    let (x, out) = (&x[..len], &mut out[..len]);
    let (zero, one) = (i16x8_splat(0), u32x4_splat(1));
    // Four entries: the low words' quotients and the high words.
    let four = |v0: v128, v1: v128| -> (v128, v128) {
        let lo = i32x4_shuffle::<0, 2, 4, 6>(v0, v1);
        let hi = i32x4_shuffle::<1, 3, 5, 7>(v0, v1);
        let q = i32x4_sub(i32x4_sub(lo, u32x4_shr(lo, 16)), u32x4_min(lo, one));
        (u32x4_shr(q, 16), hi)
    };
    let mut xs = x.chunks_exact(8);
    let mut os = out.chunks_exact_mut(8);
    for (xq, oq) in (&mut xs).zip(&mut os) {
        let (Some(p0), Some(p1), Some(p2), Some(p3), Some(o)) = (
            arr::<_, 2>(&xq[..2]),
            arr::<_, 2>(&xq[2..4]),
            arr::<_, 2>(&xq[4..6]),
            arr::<_, 2>(&xq[6..]),
            arr_mut::<_, 8>(oq),
        ) else {
            continue;
        };
        let (q0, h0) = four(load(p0), load(p1));
        let (q1, h1) = four(load(p2), load(p3));
        // Quotients are at most 65534: the narrow keeps them.
        let q = u16x8_narrow_i32x4(q0, q1);
        let h = i16x8_narrow_i32x4(h0, h1);
        let q = v128_andnot(v128_or(q, i16x8_gt(h, zero)), i16x8_shr(h, 15));
        store_u16(o, q);
    }
    for (o, v) in os.into_remainder().iter_mut().zip(xs.remainder()) {
        *o = fixed_proportion_to_u16(*v);
    }
}

/// `inplace_mask_vector`: an and-not with the mask widened to 64-bit lanes, eight entries per
/// step (one 8-byte load of the mask, widened to four vectors of two lanes).
pub fn mask_zero(mask: &[bool], vector: &mut [I32F32]) {
    if mask.is_empty() {
        return;
    }
    let m = mask.len().min(vector.len());
    let (head, tail) = vector.split_at_mut(m);
    let mut vs = head.chunks_exact_mut(8);
    let mut ms = mask[..m].chunks_exact(8);
    for (vq, mq) in (&mut vs).zip(&mut ms) {
        let Some(mq) = arr::<_, 8>(mq) else {
            continue;
        };
        // 0/1 bytes → 0/1 in 16-, 32- and 64-bit lanes → 0/all-ones.
        let m16 = u16x8_extend_low_u8x16(load8(mq));
        let (m32a, m32b) = (u32x4_extend_low_u16x8(m16), u32x4_extend_high_u16x8(m16));
        let masks = [
            i64x2_neg(u64x2_extend_low_u32x4(m32a)),
            i64x2_neg(u64x2_extend_high_u32x4(m32a)),
            i64x2_neg(u64x2_extend_low_u32x4(m32b)),
            i64x2_neg(u64x2_extend_high_u32x4(m32b)),
        ];
        for (pair, mk) in vq.chunks_exact_mut(2).zip(masks) {
            if let Some(pair) = arr_mut::<_, 2>(pair) {
                let r = v128_andnot(load(pair), mk);
                store_x2(pair, r);
            }
        }
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
    let halves = |q: &[i64]| -> Option<(v128, v128)> {
        let (v0, v1) = (load(arr::<_, 2>(&q[..2])?), load(arr::<_, 2>(&q[2..])?));
        Some((
            i32x4_shuffle::<0, 2, 4, 6>(v0, v1),
            i32x4_shuffle::<1, 3, 5, 7>(v0, v1),
        ))
    };
    let le_one = |lo: v128, hi: v128| {
        v128_or(
            i32x4_eq(hi, zero32),
            v128_and(i32x4_eq(hi, one32), i32x4_eq(lo, zero32)),
        )
    };
    let mut os = out.chunks_exact_mut(4);
    let mut groups = a
        .chunks_exact(4)
        .zip(w.chunks_exact(4))
        .zip(b.chunks_exact(4));
    for (oq, ((aq, wq), bq)) in (&mut os).zip(&mut groups) {
        let (Some((a_lo, a_hi)), Some((w_lo, w_hi)), Some((b_lo, b_hi))) =
            (halves(aq), halves(wq), halves(bq))
        else {
            continue;
        };
        let ok = v128_and(
            v128_and(i32x4_eq(a_hi, zero32), i32x4_ne(a_lo, zero32)),
            v128_and(le_one(w_lo, w_hi), le_one(b_lo, b_hi)),
        );
        if !i32x4_all_true(ok) {
            ema_group_scalar(aq, wq, bq, oq);
            continue;
        }
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
        let (o_lo, o_hi) = oq.split_at_mut(2);
        if let (Some(o0), Some(o1)) = (arr_mut::<_, 2>(o_lo), arr_mut::<_, 2>(o_hi)) {
            store_x2(o0, part!(u64x2_extmul_low_u32x4));
            store_x2(o1, part!(u64x2_extmul_high_u32x4));
        }
    }
    let done = len - len % 4;
    ema_group_scalar(&a[done..], &w[done..], &b[done..], os.into_remainder());
}

/// [`ema_value`] over a group the lanes do not take (kept out of the lane loop).
#[cold]
#[inline(never)]
fn ema_group_scalar(a: &[i64], w: &[i64], b: &[i64], out: &mut [i64]) {
    for (o, ((x, y), z)) in out.iter_mut().zip(a.iter().zip(w).zip(b)) {
        *o = ema_value(*x, *y, *z);
    }
}

/// `vec_u16_max_upscale_to_u16`: the maximum by `u16x8.max`, then eight entries per step, by
/// 16×16→32 and 32×32→64 `extmul`s, all in integers:
/// * `m > 32768`: the scale `s = floor(65535·2^32 / m)` lies in `[2^32, 2^33)`, so with
///   `s = 2^32 + a·2^16 + b`, `(e·s + 2^31) >> 32 = e + ((e·a + (e·b >> 16) + 2^15) >> 16)`
///   (the `2^16` multiples leave the inner floor exact; the sum stays below `2^32`);
/// * `m ≤ 32768`: `floor((2·e·65535 + m) / 2m)` (numerator below `2^32`) by the invariant
///   divisor's multiply and shifts ([`magic_divisor`]).
pub fn max_upscale_u16(v: &[u16], out: &mut [u16]) {
    let mut acc = u16x8_splat(0);
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        if let Some(c) = arr::<_, 8>(c) {
            acc = u16x8_max(acc, load(c));
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
    let mut vs = v.chunks_exact(8);
    let mut os = out.chunks_exact_mut(8);
    let pairs = (&mut vs)
        .zip(&mut os)
        .filter_map(|(vq, oq)| Some((load(arr::<_, 8>(vq)?), arr_mut::<_, 8>(oq)?)));
    if m > 32_768 {
        let (a, b) = (u16x8_splat((scale >> 16) as u16), u16x8_splat(scale as u16));
        let half = u32x4_splat(1 << 15);
        // Four entries: e + ((e·a + (e·b >> 16) + 2^15) >> 16), from e and its two products.
        let four = |e: v128, ea: v128, eb: v128| -> v128 {
            let inner = i32x4_add(i32x4_add(ea, half), u32x4_shr(eb, 16));
            i32x4_add(e, u32x4_shr(inner, 16))
        };
        for (e, o) in pairs {
            let r_lo = four(
                u32x4_extend_low_u16x8(e),
                u32x4_extmul_low_u16x8(e, a),
                u32x4_extmul_low_u16x8(e, b),
            );
            let r_hi = four(
                u32x4_extend_high_u16x8(e),
                u32x4_extmul_high_u16x8(e, a),
                u32x4_extmul_high_u16x8(e, b),
            );
            // Both at most 65535 (e ≤ m), so the saturating narrow keeps them.
            store_u16(o, u16x8_narrow_i32x4(r_lo, r_hi));
        }
    } else {
        let (magic, shift) = magic_divisor(2 * u32::from(m));
        let mm = u32x4_splat(magic);
        let mv = u32x4_splat(u32::from(m));
        let q = |e4: v128| -> v128 {
            // n = 2·e·65535 + m = (e << 17) − (e << 1) + m, below 2^32.
            let n = i32x4_add(i32x4_sub(i32x4_shl(e4, 17), i32x4_shl(e4, 1)), mv);
            let t = i32x4_shuffle::<1, 3, 5, 7>(
                u64x2_extmul_low_u32x4(n, mm),
                u64x2_extmul_high_u32x4(n, mm),
            );
            u32x4_shr(i32x4_add(t, u32x4_shr(i32x4_sub(n, t), 1)), shift)
        };
        for (e, o) in pairs {
            let r = u16x8_narrow_i32x4(q(u32x4_extend_low_u16x8(e)), q(u32x4_extend_high_u16x8(e)));
            store_u16(o, r);
        }
    }
    for (o, &e) in os.into_remainder().iter_mut().zip(vs.remainder()) {
        *o = upscale_one(e, m, scale);
    }
}
