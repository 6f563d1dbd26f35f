//! Yuma 1 (`YumaRust` in yuma-simulation): bonds are this epoch's stake-weighted, penalised
//! weights normalised per server (guarded by `1e-6`), blended with the old bonds by an alpha of 1
//! (or liquid alpha), then normalised again; dividends follow the normalised bonds.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/yumas.py` (`YumaRust`) @ 2b976fd5.

use super::config::YumaConfig;
use super::front::{clip, incentive, rank, Front};
use super::liquid::{liquid_alpha, Alpha, Layout};
use super::step::{
    bond_dividends, bond_penalty, ema, normalize_columns, normalize_dividends, penalised,
    require_old, stake_weighted, Step,
};
use super::tensor::Matrix;
use crate::error::Result;

/// One Yuma 1 epoch on raw `w` and `s`, with the previous bonds and consensus.
pub fn yuma1(
    w: &Matrix,
    s: &[f32],
    b_old: Option<&Matrix>,
    c_old: Option<&[f32]>,
    cfg: &YumaConfig,
    layout: Layout,
) -> Result<Step> {
    let f = Front::new(w, s, cfg.kappa)?;
    let w_clipped = clip(&f.w, &f.c)?;
    let r = rank(&f.s, &w_clipped)?;
    let i = incentive(&r, cfg.winner_takes_all);
    let w_b = penalised(&f.w, &w_clipped, bond_penalty(cfg)?)?;
    let b = normalize_columns(&stake_weighted(&f.s, &w_b)?, true)?;
    let alpha = if cfg.liquid_alpha && c_old.is_some() {
        Alpha::Matrix(liquid_alpha(&f.w, require_old(b_old)?, &f.c, cfg, layout)?)
    } else {
        Alpha::Scalar(1.0)
    };
    let b_ema = match b_old {
        Some(old) => ema(&alpha, &b, old)?,
        None => b,
    };
    let b_ema = normalize_columns(&b_ema, true)?;
    let d = bond_dividends(&b_ema, &i)?;
    Ok(Step {
        dividends: normalize_dividends(&d),
        incentive: i,
        bonds: b_ema,
        consensus: f.c,
        weight: f.w,
    })
}
