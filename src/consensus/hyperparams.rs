//! Subnet hyperparameters the epoch reads, their fixed-point derivations, and the chain's
//! validation of owner/root updates (spec `yuma-epoch.md` §2.1).
//!
//! Ports `get_float_kappa`, `get_float_bonds_penalty`, `get_activity_cutoff_blocks`,
//! `get_alpha_values_32`, `bonds_moving_average_alpha`, `get_tao_weight` and the checks of
//! `do_set_alpha_values`, `sudo_set_*` (pallets/subtensor, pallets/admin-utils @ 14bc6f9f).

use crate::error::{Error, ErrorCode, Result};
use crate::fixed::{SafeDiv, I32F32, I64F64, ONE, U16_MAX_FIXED, U96F32};

/// The per-subnet (and the two global) parameters one epoch depends on.
///
/// `Default` is the runtime's storage default (a subnet whose items were never written);
/// [`Hyperparameters::new_subnet`] is what a freshly registered subnet gets, and
/// [`Hyperparameters::unit_test_mock`] the values of subtensor's unit-test runtime (which the
/// reference vectors use).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Hyperparameters {
    /// `Tempo` (blocks between epochs).
    pub tempo: u16,
    /// `Kappa`: consensus majority = kappa / 65535.
    pub kappa: u16,
    /// `BondsMovingAverage`, per million.
    pub bonds_moving_average: u64,
    /// `BondsPenalty`: blend ratio = value / 65535.
    pub bonds_penalty: u16,
    /// `LiquidAlphaOn`.
    pub liquid_alpha_enabled: bool,
    /// `AlphaValues.0` (liquid-alpha lower bound, /65535).
    pub alpha_low: u16,
    /// `AlphaValues.1` (liquid-alpha upper bound, /65535).
    pub alpha_high: u16,
    /// `AlphaSigmoidSteepness`.
    pub alpha_sigmoid_steepness: i16,
    /// `Yuma3On` (relative bonds) vs original Yuma.
    pub yuma3_enabled: bool,
    /// `MaxAllowedValidators`.
    pub max_allowed_validators: u16,
    /// `ActivityCutoffFactorMilli`: cutoff blocks = max(1, factor·tempo/1000).
    pub activity_cutoff_factor_milli: u32,
    /// `StakeThreshold` (global).
    pub stake_threshold: u64,
    /// `CommitRevealWeightsEnabled`.
    pub commit_reveal_enabled: bool,
    /// `RevealPeriodEpochs`.
    pub reveal_period_epochs: u64,
    /// `TaoWeight` (global): ratio = value / u64::MAX.
    pub tao_weight: u64,
    /// `MechanismCountCurrent`.
    pub mechanism_count: u8,
    /// `MechanismEmissionSplit` (u16 parts summing to 65535), `None` = even split.
    pub mechanism_emission_split: Option<Vec<u16>>,
    /// `BondsResetOn`.
    pub bonds_reset_enabled: bool,
    /// `LiquidAlphaConsensusMode` (read only by runtimes from spec 446, see [`crate::runtime::Rules`]).
    pub liquid_alpha_consensus_mode: super::ConsensusMode,
    /// `ActivityCutoff` in blocks, as the runtimes before spec 423 read it
    /// (`get_activity_cutoff(netuid) as u64`, no floor of 1); `None` from 423, whose cutoff is
    /// [`Self::activity_cutoff_factor_milli`]'s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_cutoff_legacy: Option<u16>,
}

impl Default for Hyperparameters {
    fn default() -> Self {
        Hyperparameters {
            tempo: 360,
            kappa: 32_767,
            bonds_moving_average: 900_000,
            bonds_penalty: 65_535,
            liquid_alpha_enabled: false,
            alpha_low: 45_875,
            alpha_high: 58_982,
            alpha_sigmoid_steepness: 1000,
            yuma3_enabled: false,
            max_allowed_validators: 128,
            activity_cutoff_factor_milli: 13_889,
            stake_threshold: 0,
            commit_reveal_enabled: true,
            reveal_period_epochs: 1,
            tao_weight: 971_718_665_099_567_868,
            mechanism_count: 1,
            mechanism_emission_split: None,
            bonds_reset_enabled: false,
            liquid_alpha_consensus_mode: super::ConsensusMode::Auto,
            activity_cutoff_legacy: None,
        }
    }
}

