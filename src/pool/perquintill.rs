//! `Perquintill` (parts per 10^18) as `sp_arithmetic` defines it, for the balancer weight.

use super::bigint::{mul_div_u128, BigUint};

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
        let parts = mul_div_u128(p, u128::from(ACCURACY), q).unwrap_or(u128::from(ACCURACY));
        Perquintill(parts.min(u128::from(ACCURACY)) as u64)
    }

    /// `1 - self`.
    pub const fn complement(self) -> Self {
        Perquintill(ACCURACY.saturating_sub(self.0))
    }

    /// `round_half_up(value × self)` in 256-bit arithmetic, capped at `u128::MAX`
    /// (`Balancer::mul_perquintill_round`).
    pub fn mul_round(self, value: u128) -> u128 {
        let num = BigUint::from_u128(value).mul(&BigUint::from_u64(self.0));
        let num = num.add(&BigUint::from_u64(ACCURACY / 2));
        num.div_floor(&BigUint::from_u64(ACCURACY))
            .to_u128_saturating()
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
}
