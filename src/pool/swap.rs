//! One swap against the weighted pool (`do_swap` / `swap_inner` / `BasicSwapStep`, spec §11.5)
//! and the reserve and fee bookkeeping the subtensor pallet does around it (§11.7, §12).
//!
//! Port of opentensor/subtensor `pallets/swap/src/pallet/{impls,swap_step}.rs` at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`. The swap pallet never moves reserves itself; the
//! staking code does. [`BalancerPool::quote_swap`] is the pallet (pure), [`BalancerPool::execute`]
//! adds what the staking code does with the result.
//!
//! Protocol liquidity enters the pool through [`BalancerPool::inject_protocol_liquidity`] (what
//! becomes price-active and what waits in the reservoirs is decided in [`super::reservoir`]).

use super::balancer::{fx, safe_div, Balancer, SwapGuards};
use super::error::ChainError;
use super::reservoir::{adjust_protocol_liquidity, ProtocolLiquidity, Reservoirs};
use substrate_fixed::types::U64F64;

/// Swap direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// TAO in, alpha out (`GetAlphaForTao`, staking). Moves the price up.
    Buy,
    /// Alpha in, TAO out (`GetTaoForAlpha`, unstaking). Moves the price down.
    Sell,
}

/// Runtime constants of the swap pallet (`Config` items), production values by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SwapConstants {
    /// `MinimumReserve`: the output-side reserve must be at least this (runtime 1 000 000; the
    /// subtensor test mock uses 100, the swap mock 1).
    pub minimum_reserve: u64,
    /// `MAX_SWAP_INPUT_RESERVE_MULTIPLIER`: net input ≤ this × input reserve.
    pub max_input_multiplier: u64,
}

impl Default for SwapConstants {
    fn default() -> Self {
        SwapConstants {
            minimum_reserve: 1_000_000,
            max_input_multiplier: 1_000,
        }
    }
}

/// Default buy limit (`max_price`): 10^15 rao per alpha (10^6 TAO).
pub const MAX_PRICE_RAO: u64 = 1_000_000_000_000_000;
/// Default sell limit (`min_price`): 1000 rao per alpha (10^-6 TAO).
pub const MIN_PRICE_RAO: u64 = 1_000;
/// Rao per TAO (and alpha-rao per alpha): 10^9, the unit of limit prices.
pub const RAO_PER_TAO: u64 = 1_000_000_000;
/// Default fee rate (u16-normalised, 33/65535 ≈ 0.0504 %).
pub const DEFAULT_FEE_RATE: u16 = 33;

/// A limit price in rao per whole alpha as the chain's U64F64 (`limit / 10^9`, truncated).
pub fn limit_from_rao(limit_rao: u64) -> U64F64 {
    safe_div(fx(limit_rao), fx(RAO_PER_TAO))
}

/// `floor(price × 10^9)`: a U64F64 price in rao per alpha (`current_alpha_price` in RPC units).
pub fn price_to_rao(price: U64F64) -> u64 {
    price
        .saturating_mul(fx(RAO_PER_TAO))
        .saturating_to_num::<u64>()
}

/// What `do_swap` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SwapResult {
    /// Input that reached the pool (net of the fee).
    pub amount_paid_in: u64,
    /// Output paid by the pool.
    pub amount_paid_out: u64,
    /// Fee charged on the input token.
    pub fee_paid: u64,
    /// The fee's share for the block author (all of it: the LP split is 0).
    pub fee_to_block_author: u64,
}

impl SwapResult {
    /// Input consumed in total, fee included.
    pub fn gross_in(&self) -> u64 {
        self.amount_paid_in.saturating_add(self.fee_paid)
    }

    /// Reserves `(tao, alpha)` moved by this result as the staking code moves them: the net
    /// input enters the pool, the output leaves it; the fee does not enter the pool here.
    pub fn reserves_after(&self, order: Order, (tao, alpha): (u64, u64)) -> (u64, u64) {
        match order {
            Order::Buy => (
                tao.saturating_add(self.amount_paid_in),
                alpha.saturating_sub(self.amount_paid_out),
            ),
            Order::Sell => (
                tao.saturating_sub(self.amount_paid_out),
                alpha.saturating_add(self.amount_paid_in),
            ),
        }
    }
}

