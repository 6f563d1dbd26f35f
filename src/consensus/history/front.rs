//! The steps every historical Yuma version shares, up to the incentive: weight and stake
//! normalisation, the sorted-stake consensus (`optimized_compute_consensus_weights`), its `u16`
//! quantisation, clipping, rank and incentive (`compute_incentive`, with winner-takes-all).
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/yumas.py` @ 2b976fd5 (v0.1.1).

use super::tensor::{self, cumsum, minimum, nan_to_num, to_int, Matrix};
use crate::error::{Error, ErrorCode, Result};

/// torch's `1e-6` guard, as the `f32` it becomes against a float32 tensor.
pub const EPS: f32 = 1e-6;

/// A Python float as the `f32` torch rounds it to against a float32 tensor.
pub fn scalar(x: f64) -> f32 {
    x as f32
}

/// `W = (W.T / (W.sum(dim=1) + 1e-6)).T`: each row over its sum (plus the guard).
pub fn normalize_weights(w: &Matrix) -> Result<Matrix> {
    let denom: Vec<f32> = w.sum_cols().into_iter().map(|s| s + EPS).collect();
    w.with_rows(&denom, |x, d| x / d)
}

/// `S = S / S.sum()`.
pub fn normalize_stakes(s: &[f32]) -> Vec<f32> {
    let total = tensor::sum(s);
    s.iter().map(|&x| x / total).collect()
}

/// Descending order for `torch.sort(descending=True)`: NaN first, as torch sorts it.
fn desc(a: f32, b: f32) -> core::cmp::Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => core::cmp::Ordering::Equal,
        (true, false) => core::cmp::Ordering::Less,
        (false, true) => core::cmp::Ordering::Greater,
        (false, false) => b.partial_cmp(&a).unwrap_or(core::cmp::Ordering::Equal),
    }
}

/// The consensus weight of each server: sort the column's weights in descending order, carry the
/// stakes along, and take the weight at the first position where the running stake reaches
/// `kappa` (the first position when it never does, as `argmax` of all-false gives 0).
pub fn consensus(w: &Matrix, s: &[f32], kappa: f64) -> Result<Vec<f32>> {
    if s.len() != w.rows() || w.rows() == 0 {
        return Err(Error::new(
            ErrorCode::Internal,
            "consensus needs one stake per row",
        ));
    }
    let kappa = scalar(kappa);
    let mut out = Vec::with_capacity(w.cols());
    for c in 0..w.cols() {
        let mut pairs: Vec<(f32, f32)> = w.col(c).into_iter().zip(s.iter().copied()).collect();
        pairs.sort_by(|a, b| desc(a.0, b.0));
        let stakes: Vec<f32> = pairs.iter().map(|p| p.1).collect();
        let first = cumsum(&stakes)
            .iter()
            .position(|&cum| cum >= kappa)
            .unwrap_or(0);
        let weight = pairs
            .get(first)
            .map(|p| p.0)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "empty consensus column"))?;
        out.push(weight);
    }
    Ok(out)
}

/// `C = (C / C.sum() * 65_535).int() / 65_535`.
pub fn quantize(c: &[f32]) -> Vec<f32> {
    let total = tensor::sum(c);
    c.iter()
        .map(|&x| to_int(x / total * 65_535.0) as f32 / 65_535.0)
        .collect()
}

/// `torch.min(W, C)`: each weight clipped at its server's consensus.
pub fn clip(w: &Matrix, c: &[f32]) -> Result<Matrix> {
    w.with_cols(c, minimum)
}

/// `R = (S.view(-1, 1) * W_clipped).sum(dim=0)`.
pub fn rank(s: &[f32], w_clipped: &Matrix) -> Result<Vec<f32>> {
    Ok(w_clipped.with_rows(s, |x, st| st * x)?.sum_rows())
}

/// `compute_incentive`: `R / R.sum()` (NaN to 0), or with `winner_takes_all` an equal share of 1
/// for every server whose rank equals the maximum.
pub fn incentive(r: &[f32], winner_takes_all: bool) -> Vec<f32> {
    if !winner_takes_all {
        let total = tensor::sum(r);
        return r.iter().map(|&x| nan_to_num(x / total)).collect();
    }
    let Some(top) = tensor::max(r) else {
        return Vec::new();
    };
    let winners = r.iter().filter(|&&x| x == top).count();
    if winners == 0 {
        return vec![0.0; r.len()];
    }
    let share = scalar(1.0 / winners as f64);
    r.iter()
        .map(|&x| if x == top { share } else { 0.0 })
        .collect()
}

/// What every version computes first: normalised `W` and `S`, and the quantised consensus `C`.
#[derive(Debug, Clone)]
pub struct Front {
    /// Row-normalised weights.
    pub w: Matrix,
    /// Normalised stakes.
    pub s: Vec<f32>,
    /// Quantised consensus weight per column.
    pub c: Vec<f32>,
}

impl Front {
    /// Normalise `w` and `s` and compute the quantised consensus.
    pub fn new(w: &Matrix, s: &[f32], kappa: f64) -> Result<Front> {
        let w = normalize_weights(w)?;
        let s = normalize_stakes(s);
        let c = quantize(&consensus(&w, &s, kappa)?);
        Ok(Front { w, s, c })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consensus_is_the_weight_at_the_kappa_quorum() -> Result<()> {
        // One server; stakes 0.8/0.1/0.1; the big one alone reaches kappa = 0.5.
        let w = Matrix::new(3, 1, vec![0.2, 0.9, 0.9])?;
        let c = consensus(&w, &[0.8, 0.1, 0.1], 0.5)?;
        assert_eq!(c, vec![0.2]);
        // Never reaching kappa: the first (largest) weight.
        let c = consensus(&w, &[0.1, 0.1, 0.1], 0.5)?;
        assert_eq!(c, vec![0.9]);
        Ok(())
    }

    #[test]
    fn quantize_truncates_to_u16_steps() {
        let q = quantize(&[1.0, 2.0]);
        assert_eq!(q, vec![21845.0 / 65535.0, 43690.0 / 65535.0]);
    }

    #[test]
    fn winner_takes_all_shares_ties() {
        assert_eq!(incentive(&[0.3, 0.3, 0.1], true), vec![0.5, 0.5, 0.0]);
        assert_eq!(incentive(&[0.0, 0.0], false), vec![0.0, 0.0]);
        assert_eq!(incentive(&[1.0, 3.0], false), vec![0.25, 0.75]);
    }

    #[test]
    fn weights_normalise_per_row() -> Result<()> {
        let w = normalize_weights(&Matrix::new(1, 2, vec![1.0, 3.0])?)?;
        assert_eq!(w.get(0, 1), Some(3.0 / (4.0 + EPS)));
        Ok(())
    }
}
