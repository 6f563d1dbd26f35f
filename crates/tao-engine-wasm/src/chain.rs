//! Chain data for JS: decoding by type name, storage keys and values, epoch snapshots (read plan,
//! load, verify), weight normalisation (SDK and chain) and the commit-reveal v2 hash check.
//!
//! Length: each export carries its TypeScript declarations and `@example`s (one file per
//! domain of exports, as in the rest of this crate).

use super::convert::{
    from_js, js_error, to_array, to_bounded, to_f64s, to_js, to_opt_str, to_str, to_u16, to_u16s,
    to_u64,
};
use tao_engine::chain::hex;
use tao_engine::chain::registry::{bytes_from_json_array, decode_type, known_types, Wrapping};
use tao_engine::chain::render::RenderOpts;
use tao_engine::chain::snapshot::{Phase, Snapshot, SnapshotSource};
use tao_engine::chain::storage::{item_named, KeyArg, KeyType, Query, ITEMS};
use tao_engine::chain::verify::verify_snapshot;
use tao_engine::chain::verify_commit::{
    check_reveal, normalise_weights, parse_account, RevealCheck,
};
use tao_engine::chain::weights::chain_max_upscale;
use tao_engine::error::{Error, ErrorCode, Result};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_CHAIN: &'static str = r#"
/** Bytes: `0x` hex, a JSON byte-array string ("[1,2]"), a Uint8Array or an array of byte numbers. */
export type BytesLike = string | Uint8Array | number[];
/** How a result is wrapped: current runtimes `raw`; before Dec 2024 `vec_u8`; custom RPCs `json_byte_array`. */
export type Wrapping = "raw" | "vec_u8" | "json_byte_array";
/** A storage map key: u8/u16 as number, u64 as bigint | number | decimal string, accounts as 0x hex or SS58. */
export type StorageKeyArg = number | bigint | string;
/** One storage item of the epoch-replay table. */
export interface StorageItemInfo {
  name: string;
  /** [hasher, key type] per map key, outermost first (empty for a value). */
  keys: [string, string][];
  /** Value type (a `decodeType` name). */
  valueType: string;
  /** SCALE of the default for an absent key (`null` for OptionQuery items). */
  defaultHex: string | null;
  /** twox128(pallet) ++ twox128(name). */
  prefix: string;
}
/** The next storage keys a snapshot needs (`phase` says at which block: inputs at the parent, outputs at the block). */
export interface SnapshotPlan { phase: "inputs" | "outputs" | "done"; keys: string[]; known: number; }
/** One differing output value of a verification. */
export interface VerifyDifference {
  field: string; mechanism?: number; uid: number; expected: string; actual: string;
  trace: { name: string; value: string }[];
}
/** Result of `verifySnapshot` (u64 amounts are bigint). */
export interface Verification {
  verdict: "match" | "mismatch" | "match-except-emission" | "skipped";
  netuid: number; block: bigint; n: number; mechanisms: number;
  emission: bigint; emission_exact: boolean;
  summary: { field: string; compared: number; mismatched: number }[];
  /** Absent when nothing differs. */
  first_difference?: VerifyDifference;
  differences: VerifyDifference[];
  computed: Record<string, any>;
  chain: Record<string, any>;
  state: Record<string, any>;
  notes: string[];
}
/** A revealed CR-v2 weight set and its stored commit hash. */
export interface RevealCheckInput {
  hotkey: string; netuidIndex: number; uids: number[]; values: number[]; salt: number[];
  versionKey: bigint | number | string; commitHash: string;
}
export interface RevealCheckResult { matches: boolean; computed: string; stored: string; preimage: string; storedRow: [number, number][]; }
export interface WeightNormalisation { sdkUids: number[]; sdkValues: number[]; chainValues: number[]; changedByChain: number[]; }
"#;

