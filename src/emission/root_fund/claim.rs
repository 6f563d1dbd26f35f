//! Fund-level claims (`root_claim_for_hotkey`): redeem owed shares for root stake.
//!
//! Port of `root_claim_for_hotkey_into` (`pallets/subtensor/src/staking/claim_root.rs`,
//! RaoFoundation/subtensor index id 68851360157); spec `emission-after-425.md` §3.6. The claim
//! pays root **stake**: the claimant's root stake grows, its hold clock restarts and its
//! watermark is rebased for the new stake, then the whole entitlement (dust rows included) is
//! burned from `BasketShares` and added to the watermark.
//!
//! The admission envelope (`MAX_ROOT_CLAIM_WORK`), the weight counters and the coldkey-wide
//! walk over `StakingHotkeys` are not modelled; a caller claims hotkey by hotkey.

use super::deposit::Curation;
use super::dust::DustRules;
use super::market::FundMarket;
use super::math::{basket_payout_from, mul_div_u64};
use super::plan::{anchored_value, plan_claim_rows, ValuedRow};
use super::queue::flush;
use super::state::{RootFund, ROOT};
use super::valuation::{credit_root_slot, realizable};
use super::watermark::{add_claimed, owed_shares, rebase_claimed};
use crate::emission::stake_book::AccountId;
use crate::error::Result;
use substrate_fixed::types::{I96F32, U64F64};

/// The chain parameters a claim reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimParams<'a> {
    /// `RootClaimableThreshold[ROOT]` (I96F32, rao).
    pub threshold: I96F32,
    /// The dust knobs ([`DustRules::OFF`] before spec 468).
    pub dust: DustRules,
    /// How the pre-claim flush deposits queued credits.
    pub curation: Curation<'a>,
    /// Skip the threshold check (`ignore_minimum_condition`).
    pub ignore_minimum: bool,
    /// Current block (the hold clock).
    pub block: u64,
}

/// What a claim did. Every field is 0 for a no-op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClaimReport {
    /// TAO staked on root for the claimant.
    pub tao: u64,
    /// Shares burned.
    pub shares: u64,
    /// Rows valued.
    pub rows: u32,
    /// Rows with a positive take.
    pub realized: u32,
    /// Rows consolidated into root cash before valuing.
    pub swept: u32,
    /// Rows left in the fund as dust.
    pub dust_rows: u32,
    /// Estimated TAO those dust slices would have paid (`BasketClaimDustSkipped`).
    pub forfeited_est: u64,
    /// Rows written off (terminal).
    pub written_off: u32,
    /// Sale surplus kept in the fund's root slot.
    pub retained: u64,
}

/// Value every holding as the claim sees it (realizable, anchored, terminal).
fn value_rows<M: FundMarket>(fund: &RootFund, market: &M) -> Result<Vec<ValuedRow>> {
    fund.holdings_list()
        .into_iter()
        .map(|(netuid, alpha)| {
            let (value, terminal) = match realizable(market, netuid, alpha)? {
                Some(v) => (v, false),
                None => (0, true),
            };
            let (fast, slow) = if netuid == ROOT {
                (None, U64F64::from_num(0))
            } else {
                (market.fast_price(netuid), market.slow_price(netuid))
            };
            Ok(ValuedRow {
                netuid,
                alpha,
                value,
                anchored: anchored_value(netuid, alpha, value, fast, slow),
                terminal,
                dust: false,
            })
        })
        .collect()
}

