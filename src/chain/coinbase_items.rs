//! The storage items the block coinbase reads and writes, with their keys and defaults: the
//! vocabulary of `replay block` ([`super::replay_block`]), its parent read
//! ([`super::coinbase_read`]) and the captures the engine writes ([`super::coinbase_write`]).
//!
//! Names, hashers, value types and defaults are those of subtensor
//! `pallets/subtensor/src/lib.rs` and `pallets/swap/src/pallet/mod.rs` (opentensor/subtensor
//! @ 14bc6f9; spec `emission-and-pools.md` §2 and §19): `SubtensorModule` maps keyed by
//! `Identity(NetUid)`, `Swap` maps by `Twox64Concat(NetUid)`; the gate items of spec 440+ are plain
//! values (spec `emission-after-425.md` §2.3), the reservoirs of 432+ are `Swap` maps
//! (`pool-after-425.md` §2.1). Where an item is also in [`super::storage`]'s key table, the key and
//! default agree (a test checks).

use super::hex;
use super::storage::{key, Hasher, SUBTENSOR_PALLET, SWAP_PALLET};

/// The alpha-assets pallet of specs 411–422 (`AlphaAssets: pallet_alpha_assets = 31`).
pub const ALPHA_ASSETS_PALLET: &str = "AlphaAssets";
use crate::emission::gate::{DEFAULT_EMISSION_BAR_QUANTILE_BITS, DEFAULT_EMISSION_BAR_RANK};
use substrate_fixed::types::U64F64;

/// One coinbase storage item.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    /// Pallet.
    pub pallet: &'static str,
    /// Item name.
    pub name: &'static str,
    /// `true`: a map keyed by the netuid (`Identity` in `SubtensorModule`, `Twox64Concat` in
    /// `Swap` and `AlphaAssets`); `false`: a plain value.
    pub per_subnet: bool,
    /// The encoded `ValueQuery` default; `None` for an `OptionQuery` item.
    pub default: fn() -> Option<Vec<u8>>,
}

impl Item {
    /// `Pallet.Item`.
    pub fn path(&self) -> String {
        format!("{}.{}", self.pallet, self.name)
    }

    /// The full storage key (`netuid` ignored for plain values).
    pub fn key(&self, netuid: u16) -> Vec<u8> {
        if !self.per_subnet {
            return key(self.pallet, self.name, &[]);
        }
        let h = if self.pallet == SUBTENSOR_PALLET {
            Hasher::Identity
        } else {
            Hasher::Twox64Concat
        };
        key(self.pallet, self.name, &[(h, &netuid.to_le_bytes())])
    }

    /// The key as `0x` hex.
    pub fn key_hex(&self, netuid: u16) -> String {
        hex::encode(&self.key(netuid))
    }

    /// The rendered map arguments: `[netuid]` or `[]`.
    pub fn args(&self, netuid: u16) -> String {
        if self.per_subnet {
            format!("[{netuid}]")
        } else {
            "[]".into()
        }
    }
}

const fn sub(name: &'static str, default: fn() -> Option<Vec<u8>>) -> Item {
    Item {
        pallet: SUBTENSOR_PALLET,
        name,
        per_subnet: true,
        default,
    }
}

const fn glob(name: &'static str, default: fn() -> Option<Vec<u8>>) -> Item {
    Item {
        pallet: SUBTENSOR_PALLET,
        name,
        per_subnet: false,
        default,
    }
}

const fn swap(name: &'static str, default: fn() -> Option<Vec<u8>>) -> Item {
    Item {
        pallet: SWAP_PALLET,
        name,
        per_subnet: true,
        default,
    }
}

fn zero64() -> Option<Vec<u8>> {
    Some(vec![0; 8])
}
fn zero32() -> Option<Vec<u8>> {
    Some(vec![0; 4])
}
fn zero128() -> Option<Vec<u8>> {
    Some(vec![0; 16])
}
fn yes() -> Option<Vec<u8>> {
    Some(vec![1])
}
fn no() -> Option<Vec<u8>> {
    Some(vec![0])
}
fn none() -> Option<Vec<u8>> {
    None
}

