//! The parameters of a historical Yuma run: yuma-simulation's merged `YumaConfig`
//! (`SimulationHyperparameters` and `YumaParams`, `yumas.py`), defaults included.

/// Which consensus vector Yuma 3's liquid alpha compares weights against
/// (`liquid_alpha_consensus_mode`; yuma-simulation's `liquid_alpha_mode_map`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsensusMode {
    /// This epoch's consensus `C`.
    Current,
    /// The previous epoch's consensus `C_old`.
    Previous,
    /// The element-wise maximum of both.
    Mixed,
}

impl ConsensusMode {
    /// Parse `"CURRENT"`, `"PREVIOUS"` or `"MIXED"`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "CURRENT" => Some(ConsensusMode::Current),
            "PREVIOUS" => Some(ConsensusMode::Previous),
            "MIXED" => Some(ConsensusMode::Mixed),
            _ => None,
        }
    }
}

/// yuma-simulation's merged `YumaConfig`. The fields that only its dividend-per-1000-tao charts use
/// (`total_epoch_emission`, `validator_emission_ratio`, `total_subnet_stake`, `alpha_tao_ratio`)
/// and the ones no Yuma function reads (`override_consensus_high/low`) are not kept. Neither is
/// `consensus_precision`, which only the legacy binary-search consensus (`LEGACY_CONSENSUS=1`)
/// reads; the default sorted-stake consensus is the one computed here.
#[derive(Debug, Clone, PartialEq)]
pub struct YumaConfig {
    /// Stake quorum of the consensus weight (default 0.5).
    pub kappa: f64,
    /// `bond_penalty` (β); yuma-simulation's default is `None`, which Yuma 1, 2 and 2B cannot use.
    pub bond_penalty: Option<f64>,
    /// Fixed EMA weight of the old bonds in Yuma 2/2B and of the decay in Yuma 3 (default 0.1).
    pub bond_moving_avg: f64,
    /// Liquid alpha on (default false).
    pub liquid_alpha: bool,
    /// Liquid alpha lower bound (default 0.1).
    pub alpha_low: f64,
    /// Liquid alpha upper bound (default 0.3).
    pub alpha_high: f64,
    /// Liquid alpha sigmoid steepness (default 10).
    pub alpha_sigmoid_steepness: f64,
    /// Yuma 2C bond decay per epoch (default 0.1).
    pub decay_rate: f64,
    /// Yuma 2C share of capacity buyable per epoch (default 0.1).
    pub capacity_alpha: f64,
    /// Consensus vector for Yuma 3's liquid alpha (default `Current`).
    pub liquid_alpha_consensus_mode: ConsensusMode,
    /// Incentive all to the highest rank (ties share) instead of rank-proportional (default false).
    pub winner_takes_all: bool,
}

impl Default for YumaConfig {
    fn default() -> Self {
        YumaConfig {
            kappa: 0.5,
            bond_penalty: None,
            bond_moving_avg: 0.1,
            liquid_alpha: false,
            alpha_low: 0.1,
            alpha_high: 0.3,
            alpha_sigmoid_steepness: 10.0,
            decay_rate: 0.1,
            capacity_alpha: 0.1,
            liquid_alpha_consensus_mode: ConsensusMode::Current,
            winner_takes_all: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse() {
        assert_eq!(ConsensusMode::parse("MIXED"), Some(ConsensusMode::Mixed));
        assert_eq!(ConsensusMode::parse("mixed"), None);
        assert_eq!(YumaConfig::default().bond_penalty, None);
    }
}
