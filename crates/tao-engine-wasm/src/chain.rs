//! Chain data for JS: decoding by type name, storage keys and values, epoch snapshots (read plan,
//! load, verify), weight normalisation (SDK and chain) and the commit-reveal v2 hash check. The
//! response types are in `chain_types.rs`; the argument types in `request.rs`.

use super::chain_types::{
    RevealCheckResult, SnapshotInfo, SnapshotPlan, StorageItemInfo, Verification,
    WeightNormalisationResult,
};
use super::convert::{js_error, to_bounded, to_ts, to_u16, to_u64};
use super::request::{
    read, read_or_default, BytesLike, F64s, FromJs, SnapshotInsertPhase, SnapshotJson,
    StorageAnswers, StorageKeyArg, U16s, U64Like, Wrapping,
};
use super::snapshot_state::SnapshotEpochInputs;
use tao_engine::chain::hex;
use tao_engine::chain::registry::{decode_type, known_types};
use tao_engine::chain::render::RenderOpts;
use tao_engine::chain::snapshot::{Snapshot, SnapshotSource};
use tao_engine::chain::storage::{item_named, KeyArg, KeyType, Query, StorageItem, ITEMS};
use tao_engine::chain::verify::verify_snapshot;
use tao_engine::chain::verify_commit::{
    check_reveal, normalise_weights, parse_account, RevealCheck,
};
use tao_engine::chain::weights::chain_max_upscale;
use tao_engine::error::{Error, ErrorCode, Result};
use tsify::Ts;
use wasm_bindgen::prelude::*;

crate::js_request! {
    /// How decoded values are rendered.
    #[derive(Default)]
    pub struct DecodeOptions {
        /// Accounts as SS58 (prefix 42) instead of `0x` hex.
        #[tsify(optional)]
        ss58 "ss58": Option<bool>,
    }
}

crate::js_request! {
    /// Where a snapshot comes from (informational; shown to the user).
    pub struct SnapshotSourceRequest {
        /// `rpc`, `fixture`, `yuma-vector` or `manual`.
        kind "kind": String,
        /// Human-readable description.
        description "description": String,
        /// The endpoint it was fetched from, when `kind` is `rpc`.
        #[tsify(optional)]
        endpoint "endpoint": Option<String>,
        /// Where the data comes from (repository, file, test name).
        #[tsify(optional)]
        provenance "provenance": Option<String>,
    }
}

crate::js_request! {
    /// Options of a new snapshot: provenance, chain identifiers, a stated emission.
    #[derive(Default)]
    pub struct NewSnapshotOptions {
        /// Where the data comes from.
        #[tsify(optional)]
        source "source": Option<SnapshotSourceRequest>,
        /// Hash of the epoch block.
        #[tsify(optional)]
        block_hash "blockHash": Option<String>,
        /// Hash of its parent (where the inputs are read).
        #[tsify(optional)]
        parent_hash "parentHash": Option<String>,
        /// The runtime's spec version.
        #[tsify(optional)]
        spec_version "specVersion": Option<u32>,
        /// The emission handed to the epoch (rao), when known exactly.
        #[tsify(optional)]
        emission "emission": Option<U64Like>,
    }
}

crate::js_request! {
    /// A revealed CR-v2 weight set and its stored commit hash.
    pub struct RevealCheckInput {
        /// The committing hotkey, `0x` hex or SS58.
        hotkey "hotkey": String,
        /// `netuid + 4096 * mecid`.
        netuid_index "netuidIndex": u16,
        /// Revealed uids.
        uids "uids": U16s,
        /// Revealed values, exactly as sent.
        values "values": U16s,
        /// Salt.
        salt "salt": U16s,
        /// Version key (default 0).
        #[tsify(optional)]
        version_key "versionKey": Option<U64Like>,
        /// The stored commit hash, `0x` hex.
        commit_hash "commitHash": String,
    }
}

fn string_arg(v: &JsValue, field: &str) -> Result<String, JsValue> {
    String::parse(v, field).map_err(js_error)
}

fn render_opts(options: &Option<Ts<DecodeOptions>>) -> Result<RenderOpts, JsValue> {
    let o = read_or_default(options, "options")?;
    Ok(if o.ss58.unwrap_or(false) {
        RenderOpts::SS58
    } else {
        RenderOpts::default()
    })
}

fn render(v: &serde_json::Value) -> Result<JsValue, JsValue> {
    // Rendered chain values follow the fixture conventions (big integers are strings), so plain
    // JSON objects are the exact representation.
    js_sys::JSON::parse(&v.to_string())
        .map_err(|_| js_error(Error::new(ErrorCode::Internal, "JSON.parse failed")))
}