/// Plain values.
pub mod global {
    use super::*;
    /// `TotalIssuance` (u64; `InitialIssuance` 0).
    pub const TOTAL_ISSUANCE: Item = glob("TotalIssuance", zero64);
    /// `TotalStake` (u64).
    pub const TOTAL_STAKE: Item = glob("TotalStake", zero64);
    /// `TaoWeight` (u64-normalised).
    pub const TAO_WEIGHT: Item = glob("TaoWeight", || {
        Some(971_718_665_099_567_868u64.to_le_bytes().to_vec())
    });
    /// `SubnetOwnerCut` (u16-normalised).
    pub const SUBNET_OWNER_CUT: Item =
        glob("SubnetOwnerCut", || Some(11_796u16.to_le_bytes().to_vec()));
    /// `SubnetMovingAlpha` (I96F32, default 0.000003).
    pub const SUBNET_MOVING_ALPHA: Item = glob("SubnetMovingAlpha", || {
        Some(
            crate::emission::moving_price::default_moving_alpha()
                .to_bits()
                .to_le_bytes()
                .to_vec(),
        )
    });
    /// `MaxEpochsPerBlock` (u8).
    pub const MAX_EPOCHS_PER_BLOCK: Item = glob("MaxEpochsPerBlock", || Some(vec![2]));
    /// `EmissionGateBar` θ (U64F64; 0 = never computed). Spec 440+.
    pub const EMISSION_GATE_BAR: Item = glob("EmissionGateBar", zero128);
    /// `EmissionBarQuantile` q (U64F64, default 0.61). Spec 440+.
    pub const EMISSION_BAR_QUANTILE: Item = glob("EmissionBarQuantile", || {
        Some(DEFAULT_EMISSION_BAR_QUANTILE_BITS.to_le_bytes().to_vec())
    });
    /// `EmissionGateExponent` h (U64F64, default 3). Spec 440+.
    pub const EMISSION_GATE_EXPONENT: Item = glob("EmissionGateExponent", || {
        Some(U64F64::from_num(3).to_bits().to_le_bytes().to_vec())
    });
    /// `EmissionBarRank` N (u16, default 32). Spec 441+.
    pub const EMISSION_BAR_RANK: Item = glob("EmissionBarRank", || {
        Some(DEFAULT_EMISSION_BAR_RANK.to_le_bytes().to_vec())
    });
}

