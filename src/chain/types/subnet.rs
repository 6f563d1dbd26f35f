//! Subnet runtime-API types: identities, `SubnetInfo` (v1/v2), `SubnetHyperparams` (v1/v2) and the
//! v3 name/value list (spec `chain-data.md` section 3; subtensor
//! `pallets/subtensor/src/rpc_info/subnet_info.rs`).

use crate::chain::scale::{Codec, Reader, Text};
use crate::chain::types::{AccountId32, I32F32, U64F64};
use crate::error::{Error, ErrorCode, Result};
use parity_scale_codec::Compact;

#[cfg(feature = "render")]
use crate::chain::render::RenderOpts;
#[cfg(feature = "render")]
use serde_json::Value;

scale_struct! {
    columnar
    /// `SubnetIdentityV3`: eight UTF-8 byte strings.
    pub struct SubnetIdentityV3 {
        /// Name.
        pub subnet_name: Vec<u8> as Text,
        /// Repository URL.
        pub github_repo: Vec<u8> as Text,
        /// Contact.
        pub subnet_contact: Vec<u8> as Text,
        /// Website.
        pub subnet_url: Vec<u8> as Text,
        /// Discord handle.
        pub discord: Vec<u8> as Text,
        /// Description.
        pub description: Vec<u8> as Text,
        /// Logo URL.
        pub logo_url: Vec<u8> as Text,
        /// Anything else.
        pub additional: Vec<u8> as Text,
    }
}

scale_struct! {
    columnar
    /// `ChainIdentityV2` (coldkey identities in the metagraph): seven UTF-8 byte strings.
    pub struct ChainIdentityV2 {
        /// Name.
        pub name: Vec<u8> as Text,
        /// URL.
        pub url: Vec<u8> as Text,
        /// Repository.
        pub github_repo: Vec<u8> as Text,
        /// Image URL.
        pub image: Vec<u8> as Text,
        /// Discord handle.
        pub discord: Vec<u8> as Text,
        /// Description.
        pub description: Vec<u8> as Text,
        /// Anything else.
        pub additional: Vec<u8> as Text,
    }
}

scale_struct! {
    /// `SubnetInfo` (`get_subnet_info`, `get_subnets_info`).
    pub struct SubnetInfo {
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Rho.
        pub rho: u16 as Compact<u16>,
        /// Kappa (fraction of 65535).
        pub kappa: u16 as Compact<u16>,
        /// POW difficulty.
        pub difficulty: u64 as Compact<u64>,
        /// Immunity period (blocks).
        pub immunity_period: u16 as Compact<u16>,
        /// Validator slots.
        pub max_allowed_validators: u16 as Compact<u16>,
        /// Minimum weights per validator.
        pub min_allowed_weights: u16 as Compact<u16>,
        /// Maximum weight (fraction of 65535).
        pub max_weights_limit: u16 as Compact<u16>,
        /// Unused (50).
        pub scaling_law_power: u16 as Compact<u16>,
        /// Registered UIDs.
        pub subnetwork_n: u16 as Compact<u16>,
        /// UID slots.
        pub max_allowed_uids: u16 as Compact<u16>,
        /// Blocks since the last epoch.
        pub blocks_since_last_step: u64 as Compact<u64>,
        /// Tempo.
        pub tempo: u16 as Compact<u16>,
        /// Unused.
        pub network_modality: u16 as Compact<u16>,
        /// Always empty.
        pub network_connect: Vec<[u16; 2]> as Vec<[u16; 2]>,
        /// Emission value (the SDK calls it `emission_value`).
        pub emission_values: u64 as Compact<u64>,
        /// Registration burn (rao).
        pub burn: u64 as Compact<u64>,
        /// Owner coldkey.
        pub owner: AccountId32 as AccountId32,
    }
}

