//! The per-block moving (EMA) price update with warm-up.
//!
//! Port of `update_moving_price` / `get_moving_alpha_price` (`pallets/subtensor/src/coinbase/alpha.rs`
//! area, subtensor @ 14bc6f9); spec `emission-and-pools.md` §5.3.

use super::math::div64;
use crate::fixed::wide;
use substrate_fixed::types::{I96F32, U64F64, U96F32};

/// Default `SubnetMovingAlpha` (0.000003 as an I96F32).
pub fn default_moving_alpha() -> I96F32 {
    I96F32::from_num(0.000_003)
}

/// Default `EMAPriceHalvingBlocks` (4 weeks of 12 s blocks).
pub const DEFAULT_EMA_PRICE_HALVING_BLOCKS: u64 = 201_600;

/// `get_moving_alpha_price`: 1 for root and stable (mechanism 0) subnets, else the stored EMA.
pub fn moving_alpha_price(stored: I96F32, is_stable_or_root: bool) -> U64F64 {
    if is_stable_or_root {
        U64F64::from_num(1)
    } else {
        U64F64::saturating_from_num(stored)
    }
}

/// Inputs of one moving-price update.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MovingPriceInput {
    /// Current block.
    pub current_block: u64,
    /// `FirstEmissionBlockNumber` (the block after `start_call`); `None` counts as 0.
    pub first_emission_block: Option<u64>,
    /// `EMAPriceHalvingBlocks` of the subnet.
    pub halving_blocks: u64,
    /// `SubnetMovingAlpha` (global).
    #[serde(with = "crate::fixed::serde_fixed::i96f32")]
    pub moving_alpha: I96F32,
    /// Spot price (`current_alpha_price`), U64F64.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub spot_price: U64F64,
    /// Current moving price as returned by [`moving_alpha_price`].
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub current_moving: U64F64,
}

/// One EMA step: `alpha = SubnetMovingAlpha * b / (b + h)` with `b` the blocks since
/// `start_call`, then `new = alpha * min(spot, 1) + (1 - alpha) * old`, stored as I96F32.
pub fn update_moving_price(input: &MovingPriceInput) -> I96F32 {
    let start_call_block = input.first_emission_block.unwrap_or(0).saturating_sub(1);
    let blocks_since =
        U64F64::saturating_from_num(input.current_block.saturating_sub(start_call_block));
    let h = U64F64::saturating_from_num(input.halving_blocks);
    let ma = U64F64::saturating_from_num(input.moving_alpha);
    // Both operands are whole numbers: unless their sum saturates, the U64F64 quotient is the
    // integer ratio (`crate::pool::balancer::ratio`, one 128-bit division).
    let since = input.current_block.saturating_sub(start_call_block);
    let weight = match since.checked_add(input.halving_blocks) {
        Some(sum) => crate::pool::balancer::ratio(since, sum),
        None => div64(blocks_since, blocks_since.saturating_add(h)),
    };
    let alpha = wide::mul_u64f64(ma, weight);
    let one = U64F64::from_num(1);
    let one_minus_alpha = one.saturating_sub(alpha);
    let current_price = wide::mul_u64f64(alpha, input.spot_price.min(one));
    let current_moving = wide::mul_u64f64(one_minus_alpha, input.current_moving);
    I96F32::saturating_from_num(current_price.saturating_add(current_moving))
}