/// `root_claim_for_hotkey`: `coldkey` redeems what it is owed from `fund`. Consolidation (and
/// the flush) commit even when the redemption no-ops or fails; the redemption itself is atomic.
pub fn claim<M: FundMarket + Clone>(
    fund: &mut RootFund,
    market: &mut M,
    coldkey: AccountId,
    params: &ClaimParams<'_>,
) -> Result<ClaimReport> {
    let mut report = ClaimReport::default();
    flush(fund, market, params.threshold, params.curation);
    let owed = owed_shares(fund, coldkey);
    let total = fund.shares;
    if owed == 0 || total == 0 {
        return Ok(report);
    }
    let owed = owed.min(total);
    report.swept = super::convert::consolidate_dust_holdings(fund, market, params.threshold);
    let rows = value_rows(fund, market)?;
    report.rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let rows = plan_claim_rows(rows, owed, total, &params.dust);
    let has_terminal = rows.iter().any(|r| r.terminal);
    let dust_rows: Vec<&ValuedRow> = rows.iter().filter(|r| r.dust).collect();
    let forfeited_est = dust_rows.iter().fold(0u64, |acc, r| {
        acc.saturating_add(basket_payout_from(owed, r.value, total))
    });
    let redeemable = rows
        .iter()
        .filter(|r| !r.dust)
        .fold(0u64, |acc, r| acc.saturating_add(r.value));
    let estimated = basket_payout_from(owed, redeemable, total);
    if !params.ignore_minimum
        && !has_terminal
        && I96F32::saturating_from_num(estimated) < params.threshold
    {
        return Ok(report);
    }
    if estimated == 0 && !has_terminal {
        return Ok(report);
    }
    let (fund_before, market_before) = (fund.clone(), market.clone());
    match redeem(fund, market, coldkey, &rows, owed, total, params.block) {
        Ok(Some(mut done)) => {
            done.swept = report.swept;
            done.rows = report.rows;
            done.dust_rows = u32::try_from(dust_rows.len()).unwrap_or(u32::MAX);
            done.forfeited_est = forfeited_est;
            Ok(done)
        }
        Ok(None) => {
            *fund = fund_before;
            *market = market_before;
            Ok(report)
        }
        Err(e) => {
            *fund = fund_before;
            *market = market_before;
            Err(e)
        }
    }
}

