//! Fixed-point values as the chain encodes them: the raw bits of a `substrate_fixed` number
//! (`I32F32` = i64, `U64F64` = u128, `I64F64` = i128, `I96F32` = i128, `U96F32` = u128; value =
//! bits / 2^frac). The bits are kept exactly; `to_f64` is for display only.

use crate::chain::scale::{leaf, Codec, Reader};
use crate::error::Result;
use parity_scale_codec::Encode as _;

#[cfg(feature = "render")]
use crate::chain::render::{self, RenderOpts};
#[cfg(feature = "render")]
use serde_json::Value;

macro_rules! fixed_bits {
    ($($(#[$m:meta])* $name:ident($raw:ty, $frac:expr, $fixed:ty);)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name {
            /// The raw integer (value = bits / 2^frac).
            pub bits: $raw,
        }

        impl $name {
            /// Fractional bits.
            pub const FRAC_BITS: u32 = $frac;

            /// From raw bits.
            pub const fn from_bits(bits: $raw) -> Self {
                $name { bits }
            }

            /// The nearest `f64` (exact division of the rounded bits by a power of two).
            pub fn to_f64(self) -> f64 {
                (self.bits as f64) / 2f64.powi($frac)
            }

            /// The `substrate_fixed` number with these bits.
            pub fn to_fixed(self) -> $fixed {
                <$fixed>::from_bits(self.bits)
            }
        }

        impl Codec for $name {
            type Value = $name;
            const MIN_LEN: usize = core::mem::size_of::<$raw>();
            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Self> {
                leaf::<$raw>(r, stringify!($name)).map(|bits| $name { bits })
            }
            fn encode_to(v: &Self, out: &mut Vec<u8>) {
                v.bits.encode_to(out);
            }
            #[cfg(feature = "render")]
            fn render(v: &Self, _opts: &RenderOpts) -> Value {
                render::fixed(v.bits.to_string(), v.to_f64())
            }
        }
    )*};
}

fixed_bits! {
    /// `I32F32` (e.g. `alpha_sigmoid_steepness` in hyperparams v2).
    I32F32(i64, 32, substrate_fixed::types::I32F32);
    /// `U64F64` (e.g. `Alpha` share values, hotkey conviction).
    U64F64(u128, 64, substrate_fixed::types::U64F64);
    /// `I64F64`.
    I64F64(i128, 64, substrate_fixed::types::I64F64);
    /// `I96F32` (e.g. `moving_price`).
    I96F32(i128, 32, substrate_fixed::types::I96F32);
    /// `U96F32`.
    U96F32(u128, 32, substrate_fixed::types::U96F32);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approx_is_bits_over_power_of_two() {
        let p = I96F32::from_bits(40_862_671);
        assert_eq!(p.to_f64(), 0.009514081990346313);
        assert_eq!(p.to_fixed().to_bits(), 40_862_671);
        assert_eq!(U64F64::from_bits(1u128 << 64).to_f64(), 1.0);
    }
}
