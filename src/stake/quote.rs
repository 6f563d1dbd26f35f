//! Quotes for people: what a stake or unstake of some amount gives, what it costs, and how the
//! output bends with size — computed with the chain's exact swap (§11.5), so a quote is what the
//! chain would execute in the same state.
//!
//! * [`quote`]: output, fee, effective price, price impact and slippage of one amount.
//! * [`slippage_curve`] / [`quote_amounts`]: many amounts against one pool. The pool-dependent
//!   parts of the exponentiation are prepared once ([`crate::pool::pow::RatioPow`]); each point
//!   is still bit-identical to a single [`quote`].
//! * [`quote_pools`]: one amount against many pools.
//! * [`amount_for_price`]: the input that moves the price to a target (fee included).
//! * [`round_trip`]: stake then unstake at once: what fees and price impact cost.
//!
//! Errors carry the engine codes: `ZERO_AMOUNT` (`amount`), `NEGATIVE`/`TOO_LARGE` from
//! [`amount_from_i128`], `EMPTY_POOL` (`pool`), `TOO_LARGE` (input above 1000 × reserve),
//! `LIMIT_NOT_FILLABLE` (`limit_price`).

use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::{fx, safe_div};
use crate::pool::era::PoolModel;
use crate::pool::swap::{
    limit_from_rao, price_to_rao, BalancerPool, Order, SwapConstants, SwapResult, MAX_PRICE_RAO,
    MIN_PRICE_RAO,
};
use substrate_fixed::types::U64F64;

const RAO: u128 = 1_000_000_000;

/// What an amount gets.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    /// Input offered (fee included): TAO for a buy, alpha for a sell.
    pub amount_in: u64,
    /// Input that reached the pool (net of the fee).
    pub amount_paid_in: u64,
    /// Input not executed because the limit price was reached.
    pub refund: u64,
    /// Output: alpha for a buy, TAO for a sell.
    pub amount_out: u64,
    /// Fee, in the input token (to the block author).
    pub fee: u64,
    /// Spot price before, rao per alpha.
    pub spot_price_rao: u64,
    /// Spot price after, rao per alpha.
    pub price_after_rao: u64,
    /// TAO per alpha this trade realises (fee included), in rao per alpha.
    pub effective_price_rao: u64,
    /// The same as a float (TAO per alpha), for display.
    pub effective_price: f64,
    /// Relative move of the spot price, `(after − before) / before` (display).
    pub price_impact: f64,
    /// Output at the spot price before the trade (no fee, no impact) minus the actual output.
    pub slippage: u64,
}

/// Check a signed amount from an untyped caller: `NEGATIVE`, `TOO_LARGE` (above `u64::MAX`) or
/// `ZERO_AMOUNT`, naming `field`.
pub fn amount_from_i128(v: i128, field: &str) -> Result<u64> {
    if v < 0 {
        return Err(Error::field(
            ErrorCode::Negative,
            field,
            "amount is negative",
        ));
    }
    let a = u64::try_from(v)
        .map_err(|_| Error::field(ErrorCode::TooLarge, field, "amount exceeds u64::MAX"))?;
    if a == 0 {
        return Err(Error::field(ErrorCode::ZeroAmount, field, "amount is zero"));
    }
    Ok(a)
}

fn check_pool(pool: &BalancerPool) -> Result<()> {
    if pool.tao_reserve == 0 || pool.alpha_reserve == 0 {
        return Err(Error::field(
            ErrorCode::EmptyPool,
            "pool",
            "the pool has no liquidity",
        ));
    }
    Ok(())
}

fn check_amount(amount: u64) -> Result<()> {
    if amount == 0 {
        return Err(Error::field(
            ErrorCode::ZeroAmount,
            "amount",
            "amount is zero",
        ));
    }
    Ok(())
}

fn default_limit(order: Order) -> U64F64 {
    match order {
        Order::Buy => limit_from_rao(MAX_PRICE_RAO),
        Order::Sell => limit_from_rao(MIN_PRICE_RAO),
    }
}

/// Assemble a quote from a swap result at spot price `before` (`after` = price after).
fn make_quote(order: Order, amount: u64, r: &SwapResult, before: U64F64, after: U64F64) -> Quote {
    let (tao, alpha) = match order {
        Order::Buy => (u128::from(r.gross_in()), u128::from(r.amount_paid_out)),
        Order::Sell => (u128::from(r.amount_paid_out), u128::from(r.gross_in())),
    };
    let eff = tao
        .saturating_mul(RAO)
        .checked_div(alpha)
        .map_or(0, |v| u64::try_from(v).unwrap_or(u64::MAX));
    let ideal = match order {
        Order::Buy => safe_div(fx(r.amount_paid_in), before).saturating_to_num::<u64>(),
        Order::Sell => fx(r.amount_paid_in)
            .saturating_mul(before)
            .saturating_to_num::<u64>(),
    };
    let b = before.to_num::<f64>();
    Quote {
        amount_in: amount,
        amount_paid_in: r.amount_paid_in,
        refund: amount.saturating_sub(r.gross_in()),
        amount_out: r.amount_paid_out,
        fee: r.fee_paid,
        spot_price_rao: price_to_rao(before),
        price_after_rao: price_to_rao(after),
        effective_price_rao: eff,
        effective_price: if alpha == 0 {
            0.0
        } else {
            tao as f64 / alpha as f64
        },
        price_impact: if b > 0.0 {
            (after.to_num::<f64>() - b) / b
        } else {
            0.0
        },
        slippage: ideal.saturating_sub(r.amount_paid_out),
    }
}

