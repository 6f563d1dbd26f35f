//! The engine as a runtime on a storage capture (`chain::capture`): the chain's own swap quotes
//! and price, the check of every captured `SwapRuntimeApi` result, and `replay block` (one
//! block's coinbase from a parent capture compared with the child, `chain::replay_block`). The same operations as
//! `scripts/replay`, which runs them natively (`tao-replay`) or through this package
//! (`scripts/replay --wasm`).

use super::convert::{js_error, to_js, to_u64};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::sim_swap::{check_swap_api, current_alpha_price, sim_swap};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::pool::swap::Order;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_REPLAY: &'static str = r#"
/** A storage capture: raw storage at one block (a key mapped to null is absent on chain). */
export interface StorageCapture {
  chain: string;
  block: number;
  block_hash: string;
  spec_version: number;
  storage: Record<string, string | null>;
  runtime_api?: { method: string; args_hex: string; result: string }[];
}

/** What `SwapRuntimeApi_sim_swap_*` returns at the capture's block. */
export interface SimSwap {
  taoAmount: bigint;
  alphaAmount: bigint;
  taoFee: bigint;
  alphaFee: bigint;
  /** 0 before spec 391 (the 32-byte layout). */
  taoSlippage: bigint;
  alphaSlippage: bigint;
}

/** `replay block`: the coinbase outputs compared with the child capture. */
export interface BlockReplay {
  spec_version: number;
  block: number;
  items: { item: string; args: string; key: string; expected: string | null; actual: string | null; equal: boolean }[];
  missing: { item: string; args: string; needs: string[] }[];
  approximate: boolean;
}

/** One captured runtime-API result recomputed by the engine. */
export interface ApiCheck { method: string; args_hex: string; expected: string; actual: string; equal: boolean; error: string | null }
"#;

pub(crate) fn capture_of(v: &JsValue) -> Result<Capture> {
    let text = if let Some(s) = v.as_string() {
        s
    } else if v.is_object() {
        js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, "capture", "not serialisable"))?
    } else {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "capture",
            "expected a capture object or its JSON text",
        ));
    };
    Capture::from_json(&text).map_err(|e| e.within("capture"))
}

pub(crate) fn netuid_of(v: &JsValue) -> Result<u16> {
    let n = to_u64(v, "netuid")?;
    u16::try_from(n)
        .map_err(|_| Error::field(ErrorCode::OutOfRange, "netuid", "a netuid is at most 65535"))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsSimSwap {
    tao_amount: u64,
    alpha_amount: u64,
    tao_fee: u64,
    alpha_fee: u64,
    tao_slippage: u64,
    alpha_slippage: u64,
}

/// The engine's `SwapRuntimeApi_sim_swap_*` result, in the package's shape.
pub(crate) fn quote_of(c: &Capture, netuid: u16, order: Order, amount: u64) -> Result<JsSimSwap> {
    let r = sim_swap(c, netuid, order, amount)?;
    Ok(JsSimSwap {
        tao_amount: r.tao_amount,
        alpha_amount: r.alpha_amount,
        tao_fee: r.tao_fee,
        alpha_fee: r.alpha_fee,
        tao_slippage: r.tao_slippage,
        alpha_slippage: r.alpha_slippage,
    })
}

/// The chain's own quote at the capture's block, as `SwapRuntimeApi_sim_swap_tao_for_alpha`
/// (`"buy"`, TAO in) or `_alpha_for_tao` (`"sell"`, alpha in) returns it, for every pool era.
/// Missing storage throws `MISSING_FIELD` naming the item and key.
///
/// @example
/// ```ts
/// const q = replayQuote(capture, 1, "buy", 1_000_000_000n);
/// q.alphaAmount; // bigint, alpha out
/// ```
#[wasm_bindgen(js_name = replayQuote, unchecked_return_type = "SimSwap")]
pub fn replay_quote(
    #[wasm_bindgen(unchecked_param_type = "StorageCapture | string")] capture: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"buy\" | \"sell\"")] order: JsValue,
    #[wasm_bindgen(unchecked_param_type = "bigint | number | string")] amount: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsSimSwap> {
        let c = capture_of(&capture)?;
        let netuid = netuid_of(&netuid)?;
        let order = match order.as_string().as_deref() {
            Some("buy") => Order::Buy,
            Some("sell") => Order::Sell,
            _ => {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    "order",
                    "expected \"buy\" or \"sell\"",
                ))
            }
        };
        let amount = to_u64(&amount, "amount")?;
        quote_of(&c, netuid, order, amount)
    };
    to_js(&run().map_err(js_error)?)
}

/// The alpha price in rao at the capture's block, as `SwapRuntimeApi_current_alpha_price`.
///
/// @example
/// ```ts
/// replayPrice(capture, 1); // bigint
/// ```
#[wasm_bindgen(js_name = replayPrice, unchecked_return_type = "bigint")]
pub fn replay_price(
    #[wasm_bindgen(unchecked_param_type = "StorageCapture | string")] capture: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<u64> {
        let c = capture_of(&capture)?;
        current_alpha_price(&c, netuid_of(&netuid)?)
    };
    let p = run().map_err(js_error)?;
    Ok(js_sys::BigInt::from(p).into())
}

/// Recompute every `SwapRuntimeApi` result the capture carries and compare byte for byte.
///
/// @example
/// ```ts
/// replayCheck(capture).every((c) => c.equal); // true when the engine agrees with the chain
/// ```
#[wasm_bindgen(js_name = replayCheck, unchecked_return_type = "ApiCheck[]")]
pub fn replay_check(
    #[wasm_bindgen(unchecked_param_type = "StorageCapture | string")] capture: JsValue,
) -> Result<JsValue, JsValue> {
    let c = capture_of(&capture).map_err(js_error)?;
    to_js(&check_swap_api(&c))
}

/// `replay block` as JSON text: the child must be the parent's next block.
pub(crate) fn block_report(p: &Capture, c: &Capture) -> Result<String> {
    if c.block != p.block.saturating_add(1) {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "child",
            format!(
                "the child is block {}, not the block after the parent's {}",
                c.block, p.block
            ),
        ));
    }
    let r = tao_engine::chain::replay_block::replay_block(p, c)?;
    serde_json::to_string(&r)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// `replay block`: run block `child.block`'s coinbase from the parent capture under the parent's
/// runtime rules and compare every output item with the child. Returns
/// `{spec_version, block, items: [{item, args, key, expected, actual, equal}], missing: [{item,
/// args, needs}], approximate}` exactly as `scripts/replay block` prints it; values are `0x` hex
/// (`null`: absent on chain). The child must be the parent's next block (`OUT_OF_RANGE`, field
/// `child`); a runtime newer than the engine knows is `UNSUPPORTED_RUNTIME`.
///
/// @example
/// ```ts
/// const r = replayBlock(parentCapture, childCapture);
/// r.items.filter((i) => !i.equal).length; // 0 when the engine agrees with the chain
/// ```
#[wasm_bindgen(js_name = replayBlock, unchecked_return_type = "BlockReplay")]
pub fn replay_block(
    #[wasm_bindgen(unchecked_param_type = "StorageCapture | string")] parent: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StorageCapture | string")] child: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<String> {
        let p = capture_of(&parent).map_err(|e| e.within("parent"))?;
        let c = capture_of(&child).map_err(|e| e.within("child"))?;
        block_report(&p, &c)
    };
    let text = run().map_err(js_error)?;
    js_sys::JSON::parse(&text)
        .map_err(|_| js_error(Error::new(ErrorCode::Internal, "report is not JSON")))
}
