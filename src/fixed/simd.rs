//! simd128 kernels of the epoch's lane-friendly passes, with the scalar code they must match bit
//! for bit.
//!
//! On wasm32 with `+simd128` (the npm package's build) each public function runs its
//! `core::arch::wasm32` form (`simd_wasm.rs`); elsewhere, and in the scalar benchmark build, it
//! is the `*_scalar` loop beside it. The kernels are the passes whose values fit lanes exactly:
//!
//! * [`sum`]: `Σx` of I32F32 bits (wrapping i64 adds, associative, so lane order is free);
//! * [`proportions_to_u16`]: the outputs' `fixed_proportion_to_u16` (on the low 32-bit halves,
//!   `(lo·65535) >> 32` as `(lo − (lo >> 16) − min(lo, 1)) >> 16` with no product; the high
//!   halves, narrowed to i16, decide 0 or 65535);
//! * [`mask_zero`]: `inplace_mask_vector` (inactive and non-permitted uids), an and-not per lane;
//! * [`ema_values`]: the liquid-alpha bond EMA `min(1, (1 − α)·b + α·w)` whose two products are
//!   32×32→64 (`i64x2.extmul_*_u32x4`), with `w, b = 1.0` (bits `2^32`) split off exactly. Not
//!   on the epoch's path: there the entry stays fused with its `α` (see
//!   `consensus::bonds::ema_row_merged`, measured); kept as the measured lane form;
//! * [`max_upscale_u16`]: `vec_u16_max_upscale_to_u16` (weights as `set_weights` stores them),
//!   a `u16x8.max`, then either the scale's product as 16×16→32 `extmul`s or the rounding
//!   quotient by `2m` as an invariant-divisor multiply (32×32→64 `extmul`) and shifts.
//!
//! Inputs outside the ranges a lane handles exactly take the scalar path for their group, so
//! every function is total. Equality with the scalar forms on random inputs (edges included) is
//! tested in `crates/tao-engine-wasm/tests/wasm.rs` (the SIMD build) and with the chain's
//! formulas natively in `simd_tests.rs`. Not an upstream file.

pub use super::lane_scalar::ema_value;
use super::lane_scalar::{upscale_one, upscale_scale};
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

/// Scalar reference of [`mask_zero`] (`inplace_mask_vector`).
pub fn mask_zero_scalar(mask: &[bool], vector: &mut [I32F32]) {
    if mask.is_empty() {
        return;
    }
    for (i, v) in vector.iter_mut().enumerate() {
        if mask.get(i).copied().unwrap_or(true) {
            *v = I32F32::from_bits(0);
        }
    }
}

/// Scalar reference of [`ema_values`]: [`ema_value`] per element.
pub fn ema_values_scalar(a: &[i64], w: &[i64], b: &[i64], out: &mut [i64]) {
    for (o, ((a, w), b)) in out.iter_mut().zip(a.iter().zip(w).zip(b)) {
        *o = ema_value(*a, *w, *b);
    }
}

/// Scalar reference of [`max_upscale_u16`].
pub fn max_upscale_u16_scalar(v: &[u16], out: &mut [u16]) {
    let m = v.iter().copied().max().unwrap_or(0);
    let scale = upscale_scale(m);
    for (o, &e) in out.iter_mut().zip(v) {
        *o = if m == 0 { 0 } else { upscale_one(e, m, scale) };
    }
}

/// `Σx` (wrapping on the raw bits, which is associative, so lane order cannot change the bits).
#[inline]
pub fn sum(x: &[I32F32]) -> I32F32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        super::simd_wasm::sum(x)
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
        super::simd_wasm::proportions_to_u16(x, out)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        proportions_to_u16_scalar(x, out)
    }
}

/// `inplace_mask_vector`: zero the entries whose mask is true; a missing mask entry masks, an
/// empty mask masks nothing.
#[inline]
pub fn mask_zero(mask: &[bool], vector: &mut [I32F32]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        super::simd_wasm::mask_zero(mask, vector)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        mask_zero_scalar(mask, vector)
    }
}

/// [`ema_value`] of `(a[k], w[k], b[k])` into `out[k]`, for `k` below the shortest length.
#[inline]
pub fn ema_values(a: &[i64], w: &[i64], b: &[i64], out: &mut [i64]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        super::simd_wasm::ema_values(a, w, b, out)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        ema_values_scalar(a, w, b, out)
    }
}

/// `vec_u16_max_upscale_to_u16` into `out` (the first `min(v.len(), out.len())` entries; the
/// maximum is over all of `v`).
#[inline]
pub fn max_upscale_u16(v: &[u16], out: &mut [u16]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        super::simd_wasm::max_upscale_u16(v, out)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        max_upscale_u16_scalar(v, out)
    }
}
