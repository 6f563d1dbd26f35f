//! Pools, quotes and staking operations.
