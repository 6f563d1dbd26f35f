//! Fees after spec 425 (spec `pool-after-425.md` §4): the AMM swap fee (unchanged), native
//! transaction fees (recycled from v444, halved from spec 467) and the EVM base fee.
//!
//! Sources: the AMM fee is [`BalancerPool::fee_for`](super::swap::BalancerPool::fee_for) /
//! [`BalancerPool::fee_grossed_up`](super::swap::BalancerPool::fee_grossed_up) (base §11.7);
//! transaction fees follow RaoFoundation/subtensor `pallets/transaction-fee/src/lib.rs`
//! (`LinearWeightToFee`, `LinearLengthToFee`, index id 68842273449) and the spec-467 pin test
//! `runtime/tests/transaction_fee_rates.rs` (index id 68963034576); recycling follows #3053 /
//! #3058 (v444), halving #3183 (spec 467); the alpha-paid path before 444 from base spec
//! `emission-and-pools.md` §12.5. AMM swap fees are not transaction fees: they go to the author
//! in every era.

/// `MaxFeeRate` of the swap pallet (the AMM `FeeRate` is a u16 over 65 535; default 33).
pub const MAX_FEE_RATE: u16 = 10_000;

/// Parts per billion (`Perbill` accuracy).
const PPB: u128 = 1_000_000_000;

/// Which native fee rates a runtime charges.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TxFeeRates {
    /// Up to spec 466: 500 000 ppb rao per ref_time unit, 1 rao per byte, EVM base fee 20 gwei.
    #[default]
    Full,
    /// Spec 467 (#3183) onward: 250 000 ppb per ref_time unit, 0.5 rao per byte, EVM base fee
    /// 10 gwei (floor 5 gwei).
    Halved,
}

impl TxFeeRates {
    /// `LinearWeightToFee` coefficient, rao per ref_time unit in parts per billion.
    pub const fn weight_ppb(self) -> u128 {
        match self {
            TxFeeRates::Full => 500_000,
            TxFeeRates::Halved => 250_000,
        }
    }

    /// Length fee, rao per encoded byte in parts per billion.
    pub const fn length_ppb(self) -> u128 {
        match self {
            TxFeeRates::Full => PPB,
            TxFeeRates::Halved => 500_000_000,
        }
    }

    /// EVM `DefaultBaseFeePerGas` in wei.
    pub const fn evm_base_fee_per_gas(self) -> u64 {
        match self {
            TxFeeRates::Full => 20_000_000_000,
            TxFeeRates::Halved => 10_000_000_000,
        }
    }
}

/// `Perbill(ppb) × units`: rounded to the nearest integer, ties down (`Rounding::NearestPrefDown`),
/// saturating at `u64::MAX`.
fn perbill_mul(units: u64, ppb: u128) -> u64 {
    let scaled = u128::from(units).saturating_mul(ppb);
    let (q, r) = (scaled / PPB, scaled % PPB);
    let up = u128::from(r.saturating_mul(2) > PPB);
    u64::try_from(q.saturating_add(up)).unwrap_or(u64::MAX)
}

/// `LinearWeightToFee::weight_to_fee`: only `ref_time` is priced (proof size is free).
pub fn weight_to_fee(ref_time: u64, rates: TxFeeRates) -> u64 {
    perbill_mul(ref_time, rates.weight_ppb())
}

/// Length fee of an encoded extrinsic of `len` bytes.
pub fn length_to_fee(len: u64, rates: TxFeeRates) -> u64 {
    perbill_mul(len, rates.length_ppb())
}

/// `compute_fee` without tip (fee multiplier 1): base extrinsic weight fee + length fee + call
/// weight fee, each rounded on its own.
pub fn inclusion_fee(base_ref_time: u64, len: u64, call_ref_time: u64, rates: TxFeeRates) -> u64 {
    weight_to_fee(base_ref_time, rates)
        .saturating_add(length_to_fee(len, rates))
        .saturating_add(weight_to_fee(call_ref_time, rates))
}

/// Where native transaction fees and tips go.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TxFeeDestination {
    /// Up to spec 443: paid to the block author (a transfer; issuance unchanged).
    #[default]
    BlockAuthor,
    /// v444 (#3058) onward: recycled (`TotalIssuance` falls); alpha-paid fees are swapped to TAO
    /// and that TAO is recycled. The AMM swap fee still goes to the author.
    Recycled,
}

impl From<crate::runtime::TxFees> for TxFeeDestination {
    /// The destination of a runtime's fee rule ([`Rules::tx_fees`](crate::runtime::Rules)).
    fn from(f: crate::runtime::TxFees) -> Self {
        match f {
            crate::runtime::TxFees::ToAuthor => TxFeeDestination::BlockAuthor,
            crate::runtime::TxFees::Recycled | crate::runtime::TxFees::RecycledHalved => {
                TxFeeDestination::Recycled
            }
        }
    }
}

