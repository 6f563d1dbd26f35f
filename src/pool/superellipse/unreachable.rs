//! Reserves that no point of the curve's positive-price branch can pay out (lending floors).
//!
//! Port of `Superellipse::extractable_reserves` of RaoFoundation/subtensor
//! `pallets/swap/src/pallet/superellipse.rs` at `61cafd4026c5d64dd5df4e7a7d17fb5575477b12`
//! (index id 71297106277; absent from the first generation `0249a4a4`). Spec
//! `pool-after-425.md` §3.10.

use super::curve::Superellipse;
use super::wide::{
    add, div, narrow, narrow_amount, sqrt_floor, sub, wide, MathResult, SCALE, U512,
};

impl Superellipse {
    /// `(alpha, tao)` that can be withdrawn without changing any reachable quote: per side
    /// `min(sat_sub(floor((C − bound)/2^32), floor), reserve)`, where `bound` is the largest
    /// reachable coordinate on this invariant plus one Q32 unit (`sqrt_floor(K/scale²) + 1`).
    pub fn extractable_reserves(
        &self,
        alpha: u64,
        tao: u64,
        reserve_floor: u64,
    ) -> MathResult<(u64, u64)> {
        let (x, y) = self.coordinates(alpha, tao)?;
        let k = self.invariant(x, y)?;
        let (a2, b2) = self.squares()?;
        let alpha_bound = add(sqrt_floor(div(k, b2)?), wide(1))?;
        let tao_bound = add(sqrt_floor(div(k, a2)?), wide(1))?;
        let side = |center: i128, bound: U512, reserve: u64| -> MathResult<u64> {
            if center <= 0 || bound >= wide(center.unsigned_abs()) {
                return Ok(0);
            }
            let amount = narrow(div(sub(wide(center.unsigned_abs()), bound)?, wide(SCALE))?)?;
            Ok(narrow_amount(amount)?
                .saturating_sub(reserve_floor)
                .min(reserve))
        };
        Ok((
            side(self.center_alpha, alpha_bound, alpha)?,
            side(self.center_tao, tao_bound, tao)?,
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::perquintill::Perquintill;

    #[test]
    fn extraction_keeps_price_and_is_idempotent() {
        let (a, t) = (10_000_000u64, 500_000u64);
        let mut c =
            Superellipse::from_weights(a, t, Perquintill::from_parts(500_000_000_000_000_000))
                .unwrap();
        let p = c.price(a, t).unwrap();
        let take = c.extractable_reserves(a, t, 100).unwrap();
        assert_eq!(take, (5_857_764, 292_793));
        c.withdraw_liquidity(take.0, take.1).unwrap();
        assert_eq!(c.price(a - take.0, t - take.1).unwrap(), p);
        assert_eq!(
            c.extractable_reserves(a - take.0, t - take.1, 100).unwrap(),
            (0, 0)
        );
    }
}
