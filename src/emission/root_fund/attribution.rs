//! Attribution of a dividend deposit between the real root stakers and the fund's own root slot.
//!
//! Port of the attribution step of `mint_basket_dividend_shares`
//! (`pallets/subtensor/src/staking/claim_root.rs`, RaoFoundation/subtensor index id
//! 68851360157); spec `emission-after-425.md` §3.5.
//!
//! The validator's whole root stake earned the dividend, the escrow's root (cash) slot included.
//! Only the real stakers' fraction mints shares; the escrow's fraction enters the fund unminted,
//! so it raises N/P for the existing holders.

use super::math::mul_div_u64;
use substrate_fixed::types::I96F32;

/// The stakers' part of `value_added`: `mul_div_u64(value_added, total_root, total_root +
/// escrow_root)`.
pub fn stakers_value(value_added: u64, total_root: u64, escrow_root: u64) -> u64 {
    mul_div_u64(
        value_added,
        total_root,
        total_root.saturating_add(escrow_root),
    )
}

/// The `BasketRate` increment of a mint: `I96F32(shares) / I96F32(total_root)`, 0 when
/// `total_root` is 0.
pub fn rate_increment(shares: u64, total_root: u64) -> I96F32 {
    I96F32::saturating_from_num(shares)
        .checked_div(I96F32::saturating_from_num(total_root))
        .unwrap_or_else(|| I96F32::from_num(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escrow_share_is_left_unminted() {
        assert_eq!(stakers_value(1_000_000, 900, 100), 900_000);
        assert_eq!(stakers_value(1_000_000, 0, 100), 0);
        assert_eq!(stakers_value(1_000_000, 0, 0), 0);
        assert_eq!(stakers_value(999, 1, 2), 333);
    }

    #[test]
    fn increment_is_shares_per_rao() {
        assert_eq!(rate_increment(500, 1_000), I96F32::from_num(0.5));
        assert_eq!(rate_increment(500, 0), I96F32::from_num(0));
        // 1/3 in I96F32 truncates.
        assert_eq!(
            rate_increment(1, 3),
            I96F32::from_bits(I96F32::from_num(1).to_bits() / 3)
        );
    }
}
