//! Block emission, halving and (later) the per-block coinbase pipeline.
//!
//! Port of `pallets/subtensor/src/coinbase/block_emission.rs` (opentensor/subtensor @ 14bc6f9),
//! spec `emission-and-pools.md` §4.

mod halving;

pub use halving::{
    block_emission, halving_index, halving_schedule, HalvingStep, DEFAULT_BLOCK_EMISSION,
    TOTAL_SUPPLY,
};
