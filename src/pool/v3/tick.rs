//! Tick ↔ sqrt-price conversions of the Uniswap-v3 era (spec §17.1).
//!
//! Port of opentensor/subtensor `pallets/swap/src/tick.rs` (which adapts Uniswap's `TickMath`,
//! via 0xKitsune/uniswap-v3-math) as of the last v3 commit
//! `486037ba45b87a453b1d660177cc1b105d0298c6`. `price = 1.0001^tick`; sqrt prices are Q64.96 in
//! `TickMath` and U64F64 in the pallet (the Q64.96 → U64F64 step rounds up). The pallet allows
//! half of Uniswap's tick range (±443 636). Uniswap's `getTickAtSqrtRatio` returns the greatest
//! tick whose ratio does not exceed the input; that is computed here by bisection over
//! [`sqrt_ratio_at_tick`], which yields the same tick.

use crate::pool::bigint::BigUint;
use substrate_fixed::types::U64F64;

/// Uniswap's tick bound.
pub const UNISWAP_MAX_TICK: i32 = 887_272;
/// Lowest tick the pallet uses.
pub const MIN_TICK: i32 = -UNISWAP_MAX_TICK / 2;
/// Highest tick the pallet uses.
pub const MAX_TICK: i32 = UNISWAP_MAX_TICK / 2;

/// `floor(2^128 / sqrt(1.0001)^(2^i))` for bit `i` of |tick| (Uniswap `TickMath`).
const MAGIC: [u128; 20] = [
    0xfffcb933bd6fad37aa2d162d1a594001,
    0xfff97272373d413259a46990580e213a,
    0xfff2e50f5f656932ef12357cf3c7fdcc,
    0xffe5caca7e10e4e61c3624eaa0941cd0,
    0xffcb9843d60f6159c9db58835c926644,
    0xff973b41fa98c081472e6896dfb254c0,
    0xff2ea16466c96a3843ec78b326b52861,
    0xfe5dee046a99a2a811c461f1969c3053,
    0xfcbe86c7900a88aedcffc83b479aa3a4,
    0xf987a7253ac413176f2b074cf7815e54,
    0xf3392b0822b70005940c7a398e4b70f3,
    0xe7159475a2c29b7443b29c7fa6e889d9,
    0xd097f3bdfd2022b8845ad8f792aa5825,
    0xa9f746462d870fdf8a65dc1f90e061e5,
    0x70d869a156d2a1b890bb3df62baf32f7,
    0x31be135f97d08fd981231505542fcfa6,
    0x09aa508b5b7a84e1c677de54f3e99bc9,
    0x005d6af8dedb81196699c329225ee604,
    0x00002216e584f5fa1ea926041bedfe98,
    0x00000000048a170391f7dc42444e8fa2,
];

/// `sqrt(1.0001^tick)` in Q64.96, rounded up (Uniswap `getSqrtRatioAtTick`); `None` outside
/// ±887 272.
pub fn sqrt_ratio_at_tick(tick: i32) -> Option<BigUint> {
    let abs = tick.unsigned_abs();
    if abs > UNISWAP_MAX_TICK.unsigned_abs() {
        return None;
    }
    let mut ratio = if abs & 1 != 0 {
        BigUint::from_u128(MAGIC.first().copied().unwrap_or(0))
    } else {
        BigUint::one().shl(128)
    };
    for (i, m) in MAGIC.iter().enumerate().skip(1) {
        if abs & (1 << i) != 0 {
            ratio = ratio.mul(&BigUint::from_u128(*m)).shr(128);
        }
    }
    if tick > 0 {
        let max = BigUint::one().shl(256).saturating_sub(&BigUint::one());
        ratio = max.div_floor(&ratio);
    }
    let shifted = ratio.shr(32);
    Some(if ratio.low_bits_nonzero(32) {
        shifted.add(&BigUint::one())
    } else {
        shifted
    })
}

