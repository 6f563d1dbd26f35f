#![cfg(not(target_arch = "wasm32"))] // proptest has no wasm32-unknown-unknown RNG backend
//! Laws of the weighted pool (spec §11), checked on random pools and trades:
//!
//! * no swap creates value: staking TAO and at once unstaking everything it bought never returns
//!   more TAO than went in (and the same for alpha → TAO → alpha);
//! * the price moves in the trade's direction (a buy never lowers it, a sell never raises it);
//! * amounts are conserved between pool, user and fees: whatever the user gives is either in
//!   the pool, paid to the block author or burned, and whatever the user gets left the pool.
//!
//! Runs through the public API with the chain's default constants.

use proptest::prelude::*;
use substrate_fixed::types::U64F64;
use tao_engine::pool::swap::{
    limit_from_rao, BalancerPool, Order, SwapConstants, MAX_PRICE_RAO, MIN_PRICE_RAO,
};
use tao_engine::pool::{Balancer, Perquintill};

fn consts() -> SwapConstants {
    SwapConstants {
        minimum_reserve: 1_000,
        max_input_multiplier: 1_000,
    }
}

/// A pool with reserves 10^4 … 10^16 and a quote weight of 0.5 or a random one in [0.1, 0.9].
fn pool() -> impl Strategy<Value = BalancerPool> {
    let weight = prop_oneof![
        Just(500_000_000_000_000_000u64),
        100_000_000_000_000_000u64..=900_000_000_000_000_000u64
    ];
    (4u32..=16, 1u64..=9, 4u32..=16, 1u64..=9, weight).prop_map(|(te, tm, ae, am, w)| {
        let mut p = BalancerPool::new(tm * 10u64.pow(te), am * 10u64.pow(ae));
        p.weights = Balancer::new(Perquintill::from_parts(w)).unwrap_or_default();
        p
    })
}

/// An amount between 1 and 10 × the reserve, log-uniform.
fn amount_for(reserve: u64) -> impl Strategy<Value = u64> {
    (0.0f64..1.0).prop_map(move |t| {
        let hi = (reserve as f64 * 10.0).min(1e19);
        (hi.powf(t)).max(1.0).min(u64::MAX as f64) as u64
    })
}

fn limit(order: Order) -> U64F64 {
    match order {
        Order::Buy => limit_from_rao(MAX_PRICE_RAO),
        Order::Sell => limit_from_rao(MIN_PRICE_RAO),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn round_trip_never_returns_more_tao((p, tao, no_fee) in pool().prop_flat_map(|p| (Just(p), amount_for(p.tao_reserve), any::<bool>()))) {
        // Holds without fees too: every rounding in the swap favours the pool.
        let mut pool = p;
        let Ok(buy) = pool.execute(Order::Buy, tao, limit(Order::Buy), no_fee, true, &consts()) else { return Ok(()) };
        let alpha = buy.result.amount_paid_out;
        let Ok(sell) = pool.execute(Order::Sell, alpha, limit(Order::Sell), no_fee, true, &consts()) else { return Ok(()) };
        prop_assert!(sell.result.amount_paid_out <= tao, "staked {} TAO, got back {}", tao, sell.result.amount_paid_out);
    }

    #[test]
    fn round_trip_never_returns_more_alpha((p, alpha, no_fee) in pool().prop_flat_map(|p| (Just(p), amount_for(p.alpha_reserve), any::<bool>()))) {
        let mut pool = p;
        let Ok(sell) = pool.execute(Order::Sell, alpha, limit(Order::Sell), no_fee, true, &consts()) else { return Ok(()) };
        let tao = sell.result.amount_paid_out;
        let Ok(buy) = pool.execute(Order::Buy, tao, limit(Order::Buy), no_fee, true, &consts()) else { return Ok(()) };
        prop_assert!(buy.result.amount_paid_out <= alpha, "sold {} alpha, bought back {}", alpha, buy.result.amount_paid_out);
    }

    #[test]
    fn price_moves_with_the_trade((p, amount, buy) in pool().prop_flat_map(|p| (Just(p), amount_for(p.tao_reserve.min(p.alpha_reserve)), any::<bool>()))) {
        let order = if buy { Order::Buy } else { Order::Sell };
        let before = p.price();
        let mut pool = p;
        let Ok(_) = pool.execute(order, amount, limit(order), false, true, &consts()) else { return Ok(()) };
        let after = pool.price();
        match order {
            Order::Buy => prop_assert!(after >= before, "buy lowered the price {} -> {}", before, after),
            Order::Sell => prop_assert!(after <= before, "sell raised the price {} -> {}", before, after),
        }
    }

    #[test]
    fn amounts_are_conserved((p, amount, buy, author) in pool().prop_flat_map(|p| (Just(p), amount_for(p.tao_reserve.min(p.alpha_reserve)), any::<bool>(), any::<bool>()))) {
        let order = if buy { Order::Buy } else { Order::Sell };
        let mut pool = p;
        let Ok(e) = pool.execute(order, amount, limit(order), false, author, &consts()) else { return Ok(()) };
        let r = e.result;
        prop_assert!(r.gross_in() <= amount);
        let d_tao = i128::from(pool.tao_reserve) - i128::from(p.tao_reserve);
        let d_alpha = i128::from(pool.alpha_reserve) - i128::from(p.alpha_reserve);
        match order {
            Order::Buy => {
                // TAO in = pool gain + fee (author or burned); alpha out = pool loss.
                prop_assert_eq!(i128::from(r.gross_in()), d_tao + i128::from(e.author_tao) + i128::from(e.burned_tao));
                prop_assert_eq!(i128::from(r.amount_paid_out), -d_alpha);
            }
            Order::Sell => {
                // Alpha in = pool gain + burned fee; TAO out of the pool = user + author.
                prop_assert_eq!(i128::from(r.gross_in()), d_alpha + i128::from(e.burned_alpha));
                prop_assert_eq!(-d_tao, i128::from(r.amount_paid_out) + i128::from(e.author_tao));
            }
        }
    }
}
