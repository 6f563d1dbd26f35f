//! Tests of [`super`]: a batch equals single quotes, every era quotes without changing the pool,
//! errors carry codes, and price targets round-trip.

use super::*;
use crate::pool::perquintill::Perquintill;
use crate::pool::Balancer;

#[test]
fn batch_equals_single() {
    let consts = SwapConstants::default();
    for w in [500_000_000_000_000_000u64, 102_337_248_363_782_924] {
        let mut pool = BalancerPool::new(150_000_000_000, 100_000_000_000);
        pool.weights = Balancer::new(Perquintill::from_parts(w)).unwrap();
        let amounts = sample_amounts(300_000_000_000, 12, true);
        for order in [Order::Buy, Order::Sell] {
            let batch = quote_amounts(&pool, order, &amounts, &consts);
            for (a, b) in amounts.iter().zip(batch) {
                assert_eq!(b.ok(), quote(&pool, order, *a, None, &consts).ok());
            }
        }
    }
}

#[test]
fn every_era_quotes() {
    use crate::pool::{AnyPool, PoolEra};
    let consts = SwapConstants::default();
    for era in [
        PoolEra::ConstantProduct,
        PoolEra::UniswapV3,
        PoolEra::Balancer,
    ] {
        let pool = AnyPool::new(era, 100_000_000_000, 100_000_000_000);
        let q = quote_model(pool.model(), Order::Buy, 1_000_000_000, None, &consts).unwrap();
        assert!(q.amount_out > 0, "{era:?}");
        assert!(q.price_after_rao > q.spot_price_rao, "{era:?}: {q:?}");
        // A pure quote leaves the pool as it was.
        assert_eq!(pool, AnyPool::new(era, 100_000_000_000, 100_000_000_000));
    }
}

#[test]
fn errors_have_codes() {
    let consts = SwapConstants::default();
    let pool = BalancerPool::new(1_000_000_000, 1_000_000_000);
    assert_eq!(
        quote(&pool, Order::Buy, 0, None, &consts).unwrap_err().code,
        ErrorCode::ZeroAmount
    );
    assert_eq!(
        quote(&BalancerPool::new(0, 5), Order::Buy, 5, None, &consts)
            .unwrap_err()
            .code,
        ErrorCode::EmptyPool
    );
    assert_eq!(
        amount_from_i128(-1, "amount").unwrap_err().code,
        ErrorCode::Negative
    );
    assert_eq!(
        amount_from_i128(i128::from(u64::MAX) + 1, "amount")
            .unwrap_err()
            .code,
        ErrorCode::TooLarge
    );
    let e = quote(&pool, Order::Buy, 2_000_000_000_000, None, &consts).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::TooLarge, Some("amount"))
    );
    let e = quote(&pool, Order::Buy, 1_000_000, Some(500_000_000), &consts).unwrap_err();
    assert_eq!(e.code, ErrorCode::LimitNotFillable);
}

#[test]
fn price_target_and_round_trip() {
    let consts = SwapConstants::default();
    let pool = BalancerPool::new(150_000_000_000, 100_000_000_000);
    let q = amount_for_price(&pool, Order::Buy, 24_000_000_000, &consts).unwrap();
    assert_eq!(q.amount_paid_in, 450_000_000_000);
    assert_eq!(q.price_after_rao, 24_000_000_000);
    let rt = round_trip(&pool, 10_000_000_000, &consts).unwrap();
    assert!(rt.tao_out < rt.tao_in && rt.cost > 0);
}