/// The redemption transaction. `Ok(None)`: nothing realized and nothing written off (roll back).
fn redeem<M: FundMarket>(
    fund: &mut RootFund,
    market: &mut M,
    coldkey: AccountId,
    rows: &[ValuedRow],
    owed: u64,
    total: u64,
    block: u64,
) -> Result<Option<ClaimReport>> {
    let mut r = ClaimReport::default();
    let (mut root_slot_tao, mut swapped, mut retained) = (0u64, 0u64, 0u64);
    for row in rows.iter().filter(|row| !row.dust) {
        let entitlement = basket_payout_from(owed, row.value, total);
        let proportional = mul_div_u64(row.alpha, owed, total);
        // A valuable row can owe a rao while its alpha slice floors to 0: sell one unit.
        let take = if proportional == 0 && entitlement > 0 && row.netuid != ROOT && !row.terminal {
            1
        } else {
            proportional
        };
        if take == 0 {
            continue;
        }
        r.realized = r.realized.saturating_add(1);
        fund.debit_holding(row.netuid, take);
        if row.netuid == ROOT {
            root_slot_tao = root_slot_tao.saturating_add(take);
            continue;
        }
        if row.terminal {
            market.burn(row.netuid, take);
            r.written_off = r.written_off.saturating_add(1);
            continue;
        }
        let Some(tao) = market.sell(row.netuid, take)? else {
            market.burn(row.netuid, take);
            r.written_off = r.written_off.saturating_add(1);
            continue;
        };
        // Pay the priced entitlement; a concave curve's surplus stays with the fund, except
        // for a final claimant, who has nobody to leave it to.
        let to_claimant = if owed == total {
            tao
        } else {
            tao.min(entitlement)
        };
        swapped = swapped.saturating_add(to_claimant);
        retained = retained.saturating_add(tao.saturating_sub(to_claimant));
    }
    let total_tao = root_slot_tao.saturating_add(swapped);
    if total_tao == 0 && r.written_off == 0 {
        return Ok(None);
    }
    if retained > 0 {
        credit_root_slot(fund, market, retained);
    }
    if total_tao > 0 {
        let stake = fund.root_stake(coldkey).saturating_add(total_tao);
        fund.root_stakes.insert(coldkey, stake);
        fund.stake_blocks.insert(coldkey, block);
    }
    if swapped > 0 {
        market.credit_root_reserves(swapped);
    }
    if total_tao > 0 {
        rebase_claimed(fund, coldkey, i128::from(total_tao));
    }
    fund.shares = fund.shares.saturating_sub(owed);
    add_claimed(fund, coldkey, i128::from(owed));
    fund.redeemed_tao = fund.redeemed_tao.saturating_add(total_tao);
    r.tao = total_tao;
    r.shares = owed;
    r.retained = retained;
    Ok(Some(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::root_fund::market::PoolMarket;
    use crate::emission::subnet_pool::BalancerPool;

    const TAO: u64 = 1_000_000_000;
    const SHARE: u64 = 1_000_000;

    /// The upstream dust-test fund (`setup_fund`): deep 100k-TAO pools priced at 1, rate 1,
    /// staker `i` owed `stakes[i] × SHARE` shares; rows on netuids 1, 2, ….
    fn setup(rows: &[u64], stakes: &[u64]) -> (RootFund, PoolMarket<BalancerPool>) {
        let mut m = PoolMarket::default();
        let mut f = RootFund::registered();
        for (i, alpha) in rows.iter().enumerate() {
            let netuid = u16::try_from(i + 1).unwrap();
            m.pools
                .insert(netuid, BalancerPool::dynamic(100_000 * TAO, 100_000 * TAO));
            m.fast.insert(netuid, U64F64::from_num(1));
            m.slow.insert(netuid, U64F64::from_num(1));
            f.credit_holding(netuid, *alpha);
        }
        for (i, stake) in stakes.iter().enumerate() {
            f.root_stakes.insert(5_000 + i as u64, stake * SHARE);
        }
        f.shares = stakes.iter().sum::<u64>() * SHARE;
        f.rate = I96F32::from_num(1);
        (f, m)
    }

    fn params(dust: DustRules) -> ClaimParams<'static> {
        ClaimParams {
            threshold: I96F32::from_num(0),
            dust,
            curation: Curation::Uncurated,
            ignore_minimum: false,
            block: 10,
        }
    }

    #[test]
    fn small_claimant_skips_the_dust_slice_and_the_last_holder_drains_the_fund() {
        let (mut f, mut m) = setup(&[20 * TAO, 5 * TAO, 200 * TAO], &[1, 99_999]);
        let p = params(DustRules::SPEC_468);
        let r = claim(&mut f, &mut m, 5_000, &p).unwrap();
        assert_eq!(f.holding(2), 5 * TAO, "0.00005 TAO slice skipped");
        assert!(f.holding(1) < 20 * TAO, "0.0002 TAO slice sold");
        assert_eq!(owed_shares(&f, 5_000), 0, "the whole entitlement is burned");
        assert_eq!(f.shares, 99_999 * SHARE);
        assert_eq!(r.dust_rows, 1);
        assert!(r.forfeited_est > 49_000 && r.forfeited_est <= 50_000);
        assert_eq!(f.root_stake(5_000), SHARE + r.tao);
        assert_eq!(f.stake_blocks.get(&5_000), Some(&10));

        let r = claim(&mut f, &mut m, 5_001, &p).unwrap();
        assert_eq!(r.dust_rows, 0, "the final claimant skips nothing");
        assert!(f.holdings.is_empty(), "{:?}", f.holdings);
        assert_eq!(f.shares, 0);
        assert_eq!(owed_shares(&f, 5_001), 0);
    }

    #[test]
    fn zero_floors_take_every_row_pro_rata() {
        let (mut f, mut m) = setup(&[5 * TAO, TAO / 2, 20 * TAO, 5_000], &[1, 99_999]);
        let before: Vec<(u16, u64)> = f.holdings_list();
        let r = claim(&mut f, &mut m, 5_000, &params(DustRules::OFF)).unwrap();
        for (netuid, held) in before {
            assert_eq!(f.holding(netuid), held - held / 100_000, "row {netuid}");
        }
        assert_eq!(r.dust_rows, 0);
        assert_eq!(owed_shares(&f, 5_000), 0);
    }

    #[test]
    fn threshold_and_nothing_owed_are_no_ops() {
        let (mut f, mut m) = setup(&[20 * TAO], &[1, 99_999]);
        let before = f.clone();
        let mut p = params(DustRules::SPEC_468);
        p.threshold = I96F32::from_num(500_000);
        // 1/100_000 of 20 TAO = 200_000 rao < 500_000: no-op.
        let r = claim(&mut f, &mut m, 5_000, &p).unwrap();
        assert_eq!((r.tao, r.shares, r.rows), (0, 0, 1));
        assert_eq!(f, before);
        assert_eq!(
            claim(&mut f, &mut m, 42, &p).unwrap(),
            ClaimReport::default()
        );
    }

    #[test]
    fn root_slot_pays_one_to_one_and_surplus_stays() {
        let (mut f, mut m) = setup(&[10 * TAO], &[1, 1]);
        f.credit_holding(ROOT, 4 * TAO);
        let value = m.realizable(1, 10 * TAO).unwrap().unwrap();
        let r = claim(&mut f, &mut m, 5_000, &params(DustRules::SPEC_468)).unwrap();
        // Half of the root slot (2 TAO) plus half the 10-TAO row's liquidation value: selling
        // half the row realizes more than that, and the surplus stays in the fund.
        assert_eq!(r.tao, 2 * TAO + value / 2);
        assert!(r.retained > 0);
        assert_eq!(f.holding(1), 5 * TAO);
        assert_eq!(f.escrow_root(), 2 * TAO + r.retained);
    }
}
