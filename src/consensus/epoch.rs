//! One mechanism epoch on the chain's sparse path (`epoch_mechanism`, spec §5).
//!
//! Port of `pallets/subtensor/src/epoch/run_epoch.rs::epoch_mechanism` (opentensor/subtensor
//! @ 14bc6f9f, runtime 425). Step names in comments are the chain's log names.

use super::bonds::{ema_bonds_yuma3_sparse_gated, uses_liquid_alpha};
use super::input::EpochInput;
use super::output::EpochOutput;
use super::stake::stake_vectors;
use super::trace::EpochTrace;
use super::view::EpochView;
use super::weights::{normalized_weights, traced_weights};
use crate::error::Result;
use crate::fixed::{
    clip_trust_incentive, col_normalized_dot, fixed_proportion_to_u16,
    inplace_col_max_upscale_sparse, inplace_col_normalize_sparse, inplace_mask_vector,
    inplace_normalize, inplace_normalize_using_sum, interpolate_sparse, is_topk_nonzero, is_zero,
    load_rows_masked, mat_ema_sparse, mat_vec_mul_sparse, matmul_transpose_sparse,
    row_hadamard_sparse, row_sum_sparse, scalar_vec_mask_sparse_matrix, sum,
    u16_proportion_to_fixed, u16_to_fixed, vec_mul, weighted_median_col_sparse, SparseRow, I32F32,
    I96F32,
};
use crate::runtime::Rules;

/// Run one mechanism epoch on validated input under the newest known runtime's rules. With
/// `trace`, every intermediate is kept in [`EpochOutput::trace`]; without it nothing extra is
/// computed or copied.
pub fn run_epoch(input: &EpochInput, trace: bool) -> Result<EpochOutput> {
    run_epoch_under(input, &Rules::newest(), trace)
}

/// [`run_epoch`] under the rules of a given runtime.
pub fn run_epoch_under(input: &EpochInput, rules: &Rules, trace: bool) -> Result<EpochOutput> {
    input.validate()?;
    Ok(epoch_sparse(&EpochView::of(input, rules), trace))
}

/// Rao amount of a normalized share: `floor(I96F32(share) · I96F32(emission))`.
#[inline]
pub(crate) fn to_rao(share: I32F32, emission: I96F32) -> u64 {
    I96F32::saturating_from_num(share)
        .saturating_mul(emission)
        .saturating_to_num::<u64>()
}

