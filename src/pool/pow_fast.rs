//! The series path of [`super::pow::pow_ratio_scaled`] on fixed-width stack integers, for `u64`
//! bases and scales: the same integer sequence as the heap [`super::bigint`] version, step for
//! step, so the same result bit for bit.
//!
//! Port of the same algorithm (`SafeInt::pow_ratio_scaled`, `sam0x17/safe-bigmath` rev
//! `013c49984910e1c9a23289e8c85e7a856e263a02`, called by opentensor/subtensor
//! `pallets/swap/src/pallet/balancer.rs`). Three rewrites keep every intermediate identical:
//!
//! * values are sign and magnitude over six `u64` limbs (384 bits; the swap exponentials work at
//!   280 bits). Every operation is checked: a value that would not fit makes the whole evaluation
//!   return `None`, and the caller falls back to the heap version, so a result from here is
//!   always the heap version's result;
//! * `ln` of a `u64` value multiplies by `x = mantissa − 2^I`, which is `(v − 2^s)·2^(I−s)`: one
//!   signed 64-bit limb times a power of two. `floor(t·x / 2^I)` is therefore computed as
//!   `floor(t·(v − 2^s) / 2^s)`, a 6×1-limb product instead of 6×6 (the same integer);
//! * the series stop rule `|next| < 2^guard || round(result) == round(previous)` is the same as
//!   `|next| < 2^guard`: rounding half away from zero moves by at least one unit whenever its
//!   argument moves by at least `2^guard`, so the second test never fires alone.
//!
//! Speed without changing a bit: the series' divisions by the term counter multiply by a
//! reciprocal (exact for counters below `2^16`, see `mag_divrem_small`), and the logarithms of
//! the last few `u64` values are remembered per thread ([`set_ln_memo`]), because the reserve
//! after one swap is the reserve the next swap on that pool starts from.
//!
//! (Over 500 lines: the limb arithmetic, the series and the tests that pin each shortcut to the
//! plain operation it replaces belong together.)

use core::cmp::Ordering;

const L: usize = 6;
const L2: usize = 2 * L;

/// A signed fixed-width integer (sign and magnitude; zero is never negative).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fx {
    neg: bool,
    mag: [u64; L],
}

type Mag = [u64; L];

fn mag_is_zero(a: &Mag) -> bool {
    a.iter().all(|&l| l == 0)
}

fn mag_bits(a: &Mag) -> u64 {
    for (i, &l) in a.iter().enumerate().rev() {
        if l != 0 {
            return (i as u64) * 64 + (64 - u64::from(l.leading_zeros()));
        }
    }
    0
}

fn mag_cmp(a: &Mag, b: &Mag) -> Ordering {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        match x.cmp(y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

fn mag_add(a: &Mag, b: &Mag) -> Option<Mag> {
    let mut out = [0u64; L];
    let mut carry = false;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let (s1, c1) = x.overflowing_add(y);
        let (s2, c2) = s1.overflowing_add(u64::from(carry));
        *o = s2;
        carry = c1 || c2;
    }
    (!carry).then_some(out)
}

/// `a − b` for `a ≥ b`.
fn mag_sub(a: &Mag, b: &Mag) -> Mag {
    let mut out = [0u64; L];
    let mut borrow = false;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *o = d2;
        borrow = b1 || b2;
    }
    out
}

fn mag_inc(a: &Mag) -> Option<Mag> {
    let mut one = [0u64; L];
    if let Some(l) = one.first_mut() {
        *l = 1;
    }
    mag_add(a, &one)
}

/// `a·b + c + d` as `(low, high)` limbs (never overflows: at most `2^128 − 1`).
#[inline(always)]
pub(crate) fn mac(a: u64, b: u64, c: u64, d: u64) -> (u64, u64) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let t = u128::from(a) * u128::from(b) + u128::from(c) + u128::from(d);
        (t as u64, (t >> 64) as u64)
    }
    #[cfg(target_arch = "wasm32")]
    {
        mac_halves(a, b, c, d)
    }
}

