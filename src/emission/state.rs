//! Plain-struct model of the state the emission pipeline reads and writes.
//!
//! Names follow the chain's storage items (subtensor @ 14bc6f9, spec `emission-and-pools.md`
//! §19): per subnet the pool reserves, `SubnetAlphaOut`, `SubnetProtocolAlpha`,
//! `SubnetMovingPrice`, the four pending buckets, `MinerBurned`, the epoch schedule and the
//! registered hotkeys; globally `TotalIssuance`, `TotalStake`, `SubnetTAO[0]` and the parameters.
//! A network simulator drives it through [`Network::step_block`](super::Network::step_block).

use super::ledger::Ledger;
use super::moving_price::{default_moving_alpha, DEFAULT_EMA_PRICE_HALVING_BLOCKS};
use super::stake_book::{AccountId, StakeBook};
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::{I64F64, I96F32, U64F64, U96F32};

/// The chain's zero account (`DefaultAccount`), returned for hotkeys without an owner.
pub const DEFAULT_ACCOUNT: AccountId = 0;

/// `MAX_TEMPO`: an epoch is forced when more blocks than this passed since the last one.
pub const MAX_TEMPO: u64 = 50_400;

/// Global parameters (storage values with the runtime defaults of spec §2).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Params {
    /// `TaoWeight` (u64-normalised).
    pub tao_weight: u64,
    /// `SubnetOwnerCut` (u16-normalised).
    pub subnet_owner_cut: u16,
    /// `CKBurn` (u64-normalised).
    pub ck_burn: u64,
    /// `SubnetMovingAlpha`.
    #[serde(with = "crate::fixed::serde_fixed::i96f32")]
    pub moving_alpha: I96F32,
    /// Take of hotkeys without a `Delegates` entry (`InitialDefaultDelegateTake`).
    pub default_take: u16,
    /// Minimum childkey take (the effective subnet minimum).
    pub min_childkey_take: u16,
    /// `MaxEpochsPerBlock`.
    pub max_epochs_per_block: u32,
    /// Which rule splits the block emission between subnets.
    pub share_rule: ShareRule,
    /// How protocol liquidity enters the pools and the order of the chain buy (spec
    /// `pool-after-425.md` §2.3): `Direct` up to spec 425, `Reservoir` from the first
    /// reservoir spec (426–438).
    #[serde(default)]
    pub protocol_liquidity: crate::pool::reservoir::ProtocolLiquidity,
    /// Whether shares are weighted by `1 − MinerBurned` (spec `emission-after-425.md` §2.2).
    #[serde(default)]
    pub burn_factor: crate::emission::gate::BurnFactor,
    /// Shares also weighted by the root proportion (specs 423–424).
    #[serde(default)]
    pub root_prop_shares: bool,
    /// The emission gate (spec 440+).
    #[serde(default)]
    pub emission_gate: crate::emission::gate::EmissionGate,
    /// The balancer swap of the chain buys: 424's guards, or 423's swap (serialized only then).
    #[serde(default, skip_serializing_if = "crate::pool::SwapGuards::is_on")]
    pub swap_guards: crate::pool::SwapGuards,
}

impl Params {
    /// The global parameters of a runtime: the mainnet defaults with `rules`' emission switches
    /// (share weighting, the gate and its bar mode, protocol liquidity with reservoirs).
    pub fn for_rules(rules: &crate::runtime::Rules) -> Params {
        let mut p = Params::base();
        p.apply_rules(rules);
        p
    }

