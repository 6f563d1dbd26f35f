//! The Uniswap-v3 concentrated-liquidity pool of 2025-06-30 … 2026-06-25 (spec §17.1).
//!
//! Port of opentensor/subtensor `pallets/swap/src/pallet/{impls,swap_step}.rs`, `tick.rs` and
//! `position.rs` as of commit `486037ba45b87a453b1d660177cc1b105d0298c6` (last v3 version), as far
//! as the spec describes it: one protocol position over the whole tick range with
//! `L = isqrt(tao × alpha)` (≡ constant product on virtual reserves while nobody else provides
//! liquidity), swap steps that stop at the limit or cross the next initialised tick, the fee
//! (100 % to the block author by default: `DefaultFeeSplit` = 0), user positions with Uniswap fee
//! growth accounting, and the protocol injection that keeps unmatched amounts in scrap reservoirs.
//!
//! Length: one port of the v3 pallet's swap (state, swap step, tick crossing, positions, fee
//! growth, injection), kept in the pallet's own order so it can be read beside it; the tick maths
//! live in `tick.rs` and the tests are the last 70 lines.

pub mod protocol;
pub mod tick;

use super::balancer::{fx, one, safe_div};
use super::error::ChainError;
use super::perquintill::Perquintill;
use super::swap::{Order, SwapConstants, SwapResult, MAX_PRICE_RAO, MIN_PRICE_RAO};
use std::collections::BTreeMap;
use substrate_fixed::types::{I64F64, U64F64};
use tick::{from_sqrt_price_bounded, to_sqrt_price_bounded, MAX_TICK, MIN_TICK};

/// Most steps one swap may take.
pub const MAX_SWAP_ITERATIONS: u16 = 1000;

/// Liquidity boundary at a tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tick {
    /// Liquidity added (crossing upwards) at this tick.
    pub liquidity_net: i128,
    /// Total liquidity referencing this tick.
    pub liquidity_gross: u64,
    /// Fee growth on the other side of the tick, TAO.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub fees_out_tao: U64F64,
    /// Fee growth on the other side of the tick, alpha.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub fees_out_alpha: U64F64,
}

/// A liquidity position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// Position id.
    pub id: u64,
    /// Whether it is the protocol's.
    pub protocol: bool,
    /// Lower tick.
    pub tick_low: i32,
    /// Upper tick.
    pub tick_high: i32,
    /// Liquidity.
    pub liquidity: u64,
    /// Fee growth inside at the last settlement, TAO.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub fees_tao: U64F64,
    /// Fee growth inside at the last settlement, alpha.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub fees_alpha: U64F64,
}

/// A v3 pool.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct V3Pool {
    /// `SubnetTAO`.
    pub tao_reserve: u64,
    /// `SubnetAlphaIn`.
    pub alpha_reserve: u64,
    /// `AlphaSqrtPrice`.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub sqrt_price: U64F64,
    /// `CurrentTick`.
    pub current_tick: i32,
    /// `CurrentLiquidity`.
    pub liquidity: u64,
    /// Initialised ticks.
    pub ticks: BTreeMap<i32, Tick>,
    /// `FeeGlobalTao`.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub fee_global_tao: U64F64,
    /// `FeeGlobalAlpha`.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub fee_global_alpha: U64F64,
    /// Positions (the first is the protocol's once initialised).
    pub positions: Vec<Position>,
    /// `FeeRate`.
    pub fee_rate: u16,
    /// Share of fees left to liquidity providers (`DefaultFeeSplit`, 0 on chain).
    pub lp_fee_split: Perquintill,
    /// `ScrapReservoirTao`.
    pub scrap_tao: u64,
    /// `ScrapReservoirAlpha`.
    pub scrap_alpha: u64,
    /// `SwapV3Initialized`.
    pub initialized: bool,
    /// A runtime rule, not stored: up to spec 377 (`swap_step.rs` at tags `v3.3.0-361` …
    /// `v3.3.9-377`) a step that takes input and gives no output goes on; from 385 it fails
    /// `ReservesTooLow` (the default, `false`).
    #[serde(skip)]
    pub zero_output_steps: bool,
}

