//! Integer helpers of the fund: `mul_div_u64` and the redemption sizing `basket_payout_from`.
//!
//! Port of `Pallet::mul_div_u64` (`pallets/subtensor/src/staking/claim_root.rs`, RaoFoundation/
//! subtensor index id 68851360157) and `Pallet::basket_payout_from` (the valuation views beside
//! it, index id 68897403454); spec `emission-after-425.md` §3.5–§3.6.
//!
//! Both work in u128 so that a u64 × u64 product cannot overflow. An earlier branch sized
//! payouts in U96F32, which saturates at chain-scale magnitudes (upstream test
//! `test_root_basket_large_magnitudes_no_saturation`, index id 56354487174); the u128 form is
//! the one that shipped with the fund model.

/// `min(floor(a · b / denom), u64::MAX)`, computed in u128; 0 when `denom` is 0.
pub fn mul_div_u64(a: u64, b: u64, denom: u64) -> u64 {
    let wide = u128::from(a)
        .saturating_mul(u128::from(b))
        .checked_div(u128::from(denom))
        .unwrap_or(0);
    u64::try_from(wide).unwrap_or(u64::MAX)
}

/// What `owed_shares` of a fund with `shares_total` shares outstanding are worth at NAV `nav`:
/// `min(owed · nav / shares_total, nav)` (0 when no share is outstanding).
pub fn basket_payout_from(owed_shares: u64, nav: u64, shares_total: u64) -> u64 {
    mul_div_u64(owed_shares, nav, shares_total).min(nav)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_div_is_wide_and_saturating() {
        assert_eq!(mul_div_u64(u64::MAX, u64::MAX, u64::MAX), u64::MAX);
        assert_eq!(mul_div_u64(u64::MAX, u64::MAX, 1), u64::MAX);
        assert_eq!(mul_div_u64(1_000_000, 900, 1_000), 900_000);
        assert_eq!(mul_div_u64(7, 3, 2), 10);
        assert_eq!(mul_div_u64(7, 3, 0), 0);
    }

    #[test]
    fn payout_is_capped_at_nav() {
        const SUPPLY: u64 = 21_000_000_000_000_000;
        assert_eq!(basket_payout_from(SUPPLY, SUPPLY, SUPPLY), SUPPLY);
        assert_eq!(basket_payout_from(SUPPLY / 2, SUPPLY, SUPPLY), SUPPLY / 2);
        assert_eq!(basket_payout_from(300, 1_000, 100), 1_000);
        assert_eq!(basket_payout_from(5, 1_000, 0), 0);
        assert_eq!(basket_payout_from(1, 999, 1_000), 0);
    }
}