scale_struct! {
    /// `SubnetInfov2` (`get_subnet_info_v2`, `get_subnets_info_v2`): v1 plus the identity.
    pub struct SubnetInfov2 {
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Rho.
        pub rho: u16 as Compact<u16>,
        /// Kappa.
        pub kappa: u16 as Compact<u16>,
        /// POW difficulty.
        pub difficulty: u64 as Compact<u64>,
        /// Immunity period.
        pub immunity_period: u16 as Compact<u16>,
        /// Validator slots.
        pub max_allowed_validators: u16 as Compact<u16>,
        /// Minimum weights per validator.
        pub min_allowed_weights: u16 as Compact<u16>,
        /// Maximum weight.
        pub max_weights_limit: u16 as Compact<u16>,
        /// Unused.
        pub scaling_law_power: u16 as Compact<u16>,
        /// Registered UIDs.
        pub subnetwork_n: u16 as Compact<u16>,
        /// UID slots.
        pub max_allowed_uids: u16 as Compact<u16>,
        /// Blocks since the last epoch.
        pub blocks_since_last_step: u64 as Compact<u64>,
        /// Tempo.
        pub tempo: u16 as Compact<u16>,
        /// Unused.
        pub network_modality: u16 as Compact<u16>,
        /// Always empty.
        pub network_connect: Vec<[u16; 2]> as Vec<[u16; 2]>,
        /// Emission value.
        pub emission_value: u64 as Compact<u64>,
        /// Registration burn (rao).
        pub burn: u64 as Compact<u64>,
        /// Owner coldkey.
        pub owner: AccountId32 as AccountId32,
        /// Identity.
        pub identity: Option<SubnetIdentityV3> as Option<SubnetIdentityV3>,
    }
}

scale_struct! {
    /// `SubnetHyperparams` (v1, 27 fields; `get_subnet_hyperparams`, deprecated).
    pub struct SubnetHyperparams {
        /// Rho.
        pub rho: u16 as Compact<u16>,
        /// Kappa.
        pub kappa: u16 as Compact<u16>,
        /// Immunity period.
        pub immunity_period: u16 as Compact<u16>,
        /// Minimum weights.
        pub min_allowed_weights: u16 as Compact<u16>,
        /// Maximum weight.
        pub max_weights_limit: u16 as Compact<u16>,
        /// Tempo.
        pub tempo: u16 as Compact<u16>,
        /// Minimum difficulty.
        pub min_difficulty: u64 as Compact<u64>,
        /// Maximum difficulty.
        pub max_difficulty: u64 as Compact<u64>,
        /// Weights version key.
        pub weights_version: u64 as Compact<u64>,
        /// Weights rate limit.
        pub weights_rate_limit: u64 as Compact<u64>,
        /// Adjustment interval.
        pub adjustment_interval: u16 as Compact<u16>,
        /// Activity cutoff (`Compact<u16>` in older runtimes: same bytes).
        pub activity_cutoff: u64 as Compact<u64>,
        /// Registration allowed.
        pub registration_allowed: bool as bool,
        /// Target registrations per interval.
        pub target_regs_per_interval: u16 as Compact<u16>,
        /// Minimum burn.
        pub min_burn: u64 as Compact<u64>,
        /// Maximum burn.
        pub max_burn: u64 as Compact<u64>,
        /// Bonds moving average (/1e6).
        pub bonds_moving_avg: u64 as Compact<u64>,
        /// Registrations per block.
        pub max_regs_per_block: u16 as Compact<u16>,
        /// Serving rate limit.
        pub serving_rate_limit: u64 as Compact<u64>,
        /// Validator slots.
        pub max_validators: u16 as Compact<u16>,
        /// Adjustment alpha.
        pub adjustment_alpha: u64 as Compact<u64>,
        /// Difficulty.
        pub difficulty: u64 as Compact<u64>,
        /// Commit-reveal period.
        pub commit_reveal_period: u64 as Compact<u64>,
        /// Commit-reveal enabled.
        pub commit_reveal_weights_enabled: bool as bool,
        /// Liquid alpha high.
        pub alpha_high: u16 as Compact<u16>,
        /// Liquid alpha low.
        pub alpha_low: u16 as Compact<u16>,
        /// Liquid alpha enabled.
        pub liquid_alpha_enabled: bool as bool,
    }
}

