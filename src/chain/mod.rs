//! Chain data: SCALE types, storage keys, RPC requests, snapshots and verification.
//!
//! Layout (spec `shared/spec/chain-data.md`):
//!
//! * [`scale`]: the bounded reader and the [`Codec`] trait (strict: every byte
//!   consumed, depth and allocation limits, errors with code, field path and byte offset);
//! * [`types`]: every runtime-API type (neurons, subnets, hyperparameters, dynamic info,
//!   metagraphs, stake, delegates, headers), declared with the chain's field names;
//! * [`registry`]: decode by type name (`decode_type("Option<Metagraph>", bytes, Wrapping::Raw)`)
//!   into a [`Decoded`] that can be downcast to the typed value or rendered; [`type_name`]
//!   normalises the names, `registry_structs` lists the structs both know;
//! * [`columnar`]: the large results (neurons, metagraphs, dynamic info) as one vector per field;
//! * `render`: JSON in the fixture conventions (feature `render`);
//! * [`storage`]: storage keys and the items an epoch replay reads, with their defaults;
//! * [`weights`]: weight normalisation (chain and SDK) and the commit-reveal v2 hash;
//! * [`snapshot`], [`snapshot_read`], [`snapshot_yuma`]: epoch snapshots (storage at the parent of
//!   an epoch block plus the outputs at it), their RPC read plan and conversion to `EpochInput`;
//! * [`verify`], [`verify_commit`]: re-run an epoch and compare with the chain; commit-hash and
//!   weight-normalisation checks;
//! * [`capture`], [`capture_write`]: storage captures (raw storage at one block), their read
//!   plan, and captures written from engine pool states;
//! * [`coinbase_items`], [`coinbase_read`], [`coinbase_write`]: the coinbase's storage items, read
//!   from a parent capture into the engine's state and written from it;
//! * [`replay_block`]: `replay block`: one block's coinbase from the parent, compared with the child;
//! * [`replay_epoch`]: `replay epoch`: one subnet's epoch from a parent capture, compared with the child;
//! * [`capture_epoch`]: a subnet's epoch on a capture — its inputs read from the parent, the
//!   mechanisms run, its writes encoded as the chain stores them and compared with the child —
//!   the one model of `replay block` (epochs due at the block) and `replay epoch`;
//! * [`consensus_source`]: an epoch's liquid-alpha consensus source on a capture (its mode and the
//!   stored consensus, spec 446+);
//! * [`replay_janitor`]: what `replay block` lists after the payout (root-fund janitor, collateral index);
//! * [`replay_v3`]: `replay block` at specs 348–354, 356–363, 365–377, 385, 388–391, 393, 396–402, 408–411, 413–419 and 421–422 (v3 pools: the coinbase,
//!   a due subnet's epoch and payout in `replay_v3_epoch`, read as `snapshot_legacy` says);
//!   [`replay_v3_read`]: its parent reads and the keys of `Swap.Ticks` / `Swap.Positions`;
//!   [`replay_v3_flow`]: the TAO-flow shares of 348–419; `replay_v3_era`: the eras' differences;
//! * [`replay_report`]: the `replay block` and `replay epoch` reports and their summary line;
//! * [`pool_read`]: a subnet's pool read from a capture, every era;
//! * [`sim_swap`]: the chain's own quotes (`SwapRuntimeApi`) from a capture, every pool era;
//! * [`timelock`]: commit-reveal v3/v4 — drand pulses and their BLS check, timelocked commits
//!   opened with them, and the next epoch their reveal produces;
//! * [`hex`], [`hashing`]: helpers.

#[macro_use]
mod macros;

pub mod capture;
mod capture_collateral;
pub mod capture_distribution;
pub mod capture_epoch;
pub mod capture_lease;
pub mod capture_parent_child;
mod capture_payout;
mod capture_share_book;
pub mod capture_write;
pub mod coinbase_items;
pub mod coinbase_read;
pub mod coinbase_write;
pub mod columnar;
pub mod consensus_source;
pub mod hashing;
pub mod hex;
pub mod metadata;
pub mod pool_read;
pub mod registry;
mod registry_structs;
#[cfg(feature = "render")]
pub mod render;
pub mod replay_block;
pub mod replay_epoch;
pub mod replay_janitor;
pub mod replay_report;
pub mod replay_total_alpha;
pub mod replay_v3;
mod replay_v3_block;
pub mod replay_v3_epoch;
mod replay_v3_era;
pub mod replay_v3_flow;
mod replay_v3_inject;
mod replay_v3_out;
mod replay_v3_pool;
pub mod replay_v3_read;
pub mod runtime;
pub mod scale;
pub mod scale_fast;
pub mod sim_swap;
pub mod snapshot;
mod snapshot_legacy;
pub mod snapshot_read;
#[cfg(feature = "render")]
pub mod snapshot_summary;
pub mod snapshot_yuma;
pub mod storage;
#[cfg(feature = "timelock")]
pub mod timelock;
pub mod type_name;
pub mod types;
pub mod verify;
pub mod verify_commit;
pub mod weights;

pub use registry::{decode_type, Decoded, Wrapping};
pub use scale::{decode_all, encode, Codec, Limits};
pub use types::*;
