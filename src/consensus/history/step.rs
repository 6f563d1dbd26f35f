//! What one historical Yuma epoch returns, and the bond arithmetic the versions share: the
//! penalised bond weights, the EMA, column normalisation and the dividends.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/yumas.py` @ 2b976fd5 (v0.1.1).

use super::config::YumaConfig;
use super::front::{scalar, EPS};
use super::liquid::Alpha;
use super::tensor::{self, nan_to_num, Matrix};
use crate::error::{Error, ErrorCode, Result};

/// One epoch of one version: what `_call_yuma` keeps and what `_run_simulation` records.
#[derive(Debug, Clone)]
pub struct Step {
    /// `validator_reward_normalized`, one per row of `W`.
    pub dividends: Vec<f32>,
    /// `server_incentive`, one per column of `W`.
    pub incentive: Vec<f32>,
    /// The bond state carried to the next epoch (`validator_ema_bond` or `validator_bonds`).
    pub bonds: Matrix,
    /// `server_consensus_weight`, carried as `C_old`.
    pub consensus: Vec<f32>,
    /// The normalised weights (`weight`), carried as Yuma 2B's `W_prev`.
    pub weight: Matrix,
}

/// `bond_penalty`, which Yuma 1, 2 and 2B need (yuma-simulation's default `None` fails there).
pub fn bond_penalty(cfg: &YumaConfig) -> Result<f64> {
    cfg.bond_penalty.ok_or_else(|| {
        Error::field(
            ErrorCode::MissingField,
            "params.bond_penalty",
            "this Yuma version needs bond_penalty (yuma-simulation's default is None)",
        )
    })
}

/// `W_b = (1 - bond_penalty) * W + bond_penalty * W_clipped`.
pub fn penalised(w: &Matrix, w_clipped: &Matrix, penalty: f64) -> Result<Matrix> {
    let keep = scalar(1.0 - penalty);
    let take = scalar(penalty);
    w.zip(w_clipped, |a, b| keep * a + take * b)
}

/// `S.view(-1, 1) * W_b`.
pub fn stake_weighted(s: &[f32], w_b: &Matrix) -> Result<Matrix> {
    w_b.with_rows(s, |x, st| st * x)
}

/// `(X / (X.sum(dim=0) + eps)).nan_to_num(0)`, with `eps` 0 (Yuma 2/2B) or `1e-6`.
pub fn normalize_columns(x: &Matrix, guarded: bool) -> Result<Matrix> {
    let sums = x.sum_rows();
    x.with_cols(&sums, |v, t| {
        let d = if guarded { t + EPS } else { t };
        nan_to_num(v / d)
    })
}

/// `alpha * B + (1 - alpha) * B_old`.
pub fn ema(alpha: &Alpha, b: &Matrix, b_old: &Matrix) -> Result<Matrix> {
    b.zip_at(b_old, |r, c, new, old| {
        let (a, keep) = alpha.at(r, c);
        a * new + keep * old
    })
}

/// `D = (B * I).sum(dim=1)`.
pub fn bond_dividends(b: &Matrix, incentive: &[f32]) -> Result<Vec<f32>> {
    Ok(b.with_cols(incentive, |x, i| x * i)?.sum_cols())
}

/// `D / (D.sum() + 1e-6)`.
pub fn normalize_dividends(d: &[f32]) -> Vec<f32> {
    let total = tensor::sum(d) + EPS;
    d.iter().map(|&x| x / total).collect()
}

/// The previous bonds that liquid alpha compares against (present whenever `C_old` is).
pub fn require_old(b_old: Option<&Matrix>) -> Result<&Matrix> {
    b_old.ok_or_else(|| Error::new(ErrorCode::Internal, "liquid alpha without previous bonds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ema_weights_new_and_old() -> Result<()> {
        let b = Matrix::new(1, 2, vec![1.0, 0.0])?;
        let old = Matrix::new(1, 2, vec![0.0, 1.0])?;
        let e = ema(&Alpha::Scalar(0.25), &b, &old)?;
        assert_eq!(e.to_rows(), vec![vec![0.25, 0.75]]);
        Ok(())
    }

    #[test]
    fn columns_normalise_and_zero_columns_stay_zero() -> Result<()> {
        let x = Matrix::new(2, 2, vec![1.0, 0.0, 3.0, 0.0])?;
        let n = normalize_columns(&x, false)?;
        assert_eq!(n.to_rows(), vec![vec![0.25, 0.0], vec![0.75, 0.0]]);
        Ok(())
    }

    #[test]
    fn penalty_is_required() {
        assert!(bond_penalty(&YumaConfig::default()).is_err());
    }
}
