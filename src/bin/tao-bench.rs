//! Native side of the benchmarks; prints one JSON line `{"times_ms":[...]}`. Driven by
//! `scripts/bench-yuma`, which runs the wasm builds on the same inputs in the same run.
//!
//! * `tao-bench yuma <n> <validators> <liquid 0|1> <runs>`: the benchmark Yuma epoch.
//! * `tao-bench year <runs>`: a simulated year of the reduced network (6 subnets, tempo 6, 365
//!   one-epoch days = 2190 blocks, default flows, seed 11) — the network of the conservation test.

use std::process::ExitCode;
use tao_engine::consensus::bench::{bench_epoch, steady_state_subnet};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, d: u32| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    match args.first().map(String::as_str) {
        Some("yuma") => {}
        Some("year") => return year(num(1, 5)),
        _ => {
            eprintln!("usage: tao-bench yuma <n> <validators> <liquid 0|1> <runs> | tao-bench year <runs>");
            return ExitCode::from(2);
        }
    }
    let (n, v, liquid, runs) = (
        num(1, 1024) as u16,
        num(2, 64) as u16,
        num(3, 1) == 1,
        num(4, 20),
    );
    let s = match steady_state_subnet(n, v, liquid) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = std::time::Instant::now();
        if let Err(e) = bench_epoch(&s) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let list: Vec<String> = times.iter().map(|t| format!("{t:.4}")).collect();
    println!("{{\"times_ms\":[{}]}}", list.join(","));
    ExitCode::SUCCESS
}

/// The reduced network of `tests/sim_conservation.rs`, stepped for a year of daily epochs.
fn year(runs: u32) -> ExitCode {
    use tao_engine::sim::{default_network, DefaultConfig, FlowModel, Runner};
    let cfg = DefaultConfig {
        subnets: 6,
        max_uids: 12,
        sn1_uids: 24,
        tempo: Some(6),
        seed: 7,
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let sim = match default_network(&cfg, FlowModel::default(), 11) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let t = std::time::Instant::now();
        let mut runner = Runner::new(sim, YEAR_BLOCKS);
        if let Err(e) = runner.run_chunk(YEAR_BLOCKS) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let list: Vec<String> = times.iter().map(|t| format!("{t:.4}")).collect();
    println!("{{\"times_ms\":[{}]}}", list.join(","));
    ExitCode::SUCCESS
}

/// 365 days of one tempo-6 epoch each.
const YEAR_BLOCKS: u64 = 365 * 6;
