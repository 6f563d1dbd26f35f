//! `Metagraph` (`get_metagraph`, `get_mechagraph`), `SelectiveMetagraph` and `SubnetState`
//! (spec `chain-data.md` section 3; subtensor `pallets/subtensor/src/rpc_info/metagraph.rs`,
//! `show_subnet.rs`). Note the encoding order: `identities` precedes `axons`.

use crate::chain::scale::{CompactBytes, CompactText};
use crate::chain::types::{AccountId32, AxonInfo, ChainIdentityV2, SubnetIdentityV3, I96F32};
use parity_scale_codec::Compact;

/// `Vec<(AccountId32, Compact<u64>)>`.
type HotkeyAmounts = Vec<(AccountId32, Compact<u64>)>;

scale_struct! {
    columnar
    /// The whole metagraph of one subnet (or one mechanism of it).
    pub struct Metagraph {
        /// Subnet (for `get_mechagraph`: the storage index `netuid + 4096 * mecid`).
        pub netuid: u16 as Compact<u16>,
        /// Name (UTF-8).
        pub name: Vec<u8> as CompactText,
        /// Token symbol (UTF-8).
        pub symbol: Vec<u8> as CompactText,
        /// Subnet identity.
        pub identity: Option<SubnetIdentityV3> as Option<SubnetIdentityV3>,
        /// Registration block.
        pub network_registered_at: u64 as Compact<u64>,
        /// Owner hotkey.
        pub owner_hotkey: AccountId32 as AccountId32,
        /// Owner coldkey.
        pub owner_coldkey: AccountId32 as AccountId32,
        /// Block of the call.
        pub block: u64 as Compact<u64>,
        /// Tempo.
        pub tempo: u16 as Compact<u16>,
        /// Block of the last epoch.
        pub last_step: u64 as Compact<u64>,
        /// Blocks since the last epoch.
        pub blocks_since_last_step: u64 as Compact<u64>,
        /// Always 0.
        pub subnet_emission: u64 as Compact<u64>,
        /// Alpha reserve.
        pub alpha_in: u64 as Compact<u64>,
        /// Alpha outstanding.
        pub alpha_out: u64 as Compact<u64>,
        /// TAO reserve.
        pub tao_in: u64 as Compact<u64>,
        /// Alpha-out emission per block.
        pub alpha_out_emission: u64 as Compact<u64>,
        /// Alpha-in emission per block.
        pub alpha_in_emission: u64 as Compact<u64>,
        /// TAO-in emission per block.
        pub tao_in_emission: u64 as Compact<u64>,
        /// Pending alpha emission.
        pub pending_alpha_emission: u64 as Compact<u64>,
        /// Pending root emission (0).
        pub pending_root_emission: u64 as Compact<u64>,
        /// Volume.
        pub subnet_volume: u128 as Compact<u128>,
        /// Moving price.
        pub moving_price: I96F32 as I96F32,
        /// Rho.
        pub rho: u16 as Compact<u16>,
        /// Kappa.
        pub kappa: u16 as Compact<u16>,
        /// Minimum weights.
        pub min_allowed_weights: u16 as Compact<u16>,
        /// Maximum weight.
        pub max_weights_limit: u16 as Compact<u16>,
        /// Weights version key.
        pub weights_version: u64 as Compact<u64>,
        /// Weights rate limit.
        pub weights_rate_limit: u64 as Compact<u64>,
        /// Effective activity cutoff (`Compact<u16>` before dynamic tempo: same bytes).
        pub activity_cutoff: u64 as Compact<u64>,
        /// Validator slots.
        pub max_validators: u16 as Compact<u16>,
        /// Registered UIDs.
        pub num_uids: u16 as Compact<u16>,
        /// UID slots.
        pub max_uids: u16 as Compact<u16>,
        /// Burn.
        pub burn: u64 as Compact<u64>,
        /// Difficulty.
        pub difficulty: u64 as Compact<u64>,
        /// Registration allowed.
        pub registration_allowed: bool as bool,
        /// POW registration allowed.
        pub pow_registration_allowed: bool as bool,
        /// Immunity period.
        pub immunity_period: u16 as Compact<u16>,
        /// Minimum difficulty.
        pub min_difficulty: u64 as Compact<u64>,
        /// Maximum difficulty.
        pub max_difficulty: u64 as Compact<u64>,
        /// Minimum burn.
        pub min_burn: u64 as Compact<u64>,
        /// Maximum burn.
        pub max_burn: u64 as Compact<u64>,
        /// Adjustment alpha.
        pub adjustment_alpha: u64 as Compact<u64>,
        /// Adjustment interval.
        pub adjustment_interval: u16 as Compact<u16>,
        /// Target registrations per interval.
        pub target_regs_per_interval: u16 as Compact<u16>,
        /// Registrations per block.
        pub max_regs_per_block: u16 as Compact<u16>,
        /// Serving rate limit.
        pub serving_rate_limit: u64 as Compact<u64>,
        /// Commit-reveal enabled.
        pub commit_reveal_weights_enabled: bool as bool,
        /// Commit-reveal period.
        pub commit_reveal_period: u64 as Compact<u64>,
        /// Liquid alpha enabled.
        pub liquid_alpha_enabled: bool as bool,
        /// Liquid alpha high.
        pub alpha_high: u16 as Compact<u16>,
        /// Liquid alpha low.
        pub alpha_low: u16 as Compact<u16>,
        /// Bonds moving average.
        pub bonds_moving_avg: u64 as Compact<u64>,
        /// Hotkey per UID.
        pub hotkeys: Vec<AccountId32> as Vec<AccountId32>,
        /// Coldkey per UID.
        pub coldkeys: Vec<AccountId32> as Vec<AccountId32>,
        /// Coldkey identity per UID.
        pub identities: Vec<Option<ChainIdentityV2>> as Vec<Option<ChainIdentityV2>>,
        /// Axon per UID.
        pub axons: Vec<AxonInfo> as Vec<AxonInfo>,
        /// Active per UID.
        pub active: Vec<bool> as Vec<bool>,
        /// Validator permit per UID.
        pub validator_permit: Vec<bool> as Vec<bool>,
        /// Pruning score per UID (empty since ~spec 401).
        pub pruning_score: Vec<u16> as Vec<Compact<u16>>,
        /// Last update per UID.
        pub last_update: Vec<u64> as Vec<Compact<u64>>,
        /// Emission per UID.
        pub emission: Vec<u64> as Vec<Compact<u64>>,
        /// Dividends per UID.
        pub dividends: Vec<u16> as Vec<Compact<u16>>,
        /// Incentive per UID.
        pub incentives: Vec<u16> as Vec<Compact<u16>>,
        /// Consensus per UID.
        pub consensus: Vec<u16> as Vec<Compact<u16>>,
        /// Trust per UID (empty since ~spec 401).
        pub trust: Vec<u16> as Vec<Compact<u16>>,
        /// Rank per UID (empty since ~spec 401).
        pub rank: Vec<u16> as Vec<Compact<u16>>,
        /// Registration block per UID.
        pub block_at_registration: Vec<u64> as Vec<Compact<u64>>,
        /// Alpha stake per UID (after parent/child inheritance, truncated).
        pub alpha_stake: Vec<u64> as Vec<Compact<u64>>,
        /// TAO stake per UID.
        pub tao_stake: Vec<u64> as Vec<Compact<u64>>,
        /// Total stake per UID.
        pub total_stake: Vec<u64> as Vec<Compact<u64>>,
        /// TAO dividends per hotkey (amounts 0).
        pub tao_dividends_per_hotkey: Vec<(AccountId32, u64)> as HotkeyAmounts,
        /// Alpha dividends per hotkey.
        pub alpha_dividends_per_hotkey: Vec<(AccountId32, u64)> as HotkeyAmounts,
    }
}