/// The tempo of a new mainnet subnet (the runtime's `InitialTempo`, 360 blocks).
pub const INITIAL_TEMPO: u16 = 360;

impl Hyperparameters {
    /// What `init_new_network` writes for a new subnet (Yuma3 on, 64 validators).
    pub fn new_subnet(tempo: u16) -> Self {
        Hyperparameters {
            tempo,
            yuma3_enabled: true,
            max_allowed_validators: 64,
            ..Default::default()
        }
    }

    /// [`new_subnet`](Self::new_subnet) at a new mainnet subnet's tempo, [`INITIAL_TEMPO`]: the
    /// defaults of every hyperparameter a caller does not set.
    pub fn new_mainnet_subnet() -> Self {
        Self::new_subnet(INITIAL_TEMPO)
    }

    /// subtensor's unit-test mock runtime (`tests/mock.rs`): tao_weight 0, 100 validators.
    pub fn unit_test_mock() -> Self {
        Hyperparameters {
            max_allowed_validators: 100,
            tao_weight: 0,
            ..Default::default()
        }
    }

    /// Activity cutoff in blocks: `max(1, factor·tempo/1000)` (u64 math); before spec 423 the
    /// stored `ActivityCutoff` as it is ([`Self::activity_cutoff_legacy`]).
    pub fn activity_cutoff_blocks(&self) -> u64 {
        if let Some(c) = self.activity_cutoff_legacy {
            return u64::from(c);
        }
        (u64::from(self.activity_cutoff_factor_milli) * u64::from(self.tempo) / 1000).max(1)
    }

    /// `kappa / 65535` (the consensus majority).
    pub fn kappa_fixed(&self) -> I32F32 {
        I32F32::from_bits(i64::from(self.kappa) << 32).safe_div(U16_MAX_FIXED)
    }

    /// `bonds_penalty / 65535`.
    pub fn bonds_penalty_fixed(&self) -> I32F32 {
        I32F32::from_bits(i64::from(self.bonds_penalty) << 32).safe_div(U16_MAX_FIXED)
    }

    /// The fixed EMA alpha `1 − I32F32(I64F64(bma)/1e6)` (the I64F64 ratio truncated first;
    /// bma = 900 000 gives exactly `I32F32::from_num(0.1)`). Negative for bma > 1e6.
    pub fn ema_alpha(&self) -> I32F32 {
        let ratio = I64F64::saturating_from_num(self.bonds_moving_average)
            .safe_div(I64F64::from_bits(1_000_000i128 << 64));
        ONE.saturating_sub(I32F32::saturating_from_num(ratio))
    }

    /// `(alpha_low, alpha_high) / 65535`.
    pub fn alpha_bounds(&self) -> (I32F32, I32F32) {
        let f = |v: u16| I32F32::from_bits(i64::from(v) << 32).safe_div(U16_MAX_FIXED);
        (f(self.alpha_low), f(self.alpha_high))
    }

    /// `alpha_sigmoid_steepness` as I32F32.
    pub fn steepness_fixed(&self) -> I32F32 {
        I32F32::from_bits(i64::from(self.alpha_sigmoid_steepness) << 32)
    }

    /// `U96F32(TaoWeight) / U96F32(u64::MAX)`, widened exactly to I64F64.
    pub fn tao_weight_fixed(&self) -> I64F64 {
        let w = U96F32::saturating_from_num(self.tao_weight)
            .safe_div(U96F32::saturating_from_num(u64::MAX));
        I64F64::saturating_from_num(w)
    }
}

/// Who changes a hyperparameter: the subnet owner (bounded) or root (mostly unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The subnet owner's coldkey.
    Owner,
    /// Root / sudo.
    Root,
}

/// Bounds of the runtime (`runtime/src/lib.rs` @ 14bc6f9f).
pub mod bounds {
    /// Smallest tempo an owner may set.
    pub const MIN_TEMPO: u16 = 360;
    /// Largest tempo an owner may set.
    pub const MAX_TEMPO: u16 = 50_400;
    /// Activity cutoff factor bounds (per-mille of tempo).
    pub const MIN_ACTIVITY_CUTOFF_FACTOR_MILLI: u32 = 1_000;
    /// Upper activity cutoff factor bound.
    pub const MAX_ACTIVITY_CUTOFF_FACTOR_MILLI: u32 = 50_000;
    /// Largest bonds moving average an owner may set.
    pub const MAX_OWNER_BONDS_MOVING_AVERAGE: u64 = 975_000;
    /// Smallest liquid-alpha bound: 65535 / 40.
    pub const MIN_ALPHA: u16 = 1_638;
    /// `MaxMechanismCount` default.
    pub const MAX_MECHANISM_COUNT: u8 = 2;
    /// Hard cap of mechanisms per subnet (4096 · 16 = 2^16 storage indices).
    pub const MAX_MECHANISM_COUNT_PER_SUBNET: u8 = 16;
}

