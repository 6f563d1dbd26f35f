//! The chain's test-only dense epoch (`epoch_dense_mechanism_for_tests`, spec §11).
//!
//! Kept because part of the upstream reference scenarios run it. Differences from the sparse
//! path: no stake-threshold exemption and no forced permit for the owner, the owner's
//! self-weight is masked after all, no commit-reveal mask, the liquid-alpha EMA decays bonds
//! whose weight is absent, bond rows are written in full (zeros included) and only for uids with
//! a new or old permit.

use super::bonds::{compute_bonds_dense_gated, uses_liquid_alpha};
use super::epoch::to_rao;
use super::output::EpochOutput;
use super::stake::stake_vectors;
use super::view::EpochView;
use crate::fixed::{
    fixed_proportion_to_u16, inplace_col_clip, inplace_col_max_upscale, inplace_col_normalize,
    inplace_mask_cols, inplace_mask_diag, inplace_mask_diag_except_index, inplace_mask_matrix,
    inplace_mask_rows, inplace_mask_vector, inplace_normalize, inplace_row_normalize, interpolate,
    is_topk_nonzero, mat_ema, mat_vec_mul, matmul, matmul_transpose, row_hadamard, row_sum,
    u16_to_fixed, vec_mul, weighted_median_col, DenseRow, I32F32, I96F32, ZERO,
};

/// Result of a dense epoch: the outputs and, per uid, the bond row it writes (`None` = the
/// stored row is left as it was).
#[derive(Debug, Clone, Default)]
pub struct DenseEpoch {
    /// Per-uid outputs (`bonds` holds the written rows, empty where nothing is written).
    pub output: EpochOutput,
    /// Bond rows written, per uid.
    pub bond_writes: Vec<Option<Vec<(u16, u16)>>>,
}

fn dense_rows(
    v: &EpochView<'_>,
    rows: &[Vec<(u16, u16)>],
    f: impl Fn(u16) -> I32F32,
) -> Vec<DenseRow> {
    let n = v.n;
    (0..n)
        .map(|i| {
            let mut row = vec![ZERO; n];
            for &(j, x) in rows.get(i).map_or(&[][..], Vec::as_slice) {
                if let Some(c) = row.get_mut(usize::from(j)) {
                    *c = f(x);
                }
            }
            row
        })
        .collect()
}

