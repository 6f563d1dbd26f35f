//! The stake-return model: what `amount` TAO staked on a subnet (or root) through a validator is
//! worth over a horizon, in alpha and TAO, split into emission yield, price change, fees and
//! slippage, with ranges from a seeded Monte Carlo over user flows.
//!
//! Each path steps `step_blocks` blocks at a time (default one day, 7200 blocks) from a market
//! snapshot ([`Market::from_network`]). Chain rules used exactly, per block, then multiplied by
//! the step length (the state is held constant within a step): block emission and halving
//! (`block_emission`), the subnet's TAO share `p_i / Σ p` of the price-EMA rule (§5.2), the
//! injection terms with the root-proportion cap (`subnet_terms`, §6), the split of `alpha_out`
//! into owner cut / server / validator / root buckets (`split_alpha_out`, §7). Entry, exit, chain
//! buys, injections and user flows go through the exact weighted pool (fee, slippage, weights).
//!
//! Assumptions (also returned in [`ReturnReport::assumptions`]):
//! * the validator receives `dividend_share_ppm` of the subnet's validator bucket every epoch and
//!   holds only alpha stake; the position's part is `(1 − take) × pos / (validator stake + pos)`,
//!   compounding (dividends are restaked);
//! * root positions earn the network's root dividends (Σ over subnets of the root bucket, valued
//!   at each subnet's spot price at the start) in proportion to `pos / SubnetTAO[0]`, less take,
//!   claimed as TAO (Swap) and restaked; no price risk;
//! * the other subnets' moving prices stay as in the snapshot; net user flow per step is
//!   `N(drift, σ²) × √(step/7200) × SubnetTAO` (Irwin–Hall normal), buys with TAO, sells alpha;
//! * no epoch timing within a step, no miner incentive to the position, no transaction fees.
//!
//! APR = annualised emission yield over the entry value, `yield / entry × 365 / days` (simple).
//! APY = the same yield compounded daily over a year, `(1 + APR / 365)^365 − 1`.
//!
//! Length: about 690 lines, one model (query, path, run, report, strategies) that reads as one
//! argument from the assumptions above to the numbers; its tests are in `returns_tests.rs`.

use super::rng::Rng;
use crate::emission::math::{tou64, u16_fraction, u96};
use crate::emission::{
    block_emission, root_proportion, split_alpha_out, subnet_terms, BalancerPool, Network,
    SubnetPool,
};
use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::U96F32;

/// Blocks per day (12 s blocks).
pub const BLOCKS_PER_DAY: u64 = 7_200;

/// One subnet as the model sees it at the start.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Market {
    /// Subnet (0 = root).
    pub netuid: u16,
    /// The pool.
    pub pool: BalancerPool,
    /// `SubnetAlphaOut`.
    pub alpha_out: u64,
    /// Moving price (TAO per alpha).
    pub moving_price: f64,
    /// Σ moving prices of the other emitting subnets.
    pub other_prices: f64,
    /// `TotalIssuance`.
    pub total_issuance: u64,
    /// `SubnetTAO[0]`.
    pub root_tao: u64,
    /// `TaoWeight` (u64-normalised).
    pub tao_weight: u64,
    /// `SubnetOwnerCut` (u16-normalised).
    pub owner_cut: u16,
    /// Network-wide root dividends per block valued in TAO (rao), for root positions.
    pub root_divs_per_block: u64,
}

impl Market {
    /// The snapshot of `netuid` (0 = root) in `net`.
    pub fn from_network(net: &Network<BalancerPool>, netuid: u16) -> Result<Market> {
        let emit = net.subnets_to_emit_to();
        let price_of = |n: u16| net.moving_price_of(n).to_num::<f64>();
        let total: f64 = emit.iter().map(|n| price_of(*n)).sum();
        // Root dividends per block over all subnets, at the current state.
        let e = u96(block_emission(net.total_issuance));
        let emissions = net.subnet_emissions(&emit, e);
        let cut = u16_fraction(net.params.subnet_owner_cut);
        let mut root_divs = 0u128;
        for (n, en) in &emissions {
            if let Some(s) = net.subnets.get(n) {
                let rp = net.root_proportion(*n);
                let t = subnet_terms(*en, net.alpha_issuance(*n), s.pool.price(), rp);
                let split = split_alpha_out(t.alpha_out, Some(cut), rp, true);
                let tao = U96F32::saturating_from_num(split.root_alpha)
                    .saturating_mul(U96F32::saturating_from_num(s.pool.price()));
                root_divs = root_divs.saturating_add(u128::from(tou64(tao)));
            }
        }
        let (pool, alpha_out, moving) = if netuid == 0 {
            (
                BalancerPool::stable(net.root_tao, net.root_tao),
                net.root_alpha_out,
                1.0,
            )
        } else {
            let s = net.subnets.get(&netuid).ok_or_else(|| {
                Error::field(
                    ErrorCode::OutOfRange,
                    "netuid",
                    format!("subnet {netuid} does not exist"),
                )
            })?;
            (s.pool.clone(), s.alpha_out, price_of(netuid))
        };
        Ok(Market {
            netuid,
            pool,
            alpha_out,
            moving_price: moving,
            other_prices: (total - if netuid == 0 { 0.0 } else { moving }).max(0.0),
            total_issuance: net.total_issuance,
            root_tao: net.root_tao,
            tao_weight: net.params.tao_weight,
            owner_cut: net.params.subnet_owner_cut,
            root_divs_per_block: u64::try_from(root_divs).unwrap_or(u64::MAX),
        })
    }
}