    /// Set the rule-driven switches of `rules`, keeping every stored value (take, TaoWeight, …).
    pub fn apply_rules(&mut self, rules: &crate::runtime::Rules) {
        use crate::emission::gate::{
            BurnFactor, EmissionGate, GateBar, DEFAULT_EMISSION_BAR_QUANTILE_BITS,
            DEFAULT_EMISSION_BAR_RANK, DEFAULT_EMISSION_GATE_EXPONENT,
        };
        use crate::runtime::{GateBar as RuleBar, ShareWeighting};
        let exponent_bits = U64F64::from_num(DEFAULT_EMISSION_GATE_EXPONENT).to_bits();
        self.burn_factor = match rules.shares {
            ShareWeighting::Price => BurnFactor::Ignored,
            ShareWeighting::PriceBurn | ShareWeighting::RootPropPriceBurn => BurnFactor::Applied,
        };
        self.root_prop_shares = rules.shares == ShareWeighting::RootPropPriceBurn;
        self.swap_guards = crate::pool::SwapGuards::of(rules.balancer_swap_guards);
        self.emission_gate = match rules.gate {
            RuleBar::Off => EmissionGate::Off,
            RuleBar::QMass => EmissionGate::On {
                bar: GateBar::QuantileMass(DEFAULT_EMISSION_BAR_QUANTILE_BITS),
                exponent_bits,
            },
            RuleBar::RankOrQMass => EmissionGate::On {
                bar: GateBar::from_storage(
                    DEFAULT_EMISSION_BAR_RANK,
                    DEFAULT_EMISSION_BAR_QUANTILE_BITS,
                ),
                exponent_bits,
            },
        };
        self.protocol_liquidity = if rules.reservoirs {
            crate::pool::reservoir::ProtocolLiquidity::Reservoir
        } else {
            crate::pool::reservoir::ProtocolLiquidity::Direct
        };
    }

    /// The rules of `rules`' runtime that a [`Network`] does not apply, in words, each starting
    /// with the rule's name and first spec: what [`Params::apply_rules`] sets (share weighting,
    /// burn factor, gate, reservoirs, swap guards) follows the runtime, the payout is the ≤ 440
    /// one. Empty before 436. Results computed on a `Network` (the stake model, the network
    /// simulation) carry this list in their `RuntimeInfo::not_modelled`, so a result under
    /// runtime 475 never reads as if every rule of 475 were in it.
    pub fn rules_not_modelled(rules: &crate::runtime::Rules) -> Vec<String> {
        use crate::runtime::{DividendSplit, RootDividends};
        let mut out = Vec::new();
        if rules.collateral {
            out.push(
                "miner registration collateral (436+): registrations are plain burns (a subnet \
                 has collateral only once its owner sets CollateralLockShare)"
                    .to_string(),
            );
        }
        if rules.root_dividends == RootDividends::Fund {
            out.push(
                "Root Reborn funds (441+): root dividends are paid as claimable alpha, the \
                 ≤ 440 model, not into per-validator funds"
                    .to_string(),
            );
        }
        if rules.dividend_split != DividendSplit::Base {
            out.push(
                "the root-UID dividend split (441+): every hotkey's root stake counts in the \
                 alpha/root split, as up to 440"
                    .to_string(),
            );
        }
        if rules.share_pool_value_cap {
            out.push("the share-pool value cap (458+)".to_string());
        }
        if rules.share_pool_closing {
            out.push("share-pool closing and the sole-member emission credit (469+)".to_string());
        }
        out
    }

    /// What a result computed on a [`Network`] under `rules` says about its runtime: the rules'
    /// summary with [`Params::rules_not_modelled`].
    pub fn runtime_info(rules: &crate::runtime::Rules) -> crate::runtime::RuntimeInfo {
        rules.info().not_modelling(Self::rules_not_modelled(rules))
    }
}

/// The subnet share rule of the coinbase (spec §5.2 and §17).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ShareRule {
    /// Current: price EMA × (1 − `MinerBurned`), emission-disabled subnets redistributed.
    #[default]
    PriceEma,
    /// Historical (2025-11-04 → 2026-06): EMA of net user TAO flow, lower cutoff, power
    /// normalisation. The flow recorded with [`Network::record_tao_flow`] feeds the EMA.
    TaoFlow {
        /// `TaoFlowCutoff` (I64F64).
        #[serde(with = "crate::fixed::serde_fixed::i64f64")]
        cutoff: I64F64,
        /// `FlowNormExponent` (U64F64).
        #[serde(with = "crate::fixed::serde_fixed::u64f64")]
        exponent: U64F64,
        /// `FlowEmaSmoothingFactor` (per block, over `i64::MAX`).
        smoothing_factor: u64,
    },
}

