//! 128-bit integer division and products, fast on wasm32.
//!
//! wasm has 64-bit integer instructions but no `64 × 64 → 128` product and no `128 / 64`
//! division, so on wasm32 every `u128` product is a call to compiler-builtins' `__multi3` and
//! every `u128` division a call to its generic `u128_div_rem` (which itself calls `__multi3`).
//! A wasm profile of the 128-subnet network block (`node --cpu-prof`, README "Goals") put about
//! 40 % of the block in those calls, from the fixed-point quotients (`U64F64` ratios, prices,
//! the gate) and products of the coinbase.
//!
//! The routines below give the same integers as the operators and are used where the operators
//! were hot:
//! * [`div_rem`] (`u128 / u128`): the schoolbook division of Knuth's algorithm D with 32-bit
//!   digits for a 64-bit divisor (two estimated digits, each corrected at most twice), and for
//!   a wider divisor one `128 / 64` estimate of the normalised top word, which is the true
//!   quotient or one more (Hacker's Delight, ch. 9), fixed with one multiply-back;
//! * [`mul_wide`] (`u64 × u64 → u128`) from four `32 × 32` products;
//! * [`mul_u64f64`], `U64F64 × U64F64` floored and saturated as substrate-fixed's
//!   `saturating_mul` does, from four [`mul_wide`] products.
//!
//! On other targets the native operators are faster (x86-64 has the wide `mul` and `div`), so
//! the public functions use them there; the portable code is still compiled and tested on every
//! target against the operators (the `portable_*` functions) and, in the wasm test target, on
//! wasm itself.

use substrate_fixed::types::{U64F64, U96F32};

const LO32: u64 = 0xFFFF_FFFF;

/// `(hi·2^64 + lo) / d` and the remainder, for `hi < d` (so the quotient fits 64 bits).
#[inline]
fn div_128_by_64(hi: u64, lo: u64, d: u64) -> (u64, u64) {
    debug_assert!(hi < d);
    let s = d.leading_zeros();
    let d = d << s;
    let (d1, d0) = (d >> 32, d & LO32);
    // The dividend shifted by `s` (its top word still below `d`, so nothing is lost).
    let top = if s == 0 {
        hi
    } else {
        (hi << s) | (lo >> (64 - s))
    };
    let low = lo << s;
    let (n1, n0) = (low >> 32, low & LO32);
    let (q1, rest) = digit(top, n1, d, d1, d0);
    let (q0, rem) = digit(rest, n0, d, d1, d0);
    ((q1 << 32) | q0, rem >> s)
}

/// One 32-bit quotient digit of `(top·2^32 + next) / d` (`top < d`, `d` normalised), with the
/// remainder. The estimate `top / d1` is at most two above the digit (Knuth, 4.3.1 Theorem B).
#[inline]
fn digit(top: u64, next: u64, d: u64, d1: u64, d0: u64) -> (u64, u64) {
    let mut q = top / d1;
    let mut r = top - q * d1;
    while q > LO32 || q * d0 > ((r << 32) | next) {
        q -= 1;
        r += d1;
        if r > LO32 {
            break;
        }
    }
    // The true remainder is below `d < 2^64`; the wrapped arithmetic gives it exactly.
    let rem = (top << 32 | next).wrapping_sub(q.wrapping_mul(d));
    (q, rem)
}

/// `u128` quotient and remainder by the portable algorithm (`d != 0`).
pub fn portable_div_rem(n: u128, d: u128) -> (u128, u128) {
    debug_assert!(d != 0);
    let (dh, dl) = ((d >> 64) as u64, d as u64);
    let (nh, nl) = ((n >> 64) as u64, n as u64);
    if dh == 0 {
        if nh < dl {
            let (q, r) = div_128_by_64(nh, nl, dl);
            return (u128::from(q), u128::from(r));
        }
        let (qh, rh) = (nh / dl, nh % dl);
        let (ql, r) = div_128_by_64(rh, nl, dl);
        return ((u128::from(qh) << 64) | u128::from(ql), u128::from(r));
    }
    if n < d {
        return (0, n);
    }
    // The quotient is below 2^64. Estimate it from the normalised top word of `d` and `n / 2`
    // (whose top word is then below that word); the estimate is the quotient or one more.
    let s = dh.leading_zeros();
    let v1 = top_word_shl(dh, dl, s);
    let half = n >> 1;
    let (q1, _) = div_128_by_64((half >> 64) as u64, half as u64, v1);
    // `(q1 · 2^s) >> 63` with `s ≤ 63`, in u64 (a variable u128 shift is a library call on wasm32).
    let mut q = q1 >> (63 - s);
    q = q.saturating_sub(1);
    let mut r = n - wide_times(q, d);
    if r >= d {
        q += 1;
        r -= d;
    }
    (u128::from(q), r)
}

