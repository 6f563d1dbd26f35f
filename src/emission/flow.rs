//! Historical share rule: TAO-flow EMA with a lower cutoff and power normalisation.
//!
//! Port of `get_lower_limit`, `inplace_scale`, `inplace_pow_normalize`, `safe_pow` and
//! `get_shares_flow` (`pallets/subtensor/src/coinbase/subnet_emissions.rs`; flow shares merged at
//! subtensor `6218ecc`, 2025-11-04; the normalisation is unchanged at 14bc6f9). Spec
//! `emission-and-pools.md` §17. Only the share computation from already-updated EMA values is
//! here; the per-block EMA update is [`ema_flow_step`].

use super::i32f32;
use super::math::{checked_sqrt_u64f64, div64};
use substrate_fixed::types::{I32F32, I64F64, U64F64};

/// `FlowEmaSmoothingFactor` default: `29_597_889_189_277 / i64::MAX` per block (≈1-month half life).
pub const FLOW_EMA_SMOOTHING_FACTOR: u64 = 29_597_889_189_277;

/// One per-block flow EMA step: `(1 − α)·ema + α·flow` with `α = factor / i64::MAX` (I64F64).
pub fn ema_flow_step(ema: I64F64, block_flow: i64, smoothing_factor: u64) -> I64F64 {
    let alpha = I64F64::saturating_from_num(smoothing_factor)
        .checked_div(I64F64::saturating_from_num(i64::MAX))
        .unwrap_or_else(|| I64F64::from_num(0));
    let one = I64F64::from_num(1);
    one.saturating_sub(alpha)
        .saturating_mul(ema)
        .saturating_add(alpha.saturating_mul(I64F64::saturating_from_num(block_flow)))
}

/// `L = max(cutoff, min(min_i S_i, 0))`.
pub fn lower_limit(ema_flows: &[I64F64], cutoff: I64F64) -> I64F64 {
    let zero = I64F64::from_num(0);
    let min_flow = ema_flows
        .iter()
        .map(|f| (*f).min(zero))
        .min()
        .unwrap_or(zero);
    cutoff.max(min_flow)
}

/// `safe_pow`: `val^p` via I32F32 `ln`/`exp` (substrate-fixed 0.6.0); 0 when `ln` fails, `I32F32::MAX`
/// when `exp` overflows. Shared with the emission gate ([`super::gate`]).
/// `ln`/`exp` are `i32f32`'s bit-level replicas of the library's (compared there).
pub fn safe_pow(val: U64F64, p: U64F64) -> U64F64 {
    let i32f32_max = I32F32::saturating_from_num(i32::MAX);
    match i32f32::ln(I32F32::saturating_from_num(val)) {
        Ok(val_ln) => {
            let arg = I32F32::saturating_from_num(p).saturating_mul(val_ln);
            U64F64::saturating_from_num(i32f32::exp(arg).unwrap_or(i32f32_max))
        }
        Err(()) => U64F64::from_num(0),
    }
}

/// `inplace_pow_normalize`: scale so the maximum is 1, rescale to use the I32F32 range
/// (`sqrt(i32::MAX / (n · max²))` by the chain's bisection sqrt), then `z_i^p / Σ z^p` via
/// I32F32 `ln`/`exp`. Values too small to register are left as scaled.
pub fn pow_normalize(values: &mut [U64F64], p: U64F64) {
    let zero = U64F64::from_num(0);
    let count = values.len();
    // inplace_scale: max becomes 1.
    let max = values.iter().copied().max().unwrap_or(zero);
    let factor = div64(U64F64::from_num(1), max);
    for v in values.iter_mut() {
        *v = factor.saturating_mul(*v);
    }
    let max = values.iter().copied().max().unwrap_or(zero);
    let max_pow_est = max.saturating_mul(max);
    let max_times_count = U64F64::saturating_from_num(count).saturating_mul(max_pow_est);
    let i32f32_max = U64F64::saturating_from_num(i32::MAX);
    let precision_min = div64(i32f32_max, U64F64::saturating_from_num(u64::MAX));
    if max_times_count >= precision_min {
        let epsilon = div64(U64F64::from_num(1), U64F64::from_num(1_000));
        let flow_factor = checked_sqrt_u64f64(div64(i32f32_max, max_times_count), epsilon);
        let sum = values
            .iter()
            .map(|v| safe_pow(flow_factor.saturating_mul(*v), p))
            .fold(zero, |a, b| a.saturating_add(b));
        for v in values.iter_mut() {
            *v = div64(safe_pow(flow_factor.saturating_mul(*v), p), sum);
        }
    }
}

/// `get_shares_flow` from EMA values already current for this block: offsets `z_i = S_i − L`
/// (0 at or below `L`), then [`pow_normalize`] with exponent `p` (`FlowNormExponent`).
pub fn flow_shares(ema_flows: &[I64F64], cutoff: I64F64, p: U64F64) -> Vec<U64F64> {
    let limit = lower_limit(ema_flows, cutoff);
    let mut offsets: Vec<U64F64> = ema_flows
        .iter()
        .map(|f| {
            if *f > limit {
                U64F64::saturating_from_num(f.saturating_sub(limit))
            } else {
                U64F64::from_num(0)
            }
        })
        .collect();
    pow_normalize(&mut offsets, p);
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: &[U64F64]) -> Vec<f64> {
        v.iter().map(|x| x.to_num::<f64>()).collect()
    }

    #[test]
    fn p1_keeps_proportions() {
        let mut v = vec![
            U64F64::from_num(2),
            U64F64::from_num(3),
            U64F64::from_num(5),
        ];
        pow_normalize(&mut v, U64F64::from_num(1));
        let out = f(&v);
        assert!((out.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!((out.first().copied().unwrap_or(0.0) - 0.2).abs() < 1e-3);
    }

    #[test]
    fn all_zero_is_unchanged() {
        let mut v = vec![U64F64::from_num(0); 3];
        pow_normalize(&mut v, U64F64::from_num(1));
        assert!(v.iter().all(|x| *x == U64F64::from_num(0)));
    }

    #[test]
    fn cutoff_drops_lowest() {
        let s = flow_shares(
            &[
                I64F64::from_num(-100),
                I64F64::from_num(-300),
                I64F64::from_num(-400),
            ],
            I64F64::from_num(-1000),
            U64F64::from_num(1),
        );
        let out = f(&s);
        assert!((out.first().copied().unwrap_or(0.0) - 0.75).abs() < 0.01);
        assert!(out.get(2).copied().unwrap_or(1.0) < 1e-9);
    }
}
