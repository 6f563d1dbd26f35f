//! Minimal arbitrary-precision integers for the balancer exponentiation (§11.4) and the 256-bit
//! intermediates of the swap and share-pool arithmetic.
//!
//! The chain uses `num-bigint` (through `safe-bigmath`) and `sp_core::U256`; this crate carries no
//! big-integer dependency, so the few operations the pool maths needs are written here: add, sub,
//! schoolbook multiply, shifts, comparison, power and Knuth long division. Limbs are `u64`,
//! little-endian, always normalised (no high zero limbs; zero is the empty vector).
//!
//! Every operation is total: nothing here panics or indexes out of bounds.
//!
//! Length: the big-integer operations the pool maths needs (add, sub, multiply, shifts, power,
//! Knuth division) depend on each other's limb invariants; the tests are the last 75 lines.

use core::cmp::Ordering;

/// An unsigned integer of any size.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BigUint {
    limbs: Vec<u64>,
}

#[allow(clippy::arithmetic_side_effects)]
impl BigUint {
    /// Zero.
    pub const fn zero() -> Self {
        BigUint { limbs: Vec::new() }
    }

    /// One.
    pub fn one() -> Self {
        Self::from_u64(1)
    }

    /// From a `u64`.
    pub fn from_u64(v: u64) -> Self {
        let mut b = BigUint { limbs: vec![v] };
        b.normalize();
        b
    }

    /// From a `u128`.
    pub fn from_u128(v: u128) -> Self {
        let mut b = BigUint {
            limbs: vec![v as u64, (v >> 64) as u64],
        };
        b.normalize();
        b
    }

    fn from_limbs(limbs: Vec<u64>) -> Self {
        let mut b = BigUint { limbs };
        b.normalize();
        b
    }