/// The sparse epoch itself (`epoch_mechanism`).
pub(crate) fn epoch_sparse(v: &EpochView<'_>, trace: bool) -> EpochOutput {
    let hp = v.hp;
    let n = v.n;
    let mut t = trace.then(|| {
        Box::new(EpochTrace {
            n,
            current_block: v.block,
            tempo: hp.tempo.into(),
            ..Default::default()
        })
    });

    // == Active & updated ==
    let cutoff = hp.activity_cutoff_blocks();
    let last_update = v.last_update_padded();
    let inactive: Vec<bool> = last_update
        .iter()
        .map(|u| u.saturating_add(cutoff) < v.block)
        .collect();
    let active: Vec<bool> = inactive.iter().map(|b| !b).collect();

    // == Stake ==
    let sv = stake_vectors(hp, v.alpha_stake, v.tao_stake, v.owner_uid, true);
    let stake = sv.stake;

    // == Validator permits ==
    let mut permits = v.validator_permit.to_vec();
    let owner = v.owner_uid.map(usize::from);
    if let Some(p) = owner.and_then(|o| permits.get_mut(o)) {
        *p = true;
    }
    let forbids: Vec<bool> = permits.iter().map(|b| !b).collect();
    let mut new_permits = is_topk_nonzero(&stake, usize::from(hp.max_allowed_validators));
    if let Some(p) = owner.and_then(|o| new_permits.get_mut(o)) {
        *p = true;
    }

    // == Active stake ==
    let mut active_stake = stake.clone();
    inplace_mask_vector(&inactive, &mut active_stake);
    inplace_mask_vector(&forbids, &mut active_stake);
    inplace_normalize(&mut active_stake);

    if let Some(t) = t.as_mut() {
        t.activity_cutoff = cutoff;
        t.last_update = last_update.clone();
        t.inactive = inactive.clone();
        t.block_at_registration = v.block_at_registration.to_vec();
        t.total_stake = sv.total.clone();
        t.filtered_stake = sv.filtered.clone();
        t.stake = stake.clone();
        t.validator_permits = permits.clone();
        t.max_allowed_validators = hp.max_allowed_validators;
        t.new_validator_permits = new_permits.clone();
        t.active_stake = active_stake.clone();
    }

    // == Weights ==
    let weights = if t.is_none() {
        normalized_weights(v, &forbids, &last_update)
    } else {
        traced_weights(v, &forbids, &last_update, &mut t)
    };

    // == Consensus, validator trust ==
    let consensus = weighted_median_col_sparse(&active_stake, &weights, n, hp.kappa_fixed());
    // (col_clip_sparse, row_sum_sparse and the incentive's matmul_sparse in one pass.)
    let (clipped, validator_trust, mut incentive) =
        clip_trust_incentive(&weights, &consensus, &active_stake, n);

    // == Incentive ==
    inplace_normalize(&mut incentive);

    // == Bonds and dividends ==
    // Bonds penalty 0 or 1 reuses W or W̄ as they are (what `interpolate_sparse` returns then).
    let bonds_penalty = hp.bonds_penalty_fixed();
    let blended;
    let weights_for_bonds: &[SparseRow] = if bonds_penalty == I32F32::from_bits(0) {
        &weights
    } else if bonds_penalty == crate::fixed::ONE || weights.len() != clipped.len() {
        &clipped
    } else {
        blended = interpolate_sparse(&weights, &clipped, n, bonds_penalty);
        &blended
    };
    let t0 = v.bond_reference_block();
    let recently_registered = |t0: u64, registered: u64| t0 <= registered;
    let mut dividends: Vec<I32F32>;
    let mut ema_bonds: Vec<SparseRow>;
    if hp.yuma3_enabled {
        let bonds = if let Some(t) = t.as_mut() {
            let mut bonds = v.load_rows(v.bonds, u16_proportion_to_fixed);
            t.yuma3 = true;
            t.bonds = bonds.clone();
            scalar_vec_mask_sparse_matrix(
                &mut bonds,
                t0,
                v.block_at_registration,
                recently_registered,
            );
            bonds
        } else {
            // Load and mask in one pass.
            let registered = |j: usize| v.block_at_registration.get(j).copied().unwrap_or(0);
            load_rows_masked(v.bonds, n, u16_proportion_to_fixed, |j| {
                !recently_registered(t0, registered(j))
            })
        };
        // Gated on the fresh consensus, run on the one the consensus mode picks.
        let liquid = uses_liquid_alpha(hp, &consensus);
        let la_consensus = v.liquid_alpha_consensus(&consensus);
        let (ema, alphas) = ema_bonds_yuma3_sparse_gated(
            hp,
            weights_for_bonds,
            &bonds,
            &la_consensus,
            liquid,
            trace,
        );
        ema_bonds = ema;
        let tbpv = col_normalized_dot(&ema_bonds, n, &incentive);
        dividends = vec_mul(&tbpv, &active_stake);
        inplace_normalize(&mut dividends);
        if let Some(t) = t.as_mut() {
            let mut ema_norm = ema_bonds.clone();
            inplace_col_normalize_sparse(&mut ema_norm, n);
            debug_assert_eq!(
                row_sum_sparse(&mat_vec_mul_sparse(&ema_norm, &incentive)),
                tbpv
            );
            t.bonds_masked = bonds;
            t.alphas = alphas;
            t.ema_bonds = ema_bonds.clone();
            t.ema_bonds_normalized = ema_norm;
            t.total_bonds_per_validator = tbpv.clone();
        }
    } else {
        let mut bonds = v.load_rows(v.bonds, u16_to_fixed);
        if let Some(t) = t.as_mut() {
            t.bonds = bonds.clone();
        }
        scalar_vec_mask_sparse_matrix(&mut bonds, t0, v.block_at_registration, recently_registered);
        if let Some(t) = t.as_mut() {
            t.bonds_masked = bonds.clone();
        }
        inplace_col_normalize_sparse(&mut bonds, n);
        let mut delta = row_hadamard_sparse(weights_for_bonds, &active_stake);
        if let Some(t) = t.as_mut() {
            t.bonds_normalized = bonds.clone();
            t.bonds_delta = delta.clone();
        }
        inplace_col_normalize_sparse(&mut delta, n);
        ema_bonds = mat_ema_sparse(&delta, &bonds, hp.ema_alpha());
        if let Some(t) = t.as_mut() {
            t.bonds_delta_normalized = delta;
            t.ema_bonds_raw = ema_bonds.clone();
        }
        inplace_col_normalize_sparse(&mut ema_bonds, n);
        dividends = matmul_transpose_sparse(&ema_bonds, &incentive);
        inplace_normalize(&mut dividends);
        if let Some(t) = t.as_mut() {
            t.ema_bonds = ema_bonds.clone();
        }
        inplace_col_max_upscale_sparse(&mut ema_bonds, n);
    }

    // == Emission ==
    let (nse, nve, nce) = emission_shares(&incentive, &dividends, &active_stake, &stake);
    let rao = I96F32::saturating_from_num(v.emission);
    let server_emission: Vec<u64> = nse.iter().map(|&x| to_rao(x, rao)).collect();
    let validator_emission: Vec<u64> = nve.iter().map(|&x| to_rao(x, rao)).collect();
    let combined_emission: Vec<u64> = nce.iter().map(|&x| to_rao(x, rao)).collect();

    // == Outputs (one per uid) ==
    let q = |x: &[I32F32]| -> Vec<u16> {
        let mut out = vec![0u16; n];
        crate::fixed::simd::proportions_to_u16(x, &mut out);
        out
    };
    let pad_u64 =
        |x: &[u64]| -> Vec<u64> { (0..n).map(|i| x.get(i).copied().unwrap_or(0)).collect() };
    let pad_bool =
        |x: &[bool]| -> Vec<bool> { (0..n).map(|i| x.get(i).copied().unwrap_or(false)).collect() };
    let new_permits = pad_bool(&new_permits);
    let bonds_out: Vec<Vec<(u16, u16)>> = (0..n)
        .map(|i| {
            if new_permits.get(i).copied().unwrap_or(false) {
                ema_bonds.get(i).map_or_else(Vec::new, |r| {
                    r.iter()
                        .map(|&(j, x)| (j, fixed_proportion_to_u16(x)))
                        .collect()
                })
            } else {
                Vec::new()
            }
        })
        .collect();

    if let Some(t) = t.as_mut() {
        t.weights_for_bonds = weights_for_bonds.to_vec();
        t.weights_normalized = weights;
        t.consensus = consensus.clone();
        t.clipped_weights = clipped;
        t.validator_trust = validator_trust.clone();
        t.incentive = incentive.clone();
        t.dividends = dividends.clone();
        t.normalized_server_emission = nse;
        t.server_emission = server_emission.clone();
        t.normalized_validator_emission = nve;
        t.validator_emission = validator_emission.clone();
        t.normalized_combined_emission = nce;
        t.combined_emission = combined_emission.clone();
    }

    EpochOutput {
        incentive: q(&incentive),
        dividends: q(&dividends),
        consensus: q(&consensus),
        validator_trust: q(&validator_trust),
        stake_weight: q(&stake),
        emission: pad_u64(&combined_emission),
        server_emission: pad_u64(&server_emission),
        validator_emission: pad_u64(&validator_emission),
        active: pad_bool(&active),
        validator_permit: new_permits,
        bonds: bonds_out,
        stake: sv
            .total
            .iter()
            .map(|s| s.saturating_to_num::<u64>())
            .collect(),
        trace: t,
    }
}

