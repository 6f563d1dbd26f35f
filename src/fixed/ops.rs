//! Constants, the chain's `safe_div`, clamping and the exponential helpers.

use super::fast::{exp_i32f32, smul};
use super::{I32F32, I64F64, I96F32, U64F64, U96F32};

/// 0 as I32F32.
pub const ZERO: I32F32 = I32F32::from_bits(0);
/// 1 as I32F32.
pub const ONE: I32F32 = I32F32::from_bits(1 << 32);
/// 0.5 as I32F32.
pub const HALF: I32F32 = I32F32::from_bits(1 << 31);
/// 65535 (`u16::MAX`) as I32F32.
pub const U16_MAX_FIXED: I32F32 = I32F32::from_bits(65_535 << 32);

/// `safe_div` of `primitives/safe-math`: the quotient, or 0 when the divisor is 0 or the
/// quotient overflows (never a saturated value).
pub trait SafeDiv: Sized {
    /// `self / rhs`, or 0 on division by zero or overflow.
    fn safe_div(self, rhs: Self) -> Self;
}

macro_rules! impl_safe_div {
    ($($t:ty),*) => {$(
        impl SafeDiv for $t {
            #[inline]
            fn safe_div(self, rhs: Self) -> Self {
                self.checked_div(rhs).unwrap_or_default()
            }
        }
    )*};
}
impl_safe_div!(I64F64, I96F32, U64F64, U96F32);

impl SafeDiv for I32F32 {
    #[inline]
    fn safe_div(self, rhs: Self) -> Self {
        super::fast::sdiv(self, rhs)
    }
}

/// `clamp_value(v, low, high)` = `max(min(v, high), low)` (so `low` wins when `low > high`).
#[inline]
pub fn clamp_value(value: I32F32, low: I32F32, high: I32F32) -> I32F32 {
    // On the raw bits: the same order as the type's (the crate's generic comparison does not
    // always fold away).
    I32F32::from_bits(value.to_bits().min(high.to_bits()).max(low.to_bits()))
}

/// `exp_safe`: the input clamped to `[-20, 20]`, then `substrate_fixed::transcendental::exp`;
/// an `Err` gives 0 for inputs ≤ 0 and `I32F32::MAX` otherwise.
pub fn exp_safe(input: I32F32) -> I32F32 {
    let min_input = I32F32::from_bits(-20 << 32);
    let max_input = I32F32::from_bits(20 << 32);
    let safe_input = if input < min_input {
        min_input
    } else if max_input < input {
        max_input
    } else {
        input
    };
    match exp_i32f32(safe_input) {
        Some(v) => v,
        None if safe_input <= ZERO => ZERO,
        None => I32F32::max_value(),
    }
}

/// `safe_exp`: unclamped `exp`, 0 on error.
pub fn safe_exp(value: I32F32) -> I32F32 {
    exp_i32f32(value).unwrap_or(ZERO)
}

/// The legacy logistic `1 / (1 + exp(-rho·(input − kappa)))` (no longer used by the epoch).
pub fn sigmoid_safe(input: I32F32, rho: I32F32, kappa: I32F32) -> I32F32 {
    let offset = input.saturating_sub(kappa);
    let neg_rho = smul(rho, ONE.saturating_neg());
    let exp_input = smul(neg_rho, offset);
    let denominator = exp_safe(exp_input).saturating_add(ONE);
    ONE.safe_div(denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_safe_matches_chain_values() {
        assert_eq!(exp_safe(ZERO).to_bits(), 1 << 32);
        assert_eq!(exp_safe(ONE).to_bits(), 11_674_931_200);
        assert_eq!(exp_safe(I32F32::min_value()).to_bits(), 8);
        assert_eq!(
            exp_safe(I32F32::max_value()).to_bits(),
            2_066_907_302_758_576_256
        );
    }

    #[test]
    fn safe_div_by_zero_and_overflow_is_zero() {
        assert_eq!(ONE.safe_div(ZERO), ZERO);
        assert_eq!(I32F32::max_value().safe_div(I32F32::from_bits(1)), ZERO);
    }
}