    fn normalize(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// Number of significant bits (0 for zero).
    pub fn bits(&self) -> u64 {
        match self.limbs.last() {
            None => 0,
            Some(&top) => {
                (self.limbs.len() as u64 - 1) * 64 + (64 - u64::from(top.leading_zeros()))
            }
        }
    }

    /// The value if it fits in a `u64`.
    pub fn to_u64(&self) -> Option<u64> {
        match self.limbs.as_slice() {
            [] => Some(0),
            [a] => Some(*a),
            _ => None,
        }
    }

    /// The value if it fits in a `u128`.
    pub fn to_u128(&self) -> Option<u128> {
        match self.limbs.as_slice() {
            [] => Some(0),
            [a] => Some(u128::from(*a)),
            [a, b] => Some(u128::from(*a) | (u128::from(*b) << 64)),
            _ => None,
        }
    }

    /// The value saturated to `u128::MAX`.
    pub fn to_u128_saturating(&self) -> u128 {
        self.to_u128().unwrap_or(u128::MAX)
    }

    /// Bit `i` (0 = least significant).
    pub fn bit(&self, i: u64) -> bool {
        let limb = (i / 64) as usize;
        self.limbs
            .get(limb)
            .is_some_and(|l| (l >> (i % 64)) & 1 == 1)
    }

    /// Whether any of the low `n` bits is set.
    pub fn low_bits_nonzero(&self, n: u64) -> bool {
        let full = (n / 64) as usize;
        let rest = n % 64;
        if self.limbs.iter().take(full).any(|&l| l != 0) {
            return true;
        }
        rest > 0
            && self
                .limbs
                .get(full)
                .is_some_and(|&l| l & ((1u64 << rest) - 1) != 0)
    }

    /// `self + other`.
    pub fn add(&self, other: &BigUint) -> BigUint {
        let (long, short) = if self.limbs.len() >= other.limbs.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut out = Vec::with_capacity(long.limbs.len() + 1);
        let mut carry = 0u64;
        for (i, &a) in long.limbs.iter().enumerate() {
            let b = short.limbs.get(i).copied().unwrap_or(0);
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(carry);
            out.push(s2);
            carry = u64::from(c1) + u64::from(c2);
        }
        if carry > 0 {
            out.push(carry);
        }
        BigUint::from_limbs(out)
    }

    /// `self - other`, or `None` when `other > self`.
    pub fn checked_sub(&self, other: &BigUint) -> Option<BigUint> {
        if self.cmp(other) == Ordering::Less {
            return None;
        }
        let mut out = Vec::with_capacity(self.limbs.len());
        let mut borrow = 0u64;
        for (i, &a) in self.limbs.iter().enumerate() {
            let b = other.limbs.get(i).copied().unwrap_or(0);
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(borrow);
            out.push(d2);
            borrow = u64::from(b1) + u64::from(b2);
        }
        Some(BigUint::from_limbs(out))
    }

    /// `self - other`, saturating at zero.
    pub fn saturating_sub(&self, other: &BigUint) -> BigUint {
        self.checked_sub(other).unwrap_or_default()
    }

    /// `self * other` (schoolbook).
    pub fn mul(&self, other: &BigUint) -> BigUint {
        if self.is_zero() || other.is_zero() {
            return BigUint::zero();
        }
        let mut out = vec![0u64; self.limbs.len() + other.limbs.len()];
        for (i, &a) in self.limbs.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &b) in other.limbs.iter().enumerate() {
                if let Some(slot) = out.get_mut(i + j) {
                    let t = u128::from(a) * u128::from(b) + u128::from(*slot) + carry;
                    *slot = t as u64;
                    carry = t >> 64;
                }
            }
            let mut k = i + other.limbs.len();
            while carry > 0 {
                if let Some(slot) = out.get_mut(k) {
                    let t = u128::from(*slot) + carry;
                    *slot = t as u64;
                    carry = t >> 64;
                    k += 1;
                } else {
                    break;
                }
            }
        }
        BigUint::from_limbs(out)
    }

    /// `self * m` for a small multiplier.
    pub fn mul_u64(&self, m: u64) -> BigUint {
        let mut out = Vec::with_capacity(self.limbs.len() + 1);
        let mut carry = 0u128;
        for &a in &self.limbs {
            let t = u128::from(a) * u128::from(m) + carry;
            out.push(t as u64);
            carry = t >> 64;
        }
        if carry > 0 {
            out.push(carry as u64);
        }
        BigUint::from_limbs(out)
    }

    /// `self << n`.
    pub fn shl(&self, n: u64) -> BigUint {
        if self.is_zero() {
            return BigUint::zero();
        }
        let words = (n / 64) as usize;
        let bits = (n % 64) as u32;
        let mut out = vec![0u64; words];
        if bits == 0 {
            out.extend_from_slice(&self.limbs);
        } else {
            let mut carry = 0u64;
            for &a in &self.limbs {
                out.push((a << bits) | carry);
                carry = a >> (64 - bits);
            }
            if carry > 0 {
                out.push(carry);
            }
        }
        BigUint::from_limbs(out)
    }

    /// `self >> n` (floor).
    pub fn shr(&self, n: u64) -> BigUint {
        let words = (n / 64) as usize;
        if words >= self.limbs.len() {
            return BigUint::zero();
        }
        let bits = (n % 64) as u32;
        let src = self.limbs.get(words..).unwrap_or(&[]);
        let mut out = Vec::with_capacity(src.len());
        for (i, &a) in src.iter().enumerate() {
            if bits == 0 {
                out.push(a);
            } else {
                let hi = src.get(i + 1).copied().unwrap_or(0);
                out.push((a >> bits) | (hi << (64 - bits)));
            }
        }
        BigUint::from_limbs(out)
    }

    /// `self ^ exp` by repeated squaring.
    pub fn pow(&self, exp: u32) -> BigUint {
        let mut result = BigUint::one();
        let mut base = self.clone();
        let mut e = exp;
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&base);
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
            }
        }
        result
    }

    /// `(self / d, self % d)` for a single-limb divisor; `None` when `d == 0`.
    pub fn divrem_u64(&self, d: u64) -> Option<(BigUint, u64)> {
        if d == 0 {
            return None;
        }
        let mut out = vec![0u64; self.limbs.len()];
        let mut rem = 0u128;
        for i in (0..self.limbs.len()).rev() {
            let cur = (rem << 64) | u128::from(self.limbs.get(i).copied().unwrap_or(0));
            if let Some(slot) = out.get_mut(i) {
                *slot = (cur / u128::from(d)) as u64;
            }
            rem = cur % u128::from(d);
        }
        Some((BigUint::from_limbs(out), rem as u64))
    }

    /// `(self / d, self % d)`; `None` when `d == 0`. Knuth's algorithm D.
    pub fn divrem(&self, d: &BigUint) -> Option<(BigUint, BigUint)> {
        if d.is_zero() {
            return None;
        }
        if self.cmp(d) == Ordering::Less {
            return Some((BigUint::zero(), self.clone()));
        }
        if d.limbs.len() == 1 {
            let dv = d.limbs.first().copied().unwrap_or(1);
            let (q, r) = self.divrem_u64(dv)?;
            return Some((q, BigUint::from_u64(r)));
        }
        // Normalise so the divisor's top limb has its high bit set.
        let shift = u64::from(d.limbs.last().copied().unwrap_or(1).leading_zeros());
        let v = d.shl(shift).limbs;
        let mut u = self.shl(shift).limbs;
        u.push(0);
        let n = v.len();
        let m = u.len() - n - 1;
        let v_top = u128::from(v.get(n - 1).copied().unwrap_or(0));
        let v_next = u128::from(v.get(n - 2).copied().unwrap_or(0));
        let mut q = vec![0u64; m + 1];
        for j in (0..=m).rev() {
            let u_top = u128::from(u.get(j + n).copied().unwrap_or(0));
            let u_mid = u128::from(u.get(j + n - 1).copied().unwrap_or(0));
            let u_low = u128::from(u.get(j + n - 2).copied().unwrap_or(0));
            let num = (u_top << 64) | u_mid;
            let mut qhat = num / v_top;
            let mut rhat = num % v_top;
            while qhat >= (1u128 << 64) || qhat * v_next > ((rhat << 64) | u_low) {
                qhat -= 1;
                rhat += v_top;
                if rhat >= (1u128 << 64) {
                    break;
                }
            }
            // Multiply and subtract qhat * v from u[j..=j+n].
            let mut borrow: i128 = 0;
            let mut carry: u128 = 0;
            for i in 0..n {
                let p = qhat * u128::from(v.get(i).copied().unwrap_or(0)) + carry;
                carry = p >> 64;
                let slot = u.get(i + j).copied().unwrap_or(0);
                let t = i128::from(slot) - i128::from(p as u64) + borrow;
                if let Some(s) = u.get_mut(i + j) {
                    *s = t as u64;
                }
                borrow = t >> 64;
            }
            let slot = u.get(j + n).copied().unwrap_or(0);
            let t = i128::from(slot) - carry as i128 + borrow;
            if let Some(s) = u.get_mut(j + n) {
                *s = t as u64;
            }
            if t < 0 {
                // qhat was one too large: add v back.
                qhat -= 1;
                let mut c = 0u128;
                for i in 0..n {
                    let s = u128::from(u.get(i + j).copied().unwrap_or(0))
                        + u128::from(v.get(i).copied().unwrap_or(0))
                        + c;
                    if let Some(slot) = u.get_mut(i + j) {
                        *slot = s as u64;
                    }
                    c = s >> 64;
                }
                if let Some(slot) = u.get_mut(j + n) {
                    *slot = slot.wrapping_add(c as u64);
                }
            }
            if let Some(slot) = q.get_mut(j) {
                *slot = qhat as u64;
            }
        }
        u.truncate(n);
        let r = BigUint::from_limbs(u).shr(shift);
        Some((BigUint::from_limbs(q), r))
    }

    /// `floor(self / d)`, zero for `d == 0`.
    pub fn div_floor(&self, d: &BigUint) -> BigUint {
        self.divrem(d).map(|(q, _)| q).unwrap_or_default()
    }

    /// Greatest common divisor.
    pub fn gcd(&self, other: &BigUint) -> BigUint {
        let mut a = self.clone();
        let mut b = other.clone();
        while !b.is_zero() {
            let r = a.divrem(&b).map(|(_, r)| r).unwrap_or_default();
            a = b;
            b = r;
        }
        a
    }

    /// An approximation of `log2(self)` (meaningless for zero), accurate to ~1e-15 relative.
    pub fn log2_approx(&self) -> f64 {
        let bits = self.bits();
        if bits == 0 {
            return f64::NEG_INFINITY;
        }
        let shift = bits.saturating_sub(64);
        let top = self.shr(shift).to_u64().unwrap_or(u64::MAX);
        (top as f64).log2() + shift as f64
    }

    /// `floor(self ^ (1/q))` by Newton's iteration from above.
    pub fn nth_root_floor(&self, q: u32) -> BigUint {
        if q == 0 || self.is_zero() {
            return BigUint::zero();
        }
        if q == 1 {
            return self.clone();
        }
        // Start strictly above the root: 2^ceil(bits / q).
        let start_bits = self.bits().div_ceil(u64::from(q));
        let mut x = BigUint::one().shl(start_bits);
        let qm1 = BigUint::from_u64(u64::from(q) - 1);
        loop {
            // y = ((q - 1) x + self / x^(q-1)) / q
            let xp = x.pow(q - 1);
            let t = self.div_floor(&xp);
            let y = qm1
                .mul(&x)
                .add(&t)
                .divrem_u64(u64::from(q))
                .map(|(v, _)| v)
                .unwrap_or_default();
            if y.cmp(&x) != Ordering::Less {
                break;
            }
            x = y;
        }
        // Newton from above lands on the floor root; guard against an off-by-one anyway.
        while x.pow(q).cmp(self) == Ordering::Greater {
            x = x.saturating_sub(&BigUint::one());
        }
        loop {
            let next = x.add(&BigUint::one());
            if next.pow(q).cmp(self) == Ordering::Greater {
                break;
            }
            x = next;
        }
        x
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        match self.limbs.len().cmp(&other.limbs.len()) {
            Ordering::Equal => {}
            o => return o,
        }
        for (a, b) in self.limbs.iter().rev().zip(other.limbs.iter().rev()) {
            match a.cmp(b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }
}

/// A signed integer of any size: sign and magnitude (zero is never negative).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BigInt {
    neg: bool,
    mag: BigUint,
}

