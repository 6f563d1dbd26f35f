//! One swap on the superellipse: `do_swap`, `swap_inner` and the single `BasicSwapStep`.
//!
//! Port of RaoFoundation/subtensor `pallets/swap/src/pallet/swap_step.rs` (superellipse version,
//! index id 71571459865, unchanged at `61cafd4026c5d64dd5df4e7a7d17fb5575477b12`) and of
//! `Pallet::{do_swap, ensure_swap_input_within_reserve_limit, swap_inner}` in
//! `pallets/swap/src/pallet/impls.rs` at `61cafd40` (index id 71578280550). Spec
//! `pool-after-425.md` §3.7. The pallet never moves reserves; [`SuperellipsePool::apply`] does
//! what the staking caller does with the result.

use super::curve::Superellipse;
use super::pool::SuperellipsePool;
use crate::pool::error::ChainError;
use crate::pool::swap::{Order, SwapConstants, SwapResult};
use substrate_fixed::types::U64F64;

const OOB: ChainError = ChainError::ReservesOutOfBalance;

/// The step's view of one direction at fixed reserves.
struct Side {
    curve: Superellipse,
    order: Order,
    alpha: u64,
    tao: u64,
}

impl Side {
    /// `max_input` with the `MinimumReserve` floor.
    fn max_input(&self, floor: u64) -> Result<u64, ChainError> {
        let buy = self.order == Order::Buy;
        self.curve
            .max_input(self.alpha, self.tao, buy, floor)
            .map_err(|_| OOB)
    }

    /// `convert_deltas`: the exact-input payout.
    fn convert(&self, input: u64) -> Result<u64, ChainError> {
        match self.order {
            Order::Buy => self.curve.buy_output(self.alpha, self.tao, input),
            Order::Sell => self.curve.sell_output(self.alpha, self.tao, input),
        }
        .map_err(|_| OOB)
    }

    /// `delta_in`: the maximal input whose post-trade price stays on the limit's side.
    fn delta_in(&self, limit: U64F64) -> Result<u64, ChainError> {
        match self.order {
            Order::Buy => self.curve.quote_delta_to_price(self.alpha, self.tao, limit),
            Order::Sell => self.curve.base_delta_to_price(self.alpha, self.tao, limit),
        }
        .map_err(|_| OOB)
    }

    /// `price_target`: the price after `input` in and `output` out.
    fn price_target(&self, input: u64, output: u64) -> Result<U64F64, ChainError> {
        let (alpha, tao) = match self.order {
            Order::Buy => (
                self.alpha
                    .checked_sub(output)
                    .ok_or(ChainError::InsufficientLiquidity)?,
                self.tao.checked_add(input).ok_or(OOB)?,
            ),
            Order::Sell => (
                self.alpha.checked_add(input).ok_or(OOB)?,
                self.tao
                    .checked_sub(output)
                    .ok_or(ChainError::InsufficientLiquidity)?,
            ),
        };
        self.curve.price(alpha, tao).map_err(|_| OOB)
    }

    /// `price_is_closer`: buy `p1 ≤ p2`, sell `p1 ≥ p2`.
    fn closer(&self, p1: U64F64, p2: U64F64) -> bool {
        match self.order {
            Order::Buy => p1 <= p2,
            Order::Sell => p1 >= p2,
        }
    }
}

impl SuperellipsePool {
    /// `(input reserve, output reserve)` of an order.
    fn reserves_in_out(&self, order: Order) -> (u64, u64) {
        match order {
            Order::Buy => (self.tao_reserve, self.alpha_reserve),
            Order::Sell => (self.alpha_reserve, self.tao_reserve),
        }
    }

