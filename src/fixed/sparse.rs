//! Sparse-matrix helpers of the on-chain epoch.
//!
//! Where the chain densifies a row into an `n`-wide buffer only to read it back in column order
//! (`interpolate_sparse`, `mat_ema_sparse`, `mat_ema_alpha_sparse`), these versions touch only the
//! columns present in the row (a reusable scratch buffer, reset after each row). The results are
//! identical: untouched columns are 0 there and 0 is never emitted.

use super::fast::FastOps;
use super::ops::{SafeDiv, ONE, ZERO};
use super::recip::Divisor;
use super::{SparseRow, I32F32};

/// Sum of the values of one sparse row (plain `+`, as the chain's `.sum()`).
#[inline]
fn row_values_sum(row: &[(u16, I32F32)]) -> I32F32 {
    let mut acc: i64 = 0;
    for (_, v) in row {
        acc = acc.wrapping_add(v.to_bits());
    }
    I32F32::from_bits(acc)
}

/// `inplace_row_normalize_sparse`: rows with a positive sum are divided by it.
pub fn inplace_row_normalize_sparse(m: &mut [SparseRow]) {
    for row in m.iter_mut() {
        let s = row_values_sum(row);
        if let Some(d) = Divisor::new(s) {
            for (_, v) in row.iter_mut() {
                *v = d.sdiv(*v);
            }
        }
    }
}

/// `row_sum_sparse`.
pub fn row_sum_sparse(m: &[SparseRow]) -> Vec<I32F32> {
    m.iter().map(|r| row_values_sum(r)).collect()
}

/// `inplace_col_normalize_sparse`: each entry divided by its column's (saturating) sum, when that
/// sum is non-zero; entries at columns ≥ `columns` are left alone.
pub fn inplace_col_normalize_sparse(m: &mut [SparseRow], columns: usize) {
    let mut col_sum = vec![ZERO; columns];
    for row in m.iter() {
        for &(j, v) in row {
            if let Some(s) = col_sum.get_mut(usize::from(j)) {
                *s = s.sadd(v);
            }
        }
    }
    let div: Vec<Option<Divisor>> = col_sum.iter().map(|&s| Divisor::new(s)).collect();
    for row in m.iter_mut() {
        for (j, v) in row.iter_mut() {
            let d = col_sum.get(usize::from(*j)).copied().unwrap_or(ZERO);
            if d != ZERO {
                *v = match div.get(usize::from(*j)) {
                    Some(Some(r)) => r.sdiv(*v),
                    _ => v.safe_div(d),
                };
            }
        }
    }
}

/// `inplace_col_max_upscale_sparse`: each entry divided by its column's maximum (when non-zero).
pub fn inplace_col_max_upscale_sparse(m: &mut [SparseRow], columns: usize) {
    let mut col_max = vec![ZERO; columns];
    for row in m.iter() {
        for &(j, v) in row {
            if let Some(c) = col_max.get_mut(usize::from(j)) {
                if *c < v {
                    *c = v;
                }
            }
        }
    }
    for row in m.iter_mut() {
        for (j, v) in row.iter_mut() {
            let c = col_max.get(usize::from(*j)).copied().unwrap_or(ZERO);
            if c != ZERO {
                *v = v.safe_div(c);
            }
        }
    }
}

/// `mask_rows_sparse` in place: rows whose mask is true (or missing) become empty.
pub fn mask_rows_sparse(mask: &[bool], m: &mut [SparseRow]) {
    for (i, row) in m.iter_mut().enumerate() {
        if mask.get(i).copied().unwrap_or(true) {
            row.clear();
        }
    }
}

/// `mask_diag_sparse` in place: remove every `(i, i)` entry.
pub fn mask_diag_sparse(m: &mut [SparseRow]) {
    for (i, row) in m.iter_mut().enumerate() {
        row.retain(|&(j, _)| usize::from(j) != i);
    }
}

/// `mask_diag_sparse_except_index` in place: remove `(i, i)` entries except at `except`.
pub fn mask_diag_sparse_except_index(m: &mut [SparseRow], except: u16) {
    for (i, row) in m.iter_mut().enumerate() {
        if i != usize::from(except) {
            row.retain(|&(j, _)| usize::from(j) != i);
        }
    }
}

/// `vec_mask_sparse_matrix` in place: remove `(i, j)` when `mask_fn(first[i], second[j])`
/// (missing vector entries read as 0).
pub fn vec_mask_sparse_matrix(
    m: &mut [SparseRow],
    first: &[u64],
    second: &[u64],
    mask_fn: impl Fn(u64, u64) -> bool,
) {
    for (i, row) in m.iter_mut().enumerate() {
        let fv = first.get(i).copied().unwrap_or(0);
        row.retain(|&(j, _)| !mask_fn(fv, second.get(usize::from(j)).copied().unwrap_or(0)));
    }
}

