//! Timing of a large Yuma3 + liquid-alpha epoch (run with `--ignored --nocapture`, release).

use std::time::Instant;
use tao_engine::consensus::{Hyperparameters, Subnet};

fn big_subnet(n: usize, validators: usize) -> Subnet {
    let hp = Hyperparameters {
        yuma3_enabled: true,
        liquid_alpha_enabled: std::env::var("NOLA").is_err(),
        alpha_low: 6553,
        alpha_high: 58982,
        max_allowed_validators: validators as u16,
        commit_reveal_enabled: false,
        tempo: 360,
        tao_weight: 0,
        ..Hyperparameters::default()
    };
    let mut s = Subnet::new(1, hp);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let stake = if i < validators { 1_000_000_000 + rnd() % 1_000_000_000_000 } else { 0 };
        s.append_neuron(1, stake, 0).unwrap();
    }
    s.validator_permit = (0..n).map(|i| i < validators).collect();
    let uids: Vec<u16> = (0..n as u16).collect();
    for v in 0..validators {
        let values: Vec<u16> = (0..n).map(|_| (rnd() % 65536) as u16).collect();
        s.set_weights(0, v as u16, &uids, &values, 10).unwrap();
    }
    s
}

#[test]
#[ignore]
fn yuma3_liquid_alpha_1024_uids_64_validators() {
    let mut s = big_subnet(1024, 64);
    for b in 0..3 {
        s.step(20 + b, 1_000_000_000).unwrap();
    }
    let runs: u32 = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    let t = Instant::now();
    for _ in 0..runs {
        let out = s.epoch_mechanism(0, 30, 1_000_000_000, false).unwrap();
        assert_eq!(out.incentive.len(), 1024);
    }
    let per = t.elapsed() / runs.max(1);
    let nnz: usize = s.mechanisms[0].bonds.iter().map(Vec::len).sum();
    println!("epoch_mechanism 1024 uids / 64 validators, Yuma3 + liquid alpha: {per:?} per epoch ({nnz} bond entries)");
}