/// Quote `amount` (fee included) through the current weighted pool, with an optional limit
/// price in rao per alpha (default: the chain's max price for buys, min price for sells).
pub fn quote(
    pool: &BalancerPool,
    order: Order,
    amount: u64,
    limit_rao: Option<u64>,
    consts: &SwapConstants,
) -> Result<Quote> {
    check_amount(amount)?;
    check_pool(pool)?;
    let limit = limit_rao.map_or_else(|| default_limit(order), limit_from_rao);
    let r = pool.quote_swap(order, amount, limit, false, true, consts)?;
    let mut after = *pool;
    after.apply(order, &r);
    Ok(make_quote(order, amount, &r, pool.price(), after.price()))
}

/// Quote through a pool of any era ([`PoolModel`]).
pub fn quote_model(
    pool: &dyn PoolModel,
    order: Order,
    amount: u64,
    limit_rao: Option<u64>,
    consts: &SwapConstants,
) -> Result<Quote> {
    check_amount(amount)?;
    let (t, a) = pool.reserves();
    if t == 0 || a == 0 {
        return Err(Error::field(
            ErrorCode::EmptyPool,
            "pool",
            "the pool has no liquidity",
        ));
    }
    let limit = limit_rao.map_or_else(|| default_limit(order), limit_from_rao);
    let before = pool.price();
    let (r, after) = pool.quote_with_price(order, amount, limit, false, consts)?;
    Ok(make_quote(order, amount, &r, before, after))
}

/// Evenly or logarithmically spaced amounts in `[max / n, max]` for plotting (`n` points).
pub fn sample_amounts(max: u64, n: usize, logarithmic: bool) -> Vec<u64> {
    let mut out = Vec::with_capacity(n);
    if n == 0 || max == 0 {
        return out;
    }
    for i in 1..=n {
        let v = if logarithmic {
            // From max/10^6 (at least 1) up to max, geometric.
            let lo = (max as f64 / 1e6).max(1.0);
            let t = if n == 1 {
                1.0
            } else {
                (i - 1) as f64 / (n - 1) as f64
            };
            (lo * (max as f64 / lo).powf(t)).round() as u64
        } else {
            u64::try_from(u128::from(max) * i as u128 / n as u128).unwrap_or(max)
        };
        out.push(v.clamp(1, max));
    }
    out
}

/// Quotes for many amounts against one pool at the default limit, reusing the prepared
/// exponentiation; entry `i` equals `quote(pool, order, amounts[i], None, consts)`.
pub fn quote_amounts(
    pool: &BalancerPool,
    order: Order,
    amounts: &[u64],
    consts: &SwapConstants,
) -> Vec<Result<Quote>> {
    if let Err(e) = check_pool(pool) {
        return amounts.iter().map(|_| Err(e.clone())).collect();
    }
    let (reserve_in, reserve_out, base_quote) = match order {
        Order::Buy => (pool.tao_reserve, pool.alpha_reserve, false),
        Order::Sell => (pool.alpha_reserve, pool.tao_reserve, true),
    };
    let Some(prepared) = pool.weights.exp_prepared(reserve_in, base_quote) else {
        return amounts
            .iter()
            .map(|&a| quote(pool, order, a, None, consts))
            .collect();
    };
    let before = pool.price();
    let limit = default_limit(order);
    let mut out = Vec::with_capacity(amounts.len());
    for &amount in amounts {
        if amount == 0 || reserve_out < consts.minimum_reserve {
            out.push(quote(pool, order, amount, None, consts));
            continue;
        }
        let fee = pool.fee_for(amount, false);
        let net = amount.saturating_sub(fee);
        if net > reserve_in.saturating_mul(consts.max_input_multiplier) {
            out.push(Err(crate::pool::ChainError::SwapInputTooLarge.into()));
            continue;
        }
        let e = pool.weights.exp_with(&prepared, reserve_in, net);
        let got = fx(reserve_out)
            .saturating_mul(fx(1).saturating_sub(e))
            .saturating_to_num::<u64>();
        let r = SwapResult {
            amount_paid_in: net,
            amount_paid_out: got,
            fee_paid: fee,
            fee_to_block_author: fee,
        };
        let mut after = *pool;
        after.apply(order, &r);
        let p_after = after.price();
        let within = match order {
            Order::Buy => p_after <= limit && before < limit,
            Order::Sell => p_after >= limit && before > limit,
        };
        if !within || (net > 0 && got == 0) {
            // Limit binding or an error case: the general path decides.
            out.push(quote(pool, order, amount, None, consts));
            continue;
        }
        out.push(Ok(make_quote(order, amount, &r, before, p_after)));
    }
    out
}

