//! Quotes in any pool era: the same trade priced by the rules of the weighted pool, Uniswap v3,
//! the launch's constant-product pool or the superellipse, for history and comparisons.
//!
//! A caller describes a pool by its reserves (and weighted-pool weights and fee);
//! [`pool_in_era`] carries that state into the chosen era as the chain's migrations would, and
//! [`EraSelect`] says which era: by name, or by block or runtime version in a caller's schedule
//! of era boundaries ([`crate::pool::EraSchedule`]). The weighted era goes through the batch
//! paths of [`super::weighted`] (bit-identical, faster); the others through [`PoolModel`].

use super::report::{
    check_amount, check_pool, curve_point, default_limit, make_quote, sample_amounts, CurvePoint,
    Quote, RoundTrip,
};
use super::weighted;
use crate::error::{Error, ErrorCode, Result};
use crate::pool::batch;
use crate::pool::era::{EraBoundary, PoolModel};
use crate::pool::lanes::Lanes;
use crate::pool::swap::{limit_from_rao, BalancerPool, Order, SwapConstants};
use crate::pool::v3::V3Pool;
use crate::pool::{AnyPool, EraSchedule, PoolEra};
use crate::runtime::{PoolCurve, Rules};

/// Which era prices a trade: `era` by name, else `block` or `spec_version` looked up in
/// `schedule`; with none of them, the current weighted pool.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EraSelect {
    /// The era by name (wins over everything else).
    pub era: Option<PoolEra>,
    /// A block, looked up in `schedule` (required with it).
    pub block: Option<u64>,
    /// A runtime spec version: looked up in `schedule` when there is one; alone it names a
    /// runtime whose rules the engine holds, and every such runtime swaps on the weighted pool.
    pub spec_version: Option<u32>,
    /// Era boundaries in any order (sorted by [`EraSchedule::new`]).
    pub schedule: Option<Vec<EraBoundary>>,
}

impl EraSelect {
    /// The era asked for. `UNKNOWN_ERA` naming `schedule` for a block without a schedule, and
    /// naming `block` / `specVersion` when the schedule has no era there.
    pub fn resolve(&self) -> Result<PoolEra> {
        if let Some(era) = self.era {
            return Ok(era);
        }
        let Some(spec_or_block) = self.block.map(Ok).or(self.spec_version.map(Err)) else {
            return Ok(PoolEra::Balancer);
        };
        let Some(bounds) = &self.schedule else {
            return match spec_or_block {
                Ok(_) => Err(Error::field(
                    ErrorCode::UnknownEra,
                    "schedule",
                    "picking the era by block or spec version needs a schedule of era boundaries",
                )),
                Err(_) => Ok(PoolEra::Balancer),
            };
        };
        let schedule = EraSchedule::new(bounds.clone())?;
        match spec_or_block {
            Ok(block) => schedule.at_block(block),
            Err(spec) => schedule.at_spec_version(spec),
        }
    }

    /// The runtime rules a quote under this selection carries. With a caller's schedule and a
    /// spec version, the spec picks an era of the caller's history, not a rule set: the newest
    /// rules stand. Otherwise `rules` (the caller's choice of runtime) — and a runtime whose
    /// pool is the superellipse is `UNSUPPORTED` (`swapSuperellipse`): its state is not a pair
    /// of reserves.
    pub fn quote_rules(&self, rules: impl FnOnce() -> Result<Rules>) -> Result<Rules> {
        let rules = if self.spec_version.is_some() && self.schedule.is_some() {
            Rules::newest()
        } else {
            rules()?
        };
        if rules.pool_curve == PoolCurve::Superellipse {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "swapSuperellipse",
                "this runtime swaps on the superellipse curve, whose state is not a pair of reserves",
            ));
        }
        Ok(rules)
    }
}

/// A weighted pool's state under `era`'s rules: itself for the weighted era; a v3 pool
/// re-initialised from the reserves (fee kept); a constant-product pool of the same reserves;
/// the superellipse pool the chain's migration would make (a fresh one where it cannot).
pub fn pool_in_era(pool: &BalancerPool, era: PoolEra) -> AnyPool {
    match era {
        PoolEra::Balancer => AnyPool::Balancer(*pool),
        PoolEra::UniswapV3 => {
            let mut p = V3Pool::new(pool.tao_reserve, pool.alpha_reserve);
            p.fee_rate = pool.fee_rate;
            p.initialize();
            AnyPool::UniswapV3(Box::new(p))
        }
        PoolEra::ConstantProduct => AnyPool::new(era, pool.tao_reserve, pool.alpha_reserve),
        PoolEra::Superellipse => AnyPool::Balancer(*pool)
            .migrate(era)
            .unwrap_or_else(|_| AnyPool::new(era, pool.tao_reserve, pool.alpha_reserve)),
    }
}