/// The top word of `(hi·2^64 + lo) << s` for `s < 64`, in u64 arithmetic.
#[inline(always)]
fn top_word_shl(hi: u64, lo: u64, s: u32) -> u64 {
    if s == 0 {
        hi
    } else {
        (hi << s) | (lo >> (64 - s))
    }
}

/// `q · d` for a product known to fit 128 bits.
#[inline]
fn wide_times(q: u64, d: u128) -> u128 {
    let lo = portable_mul_wide(q, d as u64);
    let hi = q.wrapping_mul((d >> 64) as u64);
    lo.wrapping_add(u128::from(hi) << 64)
}

/// `a · b` as `u128` by the portable algorithm.
#[inline(always)]
pub fn portable_mul_wide(a: u64, b: u64) -> u128 {
    let (a1, a0) = (a >> 32, a & LO32);
    let (b1, b0) = (b >> 32, b & LO32);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 32) + (p01 & LO32) + (p10 & LO32);
    let lo = (p00 & LO32) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (u128::from(hi) << 64) | u128::from(lo)
}

/// `n / d` and `n % d` (`d != 0`; callers check, as for the operators).
#[inline]
pub fn div_rem(n: u128, d: u128) -> (u128, u128) {
    if cfg!(target_arch = "wasm32") {
        portable_div_rem(n, d)
    } else {
        (n / d, n % d)
    }
}

/// `n / d` (`d != 0`).
#[inline]
pub fn div(n: u128, d: u128) -> u128 {
    div_rem(n, d).0
}

/// `a · b` without overflow.
#[inline]
pub fn mul_wide(a: u64, b: u64) -> u128 {
    if cfg!(target_arch = "wasm32") {
        portable_mul_wide(a, b)
    } else {
        u128::from(a) * u128::from(b)
    }
}

/// `a · b` as `i128` (signed, exact).
#[inline]
pub fn mul_wide_i64(a: i64, b: i64) -> i128 {
    if cfg!(target_arch = "wasm32") {
        let p = portable_mul_wide(a.unsigned_abs(), b.unsigned_abs()) as i128;
        if (a < 0) != (b < 0) {
            p.wrapping_neg()
        } else {
            p
        }
    } else {
        i128::from(a) * i128::from(b)
    }
}

/// `n / d` truncated toward zero, as the operator (`d != 0`, and not `i128::MIN / -1`).
#[inline]
pub fn div_i128(n: i128, d: i128) -> i128 {
    if cfg!(target_arch = "wasm32") {
        let q = portable_div_rem(n.unsigned_abs(), d.unsigned_abs()).0 as i128;
        if (n < 0) != (d < 0) {
            q.wrapping_neg()
        } else {
            q
        }
    } else {
        n / d
    }
}

/// `floor((hi·2^128 + lo) / d)` when that quotient is below `2^64`, else `None` (also for
/// `d = 0`). For a divisor of two 64-bit words this is one step of Knuth's algorithm D with
/// 64-bit digits: the normalised top words give an estimate at most two above the quotient
/// (4.3.1 Theorem B), corrected by multiplying back; a one-word divisor (the dividend then
/// fits 128 bits) is [`div`].
pub fn div_256_to_u64(hi: u128, lo: u128, d: u128) -> Option<u64> {
    if d == 0 {
        return None;
    }
    if hi == 0 {
        return u64::try_from(div(lo, d)).ok();
    }
    let dh = (d >> 64) as u64;
    // The quotient fits 64 bits only when `N >> 64 < d`, which needs `hi < 2^64` and a
    // two-word divisor (with a one-word divisor `N ≥ 2^128 > d·2^64`).
    if dh == 0 || hi >> 64 != 0 {
        return None;
    }
    let top = (hi << 64) | (lo >> 64);
    if top >= d {
        return None;
    }
    let s = dh.leading_zeros();
    let dl = d as u64;
    let d1 = top_word_shl(dh, dl, s);
    let dn = (u128::from(d1) << 64) | u128::from(dl << s);
    // `N << s` in three words; `top << s < dn`, so nothing is lost from the top (word by word in
    // u64: a variable u128 shift is a library call on wasm32).
    let (t1, t0, low) = ((top >> 64) as u64, top as u64, lo as u64);
    let (n2, n1, n0) = (top_word_shl(t1, t0, s), top_word_shl(t0, low, s), low << s);
    let mut q = if n2 >= d1 {
        u64::MAX
    } else {
        div_128_by_64_any(n2, n1, d1)
    };
    let (nh, nl) = (u128::from(n2), (u128::from(n1) << 64) | u128::from(n0));
    loop {
        if mul_256(dn, u128::from(q)) <= (nh, nl) {
            return Some(q);
        }
        q -= 1;
    }
}