/// Run the dense epoch.
pub(crate) fn epoch_dense(v: &EpochView<'_>) -> DenseEpoch {
    let hp = v.hp;
    let n = v.n;
    let cutoff = hp.activity_cutoff_blocks();
    let last_update = v.last_update_padded();
    let inactive: Vec<bool> = last_update
        .iter()
        .map(|u| u.saturating_add(cutoff) < v.block)
        .collect();
    let active: Vec<bool> = inactive.iter().map(|b| !b).collect();
    let outdated: Vec<Vec<bool>> = last_update
        .iter()
        .map(|u| v.block_at_registration.iter().map(|r| u <= r).collect())
        .collect();
    let t0 = v.bond_reference_block();
    let recently_registered: Vec<bool> = v.block_at_registration.iter().map(|r| t0 <= *r).collect();

    let sv = stake_vectors(hp, v.alpha_stake, v.tao_stake, v.owner_uid, false);
    let stake = sv.stake;
    let permits = v.validator_permit;
    let forbids: Vec<bool> = permits.iter().map(|b| !b).collect();
    let new_permits = is_topk_nonzero(&stake, usize::from(hp.max_allowed_validators));

    let mut active_stake = stake.clone();
    inplace_mask_vector(&inactive, &mut active_stake);
    inplace_mask_vector(&forbids, &mut active_stake);
    inplace_normalize(&mut active_stake);

    let mut weights = dense_rows(v, v.weights, u16_to_fixed);
    inplace_mask_rows(&forbids, &mut weights);
    if let Some(o) = v.owner_uid {
        inplace_mask_diag_except_index(&mut weights, o);
    }
    inplace_mask_diag(&mut weights);
    inplace_mask_matrix(&outdated, &mut weights);
    inplace_row_normalize(&mut weights);

    let consensus = weighted_median_col(&active_stake, &weights, hp.kappa_fixed());
    let mut clipped = weights.clone();
    inplace_col_clip(&mut clipped, &consensus);
    let validator_trust = row_sum(&clipped);
    let mut incentive = matmul(&clipped, &active_stake);
    inplace_normalize(&mut incentive);

    let weights_for_bonds = interpolate(&weights, &clipped, hp.bonds_penalty_fixed());
    let mut dividends: Vec<I32F32>;
    let mut ema_bonds: Vec<DenseRow>;
    if hp.yuma3_enabled {
        let mut bonds = dense_rows(v, v.bonds, |b| {
            crate::fixed::fixed_to_fixed_u16_proportion(u16_to_fixed(b))
        });
        inplace_mask_cols(&recently_registered, &mut bonds);
        // Gated on the fresh consensus, run on the one the consensus mode picks.
        let liquid = uses_liquid_alpha(hp, &consensus);
        let la_consensus = v.liquid_alpha_consensus(&consensus);
        ema_bonds =
            compute_bonds_dense_gated(hp, &weights_for_bonds, &bonds, &la_consensus, liquid);
        let mut ema_norm = ema_bonds.clone();
        inplace_col_normalize(&mut ema_norm);
        let tbpv = row_sum(&mat_vec_mul(&ema_norm, &incentive));
        dividends = vec_mul(&tbpv, &active_stake);
        inplace_normalize(&mut dividends);
    } else {
        let mut bonds = dense_rows(v, v.bonds, u16_to_fixed);
        inplace_mask_cols(&recently_registered, &mut bonds);
        inplace_col_normalize(&mut bonds);
        let mut delta = row_hadamard(&weights_for_bonds, &active_stake);
        inplace_col_normalize(&mut delta);
        ema_bonds = mat_ema(&delta, &bonds, hp.ema_alpha());
        inplace_col_normalize(&mut ema_bonds);
        dividends = matmul_transpose(&ema_bonds, &incentive);
        inplace_normalize(&mut dividends);
        inplace_col_max_upscale(&mut ema_bonds);
    }

    let (nse, nve, nce) =
        super::epoch::emission_shares(&incentive, &dividends, &active_stake, &stake);
    let rao = I96F32::saturating_from_num(v.emission);
    let rao_of = |x: &[I32F32]| -> Vec<u64> {
        (0..n)
            .map(|i| x.get(i).map_or(0, |&s| to_rao(s, rao)))
            .collect()
    };
    let q = |x: &[I32F32]| -> Vec<u16> {
        (0..n)
            .map(|i| x.get(i).map_or(0, |&s| fixed_proportion_to_u16(s)))
            .collect()
    };

    // Bond rows: zip(new permits, stored permits, EMA rows) — stops at the shortest.
    let mut bond_writes: Vec<Option<Vec<(u16, u16)>>> = vec![None; n];
    for (i, ((new_p, old_p), row)) in new_permits.iter().zip(permits).zip(&ema_bonds).enumerate() {
        let write = if *new_p {
            Some(
                (0..n)
                    .zip(row)
                    .map(|(j, x)| (j as u16, fixed_proportion_to_u16(*x)))
                    .collect(),
            )
        } else if *old_p {
            Some(Vec::new())
        } else {
            None
        };
        if let Some(slot) = bond_writes.get_mut(i) {
            *slot = write;
        }
    }

    let output = EpochOutput {
        incentive: q(&incentive),
        dividends: q(&dividends),
        consensus: q(&consensus),
        validator_trust: q(&validator_trust),
        stake_weight: q(&stake),
        emission: rao_of(&nce),
        server_emission: rao_of(&nse),
        validator_emission: rao_of(&nve),
        active: (0..n)
            .map(|i| active.get(i).copied().unwrap_or(false))
            .collect(),
        validator_permit: (0..n)
            .map(|i| new_permits.get(i).copied().unwrap_or(false))
            .collect(),
        bonds: bond_writes
            .iter()
            .map(|w| w.clone().unwrap_or_default())
            .collect(),
        stake: sv
            .total
            .iter()
            .map(|s| s.saturating_to_num::<u64>())
            .collect(),
        trace: None,
    };
    DenseEpoch {
        output,
        bond_writes,
    }
}
