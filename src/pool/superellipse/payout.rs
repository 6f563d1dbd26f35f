//! Exact-input payouts (both rounded down: the pool keeps the residue) and the capacity of each
//! side (`max_input`).
//!
//! Port of `Superellipse::{buy_output, sell_output, max_buy_input, max_sell_input,
//! max_*_input_with_reserve_floor, max_input}` of RaoFoundation/subtensor
//! `pallets/swap/src/pallet/superellipse.rs` at `61cafd4026c5d64dd5df4e7a7d17fb5575477b12`
//! (index id 71297106277). Spec `pool-after-425.md` §3.4–§3.5.

use super::curve::Superellipse;
use super::wide::{
    add, div, mul, narrow, narrow_amount, sqrt_floor, sub, wide, EllipseError, MathResult, SCALE,
    U512,
};

impl Superellipse {
    /// Alpha paid for an exact net TAO input `Δτ`: `X' = sqrt_floor(X² + floor(gain·a²/b²))` with
    /// `gain = (Y−Y')(Y+Y')`, `Y' = Y − Δτ·2^32`; `out = floor((X'−X)/2^32)`.
    pub fn buy_output(&self, alpha: u64, tao: u64, input: u64) -> MathResult<u64> {
        tao.checked_add(input).ok_or(EllipseError::Overflow)?;
        let (x, y) = self.coordinates(alpha, tao)?;
        if input == 0 {
            return Ok(0);
        }
        let (a2, b2) = self.squares()?;
        let out = Self::payout(x, y, input, a2, b2)?;
        if out > u128::from(alpha) {
            return Err(EllipseError::InsufficientReserves);
        }
        narrow_amount(out)
    }

    /// TAO paid for an exact net alpha input (the mirror image of [`Self::buy_output`]).
    pub fn sell_output(&self, alpha: u64, tao: u64, input: u64) -> MathResult<u64> {
        alpha.checked_add(input).ok_or(EllipseError::Overflow)?;
        let (x, y) = self.coordinates(alpha, tao)?;
        if input == 0 {
            return Ok(0);
        }
        let (a2, b2) = self.squares()?;
        let out = Self::payout(y, x, input, b2, a2)?;
        if out > u128::from(tao) {
            return Err(EllipseError::InsufficientReserves);
        }
        narrow_amount(out)
    }

    /// One payout: `c` is the input-side coordinate (it shrinks by `input·2^32`), `oc` the
    /// output-side one, which grows to `sqrt_floor(oc² + floor(gain·num2/den2))`.
    fn payout(oc: U512, c: U512, input: u64, num2: U512, den2: U512) -> MathResult<u128> {
        let new_c = c
            .checked_sub(mul(wide(u128::from(input)), wide(SCALE))?)
            .filter(|v| !v.is_zero())
            .ok_or(EllipseError::OutsideDomain)?;
        // Difference form: no cancellation of normalised coordinates.
        let gain = mul(sub(c, new_c)?, add(c, new_c)?)?;
        let new_oc = sqrt_floor(add(mul(oc, oc)?, div(mul(gain, num2)?, den2)?)?);
        narrow(div(sub(new_oc, oc)?, wide(SCALE))?)
    }

    /// Largest buy input on the open branch (no reserve floor).
    pub fn max_buy_input(&self, alpha: u64, tao: u64) -> MathResult<u64> {
        self.max_input(alpha, tao, true, 0)
    }

    /// Largest sell input on the open branch (no reserve floor).
    pub fn max_sell_input(&self, alpha: u64, tao: u64) -> MathResult<u64> {
        self.max_input(alpha, tao, false, 0)
    }

    /// Largest buy input leaving at least `floor` alpha in the pool.
    pub fn max_buy_input_with_reserve_floor(
        &self,
        alpha: u64,
        tao: u64,
        floor: u64,
    ) -> MathResult<u64> {
        self.max_input(alpha, tao, true, floor)
    }

    /// Largest sell input leaving at least `floor` TAO in the pool.
    pub fn max_sell_input_with_reserve_floor(
        &self,
        alpha: u64,
        tao: u64,
        floor: u64,
    ) -> MathResult<u64> {
        self.max_input(alpha, tao, false, floor)
    }

    /// The largest exact input whose rounded payout leaves at least `floor` of the output
    /// reserve: `floor((floor(√T) − oc)/S) ≤ R'` iff `T < (oc + (R'+1)·S)²`, solved for the
    /// smallest admissible input-side coordinate, capped so the input reserve stays in u64.
    pub fn max_input(&self, alpha: u64, tao: u64, buy: bool, floor: u64) -> MathResult<u64> {
        let (x, y) = self.coordinates(alpha, tao)?;
        let (a2, b2) = self.squares()?;
        let (c, oc, in2, out2, reserve, cap) = if buy {
            (
                y,
                x,
                a2,
                b2,
                alpha,
                u64::MAX.checked_sub(tao).ok_or(EllipseError::Overflow)?,
            )
        } else {
            (
                x,
                y,
                b2,
                a2,
                tao,
                u64::MAX.checked_sub(alpha).ok_or(EllipseError::Overflow)?,
            )
        };
        let reserve = reserve
            .checked_sub(floor)
            .ok_or(EllipseError::InsufficientReserves)?;
        let allowance = mul(
            wide(
                u128::from(reserve)
                    .checked_add(1)
                    .ok_or(EllipseError::Overflow)?,
            ),
            wide(SCALE),
        )?;
        let headroom = mul(allowance, add(mul(oc, wide(2))?, allowance)?)?;
        let initial = mul(mul(c, c)?, in2)?;
        let bound = mul(headroom, out2)?;
        let minimum = if initial >= bound {
            add(sqrt_floor(div(sub(initial, bound)?, in2)?), wide(1))?
        } else {
            wide(1)
        };
        let room = c.checked_sub(minimum).ok_or(EllipseError::OutsideDomain)?;
        let amount = narrow(div(room, wide(SCALE))?)?;
        Ok(u64::try_from(amount.min(u128::from(cap))).unwrap_or(cap))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::perquintill::Perquintill;

    fn equal(alpha: u64, tao: u64) -> Superellipse {
        Superellipse::from_weights(alpha, tao, Perquintill::from_parts(500_000_000_000_000_000))
            .unwrap()
    }

    #[test]
    fn buys_round_down_like_the_closed_form() {
        let c = equal(10_000_000, 500_000);
        let outs: Vec<u64> = [0, 1, 100, 1_000, 100_000]
            .iter()
            .map(|i| c.buy_output(10_000_000, 500_000, *i).unwrap())
            .collect();
        assert_eq!(outs, vec![0, 19, 1_999, 19_960, 1_661_903]);
    }

    #[test]
    fn capacities_at_the_anchor() {
        let c = equal(10_000, 1_000);
        assert_eq!(c.max_buy_input(10_000, 1_000).unwrap(), 999);
        assert_eq!(c.max_sell_input(10_000, 1_000).unwrap(), 9_999);
        assert_eq!(
            c.buy_output(10_000, 1_000, 1_000),
            Err(EllipseError::OutsideDomain)
        );
        assert_eq!(
            c.max_buy_input_with_reserve_floor(10_000, 1_000, 10_001),
            Err(EllipseError::InsufficientReserves)
        );
    }

    #[test]
    fn round_trip_never_gains() {
        let c = equal(10_000_000, 500_000);
        for input in [1u64, 100, 1_000, 100_000] {
            let out = c.sell_output(10_000_000, 500_000, input).unwrap();
            let back = c
                .buy_output(10_000_000 + input, 500_000 - out, out)
                .unwrap();
            assert!(back <= input);
        }
    }
}
