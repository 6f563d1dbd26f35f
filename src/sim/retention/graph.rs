//! The draws of one stake share and its cells: upstream `split_graph` (stake and weight sampling,
//! Box–Muller in `I32F32`) and `init_run_epochs` (a permit epoch, then the epoch with weights),
//! through the engine's [`run_epoch_under`]. See the parent module for the whole port.

use super::{out_of_range, RetentionCell, RetentionParams};
use crate::consensus::{run_epoch_under, EpochInput, Hyperparameters};
use crate::error::{Error, ErrorCode, Result};
use crate::fixed::{fixed_proportion_to_u16, inplace_normalize, I32F32, I64F64, ONE};
use crate::runtime::Rules;
use crate::sim::Rng;
use substrate_fixed::transcendental::{cos, ln, sqrt, PI};

/// Total stake spread over the validators (21 M TAO in rao, as upstream).
const TOTAL_STAKE: u64 = 21_000_000_000_000_000;
/// Emission handed to the epoch (rao), as upstream.
const EMISSION: u64 = 1_000_000_000;

/// `non_extreme_fixed_ratio`: `floor(ratio · total)`, moved off 0 and `total`.
fn non_extreme(ratio: I32F32, total: usize) -> usize {
    if total == 0 {
        return 0;
    }
    let t = I32F32::saturating_from_num(total);
    let subset: usize = ratio.saturating_mul(t).saturating_to_num();
    if subset == 0 {
        1
    } else if subset >= total {
        total.saturating_sub(1)
    } else {
        subset
    }
}

/// Box–Muller normals in `I32F32` from u16 uniforms in `[0, 65535)` (upstream `normal`).
fn normals(size: usize, rng: &mut Rng) -> Result<Vec<I32F32>> {
    let max = I32F32::from_num(u16::MAX);
    let two = I32F32::from_num(2);
    let eps = I32F32::from_num(0.000001);
    let two_pi = two.saturating_mul(I32F32::from_num(PI));
    let uniform: Vec<I32F32> = (0..size.saturating_mul(2))
        .map(|_| I32F32::from_num(rng.below(u64::from(u16::MAX))) / max)
        .collect();
    let fail = || {
        Error::new(
            ErrorCode::Internal,
            "Box-Muller draw outside ln/sqrt domain",
        )
    };
    let (first, second) = uniform.split_at(size);
    first
        .iter()
        .zip(second)
        .map(|(&a, &b)| {
            let u1 = a.saturating_add(eps);
            let u2 = b.saturating_add(eps);
            let l: I32F32 = ln(u1).map_err(|_| fail())?;
            let r: I32F32 = sqrt(two.saturating_mul(l).saturating_neg()).map_err(|_| fail())?;
            Ok(r.saturating_mul(cos(two_pi.saturating_mul(u2))))
        })
        .collect()
}

/// `max(0, 1 + σ·x)` for `size` normals, normalised to sum 1.
fn spread(size: usize, stddev: I32F32, rng: &mut Rng) -> Result<Vec<I32F32>> {
    let zero = I32F32::from_num(0);
    let mut v: Vec<I32F32> = normals(size, rng)?
        .into_iter()
        .map(|x| stddev.saturating_mul(x).saturating_add(ONE).max(zero))
        .collect();
    inplace_normalize(&mut v);
    Ok(v)
}

fn milli(v: u16) -> I32F32 {
    I32F32::from_num(v) / I32F32::from_num(1000)
}

/// The draws of one stake share: stakes, permits and every validator's weight spreads.
#[derive(Debug, Clone)]
pub struct RetentionGraph {
    params: RetentionParams,
    rules: Rules,
    stake_milli: u16,
    major_validators: usize,
    major_servers: usize,
    stake: Vec<u64>,
    /// Normalised stake over all uids (for `avg_weight_dev`).
    stake_fixed: Vec<I32F32>,
    /// Per validator: the spread over major servers, then over minor servers.
    samples: Vec<(Vec<I32F32>, Vec<I32F32>)>,
    permits: Vec<bool>,
}

