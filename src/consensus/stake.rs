//! The epoch's stake vector (spec §4): `alpha + tao·tao_weight` in I64F64, the stake-threshold
//! filter, normalization, truncation to I32F32.

use super::hyperparams::Hyperparameters;
use crate::fixed::{fixed64_to_u64, inplace_normalize_64, vec_fixed64_to_fixed32, I32F32, I64F64};

/// The stake vectors of one epoch.
#[derive(Debug, Clone, Default)]
pub struct StakeVectors {
    /// `alpha + tao·tao_weight` per uid (saturating).
    pub total: Vec<I64F64>,
    /// `total`, zeroed where `floor(total) < threshold` (the owner is exempt when asked).
    pub filtered: Vec<I64F64>,
    /// `filtered` normalized in I64F64 and truncated to I32F32 (`S`).
    pub stake: Vec<I32F32>,
}

/// Build the stake vectors. `tao` may be empty (all zero). `exempt_owner` is the sparse path's
/// owner exemption from the threshold (the dense test path has none).
pub fn stake_vectors(
    hp: &Hyperparameters,
    alpha: &[u64],
    tao: &[u64],
    owner_uid: Option<u16>,
    exempt_owner: bool,
) -> StakeVectors {
    let tw = hp.tao_weight_fixed();
    let total: Vec<I64F64> = alpha
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let t = tao.get(i).copied().unwrap_or(0);
            I64F64::saturating_from_num(a)
                .saturating_add(I64F64::saturating_from_num(t).saturating_mul(tw))
        })
        .collect();
    let mut filtered: Vec<I64F64> = total
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let is_owner = exempt_owner && owner_uid.is_some_and(|o| usize::from(o) == i);
            if !is_owner && fixed64_to_u64(s) < hp.stake_threshold {
                I64F64::from_bits(0)
            } else {
                s
            }
        })
        .collect();
    let unnormalized = filtered.clone();
    inplace_normalize_64(&mut filtered);
    let stake = vec_fixed64_to_fixed32(&filtered);
    StakeVectors {
        total,
        filtered: unnormalized,
        stake,
    }
}
