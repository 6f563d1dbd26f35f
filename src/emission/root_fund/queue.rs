//! The pending-deposit queue flush (`flush_basket_deposits_for_hotkey`).
//!
//! Port of `flush_basket_deposits_for_hotkey` and `drop_pending_basket_deposit`
//! (`pallets/subtensor/src/staking/basket_flush.rs`, RaoFoundation/subtensor index id
//! 66483701187); spec `emission-after-425.md` §3.5.
//!
//! Epochs only enqueue ([`super::deposit::enqueue`]). A flush recycles credits of dissolved
//! subnets and every credit of a hotkey without a root UID, keeps credits whose spot value is
//! under the threshold queued (they merge with later dividends), and deposits the rest as one
//! batch. The chain walks the queue in storage-hash order; this model walks it by netuid, which
//! only changes the order of independent per-origin steps. The per-block round-robin janitor
//! and the seed-migration guard are not modelled: callers decide when to flush.

use super::deposit::{deposit_batch, Curation, DepositOutcome};
use super::market::FundMarket;
use super::state::RootFund;
use substrate_fixed::types::{I96F32, U64F64};

/// What a flush did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlushOutcome {
    /// Credits recycled (dissolved subnet, or no root UID).
    pub recycled: Vec<(u16, u64)>,
    /// Credits left queued under the threshold.
    pub deferred: Vec<(u16, u64)>,
    /// The batch deposited.
    pub batch: Vec<(u16, u64)>,
    /// The deposit's outcome ([`DepositOutcome::Nothing`] for an empty batch).
    pub deposit: DepositOutcome,
}

/// `floor(RootClaimableThreshold[ROOT])`: the I96F32 threshold in rao (negative reads as 0).
pub fn threshold_rao(threshold: I96F32) -> u64 {
    if threshold.is_negative() {
        0
    } else {
        threshold.saturating_to_num::<u64>()
    }
}

/// Flush one hotkey's queue. `threshold` is `RootClaimableThreshold[ROOT]`.
pub fn flush<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    threshold: I96F32,
    curation: Curation<'_>,
) -> FlushOutcome {
    let threshold = threshold_rao(threshold);
    let mut out = FlushOutcome {
        recycled: Vec::new(),
        deferred: Vec::new(),
        batch: Vec::new(),
        deposit: DepositOutcome::Nothing,
    };
    let queued: Vec<(u16, u64)> = fund.pending.iter().map(|(n, a)| (*n, *a)).collect();
    for (netuid, alpha) in queued {
        if !market.subnet_exists(netuid) || !fund.on_root {
            fund.pending.remove(&netuid);
            if alpha > 0 {
                market.recycle(netuid, alpha);
            }
            out.recycled.push((netuid, alpha));
            continue;
        }
        let value = market
            .spot_price(netuid)
            .saturating_mul(U64F64::saturating_from_num(alpha))
            .saturating_to_num::<u64>();
        if value < threshold {
            out.deferred.push((netuid, alpha));
            continue;
        }
        out.batch.push((netuid, alpha));
    }
    if out.batch.is_empty() {
        return out;
    }
    for (netuid, _) in &out.batch {
        fund.pending.remove(netuid);
    }
    out.deposit = deposit_batch(fund, market, &out.batch, curation);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::root_fund::deposit::enqueue;
    use crate::emission::root_fund::market::PoolMarket;
    use crate::emission::subnet_pool::BalancerPool;

    const TAO: u64 = 1_000_000_000;

    #[test]
    fn sub_threshold_credits_wait_and_merge() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools
            .insert(1, BalancerPool::dynamic(1_000 * TAO, 2_000 * TAO));
        let mut f = RootFund::registered();
        f.root_stakes.insert(7, 100 * TAO);
        let threshold = I96F32::from_num(500_000);
        // Spot 0.5: 600_000 alpha is worth 300_000 rao, under the threshold.
        enqueue(&mut f, 1, 600_000);
        enqueue(&mut f, 9, 42);
        let out = flush(&mut f, &mut m, threshold, Curation::Uncurated);
        assert_eq!(out.recycled, vec![(9, 42)], "subnet 9 does not exist");
        assert_eq!(out.deferred, vec![(1, 600_000)]);
        assert_eq!(out.deposit, DepositOutcome::Nothing);
        enqueue(&mut f, 1, 600_000);
        let out = flush(&mut f, &mut m, threshold, Curation::Uncurated);
        assert_eq!(out.batch, vec![(1, 1_200_000)]);
        assert!(matches!(out.deposit, DepositOutcome::Minted(_)));
        assert!(f.pending.is_empty());
        assert_eq!(f.holding(1), 1_200_000);
    }

    #[test]
    fn hotkey_without_root_uid_recycles_its_queue() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools.insert(1, BalancerPool::dynamic(TAO, TAO));
        let mut f = RootFund::default();
        enqueue(&mut f, 1, TAO);
        let out = flush(&mut f, &mut m, I96F32::from_num(0), Curation::Uncurated);
        assert_eq!(out.recycled, vec![(1, TAO)]);
        assert!(f.pending.is_empty() && f.holdings.is_empty());
        assert_eq!(m.recycled.get(&1), Some(&TAO));
    }
}
