//! The stake-weighted median (consensus) with the chain's deterministic mid-pivot partitioning.

use super::fast::FastOps;
use super::ops::ZERO;
use super::vector::{inplace_normalize, sum};
use super::{DenseRow, SparseRow, I32F32};

/// Reusable partition buffers for `weighted_median_in`.
#[derive(Debug, Default)]
struct MedianScratch {
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
                lo_stake = lo_stake.sadd(get(stake, idx));
                s.lower.push(idx);
            } else {
                hi_stake = hi_stake.sadd(get(stake, idx));
                s.upper.push(idx);
            }
        }
        if minority < lo.sadd(lo_stake) && !s.lower.is_empty() {
            core::mem::swap(&mut s.current, &mut s.lower);
            hi = lo.sadd(lo_stake);
        } else if hi.ssub(hi_stake) <= minority && !s.upper.is_empty() {
            core::mem::swap(&mut s.current, &mut s.upper);
            lo = hi.ssub(hi_stake);
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
///
/// The chain runs [`weighted_median`] on a dense `columns × k` score matrix. Whatever the pivots,
/// that search returns the smallest score `s` with `minority < S(≤ s)` (`S` = cumulative stake in
/// score order, exact in fixed point), or the largest score when there is none, or 0 without
/// rows. This computes the same value from each column's non-zero entries only: the rows
/// without a positive score form the score-0 group, whose stake is `Σs' − Σ(positive)`.
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
    let minority = stake_sum.ssub(majority);
    if k == 0 {
        return vec![ZERO; columns];
    }

    // Rows that are not strictly increasing (possible duplicates, where the chain keeps the
    // last value) or hold negative scores go to the chain's own formulation; so do normalised
    // stakes above 1.0 (none in practice). Below it, with fewer than 2^30 rows, no sum of stakes
    // in the selection reaches 2^62, so its plain additions equal the chain's saturating ones.
    if k >= 1 << 30 || use_stake.iter().any(|s| s.to_bits() > 1 << 32) {
        return weighted_median_col_sparse_reference(
            &use_stake, stake, score, columns, minority, stake_sum,
        );
    }
    let rows: Vec<&[(u16, I32F32)]> = stake
        .iter()
        .zip(score)
        .filter(|(s, _)| s.to_bits() > 0)
        .map(|(_, r)| r.as_slice())
        .collect();
    for row in &rows {
        let mut prev: Option<u16> = None;
        for &(c, v) in *row {
            if prev.is_some_and(|p| c <= p) || v.to_bits() < 0 {
                return weighted_median_col_sparse_reference(
                    &use_stake, stake, score, columns, minority, stake_sum,
                );
            }
            prev = Some(c);
        }
    }
    let (minority, stake_sum) = (minority.to_bits(), stake_sum.to_bits());

    // The positive (score, stake) pairs of each column, as raw bits, gathered a block of
    // `BLOCK` columns at a time into one reused buffer: a strictly increasing row has at most
    // one entry per column, so column `start + c` of a block holds at most `k` pairs, at
    // `[c·k, c·k + len[c])`. Each row keeps a cursor to its first entry not yet gathered.
    const BLOCK: usize = 16;
    let mut buf = vec![(0i64, 0i64); BLOCK.saturating_mul(k)];
    let mut len = [0usize; BLOCK];
    let mut cursor = vec![0usize; rows.len()];
    let mut scratch = vec![(0i64, 0i64); k];
    let mut out = Vec::with_capacity(columns);
    let mut start = 0usize;
    while start < columns {
        let end = start.saturating_add(BLOCK).min(columns);
        len.fill(0);
        for ((row, cur), s) in rows.iter().zip(cursor.iter_mut()).zip(&use_stake) {
            while let Some(&(c, v)) = row.get(*cur) {
                let c = usize::from(c);
                if c >= end {
                    break;
                }
                *cur += 1;
                // c ≥ start: entries below `start` were gathered by earlier blocks.
                let slot = c.wrapping_sub(start);
                if v.to_bits() > 0 {
                    if let Some(l) = len.get_mut(slot) {
                        if let Some(e) = buf.get_mut(slot * k + *l) {
                            *e = (v.to_bits(), s.to_bits());
                            *l += 1;
                        }
                    }
                }
            }
        }
        for (slot, &l) in len.iter().enumerate().take(end - start) {
            let col = buf.get_mut(slot * k..slot * k + l).unwrap_or_default();
            out.push(column_median(col, &mut scratch, k, minority, stake_sum));
        }
        start = end;
    }
    out
}

