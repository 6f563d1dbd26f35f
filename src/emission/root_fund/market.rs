//! What the fund needs from the pools and reserves, as a trait, plus an adapter over
//! [`SubnetPool`]s.
//!
//! The fund model of `pallets/subtensor/src/staking/claim_root.rs` and `basket_flush.rs`
//! (RaoFoundation/subtensor index ids 68851360157, 66483701187) values holdings with fee-free
//! realizable quotes (`try_realizable_tao_for_alpha`, index id 68897403454), sells them in
//! reserve-bounded chunks, buys with fees, and recycles or burns what it cannot keep; spec
//! `emission-after-425.md` §3.4. [`FundMarket`] is that surface. The root slot (netuid 0, TAO
//! 1:1) never reaches the market: the fund handles it itself.
//!
//! [`PoolMarket`] adapts a map of [`SubnetPool`]s. Its sales are single swaps: the
//! [`SubnetPool`] trait has no `max_swap_input`, so the chain's chunking of oversized holdings
//! is not modelled, and a sale refused as too large is an error (the chain would chunk it).
//! The swap errors `ReservesTooLow` and `InsufficientLiquidity` count as terminal liquidity
//! (the chain's `SwapFailureKind::TerminalLiquidity`); that classification is ours.

use crate::emission::subnet_pool::SubnetPool;
use crate::error::{Error, ErrorCode, Result};
use crate::pool::ChainError;
use std::collections::BTreeMap;
use substrate_fixed::types::U64F64;

/// Pools, price series and reserve bookkeeping, as the fund sees them. `Ok(None)` from a quote,
/// sale or buy means the pool is terminally shallow; any `Err` is an unknown failure.
pub trait FundMarket {
    /// `if_subnet_exist(netuid)`.
    fn subnet_exists(&self, netuid: u16) -> bool;
    /// `current_alpha_price` (spot, U64F64).
    fn spot_price(&self, netuid: u16) -> U64F64;
    /// `SubnetFastMovingPrice` (the 2-hour EMA), if seeded.
    fn fast_price(&self, netuid: u16) -> Option<U64F64>;
    /// `get_moving_alpha_price` (the slow EMA).
    fn slow_price(&self, netuid: u16) -> U64F64;
    /// TAO a fee-free sale of all `alpha` would return now; nothing changes.
    fn realizable(&self, netuid: u16, alpha: u64) -> Result<Option<u64>>;
    /// Sell `alpha` fee-free; the TAO lands on the root subnet account. Atomic.
    fn sell(&mut self, netuid: u16, alpha: u64) -> Result<Option<u64>>;
    /// Buy alpha with `tao`, fees charged. Atomic.
    fn buy(&mut self, netuid: u16, tao: u64) -> Result<Option<u64>>;
    /// `recycle_subnet_alpha`: unassigned alpha leaves `SubnetAlphaOut` and issuance.
    fn recycle(&mut self, netuid: u16, alpha: u64);
    /// `burn_subnet_alpha`: a written-off holding.
    fn burn(&mut self, netuid: u16, alpha: u64);
    /// `credit_root_reserves`: `SubnetTAO[ROOT]`, `SubnetAlphaOut[ROOT]` and `TotalStake` grow.
    fn credit_root_reserves(&mut self, tao: u64);
}

/// [`FundMarket`] over a map of [`SubnetPool`]s, with its own price series and counters.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolMarket<P> {
    /// Pools by netuid.
    pub pools: BTreeMap<u16, P>,
    /// `SubnetFastMovingPrice` by netuid (absent = unset).
    pub fast: BTreeMap<u16, U64F64>,
    /// Slow EMA price by netuid (absent = 0).
    pub slow: BTreeMap<u16, U64F64>,
    /// Alpha recycled per netuid.
    pub recycled: BTreeMap<u16, u64>,
    /// Alpha burned (written off) per netuid.
    pub burned: BTreeMap<u16, u64>,
    /// TAO credited to the root reserves.
    pub root_reserve_credit: u64,
}

impl<P> Default for PoolMarket<P> {
    fn default() -> Self {
        PoolMarket {
            pools: BTreeMap::new(),
            fast: BTreeMap::new(),
            slow: BTreeMap::new(),
            recycled: BTreeMap::new(),
            burned: BTreeMap::new(),
            root_reserve_credit: 0,
        }
    }
}

