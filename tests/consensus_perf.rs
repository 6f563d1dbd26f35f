//! Quick timing of the benchmark epoch (1024 uids, 64 validators, dense weights, Yuma3 + liquid
//! alpha). Not a correctness test and not the reported benchmark (see `scripts/bench-yuma`);
//! run it explicitly: `cargo test --release --test consensus_perf -- --ignored --nocapture`.
//! `NOLA=1` turns liquid alpha off, `RUNS=k` sets the number of timed epochs.
#![cfg(not(target_arch = "wasm32"))]

use tao_engine::consensus::bench::{bench_epoch, steady_state_subnet};

#[test]
#[ignore]
fn yuma3_liquid_alpha_1024_uids_64_validators() {
    let s = steady_state_subnet(1024, 64, std::env::var("NOLA").is_err()).unwrap();
    let runs: u32 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let start = std::time::Instant::now();
    for _ in 0..runs {
        bench_epoch(&s).unwrap();
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs.max(1));
    println!("epoch_mechanism 1024 uids / 64 validators: {ms:.3}ms per epoch");
}
