//! Pools, quotes and staking operations: quotes in every pool era, slippage curves, the amount
//! for a target price, round trips, stake / unstake / move with limit prices, and batch quotes.
//!
//! Every function takes one request object. Amounts are `U64Like` (bigint, safe-integer number,
//! or decimal string) and come back as `bigint`; prices are rao per alpha (10^9 = 1 TAO/alpha).
//! The rules live in the core (`pool::quote`, `stake::preview`); this file converts.

use super::convert::{js_error, to_ts};
use super::request::{read, read_request, OrderSide, PoolEraName, Required, U64Like, U64Likes};
use super::runtime::{JsRuntimeChoice, RuntimeChoice};
use crate::js_request;
use serde::Serialize;
use tao_engine::error::Result;
use tao_engine::pool::era::EraBoundary;
use tao_engine::pool::lanes::Lanes;
use tao_engine::pool::quote::{self, EraSelect, Quote};
use tao_engine::pool::swap::{BalancerPool, Order, SwapConstants, SwapResult};
use tao_engine::pool::PoolEra;
use tao_engine::runtime::RuntimeInfo;
use tao_engine::stake::preview::{self, StakePreview, UnstakePreview};
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
    fn pool_at(&self, field: &str) -> Result<BalancerPool> {
        self.pool().map_err(|e| e.within(field))
    }

    /// The pool as its subnet.
    fn subnet_at(&self, field: &str) -> Result<Subnet> {
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

/// The core's era selection from a request's `era`, `block`, `specVersion` and `schedule`.
fn era_select(
    era: Option<PoolEraName>,
    block: Option<U64Like>,
    spec_version: Option<u32>,
    schedule: Option<Vec<EraBoundaryInput>>,
) -> EraSelect {
    EraSelect {
        era: era.map(PoolEra::from),
        block: block.map(|b| b.0),
        spec_version,
        schedule: schedule.map(|s| {
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

js_request! {
    /// A quote: the pool, the side, the amount, and which rules price it — `era` by name, or
    /// `block` / `specVersion` looked up in `schedule` (default: the current weighted pool) —
    /// and which runtime's rules the result carries (`specVersion`, `acceptApproximate`,
    /// `swapSuperellipse`, as in `RuntimeChoice`).
    pub struct QuoteRequest {
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
        /// The pool rules by name.
        #[tsify(optional)]
        era "era": Option<PoolEraName>,
        /// A block, looked up in `schedule`.
        #[tsify(optional)]
        block "block": Option<U64Like>,
        /// A runtime spec version: looked up in `schedule` when there is one; alone, the
        /// runtime whose rules the result carries (unknown specs throw `UNSUPPORTED_RUNTIME`).
        #[tsify(optional)]
        spec_version "specVersion": Option<u32>,
        /// Era boundaries for `block` / `specVersion`.
        #[tsify(optional)]
        schedule "schedule": Option<Vec<EraBoundaryInput>>,
        /// Use the nearest known rules for an unknown spec; results then say `approximate: true`.
        #[tsify(optional)]
        accept_approximate "acceptApproximate": Option<bool>,
        /// The runtime's metadata has `Swap.SwapSuperellipse`.
        #[tsify(optional)]
        swap_superellipse "swapSuperellipse": Option<bool>,
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
    fn new(era: PoolEra, q: Quote, runtime: Option<RuntimeInfo>) -> Self {
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
    let choice = JsRuntimeChoice::from(RuntimeChoice {
        spec_version: req.spec_version,
        accept_approximate: req.accept_approximate,
        swap_superellipse: req.swap_superellipse,
    });
    let run = || -> Result<PoolQuote> {
        let sel = era_select(req.era, req.block, req.spec_version, req.schedule);
        let rules = sel.quote_rules(|| choice.rules_core())?;
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
        let era = era_select(req.era, req.block, req.spec_version, req.schedule).resolve()?;
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
        /// The pool.
        pool "pool": PoolInput,
        /// TAO staked, rao.
        #[tsify(type = "U64Like")]
        amount "amount": Required<U64Like>,
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
        let era = era_select(req.era, req.block, req.spec_version, req.schedule).resolve()?;
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

js_request! {
    /// A stake or an unstake.
    pub struct StakeRequest {
        /// The pool.
        pool "pool": PoolInput,
        /// TAO to stake (addStake) or alpha to unstake (removeStake), rao.
        #[tsify(type = "U64Like")]
        amount "amount": Required<U64Like>,
        /// Limit price, rao per alpha.
        #[tsify(optional)]
        limit_price "limitPrice": Option<U64Like>,
        /// Fill what the limit allows instead of failing (default false: fill-or-kill).
        #[tsify(optional)]
        allow_partial "allowPartial": Option<bool>,
    }
}

/// A subnet's pool after an operation.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct PoolAfter {
    /// `SubnetTAO`, rao.
    tao_reserve: u64,
    /// `SubnetAlphaIn`, rao of alpha.
    alpha_reserve: u64,
    /// Spot price, rao per alpha.
    price_rao: u64,
}

impl From<preview::PoolAfter> for PoolAfter {
    fn from(p: preview::PoolAfter) -> Self {
        PoolAfter {
            tao_reserve: p.tao_reserve,
            alpha_reserve: p.alpha_reserve,
            price_rao: p.price_rao,
        }
    }
}

/// The swap of one operation.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct SwapLeg {
    /// Input that reached the pool.
    amount_paid_in: u64,
    /// Output of the pool.
    amount_paid_out: u64,
    /// Fee, in the input token.
    fee_paid: u64,
}

impl From<SwapResult> for SwapLeg {
    fn from(r: SwapResult) -> Self {
        SwapLeg {
            amount_paid_in: r.amount_paid_in,
            amount_paid_out: r.amount_paid_out,
            fee_paid: r.fee_paid,
        }
    }
}

/// What a stake did.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct StakeResult {
    /// TAO taken from the balance.
    tao_in: u64,
    /// Alpha credited.
    alpha: u64,
    /// Fee in TAO.
    fee_tao: u64,
    /// The swap.
    swap: SwapLeg,
    /// The pool afterwards.
    pool_after: PoolAfter,
}

impl From<StakePreview> for StakeResult {
    fn from(p: StakePreview) -> Self {
        StakeResult {
            tao_in: p.outcome.tao_in,
            alpha: p.outcome.alpha,
            fee_tao: p.outcome.fee_tao,
            swap: p.outcome.swap.into(),
            pool_after: p.pool_after.into(),
        }
    }
}

/// What an unstake did.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct UnstakeResult {
    /// Alpha taken from the stake.
    alpha_in: u64,
    /// Alpha not executed (limit), returned to the stake.
    refund: u64,
    /// TAO paid to the coldkey.
    tao: u64,
    /// Fee in TAO.
    fee_tao: u64,
    /// The swap.
    swap: SwapLeg,
    /// The pool afterwards.
    pool_after: PoolAfter,
}

impl From<UnstakePreview> for UnstakeResult {
    fn from(p: UnstakePreview) -> Self {
        UnstakeResult {
            alpha_in: p.outcome.alpha_in,
            refund: p.outcome.refund,
            tao: p.outcome.tao,
            fee_tao: p.outcome.fee_tao,
            swap: p.outcome.swap.into(),
            pool_after: p.pool_after.into(),
        }
    }
}

/// `add_stake` / `add_stake_limit` under the current rules, from a coldkey that holds the
/// amount: the alpha received, the fee and the pool after. With a limit and `allowPartial`
/// only what fits the limit is staked; without `allowPartial` an order that does not fit fails
/// with `LIMIT_NOT_FILLABLE`. Below the minimum stake: `OUT_OF_RANGE`.
///
/// @example
/// ```ts
/// addStake({ pool, amount: 50_000_000_000n, limitPrice: 9_600_000n, allowPartial: true }).alpha;
/// ```
#[wasm_bindgen(js_name = addStake)]
pub fn add_stake(req: Ts<StakeRequest>) -> Result<Ts<StakeResult>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<StakeResult> {
        preview::add_stake(
            req.pool.subnet_at("pool")?,
            req.amount.0 .0,
            req.limit_price.map(|l| l.0),
            req.allow_partial.unwrap_or(false),
        )
        .map(StakeResult::from)
    };
    to_ts(&run().map_err(js_error)?)
}

/// `remove_stake` / `remove_stake_limit` under the current rules, from a coldkey that holds the
/// alpha: the TAO paid, the fee, the refunded alpha (partial fill) and the pool after.
///
/// @example
/// ```ts
/// removeStake({ pool, amount: 1_000_000_000_000n }).tao;
/// ```
#[wasm_bindgen(js_name = removeStake)]
pub fn remove_stake(req: Ts<StakeRequest>) -> Result<Ts<UnstakeResult>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<UnstakeResult> {
        preview::remove_stake(
            req.pool.subnet_at("pool")?,
            req.amount.0 .0,
            req.limit_price.map(|l| l.0),
            req.allow_partial.unwrap_or(false),
        )
        .map(UnstakeResult::from)
    };
    to_ts(&run().map_err(js_error)?)
}

js_request! {
    /// The largest order that fits a limit price.
    pub struct MaxAmountRequest {
        /// The pool.
        pool "pool": PoolInput,
        /// The side.
        order "order": OrderSide,
        /// Limit price, rao per alpha.
        #[tsify(type = "U64Like")]
        limit_price "limitPrice": Required<U64Like>,
    }
}

/// The largest order that fits a limit price (`get_max_amount_add` for "buy", in TAO;
/// `get_max_amount_remove` for "sell", in alpha), fee included. `LIMIT_NOT_FILLABLE` when
/// nothing fits.
///
/// @example
/// ```ts
/// maxAmount({ pool, order: "buy", limitPrice: 9_600_000n }); // TAO, bigint
/// ```
#[wasm_bindgen(js_name = maxAmount)]
pub fn max_amount(req: Ts<MaxAmountRequest>) -> Result<u64, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<u64> {
        preview::max_amount(
            &req.pool.subnet_at("pool")?,
            req.order.into(),
            req.limit_price.0 .0,
        )
    };
    run().map_err(js_error)
}

js_request! {
    /// A move of stake between two subnets.
    pub struct MoveStakeRequest {
        /// The origin pool (its `netuid` must differ from the destination's).
        origin "origin": PoolInput,
        /// The destination pool.
        destination "destination": PoolInput,
        /// Alpha moved from the origin subnet.
        #[tsify(type = "U64Like")]
        amount "amount": Required<U64Like>,
        /// Limit on the origin/destination price ratio, ×10^9.
        #[tsify(optional)]
        limit_price "limitPrice": Option<U64Like>,
        /// Fill what the limit allows instead of failing (default with a limit: fill-or-kill).
        #[tsify(optional)]
        allow_partial "allowPartial": Option<bool>,
    }
}

/// What a move did.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct MoveResult {
    /// TAO value moved between the legs.
    tao: u64,
    /// The unstake on the origin.
    unstake: Option<UnstakeResult>,
    /// The stake on the destination.
    stake: Option<StakeResult>,
}

/// `move_stake` between two subnets under the current rules: unstake on the origin, restake the
/// TAO on the destination (one fee). `limitPrice` bounds the origin/destination price ratio
/// (×10^9). The two pools need different `netuid`s.
///
/// @example
/// ```ts
/// moveStake({ origin: { ...sn1, netuid: 1 }, destination: { ...sn2, netuid: 2 }, amount: 10n ** 12n }).tao;
/// ```
#[wasm_bindgen(js_name = moveStake)]
pub fn move_stake(req: Ts<MoveStakeRequest>) -> Result<Ts<MoveResult>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<MoveResult> {
        let m = preview::move_stake(
            req.origin.subnet_at("origin")?,
            req.destination.subnet_at("destination")?,
            req.amount.0 .0,
            req.limit_price.map(|l| l.0),
            req.allow_partial,
        )?;
        Ok(MoveResult {
            tao: m.tao,
            unstake: m.unstake.map(UnstakeResult::from),
            stake: m.stake.map(StakeResult::from),
        })
    };
    to_ts(&run().map_err(js_error)?)
}