/// [`mac`] from 32-bit halves: on wasm32 this avoids the generic 128×128 `__multi3` call.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[inline(always)]
fn mac_halves(a: u64, b: u64, c: u64, d: u64) -> (u64, u64) {
    let (a0, a1) = (a & 0xffff_ffff, a >> 32);
    let (b0, b1) = (b & 0xffff_ffff, b >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // middle column: three terms below 2^32 each
    let mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
    let lo = (p00 & 0xffff_ffff) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    let (lo, c1) = lo.overflowing_add(c);
    let (lo, c2) = lo.overflowing_add(d);
    (lo, hi + u64::from(c1) + u64::from(c2))
}

/// `a × m`.
fn mag_mul_u64(a: &Mag, m: u64) -> Option<Mag> {
    let mut out = [0u64; L];
    let mut carry = 0u64;
    for (o, &x) in out.iter_mut().zip(a) {
        let (lo, hi) = mac(x, m, carry, 0);
        *o = lo;
        carry = hi;
    }
    (carry == 0).then_some(out)
}

/// Shift a wide value right by `n` bits, with whether any dropped bit was set; `None` when the
/// result does not fit `L` limbs.
fn wide_shr<const W: usize>(a: &[u64; W], n: u64) -> Option<(Mag, bool)> {
    let words = (n / 64) as usize;
    let bits = (n % 64) as u32;
    let mut out = [0u64; L];
    for (i, o) in out.iter_mut().enumerate() {
        let lo = a.get(i + words).copied().unwrap_or(0);
        let hi = a.get(i + words + 1).copied().unwrap_or(0);
        *o = if bits == 0 {
            lo
        } else {
            (lo >> bits) | (hi << (64 - bits))
        };
    }
    // Bits at or above position n + 64·L must be zero.
    let top = n.checked_add(64 * L as u64)?;
    let top_word = (top / 64) as usize;
    let top_bits = (top % 64) as u32;
    for (i, &l) in a.iter().enumerate() {
        let above = if i > top_word {
            l
        } else if i == top_word {
            l.checked_shr(top_bits).unwrap_or(0)
        } else {
            0
        };
        if above != 0 {
            return None;
        }
    }
    let mut dropped = false;
    for (i, &l) in a.iter().enumerate().take(words + 1) {
        let mask = if i < words {
            u64::MAX
        } else if bits == 0 {
            0
        } else {
            (1u64 << bits) - 1
        };
        dropped |= l & mask != 0;
    }
    Some((out, dropped))
}

/// [`wide_shr`] of an `L + 1`-limb value by `b < 64` bits (the `ln` series' shifts): one funnel
/// shift per limb; the same quotient, dropped-bit flag and overflow rule.
#[inline]
fn shr_below_64(a: &[u64; L + 1], b: u32) -> Option<(Mag, bool)> {
    let top = a.last().copied().unwrap_or(0);
    let low = a.first().copied().unwrap_or(0);
    let mut out = [0u64; L];
    if b == 0 {
        if top != 0 {
            return None;
        }
        for (o, &l) in out.iter_mut().zip(a) {
            *o = l;
        }
        return Some((out, false));
    }
    if top >> b != 0 {
        return None;
    }
    for ((o, &lo), &hi) in out.iter_mut().zip(a).zip(a.iter().skip(1)) {
        *o = (lo >> b) | (hi << (64 - b));
    }
    Some((out, low & ((1u64 << b) - 1) != 0))
}

/// Number of limbs up to the highest non-zero one.
fn mag_len(a: &Mag) -> usize {
    a.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1)
}

