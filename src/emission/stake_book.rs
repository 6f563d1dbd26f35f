//! Per-(hotkey, subnet) alpha share pools, as far as emission payouts need them.
//!
//! Each pool is the chain's exact [`SharePool`] (`primitives/share-pool`, subtensor @ 14bc6f9,
//! spec `emission-and-pools.md` §13): shares are `SafeFloat` decimals, `update_value_for_all`
//! credits every share holder pro rata (nominator dividends), `update_value_for_one` buys shares
//! for one coldkey at the current share price (take, incentives, owner cut, root claims), and the
//! first depositor into an empty share set defines the share scale.
//!
//! The ledger's accounting is the stake layer's alone: every credit and debit here is a
//! [`SharePool`] call. What this file adds is only the container the emission pipeline keeps:
//! model account ids (`u64`), `update_value_for_all` payouts, and the serialized shape emission
//! states and captures hold (`{"pools": [[[hotkey, netuid], {"pool": …}], …]}`).
//! `crate::stake::ops::StakingState::pools` is the same `(hotkey, netuid) → SharePool` map for the
//! staking extrinsics, generic over the account type and serialized without the `{"pool": …}`
//! wrapper; folding the two containers into one stake-layer type needs a custom serde to keep
//! both shapes and is left for later.

use crate::stake::share_pool::SharePool;
use std::collections::HashMap;

/// Account id of the model (hotkeys and coldkeys).
pub type AccountId = u64;

/// One hotkey's stake on one subnet: the chain's share pool keyed by coldkey.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HotkeyPool {
    /// `TotalHotkeyAlpha`, `TotalHotkeySharesV2` and `AlphaV2` per coldkey.
    pub pool: SharePool<AccountId>,
}

impl HotkeyPool {
    /// `TotalHotkeyAlpha`.
    pub fn total(&self) -> u64 {
        self.pool.shared_value
    }

    /// Value of `coldkey`'s shares: `floor(V · s / D)`.
    pub fn value(&self, coldkey: AccountId) -> u64 {
        self.pool.value(&coldkey)
    }

    /// Credit every share holder pro rata (`update_value_for_all`).
    pub fn credit_all(&mut self, amount: u64) {
        self.pool
            .update_value_for_all(i64::try_from(amount).unwrap_or(i64::MAX));
    }

    /// Add `amount` for one coldkey (`update_value_for_one`, positive). Zero is a no-op.
    pub fn credit_one(&mut self, coldkey: AccountId, amount: u64) {
        if amount == 0 {
            return;
        }
        self.pool.increase(&coldkey, amount);
    }

    /// Remove `amount` from one coldkey; a no-op when its value is insufficient (returns 0), as
    /// `decrease_stake_for_hotkey_and_coldkey_on_subnet`. Returns the amount removed.
    pub fn debit_one(&mut self, coldkey: AccountId, amount: u64) -> u64 {
        if amount == 0 {
            return 0;
        }
        self.pool.decrease(&coldkey, amount)
    }

    /// Whether any coldkey holds shares.
    pub fn has_members(&self) -> bool {
        !self.pool.denominator.is_zero()
    }
}

/// All stake positions: `(hotkey, netuid) → HotkeyPool`. Root stake is netuid 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StakeBook {
    #[serde(with = "crate::fixed::serde_fixed::hash_map_as_sorted_pairs")]
    pools: HashMap<(AccountId, u16), HotkeyPool, foldhash::fast::FixedState>,
}

impl StakeBook {
    /// `TotalHotkeyAlpha[hotkey][netuid]`.
    pub fn hotkey_total(&self, hotkey: AccountId, netuid: u16) -> u64 {
        self.pools
            .get(&(hotkey, netuid))
            .map_or(0, HotkeyPool::total)
    }

    /// Stake of `(hotkey, coldkey)` on `netuid`.
    pub fn stake(&self, hotkey: AccountId, coldkey: AccountId, netuid: u16) -> u64 {
        self.pools
            .get(&(hotkey, netuid))
            .map_or(0, |p| p.value(coldkey))
    }

    /// `increase_stake_for_hotkey_and_coldkey_on_subnet`.
    pub fn increase(&mut self, hotkey: AccountId, coldkey: AccountId, netuid: u16, amount: u64) {
        self.pools
            .entry((hotkey, netuid))
            .or_default()
            .credit_one(coldkey, amount);
    }

    /// `increase_stake_for_hotkey_on_subnet` (all share holders).
    pub fn increase_all(&mut self, hotkey: AccountId, netuid: u16, amount: u64) {
        self.pools
            .entry((hotkey, netuid))
            .or_default()
            .credit_all(amount);
    }

    /// `decrease_stake_for_hotkey_and_coldkey_on_subnet`; returns the amount removed.
    pub fn decrease(
        &mut self,
        hotkey: AccountId,
        coldkey: AccountId,
        netuid: u16,
        amount: u64,
    ) -> u64 {
        self.pools
            .get_mut(&(hotkey, netuid))
            .map_or(0, |p| p.debit_one(coldkey, amount))
    }

    /// Sum of `TotalHotkeyAlpha` over all hotkeys on `netuid`.
    pub fn subnet_total(&self, netuid: u16) -> u128 {
        self.pools
            .iter()
            .filter(|((_, n), _)| *n == netuid)
            .map(|(_, p)| u128::from(p.total()))
            .sum()
    }

    /// The pool of `(hotkey, netuid)`, if any.
    pub fn pool(&self, hotkey: AccountId, netuid: u16) -> Option<&HotkeyPool> {
        self.pools.get(&(hotkey, netuid))
    }

    /// Coldkeys holding shares of `hotkey` on `netuid`.
    pub fn holders(&self, hotkey: AccountId, netuid: u16) -> Vec<AccountId> {
        self.pools
            .get(&(hotkey, netuid))
            .map(|p| p.pool.shares.keys().copied().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_then_pool_credit() {
        let mut p = HotkeyPool::default();
        p.credit_one(1, 1_000);
        p.credit_one(2, 1_000);
        p.credit_all(2_000);
        assert_eq!(p.value(1), 2_000);
        p.credit_one(1, 400);
        assert_eq!(p.value(1), 2_400);
        assert_eq!(p.value(2), 2_000);
        assert_eq!(p.debit_one(2, 5_000), 0);
        assert_eq!(p.debit_one(2, 500), 500);
        assert_eq!(p.total(), 3_900);
    }

    #[test]
    fn first_depositor_owns_orphaned_value() {
        let mut p = HotkeyPool::default();
        p.credit_all(700);
        p.credit_one(9, 300);
        assert_eq!(p.value(9), 1_000);
    }
}