/// A weighted pool: reserves (`SubnetTAO`, `SubnetAlphaIn`), weights and fee rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BalancerPool {
    /// TAO reserve `y` in rao.
    pub tao_reserve: u64,
    /// Alpha reserve `x` in alpha-rao.
    pub alpha_reserve: u64,
    /// Weights (0.5/0.5 for a pool never initialised with a price).
    pub weights: Balancer,
    /// `FeeRate` (u16-normalised).
    pub fee_rate: u16,
    /// `BalancerTaoReservoir` / `BalancerAlphaReservoir` (reservoir era, spec
    /// `pool-after-425.md` §2; always empty under [`ProtocolLiquidity::Direct`]).
    #[serde(default)]
    pub reservoirs: Reservoirs,
}

impl BalancerPool {
    /// A 50/50 pool with the default fee.
    pub fn new(tao_reserve: u64, alpha_reserve: u64) -> Self {
        BalancerPool {
            tao_reserve,
            alpha_reserve,
            weights: Balancer::default(),
            fee_rate: DEFAULT_FEE_RATE,
            reservoirs: Reservoirs::default(),
        }
    }

    /// Spot price (TAO per alpha), 0 for an empty alpha reserve.
    pub fn price(&self) -> U64F64 {
        if self.alpha_reserve == 0 {
            return U64F64::from_bits(0);
        }
        self.weights.price(self.alpha_reserve, self.tao_reserve)
    }

    /// `floor(amount × FeeRate/65535)`; 0 when fees are dropped.
    pub fn fee_for(&self, amount: u64, drop_fees: bool) -> u64 {
        if drop_fees {
            return 0;
        }
        let rate = safe_div(fx(u64::from(self.fee_rate)), fx(u64::from(u16::MAX)));
        fx(amount).saturating_mul(rate).saturating_to_num::<u64>()
    }

    /// Fee on an executed part stopped by the limit: `floor(Δ × r/(65535 − r))`.
    pub fn fee_grossed_up(&self, delta_in: u64, drop_fees: bool) -> u64 {
        let r = if drop_fees {
            fx(0)
        } else {
            fx(u64::from(self.fee_rate))
        };
        let rate = safe_div(r, fx(u64::from(u16::MAX)).saturating_sub(r));
        fx(delta_in).saturating_mul(rate).saturating_to_num::<u64>()
    }

    fn reserves_in_out(&self, order: Order) -> (u64, u64) {
        match order {
            Order::Buy => (self.tao_reserve, self.alpha_reserve),
            Order::Sell => (self.alpha_reserve, self.tao_reserve),
        }
    }

    /// Output for a net input at the current reserves (no fee, no limit).
    pub fn convert(&self, order: Order, delta_in: u64) -> u64 {
        self.convert_with(order, delta_in, SwapGuards::On)
    }

    /// [`BalancerPool::convert`] under runtime `guards`.
    pub fn convert_with(&self, order: Order, delta_in: u64, guards: SwapGuards) -> u64 {
        let (tao, alpha) = (self.tao_reserve, self.alpha_reserve);
        match order {
            Order::Buy => self
                .weights
                .alpha_out_for_tao_in_with(tao, alpha, delta_in, guards),
            Order::Sell => self
                .weights
                .tao_out_for_alpha_in_with(tao, alpha, delta_in, guards),
        }
    }

    /// Price after executing `delta_in` in full, with the output of that full execution (the
    /// caller reuses it instead of converting the same input twice).
    fn price_target(&self, order: Order, delta_in: u64, guards: SwapGuards) -> (U64F64, u64) {
        let out = self.convert_with(order, delta_in, guards);
        let price = match order {
            Order::Buy => self.weights.price(
                self.alpha_reserve.saturating_sub(out),
                self.tao_reserve.saturating_add(delta_in),
            ),
            Order::Sell => self.weights.price(
                self.alpha_reserve.saturating_add(delta_in),
                self.tao_reserve.saturating_sub(out),
            ),
        };
        (price, out)
    }

    /// Input needed to move the price to `limit`.
    fn delta_to_limit(&self, order: Order, limit: U64F64) -> u64 {
        let current = self.price();
        match order {
            Order::Buy => self
                .weights
                .quote_delta_in(current, limit, self.tao_reserve),
            Order::Sell => self
                .weights
                .base_delta_in(current, limit, self.alpha_reserve),
        }
    }

    /// `do_swap`: what swapping `amount` (fee included) with limit price `limit` would give.
    /// Pure: reserves are not changed (see [`BalancerPool::apply`]). `simulate` skips the final
    /// "output exceeds reserve" check, as the chain's simulation does.
    pub fn quote_swap(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        simulate: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        self.quote_swap_with(
            order,
            amount,
            limit,
            drop_fees,
            simulate,
            consts,
            SwapGuards::On,
        )
    }

