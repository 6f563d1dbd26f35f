//! Quotes per second, native: `cargo bench --bench pool_quote`.
//!
//! A plain timing loop (no harness): each case runs a batch of amounts against one pool
//! 15 times and prints the median time per quote and quotes per second. Cases: the SN1 pool
//! at block 6852344 (50/50 weights) and a migrated pool (TAO weight 0.1023), buys and sells,
//! through the batch kernel with SIMD lanes, with scalar lanes, and one `quote()` at a time.
use std::hint::black_box;
use std::time::Instant;
use tao_engine::pool::batch::quote_outputs;
use tao_engine::pool::lanes::Lanes;
use tao_engine::pool::perquintill::Perquintill;
use tao_engine::pool::{Balancer, BalancerPool, Order, SwapConstants};
use tao_engine::pool::quote::{quote, sample_amounts};

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it, and
/// then it only checks that every path runs (one repetition over a few amounts).
fn full() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn time(n: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let reps = if full() { 15 } else { 1 };
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() / n as f64
            })
            .collect(),
    )
}

fn main() {
    let consts = SwapConstants::default();
    let sn1 = BalancerPool::new(22_080_655_078_468, 2_315_643_876_555_309);
    let mut migrated = sn1;
    migrated.weights =
        Balancer::new(Perquintill::from_parts(102_337_248_363_782_924)).unwrap_or_default();
    println!("case,order,path,ns_per_quote,quotes_per_s");
    for (name, pool) in [("sn1-50/50", sn1), ("migrated-w0.1023", migrated)] {
        for order in [Order::Buy, Order::Sell] {
            let max = match order {
                Order::Buy => pool.tao_reserve,
                Order::Sell => pool.alpha_reserve,
            };
            let amounts = sample_amounts(max, if full() { 1000 } else { 8 }, true);
            let n = amounts.len();
            let mut out = vec![0u64; n];
            for (path, lanes) in [("batch-simd", Lanes::Simd), ("batch-scalar", Lanes::Scalar)] {
                let s = time(n, || {
                    let _ =
                        quote_outputs(&pool, order, black_box(&amounts), &mut out, lanes, &consts);
                    black_box(&out);
                });
                println!("{name},{order:?},{path},{:.0},{:.0}", s * 1e9, 1.0 / s);
            }
            let s = time(n, || {
                for &a in &amounts {
                    let _ = black_box(quote(&pool, order, black_box(a), None, &consts));
                }
            });
            println!(
                "{name},{order:?},single-quote,{:.0},{:.0}",
                s * 1e9,
                1.0 / s
            );
        }
    }
}