/// The position and the Monte Carlo assumptions.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReturnQuery {
    /// TAO staked at entry (rao, fee included).
    pub amount: u64,
    /// Subnets: `[0]` = root, one netuid = that subnet, several = the amount spread equally.
    pub netuids: Vec<u16>,
    /// Validator take (u16-normalised; 11796 ≈ 18 %).
    pub take: u16,
    /// The validator's share of the subnet's validator dividends, parts per million.
    pub dividend_share_ppm: u32,
    /// The validator's alpha stake on the subnet before entry (rao); 0 = a share of the subnet's
    /// outstanding alpha equal to `dividend_share_ppm`. Not used on root (pro rata of `SubnetTAO[0]`).
    pub validator_stake: u64,
    /// Horizon in days.
    pub horizon_days: u32,
    /// Sell at the horizon (exit fee and slippage counted).
    pub exit: bool,
    /// Monte Carlo paths.
    pub paths: u32,
    /// Seed.
    pub seed: u64,
    /// Daily net user flow, standard deviation, basis points of the pool's TAO reserve.
    pub flow_sigma_bps: u32,
    /// Daily net user flow, mean, basis points of the pool's TAO reserve (negative: outflow).
    pub flow_drift_bps: i32,
    /// Blocks per model step.
    pub step_blocks: u32,
}

impl Default for ReturnQuery {
    fn default() -> Self {
        ReturnQuery {
            amount: 100_000_000_000,
            netuids: vec![1],
            take: 11_796,
            dividend_share_ppm: 100_000,
            validator_stake: 0,
            horizon_days: 30,
            exit: true,
            paths: 32,
            seed: 1,
            flow_sigma_bps: 100,
            flow_drift_bps: 0,
            step_blocks: 7_200,
        }
    }
}

/// The value split (TAO rao, mean over paths): `final = amount − entry_fee − entry_slippage +
/// emission_yield + price_change − exit_fee − exit_slippage` holds on every path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueSplit {
    /// Swap fee at entry.
    pub entry_fee: i64,
    /// Price impact at entry (vs the spot price).
    pub entry_slippage: i64,
    /// Dividends earned, each valued at the spot price when earned.
    pub emission_yield: i64,
    /// Mark-to-market change of the position not due to dividends.
    pub price_change: i64,
    /// Swap fee at exit.
    pub exit_fee: i64,
    /// Price impact at exit.
    pub exit_slippage: i64,
}

/// One point of the series (after each step).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    /// Day (step end).
    pub day: u32,
    /// Mean alpha held (root: TAO).
    pub alpha_mean: u64,
    /// Mean value in TAO (mark to market; the last point is after exit when `exit`).
    pub tao_mean: u64,
    /// 10th percentile of the TAO value.
    pub tao_p10: u64,
    /// Median TAO value.
    pub tao_p50: u64,
    /// 90th percentile of the TAO value.
    pub tao_p90: u64,
}

