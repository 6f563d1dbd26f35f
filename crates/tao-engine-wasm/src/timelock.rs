//! Commit-reveal v3/v4 for JS: check a drand pulse, open a timelocked commit, decode the commit
//! queue, and preview the next epoch. Thin wrappers over `tao_engine::chain::timelock`.

use super::consensus::{input as epoch_input, JsEpochResult};
use super::convert::{js_error, to_js, to_opt_str, to_ts};
use super::request::{read, read_or_default, Bytes, BytesOrHex, FromJs, U64Like};
use super::runtime::RuntimeChoice;
use serde::Serialize;
use tao_engine::chain::hex;
use tao_engine::chain::timelock::{
    self as tl, PayloadFormat, Pulse, RevealRules, RevealStatus, TimelockedCommit as CoreCommit,
    VerifiedPulse,
};
use tao_engine::chain::types::AccountId32;
use tao_engine::chain::verify_commit::parse_account;
use tao_engine::error::Result;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

crate::js_request! {
    /// A drand pulse as an object: its round and BLS signature (hex or bytes), and optionally its
    /// randomness (the signature's SHA-256).
    pub struct DrandPulseObject {
        round "round": U64Like,
        signature "signature": BytesOrHex,
        #[tsify(optional)]
        randomness "randomness": Option<BytesOrHex>,
    }
}

/// A drand quicknet pulse: the beacon's JSON answer as text, a `Drand::Pulses` storage value
/// (SCALE bytes), or an object (hex strings or bytes).
#[derive(Tsify)]
#[tsify(type = "string | Uint8Array | DrandPulseObject")]
pub struct DrandPulse(pub Pulse);

impl FromJs for DrandPulse {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        if let Some(text) = v.as_string() {
            return tl::parse_beacon_json(&text)
                .map(DrandPulse)
                .map_err(|e| e.within(field));
        }
        if v.is_instance_of::<js_sys::Uint8Array>() {
            let bytes = Bytes::parse(v, field)?.0;
            return tl::decode_pulse_storage(&bytes)
                .map(DrandPulse)
                .map_err(|e| e.within(field));
        }
        let p = DrandPulseObject::parse(v, field)?;
        Ok(DrandPulse(Pulse {
            round: p.round.0,
            signature: p.signature.0,
            randomness: p.randomness.map(|r| r.0),
        }))
    }
}

/// The pulse in `v`, its signature checked (errors name `field` and the part to blame).
fn verified(p: DrandPulse, field: &str) -> Result<VerifiedPulse> {
    tl::verify_pulse(&p.0).map_err(|e| e.within(field))
}

/// A pulse whose BLS signature checked out against quicknet's key.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct VerifiedDrandPulse {
    round: u64,
    /// The signature, `0x` hex.
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
#[wasm_bindgen(js_name = verifyDrandPulse)]
pub fn verify_drand_pulse(pulse: Ts<DrandPulse>) -> Result<Ts<VerifiedDrandPulse>, JsValue> {
    let p = verified(read(&pulse, "pulse")?, "pulse").map_err(js_error)?;
    to_ts(&VerifiedDrandPulse {
        round: p.round(),
        signature: hex::encode(&p.signature_bytes()),
        chain_hash: tl::drand::QUICKNET_CHAIN_HASH,
        scheme: tl::drand::QUICKNET_SCHEME,
    })
}

fn opt_account(s: Option<String>, field: &str) -> Result<Option<AccountId32>> {
    s.map(|s| parse_account(&s).map_err(|e| e.with_field(field)))
        .transpose()
}

/// The layout of a timelocked payload.
#[derive(Serialize, Tsify, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum RevealFormat {
    /// `WeightsTlockPayload` (hotkey first).
    Hotkey,
    /// `LegacyWeightsTlockPayload` (no hotkey in the payload).
    Legacy,
}

/// The weights a timelocked commit reveals.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct RevealedWeights {
    format: RevealFormat,
    /// The hotkey inside the payload, `0x` hex (null for the legacy layout).
    hotkey: Option<String>,
    uids: Vec<u16>,
    /// As committed (before the chain's max-upscale).
    values: Vec<u16>,
    version_key: u64,
}

