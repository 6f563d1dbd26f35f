//! A rigorous bracket around the chain's exact `exp` (for monotone callers that only need the
//! bits of something flatter than `exp` itself, such as the liquid-alpha sigmoid).
//!
//! [`super::exp_i32f32`] is the truncated Maclaurin series of `substrate_fixed::transcendental::exp`:
//! with `o` the operand's bits and `r = o / 2^32`, the sum is `S = 2^32 + Σ_{i=1..31} t_i` where
//! `t_1 = o` and `t_i = floor(t_{i−1}·o / (i·2^32))` (the crate's floor by `2^32`, then its
//! truncating division by `i`; for non-negative integers the two floors compose into one).
//! It is 31 dependent multiply–divide steps per call.
//!
//! With `T_i = 2^32·r^i / i!` the exact terms:
//! * `t_i ≤ T_i` (floors only lower, and the step is monotone), so `S ≤ 2^32·e^r`;
//! * `e_i = T_i − t_i` obeys `e_1 = 0`, `e_i < e_{i−1}·r/i + 1` (one floor per step), so
//!   `e_i ≤ E_i` with `E_1 = 0`, `E_i = E_{i−1}·r/i + 1`, increasing in `r`; hence
//!   `S ≥ 2^32·e^r − 2^32·Σ_{i≥32} r^i/i! − Σ_{i=2..31} E_i`.
//!
//! [`exp_bracket`] evaluates these bounds in f64 with a relative margin of `2^−40` on `e^r`
//! ([`exp_f64`] is within `2^−45.5` of `e^r`, see there) and per-integer-`r` ceilings of the two
//! error sums (computed at compile time, rounded up, plus 1). It answers only for
//! `0 < |x| ≤ 8` with `x ≠ 1` (where the crate special-cases `exp(1)`); callers fall back to the
//! exact series otherwise or when the bracket does not decide their result. The property test
//! below checks the bracket against the exact series on many inputs.

use super::fast::cdiv;
use super::I32F32;

const ONE_BITS: i64 = 1 << 32;
/// Largest `|x|` (in units) the bracket serves.
const MAX_R: usize = 8;

/// `Σ_{i=2..31} E_i(r) + 2^32·Σ_{i≥32} r^i/i!` at `r = k`, for `k = 0..=MAX_R` (an upper bound
/// for every `r ≤ k`: both sums increase with `r`). Evaluated in f64 at compile time, each sum
/// padded by 1% and 1.
const ERR: [f64; MAX_R + 1] = {
    let mut out = [0.0; MAX_R + 1];
    let mut k = 0;
    while k <= MAX_R {
        let r = k as f64;
        let mut e = 0.0;
        let mut sum_e = 0.0;
        let mut i = 2;
        while i <= 31 {
            e = e * r / i as f64 + 1.0;
            sum_e += e;
            i += 1;
        }
        // Tail of the series past the 31st term: r^i/i! for i ≥ 32, geometric beyond i = 32
        // with ratio r/33 < 1/4.
        let mut t = 1.0;
        let mut j = 1;
        while j <= 32 {
            t = t * r / j as f64;
            j += 1;
        }
        let tail = t * 4_294_967_296.0 * 4.0 / 3.0;
        out[k] = (sum_e + tail) * 1.01 + 1.0;
        k += 1;
    }
    out
};

/// `Σ_{i=0..59} x^i/i!` in f64 at compile time (all terms positive: a few ulps of relative
/// error for the `0 ≤ x ≤ 8` used below).
const fn exp_series(x: f64) -> f64 {
    let (mut sum, mut term, mut i) = (1.0, 1.0, 1);
    while i < 60 {
        term = term * x / i as f64;
        sum += term;
        i += 1;
    }
    sum
}

/// `e^i` for `i = 0..=MAX_R`.
const EXP_INT: [f64; MAX_R + 1] = {
    let mut out = [0.0; MAX_R + 1];
    let mut i = 0;
    while i <= MAX_R {
        out[i] = exp_series(i as f64);
        i += 1;
    }
    out
};

/// `e^(j/64)` for `j = 0..64`.
const EXP_FRAC: [f64; 64] = {
    let mut out = [0.0; 64];
    let mut j = 0;
    while j < 64 {
        out[j] = exp_series(j as f64 / 64.0);
        j += 1;
    }
    out
};