/// Maps keyed by the netuid.
pub mod subnet {
    use super::*;
    /// `NetworksAdded` (bool).
    pub const NETWORKS_ADDED: Item = sub("NetworksAdded", no);
    /// `SubnetMechanism` (u16; 1 = dynamic).
    pub const SUBNET_MECHANISM: Item = sub("SubnetMechanism", || Some(vec![0, 0]));
    /// `FirstEmissionBlockNumber` (u64, option query).
    pub const FIRST_EMISSION_BLOCK: Item = sub("FirstEmissionBlockNumber", none);
    /// `SubtokenEnabled` (bool, default false).
    pub const SUBTOKEN_ENABLED: Item = sub("SubtokenEnabled", no);
    /// `NetworkRegistrationAllowed` (bool, default true).
    pub const REGISTRATION_ALLOWED: Item = sub("NetworkRegistrationAllowed", yes);
    /// `SubnetAlphaInProvided` (u64, default 0): user-provided pool alpha, counted in the alpha
    /// issuance and drawn first by a buy, up to 385 only.
    pub const ALPHA_IN_PROVIDED: Item = sub("SubnetAlphaInProvided", zero64);
    /// `NetworkPowRegistrationAllowed` (bool, default true: the tags' `DefaultRegistrationAllowed`);
    /// read by the emitting-subnet filter up to 393 only.
    pub const POW_REGISTRATION_ALLOWED: Item = sub("NetworkPowRegistrationAllowed", yes);
    /// `SubnetEmissionEnabled` (bool, default true).
    pub const EMISSION_ENABLED: Item = sub("SubnetEmissionEnabled", yes);
    /// `OwnerCutEnabled` (bool, default true).
    pub const OWNER_CUT_ENABLED: Item = sub("OwnerCutEnabled", yes);
    /// `SubnetMovingPrice` (I96F32).
    pub const MOVING_PRICE: Item = sub("SubnetMovingPrice", zero128);
    /// `MinerBurned` (U96F32 fraction).
    pub const MINER_BURNED: Item = sub("MinerBurned", zero128);
    /// `RootProp` (U96F32).
    pub const ROOT_PROP: Item = sub("RootProp", zero128);
    /// `EMAPriceHalvingBlocks` (u64, default 201 600).
    pub const EMA_HALVING: Item = sub("EMAPriceHalvingBlocks", || {
        Some(
            crate::emission::moving_price::DEFAULT_EMA_PRICE_HALVING_BLOCKS
                .to_le_bytes()
                .to_vec(),
        )
    });
    /// `SubnetTAO` (u64).
    pub const SUBNET_TAO: Item = sub("SubnetTAO", zero64);
    /// `SubnetAlphaIn` (u64).
    pub const ALPHA_IN: Item = sub("SubnetAlphaIn", zero64);
    /// `SubnetAlphaOut` (u64).
    pub const ALPHA_OUT: Item = sub("SubnetAlphaOut", zero64);
    /// `SubnetProtocolAlpha` (u64).
    pub const PROTOCOL_ALPHA: Item = sub("SubnetProtocolAlpha", zero64);
    /// `Tempo` (u16, default 360).
    pub const TEMPO: Item = sub("Tempo", || Some(360u16.to_le_bytes().to_vec()));
    /// `LastEpochBlock` (u64).
    pub const LAST_EPOCH_BLOCK: Item = sub("LastEpochBlock", zero64);
    /// `PendingEpochAt` (u64).
    pub const PENDING_EPOCH_AT: Item = sub("PendingEpochAt", zero64);
    /// `BlocksSinceLastStep` (u64).
    pub const BLOCKS_SINCE_LAST_STEP: Item = sub("BlocksSinceLastStep", zero64);
    /// `PendingServerEmission` (u64).
    pub const PENDING_SERVER: Item = sub("PendingServerEmission", zero64);
    /// `PendingValidatorEmission` (u64).
    pub const PENDING_VALIDATOR: Item = sub("PendingValidatorEmission", zero64);
    /// `PendingRootAlphaDivs` (u64).
    pub const PENDING_ROOT_ALPHA: Item = sub("PendingRootAlphaDivs", zero64);
    /// `PendingOwnerCut` (u64).
    pub const PENDING_OWNER_CUT: Item = sub("PendingOwnerCut", zero64);
    /// `SubnetTaoInEmission` (u64).
    pub const TAO_IN_EMISSION: Item = sub("SubnetTaoInEmission", zero64);
    /// `SubnetAlphaInEmission` (u64).
    pub const ALPHA_IN_EMISSION: Item = sub("SubnetAlphaInEmission", zero64);
    /// `SubnetAlphaOutEmission` (u64).
    pub const ALPHA_OUT_EMISSION: Item = sub("SubnetAlphaOutEmission", zero64);
    /// `SubnetExcessTao` (u64).
    pub const EXCESS_TAO: Item = sub("SubnetExcessTao", zero64);
    /// `Swap.SwapBalancer` (the quote weight's Perquintill parts, default 1/2).
    pub const SWAP_BALANCER: Item = swap("SwapBalancer", || {
        Some(500_000_000_000_000_000u64.to_le_bytes().to_vec())
    });
    /// `Swap.PalSwapInitialized` (bool).
    pub const PAL_SWAP_INITIALIZED: Item = swap("PalSwapInitialized", no);
    /// `Swap.BalancerTaoReservoir` (u64). Spec 432+.
    pub const TAO_RESERVOIR: Item = swap("BalancerTaoReservoir", zero64);
    /// `Swap.BalancerAlphaReservoir` (u64). Spec 432+.
    pub const ALPHA_RESERVOIR: Item = swap("BalancerAlphaReservoir", zero64);
}

