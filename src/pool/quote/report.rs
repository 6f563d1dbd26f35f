//! What a quote reports, in every era: the [`Quote`] of one amount, a [`CurvePoint`] of a slippage
//! curve, a [`RoundTrip`], and the checks and sampling every quote shares (liquidity, zero
//! amounts, the default limit, the spacing of curve points).

use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::{fx, safe_div};
use crate::pool::swap::{
    limit_from_rao, price_to_rao, BalancerPool, Order, SwapResult, MAX_PRICE_RAO, MIN_PRICE_RAO,
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

/// `EMPTY_POOL` naming `field` when either reserve of `(tao, alpha)` is zero: no price, no swap.
pub fn check_liquidity((tao, alpha): (u64, u64), field: &str) -> Result<()> {
    if tao == 0 || alpha == 0 {
        return Err(Error::field(
            ErrorCode::EmptyPool,
            field,
            "the pool has no liquidity",
        ));
    }
    Ok(())
}

/// [`check_liquidity`] of a weighted pool, naming `pool`.
pub(crate) fn check_pool(pool: &BalancerPool) -> Result<()> {
    check_liquidity((pool.tao_reserve, pool.alpha_reserve), "pool")
}

/// `ZERO_AMOUNT` naming `field` for a zero amount (the chain rejects it before any swap).
pub fn check_amount(amount: u64, field: &str) -> Result<()> {
    if amount == 0 {
        return Err(Error::field(ErrorCode::ZeroAmount, field, "amount is zero"));
    }
    Ok(())
}

/// The limit an order without one gets: the chain's max price for buys, min price for sells.
pub(crate) fn default_limit(order: Order) -> U64F64 {
    match order {
        Order::Buy => limit_from_rao(MAX_PRICE_RAO),
        Order::Sell => limit_from_rao(MIN_PRICE_RAO),
    }
}

/// Assemble a quote from a swap result at spot price `before` (`after` = price after).
pub(crate) fn make_quote(
    order: Order,
    amount: u64,
    r: &SwapResult,
    before: U64F64,
    after: U64F64,
) -> Quote {
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

/// Points of a slippage curve when the caller names none.
pub const CURVE_POINTS_DEFAULT: usize = 64;
/// Most points one curve samples: more than any plot needs, and a bound on one call's work.
pub const CURVE_POINTS_MAX: usize = 4096;

/// How many points a curve request gets: [`CURVE_POINTS_DEFAULT`] when it names none,
/// `OUT_OF_RANGE` (`points`) above [`CURVE_POINTS_MAX`].
pub fn curve_points(points: Option<u32>) -> Result<usize> {
    let Some(n) = points else {
        return Ok(CURVE_POINTS_DEFAULT);
    };
    match usize::try_from(n) {
        Ok(n) if n <= CURVE_POINTS_MAX => Ok(n),
        _ => Err(Error::field(
            ErrorCode::OutOfRange,
            "points",
            format!("points must be at most {CURVE_POINTS_MAX}"),
        )),
    }
}

/// The point of a curve at input `amount_in` from its quote (a failed quote plots as 0).
pub fn curve_point(amount_in: u64, q: Result<Quote>) -> CurvePoint {
    match q {
        Ok(q) => CurvePoint {
            amount_in,
            amount_out: q.amount_out,
            effective_price_rao: q.effective_price_rao,
            price_impact: q.price_impact,
        },
        Err(_) => CurvePoint {
            amount_in,
            amount_out: 0,
            effective_price_rao: 0,
            price_impact: 0.0,
        },
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn amounts_from_untyped_callers() {
        assert_eq!(
            amount_from_i128(-1, "amount").unwrap_err().code,
            ErrorCode::Negative
        );
        assert_eq!(
            amount_from_i128(i128::from(u64::MAX) + 1, "amount")
                .unwrap_err()
                .code,
            ErrorCode::TooLarge
        );
        assert_eq!(
            amount_from_i128(0, "x").unwrap_err().field.as_deref(),
            Some("x")
        );
        assert_eq!(amount_from_i128(7, "x").unwrap(), 7);
    }

    #[test]
    fn curve_points_and_spacing() {
        assert_eq!(curve_points(None).unwrap(), CURVE_POINTS_DEFAULT);
        assert_eq!(curve_points(Some(4096)).unwrap(), 4096);
        let e = curve_points(Some(4097)).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::OutOfRange, Some("points"))
        );
        // Even spacing: max·i/n, ending at max.
        assert_eq!(sample_amounts(100, 4, false), vec![25, 50, 75, 100]);
        // Geometric spacing from max/10^6 to max: constant ratio, first and last exact.
        let g = sample_amounts(1_000_000_000, 4, true);
        assert_eq!(g, vec![1_000, 100_000, 10_000_000, 1_000_000_000]);
        // Never below 1, never above max, and nothing to sample for n = 0 or max = 0.
        assert!(sample_amounts(3, 5, true)
            .iter()
            .all(|&a| (1..=3).contains(&a)));
        assert!(sample_amounts(0, 5, false).is_empty() && sample_amounts(9, 0, true).is_empty());
    }

    #[test]
    fn failed_points_plot_as_zero() {
        let e = Error::field(ErrorCode::EmptyPool, "pool", "x");
        let p = curve_point(42, Err(e));
        assert_eq!(
            (p.amount_in, p.amount_out, p.effective_price_rao),
            (42, 0, 0)
        );
    }

    #[test]
    fn liquidity_and_zero_checks_name_the_field() {
        let e = check_liquidity((0, 5), "origin").unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::EmptyPool, Some("origin"))
        );
        assert!(check_liquidity((1, 1), "pool").is_ok());
        let e = check_amount(0, "maxAmount").unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ZeroAmount, Some("maxAmount"))
        );
    }
}