pub(super) fn bytes_arg(v: &JsValue, field: &str) -> Result<Vec<u8>> {
    if let Some(s) = v.as_string() {
        let t = s.trim();
        return if t.starts_with('[') {
            bytes_from_json_array(t).map_err(|e| e.with_field(field.to_string()))
        } else {
            hex::decode(t).map_err(|e| e.with_field(field.to_string()))
        };
    }
    if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec());
    }
    if let Some(arr) = v.dyn_ref::<js_sys::Array>() {
        return arr
            .iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_f64()
                    .filter(|f| f.fract() == 0.0 && (0.0..=255.0).contains(f))
                    .map(|f| f as u8)
                    .ok_or_else(|| {
                        Error::field(
                            ErrorCode::InvalidType,
                            format!("{field}[{i}]"),
                            "not a byte (0..=255)",
                        )
                    })
            })
            .collect();
    }
    Err(Error::field(
        ErrorCode::InvalidType,
        field,
        "expected hex string, Uint8Array or byte array",
    ))
}

pub(super) fn wrapping_arg(v: &JsValue) -> Result<Wrapping> {
    match to_opt_str(v, "wrapping")? {
        None => Ok(Wrapping::Raw),
        Some(t) => Wrapping::parse(&t).map_err(|e| e.with_field("wrapping")),
    }
}

fn render_opts(ss58: Option<bool>) -> RenderOpts {
    if ss58.unwrap_or(false) {
        RenderOpts::SS58
    } else {
        RenderOpts::default()
    }
}

fn json_to_js(v: &serde_json::Value) -> Result<JsValue, JsValue> {
    // Rendered chain values follow the fixture conventions (big integers are strings), so plain
    // JSON objects are the exact representation.
    js_sys::JSON::parse(&v.to_string())
        .map_err(|_| js_error(Error::new(ErrorCode::Internal, "JSON.parse failed")))
}

/// Decode SCALE bytes as a named chain type and render it (fixture conventions: accounts as `0x`
/// hex or SS58, integers above 2^53 − 1 as decimal strings, fixed-point as `{bits, approx}`).
///
/// Throws `Error` with `code` `UNSUPPORTED` (unknown type), `DECODE` (malformed bytes; `field` is
/// the path inside the type, `offset` the byte offset), `TRAILING_BYTES`, `DECODE_LIMIT`,
/// `INVALID_HEX` or `INVALID_TYPE`.
///
/// @example
/// ```ts
/// decodeType("Vec<u16>", "0x080100ffff"); // [1, 65535]
/// decodeType("Option<Metagraph>", bytes, "raw", { ss58: true }).hotkeys[0]; // "5F..."
/// ```
#[wasm_bindgen(js_name = decodeType, unchecked_return_type = "any")]
pub fn decode_type_js(
    #[wasm_bindgen(js_name = typeName, unchecked_param_type = "string")] type_name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BytesLike")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Wrapping | undefined")] wrapping: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ ss58?: boolean } | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let type_name = to_str(&type_name, "typeName").map_err(js_error)?;
    let bytes = bytes_arg(&data, "data").map_err(js_error)?;
    let w = wrapping_arg(&wrapping).map_err(js_error)?;
    let ss58 = js_sys::Reflect::get(&options, &"ss58".into())
        .ok()
        .and_then(|v| v.as_bool());
    let d = decode_type(&type_name, &bytes, w).map_err(js_error)?;
    json_to_js(&d.render(&render_opts(ss58)))
}

/// Decode strictly without building a JS value: returns the number of bytes consumed (always
/// all of them) or throws like `decodeType`. For validating large results cheaply.
///
/// @example
/// ```ts
/// decodeValidate("Vec<u16>", "0x080100ffff"); // 5
/// ```
#[wasm_bindgen(js_name = decodeValidate)]
pub fn decode_validate(
    #[wasm_bindgen(js_name = typeName, unchecked_param_type = "string")] type_name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BytesLike")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Wrapping | undefined")] wrapping: JsValue,
) -> Result<u32, JsValue> {
    let type_name = to_str(&type_name, "typeName").map_err(js_error)?;
    let bytes = bytes_arg(&data, "data").map_err(js_error)?;
    let w = wrapping_arg(&wrapping).map_err(js_error)?;
    decode_type(&type_name, &bytes, w).map_err(js_error)?;
    Ok(u32::try_from(bytes.len()).unwrap_or(u32::MAX))
}