/// What the model returns.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnReport {
    /// TAO staked.
    pub amount: u64,
    /// Subnets.
    pub netuids: Vec<u16>,
    /// Paths run.
    pub paths: u32,
    /// Day 0 (after entry) and one point per step.
    pub series: Vec<SeriesPoint>,
    /// Mean split.
    pub split: ValueSplit,
    /// Alpha earned from dividends (mean; root: TAO).
    pub alpha_earned: u64,
    /// APR of the emission yield (see module docs).
    pub apr: f64,
    /// APY of the emission yield (see module docs).
    pub apy: f64,
    /// The assumptions, in words.
    pub assumptions: Vec<String>,
    /// The runtime whose rules the model ran under.
    pub runtime: crate::runtime::RuntimeInfo,
    /// The query's subnets that are synthetic (made up by the default network's generator, not
    /// captured from a chain); empty when every subnet is real or the network is the caller's.
    #[serde(default)]
    pub synthetic_netuids: Vec<u16>,
}

/// One path's result.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PathOut {
    /// TAO value at day 0 and after each step.
    pub values: Vec<u64>,
    /// Alpha held at day 0 and after each step.
    pub alpha: Vec<u64>,
    /// Split (i128 rao).
    pub split: [i128; 6],
    /// Alpha earned.
    pub earned: u64,
}

fn steps_of(q: &ReturnQuery) -> u64 {
    let step = u64::from(q.step_blocks.max(1));
    (u64::from(q.horizon_days).saturating_mul(BLOCKS_PER_DAY) / step).max(1)
}

fn mark(alpha: u64, price: f64) -> i128 {
    (alpha as f64 * price) as i128
}

/// One path of one subnet position of `amount`.
pub fn run_path(m: &Market, q: &ReturnQuery, amount: u64, rng: &mut Rng) -> PathOut {
    let steps = steps_of(q);
    let dt = u64::from(q.step_blocks.max(1));
    let take = f64::from(q.take) / 65_535.0;
    let mut out = PathOut::default();
    if m.netuid == 0 {
        let mut pos = amount;
        out.values.push(pos);
        out.alpha.push(pos);
        let mut earned = 0u64;
        for _ in 0..steps {
            let share = pos as f64 / (m.root_tao as f64 + pos as f64).max(1.0);
            let gain = (m.root_divs_per_block as f64 * dt as f64 * (1.0 - take) * share) as u64;
            pos = pos.saturating_add(gain);
            earned = earned.saturating_add(gain);
            out.values.push(pos);
            out.alpha.push(pos);
        }
        out.earned = earned;
        out.split = [0, 0, i128::from(earned), 0, 0, 0];
        return out;
    }
    let mut pool = m.pool.clone();
    let mut alpha_out = m.alpha_out;
    let mut ema = m.moving_price;
    let mut issuance = m.total_issuance;
    let spot0 = pool.price().to_num::<f64>();
    let Ok(entry) = pool.swap_tao_for_alpha(amount, false) else {
        return out;
    };
    let mut pos = entry.amount_paid_out;
    alpha_out = alpha_out.saturating_add(pos);
    let entry_mark = mark(pos, spot0);
    let entry_fee = i128::from(entry.fee_paid);
    let entry_slip = i128::from(amount) - entry_fee - entry_mark;
    let mut vstake = if q.validator_stake > 0 {
        q.validator_stake
    } else {
        (alpha_out as f64 * f64::from(q.dividend_share_ppm) / 1e6) as u64
    };
    out.values
        .push(u64::try_from(entry_mark.max(0)).unwrap_or(0));
    out.alpha.push(pos);
    let mut yield_tao = 0i128;
    let mut earned = 0u64;
    let cut = u16_fraction(m.owner_cut);
    let alpha_ma = crate::emission::moving_price::default_moving_alpha().to_num::<f64>();
    let decay = (1.0 - alpha_ma).powi(i32::try_from(dt).unwrap_or(i32::MAX));
    let flow_scale = (dt as f64 / BLOCKS_PER_DAY as f64).sqrt();
    for step in 1..=steps {
        // Emission of one block at the current state, times the step length.
        let e = block_emission(issuance);
        let share = ema / (ema + m.other_prices).max(f64::MIN_POSITIVE);
        let e_i = U96F32::saturating_from_num(e as f64 * share);
        let issuance_alpha = pool.alpha_reserve().saturating_add(alpha_out);
        let rp = root_proportion(m.root_tao, m.tao_weight, issuance_alpha);
        let t = subnet_terms(e_i, issuance_alpha, pool.price(), rp);
        let tao_in = tou64(t.tao_in).saturating_mul(dt);
        let alpha_in = tou64(t.alpha_in).saturating_mul(dt);
        let excess = tou64(t.excess_tao).saturating_mul(dt);
        if excess > 0 {
            if let Ok(r) = pool.swap_tao_for_alpha(excess, true) {
                alpha_out = alpha_out.saturating_add(r.amount_paid_out);
            }
        }
        if pool.prepare_injection(tao_in, alpha_in) {
            pool.deposit(tao_in, alpha_in);
        }
        let split = split_alpha_out(t.alpha_out, Some(cut), rp, true);
        alpha_out = alpha_out.saturating_add(tou64(t.alpha_out).saturating_mul(dt));
        let divs = split.validator as f64 * dt as f64 * f64::from(q.dividend_share_ppm) / 1e6;
        let gain =
            (divs * (1.0 - take) * pos as f64 / (vstake as f64 + pos as f64).max(1.0)) as u64;
        vstake = vstake.saturating_add((divs as u64).saturating_sub(gain));
        pos = pos.saturating_add(gain);
        earned = earned.saturating_add(gain);
        let spot = pool.price().to_num::<f64>();
        yield_tao += mark(gain, spot);
        // Net user flow.
        let z = f64::from(q.flow_drift_bps) + f64::from(q.flow_sigma_bps) * rng.normal();
        let flow = z / 10_000.0 * flow_scale * pool.tao_reserve() as f64;
        if flow >= 1.0 {
            if let Ok(r) = pool.swap_tao_for_alpha(flow as u64, false) {
                alpha_out = alpha_out.saturating_add(r.amount_paid_out);
            }
        } else if flow <= -1.0 && spot > 0.0 {
            let sell = ((-flow / spot) as u64).min(alpha_out.saturating_sub(pos));
            if sell > 0 && pool.swap_alpha_for_tao(sell, false).is_ok() {
                alpha_out = alpha_out.saturating_sub(sell);
            }
        }
        let p = pool.price().to_num::<f64>();
        ema = p + (ema - p) * decay;
        issuance = issuance.saturating_add(e.saturating_mul(dt));
        let value = mark(pos, p);
        if step == steps && q.exit {
            break;
        }
        out.values.push(u64::try_from(value.max(0)).unwrap_or(0));
        out.alpha.push(pos);
    }
    let spot = pool.price().to_num::<f64>();
    let final_mark = mark(pos, spot);
    let (mut exit_fee, mut exit_slip, mut final_value) = (0i128, 0i128, final_mark);
    if q.exit {
        if let Ok(r) = pool.swap_alpha_for_tao(pos, false) {
            exit_fee = mark(r.fee_paid, spot);
            final_value = i128::from(r.amount_paid_out);
            exit_slip = final_mark - exit_fee - final_value;
        }
        out.values
            .push(u64::try_from(final_value.max(0)).unwrap_or(0));
        out.alpha.push(pos);
    }
    let price_change = final_mark - entry_mark - yield_tao;
    out.split = [
        entry_fee,
        entry_slip,
        yield_tao,
        price_change,
        exit_fee,
        exit_slip,
    ];
    out.earned = earned;
    out
}

