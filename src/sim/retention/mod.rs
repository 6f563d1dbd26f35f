//! Retention maps: how much emission an honest majority keeps against a cabal, cell by cell,
//! through the engine's own Yuma epoch.
//!
//! Port of the Monte Carlo behind subtensor's `docs/consensus.md` ("Monte Carlo simulations",
//! "Retention graphs"): `split_graph`, `init_run_epochs` and `map_consensus_guarantees` of
//! `pallets/subtensor/src/tests/consensus.rs`, whose output `scripts/map_consensus.py` plots
//! (opentensor/subtensor @ 14bc6f9f). The structure follows it:
//!
//! * the network has `network_n` uids, the first `validators_n` validators (upstream
//!   `interleave = 0`), the rest servers; the major (honest) side holds a share `S_H` of the
//!   validators and of the servers (`non_extreme_fixed_ratio`: never none, never all);
//! * validator stake is `max(0, 1 + σ_S·x)` with `x` a Box–Muller normal in `I32F32`
//!   (the chain's `substrate-fixed` `ln`, `sqrt`, `cos`), normalised per side and scaled to
//!   `S_H` and `1 − S_H` of 21 M TAO;
//! * every validator splits its weight `W_H | 1 − W_H` (major side) or `1 − W_C | W_C` (minor
//!   side) between major and minor servers, each part spread by `max(0, 1 + σ_W·x)`, stored as
//!   u16 (`fixed_proportion_to_u16`); servers set self-weight (masked, as on chain);
//! * a first epoch without weights hands out validator permits (top stake), then the epoch with
//!   the weights runs at block 1 with 1 TAO of emission; the cell's value is the major side's
//!   share of the epoch's emission, `E_H`, in `I32F32` as upstream records it.
//!
//! Differences from upstream, all deliberate: the uniform draws come from the engine's seeded
//! SplitMix64 ([`crate::sim::rng::Rng`]) instead of `StdRng` (so a seed gives the same map natively and in wasm);
//! the seed is a parameter (upstream uses 0 for every cell: every cell of a stake share reuses the
//! same draws, which is what keeps the contours smooth, and so do we); the validators' reward
//! share `ξ` is a parameter: at `ξ = 0.5` the value is the chain's stored `Emission` (what
//! upstream reads), otherwise `ξ·D + (1 − ξ)·I` from the epoch's validator and server emission.
//! The draws of a cell depend only on the seed and the stake share, so [`RetentionGraph`] samples
//! them once per share and every `(W_H, W_C)` cell reuses them.

use crate::consensus::MAX_UIDS;
use crate::error::{Error, ErrorCode, Result};
use crate::fixed::I32F32;
use crate::runtime::Rules;

mod graph;

pub use graph::RetentionGraph;

/// The major stake shares of the published retention graphs (per mille): 0.51 … 0.99.
pub const DEFAULT_STAKES_MILLI: [u16; 11] = [510, 550, 600, 650, 700, 750, 800, 850, 900, 950, 990];

/// The network and consensus settings of a map (everything but the grid).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RetentionParams {
    /// Uids in the network (upstream 512).
    pub network_n: u16,
    /// Validators among them (upstream 64); the rest are servers.
    pub validators_n: u16,
    /// `Kappa` as the chain stores it (value / 65535; 32767 ≈ 0.5).
    pub kappa: u16,
    /// `BondsPenalty` as the chain stores it (value / 65535).
    pub bonds_penalty: u16,
    /// Weight spread σ_W in thousandths of the mean (upstream 400).
    pub weight_stddev_milli: u16,
    /// Stake spread σ_S in thousandths of the mean (upstream 300).
    pub stake_stddev_milli: u16,
    /// Validators' share ξ of the emission, per mille (the chain's 500).
    pub validator_share_milli: u16,
    /// Yuma3 bonds instead of the original Yuma (the published figures predate Yuma3).
    pub yuma3: bool,
    /// Seed of the draws.
    pub seed: u64,
}

impl Default for RetentionParams {
    fn default() -> Self {
        RetentionParams {
            network_n: 512,
            validators_n: 64,
            kappa: 32_767,
            bonds_penalty: 65_535,
            weight_stddev_milli: 400,
            stake_stddev_milli: 300,
            validator_share_milli: 500,
            yuma3: false,
            seed: 0,
        }
    }
}

pub(super) fn out_of_range(field: &str, message: String) -> Error {
    Error::field(ErrorCode::OutOfRange, field, message)
}

impl RetentionParams {
    /// Check the settings; the first problem names its field.
    pub fn validate(&self) -> Result<()> {
        if usize::from(self.network_n) > MAX_UIDS {
            return Err(Error::field(
                ErrorCode::TooManyUids,
                "networkN",
                format!("{} uids, at most {MAX_UIDS}", self.network_n),
            ));
        }
        if self.validators_n < 2 {
            return Err(out_of_range(
                "validatorsN",
                "at least 2 validators (one per side)".into(),
            ));
        }
        if u32::from(self.network_n) < u32::from(self.validators_n) + 2 {
            return Err(out_of_range(
                "networkN",
                format!("{} uids leave fewer than 2 servers", self.network_n),
            ));
        }
        for (field, v, max) in [
            ("weightStddevMilli", self.weight_stddev_milli, 2000),
            ("stakeStddevMilli", self.stake_stddev_milli, 2000),
            ("validatorShareMilli", self.validator_share_milli, 1000),
        ] {
            if v > max {
                return Err(out_of_range(field, format!("{v} is above {max}")));
            }
        }
        Ok(())
    }

