//! `pow_ratio_scaled`: `floor((a/b)^(n/d) × scale)`, the exponentiation behind every balancer
//! swap and limit (spec §11.4).
//!
//! Port of the algorithm of `SafeInt::pow_ratio_scaled` in `sam0x17/safe-bigmath` (MIT, rev
//! `013c49984910e1c9a23289e8c85e7a856e263a02`), the crate subtensor's
//! `pallets/swap/src/pallet/balancer.rs` calls, re-expressed over [`super::bigint`]:
//!
//! * the exponent is reduced by its gcd; if both parts are ≤ 1024 the result is the exact integer
//!   root `floor( (a^n × scale^d / b^n)^(1/d) )` (any exact method gives the same integer);
//! * otherwise a fixed-point `ln`/`exp` Taylor evaluation with
//!   `max(precision, 32, bits(scale) + 8)` bits plus 24 guard bits. Its early-exit rules and
//!   rounding are reproduced step for step, because the last unit of the result depends on them.

use super::bigint::{BigInt, BigUint};
use super::pow_bracket::{self, Numerator};
pub use super::pow_fast::Scaled;
use super::pow_fast::{Fx, Series};
use crate::fixed::wide;

/// Largest reduced exponent numerator/denominator still computed by the exact root path.
pub const MAX_EXACT_EXPONENT: u64 = 1_024;
/// Iteration cap of the series (the fallback also stops at `internal precision + 128`).
pub const DEFAULT_MAX_ITERS: usize = 4_096;
const GUARD_BITS: u64 = 24;

/// `floor((base_num / base_den)^(exp_num / exp_den) × scale)`.
///
/// Returns `None` when `base_den` or `exp_den` is zero (the crate's `None`); a zero base gives 0
/// and a zero exponent gives `scale`. The result may be negative only in the (unreachable for pool
/// inputs) case where the series diverges; callers treat a negative or oversized value as the
/// chain does.
pub fn pow_ratio_scaled(
    base_num: &BigUint,
    base_den: &BigUint,
    exp_num: u128,
    exp_den: u128,
    precision: u32,
    scale: &BigUint,
) -> Option<BigInt> {
    if base_den.is_zero() || exp_den == 0 {
        return None;
    }
    if base_num.is_zero() {
        return Some(BigInt::zero());
    }
    if exp_num == 0 {
        return Some(BigInt::from_biguint(scale.clone()));
    }
    let g = gcd_u128(exp_num, exp_den);
    let (en, ed) = (exp_num / g.max(1), exp_den / g.max(1));

    if en <= u128::from(MAX_EXACT_EXPONENT) && ed <= u128::from(MAX_EXACT_EXPONENT) {
        let (en, ed) = (en as u32, ed as u32);
        let num = base_num.pow(en).mul(&scale.pow(ed));
        let den = base_den.pow(en);
        // floor((num/den)^(1/ed)) == floor(floor(num/den)^(1/ed)) because r^ed is an integer.
        let quotient = num.div_floor(&den);
        return Some(BigInt::from_biguint(quotient.nth_root_floor(ed)));
    }

    Some(series(base_num, base_den, en, ed, precision, scale))
}

/// [`pow_ratio_scaled`] for `u64` base parts and scale, read as the pool code reads it (see
/// [`Scaled`]). Bit-identical to the heap version: the exponent 1 (weights ½) is one 128-bit
/// multiply-divide, the series path runs on stack integers ([`super::pow_fast`]), and anything
/// that does not fit there is handed to [`pow_ratio_scaled`].
pub fn pow_ratio_scaled_u64(
    base_num: u64,
    base_den: u64,
    exp_num: u128,
    exp_den: u128,
    precision: u32,
    scale: u64,
) -> Option<Scaled> {
    if base_den == 0 || exp_den == 0 {
        return None;
    }
    if base_num == 0 {
        return Some(Scaled::Value(0));
    }
    if exp_num == 0 {
        return Some(Scaled::Value(scale));
    }
    let g = gcd_u128(exp_num, exp_den).max(1);
    let (en, ed) = (wide::div(exp_num, g), wide::div(exp_den, g));
    let exact = en <= u128::from(MAX_EXACT_EXPONENT) && ed <= u128::from(MAX_EXACT_EXPONENT);
    if exact && en == 1 && ed == 1 {
        // floor(num × scale / den): the root of degree 1 is the quotient itself.
        let q = wide::div(wide::mul_wide(base_num, scale), u128::from(base_den));
        return Some(u64::try_from(q).map_or(Scaled::AboveU64, Scaled::Value));
    }
    if !exact {
        if let (Ok(en), Ok(ed)) = (u64::try_from(en), u64::try_from(ed)) {
            if pow_bracket::applies(precision, en, ed) {
                let decided = pow_bracket::numerator(base_num, en, ed)
                    .and_then(|num| pow_bracket::decide(&num, base_den, scale));
                if let Some(v) = decided {
                    return Some(Scaled::Value(v));
                }
            }
            let fast = Series::new(precision, scale, GUARD_BITS, DEFAULT_MAX_ITERS).and_then(|s| {
                let ln_num = s.ln_u64_cached(base_num)?;
                let ln_den = s.ln_u64_cached(base_den)?;
                s.finish(&ln_num, &ln_den, en, ed, scale)
            });
            if fast.is_some() {
                return fast;
            }
        }
    }
    pow_ratio_scaled(
        &BigUint::from_u64(base_num),
        &BigUint::from_u64(base_den),
        exp_num,
        exp_den,
        precision,
        &BigUint::from_u64(scale),
    )
    .map(|r| classify(&r))
}