/// Outputs for many amounts against one weighted pool at the default limit, in one call: the
/// fast path for plots and benchmarks (SIMD lanes for the fixed-point products on the SIMD
/// build). Entry `i` equals `poolQuote({ pool, order, amount: amounts[i] }).amountOut`, or `0n`
/// where that quote fails.
///
/// @example
/// ```ts
/// quoteOutputs({ taoReserve: 10n ** 13n, alphaReserve: 10n ** 15n }, "buy",
///              new BigUint64Array([10n ** 9n, 10n ** 10n])); // BigUint64Array of alpha
/// ```
#[wasm_bindgen(js_name = quoteOutputs)]
pub fn quote_outputs(
    pool: Ts<PoolInput>,
    order: Ts<OrderSide>,
    amounts: Ts<U64Likes>,
) -> Result<Vec<u64>, JsValue> {
    outputs(&pool, &order, &amounts, Lanes::Simd)
}

/// `quoteOutputs` through the scalar kernel (same bits; for benchmarks and checks).
///
/// @example
/// ```ts
/// quoteOutputsScalar(pool, "sell", new BigUint64Array([10n ** 9n]));
/// ```
#[wasm_bindgen(js_name = quoteOutputsScalar)]
pub fn quote_outputs_scalar(
    pool: Ts<PoolInput>,
    order: Ts<OrderSide>,
    amounts: Ts<U64Likes>,
) -> Result<Vec<u64>, JsValue> {
    outputs(&pool, &order, &amounts, Lanes::Scalar)
}