impl Default for Params {
    /// The newest known runtime's parameters ([`Params::for_rules`] of [`crate::runtime::Rules::newest`]).
    fn default() -> Self {
        Params::for_rules(&crate::runtime::Rules::newest())
    }
}

impl Params {
    /// The mainnet defaults of spec §2 under the base (spec 425) emission rules: no gate, no
    /// reservoirs, the burn factor applied.
    pub fn base() -> Self {
        Params {
            tao_weight: 971_718_665_099_567_868,
            subnet_owner_cut: 11_796,
            ck_burn: 0,
            moving_alpha: default_moving_alpha(),
            default_take: 11_796,
            min_childkey_take: 0,
            max_epochs_per_block: 2,
            share_rule: ShareRule::PriceEma,
            protocol_liquidity: crate::pool::reservoir::ProtocolLiquidity::Direct,
            burn_factor: crate::emission::gate::BurnFactor::Applied,
            root_prop_shares: false,
            emission_gate: crate::emission::gate::EmissionGate::Off,
            swap_guards: crate::pool::SwapGuards::On,
        }
    }
}

/// The four pending buckets of a subnet (alpha-rao).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingBuckets {
    /// `PendingServerEmission`.
    pub server: u64,
    /// `PendingValidatorEmission`.
    pub validator: u64,
    /// `PendingRootAlphaDivs`.
    pub root_alpha: u64,
    /// `PendingOwnerCut`.
    pub owner_cut: u64,
}

impl PendingBuckets {
    /// Sum of all four buckets.
    pub fn total(&self) -> u128 {
        [self.server, self.validator, self.root_alpha, self.owner_cut]
            .iter()
            .fold(0u128, |a, b| a.saturating_add(u128::from(*b)))
    }
}

/// `RecycleOrBurn` of a subnet: what happens to miner incentive of owner hotkeys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RecycleOrBurn {
    /// Recycle (alpha issuance decreases).
    Recycle,
    /// Burn (the chain default).
    #[default]
    Burn,
}

/// `RootClaimType` of a coldkey.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RootClaimType {
    /// Sell the claimed alpha for TAO and stake it on root (default).
    #[default]
    Swap,
    /// Keep the claimed alpha staked on the subnet.
    Keep,
    /// Keep on the listed subnets, swap elsewhere.
    KeepSubnets(BTreeSet<u16>),
}

/// Values the last coinbase wrote for a subnet (`Subnet*Emission` storage, informational).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastEmission {
    /// TAO emission share `e_i` (U96F32).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub tao_emission: U96F32,
    /// `SubnetTaoInEmission`.
    pub tao_in: u64,
    /// `SubnetAlphaInEmission`.
    pub alpha_in: u64,
    /// `SubnetAlphaOutEmission`.
    pub alpha_out: u64,
    /// `SubnetExcessTao` (TAO that bought alpha).
    pub excess_tao: u64,
    /// Alpha bought by the chain buy.
    pub protocol_bought: u64,
}

impl Default for LastEmission {
    fn default() -> Self {
        LastEmission {
            tao_emission: U96F32::from_num(0),
            tao_in: 0,
            alpha_in: 0,
            alpha_out: 0,
            excess_tao: 0,
            protocol_bought: 0,
        }
    }
}

