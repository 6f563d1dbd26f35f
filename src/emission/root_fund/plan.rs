//! How a claim sees the fund's rows before redeeming (`plan_basket_claim_rows`).
//!
//! Port of `plan_basket_claim_rows` and `anchored_basket_holding_value`
//! (`pallets/subtensor/src/staking/claim_root.rs`, RaoFoundation/subtensor index id
//! 68851360157) and `guarded_basket_holding_value` (index id 68873228633); spec
//! `emission-after-425.md` §3.6 steps 4–5.

use super::dust::{basket_row_is_claim_dust, DustRules};
use super::state::ROOT;
use substrate_fixed::types::U64F64;

/// One fund row as a claim sees it (`ValuedHolding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValuedRow {
    /// Subnet of the holding ([`ROOT`] is the cash slot).
    pub netuid: u16,
    /// Alpha held (TAO on root).
    pub alpha: u64,
    /// Pre-sale realizable quote of the whole row (0 when terminal).
    pub value: u64,
    /// The value capped at the fast-anchor mark; decides dust only.
    pub anchored: u64,
    /// The pool is terminally shallow: the row is written off, never sold.
    pub terminal: bool,
    /// This claim leaves the row in the fund.
    pub dust: bool,
}

/// `anchored_basket_holding_value`: `min(realizable, floor(fast · alpha))` with the fast EMA
/// (`SubnetFastMovingPrice`), or the slow-EMA guard `min(realizable, floor(slow · alpha))` while
/// the fast series is unset. Root passes through.
pub fn anchored_value(
    netuid: u16,
    alpha: u64,
    realizable: u64,
    fast_price: Option<U64F64>,
    slow_price: U64F64,
) -> u64 {
    if netuid == ROOT {
        return realizable;
    }
    let price = fast_price.unwrap_or(slow_price);
    let mark = price
        .saturating_mul(U64F64::saturating_from_num(alpha))
        .saturating_to_num::<u64>();
    realizable.min(mark)
}

/// Mark the dust rows of a claim of `owed_shares` of `shares_total`. Rows come valued (value,
/// anchored, terminal); only a partial claim (`owed < total`) marks dust, with the row floor
/// taken from the anchored NAV of every row.
pub fn plan_claim_rows(
    mut rows: Vec<ValuedRow>,
    owed_shares: u64,
    shares_total: u64,
    rules: &DustRules,
) -> Vec<ValuedRow> {
    for row in rows.iter_mut() {
        row.dust = false;
    }
    if owed_shares < shares_total {
        let anchored_nav = rows
            .iter()
            .fold(0u64, |nav, r| nav.saturating_add(r.anchored));
        let row_dust = rules.row_floor(anchored_nav);
        for row in rows.iter_mut() {
            row.dust = row.netuid != ROOT
                && !row.terminal
                && basket_row_is_claim_dust(
                    row.anchored,
                    owed_shares,
                    shares_total,
                    row_dust,
                    rules.slice_dust_tao,
                    rules.forfeit_cap_tao,
                );
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAO: u64 = 1_000_000_000;

    fn row(netuid: u16, tao: u64) -> ValuedRow {
        ValuedRow {
            netuid,
            alpha: tao,
            value: tao,
            anchored: tao,
            terminal: false,
            dust: false,
        }
    }

    #[test]
    fn small_claimant_skips_the_small_slice_only() {
        // 1/100_000 of [20, 5, 200] TAO: the 5 TAO slice (0.00005 TAO) is dust.
        let rows = vec![
            row(1, 20 * TAO),
            row(2, 5 * TAO),
            row(3, 200 * TAO),
            row(ROOT, TAO),
        ];
        let plan = plan_claim_rows(rows.clone(), 1, 100_000, &DustRules::SPEC_468);
        let dust: Vec<bool> = plan.iter().map(|r| r.dust).collect();
        assert_eq!(dust, vec![false, true, false, false]);
        let all = plan_claim_rows(rows.clone(), 100_000, 100_000, &DustRules::SPEC_468);
        assert!(
            all.iter().all(|r| !r.dust),
            "the final claimant skips nothing"
        );
        let off = plan_claim_rows(rows, 1, 100_000, &DustRules::OFF);
        assert!(
            off.iter().all(|r| !r.dust),
            "zero floors: pre-468 behaviour"
        );
    }

    #[test]
    fn anchored_mark_caps_the_live_quote() {
        let one = U64F64::from_num(1);
        assert_eq!(
            anchored_value(1, 5 * TAO, 15 * TAO, Some(one), one),
            5 * TAO
        );
        assert_eq!(
            anchored_value(1, 300 * TAO, 299 * TAO, Some(one), U64F64::from_num(0.02)),
            299 * TAO
        );
        assert_eq!(
            anchored_value(1, 300 * TAO, 299 * TAO, None, U64F64::from_num(0.02)),
            6 * TAO
        );
        assert_eq!(anchored_value(ROOT, 7, 7, None, U64F64::from_num(0)), 7);
    }
}
