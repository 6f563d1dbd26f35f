//! The engine as a runtime on a storage capture (`chain::capture`): the chain's own swap quotes
//! and price, the check of every captured `SwapRuntimeApi` result, and `replay block` (one
//! block's coinbase from a parent capture compared with the child, `chain::replay_block`). The
//! same operations as `scripts/replay`, which runs them natively (`tao-replay`) or through this
//! package (`scripts/replay --wasm`). The request and report types here are shared with the
//! `Capture` class.

use super::convert::{js_error, to_ts, to_u64};
use super::request::{read, FromJs, OrderSide, U64Like};
use serde::Serialize;
use std::collections::HashMap;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::replay_report;
use tao_engine::chain::sim_swap::{self, check_swap_api, current_alpha_price, sim_swap};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::pool::swap::Order;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// One captured runtime-API call and its result.
#[derive(Tsify)]
pub struct CapturedApiCall {
    /// e.g. `SwapRuntimeApi_sim_swap_tao_for_alpha`.
    pub method: String,
    /// The SCALE-encoded arguments, `0x` hex.
    pub args_hex: String,
    /// The SCALE-encoded result, `0x` hex.
    pub result: String,
}

/// A storage capture: raw storage at one block (a key mapped to null is absent on chain; a key
/// not listed was not captured). This is the capture file format that `scripts/capture` writes
/// and the native `tao-replay` reads, so its field names are the file's (snake_case).
#[derive(Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
pub struct StorageCapture {
    /// Network name (e.g. `finney`).
    pub chain: String,
    /// Block number.
    pub block: u32,
    /// Block hash, `0x` hex.
    pub block_hash: String,
    /// The runtime `specVersion` at the block.
    pub spec_version: u32,
    /// Storage key (`0x` hex) to SCALE value (`0x` hex), or null where the chain has none.
    pub storage: HashMap<String, Option<String>>,
    /// Runtime-API calls made at the block and their results.
    #[tsify(optional)]
    pub runtime_api: Option<Vec<CapturedApiCall>>,
}

/// A capture argument: a capture object or its JSON text, parsed and validated by the core.
#[derive(Tsify)]
#[tsify(type = "StorageCapture | string")]
pub struct CaptureArg(pub Capture);

/// A capture argument that may also be a `Capture` instance (read through its `toJSON`).
#[derive(Tsify)]
#[tsify(type = "Capture | StorageCapture | string")]
pub struct AnyCaptureArg(pub Capture);

impl FromJs for CaptureArg {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        capture_of(v, field).map(CaptureArg)
    }
}

impl FromJs for AnyCaptureArg {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        capture_of(v, field).map(AnyCaptureArg)
    }
}

/// The capture in `v` (an object, a `Capture` or JSON text), validated by the core; errors name
/// `field` (or a path inside it).
fn capture_of(v: &JsValue, field: &str) -> Result<Capture> {
    let text = if let Some(s) = v.as_string() {
        s
    } else if v.is_object() {
        js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, field, "not serialisable"))?
    } else {
        return Err(Error::field(
            ErrorCode::InvalidType,
            field,
            "expected a capture object or its JSON text",
        ));
    };
    Capture::from_json(&text).map_err(|e| e.within(field))
}

/// A netuid (`OUT_OF_RANGE` above 65535).
pub(crate) fn netuid_of(v: &JsValue) -> Result<u16> {
    let n = to_u64(v, "netuid")?;
    u16::try_from(n)
        .map_err(|_| Error::field(ErrorCode::OutOfRange, "netuid", "a netuid is at most 65535"))
}

/// What `SwapRuntimeApi_sim_swap_*` returns at the capture's block.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct SimSwap {
    tao_amount: u64,
    alpha_amount: u64,
    tao_fee: u64,
    alpha_fee: u64,
    /// 0 before spec 391 (the 32-byte layout).
    tao_slippage: u64,
    alpha_slippage: u64,
}

