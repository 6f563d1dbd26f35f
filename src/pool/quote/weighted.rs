//! Quotes against the current weighted pool (the balancer era), computed with the chain's exact
//! swap (§11.5), so a quote is what the chain would execute in the same state.
//!
//! * [`quote`]: output, fee, effective price, price impact and slippage of one amount.
//! * [`slippage_curve`] / [`quote_amounts`]: many amounts against one pool. The pool-dependent
//!   parts of the exponentiation are prepared once ([`crate::pool::pow::RatioPow`]); each point
//!   is still bit-identical to a single [`quote`].
//! * [`quote_pools`]: one amount against many pools.
//! * [`amount_for_price`]: the input that moves the price to a target (fee included).
//! * [`round_trip`]: stake then unstake at once: what fees and price impact cost.
//!
//! Errors carry the engine codes: `ZERO_AMOUNT` (`amount`), `EMPTY_POOL` (`pool`), `TOO_LARGE`
//! (input above 1000 × reserve), `LIMIT_NOT_FILLABLE` (`limitPrice`, `targetPrice`).

use super::report::{
    check_amount, check_pool, curve_point, default_limit, make_quote, sample_amounts, CurvePoint,
    Quote, RoundTrip,
};
use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::{fx, Balancer};
use crate::pool::perquintill::Perquintill;
use crate::pool::swap::{limit_from_rao, BalancerPool, Order, SwapConstants, SwapResult};

/// A weighted pool as a caller describes it: the reserves, the TAO side's weight in 10^-18
/// (Perquintill parts; default one half) and `FeeRate` out of 65535 (default the chain's 33).
/// `OUT_OF_RANGE` (`quoteWeight`) for a weight outside the chain's 0.01 … 0.99.
pub fn weighted_pool(
    tao_reserve: u64,
    alpha_reserve: u64,
    quote_weight: Option<u64>,
    fee_rate: Option<u16>,
) -> Result<BalancerPool> {
    let mut pool = BalancerPool::new(tao_reserve, alpha_reserve);
    if let Some(w) = quote_weight {
        pool.weights = Balancer::new(Perquintill::from_parts(w)).ok_or_else(|| {
            Error::field(
                ErrorCode::OutOfRange,
                "quoteWeight",
                "the TAO weight must be between 0.01 and 0.99 (10^16 … 99×10^16 parts)",
            )
        })?;
    }
    if let Some(f) = fee_rate {
        pool.fee_rate = f;
    }
    Ok(pool)
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
    check_amount(amount, "amount")?;
    check_pool(pool)?;
    let limit = limit_rao.map_or_else(|| default_limit(order), limit_from_rao);
    let r = pool.quote_swap(order, amount, limit, false, true, consts)?;
    let mut after = *pool;
    after.apply(order, &r);
    Ok(make_quote(order, amount, &r, pool.price(), after.price()))
}

/// Quotes for many amounts against one pool at the default limit, reusing the prepared
/// exponentiation; entry `i` equals `quote(pool, order, amounts[i], None, consts)`. A pool
/// without liquidity fails the whole batch (`EMPTY_POOL`); an amount that fails fails its entry.
pub fn quote_amounts(
    pool: &BalancerPool,
    order: Order,
    amounts: &[u64],
    consts: &SwapConstants,
) -> Result<Vec<Result<Quote>>> {
    check_pool(pool)?;
    let (reserve_in, reserve_out, base_quote) = match order {
        Order::Buy => (pool.tao_reserve, pool.alpha_reserve, false),
        Order::Sell => (pool.alpha_reserve, pool.tao_reserve, true),
    };
    let Some(prepared) = pool.weights.exp_prepared(reserve_in, base_quote) else {
        return Ok(amounts
            .iter()
            .map(|&a| quote(pool, order, a, None, consts))
            .collect());
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
    Ok(out)
}

/// The curve `amount → output` at `n` sampled amounts up to `max_amount`, for plotting
/// ([`sample_amounts`] spacing). `ZERO_AMOUNT` (`maxAmount`) for a zero maximum, `EMPTY_POOL`
/// for a pool without liquidity; a point whose swap fails plots as 0.
pub fn slippage_curve(
    pool: &BalancerPool,
    order: Order,
    max_amount: u64,
    n: usize,
    logarithmic: bool,
    consts: &SwapConstants,
) -> Result<Vec<CurvePoint>> {
    check_pool(pool)?;
    check_amount(max_amount, "maxAmount")?;
    let amounts = sample_amounts(max_amount, n, logarithmic);
    Ok(quote_amounts(pool, order, &amounts, consts)?
        .into_iter()
        .zip(amounts)
        .map(|(q, a)| curve_point(a, q))
        .collect())
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
        .zip(quote_amounts(pool, order, amounts, consts)?)
    {
        *slot = q.map_or(0, |q| q.amount_out);
    }
    Ok(())
}

/// One amount against many pools; entry `i` equals `quote(&pools[i], …)` (a pool that fails
/// fails its entry). A zero amount fails the whole batch (`ZERO_AMOUNT`).
pub fn quote_pools(
    pools: &[BalancerPool],
    order: Order,
    amount: u64,
    consts: &SwapConstants,
) -> Result<Vec<Result<Quote>>> {
    check_amount(amount, "amount")?;
    Ok(pools
        .iter()
        .map(|p| quote(p, order, amount, None, consts))
        .collect())
}

/// The gross input (fee included) that moves the spot price to `target_rao` (rao per alpha):
/// up for a buy, down for a sell. `LIMIT_NOT_FILLABLE` (`targetPrice`) when the target is on
/// the wrong side, `ZERO_AMOUNT` (`targetPrice`) for a zero target.
pub fn amount_for_price(
    pool: &BalancerPool,
    order: Order,
    target_rao: u64,
    consts: &SwapConstants,
) -> Result<Quote> {
    check_pool(pool)?;
    check_amount(target_rao, "targetPrice")?;
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
            "targetPrice",
            "the target is not beyond the current price",
        ));
    }
    let gross = net.saturating_add(pool.fee_grossed_up(net, false));
    quote(pool, order, gross, Some(target_rao), consts)
}

