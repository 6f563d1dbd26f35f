//! The embedded default network: 128 subnets (netuids 1..=128) plus root, built from real chain
//! snapshots where they exist and synthetic elsewhere.
//!
//! Real (from `data/default_network.json`, itself built from `tests/fixtures/chain` by
//! `tests/sim_default_data.rs`, which checks the embedded file is exactly that):
//!
//! * **SN1** at mainnet block 6 852 344 (`Metagraph`): pool reserves (`tao_in`, `alpha_in`),
//!   `alpha_out`, moving price, tempo (99), burn, kappa, max validators, all 1024 uids with their
//!   alpha stake, root stake, validator permits, incentive, `LastUpdate`, registration blocks,
//!   coldkey grouping and the owner uid. Registration blocks and `LastUpdate` restart at 0 (the
//!   simulation starts at block 0); root stake per uid is its (inherited) `tao_stake`.
//! * **Other subnets' consensus parameters** (kappa, max validators, uid count, max uids, burn)
//!   from the `Vec<Option<SubnetInfo>>` vector of bt-decode (network unknown; its tempos of 10-20
//!   blocks are a dev chain's and are not used).
//! * **Which netuids exist**: the `NetworksAdded` map (test network, netuids 0-99).
//!
//! Synthetic (documented assumptions, drawn from a generator seeded with
//! [`DefaultConfig::seed`]; factors `f = clamp(1 + 0.45·N(0, 1), 0.15, 4)`): for netuids other
//! than 1, the pool (price = SN1's moving price × f, TAO reserve = SN1's × f / (1 + netuid / 16),
//! at least 1000 TAO),
//! `alpha_out` = 0.4 × `alpha_in` (SN1's ratio), tempo 360 (the mainnet default), up to
//! [`DefaultConfig::max_uids`] uids; the first `min(8, n)` uids are validators holding 90 % of
//! `alpha_out` in equal parts and no root stake; subnets 100..=128 (absent from the map) use the
//! runtime defaults. `TotalIssuance` starts at 10 000 000 TAO.

use super::events::FlowModel;
use super::rng::Rng;
use super::simulator::Simulator;
use crate::consensus::Hyperparameters;
use crate::emission::{
    AccountId, BalancerPool, Network, Params, RootClaimType, SubnetState, YumaEpoch,
};
use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::I96F32;

/// SN1 as captured.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sn1Data {
    /// Block of the capture.
    pub block: u64,
    /// `Tempo`.
    pub tempo: u16,
    /// `SubnetAlphaIn`.
    pub alpha_in: u64,
    /// `SubnetAlphaOut`.
    pub alpha_out: u64,
    /// `SubnetTAO`.
    pub tao_in: u64,
    /// `SubnetMovingPrice` bits (I96F32, decimal string).
    pub moving_price_bits: String,
    /// `Burn`.
    pub burn: u64,
    /// `Kappa`.
    pub kappa: u16,
    /// `MaxAllowedValidators`.
    pub max_validators: u16,
    /// `MaxAllowedUids`.
    pub max_uids: u16,
    /// Uid of the owner hotkey.
    pub owner_uid: Option<u16>,
    /// Alpha stake per uid.
    pub alpha_stake: Vec<u64>,
    /// Root stake per uid.
    pub tao_stake: Vec<u64>,
    /// Uids holding a validator permit.
    pub validator_permit: Vec<u16>,
    /// `Incentive` per uid.
    pub incentive: Vec<u16>,
    /// `LastUpdate` per uid.
    pub last_update: Vec<u64>,
    /// `BlockAtRegistration` per uid.
    pub block_at_registration: Vec<u64>,
    /// Index of each uid's coldkey among the distinct coldkeys.
    pub coldkey_index: Vec<u32>,
}

/// The consensus parameters of one `SubnetInfo` entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubnetInfoRow {
    /// Netuid.
    pub netuid: u16,
    /// Tempo (not used: dev-chain value).
    pub tempo: u16,
    /// Kappa.
    pub kappa: u16,
    /// Max validators.
    pub max_validators: u16,
    /// `SubnetworkN`.
    pub n: u16,
    /// Max uids.
    pub max_uids: u16,
    /// Burn.
    pub burn: u64,
}

/// Everything embedded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DefaultData {
    /// Where the values come from.
    pub provenance: String,
    /// SN1.
    pub sn1: Sn1Data,
    /// `SubnetInfo` rows.
    pub subnets_info: Vec<SubnetInfoRow>,
    /// Netuids with `NetworksAdded = true`.
    pub networks_added: Vec<u16>,
}

impl DefaultData {
    /// The embedded data.
    pub fn embedded() -> Result<DefaultData> {
        serde_json::from_str(include_str!("data/default_network.json"))
            .map_err(|e| Error::new(ErrorCode::Internal, format!("embedded network data: {e}")))
    }
}

