//! Pools, quotes and staking operations: quotes in every pool era, slippage curves, the amount
//! for a target price, round trips, stake / unstake / move with limit prices, and batch quotes.
//!
//! Every function takes one request object. Amounts are `U64Like` (bigint, safe-integer number,
//! or decimal string) and come back as `bigint`; prices are rao per alpha (10^9 = 1 TAO/alpha).

use super::convert::{to_js, to_u64, to_u64s};
use super::runtime::{choice_of, JsRuntimeInfo};
use js_sys::Reflect;
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::pool::balancer::Balancer;
use tao_engine::pool::batch::quote_outputs;
use tao_engine::pool::era::EraBoundary;
use tao_engine::pool::lanes::Lanes;
use tao_engine::pool::perquintill::Perquintill;
use tao_engine::pool::swap::{BalancerPool, Order, SwapConstants, SwapResult};
use tao_engine::pool::v3::V3Pool;
use tao_engine::pool::{AnyPool, EraSchedule, PoolEra};
use tao_engine::stake::ops::{StakeParams, StakingState};
use tao_engine::stake::quote::{self, Quote};
use tao_engine::stake::{limits, Subnet};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_POOL: &'static str = r#"
/** Pool rules: the current weighted pool, Uniswap v3 (2025-06-30 … 2026-06-25), or the
 * constant-product pool of the dTAO launch. "balancer" and "uniswap-v3" are accepted too. */
export type PoolEraName = "weighted" | "v3" | "constant-product";

/** One change of pool rules, for picking the era by block or runtime version. */
export interface EraBoundaryInput {
  /** First block of the era. */
  block: number;
  /** Runtime spec version that introduced it. */
  specVersion: number;
  era: PoolEraName;
}

/** A subnet pool. */
export interface PoolInput {
  /** `SubnetTAO`, rao. */
  taoReserve: U64Like;
  /** `SubnetAlphaIn`, rao of alpha. */
  alphaReserve: U64Like;
  /** Weight of the TAO side in 10^-18 (Perquintill parts); default 5×10^17 (50/50). */
  quoteWeight?: U64Like;
  /** `FeeRate` out of 65535; default 33. */
  feeRate?: number;
  /** Subnet id (default 1). */
  netuid?: number;
}

/** Which rules price the trade: `era` by name, or `block` / `specVersion` looked up in
 * `schedule`. Default: the current weighted pool. */
export interface EraSelect {
  era?: PoolEraName;
  block?: number;
  specVersion?: number;
  schedule?: EraBoundaryInput[];
}

export type OrderSide = "buy" | "sell";

export interface QuoteRequest extends EraSelect, RuntimeChoice {
  pool: PoolInput;
  /** "buy" stakes TAO for alpha, "sell" unstakes alpha for TAO. */
  order: OrderSide;
  /** Input, fee included: TAO (buy) or alpha (sell), rao. */
  amount: U64Like;
  /** Limit price, rao per alpha (default: the chain's max price for buys, min for sells). */
  limitPrice?: U64Like;
}

/** What an amount gets. */
export interface PoolQuote {
  era: PoolEraName;
  amountIn: bigint;
  /** Input that reached the pool (net of the fee). */
  amountPaidIn: bigint;
  /** Input not executed because the limit price was reached. */
  refund: bigint;
  amountOut: bigint;
  /** In the input token. */
  fee: bigint;
  spotPriceRao: bigint;
  priceAfterRao: bigint;
  /** TAO per alpha realised, fee included, rao per alpha. */
  effectivePriceRao: bigint;
  effectivePrice: number;
  /** (after − before) / before. */
  priceImpact: number;
  /** Output at the spot price before (no fee, no impact) minus the output. */
  slippage: bigint;
  /** poolQuote: the runtime whose rules priced the trade. */
  runtime?: RuntimeInfo;
}

export interface CurveRequest extends EraSelect {
  pool: PoolInput;
  order: OrderSide;
  /** Largest input sampled. */
  maxAmount: U64Like;
  /** Number of points (default 64, at most 4096). */
  points?: number;
  /** Geometric spacing from maxAmount/10^6 (default false: even spacing). */
  logarithmic?: boolean;
}

export interface CurvePoint {
  amountIn: bigint;
  /** 0 where the swap fails. */
  amountOut: bigint;
  effectivePriceRao: bigint;
  priceImpact: number;
}

export interface TargetPriceRequest {
  pool: PoolInput;
  order: OrderSide;
  /** Rao per alpha: above the spot price for a buy, below for a sell. */
  targetPrice: U64Like;
}

