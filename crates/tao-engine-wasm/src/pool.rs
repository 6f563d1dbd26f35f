//! Pool quotes at the boundary: quotes in every pool era, slippage curves, the amount for a
//! target price and round trips.
//!
//! Every function takes one request object. Amounts are `U64Like` (bigint, safe-integer number,
//! or decimal string) and come back as `bigint`; prices are rao per alpha (10^9 = 1 TAO/alpha).
//! The rules live in the core (`pool::quote`); this file converts. The pool input and the quote
//! are shared with `pool_batch.rs` (batch quotes) and `stake_preview.rs` (stake, unstake, move).

use super::convert::{js_error, to_ts};
use super::request::{read_request, OrderSide, PoolEraName, Required, U64Like};
use super::runtime::RuntimeChoice;
use crate::js_request;
use serde::Serialize;
use tao_engine::error::Result;
use tao_engine::pool::era::EraBoundary;
use tao_engine::pool::quote::{self, EraSelect, Quote};
use tao_engine::pool::swap::{BalancerPool, Order, SwapConstants};
use tao_engine::pool::PoolEra;
use tao_engine::runtime::RuntimeInfo;
use tao_engine::stake::preview;
use tao_engine::stake::Subnet;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

impl From<PoolEraName> for PoolEra {
    fn from(e: PoolEraName) -> Self {
        match e {
            PoolEraName::Weighted => PoolEra::Balancer,
            PoolEraName::V3 => PoolEra::UniswapV3,
            PoolEraName::ConstantProduct => PoolEra::ConstantProduct,
            PoolEraName::Superellipse => PoolEra::Superellipse,
        }
    }
}

impl From<PoolEra> for PoolEraName {
    fn from(e: PoolEra) -> Self {
        match e {
            PoolEra::Balancer => PoolEraName::Weighted,
            PoolEra::UniswapV3 => PoolEraName::V3,
            PoolEra::ConstantProduct => PoolEraName::ConstantProduct,
            PoolEra::Superellipse => PoolEraName::Superellipse,
        }
    }
}

impl From<OrderSide> for Order {
    fn from(o: OrderSide) -> Self {
        match o {
            OrderSide::Buy => Order::Buy,
            OrderSide::Sell => Order::Sell,
        }
    }
}

js_request! {
    /// A subnet pool.
    pub struct PoolInput {
        /// `SubnetTAO`, rao.
        #[tsify(type = "U64Like")]
        tao_reserve "taoReserve": Required<U64Like>,
        /// `SubnetAlphaIn`, rao of alpha.
        #[tsify(type = "U64Like")]
        alpha_reserve "alphaReserve": Required<U64Like>,
        /// Weight of the TAO side in 10^-18 (Perquintill parts); default 5×10^17 (50/50).
        #[tsify(optional)]
        quote_weight "quoteWeight": Option<U64Like>,
        /// `FeeRate` out of 65535; default 33.
        #[tsify(optional)]
        fee_rate "feeRate": Option<u16>,
        /// Subnet id (default 1).
        #[tsify(optional)]
        netuid "netuid": Option<u16>,
    }
}

impl PoolInput {
    /// The weighted pool (errors name the field inside the pool).
    fn pool(&self) -> Result<BalancerPool> {
        quote::weighted_pool(
            self.tao_reserve.0 .0,
            self.alpha_reserve.0 .0,
            self.quote_weight.map(|w| w.0),
            self.fee_rate,
        )
    }

    /// The pool read as the request field `field` names it.
    pub(crate) fn pool_at(&self, field: &str) -> Result<BalancerPool> {
        self.pool().map_err(|e| e.within(field))
    }

    /// The pool as its subnet.
    pub(crate) fn subnet_at(&self, field: &str) -> Result<Subnet> {
        Ok(preview::subnet(
            self.pool_at(field)?,
            self.netuid.unwrap_or(preview::DEFAULT_NETUID),
        ))
    }
}

