//! Tests of [`super`]: captures written from engine pools replay to themselves; eras, layouts,
//! stable subnets and missing inputs.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::chain::capture_write::{record_sim_swap, write_pool};
use crate::chain::storage::{item_named, swap_item_named, KeyArg};
use crate::pool::perquintill::Perquintill;
use crate::pool::swap::BalancerPool;
use crate::pool::v3::V3Pool;

fn capture(spec: u32) -> Capture {
    Capture {
        chain: "test".into(),
        block: 1,
        block_hash: "0x00".into(),
        spec_version: spec,
        ..Default::default()
    }
}

fn balancer() -> PoolState {
    let mut p = BalancerPool::new(2_000_000_000_000, 5_000_000_000_000);
    p.weights = Balancer::new(Perquintill::from_parts(400_000_000_000_000_000)).unwrap();
    PoolState::Balancer(p, true)
}

#[test]
fn balancer_capture_replays_to_itself() {
    let mut c = capture(473);
    let s = balancer();
    write_pool(&mut c, 5, &s).unwrap();
    assert_eq!(read_pool(&c, 5, true).unwrap(), s);
    let buy = record_sim_swap(&mut c, 5, &s, Order::Buy, 1_000_000_000);
    let sell = record_sim_swap(&mut c, 5, &s, Order::Sell, 1_000_000_000);
    assert!(buy.alpha_amount > 0 && buy.tao_fee > 0 && buy.alpha_slippage > 0);
    assert!(sell.tao_amount > 0 && sell.alpha_fee > 0 && sell.tao_slippage > 0);
    assert_eq!(buy.tao_amount + buy.tao_fee, 1_000_000_000);
    let checks = check_swap_api(&Capture::from_json(&c.to_json().unwrap()).unwrap());
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|k| k.equal), "{checks:?}");
    // price = w_q/(1−w_q)... from the weights: (0.6 × 2000) / (0.4 × 5000) TAO per alpha.
    let p = current_alpha_price(&c, 5).unwrap();
    assert!((p as f64 - 0.6e9).abs() < 2.0, "{p}");
}

#[test]
fn a_runtime_newer_than_the_engine_knows_is_refused() {
    let s = balancer();
    let mut c = capture(crate::runtime::NEWEST_KNOWN_SPEC);
    write_pool(&mut c, 5, &s).unwrap();
    assert!(sim_swap(&c, 5, Order::Buy, 1_000_000_000).is_ok());
    c.spec_version = crate::runtime::NEWEST_KNOWN_SPEC + 1;
    let e = sim_swap(&c, 5, Order::Buy, 1_000_000_000).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedRuntime);
    assert_eq!(
        current_alpha_price(&c, 5).unwrap_err().code,
        ErrorCode::UnsupportedRuntime
    );
}

#[test]
fn v3_capture_replays_and_uses_u96f32_prices() {
    let mut v = V3Pool::new(1_000_000_000_000, 4_000_000_000_000);
    v.initialize();
    let s = PoolState::UniswapV3(Box::new(v.clone()));
    let mut c = capture(380);
    write_pool(&mut c, 3, &s).unwrap();
    let back = read_pool(&c, 3, true).unwrap();
    let PoolState::UniswapV3(b) = &back else {
        panic!("era {:?}", back.era())
    };
    assert_eq!(b.sqrt_price, v.sqrt_price);
    assert_eq!(b.ticks, v.ticks);
    let r = record_sim_swap(&mut c, 3, &back, Order::Buy, 10_000_000_000);
    assert!(r.alpha_amount > 0);
    assert_eq!((r.tao_slippage, r.alpha_slippage), (0, 0), "32-byte layout");
    assert_eq!(r.encode(380).len(), 32);
    assert!(check_swap_api(&c).iter().all(|k| k.equal));
    let p = current_alpha_price(&c, 3).unwrap();
    assert!((p as f64 - 0.25e9).abs() < 1e3, "{p}");
    // Uninitialised: tao / alpha in U96F32.
    let mut u = capture(380);
    write_pool(
        &mut u,
        3,
        &PoolState::UniswapV3(Box::new(V3Pool::new(1_000, 3_000))),
    )
    .unwrap();
    assert_eq!(current_alpha_price(&u, 3).unwrap(), 333_333_333);
}

#[test]
fn stable_and_root_are_one_to_one() {
    let mut c = capture(473);
    write_pool(&mut c, 0, &PoolState::Stable).unwrap();
    assert_eq!(current_alpha_price(&c, 0).unwrap(), 1_000_000_000);
    let r = sim_swap(&c, 0, Order::Sell, 77).unwrap();
    assert_eq!(
        (r.tao_amount, r.alpha_amount, r.alpha_fee, r.tao_slippage),
        (77, 77, 0, 0)
    );
}