/// `(a / d, a % d)` for a divisor below `2^32` (two 32-bit steps per limb, no 128-bit division;
/// zero high limbs are skipped). Divisors below `2^16` (the series' term counters) divide by
/// multiplying with `m = ⌈2^64 / d⌉`: for a step dividend `n < d·2^32`, `n·d < 2^64`, so
/// `⌊n·m / 2^64⌋ = ⌊n / d⌋` exactly (the error `n·(m·d − 2^64) / 2^64` stays below one unit
/// of `1/d`), and one division per call replaces two per limb.
fn mag_divrem_small(a: &Mag, d: u32) -> (Mag, u64) {
    let d = u64::from(d.max(1));
    let mut out = [0u64; L];
    let mut rem = 0u64;
    let len = mag_len(a);
    if d < 1 << 16 {
        if d == 1 {
            return (*a, 0);
        }
        let m = u64::MAX / d + 1;
        let step = |n: u64| {
            let q = mac(n, m, 0, 0).1;
            (q, n - q * d)
        };
        for (o, &x) in out.iter_mut().zip(a).take(len).rev() {
            let (qh, r) = step((rem << 32) | (x >> 32));
            let (ql, r) = step((r << 32) | (x & 0xffff_ffff));
            rem = r;
            *o = (qh << 32) | ql;
        }
        return (out, rem);
    }
    for (o, &x) in out.iter_mut().zip(a).take(len).rev() {
        let hi = (rem << 32) | (x >> 32);
        let qh = hi / d;
        rem = hi % d;
        let lo = (rem << 32) | (x & 0xffff_ffff);
        let ql = lo / d;
        rem = lo % d;
        *o = (qh << 32) | ql;
    }
    (out, rem)
}

/// `(a / d, a % d)` for any non-zero `u64` divisor.
fn mag_divrem_u64(a: &Mag, d: u64) -> (Mag, u64) {
    if let Ok(small) = u32::try_from(d) {
        return mag_divrem_small(a, small);
    }
    let mut out = [0u64; L];
    let mut rem = 0u128;
    for (o, &x) in out.iter_mut().zip(a).rev() {
        let cur = (rem << 64) | u128::from(x);
        *o = (cur / u128::from(d)) as u64;
        rem = cur % u128::from(d);
    }
    (out, rem as u64)
}

impl Fx {
    const ZERO: Fx = Fx {
        neg: false,
        mag: [0; L],
    };

    fn new(neg: bool, mag: Mag) -> Fx {
        let neg = neg && !mag_is_zero(&mag);
        Fx { neg, mag }
    }

    /// `2^n`, `None` when it does not fit.
    pub(crate) fn pow2(n: u64) -> Option<Fx> {
        let mut mag = [0u64; L];
        *mag.get_mut((n / 64) as usize)? = 1u64 << (n % 64);
        Some(Fx::new(false, mag))
    }

    fn is_zero(&self) -> bool {
        mag_is_zero(&self.mag)
    }

    fn negate(self) -> Fx {
        Fx::new(!self.neg, self.mag)
    }

    fn add(&self, o: &Fx) -> Option<Fx> {
        if self.neg == o.neg {
            return Some(Fx::new(self.neg, mag_add(&self.mag, &o.mag)?));
        }
        Some(match mag_cmp(&self.mag, &o.mag) {
            Ordering::Less => Fx::new(o.neg, mag_sub(&o.mag, &self.mag)),
            _ => Fx::new(self.neg, mag_sub(&self.mag, &o.mag)),
        })
    }

    fn sub(&self, o: &Fx) -> Option<Fx> {
        self.add(&o.negate())
    }

    fn mul_u64(&self, m: u64) -> Option<Fx> {
        Some(Fx::new(self.neg, mag_mul_u64(&self.mag, m)?))
    }

    /// Floor of a signed quotient from a magnitude quotient and whether it was inexact.
    fn floor_of(neg: bool, q: Mag, inexact: bool) -> Option<Fx> {
        if neg && inexact {
            Some(Fx::new(true, mag_inc(&q)?))
        } else {
            Some(Fx::new(neg, q))
        }
    }