/// One subnet (netuid > 0). `P` is its swap pool (reserves live there).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SubnetState<P> {
    /// The swap pool (`SubnetTAO`, `SubnetAlphaIn`, weights).
    pub pool: P,
    /// `SubnetAlphaOut`: all alpha outstanding (stakes, pending, protocol, burned, unassigned).
    pub alpha_out: u64,
    /// `SubnetProtocolAlpha`: alpha bought by chain buys.
    pub protocol_alpha: u64,
    /// `SubnetMovingPrice`.
    #[serde(with = "crate::fixed::serde_fixed::i96f32")]
    pub moving_price: I96F32,
    /// `EMAPriceHalvingBlocks`.
    pub ema_halving_blocks: u64,
    /// `FirstEmissionBlockNumber`.
    pub first_emission_block: Option<u64>,
    /// `SubtokenEnabled`.
    pub subtoken_enabled: bool,
    /// `NetworkRegistrationAllowed`.
    pub registration_allowed: bool,
    /// `SubnetEmissionEnabled` (TAO side only).
    pub emission_enabled: bool,
    /// `OwnerCutEnabled`.
    pub owner_cut_enabled: bool,
    /// `MinerBurned` (written at each epoch).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub miner_burned: U96F32,
    /// `Tempo`.
    pub tempo: u16,
    /// `LastEpochBlock`.
    pub last_epoch_block: u64,
    /// `PendingEpochAt` (0 = none).
    pub pending_epoch_at: u64,
    /// `BlocksSinceLastStep`.
    pub blocks_since_last_step: u64,
    /// `SubnetEpochIndex`.
    pub epoch_index: u64,
    /// Pending buckets.
    pub pending: PendingBuckets,
    /// `SubnetOwner` (coldkey).
    pub owner_coldkey: Option<AccountId>,
    /// `SubnetOwnerHotkey`.
    pub owner_hotkey: Option<AccountId>,
    /// Registered hotkeys, index = uid (`Keys`).
    pub neurons: Vec<AccountId>,
    /// `RecycleOrBurn`.
    pub recycle_or_burn: RecycleOrBurn,
    /// `RootClaimableThreshold` (alpha-rao).
    pub root_claimable_threshold: u64,
    /// `RootProp` as last stored (informational).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub root_prop: U96F32,
    /// `SubnetEmaTaoFlow` (historical flow rule).
    #[serde(with = "crate::fixed::serde_fixed::i64f64")]
    pub flow_ema: I64F64,
    /// `SubnetTaoFlow`: net user TAO flow recorded this block (historical flow rule).
    pub block_flow: i64,
    /// What the last coinbase wrote for this subnet.
    pub last: LastEmission,
    /// `AlphaDividendsPerSubnet` of the last epoch.
    pub alpha_dividends: BTreeMap<AccountId, u64>,
    /// `RootAlphaDividendsPerSubnet` of the last epoch.
    pub root_alpha_dividends: BTreeMap<AccountId, u64>,
}

impl<P> SubnetState<P> {
    /// A started, emitting subnet with the given pool and defaults elsewhere (tempo 360).
    pub fn new(pool: P) -> Self {
        SubnetState {
            pool,
            alpha_out: 0,
            protocol_alpha: 0,
            moving_price: I96F32::from_num(0),
            ema_halving_blocks: DEFAULT_EMA_PRICE_HALVING_BLOCKS,
            first_emission_block: Some(0),
            subtoken_enabled: true,
            registration_allowed: true,
            emission_enabled: true,
            owner_cut_enabled: true,
            miner_burned: U96F32::from_num(0),
            tempo: 360,
            last_epoch_block: 0,
            pending_epoch_at: 0,
            blocks_since_last_step: 0,
            epoch_index: 0,
            pending: PendingBuckets::default(),
            owner_coldkey: None,
            owner_hotkey: None,
            neurons: Vec::new(),
            recycle_or_burn: RecycleOrBurn::Burn,
            root_claimable_threshold: 500_000,
            root_prop: U96F32::from_num(0),
            flow_ema: I64F64::from_num(0),
            block_flow: 0,
            last: LastEmission::default(),
            alpha_dividends: BTreeMap::new(),
            root_alpha_dividends: BTreeMap::new(),
        }
    }