scale_struct! {
    /// `get_selective_metagraph` / `get_selective_mechagraph`: `netuid` then every metagraph field
    /// as an `Option` (requested fields are `Some`), then `validators` and `commitments`.
    pub struct SelectiveMetagraph {
        /// Subnet (stays 0 for `get_selective_metagraph` unless index 0 is requested).
        pub netuid: u16 as Compact<u16>,
        /// 1.
        pub name: Option<Vec<u8>> as Option<CompactText>,
        /// 2.
        pub symbol: Option<Vec<u8>> as Option<CompactText>,
        /// 3.
        pub identity: Option<Option<SubnetIdentityV3>> as Option<Option<SubnetIdentityV3>>,
        /// 4.
        pub network_registered_at: Option<u64> as Option<Compact<u64>>,
        /// 5.
        pub owner_hotkey: Option<AccountId32> as Option<AccountId32>,
        /// 6.
        pub owner_coldkey: Option<AccountId32> as Option<AccountId32>,
        /// 7.
        pub block: Option<u64> as Option<Compact<u64>>,
        /// 8.
        pub tempo: Option<u16> as Option<Compact<u16>>,
        /// 9.
        pub last_step: Option<u64> as Option<Compact<u64>>,
        /// 10.
        pub blocks_since_last_step: Option<u64> as Option<Compact<u64>>,
        /// 11.
        pub subnet_emission: Option<u64> as Option<Compact<u64>>,
        /// 12.
        pub alpha_in: Option<u64> as Option<Compact<u64>>,
        /// 13.
        pub alpha_out: Option<u64> as Option<Compact<u64>>,
        /// 14.
        pub tao_in: Option<u64> as Option<Compact<u64>>,
        /// 15.
        pub alpha_out_emission: Option<u64> as Option<Compact<u64>>,
        /// 16.
        pub alpha_in_emission: Option<u64> as Option<Compact<u64>>,
        /// 17.
        pub tao_in_emission: Option<u64> as Option<Compact<u64>>,
        /// 18.
        pub pending_alpha_emission: Option<u64> as Option<Compact<u64>>,
        /// 19.
        pub pending_root_emission: Option<u64> as Option<Compact<u64>>,
        /// 20.
        pub subnet_volume: Option<u128> as Option<Compact<u128>>,
        /// 21.
        pub moving_price: Option<I96F32> as Option<I96F32>,
        /// 22.
        pub rho: Option<u16> as Option<Compact<u16>>,
        /// 23.
        pub kappa: Option<u16> as Option<Compact<u16>>,
        /// 24.
        pub min_allowed_weights: Option<u16> as Option<Compact<u16>>,
        /// 25.
        pub max_weights_limit: Option<u16> as Option<Compact<u16>>,
        /// 26.
        pub weights_version: Option<u64> as Option<Compact<u64>>,
        /// 27.
        pub weights_rate_limit: Option<u64> as Option<Compact<u64>>,
        /// 28.
        pub activity_cutoff: Option<u64> as Option<Compact<u64>>,
        /// 29.
        pub max_validators: Option<u16> as Option<Compact<u16>>,
        /// 30.
        pub num_uids: Option<u16> as Option<Compact<u16>>,
        /// 31.
        pub max_uids: Option<u16> as Option<Compact<u16>>,
        /// 32.
        pub burn: Option<u64> as Option<Compact<u64>>,
        /// 33.
        pub difficulty: Option<u64> as Option<Compact<u64>>,
        /// 34.
        pub registration_allowed: Option<bool> as Option<bool>,
        /// 35.
        pub pow_registration_allowed: Option<bool> as Option<bool>,
        /// 36.
        pub immunity_period: Option<u16> as Option<Compact<u16>>,
        /// 37.
        pub min_difficulty: Option<u64> as Option<Compact<u64>>,
        /// 38.
        pub max_difficulty: Option<u64> as Option<Compact<u64>>,
        /// 39.
        pub min_burn: Option<u64> as Option<Compact<u64>>,
        /// 40.
        pub max_burn: Option<u64> as Option<Compact<u64>>,
        /// 41.
        pub adjustment_alpha: Option<u64> as Option<Compact<u64>>,
        /// 42.
        pub adjustment_interval: Option<u16> as Option<Compact<u16>>,
        /// 43.
        pub target_regs_per_interval: Option<u16> as Option<Compact<u16>>,
        /// 44.
        pub max_regs_per_block: Option<u16> as Option<Compact<u16>>,
        /// 45.
        pub serving_rate_limit: Option<u64> as Option<Compact<u64>>,
        /// 46.
        pub commit_reveal_weights_enabled: Option<bool> as Option<bool>,
        /// 47.
        pub commit_reveal_period: Option<u64> as Option<Compact<u64>>,
        /// 48.
        pub liquid_alpha_enabled: Option<bool> as Option<bool>,
        /// 49.
        pub alpha_high: Option<u16> as Option<Compact<u16>>,
        /// 50.
        pub alpha_low: Option<u16> as Option<Compact<u16>>,
        /// 51.
        pub bonds_moving_avg: Option<u64> as Option<Compact<u64>>,
        /// 52.
        pub hotkeys: Option<Vec<AccountId32>> as Option<Vec<AccountId32>>,
        /// 53.
        pub coldkeys: Option<Vec<AccountId32>> as Option<Vec<AccountId32>>,
        /// 54.
        pub identities: Option<Vec<Option<ChainIdentityV2>>> as Option<Vec<Option<ChainIdentityV2>>>,
        /// 55.
        pub axons: Option<Vec<AxonInfo>> as Option<Vec<AxonInfo>>,
        /// 56.
        pub active: Option<Vec<bool>> as Option<Vec<bool>>,
        /// 57.
        pub validator_permit: Option<Vec<bool>> as Option<Vec<bool>>,
        /// 58.
        pub pruning_score: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 59.
        pub last_update: Option<Vec<u64>> as Option<Vec<Compact<u64>>>,
        /// 60.
        pub emission: Option<Vec<u64>> as Option<Vec<Compact<u64>>>,
        /// 61.
        pub dividends: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 62.
        pub incentives: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 63.
        pub consensus: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 64.
        pub trust: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 65.
        pub rank: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 66.
        pub block_at_registration: Option<Vec<u64>> as Option<Vec<Compact<u64>>>,
        /// 67.
        pub alpha_stake: Option<Vec<u64>> as Option<Vec<Compact<u64>>>,
        /// 68.
        pub tao_stake: Option<Vec<u64>> as Option<Vec<Compact<u64>>>,
        /// 69.
        pub total_stake: Option<Vec<u64>> as Option<Vec<Compact<u64>>>,
        /// 70.
        pub tao_dividends_per_hotkey: Option<Vec<(AccountId32, u64)>> as Option<HotkeyAmounts>,
        /// 71.
        pub alpha_dividends_per_hotkey: Option<Vec<(AccountId32, u64)>> as Option<HotkeyAmounts>,
        /// 72: permitted UIDs above the stake threshold, by ascending stake.
        pub validators: Option<Vec<u16>> as Option<Vec<Compact<u16>>>,
        /// 73: commitments (bytes stay hex when rendered).
        pub commitments: Option<Vec<(AccountId32, Vec<u8>)>> as Option<Vec<(AccountId32, CompactBytes)>>,
    }
}

