//! `DelegateInfo` and the `get_delegated` entries, current and pre-dTAO (spec `chain-data.md`
//! section 3; subtensor `pallets/subtensor/src/rpc_info/delegate_info.rs`).

use crate::chain::scale::{in_field, Codec, Reader};
use crate::chain::types::AccountId32;
use crate::error::Result;
use parity_scale_codec::Compact;

#[cfg(feature = "render")]
use crate::chain::render::RenderOpts;
#[cfg(feature = "render")]
use serde_json::Value;

/// `Vec<(AccountId32, Vec<(Compact<u16>, Compact<u64>)>)>`: nominator -> per-subnet stake.
type Nominators = Vec<(AccountId32, Vec<(Compact<u16>, Compact<u64>)>)>;

scale_struct! {
    /// A delegate (current layout).
    pub struct DelegateInfo {
        /// Delegate hotkey.
        pub delegate_ss58: AccountId32 as AccountId32,
        /// Take (fraction of 65535).
        pub take: u16 as Compact<u16>,
        /// Nominators with their stake per subnet.
        pub nominators: Vec<(AccountId32, Vec<(u16, u64)>)> as Nominators,
        /// Owner coldkey.
        pub owner_ss58: AccountId32 as AccountId32,
        /// Subnets registered on.
        pub registrations: Vec<u16> as Vec<Compact<u16>>,
        /// Subnets with a validator permit.
        pub validator_permits: Vec<u16> as Vec<Compact<u16>>,
        /// Return per 1000 staked.
        pub return_per_1000: u64 as Compact<u64>,
        /// Total daily return.
        pub total_daily_return: u64 as Compact<u64>,
    }
}

scale_struct! {
    /// A delegate, pre-dTAO layout (`nominators: Vec<(AccountId32, Compact<u64>)>`).
    pub struct DelegateInfoLegacy {
        /// Delegate hotkey.
        pub delegate_ss58: AccountId32 as AccountId32,
        /// Take.
        pub take: u16 as Compact<u16>,
        /// Nominators with their stake.
        pub nominators: Vec<(AccountId32, u64)> as Vec<(AccountId32, Compact<u64>)>,
        /// Owner coldkey.
        pub owner_ss58: AccountId32 as AccountId32,
        /// Subnets registered on.
        pub registrations: Vec<u16> as Vec<Compact<u16>>,
        /// Subnets with a validator permit.
        pub validator_permits: Vec<u16> as Vec<Compact<u16>>,
        /// Return per 1000 staked.
        pub return_per_1000: u64 as Compact<u64>,
        /// Total daily return.
        pub total_daily_return: u64 as Compact<u64>,
    }
}

/// One `get_delegated` entry: `(DelegateInfo, (Compact<u16> netuid, Compact<u64> amount))`.
/// Rendered flat: the delegate's fields plus `delegated_netuid` and `delegated_amount`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delegated {
    /// The delegate.
    pub delegate: DelegateInfo,
    /// Subnet of the delegation.
    pub delegated_netuid: u16,
    /// Amount delegated.
    pub delegated_amount: u64,
}

/// One pre-dTAO `get_delegated` entry: `(DelegateInfoLegacy, Compact<u64> amount)`.
/// Rendered flat: the delegate's fields plus `delegated_amount`.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegatedLegacy {
    /// The delegate.
    pub delegate: DelegateInfoLegacy,
    /// Amount delegated.
    pub delegated_amount: u64,
}

#[cfg(feature = "render")]
fn flatten(inner: Value, extra: &[(&str, Value)]) -> Value {
    match inner {
        Value::Object(mut m) => {
            for (k, v) in extra {
                m.insert((*k).to_string(), v.clone());
            }
            Value::Object(m)
        }
        other => other,
    }
}

impl Codec for Delegated {
    type Value = Delegated;
    const MIN_LEN: usize = DelegateInfo::MIN_LEN + 2;
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let delegate = DelegateInfo::decode(r).map_err(|e| e.within("0"))?;
        let delegated_netuid = <Compact<u16>>::decode(r)
            .map_err(|e| in_field(e, "Delegated", "delegated_netuid").within("1"))?;
        let delegated_amount = <Compact<u64>>::decode(r)
            .map_err(|e| in_field(e, "Delegated", "delegated_amount").within("1"))?;
        Ok(Delegated {
            delegate,
            delegated_netuid,
            delegated_amount,
        })
    }
    fn encode_to(v: &Self, out: &mut Vec<u8>) {
        DelegateInfo::encode_to(&v.delegate, out);
        <Compact<u16>>::encode_to(&v.delegated_netuid, out);
        <Compact<u64>>::encode_to(&v.delegated_amount, out);
    }
    #[cfg(feature = "render")]
    fn render(v: &Self, opts: &RenderOpts) -> Value {
        flatten(
            DelegateInfo::render(&v.delegate, opts),
            &[
                ("delegated_netuid", u16::render(&v.delegated_netuid, opts)),
                ("delegated_amount", u64::render(&v.delegated_amount, opts)),
            ],
        )
    }
}

impl Codec for DelegatedLegacy {
    type Value = DelegatedLegacy;
    const MIN_LEN: usize = DelegateInfoLegacy::MIN_LEN + 1;
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let delegate = DelegateInfoLegacy::decode(r).map_err(|e| e.within("0"))?;
        let delegated_amount = <Compact<u64>>::decode(r)
            .map_err(|e| in_field(e, "DelegatedLegacy", "delegated_amount").within("1"))?;
        Ok(DelegatedLegacy {
            delegate,
            delegated_amount,
        })
    }
    fn encode_to(v: &Self, out: &mut Vec<u8>) {
        DelegateInfoLegacy::encode_to(&v.delegate, out);
        <Compact<u64>>::encode_to(&v.delegated_amount, out);
    }
    #[cfg(feature = "render")]
    fn render(v: &Self, opts: &RenderOpts) -> Value {
        flatten(
            DelegateInfoLegacy::render(&v.delegate, opts),
            &[("delegated_amount", u64::render(&v.delegated_amount, opts))],
        )
    }
}