    /// Whether `hotkey` has a uid on this subnet.
    pub fn is_registered(&self, hotkey: AccountId) -> bool {
        self.neurons.contains(&hotkey)
    }
}

/// Per-hotkey metadata used by the payout.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HotkeyInfo {
    /// `Owner` (coldkey); `None` reads as [`DEFAULT_ACCOUNT`].
    pub owner: Option<AccountId>,
    /// `Delegates` take; `None` means [`Params::default_take`].
    pub take: Option<u16>,
    /// `ChildkeyTake` per subnet.
    pub childkey_take: BTreeMap<u16, u16>,
    /// `ChildKeys` per subnet: (proportion, child).
    pub children: BTreeMap<u16, Vec<(u64, AccountId)>>,
    /// `ParentKeys` per subnet: (proportion, parent).
    pub parents: BTreeMap<u16, Vec<(u64, AccountId)>>,
}

/// `hotkey → HotkeyInfo` with a fixed-seed hasher (the same on every target).
pub type HotkeyMap = std::collections::HashMap<AccountId, HotkeyInfo, foldhash::fast::FixedState>;

/// The whole modelled network. `P` is the pool type of every subnet.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Network<P> {
    /// Current block number.
    pub block: u64,
    /// `TotalIssuance` (rao).
    pub total_issuance: u64,
    /// `TotalStake` (rao).
    pub total_stake: u64,
    /// `SubnetTAO[0]`: TAO staked on root.
    pub root_tao: u64,
    /// `SubnetAlphaOut[0]`.
    pub root_alpha_out: u64,
    /// Global parameters.
    pub params: Params,
    /// Subnets by netuid (root excluded).
    pub subnets: BTreeMap<u16, SubnetState<P>>,
    /// Stake positions (root = netuid 0).
    pub stakes: StakeBook,
    /// Hotkey metadata (a hash map: the payout looks hotkeys up for every uid; serialized in
    /// key order).
    #[serde(serialize_with = "crate::fixed::serde_fixed::hash_map_in_key_order")]
    pub hotkeys: HotkeyMap,
    /// `AutoStakeDestination[(coldkey, netuid)]`.
    #[serde(with = "crate::fixed::serde_fixed::map_as_pairs")]
    pub auto_stake: BTreeMap<(AccountId, u16), AccountId>,
    /// `RootClaimable[hotkey][netuid]`: alpha per unit of root stake.
    #[serde(with = "crate::fixed::serde_fixed::i96f32_nested")]
    pub root_claimable: BTreeMap<AccountId, BTreeMap<u16, I96F32>>,
    /// `RootClaimed[(netuid, hotkey, coldkey)]` watermark.
    #[serde(with = "crate::fixed::serde_fixed::map_as_pairs")]
    pub root_claimed: BTreeMap<(u16, AccountId, AccountId), u128>,
    /// `RootClaimType[coldkey]`.
    pub root_claim_type: BTreeMap<AccountId, RootClaimType>,
    /// Where every rao went.
    pub ledger: Ledger,
    /// `EmissionGateBar` θ (U64F64 bits; 0 = never computed, the gate is then off).
    #[serde(default)]
    pub emission_gate_bar: u128,
    /// The coinbase's reused buffers (not state).
    #[serde(skip)]
    pub(crate) scratch: super::scratch::Scratch,
}

impl<P> Network<P> {
    /// An empty network with the given parameters.
    pub fn new(params: Params) -> Self {
        Network {
            block: 0,
            total_issuance: 0,
            total_stake: 0,
            root_tao: 0,
            root_alpha_out: 0,
            params,
            subnets: BTreeMap::new(),
            stakes: StakeBook::default(),
            hotkeys: HotkeyMap::default(),
            auto_stake: BTreeMap::new(),
            root_claimable: BTreeMap::new(),
            root_claimed: BTreeMap::new(),
            root_claim_type: BTreeMap::new(),
            scratch: Default::default(),
            ledger: Ledger::default(),
            emission_gate_bar: 0,
        }
    }

