//! Division by a divisor that is reused many times (a row or column sum), bit-exact with the
//! crate's `checked_div` and without a hardware 64-bit divide per element.
//!
//! The quotient `floor(x·2^32 / y)` is estimated with one f64 multiply by `2^32 / y` (relative
//! error a few `2^−53`, so the estimate is off by at most a unit or two in the served ranges)
//! and then corrected exactly with integer products: the remainder `x·2^32 − q·y` is formed in
//! wrapping 64-bit arithmetic, which is exact because its true value is small (below `2^63` in
//! magnitude), and `q` is stepped until `0 ≤ remainder < y`. Inputs outside the served ranges go
//! to [`super::cdiv`]. Equality with the crate is property-tested below.

use super::fast::cdiv;
use super::I32F32;

/// A positive divisor with its f64 reciprocal.
#[derive(Debug, Clone, Copy)]
pub struct Divisor {
    d: I32F32,
    /// Raw bits of the divisor (`> 0`).
    y: u64,
    /// `Y = y / 2^32` when the divisor is an integer below `2^31` (sums of raw u16 weights),
    /// else 0.
    int: u64,
    /// `2^32 / y` (fractional divisors) or `1 / Y` (integer divisors).
    inv: f64,
    /// `int == 0` and `2^12 ≤ y < 2^60`: the range of the fractional fast path.
    frac: bool,
}

impl Divisor {
    /// `Some` for a positive divisor.
    #[inline]
    pub fn new(d: I32F32) -> Option<Self> {
        let bits = d.to_bits();
        if bits <= 0 {
            return None;
        }
        let y = bits as u64;
        let int = if y & 0xFFFF_FFFF == 0 && y < 1 << 63 {
            y >> 32
        } else {
            0
        };
        // Through `black_box`: the reciprocal goes to memory once, here. V8 hoists a pure value
        // out of a loop only when its use lies on every iteration's path, and the quotient's
        // use (the fast path) does not, so a divisor built just before a loop had its `f64`
        // division computed again on every element.
        let inv = core::hint::black_box(if int != 0 {
            1.0 / (int as i64) as f64
        } else {
            4_294_967_296.0 / (y as i64) as f64
        });
        let frac = int == 0 && (1 << 12..1 << 60).contains(&y);
        Some(Divisor {
            d,
            y,
            int,
            inv,
            frac,
        })
    }

    /// `x.checked_div(d)` (the crate's bits), for any `x`.
    #[inline]
    pub fn cdiv(&self, x: I32F32) -> Option<I32F32> {
        let bits = x.to_bits();
        // x < 2^32 and 2^12 ≤ y < 2^60: the quotient is below 2^52 (the common case first:
        // proportions over a fractional sum).
        if self.frac && (0..1 << 32).contains(&bits) {
            let x = bits as u64;
            let est = (x as i64) as f64 * self.inv;
            return Some(I32F32::from_bits(div_small(x << 32, self.y, est) as i64));
        }
        if self.int != 0 && (0..1 << 52).contains(&bits) {
            // x·2^32 / (Y·2^32) = x / Y.
            // (Signed conversions: single instructions; x < 2^52 here.)
            let x = bits as u64;
            let est = (x as i64) as f64 * self.inv;
            return Some(I32F32::from_bits(div_small(x, self.int, est) as i64));
        }
        cdiv(x, self.d)
    }

    /// `safe_div`: [`Self::cdiv`] or 0.
    #[inline]
    pub fn sdiv(&self, x: I32F32) -> I32F32 {
        self.cdiv(x).unwrap_or(I32F32::from_bits(0))
    }
}

/// `floor(num / y)` from an estimate `est` of the quotient, for `y < 2^60` and a quotient below
/// `2^52` (so an f64 estimate is within a few units and every remainder below fits in i64).
#[inline]
fn div_small(num: u64, y: u64, est: f64) -> u64 {
    // `as` saturates (NaN → 0; the estimate is below 2^53, so the signed conversion is exact
    // and one instruction); any estimate is corrected below, a close one in at most a step.
    let mut q = (est as i64) as u64;
    let mut rem = num.wrapping_sub(q.wrapping_mul(y)) as i64;
    let yi = y as i64;
    while rem < 0 {
        q = q.wrapping_sub(1);
        rem = rem.wrapping_add(yi);
    }
    while rem >= yi {
        q = q.wrapping_add(1);
        rem = rem.wrapping_sub(yi);
    }
    q
}

// proptest has no wasm32-unknown-unknown backend: native only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bits() -> impl Strategy<Value = i64> {
        prop_oneof![
            0i64..=(1 << 32),
            0i64..(1 << 20),
            (0u16..=u16::MAX).prop_map(|w| i64::from(w) << 32),
            (0i64..(1 << 26)).prop_map(|w| w << 32),
            -(1i64 << 40)..(1i64 << 40),
            any::<i64>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200_000))]
        #[test]
        fn divisor_matches_crate(x in bits(), y in bits()) {
            let (a, b) = (I32F32::from_bits(x), I32F32::from_bits(y));
            if let Some(d) = Divisor::new(b) {
                prop_assert_eq!(d.cdiv(a), a.checked_div(b), "{} / {}", x, y);
            } else {
                prop_assert!(y <= 0);
            }
        }
    }

    #[test]
    fn divisor_edges() {
        let one = 1i64 << 32;
        let ys = [
            1i64,
            2,
            3,
            4095,
            4096,
            one - 1,
            one,
            one + 1,
            65_535 << 32,
            (1 << 60) - 1,
            1 << 60,
            i64::MAX,
        ];
        let xs = [
            0i64,
            1,
            one - 1,
            one,
            one + 1,
            (1 << 52) - 1,
            1 << 52,
            i64::MAX,
            -1,
            i64::MIN,
        ];
        for &y in &ys {
            let d = Divisor::new(I32F32::from_bits(y)).unwrap();
            for &x in &xs {
                let a = I32F32::from_bits(x);
                assert_eq!(d.cdiv(a), a.checked_div(I32F32::from_bits(y)), "{x} / {y}");
            }
        }
        assert!(Divisor::new(I32F32::from_bits(0)).is_none());
    }
}
