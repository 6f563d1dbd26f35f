//! One validator's fund (beta basket): shares, rate, watermarks, holdings and queue.
//!
//! The storage of `pallets/subtensor/src/staking/claim_root.rs` and `basket_flush.rs`
//! (RaoFoundation/subtensor index ids 68851360157 and 66483701187), keyed by one root validator
//! hotkey; spec `emission-after-425.md` §3.4.
//!
//! | field | chain storage |
//! | --- | --- |
//! | [`RootFund::shares`] | `BasketShares[h]` (P) |
//! | [`RootFund::rate`] | `BasketRate[h]` (I96F32, shares per rao of real root stake) |
//! | [`RootFund::claimed`] | `BasketClaimed[h][c]` (signed i128 watermark) |
//! | [`RootFund::holdings`] | stake of `(h, ESCROW, n)`; netuid 0 is the root (TAO) cash slot |
//! | [`RootFund::pending`] | `PendingBasketDeposits[h][n]` |
//! | [`RootFund::root_stakes`] | stake of `(h, c, ROOT)` for every real staker `c` |
//! | [`RootFund::stake_blocks`] | `LastColdkeyHotkeyStakeBlock[(c, h)]` |
//! | [`RootFund::deposited_tao`] / [`RootFund::redeemed_tao`] | `BasketDepositedTao` / `BasketRedeemedTao` |
//!
//! Escrow positions are held here as plain amounts. On chain they are share-pool positions whose
//! credits can round by a rao; callers that model the share pool re-read the position after a
//! credit, as the chain does.

use crate::emission::stake_book::AccountId;
use std::collections::BTreeMap;
use substrate_fixed::types::I96F32;

/// The root subnet: the fund's cash slot (TAO held 1:1).
pub const ROOT: u16 = 0;

/// One root validator's fund.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RootFund {
    /// Outstanding fund shares, P.
    pub shares: u64,
    /// Cumulative fund shares minted per rao of real root stake.
    pub rate: I96F32,
    /// Claimed watermark per coldkey, in shares. Negative values are share grants.
    pub claimed: BTreeMap<AccountId, i128>,
    /// Escrow holdings per netuid (alpha; TAO on [`ROOT`]).
    pub holdings: BTreeMap<u16, u64>,
    /// Queued dividend credits per origin netuid (alpha).
    pub pending: BTreeMap<u16, u64>,
    /// Root stake of each real staker (the escrow is not a staker).
    pub root_stakes: BTreeMap<AccountId, u64>,
    /// Block of each staker's last root-stake increase (the hold clock).
    pub stake_blocks: BTreeMap<AccountId, u64>,
    /// Whether the hotkey holds a root UID (`Uids[ROOT][h]`); only then does it earn.
    pub on_root: bool,
    /// Lifetime TAO value deposited (display).
    pub deposited_tao: u64,
    /// Lifetime TAO redeemed (display).
    pub redeemed_tao: u64,
}

impl RootFund {
    /// An empty fund of a hotkey that holds a root UID.
    pub fn registered() -> Self {
        RootFund {
            on_root: true,
            ..RootFund::default()
        }
    }

    /// The escrow's holding on `netuid` (0 when absent).
    pub fn holding(&self, netuid: u16) -> u64 {
        self.holdings.get(&netuid).copied().unwrap_or(0)
    }

    /// The escrow's root slot: `stake(h, ESCROW, ROOT)`.
    pub fn escrow_root(&self) -> u64 {
        self.holding(ROOT)
    }

    /// The real stakers' root stake: `TotalHotkeyAlpha[h, ROOT] − escrow_root`.
    pub fn total_root(&self) -> u64 {
        self.root_stakes
            .values()
            .fold(0u64, |sum, s| sum.saturating_add(*s))
    }

    /// `stake(h, c, ROOT)`.
    pub fn root_stake(&self, coldkey: AccountId) -> u64 {
        self.root_stakes.get(&coldkey).copied().unwrap_or(0)
    }

    /// `BasketClaimed[h][c]`.
    pub fn claimed(&self, coldkey: AccountId) -> i128 {
        self.claimed.get(&coldkey).copied().unwrap_or(0)
    }

    /// Non-empty holdings in netuid order (`get_basket_holdings`).
    pub fn holdings_list(&self) -> Vec<(u16, u64)> {
        self.holdings
            .iter()
            .filter(|(_, a)| **a > 0)
            .map(|(n, a)| (*n, *a))
            .collect()
    }

    /// Add `amount` to the escrow holding on `netuid`.
    pub fn credit_holding(&mut self, netuid: u16, amount: u64) {
        if amount == 0 {
            return;
        }
        let slot = self.holdings.entry(netuid).or_insert(0);
        *slot = slot.saturating_add(amount);
    }

    /// Remove up to `amount` from the escrow holding on `netuid`; returns what left it. An emptied
    /// row is deleted, as the chain's share pool drops a zero position.
    pub fn debit_holding(&mut self, netuid: u16, amount: u64) -> u64 {
        let held = self.holding(netuid);
        let removed = held.min(amount);
        let left = held.saturating_sub(removed);
        if left == 0 {
            self.holdings.remove(&netuid);
        } else {
            self.holdings.insert(netuid, left);
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escrow_root_is_not_a_staker() {
        let mut f = RootFund::registered();
        f.credit_holding(ROOT, 100);
        f.root_stakes.insert(7, 900);
        f.root_stakes.insert(8, 100);
        assert_eq!(f.escrow_root(), 100);
        assert_eq!(f.total_root(), 1_000);
        assert_eq!(f.debit_holding(ROOT, 150), 100);
        assert!(f.holdings.is_empty());
        assert_eq!(f.holdings_list(), vec![]);
    }
}
