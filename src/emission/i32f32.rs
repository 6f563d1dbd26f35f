//! substrate-fixed 0.6.0's `ln` and `exp` on `I32F32` (the chain's `safe_pow`, [`super::flow`]),
//! step for step on the raw `i64` bits.
//!
//! The emission gate runs `safe_pow` for every subnet every block. The library's generic code
//! divides every series term in 128 bits (`checked_div` by `i` as a fixed number); here the
//! same operations are written out on the bits: `checked_mul` is `(a · (b << 32)) >> 64` with the
//! library's 128-bit overflow test, `checked_div` by the integer `i` is `trunc(t / i)` (the two
//! `2^32` scalings cancel exactly), and `log2`'s integer part counts the library's rounding
//! halvings (`rs`). Every result, error included, is the library's: `tests` compares both on
//! edge values and on pseudo-random inputs over the whole `i64` range.

use crate::fixed::wide;
use substrate_fixed::transcendental::{E, LOG2_E};
use substrate_fixed::types::I32F32;

const FRAC: u32 = 32;
const ONE: i64 = 1 << FRAC;
const TWO: i64 = 2 << FRAC;

/// `I32F32::checked_mul` (`mul_overflow`: `a · (b << 32)` in `i128`, overflowing when outside
/// `[-2^127, 2^127)`, then `>> 64`). With `p = a · b` (exact in `i128`) that is: overflow when
/// `p` is outside `[-2^95, 2^95)`, else `p >> 32`.
fn checked_mul(a: i64, b: i64) -> Option<i64> {
    const LIMIT: i128 = 1 << 95;
    if let (Ok(x), Ok(y)) = (i32::try_from(a), i32::try_from(b)) {
        // Both below 2^31 in magnitude: the product fits `i64` and cannot overflow.
        return Some((i64::from(x) * i64::from(y)) >> FRAC);
    }
    let p = wide::mul_wide_i64(a, b);
    if (-LIMIT..LIMIT).contains(&p) {
        Some((p >> FRAC) as i64)
    } else {
        None
    }
}

/// [`checked_mul`] for `a, b ≥ 0` (the terms of [`exp`]). When the product is below `2^94` (so
/// no overflow) it is formed from 32-bit halves in `u64`, without a 128-bit value:
/// `(a·b) >> 32 = ah·bh·2^32 + ah·bl + al·bh + (al·bl >> 32)`, every other part of `a·b` being a
/// multiple of `2^32`, and each partial sum below the result `< 2^62`.
#[inline]
fn positive_mul(a: i64, b: i64) -> Option<i64> {
    debug_assert!(a >= 0 && b >= 0);
    let (ua, ub) = (a as u64, b as u64);
    if (64 - ua.leading_zeros()) + (64 - ub.leading_zeros()) > 94 {
        return checked_mul(a, b);
    }
    const LO: u64 = (1 << FRAC) - 1;
    let (ah, al) = (ua >> FRAC, ua & LO);
    let (bh, bl) = (ub >> FRAC, ub & LO);
    Some(
        ((ah * bh) << FRAC) as i64
            + (ah * bl) as i64
            + (al * bh) as i64
            + ((al * bl) >> FRAC) as i64,
    )
}

/// `I32F32::checked_div` (`div_overflow`: `(a << 32) / b` truncated, `None` when it leaves `i64`).
fn checked_div(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    let quot2 = wide::div_i128(i128::from(a) << FRAC, i128::from(b));
    let quot = quot2 as i64;
    let sign = if quot < 0 { -1 } else { 0 };
    if quot2 >> 64 != sign {
        None
    } else {
        Some(quot)
    }
}

/// `rs`: `(x >> 1) + (x & lsb)`.
fn rs(x: i64) -> i64 {
    (x >> 1) + (x & 1)
}

/// `log2_inner` for `x ≥ 1`.
fn log2_inner(mut x: i64) -> i64 {
    let mut result = 0i64;
    while x >= TWO {
        result += 1;
        x = rs(x);
    }
    if x == ONE {
        return result << FRAC;
    }
    for _ in 0..FRAC {
        // `x *= x` with 1 ≤ x < 2: `(x · (x << 32)) >> 64` is `x² >> 32`, no overflow. With
        // `x = 1 + f` (`f` the 32 fraction bits) that is exactly `1 + 2f + (f² >> 32)`: every
        // other part of `x²` is a multiple of 2^32, and `f²` fits 64 bits (no 128-bit product).
        // (`x` stays below 2 here; the 128-bit product covers anything else.)
        let f = (x - ONE) as u64;
        x = if f >> FRAC == 0 {
            ONE + 2 * f as i64 + ((f * f) >> FRAC) as i64
        } else {
            (wide::mul_wide_i64(x, x) >> FRAC) as i64
        };
        result <<= 1;
        if x >= TWO {
            result |= 1;
            x = rs(x);
        }
    }
    result
}