js_request! {
    /// One change of pool rules, for picking the era by block or runtime version.
    pub struct EraBoundaryInput {
        /// First block of the era.
        #[tsify(type = "U64Like")]
        block "block": Required<U64Like>,
        /// Runtime spec version that introduced it.
        #[tsify(type = "number")]
        spec_version "specVersion": Required<u32>,
        /// The era from that block on.
        era "era": PoolEraName,
    }
}

js_request! {
    /// Which pool rules price a call: `era` by name, or `block` / `specVersion` looked up in
    /// `schedule` (default: the current weighted pool).
    pub struct EraChoice {
        /// The pool rules by name.
        #[tsify(optional)]
        era "era": Option<PoolEraName>,
        /// A block, looked up in `schedule`.
        #[tsify(optional)]
        block "block": Option<U64Like>,
        /// A runtime spec version, looked up in `schedule`.
        #[tsify(optional)]
        spec_version "specVersion": Option<u32>,
        /// Era boundaries for `block` / `specVersion`.
        #[tsify(optional)]
        schedule "schedule": Option<Vec<EraBoundaryInput>>,
    }
}

impl EraChoice {
    /// The core's era selection.
    fn select(self) -> EraSelect {
        EraSelect {
            era: self.era.map(PoolEra::from),
            block: self.block.map(|b| b.0),
            spec_version: self.spec_version,
            schedule: self.schedule.map(|s| {
                s.into_iter()
                    .map(|b| EraBoundary {
                        block: b.block.0 .0,
                        spec_version: b.spec_version.0,
                        era: b.era.into(),
                    })
                    .collect()
            }),
        }
    }
}

js_request! {
    /// A quote: the pool, the side, the amount, and which rules price it — `era` by name, or
    /// `block` / `specVersion` looked up in `schedule` (default: the current weighted pool) —
    /// and which runtime's rules the result carries (`specVersion`, `acceptApproximate`,
    /// `swapSuperellipse`, as in `RuntimeChoice`).
    pub struct QuoteRequest {
        // The pool rules: `era`, or `block` / `specVersion` in `schedule`.
        ..rules: EraChoice,
        // The runtime: its `specVersion` is looked up in `schedule` when there is one; alone,
        // it names the runtime whose rules the result carries (unknown specs throw
        // `UNSUPPORTED_RUNTIME`).
        ..runtime: RuntimeChoice,
        /// The pool.
        pool "pool": PoolInput,
        /// "buy" stakes TAO for alpha, "sell" unstakes alpha for TAO.
        order "order": OrderSide,
        /// Input, fee included: TAO (buy) or alpha (sell), rao.
        #[tsify(type = "U64Like")]
        amount "amount": Required<U64Like>,
        /// Limit price, rao per alpha (default: the chain's max price for buys, min for sells).
        #[tsify(optional)]
        limit_price "limitPrice": Option<U64Like>,
    }
}

/// What an amount gets.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct PoolQuote {
    /// The rules that priced it.
    era: PoolEraName,
    /// Input offered, fee included.
    amount_in: u64,
    /// Input that reached the pool (net of the fee).
    amount_paid_in: u64,
    /// Input not executed because the limit price was reached.
    refund: u64,
    /// Output: alpha (buy) or TAO (sell).
    amount_out: u64,
    /// In the input token.
    fee: u64,
    /// Spot price before, rao per alpha.
    spot_price_rao: u64,
    /// Spot price after, rao per alpha.
    price_after_rao: u64,
    /// TAO per alpha realised, fee included, rao per alpha.
    effective_price_rao: u64,
    /// The same in TAO per alpha (display).
    effective_price: f64,
    /// (after − before) / before.
    price_impact: f64,
    /// Output at the spot price before (no fee, no impact) minus the output.
    slippage: u64,
    /// poolQuote: the runtime whose rules priced the trade.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "RuntimeInfo")]
    runtime: Option<RuntimeInfo>,
}