/// A model run that can be advanced a few paths at a time (progress, cancellation).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReturnRun {
    /// The query.
    pub query: ReturnQuery,
    /// One market per netuid of the query.
    pub markets: Vec<Market>,
    /// Paths done (summed over the netuids), in path order from `first`.
    pub outs: Vec<PathOut>,
    /// The first path this run covers (0 unless it is a shard of a parallel run, see
    /// [`super::shards`]); path `i` draws from `Rng::for_path(seed, i)` wherever it runs.
    #[serde(default)]
    pub first: u32,
    /// How many paths this run covers (the query's `paths` unless it is a shard).
    #[serde(default)]
    pub count: u32,
    /// The runtime whose rules the model runs under (the newest known unless set).
    pub runtime: crate::runtime::RuntimeInfo,
    /// Where each subnet of the query comes from, when the network is the embedded default one
    /// (empty otherwise: the caller's own network).
    #[serde(default)]
    pub sources: Vec<(u16, crate::sim::default_net::SubnetSource)>,
}

fn sum_paths(a: &mut PathOut, b: &PathOut) {
    for (x, y) in a.values.iter_mut().zip(&b.values) {
        *x = x.saturating_add(*y);
    }
    for (x, y) in a.alpha.iter_mut().zip(&b.alpha) {
        *x = x.saturating_add(*y);
    }
    for (x, y) in a.split.iter_mut().zip(b.split) {
        *x = x.saturating_add(y);
    }
    a.earned = a.earned.saturating_add(b.earned);
}

