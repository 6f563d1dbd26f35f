//! The series path of `pow_ratio_scaled` (module `pow`) decided without running the series, when
//! a proven bracket around the chain's result leaves only one possible integer.
//!
//! The chain computes `floor(R × scale / 2^p)`, where `R` is its `exp(en/ed × (ln a − ln b))` at
//! `p = precision` bits (256 for swaps), from `ln`/`exp` Taylor series at `p + 24` bits rounded to
//! `p` bits. Every step of those series truncates by at most one unit and the series stop once a
//! term is below `2^24` units, so the chain's `R / 2^p` lies within `2^-190` of the true
//! `y = (a/b)^(en/ed)` whenever `|en/ed × ln(a/b)| ≤ 40` (the error analysis is written out in
//! `docs/pow-bracket.md`). This module computes `y` to within `2^-100` with 128-bit fixed point
//! (two table reductions and a short polynomial for `ln`, the same for `exp`) and returns
//! `floor(y × scale)` only when every value within `2^-98` of its estimate floors to the same
//! integer; otherwise it returns `None` and the caller runs the chain's series
//! ([`super::pow_fast`], then [`super::pow`]). A result from here is therefore the chain's result;
//! an undecided case (about one in `2^37` random swaps, or an exact integer such as `dx = 0`) only
//! costs the series.
//!
//! Tables hold `ln` and `exp` of small rationals at 120 fractional bits. They are computed once per
//! thread from the chain's own 280-bit series (`pow_fast::q120_ln_ratio` and
//! `pow_fast::q120_exp_ratio`), so no constant is typed in by hand.

use crate::fixed::wide;
use std::cell::Cell;
use std::sync::OnceLock;

thread_local! {
    static ON: Cell<bool> = const { Cell::new(true) };
}

/// Turn this thread's bracket on or off (on by default). Results never depend on it: off, every
/// series result is computed by the series. The switch exists so tests and benchmarks can compare
/// the two in one process.
pub fn set_bracket(enabled: bool) {
    ON.with(|c| c.set(enabled));
}

/// Fractional bits of the fixed-point values here (`Q7.120` in a `u128`).
const F: u32 = 120;
/// Half-width of the bracket, in units of `2^-120`: `2^22` units = `2^-98`, at least 32 times the
/// worst-case error of the estimate (`2^17` units) plus the chain's own error.
const EPS: u128 = 1 << 22;
/// Largest `|en/ed × ln(a/b)|` decided here (the chain's series error bound assumes it).
const T_MAX_NEG: u128 = 40 << F;
/// Largest positive exponent decided here (keeps `y < 8`).
const T_MAX_POS: u128 = 2 << F;
/// Terms of the `ln(1 + u)` polynomial, `0 ≤ u < 2^-13.9`.
const LN_TERMS: usize = 8;
/// Terms of the `exp(r)` polynomial, `0 ≤ r < 2^-12`.
const EXP_TERMS: usize = 8;

/// `ln(2^16 / r1[k])`, `ln(2^24 / r2[j])`, `exp(j/64)`, `exp(i/4096)`, `ln 2` and the polynomial
/// coefficients, at 120 fractional bits.
struct Tables {
    ln2: u128,
    /// `ln2` as an `f64` in units of `2^-120` (only to estimate a quotient that is then checked).
    ln2_f: f64,
    r1: [u64; 128],
    r2: [u64; 129],
    l1: [u128; 128],
    l2: [u128; 129],
    e1: [u128; 45],
    e2: [u128; 64],
    /// `floor(2^120 / n)` for `n = 1..=LN_TERMS`.
    inv: [u128; LN_TERMS + 1],
    /// `floor(2^120 / n!)` for `n = 0..=EXP_TERMS`.
    inv_fact: [u128; EXP_TERMS + 1],
}

