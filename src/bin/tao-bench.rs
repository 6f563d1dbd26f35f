//! `tao-bench yuma <n> <validators> <liquid 0|1> <runs>`: time the benchmark epoch natively and
//! print one JSON line `{"times_ms":[...]}`. Driven by `scripts/bench-yuma`, which runs the wasm
//! builds on the same subnet in the same run and reports medians and ratios.

use std::process::ExitCode;
use tao_engine::consensus::bench::{bench_epoch, steady_state_subnet};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, d: u32| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    if args.first().map(String::as_str) != Some("yuma") {
        eprintln!("usage: tao-bench yuma <n> <validators> <liquid 0|1> <runs>");
        return ExitCode::from(2);
    }
    let (n, v, liquid, runs) = (num(1, 1024) as u16, num(2, 64) as u16, num(3, 1) == 1, num(4, 20));
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