/// `checked_sqrt` of subtensor's safe-math: bisection until `|x/mid − mid| ≤ ε`, ≤ 128 rounds.
pub fn sqrt_bisect(x: U64F64, epsilon: U64F64) -> U64F64 {
    let (mut high, mut low) = if x > one() { (x, fx(0)) } else { (one(), x) };
    let two = fx(2);
    let mut middle = safe_div(high.saturating_add(low), two);
    let mut check = safe_div(x, middle);
    let mut iterations = 0;
    while check.max(middle) - check.min(middle) > epsilon {
        if check < middle {
            high = middle;
        } else {
            low = middle;
        }
        middle = safe_div(high.saturating_add(low), two);
        check = safe_div(x, middle);
        iterations += 1;
        if iterations > 128 {
            break;
        }
    }
    middle
}

pub(crate) fn isqrt_u128(v: u128) -> u64 {
    super::bigint::BigUint::from_u128(v)
        .nth_root_floor(2)
        .to_u64()
        .unwrap_or(u64::MAX)
}

struct Step {
    delta_in: u64,
    fee: u64,
    delta_out: u64,
    final_price: U64F64,
    crossing: bool,
    edge_tick: i32,
}

impl V3Pool {
    /// An uninitialised pool over the given reserves.
    pub fn new(tao_reserve: u64, alpha_reserve: u64) -> Self {
        V3Pool {
            tao_reserve,
            alpha_reserve,
            sqrt_price: fx(0),
            current_tick: 0,
            liquidity: 0,
            ticks: BTreeMap::new(),
            fee_global_tao: fx(0),
            fee_global_alpha: fx(0),
            positions: Vec::new(),
            fee_rate: super::swap::DEFAULT_FEE_RATE,
            lp_fee_split: Perquintill::ZERO,
            scrap_tao: 0,
            scrap_alpha: 0,
            initialized: false,
            zero_output_steps: false,
        }
    }

    /// `maybe_initialize_v3`: price `√(tao/alpha)`, one protocol position over all ticks with
    /// `L = isqrt(tao × alpha)`.
    pub fn initialize(&mut self) {
        if self.initialized {
            return;
        }
        let price = safe_div(fx(self.tao_reserve), fx(self.alpha_reserve));
        self.sqrt_price = sqrt_bisect(price, U64F64::from_num(0.000_000_000_001));
        self.current_tick = from_sqrt_price_bounded(self.sqrt_price);
        let l =
            isqrt_u128(u128::from(self.tao_reserve).saturating_mul(u128::from(self.alpha_reserve)));
        self.add_position(true, MIN_TICK, MAX_TICK, l);
        self.initialized = true;
    }

    /// Spot price `√P²`.
    pub fn price(&self) -> U64F64 {
        self.sqrt_price.saturating_mul(self.sqrt_price)
    }

    fn tick_active(&self, t: i32) -> bool {
        self.ticks.get(&t).is_some_and(|k| k.liquidity_gross > 0)
    }

    fn closest_higher(&self, from: i32) -> Option<i32> {
        self.ticks
            .range(from..)
            .find(|(_, k)| k.liquidity_gross > 0)
            .map(|(t, _)| *t)
    }

    fn closest_lower(&self, from: i32) -> Option<i32> {
        self.ticks
            .range(..=from)
            .rev()
            .find(|(_, k)| k.liquidity_gross > 0)
            .map(|(t, _)| *t)
    }

    fn edge_tick(&self, order: Order) -> i32 {
        let cur = self.current_tick;
        match order {
            Order::Buy => self
                .closest_higher((cur + 1).min(MAX_TICK))
                .unwrap_or(MAX_TICK),
            Order::Sell => {
                if self.tick_active(cur) && self.sqrt_price > to_sqrt_price_bounded(cur) {
                    self.closest_lower(cur).unwrap_or(MIN_TICK)
                } else {
                    self.closest_lower((cur - 1).max(MIN_TICK))
                        .unwrap_or(MIN_TICK)
                }
            }
        }
    }

