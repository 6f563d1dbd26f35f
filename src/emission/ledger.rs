//! Where every minted rao went: cumulative counters kept by the pipeline ([`Ledger`]); the audit
//! that checks them against the state is [`super::audit`].
//!
//! TAO: each block's credit is either injected into a pool reserve, spent on a chain buy, or
//! recycled (`TotalIssuance` decreases). Alpha (per subnet): `alpha_in` is minted into the pool
//! reserve; `alpha_out` is minted outstanding and goes to the pending buckets, to recycling (root
//! alpha without root sell), or stays as floor dust; at the epoch the drained buckets are staked,
//! recycled, burned, credited to root-claim escrow (`RootClaimable`) or left undistributed.

use std::collections::BTreeMap;

/// TAO counters (rao, cumulative).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TaoLedger {
    /// Block emission credited (`TotalIssuance` increase).
    pub minted: u128,
    /// Unspent credit recycled (`TotalIssuance` decrease).
    pub recycled: u128,
    /// `tao_in` added to pool reserves.
    pub injected: u128,
    /// Excess TAO spent on chain buys (entered pool reserves).
    pub chain_bought: u128,
    /// TAO taken out of subnet pools by root-claim swaps and staked on root.
    pub claim_sold: u128,
    /// TAO users put into subnet pool reserves (stake buys and registration burns, net of fees).
    pub user_in: u128,
    /// TAO users took out of subnet pool reserves (unstake sells, alpha-fee resales).
    pub user_out: u128,
    /// TAO users staked on root (stable, 1:1).
    pub root_in: u128,
    /// TAO users unstaked from root.
    pub root_out: u128,
    /// Swap fees paid to block authors (TAO; TAO from alpha-fee resales included).
    pub fees_to_author: u128,
}

/// Alpha counters of one subnet (alpha-rao, cumulative).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AlphaLedger {
    /// `alpha_in` minted into the pool reserve.
    pub minted_in: u128,
    /// `alpha_out` minted (outstanding).
    pub minted_out: u128,
    /// Outstanding alpha created by stable-mechanism swaps beyond the (saturating) reserve.
    pub stable_mint: u128,
    /// Added to the pending buckets.
    pub to_pending: u128,
    /// Floor remainders of the per-block split (outstanding, owned by nobody).
    pub emit_dust: u128,
    /// Root alpha recycled at emission (no root sell).
    pub recycled_emit: u128,
    /// Taken out of the pending buckets at epochs.
    pub drained: u128,
    /// Staked to hotkeys/coldkeys from drained emission.
    pub staked_drain: u128,
    /// Recycled at distribution (owner-hotkey incentive, child-key burn, ...).
    pub recycled_drain: u128,
    /// Burned at distribution (owner-hotkey incentive under `Burn`).
    pub burned: u128,
    /// Credited to root-claim escrow (`RootClaimable`).
    pub escrow_in: u128,
    /// Claimed out of escrow (Keep: staked; Swap: sold into the pool).
    pub escrow_out: u128,
    /// Staked by Keep claims.
    pub staked_claim: u128,
    /// Sold into the pool by Swap claims.
    pub sold_to_pool: u128,
    /// Bought by chain buys (`SubnetProtocolAlpha`).
    pub protocol_bought: u128,
    /// Bought out of the pool by user stakes and staked.
    pub user_staked: u128,
    /// Unstaked by users (the whole amount: sold into the pool, its fee included).
    pub user_unstaked: u128,
    /// Bought out of the pool by registration burns and recycled.
    pub reg_recycled: u128,
    /// Alpha fees of sells burned because their fee-free resale failed.
    pub fee_burned: u128,
}

impl AlphaLedger {
    /// Drained emission that reached no one (no recipients, floor remainders). Negative only if
    /// the chain recycled more than it drained (child-key burn is taken from the epoch dividend
    /// weights, not from the drained buckets).
    pub fn undistributed(&self) -> i128 {
        let paid = sum(&[
            to_i(self.staked_drain),
            to_i(self.recycled_drain),
            to_i(self.burned),
            to_i(self.escrow_in),
        ]);
        to_i(self.drained).saturating_sub(paid)
    }
}

pub(super) fn to_i(x: u128) -> i128 {
    i128::try_from(x).unwrap_or(i128::MAX)
}

/// Saturating sum of signed terms.
pub(super) fn sum(xs: &[i128]) -> i128 {
    xs.iter().fold(0i128, |a, b| a.saturating_add(*b))
}

/// All counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    /// TAO counters.
    pub tao: TaoLedger,
    /// Alpha counters per subnet.
    pub alpha: BTreeMap<u16, AlphaLedger>,
}

impl Ledger {
    /// The alpha ledger of `netuid`, created on first use.
    pub fn alpha_mut(&mut self, netuid: u16) -> &mut AlphaLedger {
        self.alpha.entry(netuid).or_default()
    }
}