impl ReturnRun {
    /// Validate the query and take the market snapshots from `net`.
    pub fn new(net: &Network<BalancerPool>, query: ReturnQuery) -> Result<ReturnRun> {
        if query.amount == 0 {
            return Err(Error::field(
                ErrorCode::ZeroAmount,
                "amount",
                "amount is zero",
            ));
        }
        if query.netuids.is_empty() || query.netuids.len() > 64 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "netuids",
                "1 to 64 subnets",
            ));
        }
        if query.horizon_days == 0 || query.horizon_days > 3_650 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "horizonDays",
                "1 to 3650 days",
            ));
        }
        if query.paths == 0 || query.paths > 10_000 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "paths",
                "1 to 10000 paths",
            ));
        }
        if query.step_blocks == 0 || steps_of(&query) > 100_000 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "stepBlocks",
                "1 to 100000 steps",
            ));
        }
        if query.dividend_share_ppm > 1_000_000 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "dividendSharePpm",
                "at most 1000000",
            ));
        }
        let markets = query
            .netuids
            .iter()
            .map(|n| Market::from_network(net, *n))
            .collect::<Result<Vec<_>>>()?;
        let count = query.paths;
        Ok(ReturnRun {
            query,
            markets,
            outs: Vec::new(),
            first: 0,
            count,
            runtime: crate::emission::Params::runtime_info(&crate::runtime::Rules::newest()),
            sources: Vec::new(),
        })
    }

    /// The snapshot was taken from the default network built from `cfg`: the report says which of
    /// the query's subnets are real and which synthetic.
    #[must_use]
    pub fn on_default_network(mut self, cfg: &crate::sim::DefaultConfig) -> Self {
        self.sources = self
            .query
            .netuids
            .iter()
            .map(|n| (*n, cfg.source_of(*n)))
            .collect();
        self
    }

    /// Run under the rules of `rules`' runtime (the newest known by default).
    #[must_use]
    pub fn under(mut self, rules: &crate::runtime::Rules) -> Self {
        self.runtime = crate::emission::Params::runtime_info(rules);
        self
    }

    /// Run up to `n` more paths of this run's range; returns (done, total) of the range.
    pub fn run_paths(&mut self, n: u32) -> (u32, u32) {
        let total = self.count;
        let k = self.markets.len().max(1) as u64;
        let each = self.query.amount / k;
        for _ in 0..n {
            if self.outs.len() as u32 >= total {
                break;
            }
            let index = u64::from(self.first).saturating_add(self.outs.len() as u64);
            let mut path_rng = Rng::for_path(self.query.seed, index);
            let mut acc: Option<PathOut> = None;
            for (i, m) in self.markets.iter().enumerate() {
                let amount = if i == 0 {
                    self.query.amount - each * (k - 1)
                } else {
                    each
                };
                let p = run_path(m, &self.query, amount, &mut path_rng);
                match acc.as_mut() {
                    Some(a) => sum_paths(a, &p),
                    None => acc = Some(p),
                }
            }
            self.outs.push(acc.unwrap_or_default());
        }
        (self.outs.len() as u32, total)
    }

    /// Aggregate the paths run so far.
    pub fn report(&self) -> ReturnReport {
        let q = &self.query;
        let n = self.outs.len().max(1);
        let len = self.outs.iter().map(|p| p.values.len()).min().unwrap_or(0);
        let step_days = f64::from(q.step_blocks.max(1)) / BLOCKS_PER_DAY as f64;
        let mut series = Vec::with_capacity(len);
        for i in 0..len {
            let mut v: Vec<u64> = self
                .outs
                .iter()
                .filter_map(|p| p.values.get(i).copied())
                .collect();
            v.sort_unstable();
            let pct = |f: usize| {
                v.get((v.len().saturating_sub(1)) * f / 100)
                    .copied()
                    .unwrap_or(0)
            };
            let mean = |xs: &mut dyn Iterator<Item = u64>| {
                (xs.map(u128::from).sum::<u128>() / n as u128) as u64
            };
            series.push(SeriesPoint {
                day: ((i as f64) * step_days).round() as u32,
                alpha_mean: mean(&mut self.outs.iter().filter_map(|p| p.alpha.get(i).copied())),
                tao_mean: mean(&mut v.iter().copied()),
                tao_p10: pct(10),
                tao_p50: pct(50),
                tao_p90: pct(90),
            });
        }
        if let (Some(last), true) = (series.last_mut(), q.exit) {
            last.day = q.horizon_days;
        }
        let mut split = [0i128; 6];
        for p in &self.outs {
            for (s, x) in split.iter_mut().zip(p.split) {
                *s = s.saturating_add(x);
            }
        }
        let avg = |x: i128| i64::try_from(x / n as i128).unwrap_or(0);
        let split = ValueSplit {
            entry_fee: avg(split[0]),
            entry_slippage: avg(split[1]),
            emission_yield: avg(split[2]),
            price_change: avg(split[3]),
            exit_fee: avg(split[4]),
            exit_slippage: avg(split[5]),
        };
        let entry =
            (q.amount as f64 - split.entry_fee as f64 - split.entry_slippage as f64).max(1.0);
        let apr = split.emission_yield as f64 / entry * 365.0 / f64::from(q.horizon_days.max(1));
        let apy = (1.0 + apr / 365.0).powi(365) - 1.0;
        let earned =
            (self.outs.iter().map(|p| u128::from(p.earned)).sum::<u128>() / n as u128) as u64;
        ReturnReport {
            amount: q.amount,
            netuids: q.netuids.clone(),
            paths: self.outs.len() as u32,
            series,
            split,
            alpha_earned: earned,
            apr,
            apy,
            assumptions: {
                let mut a: Vec<String> = self.sources.iter().map(|(n, s)| s.describe(*n)).collect();
                a.extend(assumptions(q));
                a
            },
            runtime: self.runtime.clone(),
            synthetic_netuids: self
                .sources
                .iter()
                .filter(|(_, s)| s.is_synthetic())
                .map(|(n, _)| *n)
                .collect(),
        }
    }
}

