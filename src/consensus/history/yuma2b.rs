//! Yuma 2B ("Adrian-Fish"): Yuma 2 with the clipping, rank and bonds computed from the previous
//! epoch's normalised weights `W_prev` (this epoch's on the first), so that a small validator's
//! early move is not clipped out of its bonds; liquid alpha still reads this epoch's weights.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/yumas.py` (`Yuma2b`) @ 2b976fd5.

use super::config::YumaConfig;
use super::front::{clip, incentive, rank, Front};
use super::liquid::{liquid_alpha, Alpha, Layout};
use super::step::{
    bond_dividends, bond_penalty, ema, normalize_columns, normalize_dividends, penalised,
    require_old, stake_weighted, Step,
};
use super::tensor::Matrix;
use crate::error::Result;

/// One Yuma 2B epoch on raw `w` and `s`, with the previous normalised weights, bonds and consensus.
pub fn yuma2b(
    w: &Matrix,
    w_prev: Option<&Matrix>,
    s: &[f32],
    b_old: Option<&Matrix>,
    c_old: Option<&[f32]>,
    cfg: &YumaConfig,
    layout: Layout,
) -> Result<Step> {
    let f = Front::new(w, s, cfg.kappa)?;
    let prev = w_prev.unwrap_or(&f.w);
    let w_clipped = clip(prev, &f.c)?;
    let r = rank(&f.s, &w_clipped)?;
    let i = incentive(&r, cfg.winner_takes_all);
    let w_b = penalised(prev, &w_clipped, bond_penalty(cfg)?)?;
    let b = normalize_columns(&stake_weighted(&f.s, &w_b)?, false)?;
    let alpha = if cfg.liquid_alpha && c_old.is_some() {
        Alpha::Matrix(liquid_alpha(&f.w, require_old(b_old)?, &f.c, cfg, layout)?)
    } else {
        Alpha::Scalar(1.0 - cfg.bond_moving_avg)
    };
    let b_ema = match b_old {
        Some(old) => ema(&alpha, &b, old)?,
        None => b,
    };
    let d = bond_dividends(&b_ema, &i)?;
    Ok(Step {
        dividends: normalize_dividends(&d),
        incentive: i,
        bonds: b_ema,
        consensus: f.c,
        weight: f.w,
    })
}