fn terminal_or_error(e: ChainError, netuid: u16) -> Result<Option<u64>> {
    match e {
        ChainError::ReservesTooLow | ChainError::InsufficientLiquidity => Ok(None),
        other => Err(Error::field(
            ErrorCode::EmptyPool,
            format!("pools[{netuid}]"),
            format!("basket swap failed: {other:?}"),
        )),
    }
}

fn bump(map: &mut BTreeMap<u16, u64>, netuid: u16, amount: u64) {
    let slot = map.entry(netuid).or_insert(0);
    *slot = slot.saturating_add(amount);
}

impl<P: SubnetPool + Clone> PoolMarket<P> {
    fn pool(&self, netuid: u16) -> Result<&P> {
        self.pools.get(&netuid).ok_or_else(|| {
            Error::field(
                ErrorCode::MissingField,
                format!("pools[{netuid}]"),
                "no pool for this subnet",
            )
        })
    }

    fn sale(pool: &mut P, netuid: u16, alpha: u64) -> Result<Option<u64>> {
        if alpha == 0 {
            return Ok(Some(0));
        }
        match pool.swap_alpha_for_tao(alpha, true) {
            Ok(out) => Ok(Some(out.amount_paid_out)),
            Err(e) => terminal_or_error(e, netuid),
        }
    }
}

impl<P: SubnetPool + Clone> FundMarket for PoolMarket<P> {
    fn subnet_exists(&self, netuid: u16) -> bool {
        self.pools.contains_key(&netuid)
    }

    fn spot_price(&self, netuid: u16) -> U64F64 {
        self.pools
            .get(&netuid)
            .map_or_else(|| U64F64::from_num(0), SubnetPool::price)
    }

    fn fast_price(&self, netuid: u16) -> Option<U64F64> {
        self.fast.get(&netuid).copied()
    }

    fn slow_price(&self, netuid: u16) -> U64F64 {
        self.slow
            .get(&netuid)
            .copied()
            .unwrap_or_else(|| U64F64::from_num(0))
    }

    fn realizable(&self, netuid: u16, alpha: u64) -> Result<Option<u64>> {
        let mut pool = self.pool(netuid)?.clone();
        Self::sale(&mut pool, netuid, alpha)
    }

    fn sell(&mut self, netuid: u16, alpha: u64) -> Result<Option<u64>> {
        let mut pool = self.pool(netuid)?.clone();
        let out = Self::sale(&mut pool, netuid, alpha)?;
        if out.is_some() {
            self.pools.insert(netuid, pool);
        }
        Ok(out)
    }

    fn buy(&mut self, netuid: u16, tao: u64) -> Result<Option<u64>> {
        let mut pool = self.pool(netuid)?.clone();
        if tao == 0 {
            return Ok(Some(0));
        }
        match pool.swap_tao_for_alpha(tao, false) {
            Ok(out) => {
                self.pools.insert(netuid, pool);
                Ok(Some(out.amount_paid_out))
            }
            Err(e) => terminal_or_error(e, netuid),
        }
    }

    fn recycle(&mut self, netuid: u16, alpha: u64) {
        bump(&mut self.recycled, netuid, alpha);
    }

    fn burn(&mut self, netuid: u16, alpha: u64) {
        bump(&mut self.burned, netuid, alpha);
    }

    fn credit_root_reserves(&mut self, tao: u64) {
        self.root_reserve_credit = self.root_reserve_credit.saturating_add(tao);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::subnet_pool::BalancerPool;

    #[test]
    fn quotes_do_not_move_the_pool_and_sales_do() {
        let mut m = PoolMarket::<BalancerPool>::default();
        m.pools.insert(
            1,
            BalancerPool::dynamic(1_000_000_000_000, 1_000_000_000_000),
        );
        let q = m.realizable(1, 1_000_000_000).unwrap().unwrap();
        assert!(q > 998_000_000 && q < 1_000_000_000, "slippage only: {q}");
        assert_eq!(m.realizable(1, 1_000_000_000).unwrap(), Some(q));
        assert_eq!(m.sell(1, 1_000_000_000).unwrap(), Some(q));
        assert!(m.realizable(1, 1_000_000_000).unwrap().unwrap() < q);
        assert!(m.realizable(2, 1).is_err());
    }
}
