//! `StakeInfo`, `StakeAvailability`, `LockState` and the pre-dTAO `StakeInfo` (spec
//! `chain-data.md` section 3; subtensor `pallets/subtensor/src/rpc_info/stake_info.rs`).

use crate::chain::types::{AccountId32, U64F64};
use parity_scale_codec::Compact;

scale_struct! {
    /// One stake position (identical at specs 343, 422 and 425).
    pub struct StakeInfo {
        /// Hotkey.
        pub hotkey: AccountId32 as AccountId32,
        /// Coldkey.
        pub coldkey: AccountId32 as AccountId32,
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Alpha stake (rao).
        pub stake: u64 as Compact<u64>,
        /// Locked.
        pub locked: u64 as Compact<u64>,
        /// Alpha emission.
        pub emission: u64 as Compact<u64>,
        /// TAO emission.
        pub tao_emission: u64 as Compact<u64>,
        /// Drain.
        pub drain: u64 as Compact<u64>,
        /// Hotkey registered on the subnet.
        pub is_registered: bool as bool,
    }
}

scale_struct! {
    /// Pre-dTAO `StakeInfo`.
    pub struct StakeInfoLegacy {
        /// Hotkey.
        pub hotkey: AccountId32 as AccountId32,
        /// Coldkey.
        pub coldkey: AccountId32 as AccountId32,
        /// Stake (rao).
        pub stake: u64 as Compact<u64>,
    }
}

scale_struct! {
    /// `get_stake_availability_for_coldkeys` values.
    pub struct StakeAvailability {
        /// Total.
        pub total: u64 as Compact<u64>,
        /// Locked.
        pub locked: u64 as Compact<u64>,
        /// Available.
        pub available: u64 as Compact<u64>,
    }
}

scale_struct! {
    /// `get_coldkey_lock` (plain integers, not compact).
    pub struct LockState {
        /// Locked mass.
        pub locked_mass: u64 as u64,
        /// Conviction.
        pub conviction: U64F64 as U64F64,
        /// Last update block.
        pub last_update: u64 as u64,
    }
}

scale_struct! {
    /// `MinerCollateralState` (value of `MinerCollateral`, spec 436+; `emission-after-425.md` §4.1):
    /// a miner's registration collateral on one `(netuid, hotkey, coldkey)`.
    pub struct MinerCollateralState {
        /// Alpha locked.
        pub locked: u64 as u64,
        /// Drain ratio k snapshotted at registration.
        pub drain_ratio: U64F64 as U64F64,
        /// Miner-set floor.
        pub min_locked: u64 as u64,
        /// Lifetime emission while the entry existed (saturating).
        pub earned: u64 as u64,
    }
}

scale_struct! {
    /// `SubnetLease` (value of `SubnetLeases`; subtensor `subnets/leasing.rs` @ v3.4.9-424).
    pub struct SubnetLease {
        /// Beneficiary: operates the subnet, takes the contributors' leftover.
        pub beneficiary: AccountId32 as AccountId32,
        /// The lease's coldkey (owns the subnet while leased).
        pub coldkey: AccountId32 as AccountId32,
        /// The lease's hotkey.
        pub hotkey: AccountId32 as AccountId32,
        /// The contributors' share of the owner cut (`Percent`, 0–100).
        pub emissions_share: u8 as u8,
        /// Last block of the lease (`None`: perpetual).
        pub end_block: Option<u32> as Option<u32>,
        /// The leased subnet.
        pub netuid: u16 as u16,
        /// Cost of the lease (rao).
        pub cost: u64 as u64,
    }
}