/// Normalized server, validator and combined emission shares (spec §5.11): incentive and
/// dividends over their combined sum; with no usable weights (sum 0) the validator and combined
/// shares follow active stake, or raw stake when nobody is active. Shared by the sparse and dense
/// paths.
pub(super) fn emission_shares(
    incentive: &[I32F32],
    dividends: &[I32F32],
    active_stake: &[I32F32],
    stake: &[I32F32],
) -> (Vec<I32F32>, Vec<I32F32>, Vec<I32F32>) {
    let combined: Vec<I32F32> = incentive
        .iter()
        .zip(dividends)
        .map(|(i, d)| i.saturating_add(*d))
        .collect();
    let emission_sum = sum(&combined);
    let mut nse = incentive.to_vec();
    let mut nve = dividends.to_vec();
    let mut nce = combined;
    inplace_normalize_using_sum(&mut nse, emission_sum);
    inplace_normalize_using_sum(&mut nve, emission_sum);
    inplace_normalize(&mut nce);
    if emission_sum == I32F32::from_bits(0) {
        let fallback = if is_zero(active_stake) {
            stake
        } else {
            active_stake
        };
        nve.clear();
        nve.extend_from_slice(fallback);
        nce.clear();
        nce.extend_from_slice(fallback);
    }
    (nse, nve, nce)
}