/// Field names of [`SelectiveMetagraph`] by request index (0..=73); unknown indexes are ignored
/// by the chain.
pub const SELECTIVE_METAGRAPH_FIELDS: [&str; 74] = [
    "netuid",
    "name",
    "symbol",
    "identity",
    "network_registered_at",
    "owner_hotkey",
    "owner_coldkey",
    "block",
    "tempo",
    "last_step",
    "blocks_since_last_step",
    "subnet_emission",
    "alpha_in",
    "alpha_out",
    "tao_in",
    "alpha_out_emission",
    "alpha_in_emission",
    "tao_in_emission",
    "pending_alpha_emission",
    "pending_root_emission",
    "subnet_volume",
    "moving_price",
    "rho",
    "kappa",
    "min_allowed_weights",
    "max_weights_limit",
    "weights_version",
    "weights_rate_limit",
    "activity_cutoff",
    "max_validators",
    "num_uids",
    "max_uids",
    "burn",
    "difficulty",
    "registration_allowed",
    "pow_registration_allowed",
    "immunity_period",
    "min_difficulty",
    "max_difficulty",
    "min_burn",
    "max_burn",
    "adjustment_alpha",
    "adjustment_interval",
    "target_regs_per_interval",
    "max_regs_per_block",
    "serving_rate_limit",
    "commit_reveal_weights_enabled",
    "commit_reveal_period",
    "liquid_alpha_enabled",
    "alpha_high",
    "alpha_low",
    "bonds_moving_avg",
    "hotkeys",
    "coldkeys",
    "identities",
    "axons",
    "active",
    "validator_permit",
    "pruning_score",
    "last_update",
    "emission",
    "dividends",
    "incentives",
    "consensus",
    "trust",
    "rank",
    "block_at_registration",
    "alpha_stake",
    "tao_stake",
    "total_stake",
    "tao_dividends_per_hotkey",
    "alpha_dividends_per_hotkey",
    "validators",
    "commitments",
];

