//! The epoch reads of the runtimes before spec 423 ([`EpochReads::Legacy`]), which the epoch
//! reader (`snapshot_read::read_subnet_state_as`) applies for `replay block` at the v3 runtimes
//! (`replay_v3_epoch`).

/// How a runtime's epoch reads the inputs its schedule decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpochReads {
    /// Spec 423+: `ActivityCutoffFactorMilli`, the bond mask after `LastMechansimStepBlock`,
    /// commits expiring by `SubnetEpochIndex`.
    Stateful,
    /// Specs 411–422 (tags `v3.4.0-411` … `v3.4.7-422`, `run_epoch.rs`, `weights.rs`,
    /// `misc.rs`) at the epoch block `block`: the stored `ActivityCutoff` as the cutoff, the bond
    /// mask at `block − tempo` (`LastMechansimStepBlock` is not read), and a commit expiring by
    /// the legacy epoch index `(b + netuid + 1) / (tempo + 1)` of its commit block `b`
    /// (`get_epoch_index`, `is_commit_expired(netuid, commit_block)`); a CR-v2 queue entry is
    /// `(hash, commit_block, first_reveal, last_reveal)`. The pending buckets are not read (the
    /// caller, `replay block`, hands the drained ones; `ChainState::pending_emission` is 0).
    Legacy {
        /// The epoch block.
        block: u64,
    },
}

/// `get_epoch_index` of the runtimes before 423: `(block + netuid + 1) / (tempo + 1)`.
pub fn legacy_epoch_index(netuid: u16, tempo: u16, block: u64) -> u64 {
    let tempo_plus_one = u64::from(tempo).saturating_add(1);
    block
        .saturating_add(u64::from(netuid).saturating_add(1))
        .checked_div(tempo_plus_one)
        .unwrap_or(0)
}