/// `transcendental::ln::<I32F32, I32F32>`.
pub fn ln(operand: I32F32) -> Result<I32F32, ()> {
    let x = operand.to_bits();
    if x <= 0 {
        return Err(());
    }
    let log2 = if x < ONE {
        let inverse = checked_div(ONE, x).ok_or(())?;
        log2_inner(inverse).wrapping_neg()
    } else {
        log2_inner(x)
    };
    // `/ D::from(LOG2_E)`: `(a << 32) / b` truncated (the quotient always fits).
    let log2_e = I32F32::from(LOG2_E).to_bits();
    Ok(I32F32::from_bits(
        wide::div_i128(i128::from(log2) << FRAC, i128::from(log2_e)) as i64,
    ))
}

/// `transcendental::exp::<I32F32, I32F32>`.
pub fn exp(operand: I32F32) -> Result<I32F32, ()> {
    let mut x = operand.to_bits();
    if x == 0 {
        return Ok(I32F32::from_num(1));
    }
    if x == ONE {
        return Ok(I32F32::from(E));
    }
    let neg = x < 0;
    if neg {
        x = x.checked_neg().ok_or(())?;
    }
    let mut result = x.checked_add(ONE).ok_or(())?;
    let mut term = x;
    for i in 2..i64::from(FRAC) {
        if term == 0 {
            // Every later term is 0 and adds nothing (no step can fail on a 0 term).
            break;
        }
        term = positive_mul(term, x).ok_or(())?;
        // `checked_div(D::from_num(i))`: (t << 32) / (i << 32), truncated, is t / i.
        term /= i;
        result = result.checked_add(term).ok_or(())?;
    }
    if neg {
        result = checked_div(ONE, result).ok_or(())?;
    }
    Ok(I32F32::from_bits(result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use substrate_fixed::transcendental;

    fn lib_ln(x: I32F32) -> Result<I32F32, ()> {
        transcendental::ln::<I32F32, I32F32>(x)
    }

    fn lib_exp(x: I32F32) -> Result<I32F32, ()> {
        transcendental::exp::<I32F32, I32F32>(x)
    }

    fn inputs(n: usize) -> Vec<i64> {
        let mut v = vec![
            0,
            1,
            2,
            3,
            -1,
            -2,
            ONE,
            ONE - 1,
            ONE + 1,
            -ONE,
            TWO,
            i64::MAX,
            i64::MIN,
        ];
        for k in 0..63 {
            for d in [-2i64, -1, 0, 1, 2] {
                let b = (1i64 << k).saturating_add(d);
                v.push(b);
                v.push(b.wrapping_neg());
            }
        }
        let mut next = crate::fixed::splitmix(0x0ddb_1a5e_5bad_5eed_u64);
        for _ in 0..n {
            let z = next();
            // Spread the magnitudes: shift by 0..63 so small and large values are both common.
            v.push((z as i64) >> (z % 64));
        }
        v
    }

    #[test]
    fn positive_product_is_the_checked_one() {
        let mut next = crate::fixed::splitmix(0x0e4b_9a11u64);
        for _ in 0..400_000 {
            let (a, b) = (
                ((next() >> 1) >> (next() % 63)) as i64,
                ((next() >> 1) >> (next() % 63)) as i64,
            );
            assert_eq!(positive_mul(a, b), checked_mul(a, b), "{a} × {b}");
        }
        for (a, b) in [
            (0, 0),
            (i64::MAX, 1),
            (1 << 47, 1 << 47),
            ((1 << 47) - 1, 1 << 47),
        ] {
            assert_eq!(positive_mul(a, b), checked_mul(a, b), "{a} × {b}");
        }
    }

    #[test]
    fn ln_matches_substrate_fixed() {
        for b in inputs(200_000) {
            let x = I32F32::from_bits(b);
            assert_eq!(ln(x), lib_ln(x), "ln bits {b}");
        }
    }

    #[test]
    fn exp_matches_substrate_fixed() {
        for b in inputs(200_000) {
            let x = I32F32::from_bits(b);
            assert_eq!(exp(x), lib_exp(x), "exp bits {b}");
        }
    }

    /// The gate's arguments: `h · ln(θ/s)` for ratios near 1 and exponents up to 8.
    #[test]
    fn gate_range_matches_substrate_fixed() {
        let mut b = 1i64;
        while b < (64i64 << FRAC) {
            let x = I32F32::from_bits(b);
            assert_eq!(ln(x), lib_ln(x), "ln bits {b}");
            for s in [b, -b, b / 3, -(b / 3)] {
                let y = I32F32::from_bits(s);
                assert_eq!(exp(y), lib_exp(y), "exp bits {s}");
            }
            b += 1 + b / 997;
        }
    }
}