impl RetentionGraph {
    /// Sample the network of stake share `stake_milli` (per mille) and hand out permits with the
    /// engine's epoch under `rules`.
    pub fn sample(params: &RetentionParams, stake_milli: u16, rules: &Rules) -> Result<Self> {
        params.validate()?;
        if stake_milli == 0 || stake_milli >= 1000 {
            return Err(out_of_range(
                "stakeMilli",
                format!("{stake_milli} is not in 1..=999"),
            ));
        }
        let n = usize::from(params.network_n);
        let vn = usize::from(params.validators_n);
        let sn = params.servers_n();
        let major_stake = milli(stake_milli);
        let major_servers = non_extreme(major_stake, sn);
        let major_validators = non_extreme(major_stake, vn);
        let mut rng = Rng::new(params.seed);
        let total = I64F64::from_num(TOTAL_STAKE);
        let mut stake = vec![0u64; n];
        let mut stake_fixed = vec![I32F32::from_num(0); n];
        let sides = [
            (major_stake, 0..major_validators),
            (ONE.saturating_sub(major_stake), major_validators..vn),
        ];
        for (ratio, uids) in sides {
            let sample = spread(uids.len(), milli(params.stake_stddev_milli), &mut rng)?;
            for (uid, x) in uids.zip(sample) {
                let share = I64F64::from_num(ratio).saturating_mul(I64F64::from_num(x));
                if let (Some(s), Some(f)) = (stake.get_mut(uid), stake_fixed.get_mut(uid)) {
                    *s = share.saturating_mul(total).saturating_to_num::<u64>();
                    *f = I32F32::saturating_from_num(share);
                }
            }
        }
        inplace_normalize(&mut stake_fixed);
        let sigma_w = milli(params.weight_stddev_milli);
        let mut samples = Vec::with_capacity(vn);
        for _ in 0..vn {
            let on_major = spread(major_servers, sigma_w, &mut rng)?;
            let on_minor = spread(sn.saturating_sub(major_servers), sigma_w, &mut rng)?;
            samples.push((on_major, on_minor));
        }
        let mut graph = RetentionGraph {
            params: params.clone(),
            rules: rules.clone(),
            stake_milli,
            major_validators,
            major_servers,
            stake,
            stake_fixed,
            samples,
            permits: Vec::new(),
        };
        // Upstream runs one epoch before any weights are set, to hand out validator permits.
        let first = run_epoch_under(&graph.input(Vec::new(), Vec::new()), rules, false)?;
        graph.permits = first.validator_permit;
        Ok(graph)
    }

    /// Whether this graph was sampled for these settings, share and rules.
    pub fn is_for(&self, params: &RetentionParams, stake_milli: u16, rules: &Rules) -> bool {
        self.stake_milli == stake_milli && self.params == *params && self.rules == *rules
    }

    /// Major validators and major servers (uids `0..this.0` and `V..V+this.1`).
    pub fn major_counts(&self) -> (usize, usize) {
        (self.major_validators, self.major_servers)
    }

    /// Stake per uid (rao).
    pub fn stake(&self) -> &[u64] {
        &self.stake
    }

    fn input(&self, weights: Vec<Vec<(u16, u16)>>, permits: Vec<bool>) -> EpochInput {
        let p = &self.params;
        let n = usize::from(p.network_n);
        EpochInput {
            hyperparameters: Hyperparameters {
                tempo: u16::MAX - 1,
                kappa: p.kappa,
                bonds_penalty: p.bonds_penalty,
                yuma3_enabled: p.yuma3,
                max_allowed_validators: p.validators_n,
                commit_reveal_enabled: false,
                ..Hyperparameters::unit_test_mock()
            },
            n: p.network_n,
            current_block: 1,
            emission: EMISSION,
            alpha_stake: self.stake.clone(),
            block_at_registration: vec![0; n],
            last_update: vec![1; n],
            validator_permit: permits,
            weights,
            ..Default::default()
        }
    }

