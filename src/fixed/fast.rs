//! Bit-exact fast paths for the hot I32F32 operations.
//!
//! `substrate-fixed` multiplies and divides I32F32 through i128, which is slow (and a software
//! routine in wasm). These helpers give the same bits: when the operands are small enough the
//! operation is done in 64-bit integers (multiplication: the exact product fits in i64;
//! division: a non-negative dividend below 2 and a positive divisor, via u64), otherwise they
//! defer to the crate. The equivalence is property-tested below against the crate itself.

use super::I32F32;

const ONE_BITS: i64 = 1 << 32;

/// Method forms of the fast paths, so kernels read like the chain's code.
pub trait FastOps: Sized {
    /// [`smul`].
    fn smul(self, rhs: Self) -> Self;
    /// `saturating_add` (the crate's result, computed on the raw bits).
    fn sadd(self, rhs: Self) -> Self;
    /// `saturating_sub` (the crate's result, computed on the raw bits).
    fn ssub(self, rhs: Self) -> Self;
}

impl FastOps for I32F32 {
    #[inline]
    fn smul(self, rhs: Self) -> Self {
        smul(self, rhs)
    }
    #[inline]
    fn sadd(self, rhs: Self) -> Self {
        I32F32::from_bits(self.to_bits().saturating_add(rhs.to_bits()))
    }
    #[inline]
    fn ssub(self, rhs: Self) -> Self {
        I32F32::from_bits(self.to_bits().saturating_sub(rhs.to_bits()))
    }
}

/// `a.saturating_mul(b)`: `floor(a·b / 2^32)`, saturated to the I32F32 range.
///
/// The crate's own overflow test (an i128 `overflowing_mul` of `a` by `b << 32`) fires exactly
/// when the floored product leaves the i64 range, so a plain widening product gives the same
/// bits; products of small operands stay in i64.
#[inline]
pub fn smul(a: I32F32, b: I32F32) -> I32F32 {
    let (x, y) = (a.to_bits(), b.to_bits());
    // Both in [0, 2^32] (proportions, most of an epoch's products): with x = h·2^32 + l, h ≤ 1,
    // floor(x·y / 2^32) = h·y + floor(l·y / 2^32), and l·y < 2^64. One test instead of two
    // absolute values and leading-zero counts (which LLVM paired into a vector that V8 moves
    // between register files on every call).
    if (x | y) as u64 <= 1 << 32 {
        let (x, y) = (x as u64, y as u64);
        return I32F32::from_bits(((x >> 32) * y + (((x & 0xFFFF_FFFF) * y) >> 32)) as i64);
    }
    if x.unsigned_abs().leading_zeros() + y.unsigned_abs().leading_zeros() >= 65 {
        // |x·y| < 2^63: exact in i64; the arithmetic shift floors like the crate.
        return I32F32::from_bits(x.wrapping_mul(y) >> 32);
    }
    let r = (i128::from(x) * i128::from(y)) >> 32;
    I32F32::from_bits(i64::try_from(r).unwrap_or(if r < 0 { i64::MIN } else { i64::MAX }))
}

/// `a.checked_mul(b)`.
#[inline]
pub fn cmul(a: I32F32, b: I32F32) -> Option<I32F32> {
    let (x, y) = (a.to_bits(), b.to_bits());
    if x.unsigned_abs().leading_zeros() + y.unsigned_abs().leading_zeros() >= 65 {
        return Some(I32F32::from_bits(x.wrapping_mul(y) >> 32));
    }
    i64::try_from((i128::from(x) * i128::from(y)) >> 32)
        .ok()
        .map(I32F32::from_bits)
}

/// `floor(r·2^32 / y)` for `r < y` (the result is below 2^32).
///
/// For `r ≥ 2^32` the quotient is estimated in f64 (off by at most one) and corrected exactly
/// with integer products.
#[inline]
fn frac_quot(r: u64, y: u64) -> u64 {
    if r < (1 << 32) {
        return (r << 32) / y;
    }
    if r == 1 << 32 {
        // floor(2^64 / y) for y > 2^32 (the reciprocals of the epoch): (2^64 − 1) / y, plus one
        // exactly when y divides 2^64.
        return u64::MAX / y + u64::from(y.is_power_of_two());
    }
    let num = u128::from(r) << 32;
    let yy = u128::from(y);
    let mut q = (r as f64 * 4_294_967_296.0 / y as f64) as u64;
    let mut prod = u128::from(q) * yy;
    while prod > num {
        q -= 1;
        prod -= yy;
    }
    while num - prod >= yy {
        q += 1;
        prod += yy;
    }
    q
}

/// `a.checked_div(b)`: the quotient truncated toward zero, `None` on a zero divisor or overflow.
/// Non-negative dividends over positive divisors (everything the epoch divides) avoid i128.
#[inline]
pub fn cdiv(a: I32F32, b: I32F32) -> Option<I32F32> {
    let (x, y) = (a.to_bits(), b.to_bits());
    if y > 0 && x >= 0 {
        let (x, y) = (x as u64, y as u64);
        if y & 0xFFFF_FFFF == 0 {
            // Integer-valued divisor (sums of raw u16 weights, 65535): x·2^32 / (Y·2^32) = x / Y.
            return i64::try_from(x / (y >> 32)).ok().map(I32F32::from_bits);
        }
        if x < y {
            return Some(I32F32::from_bits(frac_quot(x, y) as i64));
        }
        let int = x / y;
        if int >= 1 << 31 {
            return None;
        }
        let q = (int << 32) | frac_quot(x % y, y);
        return Some(I32F32::from_bits(q as i64));
    }
    a.checked_div(b)
}