/// What the coinbase of specs 411–422 writes besides [`subnet`]: the Uniswap-v3 pool
/// (`pallets/swap/src/pallet/mod.rs` at v3.4.6-421, `Twox64Concat(NetUid)` maps), the flow and
/// volume counters (`SubtensorModule`, `Identity`) and the alpha-assets pallet's issuance
/// (`pallets/alpha-assets`, `Twox64Concat`). `Swap.Ticks` and `Swap.Positions` are keyed by more
/// than the netuid ([`crate::chain::replay_v3_read`] builds those keys).
pub mod v3 {
    use super::*;
    /// `Swap.FeesTao` (u64): spec 380's balancer LP fees, collected by the injection.
    pub const FEES_TAO: Item = swap("FeesTao", zero64);
    /// `Swap.FeesAlpha` (u64): spec 380's balancer LP fees, collected by the injection.
    pub const FEES_ALPHA: Item = swap("FeesAlpha", zero64);
    /// `SubnetVolume` (u128).
    pub const SUBNET_VOLUME: Item = sub("SubnetVolume", zero128);
    /// `SubnetProtocolFlow` (i64).
    pub const PROTOCOL_FLOW: Item = sub("SubnetProtocolFlow", zero64);
    /// `AlphaAssets.TotalAlphaIssuance` (u64).
    pub const TOTAL_ALPHA_ISSUANCE: Item = Item {
        pallet: ALPHA_ASSETS_PALLET,
        name: "TotalAlphaIssuance",
        per_subnet: true,
        default: zero64,
    };
    /// `AlphaAssets.AlphaRecycled` (u64).
    pub const ALPHA_RECYCLED: Item = Item {
        pallet: ALPHA_ASSETS_PALLET,
        name: "AlphaRecycled",
        per_subnet: true,
        default: zero64,
    };
    /// `SubnetworkN` (u16).
    pub const SUBNETWORK_N: Item = sub("SubnetworkN", || Some(vec![0, 0]));
    /// `LastMechansimStepBlock` (u64; the chain's spelling), written by the legacy drain.
    pub const LAST_MECHANISM_STEP_BLOCK: Item = sub("LastMechansimStepBlock", zero64);
    /// `SubnetTaoFlow` (i64, specs 401–419: the block's user flow, reset when the EMA steps).
    pub const SUBNET_TAO_FLOW: Item = sub("SubnetTaoFlow", zero64);
    /// `SubnetEmaTaoFlow` (`Option<(u64 block, I64F64)>`).
    pub const EMA_TAO_FLOW: Item = sub("SubnetEmaTaoFlow", none);
    /// `SubnetEmaProtocolFlow` (`Option<(u64 block, I64F64)>`).
    pub const EMA_PROTOCOL_FLOW: Item = sub("SubnetEmaProtocolFlow", none);
    /// `FlowEmaSmoothingFactor` (u64, default 29 597 889 189 277 of `i64::MAX`).
    pub const FLOW_EMA_SMOOTHING: Item = glob("FlowEmaSmoothingFactor", || {
        Some(
            crate::emission::flow::FLOW_EMA_SMOOTHING_FACTOR
                .to_le_bytes()
                .to_vec(),
        )
    });
    /// `TaoFlowCutoff` (I64F64, default 0).
    pub const TAO_FLOW_CUTOFF: Item = glob("TaoFlowCutoff", zero128);
    /// `FlowNormExponent` (U64F64, default 1).
    pub const FLOW_NORM_EXPONENT: Item = glob("FlowNormExponent", || {
        Some((1u128 << 64).to_le_bytes().to_vec())
    });
    /// `NetTaoFlowEnabled` (bool, default true).
    pub const NET_TAO_FLOW_ENABLED: Item = glob("NetTaoFlowEnabled", yes);
    /// `Swap.LastPositionId` (u128, a plain value).
    pub const LAST_POSITION_ID: Item = Item {
        pallet: SWAP_PALLET,
        name: "LastPositionId",
        per_subnet: false,
        default: zero128,
    };
    /// `Swap.SwapV3Initialized` (bool).
    pub const V3_INITIALIZED: Item = swap("SwapV3Initialized", no);
    /// `Swap.AlphaSqrtPrice` (U64F64).
    pub const ALPHA_SQRT_PRICE: Item = swap("AlphaSqrtPrice", zero128);
    /// `Swap.CurrentTick` (i32).
    pub const CURRENT_TICK: Item = swap("CurrentTick", zero32);
    /// `Swap.CurrentLiquidity` (u64).
    pub const CURRENT_LIQUIDITY: Item = swap("CurrentLiquidity", zero64);
    /// `Swap.FeeGlobalTao` (U64F64).
    pub const FEE_GLOBAL_TAO: Item = swap("FeeGlobalTao", zero128);
    /// `Swap.FeeGlobalAlpha` (U64F64).
    pub const FEE_GLOBAL_ALPHA: Item = swap("FeeGlobalAlpha", zero128);
    /// `Swap.ScrapReservoirTao` (u64).
    pub const SCRAP_TAO: Item = swap("ScrapReservoirTao", zero64);
    /// `Swap.ScrapReservoirAlpha` (u64).
    pub const SCRAP_ALPHA: Item = swap("ScrapReservoirAlpha", zero64);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::chain::storage::{item_named, swap_item_named, KeyArg};