impl PoolQuote {
    pub(crate) fn new(era: PoolEra, q: Quote, runtime: Option<RuntimeInfo>) -> Self {
        PoolQuote {
            era: era.into(),
            amount_in: q.amount_in,
            amount_paid_in: q.amount_paid_in,
            refund: q.refund,
            amount_out: q.amount_out,
            fee: q.fee,
            spot_price_rao: q.spot_price_rao,
            price_after_rao: q.price_after_rao,
            effective_price_rao: q.effective_price_rao,
            effective_price: q.effective_price,
            price_impact: q.price_impact,
            slippage: q.slippage,
            runtime,
        }
    }
}

/// Quote a trade as the chain would execute it in the chosen pool era: output, fee, effective
/// price, price impact and slippage. Pure: nothing changes.
///
/// Throws `Error`/`RangeError` with `code`: `ZERO_AMOUNT`, `NEGATIVE`, `TOO_LARGE` (above u64,
/// or above 1000 × the input reserve), `EMPTY_POOL` (no liquidity, or the output reserve under
/// the chain's minimum), `UNKNOWN_ERA`, `LIMIT_NOT_FILLABLE` (the limit is already passed),
/// `INVALID_TYPE`, `MISSING_FIELD`; `field` names the input.
///
/// @example
/// ```ts
/// const q = poolQuote({ pool: { taoReserve: 22_080_655_078_468n, alphaReserve: 2_315_643_876_555_309n },
///                       order: "buy", amount: 100_000_000_000n });
/// q.amountOut;        // alpha received, bigint
/// q.effectivePrice;   // TAO per alpha, fee included
/// ```
#[wasm_bindgen(js_name = poolQuote)]
pub fn pool_quote(req: Ts<QuoteRequest>) -> Result<Ts<PoolQuote>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<PoolQuote> {
        let sel = req.rules.select();
        let rules = sel.quote_rules(|| req.runtime.rules_core())?;
        let era = sel.resolve()?;
        let q = quote::quote_in_era(
            &req.pool.pool_at("pool")?,
            era,
            req.order.into(),
            req.amount.0 .0,
            req.limit_price.map(|l| l.0),
            &SwapConstants::default(),
        )?;
        Ok(PoolQuote::new(era, q, Some(rules.info())))
    };
    to_ts(&run().map_err(js_error)?)
}

js_request! {
    /// A slippage curve: `points` inputs up to `maxAmount`.
    pub struct CurveRequest {
        // The pool rules: `era`, or `block` / `specVersion` in `schedule`.
        ..rules: EraChoice,
        /// The pool.
        pool "pool": PoolInput,
        /// The side.
        order "order": OrderSide,
        /// Largest input sampled.
        #[tsify(type = "U64Like")]
        max_amount "maxAmount": Required<U64Like>,
        /// Number of points (default 64, at most 4096).
        #[tsify(optional)]
        points "points": Option<u32>,
        /// Geometric spacing from maxAmount/10^6 (default false: even spacing).
        #[tsify(optional)]
        logarithmic "logarithmic": Option<bool>,
    }
}

/// One point of a slippage curve.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct CurvePoint {
    /// Input, fee included.
    amount_in: u64,
    /// 0 where the swap fails.
    amount_out: u64,
    /// Rao per alpha (0 where the swap fails).
    effective_price_rao: u64,
    /// (after − before) / before.
    price_impact: f64,
}

/// The points of a slippage curve, smallest input first.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct SlippageCurve(Vec<CurvePoint>);

