//! The Yuma consensus epoch of one subnet, bit-exact with the chain (spec `yuma-epoch.md`).
//!
//! Port of `pallets/subtensor/src/epoch/` (`run_epoch.rs` and its split-out successors),
//! `subnets/mechanism.rs` and the epoch scheduling of `coinbase/` from opentensor/subtensor
//! @ 14bc6f9f (runtime spec 425).
//!
//! * [`run_epoch`] — one mechanism epoch from plain [`EpochInput`] data (validated up front),
//!   returning every persisted output and, on request, an [`EpochTrace`] of all intermediates.
//! * [`Subnet`] — subnet state with the chain's mutations (registration, weights, bonds reset,
//!   commits) and epochs that persist like the chain ([`Subnet::run`], [`Subnet::step`]).
//! * [`mechanism`] — storage index, emission split, aggregation over mechanisms.
//! * [`schedule`] — when epochs run (current stateful rule and the legacy modulo rule).
//! * [`hyperparams`] — parameters, their fixed-point forms and the chain's validation.
//! * [`epoch_scenario`] — the chain's epoch unit tests as data (`yuma-vectors/epoch-scenario/v1`),
//!   read into [`Subnet`] operations.

pub mod bench;
pub mod bonds;
pub mod consensus_mode;
mod dense;
mod epoch;
pub mod epoch_scenario;
pub mod history;
pub mod hyperparams;
mod input;
pub mod mechanism;
mod output;
pub mod schedule;
mod stake;
mod subnet;
mod trace;
mod view;
mod weights;

pub use consensus_mode::ConsensusMode;
pub use dense::DenseEpoch;
pub use epoch::{run_epoch, run_epoch_under};
pub use hyperparams::{Hyperparameters, Origin};
pub use input::{CommitVersion, EpochInput, WeightCommit, MAX_UIDS};
pub use output::EpochOutput;
pub use stake::{stake_vectors, StakeVectors};
pub use subnet::{EpochKind, MechanismState, MechanismsEpoch, Subnet};
pub use trace::{render, AlphaBalance, EpochTrace};