    /// `do_swap(netuid, order, limit, drop_fees, simulate)`. A simulation (or a failure) rolls
    /// back, so it never stores a curve; an execution keeps the lazy initialisation. Reserves
    /// are not moved (see [`Self::apply`]).
    pub fn do_swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        simulate: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        let mut tx = self.clone();
        let (_, reserve_out) = self.reserves_in_out(order);
        let result = tx
            .ensure_input_within_limit(order, amount, drop_fees, consts)
            .and_then(|_| tx.swap_inner(order, amount, limit, drop_fees, consts))?;
        if simulate {
            return Ok(result);
        }
        *self = tx;
        if reserve_out < result.amount_paid_out {
            return Err(ChainError::InsufficientLiquidity);
        }
        Ok(result)
    }

    /// Net input (after the fee) at most `max_input_multiplier ×` the input reserve.
    fn ensure_input_within_limit(
        &self,
        order: Order,
        amount: u64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<(), ChainError> {
        let net = amount.saturating_sub(self.fee_for(amount, drop_fees));
        let (reserve_in, _) = self.reserves_in_out(order);
        if net > reserve_in.saturating_mul(consts.max_input_multiplier) {
            return Err(ChainError::SwapInputTooLarge);
        }
        Ok(())
    }

    fn swap_inner(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        let (_, reserve_out) = self.reserves_in_out(order);
        if reserve_out < consts.minimum_reserve {
            return Err(ChainError::ReservesTooLow);
        }
        self.maybe_initialize(None)?;
        let current = self.current_price();
        let beyond = match order {
            Order::Buy => current < limit,
            Order::Sell => current > limit,
        };
        if !beyond {
            return Err(ChainError::PriceLimitExceeded);
        }
        let side = Side {
            curve: self.curve()?,
            order,
            alpha: self.alpha_reserve,
            tao: self.tao_reserve,
        };

        // BasicSwapStep::new
        let mut fee = self.fee_for(amount, drop_fees);
        let net = amount.saturating_sub(fee);
        let mut requested = net.min(side.max_input(consts.minimum_reserve)?);
        let mut clamped = requested < net;
        let mut requested_out = side.convert(requested)?;
        side.price_target(0, 0)?;
        let target = match side.price_target(requested, requested_out) {
            Ok(p) => p,
            Err(_) => {
                // A near-endpoint full buy can leave U64F64's range: solve the limit first.
                requested = requested.min(side.delta_in(limit)?);
                requested_out = side.convert(requested)?;
                clamped = true;
                side.price_target(requested, requested_out)?
            }
        };

        // determine_action
        let mut recalculate_fee = clamped;
        let delta_in = if side.closer(target, limit) {
            requested
        } else {
            recalculate_fee = true;
            side.delta_in(limit)?.min(requested)
        };
        if recalculate_fee {
            fee = self.fee_grossed_up(delta_in, drop_fees);
        }

        // process_swap
        let delta_out = if delta_in == requested {
            requested_out
        } else {
            side.convert(delta_in)?
        };
        let mut fee_to_block_author = 0;
        if delta_in != 0 {
            if delta_out == 0 {
                return Err(ChainError::ReservesTooLow);
            }
            fee_to_block_author = fee;
        }
        Ok(SwapResult {
            amount_paid_in: delta_in,
            amount_paid_out: delta_out,
            fee_paid: fee,
            fee_to_block_author,
        })
    }

    /// What the staking caller does with a result: the net input enters the pool and the output
    /// leaves it (the fee does not enter the pool).
    pub fn apply(&mut self, order: Order, r: &SwapResult) {
        (self.tao_reserve, self.alpha_reserve) =
            r.reserves_after(order, (self.tao_reserve, self.alpha_reserve));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::swap::limit_from_rao;

    fn mock() -> SwapConstants {
        SwapConstants {
            minimum_reserve: 1,
            max_input_multiplier: 1_000,
        }
    }

    #[test]
    fn simulation_does_not_initialise() {
        let mut p = SuperellipsePool::new(1_000_000_000, 4_000_000_000);
        let limit = limit_from_rao(1_000_000_000_000_000);
        let r = p
            .do_swap(Order::Buy, 1_000_000, limit, false, true, &mock())
            .unwrap();
        assert_eq!(
            (r.amount_paid_in, r.amount_paid_out, r.fee_paid),
            (999_497, 3_993_996, 503)
        );
        assert!(p.curve.is_none());
        let again = p
            .do_swap(Order::Buy, 1_000_000, limit, false, false, &mock())
            .unwrap();
        assert_eq!(again, r);
        assert!(p.curve.is_some());
    }

    #[test]
    fn oversized_orders_fill_partially() {
        let mut p = SuperellipsePool::new(1_000, 1_000);
        let r = p
            .do_swap(
                Order::Buy,
                1_000_000,
                U64F64::max_value(),
                true,
                true,
                &mock(),
            )
            .unwrap();
        assert_eq!((r.amount_paid_in, r.amount_paid_out), (999, 414));
        assert_eq!(
            p.do_swap(
                Order::Buy,
                1_000_001,
                U64F64::max_value(),
                true,
                false,
                &mock()
            ),
            Err(ChainError::SwapInputTooLarge)
        );
    }
}
