//! The `Capture` class: a storage capture (`chain::capture`) parsed and validated once, with the
//! engine's operations on it — the chain's own quote and price (`SwapRuntimeApi`), the check of
//! its captured runtime-API results, the next block's coinbase (`replay block`) and a subnet's
//! epoch (`replay epoch`, `chain::replay_epoch`). The same answers as the free functions
//! `replayQuote`, `replayPrice`, `replayCheck`, `replayBlock` and as `scripts/replay`; the class
//! only saves re-parsing the storage on every call.
//!
//! Every method takes `JsValue` arguments and throws coded errors, like every other export.

use super::convert::{js_error, to_ts, to_u64};
use super::replay::{
    netuid_of, quote_of, AnyCaptureArg, ApiChecks, BlockReplay, CaptureArg, EpochReplay, SimSwap,
    StorageCapture,
};
use super::request::{read, read_or_default, FromJs, U64Like};
use tao_engine::chain::capture::Capture as CoreCapture;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::chain::replay_epoch::replay_epoch;
use tao_engine::chain::sim_swap::{check_swap_api, current_alpha_price};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::pool::swap::Order;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// A trade for `Capture.quote`: TAO in (`buy`) or alpha in (`sell`), in rao.
#[derive(Tsify)]
pub enum CaptureOrder {
    /// TAO in.
    #[serde(rename = "buy")]
    Buy(U64Like),
    /// Alpha in.
    #[serde(rename = "sell")]
    Sell(U64Like),
}

impl FromJs for CaptureOrder {
    /// `{ buy }` or `{ sell }`, exactly one of them.
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        let bad = || {
            Error::field(
                ErrorCode::InvalidType,
                field,
                "expected { buy: rao } or { sell: rao }",
            )
        };
        if !v.is_object() {
            return Err(bad());
        }
        let get =
            |k: &str| js_sys::Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        let absent = |x: &JsValue| x.is_undefined() || x.is_null();
        let (buy, sell) = (get("buy"), get("sell"));
        match (absent(&buy), absent(&sell)) {
            (false, true) => Ok(Self::Buy(U64Like(to_u64(&buy, &format!("{field}.buy"))?))),
            (true, false) => Ok(Self::Sell(U64Like(to_u64(
                &sell,
                &format!("{field}.sell"),
            )?))),
            _ => Err(bad()),
        }
    }
}

crate::js_request! {
    /// Options of `Capture.epoch`.
    #[derive(Default)]
    pub struct EpochOptions {
        /// The rao the epoch distributes. Without it `Emission` is computed from the parent's
        /// pending emission (which lacks the epoch block's own accrual) and is listed as missing,
        /// not compared.
        #[tsify(optional)]
        emission "emission": Option<U64Like>,
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
    pub fn new(capture: Ts<CaptureArg>) -> Result<JsCapture, JsValue> {
        read(&capture, "capture").map(|c| JsCapture(c.0))
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
    /// `approximate`, for a runtime it does not know): `runtimeRules` of the capture's
    /// `specVersion` with `acceptApproximate`.
    #[wasm_bindgen(unchecked_return_type = "RuntimeRules")]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        let choice = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&choice, &k.into(), &v).map(drop);
        set("specVersion", self.0.spec_version.into())?;
        set("acceptApproximate", true.into())?;
        super::runtime::runtime_rules(Some(Ts::new_unchecked(choice.into()))).map(JsValue::from)
    }

    /// The chain's own quote (`SwapRuntimeApi_sim_swap_tao_for_alpha` for `{ buy }`,
    /// `_alpha_for_tao` for `{ sell }`), as `replayQuote`.
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
        order: Ts<CaptureOrder>,
    ) -> Result<Ts<SimSwap>, JsValue> {
        let netuid = netuid_of(&netuid).map_err(js_error)?;
        let (order, amount) = match read(&order, "order")? {
            CaptureOrder::Buy(a) => (Order::Buy, a.0),
            CaptureOrder::Sell(a) => (Order::Sell, a.0),
        };
        to_ts(&quote_of(&self.0, netuid, order, amount).map_err(js_error)?)
    }

    /// The alpha price in rao (`SwapRuntimeApi_current_alpha_price`), as `replayPrice`.
    pub fn price(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
    ) -> Result<u64, JsValue> {
        netuid_of(&netuid)
            .and_then(|n| current_alpha_price(&self.0, n))
            .map_err(js_error)
    }

    /// Every captured `SwapRuntimeApi` result recomputed and compared, as `replayCheck`.
    pub fn check(&self) -> Result<Ts<ApiChecks>, JsValue> {
        to_ts(&ApiChecks::from(check_swap_api(&self.0)))
    }

    /// `replay block`: the next block's coinbase from this capture, compared with `child` (the
    /// capture of the next block: an object, its JSON text or a `Capture`), as `replayBlock`.
    #[wasm_bindgen(js_name = nextBlock)]
    pub fn next_block(&self, child: Ts<AnyCaptureArg>) -> Result<Ts<BlockReplay>, JsValue> {
        let c = read(&child, "child")?.0;
        let r = replay_block(&self.0, &c).map_err(js_error)?;
        to_ts(&BlockReplay::from(r))
    }

    /// `replay epoch`: subnet `netuid`'s epoch at the next block, run on this capture's storage
    /// under its runtime's rules; with `outputs` (the capture of that block) every output the epoch
    /// writes is compared. Inputs this capture lacks are listed under `missing` by item and key;
    /// nothing is guessed. Same report as `scripts/replay epoch`.
    pub fn epoch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
        outputs: Option<Ts<AnyCaptureArg>>,
        options: Option<Ts<EpochOptions>>,
    ) -> Result<Ts<EpochReplay>, JsValue> {
        let netuid = netuid_of(&netuid).map_err(js_error)?;
        let child = match &outputs {
            None => None,
            Some(o) => Option::<AnyCaptureArg>::parse(&o.js_value(), "outputs")
                .map_err(js_error)?
                .map(|c| c.0),
        };
        let emission = read_or_default(&options, "options")?.emission.map(|e| e.0);
        // The core names the epoch block's capture `child`; here it is `outputs`.
        let r = replay_epoch(&self.0, netuid, child.as_ref(), emission)
            .map_err(|e| {
                if e.field.as_deref() == Some("child") {
                    e.with_field("outputs")
                } else {
                    e
                }
            })
            .map_err(js_error)?;
        to_ts(&EpochReplay::from(r))
    }

    /// The capture as a plain object (normalised hex), e.g. for `JSON.stringify`.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<Ts<StorageCapture>, JsValue> {
        let text = serde_json::to_string(&self.0).map_err(|e| {
            js_error(Error::new(
                ErrorCode::Internal,
                format!("serialization failed: {e}"),
            ))
        })?;
        js_sys::JSON::parse(&text)
            .map(Ts::new_unchecked)
            .map_err(|_| js_error(Error::new(ErrorCode::Internal, "the capture is not JSON")))
    }
}