export interface RoundTripRequest extends EraSelect {
  pool: PoolInput;
  /** TAO staked, rao. */
  amount: U64Like;
}

export interface RoundTrip {
  era: PoolEraName;
  taoIn: bigint;
  alpha: bigint;
  taoOut: bigint;
  /** taoIn − taoOut: fees plus price impact. */
  cost: bigint;
  costFraction: number;
}

export interface StakeRequest {
  pool: PoolInput;
  /** TAO to stake (addStake) or alpha to unstake (removeStake), rao. */
  amount: U64Like;
  limitPrice?: U64Like;
  /** Fill what the limit allows instead of failing (default false: fill-or-kill). */
  allowPartial?: boolean;
}

export interface PoolAfter {
  taoReserve: bigint;
  alphaReserve: bigint;
  priceRao: bigint;
}

export interface SwapLeg {
  amountPaidIn: bigint;
  amountPaidOut: bigint;
  feePaid: bigint;
}

export interface StakeResult {
  /** TAO taken from the balance. */
  taoIn: bigint;
  /** Alpha credited. */
  alpha: bigint;
  /** Fee in TAO. */
  feeTao: bigint;
  swap: SwapLeg;
  poolAfter: PoolAfter;
}

export interface UnstakeResult {
  /** Alpha taken from the stake. */
  alphaIn: bigint;
  /** Alpha not executed (limit), returned to the stake. */
  refund: bigint;
  /** TAO paid to the coldkey. */
  tao: bigint;
  feeTao: bigint;
  swap: SwapLeg;
  poolAfter: PoolAfter;
}

export interface MaxAmountRequest {
  pool: PoolInput;
  order: OrderSide;
  limitPrice: U64Like;
}

export interface MoveStakeRequest {
  origin: PoolInput;
  destination: PoolInput;
  /** Alpha moved from the origin subnet. */
  amount: U64Like;
  /** Limit on the origin/destination price ratio, ×10^9. */
  limitPrice?: U64Like;
  allowPartial?: boolean;
}

export interface MoveResult {
  /** TAO value moved between the legs. */
  tao: bigint;
  unstake: UnstakeResult | null;
  stake: StakeResult | null;
}

export interface QuotePoolsRequest {
  pools: PoolInput[];
  order: OrderSide;
  amount: U64Like;
}

/** One entry of a batch: a quote, or why that one failed. */
export type BatchEntry =
  | { ok: true; quote: PoolQuote }
  | { ok: false; code: string; field: string | null; message: string };
"#;

/// [`super::convert::js_error`], with the core's snake_case field names in the request's
/// camelCase spelling.
fn js_error(mut e: Error) -> JsValue {
    let renamed = match e.field.as_deref() {
        Some("limit_price") => Some("limitPrice"),
        Some("target_price") => Some("targetPrice"),
        Some("spec_version") => Some("specVersion"),
        _ => None,
    };
    if let Some(f) = renamed {
        e.field = Some(f.to_string());
    }
    super::convert::js_error(e)
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn object(v: &JsValue, field: &str) -> Result<()> {
    if v.is_object() && !js_sys::Array::is_array(v) {
        Ok(())
    } else {
        Err(Error::field(
            ErrorCode::InvalidType,
            field,
            "expected an object",
        ))
    }
}

fn path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn req_u64(obj: &JsValue, prefix: &str, key: &str) -> Result<u64> {
    let v = get(obj, key);
    let f = path(prefix, key);
    if v.is_undefined() {
        return Err(Error::field(
            ErrorCode::MissingField,
            &f,
            format!("{f} is required"),
        ));
    }
    to_u64(&v, &f)
}

fn opt_u64(obj: &JsValue, prefix: &str, key: &str) -> Result<Option<u64>> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    to_u64(&v, &path(prefix, key)).map(Some)
}

fn amount(obj: &JsValue, key: &str) -> Result<u64> {
    let a = req_u64(obj, "", key)?;
    if a == 0 {
        return Err(Error::field(ErrorCode::ZeroAmount, key, "amount is zero"));
    }
    Ok(a)
}

fn opt_bool(obj: &JsValue, key: &str) -> Result<Option<bool>> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, key, "expected a boolean"))
}

fn opt_small(obj: &JsValue, prefix: &str, key: &str, max: u64) -> Result<Option<u64>> {
    let Some(v) = opt_u64(obj, prefix, key)? else {
        return Ok(None);
    };
    if v > max {
        let f = path(prefix, key);
        return Err(Error::field(
            ErrorCode::OutOfRange,
            &f,
            format!("{f} must be at most {max}"),
        ));
    }
    Ok(Some(v))
}