/// The bracket of [`pow_bracket`] alone, for tests and benchmarks: `Some(floor((a/b)^(en/ed) × scale))` when it
/// decides the chain's series result, `None` when the series must run (or the call is outside
/// `pow_bracket::applies`, or an input is zero). The exponent is reduced by its gcd first, as the chain does.
pub fn bracket_u64(a: u64, b: u64, en: u128, ed: u128, precision: u32, scale: u64) -> Option<u64> {
    if a == 0 || b == 0 || en == 0 || ed == 0 {
        return None;
    }
    let g = gcd_u128(en, ed).max(1);
    let (en, ed) = (
        u64::try_from(wide::div(en, g)).ok()?,
        u64::try_from(wide::div(ed, g)).ok()?,
    );
    let exact = en <= MAX_EXACT_EXPONENT && ed <= MAX_EXACT_EXPONENT;
    if exact || !pow_bracket::applies(precision, en, ed) {
        return None;
    }
    pow_bracket::decide(&pow_bracket::numerator(a, en, ed)?, b, scale)
}

/// A heap result as [`Scaled`].
pub fn classify(r: &BigInt) -> Scaled {
    match r.to_biguint() {
        None => Scaled::Negative,
        Some(v) => v.to_u64().map_or(Scaled::AboveU64, Scaled::Value),
    }
}

/// `pow_ratio_scaled` with the base numerator, exponent, precision and scale fixed, for
/// evaluating many denominators (a slippage curve: `(x / (x + Δ))^e` for many `Δ`). Whatever can
/// be shared is computed once (the reduced exponent, and on the series path `ln 2` and
/// `ln(numerator)`); every result is identical to a fresh [`pow_ratio_scaled`] call.
#[derive(Clone, Debug)]
pub struct RatioPow {
    base_num: BigUint,
    exp_num: u128,
    exp_den: u128,
    precision: u32,
    scale: BigUint,
    series: Option<SeriesCache>,
    fast: Option<FastCache>,
}

/// The stack-integer form of [`SeriesCache`] for `u64` parts (see [`RatioPow::eval_u64`]).
#[derive(Clone, Copy, Debug)]
struct FastCache {
    series: Series,
    ln_num: Fx,
    /// The numerator for [`pow_bracket`], when its analysis covers this exponent.
    bracket: Option<Numerator>,
    exp_num: u64,
    exp_den: u64,
    scale: u64,
}

#[derive(Clone, Debug)]
struct SeriesCache {
    requested: u64,
    internal: u64,
    max_iters: usize,
    internal_scale: BigUint,
    ln_two: BigInt,
    ln_num: BigInt,
}

impl RatioPow {
    /// Prepare `floor((base_num / ·)^(exp_num/exp_den) × scale)`; `None` when `exp_den == 0`.
    pub fn new(
        base_num: &BigUint,
        exp_num: u128,
        exp_den: u128,
        precision: u32,
        scale: &BigUint,
    ) -> Option<Self> {
        if exp_den == 0 {
            return None;
        }
        let g = gcd_u128(exp_num, exp_den).max(1);
        let (en, ed) = (exp_num / g, exp_den / g);
        let exact = en <= u128::from(MAX_EXACT_EXPONENT) && ed <= u128::from(MAX_EXACT_EXPONENT);
        let series = if exact || en == 0 || base_num.is_zero() {
            None
        } else {
            let requested = u64::from(precision)
                .max(32)
                .max(scale.bits().saturating_add(8));
            let internal = requested.saturating_add(GUARD_BITS);
            let max_iters = DEFAULT_MAX_ITERS.min(internal as usize + 128).max(1);
            let internal_scale = BigUint::one().shl(internal);
            let ln_two = ln_two_fixed(internal, max_iters);
            let ln_num = ln_biguint(
                base_num,
                internal,
                &internal_scale,
                GUARD_BITS,
                &ln_two,
                max_iters,
            );
            Some(SeriesCache {
                requested,
                internal,
                max_iters,
                internal_scale,
                ln_two,
                ln_num,
            })
        };
        let fast = match (
            &series,
            base_num.to_u64(),
            scale.to_u64(),
            u64::try_from(en),
            u64::try_from(ed),
        ) {
            (Some(_), Some(num), Some(sc), Ok(en), Ok(ed)) => {
                Series::new(precision, sc, GUARD_BITS, DEFAULT_MAX_ITERS).and_then(|s| {
                    Some(FastCache {
                        series: s,
                        ln_num: s.ln_u64(num)?,
                        bracket: if pow_bracket::applies(precision, en, ed) {
                            pow_bracket::numerator(num, en, ed)
                        } else {
                            None
                        },
                        exp_num: en,
                        exp_den: ed,
                        scale: sc,
                    })
                })
            }
            _ => None,
        };
        Some(RatioPow {
            base_num: base_num.clone(),
            exp_num: en,
            exp_den: ed,
            precision,
            scale: scale.clone(),
            series,
            fast,
        })
    }

