//! Staking previews at the boundary: `addStake`, `removeStake`, `moveStake` and `maxAmount`
//! under the current rules, for one coldkey in the pools the caller describes. The staking world
//! and the chain's rules are the core's (`stake::preview`); this file converts.

use super::convert::{js_error, to_ts};
use super::pool::PoolInput;
use super::request::{read_request, OrderSide, Required, U64Like};
use serde::Serialize;
use tao_engine::error::Result;
use tao_engine::pool::swap::SwapResult;
use tao_engine::stake::preview::{self, StakePreview, UnstakePreview};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
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