fn snapshot(v: &Ts<SnapshotJson>) -> Result<Snapshot, JsValue> {
    Snapshot::from_json(&read(v, "snapshot")?.0).map_err(js_error)
}

fn item(name: &JsValue) -> Result<&'static StorageItem, JsValue> {
    let name = string_arg(name, "item")?;
    item_named(&name).ok_or_else(|| {
        js_error(Error::field(
            ErrorCode::Unsupported,
            "item",
            format!("no storage item {name:?}"),
        ))
    })
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
    data: Ts<BytesLike>,
    wrapping: Option<Ts<Wrapping>>,
    options: Option<Ts<DecodeOptions>>,
) -> Result<JsValue, JsValue> {
    let type_name = string_arg(&type_name, "typeName")?;
    let bytes = read(&data, "data")?.0;
    let w = Wrapping::or_raw(wrapping.as_ref().map(|w| read(w, "wrapping")).transpose()?);
    let opts = render_opts(&options)?;
    let d = decode_type(&type_name, &bytes, w).map_err(js_error)?;
    render(&d.render(&opts))
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
    data: Ts<BytesLike>,
    wrapping: Option<Ts<Wrapping>>,
) -> Result<u32, JsValue> {
    let type_name = string_arg(&type_name, "typeName")?;
    let bytes = read(&data, "data")?.0;
    let w = Wrapping::or_raw(wrapping.as_ref().map(|w| read(w, "wrapping")).transpose()?);
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
        KeyType::U32 => KeyArg::U32(
            u32::try_from(to_bounded(v, field, u64::from(u32::MAX))?).unwrap_or(u32::MAX),
        ),
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
    let it = self::item(&item)?;
    let keys = Vec::<StorageKeyArg>::parse(&keys, "keys").map_err(js_error)?;
    if keys.len() > it.keys.len() {
        return Err(js_error(Error::field(
            ErrorCode::LengthMismatch,
            "keys",
            format!(
                "{} takes {} key(s), got {}",
                it.name,
                it.keys.len(),
                keys.len()
            ),
        )));
    }
    let args = keys
        .iter()
        .zip(it.keys)
        .enumerate()
        .map(|(i, (v, (_, kt)))| key_arg(*kt, &v.0, &format!("keys[{i}]")))
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
#[wasm_bindgen(js_name = storageItems)]
pub fn storage_items() -> Result<Vec<Ts<StorageItemInfo>>, JsValue> {
    ITEMS
        .iter()
        .map(|it| {
            to_ts(&StorageItemInfo {
                name: it.name,
                keys: it
                    .keys
                    .iter()
                    .map(|(h, k)| (format!("{h:?}"), format!("{k:?}")))
                    .collect(),
                value_type: it.value_type,
                default_hex: match it.query {
                    Query::Value(d) => Some(hex::encode(&d.encode())),
                    Query::Option => None,
                },
                prefix: hex::encode(&it.prefix()),
            })
        })
        .collect()
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
    value: Option<Ts<BytesLike>>,
    options: Option<Ts<DecodeOptions>>,
) -> Result<JsValue, JsValue> {
    let it = self::item(&item)?;
    let bytes = value.as_ref().map(|v| read(v, "value")).transpose()?;
    let opts = render_opts(&options)?;
    match it
        .decode_value(bytes.as_ref().map(|b| b.0.as_slice()))
        .map_err(js_error)?
    {
        Some(d) => render(&d.render(&opts)),
        None => Ok(JsValue::NULL),
    }
}

/// An empty snapshot (JSON text) of `netuid` for the epoch that ran in block `block`. Fill it by
/// following `snapshotPlan` / `snapshotInsert`: read the planned keys (at `parentHash` for phase
/// `inputs`, at `blockHash` for `outputs`) and insert the answers until the phase is `done`.
///
/// Throws `NEGATIVE` / `TOO_LARGE` / `INVALID_TYPE` (field `netuid`, `block`, `options`, or the
/// option's path such as `options.emission` or `options.source.kind`).
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
    block: Ts<U64Like>,
    options: Option<Ts<NewSnapshotOptions>>,
) -> Result<String, JsValue> {
    let netuid = u16::parse(&netuid, "netuid").map_err(js_error)?;
    let block = read(&block, "block")?.0;
    let o = read_or_default(&options, "options")?;
    let mut s = Snapshot::new(netuid, block);
    s.emission = o.emission.map(|e| e.0.to_string());
    s.source = o
        .source
        .map_or_else(SnapshotSource::default, |src| SnapshotSource {
            kind: src.kind,
            description: src.description,
            endpoint: src.endpoint,
            provenance: src.provenance,
        });
    s.block_hash = o.block_hash;
    s.parent_hash = o.parent_hash;
    s.spec_version = o.spec_version;
    s.to_json().map_err(js_error)
}