/// Every type name `decodeType` accepts (canonical spelling).
///
/// @example
/// ```ts
/// knownTypes().includes("Option<Metagraph>"); // true
/// ```
#[wasm_bindgen(js_name = knownTypes)]
pub fn known_types_js() -> Vec<String> {
    known_types().map(str::to_string).collect()
}

fn key_arg(kt: KeyType, v: &JsValue, field: &str) -> Result<KeyArg> {
    Ok(match kt {
        KeyType::U8 => KeyArg::U8(u8::try_from(to_bounded(v, field, 255)?).unwrap_or(u8::MAX)),
        KeyType::U16 => KeyArg::U16(to_u16(v, field)?),
        KeyType::U64 => KeyArg::U64(to_u64(v, field)?),
        KeyType::AccountId32 => {
            let s = v.as_string().ok_or_else(|| {
                Error::field(
                    ErrorCode::InvalidType,
                    field,
                    "account: 0x hex or SS58 string",
                )
            })?;
            KeyArg::Account(parse_account(&s).map_err(|e| e.with_field(field.to_string()))?)
        }
    })
}

/// The storage key of `item` (a `SubtensorModule` item of the epoch-replay table) with map keys
/// `keys` — all of them for a full key, fewer for an iteration prefix (`state_getKeysPaged`).
/// Mechanism-indexed items (`Weights`, `Bonds`, `Incentive`, `LastUpdate`, ...) take the storage
/// index `netuid + 4096 * mecid`.
///
/// Throws `UNSUPPORTED` (unknown item), `LENGTH_MISMATCH` (too many keys), `INVALID_TYPE`,
/// `TOO_LARGE`, `NEGATIVE`, `INVALID_HEX` (field `keys[i]`).
///
/// @example
/// ```ts
/// storageKey("Weights", [23, 10]);
/// // "0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec417000a00"
/// ```
#[wasm_bindgen(js_name = storageKey)]
pub fn storage_key(
    #[wasm_bindgen(unchecked_param_type = "string")] item: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StorageKeyArg[]")] keys: JsValue,
) -> Result<String, JsValue> {
    let item = to_str(&item, "item").map_err(js_error)?;
    let keys = to_array(&keys, "keys").map_err(js_error)?;
    let item = item.as_str();
    let it = item_named(item).ok_or_else(|| {
        js_error(Error::field(
            ErrorCode::Unsupported,
            "item",
            format!("no storage item {item:?}"),
        ))
    })?;
    if keys.len() > it.keys.len() {
        return Err(js_error(Error::field(
            ErrorCode::LengthMismatch,
            "keys",
            format!("{item} takes {} key(s), got {}", it.keys.len(), keys.len()),
        )));
    }
    let args = keys
        .iter()
        .zip(it.keys)
        .enumerate()
        .map(|(i, (v, (_, kt)))| key_arg(*kt, v, &format!("keys[{i}]")))
        .collect::<Result<Vec<_>>>()
        .map_err(js_error)?;
    it.key(&args).map(|k| hex::encode(&k)).map_err(js_error)
}