/// The engine's `SwapRuntimeApi_sim_swap_*` result.
pub(crate) fn quote_of(c: &Capture, netuid: u16, order: Order, amount: u64) -> Result<SimSwap> {
    let r = sim_swap(c, netuid, order, amount)?;
    Ok(SimSwap {
        tao_amount: r.tao_amount,
        alpha_amount: r.alpha_amount,
        tao_fee: r.tao_fee,
        alpha_fee: r.alpha_fee,
        tao_slippage: r.tao_slippage,
        alpha_slippage: r.alpha_slippage,
    })
}

/// One captured runtime-API result recomputed by the engine.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ApiCheck {
    method: String,
    /// The arguments, `0x` hex.
    args_hex: String,
    /// The captured result, `0x` hex.
    expected: String,
    /// The engine's, `0x` hex (empty when it could not compute it).
    actual: String,
    equal: bool,
    /// Why the engine could not compute it.
    error: Option<String>,
}

/// The response of `replayCheck` and `Capture.check`: one entry per captured call, in order.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct ApiChecks(Vec<ApiCheck>);

impl From<Vec<sim_swap::ApiCheck>> for ApiChecks {
    fn from(v: Vec<sim_swap::ApiCheck>) -> Self {
        ApiChecks(
            v.into_iter()
                .map(|c| ApiCheck {
                    method: c.method,
                    args_hex: c.args_hex,
                    expected: c.expected,
                    actual: c.actual,
                    equal: c.equal,
                    error: c.error,
                })
                .collect(),
        )
    }
}

/// One output item compared with the capture of the block that wrote it.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct ItemCheck {
    /// `Pallet.Item`.
    item: String,
    /// The item's keys, readable.
    args: String,
    /// The storage key, `0x` hex.
    key: String,
    /// The captured value, `0x` hex (null: absent on chain).
    expected: Option<String>,
    /// The engine's value, `0x` hex (null: absent).
    actual: Option<String>,
    equal: bool,
}

/// An output the replay could not compare, and the inputs it lacks.
#[derive(Serialize, Tsify)]
pub struct MissingItem {
    item: String,
    args: String,
    /// The missing inputs (`Pallet.Item(args)`).
    needs: Vec<String>,
}

/// An output the engine computed, as the chain stores it.
#[derive(Serialize, Tsify)]
pub struct ComputedItem {
    item: String,
    args: String,
    key: String,
    /// `0x` hex.
    value: String,
}

impl From<replay_report::ItemCheck> for ItemCheck {
    fn from(i: replay_report::ItemCheck) -> Self {
        ItemCheck {
            item: i.item,
            args: i.args,
            key: i.key,
            expected: i.expected,
            actual: i.actual,
            equal: i.equal,
        }
    }
}

impl From<replay_report::MissingItem> for MissingItem {
    fn from(m: replay_report::MissingItem) -> Self {
        MissingItem {
            item: m.item,
            args: m.args,
            needs: m.needs,
        }
    }
}

impl From<replay_report::ComputedItem> for ComputedItem {
    fn from(c: replay_report::ComputedItem) -> Self {
        ComputedItem {
            item: c.item,
            args: c.args,
            key: c.key,
            value: c.value,
        }
    }
}

fn all<A, B: From<A>>(v: Vec<A>) -> Vec<B> {
    v.into_iter().map(B::from).collect()
}

/// `replay block`: the coinbase outputs compared with the child capture.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct BlockReplay {
    /// The runtime whose rules ran (the parent's).
    spec_version: u32,
    /// The replayed block (the child's).
    block: f64,
    items: Vec<ItemCheck>,
    missing: Vec<MissingItem>,
    /// The runtime is newer than the engine knows: the nearest known rules ran.
    approximate: bool,
}

impl From<replay_report::BlockReplay> for BlockReplay {
    fn from(r: replay_report::BlockReplay) -> Self {
        BlockReplay {
            spec_version: r.spec_version,
            // Block numbers stay far below 2^53.
            block: r.block as f64,
            items: all(r.items),
            missing: all(r.missing),
            approximate: r.approximate,
        }
    }
}