impl BigInt {
    /// Zero.
    pub const fn zero() -> Self {
        BigInt {
            neg: false,
            mag: BigUint::zero(),
        }
    }

    /// From a magnitude and a sign.
    pub fn from_parts(neg: bool, mag: BigUint) -> Self {
        let neg = neg && !mag.is_zero();
        BigInt { neg, mag }
    }

    /// From an unsigned value.
    pub fn from_biguint(mag: BigUint) -> Self {
        BigInt { neg: false, mag }
    }

    /// Whether negative.
    pub fn is_negative(&self) -> bool {
        self.neg
    }

    /// Whether zero.
    pub fn is_zero(&self) -> bool {
        self.mag.is_zero()
    }

    /// The magnitude.
    pub fn magnitude(&self) -> &BigUint {
        &self.mag
    }

    /// `-self`.
    pub fn neg(&self) -> BigInt {
        BigInt::from_parts(!self.neg, self.mag.clone())
    }

    /// `self + other`.
    pub fn add(&self, other: &BigInt) -> BigInt {
        if self.neg == other.neg {
            return BigInt::from_parts(self.neg, self.mag.add(&other.mag));
        }
        match self.mag.cmp(&other.mag) {
            Ordering::Less => BigInt::from_parts(other.neg, other.mag.saturating_sub(&self.mag)),
            _ => BigInt::from_parts(self.neg, self.mag.saturating_sub(&other.mag)),
        }
    }