/// `safe_div`: [`cdiv`] or 0.
#[inline]
pub fn sdiv(a: I32F32, b: I32F32) -> I32F32 {
    cdiv(a, b).unwrap_or(I32F32::from_bits(0))
}

/// `substrate_fixed::transcendental::exp::<I32F32, I32F32>`, same bits, `None` where it errs: the
/// Maclaurin series over `i = 2..32` with every term truncated to I32F32 (stopping once a term
/// is 0, after which nothing changes), then `1 / result` for negative inputs.
pub fn exp_i32f32(x: I32F32) -> Option<I32F32> {
    const E_BITS: i64 = 11_674_931_200; // I9F23 e widened to I32F32, what the crate returns for 1
    let bits = x.to_bits();
    if bits == 0 {
        return Some(I32F32::from_bits(ONE_BITS));
    }
    if bits == ONE_BITS {
        return Some(I32F32::from_bits(E_BITS));
    }
    let neg = bits < 0;
    let operand = if neg {
        I32F32::from_bits(bits.checked_neg()?)
    } else {
        x
    };
    let mut result = operand.checked_add(I32F32::from_bits(ONE_BITS))?;
    let mut term = operand;
    // One series step per literal divisor, so each `/ i` is a constant division (no idiv).
    // term / I32F32(i) = ((t << 32) / (i << 32)) truncated = t / i truncated.
    macro_rules! steps {
        ($($i:literal)*) => {'series: {$(
            term = cmul(term, operand)?;
            term = I32F32::from_bits(term.to_bits() / $i);
            if term.to_bits() == 0 {
                break 'series;
            }
            result = result.checked_add(term)?;
        )*}};
    }
    steps!(2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
    if neg {
        result = cdiv(I32F32::from_bits(ONE_BITS), result)?;
    }
    Some(result)
}

// Unit tests use proptest, which has no wasm32-unknown-unknown backend: native only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use substrate_fixed::transcendental::exp;

    fn small() -> impl Strategy<Value = i64> {
        prop_oneof![
            0..=(1i64 << 32),
            Just(0),
            Just(1i64 << 32),
            -(1i64 << 34)..(1i64 << 34),
            -(1i64 << 40)..(1i64 << 40),
            any::<i64>(),
            0..=(1i64 << 33)
        ]
    }

    proptest! {
        #[test]
        fn smul_matches_crate(x in small(), y in small()) {
            let (a, b) = (I32F32::from_bits(x), I32F32::from_bits(y));
            prop_assert_eq!(smul(a, b), a.saturating_mul(b));
            prop_assert_eq!(cmul(a, b), a.checked_mul(b));
        }

        #[test]
        fn sadd_ssub_match_crate(x in any::<i64>(), y in any::<i64>()) {
            let (a, b) = (I32F32::from_bits(x), I32F32::from_bits(y));
            prop_assert_eq!(a.sadd(b), a.saturating_add(b));
            prop_assert_eq!(a.ssub(b), a.saturating_sub(b));
        }

        #[test]
        fn cdiv_matches_crate(x in small(), y in small()) {
            let (a, b) = (I32F32::from_bits(x), I32F32::from_bits(y));
            prop_assert_eq!(cdiv(a, b), a.checked_div(b));
        }

        #[test]
        fn cdiv_matches_crate_on_wide_ranges(x in 0i64..(1i64 << 62), y in 1i64..(1i64 << 62), shift in 0u32..62) {
            let (a, b) = (I32F32::from_bits(x >> shift), I32F32::from_bits(y));
            prop_assert_eq!(cdiv(a, b), a.checked_div(b));
            let (a, b) = (I32F32::from_bits(x), I32F32::from_bits((y >> shift).max(1)));
            prop_assert_eq!(cdiv(a, b), a.checked_div(b));
        }

        #[test]
        fn reciprocal_matches_crate(y in (1i64 << 32)..i64::MAX, shift in 0u32..31) {
            let one = I32F32::from_bits(ONE_BITS);
            let b = I32F32::from_bits(y >> shift);
            prop_assert_eq!(cdiv(one, b), one.checked_div(b));
            let p = I32F32::from_bits(1i64 << (33 + shift));
            prop_assert_eq!(cdiv(one, p), one.checked_div(p));
        }

        #[test]
        fn exp_matches_crate(x in -(25i64 << 32)..(25i64 << 32)) {
            let a = I32F32::from_bits(x);
            prop_assert_eq!(exp_i32f32(a), exp::<I32F32, I32F32>(a).ok());
        }
    }

    #[test]
    fn edge_cases_match_crate() {
        let one = I32F32::from_bits(ONE_BITS);
        for y in [1i64, 2, 3, 1 << 32, (1 << 32) + 1, 1 << 33, i64::MAX, -1, 0] {
            let b = I32F32::from_bits(y);
            assert_eq!(cdiv(one, b), one.checked_div(b), "1 / {y}");
            assert_eq!(
                cdiv(I32F32::from_bits(ONE_BITS - 1), b),
                I32F32::from_bits(ONE_BITS - 1).checked_div(b)
            );
        }
        for x in [
            0i64,
            1,
            -1,
            ONE_BITS,
            -ONE_BITS,
            20 << 32,
            -(20 << 32),
            21 << 32,
            -(21 << 32),
            i64::MIN,
            i64::MAX,
        ] {
            let a = I32F32::from_bits(x);
            assert_eq!(exp_i32f32(a), exp::<I32F32, I32F32>(a).ok(), "exp({x})");
        }
    }
}