/// `scalar_vec_mask_sparse_matrix` in place: remove `(i, j)` when `mask_fn(scalar, vector[j])`
/// (missing vector entries read as 0).
pub fn scalar_vec_mask_sparse_matrix(
    m: &mut [SparseRow],
    scalar: u64,
    vector: &[u64],
    mask_fn: impl Fn(u64, u64) -> bool,
) {
    for row in m.iter_mut() {
        row.retain(|&(j, _)| !mask_fn(scalar, vector.get(usize::from(j)).copied().unwrap_or(0)));
    }
}

/// `row_hadamard_sparse`: row `i` scaled by `vector[i]` (stops at the shorter of the two).
pub fn row_hadamard_sparse(m: &[SparseRow], vector: &[I32F32]) -> Vec<SparseRow> {
    m.iter()
        .zip(vector)
        .map(|(row, &s)| row.iter().map(|&(j, v)| (j, v.smul(s))).collect())
        .collect()
}

/// `matmul_sparse`: `r_j = Σ_i vector_i · m_ij` (saturating, in row order).
pub fn matmul_sparse(m: &[SparseRow], vector: &[I32F32], columns: usize) -> Vec<I32F32> {
    let mut result = vec![ZERO; columns];
    for (i, row) in m.iter().enumerate() {
        let s = vector.get(i).copied().unwrap_or(ZERO);
        for &(j, v) in row {
            if let Some(r) = result.get_mut(usize::from(j)) {
                *r = r.sadd(s.smul(v));
            }
        }
    }
    result
}

/// `matmul_transpose_sparse`: `r_i = Σ_j vector_j · m_ij` (saturating).
pub fn matmul_transpose_sparse(m: &[SparseRow], vector: &[I32F32]) -> Vec<I32F32> {
    m.iter()
        .map(|row| {
            let mut acc = ZERO;
            for &(j, v) in row {
                let x = vector.get(usize::from(j)).copied().unwrap_or(ZERO);
                acc = acc.sadd(x.smul(v));
            }
            acc
        })
        .collect()
}

/// `col_clip_sparse`: entries above their column threshold become the threshold, or are dropped
/// when the threshold is ≤ 0; other entries (zeros included) are kept.
pub fn col_clip_sparse(m: &[SparseRow], threshold: &[I32F32]) -> Vec<SparseRow> {
    m.iter()
        .map(|row| {
            let mut out = Vec::with_capacity(row.len());
            for &(j, v) in row {
                let th = threshold.get(usize::from(j)).copied().unwrap_or(ZERO);
                if th < v {
                    if th > ZERO {
                        out.push((j, th));
                    }
                } else {
                    out.push((j, v));
                }
            }
            out
        })
        .collect()
}

/// `mat_vec_mul_sparse`: `m_ij · vector_j`, keeping non-zero products of columns inside `vector`.
pub fn mat_vec_mul_sparse(m: &[SparseRow], vector: &[I32F32]) -> Vec<SparseRow> {
    m.iter()
        .map(|row| {
            let mut out = Vec::with_capacity(row.len());
            for &(j, v) in row {
                if let Some(x) = vector.get(usize::from(j)) {
                    let p = v.smul(*x);
                    if p != ZERO {
                        out.push((j, p));
                    }
                }
            }
            out
        })
        .collect()
}

/// Column-ordered list of the distinct columns `< columns` present in `a` or `b` (a merge when
/// both rows are strictly increasing, as rows built by the epoch are; a sort otherwise).
fn touched_columns(a: &[(u16, I32F32)], b: &[(u16, I32F32)], columns: usize, out: &mut Vec<u16>) {
    out.clear();
    let increasing = |r: &[(u16, I32F32)]| r.windows(2).all(|w| matches!(w, [p, q] if p.0 < q.0));
    let keep = |j: &u16| usize::from(*j) < columns;
    if increasing(a) && increasing(b) {
        let (mut i, mut k) = (0, 0);
        loop {
            let next = match (a.get(i), b.get(k)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    i += 1;
                    k += 1;
                    x.0
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    i += 1;
                    x.0
                }
                (_, Some(y)) => {
                    k += 1;
                    y.0
                }
                (Some(x), None) => {
                    i += 1;
                    x.0
                }
                (None, None) => break,
            };
            if keep(&next) {
                out.push(next);
            }
        }
    } else {
        out.extend(a.iter().chain(b).map(|&(j, _)| j).filter(keep));
        out.sort_unstable();
        out.dedup();
    }
}

