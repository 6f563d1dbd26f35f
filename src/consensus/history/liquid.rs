//! Liquid alpha as yuma-simulation computes it (`_compute_liquid_alpha` under its `full_matrices`
//! wrapper), and the EMA coefficient a version uses: a Python float or that matrix.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/simulation_utils.py` @ 2b976fd5.

use super::config::YumaConfig;
use super::front::scalar;
use super::tensor::{clamp, Matrix};
use crate::error::{Error, ErrorCode, Result};

/// Where the validators and servers sit in the matrices of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Number of validators (the first rows).
    pub validators: usize,
    /// Number of servers (the last columns).
    pub servers: usize,
    /// Whether matrices are the full `(V+S) × (V+S)` ones (else `V × S`).
    pub full: bool,
}

/// The EMA coefficient `alpha`: a Python float (fixed alpha) or the liquid-alpha matrix.
#[derive(Debug, Clone)]
pub enum Alpha {
    /// A Python float: `alpha * X` rounds `alpha` to `f32`, `(1 - alpha) * X` rounds `1 - alpha`.
    Scalar(f64),
    /// A float32 tensor, element by element.
    Matrix(Matrix),
}

impl Alpha {
    /// `(alpha, 1 - alpha)` at `(r, c)`, as the `f32` factors torch multiplies by.
    pub fn at(&self, r: usize, c: usize) -> (f32, f32) {
        match self {
            Alpha::Scalar(a) => (scalar(*a), scalar(1.0 - *a)),
            Alpha::Matrix(m) => {
                let a = m.get(r, c).unwrap_or(f32::NAN);
                (a, 1.0 - a)
            }
        }
    }
}

/// The liquid alpha of each (validator, server) pair from current weights `w`, previous bonds `b`
/// and a consensus vector `c`; on full matrices only the validators × servers block is computed
/// and the rest of the matrix is 0.
pub fn liquid_alpha(
    w: &Matrix,
    b: &Matrix,
    c: &[f32],
    cfg: &YumaConfig,
    layout: Layout,
) -> Result<Matrix> {
    if layout.full {
        let w_s = w.top_right(layout.validators, layout.servers)?;
        let b_s = b.top_right(layout.validators, layout.servers)?;
        let c_s: Vec<f32> = c
            .iter()
            .skip(c.len().saturating_sub(layout.servers))
            .copied()
            .collect();
        let slice = sigmoid_alpha(&w_s, &b_s, &c_s, cfg)?;
        Matrix::embed_top_right(&slice, w.rows(), w.cols())
    } else {
        sigmoid_alpha(w, b, c, cfg)
    }
}

fn sigmoid_alpha(w: &Matrix, b: &Matrix, c: &[f32], cfg: &YumaConfig) -> Result<Matrix> {
    let low = scalar(cfg.alpha_low);
    let high = scalar(cfg.alpha_high);
    let span = scalar(cfg.alpha_high - cfg.alpha_low);
    let slope = scalar(-cfg.alpha_sigmoid_steepness);
    if b.rows() != w.rows() || b.cols() != w.cols() || c.len() != w.cols() {
        return Err(Error::new(
            ErrorCode::Internal,
            "liquid alpha shape mismatch",
        ));
    }
    let mut data = Vec::with_capacity(w.rows().saturating_mul(w.cols()));
    for (w_row, b_row) in w.row_iter().zip(b.row_iter()) {
        for ((&wv, &bv), &cv) in w_row.iter().zip(b_row).zip(c) {
            // Buying (W >= B): distance above consensus; selling: distance below the bond.
            let d = if wv >= bv {
                clamp(wv - cv, Some(0.0), Some(1.0))
            } else {
                clamp(bv - wv, Some(0.0), Some(1.0))
            };
            let sig = 1.0 / (1.0 + (slope * (d - 0.5)).exp());
            data.push(clamp(low + sig * span, Some(low), Some(high)));
        }
    }
    Matrix::new(w.rows(), w.cols(), data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_sits_between_low_and_high() -> Result<()> {
        let cfg = YumaConfig::default();
        let w = Matrix::new(1, 2, vec![1.0, 0.0])?;
        let b = Matrix::new(1, 2, vec![0.0, 0.0])?;
        let a = liquid_alpha(
            &w,
            &b,
            &[0.0, 0.0],
            &cfg,
            Layout {
                validators: 1,
                servers: 2,
                full: false,
            },
        )?;
        // Buying far above consensus: near alpha_high; at consensus: near alpha_low.
        let hi = a.get(0, 0).unwrap_or(0.0);
        let lo = a.get(0, 1).unwrap_or(1.0);
        assert!(hi > 0.29 && hi <= 0.3 + 1e-7, "{hi}");
        assert!((0.1..0.11).contains(&lo), "{lo}");
        Ok(())
    }

    #[test]
    fn full_layout_fills_only_the_block() -> Result<()> {
        let cfg = YumaConfig::default();
        let w = Matrix::new(2, 2, vec![0.0, 1.0, 0.0, 0.0])?;
        let b = Matrix::zeros(2, 2);
        let a = liquid_alpha(
            &w,
            &b,
            &[0.0, 0.0],
            &cfg,
            Layout {
                validators: 1,
                servers: 1,
                full: true,
            },
        )?;
        assert_eq!(a.get(0, 0), Some(0.0));
        assert!(a.get(0, 1).is_some_and(|x| x > 0.29));
        assert_eq!(a.get(1, 1), Some(0.0));
        Ok(())
    }
}
