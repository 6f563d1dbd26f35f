//! Native side of the benchmarks; prints one JSON line `{"times_ms":[...]}`. Driven by
//! `scripts/bench-yuma`, which runs the wasm builds on the same inputs in the same run.
//!
//! * `tao-bench yuma <n> <validators> <liquid 0|1> <runs>`: the benchmark Yuma epoch.
//! * `tao-bench year <runs>`: a simulated year of the reduced network (6 subnets, tempo 6, 365
//!   one-epoch days = 2190 blocks, default flows, seed 11) — the network of the conservation test.
//! * `tao-bench quote <quote weight parts> <runs>`: a batch of 1000 buys and 1000 sells against the
//!   SN1 reserves of block 6852344 with the given TAO weight (5·10^17 = ½); times are ns per quote.
//! * `tao-bench block <blocks> <runs>`: the default 128-subnet network (real tempos, seed 11),
//!   `blocks` blocks per run; times are ms per block (the mean over the run).
//! * `tao-bench stake <days> <paths> <runs>`: the stake model on SN1 of the default network (as
//!   the wasm `new StakeModel({ amount: 100 TAO, netuids: [1], horizonDays, paths })`); times
//!   are ms per run.
//! * `tao-bench digest`: one line per case, a digest of the full epoch output (with and without
//!   the trace) over the benchmark subnets under varied hyperparameters and weight densities,
//!   three consecutive epochs each. Compare the lines before and after a kernel change: equal
//!   lines mean bit-identical epochs.
//!
//! `TAO_POW_BRACKET=0` turns the exponentiation bracket off (`pool::pow_bracket::set_bracket`).

use std::process::ExitCode;
use tao_engine::consensus::bench::{bench_epoch, steady_state_subnet};

