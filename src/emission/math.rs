//! Small numeric helpers the coinbase needs: the chain's fixed-point idioms (`safe_div`,
//! normalised u16/u64 parameters, `checked_sqrt`), 256-bit `mul_div` for the balancer's weight
//! update, Perquintill-style rational rounding, and a high-precision `ln`/`exp` used only by the
//! approximate (non-0.5-weight) path of the built-in balancer pool.
//!
//! Sources: `primitives/safe-math/src/lib.rs` (`safe_div`, `checked_sqrt`) and
//! `pallets/swap/src/pallet/balancer.rs` (`mul_perquintill_round`) of opentensor/subtensor @ 14bc6f9.

use crate::fixed::wide;
use substrate_fixed::types::{I64F64, U64F64, U96F32};

/// `U96F32::saturating_from_num(x)` for a u64 amount.
pub fn u96(x: u64) -> U96F32 {
    U96F32::saturating_from_num(x)
}

/// The chain's `tou64!`: truncate toward zero and saturate.
pub fn tou64(x: U96F32) -> u64 {
    x.saturating_to_num::<u64>()
}

/// `a.safe_div(b)` for U96F32: division by zero (or an overflowing quotient) gives 0.
///
/// The quotient is `floor(a_bits·2^32 / b_bits)`; when `a < 2^64` (every amount the coinbase
/// divides) the shifted dividend fits 128 bits and the quotient cannot overflow, so one `u128`
/// division gives it without the library's 256-bit long division (`tests` compare both).
pub fn div96(a: U96F32, b: U96F32) -> U96F32 {
    let (x, y) = (a.to_bits(), b.to_bits());
    if y != 0 && x >> 96 == 0 {
        return U96F32::from_bits(wide::div(x << 32, y));
    }
    a.checked_div(b).unwrap_or_else(|| U96F32::from_num(0))
}

/// `a.safe_div(b)` for U64F64. As [`div96`]: when `a < 1` (shares, the gate bar) the quotient
/// `floor(a_bits·2^64 / b_bits)` is one `u128` division; for `a = 1` (the gate factor) and
/// `b > 1` it is `floor(2^128 / b)`, which is `floor((2^128 − 1) / b)` plus one exactly when `b`
/// divides 2^128 (a power of two).
pub fn div64(a: U64F64, b: U64F64) -> U64F64 {
    let (x, y) = (a.to_bits(), b.to_bits());
    if y != 0 && x >> 64 == 0 {
        return U64F64::from_bits(wide::div(x << 64, y));
    }
    if x == 1 << 64 && y > 1 {
        let q = wide::div(u128::MAX, y);
        return U64F64::from_bits(if y.is_power_of_two() { q + 1 } else { q });
    }
    a.checked_div(b).unwrap_or_else(|| U64F64::from_num(0))
}

/// A u64-normalised parameter (`TaoWeight`, `CKBurn`, child proportions): `U96F32(v) / U96F32(u64::MAX)`.
/// This is a fixed-point division, so `u64::MAX` maps to exactly 1 but other values are not `v / 2^64`.
pub fn u64_fraction(v: u64) -> U96F32 {
    // Both operands carry the 2^32 scale, so the quotient `floor(v·2^32·2^32 / (MAX·2^32))` is
    // `floor(v·2^32 / MAX)` (`tests`). With `M = 2^64 − 1` and `N = v·2^32 < 2^96`, `q0 = N >> 64`
    // leaves `N − q0·M = (N mod 2^64) + q0 < 2M`: the quotient is `q0`, or `q0 + 1` when that
    // remainder reaches `M`. No division.
    let n = u128::from(v) << 32;
    let q0 = n >> 64;
    let rest = (n & u128::from(u64::MAX)) + q0;
    U96F32::from_bits(q0 + u128::from(rest >= u128::from(u64::MAX)))
}

/// A u16-normalised parameter (owner cut, takes): `U96F32(v) / U96F32(65535)`.
pub fn u16_fraction(v: u16) -> U96F32 {
    div96(
        U96F32::saturating_from_num(v),
        U96F32::saturating_from_num(u16::MAX),
    )
}