    /// `floor(self × o / 2^n)`.
    fn mul_shr_floor(&self, o: &Fx, n: u64) -> Option<Fx> {
        let la = mag_len(&self.mag);
        let lb = mag_len(&o.mag);
        let mut wide = [0u64; L2];
        for (i, &a) in self.mag.iter().enumerate().take(la) {
            let mut carry = 0u64;
            for (j, &b) in o.mag.iter().enumerate().take(lb) {
                if let Some(slot) = wide.get_mut(i + j) {
                    let (lo, hi) = mac(a, b, *slot, carry);
                    *slot = lo;
                    carry = hi;
                }
            }
            if let Some(slot) = wide.get_mut(i + lb) {
                *slot = carry;
            }
        }
        let (q, dropped) = wide_shr(&wide, n)?;
        Fx::floor_of(self.neg != o.neg, q, dropped)
    }

    /// `floor(self × (±m) / 2^n)` for a one-limb factor.
    fn mul_small_shr_floor(&self, m_neg: bool, m: u64, n: u64) -> Option<Fx> {
        let mut wide = [0u64; L + 1];
        let mut carry = 0u64;
        let len = mag_len(&self.mag);
        for (o, &a) in wide.iter_mut().zip(&self.mag).take(len) {
            let (lo, hi) = mac(a, m, carry, 0);
            *o = lo;
            carry = hi;
        }
        if let Some(slot) = wide.get_mut(len) {
            *slot = carry;
        }
        let (q, dropped) = match u32::try_from(n) {
            Ok(b) if b < 64 => shr_below_64(&wide, b)?,
            _ => wide_shr(&wide, n)?,
        };
        Fx::floor_of(self.neg != m_neg, q, dropped)
    }

    /// `floor(self / d)` for `d > 0`.
    fn div_floor_u64(&self, d: u64) -> Option<Fx> {
        if d == 0 {
            return None;
        }
        let (q, r) = mag_divrem_u64(&self.mag, d);
        Fx::floor_of(self.neg, q, r != 0)
    }

    /// `floor(self / 2^n)`.
    fn shr_floor(&self, n: u64) -> Option<Fx> {
        let (q, dropped) = wide_shr(&self.mag, n)?;
        Fx::floor_of(self.neg, q, dropped)
    }

    /// Drop `g ≥ 1` bits rounding half away from zero (the crate's `round_to_precision`).
    fn round_away(&self, g: u64) -> Option<Fx> {
        let (q, _) = wide_shr(&self.mag, g)?;
        let half_bit = g.checked_sub(1)?;
        let half = self
            .mag
            .get((half_bit / 64) as usize)
            .is_some_and(|l| (l >> (half_bit % 64)) & 1 == 1);
        if half {
            Some(Fx::new(self.neg, mag_inc(&q)?))
        } else {
            Some(Fx::new(self.neg, q))
        }
    }

    fn mag_below_pow2(&self, g: u64) -> bool {
        mag_bits(&self.mag) <= g
    }

    /// The value as `u64` classes: negative, fitting, or above `u64::MAX`.
    fn classify(&self) -> Scaled {
        if self.neg {
            return Scaled::Negative;
        }
        match self.mag.split_first() {
            Some((&lo, rest)) if rest.iter().all(|&l| l == 0) => Scaled::Value(lo),
            _ => Scaled::AboveU64,
        }
    }
}

/// A `pow_ratio_scaled` result as the pool code reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scaled {
    /// Below zero (only from a diverging series).
    Negative,
    /// In `0..=u64::MAX`.
    Value(u64),
    /// Above `u64::MAX`.
    AboveU64,
}

use std::cell::{Cell, RefCell};

/// Entries of the per-thread logarithm memo: `(internal, guard, max_iters, v, ln v)`.
type MemoEntry = Option<(u64, u64, usize, u64, Fx)>;
/// Logarithms remembered per thread (most recent first).
const MEMO_SIZE: usize = 4;

thread_local! {
    static MEMO_ON: Cell<bool> = const { Cell::new(true) };
    static LN_MEMO: RefCell<[MemoEntry; MEMO_SIZE]> = const { RefCell::new([None; MEMO_SIZE]) };
}

/// Turn this thread's logarithm memo on or off (on by default) and empty it. Results never
/// depend on it; the switch exists so tests can compare a run with memo against one without.
pub fn set_ln_memo(enabled: bool) {
    MEMO_ON.with(|c| c.set(enabled));
    LN_MEMO.with(|m| *m.borrow_mut() = [None; MEMO_SIZE]);
}

