//! Batch quotes at the boundary: many amounts against one weighted pool (`quoteOutputs`,
//! `quoteOutputsScalar`, `quoteAmounts`) and one amount against many pools (`quotePools`), each
//! in one wasm call; a failing entry is reported in its slot. The core's `pool::quote` does the
//! work; this file converts.

use super::convert::{js_error, to_ts};
use super::pool::{PoolInput, PoolQuote};
use super::request::{read, read_request, OrderSide, Required, U64Like, U64Likes};
use crate::js_request;
use serde::Serialize;
use tao_engine::error::Result;
use tao_engine::pool::lanes::Lanes;
use tao_engine::pool::quote::{self, Quote};
use tao_engine::pool::swap::SwapConstants;
use tao_engine::pool::PoolEra;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

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
