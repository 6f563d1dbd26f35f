//! The decoded inputs of a snapshot as JS sees them (`loadSnapshot().state`,
//! `verifySnapshot().state`, `snapshotEpochInputs()`): camelCase mirrors of the core's
//! `ChainState` and `EpochInput`, each with a `From` impl. The hyperparameters and commit versions
//! are the consensus exports' own response types (`epoch_types`). `SnapshotEpochInput` is the
//! response form of the epoch input `runEpoch` reads (its request type): the same fields, so a
//! snapshot's inputs can be fed straight back.

use serde::Serialize;
use tao_engine::chain::snapshot_read::{ChainState, MechanismInputs};
use super::epoch_types::{Hyperparameters, WeightCommitVersion};
use tao_engine::consensus::{CommitVersion, EpochInput, WeightCommit};
use tsify::Tsify;

super::chain_types::response! {
    /// A live weight commit of a uid.
    pub struct SnapshotWeightCommit {
        /// Committing uid.
        pub uid: u16,
        /// Block of the commit.
        pub commit_block: u64,
        /// Epoch index the commit is tagged with.
        pub commit_epoch: u64,
        /// Protocol.
        pub version: WeightCommitVersion,
    }
}

impl From<WeightCommit> for SnapshotWeightCommit {
    fn from(c: WeightCommit) -> Self {
        SnapshotWeightCommit {
            uid: c.uid,
            commit_block: c.commit_block,
            commit_epoch: c.commit_epoch,
            version: match c.version {
                CommitVersion::V2 => WeightCommitVersion::V2,
                CommitVersion::V4 => WeightCommitVersion::V4,
            },
        }
    }
}

super::chain_types::response! {
    /// One mechanism's stored inputs.
    pub struct SnapshotMechanism {
        /// `LastUpdate[idx]` as stored.
        pub last_update: Vec<u64>,
        /// `Weights[idx][uid]` for uid < n, `[uid, value]` pairs.
        pub weights: Vec<Vec<(u16, u16)>>,
        /// `Bonds[idx][uid]`, filtered the same way.
        pub bonds: Vec<Vec<(u16, u16)>>,
        /// Live commits.
        pub commits: Vec<SnapshotWeightCommit>,
    }
}

impl From<MechanismInputs> for SnapshotMechanism {
    fn from(m: MechanismInputs) -> Self {
        SnapshotMechanism {
            last_update: m.last_update,
            weights: m.weights,
            bonds: m.bonds,
            commits: m.commits.into_iter().map(Into::into).collect(),
        }
    }
}

super::chain_types::response! {
    /// The decoded inputs of one subnet epoch.
    pub struct SnapshotState {
        /// `SubnetworkN`.
        pub n: u16,
        /// `Keys[uid]`, `0x` hex (absent where the key is absent).
        pub hotkeys: Vec<Option<String>>,
        /// Hyperparameters read from storage (defaults for absent keys).
        pub hyperparameters: Hyperparameters,
        /// Inherited alpha stake per uid.
        pub alpha_stake: Vec<u64>,
        /// Inherited root stake per uid.
        pub tao_stake: Vec<u64>,
        /// `BlockAtRegistration` (0 for a uid without `Keys`).
        pub block_at_registration: Vec<u64>,
        /// Stored `ValidatorPermit`.
        pub validator_permit: Vec<bool>,
        /// Owner uid, when the owner's hotkey is registered.
        pub owner_uid: Option<u16>,
        /// `LastMechansimStepBlock`.
        pub last_mechanism_step_block: u64,
        /// Epoch index during the epoch.
        pub current_epoch_index: u64,
        /// Per mechanism.
        pub mechanisms: Vec<SnapshotMechanism>,
        /// Pending emission at the parent (rao).
        pub pending_emission: u64,
        /// Two uids with the same hotkey (the chain then skips the epoch).
        pub duplicate_hotkeys: Option<(u16, u16)>,
    }
}

impl From<ChainState> for SnapshotState {
    fn from(s: ChainState) -> Self {
        SnapshotState {
            n: s.n,
            hotkeys: s.hotkeys,
            hyperparameters: Hyperparameters::from(&s.hyperparameters),
            alpha_stake: s.alpha_stake,
            tao_stake: s.tao_stake,
            block_at_registration: s.block_at_registration,
            validator_permit: s.validator_permit,
            owner_uid: s.owner_uid,
            last_mechanism_step_block: s.last_mechanism_step_block,
            current_epoch_index: s.current_epoch_index,
            mechanisms: s.mechanisms.into_iter().map(Into::into).collect(),
            pending_emission: s.pending_emission,
            duplicate_hotkeys: s.duplicate_hotkeys,
        }
    }
}

super::chain_types::response! {
    /// The consensus engine's inputs of one mechanism, as a snapshot's storage gives them (the
    /// fields `runEpoch` reads).
    pub struct SnapshotEpochInput {
        /// Hyperparameters in force.
        pub hyperparameters: Hyperparameters,
        /// Number of uids (`SubnetworkN`).
        pub n: u16,
        /// Block the epoch runs in.
        pub current_block: u64,
        /// Emission (rao) handed to this mechanism's epoch.
        pub emission: u64,
        /// Inherited alpha stake per uid.
        pub alpha_stake: Vec<u64>,
        /// Inherited root (TAO) stake per uid.
        pub tao_stake: Vec<u64>,
        /// `BlockAtRegistration` per uid.
        pub block_at_registration: Vec<u64>,
        /// `LastUpdate` of the mechanism.
        pub last_update: Vec<u64>,
        /// Stored `ValidatorPermit`.
        pub validator_permit: Vec<bool>,
        /// Uid of the subnet owner's hotkey, if registered.
        pub owner_uid: Option<u16>,
        /// Stored weight rows, `[uid, value]` pairs.
        pub weights: Vec<Vec<(u16, u16)>>,
        /// Stored bond rows.
        pub bonds: Vec<Vec<(u16, u16)>>,
        /// `LastMechansimStepBlock`.
        pub last_mechanism_step_block: u64,
        /// Live weight commits.
        pub commits: Vec<SnapshotWeightCommit>,
        /// Look-ahead epoch index for commit expiry.
        pub current_epoch_index: u64,
        /// Stored `Consensus` of the previous epoch.
        pub previous_consensus: Vec<u16>,
    }
}

impl From<EpochInput> for SnapshotEpochInput {
    fn from(e: EpochInput) -> Self {
        SnapshotEpochInput {
            hyperparameters: Hyperparameters::from(&e.hyperparameters),
            n: e.n,
            current_block: e.current_block,
            emission: e.emission,
            alpha_stake: e.alpha_stake,
            tao_stake: e.tao_stake,
            block_at_registration: e.block_at_registration,
            last_update: e.last_update,
            validator_permit: e.validator_permit,
            owner_uid: e.owner_uid,
            weights: e.weights,
            bonds: e.bonds,
            last_mechanism_step_block: e.last_mechanism_step_block,
            commits: e.commits.into_iter().map(Into::into).collect(),
            current_epoch_index: e.current_epoch_index,
            previous_consensus: e.previous_consensus,
        }
    }
}

/// The response of `snapshotEpochInputs`: one input per mechanism.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct SnapshotEpochInputs(pub Vec<SnapshotEpochInput>);
