//! `Perquintill` (parts per 10^18) as `sp_arithmetic` defines it, for the balancer weight.
//!
//! The 256-bit intermediates of [`Perquintill::from_rational`] and [`Perquintill::mul_round`] are
//! `ruint` stack integers (no heap: the coinbase runs both for every subnet's injection each
//! block); the tests compare them with the heap [`super::bigint::BigUint`] formulas.

use ruint::Uint;

/// 256 bits: a `u128` times a Perquintill (< 2^60) plus the rounding half always fits.
type U256 = Uint<256, 4>;

/// 10^18, the Perquintill accuracy (`balancer::ACCURACY` on chain).
pub const ACCURACY: u64 = 1_000_000_000_000_000_000;

/// A fraction `parts / 10^18`, `0 ≤ parts ≤ 10^18`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Perquintill(u64);

impl Perquintill {
    /// 1.0.
    pub const ONE: Perquintill = Perquintill(ACCURACY);
    /// 0.
    pub const ZERO: Perquintill = Perquintill(0);

    /// From raw parts, clamped to 10^18.
    pub const fn from_parts(parts: u64) -> Self {
        if parts > ACCURACY {
            Perquintill(ACCURACY)
        } else {
            Perquintill(parts)
        }
    }

    /// Raw parts.
    pub const fn deconstruct(self) -> u64 {
        self.0
    }

    /// `floor(p / q × 10^18)`; 1.0 when `q == 0` or `p ≥ q` (`from_rational` rounds down and
    /// falls back to one on an invalid ratio).
    pub fn from_rational(p: u128, q: u128) -> Self {
        if q == 0 || p >= q {
            return Perquintill::ONE;
        }
        // p < q, so p·10^18 / q < 10^18: the quotient always fits.
        let parts = (U256::from(p) * U256::from(ACCURACY)) / U256::from(q);
        Perquintill(parts.saturating_to::<u64>().min(ACCURACY))
    }

    /// `1 - self`.
    pub const fn complement(self) -> Self {
        Perquintill(ACCURACY.saturating_sub(self.0))
    }

    /// `round_half_up(value × self)` in 256-bit arithmetic, capped at `u128::MAX`
    /// (`Balancer::mul_perquintill_round`).
    pub fn mul_round(self, value: u128) -> u128 {
        let num = U256::from(value) * U256::from(self.0) + U256::from(ACCURACY / 2);
        (num / U256::from(ACCURACY)).saturating_to::<u128>()
    }

    /// The fraction as `f64` (display only).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / ACCURACY as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rational_rounds_down() {
        assert_eq!(
            Perquintill::from_rational(1, 3).deconstruct(),
            333_333_333_333_333_333
        );
        assert_eq!(
            Perquintill::from_rational(1, 2).deconstruct(),
            500_000_000_000_000_000
        );
        assert_eq!(Perquintill::from_rational(5, 2), Perquintill::ONE);
    }

    #[test]
    fn round_half_up() {
        let half = Perquintill::from_rational(1, 2);
        let got: Vec<u128> = [0u128, 1, 2, 3, 4, 5, 1023, 1025]
            .iter()
            .map(|&v| half.mul_round(v))
            .collect();
        assert_eq!(got, vec![0, 1, 1, 2, 2, 3, 512, 513]);
        let third = Perquintill::from_rational(1, 3);
        let got: Vec<u128> = [3u128, 4, 5, 6]
            .iter()
            .map(|&v| third.mul_round(v))
            .collect();
        assert_eq!(got, vec![1, 1, 2, 2]);
        assert_eq!(Perquintill::ONE.mul_round(u128::MAX), u128::MAX);
    }

    /// The stack formulas equal the heap big-integer ones they replaced, on edges and on a
    /// pseudo-random spread of magnitudes (SplitMix64, fixed seed).
    #[test]
    fn stack_formulas_match_heap_bigint() {
        use crate::pool::bigint::{mul_div_u128, BigUint};
        let heap_round = |p: Perquintill, v: u128| {
            BigUint::from_u128(v)
                .mul(&BigUint::from_u64(p.0))
                .add(&BigUint::from_u64(ACCURACY / 2))
                .div_floor(&BigUint::from_u64(ACCURACY))
                .to_u128_saturating()
        };
        let heap_rational = |p: u128, q: u128| {
            if q == 0 || p >= q {
                return ACCURACY;
            }
            let parts = mul_div_u128(p, u128::from(ACCURACY), q).unwrap_or(u128::from(ACCURACY));
            parts.min(u128::from(ACCURACY)) as u64
        };
        let mut next = crate::fixed::splitmix(0x1234_5678_9abc_def0u64);
        let mut values = vec![0u128, 1, 2, u128::from(u64::MAX), u128::MAX, u128::MAX - 1];
        for _ in 0..4000 {
            let v = (u128::from(next()) << 64) | u128::from(next());
            values.push(v >> (next() % 128));
        }
        for (i, &v) in values.iter().enumerate() {
            let parts = match i % 4 {
                0 => next() % (ACCURACY + 1),
                1 => ACCURACY,
                2 => 0,
                _ => ACCURACY / 2,
            };
            let p = Perquintill::from_parts(parts);
            assert_eq!(p.mul_round(v), heap_round(p, v), "mul_round {parts} {v}");
            let w = values[(i * 7 + 3) % values.len()];
            assert_eq!(
                Perquintill::from_rational(v, w).0,
                heap_rational(v, w),
                "from_rational {v} {w}"
            );
            assert_eq!(
                Perquintill::from_rational(w, v).0,
                heap_rational(w, v),
                "from_rational {w} {v}"
            );
        }
    }
}