fn parse_order(obj: &JsValue) -> Result<Order> {
    match get(obj, "order").as_string().as_deref() {
        Some("buy") | Some("stake") => Ok(Order::Buy),
        Some("sell") | Some("unstake") => Ok(Order::Sell),
        _ => Err(Error::field(
            ErrorCode::InvalidType,
            "order",
            "order must be \"buy\" or \"sell\"",
        )),
    }
}

fn era_from_name(s: &str, field: &str) -> Result<PoolEra> {
    match s {
        "weighted" | "balancer" => Ok(PoolEra::Balancer),
        "v3" | "uniswap-v3" => Ok(PoolEra::UniswapV3),
        "constant-product" => Ok(PoolEra::ConstantProduct),
        "superellipse" => Ok(PoolEra::Superellipse),
        other => Err(Error::field(
            ErrorCode::UnknownEra,
            field,
            format!(
                "unknown pool era {other:?} (use \"weighted\", \"v3\" or \"constant-product\")"
            ),
        )),
    }
}

fn era_name(e: PoolEra) -> &'static str {
    match e {
        PoolEra::Balancer => "weighted",
        PoolEra::UniswapV3 => "v3",
        PoolEra::ConstantProduct => "constant-product",
        PoolEra::Superellipse => "superellipse",
    }
}

/// The era a request asks for: `era`, else `block`/`specVersion` in `schedule`, else weighted.
fn parse_era(obj: &JsValue) -> Result<PoolEra> {
    let e = get(obj, "era");
    if !e.is_undefined() && !e.is_null() {
        let s = e
            .as_string()
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, "era", "era must be a string"))?;
        return era_from_name(&s, "era");
    }
    let block = opt_u64(obj, "", "block")?;
    let spec = opt_small(obj, "", "specVersion", u64::from(u32::MAX))?;
    if block.is_none() && spec.is_none() {
        return Ok(PoolEra::Balancer);
    }
    let sched = get(obj, "schedule");
    if block.is_none() && (sched.is_undefined() || sched.is_null()) {
        // A spec version alone names a runtime whose rules the engine holds (`runtimeRules`):
        // every runtime from 424 on swaps on the weighted pool.
        return Ok(PoolEra::Balancer);
    }
    if !js_sys::Array::is_array(&sched) {
        return Err(Error::field(
            ErrorCode::UnknownEra,
            "schedule",
            "picking the era by block or spec version needs a schedule of era boundaries",
        ));
    }
    let arr: js_sys::Array = sched.unchecked_into();
    let mut bounds = Vec::with_capacity(arr.length() as usize);
    for (i, b) in arr.iter().enumerate() {
        let p = format!("schedule[{i}]");
        object(&b, &p)?;
        let era_s = get(&b, "era").as_string().ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidType,
                &format!("{p}.era"),
                "era must be a string",
            )
        })?;
        let spec_version = u32::try_from(req_u64(&b, &p, "specVersion")?).map_err(|_| {
            Error::field(
                ErrorCode::OutOfRange,
                &format!("{p}.specVersion"),
                "above u32::MAX",
            )
        })?;
        bounds.push(EraBoundary {
            block: req_u64(&b, &p, "block")?,
            spec_version,
            era: era_from_name(&era_s, &format!("{p}.era"))?,
        });
    }
    let schedule = EraSchedule::new(bounds)?;
    match (block, spec) {
        (Some(b), _) => schedule.at_block(b),
        (None, Some(s)) => schedule.at_spec_version(s as u32),
        (None, None) => Ok(PoolEra::Balancer),
    }
}

/// The weighted pool of a `PoolInput` (with its netuid).
fn parse_pool(v: &JsValue, prefix: &str) -> Result<(BalancerPool, u16)> {
    object(v, prefix)?;
    let mut pool = BalancerPool::new(
        req_u64(v, prefix, "taoReserve")?,
        req_u64(v, prefix, "alphaReserve")?,
    );
    if let Some(w) = opt_u64(v, prefix, "quoteWeight")? {
        pool.weights = Balancer::new(Perquintill::from_parts(w)).ok_or_else(|| {
            Error::field(
                ErrorCode::OutOfRange,
                &path(prefix, "quoteWeight"),
                "the TAO weight must be between 0.01 and 0.99 (10^16 … 99×10^16 parts)",
            )
        })?;
    }
    if let Some(f) = opt_small(v, prefix, "feeRate", u64::from(u16::MAX))? {
        pool.fee_rate = f as u16;
    }
    let netuid = opt_small(v, prefix, "netuid", u64::from(u16::MAX))?.unwrap_or(1) as u16;
    Ok((pool, netuid))
}

