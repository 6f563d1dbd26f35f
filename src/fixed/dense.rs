//! Dense-matrix helpers (the chain's test-only `epoch_dense` path and the math vectors).
//!
//! These keep the chain's behaviour on ragged input: widths come from the first row, missing
//! mask entries mask, iterators stop at the shorter operand.

use super::fast::FastOps;
use super::ops::{SafeDiv, ONE, ZERO};
use super::vector::{sum, vec_mul};
use super::{DenseRow, I32F32};

/// `inplace_row_normalize`: rows with a positive sum are divided by it.
pub fn inplace_row_normalize(m: &mut [DenseRow]) {
    for row in m.iter_mut() {
        let s = sum(row);
        if s > ZERO {
            for v in row.iter_mut() {
                *v = v.safe_div(s);
            }
        }
    }
}

/// `row_sum` (empty when the first row is empty).
pub fn row_sum(m: &[DenseRow]) -> Vec<I32F32> {
    if m.first().is_some_and(|r| r.is_empty()) {
        return Vec::new();
    }
    m.iter().map(|r| sum(r)).collect()
}

/// `inplace_col_normalize`: each column divided by its (saturating) sum when non-zero.
pub fn inplace_col_normalize(m: &mut [DenseRow]) {
    let mut col_sums: Vec<I32F32> = Vec::new();
    for row in m.iter() {
        if col_sums.len() < row.len() {
            col_sums.resize(row.len(), ZERO);
        }
        for (s, v) in col_sums.iter_mut().zip(row) {
            *s = s.sadd(*v);
        }
    }
    for row in m.iter_mut() {
        for (v, s) in row.iter_mut().zip(&col_sums) {
            if *s != ZERO {
                *v = v.safe_div(*s);
            }
        }
    }
}

/// `inplace_col_max_upscale`: each column divided by its maximum when non-zero.
pub fn inplace_col_max_upscale(m: &mut [DenseRow]) {
    let cols = m.iter().map(Vec::len).max().unwrap_or(0);
    let mut col_max = vec![ZERO; cols];
    for row in m.iter() {
        for (c, v) in col_max.iter_mut().zip(row) {
            if *c < *v {
                *c = *v;
            }
        }
    }
    for row in m.iter_mut() {
        for (v, c) in row.iter_mut().zip(&col_max) {
            if *c != ZERO {
                *v = v.safe_div(*c);
            }
        }
    }
}

/// `inplace_mask_matrix`: zero `(r, c)` where `mask[r][c]` is true or missing (no-op for an
/// empty mask or an empty first mask row).
pub fn inplace_mask_matrix(mask: &[Vec<bool>], m: &mut [DenseRow]) {
    if mask.first().is_none_or(|r| r.is_empty()) {
        return;
    }
    for (r, row) in m.iter_mut().enumerate() {
        let mrow = mask.get(r);
        for (c, v) in row.iter_mut().enumerate() {
            if mrow.and_then(|mr| mr.get(c)).copied().unwrap_or(true) {
                *v = ZERO;
            }
        }
    }
}

/// `inplace_mask_rows`: rows whose mask is true (or missing) become zero rows of the first row's
/// width.
pub fn inplace_mask_rows(mask: &[bool], m: &mut [DenseRow]) {
    let Some(cols) = m.first().map(Vec::len) else {
        return;
    };
    for (r, row) in m.iter_mut().enumerate() {
        if mask.get(r).copied().unwrap_or(true) {
            *row = vec![ZERO; cols];
        }
    }
}

/// `inplace_mask_cols`: zero columns whose mask is true (or missing).
pub fn inplace_mask_cols(mask: &[bool], m: &mut [DenseRow]) {
    for row in m.iter_mut() {
        for (c, v) in row.iter_mut().enumerate() {
            if mask.get(c).copied().unwrap_or(true) {
                *v = ZERO;
            }
        }
    }
}

fn is_square_nonempty(m: &[DenseRow]) -> bool {
    match m.first() {
        Some(first) => !first.is_empty() && first.len() == m.len(),
        None => false,
    }
}

/// `inplace_mask_diag` (square matrices only; anything else is left alone).
pub fn inplace_mask_diag(m: &mut [DenseRow]) {
    if !is_square_nonempty(m) {
        return;
    }
    for (i, row) in m.iter_mut().enumerate() {
        if let Some(v) = row.get_mut(i) {
            *v = ZERO;
        }
    }
}

/// `inplace_mask_diag_except_index`.
pub fn inplace_mask_diag_except_index(m: &mut [DenseRow], except: u16) {
    if !is_square_nonempty(m) {
        return;
    }
    let e = usize::from(except);
    let keep = m.get(e).and_then(|r| r.get(e)).copied();
    inplace_mask_diag(m);
    if let (Some(k), Some(v)) = (keep, m.get_mut(e).and_then(|r| r.get_mut(e))) {
        *v = k;
    }
}

