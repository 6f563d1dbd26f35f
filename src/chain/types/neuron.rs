//! `AxonInfo`, `PrometheusInfo`, `NeuronInfo`, `NeuronInfoLite` (spec `chain-data.md` section 3;
//! subtensor `pallets/subtensor/src/rpc_info/neuron_info.rs` and `lib.rs` `AxonInfo`), plus the
//! transient dev-branch layout the bt-decode neuron vectors use (rejected by the current types).

use crate::chain::types::AccountId32;
use parity_scale_codec::Compact;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

scale_struct! {
    columnar
    /// A neuron's served endpoint (plain integers, 34 bytes).
    pub struct AxonInfo {
        /// Block of the last `serve_axon`.
        pub block: u64 as u64,
        /// Client version.
        pub version: u32 as u32,
        /// IPv4 in the low 32 bits (big-endian number) or IPv6.
        pub ip: u128 as u128,
        /// Port.
        pub port: u16 as u16,
        /// 4 or 6.
        pub ip_type: u8 as u8,
        /// Protocol (0 TCP, 1 UDP, 4 in practice).
        pub protocol: u8 as u8,
        /// Unused.
        pub placeholder1: u8 as u8,
        /// Unused.
        pub placeholder2: u8 as u8,
    }
}

scale_struct! {
    columnar
    /// A neuron's Prometheus endpoint (plain integers, 31 bytes).
    pub struct PrometheusInfo {
        /// Block of the last `serve_prometheus`.
        pub block: u64 as u64,
        /// Client version.
        pub version: u32 as u32,
        /// IPv4 in the low 32 bits or IPv6.
        pub ip: u128 as u128,
        /// Port.
        pub port: u16 as u16,
        /// 4 or 6.
        pub ip_type: u8 as u8,
    }
}

fn ip_of(ip: u128, ip_type: u8) -> Option<IpAddr> {
    match ip_type {
        4 => u32::try_from(ip)
            .ok()
            .map(|v| IpAddr::V4(Ipv4Addr::from(v))),
        6 => Some(IpAddr::V6(Ipv6Addr::from(ip))),
        _ => None,
    }
}

impl AxonInfo {
    /// The address, when `ip_type` is 4 or 6 (754100960 -> 44.242.170.224).
    pub fn ip_addr(&self) -> Option<IpAddr> {
        ip_of(self.ip, self.ip_type)
    }
}

impl PrometheusInfo {
    /// The address, when `ip_type` is 4 or 6.
    pub fn ip_addr(&self) -> Option<IpAddr> {
        ip_of(self.ip, self.ip_type)
    }
}

/// `Vec<(AccountId32, Compact<u64>)>`: `(coldkey, stake)` pairs.
pub type StakeList = Vec<(AccountId32, Compact<u64>)>;
/// `Vec<(Compact<u16>, Compact<u16>)>`: `(uid, value)` pairs (weights, bonds).
pub type UidValueList = Vec<(Compact<u16>, Compact<u16>)>;