/// `(hi·2^64 + lo) / d` for `hi < d`: the portable digits on wasm32, the operator elsewhere.
#[inline]
fn div_128_by_64_any(hi: u64, lo: u64, d: u64) -> u64 {
    if cfg!(target_arch = "wasm32") {
        div_128_by_64(hi, lo, d).0
    } else {
        (((u128::from(hi) << 64) | u128::from(lo)) / u128::from(d)) as u64
    }
}

/// The 256-bit product `a · b` as `(high, low)` halves.
#[inline(always)]
pub fn mul_256(a: u128, b: u128) -> (u128, u128) {
    let (ah, al) = ((a >> 64) as u64, a as u64);
    let (bh, bl) = ((b >> 64) as u64, b as u64);
    let low = mul_wide(al, bl);
    if ah == 0 && bh == 0 {
        return (0, low);
    }
    let (mid, carry_mid) = mul_wide(al, bh).overflowing_add(mul_wide(ah, bl));
    let (lo, carry_lo) = low.overflowing_add(mid << 64);
    let hi = mul_wide(ah, bh)
        .wrapping_add(mid >> 64)
        .wrapping_add(u128::from(carry_mid) << 64)
        .wrapping_add(u128::from(carry_lo));
    (hi, lo)
}

/// `a · b / 2^frac` floored, or `None` when it does not fit 128 bits (`0 < frac < 128`): the
/// product of two unsigned fixed-point numbers with `frac` fractional bits.
#[inline(always)]
fn mul_fixed(a: u128, b: u128, frac: u32) -> Option<u128> {
    let (hi, lo) = mul_256(a, b);
    (hi >> frac == 0).then(|| (hi << (128 - frac)) | (lo >> frac))
}

/// `U64F64 × U64F64`, floored, saturating at the maximum: substrate-fixed's `saturating_mul`.
#[inline]
pub fn mul_u64f64(a: U64F64, b: U64F64) -> U64F64 {
    mul_fixed(a.to_bits(), b.to_bits(), 64).map_or(U64F64::max_value(), U64F64::from_bits)
}

/// `U96F32 × U96F32`, floored, saturating at the maximum: substrate-fixed's `saturating_mul`.
#[inline]
pub fn mul_u96f32(a: U96F32, b: U96F32) -> U96F32 {
    mul_fixed(a.to_bits(), b.to_bits(), 32).map_or(U96F32::max_value(), U96F32::from_bits)
}

/// substrate-fixed's `saturating_mul` for the unsigned coinbase types, by [`mul_256`] (the same
/// value: floored, saturating at the maximum).
pub trait SatMul {
    /// `self × other`, floored, saturating.
    fn sat_mul(self, other: Self) -> Self;
}

impl SatMul for U64F64 {
    #[inline]
    fn sat_mul(self, other: Self) -> Self {
        mul_u64f64(self, other)
    }
}