impl From<crate::runtime::TxFees> for TxFeeRates {
    /// The fee rates of a runtime's fee rule ([`Rules::tx_fees`](crate::runtime::Rules)).
    fn from(f: crate::runtime::TxFees) -> Self {
        match f {
            crate::runtime::TxFees::RecycledHalved => TxFeeRates::Halved,
            crate::runtime::TxFees::ToAuthor | crate::runtime::TxFees::Recycled => TxFeeRates::Full,
        }
    }
}

/// How a paid fee (plus tip) settles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeeSettlement {
    /// TAO credited to the block author.
    pub to_author: u64,
    /// TAO removed from `TotalIssuance` (recycled from 444, burned before).
    pub recycled: u64,
}

impl FeeSettlement {
    /// `TotalIssuance` after the fee settles.
    pub fn issuance_after(&self, total_issuance: u64) -> u64 {
        total_issuance.saturating_sub(self.recycled)
    }
}

/// Settle a native TAO fee and tip under `destination` (an alpha-paid fee: [`settle_alpha_fee`]).
pub fn settle_tx_fee(fee: u64, tip: u64, destination: TxFeeDestination) -> FeeSettlement {
    let total = fee.saturating_add(tip);
    match destination {
        TxFeeDestination::BlockAuthor => FeeSettlement {
            to_author: total,
            recycled: 0,
        },
        TxFeeDestination::Recycled => FeeSettlement {
            to_author: 0,
            recycled: total,
        },
    }
}

/// An alpha-paid fee, given the TAO its fee-free sale returned: it leaves issuance in every era
/// (burned up to 443, recycled from 444; base spec `emission-and-pools.md` §12.5), never the
/// block author's.
pub fn settle_alpha_fee(tao_from_sale: u64) -> FeeSettlement {
    FeeSettlement {
        to_author: 0,
        recycled: tao_from_sale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// weight_to_fee_charges_a_quarter_rao_per_thousand_ref_time (spec 467).
    #[test]
    fn halved_weight_fee_matches_the_pin_test() {
        let f = |t| weight_to_fee(t, TxFeeRates::Halved);
        assert_eq!(f(0), 0);
        assert_eq!(f(40_000), 10);
        assert_eq!(f(1_000_000_000), 250_000);
        assert_eq!(f(224_051_000), 56_013);
        assert_eq!(f(u64::MAX), 4_611_686_018_427_388);
        // 112 025.5 is a tie: down.
        assert_eq!(weight_to_fee(224_051_000, TxFeeRates::Full), 112_025);
    }

    /// length_to_fee_charges_half_a_rao_per_byte: a half rao is a tie and rounds down.
    #[test]
    fn halved_length_fee_rounds_ties_down() {
        let f = |l| length_to_fee(l, TxFeeRates::Halved);
        assert_eq!((f(0), f(1), f(3), f(150), f(151)), (0, 0, 1, 75, 75));
        assert_eq!(f(u64::MAX), u64::MAX / 2);
        assert_eq!(length_to_fee(147, TxFeeRates::Full), 147);
    }

    #[test]
    fn inclusion_fee_sums_rounded_terms() {
        // Three terms of 0.6 rao each round up on their own.
        let ref_time = 2_400; // 0.6 rao at 250 000 ppb
        assert_eq!(inclusion_fee(ref_time, 0, ref_time, TxFeeRates::Halved), 2);
        assert_eq!(
            TxFeeRates::Halved.evm_base_fee_per_gas() * 2,
            TxFeeRates::Full.evm_base_fee_per_gas()
        );
    }

    #[test]
    fn recycled_fees_leave_issuance() {
        let a = settle_tx_fee(100, 5, TxFeeDestination::BlockAuthor);
        assert_eq!((a.to_author, a.recycled), (105, 0));
        let r = settle_tx_fee(100, 5, TxFeeDestination::Recycled);
        assert_eq!((r.to_author, r.recycled), (0, 105));
        assert_eq!(a.issuance_after(1_000), 1_000);
        assert_eq!(r.issuance_after(1_000), 895);
        assert_eq!(
            settle_tx_fee(u64::MAX, 1, TxFeeDestination::Recycled).recycled,
            u64::MAX
        );
        assert_eq!(settle_alpha_fee(40).issuance_after(100), 60);
        assert_eq!(settle_alpha_fee(40).to_author, 0);
    }

    #[test]
    fn the_runtime_fee_rule_names_destination_and_rates() {
        use crate::runtime::TxFees;
        let of = |f: TxFees| (TxFeeDestination::from(f), TxFeeRates::from(f));
        assert_eq!(
            of(TxFees::ToAuthor),
            (TxFeeDestination::BlockAuthor, TxFeeRates::Full)
        );
        assert_eq!(
            of(TxFees::Recycled),
            (TxFeeDestination::Recycled, TxFeeRates::Full)
        );
        assert_eq!(
            of(TxFees::RecycledHalved),
            (TxFeeDestination::Recycled, TxFeeRates::Halved)
        );
    }
}