    /// `Owner[hotkey]` with the chain's default account for unknown hotkeys.
    pub fn owner_of(&self, hotkey: AccountId) -> AccountId {
        self.hotkeys
            .get(&hotkey)
            .and_then(|h| h.owner)
            .unwrap_or(DEFAULT_ACCOUNT)
    }

    /// Hotkey take (`Delegates`, default [`Params::default_take`]).
    pub fn take_of(&self, hotkey: AccountId) -> u16 {
        self.hotkeys
            .get(&hotkey)
            .and_then(|h| h.take)
            .unwrap_or(self.params.default_take)
    }

    /// Childkey take of `hotkey` on `netuid`: `max(ChildkeyTake, minimum)`.
    pub fn childkey_take_of(&self, hotkey: AccountId, netuid: u16) -> u16 {
        let set = self
            .hotkeys
            .get(&hotkey)
            .and_then(|h| h.childkey_take.get(&netuid).copied())
            .unwrap_or(0);
        set.max(self.params.min_childkey_take)
    }

    /// Children of `hotkey` on `netuid` as (proportion, child).
    pub fn children_of(&self, hotkey: AccountId, netuid: u16) -> &[(u64, AccountId)] {
        self.relatives_of(hotkey, netuid).0
    }

    /// Parents of `hotkey` on `netuid` as (proportion, parent).
    pub fn parents_of(&self, hotkey: AccountId, netuid: u16) -> &[(u64, AccountId)] {
        self.relatives_of(hotkey, netuid).1
    }

    /// `(children_of, parents_of)` of `hotkey` on `netuid` from one lookup.
    pub fn relatives_of(
        &self,
        hotkey: AccountId,
        netuid: u16,
    ) -> (&[(u64, AccountId)], &[(u64, AccountId)]) {
        self.hotkeys.get(&hotkey).map_or((&[], &[]), |h| {
            (
                h.children.get(&netuid).map_or(&[], Vec::as_slice),
                h.parents.get(&netuid).map_or(&[], Vec::as_slice),
            )
        })
    }

    /// Set `parent`'s children on `netuid` (and the matching parent entries), replacing old ones.
    pub fn set_children(&mut self, parent: AccountId, netuid: u16, children: &[(u64, AccountId)]) {
        let old = self.children_of(parent, netuid).to_vec();
        for (_, child) in old {
            if let Some(info) = self.hotkeys.get_mut(&child) {
                if let Some(list) = info.parents.get_mut(&netuid) {
                    list.retain(|(_, p)| *p != parent);
                }
            }
        }
        self.hotkeys
            .entry(parent)
            .or_default()
            .children
            .insert(netuid, children.to_vec());
        for &(prop, child) in children {
            self.hotkeys
                .entry(child)
                .or_default()
                .parents
                .entry(netuid)
                .or_default()
                .push((prop, parent));
        }
    }

    /// Record net user TAO flow into a subnet this block (stake in: positive, unstake: negative).
    pub fn record_tao_flow(&mut self, netuid: u16, flow: i64) {
        if let Some(s) = self.subnets.get_mut(&netuid) {
            s.block_flow = s.block_flow.saturating_add(flow);
        }
    }

    /// Register `hotkey` (owned by `coldkey`) on `netuid`, appending a uid.
    pub fn register(&mut self, netuid: u16, hotkey: AccountId, coldkey: AccountId) {
        self.hotkeys
            .entry(hotkey)
            .or_default()
            .owner
            .get_or_insert(coldkey);
        if let Some(s) = self.subnets.get_mut(&netuid) {
            if !s.neurons.contains(&hotkey) {
                s.neurons.push(hotkey);
            }
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod rules_tests;
