//! Pool eras behind one interface, and which era applies at a date, block or runtime version
//! (spec §17).
//!
//! | era | merged to main | swap |
//! | --- | --- | --- |
//! | [`PoolEra::ConstantProduct`] | 2025-02-13 | `k = x·y` in I110F18, flat 50 000 rao fee kept in the pool |
//! | [`PoolEra::UniswapV3`] | 2025-06-30 | concentrated liquidity, fee to the block author |
//! | [`PoolEra::Balancer`] | 2026-02-20 → reverted 2026-02-24; again from 2026-06-25 | weighted pool (§11) |
//! | [`PoolEra::Superellipse`] | not shown live up to spec 473 | translated ellipse (`pool-after-425.md` §3) |
//!
//! The superellipse is never chosen by date: a caller selects it only when the runtime metadata
//! has `Swap.SwapSuperellipse` (spec `pool-after-425.md` §1.3, §7.1).
//!
//! Dates are when the change was merged to `main`, a proxy for mainnet deployment. Block numbers
//! and runtime spec versions of the upgrades are chain facts this crate does not guess: a
//! simulator builds an [`EraSchedule`] from the chain's upgrade history (or its own scenario) and
//! asks it by block or spec version.

use super::balancer::fx;
use super::cp::ConstantProductPool;
use super::error::ChainError;
use super::superellipse::SuperellipsePool;
use super::swap::{BalancerPool, Order, SwapConstants, SwapResult};
use super::v3::V3Pool;
use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::U64F64;

/// Which pool rules apply.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum PoolEra {
    /// dTAO launch: constant product with a flat fee.
    ConstantProduct,
    /// Uniswap-v3 concentrated liquidity.
    UniswapV3,
    /// Weighted balancer (current).
    Balancer,
    /// Superellipse AMM (only where the metadata has `Swap.SwapSuperellipse`).
    Superellipse,
}

/// Unix timestamps (UTC midnight) of the era changes in spec §17, in order.
const ERA_DATES: [(i64, Option<PoolEra>); 5] = [
    (1_739_404_800, Some(PoolEra::ConstantProduct)), // 2025-02-13
    (1_751_241_600, Some(PoolEra::UniswapV3)),       // 2025-06-30
    (1_771_545_600, Some(PoolEra::Balancer)),        // 2026-02-20
    (1_771_891_200, Some(PoolEra::UniswapV3)),       // 2026-02-24
    (1_782_345_600, Some(PoolEra::Balancer)),        // 2026-06-25
];

impl PoolEra {
    /// The era in force at a Unix time by the merge dates of §17; `UNKNOWN_ERA` before dTAO
    /// (there was no pool: stake was TAO).
    pub fn at_unix_time(secs: i64) -> Result<PoolEra> {
        ERA_DATES
            .iter()
            .rev()
            .find(|(t, _)| secs >= *t)
            .and_then(|(_, e)| *e)
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::UnknownEra,
                    "time",
                    "before dTAO (2025-02-13) there were no subnet pools",
                )
            })
    }

    /// Stable name (`"constant-product"`, `"uniswap-v3"`, `"balancer"`, `"superellipse"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PoolEra::ConstantProduct => "constant-product",
            PoolEra::UniswapV3 => "uniswap-v3",
            PoolEra::Balancer => "balancer",
            PoolEra::Superellipse => "superellipse",
        }
    }

    /// Parse [`PoolEra::as_str`].
    pub fn parse(s: &str) -> Result<PoolEra> {
        match s {
            "constant-product" => Ok(PoolEra::ConstantProduct),
            "uniswap-v3" => Ok(PoolEra::UniswapV3),
            "balancer" => Ok(PoolEra::Balancer),
            "superellipse" => Ok(PoolEra::Superellipse),
            other => Err(Error::field(
                ErrorCode::UnknownEra,
                "era",
                format!("unknown pool era {other:?}"),
            )),
        }
    }
}

/// One change of rules: from `block` (and runtime `spec_version`) on, `era` applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EraBoundary {
    /// First block of the era.
    pub block: u64,
    /// Runtime spec version that introduced it.
    pub spec_version: u32,
    /// The era.
    pub era: PoolEra,
}

/// Era lookup by block or runtime version, built from upgrade history the caller supplies.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EraSchedule {
    boundaries: Vec<EraBoundary>,
}

