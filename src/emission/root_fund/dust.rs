//! Claim dust rules (spec 468): which fund rows a claim leaves in the fund.
//!
//! Port of `basket_claim_row_dust_floor` and `basket_row_is_claim_dust`
//! (`pallets/subtensor/src/staking/claim_root.rs`, RaoFoundation/subtensor index id
//! 68851360157) and the defaults asserted by `pallets/subtensor/src/tests/claim_root_dust.rs`
//! (commit 10284ff0be2883a1e2685892586d40b498b65985); spec `emission-after-425.md` §3.6 step 5.
//!
//! A non-root, non-terminal row is skipped by a claim of `o` out of `P` shares when the
//! claimant's slice of it (at the anchored mark) is at most the forfeit cap and either the whole
//! row is under the row floor or the slice is under the slice floor. Zero knobs turn each rule
//! off; a zero forfeit cap turns every skip off, which is the pre-468 behaviour.

use super::math::{basket_payout_from, mul_div_u64};

/// `DEFAULT_BASKET_CLAIM_ROW_DUST_CAP_TAO`: 1 TAO.
pub const DEFAULT_ROW_DUST_CAP_TAO: u64 = 1_000_000_000;
/// `DEFAULT_BASKET_CLAIM_ROW_DUST_BPS`: 0.1 % of the anchored NAV.
pub const DEFAULT_ROW_DUST_BPS: u16 = 10;
/// `DEFAULT_BASKET_CLAIM_SLICE_DUST_TAO`: 0.0001 TAO.
pub const DEFAULT_SLICE_DUST_TAO: u64 = 100_000;
/// `DEFAULT_BASKET_CLAIM_FORFEIT_CAP_TAO`: 0.01 TAO.
pub const DEFAULT_FORFEIT_CAP_TAO: u64 = 10_000_000;

/// The four claim dust knobs (`BasketClaimRowDustCapTao`, `BasketClaimRowDustBps`,
/// `BasketClaimSliceDustTao`, `BasketClaimForfeitCapTao`).
///
/// Era choice: spec 441–467 have no dust rules ([`DustRules::OFF`]); from spec 468 the knobs
/// exist and the chain leaves them unset, so the code defaults apply ([`DustRules::SPEC_468`];
/// third-party chain read at spec 473, 2026-10-06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DustRules {
    /// Row floor cap in rao.
    pub row_dust_cap_tao: u64,
    /// Row floor as basis points of the anchored NAV.
    pub row_dust_bps: u16,
    /// Slice floor in rao.
    pub slice_dust_tao: u64,
    /// Largest slice a claim may leave behind, in rao; 0 disables every skip.
    pub forfeit_cap_tao: u64,
}

impl DustRules {
    /// No dust rules: every priced row is redeemed (spec 441–467).
    pub const OFF: DustRules = DustRules {
        row_dust_cap_tao: 0,
        row_dust_bps: 0,
        slice_dust_tao: 0,
        forfeit_cap_tao: 0,
    };

    /// The code defaults that apply from spec 468 on.
    pub const SPEC_468: DustRules = DustRules {
        row_dust_cap_tao: DEFAULT_ROW_DUST_CAP_TAO,
        row_dust_bps: DEFAULT_ROW_DUST_BPS,
        slice_dust_tao: DEFAULT_SLICE_DUST_TAO,
        forfeit_cap_tao: DEFAULT_FORFEIT_CAP_TAO,
    };

    /// `basket_claim_row_dust_floor`.
    pub fn row_floor(&self, anchored_nav: u64) -> u64 {
        basket_claim_row_dust_floor(anchored_nav, self.row_dust_cap_tao, self.row_dust_bps)
    }
}

/// `min(cap, anchored_nav · bps / 10 000)`: 0 when either knob is 0.
pub fn basket_claim_row_dust_floor(anchored_nav: u64, cap: u64, bps: u16) -> u64 {
    cap.min(mul_div_u64(anchored_nav, u64::from(bps), 10_000))
}

/// Whether a claim of `owed_shares` of `shares_total` leaves a row worth `anchored` in the fund.
/// Callers exclude the root slot, terminal rows, and claims of the whole fund.
pub fn basket_row_is_claim_dust(
    anchored: u64,
    owed_shares: u64,
    shares_total: u64,
    row_dust: u64,
    slice_dust: u64,
    forfeit_cap: u64,
) -> bool {
    // Without the explicit check a zero-valued slice would still be skipped.
    if forfeit_cap == 0 {
        return false;
    }
    let slice = basket_payout_from(owed_shares, anchored, shares_total);
    if slice > forfeit_cap {
        return false;
    }
    (row_dust > 0 && anchored < row_dust) || (slice_dust > 0 && slice < slice_dust)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAO: u64 = 1_000_000_000;

    #[test]
    fn row_floor_is_relative_and_capped() {
        let r = DustRules::SPEC_468;
        assert_eq!(r.row_floor(1_025_500_000_000), TAO);
        let small = r.row_floor(25_520_000_000);
        assert!(small > TAO / 40 && small < TAO / 39);
        assert_eq!(basket_claim_row_dust_floor(25_520_000_000, TAO, 0), 0);
        assert_eq!(
            basket_claim_row_dust_floor(25_520_000_000, TAO, 10_000),
            TAO
        );
        assert_eq!(DustRules::OFF.row_floor(u64::MAX), 0);
    }

    #[test]
    fn forfeit_cap_bounds_every_skip() {
        let r = DustRules::SPEC_468;
        let dust = |a, o, p, row| {
            basket_row_is_claim_dust(a, o, p, row, r.slice_dust_tao, r.forfeit_cap_tao)
        };
        assert!(
            !dust(TAO / 2, 5 * TAO, 10 * TAO, TAO),
            "0.25 TAO slice is sold"
        );
        assert!(
            dust(TAO / 4, TAO / 10, 5 * TAO, TAO),
            "0.005 TAO slice is skipped"
        );
        assert!(dust(5 * TAO, 1_000_000, 100 * TAO, 225_000_000));
        assert!(!dust(20 * TAO, 1_000_000, 100 * TAO, 225_000_000));
        // Zero-valued slice: dust with the default cap, never with cap 0.
        assert!(basket_row_is_claim_dust(
            5,
            1,
            100_000,
            0,
            DEFAULT_SLICE_DUST_TAO,
            10
        ));
        assert!(!basket_row_is_claim_dust(
            5,
            1,
            100_000,
            0,
            DEFAULT_SLICE_DUST_TAO,
            0
        ));
    }
}
