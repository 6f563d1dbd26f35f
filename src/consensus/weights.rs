//! The consensus weights of the sparse epoch (spec §5.2–5.3): load, permit, diagonal, outdated
//! and commit-reveal masks, row normalization.
//!
//! Port of the weights steps of `pallets/subtensor/src/epoch/run_epoch.rs::epoch_mechanism`
//! (opentensor/subtensor @ 14bc6f9f). Without a trace the steps run fused, one pass per row.

use super::input::CommitVersion;
use super::trace::EpochTrace;
use super::view::EpochView;
use crate::fixed::{
    inplace_row_normalize_sparse, mask_diag_sparse, mask_diag_sparse_except_index,
    mask_rows_sparse, u16_to_fixed, vec_mask_sparse_matrix, Divisor, SparseRow, I32F32, ZERO,
};

/// The commit-reveal column mask: remove `(i, j)` when uid `i` holds a live commit made before
/// `j` registered.
fn commit_reveal_mask(v: &EpochView<'_>, weights: &mut [SparseRow]) {
    vec_mask_sparse_matrix(
        weights,
        &commit_blocks(v),
        v.block_at_registration,
        |cb, reg| cb < reg,
    );
}

/// Per uid, the block of its earliest live commit (`u64::MAX` without one).
fn commit_blocks(v: &EpochView<'_>) -> Vec<u64> {
    let mut commit_block = vec![u64::MAX; v.n];
    let mut v2_seen = vec![false; v.n];
    let expired =
        |epoch: u64| v.current_epoch_index > epoch.saturating_add(v.hp.reveal_period_epochs);
    for c in v.commits {
        let i = usize::from(c.uid);
        let (Some(cb), Some(seen)) = (commit_block.get_mut(i), v2_seen.get_mut(i)) else {
            continue;
        };
        match c.version {
            // A hotkey's CR-v2 queue counts only its first live commit.
            CommitVersion::V2 if !*seen && !expired(c.commit_epoch) => {
                *cb = (*cb).min(c.commit_block);
                *seen = true;
            }
            CommitVersion::V4 if !expired(c.commit_epoch) => *cb = (*cb).min(c.commit_block),
            _ => {}
        }
    }
    commit_block
}

/// The weights of the consensus without a trace, one pass per row: load, permit mask, diagonal
/// mask, outdated mask, commit-reveal mask and row normalization. Each mask only removes entries
/// by a test on `(i, j)`, so applying them together keeps exactly the entries the chain's
/// sequence keeps, in the same order, and the row sums and quotients are the same.
pub(super) fn normalized_weights(
    v: &EpochView<'_>,
    forbids: &[bool],
    last_update: &[u64],
) -> Vec<SparseRow> {
    let commit_block = v.hp.commit_reveal_enabled.then(|| commit_blocks(v));
    let registered = |j: usize| v.block_at_registration.get(j).copied().unwrap_or(0);
    (0..v.n)
        .map(|i| {
            // mask_rows_sparse: a missing permit masks the row.
            let Some(row) = v
                .weights
                .get(i)
                .filter(|_| !forbids.get(i).copied().unwrap_or(true))
            else {
                return Vec::new();
            };
            let keep_diag = v.owner_uid.is_some_and(|o| usize::from(o) == i);
            let updated = last_update.get(i).copied().unwrap_or(0);
            let committed = commit_block
                .as_ref()
                .map(|c| c.get(i).copied().unwrap_or(0));
            // Every entry is written at the cursor, which moves past kept ones only: no branch
            // on the data (which entries a row keeps follows registrations) and no capacity check
            // per push.
            let mut out: SparseRow = vec![(0, ZERO); row.len()];
            let mut total: i64 = 0;
            let mut k = 0usize;
            for &(j, w) in row {
                let ju = usize::from(j);
                let reg = registered(ju);
                let drop = (ju == i && !keep_diag)
                    | (updated <= reg)
                    | committed.is_some_and(|cb| cb < reg);
                let x = u16_to_fixed(w);
                total = total.wrapping_add(x.to_bits() & -i64::from(!drop));
                if let Some(slot) = out.get_mut(k) {
                    *slot = (j, x);
                }
                k += usize::from(!drop);
            }
            out.truncate(k);
            if let Some(d) = Divisor::new(I32F32::from_bits(total)) {
                for (_, x) in out.iter_mut() {
                    *x = d.sdiv(*x);
                }
            }
            out
        })
        .collect()
}

/// The weights step by step as the chain writes it, keeping every intermediate in the trace.
pub(super) fn traced_weights(
    v: &EpochView<'_>,
    forbids: &[bool],
    last_update: &[u64],
    t: &mut Option<Box<EpochTrace>>,
) -> Vec<SparseRow> {
    let hp = v.hp;
    let mut weights = v.load_rows(v.weights, u16_to_fixed);
    if let Some(t) = t.as_mut() {
        t.weights = weights.clone();
    }
    mask_rows_sparse(forbids, &mut weights);
    if let Some(t) = t.as_mut() {
        t.weights_permit = weights.clone();
    }
    match v.owner_uid {
        Some(o) => mask_diag_sparse_except_index(&mut weights, o),
        None => mask_diag_sparse(&mut weights),
    }
    if let Some(t) = t.as_mut() {
        t.weights_permit_diag = weights.clone();
    }
    vec_mask_sparse_matrix(
        &mut weights,
        last_update,
        v.block_at_registration,
        |updated, registered| updated <= registered,
    );
    if let Some(t) = t.as_mut() {
        t.weights_outdated = weights.clone();
    }
    if hp.commit_reveal_enabled {
        commit_reveal_mask(v, &mut weights);
        if let Some(t) = t.as_mut() {
            t.weights_commit_reveal = Some(weights.clone());
        }
    }
    inplace_row_normalize_sparse(&mut weights);
    weights
}