/// The body of `quoteOutputs` / `quoteOutputsScalar`.
fn outputs(
    pool: &Ts<PoolInput>,
    order: &Ts<OrderSide>,
    amounts: &Ts<U64Likes>,
    lanes: Lanes,
) -> Result<Vec<u64>, JsValue> {
    let pool = read(pool, "pool")?;
    let order = read(order, "order")?;
    let amounts = read(amounts, "amounts")?;
    pool.pool_at("pool")
        .and_then(|p| {
            quote::outputs(
                &p,
                order.into(),
                &amounts.0,
                lanes,
                &SwapConstants::default(),
            )
        })
        .map_err(js_error)
}

/// One entry of a batch: a quote, or why that one failed.
#[derive(Serialize, Tsify)]
#[serde(untagged)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub enum BatchEntry {
    /// The quote.
    Ok {
        /// Always true.
        #[tsify(type = "true")]
        ok: bool,
        /// The quote.
        quote: PoolQuote,
    },
    /// The error this entry would have thrown.
    Err {
        /// Always false.
        #[tsify(type = "false")]
        ok: bool,
        /// The error code.
        code: &'static str,
        /// The offending input.
        field: Option<String>,
        /// What went wrong.
        message: String,
    },
}

impl From<Result<Quote>> for BatchEntry {
    fn from(r: Result<Quote>) -> Self {
        match r {
            Ok(q) => BatchEntry::Ok {
                ok: true,
                quote: PoolQuote::new(PoolEra::Balancer, q, None),
            },
            Err(e) => BatchEntry::Err {
                ok: false,
                code: e.code.as_str(),
                field: e.field,
                message: e.message,
            },
        }
    }
}

