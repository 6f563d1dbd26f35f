//! The weighted (balancer) curve of the current pool: weights, price, the exponentials of the swap
//! formulas, the limit-order input deltas and the price-preserving weight update (spec §11.1-§11.6).
//!
//! Port of `Balancer` in opentensor/subtensor `pallets/swap/src/pallet/balancer.rs` (commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`). Notation as there: `x` = alpha (base) reserve,
//! `y` = TAO (quote) reserve, `w1` = base weight, `w2` = quote weight, `w1 + w2 = 1`.
//! All arithmetic is the chain's: `U64F64` with truncating multiply/divide, `safe_div` = 0 on a
//! zero divisor, Perquintill parts as integers.

use super::bigint::BigUint;
use super::perquintill::{Perquintill, ACCURACY};
use super::pow::{pow_ratio_scaled, pow_ratio_scaled_u64, RatioPow, Scaled};
use crate::fixed::wide;
use substrate_fixed::types::U64F64;

/// Lower bound of either weight (0.01).
pub const MIN_WEIGHT: Perquintill = Perquintill::from_parts(ACCURACY / 100);
/// Precision argument the swap exponentials pass to `pow_ratio_scaled`.
pub const EXP_PRECISION: u32 = 256;
/// Precision argument the limit deltas pass to `pow_ratio_scaled`.
pub const DELTA_PRECISION: u32 = 1024;
/// Precision argument the swap exponentials passed at spec 423 (tag `v3.4.8-423`).
pub const EXP_PRECISION_423: u32 = 1024;

/// Which balancer swap a runtime runs (`runtime::Rules::balancer_swap_guards`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SwapGuards {
    /// 424+ (tag `v3.4.9-424`): exponentials at precision 256, clamped to ≤ 1 for `dx ≥ 0`; a
    /// net input above 1 000 × the input reserve is `SwapInputTooLarge`.
    #[default]
    On,
    /// 423 (tag `v3.4.8-423`): exponentials at precision 1024, never clamped; no input cap.
    Spec423,
}

impl SwapGuards {
    /// `On` when the runtime has the guards (`runtime::Rules::balancer_swap_guards`).
    pub fn of(guards: bool) -> Self {
        if guards {
            SwapGuards::On
        } else {
            SwapGuards::Spec423
        }
    }

    /// Whether these are 424's guards.
    pub fn is_on(&self) -> bool {
        *self == SwapGuards::On
    }
}

/// `a / b` in U64F64, 0 when `b == 0` (`SafeDiv`).
pub fn safe_div(a: U64F64, b: U64F64) -> U64F64 {
    a.checked_div(b).unwrap_or(U64F64::from_bits(0))
}

/// `safe_div(fx(a), fx(b))` without the 256-bit division: both operands carry the same 2^64
/// scale, so the U64F64 quotient `floor(a·2^64·2^64 / (b·2^64))` is `floor(a·2^64 / b)`, which is
/// below 2^128 for every `a` and `b ≥ 1` (so it never overflows); 0 when `b == 0`.
pub fn ratio(a: u64, b: u64) -> U64F64 {
    if b == 0 {
        return U64F64::from_bits(0);
    }
    U64F64::from_bits(wide::div(u128::from(a) << 64, u128::from(b)))
}

/// `U64F64` from an integer.
pub fn fx(v: u64) -> U64F64 {
    U64F64::from_bits(u128::from(v) << 64)
}

/// 1.0 in U64F64.
pub fn one() -> U64F64 {
    fx(1)
}

/// Balancer weights; only the quote (TAO) weight is stored (and serialised). The weight ratio
/// `w1 / w2` that every [`Balancer::price`] multiplies by is kept beside it, recomputed whenever
/// the weight changes, so a price costs one division instead of two.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
#[serde(from = "Weights", into = "Weights")]
pub struct Balancer {
    quote: Perquintill,
    /// `ratio(w1, w2)` of `quote`.
    weight_ratio: U64F64,
}

/// The stored form of [`Balancer`].
#[derive(serde::Serialize, serde::Deserialize)]
struct Weights {
    quote: Perquintill,
}

