//! Holdings converted into the fund's root slot: dust consolidation before a claim, and
//! subnet dissolution.
//!
//! Port of `convert_basket_holding_to_root`, `consolidate_dust_basket_holdings` and the per-fund
//! body of `convert_subnet_basket_holdings_to_root` (`pallets/subtensor/src/staking/
//! claim_root.rs`, RaoFoundation/subtensor index id 68851360157); spec
//! `emission-after-425.md` §3.6 step 3 and §3.9. Shares and watermarks never move: NAV is
//! continuous across a conversion, less slippage. The metering cursor over `BasketShares` keys
//! and the `TotalStake` restore on an already-dissolved subnet are the caller's business.

use super::market::FundMarket;
use super::queue::threshold_rao;
use super::state::{RootFund, ROOT};
use super::valuation::{credit_root_slot, realizable};
use substrate_fixed::types::I96F32;

/// How a holding left the fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// Nothing held, or valuation / sale failed (the row stays for a later attempt).
    Kept,
    /// Sold; the TAO is now root cash.
    Sold {
        /// Alpha sold.
        alpha: u64,
        /// TAO credited to the root slot.
        tao: u64,
    },
    /// Terminal: the alpha was burned (`BasketAlphaWrittenOff`).
    WrittenOff(u64),
}

/// `convert_basket_holding_to_root`: sell the whole holding on `netuid` into the root slot, or
/// write it off when the pool is terminal. Atomic.
pub fn convert_holding_to_root<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    netuid: u16,
) -> Conversion {
    let alpha = fund.holding(netuid);
    if alpha == 0 || netuid == ROOT {
        return Conversion::Kept;
    }
    let terminal = match realizable(market, netuid, alpha) {
        Ok(Some(_)) => false,
        Ok(None) => true,
        Err(_) => return Conversion::Kept,
    };
    if terminal {
        fund.debit_holding(netuid, alpha);
        market.burn(netuid, alpha);
        return Conversion::WrittenOff(alpha);
    }
    let market_before = market.clone();
    match market.sell(netuid, alpha) {
        Ok(Some(tao)) => {
            fund.debit_holding(netuid, alpha);
            credit_root_slot(fund, market, tao);
            Conversion::Sold { alpha, tao }
        }
        Ok(None) => {
            *market = market_before;
            fund.debit_holding(netuid, alpha);
            market.burn(netuid, alpha);
            Conversion::WrittenOff(alpha)
        }
        Err(_) => {
            *market = market_before;
            Conversion::Kept
        }
    }
}

/// `consolidate_dust_basket_holdings`: every non-root row realizably under the claim threshold
/// (or terminal) becomes root cash. Returns the number of rows converted; off when the
/// threshold is 0.
pub fn consolidate_dust_holdings<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    threshold: I96F32,
) -> u32 {
    let threshold = threshold_rao(threshold);
    if threshold == 0 {
        return 0;
    }
    let mut swept = 0u32;
    for (netuid, alpha) in fund.holdings_list() {
        if netuid == ROOT {
            continue;
        }
        let convert = match realizable(market, netuid, alpha) {
            Ok(Some(value)) => value < threshold,
            Ok(None) => true,
            Err(_) => false,
        };
        if convert && convert_holding_to_root(fund, market, netuid) != Conversion::Kept {
            swept = swept.saturating_add(1);
        }
    }
    swept
}

/// A fund's part of a subnet dissolution: its holding on `netuid` becomes root cash (or is
/// written off), and its queued credits from `netuid` are purged and recycled
/// (`NetworkPendingBasketDeposits`).
pub fn dissolve_subnet<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    netuid: u16,
) -> Conversion {
    if let Some(alpha) = fund.pending.remove(&netuid) {
        if alpha > 0 {
            market.recycle(netuid, alpha);
        }
    }
    convert_holding_to_root(fund, market, netuid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::root_fund::market::PoolMarket;
    use crate::emission::subnet_pool::BalancerPool;

    const TAO: u64 = 1_000_000_000;

    #[test]
    fn dust_rows_become_root_cash() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools
            .insert(1, BalancerPool::dynamic(1_000 * TAO, 1_000 * TAO));
        m.pools
            .insert(2, BalancerPool::dynamic(1_000 * TAO, 1_000 * TAO));
        let mut f = RootFund::registered();
        f.credit_holding(1, 400_000);
        f.credit_holding(2, 10 * TAO);
        f.shares = 77;
        let swept = consolidate_dust_holdings(&mut f, &mut m, I96F32::from_num(500_000));
        assert_eq!(swept, 1);
        assert_eq!(f.holding(1), 0);
        assert_eq!(f.holding(2), 10 * TAO);
        assert!(f.escrow_root() > 399_000 && f.escrow_root() < 400_000);
        assert_eq!(f.shares, 77, "shares never move");
        assert_eq!(
            consolidate_dust_holdings(&mut f, &mut m, I96F32::from_num(0)),
            0
        );
    }

    #[test]
    fn dissolution_sells_and_purges() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools
            .insert(3, BalancerPool::dynamic(1_000 * TAO, 1_000 * TAO));
        let mut f = RootFund::registered();
        f.credit_holding(3, TAO);
        f.pending.insert(3, 5);
        let c = dissolve_subnet(&mut f, &mut m, 3);
        assert!(matches!(c, Conversion::Sold { alpha, .. } if alpha == TAO));
        assert!(f.pending.is_empty());
        assert_eq!(m.recycled.get(&3), Some(&5));
        assert_eq!(f.holding(3), 0);
    }
}