/// The next storage keys a snapshot needs, one dependency level at a time (subnet items, per-uid
/// items, per-hotkey items, parents' stakes, then the outputs at the epoch block).
///
/// @example
/// ```ts
/// snapshotPlan(snapshotNew(1, 100)).keys[0]; // the SubnetworkN(1) key
/// ```
#[wasm_bindgen(js_name = snapshotPlan)]
pub fn snapshot_plan(snapshot: Ts<SnapshotJson>) -> Result<Ts<SnapshotPlan>, JsValue> {
    let s = self::snapshot(&snapshot)?;
    to_ts(&SnapshotPlan::from(s.plan().map_err(js_error)?))
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
    snapshot: Ts<SnapshotJson>,
    phase: Ts<SnapshotInsertPhase>,
    entries: Ts<StorageAnswers>,
) -> Result<String, JsValue> {
    let mut s = self::snapshot(&snapshot)?;
    let phase = read(&phase, "phase")?.0;
    for (key, value) in read(&entries, "entries")?.0 {
        s.insert(phase, &key, value.as_deref()).map_err(js_error)?;
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
#[wasm_bindgen(js_name = loadSnapshot)]
pub fn load_snapshot(snapshot: Ts<SnapshotJson>) -> Result<Ts<SnapshotInfo>, JsValue> {
    let summary = self::snapshot(&snapshot)?.summary().map_err(js_error)?;
    let metagraph = match &summary.metagraph {
        Some(m) => render(m)?,
        None => JsValue::NULL,
    };
    to_ts(&SnapshotInfo::new(summary, metagraph))
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
/// if (v.verdict === "mismatch") console.log(v.firstDifference.uid, v.firstDifference.field);
/// ```
#[wasm_bindgen(js_name = verifySnapshot)]
pub fn verify_snapshot_js(snapshot: Ts<SnapshotJson>) -> Result<Ts<Verification>, JsValue> {
    let s = self::snapshot(&snapshot)?;
    to_ts(&Verification::from(verify_snapshot(&s).map_err(js_error)?))
}

/// The consensus engine's inputs of a snapshot, one per mechanism, exactly as the chain reads
/// them (stake inheritance, owner, padding, column filter).
///
/// @example
/// ```ts
/// snapshotEpochInputs(text)[0].alphaStake; // bigint[]
/// ```
#[wasm_bindgen(js_name = snapshotEpochInputs)]
pub fn snapshot_epoch_inputs(
    snapshot: Ts<SnapshotJson>,
) -> Result<Ts<SnapshotEpochInputs>, JsValue> {
    let s = self::snapshot(&snapshot)?;
    let inputs = s.epoch_inputs().map_err(js_error)?;
    to_ts(&SnapshotEpochInputs(
        inputs.into_iter().map(Into::into).collect(),
    ))
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
#[wasm_bindgen(js_name = normaliseWeights)]
pub fn normalise_weights_js(
    uids: Ts<U16s>,
    weights: Ts<F64s>,
) -> Result<Ts<WeightNormalisationResult>, JsValue> {
    let uids = read(&uids, "uids")?.0;
    let weights = read(&weights, "weights")?.0;
    to_ts(&WeightNormalisationResult::from(
        normalise_weights(&uids, &weights).map_err(js_error)?,
    ))
}

/// The chain's max-upscale of a u16 weight row (`vec_u16_max_upscale_to_u16`): what is stored.
///
/// @example
/// ```ts
/// chainMaxUpscale(new Uint16Array([1, 2])); // Uint16Array [32768, 65535]
/// ```
#[wasm_bindgen(js_name = chainMaxUpscale)]
pub fn chain_max_upscale_js(values: Ts<U16s>) -> Result<Vec<u16>, JsValue> {
    Ok(chain_max_upscale(&read(&values, "values")?.0))
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
#[wasm_bindgen(js_name = checkReveal)]
pub fn check_reveal_js(input: Ts<RevealCheckInput>) -> Result<Ts<RevealCheckResult>, JsValue> {
    // The input is the request itself: its fields are named at the top level (`versionKey`),
    // as the core names the ones it checks (`values`, `commitHash`).
    let v = input.js_value();
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Err(js_error(Error::field(
            ErrorCode::InvalidType,
            "input",
            "expected an object",
        )));
    }
    let r = RevealCheckInput::parse(&v, "").map_err(js_error)?;
    let check = RevealCheck {
        hotkey: r.hotkey,
        netuid_index: r.netuid_index,
        uids: r.uids.0,
        values: r.values.0,
        salt: r.salt.0,
        version_key: r.version_key.map_or(0, |v| v.0),
        commit_hash: r.commit_hash,
    };
    to_ts(&RevealCheckResult::from(
        check_reveal(&check).map_err(js_error)?,
    ))
}