/// `replay epoch`: a subnet's epoch at the capture's next block, compared with that block's capture.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct EpochReplay {
    spec_version: u32,
    /// The epoch block (the capture's block + 1).
    block: f64,
    netuid: u16,
    /// Uids the epoch ran on (0 while inputs are missing).
    uids: u16,
    items: Vec<ItemCheck>,
    missing: Vec<MissingItem>,
    /// Every output the engine computed, as the chain stores it.
    computed: Vec<ComputedItem>,
    /// Rao handed to the epoch, decimal; null while inputs are missing.
    emission: Option<String>,
    /// Whether `emission` is the epoch block's own (given), not the parent's pending emission.
    emission_exact: bool,
    approximate: bool,
    notes: Vec<String>,
}

impl From<replay_report::EpochReplay> for EpochReplay {
    fn from(r: replay_report::EpochReplay) -> Self {
        EpochReplay {
            spec_version: r.spec_version,
            block: r.block as f64,
            netuid: r.netuid,
            uids: r.uids,
            items: all(r.items),
            missing: all(r.missing),
            computed: all(r.computed),
            emission: r.emission,
            emission_exact: r.emission_exact,
            approximate: r.approximate,
            notes: r.notes,
        }
    }
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
#[wasm_bindgen(js_name = replayQuote)]
pub fn replay_quote(
    capture: Ts<CaptureArg>,
    #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
    order: Ts<OrderSide>,
    amount: Ts<U64Like>,
) -> Result<Ts<SimSwap>, JsValue> {
    let c = read(&capture, "capture")?.0;
    let netuid = netuid_of(&netuid).map_err(js_error)?;
    let order = read(&order, "order")?;
    let amount = read(&amount, "amount")?.0;
    to_ts(&quote_of(&c, netuid, order.into(), amount).map_err(js_error)?)
}

/// The alpha price in rao at the capture's block, as `SwapRuntimeApi_current_alpha_price`.
///
/// @example
/// ```ts
/// replayPrice(capture, 1); // bigint
/// ```
#[wasm_bindgen(js_name = replayPrice)]
pub fn replay_price(
    capture: Ts<CaptureArg>,
    #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
) -> Result<u64, JsValue> {
    let c = read(&capture, "capture")?.0;
    let netuid = netuid_of(&netuid).map_err(js_error)?;
    current_alpha_price(&c, netuid).map_err(js_error)
}

/// Recompute every `SwapRuntimeApi` result the capture carries and compare byte for byte.
///
/// @example
/// ```ts
/// replayCheck(capture).every((c) => c.equal); // true when the engine agrees with the chain
/// ```
#[wasm_bindgen(js_name = replayCheck)]
pub fn replay_check(capture: Ts<CaptureArg>) -> Result<Ts<ApiChecks>, JsValue> {
    let c = read(&capture, "capture")?.0;
    to_ts(&ApiChecks::from(check_swap_api(&c)))
}

/// `replay block`: run block `child.block`'s coinbase from the parent capture under the parent's
/// runtime rules and compare every output item with the child (values `0x` hex, `null`: absent
/// on chain), as `scripts/replay block` reports it. The child must be the parent's next block
/// (`OUT_OF_RANGE`, field `child`); a runtime newer than the engine knows is
/// `UNSUPPORTED_RUNTIME`.
///
/// @example
/// ```ts
/// const r = replayBlock(parentCapture, childCapture);
/// r.items.filter((i) => !i.equal).length; // 0 when the engine agrees with the chain
/// ```
#[wasm_bindgen(js_name = replayBlock)]
pub fn replay_block(
    parent: Ts<CaptureArg>,
    child: Ts<CaptureArg>,
) -> Result<Ts<BlockReplay>, JsValue> {
    let p = read(&parent, "parent")?.0;
    let c = read(&child, "child")?.0;
    let r = tao_engine::chain::replay_block::replay_block(&p, &c).map_err(js_error)?;
    to_ts(&BlockReplay::from(r))
}
