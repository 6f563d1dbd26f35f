//! Property tests of [`super`]: the fused sparse operations equal the chain's dense-accumulator
//! and composed forms they replace.

use super::*;
use proptest::prelude::*;

fn matrix() -> impl Strategy<Value = Vec<SparseRow>> {
    proptest::collection::vec(
        (
            proptest::collection::vec((0u16..7, 0i64..(3 << 32)), 0..7),
            any::<bool>(),
        )
            .prop_map(|(cells, sort)| {
                let mut row: SparseRow = Vec::new();
                for (c, v) in cells {
                    if !row.iter().any(|e| e.0 == c) {
                        row.push((c, I32F32::from_bits(v)));
                    }
                }
                if sort {
                    row.sort_by_key(|e| e.0);
                }
                row
            }),
        6,
    )
}

/// `mat_ema_sparse` as the chain writes it: a dense accumulator per row.
fn mat_ema_chain(new: &[SparseRow], old: &[SparseRow], alpha: I32F32) -> Vec<SparseRow> {
    let n = new.len();
    let one_minus_alpha = ONE.saturating_sub(alpha);
    new.iter()
        .enumerate()
        .map(|(i, nr)| {
            let mut acc = vec![ZERO; n];
            for &(j, v) in nr {
                if let Some(c) = acc.get_mut(usize::from(j)) {
                    *c = c.saturating_add(alpha.saturating_mul(v));
                }
            }
            for &(j, v) in old.get(i).map_or(&[][..], Vec::as_slice) {
                if let Some(c) = acc.get_mut(usize::from(j)) {
                    *c = c.saturating_add(one_minus_alpha.saturating_mul(v));
                }
            }
            acc.iter()
                .enumerate()
                .filter(|(_, v)| **v > ZERO)
                .map(|(j, v)| (j as u16, *v))
                .collect()
        })
        .collect()
}

proptest! {
    #[test]
    fn ema_matches_dense_accumulator(new in matrix(), old in matrix(), alpha in 0i64..(1 << 32)) {
        let alpha = I32F32::from_bits(alpha);
        prop_assert_eq!(mat_ema_sparse(&new, &old, alpha), mat_ema_chain(&new, &old, alpha));
    }

    #[test]
    fn fused_dot_matches_composition(m in matrix(), v in proptest::collection::vec(0i64..(1 << 33), 0..8)) {
        let v: Vec<I32F32> = v.into_iter().map(I32F32::from_bits).collect();
        let mut norm = m.clone();
        inplace_col_normalize_sparse(&mut norm, 7);
        prop_assert_eq!(col_normalized_dot(&m, 7, &v), row_sum_sparse(&mat_vec_mul_sparse(&norm, &v)));
    }

    /// The chain's own steps (crate arithmetic throughout), columns past the sums and past the
    /// vector included, negative entries included.
    #[test]
    fn fused_dot_matches_chain_formula(
        m in proptest::collection::vec(proptest::collection::vec((0u16..9, prop_oneof![0i64..(3 << 32), -(1i64 << 33)..(1 << 33), 0i64..(1 << 20)]), 0..7), 0..7),
        v in proptest::collection::vec(prop_oneof![0i64..(1 << 33), any::<i64>()], 0..10),
        columns in 0usize..9,
    ) {
        let m: Vec<SparseRow> = m.into_iter().map(|r| r.into_iter().map(|(j, x)| (j, I32F32::from_bits(x))).collect()).collect();
        let v: Vec<I32F32> = v.into_iter().map(I32F32::from_bits).collect();
        let mut sums = vec![ZERO; columns];
        for row in &m {
            for &(j, x) in row {
                if let Some(s) = sums.get_mut(usize::from(j)) {
                    *s = s.saturating_add(x);
                }
            }
        }
        let want: Vec<I32F32> = m.iter().map(|row| {
            let mut acc = ZERO;
            for &(j, x) in row {
                let d = sums.get(usize::from(j)).copied().unwrap_or(ZERO);
                let norm = if d == ZERO { x } else { x.checked_div(d).unwrap_or_default() };
                if let Some(y) = v.get(usize::from(j)) {
                    acc = I32F32::from_bits(acc.to_bits().wrapping_add(norm.saturating_mul(*y).to_bits()));
                }
            }
            acc
        }).collect();
        prop_assert_eq!(col_normalized_dot(&m, columns, &v), want);
    }

    #[test]
    fn interpolate_matches_dense_rows(a in matrix(), b in matrix(), ratio in 0i64..(1 << 32)) {
        let ratio = I32F32::from_bits(ratio);
        let got = interpolate_sparse(&a, &b, 7, ratio);
        let want: Vec<SparseRow> = if ratio == ZERO { a.clone() } else if ratio == ONE { b.clone() } else {
            a.iter().zip(&b).map(|(r1, r2)| {
                let dense = |r: &SparseRow| { let mut d = vec![ZERO; 7]; for &(j, v) in r { if let Some(c) = d.get_mut(usize::from(j)) { *c = v; } } d };
                let (d1, d2) = (dense(r1), dense(r2));
                (0..7).filter_map(|j| {
                    let x = d1[j].saturating_add(ratio.saturating_mul(d2[j].saturating_sub(d1[j])));
                    (x > ZERO).then_some((j as u16, x))
                }).collect()
            }).collect()
        };
        prop_assert_eq!(got, want);
    }
}