/// A batch of quotes, one entry per amount or pool, in order.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct BatchEntries(Vec<BatchEntry>);

impl From<Vec<Result<Quote>>> for BatchEntries {
    fn from(v: Vec<Result<Quote>>) -> Self {
        BatchEntries(v.into_iter().map(BatchEntry::from).collect())
    }
}

js_request! {
    /// Many amounts against one weighted pool.
    pub struct QuoteAmountsRequest {
        /// The pool.
        pool "pool": PoolInput,
        /// The side.
        order "order": OrderSide,
        /// Inputs, fee included.
        amounts "amounts": U64Likes,
    }
}

/// Full quotes for many amounts against one weighted pool (one wasm call); a failing amount
/// gives `{ ok: false, code, field, message }` in its slot instead of throwing.
///
/// @example
/// ```ts
/// quoteAmounts({ pool, order: "buy", amounts: [1n, 10n ** 9n] }).map(e => e.ok && e.quote.amountOut);
/// ```
#[wasm_bindgen(js_name = quoteAmounts)]
pub fn quote_amounts(req: Ts<QuoteAmountsRequest>) -> Result<Ts<BatchEntries>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<BatchEntries> {
        quote::quote_amounts(
            &req.pool.pool_at("pool")?,
            req.order.into(),
            &req.amounts.0,
            &SwapConstants::default(),
        )
        .map(BatchEntries::from)
    };
    to_ts(&run().map_err(js_error)?)
}

js_request! {
    /// One amount against many weighted pools.
    pub struct QuotePoolsRequest {
        /// The pools.
        pools "pools": Vec<PoolInput>,
        /// The side.
        order "order": OrderSide,
        /// Input, fee included.
        #[tsify(type = "U64Like")]
        amount "amount": Required<U64Like>,
    }
}

/// One amount against many weighted pools (e.g. every subnet); a failing pool gives an error
/// entry in its slot.
///
/// @example
/// ```ts
/// quotePools({ pools: [sn1, sn2], order: "buy", amount: 10n ** 10n });
/// ```
#[wasm_bindgen(js_name = quotePools)]
pub fn quote_pools(req: Ts<QuotePoolsRequest>) -> Result<Ts<BatchEntries>, JsValue> {
    let req = read_request(&req)?;
    let run = || -> Result<BatchEntries> {
        let pools = req
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| p.pool_at(&format!("pools[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        quote::quote_pools(
            &pools,
            req.order.into(),
            req.amount.0 .0,
            &SwapConstants::default(),
        )
        .map(BatchEntries::from)
    };
    to_ts(&run().map_err(js_error)?)
}