/// `e^r` for `r = o / 2^32 ≤ MAX_R` (o the raw bits), without the platform `exp` (a libm routine
/// in wasm): `e^i · e^(j/64) · P(δ)` with `r = i + j/64 + δ`, `0 ≤ δ < 2^−6` exact, and `P` the
/// degree-6 Taylor polynomial (truncation below `δ^7/7! < 2^−54`), evaluated in Estrin's
/// scheme (`δ²`, `δ⁴` and three independent pairs: about half the dependent latency of Horner's,
/// which bounded the liquid-alpha sigmoid). Error budget (relative): a table entry sums at most
/// 60 positive terms, each within `2i` roundings, so it is within `2^−47` (a crude bound; a few
/// ulps in practice); the polynomial and the two products add about a dozen roundings
/// (`2^−49`). In all below `2^−45.5`, well inside the bracket's `2^−40` margin (and
/// property-tested against `f64::exp`).
#[inline]
pub fn exp_f64(o: u64) -> Option<f64> {
    let int = *EXP_INT.get(usize::try_from(o >> 32).ok()?)?;
    let frac = *EXP_FRAC.get(((o >> 26) & 63) as usize)?;
    // δ·2^32 < 2^26: exact in f64 (signed conversion, one instruction), and so is δ.
    let d = ((o & ((1 << 26) - 1)) as i64) as f64 * (1.0 / 4_294_967_296.0);
    let (d2, lo) = (d * d, 1.0 + d);
    let d4 = d2 * d2;
    let mid = 1.0 / 2.0 + d * (1.0 / 6.0);
    let hi = (1.0 / 24.0 + d * (1.0 / 120.0)) + d2 * (1.0 / 720.0);
    let p = lo + d2 * mid + d4 * hi;
    Some(int * frac * p)
}

/// `(lo, hi)` with `lo ≤ exp_i32f32(x) ≤ hi` (both `Some`), or `None` outside the served range.
#[inline]
pub fn exp_bracket(x: I32F32) -> Option<(I32F32, I32F32)> {
    let bits = x.to_bits();
    if bits > 0 {
        let (lo, hi) = exp_bracket_positive(x)?;
        Some((I32F32::from_bits(lo), I32F32::from_bits(hi)))
    } else {
        // bits = 0 gives o = 0, which `bounds` refuses.
        let (lo, hi) = bounds(bits.unsigned_abs())?;
        reciprocal_bracket(lo, hi)
    }
}

/// [`exp_bracket`] for `x > 0`, as raw bits (`None` for `x ≤ 0` too). Callers that treat the two
/// sides apart keep this side's bounds in registers: in wasm, one result merged from both sides
/// (the negative one returned through memory by [`reciprocal_bracket`]) was stored and reloaded
/// as a vector on every call, a store-forwarding stall worth a third of the sigmoid's time.
#[inline(always)]
pub fn exp_bracket_positive(x: I32F32) -> Option<(i64, i64)> {
    let bits = x.to_bits();
    if bits <= 0 || bits == ONE_BITS {
        return None;
    }
    bounds(bits as u64)
}

/// Bounds on the series' `exp(r)` bits for `r = o / 2^32`, `0 < o ≤ MAX_R·2^32`.
#[inline(always)]
fn bounds(o: u64) -> Option<(i64, i64)> {
    if o == 0 || o > (MAX_R as u64) << 32 {
        return None;
    }
    // ceil(r) ∈ 1..=MAX_R indexes the error table.
    let k = (o.div_ceil(1 << 32)) as usize;
    let err = *ERR.get(k)?;
    let base = 4_294_967_296.0 * exp_f64(o)?;
    // A relative margin of 2^−40.
    let margin = base * (1.0 / 1_099_511_627_776.0);
    // Both ends are in (0, 2^44) (e^8 < 2^11.6; the error sums stay far below 2^32): rounded to
    // the nearest integer, within half a unit, then widened by 2.
    let hi = round_small(base + margin) + 2;
    let lo = round_small(base - margin - err) - 2;
    // S ≥ 2^32 + o always (the first two terms are exact).
    Some((lo.max(ONE_BITS + o as i64), hi))
}

