//! The borrowed inputs of one mechanism epoch ([`EpochView`]): what a plain [`EpochInput`] and
//! the [`super::Subnet`] state both provide, read by every step of the sparse and dense epochs.

use super::consensus_mode::liquid_alpha_consensus;
use super::hyperparams::Hyperparameters;
use super::input::{EpochInput, WeightCommit};
use crate::fixed::{SparseRow, I32F32};
use crate::runtime::Rules;
use std::borrow::Cow;

/// Borrowed epoch inputs (what [`EpochInput`] and the [`super::Subnet`] state both provide).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EpochView<'a> {
    pub hp: &'a Hyperparameters,
    pub n: usize,
    pub block: u64,
    pub emission: u64,
    pub alpha_stake: &'a [u64],
    pub tao_stake: &'a [u64],
    pub block_at_registration: &'a [u64],
    pub last_update: &'a [u64],
    pub validator_permit: &'a [bool],
    pub owner_uid: Option<u16>,
    pub weights: &'a [Vec<(u16, u16)>],
    pub bonds: &'a [Vec<(u16, u16)>],
    pub last_mechanism_step_block: u64,
    pub commits: &'a [WeightCommit],
    pub current_epoch_index: u64,
    /// Whether the runtime has `LiquidAlphaConsensusMode` (spec 446+).
    pub consensus_mode_live: bool,
    /// Stored `Consensus` of the previous epoch.
    pub previous_consensus: &'a [u16],
}

impl<'a> EpochView<'a> {
    pub(crate) fn of(input: &'a EpochInput, rules: &Rules) -> Self {
        EpochView {
            hp: &input.hyperparameters,
            n: usize::from(input.n),
            block: input.current_block,
            emission: input.emission,
            alpha_stake: &input.alpha_stake,
            tao_stake: &input.tao_stake,
            block_at_registration: &input.block_at_registration,
            last_update: &input.last_update,
            validator_permit: &input.validator_permit,
            owner_uid: input.owner_uid,
            weights: &input.weights,
            bonds: &input.bonds,
            last_mechanism_step_block: input.last_mechanism_step_block,
            commits: &input.commits,
            current_epoch_index: input.current_epoch_index,
            consensus_mode_live: rules.liquid_alpha_consensus_mode,
            previous_consensus: &input.previous_consensus,
        }
    }

    /// The consensus liquid alpha reads (the fresh one, or the stored one by the mode).
    pub(crate) fn liquid_alpha_consensus<'c>(&self, fresh: &'c [I32F32]) -> Cow<'c, [I32F32]> {
        liquid_alpha_consensus(
            self.consensus_mode_live,
            self.hp.liquid_alpha_consensus_mode,
            self.hp.bonds_penalty,
            fresh,
            self.previous_consensus,
        )
    }

    /// `LastUpdate` padded with 0 up to `n` (never truncated).
    pub(crate) fn last_update_padded(&self) -> Vec<u64> {
        let mut lu = self.last_update.to_vec();
        if lu.len() < self.n {
            lu.resize(self.n, 0);
        }
        lu
    }

    /// Bond-mask reference block: `b − tempo` before the first epoch, else the block after the
    /// previous successful epoch.
    pub(crate) fn bond_reference_block(&self) -> u64 {
        if self.last_mechanism_step_block == 0 {
            self.block.saturating_sub(u64::from(self.hp.tempo))
        } else {
            self.last_mechanism_step_block.saturating_add(1)
        }
    }

    /// Sparse rows `(j, f(value))` of uids `< n`.
    pub(super) fn load_rows(
        &self,
        rows: &[Vec<(u16, u16)>],
        f: impl Fn(u16) -> I32F32,
    ) -> Vec<SparseRow> {
        (0..self.n)
            .map(|i| {
                rows.get(i)
                    .map_or_else(Vec::new, |r| r.iter().map(|&(j, v)| (j, f(v))).collect())
            })
            .collect()
    }
}
