//! Share mint at NAV for dividend deposits (`mint_basket_dividend_shares`).
//!
//! Port of `basket_shares_for_value`, `can_keep_basket_dividend` and
//! `mint_basket_dividend_shares` (`pallets/subtensor/src/staking/claim_root.rs`,
//! RaoFoundation/subtensor index id 68851360157); spec `emission-after-425.md` §3.5.

use super::attribution::{rate_increment, stakers_value};
use super::math::mul_div_u64;
use super::state::RootFund;
use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::I96F32;

/// A drained fund (shares outstanding, NAV 0) revives with a par mint only when the stale shares
/// are at most `value / 100` (so stale holders capture at most ~1 % of the deposit).
pub const DRAINED_FUND_DUST_DIVISOR: u64 = 100;

/// Shares for `value` entering a fund at pre-deposit NAV `nav_before` with `shares_outstanding`
/// shares: par for the first deposit, `value · P / N` otherwise, and for a fund marked at zero
/// either par (stale shares are dust) or nothing.
pub fn basket_shares_for_value(value: u64, nav_before: u64, shares_outstanding: u64) -> u64 {
    if shares_outstanding == 0 {
        return value;
    }
    if nav_before == 0 {
        if shares_outstanding <= value / DRAINED_FUND_DUST_DIVISOR {
            return value;
        }
        return 0;
    }
    mul_div_u64(value, shares_outstanding, nav_before)
}

/// Whether a dividend credit can stay with the fund (otherwise the flush recycles it): real
/// stakers exist, or the escrow's cash earned it for a fund that has shares.
pub fn can_keep_basket_dividend(total_root: u64, escrow_root: u64, shares: u64) -> bool {
    total_root > 0 || (escrow_root > 0 && shares > 0)
}

/// What a successful mint did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mint {
    /// The stakers' part of the value added.
    pub stakers_value: u64,
    /// Shares minted (0 for an escrow-only keep).
    pub shares: u64,
    /// `BasketRate` increment.
    pub increment: I96F32,
}

/// `mint_basket_dividend_shares`: attribute `value_added`, mint at `nav_before`, advance the
/// rate. `total_root` / `escrow_root` are the real stakers' and the escrow's root stake.
///
/// Errors (`ErrorCode::ZeroAmount`) when the credit cannot be apportioned or the mint rounds to
/// nothing; the caller then rolls the batch back and re-queues it, as the chain does. Nothing is
/// written on error.
pub fn mint_basket_dividend_shares(
    fund: &mut RootFund,
    nav_before: u64,
    value_added: u64,
    total_root: u64,
    escrow_root: u64,
) -> Result<Mint> {
    let outstanding = fund.shares;
    if !can_keep_basket_dividend(total_root, escrow_root, outstanding) {
        return Err(Error::field(
            ErrorCode::ZeroAmount,
            "total_root",
            "basket deposit unapportionable",
        ));
    }
    let stakers = stakers_value(value_added, total_root, escrow_root);
    let shares = basket_shares_for_value(stakers, nav_before, outstanding);
    let increment = rate_increment(shares, total_root);
    let escrow_only = total_root == 0;
    if !escrow_only && (shares == 0 || increment == I96F32::from_num(0)) {
        return Err(Error::field(
            ErrorCode::ZeroAmount,
            "value_added",
            "basket deposit too small",
        ));
    }
    fund.deposited_tao = fund.deposited_tao.saturating_add(value_added);
    if escrow_only {
        return Ok(Mint {
            stakers_value: stakers,
            shares: 0,
            increment: I96F32::from_num(0),
        });
    }
    fund.shares = fund.shares.saturating_add(shares);
    fund.rate = fund.rate.saturating_add(increment);
    Ok(Mint {
        stakers_value: stakers,
        shares,
        increment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_at_nav() {
        assert_eq!(basket_shares_for_value(123_456_789, 0, 0), 123_456_789);
        assert_eq!(
            basket_shares_for_value(1_000_000_000, 3_000_000_000, 2_000_000_000),
            666_666_666
        );
        assert_eq!(basket_shares_for_value(1_000_000, 0, 10_001), 0);
        assert_eq!(basket_shares_for_value(1_000_000, 0, 10_000), 1_000_000);
    }

    #[test]
    fn keep_rule() {
        assert!(can_keep_basket_dividend(0, 500, 7));
        assert!(!can_keep_basket_dividend(0, 500, 0));
        assert!(!can_keep_basket_dividend(0, 0, 7));
        assert!(can_keep_basket_dividend(1, 0, 0));
    }

    #[test]
    fn mint_attributes_and_prices_at_nav() {
        let mut f = RootFund::registered();
        f.shares = 2_000;
        // N = 4_000, value 1_000 of which 900/1000 belongs to stakers → 900 · 2000 / 4000.
        let m = mint_basket_dividend_shares(&mut f, 4_000, 1_000, 900, 100).unwrap();
        assert_eq!(m.stakers_value, 900);
        assert_eq!(m.shares, 450);
        assert_eq!(m.increment, I96F32::from_num(0.5));
        assert_eq!(f.shares, 2_450);
        assert_eq!(f.rate, I96F32::from_num(0.5));
        assert_eq!(f.deposited_tao, 1_000);
    }

    #[test]
    fn escrow_only_keep_mints_nothing_and_dust_errors() {
        let mut f = RootFund::registered();
        f.shares = 10;
        let m = mint_basket_dividend_shares(&mut f, 100, 50, 0, 500).unwrap();
        assert_eq!(m.shares, 0);
        assert_eq!(f.shares, 10);
        assert_eq!(f.deposited_tao, 50);
        let before = f.clone();
        // 1 · 10 / 1000 floors to 0 shares.
        assert!(mint_basket_dividend_shares(&mut f, 1_000, 1, 5, 0).is_err());
        assert_eq!(f, before);
        let mut empty = RootFund::registered();
        assert!(mint_basket_dividend_shares(&mut empty, 0, 50, 0, 500).is_err());
    }
}
