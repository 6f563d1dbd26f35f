//! Vector helpers: sums, normalization, masks, top-k.

use super::ops::{SafeDiv, ZERO};
use super::{I32F32, I64F64};

/// Plain `Σx` as the runtime computes it (wrapping `+`; bounded by `n` in the epoch).
#[inline]
pub fn sum(x: &[I32F32]) -> I32F32 {
    super::simd::sum(x)
}

/// Plain `Σx` for I64F64.
#[inline]
pub fn sum_64(x: &[I64F64]) -> I64F64 {
    let mut acc: i128 = 0;
    for v in x {
        acc = acc.wrapping_add(v.to_bits());
    }
    I64F64::from_bits(acc)
}

/// `is_zero`: the sum is exactly 0.
pub fn is_zero(x: &[I32F32]) -> bool {
    sum(x) == ZERO
}

/// `normalize`: a copy divided by its sum (unchanged when the sum is 0).
pub fn normalize(x: &[I32F32]) -> Vec<I32F32> {
    let mut v = x.to_vec();
    inplace_normalize(&mut v);
    v
}

/// `inplace_normalize`: divide by the sum (unchanged when the sum is 0).
pub fn inplace_normalize(x: &mut [I32F32]) {
    let s = sum(x);
    inplace_normalize_using_sum(x, s);
}

/// `inplace_normalize_using_sum`: divide every entry by `s` (unchanged when `s` is 0).
pub fn inplace_normalize_using_sum(x: &mut [I32F32], s: I32F32) {
    if s == ZERO {
        return;
    }
    match super::recip::Divisor::new(s) {
        Some(d) => x.iter_mut().for_each(|v| *v = d.sdiv(*v)),
        None => x.iter_mut().for_each(|v| *v = v.safe_div(s)),
    }
}

/// `inplace_normalize_64`: the I64F64 version.
pub fn inplace_normalize_64(x: &mut [I64F64]) {
    let s = sum_64(x);
    if s == I64F64::from_bits(0) {
        return;
    }
    for v in x.iter_mut() {
        *v = v.safe_div(s);
    }
}

/// `vecdiv`: element-wise `x / y`, 0 where `y` is 0 or missing.
pub fn vecdiv(x: &[I32F32], y: &[I32F32]) -> Vec<I32F32> {
    x.iter()
        .enumerate()
        .map(|(i, xi)| xi.safe_div(y.get(i).copied().unwrap_or(ZERO)))
        .collect()
}

/// `vec_mul`: element-wise product over the shorter length (`checked_mul`, 0 on overflow).
pub fn vec_mul(a: &[I32F32], b: &[I32F32]) -> Vec<I32F32> {
    a.iter()
        .zip(b)
        .map(|(x, y)| super::fast::cmul(*x, *y).unwrap_or_default())
        .collect()
}

/// `inplace_mask_vector`: zero entries whose mask is true; a missing mask entry masks, an empty
/// mask masks nothing.
pub fn inplace_mask_vector(mask: &[bool], vector: &mut [I32F32]) {
    super::simd::mask_zero(mask, vector);
}

/// `is_topk`: true for the `k` largest entries. Ties at the cut favour the higher index (ascending
/// stable sort, the first `n − k` are cleared).
pub fn is_topk(vector: &[I32F32], k: usize) -> Vec<bool> {
    topk_mask(vector, k, vec![true; vector.len()])
}

/// `is_topk_nonzero`: like [`is_topk`] but zero entries are never selected.
pub fn is_topk_nonzero(vector: &[I32F32], k: usize) -> Vec<bool> {
    topk_mask(vector, k, vector.iter().map(|&v| v != ZERO).collect())
}

fn topk_mask(vector: &[I32F32], k: usize, mut result: Vec<bool>) -> Vec<bool> {
    let n = vector.len();
    if n < k {
        return result;
    }
    let mut idxs: Vec<usize> = (0..n).collect();
    idxs.sort_by_key(|&i| vector.get(i).copied().unwrap_or(ZERO));
    for &i in idxs.iter().take(n.saturating_sub(k)) {
        if let Some(cell) = result.get_mut(i) {
            *cell = false;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: &[f64]) -> Vec<I32F32> {
        v.iter().map(|&x| I32F32::from_num(x)).collect()
    }

    #[test]
    fn topk_ties_favour_higher_uid() {
        assert_eq!(is_topk(&f(&[1.0, 1.0, 1.0]), 2), vec![false, true, true]);
        assert_eq!(
            is_topk_nonzero(&f(&[0.0, 0.0, 1.0]), 5),
            vec![false, false, true]
        );
    }

    #[test]
    fn empty_mask_masks_nothing_short_mask_masks_tail() {
        let mut v = f(&[1.0, 2.0, 3.0]);
        inplace_mask_vector(&[], &mut v);
        assert_eq!(v, f(&[1.0, 2.0, 3.0]));
        inplace_mask_vector(&[false], &mut v);
        assert_eq!(v, f(&[1.0, 0.0, 0.0]));
    }
}