    /// [`RatioPow::eval`] for a `u64` denominator, read as [`Scaled`] (bit-identical; the stack
    /// path when the numerator and scale are `u64`).
    pub fn eval_u64(&self, base_den: u64) -> Option<Scaled> {
        if base_den == 0 {
            return None;
        }
        if let Some(f) = &self.fast {
            if let Some(num) = &f.bracket {
                if let Some(v) = pow_bracket::decide(num, base_den, f.scale) {
                    return Some(Scaled::Value(v));
                }
            }
            let r = f.series.ln_u64(base_den).and_then(|ln_den| {
                f.series
                    .finish(&f.ln_num, &ln_den, f.exp_num, f.exp_den, f.scale)
            });
            if r.is_some() {
                return r;
            }
        } else if self.series.is_none() {
            if let (Some(num), Some(sc)) = (self.base_num.to_u64(), self.scale.to_u64()) {
                return pow_ratio_scaled_u64(
                    num,
                    base_den,
                    self.exp_num,
                    self.exp_den,
                    self.precision,
                    sc,
                );
            }
        }
        self.eval(&BigUint::from_u64(base_den))
            .map(|r| classify(&r))
    }

    /// The value for one denominator (same as `pow_ratio_scaled(base_num, base_den, …)`).
    pub fn eval(&self, base_den: &BigUint) -> Option<BigInt> {
        let Some(c) = &self.series else {
            return pow_ratio_scaled(
                &self.base_num,
                base_den,
                self.exp_num,
                self.exp_den,
                self.precision,
                &self.scale,
            );
        };
        if base_den.is_zero() {
            return None;
        }
        let ln_den = ln_biguint(
            base_den,
            c.internal,
            &c.internal_scale,
            GUARD_BITS,
            &c.ln_two,
            c.max_iters,
        );
        let ln_base = c.ln_num.sub(&ln_den);
        let ln_scaled = ln_base
            .mul_biguint(&BigUint::from_u128(self.exp_num))
            .div_floor(&BigUint::from_u128(self.exp_den));
        let exp_fp = exp_fixed(&ln_scaled, c.internal, GUARD_BITS, c.max_iters);
        Some(
            round_to_precision(&exp_fp, GUARD_BITS)
                .mul_biguint(&self.scale)
                .shr_floor(c.requested),
        )
    }
}

/// The fixed-point `ln`/`exp` fallback.
fn series(
    base_num: &BigUint,
    base_den: &BigUint,
    exp_num: u128,
    exp_den: u128,
    precision: u32,
    scale: &BigUint,
) -> BigInt {
    let scale_bits = scale.bits();
    let requested = u64::from(precision)
        .max(32)
        .max(scale_bits.saturating_add(8));
    let internal = requested.saturating_add(GUARD_BITS);
    let max_iters = DEFAULT_MAX_ITERS.min(internal as usize + 128).max(1);

    let internal_scale = BigUint::one().shl(internal);
    let guard = GUARD_BITS;

    let ln_two = ln_two_fixed(internal, max_iters);

    let ln_num = ln_biguint(
        base_num,
        internal,
        &internal_scale,
        guard,
        &ln_two,
        max_iters,
    );
    let ln_den = ln_biguint(
        base_den,
        internal,
        &internal_scale,
        guard,
        &ln_two,
        max_iters,
    );
    let ln_base = ln_num.sub(&ln_den);

    let ln_scaled = ln_base
        .mul_biguint(&BigUint::from_u128(exp_num))
        .div_floor(&BigUint::from_u128(exp_den));
    let exp_fp = exp_fixed(&ln_scaled, internal, guard, max_iters);
    let exp_requested = round_to_precision(&exp_fp, guard);
    exp_requested.mul_biguint(scale).shr_floor(requested)
}

