//! Commit-reveal v3/v4 for JS: check a drand pulse, open a timelocked commit, decode the commit
//! queue, and preview the next epoch. Thin wrappers over `tao_engine::chain::timelock`.

use super::consensus::{input as epoch_input, JsEpochResult};
use super::convert::{from_js, js_error, to_array, to_bytes, to_js, to_opt_str, to_u16, to_u64};
use super::runtime::{JsRuntimeChoice, JsRuntimeInfo};
use js_sys::Reflect;
use serde::{Deserialize, Serialize};
use tao_engine::chain::hex;
use tao_engine::chain::timelock::{
    self as tl, Pulse, RevealRules, RevealStatus, RevealedWeights, TimelockedCommit, VerifiedPulse,
};
use tao_engine::chain::types::AccountId32;
use tao_engine::chain::verify_commit::parse_account;
use tao_engine::error::{Error, ErrorCode, Result};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TIMELOCK: &'static str = r#"
/**
 * A drand quicknet pulse: the beacon's JSON answer as text, a `Drand::Pulses` storage value
 * (SCALE bytes), or an object (hex strings or bytes).
 */
export type DrandPulse =
  | string
  | Uint8Array
  | { round: bigint | number; signature: string | Uint8Array; randomness?: string | Uint8Array | null };

/** A pulse whose BLS signature checked out against quicknet's key. */
export interface VerifiedDrandPulse { round: bigint; signature: string; chainHash: string; scheme: string; }

/** The weights a timelocked commit reveals. */
export interface RevealedWeights {
  /** "hotkey": `WeightsTlockPayload`; "legacy": no hotkey in the payload. */
  format: "hotkey" | "legacy";
  hotkey: string | null;
  uids: number[];
  values: number[];
  versionKey: bigint;
}

/** A queued timelocked commit (`TimelockedWeightCommits` entry) and the uid its hotkey holds. */
export interface TimelockedCommit {
  uid: number;
  /** The committer (0x hex or SS58); when given the payload's hotkey must match it. */
  hotkey?: string | null;
  commitBlock?: bigint | number;
  /** The stored ciphertext: bytes or 0x hex. */
  ciphertext: string | Uint8Array;
  revealRound: bigint | number;
}

/** Options of previewNextEpoch: subnet settings the reveal checks, cadence, runtime. */
export interface PreviewOptions extends RuntimeChoice {
  /** Blocks from this epoch to the next (default tempo + 1). */
  blocksPerEpoch?: bigint | number;
  /** `WeightsVersionKey` (0: any). */
  weightsVersionKey?: bigint | number;
  /** `MinAllowedWeights` (0: none). */
  minAllowedWeights?: number;
  /** `MaxWeightsLimit` (65535: none). */
  maxWeightLimit?: number;
}

/** How one commit fared when its reveal was simulated. */
export interface RevealOutcome {
  uid: number;
  revealRound: bigint;
  /** applied: its row is set; pending: no pulse of its round yet; failed: cannot be opened (code); rejected: the chain's set_weights refuses it (chainError). */
  status: "applied" | "pending" | "failed" | "rejected";
  code: string | null;
  chainError: string | null;
  message: string | null;
  weights: RevealedWeights | null;
  /** The stored row: [uid, max-upscaled value] in submission order. */
  storedRow: [number, number][];
}

/** What the current epoch pays and what the next one will, after the reveals. */
export interface NextEpochPreview {
  current: EpochResult;
  next: EpochResult;
  nextBlock: bigint;
  reveals: RevealOutcome[];
  runtime: RuntimeInfo;
}
"#;

/// Bytes given as a `Uint8Array`, an array of bytes, or `0x` hex text.
fn bytes_or_hex(v: &JsValue, field: &str) -> Result<Vec<u8>> {
    match v.as_string() {
        Some(s) => hex::decode(s.trim()).map_err(|e| e.with_field(field)),
        None => to_bytes(v, field),
    }
}

fn get(obj: &JsValue, key: &str, field: &str) -> Result<JsValue> {
    if !obj.is_object() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            field,
            "expected an object",
        ));
    }
    Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| Error::field(ErrorCode::InvalidType, field, "unreadable property"))
}

fn pulse_of(v: &JsValue, field: &str) -> Result<Pulse> {
    if let Some(text) = v.as_string() {
        return tl::parse_beacon_json(&text).map_err(|e| e.within(field));
    }
    if v.is_instance_of::<js_sys::Uint8Array>() {
        return tl::decode_pulse_storage(&to_bytes(v, field)?).map_err(|e| e.within(field));
    }
    let round = to_u64(&get(v, "round", field)?, &format!("{field}.round"))?;
    let signature = bytes_or_hex(&get(v, "signature", field)?, &format!("{field}.signature"))?;
    let r = get(v, "randomness", field)?;
    let randomness = if r.is_undefined() || r.is_null() {
        None
    } else {
        Some(bytes_or_hex(&r, &format!("{field}.randomness"))?)
    };
    Ok(Pulse {
        round,
        signature,
        randomness,
    })
}

