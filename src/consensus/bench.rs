//! A deterministic large subnet for benchmarks (criterion natively, `benchYumaEpoch` in wasm,
//! `scripts/bench-yuma`), so every engine build times exactly the same epoch.

use super::{Hyperparameters, Subnet};
use crate::error::Result;

/// A subnet in steady state: `n` uids, the first `validators` staked and permitted, every
/// validator weighting every uid (dense weights) with pseudo-random values from a fixed xorshift
/// seed, and bonds built by three epochs. Yuma3 on; liquid alpha as asked.
pub fn steady_state_subnet(n: u16, validators: u16, liquid_alpha: bool) -> Result<Subnet> {
    let hp = Hyperparameters {
        yuma3_enabled: true,
        liquid_alpha_enabled: liquid_alpha,
        alpha_low: 6553,
        alpha_high: 58982,
        max_allowed_validators: validators,
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
        s.append_neuron(1, stake, 0)?;
    }
    s.validator_permit = (0..n).map(|i| i < validators).collect();
    let uids: Vec<u16> = (0..n).collect();
    for v in 0..validators.min(n) {
        let values: Vec<u16> = (0..n).map(|_| (rnd() % 65536) as u16).collect();
        s.set_weights(0, v, &uids, &values, 10)?;
    }
    for b in 0..3 {
        s.step(20 + b, 1_000_000_000)?;
    }
    Ok(s)
}

/// Run the benchmark epoch once (mechanism 0, not persisted) and return the number of uids that
/// earned incentive (so the work cannot be optimized away).
pub fn bench_epoch(s: &Subnet) -> Result<usize> {
    let out = s.epoch_mechanism(0, 30, 1_000_000_000, false)?;
    Ok(out.incentive.iter().filter(|&&x| x > 0).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_subnet_pays_most_miners() {
        let s = steady_state_subnet(128, 16, true).unwrap();
        assert_eq!(s.n(), 128);
        let paid = bench_epoch(&s).unwrap();
        assert!(paid > 64, "only {paid} uids earned incentive");
    }
}