/// Size and seed of the default network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DefaultConfig {
    /// Number of subnets (netuids 1..=subnets), at most 128.
    pub subnets: u16,
    /// Most uids of a synthetic subnet.
    pub max_uids: u16,
    /// Uids kept on SN1 (the highest-stake ones first; 1024 = all).
    pub sn1_uids: u16,
    /// Tempo override for every subnet (reduced networks for fast tests); `None` = real.
    pub tempo: Option<u16>,
    /// Seed of the synthetic parts.
    pub seed: u64,
}

impl Default for DefaultConfig {
    fn default() -> Self {
        DefaultConfig {
            subnets: 128,
            max_uids: 64,
            sn1_uids: 1024,
            tempo: None,
            seed: 1,
        }
    }
}

/// Where one subnet of the default network comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SubnetSource {
    /// Captured from finney at `block` (SN1's pool, stakes and parameters).
    Real {
        /// Block of the capture.
        block: u64,
    },
    /// Drawn by the seeded generator (pool and stakes), with real consensus parameters where the
    /// embedded `SubnetInfo` rows have them. Not a subnet of any chain.
    Synthetic {
        /// Seed of the generator.
        seed: u64,
    },
}

impl SubnetSource {
    /// Whether the subnet is made up rather than captured.
    pub fn is_synthetic(&self) -> bool {
        matches!(self, SubnetSource::Synthetic { .. })
    }

    /// The source in words, for pages and reports.
    pub fn describe(&self, netuid: u16) -> String {
        match self {
            SubnetSource::Real { block } => {
                format!("SN{netuid} is real: captured from finney at block {block}.")
            }
            SubnetSource::Synthetic { seed } => format!(
                "SN{netuid} is synthetic: its pool and stakes are drawn by a seeded generator (seed {seed}); it is not a subnet of finney."
            ),
        }
    }
}

impl DefaultConfig {
    /// Where subnet `netuid` of the network built from this configuration comes from. Root (0)
    /// counts as synthetic: its stakes are SN1's inherited TAO stakes, not root's own.
    pub fn source_of(&self, netuid: u16) -> SubnetSource {
        match netuid {
            1 => SubnetSource::Real {
                block: SN1_CAPTURE_BLOCK,
            },
            _ => SubnetSource::Synthetic { seed: self.seed },
        }
    }
}

/// Block of the embedded SN1 capture (checked against the embedded data by a test).
pub const SN1_CAPTURE_BLOCK: u64 = 6_852_344;

/// Hotkey id of `uid` on `netuid`.
pub fn hotkey_id(netuid: u16, uid: u16) -> AccountId {
    u64::from(netuid) * 1_000_000 + u64::from(uid)
}

/// Coldkey id number `i` of `netuid`.
pub fn coldkey_id(netuid: u16, i: u32) -> AccountId {
    u64::from(netuid) * 1_000_000 + 500_000 + u64::from(i)
}

fn hyper(kappa: u16, max_validators: u16, tempo: u16) -> Hyperparameters {
    Hyperparameters {
        kappa,
        max_allowed_validators: max_validators,
        commit_reveal_enabled: false,
        ..Hyperparameters::new_subnet(tempo)
    }
}