    /// [`BalancerPool::quote_swap`] under runtime `guards`: at 423 the exponentials of
    /// [`SwapGuards::Spec423`] and no input cap.
    #[allow(clippy::too_many_arguments)]
    pub fn quote_swap_with(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        simulate: bool,
        consts: &SwapConstants,
        guards: SwapGuards,
    ) -> Result<SwapResult, ChainError> {
        let mut fee = self.fee_for(amount, drop_fees);
        let requested = amount.saturating_sub(fee);
        let (reserve_in, reserve_out) = self.reserves_in_out(order);
        if guards == SwapGuards::On
            && requested > reserve_in.saturating_mul(consts.max_input_multiplier)
        {
            return Err(ChainError::SwapInputTooLarge);
        }
        if reserve_out < consts.minimum_reserve {
            return Err(ChainError::ReservesTooLow);
        }
        let current = self.price();
        let beyond = match order {
            Order::Buy => current < limit,
            Order::Sell => current > limit,
        };
        if !beyond {
            return Err(ChainError::PriceLimitExceeded);
        }
        let (target, full_out) = self.price_target(order, requested, guards);
        let full = match order {
            Order::Buy => target <= limit,
            Order::Sell => target >= limit,
        };
        let delta_in = if full {
            requested
        } else {
            let d = self.delta_to_limit(order, limit);
            fee = self.fee_grossed_up(d, drop_fees);
            d
        };
        // `convert` is pure: when the whole input executes, its output is the one the target
        // price was computed from (the chain converts twice; the result is the same integer).
        let out = if delta_in == 0 {
            0
        } else if full {
            full_out
        } else {
            self.convert_with(order, delta_in, guards)
        };
        let mut fee_to_block_author = 0;
        if delta_in > 0 {
            if out == 0 {
                return Err(ChainError::ReservesTooLow);
            }
            fee_to_block_author = fee;
        }
        if !simulate && out > reserve_out {
            return Err(ChainError::InsufficientLiquidity);
        }
        Ok(SwapResult {
            amount_paid_in: delta_in,
            amount_paid_out: out,
            fee_paid: fee,
            fee_to_block_author,
        })
    }

    /// Move reserves by a swap result as the staking code does: the net input enters the pool,
    /// the output leaves it; the fee does not enter the pool here.
    pub fn apply(&mut self, order: Order, r: &SwapResult) {
        (self.tao_reserve, self.alpha_reserve) =
            r.reserves_after(order, (self.tao_reserve, self.alpha_reserve));
    }

    /// Swap and settle the fee (§11.7): a TAO fee (buy) goes to the block author; an alpha fee
    /// (sell) is sold again fee-free into the same pool and the TAO goes to the author. With no
    /// author the fee is burned (the alpha fee never reaches the pool).
    pub fn execute(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        has_author: bool,
        consts: &SwapConstants,
    ) -> Result<Executed, ChainError> {
        let result = self.quote_swap(order, amount, limit, drop_fees, false, consts)?;
        self.apply(order, &result);
        let mut exec = Executed {
            result,
            author_tao: 0,
            burned_tao: 0,
            burned_alpha: 0,
        };
        let fee = result.fee_to_block_author;
        match order {
            Order::Buy => {
                if has_author {
                    exec.author_tao = fee
                } else {
                    exec.burned_tao = fee
                }
            }
            Order::Sell if fee > 0 => {
                if has_author {
                    let min_limit = limit_from_rao(MIN_PRICE_RAO);
                    match self.quote_swap(Order::Sell, fee, min_limit, true, false, consts) {
                        Ok(r2) => {
                            self.apply(Order::Sell, &r2);
                            exec.author_tao = r2.amount_paid_out;
                            exec.burned_alpha = fee.saturating_sub(r2.amount_paid_in);
                        }
                        Err(_) => exec.burned_alpha = fee,
                    }
                } else {
                    exec.burned_alpha = fee;
                }
            }
            Order::Sell => {}
        }
        Ok(exec)
    }
}

/// A settled swap: the pallet result plus where the fee went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Executed {
    /// The swap pallet's result.
    pub result: SwapResult,
    /// TAO paid to the block author.
    pub author_tao: u64,
    /// TAO fee burned (buy with no author).
    pub burned_tao: u64,
    /// Alpha fee burned (sell with no author, or the unsold part of the fee resale).
    pub burned_alpha: u64,
}