/// `ln 2 = −ln(1 − 1/2)` at `internal` bits, as the crate computes it. The swap exponentials
/// (precision 256) and the limit deltas (1024) always use the same two precisions, so those two
/// values are computed once per process.
fn ln_two_fixed(internal: u64, max_iters: usize) -> BigInt {
    use std::sync::OnceLock;
    static LN2_280: OnceLock<BigInt> = OnceLock::new();
    static LN2_1048: OnceLock<BigInt> = OnceLock::new();
    let compute = || {
        let half = BigInt::from_parts(true, BigUint::one().shl(internal).shr(1));
        ln1p_fixed(&half, internal, GUARD_BITS, max_iters).neg()
    };
    let default_iters = DEFAULT_MAX_ITERS.min(internal as usize + 128).max(1);
    match internal {
        280 if max_iters == default_iters => LN2_280.get_or_init(compute).clone(),
        1048 if max_iters == default_iters => LN2_1048.get_or_init(compute).clone(),
        _ => compute(),
    }
}

/// Taylor series of `ln(1 + x)` in fixed point (`x` scaled by `2^internal`).
fn ln1p_fixed(x: &BigInt, internal: u64, guard: u64, max_iters: usize) -> BigInt {
    let guard_factor = BigUint::one().shl(guard);
    let mut term = x.clone();
    let mut result = term.clone();
    let mut prev_rounded = round_to_precision(&result, guard);
    for n in 2..=max_iters {
        term = term.mul(x).shr_floor(internal);
        if term.is_zero() {
            break;
        }
        let next = term.div_floor(&BigUint::from_u64(n as u64));
        if next.is_zero() {
            break;
        }
        if n % 2 == 0 {
            result = result.sub(&next);
        } else {
            result = result.add(&next);
        }
        let rounded = round_to_precision(&result, guard);
        if next.magnitude() < &guard_factor || rounded == prev_rounded {
            break;
        }
        prev_rounded = rounded;
    }
    result
}

/// Taylor series of `exp(x)` in fixed point.
fn exp_fixed(x: &BigInt, internal: u64, guard: u64, max_iters: usize) -> BigInt {
    let guard_factor = BigUint::one().shl(guard);
    let mut term = BigInt::from_biguint(BigUint::one().shl(internal));
    let mut result = term.clone();
    let mut prev_rounded = round_to_precision(&result, guard);
    for n in 1..=max_iters {
        // floor(term × x / (scale × n)) == floor(floor(term × x / scale) / n)
        term = term
            .mul(x)
            .shr_floor(internal)
            .div_floor(&BigUint::from_u64(n as u64));
        if term.is_zero() {
            break;
        }
        result = result.add(&term);
        let rounded = round_to_precision(&result, guard);
        if term.magnitude() < &guard_factor || rounded == prev_rounded {
            break;
        }
        prev_rounded = rounded;
    }
    result
}

/// `ln(value)` in fixed point, from a mantissa normalised into `[0.5·2^k, 1.5·2^k)`.
fn ln_biguint(
    value: &BigUint,
    internal: u64,
    internal_scale: &BigUint,
    guard: u64,
    ln_two: &BigInt,
    max_iters: usize,
) -> BigInt {
    if value.is_zero() {
        return BigInt::zero();
    }
    let mut shift = value.bits().saturating_sub(1);
    let mut mantissa = value.shl(internal).shr(shift);
    let scale_plus_half = internal_scale.add(&internal_scale.shr(1));
    if mantissa >= scale_plus_half {
        mantissa = mantissa.shr(1);
        shift = shift.saturating_add(1);
    }
    let x = BigInt::from_biguint(mantissa).sub(&BigInt::from_biguint(internal_scale.clone()));
    let ln_mantissa = ln1p_fixed(&x, internal, guard, max_iters);
    ln_mantissa.add(&ln_two.mul_biguint(&BigUint::from_u64(shift)))
}

/// Drop `guard` bits, rounding half away from zero (truncating division then correction).
fn round_to_precision(value: &BigInt, guard: u64) -> BigInt {
    let (truncated, remainder) = value.divrem_pow2_trunc(guard);
    if !remainder.is_zero() && remainder.magnitude().shl(1) >= BigUint::one().shl(guard) {
        let one = BigInt::from_parts(remainder.is_negative(), BigUint::one());
        truncated.add(&one)
    } else {
        truncated
    }
}

pub(crate) fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    // Weight parts fit 64 bits: Euclid on `u64` avoids a 128-bit remainder per step (a library
    // call on wasm32); the gcd is the same integer.
    if let (Ok(mut x), Ok(mut y)) = (u64::try_from(a), u64::try_from(b)) {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        return u128::from(x);
    }
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "pow_tests.rs"]
mod tests;