impl From<&tl::RevealedWeights> for RevealedWeights {
    fn from(w: &tl::RevealedWeights) -> Self {
        RevealedWeights {
            format: match w.format {
                PayloadFormat::Hotkey => RevealFormat::Hotkey,
                PayloadFormat::Legacy => RevealFormat::Legacy,
            },
            hotkey: w.hotkey.map(|h| h.0.to_hex()),
            uids: w.uids.clone(),
            values: w.values.clone(),
            version_key: w.version_key,
        }
    }
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
#[wasm_bindgen(js_name = decryptTimelockedCommit)]
pub fn decrypt_timelocked_commit(
    ciphertext: Ts<BytesOrHex>,
    round: Ts<U64Like>,
    pulse: Ts<DrandPulse>,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] hotkey: JsValue,
) -> Result<Ts<RevealedWeights>, JsValue> {
    let ct = read(&ciphertext, "ciphertext")?.0;
    let round = read(&round, "round")?.0;
    let hotkey = to_opt_str(&hotkey, "hotkey")
        .and_then(|h| opt_account(h, "hotkey"))
        .map_err(js_error)?;
    let p = verified(read(&pulse, "pulse")?, "pulse").map_err(js_error)?;
    let w = tl::decrypt_commit(&ct, round, &p, hotkey.as_ref()).map_err(js_error)?;
    to_ts(&RevealedWeights::from(&w))
}

/// One queued timelocked commit (`TimelockedWeightCommits` entry).
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints)]
pub struct StoredCommit {
    /// The committer, `0x` hex.
    who: String,
    commit_block: u64,
    /// `0x` hex.
    ciphertext: String,
    reveal_round: u64,
}

/// The response of `decodeTimelockedCommits`: the queue in order.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct StoredCommits(Vec<StoredCommit>);

/// Decode a `TimelockedWeightCommits` storage value: the queue of `(who, commitBlock,
/// ciphertext, revealRound)` (ciphertexts as `0x` hex). Throws `DECODE` / `TRAILING_BYTES`.
///
/// @example
/// ```ts
/// decodeTimelockedCommits(valueBytes).map((c) => c.revealRound);
/// ```
#[wasm_bindgen(js_name = decodeTimelockedCommits)]
pub fn decode_timelocked_commits(bytes: Ts<Bytes>) -> Result<Ts<StoredCommits>, JsValue> {
    let bytes = read(&bytes, "bytes")?.0;
    let q = tl::decode_commit_queue(&bytes).map_err(js_error)?;
    to_ts(&StoredCommits(
        q.into_iter()
            .map(|c| StoredCommit {
                who: c.who.to_hex(),
                commit_block: c.commit_block,
                ciphertext: hex::encode(&c.ciphertext),
                reveal_round: c.reveal_round,
            })
            .collect(),
    ))
}

crate::js_request! {
    /// A queued timelocked commit (`TimelockedWeightCommits` entry) and the uid its hotkey holds.
    pub struct TimelockedCommit {
        uid "uid": u16,
        /// The committer (0x hex or SS58); when given the payload's hotkey must match it.
        #[tsify(optional)]
        hotkey "hotkey": Option<String>,
        #[tsify(optional)]
        commit_block "commitBlock": Option<U64Like>,
        /// The stored ciphertext: bytes or 0x hex.
        ciphertext "ciphertext": BytesOrHex,
        reveal_round "revealRound": U64Like,
    }
}

crate::js_request! {
    /// Options of previewNextEpoch: subnet settings the reveal checks, cadence, runtime.
    #[derive(Default)]
    pub struct PreviewOptions {
        // Which runtime's rules apply (default: the newest known).
        ..runtime: RuntimeChoice,
        /// Blocks from this epoch to the next (default tempo + 1).
        #[tsify(optional)]
        blocks_per_epoch "blocksPerEpoch": Option<U64Like>,
        /// `WeightsVersionKey` (0: any).
        #[tsify(optional)]
        weights_version_key "weightsVersionKey": Option<U64Like>,
        /// `MinAllowedWeights` (0: none).
        #[tsify(optional)]
        min_allowed_weights "minAllowedWeights": Option<u16>,
        /// `MaxWeightsLimit` (65535: none).
        #[tsify(optional)]
        max_weight_limit "maxWeightLimit": Option<u16>,
    }
}

/// The commits of `previewNextEpoch`.
#[derive(Tsify)]
#[tsify(type = "TimelockedCommit[]")]
pub struct TimelockedCommits(pub Vec<TimelockedCommit>);

impl FromJs for TimelockedCommits {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        Vec::parse(v, field).map(TimelockedCommits)
    }
}

/// The pulses of `previewNextEpoch`.
#[derive(Tsify)]
#[tsify(type = "DrandPulse[]")]
pub struct DrandPulses(pub Vec<DrandPulse>);