/// safe-math `checked_sqrt` for U64F64: bisection until `|x/mid - mid| <= epsilon`, at most 128
/// iterations (the chain's own algorithm, so the result carries its rounding).
pub fn checked_sqrt_u64f64(x: U64F64, epsilon: U64F64) -> U64F64 {
    let zero = U64F64::from_num(0);
    let one = U64F64::from_num(1);
    let two = U64F64::from_num(2);
    let (mut high, mut low) = if x > one { (x, zero) } else { (one, x) };
    let mut middle = div64(high.saturating_add(low), two);
    let mut check = div64(x, middle);
    let mut iteration = 0u32;
    while abs_diff64(check, middle) > epsilon {
        if check < middle {
            high = middle;
        } else {
            low = middle;
        }
        middle = div64(high.saturating_add(low), two);
        check = div64(x, middle);
        iteration = iteration.saturating_add(1);
        if iteration > 128 {
            break;
        }
    }
    middle
}

fn abs_diff64(a: U64F64, b: U64F64) -> U64F64 {
    if a >= b {
        a.saturating_sub(b)
    } else {
        b.saturating_sub(a)
    }
}

/// An unsigned 256-bit value as (high, low) 128-bit halves; only what `mul_div` needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct U256 {
    hi: u128,
    lo: u128,
}

impl U256 {
    /// Exact product of two u128 values.
    fn mul(a: u128, b: u128) -> U256 {
        const MASK: u128 = (1u128 << 64) - 1;
        let (a1, a0) = (a >> 64, a & MASK);
        let (b1, b0) = (b >> 64, b & MASK);
        // Each partial product of 64-bit halves fits in u128.
        let p00 = a0.wrapping_mul(b0);
        let p01 = a0.wrapping_mul(b1);
        let p10 = a1.wrapping_mul(b0);
        let p11 = a1.wrapping_mul(b1);
        let (mid, mid_carry) = p01.overflowing_add(p10);
        let (lo, lo_carry) = p00.overflowing_add(mid << 64);
        let hi = p11
            .wrapping_add(mid >> 64)
            .wrapping_add(if mid_carry { 1u128 << 64 } else { 0 })
            .wrapping_add(u128::from(lo_carry));
        U256 { hi, lo }
    }

    /// `self + x`, saturating at 2^256 - 1.
    fn add(self, x: u128) -> U256 {
        let (lo, carry) = self.lo.overflowing_add(x);
        if carry {
            match self.hi.checked_add(1) {
                Some(hi) => U256 { hi, lo },
                None => U256 {
                    hi: u128::MAX,
                    lo: u128::MAX,
                },
            }
        } else {
            U256 { hi: self.hi, lo }
        }
    }

    /// `floor(self / d)`, or `None` when `d == 0` or the quotient does not fit in u128.
    fn div(self, d: u128) -> Option<u128> {
        if d == 0 {
            return None;
        }
        if self.hi == 0 {
            return self.lo.checked_div(d);
        }
        if self.hi >= d {
            return None;
        }
        // Binary long division of the low half, with the high half as the running remainder.
        let mut rem = self.hi;
        let mut quot: u128 = 0;
        for i in (0..128).rev() {
            let carry = rem >> 127;
            rem = (rem << 1) | ((self.lo >> i) & 1);
            quot <<= 1;
            if carry == 1 || rem >= d {
                rem = rem.wrapping_sub(d);
                quot |= 1;
            }
        }
        Some(quot)
    }
}

/// `floor(a * b / c)` computed exactly in 256 bits; `None` when `c == 0` or the result overflows u128.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    U256::mul(a, b).div(c)
}

/// `round_half_up(a * b / c)` computed exactly (the balancer's `mul_perquintill_round` with
/// `c = 10^18`): `(a*b + c/2) / c`, saturated at `u128::MAX`.
pub fn mul_div_round(a: u128, b: u128, c: u128) -> u128 {
    U256::mul(a, b).add(c / 2).div(c).unwrap_or(u128::MAX)
}

/// The I64F64 value of `ln(2)` (bits = round(ln 2 * 2^64)).
const LN2: I64F64 = I64F64::from_bits(12_786_308_645_202_655_660);

