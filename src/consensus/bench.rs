//! A deterministic large subnet for benchmarks (criterion natively, `benchYumaEpoch` in wasm,
//! `scripts/bench-yuma`), so every engine build times exactly the same epoch; and the inputs of
//! the epoch's lane kernels (`fixed::simd`) at that subnet's size ([`KernelData`],
//! `benchEpochKernels` in wasm, `scripts/bench`), so the SIMD and scalar builds time the same work.

use super::{EpochOutput, Hyperparameters, Subnet};
use crate::error::Result;
use crate::fixed::{simd, I32F32};
use std::hint::black_box;

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

/// The benchmark epoch's full output (for comparing builds: the SIMD and scalar wasm builds
/// must give the same bits).
pub fn bench_epoch_output(s: &Subnet) -> Result<EpochOutput> {
    s.epoch_mechanism(0, 30, 1_000_000_000, false)
}

/// FNV-1a over every persisted field of an epoch output, in a fixed order (little-endian
/// integers, bools as one byte, each bond row's length first): equal digests mean equal outputs
/// for comparing builds, without a serializer in the core wasm.
pub fn output_digest(out: &EpochOutput) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    };
    for v in [
        &out.incentive,
        &out.dividends,
        &out.consensus,
        &out.validator_trust,
        &out.stake_weight,
    ] {
        eat(&(v.len() as u64).to_le_bytes());
        v.iter().for_each(|x| eat(&x.to_le_bytes()));
    }
    for v in [
        &out.emission,
        &out.server_emission,
        &out.validator_emission,
        &out.stake,
    ] {
        eat(&(v.len() as u64).to_le_bytes());
        v.iter().for_each(|x| eat(&x.to_le_bytes()));
    }
    for v in [&out.active, &out.validator_permit] {
        eat(&(v.len() as u64).to_le_bytes());
        v.iter().for_each(|&x| eat(&[u8::from(x)]));
    }
    for row in &out.bonds {
        eat(&(row.len() as u64).to_le_bytes());
        for (j, b) in row {
            eat(&j.to_le_bytes());
            eat(&b.to_le_bytes());
        }
    }
    h
}

/// The lane kernels [`KernelData::run`] times, by index.
pub const KERNELS: [&str; 5] = [
    "sum",
    "quantise_u16",
    "mask",
    "ema_liquid",
    "max_upscale_u16",
];

/// Inputs of the epoch's lane kernels at the size of an `n`-uid subnet with `validators`
/// validators (deterministic, xorshift). Each run does `n × validators` entries as the epoch
/// meets them: vectors of `n` (in cache, as in an epoch), `validators` times.
/// * `sum`, `quantise_u16`, `mask`: a vector of `n` proportions in `[0, 1]` (the per-uid vectors
///   an epoch sums, quantises and masks), the mask the non-permitted uids;
/// * `ema_liquid`: a row of `n` bond-EMA entries, α between the default alpha bounds, weights and
///   bonds in `[0, 1]` (some exactly 0 or 1);
/// * `max_upscale_u16`: `validators` weight rows of `n` u16 values (half of them with a maximum
///   at most 32768, the division branch; half above, the product branch).
pub struct KernelData {
    n: usize,
    reps: usize,
    x: Vec<I32F32>,
    mask: Vec<bool>,
    masked: Vec<I32F32>,
    a: Vec<i64>,
    w: Vec<i64>,
    b: Vec<i64>,
    rows: Vec<Vec<u16>>,
    out16: Vec<u16>,
    out64: Vec<i64>,
}