/// `ZERO_AMOUNT` (`amount`) when a round trip's stake buys no alpha: nothing to sell back.
pub(crate) fn check_bought(alpha: u64) -> Result<()> {
    if alpha == 0 {
        return Err(Error::field(
            ErrorCode::ZeroAmount,
            "amount",
            "the stake buys no alpha",
        ));
    }
    Ok(())
}

/// Stake `tao` then unstake the alpha it bought, in the pool state the stake leaves behind
/// (fees settled as the chain settles them).
pub fn round_trip(pool: &BalancerPool, tao: u64, consts: &SwapConstants) -> Result<RoundTrip> {
    check_amount(tao, "amount")?;
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
    check_bought(alpha)?;
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
mod tests {
    use super::*;

    #[test]
    fn pools_as_callers_describe_them() {
        let p = weighted_pool(150, 100, None, None).unwrap();
        assert_eq!(p, BalancerPool::new(150, 100));
        assert_eq!(p.fee_rate, 33);
        let w = 102_337_248_363_782_924;
        let p = weighted_pool(150, 100, Some(w), Some(0)).unwrap();
        assert_eq!(
            (p.weights.quote_weight(), p.fee_rate),
            (Perquintill::from_parts(w), 0)
        );
        for w in [0, 10u64.pow(18)] {
            let e = weighted_pool(150, 100, Some(w), None).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::OutOfRange, Some("quoteWeight"))
            );
        }
    }

    #[test]
    fn batch_equals_single() {
        let consts = SwapConstants::default();
        for w in [500_000_000_000_000_000u64, 102_337_248_363_782_924] {
            let mut pool = BalancerPool::new(150_000_000_000, 100_000_000_000);
            pool.weights = Balancer::new(Perquintill::from_parts(w)).unwrap();
            let amounts = sample_amounts(300_000_000_000, 12, true);
            for order in [Order::Buy, Order::Sell] {
                let batch = quote_amounts(&pool, order, &amounts, &consts).unwrap();
                for (a, b) in amounts.iter().zip(batch) {
                    assert_eq!(b.ok(), quote(&pool, order, *a, None, &consts).ok());
                }
            }
        }
    }

    #[test]
    fn errors_have_codes() {
        let consts = SwapConstants::default();
        let pool = BalancerPool::new(1_000_000_000, 1_000_000_000);
        assert_eq!(
            quote(&pool, Order::Buy, 0, None, &consts).unwrap_err().code,
            ErrorCode::ZeroAmount
        );
        assert_eq!(
            quote(&BalancerPool::new(0, 5), Order::Buy, 5, None, &consts)
                .unwrap_err()
                .code,
            ErrorCode::EmptyPool
        );
        let e = quote(&pool, Order::Buy, 2_000_000_000_000, None, &consts).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::TooLarge, Some("amount"))
        );
        let e = quote(&pool, Order::Buy, 1_000_000, Some(500_000_000), &consts).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::LimitNotFillable, Some("limitPrice"))
        );
        // Batches: an empty pool or a zero amount fails the call, a failing entry its slot.
        let empty = BalancerPool::new(0, 5);
        assert_eq!(
            quote_amounts(&empty, Order::Buy, &[5], &consts)
                .unwrap_err()
                .code,
            ErrorCode::EmptyPool
        );
        let e = slippage_curve(&pool, Order::Buy, 0, 8, false, &consts).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ZeroAmount, Some("maxAmount"))
        );
        let entries = quote_pools(&[pool, empty], Order::Buy, 1_000_000, &consts).unwrap();
        assert!(entries[0].is_ok());
        assert_eq!(entries[1].as_ref().unwrap_err().code, ErrorCode::EmptyPool);
        assert_eq!(
            quote_pools(&[pool], Order::Buy, 0, &consts)
                .unwrap_err()
                .code,
            ErrorCode::ZeroAmount
        );
    }

    #[test]
    fn price_target_and_round_trip() {
        let consts = SwapConstants::default();
        let pool = BalancerPool::new(150_000_000_000, 100_000_000_000);
        let q = amount_for_price(&pool, Order::Buy, 24_000_000_000, &consts).unwrap();
        assert_eq!(q.amount_paid_in, 450_000_000_000);
        assert_eq!(q.price_after_rao, 24_000_000_000);
        let e = amount_for_price(&pool, Order::Buy, 1_000, &consts).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::LimitNotFillable, Some("targetPrice"))
        );
        let e = amount_for_price(&pool, Order::Buy, 0, &consts).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ZeroAmount, Some("targetPrice"))
        );
        let rt = round_trip(&pool, 10_000_000_000, &consts).unwrap();
        assert!(rt.tao_out < rt.tao_in && rt.cost > 0);
        assert_eq!(rt.cost, rt.tao_in - rt.tao_out);
        // The stake fee alone (33/65535 of the input) is a lower bound on the cost.
        assert!(rt.cost >= 10_000_000_000 * 33 / 65_535, "{rt:?}");
    }
}