scale_struct! {
    columnar
    /// `NeuronInfo` (`get_neuron`, `get_neurons`): per-UID state including weights and bonds.
    pub struct NeuronInfo {
        /// `Keys(netuid, uid)`.
        pub hotkey: AccountId32 as AccountId32,
        /// `Owner(hotkey)`.
        pub coldkey: AccountId32 as AccountId32,
        /// UID.
        pub uid: u16 as Compact<u16>,
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// `Active(netuid)[uid]`.
        pub active: bool as bool,
        /// Axon endpoint.
        pub axon_info: AxonInfo as AxonInfo,
        /// Prometheus endpoint.
        pub prometheus_info: PrometheusInfo as PrometheusInfo,
        /// Since dTAO one entry `(coldkey, TotalHotkeyAlpha(hotkey, netuid))`; pre-dTAO every nominator.
        pub stake: Vec<(AccountId32, u64)> as StakeList,
        /// Always 0 since ~spec 401.
        pub rank: u16 as Compact<u16>,
        /// `Emission(netuid)[uid]` (alpha rao, last epoch).
        pub emission: u64 as Compact<u64>,
        /// Fraction of 65535.
        pub incentive: u16 as Compact<u16>,
        /// Fraction of 65535.
        pub consensus: u16 as Compact<u16>,
        /// Always 0 since ~spec 401.
        pub trust: u16 as Compact<u16>,
        /// Fraction of 65535.
        pub validator_trust: u16 as Compact<u16>,
        /// Fraction of 65535.
        pub dividends: u16 as Compact<u16>,
        /// `LastUpdate(netuid)[uid]`.
        pub last_update: u64 as Compact<u64>,
        /// Validator permit.
        pub validator_permit: bool as bool,
        /// `Weights(netuid, uid)` with zero entries dropped (mechanism 0).
        pub weights: Vec<(u16, u16)> as UidValueList,
        /// `Bonds(netuid, uid)` with zero entries dropped (mechanism 0).
        pub bonds: Vec<(u16, u16)> as UidValueList,
        /// `u16::MAX` since ~spec 401.
        pub pruning_score: u16 as Compact<u16>,
    }
}

scale_struct! {
    columnar
    /// `NeuronInfoLite` (`get_neuron_lite`, `get_neurons_lite`): `NeuronInfo` without weights and bonds.
    pub struct NeuronInfoLite {
        /// `Keys(netuid, uid)`.
        pub hotkey: AccountId32 as AccountId32,
        /// `Owner(hotkey)`.
        pub coldkey: AccountId32 as AccountId32,
        /// UID.
        pub uid: u16 as Compact<u16>,
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// `Active(netuid)[uid]`.
        pub active: bool as bool,
        /// Axon endpoint.
        pub axon_info: AxonInfo as AxonInfo,
        /// Prometheus endpoint.
        pub prometheus_info: PrometheusInfo as PrometheusInfo,
        /// `(coldkey, stake)` pairs.
        pub stake: Vec<(AccountId32, u64)> as StakeList,
        /// Always 0 since ~spec 401.
        pub rank: u16 as Compact<u16>,
        /// Alpha rao, last epoch.
        pub emission: u64 as Compact<u64>,
        /// Fraction of 65535.
        pub incentive: u16 as Compact<u16>,
        /// Fraction of 65535.
        pub consensus: u16 as Compact<u16>,
        /// Always 0 since ~spec 401.
        pub trust: u16 as Compact<u16>,
        /// Fraction of 65535.
        pub validator_trust: u16 as Compact<u16>,
        /// Fraction of 65535.
        pub dividends: u16 as Compact<u16>,
        /// `LastUpdate(netuid)[uid]`.
        pub last_update: u64 as Compact<u64>,
        /// Validator permit.
        pub validator_permit: bool as bool,
        /// `u16::MAX` since ~spec 401.
        pub pruning_score: u16 as Compact<u16>,
    }
}

