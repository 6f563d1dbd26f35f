//! Fused passes of the sparse epoch: several of the chain's helpers computed in one walk over
//! the matrix, each giving exactly the composition it replaces (property-tested below).
//!
//! Accumulations keep the chain's order: a column accumulator receives its terms in row order
//! and a row accumulator in entry order, exactly as the separate helpers do.

use super::fast::FastOps;
use super::ops::ZERO;
use super::{SparseRow, I32F32};

/// `(col_clip_sparse(m, threshold), row_sum_sparse(clipped), matmul_sparse(clipped, vector,
/// columns))` in one pass: the clipped weights, validator trust and the raw incentive.
pub fn clip_trust_incentive(
    m: &[SparseRow],
    threshold: &[I32F32],
    vector: &[I32F32],
    columns: usize,
) -> (Vec<SparseRow>, Vec<I32F32>, Vec<I32F32>) {
    let mut incentive = vec![ZERO; columns];
    let mut trust = Vec::with_capacity(m.len());
    // Every threshold, weight and stake in [0, 1] (the epoch's proportions): a product is at most
    // 1 and is formed in u64 (`clip_row_plain`), and a column sum of at most 2^16 such products
    // stays below 2^49, so neither the multiply nor the add can saturate: plain arithmetic gives
    // the crate's bits.
    let unit = |x: &I32F32| (0..=1i64 << 32).contains(&x.to_bits());
    let plain = m.len() <= 1 << 16
        && threshold.iter().all(unit)
        && vector.iter().all(unit)
        && m.iter().all(|r| r.iter().all(|(_, v)| unit(v)));
    let clipped = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let s = vector.get(i).copied().unwrap_or(ZERO);
            if plain {
                return clip_row_plain(row, threshold, s, &mut incentive, &mut trust);
            }
            let mut out = Vec::with_capacity(row.len());
            let mut total: i64 = 0;
            for &(j, v) in row {
                let ju = usize::from(j);
                let th = threshold.get(ju).copied().unwrap_or(ZERO);
                // Comparisons on the raw bits (the type's order).
                let c = if th.to_bits() < v.to_bits() {
                    if th.to_bits() > 0 {
                        th
                    } else {
                        continue;
                    }
                } else {
                    v
                };
                out.push((j, c));
                total = total.wrapping_add(c.to_bits());
                if let Some(r) = incentive.get_mut(ju) {
                    *r = r.sadd(s.smul(c));
                }
            }
            trust.push(I32F32::from_bits(total));
            out
        })
        .collect();
    (clipped, trust, incentive)
}

/// One row of [`clip_trust_incentive`] when nothing can saturate (see there).
#[inline]
fn clip_row_plain(
    row: &[(u16, I32F32)],
    threshold: &[I32F32],
    s: I32F32,
    incentive: &mut [I32F32],
    trust: &mut Vec<I32F32>,
) -> SparseRow {
    let s = s.to_bits() as u64;
    // No branch on the data: every entry is written at `k`, and `k` moves past the kept ones
    // only. Thresholds here are ≥ 0, so an entry is dropped exactly when it lies above a zero
    // threshold; a dropped entry adds 0 to the sums. (The clip went either way about half the
    // time in an epoch, a branch no predictor learns.)
    let mut out = vec![(0u16, ZERO); row.len()];
    let mut k = 0usize;
    let mut total: i64 = 0;
    for &(j, v) in row {
        let ju = usize::from(j);
        let th = threshold.get(ju).map_or(0, |t| t.to_bits());
        let v = v.to_bits();
        let keep = th > 0 || v <= th;
        let c = if keep { th.min(v) } else { 0 };
        if let Some(slot) = out.get_mut(k) {
            *slot = (j, I32F32::from_bits(c));
        }
        k += usize::from(keep);
        total = total.wrapping_add(c);
        if let Some(r) = incentive.get_mut(ju) {
            // floor(s·c / 2^32) for s, c ≤ 2^32: s = 2^32 gives c; otherwise s·c < 2^64.
            let p = if s >> 32 != 0 {
                c as u64
            } else {
                s.wrapping_mul(c as u64) >> 32
            };
            *r = I32F32::from_bits(r.to_bits().wrapping_add(p as i64));
        }
    }
    out.truncate(k);
    trust.push(I32F32::from_bits(total));
    out
}

/// Sparse rows `(j, f(value))` of `rows[0..n]` without the entries whose column fails `keep`
/// (the chain's load followed by a column mask such as `scalar_vec_mask_sparse_matrix`).
pub fn load_rows_masked<T: Copy>(
    rows: &[Vec<(u16, T)>],
    n: usize,
    f: impl Fn(T) -> I32F32,
    keep: impl Fn(usize) -> bool,
) -> Vec<SparseRow> {
    (0..n)
        .map(|i| {
            rows.get(i).map_or_else(Vec::new, |r| {
                let mut out = Vec::with_capacity(r.len());
                for &(j, v) in r {
                    if keep(usize::from(j)) {
                        out.push((j, f(v)));
                    }
                }
                out
            })
        })
        .collect()
}

// proptest has no wasm32-unknown-unknown backend: native only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{col_clip_sparse, matmul_sparse, row_sum_sparse};
    use super::*;
    use proptest::prelude::*;

    fn matrix() -> impl Strategy<Value = Vec<SparseRow>> {
        proptest::collection::vec(
            proptest::collection::vec(
                (
                    0u16..9,
                    prop_oneof![0i64..(1 << 33), any::<i64>(), Just(0i64)],
                ),
                0..10,
            )
            .prop_map(|r| {
                r.into_iter()
                    .map(|(j, v)| (j, I32F32::from_bits(v)))
                    .collect()
            }),
            0..8,
        )
    }

    fn vector() -> impl Strategy<Value = Vec<I32F32>> {
        proptest::collection::vec(
            prop_oneof![0i64..(1 << 33), any::<i64>(), Just(0i64)].prop_map(I32F32::from_bits),
            0..10,
        )
    }

    /// Proportions in [0, 1], the ends included (the unsaturating path).
    fn unit() -> impl Strategy<Value = I32F32> {
        prop_oneof![0i64..=(1 << 32), Just(0i64), Just(1i64 << 32)].prop_map(I32F32::from_bits)
    }

    fn unit_matrix() -> impl Strategy<Value = Vec<SparseRow>> {
        proptest::collection::vec(proptest::collection::vec((0u16..9, unit()), 0..10), 0..8)
    }

    /// The fused pass against the chain's three helpers.
    fn same_as_composition(
        m: &[SparseRow],
        th: &[I32F32],
        v: &[I32F32],
        columns: usize,
    ) -> Result<(), TestCaseError> {
        let clipped = col_clip_sparse(m, th);
        let want = (
            clipped.clone(),
            row_sum_sparse(&clipped),
            matmul_sparse(&clipped, v, columns),
        );
        prop_assert_eq!(clip_trust_incentive(m, th, v, columns), want);
        Ok(())
    }

    proptest! {
        #[test]
        fn clip_trust_incentive_matches_composition_on_proportions(
            m in unit_matrix(),
            th in proptest::collection::vec(unit(), 0..10),
            v in proptest::collection::vec(unit(), 0..10),
            columns in 0usize..10,
        ) {
            same_as_composition(&m, &th, &v, columns)?;
        }

        #[test]
        fn clip_trust_incentive_matches_composition(
            m in matrix(), th in vector(), v in vector(), columns in 0usize..10,
        ) {
            same_as_composition(&m, &th, &v, columns)?;
        }
    }
}