impl KernelData {
    /// The inputs for `n` uids and `validators` validators (at least 1 each, at most `n`).
    pub fn new(n: u16, validators: u16) -> Self {
        let n = usize::from(n.max(1));
        let v = usize::from(validators.max(1)).min(n);
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        const ONE: u64 = 1 << 32;
        let len = n;
        let x = (0..len)
            .map(|_| I32F32::from_bits((rnd() % (ONE + 1)) as i64))
            .collect();
        let mask = (0..n).map(|i| i >= v).collect();
        let (lo, hi) = (ONE / 10, ONE / 10 * 9);
        let a = (0..len).map(|_| (lo + rnd() % (hi - lo)) as i64).collect();
        let mut unit = |r: u64| -> i64 {
            match r % 16 {
                0 => 0,
                1 => ONE as i64,
                _ => (rnd() % (ONE + 1)) as i64,
            }
        };
        let w = (0..len).map(|k| unit(k as u64 * 7 + 3)).collect();
        let b = (0..len).map(|k| unit(k as u64 * 5 + 1)).collect();
        let rows = (0..v)
            .map(|r| {
                let cap = if r % 2 == 0 { 65_536 } else { 30_000 };
                (0..n).map(|_| (rnd() % cap) as u16).collect()
            })
            .collect();
        KernelData {
            n,
            reps: v,
            x,
            mask,
            masked: Vec::with_capacity(n),
            a,
            w,
            b,
            rows,
            out16: vec![0; n * v],
            out64: vec![0; n],
        }
    }

    /// Run kernel `k` of [`KERNELS`] once over its inputs; returns a checksum of its output (so
    /// the work cannot be optimized away), `None` for an unknown index.
    pub fn run(&mut self, k: usize) -> Option<u64> {
        let (n, reps) = (self.n, self.reps);
        // The outputs escape through `black_box`; the checksum reads two entries, so the timed
        // work is the kernel's alone.
        let ends16 = |o: &[u16]| {
            let o = black_box(o);
            u64::from(o.first().copied().unwrap_or(0)) << 16
                | u64::from(o.last().copied().unwrap_or(0))
        };
        Some(match KERNELS.get(k).copied()? {
            "sum" => (0..reps).fold(0u64, |h, r| {
                h.rotate_left(1) ^ simd::sum(black_box(&self.x)).to_bits() as u64 ^ r as u64
            }),
            "quantise_u16" => {
                let mut h = 0u64;
                for _ in 0..reps {
                    simd::proportions_to_u16(black_box(&self.x), &mut self.out16[..n]);
                    h = h.rotate_left(1) ^ ends16(&self.out16[..n]);
                }
                h
            }
            "mask" => {
                let mut h = 0u64;
                for _ in 0..reps {
                    self.masked.clear();
                    self.masked.extend_from_slice(&self.x);
                    simd::mask_zero(black_box(&self.mask), &mut self.masked);
                    let m = black_box(&self.masked);
                    h = h.rotate_left(1) ^ m.last().map_or(0, |x| x.to_bits() as u64);
                }
                h
            }
            "ema_liquid" => {
                let mut h = 0u64;
                for _ in 0..reps {
                    simd::ema_values(black_box(&self.a), &self.w, &self.b, &mut self.out64);
                    let o = black_box(&self.out64);
                    h = h.rotate_left(1) ^ o.last().map_or(0, |&x| x as u64);
                }
                h
            }
            _ => {
                for (r, o) in self.rows.iter().zip(self.out16.chunks_mut(n)) {
                    simd::max_upscale_u16(black_box(r), o);
                }
                ends16(&self.out16)
            }
        })
    }
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

    /// Each kernel's checksum is its scalar reference's (natively the dispatch is the scalar
    /// code; this pins the inputs' shape and that every index runs).
    #[test]
    fn kernel_inputs_run_every_kernel() {
        let mut d = KernelData::new(64, 8);
        let sums = d.run(0).unwrap();
        let s = simd::sum_scalar(&d.x).to_bits() as u64;
        let want = (0..8u64).fold(0u64, |h, r| h.rotate_left(1) ^ s ^ r);
        assert_eq!(sums, want);
        for (k, name) in KERNELS.iter().enumerate() {
            assert!(d.run(k).is_some(), "{name}");
        }
        assert_eq!(d.run(KERNELS.len()), None);
        // Both branches of the upscale, and α strictly inside (0, 1).
        assert!(d.rows.iter().any(|r| r.iter().max() > Some(&32_768)));
        assert!(d.rows.iter().any(|r| r.iter().max() <= Some(&32_768)));
        assert!(d.a.iter().all(|&a| a > 0 && a < 1 << 32));
    }
}
