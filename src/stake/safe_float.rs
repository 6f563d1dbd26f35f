//! `SafeFloat`: the decimal float the alpha share pools keep shares in (spec §13).
//!
//! Port of `SafeFloat` in opentensor/subtensor `primitives/share-pool/src/lib.rs` at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`. Value = `mantissa × 10^exponent` with the mantissa
//! normalised into `(10^20, 10^21]` (zero is `0 × 10^0`). Additions align exponents by truncating
//! the smaller operand; `mul_div` keeps the full 256-bit product before its single truncating
//! division. The chain's `U256` intermediates are `u128` where the values fit (a normalised
//! mantissa is below `2^70`: sums, aligned operands and quotients by a normalised divisor) and
//! `ruint`'s 256-bit integer for products, all on the stack: the share pools update on every
//! payout, and the heap big integers these replaced were 6 % of a simulated block in wasm. The
//! previous heap form is kept as the reference of the property test (`safe_float_tests.rs`).

use crate::fixed::wide;
use core::cmp::Ordering;

/// The chain's `U256`.
type U256 = ruint::Uint<256, 4>;

/// Largest mantissa (10^21).
pub const SAFE_FLOAT_MAX: u128 = 1_000_000_000_000_000_000_000;
/// Decimal digits of [`SAFE_FLOAT_MAX`].
pub const SAFE_FLOAT_MAX_EXP: i64 = 21;

/// `mantissa × 10^exponent`, normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SafeFloat {
    mantissa: u128,
    exponent: i64,
}

/// `10^i` for `i = 0..=38` (every power of ten below `2^128`).
const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `10^e`, capped at `10^22` (larger powers are never needed: mantissas have 21 digits).
fn cappow10(e: u64) -> u128 {
    POW10[e.min(SAFE_FLOAT_MAX_EXP as u64 + 1) as usize]
}

impl SafeFloat {
    /// Zero.
    pub const fn zero() -> Self {
        SafeFloat {
            mantissa: 0,
            exponent: 0,
        }
    }

    /// `mantissa × 10^exponent`, normalised; `None` when the mantissa exceeds 10^21 or the
    /// exponent overflows.
    pub fn new(mantissa: u128, exponent: i64) -> Option<Self> {
        if mantissa > SAFE_FLOAT_MAX {
            return None;
        }
        Self::normalized(mantissa, exponent)
    }

    /// From an integer (`SafeFloat::from(u64)`).
    pub fn from_u64(v: u64) -> Self {
        Self::new(u128::from(v), 0).unwrap_or_default()
    }

    /// From a `U64F64` given as its bits (`SafeFloat::from(U64F64)`, the read of the legacy
    /// `Alpha` / `TotalHotkeyShares` maps): the integer part plus `frac / 2^64`, each step
    /// normalised and truncated as the chain does (subtensor @ v3.4.9-424
    /// `primitives/share-pool/src/lib.rs`).
    pub fn from_u64f64_bits(bits: u128) -> Self {
        if bits == 0 {
            return SafeFloat::zero();
        }
        let int = Self::new(bits >> 64, 0).unwrap_or_default();
        let frac = Self::new(bits & u128::from(u64::MAX), 0).unwrap_or_default();
        let two64 = Self::new(1u128 << 64, 0).unwrap_or_default();
        let frac = frac.div(&two64).unwrap_or_default();
        int.add(&frac).unwrap_or_default()
    }

    /// The normalised mantissa.
    pub fn mantissa(&self) -> u128 {
        self.mantissa
    }

    /// The exponent.
    pub fn exponent(&self) -> i64 {
        self.exponent
    }