/// Quote through a pool of any era ([`PoolModel`]): `ZERO_AMOUNT`, `EMPTY_POOL`, then the era's
/// own swap errors.
pub fn quote_model(
    pool: &dyn PoolModel,
    order: Order,
    amount: u64,
    limit_rao: Option<u64>,
    consts: &SwapConstants,
) -> Result<Quote> {
    check_amount(amount, "amount")?;
    super::report::check_liquidity(pool.reserves(), "pool")?;
    let limit = limit_rao.map_or_else(|| default_limit(order), limit_from_rao);
    let before = pool.price();
    let (r, after) = pool.quote_with_price(order, amount, limit, false, consts)?;
    Ok(make_quote(order, amount, &r, before, after))
}

/// Quote `amount` (fee included) with an optional limit (rao per alpha) in `era`.
pub fn quote_in_era(
    pool: &BalancerPool,
    era: PoolEra,
    order: Order,
    amount: u64,
    limit_rao: Option<u64>,
    consts: &SwapConstants,
) -> Result<Quote> {
    check_pool(pool)?;
    match era {
        PoolEra::Balancer => weighted::quote(pool, order, amount, limit_rao, consts),
        _ => quote_model(
            pool_in_era(pool, era).model(),
            order,
            amount,
            limit_rao,
            consts,
        ),
    }
}

/// The slippage curve in `era` ([`weighted::slippage_curve`] for the weighted pool; each point
/// a single quote otherwise).
#[allow(clippy::too_many_arguments)]
pub fn slippage_curve_in_era(
    pool: &BalancerPool,
    era: PoolEra,
    order: Order,
    max_amount: u64,
    n: usize,
    logarithmic: bool,
    consts: &SwapConstants,
) -> Result<Vec<CurvePoint>> {
    check_pool(pool)?;
    check_amount(max_amount, "maxAmount")?;
    if era == PoolEra::Balancer {
        return weighted::slippage_curve(pool, order, max_amount, n, logarithmic, consts);
    }
    let any = pool_in_era(pool, era);
    Ok(sample_amounts(max_amount, n, logarithmic)
        .into_iter()
        .map(|a| curve_point(a, quote_model(any.model(), order, a, None, consts)))
        .collect())
}

/// Stake `tao` then unstake everything it bought, in `era` (the sell sees the pool the buy
/// left).
pub fn round_trip_in_era(
    pool: &BalancerPool,
    era: PoolEra,
    tao: u64,
    consts: &SwapConstants,
) -> Result<RoundTrip> {
    check_pool(pool)?;
    check_amount(tao, "amount")?;
    if era == PoolEra::Balancer {
        return weighted::round_trip(pool, tao, consts);
    }
    let mut any = pool_in_era(pool, era);
    let m = any.model_mut();
    let buy = m.swap(Order::Buy, tao, default_limit(Order::Buy), false, consts)?;
    let alpha = buy.amount_paid_out;
    weighted::check_bought(alpha)?;
    let sell = m.swap(
        Order::Sell,
        alpha,
        default_limit(Order::Sell),
        false,
        consts,
    )?;
    let cost = tao.saturating_sub(sell.amount_paid_out);
    Ok(RoundTrip {
        tao_in: tao,
        alpha,
        tao_out: sell.amount_paid_out,
        cost,
        cost_fraction: cost as f64 / tao as f64,
    })
}

