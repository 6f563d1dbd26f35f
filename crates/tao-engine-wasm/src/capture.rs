//! The `Capture` class: a storage capture (`chain::capture`) parsed and validated once, with the
//! engine's operations on it — the chain's own quote and price (`SwapRuntimeApi`), the check of
//! its captured runtime-API results, the next block's coinbase (`replay block`) and a subnet's
//! epoch (`replay epoch`, `chain::replay_epoch`). The same answers as the free functions
//! `replayQuote`, `replayPrice`, `replayCheck`, `replayBlock` and as `scripts/replay`; the class
//! only saves re-parsing the storage on every call.
//!
//! Every method takes `JsValue` arguments and throws coded errors, like every other export.

use super::convert::{js_error, to_js, to_u64};
use super::replay::{block_report, capture_of, netuid_of, quote_of};
use tao_engine::chain::capture::Capture as CoreCapture;
use tao_engine::chain::replay_epoch::replay_epoch;
use tao_engine::chain::sim_swap::{check_swap_api, current_alpha_price};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::pool::swap::Order;
use tao_engine::runtime::{Approximation, Rules, RuntimeFeatures};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CAPTURE: &'static str = r#"
/** A trade for `Capture.quote`: TAO in (`buy`) or alpha in (`sell`), in rao. */
export type CaptureOrder = { buy: bigint | number | string } | { sell: bigint | number | string };

/** Options of `Capture.epoch`. */
export interface EpochOptions {
  /** The rao the epoch distributes. Without it `Emission` is computed from the parent's pending
   * emission (which lacks the epoch block's own accrual) and is listed as missing, not compared. */
  emission?: bigint | number | string;
}

/** `replay epoch`: a subnet's epoch at the capture's next block, compared with that block's capture. */
export interface EpochReplay {
  spec_version: number;
  /** The epoch block (the capture's block + 1). */
  block: number;
  netuid: number;
  /** Uids the epoch ran on (0 while inputs are missing). */
  uids: number;
  items: { item: string; args: string; key: string; expected: string | null; actual: string | null; equal: boolean }[];
  missing: { item: string; args: string; needs: string[] }[];
  /** Every output the engine computed, as the chain stores it. */
  computed: { item: string; args: string; key: string; value: string }[];
  /** Rao handed to the epoch, decimal; null while inputs are missing. */
  emission: string | null;
  emission_exact: boolean;
  approximate: boolean;
  notes: string[];
}
"#;

fn json_to_js<T: serde::Serialize>(v: &T) -> Result<JsValue> {
    let text = serde_json::to_string(v)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| Error::new(ErrorCode::Internal, "report is not JSON"))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `{ buy }` or `{ sell }`, exactly one of them.
fn order_of(v: &JsValue) -> Result<(Order, u64)> {
    let bad = || {
        Error::field(
            ErrorCode::InvalidType,
            "order",
            "expected { buy: rao } or { sell: rao }",
        )
    };
    if !v.is_object() {
        return Err(bad());
    }
    let (buy, sell) = (get(v, "buy"), get(v, "sell"));
    match (absent(&buy), absent(&sell)) {
        (false, true) => Ok((Order::Buy, to_u64(&buy, "order.buy")?)),
        (true, false) => Ok((Order::Sell, to_u64(&sell, "order.sell")?)),
        _ => Err(bad()),
    }
}

/// A storage capture, validated once: raw storage at one block (a key mapped to `null` is absent
/// on chain; a key not listed was not captured). Free it with `free()` when done (or let the
/// garbage collector do it).
///
/// @example
/// ```ts
/// const cap = new Capture(captureJson);
/// cap.price(1);                                  // bigint, as SwapRuntimeApi_current_alpha_price
/// cap.quote(1, { buy: 1_000_000_000n }).alphaAmount;
/// cap.nextBlock(childJson).items.every((i) => i.equal);
/// cap.epoch(1, epochBlockJson).missing;          // what was not compared, and why
/// ```
#[wasm_bindgen(js_name = Capture)]
pub struct JsCapture(CoreCapture);