/// The storage items this engine knows (what an epoch replay reads, its outputs, and a few pool
/// items), with hashers, value types and defaults.
///
/// @example
/// ```ts
/// storageItems().find(i => i.name === "Tempo").defaultHex; // "0x6801" (360)
/// ```
#[wasm_bindgen(js_name = storageItems, unchecked_return_type = "StorageItemInfo[]")]
pub fn storage_items() -> Result<JsValue, JsValue> {
    let items: Vec<serde_json::Value> = ITEMS
        .iter()
        .map(|it| {
            serde_json::json!({
                "name": it.name,
                "keys": it.keys.iter().map(|(h, k)| [format!("{h:?}"), format!("{k:?}")]).collect::<Vec<_>>(),
                "valueType": it.value_type,
                "defaultHex": match it.query { Query::Value(d) => Some(hex::encode(&d.encode())), Query::Option => None },
                "prefix": hex::encode(&it.prefix()),
            })
        })
        .collect();
    json_to_js(&serde_json::Value::Array(items))
}

/// Decode a storage read of `item`: `null` (absent key) gives the default for ValueQuery items and
/// `null` for OptionQuery items.
///
/// @example
/// ```ts
/// decodeStorageValue("Tempo", null); // 360
/// decodeStorageValue("Tempo", "0x6300"); // 99
/// ```
#[wasm_bindgen(js_name = decodeStorageValue, unchecked_return_type = "any")]
pub fn decode_storage_value(
    #[wasm_bindgen(unchecked_param_type = "string")] item: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BytesLike | null")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ ss58?: boolean } | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let item = to_str(&item, "item").map_err(js_error)?;
    let item = item.as_str();
    let it = item_named(item).ok_or_else(|| {
        js_error(Error::field(
            ErrorCode::Unsupported,
            "item",
            format!("no storage item {item:?}"),
        ))
    })?;
    let bytes = if value.is_null() || value.is_undefined() {
        None
    } else {
        Some(bytes_arg(&value, "value").map_err(js_error)?)
    };
    let ss58 = js_sys::Reflect::get(&options, &"ss58".into())
        .ok()
        .and_then(|v| v.as_bool());
    match it.decode_value(bytes.as_deref()).map_err(js_error)? {
        Some(d) => json_to_js(&d.render(&render_opts(ss58))),
        None => Ok(JsValue::NULL),
    }
}

fn snapshot_arg(v: &JsValue) -> Result<Snapshot> {
    let text = match v.as_string() {
        Some(s) => s,
        None => js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::InvalidType,
                    "snapshot",
                    "expected snapshot JSON text or object",
                )
            })?,
    };
    Snapshot::from_json(&text)
}

/// Options of a new snapshot (provenance, chain identifiers, a stated emission).
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct NewSnapshotOptions {
    source: Option<SnapshotSource>,
    block_hash: Option<String>,
    parent_hash: Option<String>,
    spec_version: Option<u32>,
}

/// An empty snapshot (JSON text) of `netuid` for the epoch that ran in block `block`. Fill it by
/// following `snapshotPlan` / `snapshotInsert`: read the planned keys (at `parentHash` for phase
/// `inputs`, at `blockHash` for `outputs`) and insert the answers until the phase is `done`.
///
/// Throws `NEGATIVE` / `TOO_LARGE` / `INVALID_TYPE` (field `block`, `emission`, `options`).
///
/// @example
/// ```ts
/// let snap = snapshotNew(1, 6852344n, { source: { kind: "rpc", description: "SN1" }, parentHash, blockHash });
/// for (let p = snapshotPlan(snap); p.phase !== "done"; p = snapshotPlan(snap)) {
///   const values = await rpc.getStorageValues(p.keys, p.phase === "inputs" ? parentHash : blockHash);
///   snap = snapshotInsert(snap, p.phase, [...values]);
/// }
/// ```
#[wasm_bindgen(js_name = snapshotNew)]
pub fn snapshot_new(
    #[wasm_bindgen(unchecked_param_type = "number")] netuid: JsValue,
    #[wasm_bindgen(unchecked_param_type = "bigint | number | string")] block: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ source?: { kind: string; description: string; endpoint?: string | null; provenance?: string | null }; blockHash?: string | null; parentHash?: string | null; specVersion?: number | null; emission?: bigint | number | string } | undefined"
    )]
    options: JsValue,
) -> Result<String, JsValue> {
    let netuid = to_u16(&netuid, "netuid").map_err(js_error)?;
    let block = to_u64(&block, "block").map_err(js_error)?;
    let mut s = Snapshot::new(netuid, block);
    if !options.is_undefined() && !options.is_null() {
        let emission =
            js_sys::Reflect::get(&options, &"emission".into()).unwrap_or(JsValue::UNDEFINED);
        if !emission.is_undefined() && !emission.is_null() {
            s.emission = Some(to_u64(&emission, "emission").map_err(js_error)?.to_string());
        }
        let copy = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
        let _ = js_sys::Reflect::delete_property(&copy, &"emission".into());
        let o: NewSnapshotOptions = from_js(copy.into(), "options").map_err(js_error)?;
        s.source = o.source.unwrap_or_default();
        s.block_hash = o.block_hash;
        s.parent_hash = o.parent_hash;
        s.spec_version = o.spec_version;
    }
    s.to_json().map_err(js_error)
}

