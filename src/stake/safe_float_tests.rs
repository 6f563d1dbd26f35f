//! The reference for `SafeFloat`: the heap big-integer form it had before the stack rewrite
//! (each intermediate a [`BigUint`], which cannot overflow), compared operation by operation
//! with the current one on random and edge operands.

use super::*;
use crate::pool::bigint::BigUint;

/// `SafeFloat` as it was, with the same fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Ref {
    mantissa: u128,
    exponent: i64,
}

/// `10^e`, capped at `10^22` (larger powers are never needed: mantissas have 21 digits).
fn ref_cappow10(e: u64) -> BigUint {
    if e > (SAFE_FLOAT_MAX_EXP as u64).saturating_add(1) {
        return BigUint::from_u128(SAFE_FLOAT_MAX).mul_u64(10);
    }
    BigUint::from_u64(10).pow(e as u32)
}

impl Ref {
    /// Zero.
    pub const fn zero() -> Self {
        Ref {
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
        Self::normalized(&BigUint::from_u128(mantissa), exponent)
    }

    /// From an integer (`Ref::from(u64)`).
    pub fn from_u64(v: u64) -> Self {
        Self::new(u128::from(v), 0).unwrap_or_default()
    }

    /// From a `U64F64` given as its bits (`Ref::from(U64F64)`, the read of the legacy
    /// `Alpha` / `TotalHotkeyShares` maps): the integer part plus `frac / 2^64`, each step
    /// normalised and truncated as the chain does (subtensor @ v3.4.9-424
    /// `primitives/share-pool/src/lib.rs`).
    pub fn from_u64f64_bits(bits: u128) -> Self {
        if bits == 0 {
            return Ref::zero();
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

    fn normalized(m: &BigUint, e: i64) -> Option<Self> {
        if m.is_zero() {
            return Some(Ref::zero());
        }
        let max = BigUint::from_u128(SAFE_FLOAT_MAX);
        let min = BigUint::from_u128(SAFE_FLOAT_MAX / 10);
        let mut m = m.clone();
        let mut e = e;
        while m > max {
            m = m.divrem_u64(10).map(|(q, _)| q)?;
            e = e.checked_add(1)?;
        }
        while m <= min {
            m = m.mul_u64(10);
            e = e.checked_sub(1)?;
        }
        Some(Ref {
            mantissa: m.to_u128()?,
            exponent: e,
        })
    }

    /// `self / a` keeping 21 digits; `None` for a zero divisor.
    pub fn div(&self, a: &Ref) -> Option<Self> {
        if a.mantissa == 0 {
            return None;
        }
        let m = BigUint::from_u128(self.mantissa)
            .mul(&BigUint::from_u128(SAFE_FLOAT_MAX))
            .div_floor(&BigUint::from_u128(a.mantissa));
        let e = i128::from(self.exponent) - i128::from(a.exponent) - i128::from(SAFE_FLOAT_MAX_EXP);
        Self::normalized(&m, i64::try_from(e).ok()?)
    }

    fn aligned(&self, a: &Ref) -> (BigUint, BigUint, i64) {
        if self.exponent >= a.exponent {
            let diff = self.exponent.saturating_sub(a.exponent) as u64;
            let m2 = BigUint::from_u128(a.mantissa).div_floor(&ref_cappow10(diff));
            (BigUint::from_u128(self.mantissa), m2, self.exponent)
        } else {
            let diff = a.exponent.saturating_sub(self.exponent) as u64;
            let m1 = BigUint::from_u128(self.mantissa).div_floor(&ref_cappow10(diff));
            (m1, BigUint::from_u128(a.mantissa), a.exponent)
        }
    }

    /// `self + a` (the smaller operand truncated to the larger one's exponent).
    pub fn add(&self, a: &Ref) -> Option<Self> {
        if self.is_zero() {
            return Some(a.clone());
        }
        if a.is_zero() {
            return Some(self.clone());
        }
        let (m1, m2, e) = self.aligned(a);
        Self::normalized(&m1.add(&m2), e)
    }

    /// `self - a`, saturating at zero; `None` when `self` is zero and `a` is not.
    pub fn sub(&self, a: &Ref) -> Option<Self> {
        if self.is_zero() && a.is_zero() {
            return Some(Ref::zero());
        }
        if self.is_zero() {
            return None;
        }
        if a.is_zero() {
            return Some(self.clone());
        }
        let (m1, m2, e) = self.aligned(a);
        Self::normalized(&m1.saturating_sub(&m2), e)
    }

    /// Exact `self − a` for `self ≥ a`, computed at the finer exponent of the two so no digit
    /// is dropped before subtracting, then normalised (rounded toward zero). `None` when
    /// `self < a`, `self` is zero (and `a` is not), or an operand scaled to the finer exponent
    /// does not fit the chain's U256. Added with the share-pool accounting of spec
    /// `pool-after-425.md` §5.1 (RaoFoundation/subtensor `primitives/share-pool/src/lib.rs`,
    /// index id 71438766555).
    pub fn sub_exact_floor(&self, a: &Ref) -> Option<Self> {
        if a.is_zero() {
            return Some(self.clone());
        }
        if self.is_zero() {
            return None;
        }
        let exponent = self.exponent.min(a.exponent);
        let scale = |v: &Ref| -> Option<BigUint> {
            let shift = u32::try_from(v.exponent.checked_sub(exponent)?).ok()?;
            let factor = BigUint::from_u64(10).pow(shift);
            let scaled = BigUint::from_u128(v.mantissa).mul(&factor);
            // U256 checked_pow / checked_mul.
            (factor.bits() <= 256 && scaled.bits() <= 256).then_some(scaled)
        };
        let difference = scale(self)?.checked_sub(&scale(a)?)?;
        Self::normalized(&difference, exponent)
    }

    /// `self × a / b` with one truncation; `None` for `b == 0`.
    pub fn mul_div(&self, a: &Ref, b: &Ref) -> Option<Self> {
        if b.mantissa == 0 {
            return None;
        }
        let m = BigUint::from_u128(self.mantissa)
            .mul(&BigUint::from_u128(a.mantissa))
            .div_floor(&BigUint::from_u128(b.mantissa));
        let e = self
            .exponent
            .checked_add(a.exponent)?
            .checked_sub(b.exponent)?;
        Self::normalized(&m, e)
    }

    /// `self > a` for normalised values.
    pub fn gt(&self, a: &Ref) -> bool {
        let ten = |m: u128| BigUint::from_u128(m).mul_u64(10);
        match self.exponent.cmp(&a.exponent) {
            Ordering::Equal => self.mantissa > a.mantissa,
            Ordering::Greater => {
                self.exponent.saturating_sub(a.exponent) > 1
                    || ten(self.mantissa) > BigUint::from_u128(a.mantissa)
            }
            Ordering::Less => {
                a.exponent.saturating_sub(self.exponent) <= 1
                    && BigUint::from_u128(self.mantissa) > ten(a.mantissa)
            }
        }
    }

    /// Floor to `u64`, saturating.
    pub fn to_u64(&self) -> u64 {
        if self.exponent == 0 {
            return u64::try_from(self.mantissa).unwrap_or(u64::MAX);
        }
        let scale = ref_cappow10(self.exponent.unsigned_abs());
        let q = if self.exponent > 0 {
            BigUint::from_u128(self.mantissa).mul(&scale)
        } else {
            BigUint::from_u128(self.mantissa).div_floor(&scale)
        };
        q.to_u64().unwrap_or(u64::MAX)
    }
}

/// The current value and the reference's, built from the same `(mantissa, exponent)`.
fn pair(m: u128, e: i64) -> Option<(SafeFloat, Ref)> {
    Some((SafeFloat::new(m, e)?, Ref::new(m, e)?))
}

fn same(got: Option<SafeFloat>, want: Option<Ref>, what: &str) {
    let got = got.map(|v| (v.mantissa(), v.exponent()));
    let want = want.map(|v| (v.mantissa(), v.exponent()));
    assert_eq!(got, want, "{what}");
}

/// Operands: mantissas from 0 to 10^21 with their edges (10^20 ± 1, 10^21 − 1, powers of ten,
/// all nines) and random ones; exponents near each other (so additions align) and far apart,
/// at the extremes of i64 (so exponent arithmetic overflows).
fn operands() -> Vec<(u128, i64)> {
    let mut next = crate::fixed::splitmix(0x5AFE_F10A_7000_0001);
    let mantissas = |next: &mut dyn FnMut() -> u64| -> u128 {
        let r = next();
        match r % 8 {
            0 => 0,
            1 => SAFE_FLOAT_MAX,
            2 => SAFE_FLOAT_MAX / 10 + [0, 1, 2][(r >> 8) as usize % 3],
            3 => SAFE_FLOAT_MAX - 1,
            4 => POW10[(r >> 8) as usize % 22],
            5 => POW10[(r >> 8) as usize % 22 + 1] - 1,
            6 => u128::from(next()),
            _ => (u128::from(next()) << 64 | u128::from(next())) % (SAFE_FLOAT_MAX + 1),
        }
    };
    let mut out = Vec::new();
    for _ in 0..4_000 {
        let m = mantissas(&mut next);
        let r = next();
        let e = match r % 6 {
            0 => 0,
            1 => (r >> 8) as i64 % 30 - 15,
            2 => (r >> 8) as i64 % 60 - 30,
            3 => i64::MAX - (r >> 8) as i64 % 3,
            4 => i64::MIN + (r >> 8) as i64 % 3,
            _ => (r >> 8) as i64 % 1_000 - 500,
        };
        out.push((m, e));
    }
    out
}

/// Every operation equals the heap reference on the same operands: construction and
/// normalisation, `add`, `sub`, `sub_exact_floor`, `div`, `mul_div`, `gt`, `to_u64` and the U64F64
/// conversion.
#[test]
fn stack_form_equals_the_heap_reference() {
    let ops = operands();
    let mut next = crate::fixed::splitmix(0x0DD5_AFE0);
    let mut checked = 0usize;
    for (i, &(m, e)) in ops.iter().enumerate() {
        same(SafeFloat::new(m, e), Ref::new(m, e), "new");
        let Some((a, ra)) = pair(m, e) else { continue };
        assert_eq!(a.to_u64(), ra.to_u64(), "to_u64 {m} {e}");
        let v = next();
        assert_eq!(
            (
                SafeFloat::from_u64(v).mantissa(),
                SafeFloat::from_u64(v).exponent()
            ),
            (Ref::from_u64(v).mantissa(), Ref::from_u64(v).exponent()),
            "from_u64 {v}"
        );
        let bits = u128::from(next()) << (next() % 64) | u128::from(next());
        let (x, rx) = (
            SafeFloat::from_u64f64_bits(bits),
            Ref::from_u64f64_bits(bits),
        );
        assert_eq!(
            (x.mantissa(), x.exponent()),
            (rx.mantissa(), rx.exponent()),
            "u64f64 {bits}"
        );
        // Against a few others: the neighbours and random picks.
        for k in [
            i + 1,
            i + 2,
            (next() as usize) % ops.len(),
            (next() as usize) % ops.len(),
        ] {
            let Some(&(m2, e2)) = ops.get(k % ops.len()) else {
                continue;
            };
            let Some((b, rb)) = pair(m2, e2) else {
                continue;
            };
            let what = format!("{m}e{e} with {m2}e{e2}");
            same(a.add(&b), ra.add(&rb), &format!("add {what}"));
            same(a.sub(&b), ra.sub(&rb), &format!("sub {what}"));
            same(
                a.sub_exact_floor(&b),
                ra.sub_exact_floor(&rb),
                &format!("sub_exact {what}"),
            );
            same(a.div(&b), ra.div(&rb), &format!("div {what}"));
            assert_eq!(a.gt(&b), ra.gt(&rb), "gt {what}");
            let (c, rc) = pair(ops[(k + 7) % ops.len()].0, ops[(k + 7) % ops.len()].1)
                .unwrap_or((SafeFloat::zero(), Ref::zero()));
            same(
                a.mul_div(&b, &c),
                ra.mul_div(&rb, &rc),
                &format!("mul_div {what}"),
            );
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked} pairs");
}
