//! Timing of a large Yuma3 + liquid-alpha epoch: 1024 uids, 64 validators, every validator
//! weighting every uid. Not a correctness test; run it explicitly:
//!
//! * native: `cargo test --release --test consensus_perf -- --ignored --nocapture`
//! * wasm (Node): `cargo test --release --target wasm32-unknown-unknown --test consensus_perf`
//!   (needs dev-dependencies that build for wasm32: proptest's getrandom currently does not)
//!
//! `NOLA=1` (native) turns liquid alpha off, `RUNS=k` sets the number of timed epochs.

use tao_engine::consensus::{Hyperparameters, Subnet};

/// A subnet in steady state: 1024 uids, the first `validators` staked and permitted, every
/// validator weighting every uid with pseudo-random values, bonds built by three epochs.
fn big_subnet(n: usize, validators: usize, liquid_alpha: bool) -> Subnet {
    let hp = Hyperparameters {
        yuma3_enabled: true,
        liquid_alpha_enabled: liquid_alpha,
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
        let stake = if i < validators {
            1_000_000_000 + rnd() % 1_000_000_000_000
        } else {
            0
        };
        s.append_neuron(1, stake, 0).unwrap();
    }
    s.validator_permit = (0..n).map(|i| i < validators).collect();
    let uids: Vec<u16> = (0..n as u16).collect();
    for v in 0..validators {
        let values: Vec<u16> = (0..n).map(|_| (rnd() % 65536) as u16).collect();
        s.set_weights(0, v as u16, &uids, &values, 10).unwrap();
    }
    for b in 0..3 {
        s.step(20 + b, 1_000_000_000).unwrap();
    }
    s
}

fn time_epochs(s: &Subnet, runs: u32, now_ms: impl Fn() -> f64) -> f64 {
    let t = now_ms();
    for _ in 0..runs {
        let out = s.epoch_mechanism(0, 30, 1_000_000_000, false).unwrap();
        assert_eq!(out.incentive.len(), 1024);
    }
    (now_ms() - t) / f64::from(runs.max(1))
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore]
fn yuma3_liquid_alpha_1024_uids_64_validators() {
    let s = big_subnet(1024, 64, std::env::var("NOLA").is_err());
    let runs: u32 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let start = std::time::Instant::now();
    let ms = time_epochs(&s, runs, || start.elapsed().as_secs_f64() * 1000.0);
    println!(
        "epoch_mechanism 1024 uids / 64 validators, Yuma3 + liquid alpha: {ms:.3}ms per epoch"
    );
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test::wasm_bindgen_test]
fn yuma3_liquid_alpha_1024_uids_64_validators_wasm() {
    for liquid in [true, false] {
        let s = big_subnet(1024, 64, liquid);
        let ms = time_epochs(&s, 20, js_sys::Date::now);
        wasm_bindgen_test::console_log!(
            "wasm epoch_mechanism 1024/64 Yuma3 liquid_alpha={liquid}: {ms:.3}ms per epoch"
        );
    }
}