/// The slippage curve for plotting: `points` inputs up to `maxAmount` (even or geometric
/// spacing), each quoted exactly (weighted era: the pool-dependent part of the exponentiation is
/// prepared once). Failed points have `amountOut` 0.
///
/// @example
/// ```ts
/// const pts = slippageCurve({ pool, order: "buy", maxAmount: 1_000_000_000_000n, points: 100 });
/// pts.map(p => Number(p.effectivePriceRao) / 1e9); // TAO per alpha along the curve
/// ```
#[wasm_bindgen(js_name = slippageCurve)]
pub fn slippage_curve(req: Ts<CurveRequest>) -> Result<Ts<SlippageCurve>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<SlippageCurve> {
        let pool = req.pool.pool_at("pool")?;
        let n = quote::curve_points(req.points)?;
        let era = req.rules.select().resolve()?;
        let points = quote::slippage_curve_in_era(
            &pool,
            era,
            req.order.into(),
            req.max_amount.0 .0,
            n,
            req.logarithmic.unwrap_or(false),
            &SwapConstants::default(),
        )?;
        Ok(SlippageCurve(
            points
                .into_iter()
                .map(|p| CurvePoint {
                    amount_in: p.amount_in,
                    amount_out: p.amount_out,
                    effective_price_rao: p.effective_price_rao,
                    price_impact: p.price_impact,
                })
                .collect(),
        ))
    };
    to_ts(&run().map_err(js_error)?)
}

js_request! {
    /// The input that moves the weighted pool's price to a target.
    pub struct TargetPriceRequest {
        /// The pool.
        pool "pool": PoolInput,
        /// The side.
        order "order": OrderSide,
        /// Rao per alpha: above the spot price for a buy, below for a sell.
        #[tsify(type = "U64Like")]
        target_price "targetPrice": Required<U64Like>,
    }
}

/// The input (fee included) that moves the weighted pool's spot price to `targetPrice`, with
/// the quote of that trade. Throws `LIMIT_NOT_FILLABLE` (`field` `targetPrice`) when the target
/// is not above (buy) / below (sell) the spot price.
///
/// @example
/// ```ts
/// const q = amountForPrice({ pool, order: "buy", targetPrice: 10_000_000n }); // to 0.01 TAO/alpha
/// q.amountIn; // TAO needed, bigint
/// ```
#[wasm_bindgen(js_name = amountForPrice)]
pub fn amount_for_price(req: Ts<TargetPriceRequest>) -> Result<Ts<PoolQuote>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<PoolQuote> {
        let q = quote::amount_for_price(
            &req.pool.pool_at("pool")?,
            req.order.into(),
            req.target_price.0 .0,
            &SwapConstants::default(),
        )?;
        Ok(PoolQuote::new(PoolEra::Balancer, q, None))
    };
    to_ts(&run().map_err(js_error)?)
}

js_request! {
    /// A stake followed at once by an unstake of what it bought.
    pub struct RoundTripRequest {
        // The pool rules: `era`, or `block` / `specVersion` in `schedule`.
        ..rules: EraChoice,
        /// The pool.
        pool "pool": PoolInput,
        /// TAO staked, rao.
        #[tsify(type = "U64Like")]
        amount "amount": Required<U64Like>,
    }
}

/// What a round trip costs.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RoundTrip {
    /// The rules that priced it.
    era: PoolEraName,
    /// TAO staked.
    tao_in: u64,
    /// Alpha bought and sold back.
    alpha: u64,
    /// TAO received back.
    tao_out: u64,
    /// taoIn − taoOut: fees plus price impact.
    cost: u64,
    /// cost / taoIn.
    cost_fraction: f64,
}

/// Stake `amount` TAO and unstake at once everything it bought: what fees and price impact
/// cost in the chosen era.
///
/// @example
/// ```ts
/// roundTrip({ pool, amount: 10_000_000_000n }).costFraction; // e.g. 0.0012
/// ```
#[wasm_bindgen(js_name = roundTrip)]
pub fn round_trip(req: Ts<RoundTripRequest>) -> Result<Ts<RoundTrip>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<RoundTrip> {
        let pool = req.pool.pool_at("pool")?;
        let era = req.rules.select().resolve()?;
        let rt = quote::round_trip_in_era(&pool, era, req.amount.0 .0, &SwapConstants::default())?;
        Ok(RoundTrip {
            era: era.into(),
            tao_in: rt.tao_in,
            alpha: rt.alpha,
            tao_out: rt.tao_out,
            cost: rt.cost,
            cost_fraction: rt.cost_fraction,
        })
    };
    to_ts(&run().map_err(js_error)?)
}