/// First-level reciprocal: `ceil(2^23 / (128 + k))` (so `m × r1 ≥ 2^79` for the mantissa `m`).
fn r1(k: u64) -> u64 {
    (1u64 << 23).div_ceil(128 + k)
}

/// Second-level reciprocal: `ceil(2^38 / (2^14 + j))`.
fn r2(j: u64) -> u64 {
    (1u64 << 38).div_ceil((1 << 14) + j)
}

fn tables() -> Option<&'static Tables> {
    static T: OnceLock<Option<Tables>> = OnceLock::new();
    T.get_or_init(build_tables).as_ref()
}

fn build_tables() -> Option<Tables> {
    use super::pow_fast::{q120_exp_ratio, q120_ln_ratio};
    let mut l1 = [0u128; 128];
    for (k, slot) in l1.iter_mut().enumerate() {
        *slot = q120_ln_ratio(1 << 16, r1(k as u64))?;
    }
    let mut l2 = [0u128; 129];
    for (j, slot) in l2.iter_mut().enumerate() {
        *slot = q120_ln_ratio(1 << 24, r2(j as u64))?;
    }
    let mut e1 = [0u128; 45];
    for (j, slot) in e1.iter_mut().enumerate() {
        *slot = q120_exp_ratio(j as u64, 6)?;
    }
    let mut e2 = [0u128; 64];
    for (i, slot) in e2.iter_mut().enumerate() {
        *slot = q120_exp_ratio(i as u64, 12)?;
    }
    let mut inv = [0u128; LN_TERMS + 1];
    for (n, slot) in inv.iter_mut().enumerate().skip(1) {
        *slot = (1u128 << F) / n as u128;
    }
    let mut inv_fact = [0u128; EXP_TERMS + 1];
    let mut fact = 1u128;
    for (n, slot) in inv_fact.iter_mut().enumerate() {
        fact *= (n as u128).max(1);
        *slot = (1u128 << F) / fact;
    }
    let ln2 = q120_ln_ratio(2, 1)?;
    Some(Tables {
        ln2,
        ln2_f: ln2 as f64,
        r1: core::array::from_fn(|k| r1(k as u64)),
        r2: core::array::from_fn(|j| r2(j as u64)),
        l1,
        l2,
        e1,
        e2,
        inv,
        inv_fact,
    })
}

/// `a × b` as a 128-bit value (through [`super::pow_fast`]'s limb product, which avoids the
/// generic 128×128 multiply on wasm32).
#[inline(always)]
fn mul_wide(a: u64, b: u64) -> u128 {
    let (lo, hi) = super::pow_fast::mac(a, b, 0, 0);
    (u128::from(hi) << 64) | u128::from(lo)
}

/// `a × m` for `a × m < 2^128` (two 64-bit products, no generic 128-bit multiply).
#[inline(always)]
fn mul_small(a: u128, m: u64) -> u128 {
    mul_wide(a as u64, m).wrapping_add(mul_wide((a >> 64) as u64, m) << 64)
}

/// `floor(a × b / 2^120)` for a product below `2^248`.
#[inline(always)]
fn mulq(a: u128, b: u128) -> u128 {
    let (a0, a1) = (a as u64, (a >> 64) as u64);
    let (b0, b1) = (b as u64, (b >> 64) as u64);
    let p00 = mul_wide(a0, b0);
    let p01 = mul_wide(a0, b1);
    let p10 = mul_wide(a1, b0);
    let p11 = mul_wide(a1, b1);
    // product = p11·2^128 + (p01 + p10)·2^64 + p00
    let mid = (p00 >> 64) + u128::from(p01 as u64) + u128::from(p10 as u64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high << (128 - F)) | u128::from((mid as u64) >> (F - 64))
}

