//! Property tests of [`super`]: the lazy and integer shortcuts of the liquid-alpha EMA against
//! the chain's formulas.

use super::*;
use crate::fixed::{mat_ema_alpha_sparse, SafeDiv};
use proptest::prelude::*;

fn row_strategy(n: u16) -> impl Strategy<Value = SparseRow> {
    proptest::collection::vec((0..n + 1, 0u32..6), 0..8).prop_map(|cells| {
        let mut seen = Vec::new();
        cells
            .into_iter()
            .filter(|(c, _)| {
                let fresh = !seen.contains(c);
                seen.push(*c);
                fresh
            })
            .map(|(c, v)| (c, I32F32::from_num(v) / 5))
            .collect()
    })
}

proptest! {
    /// The lazy per-entry alphas give what the chain's dense alpha matrix gives, including
    /// for rows out of column order (read through the forward cursor) and columns ≥ n.
    #[test]
    fn lazy_liquid_alpha_matches_chain(
        weights in proptest::collection::vec(row_strategy(6), 6),
        bonds in proptest::collection::vec(row_strategy(6), 6),
        consensus in proptest::collection::vec(0u32..6, 6),
        steepness in prop_oneof![Just(1000i16), any::<i16>()],
        sorted in any::<bool>(),
    ) {
        let (mut weights, mut bonds) = (weights, bonds);
        if sorted {
            weights.iter_mut().chain(bonds.iter_mut()).for_each(|r| r.sort_by_key(|e| e.0));
        }
        let hp = Hyperparameters {
            liquid_alpha_enabled: true,
            alpha_low: 6553,
            alpha_high: 58982,
            alpha_sigmoid_steepness: steepness,
            ..Default::default()
        };
        let consensus: Vec<I32F32> = consensus.iter().map(|&c| I32F32::from_num(c) / 5).collect();
        let chain = if uses_liquid_alpha(&hp, &consensus) {
            mat_ema_alpha_sparse(&weights, &bonds, &liquid_alpha_matrix_sparse(&hp, &weights, &bonds, &consensus))
        } else {
            mat_ema_sparse(&weights, &bonds, hp.ema_alpha())
        };
        let (lazy, alphas) = ema_bonds_yuma3_sparse(&hp, &weights, &bonds, &consensus, true);
        prop_assert_eq!(lazy, chain);
        prop_assert_eq!(alphas.is_some(), uses_liquid_alpha(&hp, &consensus));
    }
}

fn diff() -> impl Strategy<Value = I32F32> {
    prop_oneof![
        (0i64..=(1 << 32)).prop_map(I32F32::from_bits),
        (0i64..(1 << 24)).prop_map(I32F32::from_bits),
        ((1i64 << 31) - (1 << 20)..(1i64 << 31) + (1 << 20)).prop_map(I32F32::from_bits),
        Just(HALF),
        Just(ONE),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50_000))]
    /// The bracketed sigmoid gives the chain's α bit for bit: any steepness (so |x| from 0
    /// past 8, both signs), any bounds (including low > high), any d in [0, 1].
    #[test]
    fn fast_alpha_matches_reference(
        d in diff(),
        steepness in prop_oneof![Just(1000i16), -2000i16..2000, any::<i16>()],
        low in prop_oneof![Just(6553u16), Just(45_875u16), any::<u16>()],
        high in prop_oneof![Just(58_982u16), any::<u16>()],
    ) {
        let f = |v: u16| I32F32::from_bits(i64::from(v) << 32).safe_div(crate::fixed::U16_MAX_FIXED);
        let la = LiquidAlpha::new(f(low), f(high), I32F32::from_bits(i64::from(steepness) << 32));
        prop_assert_eq!(la.of_diff(d), la.of_diff_reference(d));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100_000))]
    /// The integer EMA entry equals the crate's saturating formula, inside and outside
    /// `[0, 1]` and at its edges.
    #[test]
    fn ema_value_matches_crate(
        a in prop_oneof![0i64..=(1 << 32), Just(0i64), Just(1i64), Just((1i64 << 32) - 1), Just(1i64 << 32), Just((1i64 << 32) + 1), any::<i64>()],
        w in prop_oneof![0i64..=(1 << 32), Just(0i64), Just(1i64 << 32), Just((1i64 << 32) + 1), -(1i64 << 33)..(1 << 34), any::<i64>()],
        b in prop_oneof![0i64..=(1 << 32), Just(0i64), Just(1i64 << 32), Just((1i64 << 32) + 1), -(1i64 << 33)..(1 << 34), any::<i64>()],
    ) {
        let (a, w, b) = (I32F32::from_bits(a), I32F32::from_bits(w), I32F32::from_bits(b));
        let want = ONE
            .saturating_sub(a)
            .saturating_mul(b)
            .saturating_add(a.saturating_mul(w).max(ZERO))
            .min(ONE);
        prop_assert_eq!(ema_value(a.to_bits(), w.to_bits(), b.to_bits()), want.to_bits());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]
    /// The split product equals the crate's saturating one for every slope, inside `|y| ≤ 2^31`
    /// (its edges included) and outside it (where it falls back).
    #[test]
    fn slope_times_matches_crate(
        s in prop_oneof![any::<i64>(), -(1i64 << 42)..(1i64 << 42), Just(i64::MIN), Just(i64::MAX), Just(-10i64 << 32)],
        y in prop_oneof![-(1i64 << 31)..=(1i64 << 31), Just(-(1i64 << 31)), Just(1i64 << 31), Just(0i64), any::<i64>()],
    ) {
        let (s, y) = (I32F32::from_bits(s), I32F32::from_bits(y));
        prop_assert_eq!(slope_times(s, y), s.saturating_mul(y));
    }
}

proptest! {
    #[test]
    fn exceeds_2_64_matches_u128(m in 0u64..=(1 << 32), d in 0u64..(1 << 63), shift in 0u32..40) {
        for d in [d, d >> shift, (1u64 << 32).wrapping_add(d >> (shift + 24))] {
            prop_assert_eq!(exceeds_2_64(m, d), u128::from(m) * u128::from(d) > 1 << 64);
        }
    }
}

#[test]
fn exceeds_2_64_at_the_boundary() {
    assert!(!exceeds_2_64(1 << 32, 1 << 32));
    assert!(exceeds_2_64(1 << 32, (1 << 32) + 1));
    assert!(!exceeds_2_64(1 << 31, 1 << 33));
    assert!(!exceeds_2_64(3, 1 << 62));
    assert!(exceeds_2_64(5, 1 << 62));
}

#[test]
fn cursor_lookup_skips_out_of_order_entries() {
    let row: SparseRow = vec![(5, ONE), (2, HALF), (7, HALF)];
    let mut seen = Vec::new();
    for_each_visible(&row, 8, |j, v| seen.push((j, v)));
    assert_eq!(seen, vec![(5, ONE), (7, HALF)]);
}