/// One column's median from its positive `(score, stake)` pairs (`k` rows in all; the others
/// score 0).
fn column_median(
    col: &mut [(i64, i64)],
    scratch: &mut [(i64, i64)],
    k: usize,
    minority: i64,
    stake_sum: i64,
) -> I32F32 {
    // Stakes in [0, 2^32], fewer than 2^30 of them: the sums cannot overflow.
    let (max, positive) = col
        .iter()
        .fold((0i64, 0i64), |(m, t), e| (m.max(e.0), t.wrapping_add(e.1)));
    let below = stake_sum.saturating_sub(positive);
    if col.len() < k && minority < below {
        return ZERO;
    }
    if minority >= below.saturating_add(positive) {
        return I32F32::from_bits(max);
    }
    I32F32::from_bits(weighted_select(col, scratch, minority, below, max))
}

/// The smallest score `s` with `minority < below + Σ{stake : score ≤ s}` (`max` if the search runs
/// dry; callers ensure some `s` qualifies). Weighted quickselect. The answer does not depend on
/// the pivots (any score of the partition will do): the median of the first, middle and last
/// scores keeps the partitions balanced. Each round copies the partition into the other of two
/// buffers without a branch on the data (the scores of one column are in no order a branch
/// predictor could learn): every pair is written to the low end and to the high end, and only the
/// ends' counters move by the comparison. Pairs equal to the pivot are summed, never kept: if the
/// answer is among them it is the pivot. `scratch` holds at least `items.len()` pairs. The stakes
/// are in `[0, 2^32]` and fewer than `2^30`, so the round's sums are plain additions (wasm has no
/// saturating 64-bit add: each would cost a compare and a select; 5 % of a 1024-uid epoch).
fn weighted_select(
    items: &mut [(i64, i64)],
    scratch: &mut [(i64, i64)],
    minority: i64,
    mut below: i64,
    max: i64,
) -> i64 {
    let n = items.len();
    let Some(scratch) = scratch.get_mut(..n) else {
        return max;
    };
    let (mut src, mut dst) = (items, scratch);
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let part = &src[lo..hi];
        let (a, b, c) = (part[0].0, part[part.len() / 2].0, part[part.len() - 1].0);
        let pivot = a.max(b).min(a.min(b).max(c));
        let out = &mut dst[lo..hi];
        let last = out.len() - 1;
        let (mut lt, mut gt) = (0usize, 0usize);
        let (mut lt_stake, mut eq_stake) = (0i64, 0i64);
        for &e in part {
            let (is_lt, is_gt) = (e.0 < pivot, e.0 > pivot);
            // lt + gt ≤ the pairs seen so far < out.len(): neither write reaches a kept pair.
            out[lt] = e;
            out[last - gt] = e;
            lt_stake = lt_stake.wrapping_add(e.1 & -i64::from(is_lt));
            eq_stake = eq_stake.wrapping_add(e.1 & -i64::from(!is_lt & !is_gt));
            lt += usize::from(is_lt);
            gt += usize::from(is_gt);
        }
        let through_lt = below.saturating_add(lt_stake);
        let through_eq = through_lt.saturating_add(eq_stake);
        if lt > 0 && minority < through_lt {
            hi = lo + lt;
        } else if minority < through_eq {
            return pivot;
        } else {
            below = through_eq;
            lo = hi - gt;
        }
        core::mem::swap(&mut src, &mut dst);
    }
    max
}