/// The constants of one series evaluation (`requested`, internal bits, iteration cap, `ln 2`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Series {
    pub(crate) requested: u64,
    pub(crate) internal: u64,
    pub(crate) guard: u64,
    pub(crate) max_iters: usize,
    ln_two: Fx,
}

impl Series {
    /// The constants for `(precision, scale)`, `None` when they do not fit the fixed width.
    pub(crate) fn new(precision: u32, scale: u64, guard: u64, cap: usize) -> Option<Series> {
        let scale_bits = 64 - u64::from(scale.leading_zeros());
        let requested = u64::from(precision)
            .max(32)
            .max(scale_bits.saturating_add(8));
        let internal = requested.checked_add(guard)?;
        // Leave room for ln of a u64 (≤ 2^(I+6)) times a 64-bit exponent part.
        if internal.checked_add(72)? > 64 * L as u64 || guard == 0 {
            return None;
        }
        let max_iters = cap.min(internal as usize + 128).max(1);
        let ln_two = ln_two(internal, guard, max_iters)?;
        Some(Series {
            requested,
            internal,
            guard,
            max_iters,
            ln_two,
        })
    }

    /// `ln(v)` at `internal` bits, as `ln_biguint`.
    pub(crate) fn ln_u64(&self, v: u64) -> Option<Fx> {
        if v == 0 {
            return Some(Fx::ZERO);
        }
        let i = self.internal;
        let mut s = 63 - u64::from(v.leading_zeros());
        // mantissa = v·2^(I−s) ≥ 1.5·2^I  ⟺  2v ≥ 3·2^s
        if u128::from(v) * 2 >= 3u128 << s {
            s += 1;
        }
        let diff = i128::from(v) - (1i128 << s);
        let xm = u64::try_from(diff.unsigned_abs()).ok()?;
        let ln_m = ln1p_scaled(diff < 0, xm, s, i, self.guard, self.max_iters)?;
        ln_m.add(&self.ln_two.mul_u64(s)?)
    }

    /// [`Series::ln_u64`] through a small per-thread memo of recent logarithms (see
    /// [`set_ln_memo`]): a pool's reserve is the numerator of every quote against it, and the
    /// denominator of one swap (`reserve + input`) is the reserve the next swap on that pool
    /// starts from. The key is the exact input (`internal` bits and `v`; the other constants
    /// follow from `internal` for the callers here), so a hit returns the same value a fresh
    /// computation would.
    pub(crate) fn ln_u64_cached(&self, v: u64) -> Option<Fx> {
        let enabled = MEMO_ON.with(Cell::get);
        if enabled {
            let hit = LN_MEMO.with(|m| {
                m.borrow()
                    .iter()
                    .flatten()
                    .find(|(i, g, c, x, _)| {
                        *i == self.internal && *g == self.guard && *c == self.max_iters && *x == v
                    })
                    .map(|e| e.4)
            });
            if hit.is_some() {
                return hit;
            }
        }
        let ln = self.ln_u64(v)?;
        if enabled {
            LN_MEMO.with(|m| {
                let mut m = m.borrow_mut();
                m.rotate_right(1);
                if let Some(first) = m.first_mut() {
                    *first = Some((self.internal, self.guard, self.max_iters, v, ln));
                }
            });
        }
        Some(ln)
    }

    /// `floor(exp(ln_num − ln_den)^(en/ed) ... )`: the tail of the series path after the two
    /// logarithms.
    pub(crate) fn finish(
        &self,
        ln_num: &Fx,
        ln_den: &Fx,
        en: u64,
        ed: u64,
        scale: u64,
    ) -> Option<Scaled> {
        let ln_base = ln_num.sub(ln_den)?;
        let ln_scaled = ln_base.mul_u64(en)?.div_floor_u64(ed)?;
        let e = exp_fixed(&ln_scaled, self.internal, self.guard, self.max_iters)?;
        let r = e.round_away(self.guard)?;
        Some(r.mul_u64(scale)?.shr_floor(self.requested)?.classify())
    }
}

