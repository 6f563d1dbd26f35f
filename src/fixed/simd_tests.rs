//! The scalar forms of the [`super::simd`] kernels against the chain's formulas (native; the
//! SIMD forms are compared with these scalar forms in the wasm test target,
//! `crates/tao-engine-wasm/tests/wasm.rs`).

use super::ops::{SafeDiv, U16_MAX_FIXED, ZERO};
use super::simd::*;
use super::{fixed_proportion_to_u16, I32F32};
use proptest::prelude::*;

/// The chain's `vec_max_upscale_to_u16` on u16 inputs, step by step in I32F32.
fn upscale_reference(v: &[u16]) -> Vec<u16> {
    let fixed: Vec<I32F32> = v.iter().map(|&e| I32F32::from_num(e)).collect();
    let Some(&max) = fixed.iter().max() else {
        return Vec::new();
    };
    let threshold = I32F32::from_num(32_768);
    fixed
        .iter()
        .map(|e| {
            if max == ZERO {
                e.saturating_mul(U16_MAX_FIXED).saturating_to_num::<u16>()
            } else if max > threshold {
                e.saturating_mul(U16_MAX_FIXED.safe_div(max))
                    .saturating_round()
                    .saturating_to_num::<u16>()
            } else {
                e.saturating_mul(U16_MAX_FIXED)
                    .safe_div(max)
                    .saturating_round()
                    .saturating_to_num::<u16>()
            }
        })
        .collect()
}

/// Every maximum `m` with entries at the edges (0, 1, ⌊m/2⌋, ⌈m/2⌉, m − 1, m) and a spread.
#[test]
fn max_upscale_matches_the_chain_for_every_maximum() {
    for m in 0..=u16::MAX {
        let v: Vec<u16> = [0, 1, m / 2, m.div_ceil(2), m.saturating_sub(1), m]
            .into_iter()
            .chain((1..11).map(|k| (u32::from(m) * k / 11) as u16))
            .map(|e| e.min(m))
            .collect();
        let mut out = vec![0u16; v.len()];
        max_upscale_u16_scalar(&v, &mut out);
        assert_eq!(out, upscale_reference(&v), "max {m}");
        let mut lanes = vec![0u16; v.len()];
        max_upscale_u16(&v, &mut lanes);
        assert_eq!(lanes, out, "max {m}");
    }
}

proptest! {
    #[test]
    fn max_upscale_matches_the_chain(v in proptest::collection::vec(any::<u16>(), 0..40), cap in any::<u16>()) {
        let v: Vec<u16> = v.into_iter().map(|e| e.min(cap)).collect();
        let mut out = vec![0u16; v.len()];
        max_upscale_u16_scalar(&v, &mut out);
        prop_assert_eq!(&out, &upscale_reference(&v));
        prop_assert_eq!(super::vec_u16_max_upscale_to_u16(&v), out);
    }

    #[test]
    fn mask_zero_is_the_chains_mask(mask in proptest::collection::vec(any::<bool>(), 0..12), bits in proptest::collection::vec(any::<i64>(), 0..12)) {
        let mut v: Vec<I32F32> = bits.iter().map(|&b| I32F32::from_bits(b)).collect();
        let want: Vec<I32F32> = v
            .iter()
            .enumerate()
            .map(|(i, &x)| if !mask.is_empty() && mask.get(i).copied().unwrap_or(true) { ZERO } else { x })
            .collect();
        mask_zero(&mask, &mut v);
        prop_assert_eq!(v, want);
    }

    #[test]
    fn ema_values_are_ema_value(rows in proptest::collection::vec((0i64..=(1 << 32), 0i64..=(1 << 32), any::<i64>()), 0..12)) {
        let a: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let w: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let b: Vec<i64> = rows.iter().map(|r| r.2).collect();
        let mut out = vec![0i64; rows.len()];
        ema_values(&a, &w, &b, &mut out);
        for (k, o) in out.iter().enumerate() {
            prop_assert_eq!(*o, ema_value(a[k], w[k], b[k]));
        }
    }

    #[test]
    fn quantisation_is_fixed_proportion_to_u16(bits in proptest::collection::vec(prop_oneof![0i64..=(1 << 32), any::<i64>()], 0..12)) {
        let x: Vec<I32F32> = bits.iter().map(|&b| I32F32::from_bits(b)).collect();
        let mut out = vec![0u16; x.len()];
        proportions_to_u16(&x, &mut out);
        let want: Vec<u16> = x.iter().map(|&v| fixed_proportion_to_u16(v)).collect();
        prop_assert_eq!(out, want);
        let s = x.iter().fold(0i64, |t, v| t.wrapping_add(v.to_bits()));
        prop_assert_eq!(sum(&x).to_bits(), s);
    }
}

#[test]
fn proportions_match_the_definition_at_the_edges() {
    let x: Vec<I32F32> = [
        0i64,
        1,
        (1 << 32) - 1,
        1 << 32,
        (1 << 32) + 1,
        -1,
        i64::MAX,
        i64::MIN,
        1 << 31,
    ]
    .iter()
    .map(|&b| I32F32::from_bits(b))
    .collect();
    let mut out = vec![0u16; x.len()];
    proportions_to_u16(&x, &mut out);
    assert_eq!(out, vec![0, 0, 65534, 65535, 65535, 0, 65535, 0, 32767]);
}

#[test]
fn sum_wraps_like_the_reference() {
    let x: Vec<I32F32> = [i64::MAX, 1, 5, -7]
        .iter()
        .map(|&b| I32F32::from_bits(b))
        .collect();
    assert_eq!(sum(&x), sum_scalar(&x));
    assert_eq!(
        sum(&x).to_bits(),
        i64::MAX.wrapping_add(1).wrapping_add(5).wrapping_sub(7)
    );
}
