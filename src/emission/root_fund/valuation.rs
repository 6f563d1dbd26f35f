//! Fund valuation: realizable value per row and the NAV.
//!
//! Port of `try_realizable_tao_for_alpha`, `try_valued_basket_holdings` and
//! `try_get_validator_basket_nav_tao` (the valuation views of RaoFoundation/subtensor, index id
//! 68897403454) and `credit_root_slot` (`claim_root.rs`, index id 68851360157); spec
//! `emission-after-425.md` §3.4. NAV is `Σ realizable(holding)`, never the spot mark; a
//! terminal row counts 0, and an unknown valuation failure aborts the operation.

use super::market::FundMarket;
use super::state::{RootFund, ROOT};
use crate::error::Result;

/// Realizable TAO of `alpha` on `netuid`: the alpha itself on root, the market's quote
/// elsewhere. `Ok(None)`: terminally shallow.
pub fn realizable<M: FundMarket>(market: &M, netuid: u16, alpha: u64) -> Result<Option<u64>> {
    if alpha == 0 {
        return Ok(Some(0));
    }
    if netuid == ROOT {
        return Ok(Some(alpha));
    }
    market.realizable(netuid, alpha)
}

/// Every holding with its realizable value `(netuid, alpha, value)`; terminal rows at 0.
pub fn valued_holdings<M: FundMarket>(fund: &RootFund, market: &M) -> Result<Vec<(u16, u64, u64)>> {
    fund.holdings_list()
        .into_iter()
        .map(|(netuid, alpha)| {
            let value = realizable(market, netuid, alpha)?.unwrap_or(0);
            Ok((netuid, alpha, value))
        })
        .collect()
}

/// The fund's realizable NAV.
pub fn nav<M: FundMarket>(fund: &RootFund, market: &M) -> Result<u64> {
    Ok(valued_holdings(fund, market)?
        .iter()
        .fold(0u64, |nav, (_, _, v)| nav.saturating_add(*v)))
}

/// `credit_root_slot`: TAO into the fund's cash slot, and into the root reserves.
pub fn credit_root_slot<M: FundMarket>(fund: &mut RootFund, market: &mut M, tao: u64) {
    fund.credit_holding(ROOT, tao);
    market.credit_root_reserves(tao);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::root_fund::market::PoolMarket;
    use crate::emission::subnet_pool::BalancerPool;

    #[test]
    fn nav_is_realizable_not_spot() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools
            .insert(1, BalancerPool::dynamic(1_000_000, 1_000_000));
        let mut f = RootFund::registered();
        f.credit_holding(ROOT, 500);
        f.credit_holding(1, 100_000);
        let quote = m.realizable(1, 100_000).unwrap().unwrap();
        assert!(quote < 100_000, "a sale of 10 % of the pool slips");
        assert_eq!(nav(&f, &m).unwrap(), 500 + quote);
        credit_root_slot(&mut f, &mut m, 7);
        assert_eq!(f.escrow_root(), 507);
        assert_eq!(m.root_reserve_credit, 7);
    }
}