/// `ln(1 + x)` for `x = ±xm·2^(I−s)`: every `floor(t·x / 2^I)` is `floor(t·(±xm) / 2^s)`.
fn ln1p_scaled(
    x_neg: bool,
    xm: u64,
    s: u64,
    internal: u64,
    guard: u64,
    max_iters: usize,
) -> Option<Fx> {
    let e = internal.checked_sub(s)?;
    let x = Fx::new(x_neg, mag_shl_u64(xm, e)?);
    let mut term = x;
    let mut result = x;
    for n in 2..=max_iters {
        term = term.mul_small_shr_floor(x_neg, xm, s)?;
        if term.is_zero() {
            break;
        }
        let next = term.div_floor_u64(n as u64)?;
        if next.is_zero() {
            break;
        }
        result = if n % 2 == 0 {
            result.sub(&next)?
        } else {
            result.add(&next)?
        };
        if next.mag_below_pow2(guard) {
            break;
        }
    }
    Some(result)
}

fn mag_shl_u64(v: u64, e: u64) -> Option<Mag> {
    let mut mag = [0u64; L];
    let w = (e / 64) as usize;
    let b = (e % 64) as u32;
    *mag.get_mut(w)? = v << b;
    let hi = if b == 0 { 0 } else { v >> (64 - b) };
    if hi != 0 {
        *mag.get_mut(w + 1)? = hi;
    }
    Some(mag)
}

/// `ln 2 = −ln(1 − 1/2)` as the crate computes it (`x = −1·2^(I−1)`).
fn ln_two(internal: u64, guard: u64, max_iters: usize) -> Option<Fx> {
    use std::sync::OnceLock;
    static LN2_280: OnceLock<Option<Fx>> = OnceLock::new();
    let compute = || ln1p_scaled(true, 1, 1, internal, guard, max_iters).map(Fx::negate);
    if internal == 280 && guard == 24 && max_iters == 408 {
        *LN2_280.get_or_init(compute)
    } else {
        compute()
    }
}

/// Taylor series of `exp(x)` (`exp_fixed`).
fn exp_fixed(x: &Fx, internal: u64, guard: u64, max_iters: usize) -> Option<Fx> {
    let mut term = Fx::pow2(internal)?;
    let mut result = term;
    for n in 1..=max_iters {
        term = term.mul_shr_floor(x, internal)?.div_floor_u64(n as u64)?;
        if term.is_zero() {
            break;
        }
        result = result.add(&term)?;
        if term.mag_below_pow2(guard) {
            break;
        }
    }
    Some(result)
}

/// The 280-bit series constants of the swap exponentials (precision 256, scale 10^18).
fn swap_series() -> Option<Series> {
    Series::new(256, 1_000_000_000_000_000_000, 24, 4_096)
}

/// A non-negative value at `internal` fractional bits floored to 120 fractional bits.
fn q120(v: &Fx, internal: u64) -> Option<u128> {
    if v.neg {
        return None;
    }
    let q = v.shr_floor(internal.checked_sub(120)?)?;
    match q.mag {
        [lo, hi, 0, 0, 0, 0] => Some((u128::from(hi) << 64) | u128::from(lo)),
        _ => None,
    }
}

/// `floor(ln(num / den) × 2^120)` for `num ≥ den ≥ 1`, from the chain's 280-bit series (error
/// below `2^-240` before the floor): the tables of [`super::pow_bracket`].
pub(crate) fn q120_ln_ratio(num: u64, den: u64) -> Option<u128> {
    let s = swap_series()?;
    q120(&s.ln_u64(num)?.sub(&s.ln_u64(den)?)?, s.internal)
}