    /// `self - other`.
    pub fn sub(&self, other: &BigInt) -> BigInt {
        self.add(&other.neg())
    }

    /// `self * other`.
    pub fn mul(&self, other: &BigInt) -> BigInt {
        BigInt::from_parts(self.neg != other.neg, self.mag.mul(&other.mag))
    }

    /// `self * m` for an unsigned multiplier.
    pub fn mul_biguint(&self, m: &BigUint) -> BigInt {
        BigInt::from_parts(self.neg, self.mag.mul(m))
    }

    /// `floor(self / 2^n)` (arithmetic shift).
    pub fn shr_floor(&self, n: u64) -> BigInt {
        if !self.neg {
            return BigInt::from_parts(false, self.mag.shr(n));
        }
        let q = self.mag.shr(n);
        let q = if self.mag.low_bits_nonzero(n) {
            q.add(&BigUint::one())
        } else {
            q
        };
        BigInt::from_parts(true, q)
    }

    /// `floor(self / d)` for a positive divisor (zero divisor gives zero).
    pub fn div_floor(&self, d: &BigUint) -> BigInt {
        let Some((q, r)) = self.mag.divrem(d) else {
            return BigInt::zero();
        };
        if self.neg && !r.is_zero() {
            BigInt::from_parts(true, q.add(&BigUint::one()))
        } else {
            BigInt::from_parts(self.neg, q)
        }
    }

