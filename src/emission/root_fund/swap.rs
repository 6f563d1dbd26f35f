//! A hotkey swap moves the whole fund (`transfer_basket_for_new_hotkey`).
//!
//! Port of `transfer_basket_for_new_hotkey` (`pallets/subtensor/src/staking/claim_root.rs`,
//! RaoFoundation/subtensor index id 68851360157); spec `emission-after-425.md` §3.6. Shares,
//! rate, lifetime counters, watermarks (per coldkey, added), queued credits (per origin, added)
//! and escrow holdings all follow the fund. The chain requires the new hotkey to be clean on
//! root, so in practice this is a move; amounts are added so a merge stays conservative. The
//! trading guardrails and display state that also follow the fund are not modelled. A coldkey
//! swap is [`super::watermark::transfer_claimed_for_new_coldkey`].

use super::state::RootFund;
use super::watermark::add_claimed;

/// Move `old` into `new`; returns the watermark plus queue rows moved (the chain's weight
/// count). Root stakes and root UIDs move with the staking side of the swap, not here.
pub fn transfer_fund_to_new_hotkey(old: &mut RootFund, new: &mut RootFund) -> u32 {
    new.shares = new.shares.saturating_add(old.shares);
    new.rate = new.rate.saturating_add(old.rate);
    new.deposited_tao = new.deposited_tao.saturating_add(old.deposited_tao);
    new.redeemed_tao = new.redeemed_tao.saturating_add(old.redeemed_tao);
    let claimed = core::mem::take(&mut old.claimed);
    let pending = core::mem::take(&mut old.pending);
    let moved = claimed.len().saturating_add(pending.len());
    for (coldkey, c) in claimed {
        add_claimed(new, coldkey, c);
    }
    for (netuid, alpha) in pending {
        let slot = new.pending.entry(netuid).or_insert(0);
        *slot = slot.saturating_add(alpha);
    }
    for (netuid, alpha) in core::mem::take(&mut old.holdings) {
        new.credit_holding(netuid, alpha);
    }
    old.shares = 0;
    old.rate = Default::default();
    old.deposited_tao = 0;
    old.redeemed_tao = 0;
    u32::try_from(moved).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use substrate_fixed::types::I96F32;

    #[test]
    fn everything_follows_the_fund() {
        let mut old = RootFund::registered();
        old.shares = 10;
        old.rate = I96F32::from_num(0.25);
        old.claimed.insert(1, -4);
        old.pending.insert(3, 9);
        old.credit_holding(3, 100);
        old.deposited_tao = 7;
        let mut new = RootFund::registered();
        new.pending.insert(3, 1);
        assert_eq!(transfer_fund_to_new_hotkey(&mut old, &mut new), 2);
        assert_eq!(new.shares, 10);
        assert_eq!(new.rate, I96F32::from_num(0.25));
        assert_eq!(new.claimed(1), -4);
        assert_eq!(new.pending.get(&3), Some(&10));
        assert_eq!(new.holding(3), 100);
        assert_eq!(new.deposited_tao, 7);
        assert_eq!(old.shares, 0);
        assert!(old.claimed.is_empty() && old.holdings.is_empty() && old.pending.is_empty());
    }
}