/// The greatest tick whose Q64.96 ratio does not exceed `sqrt_q96`; `None` outside
/// `[ratio(MIN), ratio(MAX))`.
pub fn tick_at_sqrt_ratio(sqrt_q96: &BigUint) -> Option<i32> {
    let min = sqrt_ratio_at_tick(-UNISWAP_MAX_TICK)?;
    let max = sqrt_ratio_at_tick(UNISWAP_MAX_TICK)?;
    if *sqrt_q96 < min || *sqrt_q96 >= max {
        return None;
    }
    let (mut lo, mut hi) = (-UNISWAP_MAX_TICK, UNISWAP_MAX_TICK);
    while lo < hi {
        let mid = lo + (hi - lo + 1) / 2;
        if sqrt_ratio_at_tick(mid)? <= *sqrt_q96 {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// Sqrt price (U64F64) at the lower edge of `tick`; `None` outside the pallet range.
pub fn try_to_sqrt_price(tick: i32) -> Option<U64F64> {
    if !(MIN_TICK..=MAX_TICK).contains(&tick) {
        return None;
    }
    let q96 = sqrt_ratio_at_tick(tick)?;
    let shifted = q96.shr(32);
    let rounded = if q96.low_bits_nonzero(32) {
        shifted.add(&BigUint::one())
    } else {
        shifted
    };
    rounded.to_u128().map(U64F64::from_bits)
}

/// Tick of a sqrt price, with the pallet's +1 correction for non-zero ticks.
pub fn try_from_sqrt_price(sqrt_price: U64F64) -> Option<i32> {
    let tick = tick_at_sqrt_ratio(&BigUint::from_u128(sqrt_price.to_bits()).shl(32))?;
    if tick == 0 {
        return Some(0);
    }
    let t = tick.checked_add(1)?;
    (MIN_TICK..=MAX_TICK).contains(&t).then_some(t)
}

/// [`try_to_sqrt_price`] with the pallet's fallbacks (1000 above, 0.000001 below).
pub fn to_sqrt_price_bounded(tick: i32) -> U64F64 {
    try_to_sqrt_price(tick).unwrap_or_else(|| {
        if tick >= MAX_TICK {
            U64F64::from_num(1000)
        } else {
            U64F64::from_num(0.000001)
        }
    })
}

/// [`try_from_sqrt_price`] clamped to the range.
pub fn from_sqrt_price_bounded(sqrt_price: U64F64) -> i32 {
    try_from_sqrt_price(sqrt_price).unwrap_or_else(|| {
        let max = try_to_sqrt_price(MAX_TICK).unwrap_or(U64F64::from_num(1000));
        if sqrt_price > max {
            MAX_TICK
        } else {
            MIN_TICK
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dec(s: &str) -> BigUint {
        s.bytes().fold(BigUint::zero(), |a, c| {
            a.mul_u64(10).add(&BigUint::from_u64(u64::from(c - b'0')))
        })
    }

    #[test]
    fn known_ratios() {
        assert_eq!(
            sqrt_ratio_at_tick(-UNISWAP_MAX_TICK).unwrap(),
            BigUint::from_u64(4_295_128_739)
        );
        assert_eq!(
            sqrt_ratio_at_tick(-UNISWAP_MAX_TICK + 1).unwrap(),
            BigUint::from_u64(4_295_343_490)
        );
        assert_eq!(
            sqrt_ratio_at_tick(UNISWAP_MAX_TICK).unwrap(),
            dec("1461446703485210103287273052203988822378723970342")
        );
        assert_eq!(
            sqrt_ratio_at_tick(50).unwrap(),
            BigUint::from_u128(79_426_470_787_362_580_746_886_972_461)
        );
        assert_eq!(
            sqrt_ratio_at_tick(1000).unwrap(),
            BigUint::from_u128(83_290_069_058_676_223_003_182_343_270)
        );
        assert_eq!(
            sqrt_ratio_at_tick(150_000).unwrap(),
            BigUint::from_u128(143_194_173_941_309_278_083_010_301_478_497)
        );
        assert_eq!(
            sqrt_ratio_at_tick(738_203).unwrap(),
            dec("847134979253254120489401328389043031315994541")
        );
    }

    #[test]
    fn roundtrip() {
        for t in [
            -UNISWAP_MAX_TICK + 1,
            -1000,
            -4,
            0,
            2,
            100,
            1000,
            UNISWAP_MAX_TICK - 1,
        ] {
            assert_eq!(tick_at_sqrt_ratio(&sqrt_ratio_at_tick(t).unwrap()), Some(t));
        }
        assert_eq!(try_to_sqrt_price(0).unwrap(), U64F64::from_num(1));
    }
}
