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
    // Every step of the computation is non-decreasing in `issuance` (floor divisions by positive
    // constants, `1 − ratio`, the reciprocal of a shrinking positive value, and the count of
    // ceiling halvings that bring a larger value below 2 is not smaller), and the computation
    // gives 0 at `FIRST_HALVING − 1` (`tests`), so every smaller issuance has index 0. Subnets'
    // alpha issuances are all far below it: the coinbase asks once per subnet per block.
    if issuance < FIRST_HALVING {
        return Some(0);
    }
    halving_index_computed(issuance)
}

/// The first issuance with one halving (10.5 M TAO).
const FIRST_HALVING: u64 = 10_500_000_000_000_000;

/// The chain's computation of [`halving_index`], every step.
fn halving_index_computed(issuance: u64) -> Option<u64> {
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
    if inv >= one {
        return Some(log2_floor_at_least_one(inv));
    }
    let residual: I96F32 = log2::<I96F32, I96F32>(inv).ok()?;
    Some(residual.floor().saturating_to_num::<u64>())
}

/// `floor(log2(x))` exactly as substrate-fixed 0.6.0's `log2` gives it for `x ≥ 1`: its
/// `log2_inner` counts the rounding halvings (`rs`: `(x >> 1) + (x & lsb)`) that bring `x`
/// below 2 and only then appends the fraction bits below that count, so the floor is the
/// count. The same halvings on the raw bits, without the 32 squarings of the fraction (the
/// integer part is *not* the top bit's index: a value just under 2^k rounds up to 2^(k-1)).
fn log2_floor_at_least_one(x: I96F32) -> u64 {
    let two = I96F32::from_num(2).to_bits();
    let mut bits = x.to_bits();
    let mut k = 0u64;
    while bits >= two {
        bits = (bits >> 1) + (bits & 1);
        k += 1;
    }
    k
}

/// TAO emitted per block at total issuance `issuance` (rao). The same function gives a subnet's
/// alpha emission from its alpha issuance.
pub fn block_emission(issuance: u64) -> u64 {
    let Some(k) = halving_index(issuance) else {
        return 0;
    };
    if k == 0 {
        // `1 / 1 × 10^9`, exact in I96F32.
        return DEFAULT_BLOCK_EMISSION;
    }
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

    /// The halving count equals the floor of substrate-fixed's `log2` itself: on every value
    /// next to a power of two (where the rounding halvings matter), on the inverses the halving
    /// index meets near each threshold, and on a spread of issuances.
    #[test]
    fn log2_floor_matches_substrate_fixed() {
        let series = |x: I96F32| {
            log2::<I96F32, I96F32>(x)
                .map(|r| r.floor().saturating_to_num::<u64>())
                .ok()
        };
        let one = I96F32::from_num(1).to_bits();
        let mut xs = vec![one, one + 1, i128::MAX];
        for k in 33..127 {
            for d in [-3i128, -2, -1, 0, 1, 2] {
                let b = (1i128 << k) + d;
                if b >= one {
                    xs.push(b);
                }
            }
        }
        for b in xs {
            let x = I96F32::from_bits(b);
            assert_eq!(Some(log2_floor_at_least_one(x)), series(x), "bits {b}");
        }
        let reference = |j: u64| {
            let total = I96F32::saturating_from_num(j);
            let denom = I96F32::saturating_from_num(TOTAL_SUPPLY);
            let inv = total
                .checked_div(denom)
                .and_then(|r| I96F32::from_num(1).checked_sub(r))
                .and_then(|r| I96F32::from_num(1).checked_div(r))?;
            series(inv)
        };
        let mut issuances: Vec<u64> = (0..6000u64).map(|i| i * 3_500_000_000_000).collect();
        for step in halving_schedule(40) {
            let j = step.issuance_from;
            issuances.extend([j.saturating_sub(1), j, j.saturating_add(1)]);
        }
        for j in issuances.into_iter().filter(|j| *j < TOTAL_SUPPLY) {
            assert_eq!(halving_index(j), reference(j), "issuance {j}");
            assert_eq!(halving_index_computed(j), reference(j), "issuance {j}");
        }
        // The shortcut's premise: the full computation's index is 0 just below the threshold
        // (monotone, so everywhere below) and 1 at it; 10^9 is the emission at index 0.
        assert_eq!(halving_index_computed(FIRST_HALVING - 1), Some(0));
        assert_eq!(reference(FIRST_HALVING - 1), Some(0));
        assert_eq!(halving_index_computed(FIRST_HALVING), Some(1));
        let percentage = I96F32::from_num(1).checked_div(I96F32::from_num(1));
        assert_eq!(
            percentage.map(|p| p
                .saturating_mul(I96F32::saturating_from_num(DEFAULT_BLOCK_EMISSION))
                .saturating_to_num::<u64>()),
            Some(DEFAULT_BLOCK_EMISSION)
        );
    }
}