fn verified(v: &JsValue, field: &str) -> Result<VerifiedPulse> {
    tl::verify_pulse(&pulse_of(v, field)?).map_err(|e| e.within(field))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsVerifiedPulse {
    round: u64,
    signature: String,
    chain_hash: &'static str,
    scheme: &'static str,
}

/// Check a drand quicknet pulse: its BLS signature (G1) must verify against quicknet's public key
/// for its round, and its randomness (when given) must be the signature's SHA-256. Accepts the
/// beacon's JSON answer as text, a `Drand::Pulses` storage value, or `{ round, signature }`.
///
/// Throws `TIMELOCK_BAD_SIGNATURE` (field `pulse.signature` or `pulse.randomness`) for a forged,
/// altered or other-round pulse; `INVALID_JSON`, `INVALID_HEX`, `DECODE` for unreadable input.
///
/// @example
/// ```ts
/// verifyDrandPulse({ round: 1000n, signature: "b44679b9…5e39" }).round; // 1000n
/// ```
#[wasm_bindgen(js_name = verifyDrandPulse, unchecked_return_type = "VerifiedDrandPulse")]
pub fn verify_drand_pulse(
    #[wasm_bindgen(unchecked_param_type = "DrandPulse")] pulse: JsValue,
) -> Result<JsValue, JsValue> {
    let p = verified(&pulse, "pulse").map_err(js_error)?;
    to_js(&JsVerifiedPulse {
        round: p.round(),
        signature: hex::encode(&p.signature_bytes()),
        chain_hash: tl::drand::QUICKNET_CHAIN_HASH,
        scheme: tl::drand::QUICKNET_SCHEME,
    })
}

fn opt_account(v: &JsValue, field: &str) -> Result<Option<AccountId32>> {
    to_opt_str(v, field)?
        .map(|s| parse_account(&s).map_err(|e| e.with_field(field)))
        .transpose()
}

/// Open one timelocked commit with a pulse of its round (the pulse is verified first) and decode
/// the weights inside as the chain's reveal does. With `hotkey` (the committer, hex or SS58), a
/// payload naming another hotkey is refused as the chain refuses it.
///
/// Throws `TIMELOCK_BAD_SIGNATURE` (bad pulse), `TIMELOCK_WRONG_ROUND` (pulse of another round),
/// `TIMELOCK_BAD_CIPHERTEXT` (malformed, altered, or made for another round),
/// `TIMELOCK_BAD_PAYLOAD`, `TIMELOCK_HOTKEY_MISMATCH`.
///
/// @example
/// ```ts
/// const w = decryptTimelockedCommit(ciphertextHex, 1000n, beaconJsonText);
/// w.uids; w.values; w.versionKey;
/// ```
#[wasm_bindgen(js_name = decryptTimelockedCommit, unchecked_return_type = "RevealedWeights")]
pub fn decrypt_timelocked_commit(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] ciphertext: JsValue,
    #[wasm_bindgen(unchecked_param_type = "bigint | number")] round: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DrandPulse")] pulse: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] hotkey: JsValue,
) -> Result<JsValue, JsValue> {
    let ct = bytes_or_hex(&ciphertext, "ciphertext").map_err(js_error)?;
    let round = to_u64(&round, "round").map_err(js_error)?;
    let hotkey = opt_account(&hotkey, "hotkey").map_err(js_error)?;
    let p = verified(&pulse, "pulse").map_err(js_error)?;
    let w = tl::decrypt_commit(&ct, round, &p, hotkey.as_ref()).map_err(js_error)?;
    to_js(&w)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStoredCommit {
    who: String,
    commit_block: u64,
    ciphertext: String,
    reveal_round: u64,
}

/// Decode a `TimelockedWeightCommits` storage value: the queue of `(who, commitBlock,
/// ciphertext, revealRound)` (ciphertexts as `0x` hex). Throws `DECODE` / `TRAILING_BYTES`.
///
/// @example
/// ```ts
/// decodeTimelockedCommits(valueBytes).map((c) => c.revealRound);
/// ```
#[wasm_bindgen(js_name = decodeTimelockedCommits, unchecked_return_type = "{ who: string; commitBlock: bigint; ciphertext: string; revealRound: bigint }[]")]
pub fn decode_timelocked_commits(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = to_bytes(&bytes, "bytes").map_err(js_error)?;
    let q = tl::decode_commit_queue(&bytes).map_err(js_error)?;
    let out: Vec<JsStoredCommit> = q
        .into_iter()
        .map(|c| JsStoredCommit {
            who: c.who.to_hex(),
            commit_block: c.commit_block,
            ciphertext: hex::encode(&c.ciphertext),
            reveal_round: c.reveal_round,
        })
        .collect();
    to_js(&out)
}

fn commit_of(v: &JsValue, field: &str) -> Result<TimelockedCommit> {
    let f = |k: &str| format!("{field}.{k}");
    let block = get(v, "commitBlock", field)?;
    Ok(TimelockedCommit {
        uid: to_u16(&get(v, "uid", field)?, &f("uid"))?,
        hotkey: opt_account(&get(v, "hotkey", field)?, &f("hotkey"))?,
        commit_block: if block.is_undefined() || block.is_null() {
            0
        } else {
            to_u64(&block, &f("commitBlock"))?
        },
        ciphertext: bytes_or_hex(&get(v, "ciphertext", field)?, &f("ciphertext"))?,
        reveal_round: to_u64(&get(v, "revealRound", field)?, &f("revealRound"))?,
    })
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
struct JsPreviewOptions {
    blocks_per_epoch: Option<u64>,
    weights_version_key: u64,
    min_allowed_weights: u16,
    max_weight_limit: Option<u16>,
    spec_version: Option<u32>,
    accept_approximate: bool,
    swap_superellipse: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsOutcome<'a> {
    uid: u16,
    reveal_round: u64,
    status: &'static str,
    code: Option<&'static str>,
    chain_error: Option<&'static str>,
    message: Option<&'a str>,
    weights: Option<&'a RevealedWeights>,
    stored_row: &'a [(u16, u16)],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsPreview<'a> {
    current: JsEpochResult<'a>,
    next: JsEpochResult<'a>,
    next_block: u64,
    reveals: Vec<JsOutcome<'a>>,
    runtime: JsRuntimeInfo,
}

/// What the next epoch pays once the timelocked commits are revealed, beside what the current
/// epoch pays. Every commit whose round has a pulse is opened (pulses are verified first), its
/// weights go through the chain's `set_weights` checks and are stored as the reveal stores them;
/// bonds, permits and consensus carry over from the current epoch; the next epoch runs
/// `blocksPerEpoch` (default tempo + 1) later. A commit that cannot be opened is reported in
/// `reveals` (the chain skips it), not thrown.
///
/// Throws the `runEpoch` input errors, `TIMELOCK_BAD_SIGNATURE` for a pulse that does not verify
/// (field `pulses[i]…`), and `UID_OUT_OF_RANGE` for a commit's uid (field `commits[i].uid`).
///
/// @example
/// ```ts
/// const p = previewNextEpoch(input, [{ uid: 0, ciphertext, revealRound: 1000n }], [beaconJson]);
/// p.current.incentive; p.next.incentive; p.reveals[0].status; // "applied"
/// ```
#[wasm_bindgen(js_name = previewNextEpoch, unchecked_return_type = "NextEpochPreview")]
pub fn preview_next_epoch(
    #[wasm_bindgen(unchecked_param_type = "EpochInput")] input_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TimelockedCommit[]")] commits: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DrandPulse[]")] pulses: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PreviewOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: JsPreviewOptions = if opts.is_undefined() || opts.is_null() {
        JsPreviewOptions::default()
    } else {
        from_js(opts, "options").map_err(js_error)?
    };
    let rules = JsRuntimeChoice {
        spec_version: opts.spec_version,
        accept_approximate: opts.accept_approximate,
        swap_superellipse: opts.swap_superellipse,
    }
    .rules()?;
    let input = epoch_input(input_value)?;
    let commits: Vec<TimelockedCommit> = to_array(&commits, "commits")
        .and_then(|a| {
            a.iter()
                .enumerate()
                .map(|(i, c)| commit_of(c, &format!("commits[{i}]")))
                .collect()
        })
        .map_err(js_error)?;
    let pulses: Vec<VerifiedPulse> = to_array(&pulses, "pulses")
        .and_then(|a| {
            a.iter()
                .enumerate()
                .map(|(i, p)| verified(p, &format!("pulses[{i}]")))
                .collect()
        })
        .map_err(js_error)?;
    let rr = RevealRules {
        weights_version_key: opts.weights_version_key,
        min_allowed_weights: opts.min_allowed_weights,
        max_weight_limit: opts.max_weight_limit.unwrap_or(u16::MAX),
    };
    let p = tl::preview_next_epoch(
        &input,
        &rules,
        &commits,
        &pulses,
        &rr,
        opts.blocks_per_epoch,
    )
    .map_err(js_error)?;
    let reveals = p
        .reveals
        .iter()
        .map(|o| {
            let (status, code, chain_error, message) = match &o.status {
                RevealStatus::Applied => ("applied", None, None, None),
                RevealStatus::Pending => ("pending", None, None, None),
                RevealStatus::Failed(e) => (
                    "failed",
                    Some(e.code.as_str()),
                    None,
                    Some(e.message.as_str()),
                ),
                RevealStatus::Rejected(why) => ("rejected", None, Some(*why), None),
            };
            JsOutcome {
                uid: o.uid,
                reveal_round: o.reveal_round,
                status,
                code,
                chain_error,
                message,
                weights: o.weights.as_ref(),
                stored_row: &o.stored_row,
            }
        })
        .collect();
    to_js(&JsPreview {
        current: JsEpochResult::of(&p.current, &rules),
        next: JsEpochResult::of(&p.next, &rules),
        next_block: p.next_block,
        reveals,
        runtime: rules.info(),
    })
}