#[wasm_bindgen(js_class = Capture)]
impl JsCapture {
    /// Parse and validate a capture (an object or its JSON text). Bad input throws
    /// `INVALID_TYPE`, `INVALID_JSON` or `INVALID_HEX` with the field to blame.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "StorageCapture | string")] capture: JsValue,
    ) -> Result<JsCapture, JsValue> {
        capture_of(&capture).map(JsCapture).map_err(js_error)
    }

    /// Network name.
    #[wasm_bindgen(getter)]
    pub fn chain(&self) -> String {
        self.0.chain.clone()
    }

    /// Block number.
    #[wasm_bindgen(getter)]
    pub fn block(&self) -> f64 {
        // Block numbers stay far below 2^53.
        self.0.block as f64
    }

    /// Block hash, `0x` hex.
    #[wasm_bindgen(getter, js_name = blockHash)]
    pub fn block_hash(&self) -> String {
        self.0.block_hash.clone()
    }

    /// The runtime `specVersion` at the block.
    #[wasm_bindgen(getter, js_name = specVersion)]
    pub fn spec_version(&self) -> u32 {
        self.0.spec_version
    }

    /// How many storage keys the capture holds (values and `null`s).
    #[wasm_bindgen(getter, js_name = storageSize)]
    pub fn storage_size(&self) -> u32 {
        u32::try_from(self.0.storage.len()).unwrap_or(u32::MAX)
    }

    /// The rules the engine applies at the capture's runtime (the nearest known ones, marked
    /// `approximate`, for a runtime it does not know).
    #[wasm_bindgen(unchecked_return_type = "RuntimeRules")]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        let rules = Rules::resolve(
            self.0.spec_version,
            Approximation::Nearest,
            RuntimeFeatures::default(),
        )
        .map_err(js_error)?;
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Out<'a> {
            #[serde(flatten)]
            rules: &'a Rules,
            live_since: Option<String>,
        }
        to_js(&Out {
            live_since: rules.info().live_since,
            rules: &rules,
        })
    }

    /// The chain's own quote (`SwapRuntimeApi_sim_swap_tao_for_alpha` for `{ buy }`,
    /// `_alpha_for_tao` for `{ sell }`), as `replayQuote`.
    #[wasm_bindgen(unchecked_return_type = "SimSwap")]
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CaptureOrder")] order: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<_> {
            let netuid = netuid_of(&netuid)?;
            let (order, amount) = order_of(&order)?;
            quote_of(&self.0, netuid, order, amount)
        };
        to_js(&run().map_err(js_error)?)
    }

    /// The alpha price in rao (`SwapRuntimeApi_current_alpha_price`), as `replayPrice`.
    #[wasm_bindgen(unchecked_return_type = "bigint")]
    pub fn price(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
    ) -> Result<JsValue, JsValue> {
        let p = netuid_of(&netuid)
            .and_then(|n| current_alpha_price(&self.0, n))
            .map_err(js_error)?;
        Ok(js_sys::BigInt::from(p).into())
    }

    /// Every captured `SwapRuntimeApi` result recomputed and compared, as `replayCheck`.
    #[wasm_bindgen(unchecked_return_type = "ApiCheck[]")]
    pub fn check(&self) -> Result<JsValue, JsValue> {
        to_js(&check_swap_api(&self.0))
    }

    /// `replay block`: the next block's coinbase from this capture, compared with `child` (the
    /// capture of the next block: an object, its JSON text or a `Capture`), as `replayBlock`.
    #[wasm_bindgen(js_name = nextBlock, unchecked_return_type = "BlockReplay")]
    pub fn next_block(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Capture | StorageCapture | string")] child: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<JsValue> {
            let c = capture_of(&child).map_err(|e| e.within("child"))?;
            let text = block_report(&self.0, &c)?;
            js_sys::JSON::parse(&text)
                .map_err(|_| Error::new(ErrorCode::Internal, "report is not JSON"))
        };
        run().map_err(js_error)
    }

    /// `replay epoch`: subnet `netuid`'s epoch at the next block, run on this capture's storage
    /// under its runtime's rules; with `outputs` (the capture of that block) every output the epoch
    /// writes is compared. Inputs this capture lacks are listed under `missing` by item and key;
    /// nothing is guessed. Same report as `scripts/replay epoch`.
    #[wasm_bindgen(unchecked_return_type = "EpochReplay")]
    pub fn epoch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Capture | StorageCapture | string | null")]
        outputs: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EpochOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let run = || -> Result<JsValue> {
            let netuid = netuid_of(&netuid)?;
            let child = if absent(&outputs) {
                None
            } else {
                Some(capture_of(&outputs).map_err(|e| e.within("outputs"))?)
            };
            let emission = if absent(&options) {
                None
            } else if !options.is_object() {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    "options",
                    "expected { emission? }",
                ));
            } else {
                let e = get(&options, "emission");
                (!absent(&e))
                    .then(|| to_u64(&e, "options.emission"))
                    .transpose()?
            };
            // The core names the epoch block's capture `child`; here it is `outputs`.
            let r = replay_epoch(&self.0, netuid, child.as_ref(), emission).map_err(|e| {
                if e.field.as_deref() == Some("child") {
                    e.with_field("outputs")
                } else {
                    e
                }
            })?;
            json_to_js(&r)
        };
        run().map_err(js_error)
    }

    /// The capture as a plain object (normalised hex), e.g. for `JSON.stringify`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "StorageCapture")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        json_to_js(&self.0).map_err(js_error)
    }
}