/// The assumptions of a query, in words.
pub fn assumptions(q: &ReturnQuery) -> Vec<String> {
    vec![
        format!("{} Monte Carlo paths, seed {}, one step = {} blocks.", q.paths, q.seed, q.step_blocks),
        format!(
            "Net user flow per day ~ N({} bp, ({} bp)²) of the pool's TAO reserve; other subnets' prices held at the snapshot.",
            q.flow_drift_bps, q.flow_sigma_bps
        ),
        format!(
            "The validator gets {:.2} % of the subnet's validator dividends and keeps a take of {:.2} %; dividends are restaked.",
            f64::from(q.dividend_share_ppm) / 1e4,
            f64::from(q.take) / 655.35
        ),
        "Emission, injection, chain buys and bucket split use the chain's per-block rules, held constant within a step; swaps use the exact pool (fee 33/65535, price impact).".to_string(),
        "Root stake earns the network's root dividends pro rata, claimed as TAO (Swap); no miner incentive, no transaction fees.".to_string(),
        "Subnet shares follow the runtime's rules (share weighting, burn factor, emission gate, reservoirs); the payout is the network model's (up to 440): what it leaves out of this runtime is listed in the report's runtime.notModelled.".to_string(),
        "APR = emission yield / entry value × 365 / days; APY = (1 + APR/365)^365 − 1.".to_string(),
    ]
}

/// Run a query to the end.
pub fn stake_return(net: &Network<BalancerPool>, query: ReturnQuery) -> Result<ReturnReport> {
    let mut run = ReturnRun::new(net, query)?;
    let total = run.query.paths;
    run.run_paths(total);
    Ok(run.report())
}

/// One strategy of a comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyResult {
    /// Label ("root", "subnet 5", "spread over 4").
    pub label: String,
    /// Its report.
    pub report: ReturnReport,
}

/// Compare root, the query's first subnet, and the amount spread over the `spread` subnets with
/// the largest TAO reserves (the same seed for each).
pub fn compare_strategies(
    net: &Network<BalancerPool>,
    query: &ReturnQuery,
    spread: u16,
) -> Result<Vec<StrategyResult>> {
    let x = query.netuids.first().copied().unwrap_or(1);
    let mut by_size: Vec<(u64, u16)> = net
        .subnets
        .iter()
        .map(|(n, s)| (s.pool.tao_reserve(), *n))
        .collect();
    by_size.sort_by(|a, b| b.cmp(a));
    let top: Vec<u16> = by_size
        .iter()
        .take(usize::from(spread.max(1)))
        .map(|(_, n)| *n)
        .collect();
    let mut out = Vec::new();
    for (label, netuids) in [
        ("root".to_string(), vec![0u16]),
        (format!("subnet {x}"), vec![x]),
        (format!("spread over {}", top.len()), top),
    ] {
        let q = ReturnQuery {
            netuids,
            ..query.clone()
        };
        out.push(StrategyResult {
            label,
            report: stake_return(net, q)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
#[path = "returns_tests.rs"]
mod tests;
