//! What the coinbase needs from a subnet's swap pool, as a trait, plus a built-in implementation.
//!
//! The real pools live in `crate::pool` (weighted balancer, Uniswap-v3, constant product). The
//! coinbase only needs: the spot price, fee-free TAO→alpha / alpha→TAO swaps without a price
//! limit (chain buys, root claims), and the liquidity-injection weight update. [`SubnetPool`]
//! captures exactly that, so any pool era can drive the emission pipeline.
//!
//! [`BalancerPool`] is the built-in implementation: the current weighted balancer for one subnet,
//! plus the stable mechanism (root / mechanism 0: 1 alpha = 1 TAO). Its curve, swap step and
//! weight update are the exact ones of [`crate::pool`] (`pallets/swap/src/pallet/{balancer,
//! swap_step,impls}.rs`, subtensor @ 14bc6f9; spec `emission-and-pools.md` §11): bit-exact for any
//! weights, not only 0.5/0.5. [`crate::pool::BalancerPool`] itself also implements [`SubnetPool`]
//! (always dynamic, runtime `MinimumReserve` of 10^6).
//!
//! Swaps report the pool layer's [`SwapResult`] and fail with its [`ChainError`] (the weighted
//! pool only ever returns `SwapInputTooLarge`, `ReservesTooLow`, `PriceLimitExceeded` and
//! `InsufficientLiquidity`); limit prices and the Perquintill scale are the pool layer's constants.
//!
//! Why [`BalancerPool`] is not [`crate::pool::BalancerPool`]: it is the subnet's *stored* pool
//! record, not a second pool model (all of its math is the pool layer's). It keeps what the swap
//! pallet's pool has no place for: `SubnetMechanism` (stable subnets are 1:1 here), the
//! `MinimumReserve` of the runtime or mock that built the state, and the stored quote weight as raw
//! Perquintill parts, so a state round-trips unchanged even where the stored weight is one the
//! balancer would read as 0.5/0.5. Its serialized shape (`mechanism`, `tao`, `alpha`,
//! `quote_weight`, `fee_rate`, `minimum_reserve`, `reservoirs`) is what emission states, captures
//! and the app hold. [`SubnetPool`] and [`crate::pool::PoolModel`] differ in what they offer:
//! `PoolModel` quotes and swaps every pool era against a limit price for the simulator;
//! `SubnetPool` is the coinbase's view (no limit, the stable mechanism, protocol injection and
//! reservoirs).

use crate::pool::balancer::Balancer;
use crate::pool::perquintill::{Perquintill, ACCURACY};
use crate::pool::reservoir::Reservoirs;
use crate::pool::swap::{
    limit_from_rao, Order, SwapConstants, SwapResult, MAX_PRICE_RAO, MIN_PRICE_RAO,
};
use crate::pool::{ChainError, SwapGuards};
use substrate_fixed::types::U64F64;

/// The pool operations the emission pipeline needs. Reserves live in the pool.
pub trait SubnetPool {
    /// TAO reserve (`SubnetTAO`).
    fn tao_reserve(&self) -> u64;
    /// Alpha reserve (`SubnetAlphaIn`).
    fn alpha_reserve(&self) -> u64;
    /// Spot price in TAO per alpha (`current_alpha_price`, U64F64). 1 for stable pools.
    fn price(&self) -> U64F64;
    /// Whether this is a stable (root / mechanism-0) pool: 1:1, no fee, no price impact.
    fn is_stable(&self) -> bool;
    /// Buy alpha with `tao` at no price limit; reserves are updated (TAO in, alpha out).
    fn swap_tao_for_alpha(&mut self, tao: u64, drop_fees: bool) -> Result<SwapResult, ChainError>;
    /// Sell `alpha` for TAO at no price limit; reserves are updated (alpha in, TAO out).
    fn swap_alpha_for_tao(&mut self, alpha: u64, drop_fees: bool)
        -> Result<SwapResult, ChainError>;
    /// [`SubnetPool::swap_tao_for_alpha`] under a runtime's balancer swap (`guards`); pools
    /// without a balancer swap ignore `guards`.
    fn swap_tao_for_alpha_with(
        &mut self,
        tao: u64,
        drop_fees: bool,
        guards: SwapGuards,
    ) -> Result<SwapResult, ChainError> {
        let _ = guards;
        self.swap_tao_for_alpha(tao, drop_fees)
    }
    /// Prepare a protocol deposit of `(tao, alpha)`: update whatever pool state keeps the price
    /// (balancer weights) and return `false` when the pool refuses it. Reserves are not changed.
    fn prepare_injection(&mut self, tao: u64, alpha: u64) -> bool;
    /// Add `tao` / `alpha` to the reserves (after [`SubnetPool::prepare_injection`] accepted them).
    fn deposit(&mut self, tao: u64, alpha: u64);
    /// The balancer reservoirs (spec `pool-after-425.md` §2.1); empty for pools without them.
    fn reservoirs(&self) -> Reservoirs {
        Reservoirs::default()
    }
    /// `adjust_protocol_liquidity` of the reservoir era (§2.2): decide what of the reservoirs
    /// plus `(tao, alpha)` becomes price-active, update the weights and reservoirs, and return
    /// the price-active `(tao, alpha)`. Reserves are not changed. Without reservoirs: all of it
    /// when [`SubnetPool::prepare_injection`] accepts, else nothing.
    fn adjust_protocol_liquidity(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        if self.prepare_injection(tao, alpha) {
            (tao, alpha)
        } else {
            (0, 0)
        }
    }
    /// Empty the reservoirs into the reserves (first step of `clear_protocol_liquidity`, §2.5);
    /// returns what was folded in.
    fn materialize_reservoirs(&mut self) -> Reservoirs {
        Reservoirs::default()
    }
}

