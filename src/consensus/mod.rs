//! The Yuma consensus epoch (port of subtensor `pallets/subtensor/src/epoch/run_epoch.rs`).