scale_struct! {
    /// `SubnetHyperparamsV2` (`get_subnet_hyperparams_v2`, deprecated): v1 plus six fields.
    pub struct SubnetHyperparamsV2 {
        /// Rho.
        pub rho: u16 as Compact<u16>,
        /// Kappa.
        pub kappa: u16 as Compact<u16>,
        /// Immunity period.
        pub immunity_period: u16 as Compact<u16>,
        /// Minimum weights.
        pub min_allowed_weights: u16 as Compact<u16>,
        /// Maximum weight.
        pub max_weights_limit: u16 as Compact<u16>,
        /// Tempo.
        pub tempo: u16 as Compact<u16>,
        /// Minimum difficulty.
        pub min_difficulty: u64 as Compact<u64>,
        /// Maximum difficulty.
        pub max_difficulty: u64 as Compact<u64>,
        /// Weights version key.
        pub weights_version: u64 as Compact<u64>,
        /// Weights rate limit.
        pub weights_rate_limit: u64 as Compact<u64>,
        /// Adjustment interval.
        pub adjustment_interval: u16 as Compact<u16>,
        /// Activity cutoff.
        pub activity_cutoff: u64 as Compact<u64>,
        /// Registration allowed.
        pub registration_allowed: bool as bool,
        /// Target registrations per interval.
        pub target_regs_per_interval: u16 as Compact<u16>,
        /// Minimum burn.
        pub min_burn: u64 as Compact<u64>,
        /// Maximum burn.
        pub max_burn: u64 as Compact<u64>,
        /// Bonds moving average.
        pub bonds_moving_avg: u64 as Compact<u64>,
        /// Registrations per block.
        pub max_regs_per_block: u16 as Compact<u16>,
        /// Serving rate limit.
        pub serving_rate_limit: u64 as Compact<u64>,
        /// Validator slots.
        pub max_validators: u16 as Compact<u16>,
        /// Adjustment alpha.
        pub adjustment_alpha: u64 as Compact<u64>,
        /// Difficulty.
        pub difficulty: u64 as Compact<u64>,
        /// Commit-reveal period.
        pub commit_reveal_period: u64 as Compact<u64>,
        /// Commit-reveal enabled.
        pub commit_reveal_weights_enabled: bool as bool,
        /// Liquid alpha high.
        pub alpha_high: u16 as Compact<u16>,
        /// Liquid alpha low.
        pub alpha_low: u16 as Compact<u16>,
        /// Liquid alpha enabled.
        pub liquid_alpha_enabled: bool as bool,
        /// Liquid-alpha sigmoid steepness.
        pub alpha_sigmoid_steepness: I32F32 as I32F32,
        /// 2 or 3.
        pub yuma_version: u16 as Compact<u16>,
        /// Subnet started.
        pub subnet_is_active: bool as bool,
        /// Alpha transfers enabled.
        pub transfers_enabled: bool as bool,
        /// Bonds reset enabled.
        pub bonds_reset_enabled: bool as bool,
        /// User liquidity enabled.
        pub user_liquidity_enabled: bool as bool,
    }
}

/// `HyperparamValue` (variant index = first byte).
#[derive(Debug, Clone, PartialEq)]
pub enum HyperparamValue {
    /// 0.
    Bool(bool),
    /// 1: `Compact<u16>`.
    U16(u16),
    /// 2: `Compact<u32>`.
    U32(u32),
    /// 3: `Compact<u64>`.
    U64(u64),
    /// 4: `Compact<u128>`.
    U128(u128),
    /// 5: `Compact<TaoBalance>`.
    TaoBalance(u64),
    /// 6: `I32F32` bits.
    I32F32(I32F32),
    /// 7: `U64F64` bits.
    U64F64(U64F64),
}

impl HyperparamValue {
    /// The variant name (as rendered).
    pub fn kind(&self) -> &'static str {
        match self {
            HyperparamValue::Bool(_) => "Bool",
            HyperparamValue::U16(_) => "U16",
            HyperparamValue::U32(_) => "U32",
            HyperparamValue::U64(_) => "U64",
            HyperparamValue::U128(_) => "U128",
            HyperparamValue::TaoBalance(_) => "TaoBalance",
            HyperparamValue::I32F32(_) => "I32F32",
            HyperparamValue::U64F64(_) => "U64F64",
        }
    }

    /// The value as an unsigned integer, when it is one (bools as 0/1).
    pub fn as_u128(&self) -> Option<u128> {
        match self {
            HyperparamValue::Bool(b) => Some(u128::from(*b)),
            HyperparamValue::U16(v) => Some(u128::from(*v)),
            HyperparamValue::U32(v) => Some(u128::from(*v)),
            HyperparamValue::U64(v) | HyperparamValue::TaoBalance(v) => Some(u128::from(*v)),
            HyperparamValue::U128(v) => Some(*v),
            HyperparamValue::I32F32(_) | HyperparamValue::U64F64(_) => None,
        }
    }
}

