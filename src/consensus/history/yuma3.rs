//! Yuma 3 ("Rhef+relative bonds"), with or without liquid alpha: each (validator, server) bond is
//! a relative share capped at 1, decayed by `1 - alpha` and topped up by `alpha` times the weight
//! (within the remaining room); stake enters only the dividends, `S · Σ_j B̂_ij · I_j`. Liquid alpha
//! compares the weights with the consensus chosen by `liquid_alpha_consensus_mode`.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/yumas.py` (`Yuma3`) @ 2b976fd5.

use super::config::{ConsensusMode, YumaConfig};
use super::front::{clip, incentive, rank, Front};
use super::liquid::{liquid_alpha, Alpha, Layout};
use super::step::{bond_dividends, normalize_columns, normalize_dividends, Step};
use super::tensor::{clamp, maximum, minimum, Matrix};
use crate::error::{Error, ErrorCode, Result};

/// One Yuma 3 epoch on raw `w` and `s`, with the previous bonds and consensus.
pub fn yuma3(
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
    let zeros = Matrix::zeros(f.w.rows(), f.w.cols());
    let b_old = b_old.unwrap_or(&zeros);
    let alpha = match c_old {
        Some(c_old) if cfg.liquid_alpha => {
            let c = mode_consensus(cfg.liquid_alpha_consensus_mode, &f.c, c_old)?;
            Alpha::Matrix(liquid_alpha(&f.w, b_old, &c, cfg, layout)?)
        }
        _ => Alpha::Scalar(1.0 - cfg.bond_moving_avg),
    };
    let decayed = b_old.zip_at(b_old, |r, c, old, _| old * alpha.at(r, c).1)?;
    let b = decayed.zip_at(&f.w, |r, c, dec, wv| {
        let remaining = clamp(1.0 - dec, Some(0.0), None);
        let purchase = minimum(alpha.at(r, c).0 * wv, remaining);
        clamp(dec + purchase, None, Some(1.0))
    })?;
    let b_norm = normalize_columns(&b, true)?;
    let per_validator = bond_dividends(&b_norm, &i)?;
    let d: Vec<f32> =
        f.s.iter()
            .zip(&per_validator)
            .map(|(&st, &t)| st * t)
            .collect();
    Ok(Step {
        dividends: normalize_dividends(&d),
        incentive: i,
        bonds: b,
        consensus: f.c,
        weight: f.w,
    })
}

/// `liquid_alpha_mode_map[mode](C, C_old)`.
fn mode_consensus(mode: ConsensusMode, c: &[f32], c_old: &[f32]) -> Result<Vec<f32>> {
    if c.len() != c_old.len() {
        return Err(Error::new(ErrorCode::Internal, "consensus length changed"));
    }
    Ok(match mode {
        ConsensusMode::Current => c.to_vec(),
        ConsensusMode::Previous => c_old.to_vec(),
        ConsensusMode::Mixed => c.iter().zip(c_old).map(|(&a, &b)| maximum(a, b)).collect(),
    })
}
