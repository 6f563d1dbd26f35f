//! Limit deltas and inverse quotes by exact integer search (they replace the balancer's
//! closed-form `pow_ratio_scaled`).
//!
//! Port of `Superellipse::{last_true, quote_delta_to_price, base_delta_to_price,
//! base_needed_for_quote, quote_needed_for_base}` of RaoFoundation/subtensor
//! `pallets/swap/src/pallet/superellipse.rs` at `61cafd4026c5d64dd5df4e7a7d17fb5575477b12`
//! (index id 71297106277; `quote_needed_for_base` exists only there). Spec
//! `pool-after-425.md` §3.6.

use super::curve::Superellipse;
use super::wide::{EllipseError, MathResult};
use substrate_fixed::types::U64F64;

/// The largest `i` in `[0, upper]` with `pred(i)` by upper-mid bisection (assumes `pred(0)`).
fn last_true<F>(upper: u64, mut pred: F) -> MathResult<u64>
where
    F: FnMut(u64) -> MathResult<bool>,
{
    let mut low = 0u64;
    let mut high = upper;
    while low < high {
        let span = high.checked_sub(low).ok_or(EllipseError::Overflow)?;
        let mid = low
            .checked_add(span.div_ceil(2))
            .ok_or(EllipseError::Overflow)?;
        if pred(mid)? {
            low = mid;
        } else {
            high = mid.checked_sub(1).ok_or(EllipseError::Overflow)?;
        }
    }
    Ok(low)
}

/// The smallest `i` in `[0, high]` with `pred(i)` by lower-mid bisection (assumes `pred(high)`).
fn first_true<F>(high: u64, mut pred: F) -> MathResult<u64>
where
    F: FnMut(u64) -> MathResult<bool>,
{
    let mut low = 0u64;
    let mut high = high;
    while low < high {
        let span = high.checked_sub(low).ok_or(EllipseError::Overflow)?;
        let mid = low.checked_add(span >> 1).ok_or(EllipseError::Overflow)?;
        if pred(mid)? {
            high = mid;
        } else {
            low = mid.checked_add(1).ok_or(EllipseError::Overflow)?;
        }
    }
    Ok(low)
}

impl Superellipse {
    /// Largest buy input whose actual post-trade price stays ≤ `target` (0 when the target is
    /// not above the spot price). A price `Overflow` inside the search counts as "above".
    pub fn quote_delta_to_price(&self, alpha: u64, tao: u64, target: U64F64) -> MathResult<u64> {
        if target <= self.price(alpha, tao)? {
            return Ok(0);
        }
        let max = self.max_buy_input(alpha, tao)?;
        last_true(max, |input| {
            let out = self.buy_output(alpha, tao, input)?;
            match self.price(
                alpha.checked_sub(out).ok_or(EllipseError::Overflow)?,
                tao.checked_add(input).ok_or(EllipseError::Overflow)?,
            ) {
                Ok(p) => Ok(p <= target),
                Err(EllipseError::Overflow) => Ok(false),
                Err(e) => Err(e),
            }
        })
    }

    /// Largest sell input whose actual post-trade price stays ≥ `target` (0 when the target is
    /// not below the spot price).
    pub fn base_delta_to_price(&self, alpha: u64, tao: u64, target: U64F64) -> MathResult<u64> {
        if target >= self.price(alpha, tao)? {
            return Ok(0);
        }
        let max = self.max_sell_input(alpha, tao)?;
        last_true(max, |input| {
            let out = self.sell_output(alpha, tao, input)?;
            Ok(self.price(
                alpha.checked_add(input).ok_or(EllipseError::Overflow)?,
                tao.checked_sub(out).ok_or(EllipseError::Overflow)?,
            )? >= target)
        })
    }

    /// Minimal alpha input whose TAO payout is at least `want` (inverse quotes round up).
    pub fn base_needed_for_quote(&self, alpha: u64, tao: u64, want: u64) -> MathResult<u64> {
        self.coordinates(alpha, tao)?;
        if want == 0 {
            return Ok(0);
        }
        if want > tao {
            return Err(EllipseError::InsufficientReserves);
        }
        let high = self.max_sell_input(alpha, tao)?;
        if self.sell_output(alpha, tao, high)? < want {
            return Err(EllipseError::OutsideDomain);
        }
        first_true(high, |i| Ok(self.sell_output(alpha, tao, i)? >= want))
    }

    /// Minimal net TAO input whose alpha payout is at least `want` (`61cafd40` only).
    pub fn quote_needed_for_base(&self, alpha: u64, tao: u64, want: u64) -> MathResult<u64> {
        self.coordinates(alpha, tao)?;
        if want == 0 {
            return Ok(0);
        }
        if want > alpha {
            return Err(EllipseError::InsufficientReserves);
        }
        let high = self.max_buy_input(alpha, tao)?;
        if self.buy_output(alpha, tao, high)? < want {
            return Err(EllipseError::OutsideDomain);
        }
        first_true(high, |i| Ok(self.buy_output(alpha, tao, i)? >= want))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::perquintill::Perquintill;

    fn equal() -> Superellipse {
        Superellipse::from_weights(
            10_000_000,
            500_000,
            Perquintill::from_parts(500_000_000_000_000_000),
        )
        .unwrap()
    }

    #[test]
    fn limit_deltas_are_maximal() {
        let c = equal();
        let (a, t) = (10_000_000u64, 500_000u64);
        let target = U64F64::from_num(0.06);
        let i = c.quote_delta_to_price(a, t, target).unwrap();
        assert_eq!(i, 47_321);
        let o = c.buy_output(a, t, i).unwrap();
        assert!(c.price(a - o, t + i).unwrap() <= target);
        let o1 = c.buy_output(a, t, i + 1).unwrap();
        assert!(c.price(a - o1, t + i + 1).unwrap() > target);
        assert_eq!(
            c.base_delta_to_price(a, t, U64F64::from_num(0.04)).unwrap(),
            1_165_487
        );
        assert_eq!(
            c.quote_delta_to_price(a, t, U64F64::from_num(0.01))
                .unwrap(),
            0
        );
    }

    #[test]
    fn inverse_quotes_are_minimal() {
        let c = equal();
        let (a, t) = (10_000_000u64, 500_000u64);
        for want in [1u64, 10, 1_000, 100_000] {
            let i = c.quote_needed_for_base(a, t, want).unwrap();
            assert!(c.buy_output(a, t, i).unwrap() >= want);
            assert!(i == 0 || c.buy_output(a, t, i - 1).unwrap() < want);
            let s = c.base_needed_for_quote(a, t, want.min(t)).unwrap();
            assert!(c.sell_output(a, t, s).unwrap() >= want.min(t));
        }
        assert_eq!(
            c.quote_needed_for_base(a, t, a + 1),
            Err(EllipseError::InsufficientReserves)
        );
        assert_eq!(
            c.quote_needed_for_base(a, t, a),
            Err(EllipseError::OutsideDomain)
        );
    }
}