    fn fee_for(&self, amount: u64, drop_fees: bool) -> u64 {
        if drop_fees {
            return 0;
        }
        let rate = safe_div(fx(u64::from(self.fee_rate)), fx(u64::from(u16::MAX)));
        fx(amount).saturating_mul(rate).saturating_to_num::<u64>()
    }

    fn closer(order: Order, a: U64F64, b: U64F64) -> bool {
        match order {
            Order::Buy => a <= b,
            Order::Sell => a >= b,
        }
    }

    fn delta_in(&self, order: Order, target: U64F64) -> u64 {
        let l = fx(self.liquidity);
        match order {
            Order::Buy => l
                .saturating_mul(target.saturating_sub(self.sqrt_price))
                .saturating_to_num::<u64>(),
            Order::Sell => l
                .saturating_mul(
                    safe_div(one(), target).saturating_sub(safe_div(one(), self.sqrt_price)),
                )
                .saturating_to_num::<u64>(),
        }
    }

    fn convert(&self, order: Order, delta_in: u64) -> u64 {
        if delta_in == 0 {
            return 0;
        }
        let l = fx(self.liquidity);
        let s = self.sqrt_price;
        let d = fx(delta_in);
        let r = match order {
            Order::Buy => {
                let a = l.saturating_mul(s).saturating_add(d).saturating_mul(s);
                safe_div(l, a).saturating_mul(d)
            }
            Order::Sell => {
                let denom = safe_div(l, s).saturating_add(d);
                d.saturating_mul(safe_div(l, denom).saturating_mul(s))
            }
        };
        r.saturating_to_num::<u64>()
    }

    fn step(
        &self,
        order: Order,
        amount: u64,
        limit_sqrt: U64F64,
        drop_fees: bool,
    ) -> Result<Step, ChainError> {
        let edge_tick = self.edge_tick(order);
        let edge = to_sqrt_price_bounded(edge_tick);
        let mut fee = self.fee_for(amount, drop_fees);
        let possible = amount.saturating_sub(fee);
        let l = fx(self.liquidity);
        let target = match order {
            Order::Buy if self.liquidity == 0 => fx(MAX_PRICE_RAO),
            Order::Sell if self.liquidity == 0 => fx(MIN_PRICE_RAO),
            Order::Buy => safe_div(fx(possible), l).saturating_add(self.sqrt_price),
            Order::Sell => safe_div(
                one(),
                safe_div(fx(possible), l).saturating_add(safe_div(one(), self.sqrt_price)),
            ),
        };
        let (final_price, delta_in, mut crossing, regross) =
            if Self::closer(order, target, limit_sqrt) && Self::closer(order, target, edge) {
                (target, possible, false, false)
            } else if Self::closer(order, limit_sqrt, target)
                && Self::closer(order, limit_sqrt, edge)
            {
                (limit_sqrt, self.delta_in(order, limit_sqrt), false, true)
            } else {
                (edge, self.delta_in(order, edge), true, true)
            };
        if regross {
            let r = if drop_fees {
                fx(0)
            } else {
                fx(u64::from(self.fee_rate))
            };
            fee = fx(delta_in)
                .saturating_mul(safe_div(r, fx(u64::from(u16::MAX)).saturating_sub(r)))
                .saturating_to_num::<u64>();
        }
        let natural = if Self::closer(order, limit_sqrt, target) {
            limit_sqrt
        } else {
            target
        };
        if natural == edge {
            crossing = order == Order::Buy;
        }
        let delta_out = self.convert(order, delta_in);
        if delta_in > 0 && delta_out == 0 && !self.zero_output_steps {
            return Err(ChainError::ReservesTooLow);
        }
        Ok(Step {
            delta_in,
            fee,
            delta_out,
            final_price,
            crossing,
            edge_tick,
        })
    }