    pub(super) fn servers_n(&self) -> usize {
        usize::from(self.network_n).saturating_sub(usize::from(self.validators_n))
    }
}

/// A grid of cells: for each major stake share, `(steps + 1)²` weight pairs
/// `W_H = i / steps`, `W_C = j / steps`. Cell `k` is share `k / (steps+1)²`, then `i`, then `j`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RetentionGrid {
    /// Major stake shares, per mille (each in 1..=999).
    pub stakes_milli: Vec<u16>,
    /// Weight steps per axis (upstream 50: 51 × 51 cells per share).
    pub steps: u16,
}

impl Default for RetentionGrid {
    fn default() -> Self {
        RetentionGrid {
            stakes_milli: DEFAULT_STAKES_MILLI.to_vec(),
            steps: 50,
        }
    }
}

impl RetentionGrid {
    /// Check the grid; the first problem names its field.
    pub fn validate(&self) -> Result<()> {
        if self.steps == 0 || self.steps > 200 {
            return Err(out_of_range(
                "steps",
                format!("{} is not in 1..=200", self.steps),
            ));
        }
        if self.stakes_milli.is_empty() || self.stakes_milli.len() > 100 {
            return Err(out_of_range("stakesMilli", "1 to 100 stake shares".into()));
        }
        for (k, &s) in self.stakes_milli.iter().enumerate() {
            if s == 0 || s >= 1000 {
                return Err(out_of_range(
                    &format!("stakesMilli[{k}]"),
                    format!("{s} is not in 1..=999"),
                ));
            }
        }
        Ok(())
    }

    /// Cells per stake share.
    pub fn per_share(&self) -> usize {
        let m = usize::from(self.steps).saturating_add(1);
        m.saturating_mul(m)
    }

    /// Cells in the whole grid.
    pub fn len(&self) -> usize {
        self.per_share().saturating_mul(self.stakes_milli.len())
    }

    /// Whether the grid has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `(stake share index, i, j)` of cell `k`.
    pub fn coords(&self, k: usize) -> (usize, u16, u16) {
        let m = usize::from(self.steps).saturating_add(1);
        let per = self.per_share().max(1);
        let s = k / per;
        let rest = k % per;
        let i = u16::try_from(rest / m).unwrap_or(u16::MAX);
        let j = u16::try_from(rest % m).unwrap_or(u16::MAX);
        (s, i, j)
    }
}

/// One map cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetentionCell {
    /// Major stake share, per mille.
    pub stake_milli: u16,
    /// Major self-weight `W_H` (x axis).
    pub major_weight: I32F32,
    /// Minor self-weight `W_C` (y axis).
    pub minor_weight: I32F32,
    /// Stake-weighted mean absolute weight deviation over the mean (upstream `avg_weight_dev`).
    pub avg_weight_dev: I32F32,
    /// The major side's share of the epoch's emission, `E_H` (upstream `major_ratio`).
    pub major_ratio: I32F32,
}

/// Cells `start .. start + count` of `grid` (clipped to the grid), sampling each stake share once.
pub fn retention_cells(
    params: &RetentionParams,
    grid: &RetentionGrid,
    start: usize,
    count: usize,
    rules: &Rules,
) -> Result<Vec<RetentionCell>> {
    retention_cells_cached(params, grid, start, count, rules, &mut None)
}

/// [`retention_cells`] keeping the last sampled share in `cache` across calls (a worker that
/// computes a map chunk by chunk samples each share once). A cached graph of other settings,
/// another share or other rules is replaced, so the cache never changes a result.
pub fn retention_cells_cached(
    params: &RetentionParams,
    grid: &RetentionGrid,
    start: usize,
    count: usize,
    rules: &Rules,
    cache: &mut Option<RetentionGraph>,
) -> Result<Vec<RetentionCell>> {
    params.validate()?;
    grid.validate()?;
    let end = start.saturating_add(count).min(grid.len());
    let mut out = Vec::with_capacity(end.saturating_sub(start));
    for k in start..end {
        let (s, i, j) = grid.coords(k);
        let stake_milli = grid.stakes_milli.get(s).copied().unwrap_or(500);
        if !cache
            .as_ref()
            .is_some_and(|g| g.is_for(params, stake_milli, rules))
        {
            *cache = Some(RetentionGraph::sample(params, stake_milli, rules)?);
        }
        if let Some(g) = cache.as_ref() {
            out.push(g.cell(i, j, grid.steps, rules)?);
        }
    }
    Ok(out)
}