    /// Whether zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    fn normalized(mut m: u128, mut e: i64) -> Option<Self> {
        if m == 0 {
            return Some(SafeFloat::zero());
        }
        while m > SAFE_FLOAT_MAX {
            m = wide::div(m, 10);
            e = e.checked_add(1)?;
        }
        while m <= SAFE_FLOAT_MAX / 10 {
            m *= 10;
            e = e.checked_sub(1)?;
        }
        Some(SafeFloat {
            mantissa: m,
            exponent: e,
        })
    }

    /// [`Self::normalized`] of a 256-bit value: its tenths are taken while it exceeds `u128`
    /// (the same truncations as the loop, which divides while above `10^21`).
    fn normalized_wide(mut m: U256, mut e: i64) -> Option<Self> {
        let ten = U256::from(10u8);
        while m > U256::from(u128::MAX) {
            m /= ten;
            e = e.checked_add(1)?;
        }
        Self::normalized(m.saturating_to::<u128>(), e)
    }

    /// `self / a` keeping 21 digits; `None` for a zero divisor.
    pub fn div(&self, a: &SafeFloat) -> Option<Self> {
        if a.mantissa == 0 {
            return None;
        }
        let m = product_quotient(self.mantissa, SAFE_FLOAT_MAX, a.mantissa);
        let e = i128::from(self.exponent) - i128::from(a.exponent) - i128::from(SAFE_FLOAT_MAX_EXP);
        Self::normalized_wide(m, i64::try_from(e).ok()?)
    }

    /// The two mantissas at the larger exponent (the other one truncated) and that exponent.
    fn aligned(&self, a: &SafeFloat) -> (u128, u128, i64) {
        if self.exponent >= a.exponent {
            let diff = self.exponent.saturating_sub(a.exponent) as u64;
            let m2 = wide::div(a.mantissa, cappow10(diff));
            (self.mantissa, m2, self.exponent)
        } else {
            let diff = a.exponent.saturating_sub(self.exponent) as u64;
            let m1 = wide::div(self.mantissa, cappow10(diff));
            (m1, a.mantissa, a.exponent)
        }
    }

    /// `self + a` (the smaller operand truncated to the larger one's exponent).
    pub fn add(&self, a: &SafeFloat) -> Option<Self> {
        if self.is_zero() {
            return Some(a.clone());
        }
        if a.is_zero() {
            return Some(self.clone());
        }
        let (m1, m2, e) = self.aligned(a);
        // Mantissas of normalised values (at most 10^21) cannot overflow; others go wide.
        match m1.checked_add(m2) {
            Some(sum) => Self::normalized(sum, e),
            None => Self::normalized_wide(U256::from(m1) + U256::from(m2), e),
        }
    }

    /// `self - a`, saturating at zero; `None` when `self` is zero and `a` is not.
    pub fn sub(&self, a: &SafeFloat) -> Option<Self> {
        if self.is_zero() && a.is_zero() {
            return Some(SafeFloat::zero());
        }
        if self.is_zero() {
            return None;
        }
        if a.is_zero() {
            return Some(self.clone());
        }
        let (m1, m2, e) = self.aligned(a);
        Self::normalized(m1.saturating_sub(m2), e)
    }

    /// Exact `self − a` for `self ≥ a`, computed at the finer exponent of the two so no digit
    /// is dropped before subtracting, then normalised (rounded toward zero). `None` when
    /// `self < a`, `self` is zero (and `a` is not), or an operand scaled to the finer exponent
    /// does not fit the chain's U256. Added with the share-pool accounting of spec
    /// `pool-after-425.md` §5.1 (RaoFoundation/subtensor `primitives/share-pool/src/lib.rs`,
    /// index id 71438766555).
    pub fn sub_exact_floor(&self, a: &SafeFloat) -> Option<Self> {
        if a.is_zero() {
            return Some(self.clone());
        }
        if self.is_zero() {
            return None;
        }
        let exponent = self.exponent.min(a.exponent);
        // U256 checked_pow / checked_mul.
        let scale = |v: &SafeFloat| -> Option<U256> {
            let shift = u32::try_from(v.exponent.checked_sub(exponent)?).ok()?;
            let factor = U256::from(10u8).checked_pow(U256::from(shift))?;
            U256::from(v.mantissa).checked_mul(factor)
        };
        let difference = scale(self)?.checked_sub(scale(a)?)?;
        Self::normalized_wide(difference, exponent)
    }

    /// `self × a / b` with one truncation; `None` for `b == 0`.
    pub fn mul_div(&self, a: &SafeFloat, b: &SafeFloat) -> Option<Self> {
        if b.mantissa == 0 {
            return None;
        }
        let m = product_quotient(self.mantissa, a.mantissa, b.mantissa);
        let e = self
            .exponent
            .checked_add(a.exponent)?
            .checked_sub(b.exponent)?;
        Self::normalized_wide(m, e)
    }

    /// `self > a` for normalised values.
    pub fn gt(&self, a: &SafeFloat) -> bool {
        // `10·m` exactly (a mantissa has at most 128 bits).
        let ten = |m: u128| U256::from(m) * U256::from(10u8);
        match self.exponent.cmp(&a.exponent) {
            Ordering::Equal => self.mantissa > a.mantissa,
            Ordering::Greater => {
                self.exponent.saturating_sub(a.exponent) > 1
                    || ten(self.mantissa) > U256::from(a.mantissa)
            }
            Ordering::Less => {
                a.exponent.saturating_sub(self.exponent) <= 1
                    && U256::from(self.mantissa) > ten(a.mantissa)
            }
        }
    }

    /// Floor to `u64`, saturating.
    pub fn to_u64(&self) -> u64 {
        if self.exponent == 0 {
            return u64::try_from(self.mantissa).unwrap_or(u64::MAX);
        }
        let scale = cappow10(self.exponent.unsigned_abs());
        let q = if self.exponent > 0 {
            self.mantissa.saturating_mul(scale)
        } else {
            wide::div(self.mantissa, scale)
        };
        u64::try_from(q).unwrap_or(u64::MAX)
    }

    /// The value as `f64` (display only).
    pub fn to_f64(&self) -> f64 {
        self.mantissa as f64
            * 10f64.powi(
                self.exponent
                    .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            )
    }
}