/// `interpolate_sparse`: `mat1 + ratio·(mat2 − mat1)`. `ratio == 0` returns `mat1` and
/// `ratio == 1` returns `mat2` unchanged; a row-count mismatch returns `mat2`; otherwise rows are
/// rebuilt in column order keeping only entries `> 0` (explicit zeros vanish).
pub fn interpolate_sparse(
    mat1: &[SparseRow],
    mat2: &[SparseRow],
    columns: usize,
    ratio: I32F32,
) -> Vec<SparseRow> {
    if ratio == ZERO {
        return mat1.to_vec();
    }
    if ratio == ONE || mat1.len() != mat2.len() {
        return mat2.to_vec();
    }
    let mut s1 = vec![ZERO; columns];
    let mut s2 = vec![ZERO; columns];
    let mut cols = Vec::new();
    mat1.iter()
        .zip(mat2)
        .map(|(r1, r2)| {
            touched_columns(r1, r2, columns, &mut cols);
            for &(j, v) in r1 {
                if let Some(c) = s1.get_mut(usize::from(j)) {
                    *c = v;
                }
            }
            for &(j, v) in r2 {
                if let Some(c) = s2.get_mut(usize::from(j)) {
                    *c = v;
                }
            }
            let mut out = Vec::with_capacity(cols.len());
            for &j in &cols {
                let ju = usize::from(j);
                let v1 = s1.get(ju).copied().unwrap_or(ZERO);
                let v2 = s2.get(ju).copied().unwrap_or(ZERO);
                let x = v1.sadd(ratio.smul(v2.ssub(v1)));
                if ZERO < x {
                    out.push((j, x));
                }
                if let Some(c) = s1.get_mut(ju) {
                    *c = ZERO;
                }
                if let Some(c) = s2.get_mut(ju) {
                    *c = ZERO;
                }
            }
            out
        })
        .collect()
}

/// `mat_ema_sparse`: per row, `α·new + (1−α)·old` accumulated (saturating) over a square
/// `new.len()`-wide row, entries `> 0` kept in column order.
pub fn mat_ema_sparse(new: &[SparseRow], old: &[SparseRow], alpha: I32F32) -> Vec<SparseRow> {
    let n = new.len();
    let one_minus_alpha = ONE.ssub(alpha);
    let mut acc = vec![ZERO; n];
    let mut cols = Vec::new();
    let empty: SparseRow = Vec::new();
    new.iter()
        .enumerate()
        .map(|(i, new_row)| {
            let old_row = old.get(i).unwrap_or(&empty);
            if strictly_increasing(new_row) && strictly_increasing(old_row) {
                return ema_merge(new_row, old_row, n, alpha, one_minus_alpha);
            }
            touched_columns(new_row, old_row, n, &mut cols);
            for &(j, v) in new_row {
                if let Some(c) = acc.get_mut(usize::from(j)) {
                    *c = c.sadd(alpha.smul(v));
                }
            }
            for &(j, v) in old_row {
                if let Some(c) = acc.get_mut(usize::from(j)) {
                    *c = c.sadd(one_minus_alpha.smul(v));
                }
            }
            let mut out = Vec::with_capacity(cols.len());
            for &j in &cols {
                if let Some(c) = acc.get_mut(usize::from(j)) {
                    if *c > ZERO {
                        out.push((j, *c));
                    }
                    *c = ZERO;
                }
            }
            out
        })
        .collect()
}

fn strictly_increasing(r: &[(u16, I32F32)]) -> bool {
    r.windows(2).all(|w| matches!(w, [p, q] if p.0 < q.0))
}

/// One row of `mat_ema_sparse` for column-sorted, duplicate-free rows: a single merge.
fn ema_merge(
    new: &[(u16, I32F32)],
    old: &[(u16, I32F32)],
    columns: usize,
    alpha: I32F32,
    one_minus_alpha: I32F32,
) -> SparseRow {
    let mut out = Vec::with_capacity(new.len().max(old.len()));
    let mut push = |j: u16, v: I32F32| {
        if usize::from(j) < columns && v > ZERO {
            out.push((j, v));
        }
    };
    let (mut a, mut b) = (new, old);
    while let (Some((&(ja, x), ra)), Some((&(jb, y), rb))) = (a.split_first(), b.split_first()) {
        if ja == jb {
            push(ja, alpha.smul(x).sadd(one_minus_alpha.smul(y)));
            (a, b) = (ra, rb);
        } else if ja < jb {
            push(ja, alpha.smul(x));
            a = ra;
        } else {
            push(jb, one_minus_alpha.smul(y));
            b = rb;
        }
    }
    for &(j, x) in a {
        push(j, alpha.smul(x));
    }
    for &(j, y) in b {
        push(j, one_minus_alpha.smul(y));
    }
    out
}