/// The next storage keys a snapshot needs, one dependency level at a time (subnet items, per-uid
/// items, per-hotkey items, parents' stakes, then the outputs at the epoch block).
///
/// @example
/// ```ts
/// snapshotPlan(snapshotNew(1, 100)).keys[0]; // the SubnetworkN(1) key
/// ```
#[wasm_bindgen(js_name = snapshotPlan, unchecked_return_type = "SnapshotPlan")]
pub fn snapshot_plan(
    #[wasm_bindgen(unchecked_param_type = "string | object")] snapshot: JsValue,
) -> Result<JsValue, JsValue> {
    let s = snapshot_arg(&snapshot).map_err(js_error)?;
    let p = s.plan().map_err(js_error)?;
    json_to_js(&serde_json::json!({ "phase": p.phase, "keys": p.keys, "known": p.known }))
}

/// Record storage answers (`[key, value | null][]`; a `Map`'s entries work) for `phase`; returns
/// the updated snapshot JSON.
///
/// Throws `INVALID_TYPE` (field `phase`, `entries[i]`), `INVALID_HEX` (field `key` or the key).
///
/// @example
/// ```ts
/// snap = snapshotInsert(snap, "inputs", [["0x658f…", "0x0004"], ["0x658f…", null]]);
/// ```
#[wasm_bindgen(js_name = snapshotInsert)]
pub fn snapshot_insert(
    #[wasm_bindgen(unchecked_param_type = "string | object")] snapshot: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"inputs\" | \"outputs\"")] phase: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "[string, string | null][] | Map<string, string | null>"
    )]
    entries: JsValue,
) -> Result<String, JsValue> {
    let mut s = snapshot_arg(&snapshot).map_err(js_error)?;
    let phase = to_str(&phase, "phase").map_err(js_error)?;
    let entries = match entries.dyn_ref::<js_sys::Map>() {
        Some(m) => js_sys::Array::from(m).iter().collect(),
        None => to_array(&entries, "entries").map_err(js_error)?,
    };
    let ph = match phase.as_str() {
        "inputs" => Phase::Inputs,
        "outputs" => Phase::Outputs,
        _ => {
            return Err(js_error(Error::field(
                ErrorCode::InvalidType,
                "phase",
                "\"inputs\" or \"outputs\"",
            )))
        }
    };
    for (i, e) in entries.iter().enumerate() {
        let bad = |what: &str| {
            js_error(Error::field(
                ErrorCode::InvalidType,
                format!("entries[{i}]"),
                what.to_string(),
            ))
        };
        let pair: &js_sys::Array = e.dyn_ref().ok_or_else(|| bad("[key, value]"))?;
        let key = pair
            .get(0)
            .as_string()
            .ok_or_else(|| bad("key must be hex text"))?;
        let value = pair.get(1);
        let v = if value.is_null() || value.is_undefined() {
            None
        } else {
            Some(
                value
                    .as_string()
                    .ok_or_else(|| bad("value must be hex text or null"))?,
            )
        };
        s.insert(ph, &key, v.as_deref()).map_err(js_error)?;
    }
    s.to_json().map_err(js_error)
}