fn invalid(field: &str, chain_error: &str, detail: String) -> Error {
    Error::field(
        ErrorCode::InvalidHyperparameter,
        field,
        format!("{chain_error}: {detail}"),
    )
}

/// The chain error name carried by a validation [`Error`] (the text before the first `:`).
pub fn chain_error_name(e: &Error) -> &str {
    e.message.split(':').next().unwrap_or("")
}

/// `do_set_alpha_values`: liquid alpha must be on, `alpha_high ≥ 1638`,
/// `1638 ≤ alpha_low ≤ alpha_high`. Errors carry the chain's names (`LiquidAlphaDisabled`,
/// `AlphaHighTooLow`, `AlphaLowOutOfRange`).
pub fn validate_alpha_values(
    liquid_alpha_enabled: bool,
    alpha_low: u16,
    alpha_high: u16,
) -> Result<()> {
    if !liquid_alpha_enabled {
        return Err(invalid(
            "alpha_values",
            "LiquidAlphaDisabled",
            "liquid alpha is not enabled on this subnet".into(),
        ));
    }
    if alpha_high < bounds::MIN_ALPHA {
        return Err(invalid(
            "alpha_high",
            "AlphaHighTooLow",
            format!("{alpha_high} < {}", bounds::MIN_ALPHA),
        ));
    }
    if alpha_low < bounds::MIN_ALPHA || alpha_low > alpha_high {
        return Err(invalid(
            "alpha_low",
            "AlphaLowOutOfRange",
            format!("{alpha_low} not in [{}, {alpha_high}]", bounds::MIN_ALPHA),
        ));
    }
    Ok(())
}

/// Owner `set_tempo` bounds (root may set any u16).
pub fn validate_tempo(origin: Origin, tempo: u16) -> Result<()> {
    if origin == Origin::Owner && !(bounds::MIN_TEMPO..=bounds::MAX_TEMPO).contains(&tempo) {
        return Err(invalid(
            "tempo",
            "TempoOutOfBounds",
            format!(
                "{tempo} not in [{}, {}]",
                bounds::MIN_TEMPO,
                bounds::MAX_TEMPO
            ),
        ));
    }
    Ok(())
}

/// `sudo_set_activity_cutoff_factor` bounds (owner and root alike).
pub fn validate_activity_cutoff_factor(factor_milli: u32) -> Result<()> {
    let (lo, hi) = (
        bounds::MIN_ACTIVITY_CUTOFF_FACTOR_MILLI,
        bounds::MAX_ACTIVITY_CUTOFF_FACTOR_MILLI,
    );
    if !(lo..=hi).contains(&factor_milli) {
        return Err(invalid(
            "activity_cutoff_factor_milli",
            "ActivityCutoffFactorMilliOutOfBounds",
            format!("{factor_milli} not in [{lo}, {hi}]"),
        ));
    }
    Ok(())
}

/// `sudo_set_bonds_moving_average`: owners are capped at 975 000.
pub fn validate_bonds_moving_average(origin: Origin, bma: u64) -> Result<()> {
    if origin == Origin::Owner && bma > bounds::MAX_OWNER_BONDS_MOVING_AVERAGE {
        return Err(invalid(
            "bonds_moving_average",
            "BondsMovingAverageMaxReached",
            format!("{bma} > {}", bounds::MAX_OWNER_BONDS_MOVING_AVERAGE),
        ));
    }
    Ok(())
}

/// `sudo_set_alpha_sigmoid_steepness`: owners may not set a negative steepness.
pub fn validate_alpha_sigmoid_steepness(origin: Origin, steepness: i16) -> Result<()> {
    if origin == Origin::Owner && steepness < 0 {
        return Err(invalid(
            "alpha_sigmoid_steepness",
            "NegativeSigmoidSteepness",
            format!("{steepness} < 0"),
        ));
    }
    Ok(())
}

