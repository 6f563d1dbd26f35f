//! Owed shares and the signed claimed watermark.
//!
//! Port of `get_basket_claimable_shares`, `get_basket_owed_shares`,
//! `rebase_basket_claimed_for_stake_delta`, `grant_basket_shares` and
//! `transfer_basket_claimed_for_new_coldkey` (`pallets/subtensor/src/staking/claim_root.rs`,
//! RaoFoundation/subtensor index id 68851360157); spec `emission-after-425.md` §3.6.
//!
//! `owed(h, c) = max(0, floor(BasketRate[h] × root_stake(h, c) − BasketClaimed[h][c]))`. Every
//! root-stake change δ rebases the watermark by `floor(rate × δ)` (I96F32 → i128 rounds toward
//! −∞), so new stake earns no past dividends and departing stake keeps what it earned.

use super::state::RootFund;
use crate::emission::stake_book::AccountId;
use substrate_fixed::types::I96F32;

/// `rate × root_stake(h, c)`: the gross share entitlement.
pub fn claimable_shares(fund: &RootFund, coldkey: AccountId) -> I96F32 {
    fund.rate
        .saturating_mul(I96F32::saturating_from_num(fund.root_stake(coldkey)))
}

/// Owed shares before flooring (may be negative).
pub fn owed_shares_float(fund: &RootFund, coldkey: AccountId) -> I96F32 {
    claimable_shares(fund, coldkey)
        .saturating_sub(I96F32::saturating_from_num(fund.claimed(coldkey)))
}

/// `get_basket_owed_shares`: owed shares floored, negative → 0.
pub fn owed_shares(fund: &RootFund, coldkey: AccountId) -> u64 {
    let owed = owed_shares_float(fund, coldkey);
    if owed.is_negative() {
        0
    } else {
        owed.saturating_to_num::<u64>()
    }
}

/// `rebase_basket_claimed_for_stake_delta`: `claimed += floor(rate × δ)`; nothing when the rate
/// is 0.
pub fn rebase_claimed(fund: &mut RootFund, coldkey: AccountId, stake_delta: i128) {
    if fund.rate == I96F32::from_num(0) {
        return;
    }
    let shift = fund
        .rate
        .saturating_mul(I96F32::saturating_from_num(stake_delta))
        .saturating_to_num::<i128>();
    add_claimed(fund, coldkey, shift);
}

/// `grant_basket_shares`: an unconditional grant of `shares` (the watermark goes down). The
/// caller mints the same shares into `BasketShares`.
pub fn grant_shares(fund: &mut RootFund, coldkey: AccountId, shares: u64) {
    add_claimed(fund, coldkey, i128::from(shares).saturating_neg());
}

/// `transfer_basket_claimed_for_new_coldkey`: a coldkey swap adds the old watermark into the
/// new one (never the maximum of the two).
pub fn transfer_claimed_for_new_coldkey(fund: &mut RootFund, old: AccountId, new: AccountId) {
    let old_claimed = fund.claimed.remove(&old).unwrap_or(0);
    if old_claimed != 0 {
        add_claimed(fund, new, old_claimed);
    }
}

/// `BasketClaimed[h][c] += delta` (saturating); a zero watermark is not stored.
pub fn add_claimed(fund: &mut RootFund, coldkey: AccountId, delta: i128) {
    let next = fund.claimed(coldkey).saturating_add(delta);
    if next == 0 {
        fund.claimed.remove(&coldkey);
    } else {
        fund.claimed.insert(coldkey, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebase_rounds_toward_minus_infinity() {
        let mut f = RootFund::registered();
        f.rate = I96F32::from_num(0.75);
        rebase_claimed(&mut f, 1, -401);
        assert_eq!(f.claimed(1), -301);
        rebase_claimed(&mut f, 1, 401);
        assert_eq!(f.claimed(1), -1);
    }

    #[test]
    fn owed_follows_rate_and_watermark() {
        let mut f = RootFund::registered();
        f.rate = I96F32::from_num(0.5);
        f.root_stakes.insert(1, 1_000);
        rebase_claimed(&mut f, 1, 1_000);
        assert_eq!(owed_shares(&f, 1), 0);
        f.rate = I96F32::from_num(0.75);
        assert_eq!(owed_shares(&f, 1), 250);
        add_claimed(&mut f, 1, 400);
        assert_eq!(owed_shares(&f, 1), 0, "negative owed floors to zero");
    }

    #[test]
    fn grants_and_coldkey_swap_add_up() {
        let mut f = RootFund::registered();
        grant_shares(&mut f, 1, 40);
        assert_eq!(owed_shares(&f, 1), 40);
        add_claimed(&mut f, 2, 10);
        transfer_claimed_for_new_coldkey(&mut f, 1, 2);
        assert_eq!(f.claimed(2), -30);
        assert!(!f.claimed.contains_key(&1));
        let before = f.clone();
        f.rate = I96F32::from_num(0);
        rebase_claimed(&mut f, 2, 1_000);
        assert_eq!(f.claimed, before.claimed);
    }
}