impl From<Weights> for Balancer {
    fn from(w: Weights) -> Self {
        Balancer::with(w.quote)
    }
}

impl From<Balancer> for Weights {
    fn from(b: Balancer) -> Self {
        Weights { quote: b.quote }
    }
}

impl PartialEq for Balancer {
    fn eq(&self, other: &Self) -> bool {
        self.quote == other.quote
    }
}

impl Eq for Balancer {}

impl std::hash::Hash for Balancer {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.quote.hash(state);
    }
}

impl Default for Balancer {
    /// Both weights 0.5 (the weights of a pool initialised without a price).
    fn default() -> Self {
        Balancer::with(Perquintill::from_rational(1, 2))
    }
}

impl Balancer {
    /// The balancer of `quote` with its weight ratio (unchecked).
    fn with(quote: Perquintill) -> Self {
        Balancer {
            quote,
            weight_ratio: ratio(quote.complement().deconstruct(), quote.deconstruct()),
        }
    }

    /// A balancer with the given quote weight, or `None` when either weight would fall below 0.01.
    pub fn new(quote: Perquintill) -> Option<Self> {
        Self::check(quote).then(|| Balancer::with(quote))
    }

    fn check(quote: Perquintill) -> bool {
        quote.complement() >= MIN_WEIGHT && quote >= MIN_WEIGHT
    }

    /// Quote (TAO) weight `w2`.
    pub fn quote_weight(&self) -> Perquintill {
        self.quote
    }

    /// Base (alpha) weight `w1 = 1 - w2`.
    pub fn base_weight(&self) -> Perquintill {
        self.quote.complement()
    }

    /// Set the quote weight; `false` (and no change) when out of bounds.
    pub fn set_quote_weight(&mut self, quote: Perquintill) -> bool {
        if Self::check(quote) {
            *self = Balancer::with(quote);
            true
        } else {
            false
        }
    }

    /// Weights for reserves `(y, x)` and a target price: `w2 = y / (p·x + y)` (rounded down), as
    /// `maybe_initialize_palswap(netuid, Some(price))`. `None` when both reserves are zero or the
    /// weight would violate the bounds (the chain's `ReservesOutOfBalance`).
    pub fn for_price(tao_reserve: u64, alpha_reserve: u64, price: U64F64) -> Option<Self> {
        let px_high =
            u128::from(price.saturating_to_num::<u64>()).saturating_mul(u128::from(alpha_reserve));
        let px_low = fx(alpha_reserve)
            .saturating_mul(price.frac())
            .saturating_to_num::<u128>();
        let px_plus_y = px_high
            .saturating_add(px_low)
            .saturating_add(u128::from(tao_reserve));
        if px_plus_y == 0 {
            return None;
        }
        Balancer::new(Perquintill::from_rational(
            u128::from(tao_reserve),
            px_plus_y,
        ))
    }

    /// `(x / (x + dx))^(w1/w2)` (`base_quote`) or `^(w2/w1)` as U64F64; `dx` may be negative.
    /// A result that does not fit `u64` once scaled by 10^18 becomes 0; for `dx ≥ 0` the value is
    /// clamped to ≤ 1.
    pub fn exp_scaled(&self, x: u64, dx: i128, base_quote: bool) -> U64F64 {
        self.exp_scaled_with(x, dx, base_quote, SwapGuards::On)
    }