impl FromJs for DrandPulses {
    fn parse(v: &JsValue, field: &str) -> Result<Self> {
        Vec::parse(v, field).map(DrandPulses)
    }
}

/// How a simulated reveal ended.
#[derive(Serialize, Tsify, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum RevealState {
    /// Its row is set.
    Applied,
    /// No pulse of its round yet.
    Pending,
    /// Cannot be opened (see `code`).
    Failed,
    /// The chain's set_weights refuses it (see `chainError`).
    Rejected,
}

/// How one commit fared when its reveal was simulated.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, missing_as_null)]
pub struct RevealOutcome {
    uid: u16,
    reveal_round: u64,
    status: RevealState,
    code: Option<&'static str>,
    chain_error: Option<&'static str>,
    message: Option<String>,
    weights: Option<RevealedWeights>,
    /// The stored row: [uid, max-upscaled value] in submission order.
    stored_row: Vec<(u16, u16)>,
}

/// What the current epoch pays and what the next one will, after the reveals.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct NextEpochPreview {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "EpochResult")]
    current: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "EpochResult")]
    next: JsValue,
    next_block: u64,
    reveals: Vec<RevealOutcome>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "RuntimeInfo")]
    runtime: JsValue,
}

fn outcome(o: &tl::RevealOutcome) -> RevealOutcome {
    let (status, code, chain_error, message) = match &o.status {
        RevealStatus::Applied => (RevealState::Applied, None, None, None),
        RevealStatus::Pending => (RevealState::Pending, None, None, None),
        RevealStatus::Failed(e) => (
            RevealState::Failed,
            Some(e.code.as_str()),
            None,
            Some(e.message.clone()),
        ),
        RevealStatus::Rejected(why) => (RevealState::Rejected, None, Some(*why), None),
    };
    RevealOutcome {
        uid: o.uid,
        reveal_round: o.reveal_round,
        status,
        code,
        chain_error,
        message,
        weights: o.weights.as_ref().map(RevealedWeights::from),
        stored_row: o.stored_row.clone(),
    }
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
#[wasm_bindgen(js_name = previewNextEpoch)]
pub fn preview_next_epoch(
    #[wasm_bindgen(js_name = input, unchecked_param_type = "EpochInput")] input_value: JsValue,
    commits: Ts<TimelockedCommits>,
    pulses: Ts<DrandPulses>,
    opts: Option<Ts<PreviewOptions>>,
) -> Result<Ts<NextEpochPreview>, JsValue> {
    let opts = read_or_default(&opts, "options")?;
    let rules = opts.runtime.rules()?;
    let input = epoch_input(input_value)?;
    let commits = TimelockedCommits::parse(&commits.js_value(), "commits")
        .and_then(|cs| {
            cs.0.into_iter()
                .enumerate()
                .map(|(i, c)| {
                    Ok(CoreCommit {
                        uid: c.uid,
                        hotkey: opt_account(c.hotkey, &format!("commits[{i}].hotkey"))?,
                        commit_block: c.commit_block.map_or(0, |b| b.0),
                        ciphertext: c.ciphertext.0,
                        reveal_round: c.reveal_round.0,
                    })
                })
                .collect::<Result<Vec<_>>>()
        })
        .map_err(js_error)?;
    let pulses = DrandPulses::parse(&pulses.js_value(), "pulses")
        .and_then(|ps| {
            ps.0.into_iter()
                .enumerate()
                .map(|(i, p)| verified(p, &format!("pulses[{i}]")))
                .collect::<Result<Vec<_>>>()
        })
        .map_err(js_error)?;
    let rr = RevealRules {
        weights_version_key: opts.weights_version_key.map_or(0, |k| k.0),
        min_allowed_weights: opts.min_allowed_weights.unwrap_or(0),
        max_weight_limit: opts.max_weight_limit.unwrap_or(u16::MAX),
    };
    let p = tl::preview_next_epoch(
        &input,
        &rules,
        &commits,
        &pulses,
        &rr,
        opts.blocks_per_epoch.map(|b| b.0),
    )
    .map_err(js_error)?;
    to_ts(&NextEpochPreview {
        current: to_js(&JsEpochResult::of(&p.current, &rules))?,
        next: to_js(&JsEpochResult::of(&p.next, &rules))?,
        next_block: p.next_block,
        reveals: p.reveals.iter().map(outcome).collect(),
        runtime: to_js(&rules.info())?,
    })
}
