//! The stake-weighted median (consensus) with the chain's deterministic mid-pivot partitioning.

use super::ops::ZERO;
use super::vector::{inplace_normalize, sum};
use super::{DenseRow, I32F32, SparseRow};

/// Reusable partition buffers for [`weighted_median_in`].
#[derive(Debug, Default)]
pub struct MedianScratch {
    current: Vec<usize>,
    lower: Vec<usize>,
    upper: Vec<usize>,
}

/// `weighted_median(stake, score, partition_idx, minority, lo, hi)`.
///
/// Pivot = score of the element at position `len/2` of the current partition (original order
/// kept); elements equal to the pivot are dropped from both sides. Returns an actual score (no
/// interpolation); 0 for an empty partition or mismatched lengths.
pub fn weighted_median(
    stake: &[I32F32],
    score: &[I32F32],
    partition_idx: &[usize],
    minority: I32F32,
    lo: I32F32,
    hi: I32F32,
) -> I32F32 {
    let mut scratch = MedianScratch::default();
    scratch.current.extend_from_slice(partition_idx);
    weighted_median_in(&mut scratch, stake, score, minority, lo, hi)
}

/// [`weighted_median`] over the partition already loaded in `scratch.current` (consumed).
fn weighted_median_in(
    s: &mut MedianScratch,
    stake: &[I32F32],
    score: &[I32F32],
    minority: I32F32,
    mut lo: I32F32,
    mut hi: I32F32,
) -> I32F32 {
    if stake.len() != score.len() {
        return ZERO;
    }
    let get = |v: &[I32F32], i: usize| v.get(i).copied().unwrap_or(ZERO);
    let limit = s.current.len();
    let mut iterations = 0usize;
    loop {
        let n = s.current.len();
        if n == 0 {
            return ZERO;
        }
        if n == 1 {
            return s.current.first().map_or(ZERO, |&i| get(score, i));
        }
        let pivot = get(score, s.current.get(n / 2).copied().unwrap_or(0));
        let mut lo_stake = ZERO;
        let mut hi_stake = ZERO;
        s.lower.clear();
        s.upper.clear();
        for &idx in &s.current {
            let v = get(score, idx);
            if v == pivot {
                continue;
            }
            if v < pivot {
                lo_stake = lo_stake.saturating_add(get(stake, idx));
                s.lower.push(idx);
            } else {
                hi_stake = hi_stake.saturating_add(get(stake, idx));
                s.upper.push(idx);
            }
        }
        if minority < lo.saturating_add(lo_stake) && !s.lower.is_empty() {
            core::mem::swap(&mut s.current, &mut s.lower);
            hi = lo.saturating_add(lo_stake);
        } else if hi.saturating_sub(hi_stake) <= minority && !s.upper.is_empty() {
            core::mem::swap(&mut s.current, &mut s.upper);
            lo = hi.saturating_sub(hi_stake);
        } else {
            return pivot;
        }
        iterations = iterations.saturating_add(1);
        if iterations > limit {
            return ZERO;
        }
    }
}

/// `weighted_median_col_sparse`: per column, the median over the rows with positive stake (their
/// stakes re-normalized), `minority = Σs' − majority`.
pub fn weighted_median_col_sparse(
    stake: &[I32F32],
    score: &[SparseRow],
    columns: usize,
    majority: I32F32,
) -> Vec<I32F32> {
    let mut use_stake: Vec<I32F32> = stake.iter().copied().filter(|&s| s > ZERO).collect();
    inplace_normalize(&mut use_stake);
    let k = use_stake.len();
    let stake_sum = sum(&use_stake);
    let minority = stake_sum.saturating_sub(majority);

    // Column-major scores of the positive-stake rows (later duplicates of a column win).
    let mut use_score = vec![ZERO; columns.saturating_mul(k)];
    let mut r = 0usize;
    for (&s, row) in stake.iter().zip(score) {
        if s > ZERO {
            for &(c, v) in row {
                let c = usize::from(c);
                if c < columns {
                    if let Some(cell) = use_score.get_mut(c * k + r) {
                        *cell = v;
                    }
                }
            }
            r += 1;
        }
    }

    let mut scratch = MedianScratch::default();
    (0..columns)
        .map(|c| {
            let col = use_score.get(c * k..(c + 1) * k).unwrap_or(&[]);
            scratch.current.clear();
            scratch.current.extend(0..k);
            weighted_median_in(&mut scratch, &use_stake, col, minority, ZERO, stake_sum)
        })
        .collect()
}

/// `weighted_median_col` (dense): rows with positive stake whose width differs from the first
/// row's contribute a zero stake and a zero score.
pub fn weighted_median_col(stake: &[I32F32], score: &[DenseRow], majority: I32F32) -> Vec<I32F32> {
    let columns = score.first().map_or(0, Vec::len);
    let mut scratch = MedianScratch::default();
    let mut use_stake = Vec::new();
    let mut use_score = Vec::new();
    (0..columns)
        .map(|c| {
            use_stake.clear();
            use_score.clear();
            for (r, &st) in stake.iter().enumerate() {
                if st > ZERO {
                    match score.get(r) {
                        Some(row) if row.len() == columns => {
                            use_stake.push(st);
                            use_score.push(row.get(c).copied().unwrap_or(ZERO));
                        }
                        _ => {
                            use_stake.push(ZERO);
                            use_score.push(ZERO);
                        }
                    }
                }
            }
            if use_stake.is_empty() {
                return ZERO;
            }
            inplace_normalize(&mut use_stake);
            let stake_sum = sum(&use_stake);
            let minority = stake_sum.saturating_sub(majority);
            scratch.current.clear();
            scratch.current.extend(0..use_stake.len());
            weighted_median_in(&mut scratch, &use_stake, &use_score, minority, ZERO, stake_sum)
        })
        .collect()
}