/// `row_hadamard`: row `i` scaled by `vector[i]` (`[[]]` for an empty matrix).
pub fn row_hadamard(m: &[DenseRow], vector: &[I32F32]) -> Vec<DenseRow> {
    if m.first().is_none_or(|r| r.is_empty()) {
        return vec![Vec::new()];
    }
    m.iter()
        .zip(vector)
        .map(|(row, s)| row.iter().map(|v| s.smul(*v)).collect())
        .collect()
}

/// `matmul`: `r_j = Σ_i vector_i · m_ij` over the first row's width.
pub fn matmul(m: &[DenseRow], vector: &[I32F32]) -> Vec<I32F32> {
    let Some(cols) = m.first().map(Vec::len) else {
        return Vec::new();
    };
    let mut acc = vec![ZERO; cols];
    for (i, row) in m.iter().enumerate() {
        let s = vector.get(i).copied().unwrap_or(ZERO);
        for (a, v) in acc.iter_mut().zip(row) {
            *a = a.sadd(s.smul(*v));
        }
    }
    acc
}

/// `matmul_transpose`: `r_i = Σ_j m_ij · vector_j`.
pub fn matmul_transpose(m: &[DenseRow], vector: &[I32F32]) -> Vec<I32F32> {
    if m.first().is_none_or(|r| r.is_empty()) {
        return Vec::new();
    }
    m.iter()
        .map(|row| {
            row.iter()
                .zip(vector)
                .fold(ZERO, |acc, (v, x)| acc.sadd(v.smul(*x)))
        })
        .collect()
}

/// `inplace_col_clip`: `min(value, threshold_j)`.
pub fn inplace_col_clip(m: &mut [DenseRow], threshold: &[I32F32]) {
    for row in m.iter_mut() {
        for (v, th) in row.iter_mut().zip(threshold) {
            *v = (*th).min(*v);
        }
    }
}

/// `interpolate`: `mat1 + ratio·(mat2 − mat1)`; ratio 0 / 1 return `mat1` / `mat2` unchanged.
pub fn interpolate(mat1: &[DenseRow], mat2: &[DenseRow], ratio: I32F32) -> Vec<DenseRow> {
    if ratio == ZERO {
        return mat1.to_vec();
    }
    if ratio == ONE {
        return mat2.to_vec();
    }
    let Some(cols) = mat1.first().map(Vec::len).filter(|&c| c > 0) else {
        return vec![Vec::new()];
    };
    let mut result: Vec<DenseRow> = mat1.iter().map(|_| vec![ZERO; cols]).collect();
    for ((r1, r2), out) in mat1.iter().zip(mat2).zip(result.iter_mut()) {
        for ((v1, v2), o) in r1.iter().zip(r2).zip(out.iter_mut()) {
            *o = v1.sadd(ratio.smul(v2.ssub(*v1)));
        }
    }
    result
}

/// `mat_vec_mul`: every row multiplied element-wise by `vector` (`[[]]` for an empty matrix).
pub fn mat_vec_mul(m: &[DenseRow], vector: &[I32F32]) -> Vec<DenseRow> {
    if m.first().is_none_or(|r| r.is_empty()) {
        return vec![Vec::new()];
    }
    m.iter().map(|row| vec_mul(row, vector)).collect()
}

/// `mat_ema`: `α·new + (1−α)·old` element-wise (`[[]]` for an empty matrix).
pub fn mat_ema(new: &[DenseRow], old: &[DenseRow], alpha: I32F32) -> Vec<DenseRow> {
    if new.first().is_none_or(|r| r.is_empty()) {
        return vec![Vec::new()];
    }
    let one_minus_alpha = ONE.ssub(alpha);
    new.iter()
        .zip(old)
        .map(|(nr, or)| {
            nr.iter()
                .zip(or)
                .map(|(n, o)| alpha.smul(*n).sadd(one_minus_alpha.smul(*o)))
                .collect()
        })
        .collect()
}

/// `mat_ema_alpha`: per-entry `min(1, (1−α)·old + max(0, α·new))`. An empty `new` gives `[[]]`,
/// a row-count mismatch returns `old`, a row-length mismatch returns `new`.
pub fn mat_ema_alpha(new: &[DenseRow], old: &[DenseRow], alpha: &[DenseRow]) -> Vec<DenseRow> {
    if new.first().is_none_or(|r| r.is_empty()) {
        return vec![Vec::new()];
    }
    if new.len() != old.len() || new.len() != alpha.len() {
        return old.to_vec();
    }
    let shapes_match = new
        .iter()
        .zip(old)
        .zip(alpha)
        .all(|((n, o), a)| n.len() == o.len() && n.len() == a.len());
    if !shapes_match {
        return new.to_vec();
    }
    new.iter()
        .zip(old)
        .zip(alpha)
        .map(|((nr, or), ar)| {
            nr.iter()
                .zip(or)
                .zip(ar)
                .map(|((n, o), a)| {
                    let decayed = ONE.ssub(*a).smul(*o);
                    let inc = a.smul(*n).max(ZERO);
                    decayed.sadd(inc).min(ONE)
                })
                .collect()
        })
        .collect()
}