    fn cross(&mut self, order: Order, edge_tick: i32) {
        let (gt, ga) = (self.fee_global_tao, self.fee_global_alpha);
        if let Some(t) = self.ticks.get_mut(&edge_tick) {
            // The pallet keeps a tick's outside growth as `I64F64` and subtracts it signed from
            // `I64F64(FeeGlobal)`; the bits are stored here as they are on chain.
            let flip = |g: U64F64, out: U64F64| {
                let v = I64F64::saturating_from_num(g)
                    .saturating_sub(I64F64::from_bits(out.to_bits() as i128));
                U64F64::from_bits(v.to_bits() as u128)
            };
            t.fees_out_tao = flip(gt, t.fees_out_tao);
            t.fees_out_alpha = flip(ga, t.fees_out_alpha);
        }
        let net = match order {
            Order::Buy => self.closest_higher((self.current_tick + 1).min(MAX_TICK)),
            Order::Sell => Some(self.edge_tick(Order::Sell)),
        }
        .and_then(|t| self.ticks.get(&t))
        .map(|t| t.liquidity_net);
        if let Some(net) = net {
            let abs = u64::try_from(net.unsigned_abs()).unwrap_or(u64::MAX);
            let add = (net >= 0) == (order == Order::Buy);
            self.liquidity = if add {
                self.liquidity.saturating_add(abs)
            } else {
                self.liquidity.saturating_sub(abs)
            };
        }
    }

    fn add_fee(&mut self, order: Order, fee: u64) {
        let lp = fx(self.lp_fee_split.deconstruct()).saturating_mul(fx(fee));
        let lp = safe_div(lp, fx(super::perquintill::ACCURACY)).saturating_to_num::<u64>();
        if lp == 0 || self.liquidity == 0 {
            return;
        }
        let per_l = safe_div(fx(lp), fx(self.liquidity));
        match order {
            Order::Buy => self.fee_global_tao = self.fee_global_tao.saturating_add(per_l),
            Order::Sell => self.fee_global_alpha = self.fee_global_alpha.saturating_add(per_l),
        }
    }

