//! What one mechanism epoch produces (the chain's `EpochTerms`, one entry per uid).

use super::trace::EpochTrace;

/// Per-uid results of one epoch, in uid order (`n` entries each).
///
/// The u16 fields are what the chain persists (`fixed_proportion_to_u16`, floor of `x·65535`);
/// emissions are rao, truncated as the chain does.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EpochOutput {
    /// `Incentive` (persisted per mechanism).
    pub incentive: Vec<u16>,
    /// `Dividends`.
    pub dividends: Vec<u16>,
    /// `Consensus`.
    pub consensus: Vec<u16>,
    /// `ValidatorTrust`.
    pub validator_trust: Vec<u16>,
    /// `StakeWeight` (normalized, threshold-filtered stake).
    pub stake_weight: Vec<u16>,
    /// `Emission`: the combined share in rao (informational; used for pruning).
    pub emission: Vec<u64>,
    /// Incentive in rao (paid to miners).
    pub server_emission: Vec<u64>,
    /// Dividends in rao (paid to validators and their stakers).
    pub validator_emission: Vec<u64>,
    /// `Active`.
    pub active: Vec<bool>,
    /// New `ValidatorPermit`.
    pub validator_permit: Vec<bool>,
    /// Bond row to store for each uid: the quantized EMA row for a new permit, else empty.
    pub bonds: Vec<Vec<(u16, u16)>>,
    /// `floor(total stake)` per uid (alpha + tao·tao_weight, before the threshold filter).
    pub stake: Vec<u64>,
    /// Every intermediate vector, when the epoch was run with `trace = true`.
    #[serde(skip)]
    pub trace: Option<Box<EpochTrace>>,
}

impl EpochOutput {
    /// Σ server + validator emission over all uids (saturating).
    pub fn total_emission(&self) -> u64 {
        self.server_emission
            .iter()
            .chain(&self.validator_emission)
            .fold(0u64, |a, b| a.saturating_add(*b))
    }
}