fn main() -> ExitCode {
    // `TAO_POW_BRACKET=0`: run every weighted-pool exponentiation through the chain's series (the
    // results are the same; the switch measures what the bracket saves, in one build).
    if std::env::var("TAO_POW_BRACKET").is_ok_and(|v| v == "0") {
        tao_engine::pool::pow_bracket::set_bracket(false);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, d: u32| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    match args.first().map(String::as_str) {
        Some("yuma") => {}
        Some("year") => return year(num(1, 5)),
        Some("quote") => {
            let parts = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(HALF);
            return quote(parts, num(2, 15));
        }
        Some("block") => return block(num(1, 361), num(2, 1)),
        Some("stake") => return stake(num(1, 365), num(2, 100), num(3, 3)),
        Some("digest") => return digest(),
        _ => {
            eprintln!("usage: tao-bench yuma <n> <validators> <liquid 0|1> <runs> | year <runs> | quote <weight parts> <runs> | block <blocks> <runs> | stake <days> <paths> <runs>");
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

const HALF: u64 = 500_000_000_000_000_000;

fn print_times(times: &[f64]) -> ExitCode {
    let list: Vec<String> = times.iter().map(|t| format!("{t:.4}")).collect();
    println!("{{\"times\":[{}]}}", list.join(","));
    ExitCode::SUCCESS
}

/// Batch quotes (SIMD lanes) on SN1's reserves with TAO weight `parts / 10^18`.
fn quote(parts: u64, runs: u32) -> ExitCode {
    use std::hint::black_box;
    use tao_engine::pool::batch::quote_outputs;
    use tao_engine::pool::lanes::Lanes;
    use tao_engine::pool::quote::sample_amounts;
    use tao_engine::pool::{Balancer, BalancerPool, Order, Perquintill, SwapConstants};
    let consts = SwapConstants::default();
    let mut pool = BalancerPool::new(22_080_655_078_468, 2_315_643_876_555_309);
    pool.weights = Balancer::new(Perquintill::from_parts(parts)).unwrap_or_default();
    let buys = sample_amounts(pool.tao_reserve, 1000, true);
    let sells = sample_amounts(pool.alpha_reserve, 1000, true);
    let mut out = vec![0u64; 1000];
    let mut once = || {
        for (order, xs) in [(Order::Buy, &buys), (Order::Sell, &sells)] {
            let _ = quote_outputs(&pool, order, black_box(xs), &mut out, Lanes::Simd, &consts);
            black_box(&out);
        }
    };
    once();
    let times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            once();
            t.elapsed().as_secs_f64() * 1e9 / 2000.0
        })
        .collect();
    print_times(&times)
}

/// Blocks of the default 128-subnet network (real tempos).
fn block(blocks: u32, runs: u32) -> ExitCode {
    use tao_engine::sim::{default_network, DefaultConfig, FlowModel, Runner};
    let mut times = Vec::new();
    for _ in 0..runs {
        let sim = match default_network(&DefaultConfig::default(), FlowModel::default(), 11) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut runner = Runner::new(sim, u64::from(blocks));
        let t = std::time::Instant::now();
        if let Err(e) = runner.run_chunk(u64::from(blocks)) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0 / f64::from(blocks.max(1)));
    }
    print_times(&times)
}

/// The stake model, `days` × `paths` on SN1 of the default network.
fn stake(days: u32, paths: u32, runs: u32) -> ExitCode {
    use tao_engine::sim::returns::{ReturnQuery, ReturnRun};
    use tao_engine::sim::{default_network, DefaultConfig, FlowModel};
    let net = match default_network(&DefaultConfig::default(), FlowModel::quiet(), 0) {
        Ok(s) => s.net,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let query = ReturnQuery {
        amount: 100_000_000_000,
        netuids: vec![1],
        horizon_days: days,
        paths,
        ..ReturnQuery::default()
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let mut run = match ReturnRun::new(&net, query.clone()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let t = std::time::Instant::now();
        run.run_paths(paths);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(run.report());
    }
    print_times(&times)
}

/// 365 days of one tempo-6 epoch each.
const YEAR_BLOCKS: u64 = 365 * 6;

/// FNV-1a over the JSON of each epoch output (a change detector, not a cryptographic hash).
fn digest() -> ExitCode {
    use tao_engine::consensus::Subnet;
    let fnv = |bytes: &[u8], mut h: u64| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        h
    };
    // (uids, validators, liquid, bonds_penalty, steepness, alpha_low, alpha_high, kappa, sparse)
    let cases: &[(u16, u16, bool, u16, i16, u16, u16, u16, u16)] = &[
        (256, 64, true, 65535, 1000, 6553, 58982, 32767, 0),
        (1024, 64, true, 65535, 1000, 6553, 58982, 32767, 0),
        (1024, 64, false, 65535, 1000, 6553, 58982, 32767, 0),
        (300, 40, true, 0, 1000, 6553, 58982, 32767, 3),
        (300, 40, true, 32768, -700, 1638, 65535, 40000, 7),
        (257, 33, true, 20000, 3000, 45875, 58982, 10000, 2),
        (200, 64, true, 65535, 50, 6553, 6553, 65535, 0),
        (129, 17, true, 65535, i16::MIN, 58982, 6553, 0, 5),
        (96, 96, true, 1, i16::MAX, 0, 65535, 32767, 1),
    ];
    for &(n, v, liquid, penalty, steep, lo, hi, kappa, sparse) in cases {
        let mut s: Subnet = match steady_state_subnet(n, v, liquid) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let hp = &mut s.hyperparameters;
        hp.bonds_penalty = penalty;
        hp.alpha_sigmoid_steepness = steep;
        hp.alpha_low = lo;
        hp.alpha_high = hi;
        hp.kappa = kappa;
        if sparse > 0 {
            // Every validator keeps one uid in `sparse + 1`, shifted per validator.
            let mut seed = 0x2545_F491_4F6C_DD1Du64;
            for val in 0..v.min(n) {
                let (uids, values): (Vec<u16>, Vec<u16>) = (0..n)
                    .filter(|j| (j + val) % (sparse + 1) == 0)
                    .map(|j| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (j, (seed % 65536) as u16)
                    })
                    .unzip();
                if s.set_weights(0, val, &uids, &values, 40).is_err() {
                    eprintln!("error: set_weights");
                    return ExitCode::FAILURE;
                }
            }
        }
        let mut line = Vec::new();
        for block in 0..3u64 {
            for trace in [false, true] {
                let out = match s.epoch_mechanism(0, 50 + block, 1_000_000_000, trace) {
                    Ok(o) => o,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::FAILURE;
                    }
                };
                let json = serde_json::to_vec(&out).unwrap_or_default();
                line.push(format!("{:016x}", fnv(&json, 0xCBF2_9CE4_8422_2325)));
            }
            if let Err(e) = s.step(50 + block, 1_000_000_000) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        println!(
            "n={n} v={v} liquid={liquid} penalty={penalty} steepness={steep} alpha={lo}..{hi} kappa={kappa} sparse={sparse}: {}",
            line.join(" ")
        );
    }
    ExitCode::SUCCESS
}
