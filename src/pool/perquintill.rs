//! `Perquintill` (parts per 10^18) as `sp_arithmetic` defines it, for the balancer weight.
//!
//! The coinbase runs [`Perquintill::from_rational`] and [`Perquintill::mul_round`] for every
//! subnet's injection each block, so their up-to-192-bit intermediates are `u128` halves from
//! [`crate::fixed::wide`] (a `128 × 128` product, then one 64-bit-digit division step or a chain
//! of `128 / 64` divisions) rather than a generic 256-bit division; the tests hold them equal to
//! `ruint` 256-bit integers and to the heap [`super::bigint::BigUint`] formulas.

use crate::fixed::wide;

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
        // p < q, so p·10^18 / q < 10^18: the quotient always fits 64 bits.
        let (hi, lo) = wide::mul_256(p, u128::from(ACCURACY));
        let parts = wide::div_256_to_u64(hi, lo, q).unwrap_or(ACCURACY);
        Perquintill(parts.min(ACCURACY))
    }

    /// `1 - self`.
    pub const fn complement(self) -> Self {
        Perquintill(ACCURACY.saturating_sub(self.0))
    }

    /// `round_half_up(value × self)` in 256-bit arithmetic, capped at `u128::MAX`
    /// (`Balancer::mul_perquintill_round`).
    pub fn mul_round(self, value: u128) -> u128 {
        // value·parts + 10^18/2 < 2^188, as (hi, lo); divided by 10^18 one 64-bit word at a
        // time, each step's dividend below 10^18·2^64 (so each quotient word fits 64 bits).
        let (hi, lo) = wide::mul_256(value, u128::from(self.0));
        let (lo, carry) = lo.overflowing_add(u128::from(ACCURACY / 2));
        let hi = hi + u128::from(carry);
        let d = u128::from(ACCURACY);
        // `N ≤ (2^128 − 1)·10^18 + 10^18/2 < 10^18·2^128`, so `hi < 10^18`: the top word's
        // quotient is 0 (the division stays only as a guard).
        let (q2, r) = if hi < d {
            (0, hi)
        } else {
            wide::div_rem(hi, d)
        };
        let (q1, r) = wide::div_rem((r << 64) | (lo >> 64), d);
        let (q0, _) = wide::div_rem((r << 64) | (lo & u128::from(u64::MAX)), d);
        if q2 != 0 {
            return u128::MAX;
        }
        (q1 << 64) | q0
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

    /// The word-wise formulas equal the 256-bit `ruint` ones (the previous implementation) on
    /// the pool's shapes: products of two reserves, ratios just below 1, every weight.
    #[test]
    fn word_formulas_match_ruint() {
        type U256 = ruint::Uint<256, 4>;
        let round = |p: Perquintill, v: u128| {
            let num = U256::from(v) * U256::from(p.0) + U256::from(ACCURACY / 2);
            (num / U256::from(ACCURACY)).saturating_to::<u128>()
        };
        let rational = |p: u128, q: u128| {
            let parts = (U256::from(p) * U256::from(ACCURACY)) / U256::from(q);
            parts.saturating_to::<u64>().min(ACCURACY)
        };
        let mut next = crate::fixed::splitmix(0x9e37_79b9_7f4a_7c15u64);
        let cases: u32 = std::env::var("TAO_PERQUINTILL_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(200_000);
        for i in 0..cases {
            let a = u128::from(next() >> (next() % 64)) * u128::from(next() >> (next() % 64));
            let b = (u128::from(next()) << 64 | u128::from(next())) >> (next() % 128);
            let v = if i % 2 == 0 { a } else { b };
            let p = Perquintill::from_parts(next() % (ACCURACY + 1));
            assert_eq!(p.mul_round(v), round(p, v), "mul_round {} {v}", p.0);
            let q = v.max(1);
            let below = q - (q >> (next() % 128)).min(q - 1).max(u128::from(q > 1));
            for p in [below, q - 1, q / 3, next().into()] {
                if p < q {
                    assert_eq!(
                        Perquintill::from_rational(p, q).0,
                        rational(p, q),
                        "from_rational {p} {q}"
                    );
                }
            }
        }
    }
}
