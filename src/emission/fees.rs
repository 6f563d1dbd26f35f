//! Where transaction fees go: to the block author (≤ 443) or recycled out of issuance (444+).
//!
//! From the #3053 content of RaoFoundation/subtensor PR #3058 (merged 2026-08-06, spec 444); spec
//! `emission-after-425.md` §5.1 and `pool-after-425.md` §4.2; the alpha-paid path before 444 from
//! base spec `emission-and-pools.md` §12.5. AMM swap fees are not transaction fees: they still go
//! to the author in every era (see [`crate::pool`]). The fee amounts themselves (weight and
//! length fees, halved in spec 467) are not modelled here.

/// The fee rule of an era.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FeeRecycling {
    /// Specs ≤ 443: native TAO fees and tips credit the block author; alpha-paid fees are sold
    /// fee-free and the TAO is burned.
    ToAuthor,
    /// Specs ≥ 444: native fees and tips, the TAO from alpha-paid fees, and EVM base and priority
    /// fees are all recycled: `TotalIssuance` falls by the amount.
    #[default]
    Recycled,
}

/// Where one transaction's fee went (rao).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeeFlow {
    /// Credited to the block author's account.
    pub to_author: u64,
    /// Removed from issuance (recycled or burned).
    pub removed: u64,
}

impl FeeFlow {
    /// `TotalIssuance` after the fee settles.
    pub fn issuance_after(&self, total_issuance: u64) -> u64 {
        total_issuance.saturating_sub(self.removed)
    }
}

/// A native TAO fee plus tip under `rule`.
pub fn settle_tao_fee(fee: u64, tip: u64, rule: FeeRecycling) -> FeeFlow {
    let total = fee.saturating_add(tip);
    match rule {
        FeeRecycling::ToAuthor => FeeFlow {
            to_author: total,
            removed: 0,
        },
        FeeRecycling::Recycled => FeeFlow {
            to_author: 0,
            removed: total,
        },
    }
}

/// An alpha-paid fee, given the TAO its fee-free sale returned: removed from issuance in every
/// era (burned before 444, recycled from 444).
pub fn settle_alpha_fee(tao_from_sale: u64, _rule: FeeRecycling) -> FeeFlow {
    FeeFlow {
        to_author: 0,
        removed: tao_from_sale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_leave_issuance_from_444() {
        let before = settle_tao_fee(100, 7, FeeRecycling::ToAuthor);
        assert_eq!(
            before,
            FeeFlow {
                to_author: 107,
                removed: 0
            }
        );
        assert_eq!(before.issuance_after(1_000), 1_000);
        let after = settle_tao_fee(100, 7, FeeRecycling::Recycled);
        assert_eq!(
            after,
            FeeFlow {
                to_author: 0,
                removed: 107
            }
        );
        assert_eq!(after.issuance_after(1_000), 893);
        assert_eq!(
            settle_tao_fee(u64::MAX, 1, FeeRecycling::Recycled).removed,
            u64::MAX
        );
        assert_eq!(
            settle_alpha_fee(40, FeeRecycling::Recycled).issuance_after(100),
            60
        );
    }
}
