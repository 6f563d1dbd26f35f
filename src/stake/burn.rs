//! Neuron registration price (burn): per-block half-life decay, the bump on each registration,
//! and the legacy interval adjustment (spec §15).
//!
//! Port of opentensor/subtensor `pallets/subtensor/src/subnets/registration.rs`
//! (`update_registration_prices_for_networks`, `bump_registration_price_after_registration`) and
//! `utils/q32.rs` (`mul_by_q32`, `pow_q32`, `decay_factor_q32`) at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`; the legacy rule (`upgraded_burn`, U110F18) from
//! commit `2c8263fb8fe6094ca25ca7709ce802b289af97f6`.

use substrate_fixed::types::{U110F18, U64F64};

/// 1.0 in Q32.
pub const ONE_Q32: u64 = 1 << 32;

/// `(value × factor) >> 32`, saturating.
pub fn mul_by_q32(value: u64, factor_q32: u64) -> u64 {
    let shifted = u128::from(value).saturating_mul(u128::from(factor_q32)) >> 32;
    u64::try_from(shifted).unwrap_or(u64::MAX)
}

/// `base^exp` in Q32 by squaring (each product through [`mul_by_q32`]).
pub fn pow_q32(base_q32: u64, exp: u16) -> u64 {
    let mut result = ONE_Q32;
    let mut factor = base_q32;
    let mut power = u32::from(exp);
    while power > 0 {
        if power & 1 == 1 {
            result = mul_by_q32(result, factor);
        }
        power >>= 1;
        if power > 0 {
            factor = mul_by_q32(factor, factor);
        }
    }
    result
}

/// The per-block factor `f` (Q32): the largest `f < 2^32` with `f^half_life ≤ 0.5`, found by
/// bisection exactly as the chain does. 1.0 for a zero half-life.
pub fn decay_factor_q32(half_life: u16) -> u64 {
    if half_life == 0 {
        return ONE_Q32;
    }
    let half = 1u64 << 31;
    let (mut lo, mut hi) = (0u64, ONE_Q32);
    while lo.saturating_add(1) < hi {
        let mid = lo.saturating_add(hi.saturating_sub(lo) >> 1);
        if pow_q32(mid, half_life) > half {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    lo
}

/// One subnet's registration-price state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BurnState {
    /// `Burn` (rao).
    pub burn: u64,
    /// `MinBurn`.
    pub min_burn: u64,
    /// `MaxBurn`.
    pub max_burn: u64,
    /// `BurnHalfLife` (blocks).
    pub half_life: u16,
    /// `BurnIncreaseMult` (U64F64; values below 1 act as 1).
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub increase_mult: U64F64,
    /// `RegistrationsThisBlock`.
    pub registrations_this_block: u16,
}

impl BurnState {
    /// Production defaults: 1 TAO burn, [0.0005, 100] TAO, half-life 360, ×1.26.
    pub fn new(burn: u64) -> Self {
        BurnState {
            burn,
            min_burn: 500_000,
            max_burn: 100_000_000_000,
            half_life: 360,
            increase_mult: U64F64::from_num(1.26),
            registrations_this_block: 0,
        }
    }

    fn clamp(&self, v: u64) -> u64 {
        // Lower bound first, then upper, as the chain writes it.
        let v = if v < self.min_burn { self.min_burn } else { v };
        if v > self.max_burn {
            self.max_burn
        } else {
            v
        }
    }

    /// The start of block `block` (`on_initialize`): decay (skipped on blocks ≤ 1 or with a zero
    /// half-life), clamp, reset the per-block registration counter.
    pub fn on_block(&mut self, block: u64) {
        let mut next = self.burn;
        if self.half_life > 0 && block > 1 {
            next = mul_by_q32(self.burn, decay_factor_q32(self.half_life));
        }
        self.burn = self.clamp(next);
        self.registrations_this_block = 0;
    }

    /// After a successful registration: `burn × max(mult, 1)` (U64F64, floored), clamped.
    pub fn on_register(&mut self) {
        let mult = self.increase_mult.max(U64F64::from_num(1));
        let next = U64F64::saturating_from_num(self.burn)
            .saturating_mul(mult)
            .saturating_to_num::<u64>();
        self.burn = self.clamp(next);
        self.registrations_this_block = self.registrations_this_block.saturating_add(1);
    }
}

/// The legacy (until 2026-04) burn update at an adjustment interval:
/// `burn' = burn × (regs + target) / (2 × target)`, then `α·burn + (1 − α)·burn'` with
/// `α = adjustment_alpha / u64::MAX`, clamped to `[min, max]`, all in U110F18.
pub fn legacy_upgraded_burn(
    current: u64,
    registrations: u16,
    target: u16,
    adjustment_alpha: u64,
    min_burn: u64,
    max_burn: u64,
) -> u64 {
    let fx = |v: u64| U110F18::saturating_from_num(v);
    let safe_div = |a: U110F18, b: U110F18| a.checked_div(b).unwrap_or(U110F18::from_bits(0));
    let updated = safe_div(
        fx(current).saturating_mul(fx(u64::from(registrations.saturating_add(target)))),
        fx(u64::from(target.saturating_add(target))),
    );
    let alpha = safe_div(fx(adjustment_alpha), fx(u64::MAX));
    let next = alpha
        .saturating_mul(fx(current))
        .saturating_add(fx(1).saturating_sub(alpha).saturating_mul(updated));
    if next >= fx(max_burn) {
        max_burn
    } else if next <= fx(min_burn) {
        min_burn
    } else {
        next.saturating_to_num::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_factors_match_spec() {
        assert_eq!(decay_factor_q32(1), 2_147_483_648);
        assert_eq!(decay_factor_q32(2), 3_037_000_500);
        assert_eq!(decay_factor_q32(360), 4_286_705_684);
        assert_eq!(decay_factor_q32(1000), 4_291_991_283);
    }
}
