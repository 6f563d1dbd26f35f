//! Root dividends owed to root stakers and how they are claimed.
//!
//! Port of `get_root_owed_for_hotkey_coldkey`, `root_claim_on_subnet`, `root_claim_all` and the
//! watermark adjustments (`add_stake_adjust_root_claimed_for_hotkey_and_coldkey`,
//! `remove_stake_adjust_root_claimed_for_hotkey_and_coldkey`) of
//! `pallets/subtensor/src/staking/claim_root.rs` (subtensor @ 14bc6f9); spec §10.

use super::stake_book::AccountId;
use super::state::{Network, RootClaimType};
use super::subnet_pool::SubnetPool;
use std::collections::BTreeSet;
use substrate_fixed::types::I96F32;

/// Outcome of one claim on one subnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ClaimOutcome {
    /// Nothing claimed (below the threshold, nothing owed, or the swap failed).
    Skipped,
    /// Alpha kept staked on the subnet.
    Kept(u64),
    /// Alpha sold; the TAO was staked on root. (alpha sold, TAO received)
    Swapped(u64, u64),
}

impl<P: SubnetPool> Network<P> {
    /// `RootClaimable[hotkey][netuid]` (0 when absent).
    pub fn root_claimable_rate(&self, hotkey: AccountId, netuid: u16) -> I96F32 {
        self.root_claimable
            .get(&hotkey)
            .and_then(|m| m.get(&netuid).copied())
            .unwrap_or_else(|| I96F32::from_num(0))
    }

    /// Owed alpha as a float: `rate · root_stake(h, c) − RootClaimed[(n, h, c)]` (may be negative).
    pub fn root_owed_float(&self, hotkey: AccountId, coldkey: AccountId, netuid: u16) -> I96F32 {
        let stake = I96F32::saturating_from_num(self.stakes.stake(hotkey, coldkey, 0));
        let claimable = self
            .root_claimable_rate(hotkey, netuid)
            .saturating_mul(stake);
        let claimed = I96F32::saturating_from_num(
            self.root_claimed
                .get(&(netuid, hotkey, coldkey))
                .copied()
                .unwrap_or(0),
        );
        claimable.saturating_sub(claimed)
    }

    /// `get_root_owed_for_hotkey_coldkey`: owed alpha floored, negative → 0.
    pub fn root_owed(&self, hotkey: AccountId, coldkey: AccountId, netuid: u16) -> u64 {
        let owed = self.root_owed_float(hotkey, coldkey, netuid);
        if owed.is_negative() {
            0
        } else {
            owed.saturating_to_num::<u64>()
        }
    }

    /// `root_claim_on_subnet`: claim what `(hotkey, coldkey)` is owed on `netuid` as `claim_type`.
    pub fn root_claim_on_subnet(
        &mut self,
        hotkey: AccountId,
        coldkey: AccountId,
        netuid: u16,
        claim_type: &RootClaimType,
        ignore_minimum: bool,
    ) -> ClaimOutcome {
        let owed = self.root_owed_float(hotkey, coldkey, netuid);
        let threshold = self
            .subnets
            .get(&netuid)
            .map_or(500_000, |s| s.root_claimable_threshold);
        if !ignore_minimum && owed < I96F32::saturating_from_num(threshold) {
            return ClaimOutcome::Skipped;
        }
        let owed_u64 = if owed.is_negative() {
            0
        } else {
            owed.saturating_to_num::<u64>()
        };
        if owed_u64 == 0 {
            return ClaimOutcome::Skipped;
        }
        let keep = match claim_type {
            RootClaimType::Keep => true,
            RootClaimType::Swap => false,
            RootClaimType::KeepSubnets(set) => set.contains(&netuid),
        };
        let outcome = if keep {
            self.stakes.increase(hotkey, coldkey, netuid, owed_u64);
            let l = self.ledger.alpha_mut(netuid);
            l.staked_claim = l.staked_claim.saturating_add(u128::from(owed_u64));
            ClaimOutcome::Kept(owed_u64)
        } else {
            let Some(subnet) = self.subnets.get_mut(&netuid) else {
                return ClaimOutcome::Skipped;
            };
            let Ok(swap) = subnet.pool.swap_alpha_for_tao(owed_u64, true) else {
                return ClaimOutcome::Skipped;
            };
            subnet.alpha_out = subnet.alpha_out.saturating_sub(swap.amount_paid_in);
            let tao = swap.amount_paid_out;
            self.root_tao = self.root_tao.saturating_add(tao);
            self.root_alpha_out = self.root_alpha_out.saturating_add(tao);
            self.stakes.increase(hotkey, coldkey, 0, tao);
            self.add_stake_adjust_root_claimed(hotkey, coldkey, tao);
            self.ledger.tao.claim_sold = self.ledger.tao.claim_sold.saturating_add(u128::from(tao));
            let l = self.ledger.alpha_mut(netuid);
            l.sold_to_pool = l.sold_to_pool.saturating_add(u128::from(owed_u64));
            ClaimOutcome::Swapped(owed_u64, tao)
        };
        let l = self.ledger.alpha_mut(netuid);
        l.escrow_out = l.escrow_out.saturating_add(u128::from(owed_u64));
        let w = self
            .root_claimed
            .entry((netuid, hotkey, coldkey))
            .or_insert(0);
        *w = w.saturating_add(u128::from(owed_u64));
        outcome
    }