/// Parse and check a snapshot file; returns a summary (`netuid`, `block`, source, key counts,
/// whether it can be re-run, and the captured metagraph rendered, if any).
///
/// Throws `INVALID_JSON`, `UNSUPPORTED` (format/version), `INVALID_HEX`, `INVALID_TYPE`.
///
/// @example
/// ```ts
/// const info = loadSnapshot(text);
/// info.rerunnable; // false for a metagraph-only capture
/// ```
#[wasm_bindgen(js_name = loadSnapshot, unchecked_return_type = "{ netuid: number; block: bigint; source: any; inputs: number; outputs: number; rerunnable: boolean; missing: string | null; metagraph: any | null; state: any | null }")]
pub fn load_snapshot(
    #[wasm_bindgen(unchecked_param_type = "string | object")] snapshot: JsValue,
) -> Result<JsValue, JsValue> {
    let s = snapshot_arg(&snapshot).map_err(js_error)?;
    let (rerunnable, missing, state) = match s.chain_state() {
        Ok(st) => match s.chain_outputs(&st) {
            Ok(_) => (true, None, Some(st)),
            Err(e) => (false, Some(e.message), Some(st)),
        },
        Err(e) => (false, Some(e.message), None),
    };
    let mut metagraph = serde_json::Value::Null;
    for c in &s.runtime_calls {
        // Either metagraph layout (spec 435 on appends the collateral fields).
        if matches!(
            c.result_type.as_str(),
            "Option<Metagraph>" | "Option<MetagraphWithCollateral>"
        ) {
            let bytes = hex::decode(&c.result).map_err(js_error)?;
            let d = decode_type(&c.result_type, &bytes, Wrapping::Raw)
                .map_err(|e| js_error(e.within("runtimeCalls")))?;
            let rendered = d.render(&RenderOpts::SS58);
            if !rendered.is_null() {
                metagraph = rendered;
            }
        }
    }
    let summary = serde_json::json!({
        "netuid": s.netuid,
        "source": s.source,
        "inputs": s.inputs.len(),
        "outputs": s.outputs.len(),
        "rerunnable": rerunnable,
        "missing": missing,
        "metagraph": metagraph,
    });
    let out = json_to_js(&summary)?;
    let _ = js_sys::Reflect::set(&out, &"block".into(), &js_sys::BigInt::from(s.block).into());
    let _ = js_sys::Reflect::set(
        &out,
        &"state".into(),
        &match state {
            Some(st) => to_js(&st)?,
            None => JsValue::NULL,
        },
    );
    Ok(out)
}

/// Re-run the epoch of a snapshot with the engine and compare every persisted output with the
/// chain's: the verdict, per-field counts, every difference (uid, field, expected = chain,
/// actual = engine), the first one with the engine's trace at that uid, and both output sets.
///
/// Throws the snapshot's parse errors, `MISSING_FIELD` (field `inputs` / `outputs`) for an
/// incomplete snapshot, `DECODE` naming the storage item for a malformed value.
///
/// @example
/// ```ts
/// const v = verifySnapshot(text);
/// if (v.verdict === "mismatch") console.log(v.first_difference.uid, v.first_difference.field);
/// ```
#[wasm_bindgen(js_name = verifySnapshot, unchecked_return_type = "Verification")]
pub fn verify_snapshot_js(
    #[wasm_bindgen(unchecked_param_type = "string | object")] snapshot: JsValue,
) -> Result<JsValue, JsValue> {
    let s = snapshot_arg(&snapshot).map_err(js_error)?;
    let v = verify_snapshot(&s).map_err(js_error)?;
    to_js(&v)
}