    /// The cell `W_H = i / steps`, `W_C = j / steps` under `rules`.
    pub fn cell(&self, i: u16, j: u16, steps: u16, rules: &Rules) -> Result<RetentionCell> {
        if steps == 0 || i > steps || j > steps {
            return Err(out_of_range(
                "steps",
                format!("cell ({i}, {j}) outside 0..={steps}"),
            ));
        }
        let p = &self.params;
        let n = usize::from(p.network_n);
        let vn = usize::from(p.validators_n);
        let major_weight = I32F32::from_num(i) / I32F32::from_num(steps);
        let minor_weight = I32F32::from_num(j) / I32F32::from_num(steps);
        let mut weights: Vec<Vec<(u16, u16)>> = vec![Vec::new(); n];
        // Row-normalised fixed weights of the validators over the servers (for the deviation).
        let mut fixed_rows: Vec<Vec<I32F32>> = Vec::with_capacity(vn);
        for (uid, (on_major, on_minor)) in self.samples.iter().enumerate() {
            let (first, second) = if uid < self.major_validators {
                (major_weight, ONE.saturating_sub(major_weight))
            } else {
                (ONE.saturating_sub(minor_weight), minor_weight)
            };
            let mut row = Vec::with_capacity(on_major.len() + on_minor.len());
            let mut fixed_row = Vec::with_capacity(row.capacity());
            let parts = [
                (first, on_major, vn),
                (second, on_minor, vn + self.major_servers),
            ];
            for (w, sample, base) in parts {
                for (k, &x) in sample.iter().enumerate() {
                    let v = w.saturating_mul(x);
                    let srv = u16::try_from(base.saturating_add(k)).unwrap_or(u16::MAX);
                    row.push((srv, fixed_proportion_to_u16(v)));
                    fixed_row.push(v);
                }
            }
            inplace_normalize(&mut fixed_row);
            fixed_rows.push(fixed_row);
            if let Some(slot) = weights.get_mut(uid) {
                *slot = row;
            }
        }
        // Servers set self-weight (masked by the epoch: no permit, diagonal).
        for (uid, slot) in weights.iter_mut().enumerate().skip(vn) {
            *slot = vec![(u16::try_from(uid).unwrap_or(u16::MAX), u16::MAX)];
        }
        let out = run_epoch_under(&self.input(weights, self.permits.clone()), rules, false)?;
        let is_major = |uid: usize| {
            uid < self.major_validators
                || (uid >= vn && uid < vn.saturating_add(self.major_servers))
        };
        let xi = u128::from(p.validator_share_milli);
        let (mut major, mut all) = (0u128, 0u128);
        for uid in 0..n {
            let value = if p.validator_share_milli == 500 {
                u128::from(out.emission.get(uid).copied().unwrap_or(0))
            } else {
                let d = u128::from(out.validator_emission.get(uid).copied().unwrap_or(0));
                let s = u128::from(out.server_emission.get(uid).copied().unwrap_or(0));
                xi.saturating_mul(d)
                    .saturating_add((1000u128.saturating_sub(xi)).saturating_mul(s))
            };
            all = all.saturating_add(value);
            if is_major(uid) {
                major = major.saturating_add(value);
            }
        }
        let ratio = I64F64::saturating_from_num(major)
            .checked_div(I64F64::saturating_from_num(all))
            .unwrap_or_else(|| I64F64::from_num(0));
        Ok(RetentionCell {
            stake_milli: self.stake_milli,
            major_weight,
            minor_weight,
            avg_weight_dev: self.avg_weight_dev(&fixed_rows),
            major_ratio: I32F32::saturating_from_num(ratio),
        })
    }

    /// Upstream `avg_weight_dev`: Σ_j Σ_i S_i·|mean_j − W_ij| over Σ_j mean_j (servers only; the
    /// other columns are zero).
    fn avg_weight_dev(&self, rows: &[Vec<I32F32>]) -> I32F32 {
        let zero = I32F32::from_num(0);
        let cols = self.params.servers_n();
        let stake = |i: usize| self.stake_fixed.get(i).copied().unwrap_or(zero);
        let mut mean = vec![zero; cols];
        for (i, row) in rows.iter().enumerate() {
            if stake(i) > zero {
                for (m, &w) in mean.iter_mut().zip(row) {
                    *m = m.saturating_add(stake(i).saturating_mul(w));
                }
            }
        }
        let mut dev = zero;
        for (i, row) in rows.iter().enumerate() {
            if stake(i) > zero {
                for (&m, &w) in mean.iter().zip(row) {
                    dev = dev.saturating_add(stake(i).saturating_mul((m.saturating_sub(w)).abs()));
                }
            }
        }
        let total = mean.iter().fold(zero, |a, &b| a.saturating_add(b));
        dev.checked_div(total).unwrap_or(zero)
    }
}