scale_struct! {
    /// `get_subnet_state`: the per-UID vectors of one subnet plus the emission history.
    pub struct SubnetState {
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Hotkey per UID.
        pub hotkeys: Vec<AccountId32> as Vec<AccountId32>,
        /// Coldkey per UID.
        pub coldkeys: Vec<AccountId32> as Vec<AccountId32>,
        /// Active per UID.
        pub active: Vec<bool> as Vec<bool>,
        /// Validator permit per UID.
        pub validator_permit: Vec<bool> as Vec<bool>,
        /// Pruning score per UID.
        pub pruning_score: Vec<u16> as Vec<Compact<u16>>,
        /// Last update per UID.
        pub last_update: Vec<u64> as Vec<Compact<u64>>,
        /// Emission per UID.
        pub emission: Vec<u64> as Vec<Compact<u64>>,
        /// Dividends per UID.
        pub dividends: Vec<u16> as Vec<Compact<u16>>,
        /// Incentive per UID.
        pub incentives: Vec<u16> as Vec<Compact<u16>>,
        /// Consensus per UID.
        pub consensus: Vec<u16> as Vec<Compact<u16>>,
        /// Trust per UID.
        pub trust: Vec<u16> as Vec<Compact<u16>>,
        /// Rank per UID.
        pub rank: Vec<u16> as Vec<Compact<u16>>,
        /// Registration block per UID.
        pub block_at_registration: Vec<u64> as Vec<Compact<u64>>,
        /// Alpha stake per UID.
        pub alpha_stake: Vec<u64> as Vec<Compact<u64>>,
        /// TAO stake per UID.
        pub tao_stake: Vec<u64> as Vec<Compact<u64>>,
        /// Total stake per UID.
        pub total_stake: Vec<u64> as Vec<Compact<u64>>,
        /// Outer: every subnet; inner: this subnet's hotkeys (`LastHotkeyEmissionOnNetuid`).
        pub emission_history: Vec<Vec<u64>> as Vec<Vec<Compact<u64>>>,
    }
}
