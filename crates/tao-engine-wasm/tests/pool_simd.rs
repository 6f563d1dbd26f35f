//! Batch quoting: the SIMD lanes and the scalar lanes give identical bits on random pools and
//! amounts, and both equal one `quote_swap` at a time. Runs natively and, through
//! wasm-bindgen-test, in the simd128 wasm build (`cargo test --target wasm32-unknown-unknown
//! --tests`), where `Lanes::Simd` uses `core::arch::wasm32` v128 instructions.

use tao_engine::pool::batch::quote_outputs;
use tao_engine::pool::lanes::{mulhi, mulhi_many, scale_many, Lanes};
use tao_engine::pool::perquintill::Perquintill;
use tao_engine::pool::swap::{limit_from_rao, MAX_PRICE_RAO, MIN_PRICE_RAO};
use tao_engine::pool::{Balancer, BalancerPool, Order, SwapConstants};

fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn lanes_identical_bits_on_random_inputs() {
    let mut s = 0xdead_beef_cafe_f00d;
    for n in [1usize, 2, 7, 64, 257] {
        let a: Vec<u64> = (0..n).map(|_| rng(&mut s) >> (rng(&mut s) % 64)).collect();
        let b = rng(&mut s);
        let (mut x, mut y) = (vec![0; n], vec![1; n]);
        mulhi_many(Lanes::Simd, &a, b, &mut x);
        mulhi_many(Lanes::Scalar, &a, b, &mut y);
        assert_eq!(x, y);
        for (&ai, &xi) in a.iter().zip(&x) {
            assert_eq!(xi, mulhi(ai, b));
        }
        let lo: Vec<u64> = (0..n)
            .map(|i| if i % 5 == 0 { 0 } else { rng(&mut s) })
            .collect();
        let hi: Vec<u64> = (0..n)
            .map(|i| u64::from(i % 5 == 0 && i % 2 == 0))
            .collect();
        let (mut x, mut y) = (vec![0; n], vec![1; n]);
        scale_many(Lanes::Simd, b, &lo, &hi, &mut x);
        scale_many(Lanes::Scalar, b, &lo, &hi, &mut y);
        assert_eq!(x, y);
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn batch_outputs_identical_to_single_quotes() {
    let consts = SwapConstants::default();
    let mut s = 0x0123_4567_89ab_cdef;
    for round in 0..6 {
        let mut pool = BalancerPool::new(
            10_000_000 + rng(&mut s) % 100_000_000_000_000,
            10_000_000 + rng(&mut s) % 10_000_000_000_000_000,
        );
        if round % 2 == 0 {
            let w = 20_000_000_000_000_000 + rng(&mut s) % 960_000_000_000_000_000;
            pool.weights = Balancer::new(Perquintill::from_parts(w)).unwrap_or_default();
        }
        let amounts: Vec<u64> = (0..11)
            .map(|_| rng(&mut s) >> (16 + rng(&mut s) % 48))
            .collect();
        for order in [Order::Buy, Order::Sell] {
            let (mut x, mut y) = (vec![0; 11], vec![1; 11]);
            assert!(quote_outputs(&pool, order, &amounts, &mut x, Lanes::Simd, &consts).is_ok());
            assert!(quote_outputs(&pool, order, &amounts, &mut y, Lanes::Scalar, &consts).is_ok());
            assert_eq!(x, y);
            let limit = match order {
                Order::Buy => limit_from_rao(MAX_PRICE_RAO),
                Order::Sell => limit_from_rao(MIN_PRICE_RAO),
            };
            for (&a, &out) in amounts.iter().zip(&x) {
                let want = pool
                    .quote_swap(order, a, limit, false, true, &consts)
                    .map_or(0, |r| r.amount_paid_out);
                assert_eq!(out, want, "{order:?} {a}");
            }
        }
    }
}