/// `floor(y × s / 2^120)` when it fits a `u64`.
fn scale_down(y: u128, s: u64) -> Option<u64> {
    let lo = mul_wide(y as u64, s);
    let hi = mul_wide((y >> 64) as u64, s);
    // y·s = hi·2^64 + lo, below 2^192
    let mid = (lo >> 64) + u128::from(hi as u64);
    let top = ((hi >> 64) + (mid >> 64)) << 64 | u128::from(mid as u64);
    // bits 64.. of y·s are `top`; y·s / 2^120 = top / 2^56
    u64::try_from(top >> (F - 64)).ok()
}

/// `ln v` for `v ≥ 1`, within 69 units of `2^-120` (`s·ln 2` at most 63.1, each table 1, the
/// polynomial 3).
fn ln_q(t: &Tables, v: u64) -> u128 {
    let lz = v.leading_zeros();
    let s = u64::from(63 - lz);
    let m = v << lz; // m / 2^63 ∈ [1, 2)
    let k = ((m >> 56) & 127) as usize;
    let z = mul_wide(m, t.r1[k]); // z / 2^79 ∈ [1, 1 + 2^-7 + 2^-14.9)
    let j = ((z - (1 << 79)) >> (79 - 14)) as usize; // ≤ 128
    let z2 = mul_small(z, t.r2[j]); // z2 / 2^103 ∈ [1, 1 + 2^-14 + 2^-23.8)
    let u = (z2 - (1 << 103)) << (F - 103);
    // ln(1 + u) = u·(1 − u·(1/2 − u·(1/3 − …))), every partial value positive
    let mut acc = t.inv[LN_TERMS];
    for n in (1..LN_TERMS).rev() {
        acc = t.inv[n] - mulq(u, acc);
    }
    mul_small(t.ln2, s) + t.l1[k] + t.l2[j] + mulq(u, acc)
}

/// `exp(r)` for `0 ≤ r < ln 2`, within 10 units plus `exp(r)` times the error of `r`.
fn exp_reduced(t: &Tables, r: u128) -> u128 {
    let j = (r >> (F - 6)) as usize;
    let rem = r - ((j as u128) << (F - 6));
    let i = (rem >> (F - 12)) as usize;
    let r2 = rem - ((i as u128) << (F - 12));
    let mut acc = t.inv_fact[EXP_TERMS];
    for n in (0..EXP_TERMS).rev() {
        acc = t.inv_fact[n] + mulq(r2, acc);
    }
    let (e1, e2) = (t.e1.get(j).copied(), t.e2.get(i).copied());
    mulq(mulq(e1.unwrap_or(0), e2.unwrap_or(0)), acc)
}

/// `floor(2^120 × en / ed)` when `en / ed < 128`.
fn ratio_q(en: u64, ed: u64) -> Option<u128> {
    if ed == 0 {
        return None;
    }
    let (hi, rem) = wide::div_rem(u128::from(en) << 64, u128::from(ed));
    if hi >> 71 != 0 {
        return None;
    }
    Some((hi << (F - 64)) | wide::div(rem << (F - 64), u128::from(ed)))
}

/// A numerator's logarithm and the exponent as a fixed-point ratio, kept by callers that evaluate
/// many denominators.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Numerator {
    ln: u128,
    ratio: u128,
}

/// Prepare `a^(en/ed)`; `None` for `a = 0`, `en/ed ≥ 128`, or when the tables cannot be built.
pub(crate) fn numerator(a: u64, en: u64, ed: u64) -> Option<Numerator> {
    if a == 0 {
        return None;
    }
    Some(Numerator {
        ln: ln_q(tables()?, a),
        ratio: ratio_q(en, ed)?,
    })
}

/// Whether the bracket's error analysis covers this call: the series path at a precision of
/// 256 to 1024 bits (so the chain works at 280 to 1048 bits) and a reduced exponent below 128.
pub(crate) fn applies(precision: u32, en: u64, ed: u64) -> bool {
    (256..=1024).contains(&precision) && ed != 0 && en / ed < 128 && ON.with(Cell::get)
}