impl Codec for HyperparamValue {
    type Value = HyperparamValue;
    const MIN_LEN: usize = 2;
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let at = r.position();
        let v = match r.byte()? {
            0 => HyperparamValue::Bool(bool::decode(r)?),
            1 => HyperparamValue::U16(<Compact<u16>>::decode(r)?),
            2 => HyperparamValue::U32(<Compact<u32>>::decode(r)?),
            3 => HyperparamValue::U64(<Compact<u64>>::decode(r)?),
            4 => HyperparamValue::U128(<Compact<u128>>::decode(r)?),
            5 => HyperparamValue::TaoBalance(<Compact<u64>>::decode(r)?),
            6 => HyperparamValue::I32F32(I32F32::decode(r)?),
            7 => HyperparamValue::U64F64(U64F64::decode(r)?),
            b => {
                return Err(Error::new(
                    ErrorCode::Decode,
                    format!("unknown HyperparamValue variant {b}"),
                )
                .at_offset(at))
            }
        };
        Ok(v)
    }
    fn encode_to(v: &Self, out: &mut Vec<u8>) {
        match v {
            HyperparamValue::Bool(x) => {
                out.push(0);
                bool::encode_to(x, out);
            }
            HyperparamValue::U16(x) => {
                out.push(1);
                <Compact<u16>>::encode_to(x, out);
            }
            HyperparamValue::U32(x) => {
                out.push(2);
                <Compact<u32>>::encode_to(x, out);
            }
            HyperparamValue::U64(x) => {
                out.push(3);
                <Compact<u64>>::encode_to(x, out);
            }
            HyperparamValue::U128(x) => {
                out.push(4);
                <Compact<u128>>::encode_to(x, out);
            }
            HyperparamValue::TaoBalance(x) => {
                out.push(5);
                <Compact<u64>>::encode_to(x, out);
            }
            HyperparamValue::I32F32(x) => {
                out.push(6);
                I32F32::encode_to(x, out);
            }
            HyperparamValue::U64F64(x) => {
                out.push(7);
                U64F64::encode_to(x, out);
            }
        }
    }
    /// Externally tagged, like serde: `{"U16": 360}`.
    #[cfg(feature = "render")]
    fn render(v: &Self, opts: &RenderOpts) -> Value {
        let inner = match v {
            HyperparamValue::Bool(x) => bool::render(x, opts),
            HyperparamValue::U16(x) => u16::render(x, opts),
            HyperparamValue::U32(x) => u32::render(x, opts),
            HyperparamValue::U64(x) | HyperparamValue::TaoBalance(x) => u64::render(x, opts),
            HyperparamValue::U128(x) => u128::render(x, opts),
            HyperparamValue::I32F32(x) => I32F32::render(x, opts),
            HyperparamValue::U64F64(x) => U64F64::render(x, opts),
        };
        let mut m = serde_json::Map::new();
        m.insert(v.kind().to_string(), inner);
        Value::Object(m)
    }
}

scale_struct! {
    /// One entry of `get_subnet_hyperparams_v3` (`Option<Vec<HyperparamEntry>>`). Match entries by
    /// name, not position: the list grows.
    pub struct HyperparamEntry {
        /// Name (UTF-8), e.g. `kappa`.
        pub name: Vec<u8> as Text,
        /// Value.
        pub value: HyperparamValue as HyperparamValue,
    }
}

/// Find a v3 hyperparameter by name.
pub fn hyperparam<'a>(entries: &'a [HyperparamEntry], name: &str) -> Option<&'a HyperparamValue> {
    entries
        .iter()
        .find(|e| e.name == name.as_bytes())
        .map(|e| &e.value)
}
