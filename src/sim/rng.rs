//! A small seeded generator (SplitMix64) whose draws are pure integer arithmetic, so a seed gives
//! the same sequence natively, in wasm32 and in every browser. Not cryptographic.

/// SplitMix64 state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rng {
    /// Current state.
    pub state: u64,
}

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)` (0 when `n == 0`), by 128-bit multiply-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        let wide = u128::from(self.next_u64()).saturating_mul(u128::from(n));
        u64::try_from(wide >> 64).unwrap_or(0)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p` (clamped to `[0, 1]`).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately standard normal: Irwin–Hall sum of 12 uniforms minus 6 (no transcendental
    /// functions, so identical on every platform; tails are cut at ±6).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// An independent generator derived from this one (for per-path streams).
    pub fn fork(&mut self, stream: u64) -> Rng {
        Rng::new(self.next_u64() ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// The generator of path `path` of a run seeded with `seed`: a function of `(seed, path)`
    /// alone, so any range of paths can run anywhere (a Web Worker per core) and give the same
    /// draws. It equals `fork(path)` called on `Rng::new(seed)` after `path` earlier forks
    /// (SplitMix64's state only advances by its constant, so that state is computed directly).
    pub fn for_path(seed: u64, path: u64) -> Rng {
        let mut master = Rng::new(seed.wrapping_add(path.wrapping_mul(GOLDEN_GAMMA)));
        master.fork(path)
    }
}

/// SplitMix64's state increment.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sequence_and_ranges() {
        // SplitMix64 reference output for seed 0 (Vigna's test value).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = Rng::new(42);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        let mean = (0..4000).map(|_| r.normal()).sum::<f64>() / 4000.0;
        assert!(mean.abs() < 0.1, "{mean}");
    }

    #[test]
    fn per_path_streams_equal_sequential_forks() {
        // The stake model once forked path i's stream from one sequential master; `for_path`
        // must give the very same streams without the i earlier forks.
        for seed in [0u64, 1, 7, u64::MAX - 3, 0x1234_5678_9ABC_DEF0] {
            let mut master = Rng::new(seed);
            for path in 0..2_000u64 {
                let mut a = master.fork(path);
                let mut b = Rng::for_path(seed, path);
                assert_eq!(a, b, "seed {seed} path {path}");
                assert_eq!(a.next_u64(), b.next_u64());
            }
        }
        assert_ne!(Rng::for_path(1, 0), Rng::for_path(1, 1));
        assert_ne!(Rng::for_path(1, 0), Rng::for_path(2, 0));
    }
}
