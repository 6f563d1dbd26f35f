//! The runtime a chain runs: its metadata (pallets, storage items, constants, runtime APIs) and
//! what follows from its `spec_version`.

pub mod metadata;