/// The built-in pool: a weighted balancer (dynamic subnets) or the stable 1:1 mechanism.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BalancerPool {
    /// `SubnetMechanism`: 0 = stable, 1 = dynamic (balancer).
    pub mechanism: u16,
    /// TAO reserve, rao.
    pub tao: u64,
    /// Alpha reserve, alpha-rao.
    pub alpha: u64,
    /// Quote (TAO) weight in Perquintill parts (10^18 = 1). Default 0.5.
    pub quote_weight: u64,
    /// `FeeRate` (u16, fee = rate / 65535 of the input).
    pub fee_rate: u16,
    /// `MinimumReserve` of the output side.
    pub minimum_reserve: u64,
    /// `BalancerTaoReservoir` / `BalancerAlphaReservoir` (reservoir era only).
    #[serde(default)]
    pub reservoirs: Reservoirs,
}

impl BalancerPool {
    /// A dynamic pool with weights 0.5/0.5, the mock's fee rate 33 and minimum reserve 100.
    pub fn dynamic(tao: u64, alpha: u64) -> Self {
        BalancerPool {
            mechanism: 1,
            tao,
            alpha,
            quote_weight: ACCURACY / 2,
            fee_rate: 33,
            minimum_reserve: 100,
            reservoirs: Reservoirs::default(),
        }
    }

    /// A stable (mechanism 0) pool.
    pub fn stable(tao: u64, alpha: u64) -> Self {
        BalancerPool {
            mechanism: 0,
            ..Self::dynamic(tao, alpha)
        }
    }

    /// The balancer weights; a stored quote weight outside `[0.01, 0.99]` (which the chain never
    /// stores) reads as 0.5/0.5.
    pub fn weights(&self) -> Balancer {
        Balancer::new(Perquintill::from_parts(self.quote_weight)).unwrap_or_default()
    }

    /// The same pool as a [`crate::pool::BalancerPool`] (reserves, weights, fee rate).
    pub fn chain_pool(&self) -> crate::pool::BalancerPool {
        crate::pool::BalancerPool {
            tao_reserve: self.tao,
            alpha_reserve: self.alpha,
            weights: self.weights(),
            fee_rate: self.fee_rate,
            reservoirs: self.reservoirs,
        }
    }

    fn consts(&self) -> SwapConstants {
        SwapConstants {
            minimum_reserve: self.minimum_reserve,
            ..SwapConstants::default()
        }
    }

    /// `Balancer::calculate_price(x, y)`: `(w1/w2) * (y/x)`, each factor a U64F64 division.
    pub fn price_at(&self, alpha: u64, tao: u64) -> U64F64 {
        self.weights().price(alpha, tao)
    }

    /// Alpha out for a net TAO input (the buy step's `convert_deltas`).
    pub fn alpha_out_for(&self, tao_in: u64) -> u64 {
        if tao_in == 0 {
            return 0;
        }
        self.weights()
            .alpha_out_for_tao_in(self.tao, self.alpha, tao_in)
    }

    /// TAO out for a net alpha input (the sell step's `convert_deltas`).
    pub fn tao_out_for(&self, alpha_in: u64) -> u64 {
        if alpha_in == 0 {
            return 0;
        }
        self.weights()
            .tao_out_for_alpha_in(self.tao, self.alpha, alpha_in)
    }

