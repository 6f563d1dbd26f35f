//! Batch deposit of queued root dividends into a fund (`deposit_root_alpha_batch`).
//!
//! Port of `deposit_root_alpha_batch`, `try_accumulate_root_alpha_batch`,
//! `try_accumulate_basket_credit`, `try_distribute_root_alpha_batch` and
//! `try_sell_basket_credit` (`pallets/subtensor/src/staking/basket_flush.rs`, RaoFoundation/
//! subtensor index id 66483701187); spec `emission-after-425.md` §3.5.
//!
//! The batch is one transaction with one mint. Each credit's own step is isolated: an unknown
//! failure there re-queues that credit alone. A failure in a shared phase (NAV sweep,
//! deployment, the mint) rolls everything back and re-queues the whole batch. Transactions are
//! modelled by cloning the fund and the market and restoring the clone.

use super::market::FundMarket;
use super::math::mul_div_u64;
use super::mint::{mint_basket_dividend_shares, Mint};
use super::state::{RootFund, ROOT};
use super::valuation::{credit_root_slot, nav, realizable};
use crate::error::{Error, ErrorCode, Result};

/// How a validator's dividends are placed in its fund (the root weight vector).
///
/// * spec 441–448: always [`Curation::Uncurated`] (`RootWeightSettingEnabled` was false);
/// * spec 449–468: [`Curation::Curated`] with the validator's valid `Weights[ROOT][uid]`
///   entries (root, or an existing subnet, with weight > 0) when any remain, else uncurated;
/// * spec ≥ 469: always uncurated (root weights retired).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curation<'a> {
    /// Dividends accumulate in place on their origin subnet (no swap).
    Uncurated,
    /// Sell every credit and buy the destinations `(netuid, weight)`.
    Curated(&'a [(u16, u64)]),
}

/// What a batch deposit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepositOutcome {
    /// Nothing to deposit (empty batch, or every credit was disposed of).
    Nothing,
    /// No real root stake to apportion against: every credit was recycled.
    Recycled,
    /// Shares minted (or an escrow-only keep).
    Minted(Mint),
    /// A shared phase failed: the whole batch is back in the queue.
    Requeued,
}

/// `enqueue_basket_deposit`: add a credit to the queue, merging per origin.
pub fn enqueue(fund: &mut RootFund, netuid: u16, alpha: u64) {
    if alpha == 0 {
        return;
    }
    let slot = fund.pending.entry(netuid).or_insert(0);
    *slot = slot.saturating_add(alpha);
}

/// `deposit_root_alpha_batch`: deposit `batch` (one entry per origin) as one mint.
pub fn deposit_batch<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    batch: &[(u16, u64)],
    curation: Curation<'_>,
) -> DepositOutcome {
    if batch.iter().all(|(_, a)| *a == 0) {
        return DepositOutcome::Nothing;
    }
    let escrow_root = fund.escrow_root();
    let total_root = fund.total_root();
    if total_root == 0 {
        for (netuid, alpha) in batch {
            if *alpha > 0 {
                market.recycle(*netuid, *alpha);
            }
        }
        return DepositOutcome::Recycled;
    }
    let weights: &[(u16, u64)] = match curation {
        Curation::Curated(w) => w,
        Curation::Uncurated => &[],
    };
    let (fund_before, market_before) = (fund.clone(), market.clone());
    let result = if weights.is_empty() {
        accumulate_batch(fund, market, batch, total_root, escrow_root)
    } else {
        distribute_batch(fund, market, batch, weights, total_root, escrow_root)
    };
    match result {
        Ok(Some(mint)) => DepositOutcome::Minted(mint),
        Ok(None) => DepositOutcome::Nothing,
        Err(_) => {
            *fund = fund_before;
            *market = market_before;
            for (netuid, alpha) in batch {
                enqueue(fund, *netuid, *alpha);
            }
            DepositOutcome::Requeued
        }
    }
}

/// Run one credit's step; on error undo it and re-queue the credit (`isolate_basket_credit`).
fn isolate<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    netuid: u16,
    alpha: u64,
    step: impl FnOnce(&mut RootFund, &mut M) -> Result<Option<u64>>,
) -> Option<u64> {
    let (fund_before, market_before) = (fund.clone(), market.clone());
    match step(fund, market) {
        Ok(v) => v,
        Err(_) => {
            *fund = fund_before;
            *market = market_before;
            enqueue(fund, netuid, alpha);
            None
        }
    }
}