    /// `do_root_claim`: claim every hotkey's claimable subnets for `coldkey` (optionally only
    /// `subnets`), with the coldkey's `RootClaimType`.
    pub fn claim_root(
        &mut self,
        coldkey: AccountId,
        subnets: Option<&BTreeSet<u16>>,
    ) -> Vec<(AccountId, u16, ClaimOutcome)> {
        let claim_type = self
            .root_claim_type
            .get(&coldkey)
            .cloned()
            .unwrap_or_default();
        let targets: Vec<(AccountId, u16)> = self
            .root_claimable
            .iter()
            .flat_map(|(h, m)| m.keys().map(move |n| (*h, *n)))
            .filter(|(h, _)| {
                self.stakes.stake(*h, coldkey, 0) > 0
                    || self
                        .root_claimed
                        .keys()
                        .any(|(_, hh, c)| hh == h && *c == coldkey)
            })
            .filter(|(_, n)| subnets.is_none_or(|s| s.contains(n)))
            .collect();
        targets
            .into_iter()
            .map(|(h, n)| {
                (
                    h,
                    n,
                    self.root_claim_on_subnet(h, coldkey, n, &claim_type, false),
                )
            })
            .collect()
    }

    /// New root stake does not earn past dividends: `RootClaimed += rate · amount` on every subnet.
    pub fn add_stake_adjust_root_claimed(
        &mut self,
        hotkey: AccountId,
        coldkey: AccountId,
        amount: u64,
    ) {
        let rates: Vec<(u16, I96F32)> = self
            .root_claimable
            .get(&hotkey)
            .map(|m| m.iter().map(|(n, r)| (*n, *r)).collect())
            .unwrap_or_default();
        for (netuid, rate) in rates {
            let add = rate
                .saturating_mul(I96F32::saturating_from_num(amount))
                .saturating_to_num::<u128>();
            let w = self
                .root_claimed
                .entry((netuid, hotkey, coldkey))
                .or_insert(0);
            *w = w.saturating_add(add);
        }
    }

    /// Removed root stake keeps what it is owed: `RootClaimed −= rate · amount` on every subnet.
    pub fn remove_stake_adjust_root_claimed(
        &mut self,
        hotkey: AccountId,
        coldkey: AccountId,
        amount: u64,
    ) {
        let rates: Vec<(u16, I96F32)> = self
            .root_claimable
            .get(&hotkey)
            .map(|m| m.iter().map(|(n, r)| (*n, *r)).collect())
            .unwrap_or_default();
        for (netuid, rate) in rates {
            if netuid == 0 {
                continue;
            }
            let sub = rate
                .saturating_mul(I96F32::saturating_from_num(amount))
                .saturating_to_num::<u128>();
            let w = self
                .root_claimed
                .entry((netuid, hotkey, coldkey))
                .or_insert(0);
            *w = w.saturating_sub(sub);
        }
    }

    /// Add root stake for `(hotkey, coldkey)` (a plain stake write plus the watermark adjustment,
    /// without moving TAO: use it to set up scenarios).
    pub fn add_root_stake(&mut self, hotkey: AccountId, coldkey: AccountId, amount: u64) {
        self.stakes.increase(hotkey, coldkey, 0, amount);
        self.add_stake_adjust_root_claimed(hotkey, coldkey, amount);
    }
}