/// Build the default network with the seeded generator `flows`.
pub fn default_network(cfg: &DefaultConfig, flows: FlowModel, seed: u64) -> Result<Simulator> {
    if cfg.subnets == 0 || cfg.subnets > 128 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "subnets",
            "between 1 and 128",
        ));
    }
    let data = DefaultData::embedded()?;
    let mut net: Network<BalancerPool> = Network::new(Params::default());
    let mut epoch = YumaEpoch::default();
    let mut rng = Rng::new(cfg.seed);
    net.total_issuance = 10_000_000 * 1_000_000_000;
    let sn1 = &data.sn1;
    let sn1_price = I96F32::from_bits(sn1.moving_price_bits.parse::<i128>().unwrap_or(0));
    let mut burns = std::collections::BTreeMap::new();
    let mut max_uids = std::collections::BTreeMap::new();
    // SN1 (real).
    {
        let tempo = cfg.tempo.unwrap_or(sn1.tempo);
        let mut s = SubnetState::new(BalancerPool::dynamic(sn1.tao_in, sn1.alpha_in));
        s.alpha_out = sn1.alpha_out;
        s.moving_price = sn1_price;
        s.tempo = tempo;
        s.last_epoch_block = 0;
        let mut order: Vec<usize> = (0..sn1.alpha_stake.len()).collect();
        order.sort_by_key(|i| {
            let a = sn1.alpha_stake.get(*i).copied().unwrap_or(0);
            let t = sn1.tao_stake.get(*i).copied().unwrap_or(0);
            (std::cmp::Reverse(a.saturating_add(t / 20)), *i)
        });
        let keep = usize::from(cfg.sn1_uids).min(order.len());
        let mut kept: Vec<usize> = order.into_iter().take(keep).collect();
        if let Some(o) = sn1.owner_uid.map(usize::from) {
            if !kept.contains(&o) && !kept.is_empty() {
                kept.pop();
                kept.push(o);
            }
        }
        kept.sort_unstable();
        let owner_new_uid = sn1
            .owner_uid
            .and_then(|o| kept.iter().position(|k| *k == usize::from(o)));
        let owner_ck = sn1
            .owner_uid
            .and_then(|o| sn1.coldkey_index.get(usize::from(o)).copied())
            .map(|c| coldkey_id(1, c));
        s.owner_coldkey = owner_ck;
        s.owner_hotkey = owner_new_uid
            .and_then(|u| u16::try_from(u).ok())
            .map(|u| hotkey_id(1, u));
        net.subnets.insert(1, s);
        epoch.add_subnet(1, hyper(sn1.kappa, sn1.max_validators, tempo));
        for (new_uid, old) in kept.iter().enumerate() {
            let uid = u16::try_from(new_uid).unwrap_or(u16::MAX);
            let hk = hotkey_id(1, uid);
            let ck = coldkey_id(1, sn1.coldkey_index.get(*old).copied().unwrap_or(0));
            net.register(1, hk, ck);
            epoch.register(1, uid, hk, 0)?;
            let a = sn1.alpha_stake.get(*old).copied().unwrap_or(0);
            let t = sn1.tao_stake.get(*old).copied().unwrap_or(0);
            net.stakes.increase(hk, ck, 1, a);
            if t > 0 {
                net.add_root_stake(hk, ck, t);
                net.root_tao = net.root_tao.saturating_add(t);
                net.root_claim_type.entry(ck).or_insert(RootClaimType::Swap);
            }
        }
        if let Some(sub) = epoch.subnet_mut(1) {
            sub.validator_permit = kept
                .iter()
                .map(|old| {
                    sn1.validator_permit
                        .contains(&u16::try_from(*old).unwrap_or(u16::MAX))
                })
                .collect();
            if let Some(m) = sub.mechanisms.first_mut() {
                m.incentive = kept
                    .iter()
                    .map(|o| sn1.incentive.get(*o).copied().unwrap_or(0))
                    .collect();
            }
        }
        burns.insert(1, sn1.burn);
        max_uids.insert(1, sn1.max_uids.min(cfg.sn1_uids.max(1)));
    }
    // Other subnets (synthetic pools and stakes, real parameters where the vector has them).
    for netuid in 2..=cfg.subnets {
        let info = data.subnets_info.iter().find(|r| r.netuid == netuid);
        let added = data.networks_added.contains(&netuid);
        let tempo = cfg.tempo.unwrap_or(360);
        let price_factor = (1.0 + 0.45 * rng.normal()).clamp(0.15, 4.0);
        let size_factor =
            (1.0 + 0.45 * rng.normal()).clamp(0.15, 4.0) / (1.0 + f64::from(netuid) / 16.0);
        let tao = ((sn1.tao_in as f64) * size_factor).max(1e12) as u64;
        let price = (sn1_price.to_num::<f64>() * price_factor).max(1e-6);
        let alpha_in = ((tao as f64) / price) as u64;
        let mut s = SubnetState::new(BalancerPool::dynamic(tao, alpha_in.max(1_000_000_000)));
        s.alpha_out = alpha_in / 5 * 2;
        s.moving_price = I96F32::saturating_from_num(price);
        s.tempo = tempo;
        s.last_epoch_block = u64::from(netuid) % u64::from(tempo.max(1));
        let n = info.map_or(16, |r| r.n).clamp(8, cfg.max_uids.max(8));
        let owner_ck = coldkey_id(netuid, 0);
        s.owner_coldkey = Some(owner_ck);
        s.owner_hotkey = Some(hotkey_id(netuid, 0));
        net.subnets.insert(netuid, s);
        let kappa = info.map_or(32_767, |r| r.kappa);
        let mv = info.map_or(64, |r| r.max_validators).max(1);
        epoch.add_subnet(netuid, hyper(kappa, mv, tempo));
        let validators = n.min(8);
        let per = (alpha_in / 5 * 2) / 10 * 9 / u64::from(validators);
        for uid in 0..n {
            let hk = hotkey_id(netuid, uid);
            let ck = coldkey_id(netuid, u32::from(uid));
            net.register(netuid, hk, ck);
            epoch.register(netuid, uid, hk, 0)?;
            if uid < validators {
                net.stakes.increase(hk, ck, netuid, per);
            }
        }
        burns.insert(netuid, info.map_or(1_000_000_000, |r| r.burn.max(500_000)));
        max_uids.insert(
            netuid,
            if added {
                info.map_or(256, |r| r.max_uids)
                    .clamp(n, cfg.max_uids.max(n))
            } else {
                cfg.max_uids.max(n)
            },
        );
    }
    let mut sim = Simulator::new(net, epoch, seed, flows);
    sim.burn = burns;
    sim.max_uids = max_uids;
    Ok(sim)
}