/// `sudo_set_max_allowed_validators` (root only): at most `max_allowed_uids`.
pub fn validate_max_allowed_validators(
    max_allowed_validators: u16,
    max_allowed_uids: u16,
) -> Result<()> {
    if max_allowed_validators > max_allowed_uids {
        return Err(invalid(
            "max_allowed_validators",
            "MaxValidatorsLargerThanMaxUIds",
            format!("{max_allowed_validators} > max_allowed_uids {max_allowed_uids}"),
        ));
    }
    Ok(())
}

/// `do_set_mechanism_count`: `1 ≤ count ≤ min(MaxMechanismCount, 16)` and
/// `max_allowed_uids · count ≤ 256`.
pub fn validate_mechanism_count(
    count: u8,
    max_mechanism_count: u8,
    max_allowed_uids: u16,
) -> Result<()> {
    let cap = max_mechanism_count.min(bounds::MAX_MECHANISM_COUNT_PER_SUBNET);
    if count == 0 || count > cap {
        return Err(invalid(
            "mechanism_count",
            "InvalidValue",
            format!("{count} not in [1, {cap}]"),
        ));
    }
    if u32::from(max_allowed_uids) * u32::from(count) > 256 {
        return Err(invalid(
            "mechanism_count",
            "InvalidValue",
            format!("max_allowed_uids {max_allowed_uids} × {count} mechanisms > 256"),
        ));
    }
    Ok(())
}

/// `do_set_emission_split`: non-empty, no longer than the mechanism count, parts sum to 65535.
pub fn validate_emission_split(split: &[u16], mechanism_count: u8) -> Result<()> {
    if split.is_empty() || split.len() > usize::from(mechanism_count) {
        return Err(invalid(
            "mechanism_emission_split",
            "InvalidValue",
            format!("{} parts for {mechanism_count} mechanisms", split.len()),
        ));
    }
    let total: u64 = split.iter().map(|&s| u64::from(s)).sum();
    if total != u64::from(u16::MAX) {
        return Err(invalid(
            "mechanism_emission_split",
            "InvalidValue",
            format!("parts sum to {total}, not 65535"),
        ));
    }
    Ok(())
}

impl Hyperparameters {
    /// Check every value an owner could have set against the chain's bounds, as if the owner had
    /// set them one by one (root-only values are checked for internal consistency only).
    pub fn validate(&self, origin: Origin) -> Result<()> {
        validate_tempo(origin, self.tempo)?;
        validate_activity_cutoff_factor(self.activity_cutoff_factor_milli)?;
        validate_bonds_moving_average(origin, self.bonds_moving_average)?;
        validate_alpha_sigmoid_steepness(origin, self.alpha_sigmoid_steepness)?;
        if self.liquid_alpha_enabled {
            validate_alpha_values(true, self.alpha_low, self.alpha_high)?;
        }
        if self.mechanism_count == 0
            || self.mechanism_count > bounds::MAX_MECHANISM_COUNT_PER_SUBNET
        {
            return Err(invalid(
                "mechanism_count",
                "InvalidValue",
                format!("{} not in [1, 16]", self.mechanism_count),
            ));
        }
        if let Some(split) = &self.mechanism_emission_split {
            validate_emission_split(split, self.mechanism_count)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_values() {
        let hp = Hyperparameters::default();
        assert_eq!(hp.ema_alpha().to_bits(), 429_496_730);
        assert_eq!(hp.activity_cutoff_blocks(), 5_000);
        assert_eq!(
            Hyperparameters {
                tempo: 0,
                ..hp.clone()
            }
            .activity_cutoff_blocks(),
            1
        );
        assert_eq!(
            Hyperparameters { tempo: 10, ..hp }.activity_cutoff_blocks(),
            138
        );
    }

    #[test]
    fn alpha_validation_names_the_chain_error() {
        let e = validate_alpha_values(true, 0, 65525).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidHyperparameter);
        assert_eq!(chain_error_name(&e), "AlphaLowOutOfRange");
        assert!(validate_alpha_values(true, 1638, 65525).is_ok());
        assert_eq!(
            chain_error_name(&validate_alpha_values(false, 1638, 65525).unwrap_err()),
            "LiquidAlphaDisabled"
        );
        assert_eq!(
            chain_error_name(&validate_alpha_values(true, 1638, 1000).unwrap_err()),
            "AlphaHighTooLow"
        );
    }
}