    /// `do_swap` at the default limit price (fee-inclusive `amount`), reserves updated as the
    /// staking code does: the net input enters, the output leaves.
    fn swap_dynamic(
        &mut self,
        order: Order,
        amount: u64,
        drop_fees: bool,
        guards: SwapGuards,
    ) -> Result<SwapResult, ChainError> {
        let limit = match order {
            Order::Buy => limit_from_rao(MAX_PRICE_RAO),
            Order::Sell => limit_from_rao(MIN_PRICE_RAO),
        };
        let mut pool = self.chain_pool();
        let r = pool.quote_swap_with(
            order,
            amount,
            limit,
            drop_fees,
            false,
            &self.consts(),
            guards,
        )?;
        pool.apply(order, &r);
        self.tao = pool.tao_reserve;
        self.alpha = pool.alpha_reserve;
        Ok(r)
    }
}

impl SubnetPool for BalancerPool {
    fn tao_reserve(&self) -> u64 {
        self.tao
    }

    fn alpha_reserve(&self) -> u64 {
        self.alpha
    }

    fn price(&self) -> U64F64 {
        if self.is_stable() {
            return U64F64::from_num(1);
        }
        self.price_at(self.alpha, self.tao)
    }

    fn is_stable(&self) -> bool {
        self.mechanism != 1
    }

    fn swap_tao_for_alpha(&mut self, tao: u64, drop_fees: bool) -> Result<SwapResult, ChainError> {
        self.swap_tao_for_alpha_with(tao, drop_fees, SwapGuards::On)
    }

    fn swap_tao_for_alpha_with(
        &mut self,
        tao: u64,
        drop_fees: bool,
        guards: SwapGuards,
    ) -> Result<SwapResult, ChainError> {
        if self.is_stable() {
            // Stable mechanism: 1:1; the chain's reserve decrease saturates at zero.
            self.tao = self.tao.saturating_add(tao);
            self.alpha = self.alpha.saturating_sub(tao);
            return Ok(SwapResult {
                amount_paid_in: tao,
                amount_paid_out: tao,
                fee_paid: 0,
                fee_to_block_author: 0,
            });
        }
        self.swap_dynamic(Order::Buy, tao, drop_fees, guards)
    }

    fn swap_alpha_for_tao(
        &mut self,
        alpha: u64,
        drop_fees: bool,
    ) -> Result<SwapResult, ChainError> {
        if self.is_stable() {
            self.alpha = self.alpha.saturating_add(alpha);
            self.tao = self.tao.saturating_sub(alpha);
            return Ok(SwapResult {
                amount_paid_in: alpha,
                amount_paid_out: alpha,
                fee_paid: 0,
                fee_to_block_author: 0,
            });
        }
        self.swap_dynamic(Order::Sell, alpha, drop_fees, SwapGuards::On)
    }

    fn prepare_injection(&mut self, tao: u64, alpha: u64) -> bool {
        if self.is_stable() {
            return true;
        }
        // `update_weights_for_added_liquidity` (§11.6).
        let mut w = self.weights();
        if !w.update_for_added_liquidity(self.tao, self.alpha, tao, alpha) {
            return false;
        }
        self.quote_weight = w.quote_weight().deconstruct();
        true
    }

    fn deposit(&mut self, tao: u64, alpha: u64) {
        self.tao = self.tao.saturating_add(tao);
        self.alpha = self.alpha.saturating_add(alpha);
    }

    fn reservoirs(&self) -> Reservoirs {
        self.reservoirs
    }

    /// As the swap pallet at `63369449`: no mechanism check, so a stable subnet's stored
    /// weights and reservoirs take part too (they do not affect its 1:1 price).
    fn adjust_protocol_liquidity(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        let mut w = self.weights();
        let r = crate::pool::reservoir::adjust_protocol_liquidity(
            &mut w,
            &mut self.reservoirs,
            self.tao,
            self.alpha,
            tao,
            alpha,
        );
        self.quote_weight = w.quote_weight().deconstruct();
        r
    }

    fn materialize_reservoirs(&mut self) -> Reservoirs {
        let r = self.reservoirs.take();
        self.deposit(r.tao, r.alpha);
        r
    }
}

/// The swap pallet's pool used directly: always a dynamic pool, runtime swap constants.
impl SubnetPool for crate::pool::BalancerPool {
    fn tao_reserve(&self) -> u64 {
        self.tao_reserve
    }

    fn alpha_reserve(&self) -> u64 {
        self.alpha_reserve
    }

    fn price(&self) -> U64F64 {
        crate::pool::BalancerPool::price(self)
    }

    fn is_stable(&self) -> bool {
        false
    }

    fn swap_tao_for_alpha(&mut self, tao: u64, drop_fees: bool) -> Result<SwapResult, ChainError> {
        self.swap_tao_for_alpha_with(tao, drop_fees, SwapGuards::On)
    }

    fn swap_tao_for_alpha_with(
        &mut self,
        tao: u64,
        drop_fees: bool,
        guards: SwapGuards,
    ) -> Result<SwapResult, ChainError> {
        as_emission_pool(self).and_then(|mut p| {
            let r = p.swap_tao_for_alpha_with(tao, drop_fees, guards)?;
            self.tao_reserve = p.tao;
            self.alpha_reserve = p.alpha;
            Ok(r)
        })
    }