/// One point of a slippage curve.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    /// Input (fee included).
    pub amount_in: u64,
    /// Output (0 where the swap fails).
    pub amount_out: u64,
    /// Effective price, rao per alpha (0 where the swap fails).
    pub effective_price_rao: u64,
    /// Price impact (display).
    pub price_impact: f64,
}

/// The curve `amount → output` at `n` sampled amounts up to `max_amount`, for plotting.
pub fn slippage_curve(
    pool: &BalancerPool,
    order: Order,
    max_amount: u64,
    n: usize,
    logarithmic: bool,
    consts: &SwapConstants,
) -> Vec<CurvePoint> {
    let amounts = sample_amounts(max_amount, n, logarithmic);
    quote_amounts(pool, order, &amounts, consts)
        .into_iter()
        .zip(amounts)
        .map(|(q, a)| match q {
            Ok(q) => CurvePoint {
                amount_in: a,
                amount_out: q.amount_out,
                effective_price_rao: q.effective_price_rao,
                price_impact: q.price_impact,
            },
            Err(_) => CurvePoint {
                amount_in: a,
                amount_out: 0,
                effective_price_rao: 0,
                price_impact: 0.0,
            },
        })
        .collect()
}

/// Outputs only, for many amounts, into a caller's buffer (0 where the swap fails).
pub fn outputs_for_amounts(
    pool: &BalancerPool,
    order: Order,
    amounts: &[u64],
    outputs: &mut [u64],
    consts: &SwapConstants,
) -> Result<()> {
    if amounts.len() != outputs.len() {
        return Err(Error::field(
            ErrorCode::LengthMismatch,
            "outputs",
            "outputs must have one slot per amount",
        ));
    }
    for (slot, q) in outputs
        .iter_mut()
        .zip(quote_amounts(pool, order, amounts, consts))
    {
        *slot = q.map_or(0, |q| q.amount_out);
    }
    Ok(())
}

/// One amount against many pools; entry `i` equals `quote(&pools[i], …)`.
pub fn quote_pools(
    pools: &[BalancerPool],
    order: Order,
    amount: u64,
    consts: &SwapConstants,
) -> Vec<Result<Quote>> {
    let mut out = Vec::with_capacity(pools.len());
    for p in pools {
        out.push(quote(p, order, amount, None, consts));
    }
    out
}

/// The gross input (fee included) that moves the spot price to `target_rao` (rao per alpha):
/// up for a buy, down for a sell. `LIMIT_NOT_FILLABLE` when the target is on the wrong side.
pub fn amount_for_price(
    pool: &BalancerPool,
    order: Order,
    target_rao: u64,
    consts: &SwapConstants,
) -> Result<Quote> {
    check_pool(pool)?;
    let target = limit_from_rao(target_rao);
    let current = pool.price();
    let (ok, net) = match order {
        Order::Buy => (
            target > current,
            pool.weights
                .quote_delta_in(current, target, pool.tao_reserve),
        ),
        Order::Sell => (
            target < current,
            pool.weights
                .base_delta_in(current, target, pool.alpha_reserve),
        ),
    };
    if !ok || net == 0 {
        return Err(Error::field(
            ErrorCode::LimitNotFillable,
            "target_price",
            "the target is not beyond the current price",
        ));
    }
    let gross = net.saturating_add(pool.fee_grossed_up(net, false));
    quote(pool, order, gross, Some(target_rao), consts)
}

/// A stake followed at once by an unstake of everything it bought.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RoundTrip {
    /// TAO staked.
    pub tao_in: u64,
    /// Alpha received and sold back.
    pub alpha: u64,
    /// TAO received back.
    pub tao_out: u64,
    /// `tao_in − tao_out`: fees plus price impact.
    pub cost: u64,
    /// `cost / tao_in` (display).
    pub cost_fraction: f64,
}

/// Stake `tao` then unstake the alpha it bought, in the pool state the stake leaves behind
/// (fees settled as the chain settles them).
pub fn round_trip(pool: &BalancerPool, tao: u64, consts: &SwapConstants) -> Result<RoundTrip> {
    check_amount(tao)?;
    check_pool(pool)?;
    let mut p = *pool;
    let buy = p.execute(
        Order::Buy,
        tao,
        default_limit(Order::Buy),
        false,
        true,
        consts,
    )?;
    let alpha = buy.result.amount_paid_out;
    check_amount(alpha)?;
    let sell = p.execute(
        Order::Sell,
        alpha,
        default_limit(Order::Sell),
        false,
        true,
        consts,
    )?;
    let tao_out = sell.result.amount_paid_out;
    let cost = tao.saturating_sub(tao_out);
    Ok(RoundTrip {
        tao_in: tao,
        alpha,
        tao_out,
        cost,
        cost_fraction: cost as f64 / tao as f64,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "quote_tests.rs"]
mod tests;