    /// Truncating `(self / 2^n, self % 2^n)` (quotient toward zero, remainder has self's sign).
    pub fn divrem_pow2_trunc(&self, n: u64) -> (BigInt, BigInt) {
        let q = self.mag.shr(n);
        let r = self.mag.saturating_sub(&q.shl(n));
        (
            BigInt::from_parts(self.neg, q),
            BigInt::from_parts(self.neg, r),
        )
    }

    /// The value as a `BigUint` when non-negative.
    pub fn to_biguint(&self) -> Option<BigUint> {
        if self.neg {
            None
        } else {
            Some(self.mag.clone())
        }
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigInt {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.mag.cmp(&other.mag),
            (true, true) => other.mag.cmp(&self.mag),
        }
    }
}

/// `floor(a * b / c)` over 256-bit intermediates (`None` when `c == 0` or the result exceeds
/// `u128`).
pub fn mul_div_u128(a: u128, b: u128, c: u128) -> Option<u128> {
    if c == 0 {
        return None;
    }
    BigUint::from_u128(a)
        .mul(&BigUint::from_u128(b))
        .div_floor(&BigUint::from_u128(c))
        .to_u128()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn big(s: &str) -> BigUint {
        let mut v = BigUint::zero();
        for c in s.bytes() {
            v = v.mul_u64(10).add(&BigUint::from_u64(u64::from(c - b'0')));
        }
        v
    }

    #[test]
    fn divrem_matches_u128() {
        let cases: [(u128, u128); 5] = [
            (u128::MAX, 3),
            (u128::MAX, (1u128 << 64) + 12345),
            (987654321987654321987654321, 123456789123456789),
            (1u128 << 127, (1u128 << 100) - 1),
            (5, 7),
        ];
        for (a, b) in cases {
            let (q, r) = BigUint::from_u128(a)
                .divrem(&BigUint::from_u128(b))
                .unwrap();
            assert_eq!(q.to_u128().unwrap(), a / b);
            assert_eq!(r.to_u128().unwrap(), a % b);
        }
    }

    #[test]
    fn divrem_large_roundtrip() {
        let a = big("123456789012345678901234567890123456789012345678901234567890123456789");
        let d = big("98765432109876543210987654321");
        let (q, r) = a.divrem(&d).unwrap();
        assert!(r < d);
        assert_eq!(q.mul(&d).add(&r), a);
    }

    #[test]
    fn nth_roots() {
        assert_eq!(
            BigUint::from_u128(4_000_000_000_000_000_000_000_000_000_000_000_000)
                .nth_root_floor(2)
                .to_u128(),
            Some(2_000_000_000_000_000_000)
        );
        assert_eq!(BigUint::from_u64(26).nth_root_floor(3).to_u64(), Some(2));
        assert_eq!(BigUint::from_u64(27).nth_root_floor(3).to_u64(), Some(3));
        assert_eq!(
            BigUint::from_u128(u128::MAX).nth_root_floor(2).to_u128(),
            Some(u64::MAX as u128)
        );
        let x = big("123456789123456789123456789");
        let p = x.pow(7).add(&BigUint::from_u64(5));
        assert_eq!(p.nth_root_floor(7), x);
    }

    #[test]
    fn signed_floor_ops() {
        let m = BigInt::from_parts(true, BigUint::from_u64(7));
        assert_eq!(
            m.shr_floor(1),
            BigInt::from_parts(true, BigUint::from_u64(4))
        );
        assert_eq!(
            m.div_floor(&BigUint::from_u64(2)),
            BigInt::from_parts(true, BigUint::from_u64(4))
        );
        let (q, r) = m.divrem_pow2_trunc(1);
        assert_eq!(q, BigInt::from_parts(true, BigUint::from_u64(3)));
        assert_eq!(r, BigInt::from_parts(true, BigUint::from_u64(1)));
    }
}