    fn swap_alpha_for_tao(
        &mut self,
        alpha: u64,
        drop_fees: bool,
    ) -> Result<SwapResult, ChainError> {
        as_emission_pool(self).and_then(|mut p| {
            let r = p.swap_alpha_for_tao(alpha, drop_fees)?;
            self.tao_reserve = p.tao;
            self.alpha_reserve = p.alpha;
            Ok(r)
        })
    }

    fn prepare_injection(&mut self, tao: u64, alpha: u64) -> bool {
        let (t, a) = (self.tao_reserve, self.alpha_reserve);
        self.weights.update_for_added_liquidity(t, a, tao, alpha)
    }

    fn deposit(&mut self, tao: u64, alpha: u64) {
        self.tao_reserve = self.tao_reserve.saturating_add(tao);
        self.alpha_reserve = self.alpha_reserve.saturating_add(alpha);
    }

    fn reservoirs(&self) -> Reservoirs {
        self.reservoirs
    }

    fn adjust_protocol_liquidity(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        crate::pool::BalancerPool::adjust_protocol_liquidity(self, tao, alpha)
    }

    fn materialize_reservoirs(&mut self) -> Reservoirs {
        crate::pool::BalancerPool::materialize_reservoirs(self)
    }
}

fn as_emission_pool(p: &crate::pool::BalancerPool) -> Result<BalancerPool, ChainError> {
    Ok(BalancerPool {
        mechanism: 1,
        tao: p.tao_reserve,
        alpha: p.alpha_reserve,
        quote_weight: p.weights.quote_weight().deconstruct(),
        fee_rate: p.fee_rate,
        minimum_reserve: SwapConstants::default().minimum_reserve,
        reservoirs: p.reservoirs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_price_is_reserve_ratio() {
        let p = BalancerPool::dynamic(2_000_000, 1_000_000);
        assert_eq!(p.price(), U64F64::from_num(2));
        assert_eq!(BalancerPool::stable(5, 7).price(), U64F64::from_num(1));
    }

    #[test]
    fn equal_weight_buy_is_constant_product_floor() {
        let mut p = BalancerPool::dynamic(1_000_000_000, 1_000_000_000);
        let r = p.swap_tao_for_alpha(1_000_000, true).unwrap_or_default();
        // x*dy/(y+dy) = 999000.999.. with the 1e18-scaled exponent floor.
        assert_eq!(r.amount_paid_out, 999_000);
        assert_eq!(p.tao, 1_001_000_000);
        assert_eq!(p.alpha, 1_000_000_000 - 999_000);
    }

    #[test]
    fn unequal_weights_match_the_swap_pallet() {
        let mut p = BalancerPool::dynamic(3_000_000_000_000, 1_000_000_000_000);
        p.quote_weight = ACCURACY / 10 * 3;
        let mut chain = p.chain_pool();
        let consts = SwapConstants {
            minimum_reserve: 100,
            max_input_multiplier: 1_000,
        };
        let r = chain
            .quote_swap(
                Order::Buy,
                7_000_000_000,
                limit_from_rao(MAX_PRICE_RAO),
                false,
                false,
                &consts,
            )
            .unwrap_or_default();
        chain.apply(Order::Buy, &r);
        let ours = p
            .swap_tao_for_alpha(7_000_000_000, false)
            .unwrap_or_default();
        assert!(r.amount_paid_out > 0);
        assert_eq!(ours.amount_paid_out, r.amount_paid_out);
        assert_eq!((p.tao, p.alpha), (chain.tao_reserve, chain.alpha_reserve));
        // Price is (w1/w2)(y/x), not y/x.
        assert!(p.price() > U64F64::from_num(5));
    }

    #[test]
    fn swap_pallet_pool_plugs_in() {
        let mut p = crate::pool::BalancerPool::new(2_000_000_000_000, 1_000_000_000_000);
        assert!(!SubnetPool::is_stable(&p));
        let r = p
            .swap_tao_for_alpha(1_000_000_000, true)
            .unwrap_or_default();
        assert!(r.amount_paid_out > 0);
        assert_eq!(p.tao_reserve, 2_001_000_000_000);
    }

    #[test]
    fn proportional_injection_keeps_weights() {
        let mut p = BalancerPool::dynamic(1_000_000, 2_000_000);
        assert!(p.prepare_injection(500, 1_000));
        assert_eq!(p.quote_weight, ACCURACY / 2);
        assert!(p.prepare_injection(500, 999));
        assert_ne!(p.quote_weight, ACCURACY / 2);
    }
}
