//! `DynamicInfo` (`get_dynamic_info`, `get_all_dynamic_info`; spec `chain-data.md` section 3,
//! subtensor `pallets/subtensor/src/rpc_info/dynamic_info.rs`). Unchanged since at least spec 320.

use crate::chain::scale::CompactText;
use crate::chain::types::{AccountId32, SubnetIdentityV3, I96F32};
use parity_scale_codec::Compact;

scale_struct! {
    columnar
    /// Pool and emission state of one subnet.
    pub struct DynamicInfo {
        /// Subnet.
        pub netuid: u16 as Compact<u16>,
        /// Owner hotkey.
        pub owner_hotkey: AccountId32 as AccountId32,
        /// Owner coldkey.
        pub owner_coldkey: AccountId32 as AccountId32,
        /// Name (UTF-8).
        pub subnet_name: Vec<u8> as CompactText,
        /// Token symbol (UTF-8).
        pub token_symbol: Vec<u8> as CompactText,
        /// Tempo.
        pub tempo: u16 as Compact<u16>,
        /// Block of the last epoch.
        pub last_step: u64 as Compact<u64>,
        /// Blocks since the last epoch.
        pub blocks_since_last_step: u64 as Compact<u64>,
        /// Always 0.
        pub emission: u64 as Compact<u64>,
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
        /// Pending root emission.
        pub pending_root_emission: u64 as Compact<u64>,
        /// Volume (u128).
        pub subnet_volume: u128 as Compact<u128>,
        /// Registration block.
        pub network_registered_at: u64 as Compact<u64>,
        /// Identity.
        pub subnet_identity: Option<SubnetIdentityV3> as Option<SubnetIdentityV3>,
        /// Moving price.
        pub moving_price: I96F32 as I96F32,
    }
}