/// `floor((a/b)^(en/ed) × scale)` as the chain's series computes it, when the bracket decides it.
/// The caller has checked [`applies`], reduced the exponent and handled zero parts.
pub(crate) fn decide(a: &Numerator, b: u64, scale: u64) -> Option<u64> {
    let t = tables()?;
    if b == 0 {
        return None;
    }
    let ln_b = ln_q(t, b);
    let ratio = a.ratio;
    let (d, negative) = if a.ln >= ln_b {
        (a.ln - ln_b, false)
    } else {
        (ln_b - a.ln, true)
    };
    // Keep the product below 2^248 (mulq's range); a larger one is far above T_MAX_NEG.
    if (128 - d.leading_zeros()) + (128 - ratio.leading_zeros()) > 248 {
        return None;
    }
    let mag = mulq(d, ratio);
    let y = if negative {
        if mag > T_MAX_NEG {
            return None;
        }
        // t = −mag = −n·ln2 + r with r ∈ [0, ln 2); n estimated in floating point, then checked
        let mut n = (mag as f64 / t.ln2_f) as u64 + 1;
        let mut nl = mul_small(t.ln2, n);
        while nl < mag {
            n += 1;
            nl += t.ln2;
        }
        while n > 0 && nl - t.ln2 >= mag {
            n -= 1;
            nl -= t.ln2;
        }
        exp_reduced(t, nl - mag) >> n
    } else {
        if mag > T_MAX_POS {
            return None;
        }
        let n = u32::from(mag >= t.ln2) + u32::from(mag >= 2 * t.ln2);
        exp_reduced(t, mag - mul_small(t.ln2, u64::from(n))) << n
    };
    let lo = scale_down(y.checked_sub(EPS)?, scale)?;
    let hi = scale_down(y + EPS, scale)?;
    (lo == hi).then_some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_products_are_exact() {
        let vals = [
            0u64,
            1,
            2,
            0xffff_ffff,
            1 << 32,
            u64::MAX,
            0x9e37_79b9_7f4a_7c15,
        ];
        for &a in &vals {
            for &b in &vals {
                assert_eq!(mul_wide(a, b), u128::from(a) * u128::from(b));
            }
        }
    }

    #[test]
    fn mulq_is_the_floor_of_the_product() {
        // Check against a schoolbook 256-bit product on values with known structure.
        let one = 1u128 << F;
        assert_eq!(mulq(one, one), one);
        assert_eq!(mulq(one, 12345), 12345);
        assert_eq!(mulq(3 << 119, 1 << 121), 3 << 120);
        let a = (1u128 << 126) + 987_654_321;
        assert_eq!(mulq(a, 1 << 120), a);
        assert_eq!(mulq(a, 1 << 119), a >> 1);
    }

    #[test]
    fn logs_and_exps_are_close() {
        let t = tables().expect("tables");
        let unit = 2f64.powi(-(F as i32));
        for v in [1u64, 2, 3, 1000, 1 << 40, (1 << 63) + 12345, u64::MAX] {
            let got = ln_q(t, v) as f64 * unit;
            assert!((got - (v as f64).ln()).abs() < 1e-12, "ln {v}: {got}");
        }
        for r in [0.0f64, 0.1, 0.5, 0.69] {
            let q = (r / unit) as u128;
            let got = exp_reduced(t, q) as f64 * unit;
            assert!((got - r.exp()).abs() < 1e-12, "exp {r}: {got}");
        }
        assert_eq!(ln_q(t, 1), 0);
    }

    #[test]
    fn ratio_is_floored_and_bounded() {
        assert_eq!(ratio_q(1, 1), Some(1 << F));
        assert_eq!(ratio_q(1, 3), Some((1u128 << F) / 3));
        assert_eq!(ratio_q(127, 1), Some(127 << F));
        assert_eq!(ratio_q(128, 1), None);
        assert_eq!(ratio_q(1, 0), None);
    }
}