    /// [`Balancer::exp_scaled`] as runtime `guards` computes it: at 423 with precision 1024 and
    /// without the clamp.
    pub fn exp_scaled_with(
        &self,
        x: u64,
        dx: i128,
        base_quote: bool,
        guards: SwapGuards,
    ) -> U64F64 {
        let x_plus_dx = if dx >= 0 {
            x.saturating_add(u64::try_from(dx).unwrap_or(u64::MAX))
        } else {
            x.saturating_sub(u64::try_from(dx.unsigned_abs()).unwrap_or(u64::MAX))
        };
        if x_plus_dx == 0 {
            return U64F64::from_bits(0);
        }
        let w1 = u128::from(self.base_weight().deconstruct());
        let w2 = u128::from(self.quote_weight().deconstruct());
        let (en, ed) = if base_quote { (w1, w2) } else { (w2, w1) };
        let precision = match guards {
            SwapGuards::On => EXP_PRECISION,
            SwapGuards::Spec423 => EXP_PRECISION_423,
        };
        match pow_ratio_scaled_u64(x, x_plus_dx, en, ed, precision, ACCURACY) {
            Some(Scaled::Value(v)) => {
                let result = ratio(v, ACCURACY);
                if dx >= 0 && guards == SwapGuards::On {
                    result.min(one())
                } else {
                    result
                }
            }
            _ => U64F64::from_bits(0),
        }
    }

    /// Prepare [`Balancer::exp_with`] for one reserve `x` (a curve over many `dx ≥ 0`).
    pub fn exp_prepared(&self, x: u64, base_quote: bool) -> Option<RatioPow> {
        let w1 = u128::from(self.base_weight().deconstruct());
        let w2 = u128::from(self.quote_weight().deconstruct());
        let (en, ed) = if base_quote { (w1, w2) } else { (w2, w1) };
        RatioPow::new(
            &BigUint::from_u64(x),
            en,
            ed,
            EXP_PRECISION,
            &BigUint::from_u64(ACCURACY),
        )
    }

    /// [`Balancer::exp_scaled`] for `dx ≥ 0` through a prepared numerator (bit-identical).
    pub fn exp_with(&self, prepared: &RatioPow, x: u64, dx: u64) -> U64F64 {
        let x_plus_dx = x.saturating_add(dx);
        if x_plus_dx == 0 {
            return U64F64::from_bits(0);
        }
        match prepared.eval_u64(x_plus_dx) {
            Some(Scaled::Value(v)) => ratio(v, ACCURACY).min(one()),
            _ => U64F64::from_bits(0),
        }
    }

    /// `(x / (x + dx))^(w1/w2)`, used by sells.
    pub fn exp_base_quote(&self, x: u64, dx: u64) -> U64F64 {
        self.exp_scaled(x, i128::from(dx), true)
    }

    /// `(y / (y + dy))^(w2/w1)`, used by buys.
    pub fn exp_quote_base(&self, y: u64, dy: u64) -> U64F64 {
        self.exp_scaled(y, i128::from(dy), false)
    }

    /// `price = (w1/w2) × (y/x)` in U64F64 (0 when `x == 0`).
    pub fn price(&self, x: u64, y: u64) -> U64F64 {
        wide::mul_u64f64(self.weight_ratio, ratio(y, x))
    }

    /// Alpha paid out for `dy` TAO in: `floor(x × (1 − (y/(y+dy))^(w2/w1)))`.
    pub fn alpha_out_for_tao_in(&self, tao_reserve: u64, alpha_reserve: u64, dy: u64) -> u64 {
        self.alpha_out_for_tao_in_with(tao_reserve, alpha_reserve, dy, SwapGuards::On)
    }

    /// [`Balancer::alpha_out_for_tao_in`] under runtime `guards`.
    pub fn alpha_out_for_tao_in_with(
        &self,
        tao_reserve: u64,
        alpha_reserve: u64,
        dy: u64,
        guards: SwapGuards,
    ) -> u64 {
        let e = self.exp_scaled_with(tao_reserve, i128::from(dy), false, guards);
        fx(alpha_reserve)
            .saturating_mul(one().saturating_sub(e))
            .saturating_to_num::<u64>()
    }

    /// TAO paid out for `dx` alpha in: `floor(y × (1 − (x/(x+dx))^(w1/w2)))`.
    pub fn tao_out_for_alpha_in(&self, tao_reserve: u64, alpha_reserve: u64, dx: u64) -> u64 {
        self.tao_out_for_alpha_in_with(tao_reserve, alpha_reserve, dx, SwapGuards::On)
    }