    /// A swap of `amount` (fee included) with limit price `limit` (TAO per alpha; the pallet
    /// compares sqrt prices, `√limit` by the safe-math bisection with ε = 10^-10). Mutates the
    /// pool's price, ticks and fee counters and moves the reserves as the staking code does (net
    /// input in, output out). Fees beyond the LP split go to the block author.
    pub fn swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        let result = self.swap_inner(order, amount, limit, drop_fees, consts)?;
        let reserve_out = match order {
            Order::Buy => self.alpha_reserve,
            Order::Sell => self.tao_reserve,
        };
        if result.amount_paid_out > reserve_out {
            return Err(ChainError::InsufficientLiquidity);
        }
        match order {
            Order::Buy => {
                self.tao_reserve = self.tao_reserve.saturating_add(result.amount_paid_in);
                self.alpha_reserve = self.alpha_reserve.saturating_sub(result.amount_paid_out);
            }
            Order::Sell => {
                self.alpha_reserve = self.alpha_reserve.saturating_add(result.amount_paid_in);
                self.tao_reserve = self.tao_reserve.saturating_sub(result.amount_paid_out);
            }
        }
        Ok(result)
    }

    /// What [`V3Pool::swap`] would give, on a copy (the chain's simulation: no reserve check).
    pub fn simulate(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        self.clone()
            .swap_inner(order, amount, limit, drop_fees, consts)
    }

    /// The chain's simulation applied to this pool's price and ticks (reserves untouched): for
    /// callers that work on a copy and want the price the swap leaves.
    pub fn simulate_in_place(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        self.swap_inner(order, amount, limit, drop_fees, consts)
    }

    fn swap_inner(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        let reserve_out = match order {
            Order::Buy => self.alpha_reserve,
            Order::Sell => self.tao_reserve,
        };
        if reserve_out < consts.minimum_reserve {
            return Err(ChainError::ReservesTooLow);
        }
        self.initialize();
        let limit_sqrt = sqrt_bisect(limit, U64F64::from_num(0.0000000001));
        let beyond = match order {
            Order::Buy => self.sqrt_price < limit_sqrt,
            Order::Sell => self.sqrt_price > limit_sqrt,
        };
        if !beyond {
            return Err(ChainError::PriceLimitExceeded);
        }
        let mut remaining = amount;
        let mut result = SwapResult::default();
        let mut iterations: u16 = 0;
        while remaining > 0 {
            let s = self.step(order, remaining, limit_sqrt, drop_fees)?;
            if s.delta_in > 0 {
                let lp_fee = u64::try_from(self.lp_fee_split.mul_round(u128::from(s.fee)))
                    .unwrap_or(u64::MAX);
                self.add_fee(order, s.fee);
                result.fee_to_block_author = result
                    .fee_to_block_author
                    .saturating_add(s.fee.saturating_sub(lp_fee));
            }
            if s.crossing {
                self.cross(order, s.edge_tick);
            }
            self.sqrt_price = s.final_price;
            self.current_tick = from_sqrt_price_bounded(s.final_price);
            let taken = s.delta_in.saturating_add(s.fee);
            result.amount_paid_in = result.amount_paid_in.saturating_add(s.delta_in);
            result.amount_paid_out = result.amount_paid_out.saturating_add(s.delta_out);
            result.fee_paid = result.fee_paid.saturating_add(s.fee);
            remaining = remaining.saturating_sub(taken);
            if !s.crossing || taken == 0 {
                remaining = 0;
            }
            iterations = iterations.saturating_add(1);
            if iterations > MAX_SWAP_ITERATIONS {
                return Err(ChainError::TooManySwapSteps);
            }
        }
        Ok(result)
    }

    fn update_tick(&mut self, t: i32, delta: i128, upper: bool) {
        let (cur, gt, ga) = (
            self.current_tick,
            self.fee_global_tao,
            self.fee_global_alpha,
        );
        let e = self.ticks.entry(t).or_insert_with(|| {
            // Fee growth "outside" starts as all growth so far for ticks at or below the price.
            if t <= cur {
                Tick {
                    fees_out_tao: gt,
                    fees_out_alpha: ga,
                    ..Tick::default()
                }
            } else {
                Tick::default()
            }
        });
        e.liquidity_net = if upper {
            e.liquidity_net.saturating_sub(delta)
        } else {
            e.liquidity_net.saturating_add(delta)
        };
        let g = i128::from(e.liquidity_gross).saturating_add(delta).max(0);
        e.liquidity_gross = u64::try_from(g).unwrap_or(u64::MAX);
        if e.liquidity_gross == 0 {
            self.ticks.remove(&t);
        }
    }

    /// TAO and alpha a position of liquidity `l` over `[low, high)` holds at the current price.
    pub fn position_amounts(&self, low: i32, high: i32, l: u64) -> (u64, u64) {
        let (sl, sh, s) = (
            to_sqrt_price_bounded(low),
            to_sqrt_price_bounded(high),
            self.sqrt_price,
        );
        let l = fx(l);
        let inv = |x: U64F64| safe_div(one(), x);
        if s < sl {
            (
                0,
                l.saturating_mul(inv(sl).saturating_sub(inv(sh)))
                    .saturating_to_num(),
            )
        } else if s >= sh {
            (
                l.saturating_mul(sh.saturating_sub(sl)).saturating_to_num(),
                0,
            )
        } else {
            (
                l.saturating_mul(s.saturating_sub(sl)).saturating_to_num(),
                l.saturating_mul(inv(s).saturating_sub(inv(sh)))
                    .saturating_to_num(),
            )
        }
    }

    /// Add a position; returns its id and the (TAO, alpha) it takes.
    pub fn add_position(&mut self, protocol: bool, low: i32, high: i32, l: u64) -> (u64, u64, u64) {
        let low = low.clamp(MIN_TICK, MAX_TICK);
        let high = high.clamp(MIN_TICK, MAX_TICK);
        self.update_tick(low, i128::from(l), false);
        self.update_tick(high, i128::from(l), true);
        if (low..high).contains(&self.current_tick) {
            self.liquidity = self.liquidity.saturating_add(l);
        }
        let (ft, fa) = self.fees_inside(low, high);
        let id = self.positions.iter().map(|p| p.id + 1).max().unwrap_or(0);
        self.positions.push(Position {
            id,
            protocol,
            tick_low: low,
            tick_high: high,
            liquidity: l,
            fees_tao: ft,
            fees_alpha: fa,
        });
        let (t, a) = self.position_amounts(low, high, l);
        (id, t, a)
    }

    /// Fee growth inside `[low, high)` (Uniswap's `below`/`above` decomposition).
    pub fn fees_inside(&self, low: i32, high: i32) -> (U64F64, U64F64) {
        let cur = self.current_tick;
        let side = |t: i32, above: bool| -> (U64F64, U64F64) {
            let k = self.ticks.get(&t).copied().unwrap_or_default();
            let inside_below = t <= cur;
            match (above, inside_below) {
                (false, true) | (true, false) => (k.fees_out_tao, k.fees_out_alpha),
                _ => (
                    self.fee_global_tao.saturating_sub(k.fees_out_tao),
                    self.fee_global_alpha.saturating_sub(k.fees_out_alpha),
                ),
            }
        };
        let (bt, ba) = side(low, false);
        let (at, aa) = side(high, true);
        (
            self.fee_global_tao.saturating_sub(bt).saturating_sub(at),
            self.fee_global_alpha.saturating_sub(ba).saturating_sub(aa),
        )
    }

    /// Fees a position has earned since its last settlement, `(tao, alpha)`, and settle them.
    pub fn collect_fees(&mut self, id: u64) -> (u64, u64) {
        let Some(idx) = self.positions.iter().position(|p| p.id == id) else {
            return (0, 0);
        };
        let Some(p) = self.positions.get(idx).copied() else {
            return (0, 0);
        };
        let (ft, fa) = self.fees_inside(p.tick_low, p.tick_high);
        let l = fx(p.liquidity);
        let tao = l
            .saturating_mul(ft.saturating_sub(p.fees_tao))
            .saturating_to_num::<u64>();
        let alpha = l
            .saturating_mul(fa.saturating_sub(p.fees_alpha))
            .saturating_to_num::<u64>();
        if let Some(pm) = self.positions.get_mut(idx) {
            pm.fees_tao = ft;
            pm.fees_alpha = fa;
        }
        (tao, alpha)
    }

    /// Remove a position: `(tao, alpha, fee_tao, fee_alpha)` returned to its owner.
    pub fn remove_position(&mut self, id: u64) -> Option<(u64, u64, u64, u64)> {
        let (ft, fa) = self.collect_fees(id);
        let idx = self.positions.iter().position(|p| p.id == id)?;
        let p = self.positions.remove(idx);
        let (t, a) = self.position_amounts(p.tick_low, p.tick_high, p.liquidity);
        self.update_tick(p.tick_low, -i128::from(p.liquidity), false);
        self.update_tick(p.tick_high, -i128::from(p.liquidity), true);
        if (p.tick_low..p.tick_high).contains(&self.current_tick) {
            self.liquidity = self.liquidity.saturating_sub(p.liquidity);
        }
        Some((t, a, ft, fa))
    }

    /// Protocol injection (`adjust_protocol_liquidity`): the deposit plus scrap is trimmed to the
    /// current price ratio, the remainder kept as scrap, and the protocol position's liquidity
    /// grows to `isqrt((tao_pos + Δtao) × (alpha_pos + Δalpha))`. Returns what entered the pool.
    pub fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        self.initialize();
        let total_tao = tao.saturating_add(self.scrap_tao);
        let total_alpha = alpha.saturating_add(self.scrap_alpha);
        let price = self.price();
        let tao_for_alpha = fx(total_alpha)
            .saturating_mul(price)
            .saturating_to_num::<u64>();
        let (used_tao, used_alpha) = if tao_for_alpha >= total_tao {
            (
                total_tao,
                safe_div(fx(total_tao), price)
                    .saturating_to_num::<u64>()
                    .min(total_alpha),
            )
        } else {
            (tao_for_alpha, total_alpha)
        };
        self.scrap_tao = total_tao.saturating_sub(used_tao);
        self.scrap_alpha = total_alpha.saturating_sub(used_alpha);
        let Some(p) = self.positions.iter().find(|p| p.protocol).copied() else {
            return (0, 0);
        };
        let (pt, pa) = self.position_amounts(p.tick_low, p.tick_high, p.liquidity);
        let new_l = isqrt_u128(
            u128::from(pt.saturating_add(used_tao))
                .saturating_mul(u128::from(pa.saturating_add(used_alpha))),
        );
        let delta = new_l.saturating_sub(p.liquidity);
        if delta > 0 {
            self.update_tick(p.tick_low, i128::from(delta), false);
            self.update_tick(p.tick_high, i128::from(delta), true);
            self.liquidity = self.liquidity.saturating_add(delta);
            if let Some(pm) = self.positions.iter_mut().find(|q| q.protocol) {
                pm.liquidity = new_l;
            }
        }
        self.tao_reserve = self.tao_reserve.saturating_add(used_tao);
        self.alpha_reserve = self.alpha_reserve.saturating_add(used_alpha);
        (used_tao, used_alpha)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn full_range_is_constant_product() {
        let mut p = V3Pool::new(1_000_000_000_000, 1_000_000_000_000);
        p.initialize();
        assert_eq!(p.liquidity, 1_000_000_000_000);
        let consts = SwapConstants::default();
        let r = p
            .swap(
                Order::Buy,
                1_000_000_000,
                U64F64::from_num(1000),
                false,
                &consts,
            )
            .unwrap();
        let net = 1_000_000_000 - r.fee_paid;
        let cp =
            1_000_000_000_000u128 * u128::from(net) / (1_000_000_000_000u128 + u128::from(net));
        assert!(
            (i128::from(r.amount_paid_out) - cp as i128).abs() <= 2,
            "{} vs {cp}",
            r.amount_paid_out
        );
        assert!(p.price() > fx(1));
    }

    #[test]
    fn crossing_a_user_position_and_its_fees() {
        let consts = SwapConstants::default();
        let mut p = V3Pool::new(1_000_000_000_000, 1_000_000_000_000);
        p.lp_fee_split = Perquintill::from_rational(1, 2);
        p.initialize();
        let base = p.liquidity;
        let (id, tao, alpha) = p.add_position(
            false,
            p.current_tick - 100,
            p.current_tick + 100,
            50_000_000_000_000,
        );
        assert!(tao > 0 && alpha > 0);
        assert_eq!(p.liquidity, base + 50_000_000_000_000);
        // A buy large enough to leave the user's range: liquidity falls back to the protocol's.
        let r = p
            .swap(
                Order::Buy,
                1_000_000_000_000,
                U64F64::from_num(1000),
                false,
                &consts,
            )
            .unwrap();
        assert!(p.current_tick > 100, "tick {}", p.current_tick);
        assert_eq!(p.liquidity, base);
        assert!(
            r.fee_to_block_author < r.fee_paid,
            "half the fee stays with LPs"
        );
        let (ft, fa) = p.collect_fees(id);
        assert!(ft > 0 && fa == 0, "a buy pays TAO fees: {ft} {fa}");
        let (t2, a2, _, _) = p.remove_position(id).unwrap();
        assert_eq!(a2, 0, "above the range a position holds TAO only");
        assert!(t2 > tao);
    }
}
