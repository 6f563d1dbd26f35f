//! Buffers the coinbase reuses from block to block, so that a block without an epoch allocates
//! nothing once the buffers have grown (`tests/sim_allocations.rs` counts). They hold no state:
//! they are not saved, not compared and start empty in a restored network.

use super::shares::ShareInput;
use super::terms::SubnetTerms;
use substrate_fixed::types::U64F64;

/// The coinbase's reused buffers (cleared before each use).
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// The emitting subnets, in netuid order.
    pub(crate) emit_to: Vec<u16>,
    /// Their share inputs.
    pub(crate) inputs: Vec<ShareInput>,
    /// Price-EMA shares, then the same after the miner-burn reweighting.
    pub(crate) weighted: Vec<(u16, U64F64)>,
    /// The gated shares.
    pub(crate) shares: Vec<(u16, U64F64)>,
    /// The shares sorted for the gate bar.
    pub(crate) sorted: Vec<U64F64>,
}

/// Buffers are not state: any two are equal.
impl PartialEq for Scratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Where `netuid`'s terms are in `terms` (built in the order of the emissions, so sorted by netuid
/// for every emission list the coinbase makes; a caller's unsorted list is searched in full).
pub(crate) fn terms_of(terms: &[(u16, SubnetTerms)], netuid: u16) -> Option<&SubnetTerms> {
    let at = terms
        .binary_search_by_key(&netuid, |(n, _)| *n)
        .ok()
        .or_else(|| terms.iter().position(|(n, _)| *n == netuid))?;
    terms.get(at).map(|(_, t)| t)
}
