//! The largest order that fits a limit price (spec §12.2-§12.4): `get_max_amount_add`,
//! `get_max_amount_remove`, `get_max_amount_move`.
//!
//! Port of opentensor/subtensor `pallets/subtensor/src/staking/{add_stake,remove_stake,
//! move_stake}.rs` at commit `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`. Add and remove simulate
//! the largest input the pool accepts (1000 × the input reserve) with the limit and report what the
//! limit let through, fee included; that is where the u64 saturation plateau of §11.4 shows.

use super::Subnet;
use crate::pool::balancer::{fx, safe_div};
use crate::pool::swap::{limit_from_rao, Order, SwapConstants, RAO_PER_TAO};
use crate::pool::ChainError;

/// Most TAO `add_stake_limit` can stake before the price reaches `limit_rao` (rao per alpha),
/// fee included. Stable/root subnets: unlimited at a limit ≥ 1 TAO, otherwise
/// `ZeroMaxStakeAmount`.
pub fn max_amount_add(
    subnet: &Subnet,
    limit_rao: u64,
    consts: &SwapConstants,
) -> Result<u64, ChainError> {
    if subnet.is_stable() {
        return if limit_rao >= RAO_PER_TAO {
            Ok(u64::MAX)
        } else {
            Err(ChainError::ZeroMaxStakeAmount)
        };
    }
    let probe = subnet
        .pool
        .tao_reserve
        .saturating_mul(consts.max_input_multiplier);
    let r = subnet.pool.quote_swap(
        Order::Buy,
        probe,
        limit_from_rao(limit_rao),
        false,
        true,
        consts,
    )?;
    match r.gross_in() {
        0 => Err(ChainError::ZeroMaxStakeAmount),
        v => Ok(v),
    }
}

/// Most alpha `remove_stake_limit` can unstake before the price falls to `limit_rao`, fee
/// included. Stable/root subnets: unlimited at a limit ≤ 1 TAO, otherwise 0.
pub fn max_amount_remove(
    subnet: &Subnet,
    limit_rao: u64,
    consts: &SwapConstants,
) -> Result<u64, ChainError> {
    if subnet.is_stable() {
        return Ok(if limit_rao <= RAO_PER_TAO {
            u64::MAX
        } else {
            0
        });
    }
    let probe = subnet
        .pool
        .alpha_reserve
        .saturating_mul(consts.max_input_multiplier);
    let r = subnet.pool.quote_swap(
        Order::Sell,
        probe,
        limit_from_rao(limit_rao),
        false,
        true,
        consts,
    )?;
    Ok(r.gross_in())
}

/// Most origin alpha a move can take before the origin/destination price ratio falls to
/// `limit_rao / 10^9`. Dynamic → dynamic uses the chain's single-step constant-product closed
/// form (it ignores weights ≠ 0.5 and fees, as the chain does).
pub fn max_amount_move(
    origin: &Subnet,
    destination: &Subnet,
    limit_rao: u64,
    consts: &SwapConstants,
) -> Result<u64, ChainError> {
    let tao = fx(RAO_PER_TAO);
    match (origin.is_stable(), destination.is_stable()) {
        (true, true) => {
            if limit_rao > RAO_PER_TAO {
                Err(ChainError::ZeroMaxStakeAmount)
            } else {
                Ok(u64::MAX)
            }
        }
        (true, false) => {
            if limit_rao == 0 {
                return Ok(u64::MAX);
            }
            // The limit is origin/destination; the destination limit is its inverse.
            let dest_price = safe_div(tao, fx(limit_rao))
                .saturating_mul(tao)
                .saturating_to_num::<u64>();
            max_amount_add(destination, dest_price, consts)
        }
        (false, true) => max_amount_remove(origin, limit_rao, consts),
        (false, false) => {
            let (t1, t2) = (origin.pool.tao_reserve, destination.pool.tao_reserve);
            let (a1, a2) = (origin.pool.alpha_reserve, destination.pool.alpha_reserve);
            if t1 == 0 || t2 == 0 || a1 == 0 || a2 == 0 {
                return Err(ChainError::ZeroMaxStakeAmount);
            }
            let limit = safe_div(fx(limit_rao), tao);
            let current = safe_div(origin.price(), destination.price());
            if limit > current {
                return Err(ChainError::ZeroMaxStakeAmount);
            }
            if limit_rao == 0 {
                return Ok(u64::MAX);
            }
            let sum = fx(t2).saturating_add(fx(t1));
            let t1_share = safe_div(fx(t1), sum);
            let t2_share = safe_div(fx(t2), sum);
            let result = safe_div(fx(a2).saturating_mul(t1_share), limit)
                .saturating_sub(fx(a1).saturating_mul(t2_share))
                .saturating_to_num::<u64>();
            if result == 0 {
                Err(ChainError::ZeroMaxStakeAmount)
            } else {
                Ok(result)
            }
        }
    }
}
