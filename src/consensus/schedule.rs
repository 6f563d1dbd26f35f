//! When epochs run (spec §3): the stateful scheduler of runtime ≥ 423 and the legacy modulo
//! rule of runtime ≤ 422.
//!
//! Port of `pallets/subtensor/src/coinbase/run_coinbase.rs` / `block_step.rs` (`should_run_epoch`,
//! `blocks_until_next_auto_epoch`, the per-block epoch loop; before commit d30a76f38:
//! `blocks_until_next_epoch`) @ 14bc6f9f.

/// `BlocksSinceLastStep` above which an epoch is forced.
pub const MAX_BLOCKS_SINCE_LAST_STEP: u64 = 50_400;

/// Legacy cadence: `tempo − ((block + netuid + 1) mod (tempo + 1))`; `u64::MAX` for tempo 0.
/// The epoch ran when this is 0 (every `tempo + 1` blocks, staggered by netuid).
pub fn legacy_blocks_until_next_epoch(netuid: u16, tempo: u16, block: u64) -> u64 {
    if tempo == 0 {
        return u64::MAX;
    }
    let t = u64::from(tempo);
    let phase = (u128::from(block) + u128::from(netuid) + 1) % (u128::from(t) + 1);
    t - u64::try_from(phase).unwrap_or(0)
}

/// Scheduler state of one subnet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EpochSchedule {
    /// `LastEpochBlock`.
    pub last_epoch_block: u64,
    /// `PendingEpochAt` (0 = none).
    pub pending_epoch_at: u64,
    /// `BlocksSinceLastStep`.
    pub blocks_since_last_step: u64,
    /// `SubnetEpochIndex`.
    pub epoch_index: u64,
}

/// What happened to a subnet in one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockOutcome {
    /// Not due.
    NotDue,
    /// Due, but the block's epoch cap was reached: deferred to the next block.
    Deferred,
    /// Due and the input state is consistent: the epoch runs.
    Run,
    /// Due but the input state is inconsistent (duplicate hotkeys): the slot is consumed.
    SkippedInconsistent,
}

impl EpochSchedule {
    /// State of a subnet created at `now`: `LastEpochBlock = now − (netuid mod max(tempo, 1))`.
    pub fn new_subnet(netuid: u16, tempo: u16, now: u64) -> Self {
        let offset = u64::from(netuid % tempo.max(1));
        EpochSchedule {
            last_epoch_block: now.saturating_sub(offset),
            ..Default::default()
        }
    }

    /// `should_run_epoch`.
    pub fn should_run_epoch(&self, tempo: u16, block: u64) -> bool {
        if tempo == 0 {
            return false;
        }
        if self.pending_epoch_at > 0 && block >= self.pending_epoch_at {
            return true;
        }
        if self.blocks_since_last_step > MAX_BLOCKS_SINCE_LAST_STEP {
            return true;
        }
        block.saturating_sub(self.last_epoch_block) >= u64::from(tempo)
    }

    /// `blocks_until_next_auto_epoch`: `LastEpochBlock + tempo − block` (saturating), `u64::MAX`
    /// for tempo 0.
    pub fn blocks_until_next_auto_epoch(&self, tempo: u16, block: u64) -> u64 {
        if tempo == 0 {
            return u64::MAX;
        }
        self.last_epoch_block
            .saturating_add(u64::from(tempo))
            .saturating_sub(block)
    }

    /// Block of the next epoch: the automatic one or an earlier pending trigger (`None` for
    /// tempo 0 without a trigger).
    pub fn next_epoch_block(&self, tempo: u16) -> Option<u64> {
        let auto = (tempo != 0).then(|| self.last_epoch_block.saturating_add(u64::from(tempo)));
        let pending = (self.pending_epoch_at > 0).then_some(self.pending_epoch_at);
        match (auto, pending) {
            (Some(a), Some(p)) => Some(a.min(p)),
            (a, p) => a.or(p),
        }
    }

    /// Look-ahead epoch index used for commit expiry during `block`.
    pub fn current_epoch_index(&self, tempo: u16, block: u64) -> u64 {
        self.epoch_index
            .saturating_add(u64::from(self.should_run_epoch(tempo, block)))
    }

    /// Owner `trigger_epoch`: run at `now + freeze_window`.
    pub fn trigger(&mut self, now: u64, admin_freeze_window: u64) {
        self.pending_epoch_at = now.saturating_add(admin_freeze_window);
    }

    /// This subnet's part of one block step. `cap_reached`: the block already ran
    /// `MaxEpochsPerBlock` epochs; `consistent`: the epoch inputs pass the duplicate-hotkey check.
    pub fn on_block(
        &mut self,
        tempo: u16,
        block: u64,
        cap_reached: bool,
        consistent: bool,
    ) -> BlockOutcome {
        self.blocks_since_last_step = self.blocks_since_last_step.saturating_add(1);
        if !self.should_run_epoch(tempo, block) {
            return BlockOutcome::NotDue;
        }
        if cap_reached {
            self.pending_epoch_at = block.saturating_add(1);
            return BlockOutcome::Deferred;
        }
        let outcome = if consistent {
            self.blocks_since_last_step = 0;
            BlockOutcome::Run
        } else {
            BlockOutcome::SkippedInconsistent
        };
        self.last_epoch_block = block;
        self.pending_epoch_at = 0;
        self.epoch_index = self.epoch_index.saturating_add(1);
        outcome
    }
}

/// One block over several subnets in netuid order, at most `max_epochs_per_block` epochs.
/// Each entry is `(netuid, tempo, schedule, consistent)`; returns the netuids whose epoch runs.
pub fn schedule_block(
    subnets: &mut [(u16, u16, &mut EpochSchedule, bool)],
    block: u64,
    max_epochs_per_block: u32,
) -> Vec<u16> {
    subnets.sort_by_key(|s| s.0);
    let mut ran = Vec::new();
    let mut count: u32 = 0;
    for (netuid, tempo, sched, consistent) in subnets.iter_mut() {
        let outcome = sched.on_block(*tempo, block, count >= max_epochs_per_block, *consistent);
        if matches!(
            outcome,
            BlockOutcome::Run | BlockOutcome::SkippedInconsistent
        ) {
            count = count.saturating_add(1);
        }
        if outcome == BlockOutcome::Run {
            ran.push(*netuid);
        }
    }
    ran
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_table() {
        assert_eq!(legacy_blocks_until_next_epoch(0, 1, 0), 0);
        assert_eq!(legacy_blocks_until_next_epoch(1, 1, 0), 1);
        assert_eq!(legacy_blocks_until_next_epoch(1, 2, 0), 0);
        assert_eq!(legacy_blocks_until_next_epoch(0, 100, 0), 99);
        assert_eq!(legacy_blocks_until_next_epoch(1, 0, 5), u64::MAX);
        assert_eq!(
            legacy_blocks_until_next_epoch(0, 10, u64::MAX),
            10 - ((u128::from(u64::MAX) + 1) % 11) as u64
        );
    }

    #[test]
    fn stateful_cadence() {
        let mut s = EpochSchedule::new_subnet(1, 7200, 0);
        for b in 1..=7210 {
            s.on_block(7200, b, false, true);
        }
        assert_eq!(
            (s.blocks_since_last_step, s.last_epoch_block, s.epoch_index),
            (10, 7200, 1)
        );
        assert_eq!(s.blocks_until_next_auto_epoch(7200, 7210), 7190);
    }
}
