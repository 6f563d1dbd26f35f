//! The decoded inputs of a snapshot as JS sees them (`loadSnapshot().state`,
//! `verifySnapshot().state`, `snapshotEpochInputs()`): camelCase mirrors of the core's
//! `ChainState`, `Hyperparameters` and `EpochInput`, each with a `From` impl.
//!
//! The names carry a `Snapshot` prefix so they never collide with the consensus exports' own
//! declarations of the epoch input shape.

use serde::Serialize;
use tao_engine::chain::snapshot_read::{ChainState, MechanismInputs};
use tao_engine::consensus::{
    CommitVersion, ConsensusMode, EpochInput, Hyperparameters, WeightCommit,
};
use tsify::Tsify;

/// The commit-reveal protocol of a live weight commit.
#[derive(Serialize, Tsify, Clone, Copy)]
pub enum SnapshotCommitVersion {
    /// CR-v2 hash commit (`WeightCommits`).
    V2,
    /// CR-v3/v4 timelocked commit (`TimelockedWeightCommits`).
    V4,
}

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
        pub version: SnapshotCommitVersion,
    }
}

impl From<WeightCommit> for SnapshotWeightCommit {
    fn from(c: WeightCommit) -> Self {
        SnapshotWeightCommit {
            uid: c.uid,
            commit_block: c.commit_block,
            commit_epoch: c.commit_epoch,
            version: match c.version {
                CommitVersion::V2 => SnapshotCommitVersion::V2,
                CommitVersion::V4 => SnapshotCommitVersion::V4,
            },
        }
    }
}

/// Which consensus liquid alpha reads (runtimes from spec 445).
#[derive(Serialize, Tsify, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub enum SnapshotConsensusMode {
    /// The epoch's own consensus.
    Current,
    /// The consensus stored by the previous epoch.
    Previous,
    /// Previous when the bonds penalty is 1, current otherwise (the chain's default).
    Auto,
}

super::chain_types::response! {
    /// Subnet hyperparameters as a snapshot's storage holds them (u16 parameters mean
    /// value/65535).
    pub struct SnapshotHyperparameters {
        /// Blocks between epochs.
        pub tempo: u16,
        /// Consensus majority = kappa / 65535.
        pub kappa: u16,
        /// Bonds EMA, per million.
        pub bonds_moving_average: u64,
        /// Blend of clipped and raw weights for bonds, /65535.
        pub bonds_penalty: u16,
        /// Liquid alpha.
        pub liquid_alpha_enabled: bool,
        /// Liquid alpha's low bound, /65535.
        pub alpha_low: u16,
        /// Liquid alpha's high bound, /65535.
        pub alpha_high: u16,
        /// Liquid alpha's sigmoid steepness.
        pub alpha_sigmoid_steepness: i16,
        /// Yuma3 (relative bonds) instead of original Yuma.
        pub yuma3_enabled: bool,
        /// Validator permits handed out.
        pub max_allowed_validators: u16,
        /// Activity cutoff = max(1, factor · tempo / 1000) blocks.
        pub activity_cutoff_factor_milli: u32,
        /// Minimum stake for a validator permit (rao).
        pub stake_threshold: u64,
        /// Commit-reveal.
        pub commit_reveal_enabled: bool,
        /// Commit-reveal period, epochs.
        pub reveal_period_epochs: u64,
        /// Weight of root TAO stake: value / (2^64 − 1).
        pub tao_weight: u64,
        /// Mechanisms.
        pub mechanism_count: u8,
        /// u16 parts summing to 65535, absent for an even split.
        pub mechanism_emission_split: Option<Vec<u16>>,
        /// Bonds reset.
        pub bonds_reset_enabled: bool,
        /// Which consensus liquid alpha reads.
        pub liquid_alpha_consensus_mode: SnapshotConsensusMode,
    }
}

impl From<Hyperparameters> for SnapshotHyperparameters {
    fn from(h: Hyperparameters) -> Self {
        SnapshotHyperparameters {
            tempo: h.tempo,
            kappa: h.kappa,
            bonds_moving_average: h.bonds_moving_average,
            bonds_penalty: h.bonds_penalty,
            liquid_alpha_enabled: h.liquid_alpha_enabled,
            alpha_low: h.alpha_low,
            alpha_high: h.alpha_high,
            alpha_sigmoid_steepness: h.alpha_sigmoid_steepness,
            yuma3_enabled: h.yuma3_enabled,
            max_allowed_validators: h.max_allowed_validators,
            activity_cutoff_factor_milli: h.activity_cutoff_factor_milli,
            stake_threshold: h.stake_threshold,
            commit_reveal_enabled: h.commit_reveal_enabled,
            reveal_period_epochs: h.reveal_period_epochs,
            tao_weight: h.tao_weight,
            mechanism_count: h.mechanism_count,
            mechanism_emission_split: h.mechanism_emission_split,
            bonds_reset_enabled: h.bonds_reset_enabled,
            liquid_alpha_consensus_mode: match h.liquid_alpha_consensus_mode {
                ConsensusMode::Current => SnapshotConsensusMode::Current,
                ConsensusMode::Previous => SnapshotConsensusMode::Previous,
                ConsensusMode::Auto => SnapshotConsensusMode::Auto,
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
        pub hyperparameters: SnapshotHyperparameters,
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
            hyperparameters: s.hyperparameters.into(),
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
        pub hyperparameters: SnapshotHyperparameters,
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
            hyperparameters: e.hyperparameters.into(),
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