/// Outputs only for many amounts against the weighted pool at the default limit, through the
/// batch kernel on `lanes` (0 where a swap fails): entry `i` equals the `amount_out` of
/// [`weighted::quote`] of `amounts[i]`. `EMPTY_POOL` for a pool without liquidity.
pub fn outputs(
    pool: &BalancerPool,
    order: Order,
    amounts: &[u64],
    lanes: Lanes,
    consts: &SwapConstants,
) -> Result<Vec<u64>> {
    check_pool(pool)?;
    let mut out = vec![0u64; amounts.len()];
    batch::quote_outputs(pool, order, amounts, &mut out, lanes, consts)?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TAO: u64 = 1_000_000_000;

    fn sn() -> BalancerPool {
        BalancerPool::new(22_080 * TAO, 2_315_643 * TAO)
    }

    fn bound(block: u64, spec_version: u32, era: PoolEra) -> EraBoundary {
        EraBoundary {
            block,
            spec_version,
            era,
        }
    }

    #[test]
    fn every_era_quotes_and_is_pure() {
        let consts = SwapConstants::default();
        for era in [
            PoolEra::ConstantProduct,
            PoolEra::UniswapV3,
            PoolEra::Balancer,
        ] {
            let pool = AnyPool::new(era, 100 * TAO, 100 * TAO);
            let q = quote_model(pool.model(), Order::Buy, TAO, None, &consts).unwrap();
            assert!(q.amount_out > 0, "{era:?}");
            assert!(q.price_after_rao > q.spot_price_rao, "{era:?}: {q:?}");
            assert_eq!(pool, AnyPool::new(era, 100 * TAO, 100 * TAO));
        }
    }

    #[test]
    fn the_weighted_era_is_the_weighted_quote() {
        let consts = SwapConstants::default();
        let p = sn();
        for order in [Order::Buy, Order::Sell] {
            let a = quote_in_era(&p, PoolEra::Balancer, order, 500 * TAO, None, &consts);
            assert_eq!(a, weighted::quote(&p, order, 500 * TAO, None, &consts));
            let m = quote_model(&p, order, 500 * TAO, None, &consts).unwrap();
            assert_eq!(
                a.unwrap(),
                m,
                "the trait path agrees with the weighted path"
            );
        }
    }

    #[test]
    fn eras_differ_as_their_rules_do() {
        let consts = SwapConstants::default();
        let p = sn();
        let amount = 500 * TAO;
        let q = |era| quote_in_era(&p, era, Order::Buy, amount, None, &consts).unwrap();
        let (w, v3, cp) = (
            q(PoolEra::Balancer),
            q(PoolEra::UniswapV3),
            q(PoolEra::ConstantProduct),
        );
        // The launch pool took a flat 50 000 rao fee; v3 and the weighted pool FeeRate/65535.
        assert_eq!(cp.fee, 50_000);
        assert_eq!(v3.fee, amount * 33 / 65_535);
        assert_eq!(w.fee, amount * 33 / 65_535);
        // Full-range v3 and a 50/50 weighted pool are both constant product: close, not equal.
        assert!(v3.amount_out.abs_diff(w.amount_out) < w.amount_out / 10_000);
        assert_ne!(v3.amount_out, w.amount_out);
        // A v3 pool made from the weighted one keeps its fee rate.
        let mut high = p;
        high.fee_rate = 655;
        let hv3 = quote_in_era(&high, PoolEra::UniswapV3, Order::Buy, amount, None, &consts);
        assert_eq!(hv3.unwrap().fee, amount * 655 / 65_535);
    }

    #[test]
    fn empty_pools_fail_first_in_every_era() {
        let consts = SwapConstants::default();
        let empty = BalancerPool::new(0, 0);
        for era in [
            PoolEra::ConstantProduct,
            PoolEra::UniswapV3,
            PoolEra::Balancer,
        ] {
            let e = quote_in_era(&empty, era, Order::Buy, 0, None, &consts).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::EmptyPool, Some("pool"))
            );
            let e = round_trip_in_era(&empty, era, TAO, &consts).unwrap_err();
            assert_eq!(e.code, ErrorCode::EmptyPool);
        }
        assert_eq!(
            outputs(&empty, Order::Buy, &[1], Lanes::Scalar, &consts)
                .unwrap_err()
                .code,
            ErrorCode::EmptyPool
        );
    }

    #[test]
    fn curves_in_every_era_are_single_quotes() {
        let consts = SwapConstants::default();
        let p = sn();
        for era in [
            PoolEra::ConstantProduct,
            PoolEra::UniswapV3,
            PoolEra::Balancer,
        ] {
            let pts = slippage_curve_in_era(&p, era, Order::Sell, 100_000 * TAO, 9, true, &consts)
                .unwrap();
            assert_eq!(pts.len(), 9);
            assert_eq!(pts.last().unwrap().amount_in, 100_000 * TAO);
            for pt in &pts {
                let q = quote_in_era(&p, era, Order::Sell, pt.amount_in, None, &consts).unwrap();
                assert_eq!(
                    (pt.amount_out, pt.effective_price_rao),
                    (q.amount_out, q.effective_price_rao)
                );
            }
            assert!(
                pts.windows(2).all(|w| w[1].amount_out >= w[0].amount_out),
                "{era:?}"
            );
            let e = slippage_curve_in_era(&p, era, Order::Buy, 0, 4, false, &consts).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("maxAmount"));
        }
    }

    #[test]
    fn round_trips_cost_the_fees_at_least() {
        let consts = SwapConstants::default();
        let p = sn();
        let tao = 100 * TAO;
        for era in [PoolEra::UniswapV3, PoolEra::Balancer] {
            let rt = round_trip_in_era(&p, era, tao, &consts).unwrap();
            assert_eq!(rt.cost, rt.tao_in - rt.tao_out, "{era:?}");
            // Two fees of FeeRate/65535 each, less what rounding gives back: at least one.
            assert!(rt.cost >= tao * 33 / 65_535, "{era:?}: {rt:?}");
            let alpha = quote_in_era(&p, era, Order::Buy, tao, None, &consts).unwrap();
            assert_eq!(rt.alpha, alpha.amount_out, "{era:?}");
        }
        // The launch pool's flat fee stays in the pool, so the sell gets part of it back.
        let cp = round_trip_in_era(&p, PoolEra::ConstantProduct, tao, &consts).unwrap();
        assert!(cp.cost > 0 && cp.cost < cp.tao_in);
    }

    #[test]
    fn outputs_match_single_quotes_on_both_lanes() {
        let consts = SwapConstants::default();
        let p = sn();
        let amounts = sample_amounts(10_000 * TAO, 16, true);
        let scalar = outputs(&p, Order::Buy, &amounts, Lanes::Scalar, &consts).unwrap();
        let simd = outputs(&p, Order::Buy, &amounts, Lanes::Simd, &consts).unwrap();
        assert_eq!(scalar, simd);
        for (a, out) in amounts.iter().zip(&scalar) {
            let q = weighted::quote(&p, Order::Buy, *a, None, &consts).unwrap();
            assert_eq!(*out, q.amount_out);
        }
    }

    #[test]
    fn era_selection() {
        let schedule = vec![
            bound(5_000_000, 290, PoolEra::UniswapV3),
            bound(100, 200, PoolEra::ConstantProduct),
            bound(9_000_000, 400, PoolEra::Balancer),
        ];
        let sel = |era, block, spec_version, schedule: Option<Vec<EraBoundary>>| EraSelect {
            era,
            block,
            spec_version,
            schedule,
        };
        let s = Some(schedule);
        assert_eq!(
            sel(None, None, None, None).resolve().unwrap(),
            PoolEra::Balancer
        );
        assert_eq!(
            sel(None, None, Some(300), None).resolve().unwrap(),
            PoolEra::Balancer
        );
        let named = sel(Some(PoolEra::ConstantProduct), Some(1), None, s.clone());
        assert_eq!(named.resolve().unwrap(), PoolEra::ConstantProduct);
        let by_block = sel(None, Some(6_852_344), Some(200), s.clone());
        assert_eq!(
            by_block.resolve().unwrap(),
            PoolEra::UniswapV3,
            "the block wins"
        );
        let by_spec = sel(None, None, Some(250), s.clone());
        assert_eq!(by_spec.resolve().unwrap(), PoolEra::ConstantProduct);
        assert_eq!(
            sel(None, None, None, s.clone()).resolve().unwrap(),
            PoolEra::Balancer
        );
        let e = sel(None, Some(50), None, s.clone()).resolve().unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::UnknownEra, Some("block"))
        );
        let e = sel(None, None, Some(100), s).resolve().unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::UnknownEra, Some("specVersion"))
        );
        let e = sel(None, Some(6_852_344), None, None)
            .resolve()
            .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::UnknownEra, Some("schedule"))
        );
    }

    #[test]
    fn quote_rules() {
        let newest = Rules::newest();
        let plain = EraSelect::default();
        assert_eq!(plain.quote_rules(|| Ok(newest.clone())).unwrap(), newest);
        // A caller's schedule with a spec: the spec picks the era; the given rules are not asked.
        let scheduled = EraSelect {
            spec_version: Some(250),
            schedule: Some(vec![bound(1, 200, PoolEra::ConstantProduct)]),
            ..EraSelect::default()
        };
        let r = scheduled.quote_rules(|| Err(Error::new(ErrorCode::Internal, "not asked")));
        assert_eq!(r.unwrap(), newest);
        let e = plain
            .quote_rules(|| {
                Err(Error::field(
                    ErrorCode::UnsupportedRuntime,
                    "specVersion",
                    "x",
                ))
            })
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedRuntime);
        let mut ellipse = newest;
        ellipse.pool_curve = PoolCurve::Superellipse;
        let e = plain.quote_rules(|| Ok(ellipse)).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Unsupported, Some("swapSuperellipse"))
        );
    }
}