/// The consensus engine's inputs of a snapshot, one per mechanism, exactly as the chain reads
/// them (stake inheritance, owner, padding, column filter).
///
/// @example
/// ```ts
/// snapshotEpochInputs(text)[0].alpha_stake; // bigint[]
/// ```
#[wasm_bindgen(js_name = snapshotEpochInputs, unchecked_return_type = "any[]")]
pub fn snapshot_epoch_inputs(
    #[wasm_bindgen(unchecked_param_type = "string | object")] snapshot: JsValue,
) -> Result<JsValue, JsValue> {
    let s = snapshot_arg(&snapshot).map_err(js_error)?;
    to_js(&s.epoch_inputs().map_err(js_error)?)
}

/// Weight normalisation both ways: what the Python SDK sends for float `weights`
/// (`convert_weights_and_uids_for_emit`: max-upscale, round half to even, zeros dropped) and what
/// the chain then stores (`do_set_weights` max-upscale in I32F32, round half away from zero).
///
/// Throws `NEGATIVE`, `NOT_FINITE`, `LENGTH_MISMATCH`.
///
/// @example
/// ```ts
/// normaliseWeights([0, 1, 2], [1, 0.5, 0]); // { sdkUids: [0, 1], sdkValues: [65535, 32768], chainValues: [65535, 32768], changedByChain: [] }
/// ```
#[wasm_bindgen(js_name = normaliseWeights, unchecked_return_type = "WeightNormalisation")]
pub fn normalise_weights_js(
    #[wasm_bindgen(unchecked_param_type = "Uint16Array | number[]")] uids: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] weights: JsValue,
) -> Result<JsValue, JsValue> {
    let uids = to_u16s(&uids, "uids").map_err(js_error)?;
    let weights = to_f64s(&weights, "weights").map_err(js_error)?;
    to_js(&normalise_weights(&uids, &weights).map_err(js_error)?)
}

/// The chain's max-upscale of a u16 weight row (`vec_u16_max_upscale_to_u16`): what is stored.
///
/// @example
/// ```ts
/// chainMaxUpscale(new Uint16Array([1, 2])); // Uint16Array [32768, 65535]
/// ```
#[wasm_bindgen(js_name = chainMaxUpscale)]
pub fn chain_max_upscale_js(
    #[wasm_bindgen(unchecked_param_type = "Uint16Array | number[]")] values: JsValue,
) -> Result<Vec<u16>, JsValue> {
    let values = to_u16s(&values, "values").map_err(js_error)?;
    Ok(chain_max_upscale(&values))
}

/// Recompute a commit-reveal v2 hash from a revealed weight set and compare it with the stored
/// commit (`WeightCommits`).
///
/// Throws `INVALID_HEX` / `INVALID_TYPE` (field `hotkey` or `commitHash`), `LENGTH_MISMATCH`.
///
/// @example
/// ```ts
/// checkReveal({ hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", netuidIndex: 1,
///   uids: [0, 1, 2], values: [65535, 32768, 1], salt: [1, 2, 3, 4, 5, 6, 7, 8], versionKey: 0n,
///   commitHash: "0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d" }).matches; // true
/// ```
#[wasm_bindgen(js_name = checkReveal, unchecked_return_type = "RevealCheckResult")]
pub fn check_reveal_js(
    #[wasm_bindgen(unchecked_param_type = "RevealCheckInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let version_key =
        js_sys::Reflect::get(&input, &"versionKey".into()).unwrap_or(JsValue::UNDEFINED);
    let version_key = if version_key.is_undefined() {
        0
    } else {
        to_u64(&version_key, "versionKey").map_err(js_error)?
    };
    // versionKey may be a bigint or a decimal string: parse it above, deserialize a copy without it.
    let copy = js_sys::Object::assign(&js_sys::Object::new(), input.unchecked_ref());
    let _ = js_sys::Reflect::set(&copy, &"versionKey".into(), &JsValue::from_f64(0.0));
    let mut r: RevealCheck = from_js(copy.into(), "input").map_err(js_error)?;
    r.version_key = version_key;
    to_js(&check_reveal(&r).map_err(js_error)?)
}