/// The integer nearest `v` (ties either way) for `0 ≤ v < 2^51`: adding `2^52` leaves the
/// rounded value in the low mantissa bits (f64's spacing in `[2^52, 2^53)` is 1). In wasm this is
/// an add and a reinterpretation, where `as i64` (a saturating truncation) took a rounding, two
/// conversions and a compare. Outside that range (never reached) it still returns some i64.
#[inline(always)]
fn round_small(v: f64) -> i64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    ((v + TWO_52).to_bits() as i64).wrapping_sub(TWO_52.to_bits() as i64)
}

/// The bracket of `exp(−r)` from that of `exp(r)`: `1/S` is decreasing in `S`, and the crate's
/// quotient is monotone, so it brackets `1/S` too. Kept out of line (two 128-bit divisions).
#[cold]
#[inline(never)]
fn reciprocal_bracket(lo: i64, hi: i64) -> Option<(I32F32, I32F32)> {
    let one = I32F32::from_bits(ONE_BITS);
    Some((
        cdiv(one, I32F32::from_bits(hi))?,
        cdiv(one, I32F32::from_bits(lo))?,
    ))
}

// proptest has no wasm32-unknown-unknown backend: native only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::fast::exp_i32f32;
    use super::*;
    use proptest::prelude::*;

    fn check(bits: i64) -> std::result::Result<(), TestCaseError> {
        let x = I32F32::from_bits(bits);
        if let Some((lo, hi)) = exp_bracket(x) {
            let exact = exp_i32f32(x).expect("in range");
            prop_assert!(
                lo <= exact && exact <= hi,
                "x={bits}: {lo:?} ≤ {exact:?} ≤ {hi:?}"
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100_000))]
        #[test]
        fn bracket_holds(bits in -(9i64 << 32)..(9i64 << 32)) {
            check(bits)?;
        }

        #[test]
        fn bracket_holds_near_integers(k in -9i64..=9, off in -4096i64..=4096) {
            check((k << 32) + off)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100_000))]
        /// The table-and-polynomial `e^r` is within `2^−46` of the platform's (itself within an
        /// ulp), inside the `2^−45` the bracket's margin budgets.
        #[test]
        fn exp_f64_is_close(o in 0u64..=(8u64 << 32), shift in 0u32..36) {
            for o in [o, o >> shift, (o >> 26) << 26] {
                let r = o as f64 / 4_294_967_296.0;
                let (got, want) = (exp_f64(o).unwrap(), r.exp());
                prop_assert!(((got - want) / want).abs() < 1.0 / (1u64 << 46) as f64, "r={r}: {got} vs {want}");
            }
        }
    }

    proptest! {
        /// The nearest integer, on both sides of every half (and at the ends of the range).
        #[test]
        fn round_small_is_nearest(v in prop_oneof![0f64..2_251_799_813_685_248.0, 0f64..4.0, Just(0.0), Just(0.5), Just(2_251_799_813_685_247.5)]) {
            let r = round_small(v);
            prop_assert!((r as f64 - v).abs() <= 0.5, "{v} -> {r}");
        }
    }

    #[test]
    fn exp_f64_range() {
        assert_eq!(exp_f64(0), Some(1.0));
        assert!(exp_f64(8 << 32).is_some());
        assert!(exp_f64((9 << 32) - 1).is_some());
        assert!(exp_f64(9 << 32).is_none());
    }

    #[test]
    fn bracket_edges() {
        for bits in [
            1i64,
            -1,
            2,
            (8 << 32) - 1,
            8 << 32,
            -(8 << 32),
            (8 << 32) + 1,
        ] {
            check(bits).unwrap();
        }
        assert!(exp_bracket(I32F32::from_bits(0)).is_none());
        assert!(exp_bracket(I32F32::from_bits(ONE_BITS)).is_none());
        assert!(exp_bracket(I32F32::from_bits(-ONE_BITS)).is_some());
        assert!(exp_bracket(I32F32::from_bits((8 << 32) + 1)).is_none());
    }

    #[test]
    fn bracket_is_tight() {
        // Narrow enough to decide a flat caller: well under a millionth of the value.
        for bits in [5i64 << 32, 3 << 31, -(5 << 32), 1 << 30] {
            let (lo, hi) = exp_bracket(I32F32::from_bits(bits)).unwrap();
            let (lo, hi) = (lo.to_bits(), hi.to_bits());
            assert!(hi - lo < 1 + hi / 1_000_000, "x={bits}: {lo}..{hi}");
        }
    }
}