/// Natural log of a positive I64F64, accurate to ~1e-18 (argument reduction by powers of two,
/// then the `atanh` series). `None` for `x <= 0`.
pub fn ln_i64f64(x: I64F64) -> Option<I64F64> {
    let zero = I64F64::from_num(0);
    let one = I64F64::from_num(1);
    let half = I64F64::from_bits(1i128 << 63);
    if x <= zero {
        return None;
    }
    // Bring m into [0.5, 1): x = m * 2^k.
    let mut m = x;
    let mut k: i32 = 0;
    while m >= one {
        m = I64F64::from_bits(m.to_bits() >> 1);
        k = k.saturating_add(1);
    }
    while m < half {
        m = I64F64::from_bits(m.to_bits() << 1);
        k = k.saturating_sub(1);
    }
    // ln m = 2 * atanh(s), s = (m - 1) / (m + 1), |s| <= 1/3.
    let s = m.saturating_sub(one).checked_div(m.saturating_add(one))?;
    let s2 = s.saturating_mul(s);
    let mut term = s;
    let mut sum = zero;
    let mut n: i32 = 1;
    while n < 90 {
        let add = term.checked_div(I64F64::from_num(n))?;
        if add == zero {
            break;
        }
        sum = sum.saturating_add(add);
        term = term.saturating_mul(s2);
        n = n.saturating_add(2);
    }
    let ln_m = sum.saturating_mul(I64F64::from_num(2));
    Some(ln_m.saturating_add(LN2.saturating_mul(I64F64::from_num(k))))
}

/// `e^y` for an I64F64 `y`, accurate to ~1e-18 relative (reduction by multiples of ln 2, then a
/// Taylor series). `None` on overflow.
pub fn exp_i64f64(y: I64F64) -> Option<I64F64> {
    let zero = I64F64::from_num(0);
    let one = I64F64::from_num(1);
    // k = floor(y / ln2); f = y - k ln2 in [0, ln2).
    let k_fixed = y.checked_div(LN2)?.floor();
    let k: i32 = k_fixed.saturating_to_num::<i32>();
    let f = y.saturating_sub(LN2.saturating_mul(k_fixed));
    let mut term = one;
    let mut sum = one;
    let mut i: i32 = 1;
    while i < 40 {
        term = term.saturating_mul(f).checked_div(I64F64::from_num(i))?;
        if term == zero {
            break;
        }
        sum = sum.saturating_add(term);
        i = i.saturating_add(1);
    }
    if k >= 0 {
        if k >= 62 {
            return None;
        }
        let bits = sum.to_bits().checked_shl(k.unsigned_abs())?;
        if bits >> k.unsigned_abs() != sum.to_bits() {
            return None;
        }
        Some(I64F64::from_bits(bits))
    } else {
        let shift = k.unsigned_abs();
        if shift >= 127 {
            return Some(zero);
        }
        Some(I64F64::from_bits(sum.to_bits() >> shift))
    }
}

/// `floor(scale * (num / den)^(e_num / e_den))` approximated through [`ln_i64f64`] /
/// [`exp_i64f64`]; `None` on overflow or a zero denominator.
///
/// This stands in for safe-bigmath's `pow_ratio_scaled` only where the reduced exponent is not
/// 1/1 (see `BalancerPool`); it is accurate to about 1e-15 relative, not bit-exact.
pub fn pow_ratio_scaled_approx(
    num: u128,
    den: u128,
    e_num: u128,
    e_den: u128,
    scale: u128,
) -> Option<u128> {
    if den == 0 || e_den == 0 {
        return None;
    }
    if num == 0 {
        return Some(0);
    }
    // ln(num/den) = ln(num) - ln(den), each taken on a value scaled into I64F64 range.
    let ln_num = ln_u128(num)?;
    let ln_den = ln_u128(den)?;
    let ratio_ln = ln_num.saturating_sub(ln_den);
    let exponent = I64F64::from_num(e_num).checked_div(I64F64::from_num(e_den))?;
    let y = ratio_ln.checked_mul(exponent)?;
    let scale_ln = ln_u128(scale)?;
    let value = exp_i64f64(y.saturating_add(scale_ln))?;
    if value < I64F64::from_num(0) {
        return None;
    }
    Some(value.saturating_to_num::<u128>())
}