#[test]
fn missing_inputs_are_listed_by_item_and_key() {
    let c = capture(473);
    let e = sim_swap(&c, 9, Order::Buy, 1).unwrap_err();
    assert_eq!(e.code, ErrorCode::MissingField);
    assert!(
        e.message.contains("SubtensorModule.NetworksAdded[9]"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("SubtensorModule.SubnetMechanism[9]"),
        "{}",
        e.message
    );
    let mut c = capture(473);
    write_pool(&mut c, 5, &balancer()).unwrap();
    let fee_key = swap_item_named("FeeRate")
        .unwrap()
        .key(&[KeyArg::U16(5)])
        .unwrap();
    c.storage.remove(&crate::chain::hex::encode(&fee_key));
    let e = sim_swap(&c, 5, Order::Buy, 1).unwrap_err();
    assert!(e.message.contains("Swap.FeeRate[5]"), "{}", e.message);
    // The price does not need the fee.
    assert!(current_alpha_price(&c, 5).is_ok());
    // A pre-424 capture with no pool-era items at all cannot be read.
    let mut old = capture(380);
    write_pool(&mut old, 5, &balancer()).unwrap();
    old.storage.retain(|k, _| {
        let p = crate::chain::hex::encode(&crate::chain::storage::prefix("Swap", "SwapBalancer"));
        let q =
            crate::chain::hex::encode(&crate::chain::storage::prefix("Swap", "PalSwapInitialized"));
        !k.starts_with(&p) && !k.starts_with(&q)
    });
    let e = current_alpha_price(&old, 5).unwrap_err();
    assert!(
        e.message.contains("Swap.SwapV3Initialized[5]"),
        "{}",
        e.message
    );
}

#[test]
fn unknown_subnet_and_bad_values_are_errors() {
    let mut c = capture(473);
    let it = item_named("NetworksAdded").unwrap();
    c.insert(&it.key(&[KeyArg::U16(4)]).unwrap(), None);
    assert_eq!(
        sim_swap(&c, 4, Order::Buy, 1).unwrap_err().code,
        ErrorCode::OutOfRange
    );
    let mut c = capture(473);
    write_pool(&mut c, 5, &balancer()).unwrap();
    let k = item_named("SubnetTAO")
        .unwrap()
        .key(&[KeyArg::U16(5)])
        .unwrap();
    c.insert(&k, Some(&[1, 2, 3]));
    assert_eq!(
        sim_swap(&c, 5, Order::Buy, 1).unwrap_err().code,
        ErrorCode::Decode
    );
}

#[test]
fn result_layouts() {
    let r = SimSwapResult {
        tao_amount: 1,
        alpha_slippage: 6,
        ..Default::default()
    };
    assert_eq!(r.encode(390).len(), 32);
    assert_eq!(r.encode(391).len(), 48);
    assert_eq!(SimSwapResult::decode(&r.encode(391), 391).unwrap(), r);
    assert!(SimSwapResult::decode(&r.encode(391), 390).is_err());
}

#[test]
fn v3_default_limits_are_the_tick_bounds() {
    assert_eq!(v3_default_limit_rao(Order::Buy), u64::MAX);
    assert_eq!(v3_default_limit_rao(Order::Sell), 0);
    // A sell far below 1000 rao per alpha still fills in the v3 era (the balancer would stop).
    // Price 100 rao per alpha.
    let mut v = V3Pool::new(100_000_000, 1_000_000_000_000_000);
    v.initialize();
    let s = PoolState::UniswapV3(Box::new(v));
    let r = sim_swap_state(&s, Order::Sell, 1_000_000_000_000, 380);
    assert!(r.tao_amount > 0, "{r:?}");
    let b = PoolState::Balancer(BalancerPool::new(100_000_000, 1_000_000_000_000_000), true);
    assert_eq!(
        sim_swap_state(&b, Order::Sell, 1_000_000_000_000, 473),
        SimSwapResult::default()
    );
}

#[test]
fn spec_423_simulates_without_the_input_cap() {
    // A buy of 1 000 001 × the TAO reserve: refused by 424's cap, quoted at 423 (tag v3.4.8-423).
    let b = PoolState::Balancer(BalancerPool::new(1_000, 1_000_000_000_000), true);
    let amount = 1_000 * 1_001;
    assert_eq!(
        sim_swap_state(&b, Order::Buy, amount, 424),
        SimSwapResult::default()
    );
    let r = sim_swap_state(&b, Order::Buy, amount, 423);
    assert!(r.alpha_amount > 0 && r.tao_amount > 0, "{r:?}");
    // 380's balancer (tag v3.3.10-380) is 423's pool: quoted too, in the 32-byte layout.
    let r380 = sim_swap_state(&b, Order::Buy, amount, 380);
    assert_eq!(
        (r380.tao_amount, r380.alpha_amount),
        (r.tao_amount, r.alpha_amount)
    );
    assert_eq!(r380.alpha_slippage, 0);
}

#[test]
fn era_before_424_comes_from_storage() {
    // The balancer's first run (2026-02-20 … 02-24, before 424): balancer items hold values.
    let mut c = capture(377);
    write_pool(&mut c, 5, &balancer()).unwrap();
    assert_eq!(read_pool(&c, 5, true).unwrap().era(), QuoteEra::Balancer);
    // A v3 pool at the same spec.
    let mut v = V3Pool::new(1_000_000_000_000, 4_000_000_000_000);
    v.initialize();
    let mut c = capture(377);
    write_pool(&mut c, 5, &PoolState::UniswapV3(Box::new(v))).unwrap();
    assert_eq!(read_pool(&c, 5, true).unwrap().era(), QuoteEra::UniswapV3);
    // Both live: refused.
    let k = swap_item_named("SwapBalancer")
        .unwrap()
        .key(&[KeyArg::U16(5)])
        .unwrap();
    c.insert(&k, Some(&400_000_000_000_000_000u64.to_le_bytes()));
    assert_eq!(
        read_pool(&c, 5, true).unwrap_err().code,
        ErrorCode::UnknownEra
    );
    // From 424 on, the balancer regardless of stale v3 items.
    c.spec_version = 424;
    assert_eq!(read_pool(&c, 5, false).unwrap().era(), QuoteEra::Balancer);
}

#[test]
fn superellipse_captures_are_refused() {
    let mut c = capture(476);
    write_pool(&mut c, 5, &balancer()).unwrap();
    let mut k = crate::chain::storage::prefix("Swap", "SwapSuperellipse").to_vec();
    k.extend([0u8; 10]);
    c.insert(&k, Some(&[1, 2, 3]));
    assert_eq!(
        current_alpha_price(&c, 5).unwrap_err().code,
        ErrorCode::Unsupported
    );
}