fn check_liquidity(pool: &BalancerPool, field: &str) -> Result<()> {
    if pool.tao_reserve == 0 || pool.alpha_reserve == 0 {
        return Err(Error::field(
            ErrorCode::EmptyPool,
            field,
            "the pool has no liquidity",
        ));
    }
    Ok(())
}

/// The request's pool under the request's era.
fn any_pool(pool: &BalancerPool, era: PoolEra) -> AnyPool {
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

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsQuote {
    era: &'static str,
    amount_in: u64,
    amount_paid_in: u64,
    refund: u64,
    amount_out: u64,
    fee: u64,
    spot_price_rao: u64,
    price_after_rao: u64,
    effective_price_rao: u64,
    effective_price: f64,
    price_impact: f64,
    slippage: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime: Option<JsRuntimeInfo>,
}

impl JsQuote {
    fn new(era: PoolEra, q: Quote) -> Self {
        JsQuote {
            era: era_name(era),
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
            runtime: None,
        }
    }
}

fn quote_in(
    pool: &BalancerPool,
    era: PoolEra,
    order: Order,
    amount: u64,
    limit: Option<u64>,
) -> Result<Quote> {
    check_liquidity(pool, "pool")?;
    let consts = SwapConstants::default();
    match era {
        PoolEra::Balancer => quote::quote(pool, order, amount, limit, &consts),
        _ => quote::quote_model(any_pool(pool, era).model(), order, amount, limit, &consts),
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
#[wasm_bindgen(js_name = poolQuote, unchecked_return_type = "PoolQuote")]
pub fn pool_quote(
    #[wasm_bindgen(unchecked_param_type = "QuoteRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsQuote> {
        object(&req, "request")?;
        let (pool, _) = parse_pool(&get(&req, "pool"), "pool")?;
        let order = parse_order(&req)?;
        let amount = amount(&req, "amount")?;
        let limit = opt_u64(&req, "", "limitPrice")?;
        let era = parse_era(&req)?;
        Ok(JsQuote::new(
            era,
            quote_in(&pool, era, order, amount, limit)?,
        ))
    };
    // The runtime's rules: every runtime 424–475 quotes on the balancer (reservoirs change
    // injection, not swaps); the superellipse curve is chosen only by the metadata flag, and its
    // state is not a pair of reserves.
    let choice = choice_of(&req).map_err(js_error)?;
    let rules = if choice.spec_version.is_some() && js_sys::Array::is_array(&get(&req, "schedule"))
    {
        // A caller-supplied historical schedule: the spec picks the era, not a rule set.
        tao_engine::runtime::Rules::newest()
    } else {
        choice.rules()?
    };
    if rules.pool_curve == tao_engine::runtime::PoolCurve::Superellipse {
        return Err(js_error(Error::field(
            ErrorCode::Unsupported,
            "swapSuperellipse",
            "this runtime swaps on the superellipse curve, whose state is not a pair of reserves",
        )));
    }
    let mut q = run().map_err(js_error)?;
    q.runtime = Some(rules.info());
    to_js(&q)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsCurvePoint {
    amount_in: u64,
    amount_out: u64,
    effective_price_rao: u64,
    price_impact: f64,
}

/// The slippage curve for plotting: `points` inputs up to `maxAmount` (even or geometric
/// spacing), each quoted exactly (weighted era: the pool-dependent part of the exponentiation is
/// prepared once). Failed points have `amountOut` 0.
///
/// @example
/// ```ts
/// const pts = slippageCurve({ pool, order: "buy", maxAmount: 1_000_000_000_000n, points: 100 });
/// pts.map(p => Number(p.effectivePriceRao) / 1e9); // TAO per alpha along the curve
/// ```
#[wasm_bindgen(js_name = slippageCurve, unchecked_return_type = "CurvePoint[]")]
pub fn slippage_curve(
    #[wasm_bindgen(unchecked_param_type = "CurveRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<Vec<JsCurvePoint>> {
        object(&req, "request")?;
        let (pool, _) = parse_pool(&get(&req, "pool"), "pool")?;
        check_liquidity(&pool, "pool")?;
        let order = parse_order(&req)?;
        let max = amount(&req, "maxAmount")?;
        let n = opt_small(&req, "", "points", 4096)?.unwrap_or(64) as usize;
        let log = opt_bool(&req, "logarithmic")?.unwrap_or(false);
        let era = parse_era(&req)?;
        let consts = SwapConstants::default();
        let points = match era {
            PoolEra::Balancer => quote::slippage_curve(&pool, order, max, n, log, &consts),
            _ => {
                let any = any_pool(&pool, era);
                quote::sample_amounts(max, n, log)
                    .into_iter()
                    .map(
                        |a| match quote::quote_model(any.model(), order, a, None, &consts) {
                            Ok(q) => quote::CurvePoint {
                                amount_in: a,
                                amount_out: q.amount_out,
                                effective_price_rao: q.effective_price_rao,
                                price_impact: q.price_impact,
                            },
                            Err(_) => quote::CurvePoint {
                                amount_in: a,
                                amount_out: 0,
                                effective_price_rao: 0,
                                price_impact: 0.0,
                            },
                        },
                    )
                    .collect()
            }
        };
        Ok(points
            .into_iter()
            .map(|p| JsCurvePoint {
                amount_in: p.amount_in,
                amount_out: p.amount_out,
                effective_price_rao: p.effective_price_rao,
                price_impact: p.price_impact,
            })
            .collect())
    };
    to_js(&run().map_err(js_error)?)
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
#[wasm_bindgen(js_name = amountForPrice, unchecked_return_type = "PoolQuote")]
pub fn amount_for_price(
    #[wasm_bindgen(unchecked_param_type = "TargetPriceRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsQuote> {
        object(&req, "request")?;
        let (pool, _) = parse_pool(&get(&req, "pool"), "pool")?;
        check_liquidity(&pool, "pool")?;
        let order = parse_order(&req)?;
        let target = amount(&req, "targetPrice")?;
        let q = quote::amount_for_price(&pool, order, target, &SwapConstants::default())?;
        Ok(JsQuote::new(PoolEra::Balancer, q))
    };
    to_js(&run().map_err(js_error)?)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsRoundTrip {
    era: &'static str,
    tao_in: u64,
    alpha: u64,
    tao_out: u64,
    cost: u64,
    cost_fraction: f64,
}

/// Stake `amount` TAO and unstake at once everything it bought: what fees and price impact
/// cost in the chosen era.
///
/// @example
/// ```ts
/// roundTrip({ pool, amount: 10_000_000_000n }).costFraction; // e.g. 0.0012
/// ```
#[wasm_bindgen(js_name = roundTrip, unchecked_return_type = "RoundTrip")]
pub fn round_trip(
    #[wasm_bindgen(unchecked_param_type = "RoundTripRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsRoundTrip> {
        object(&req, "request")?;
        let (pool, _) = parse_pool(&get(&req, "pool"), "pool")?;
        check_liquidity(&pool, "pool")?;
        let tao = amount(&req, "amount")?;
        let era = parse_era(&req)?;
        let consts = SwapConstants::default();
        let rt = match era {
            PoolEra::Balancer => quote::round_trip(&pool, tao, &consts)?,
            _ => {
                let mut any = any_pool(&pool, era);
                let m = any.model_mut();
                let buy = m.swap(
                    Order::Buy,
                    tao,
                    tao_engine::pool::swap::limit_from_rao(tao_engine::pool::swap::MAX_PRICE_RAO),
                    false,
                    &consts,
                )?;
                let alpha = buy.amount_paid_out;
                if alpha == 0 {
                    return Err(Error::field(
                        ErrorCode::ZeroAmount,
                        "amount",
                        "the stake buys no alpha",
                    ));
                }
                let sell = m.swap(
                    Order::Sell,
                    alpha,
                    tao_engine::pool::swap::limit_from_rao(tao_engine::pool::swap::MIN_PRICE_RAO),
                    false,
                    &consts,
                )?;
                let cost = tao.saturating_sub(sell.amount_paid_out);
                quote::RoundTrip {
                    tao_in: tao,
                    alpha,
                    tao_out: sell.amount_paid_out,
                    cost,
                    cost_fraction: cost as f64 / tao as f64,
                }
            }
        };
        Ok(JsRoundTrip {
            era: era_name(era),
            tao_in: rt.tao_in,
            alpha: rt.alpha,
            tao_out: rt.tao_out,
            cost: rt.cost,
            cost_fraction: rt.cost_fraction,
        })
    };
    to_js(&run().map_err(js_error)?)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsLeg {
    amount_paid_in: u64,
    amount_paid_out: u64,
    fee_paid: u64,
}

impl From<SwapResult> for JsLeg {
    fn from(r: SwapResult) -> Self {
        JsLeg {
            amount_paid_in: r.amount_paid_in,
            amount_paid_out: r.amount_paid_out,
            fee_paid: r.fee_paid,
        }
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsPoolAfter {
    tao_reserve: u64,
    alpha_reserve: u64,
    price_rao: u64,
}

impl JsPoolAfter {
    fn of(s: &Subnet) -> Self {
        JsPoolAfter {
            tao_reserve: s.pool.tao_reserve,
            alpha_reserve: s.pool.alpha_reserve,
            price_rao: tao_engine::pool::swap::price_to_rao(s.price()),
        }
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStake {
    tao_in: u64,
    alpha: u64,
    fee_tao: u64,
    swap: JsLeg,
    pool_after: JsPoolAfter,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsUnstake {
    alpha_in: u64,
    refund: u64,
    tao: u64,
    fee_tao: u64,
    swap: JsLeg,
    pool_after: JsPoolAfter,
}

const HOTKEY: u8 = 1;
const COLDKEY: u8 = 2;

fn subnet_of(pool: BalancerPool, netuid: u16) -> Subnet {
    let mut s = Subnet::dynamic(netuid, pool.tao_reserve, pool.alpha_reserve);
    s.pool = pool;
    s
}

/// A state where the coldkey holds `balance` TAO and `stake` alpha on each subnet.
fn state(subnets: &[Subnet], balance: u64, stake: u64) -> StakingState<u8> {
    let mut st = StakingState::new(StakeParams::default());
    for s in subnets {
        let mut s = *s;
        s.alpha_out = s.alpha_out.saturating_add(stake);
        st.subnets.insert(s.netuid, s);
        if stake > 0 {
            st.pools
                .entry((HOTKEY, s.netuid))
                .or_default()
                .increase(&COLDKEY, stake);
        }
    }
    st.balances.insert(COLDKEY, balance);
    st
}

fn stake_parts(req: &JsValue) -> Result<(Subnet, u64, Option<u64>, bool)> {
    object(req, "request")?;
    let (pool, netuid) = parse_pool(&get(req, "pool"), "pool")?;
    check_liquidity(&pool, "pool")?;
    let amount = amount(req, "amount")?;
    let limit = opt_u64(req, "", "limitPrice")?;
    let partial = opt_bool(req, "allowPartial")?.unwrap_or(false);
    Ok((subnet_of(pool, netuid), amount, limit, partial))
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
#[wasm_bindgen(js_name = addStake, unchecked_return_type = "StakeResult")]
pub fn add_stake(
    #[wasm_bindgen(unchecked_param_type = "StakeRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsStake> {
        let (subnet, amount, limit, partial) = stake_parts(&req)?;
        let balance = amount.saturating_add(StakeParams::default().existential_deposit);
        let mut st = state(&[subnet], balance, 0);
        let o = st.add_stake(&HOTKEY, &COLDKEY, subnet.netuid, amount, limit, partial)?;
        let after = st.subnets.get(&subnet.netuid).copied().unwrap_or(subnet);
        Ok(JsStake {
            tao_in: o.tao_in,
            alpha: o.alpha,
            fee_tao: o.fee_tao,
            swap: o.swap.into(),
            pool_after: JsPoolAfter::of(&after),
        })
    };
    to_js(&run().map_err(js_error)?)
}

/// `remove_stake` / `remove_stake_limit` under the current rules, from a coldkey that holds the
/// alpha: the TAO paid, the fee, the refunded alpha (partial fill) and the pool after.
///
/// @example
/// ```ts
/// removeStake({ pool, amount: 1_000_000_000_000n }).tao;
/// ```
#[wasm_bindgen(js_name = removeStake, unchecked_return_type = "UnstakeResult")]
pub fn remove_stake(
    #[wasm_bindgen(unchecked_param_type = "StakeRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsUnstake> {
        let (subnet, amount, limit, partial) = stake_parts(&req)?;
        let mut st = state(&[subnet], 0, amount);
        let o = st.remove_stake(&HOTKEY, &COLDKEY, subnet.netuid, amount, limit, partial)?;
        let after = st.subnets.get(&subnet.netuid).copied().unwrap_or(subnet);
        Ok(unstake_js(o, &after))
    };
    to_js(&run().map_err(js_error)?)
}

fn unstake_js(o: tao_engine::stake::ops::UnstakeOutcome, after: &Subnet) -> JsUnstake {
    JsUnstake {
        alpha_in: o.alpha_in,
        refund: o.refund,
        tao: o.tao,
        fee_tao: o.fee_tao,
        swap: o.swap.into(),
        pool_after: JsPoolAfter::of(after),
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
#[wasm_bindgen(js_name = maxAmount, unchecked_return_type = "bigint")]
pub fn max_amount(
    #[wasm_bindgen(unchecked_param_type = "MaxAmountRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<u64> {
        object(&req, "request")?;
        let (pool, netuid) = parse_pool(&get(&req, "pool"), "pool")?;
        check_liquidity(&pool, "pool")?;
        let order = parse_order(&req)?;
        let limit = req_u64(&req, "", "limitPrice")?;
        let s = subnet_of(pool, netuid);
        let consts = SwapConstants::default();
        let v = match order {
            Order::Buy => limits::max_amount_add(&s, limit, &consts)?,
            Order::Sell => limits::max_amount_remove(&s, limit, &consts)?,
        };
        if v == 0 {
            return Err(Error::field(
                ErrorCode::LimitNotFillable,
                "limitPrice",
                "nothing fits this limit price",
            ));
        }
        Ok(v)
    };
    to_js(&run().map_err(js_error)?)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsMove {
    tao: u64,
    unstake: Option<JsUnstake>,
    stake: Option<JsStake>,
}

/// `move_stake` between two subnets under the current rules: unstake on the origin, restake the
/// TAO on the destination (one fee). `limitPrice` bounds the origin/destination price ratio
/// (×10^9). The two pools need different `netuid`s.
///
/// @example
/// ```ts
/// moveStake({ origin: { ...sn1, netuid: 1 }, destination: { ...sn2, netuid: 2 }, amount: 10n ** 12n }).tao;
/// ```
#[wasm_bindgen(js_name = moveStake, unchecked_return_type = "MoveResult")]
pub fn move_stake(
    #[wasm_bindgen(unchecked_param_type = "MoveStakeRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsMove> {
        object(&req, "request")?;
        let (op, on) = parse_pool(&get(&req, "origin"), "origin")?;
        let (dp, dn) = parse_pool(&get(&req, "destination"), "destination")?;
        check_liquidity(&op, "origin")?;
        check_liquidity(&dp, "destination")?;
        if on == dn {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "destination.netuid",
                "origin and destination must be different subnets",
            ));
        }
        let amount = amount(&req, "amount")?;
        let limit = opt_u64(&req, "", "limitPrice")?;
        let partial = opt_bool(&req, "allowPartial")?;
        let (os, ds) = (subnet_of(op, on), subnet_of(dp, dn));
        let mut st = state(&[os, ds], 0, amount);
        let m = st.transition_stake(
            (&HOTKEY, &COLDKEY, on),
            (&HOTKEY, &COLDKEY, dn),
            amount,
            limit,
            partial.or(limit.map(|_| false)),
        )?;
        let o_after = st.subnets.get(&on).copied().unwrap_or(os);
        let d_after = st.subnets.get(&dn).copied().unwrap_or(ds);
        Ok(JsMove {
            tao: m.tao,
            unstake: m.unstake.map(|u| unstake_js(u, &o_after)),
            stake: m.stake.map(|s| JsStake {
                tao_in: s.tao_in,
                alpha: s.alpha,
                fee_tao: s.fee_tao,
                swap: s.swap.into(),
                pool_after: JsPoolAfter::of(&d_after),
            }),
        })
    };
    to_js(&run().map_err(js_error)?)
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
pub fn quote_outputs_js(
    #[wasm_bindgen(unchecked_param_type = "PoolInput")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OrderSide")] order: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BigUint64Array | U64Like[]")] amounts: JsValue,
) -> Result<Vec<u64>, JsValue> {
    batch_outputs(&pool, &order, &amounts, Lanes::Simd).map_err(js_error)
}

/// [`quote_outputs_js`] through the scalar kernel (same bits; for benchmarks and checks).
///
/// @example
/// ```ts
/// quoteOutputsScalar(pool, "sell", new BigUint64Array([10n ** 9n]));
/// ```
#[wasm_bindgen(js_name = quoteOutputsScalar)]
pub fn quote_outputs_scalar_js(
    #[wasm_bindgen(unchecked_param_type = "PoolInput")] pool: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OrderSide")] order: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BigUint64Array | U64Like[]")] amounts: JsValue,
) -> Result<Vec<u64>, JsValue> {
    batch_outputs(&pool, &order, &amounts, Lanes::Scalar).map_err(js_error)
}

/// The body of `quoteOutputs` / `quoteOutputsScalar`: parse, check liquidity, batch-quote.
fn batch_outputs(
    pool: &JsValue,
    order: &JsValue,
    amounts: &JsValue,
    lanes: Lanes,
) -> Result<Vec<u64>> {
    let (pool, _) = parse_pool(pool, "pool")?;
    check_liquidity(&pool, "pool")?;
    let holder = js_sys::Object::new();
    let _ = Reflect::set(&holder, &"order".into(), order);
    let order = parse_order(&holder)?;
    let amounts = &to_u64s(amounts, "amounts")?;
    let mut out = vec![0u64; amounts.len()];
    quote_outputs(
        &pool,
        order,
        amounts,
        &mut out,
        lanes,
        &SwapConstants::default(),
    )?;
    Ok(out)
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum JsEntry {
    Ok {
        ok: bool,
        quote: JsQuote,
    },
    Err {
        ok: bool,
        code: &'static str,
        field: Option<String>,
        message: String,
    },
}

fn entry(r: Result<Quote>) -> JsEntry {
    match r {
        Ok(q) => JsEntry::Ok {
            ok: true,
            quote: JsQuote::new(PoolEra::Balancer, q),
        },
        Err(e) => JsEntry::Err {
            ok: false,
            code: e.code.as_str(),
            field: e.field.clone(),
            message: e.to_string(),
        },
    }
}

/// Full quotes for many amounts against one weighted pool (one wasm call); a failing amount
/// gives `{ ok: false, code, field, message }` in its slot instead of throwing.
///
/// @example
/// ```ts
/// quoteAmounts({ pool, order: "buy", amounts: [1n, 10n ** 9n] }).map(e => e.ok && e.quote.amountOut);
/// ```
#[wasm_bindgen(js_name = quoteAmounts, unchecked_return_type = "BatchEntry[]")]
pub fn quote_amounts(
    #[wasm_bindgen(
        unchecked_param_type = "{ pool: PoolInput; order: OrderSide; amounts: U64Like[] | BigUint64Array }"
    )]
    req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<Vec<JsEntry>> {
        object(&req, "request")?;
        let (pool, _) = parse_pool(&get(&req, "pool"), "pool")?;
        check_liquidity(&pool, "pool")?;
        let order = parse_order(&req)?;
        let list = get(&req, "amounts");
        let amounts: Vec<u64> = if list.is_instance_of::<js_sys::BigUint64Array>() {
            list.unchecked_into::<js_sys::BigUint64Array>().to_vec()
        } else if js_sys::Array::is_array(&list) {
            let arr: js_sys::Array = list.unchecked_into();
            arr.iter()
                .enumerate()
                .map(|(i, v)| to_u64(&v, &format!("amounts[{i}]")))
                .collect::<Result<_>>()?
        } else {
            return Err(Error::field(
                ErrorCode::InvalidType,
                "amounts",
                "expected an array or BigUint64Array",
            ));
        };
        Ok(
            quote::quote_amounts(&pool, order, &amounts, &SwapConstants::default())
                .into_iter()
                .map(entry)
                .collect(),
        )
    };
    to_js(&run().map_err(js_error)?)
}

/// One amount against many weighted pools (e.g. every subnet); a failing pool gives an error
/// entry in its slot.
///
/// @example
/// ```ts
/// quotePools({ pools: [sn1, sn2], order: "buy", amount: 10n ** 10n });
/// ```
#[wasm_bindgen(js_name = quotePools, unchecked_return_type = "BatchEntry[]")]
pub fn quote_pools(
    #[wasm_bindgen(unchecked_param_type = "QuotePoolsRequest")] req: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<Vec<JsEntry>> {
        object(&req, "request")?;
        let order = parse_order(&req)?;
        let amount = amount(&req, "amount")?;
        let list = get(&req, "pools");
        if !js_sys::Array::is_array(&list) {
            return Err(Error::field(
                ErrorCode::InvalidType,
                "pools",
                "expected an array of pools",
            ));
        }
        let arr: js_sys::Array = list.unchecked_into();
        let pools = arr
            .iter()
            .enumerate()
            .map(|(i, p)| parse_pool(&p, &format!("pools[{i}]")).map(|(p, _)| p))
            .collect::<Result<Vec<_>>>()?;
        Ok(
            quote::quote_pools(&pools, order, amount, &SwapConstants::default())
                .into_iter()
                .map(entry)
                .collect(),
        )
    };
    to_js(&run().map_err(js_error)?)
}