/// The chain's formulation (dense `columns × k` scores, one [`weighted_median`] per column).
fn weighted_median_col_sparse_reference(
    use_stake: &[I32F32],
    stake: &[I32F32],
    score: &[SparseRow],
    columns: usize,
    minority: I32F32,
    stake_sum: I32F32,
) -> Vec<I32F32> {
    let k = use_stake.len();
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
            weighted_median_in(&mut scratch, use_stake, col, minority, ZERO, stake_sum)
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
            let minority = stake_sum.ssub(majority);
            scratch.current.clear();
            scratch.current.extend(0..use_stake.len());
            weighted_median_in(
                &mut scratch,
                &use_stake,
                &use_score,
                minority,
                ZERO,
                stake_sum,
            )
        })
        .collect()
}

// Unit tests use proptest, which has no wasm32-unknown-unknown backend: native only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain_reference(
        stake: &[I32F32],
        score: &[SparseRow],
        columns: usize,
        majority: I32F32,
    ) -> Vec<I32F32> {
        let mut use_stake: Vec<I32F32> = stake.iter().copied().filter(|&s| s > ZERO).collect();
        inplace_normalize(&mut use_stake);
        let stake_sum = sum(&use_stake);
        let minority = stake_sum.ssub(majority);
        weighted_median_col_sparse_reference(&use_stake, stake, score, columns, minority, stake_sum)
    }

    proptest! {
        /// The selection against its definition (a sort and a cumulative sum), on columns long
        /// enough for several partition rounds and with many equal scores.
        #[test]
        fn weighted_select_matches_definition(
            items in proptest::collection::vec((prop_oneof![0i64..8, 0i64..(1 << 33)], 0i64..(1 << 32)), 1..200),
            below in 0i64..(1 << 32),
            frac in 0u32..=1000,
        ) {
            let total: i64 = items.iter().map(|e| e.1).sum();
            let minority = below + (i128::from(total) * i128::from(frac) / 1001) as i64;
            let mut sorted = items.clone();
            sorted.sort_by_key(|e| e.0);
            let mut cum = below;
            let mut want = None;
            for (i, e) in sorted.iter().enumerate() {
                cum += e.1;
                let last_of_score = sorted.get(i + 1).is_none_or(|n| n.0 != e.0);
                if last_of_score && minority < cum {
                    want = Some(e.0);
                    break;
                }
            }
            let max = sorted.last().map_or(0, |e| e.0);
            let mut items = items;
            let mut scratch = vec![(0, 0); items.len()];
            prop_assert_eq!(weighted_select(&mut items, &mut scratch, minority, below, max), want.unwrap_or(max));
        }

        #[test]
        fn sparse_median_matches_pivot_search(
            stakes in proptest::collection::vec(prop_oneof![Just(0u32), 1u32..5, 1u32..1_000_000], 0..12),
            cells in proptest::collection::vec((0usize..12, prop_oneof![0u16..7, 0u16..48], 0u8..5), 0..300),
            columns in prop_oneof![Just(7usize), 1usize..45],
            kappa in prop_oneof![Just(0u16), Just(32767u16), Just(65535u16), any::<u16>()],
            sorted in prop_oneof![Just(true), Just(true), Just(false)],
        ) {
            let n = stakes.len();
            let stake: Vec<I32F32> = stakes.iter().map(|&s| I32F32::from_num(s)).collect();
            let mut score: Vec<SparseRow> = vec![Vec::new(); n];
            for (r, c, v) in cells {
                if let Some(row) = score.get_mut(r) {
                    if !row.iter().any(|e| e.0 == c) {
                        row.push((c, I32F32::from_num(v) / 4));
                    }
                }
            }
            if sorted {
                score.iter_mut().for_each(|r| r.sort_by_key(|e| e.0));
            }
            let majority = I32F32::from_num(kappa) / I32F32::from_num(65535);
            prop_assert_eq!(
                weighted_median_col_sparse(&stake, &score, columns, majority),
                chain_reference(&stake, &score, columns, majority)
            );
        }
    }
}