    /// [`Balancer::tao_out_for_alpha_in`] under runtime `guards`.
    pub fn tao_out_for_alpha_in_with(
        &self,
        tao_reserve: u64,
        alpha_reserve: u64,
        dx: u64,
        guards: SwapGuards,
    ) -> u64 {
        let e = self.exp_scaled_with(alpha_reserve, i128::from(dx), true, guards);
        fx(tao_reserve)
            .saturating_mul(one().saturating_sub(e))
            .saturating_to_num::<u64>()
    }

    /// The factor `(num/den)^(w/10^18)` of a limit delta as U64F64: the `pow_ratio_scaled` result
    /// saturated to `u64::MAX` (the 18.4467 plateau of §11.4), then divided by 10^18.
    fn limit_factor(num: U64F64, den: U64F64, w_parts: u64) -> Option<U64F64> {
        let r = pow_ratio_scaled(
            &BigUint::from_u128(num.to_bits()),
            &BigUint::from_u128(den.to_bits()),
            u128::from(w_parts),
            u128::from(ACCURACY),
            DELTA_PRECISION,
            &BigUint::from_u64(ACCURACY),
        )?;
        let fixed = match r.to_biguint() {
            Some(v) => match v.to_u64() {
                Some(small) => fx(small),
                None => fx(u64::MAX),
            },
            None => U64F64::from_bits(0),
        };
        Some(safe_div(fixed, fx(ACCURACY)))
    }

    /// TAO needed to lift the price from `current` to `target` (buy limit):
    /// `floor(y × ((target/current)^w1 − 1))`, 0 when `target ≤ current`.
    pub fn quote_delta_in(&self, current: U64F64, target: U64F64, tao_reserve: u64) -> u64 {
        match Self::limit_factor(target, current, self.base_weight().deconstruct()) {
            Some(f) => fx(tao_reserve)
                .saturating_mul(f.saturating_sub(one()))
                .saturating_to_num::<u64>(),
            None => 0,
        }
    }

    /// Alpha needed to push the price down from `current` to `target` (sell limit):
    /// `floor(x × ((current/target)^w2 − 1))`, 0 when `target ≥ current`.
    pub fn base_delta_in(&self, current: U64F64, target: U64F64, alpha_reserve: u64) -> u64 {
        match Self::limit_factor(current, target, self.quote_weight().deconstruct()) {
            Some(f) => fx(alpha_reserve)
                .saturating_mul(f.saturating_sub(one()))
                .saturating_to_num::<u64>(),
            None => 0,
        }
    }

    /// Alpha that must be sold to receive `delta_tao`: `floor(x × ((y/(y−Δy))^(w2/w1) − 1))`.
    pub fn base_needed_for_quote(
        &self,
        tao_reserve: u64,
        alpha_reserve: u64,
        delta_tao: u64,
    ) -> u64 {
        let e = self.exp_scaled(tao_reserve, -i128::from(delta_tao), false);
        fx(alpha_reserve)
            .saturating_mul(e.saturating_sub(one()))
            .saturating_to_num::<u64>()
    }

    /// New weights after depositing `(Δy, Δx)` at reserves `(y, x)` so the price is unchanged
    /// (§11.6). `false` and no change when a weight would leave `[0.01, 0.99]`.
    pub fn update_for_added_liquidity(
        &mut self,
        tao_reserve: u64,
        alpha_reserve: u64,
        tao_delta: u64,
        alpha_delta: u64,
    ) -> bool {
        let y = u128::from(tao_reserve);
        let x = u128::from(alpha_reserve);
        let new_y = y.saturating_add(u128::from(tao_delta));
        let new_x = x.saturating_add(u128::from(alpha_delta));
        let q1 = self.base_weight().mul_round(y.saturating_mul(new_x));
        let q2 = self.quote_weight().mul_round(x.saturating_mul(new_y));
        let sum = q1.saturating_add(q2);
        let w = if sum != 0 {
            Perquintill::from_rational(q2, sum)
        } else {
            Perquintill::from_rational(1, 2)
        };
        self.set_quote_weight(w)
    }
}

#[cfg(test)]
#[path = "balancer_tests.rs"]
mod tests;