impl SatMul for U96F32 {
    #[inline]
    fn sat_mul(self, other: Self) -> Self {
        mul_u96f32(self, other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::splitmix;

    /// Operands spread over every magnitude, with the edges the algorithms branch on.
    fn operand(next: &mut impl FnMut() -> u64) -> u128 {
        let r = (u128::from(next()) << 64) | u128::from(next());
        match next() % 8 {
            0 => r,
            1 => r >> (next() % 128),
            2 => u128::from(next()),
            3 => u128::from(next() >> (next() % 64)),
            4 => (r >> (next() % 128)).max(1) - 1,
            5 => u128::MAX - (r >> (next() % 127 + 1)),
            6 => 1u128 << (next() % 128),
            _ => (u128::from(next()) << 64) | u128::from(next() % 4),
        }
    }

    /// [`div_256_to_u64`] against 256-bit integers (ruint), on quotients near and past 2^64.
    #[test]
    fn wide_division_to_u64_equals_ruint() {
        type U256 = ruint::Uint<256, 4>;
        let mut s = splitmix(0x5eed_0256);
        for i in 0..200_000u32 {
            let d = operand(&mut s).max(1);
            // A dividend `d · q + r` with `q` spread around 2^64, or an arbitrary one.
            let (hi, lo) = if i % 3 == 0 {
                (operand(&mut s) >> (s() % 128), operand(&mut s))
            } else {
                let q = u128::from(s() >> (s() % 64)) + u128::from(i % 7 == 0) * (1 << 64);
                let p = U256::from(d) * U256::from(q) + U256::from(operand(&mut s) % d);
                let w = p.as_limbs();
                (
                    (u128::from(w[3]) << 64) | u128::from(w[2]),
                    (u128::from(w[1]) << 64) | u128::from(w[0]),
                )
            };
            let n: U256 = (U256::from(hi) << 128) | U256::from(lo);
            let want: U256 = n / U256::from(d);
            let want = (want < (U256::from(1u8) << 64)).then(|| want.to::<u64>());
            assert_eq!(div_256_to_u64(hi, lo, d), want, "({hi}, {lo}) / {d}");
        }
        assert_eq!(div_256_to_u64(1, 0, 0), None);
    }

    #[test]
    fn division_equals_the_operator() {
        let mut s = splitmix(0x5eed_0001);
        let cases: u64 = std::env::var("TAO_WIDE_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(400_000);
        for _ in 0..cases {
            let (n, d) = (operand(&mut s), operand(&mut s).max(1));
            assert_eq!(portable_div_rem(n, d), (n / d, n % d), "{n} / {d}");
            assert_eq!(div_rem(n, d), (n / d, n % d));
        }
    }

    #[test]
    fn division_edges() {
        let edges = [
            0u128,
            1,
            2,
            u128::from(u64::MAX) - 1,
            u128::from(u64::MAX),
            1 << 64,
            (1 << 64) + 1,
            (1 << 127) - 1,
            1 << 127,
            u128::MAX - 1,
            u128::MAX,
            0xFFFF_FFFF,
            1 << 32,
            (1 << 96) - 1,
            1 << 96,
        ];
        for n in edges {
            for d in edges.iter().copied().filter(|d| *d != 0) {
                assert_eq!(portable_div_rem(n, d), (n / d, n % d), "{n} / {d}");
            }
        }
    }

    /// The signed helpers on their portable path (the public ones use it on wasm32 only).
    fn portable_mul_i64(a: i64, b: i64) -> i128 {
        let p = portable_mul_wide(a.unsigned_abs(), b.unsigned_abs()) as i128;
        if (a < 0) != (b < 0) {
            p.wrapping_neg()
        } else {
            p
        }
    }

    fn portable_div_i128(n: i128, d: i128) -> i128 {
        let q = portable_div_rem(n.unsigned_abs(), d.unsigned_abs()).0 as i128;
        if (n < 0) != (d < 0) {
            q.wrapping_neg()
        } else {
            q
        }
    }

    #[test]
    fn signed_helpers_equal_the_operators() {
        let mut s = splitmix(4242);
        for _ in 0..200_000 {
            let (a, b) = (operand(&mut s) as i128, operand(&mut s) as i128);
            let (x, y) = (a as i64, b as i64);
            assert_eq!(portable_mul_i64(x, y), i128::from(x) * i128::from(y));
            assert_eq!(mul_wide_i64(x, y), i128::from(x) * i128::from(y));
            if b != 0 && !(a == i128::MIN && b == -1) {
                assert_eq!(portable_div_i128(a, b), a / b, "{a} / {b}");
                assert_eq!(div_i128(a, b), a / b);
            }
        }
        for x in [0, 1, -1, i64::MAX, i64::MIN, i64::MIN + 1] {
            for y in [0, 1, -1, i64::MAX, i64::MIN, i64::MIN + 1] {
                assert_eq!(portable_mul_i64(x, y), i128::from(x) * i128::from(y));
            }
        }
    }

    #[test]
    fn products_equal_the_operators() {
        let mut s = splitmix(77);
        for _ in 0..400_000 {
            let (a, b) = (operand(&mut s), operand(&mut s));
            let (x, y) = (a as u64, b as u64);
            assert_eq!(portable_mul_wide(x, y), u128::from(x) * u128::from(y));
            let (fa, fb) = (U64F64::from_bits(a), U64F64::from_bits(b));
            assert_eq!(mul_u64f64(fa, fb), fa.saturating_mul(fb), "{a} × {b}");
            let (ga, gb) = (U96F32::from_bits(a), U96F32::from_bits(b));
            assert_eq!(mul_u96f32(ga, gb), ga.saturating_mul(gb), "{a} × {b}");
            let p = ruint::Uint::<256, 4>::from(a) * ruint::Uint::<256, 4>::from(b);
            let (hi, lo) = mul_256(a, b);
            assert_eq!(u128::try_from(p >> 128).ok(), Some(hi));
            assert_eq!(lo, a.wrapping_mul(b));
        }
        for x in [0, 1, u64::MAX, 1 << 63, LO32, 1 << 32] {
            for y in [0, 1, u64::MAX, 1 << 63, LO32, 1 << 32] {
                assert_eq!(portable_mul_wide(x, y), u128::from(x) * u128::from(y));
            }
        }
    }
}
