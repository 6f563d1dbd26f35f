//! Yuma 2C ("Rhef+reset"): bonds are bought, not averaged. Each validator's bond in a server is
//! capped at its stake times `u64::MAX`; per epoch it buys up to `capacity_alpha` of its capacity,
//! spread by its weights, after its old bonds decay by `decay_rate`. The state is the raw (capped)
//! bonds; dividends follow them normalised per server.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/yumas.py` (`Yuma2c`) @ 2b976fd5.

use super::config::YumaConfig;
use super::front::{clip, incentive, rank, scalar, Front};
use super::step::{bond_dividends, normalize_columns, normalize_dividends, Step};
use super::tensor::{clamp, minimum, Matrix};
use crate::error::Result;

/// `maxint = 2**64 - 1` as the `f32` torch multiplies by.
const MAXINT: f32 = 18_446_744_073_709_551_615.0;

/// One Yuma 2C epoch on raw `w` and `s`, with the previous (raw) bonds.
pub fn yuma2c(w: &Matrix, s: &[f32], b_old: Option<&Matrix>, cfg: &YumaConfig) -> Result<Step> {
    let f = Front::new(w, s, cfg.kappa)?;
    let w_clipped = clip(&f.w, &f.c)?;
    let r = rank(&f.s, &w_clipped)?;
    let i = incentive(&r, cfg.winner_takes_all);
    let zeros = Matrix::zeros(f.w.rows(), f.w.cols());
    let b_old = b_old.unwrap_or(&zeros);
    // capacity = S * maxint (per validator, and per bond as a column vector).
    let capacity: Vec<f32> = f.s.iter().map(|&x| x * MAXINT).collect();
    let buy_share = scalar(cfg.capacity_alpha);
    let decay = scalar(1.0 - cfg.decay_rate);
    let purchase_capacity = b_old.with_rows(&capacity, |old, cap| {
        let remaining = clamp(cap - old, Some(0.0), None);
        minimum(buy_share * cap, remaining)
    })?;
    let purchase = purchase_capacity.zip(&f.w, |p, wv| p * wv)?;
    let b = b_old.zip(&purchase, |old, p| decay * old + p)?;
    let b = b.with_rows(&capacity, minimum)?;
    let b_norm = normalize_columns(&b, true)?;
    let d = bond_dividends(&b_norm, &i)?;
    Ok(Step {
        dividends: normalize_dividends(&d),
        incentive: i,
        bonds: b,
        consensus: f.c,
        weight: f.w,
    })
}