impl EraSchedule {
    /// A schedule from boundaries (sorted by block here; spec versions must rise with blocks).
    pub fn new(mut boundaries: Vec<EraBoundary>) -> Result<Self> {
        boundaries.sort_by_key(|b| b.block);
        if boundaries
            .windows(2)
            .any(|w| matches!(w, [a, b] if b.spec_version < a.spec_version))
        {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "schedule",
                "spec versions must not decrease with block numbers",
            ));
        }
        Ok(EraSchedule { boundaries })
    }

    /// Era at a block; `UNKNOWN_ERA` before the first boundary.
    pub fn at_block(&self, block: u64) -> Result<PoolEra> {
        self.boundaries
            .iter()
            .rev()
            .find(|b| block >= b.block)
            .map(|b| b.era)
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::UnknownEra,
                    "block",
                    format!("no pool era at block {block}"),
                )
            })
    }

    /// Era under a runtime spec version; `UNKNOWN_ERA` before the first boundary.
    pub fn at_spec_version(&self, spec_version: u32) -> Result<PoolEra> {
        self.boundaries
            .iter()
            .rev()
            .find(|b| spec_version >= b.spec_version)
            .map(|b| b.era)
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::UnknownEra,
                    "specVersion",
                    format!("no pool era for runtime {spec_version}"),
                )
            })
    }
}

/// What every pool era offers a simulator: price, reserves, a pure quote and an executed swap.
pub trait PoolModel {
    /// The era's rules.
    fn era(&self) -> PoolEra;
    /// Spot price (TAO per alpha).
    fn price(&self) -> U64F64;
    /// `(SubnetTAO, SubnetAlphaIn)`.
    fn reserves(&self) -> (u64, u64);
    /// What a swap would give and the spot price it would leave, without changing the pool.
    fn quote_with_price(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<(SwapResult, U64F64), ChainError>;
    /// What a swap would give, without changing the pool.
    fn quote(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<SwapResult, ChainError> {
        self.quote_with_price(order, amount, limit, drop_fees, consts)
            .map(|(r, _)| r)
    }
    /// Execute a swap and move the reserves as the chain does in that era.
    fn swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<SwapResult, ChainError>;
    /// Protocol liquidity injection; returns what entered the pool `(tao, alpha)`.
    fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64);
}

impl PoolModel for BalancerPool {
    fn era(&self) -> PoolEra {
        PoolEra::Balancer
    }
    fn price(&self) -> U64F64 {
        BalancerPool::price(self)
    }
    fn reserves(&self) -> (u64, u64) {
        (self.tao_reserve, self.alpha_reserve)
    }
    fn quote_with_price(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<(SwapResult, U64F64), ChainError> {
        let r = self.quote_swap(order, amount, limit, drop_fees, true, consts)?;
        let mut after = *self;
        after.apply(order, &r);
        Ok((r, after.price()))
    }
    fn swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<SwapResult, ChainError> {
        self.execute(order, amount, limit, drop_fees, true, consts)
            .map(|e| e.result)
    }
    fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        if self
            .weights
            .update_for_added_liquidity(self.tao_reserve, self.alpha_reserve, tao, alpha)
        {
            self.tao_reserve = self.tao_reserve.saturating_add(tao);
            self.alpha_reserve = self.alpha_reserve.saturating_add(alpha);
            (tao, alpha)
        } else {
            (0, 0)
        }
    }
}

impl PoolModel for V3Pool {
    fn era(&self) -> PoolEra {
        PoolEra::UniswapV3
    }
    fn price(&self) -> U64F64 {
        if self.initialized {
            V3Pool::price(self)
        } else {
            super::balancer::safe_div(fx(self.tao_reserve), fx(self.alpha_reserve))
        }
    }
    fn reserves(&self) -> (u64, u64) {
        (self.tao_reserve, self.alpha_reserve)
    }
    fn quote_with_price(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<(SwapResult, U64F64), ChainError> {
        let mut c = self.clone();
        let r = c.simulate_in_place(order, amount, limit, drop_fees, consts)?;
        Ok((r, V3Pool::price(&c)))
    }
    fn swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<SwapResult, ChainError> {
        V3Pool::swap(self, order, amount, limit, drop_fees, consts)
    }
    fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        V3Pool::inject(self, tao, alpha)
    }
}

impl PoolModel for ConstantProductPool {
    fn era(&self) -> PoolEra {
        PoolEra::ConstantProduct
    }
    fn price(&self) -> U64F64 {
        ConstantProductPool::price(self)
    }
    fn reserves(&self) -> (u64, u64) {
        (self.tao_reserve, self.alpha_reserve)
    }
    /// The launch pool had no limit orders: a limit only rejects orders whose limit is already
    /// on the wrong side and caps the input at the closed-form amount that reaches it. `drop_fees`
    /// waives the flat fee.
    fn quote_with_price(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> core::result::Result<(SwapResult, U64F64), ChainError> {
        let mut c = *self;
        let r = PoolModel::swap(&mut c, order, amount, limit, drop_fees, consts)?;
        Ok((r, ConstantProductPool::price(&c)))
    }
    fn swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        _consts: &SwapConstants,
    ) -> core::result::Result<SwapResult, ChainError> {
        let p = ConstantProductPool::price(self);
        let beyond = match order {
            Order::Buy => p < limit,
            Order::Sell => p > limit,
        };
        if !beyond {
            return Err(ChainError::PriceLimitExceeded);
        }
        let fee = if drop_fees { 0 } else { self.flat_fee };
        let cap = self.max_input_to_price(order, limit)?;
        let r = match order {
            Order::Buy => {
                let amount = amount.min(cap.saturating_add(fee));
                self.stake(amount, fee)
            }
            Order::Sell => self.unstake(amount.min(cap), fee),
        };
        if r.amount_out == 0 && r.amount_in > 0 {
            return Err(ChainError::ReservesTooLow);
        }
        Ok(SwapResult {
            amount_paid_in: r.amount_in,
            amount_paid_out: r.amount_out,
            fee_paid: r.fee,
            fee_to_block_author: 0,
        })
    }
    fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        self.tao_reserve = self.tao_reserve.saturating_add(tao);
        self.alpha_reserve = self.alpha_reserve.saturating_add(alpha);
        (tao, alpha)
    }
}