/// Uncurated: credit each origin holding in place, valued as its realizable delta.
fn accumulate_batch<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    batch: &[(u16, u64)],
    total_root: u64,
    escrow_root: u64,
) -> Result<Option<Mint>> {
    let nav_before = nav(fund, market)?;
    let mut value_added = 0u64;
    let mut any = false;
    for (netuid, alpha) in batch {
        if *alpha == 0 {
            continue;
        }
        let (n, a) = (*netuid, *alpha);
        if let Some(delta) = isolate(fund, market, n, a, |f, m| accumulate_credit(f, m, n, a)) {
            any = true;
            value_added = value_added.saturating_add(delta);
        }
    }
    if !any {
        return Ok(None);
    }
    mint_basket_dividend_shares(fund, nav_before, value_added, total_root, escrow_root).map(Some)
}

/// `try_accumulate_basket_credit`: `Ok(None)` when the holding is or becomes terminal (the
/// credit is recycled).
fn accumulate_credit<M: FundMarket>(
    fund: &mut RootFund,
    market: &mut M,
    netuid: u16,
    alpha: u64,
) -> Result<Option<u64>> {
    let held_before = fund.holding(netuid);
    let Some(before) = realizable(market, netuid, held_before)? else {
        market.recycle(netuid, alpha);
        return Ok(None);
    };
    fund.credit_holding(netuid, alpha);
    let held_after = fund.holding(netuid);
    let Some(after) = realizable(market, netuid, held_after)? else {
        fund.debit_holding(netuid, held_after.saturating_sub(held_before));
        market.recycle(netuid, alpha);
        return Ok(None);
    };
    Ok(Some(after.saturating_sub(before)))
}

/// Curated: sell every credit, deploy the TAO by weight, mint on the full transformation.
fn distribute_batch<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    batch: &[(u16, u64)],
    weights: &[(u16, u64)],
    total_root: u64,
    escrow_root: u64,
) -> Result<Option<Mint>> {
    let pre_sale_nav = nav(fund, market)?;
    let mut tao_total = 0u64;
    let mut sold_any = false;
    for (netuid, alpha) in batch {
        if *alpha == 0 {
            continue;
        }
        let (n, a) = (*netuid, *alpha);
        if let Some(tao) = isolate(fund, market, n, a, |_, m| sell_credit(m, n, a)) {
            sold_any = true;
            tao_total = tao_total.saturating_add(tao);
        }
    }
    if !sold_any {
        return Ok(None);
    }
    let post_sale_nav = nav(fund, market)?;
    deploy(fund, market, weights, tao_total)?;
    let nav_after = nav(fund, market)?;
    let deploy_delta = nav_after.saturating_sub(post_sale_nav);
    let value_added = post_sale_nav
        .saturating_add(deploy_delta)
        .saturating_sub(pre_sale_nav);
    mint_basket_dividend_shares(fund, pre_sale_nav, value_added, total_root, escrow_root).map(Some)
}

/// `try_sell_basket_credit`: `Ok(None)` when the origin is terminal (the credit is recycled).
fn sell_credit<M: FundMarket>(market: &mut M, netuid: u16, alpha: u64) -> Result<Option<u64>> {
    if realizable(market, netuid, alpha)?.is_none() {
        market.recycle(netuid, alpha);
        return Ok(None);
    }
    match market.sell(netuid, alpha)? {
        Some(tao) => Ok(Some(tao)),
        None => {
            market.recycle(netuid, alpha);
            Ok(None)
        }
    }
}