/// `floor(x·y / d)` (`d ≠ 0`) with the 256-bit product; in `u128` when the product fits.
fn product_quotient(x: u128, y: u128, d: u128) -> U256 {
    match x.checked_mul(y) {
        Some(p) => U256::from(wide::div(p, d)),
        None => U256::from(x) * U256::from(y) / U256::from(d),
    }
}

#[cfg(test)]
#[path = "safe_float_tests.rs"]
mod reference_tests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn sub_exact_floor_keeps_the_fine_digits() {
        // 10^21·10^0 − 1·10^-20: plain `sub` truncates the subtrahend to 0 first.
        let big = super::SafeFloat::new(super::SAFE_FLOAT_MAX, 0).unwrap();
        let tiny = super::SafeFloat::new(1, -20).unwrap();
        assert_eq!(big.sub(&tiny), Some(big.clone()));
        let d = big.sub_exact_floor(&tiny).unwrap();
        assert!(big.gt(&d));
        assert_eq!(tiny.sub_exact_floor(&big), None);
        assert_eq!(big.sub_exact_floor(&big), Some(super::SafeFloat::zero()));
    }

    use super::*;

    #[test]
    fn from_u64f64_is_the_integer_plus_the_fraction() {
        assert_eq!(SafeFloat::from_u64f64_bits(0), SafeFloat::zero());
        assert_eq!(SafeFloat::from_u64f64_bits(5 << 64), SafeFloat::from_u64(5));
        // 1.5 = 15 × 10^-1; 0.25 alone = 25 × 10^-2 (normalised to 21 digits).
        let f = SafeFloat::from_u64f64_bits((1 << 64) | (1 << 63));
        assert_eq!(f, SafeFloat::new(15, -1).unwrap());
        let q = SafeFloat::from_u64f64_bits(1 << 62);
        assert_eq!(q, SafeFloat::new(25, -2).unwrap());
        // 1/2^64 keeps 21 significant digits: 5.42101086242752217003e-20, truncated.
        let tiny = SafeFloat::from_u64f64_bits(1);
        assert_eq!(tiny.mantissa(), 542_101_086_242_752_217_003);
        assert_eq!(tiny.exponent(), -40);
        // The chain's `test_safefloat_from_u64f64` (v3.4.9-424 primitives/share-pool): 0.1 as
        // U64F64 converts to within a relative 1e-14.
        let tenth = substrate_fixed::types::U64F64::from_num(0.1);
        let got = SafeFloat::from_u64f64_bits(tenth.to_bits()).to_f64();
        let want = tenth.to_num::<f64>();
        assert!((got - want).abs() <= got.abs() / 1e14, "{got} {want}");
    }

    #[test]
    fn normalize() {
        let cases = [
            (1u128, 0i64, SAFE_FLOAT_MAX, -21i64),
            (0, 0, 0, 0),
            (10, 0, SAFE_FLOAT_MAX, -20),
            (1_000, 0, SAFE_FLOAT_MAX, -18),
            (100_000_000_000_000_000_000, 0, SAFE_FLOAT_MAX, -1),
            (SAFE_FLOAT_MAX, 0, SAFE_FLOAT_MAX, 0),
        ];
        for (m, e, em, ee) in cases {
            let f = SafeFloat::new(m, e).unwrap();
            assert_eq!((f.mantissa(), f.exponent()), (em, ee));
        }
    }

    #[test]
    fn add_truncates_smaller() {
        let cases = [
            (
                1u128,
                0i64,
                1u128,
                0i64,
                200_000_000_000_000_000_000u128,
                -20i64,
            ),
            (
                SAFE_FLOAT_MAX,
                0,
                SAFE_FLOAT_MAX,
                0,
                SAFE_FLOAT_MAX * 2 / 10,
                1,
            ),
            (123, 1, 1, 23, 100_000_000_000_000_000_001, 3),
            (
                999_999_999_999_999_999_999,
                0,
                1,
                22,
                109_999_999_999_999_999_999,
                2,
            ),
            (
                1,
                24,
                123_456_789_012_345_678_901,
                0,
                100_012_345_678_901_234_567,
                4,
            ),
        ];
        for (ma, ea, mb, eb, em, ee) in cases {
            let a = SafeFloat::new(ma, ea).unwrap();
            let b = SafeFloat::new(mb, eb).unwrap();
            for s in [a.add(&b).unwrap(), b.add(&a).unwrap()] {
                assert_eq!((s.mantissa(), s.exponent()), (em, ee));
            }
        }
    }
}