/// `floor(exp(j / 2^shift) × 2^120)` for `j / 2^shift < 1`, from the chain's 280-bit series.
pub(crate) fn q120_exp_ratio(j: u64, shift: u64) -> Option<u128> {
    let s = swap_series()?;
    let x = Fx::new(false, mag_shl_u64(j, s.internal.checked_sub(shift)?)?);
    q120(&exp_fixed(&x, s.internal, s.guard, s.max_iters)?, s.internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: u64 = 1_000_000_000_000_000_000;

    #[test]
    fn swap_constants_fit_the_stack_path() {
        let s = Series::new(256, Q, 24, 4096);
        assert!(
            matches!(s, Some(s) if s.internal == 280 && s.requested == 256 && s.max_iters == 408)
        );
        // The limit deltas (precision 1024) do not fit and stay on the heap path.
        assert!(Series::new(1024, Q, 24, 4096).is_none());
    }

    /// The 32-bit-halves product of `mac` (the wasm32 branch), checked natively.
    #[test]
    fn halves_product_is_exact() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let edge = [0u64, 1, u64::MAX, u64::MAX - 1, 1 << 32, (1 << 32) - 1];
        for i in 0..100_000usize {
            let pick = |v: u64, k: usize| edge.get(k % 7).copied().unwrap_or(v);
            let (a, b, c, d) = (
                pick(next(), i),
                pick(next(), i / 7),
                pick(next(), i / 49),
                next(),
            );
            assert_eq!(mac_halves(a, b, c, d), mac(a, b, c, d), "{a} {b} {c} {d}");
        }
    }

    #[test]
    fn short_shift_matches_the_general_one() {
        let mut x = 0x1234_5678_9abc_def1u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for k in 0..4000u64 {
            let mut a = [0u64; L + 1];
            for (i, l) in a.iter_mut().enumerate() {
                *l = match (k as usize + i) % 4 {
                    0 => 0,
                    1 => next() >> (next() % 64),
                    _ => next(),
                };
            }
            let b = (k % 64) as u32;
            assert_eq!(
                shr_below_64(&a, b),
                wide_shr(&a, u64::from(b)),
                "{a:?} >> {b}"
            );
        }
    }

    /// The reciprocal division of `mag_divrem_small` against 128-bit division, limb by limb.
    #[test]
    fn small_divisor_reciprocal_is_exact() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let divisors = (1u32..=600).chain([
            1 << 15,
            (1 << 16) - 1,
            1 << 16,
            (1 << 16) + 1,
            u32::MAX,
            4093,
        ]);
        for d in divisors {
            for k in 0..40usize {
                let mut a = [0u64; L];
                for (i, l) in a.iter_mut().enumerate() {
                    *l = match (k + i) % 5 {
                        0 => u64::MAX,
                        1 => 0,
                        _ => next(),
                    };
                }
                let (q, r) = mag_divrem_small(&a, d);
                let mut rem = 0u128;
                let mut want = [0u64; L];
                for (o, &l) in want.iter_mut().zip(&a).rev() {
                    let cur = (rem << 64) | u128::from(l);
                    *o = (cur / u128::from(d)) as u64;
                    rem = cur % u128::from(d);
                }
                assert_eq!((q, r), (want, rem as u64), "d = {d}, a = {a:?}");
            }
        }
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let Some(big) = Fx::pow2(383) else {
            panic!("2^383 fits")
        };
        assert_eq!(big.add(&big), None);
        assert_eq!(big.mul_u64(2), None);
        assert_eq!(big.mul_shr_floor(&big, 100), None);
        assert_eq!(Fx::pow2(384), None);
        // floor of a negative quotient rounds down
        let m = Fx::new(true, mag_shl_u64(7, 0).unwrap_or_default());
        assert_eq!(
            m.shr_floor(1),
            Some(Fx::new(true, mag_shl_u64(4, 0).unwrap_or_default()))
        );
        assert_eq!(
            m.div_floor_u64(2),
            Some(Fx::new(true, mag_shl_u64(4, 0).unwrap_or_default()))
        );
        assert_eq!(
            m.round_away(1),
            Some(Fx::new(true, mag_shl_u64(4, 0).unwrap_or_default()))
        );
    }
}
