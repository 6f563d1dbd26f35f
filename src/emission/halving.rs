//! TAO (and per-subnet alpha) block emission as a function of issuance.
//!
//! Source: `get_block_emission_for_issuance` in `pallets/subtensor/src/coinbase/block_emission.rs`
//! (subtensor @ 14bc6f9). The chain computes `log2(1 / (1 - I / (2 * 10.5e15)))` in `I96F32` with
//! substrate-fixed's `log2`, floors it to `k`, builds `2^k` by repeated saturating doubling, and
//! returns `floor(1e9 * (1 / 2^k))`, all in `I96F32`. The operation order is kept so the result is
//! bit-identical (the reciprocal underflows to 0 once `2^k > 2^32`).

use substrate_fixed::transcendental::log2;
use substrate_fixed::types::I96F32;

/// `TotalSupply`: the 21 M TAO hard cap, in rao.
pub const TOTAL_SUPPLY: u64 = 21_000_000_000_000_000;
/// `DefaultBlockEmission`: 1 TAO per block before any halving, in rao.
pub const DEFAULT_BLOCK_EMISSION: u64 = 1_000_000_000;

/// The chain's `floor(log2(1 / (1 - I / 21e15)))`, i.e. how many halvings have happened at
/// issuance `issuance`. `None` when issuance has reached the cap (emission is 0) or when the
/// chain's own computation would fail (it then reports an error and emits nothing).
pub fn halving_index(issuance: u64) -> Option<u64> {
    let total = I96F32::saturating_from_num(issuance);
    if total >= I96F32::saturating_from_num(TOTAL_SUPPLY) {
        return None;
    }
    let one = I96F32::saturating_from_num(1);
    let denom = I96F32::saturating_from_num(2)
        .saturating_mul(I96F32::saturating_from_num(10_500_000_000_000_000u64));
    let ratio = total.checked_div(denom)?;
    let rest = one.checked_sub(ratio)?;
    let inv = one.checked_div(rest)?;
    let residual: I96F32 = log2::<I96F32, I96F32>(inv).ok()?;
    Some(residual.floor().saturating_to_num::<u64>())
}

/// TAO emitted per block at total issuance `issuance` (rao). The same function gives a subnet's
/// alpha emission from its alpha issuance.
pub fn block_emission(issuance: u64) -> u64 {
    let Some(k) = halving_index(issuance) else {
        return 0;
    };
    let two = I96F32::saturating_from_num(2);
    let mut multiplier = I96F32::saturating_from_num(1);
    // The chain doubles k times; past 2^64 the I96F32 saturates, which the loop reproduces. k is
    // at most ~64 here (issuance < 21e15 bounds the log), so the loop is short.
    for _ in 0..k {
        multiplier = multiplier.saturating_mul(two);
    }
    let percentage = I96F32::saturating_from_num(1)
        .checked_div(multiplier)
        .unwrap_or(I96F32::from_num(0));
    percentage
        .saturating_mul(I96F32::saturating_from_num(DEFAULT_BLOCK_EMISSION))
        .saturating_to_num::<u64>()
}

/// One step of the halving schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HalvingStep {
    /// Number of halvings so far.
    pub halvings: u64,
    /// Smallest issuance (rao) at which this emission applies.
    pub issuance_from: u64,
    /// Emission per block (rao) from that issuance on.
    pub emission: u64,
}

/// The halving schedule as the chain computes it: every issuance threshold at which the block
/// emission changes, found by bisection on [`block_emission`] itself (so the thresholds are the
/// chain's, including fixed-point rounding near `21e15·(1 − 2^-k)`), up to `max_steps` steps or
/// until emission reaches 0.
pub fn halving_schedule(max_steps: usize) -> Vec<HalvingStep> {
    let mut steps = Vec::new();
    let mut from = 0u64;
    let mut emission = block_emission(0);
    let mut halvings = 0u64;
    while steps.len() < max_steps {
        steps.push(HalvingStep {
            halvings,
            issuance_from: from,
            emission,
        });
        if emission == 0 {
            break;
        }
        // Smallest issuance in (from, TOTAL_SUPPLY] whose emission differs.
        let (mut lo, mut hi) = (from, TOTAL_SUPPLY);
        while hi.saturating_sub(lo) > 1 {
            let mid = lo + (hi - lo) / 2;
            if block_emission(mid) == emission {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        from = hi;
        emission = block_emission(hi);
        halvings = halving_index(hi).unwrap_or(halvings.saturating_add(1));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_halving_is_at_half_supply() {
        assert_eq!(block_emission(0), DEFAULT_BLOCK_EMISSION);
        assert_eq!(
            block_emission(10_499_999_999_999_999),
            DEFAULT_BLOCK_EMISSION
        );
        assert_eq!(
            block_emission(10_500_000_000_000_000),
            DEFAULT_BLOCK_EMISSION / 2
        );
    }

    #[test]
    fn cap_and_beyond_emit_nothing() {
        assert_eq!(block_emission(TOTAL_SUPPLY), 0);
        assert_eq!(block_emission(u64::MAX), 0);
        assert_eq!(halving_index(TOTAL_SUPPLY), None);
    }

    #[test]
    fn emission_never_increases_with_issuance() {
        let mut last = u64::MAX;
        let mut i = 0u64;
        while i < TOTAL_SUPPLY {
            let e = block_emission(i);
            assert!(e <= last, "emission rose at issuance {i}");
            last = e;
            i += 37_000_000_000_000;
        }
    }

    #[test]
    fn schedule_thresholds_are_where_emission_changes() {
        let s = halving_schedule(8);
        assert_eq!(
            s[0],
            HalvingStep {
                halvings: 0,
                issuance_from: 0,
                emission: 1_000_000_000
            }
        );
        for w in s.windows(2) {
            let (a, b) = (w[0], w[1]);
            assert!(b.emission < a.emission);
            assert_eq!(block_emission(b.issuance_from), b.emission);
            assert_eq!(block_emission(b.issuance_from - 1), a.emission);
        }
        assert_eq!(s[1].issuance_from, 10_500_000_000_000_000);
        assert_eq!(s[1].emission, 500_000_000);
    }
}
