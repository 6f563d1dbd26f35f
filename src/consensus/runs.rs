//! Consecutive epochs of one mechanism from plain [`EpochInput`] data: each epoch's persisted
//! outputs become the next epoch's stored state, as the chain writes them between epochs.
//!
//! Carry-over follows what `epoch_mechanism` persists (opentensor/subtensor @ 14bc6f9f,
//! `pallets/subtensor/src/epoch/run_epoch.rs`): `Bonds` (the stored rows of [`EpochOutput::bonds`]),
//! `ValidatorPermit`, `Consensus` (read by liquid alpha from spec 446 as the previous epoch's) and
//! the mechanism's last step block. Weights, stakes, registrations and `LastUpdate` stay as given
//! (nothing in an epoch writes them), so a caller sets an activity cutoff that covers the run.
//! For the full subnet state machine (registrations, weight setting, commits), see
//! [`Subnet`](super::Subnet).

use super::epoch::run_epoch_under;
use super::input::EpochInput;
use super::output::EpochOutput;
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::Rules;

/// Most epochs one [`run_epochs`] call runs (bounds the work and the memory of one call).
pub const MAX_EPOCHS: u32 = 10_000;

/// How a run of consecutive epochs is paced and what it keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EpochRun {
    /// Epochs to run (at most [`MAX_EPOCHS`]).
    pub count: u32,
    /// Blocks between consecutive epochs; `None` is the chain's cadence, `tempo + 1`.
    pub blocks_per_epoch: Option<u64>,
    /// Keep every intermediate of every epoch ([`EpochOutput::trace`]).
    pub trace: bool,
}

impl EpochRun {
    /// Blocks between consecutive epochs for these hyperparameters' tempo.
    pub fn step(&self, tempo: u16) -> u64 {
        self.blocks_per_epoch
            .unwrap_or_else(|| u64::from(tempo).saturating_add(1))
    }
}

impl EpochInput {
    /// The stored state after `out` (this input's epoch): the next epoch's input, `step` blocks
    /// later. Bonds, validator permits and consensus are the ones `out` persisted; the
    /// mechanism's last step is this epoch's block.
    pub fn carried_over(mut self, out: &EpochOutput, step: u64) -> EpochInput {
        self.last_mechanism_step_block = self.current_block;
        self.current_block = self.current_block.saturating_add(step);
        self.validator_permit.clone_from(&out.validator_permit);
        self.bonds.clone_from(&out.bonds);
        self.previous_consensus.clone_from(&out.consensus);
        self
    }
}

/// Run `run.count` consecutive epochs under `rules`, starting from `input`; epoch `k` runs at
/// `input.current_block + k · step` on the state the previous epoch stored (see the module docs).
///
/// Errors: `OUT_OF_RANGE` on field `count` above [`MAX_EPOCHS`]; the input's validation errors
/// (checked before the first epoch).
pub fn run_epochs(input: &EpochInput, rules: &Rules, run: EpochRun) -> Result<Vec<EpochOutput>> {
    if run.count > MAX_EPOCHS {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "count",
            format!("{} epochs in one call, at most {MAX_EPOCHS}", run.count),
        ));
    }
    input.validate()?;
    let step = run.step(input.hyperparameters.tempo);
    let mut state = input.clone();
    let mut outputs = Vec::with_capacity(usize::try_from(run.count).unwrap_or(0));
    for k in 0..run.count {
        let out = run_epoch_under(&state, rules, run.trace)?;
        if k.saturating_add(1) < run.count {
            state = state.carried_over(&out, step);
        }
        outputs.push(out);
    }
    Ok(outputs)
}