/// `update_moving_price` of release tags `v3.4.0-411` … `v3.4.7-422` (`stake_utils.rs` at
/// v3.4.6-421): the same EMA as [`update_moving_price`], but every step in `U96F32`, with the
/// v3 spot price `current_alpha_price` (`U96F32`) and `get_moving_alpha_price` returning `U96F32`
/// (1 for root and stable subnets, else `U96F32(SubnetMovingPrice)`). Spec 423 moved it to
/// `U64F64`.
pub fn update_moving_price_u96(
    current_block: u64,
    first_emission_block: Option<u64>,
    halving_blocks: u64,
    moving_alpha: I96F32,
    spot_price: U96F32,
    current_moving: U96F32,
) -> I96F32 {
    let start_call_block = first_emission_block.unwrap_or(0).saturating_sub(1);
    let blocks_since = U96F32::saturating_from_num(current_block.saturating_sub(start_call_block));
    let ma = U96F32::saturating_from_num(moving_alpha);
    let ratio = blocks_since
        .checked_div(blocks_since.saturating_add(U96F32::saturating_from_num(halving_blocks)))
        .unwrap_or(U96F32::from_num(0));
    let alpha = ma.saturating_mul(ratio);
    let one = U96F32::from_num(1);
    let one_minus_alpha = one.saturating_sub(alpha);
    let current_price = alpha.saturating_mul(spot_price.min(one));
    let current = one_minus_alpha.saturating_mul(current_moving);
    I96F32::saturating_from_num(current_price.saturating_add(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(old: f64, ma: f64, block: u64, first: u64) -> I96F32 {
        update_moving_price(&MovingPriceInput {
            current_block: block,
            first_emission_block: Some(first),
            halving_blocks: DEFAULT_EMA_PRICE_HALVING_BLOCKS,
            moving_alpha: I96F32::from_num(ma),
            spot_price: U64F64::from_num(1),
            current_moving: moving_alpha_price(I96F32::from_num(old), false),
        })
    }

    #[test]
    fn steady_state_is_a_fixed_point() {
        assert_eq!(step(1.0, 0.000_003, 7_200_000, 1), I96F32::from_num(1));
    }

    #[test]
    fn warm_up_halves_alpha_at_h() {
        let v = step(0.0, 0.1, 201_600, 1).to_num::<f64>();
        assert!((v - 0.05).abs() < 1e-9);
        assert!(step(0.0, 0.5, 510, 500).to_num::<f64>() < 0.001);
    }

    #[test]
    fn spot_is_capped_at_one() {
        let v = update_moving_price(&MovingPriceInput {
            current_block: 10_000_000,
            first_emission_block: Some(1),
            halving_blocks: 1,
            moving_alpha: I96F32::from_num(1),
            spot_price: U64F64::from_num(5),
            current_moving: U64F64::from_num(0),
        });
        assert!(v <= I96F32::from_num(1));
    }

    /// The update equals the all-fixed-point formula it replaced (U64F64 division of the
    /// block counts), saturating sums included.
    #[test]
    fn integer_weight_is_the_fixed_division() {
        let old = |i: &MovingPriceInput| {
            let start = i.first_emission_block.unwrap_or(0).saturating_sub(1);
            let since = U64F64::saturating_from_num(i.current_block.saturating_sub(start));
            let h = U64F64::saturating_from_num(i.halving_blocks);
            let ma = U64F64::saturating_from_num(i.moving_alpha);
            let alpha = ma.saturating_mul(div64(since, since.saturating_add(h)));
            let one = U64F64::from_num(1);
            let cur = alpha.saturating_mul(i.spot_price.min(one));
            I96F32::saturating_from_num(
                cur.saturating_add(one.saturating_sub(alpha).saturating_mul(i.current_moving)),
            )
        };
        let mut next = crate::fixed::splitmix(11u64);
        for k in 0..20_000u64 {
            let mut r = || {
                let z = next();
                z >> (z % 64)
            };
            let input = MovingPriceInput {
                current_block: if k % 5 == 0 { u64::MAX - r() % 3 } else { r() },
                first_emission_block: if k % 7 == 0 { None } else { Some(r()) },
                halving_blocks: if k % 3 == 0 { u64::MAX - r() % 5 } else { r() },
                moving_alpha: I96F32::from_bits(i128::from(r() % (1 << 40))),
                spot_price: U64F64::from_bits(u128::from(r()) << (r() % 64)),
                current_moving: U64F64::from_bits(u128::from(r()) << (r() % 64)),
            };
            assert_eq!(update_moving_price(&input), old(&input), "{input:?}");
        }
    }

    #[test]
    fn the_v3_era_ema_runs_in_u96f32() {
        // alpha = 0.000003 × b / (b + h) with b = h: 0.0000015; from 0.5 towards a spot of 2 (capped
        // at 1): 0.5 + 0.0000015 × 0.5, each product truncated to 32 fractional bits.
        let ma = default_moving_alpha();
        let v = update_moving_price_u96(
            201_600,
            Some(1),
            201_600,
            ma,
            U96F32::from_num(2),
            U96F32::from_num(0.5),
        );
        let alpha = U96F32::saturating_from_num(ma).saturating_mul(U96F32::from_num(0.5));
        let want = alpha.saturating_mul(U96F32::from_num(1))
            + (U96F32::from_num(1) - alpha).saturating_mul(U96F32::from_num(0.5));
        assert_eq!(v, I96F32::saturating_from_num(want));
        assert!(v > I96F32::from_num(0.5) && v < I96F32::from_num(0.5001));
    }

    /// The chain's own tests at v3.4.6-421 (`tests/coinbase.rs`:
    /// `test_update_moving_price_initial`, `test_update_moving_price_after_time`): moving alpha 0.5,
    /// spot 1 (an uninitialised pool of 10^6 / 10^6), EMA 0, halving 201 600.
    #[test]
    fn the_chains_v3_era_moving_price_tests() {
        let step = |block: u64| {
            update_moving_price_u96(
                block,
                Some(500),
                DEFAULT_EMA_PRICE_HALVING_BLOCKS,
                I96F32::from_num(0.5),
                U96F32::from_num(1),
                U96F32::from_num(0),
            )
            .to_num::<f64>()
        };
        assert!(step(510) < 0.001);
        assert!((step(144_000_500) - 0.5).abs() < 0.001);
    }
}