/// A pool of any era (for simulators that switch eras over time).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AnyPool {
    /// dTAO launch.
    ConstantProduct(ConstantProductPool),
    /// v3 era.
    UniswapV3(Box<V3Pool>),
    /// Current.
    Balancer(BalancerPool),
    /// The next era (selected only when asked for).
    Superellipse(SuperellipsePool),
}

impl AnyPool {
    /// A fresh pool of `era` over the given reserves (weights 0.5 / full-range protocol position).
    pub fn new(era: PoolEra, tao_reserve: u64, alpha_reserve: u64) -> Self {
        match era {
            PoolEra::ConstantProduct => {
                AnyPool::ConstantProduct(ConstantProductPool::new(tao_reserve, alpha_reserve))
            }
            PoolEra::UniswapV3 => {
                AnyPool::UniswapV3(Box::new(V3Pool::new(tao_reserve, alpha_reserve)))
            }
            PoolEra::Balancer => AnyPool::Balancer(BalancerPool::new(tao_reserve, alpha_reserve)),
            PoolEra::Superellipse => {
                AnyPool::Superellipse(SuperellipsePool::new(tao_reserve, alpha_reserve))
            }
        }
    }

    /// Carry the reserves into another era's rules, as the chain's migrations did. Into the
    /// balancer the weights are set so the price is kept (`maybe_initialize_palswap` with the
    /// old price); into v3 the pool re-initialises from the reserves.
    pub fn migrate(&self, era: PoolEra) -> core::result::Result<AnyPool, ChainError> {
        let (tao, alpha) = self.model().reserves();
        Ok(match era {
            PoolEra::Balancer => {
                let mut b = BalancerPool::new(tao, alpha);
                if !matches!(self, AnyPool::Balancer(_)) {
                    b.weights =
                        super::balancer::Balancer::for_price(tao, alpha, self.model().price())
                            .ok_or(ChainError::ReservesOutOfBalance)?;
                } else if let AnyPool::Balancer(old) = self {
                    b = *old;
                }
                AnyPool::Balancer(b)
            }
            PoolEra::Superellipse => {
                if let AnyPool::Superellipse(p) = self {
                    return Ok(AnyPool::Superellipse(p.clone()));
                }
                let AnyPool::Balancer(b) = self.migrate(PoolEra::Balancer)? else {
                    return Err(ChainError::ReservesOutOfBalance);
                };
                // migrate_balancer_to_superellipse: the archived weight anchors the curve; a pool
                // with an empty side stays uninitialised until funded.
                let mut p = SuperellipsePool::new(tao, alpha);
                p.swap_balancer = Some(b.weights.quote_weight());
                p.pal_swap_initialized = true;
                p.fee_rate = b.fee_rate;
                if tao > 0 && alpha > 0 {
                    p.maybe_initialize(None)?;
                }
                AnyPool::Superellipse(p)
            }
            other => AnyPool::new(other, tao, alpha),
        })
    }

    /// The pool as a [`PoolModel`].
    pub fn model(&self) -> &dyn PoolModel {
        match self {
            AnyPool::ConstantProduct(p) => p,
            AnyPool::UniswapV3(p) => p.as_ref(),
            AnyPool::Balancer(p) => p,
            AnyPool::Superellipse(p) => p,
        }
    }

    /// The pool as a mutable [`PoolModel`].
    pub fn model_mut(&mut self) -> &mut dyn PoolModel {
        match self {
            AnyPool::ConstantProduct(p) => p,
            AnyPool::UniswapV3(p) => p.as_mut(),
            AnyPool::Balancer(p) => p,
            AnyPool::Superellipse(p) => p,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "era_tests.rs"]
mod tests;
