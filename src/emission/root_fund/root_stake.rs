//! Root-stake changes of a fund's stakers: the eager flush, the hold and the watermark rebase.
//!
//! Port of `ensure_root_stake_unlocked` / `touch_root_stake_age` (`pallets/subtensor/src/
//! staking/stake_utils.rs`, RaoFoundation/subtensor index id 69155006798) and the watermark
//! hooks `add_stake_adjust_root_claimed_for_hotkey_and_coldkey` /
//! `remove_stake_adjust_root_claimed_for_hotkey_and_coldkey` (`claim_root.rs`, index id
//! 68851360157); spec `emission-after-425.md` §3.5 (eager flush), §3.6 (rebase) and §3.7.
//!
//! The queue is flushed before the stake moves, so arriving stake cannot capture, and departing
//! stake cannot forfeit, a flushable dividend. The TAO side of a stake change (balances, root
//! reserves) belongs to the staking operation and is not modelled here.

use super::deposit::Curation;
use super::market::FundMarket;
use super::queue::flush;
use super::state::RootFund;
use super::watermark::rebase_claimed;
use crate::emission::stake_book::AccountId;
use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::I96F32;

/// `RootStakeUnlockInterval`: blocks a root-stake increase holds the position. 0 disables the
/// hold (Talisman's integration treats it as off at spec 441; the live value is unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RootHold(pub u64);

/// `ensure_root_stake_unlocked`: a root unstake, move or transfer is refused
/// (`RootStakeLocked`) while `block − LastColdkeyHotkeyStakeBlock < interval`.
pub fn ensure_unlocked(
    fund: &RootFund,
    coldkey: AccountId,
    block: u64,
    hold: RootHold,
) -> Result<()> {
    if hold.0 == 0 {
        return Ok(());
    }
    let last = fund.stake_blocks.get(&coldkey).copied().unwrap_or(0);
    if fund.stake_blocks.contains_key(&coldkey) && block.saturating_sub(last) < hold.0 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "block",
            format!(
                "RootStakeLocked: root stake held until block {}",
                last.saturating_add(hold.0)
            ),
        ));
    }
    Ok(())
}

/// A root stake of `amount` by `coldkey`: flush, stake, restart the hold clock, rebase.
pub fn add_root_stake<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    coldkey: AccountId,
    amount: u64,
    block: u64,
    threshold: I96F32,
    curation: Curation<'_>,
) {
    flush(fund, market, threshold, curation);
    let stake = fund.root_stake(coldkey).saturating_add(amount);
    fund.root_stakes.insert(coldkey, stake);
    fund.stake_blocks.insert(coldkey, block);
    rebase_claimed(fund, coldkey, i128::from(amount));
}

/// A root unstake of up to `amount` by `coldkey`: flush, check the hold, unstake, rebase.
/// Returns the stake removed.
#[allow(clippy::too_many_arguments)]
pub fn remove_root_stake<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    coldkey: AccountId,
    amount: u64,
    block: u64,
    hold: RootHold,
    threshold: I96F32,
    curation: Curation<'_>,
) -> Result<u64> {
    ensure_unlocked(fund, coldkey, block, hold)?;
    flush(fund, market, threshold, curation);
    let held = fund.root_stake(coldkey);
    let removed = held.min(amount);
    let left = held.saturating_sub(removed);
    if left == 0 {
        fund.root_stakes.remove(&coldkey);
    } else {
        fund.root_stakes.insert(coldkey, left);
    }
    rebase_claimed(fund, coldkey, i128::from(removed).saturating_neg());
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::root_fund::deposit::enqueue;
    use crate::emission::root_fund::market::PoolMarket;
    use crate::emission::root_fund::watermark::owed_shares;
    use crate::emission::subnet_pool::BalancerPool;

    const TAO: u64 = 1_000_000_000;

    #[test]
    fn arriving_stake_does_not_capture_a_queued_dividend() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools
            .insert(1, BalancerPool::dynamic(10_000 * TAO, 10_000 * TAO));
        let mut f = RootFund::registered();
        let zero = I96F32::from_num(0);
        add_root_stake(&mut f, &mut m, 1, 100 * TAO, 1, zero, Curation::Uncurated);
        enqueue(&mut f, 1, TAO);
        add_root_stake(&mut f, &mut m, 2, 100 * TAO, 2, zero, Curation::Uncurated);
        assert!(f.pending.is_empty(), "flushed before the stake moved");
        assert_eq!(owed_shares(&f, 2), 0);
        // The rate is shares / stake truncated to I96F32: a few shares of rounding stay unowed.
        let owed = owed_shares(&f, 1);
        assert!(
            owed <= f.shares && f.shares - owed < 100,
            "{owed} of {}",
            f.shares
        );
    }

    #[test]
    fn hold_blocks_unstake_until_it_expires() {
        let mut m = PoolMarket::<BalancerPool>::default();
        let mut f = RootFund::registered();
        let zero = I96F32::from_num(0);
        add_root_stake(&mut f, &mut m, 1, 50, 100, zero, Curation::Uncurated);
        let hold = RootHold(10);
        let r = remove_root_stake(&mut f, &mut m, 1, 20, 105, hold, zero, Curation::Uncurated);
        assert!(r.is_err());
        assert_eq!(
            remove_root_stake(&mut f, &mut m, 1, 20, 110, hold, zero, Curation::Uncurated),
            Ok(20)
        );
        assert_eq!(f.root_stake(1), 30);
        assert_eq!(
            remove_root_stake(
                &mut f,
                &mut m,
                1,
                99,
                110,
                RootHold(0),
                zero,
                Curation::Uncurated
            ),
            Ok(30)
        );
    }
}