scale_struct! {
    /// Transient dev layout (subtensor branch `feat/rao-2025-01`, commit 5efba4c50, never on
    /// mainnet): `NeuronInfo` with `total_stake, alpha_stake, tao_stake` inserted after `stake`.
    /// Only here to explain the bt-decode neuron vectors, which the current layout must reject.
    pub struct NeuronInfoDevRao {
        /// Hotkey.
        pub hotkey: AccountId32 as AccountId32,
        /// Coldkey.
        pub coldkey: AccountId32 as AccountId32,
        /// UID.
        pub uid: u16 as Compact<u16>,
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Active.
        pub active: bool as bool,
        /// Axon endpoint.
        pub axon_info: AxonInfo as AxonInfo,
        /// Prometheus endpoint.
        pub prometheus_info: PrometheusInfo as PrometheusInfo,
        /// `(coldkey, stake)` pairs.
        pub stake: Vec<(AccountId32, u64)> as StakeList,
        /// Inserted by the dev branch.
        pub total_stake: u64 as Compact<u64>,
        /// Inserted by the dev branch.
        pub alpha_stake: u64 as Compact<u64>,
        /// Inserted by the dev branch.
        pub tao_stake: u64 as Compact<u64>,
        /// Rank.
        pub rank: u16 as Compact<u16>,
        /// Emission.
        pub emission: u64 as Compact<u64>,
        /// Incentive.
        pub incentive: u16 as Compact<u16>,
        /// Consensus.
        pub consensus: u16 as Compact<u16>,
        /// Trust.
        pub trust: u16 as Compact<u16>,
        /// Validator trust.
        pub validator_trust: u16 as Compact<u16>,
        /// Dividends.
        pub dividends: u16 as Compact<u16>,
        /// Last update.
        pub last_update: u64 as Compact<u64>,
        /// Validator permit.
        pub validator_permit: bool as bool,
        /// Weights.
        pub weights: Vec<(u16, u16)> as UidValueList,
        /// Bonds.
        pub bonds: Vec<(u16, u16)> as UidValueList,
        /// Pruning score.
        pub pruning_score: u16 as Compact<u16>,
    }
}

scale_struct! {
    /// Lite form of [`NeuronInfoDevRao`].
    pub struct NeuronInfoLiteDevRao {
        /// Hotkey.
        pub hotkey: AccountId32 as AccountId32,
        /// Coldkey.
        pub coldkey: AccountId32 as AccountId32,
        /// UID.
        pub uid: u16 as Compact<u16>,
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Active.
        pub active: bool as bool,
        /// Axon endpoint.
        pub axon_info: AxonInfo as AxonInfo,
        /// Prometheus endpoint.
        pub prometheus_info: PrometheusInfo as PrometheusInfo,
        /// `(coldkey, stake)` pairs.
        pub stake: Vec<(AccountId32, u64)> as StakeList,
        /// Inserted by the dev branch.
        pub total_stake: u64 as Compact<u64>,
        /// Inserted by the dev branch.
        pub alpha_stake: u64 as Compact<u64>,
        /// Inserted by the dev branch.
        pub tao_stake: u64 as Compact<u64>,
        /// Rank.
        pub rank: u16 as Compact<u16>,
        /// Emission.
        pub emission: u64 as Compact<u64>,
        /// Incentive.
        pub incentive: u16 as Compact<u16>,
        /// Consensus.
        pub consensus: u16 as Compact<u16>,
        /// Trust.
        pub trust: u16 as Compact<u16>,
        /// Validator trust.
        pub validator_trust: u16 as Compact<u16>,
        /// Dividends.
        pub dividends: u16 as Compact<u16>,
        /// Last update.
        pub last_update: u64 as Compact<u64>,
        /// Validator permit.
        pub validator_permit: bool as bool,
        /// Pruning score.
        pub pruning_score: u16 as Compact<u16>,
    }
}

impl NeuronInfo {
    /// Sum of the `stake` amounts (saturating).
    pub fn total_stake(&self) -> u64 {
        self.stake
            .iter()
            .fold(0u64, |a, (_, s)| a.saturating_add(*s))
    }
}

impl NeuronInfoLite {
    /// Sum of the `stake` amounts (saturating).
    pub fn total_stake(&self) -> u64 {
        self.stake
            .iter()
            .fold(0u64, |a, (_, s)| a.saturating_add(*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::scale::Codec;

    #[test]
    fn axon_ipv4() {
        let a = AxonInfo {
            block: 0,
            version: 0,
            ip: 754_100_960,
            port: 1,
            ip_type: 4,
            protocol: 4,
            placeholder1: 0,
            placeholder2: 0,
        };
        assert_eq!(a.ip_addr().unwrap().to_string(), "44.242.170.224");
        assert_eq!(<AxonInfo as Codec>::MIN_LEN, 34);
        assert_eq!(<PrometheusInfo as Codec>::MIN_LEN, 31);
    }
}