/// How [`col_normalized_dot`] normalizes the entries of one column.
#[derive(Debug, Clone, Copy)]
enum ColNorm {
    /// Column sum 0 (or a column past the sums): the entry as it is.
    Keep,
    /// A positive column sum.
    Div(Divisor),
    /// A negative column sum (never built by the epoch; the crate's division).
    Other(I32F32),
}

/// `row_sum_sparse(mat_vec_mul_sparse(col_normalized(m), vector))` without building either
/// intermediate matrix (the Yuma3 `total_bonds_per_validator`). Entries at columns outside
/// `vector` contribute nothing (`mat_vec_mul_sparse` drops them); a zero product adds 0, the
/// same as the dropped entry.
pub fn col_normalized_dot(m: &[SparseRow], columns: usize, vector: &[I32F32]) -> Vec<I32F32> {
    let mut col_sum = vec![0i64; columns];
    for row in m {
        for &(j, v) in row {
            if let Some(s) = col_sum.get_mut(usize::from(j)) {
                *s = s.saturating_add(v.to_bits());
            }
        }
    }
    // One table per column of `vector`: the normalization and the vector's value.
    let cols: Vec<(ColNorm, I32F32)> = vector
        .iter()
        .enumerate()
        .map(|(j, &x)| {
            let d = I32F32::from_bits(col_sum.get(j).copied().unwrap_or(0));
            let norm = if d == ZERO {
                ColNorm::Keep
            } else {
                Divisor::new(d).map_or(ColNorm::Other(d), ColNorm::Div)
            };
            (norm, x)
        })
        .collect();
    m.iter()
        .map(|row| {
            let mut acc: i64 = 0;
            for &(j, v) in row {
                if let Some((norm, x)) = cols.get(usize::from(j)) {
                    let norm = match norm {
                        ColNorm::Keep => v,
                        ColNorm::Div(r) => r.sdiv(v),
                        ColNorm::Other(d) => v.safe_div(*d),
                    };
                    acc = acc.wrapping_add(norm.smul(*x).to_bits());
                }
            }
            I32F32::from_bits(acc)
        })
        .collect()
}

/// `mat_ema_alpha_sparse` with the per-entry alpha supplied by `alpha_at(row, column)`, which
/// returns `None` for a column outside the alpha row (such entries are ignored, as the chain's
/// `alpha_row.get(j)` does). `columns` is the alpha-row width.
///
/// For each row: `dec_j = (1 − α_ij)·old_ij` (last old entry of a column wins); then for each
/// entry `(j, w)` of the *new* row, `min(1, dec_j + max(0, α_ij·w))`, kept when `> 0`. Old
/// entries whose column is absent from the new row are dropped.
pub fn mat_ema_alpha_sparse_by(
    new: &[SparseRow],
    old: &[SparseRow],
    columns: usize,
    mut alpha_at: impl FnMut(usize, u16) -> Option<I32F32>,
) -> Vec<SparseRow> {
    let mut decayed = vec![ZERO; columns];
    new.iter()
        .zip(old)
        .enumerate()
        .map(|(i, (new_row, old_row))| {
            for &(j, ov) in old_row {
                if let Some(a) = alpha_at(i, j) {
                    if let Some(c) = decayed.get_mut(usize::from(j)) {
                        *c = ONE.ssub(a).smul(ov);
                    }
                }
            }
            let mut out = Vec::with_capacity(new_row.len());
            for &(j, nv) in new_row {
                if let (Some(a), Some(&d)) = (alpha_at(i, j), decayed.get(usize::from(j))) {
                    let inc = a.smul(nv).max(ZERO);
                    let v = d.sadd(inc).min(ONE);
                    if v > ZERO {
                        out.push((j, v));
                    }
                }
            }
            for &(j, _) in old_row {
                if let Some(c) = decayed.get_mut(usize::from(j)) {
                    *c = ZERO;
                }
            }
            out
        })
        .collect()
}

/// `mat_ema_alpha_sparse` with a dense alpha matrix; mismatched row counts return `new`.
pub fn mat_ema_alpha_sparse(
    new: &[SparseRow],
    old: &[SparseRow],
    alpha: &[Vec<I32F32>],
) -> Vec<SparseRow> {
    if new.len() != old.len() || new.len() != alpha.len() {
        return new.to_vec();
    }
    let columns = alpha.iter().map(Vec::len).max().unwrap_or(0);
    mat_ema_alpha_sparse_by(new, old, columns, |i, j| {
        alpha.get(i).and_then(|r| r.get(usize::from(j))).copied()
    })
}

#[cfg(test)]
#[path = "sparse_tests.rs"]
mod tests;