impl BalancerPool {
    /// [`adjust_protocol_liquidity`] on this pool's weights and reservoirs (reserves unchanged);
    /// returns the price-active `(tao, alpha)`.
    pub fn adjust_protocol_liquidity(&mut self, tao_delta: u64, alpha_delta: u64) -> (u64, u64) {
        let (t, a) = (self.tao_reserve, self.alpha_reserve);
        adjust_protocol_liquidity(
            &mut self.weights,
            &mut self.reservoirs,
            t,
            a,
            tao_delta,
            alpha_delta,
        )
    }

    /// Protocol injection under the era's rule, reserves included: returns what entered the
    /// reserves `(tao, alpha)`. Under [`ProtocolLiquidity::Direct`] a refused injection is lost
    /// to the pool (`(0, 0)`); under [`ProtocolLiquidity::Reservoir`] it waits in the reservoirs.
    pub fn inject_protocol_liquidity(
        &mut self,
        rule: ProtocolLiquidity,
        tao: u64,
        alpha: u64,
    ) -> (u64, u64) {
        let (t, a) = match rule {
            ProtocolLiquidity::Direct => {
                let (y, x) = (self.tao_reserve, self.alpha_reserve);
                if self.weights.update_for_added_liquidity(y, x, tao, alpha) {
                    (tao, alpha)
                } else {
                    (0, 0)
                }
            }
            ProtocolLiquidity::Reservoir => self.adjust_protocol_liquidity(tao, alpha),
        };
        self.tao_reserve = self.tao_reserve.saturating_add(t);
        self.alpha_reserve = self.alpha_reserve.saturating_add(a);
        (t, a)
    }

    /// First step of `clear_protocol_liquidity` (dissolution, §2.5): fold both reservoirs into
    /// the reserves, so the burn that follows takes them too. Returns what was folded in.
    pub fn materialize_reservoirs(&mut self) -> Reservoirs {
        let r = self.reservoirs.take();
        self.tao_reserve = self.tao_reserve.saturating_add(r.tao);
        self.alpha_reserve = self.alpha_reserve.saturating_add(r.alpha);
        r
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn mock() -> SwapConstants {
        SwapConstants {
            minimum_reserve: 1,
            max_input_multiplier: 1000,
        }
    }

    #[test]
    fn swap_basic_buy_and_sell() {
        let pool = BalancerPool::new(1_000_000_000, 4_000_000_000);
        let r = pool
            .quote_swap(
                Order::Buy,
                2000,
                U64F64::from_num(1000.0),
                false,
                false,
                &mock(),
            )
            .unwrap();
        assert_eq!(
            (r.amount_paid_in, r.amount_paid_out, r.fee_paid),
            (1999, 7995, 1)
        );
        let r = pool
            .quote_swap(
                Order::Sell,
                123_456,
                U64F64::from_num(0.0001),
                false,
                false,
                &mock(),
            )
            .unwrap();
        assert_eq!((r.amount_paid_in, r.fee_paid), (123_394, 62));
    }

    #[test]
    fn input_cap() {
        let pool = BalancerPool::new(1000, 1000);
        let lim = limit_from_rao(MIN_PRICE_RAO);
        assert_eq!(
            pool.quote_swap(Order::Sell, 1_000_001, lim, true, false, &mock()),
            Err(ChainError::SwapInputTooLarge)
        );
        assert!(pool
            .quote_swap(Order::Sell, 1_000_000, lim, true, false, &mock())
            .is_ok());
        // Spec 423 had no cap (tag v3.4.8-423).
        let s423 = SwapGuards::Spec423;
        let r = pool.quote_swap_with(Order::Sell, 1_000_001, lim, true, false, &mock(), s423);
        assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn direct_rule_loses_a_refused_injection() {
        let mut p = BalancerPool::new(1_000, 1_000);
        assert_eq!(
            p.inject_protocol_liquidity(ProtocolLiquidity::Direct, 200_000, 1_000),
            (0, 0)
        );
        assert!(p.reservoirs.is_empty());
        let mut q = BalancerPool::new(1_000, 1_000);
        assert_eq!(
            q.inject_protocol_liquidity(ProtocolLiquidity::Reservoir, 200_000, 1_000),
            (0, 1_000)
        );
        assert_eq!((q.tao_reserve, q.alpha_reserve), (1_000, 2_000));
        assert_eq!(q.materialize_reservoirs().tao, 200_000);
        assert_eq!(q.tao_reserve, 201_000);
        assert!(q.reservoirs.is_empty());
    }
}