/// Split `tao` by weight (`mul_div(tao, w, Σw)`, the last slot takes the remainder) and buy
/// each destination; a root slice, or a slice whose pool is terminal, is held as root cash.
fn deploy<M: FundMarket>(
    fund: &mut RootFund,
    market: &mut M,
    weights: &[(u16, u64)],
    tao: u64,
) -> Result<()> {
    let weight_sum = weights.iter().fold(0u64, |s, (_, w)| s.saturating_add(*w));
    let last = weights.len().saturating_sub(1);
    let mut spent = 0u64;
    for (i, (netuid, weight)) in weights.iter().enumerate() {
        let slice = if i == last {
            tao.saturating_sub(spent)
        } else {
            mul_div_u64(tao, *weight, weight_sum)
        };
        if slice == 0 {
            return Err(Error::field(
                ErrorCode::ZeroAmount,
                format!("weights[{i}]"),
                "deployment slice rounds to zero (AmountTooLow)",
            ));
        }
        spent = spent.saturating_add(slice);
        if *netuid == ROOT {
            credit_root_slot(fund, market, slice);
            continue;
        }
        match market.buy(*netuid, slice)? {
            Some(0) => {
                return Err(Error::field(
                    ErrorCode::ZeroAmount,
                    format!("weights[{i}]"),
                    "deployment buy rounds to zero alpha (AmountTooLow)",
                ))
            }
            Some(bought) => fund.credit_holding(*netuid, bought),
            None => credit_root_slot(fund, market, slice),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::root_fund::market::PoolMarket;
    use crate::emission::subnet_pool::BalancerPool;
    use substrate_fixed::types::I96F32;

    const TAO: u64 = 1_000_000_000;

    fn market() -> PoolMarket<BalancerPool> {
        let mut m = PoolMarket::default();
        m.pools
            .insert(1, BalancerPool::dynamic(100_000 * TAO, 100_000 * TAO));
        m.pools
            .insert(2, BalancerPool::dynamic(100_000 * TAO, 50_000 * TAO));
        m
    }

    #[test]
    fn uncurated_first_deposit_mints_at_par_on_the_realizable_delta() {
        let mut m = market();
        let mut f = RootFund::registered();
        f.root_stakes.insert(7, 1_000 * TAO);
        let out = deposit_batch(&mut f, &mut m, &[(1, 10 * TAO)], Curation::Uncurated);
        let quote = m.realizable(1, 10 * TAO).unwrap().unwrap();
        let DepositOutcome::Minted(mint) = out else {
            panic!("{out:?}")
        };
        assert_eq!(mint.shares, quote);
        assert_eq!(f.shares, quote);
        assert_eq!(f.holding(1), 10 * TAO);
        assert_eq!(
            f.rate,
            I96F32::from_num(quote) / I96F32::from_num(1_000 * TAO)
        );
        assert!(f.pending.is_empty());
    }

    #[test]
    fn no_stakers_recycles_and_dust_mint_requeues() {
        let mut m = market();
        let mut f = RootFund::registered();
        assert_eq!(
            deposit_batch(&mut f, &mut m, &[(1, 5)], Curation::Uncurated),
            DepositOutcome::Recycled
        );
        assert_eq!(m.recycled.get(&1), Some(&5));
        // A fund with a large NAV: 1 rao of value mints 0 shares → the batch is re-queued.
        f.root_stakes.insert(7, 10);
        f.shares = 1;
        f.credit_holding(ROOT, 1_000 * TAO);
        let before = f.holdings.clone();
        assert_eq!(
            deposit_batch(&mut f, &mut m, &[(1, 2)], Curation::Uncurated),
            DepositOutcome::Requeued
        );
        assert_eq!(f.holdings, before);
        assert_eq!(f.pending.get(&1), Some(&2));
    }

    #[test]
    fn curated_deposit_sells_and_buys_by_weight() {
        let mut m = market();
        let mut f = RootFund::registered();
        f.root_stakes.insert(7, 1_000 * TAO);
        let weights = [(ROOT, 1), (2, 3)];
        let out = deposit_batch(&mut f, &mut m, &[(1, 8 * TAO)], Curation::Curated(&weights));
        assert!(matches!(out, DepositOutcome::Minted(_)), "{out:?}");
        assert!(f.holding(1) == 0, "the origin credit was sold");
        let cash = f.escrow_root();
        assert!(cash > 0 && f.holding(2) > 0);
        assert_eq!(m.root_reserve_credit, cash);
        assert_eq!(
            f.shares,
            nav(&f, &m).unwrap(),
            "first deposit: par on the value added"
        );
    }
}