/// `ln` of a positive u128 as I64F64 (handles values above the I64F64 integer range).
fn ln_u128(v: u128) -> Option<I64F64> {
    if v == 0 {
        return None;
    }
    let bits = 128u32.saturating_sub(v.leading_zeros());
    // Shift down so the value fits comfortably in I64F64 (< 2^62), remembering the shift.
    let shift = bits.saturating_sub(62);
    let reduced = v >> shift;
    let x = I64F64::from_num(reduced);
    let ln_reduced = ln_i64f64(x)?;
    Some(ln_reduced.saturating_add(LN2.saturating_mul(I64F64::from_num(shift))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_div_matches_u128_when_small() {
        assert_eq!(mul_div_floor(10, 20, 3), Some(66));
        assert_eq!(mul_div_floor(u128::MAX, 2, 4), Some(u128::MAX / 2));
        assert_eq!(
            mul_div_floor(u128::MAX, u128::MAX, u128::MAX),
            Some(u128::MAX)
        );
        assert_eq!(mul_div_floor(u128::MAX, 3, 2), None);
        assert_eq!(mul_div_floor(5, 5, 0), None);
        assert_eq!(mul_div_round(5, 1, 2), 3);
        assert_eq!(mul_div_round(4, 1, 3), 1);
    }

    #[test]
    fn fractions() {
        assert_eq!(u64_fraction(u64::MAX), U96F32::from_num(1));
        assert_eq!(
            u64_fraction(3_320_413_933_267_719_290).to_bits(),
            773_094_113
        );
        assert_eq!(u16_fraction(u16::MAX), U96F32::from_num(1));
        assert_eq!(u16_fraction(0), U96F32::from_num(0));
    }

    /// The one-division forms of [`div64`] and [`div96`] are the library's `checked_div`.
    #[test]
    fn short_divisions_are_the_library_division() {
        let mut next = crate::fixed::splitmix(5u64);
        let mut vs = vec![
            0u128,
            1,
            2,
            u128::MAX,
            1 << 64,
            (1 << 64) - 1,
            1 << 96,
            (1 << 96) - 1,
        ];
        for _ in 0..3000 {
            let v = (u128::from(next()) << 64) | u128::from(next());
            vs.push(v >> (next() % 128));
        }
        for k in 0..128 {
            for d in [-1i128, 0, 1] {
                vs.push((1u128 << k).wrapping_add_signed(d));
            }
        }
        let one = U64F64::from_num(1);
        for &b in &vs {
            let want = one
                .checked_div(U64F64::from_bits(b))
                .unwrap_or_else(|| U64F64::from_num(0));
            assert_eq!(div64(one, U64F64::from_bits(b)), want, "1 / {b}");
        }
        for (i, &a) in vs.iter().enumerate() {
            for &b in vs.iter().skip(i % 53).step_by(53) {
                let want64 = U64F64::from_bits(a)
                    .checked_div(U64F64::from_bits(b))
                    .unwrap_or_else(|| U64F64::from_num(0));
                assert_eq!(div64(U64F64::from_bits(a), U64F64::from_bits(b)), want64);
                let want96 = U96F32::from_bits(a)
                    .checked_div(U96F32::from_bits(b))
                    .unwrap_or_else(|| U96F32::from_num(0));
                assert_eq!(div96(U96F32::from_bits(a), U96F32::from_bits(b)), want96);
            }
        }
    }

    /// The integer form of [`u64_fraction`] is the fixed-point division it replaced.
    #[test]
    fn u64_fraction_is_the_fixed_division() {
        let mut next = crate::fixed::splitmix(3u64);
        let mut vs = vec![0u64, 1, 2, u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1];
        for _ in 0..20_000 {
            let z = next();
            vs.push(z >> (z % 64));
        }
        for v in vs {
            let want = u96(v).checked_div(u96(u64::MAX));
            assert_eq!(Some(u64_fraction(v)), want, "{v}");
        }
    }

    #[test]
    fn ln_exp_roundtrip() {
        let two = I64F64::from_num(2);
        let l = ln_i64f64(two).unwrap_or_default();
        assert!((l - LN2).abs() < I64F64::from_num(1e-17));
        let e = exp_i64f64(I64F64::from_num(1)).unwrap_or_default();
        assert!((e - I64F64::from_num(core::f64::consts::E)).abs() < I64F64::from_num(1e-15));
        let r = pow_ratio_scaled_approx(1, 4, 1, 2, 1_000_000_000_000_000_000).unwrap_or(0);
        assert!((r as i128 - 500_000_000_000_000_000).abs() < 1000);
    }

    #[test]
    fn sqrt_bisection() {
        let eps = div64(U64F64::from_num(1), U64F64::from_num(1000));
        let r = checked_sqrt_u64f64(U64F64::from_num(16), eps);
        assert!((r.to_num::<f64>() - 4.0).abs() < 1e-3);
    }
}