    #[test]
    fn keys_and_defaults_agree_with_the_key_table() {
        use subnet::*;
        let shared = [
            NETWORKS_ADDED,
            SUBNET_MECHANISM,
            SUBNET_TAO,
            ALPHA_IN,
            ALPHA_OUT,
            MOVING_PRICE,
            TEMPO,
            LAST_EPOCH_BLOCK,
            PENDING_EPOCH_AT,
            BLOCKS_SINCE_LAST_STEP,
            PENDING_SERVER,
            PENDING_VALIDATOR,
            PENDING_ROOT_ALPHA,
            PENDING_OWNER_CUT,
            SWAP_BALANCER,
            PAL_SWAP_INITIALIZED,
            TAO_RESERVOIR,
            ALPHA_RESERVOIR,
        ];
        for it in shared {
            let t = item_named(it.name)
                .filter(|t| t.pallet == it.pallet)
                .or_else(|| swap_item_named(it.name))
                .unwrap();
            assert_eq!(t.key(&[KeyArg::U16(7)]).unwrap(), it.key(7), "{}", it.name);
            assert_eq!(t.default_bytes(), (it.default)(), "{}", it.name);
        }
        let mpe = item_named("MaxEpochsPerBlock").unwrap();
        assert_eq!(mpe.key(&[]).unwrap(), global::MAX_EPOCHS_PER_BLOCK.key(0));
        assert_eq!(
            mpe.default_bytes(),
            (global::MAX_EPOCHS_PER_BLOCK.default)()
        );
        // The gate bar's item hash as the spec lists it.
        assert!(global::EMISSION_GATE_BAR
            .key_hex(0)
            .ends_with("7c9b0d2964cc73e7519676c3cc4d5df9"));
        assert_eq!(
            (global::EMISSION_GATE_EXPONENT.default)(),
            Some(55_340_232_221_128_654_848u128.to_le_bytes().to_vec())
        );
    }
}
