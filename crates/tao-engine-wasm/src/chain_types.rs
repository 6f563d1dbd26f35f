//! The response types of the chain exports (`chain.rs`): mirrors of the core's snapshot,
//! verification and weight types with camelCase names, so the core stays free of tsify. Each has a
//! `From` impl from the core type; nothing here computes anything.

use super::snapshot_state::SnapshotState;
use serde::Serialize;
use tao_engine::chain::snapshot::{Phase, Plan, SnapshotSource};
use tao_engine::chain::snapshot_read::ChainOutputs;
use tao_engine::chain::snapshot_summary::SnapshotSummary;
use tao_engine::chain::verify::{
    Difference, FieldSummary, TraceLine, Verification as CoreVerification,
};
use tao_engine::chain::verify_commit::{RevealResult, WeightNormalisation};
use tsify::Tsify;
use wasm_bindgen::JsValue;

/// Declares a response struct (camelCase, bigints for 64-bit integers) with the attributes
/// every response needs.
macro_rules! response {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Serialize, Tsify)]
        #[serde(rename_all = "camelCase")]
        #[tsify(large_number_types_as_bigints, hashmap_as_object)]
        pub struct $name { $($body)* }
    };
}
pub(crate) use response;

response! {
    /// One storage item of the epoch-replay table.
    pub struct StorageItemInfo {
        /// Item name.
        pub name: &'static str,
        /// [hasher, key type] per map key, outermost first (empty for a value).
        pub keys: Vec<(String, String)>,
        /// Value type (a `decodeType` name).
        pub value_type: &'static str,
        /// SCALE of the default for an absent key (absent for OptionQuery items).
        pub default_hex: Option<String>,
        /// twox128(pallet) ++ twox128(name).
        pub prefix: String,
    }
}

/// Which storage a snapshot plan step reads: inputs at the parent block, outputs at the epoch
/// block, or nothing (`done`).
#[derive(Serialize, Tsify, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub enum SnapshotPhase {
    /// Inputs, read at the parent of the epoch block.
    Inputs,
    /// Outputs, read at the epoch block.
    Outputs,
    /// Nothing left to read.
    Done,
}

impl From<Phase> for SnapshotPhase {
    fn from(p: Phase) -> Self {
        match p {
            Phase::Inputs => Self::Inputs,
            Phase::Outputs => Self::Outputs,
            Phase::Done => Self::Done,
        }
    }
}

response! {
    /// The next storage keys a snapshot needs (`phase` says at which block).
    pub struct SnapshotPlan {
        /// What the keys are for.
        pub phase: SnapshotPhase,
        /// `0x` keys, in the order the chain's epoch reads them; empty when `done`.
        pub keys: Vec<String>,
        /// Keys the snapshot holds so far (inputs + outputs), for progress displays.
        pub known: u32,
    }
}

impl From<Plan> for SnapshotPlan {
    fn from(p: Plan) -> Self {
        SnapshotPlan {
            phase: p.phase.into(),
            keys: p.keys,
            known: u32::try_from(p.known).unwrap_or(u32::MAX),
        }
    }
}

response! {
    /// Where a snapshot comes from (informational).
    pub struct SnapshotSourceInfo {
        /// `rpc`, `fixture`, `yuma-vector` or `manual`.
        pub kind: String,
        /// Human-readable description.
        pub description: String,
        /// The endpoint it was fetched from, when `kind` is `rpc`.
        pub endpoint: Option<String>,
        /// Where the data comes from (repository, file, test name).
        pub provenance: Option<String>,
    }
}

impl From<SnapshotSource> for SnapshotSourceInfo {
    fn from(s: SnapshotSource) -> Self {
        SnapshotSourceInfo {
            kind: s.kind,
            description: s.description,
            endpoint: s.endpoint,
            provenance: s.provenance,
        }
    }
}

response! {
    /// An epoch's persisted outputs (the engine's or the chain's).
    pub struct EpochOutputs {
        /// Incentive per mechanism.
        pub incentive: Vec<Vec<u16>>,
        /// Bond rows per mechanism, `[uid, value]` pairs.
        pub bonds: Vec<Vec<Vec<(u16, u16)>>>,
        /// Dividends.
        pub dividends: Vec<u16>,
        /// Consensus.
        pub consensus: Vec<u16>,
        /// Validator trust.
        pub validator_trust: Vec<u16>,
        /// Stake weight.
        pub stake_weight: Vec<u16>,
        /// Emission (rao).
        pub emission: Vec<u64>,
        /// Active.
        pub active: Vec<bool>,
        /// Validator permits.
        pub validator_permit: Vec<bool>,
    }
}

impl From<ChainOutputs> for EpochOutputs {
    fn from(o: ChainOutputs) -> Self {
        EpochOutputs {
            incentive: o.incentive,
            bonds: o.bonds,
            dividends: o.dividends,
            consensus: o.consensus,
            validator_trust: o.validator_trust,
            stake_weight: o.stake_weight,
            emission: o.emission,
            active: o.active,
            validator_permit: o.validator_permit,
        }
    }
}

response! {
    /// One line of the engine's trace at a uid.
    pub struct VerifyTraceLine {
        /// The chain's log name of the vector (with the uid in brackets).
        pub name: String,
        /// Its value at the uid.
        pub value: String,
    }
}

impl From<TraceLine> for VerifyTraceLine {
    fn from(t: TraceLine) -> Self {
        VerifyTraceLine {
            name: t.name,
            value: t.value,
        }
    }
}

response! {
    /// One differing output value of a verification.
    pub struct VerifyDifference {
        /// Output field: incentive, dividends, consensus, validator_trust, stake_weight,
        /// emission, active, validator_permit or bonds.
        pub field: String,
        /// Mechanism, for the per-mechanism fields (`incentive`, `bonds`).
        pub mechanism: Option<u8>,
        /// The uid.
        pub uid: u16,
        /// The chain's value.
        pub expected: String,
        /// The engine's value.
        pub actual: String,
        /// The engine's intermediates at this uid (first difference only).
        pub trace: Vec<VerifyTraceLine>,
    }
}

impl From<Difference> for VerifyDifference {
    fn from(d: Difference) -> Self {
        VerifyDifference {
            field: d.field,
            mechanism: d.mechanism,
            uid: d.uid,
            expected: d.expected,
            actual: d.actual,
            trace: d.trace.into_iter().map(Into::into).collect(),
        }
    }
}

response! {
    /// Values compared and differing for one output field.
    pub struct VerifyFieldSummary {
        /// Output field.
        pub field: String,
        /// Values compared.
        pub compared: u32,
        /// Values that differ.
        pub mismatched: u32,
    }
}

impl From<FieldSummary> for VerifyFieldSummary {
    fn from(f: FieldSummary) -> Self {
        VerifyFieldSummary {
            field: f.field,
            compared: f.compared,
            mismatched: f.mismatched,
        }
    }
}

response! {
    /// Result of `verifySnapshot` (u64 amounts are bigint).
    pub struct Verification {
        /// `match`, `mismatch`, `match-except-emission` (every field but the rao amounts matches
        /// and the emission input was not stated exactly), or `skipped` (two uids share a hotkey).
        #[tsify(type = "\"match\" | \"mismatch\" | \"match-except-emission\" | \"skipped\"")]
        pub verdict: String,
        /// Subnet.
        pub netuid: u16,
        /// Epoch block.
        pub block: u64,
        /// Uids compared.
        pub n: u16,
        /// Mechanisms run.
        pub mechanisms: u8,
        /// Emission handed to the epoch (rao).
        pub emission: u64,
        /// Whether the emission was stated in the snapshot (else: pending amounts at the parent).
        pub emission_exact: bool,
        /// Counts per field.
        pub summary: Vec<VerifyFieldSummary>,
        /// The first difference, with the engine's trace. Absent when nothing differs.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[tsify(optional)]
        pub first_difference: Option<VerifyDifference>,
        /// Differences, field by field, uid order.
        pub differences: Vec<VerifyDifference>,
        /// The engine's outputs.
        pub computed: EpochOutputs,
        /// The chain's outputs.
        pub chain: EpochOutputs,
        /// The decoded inputs.
        pub state: SnapshotState,
        /// Caveats (approximate emission, extra uids registered after the epoch, ...).
        pub notes: Vec<String>,
    }
}

impl From<CoreVerification> for Verification {
    fn from(v: CoreVerification) -> Self {
        Verification {
            verdict: v.verdict,
            netuid: v.netuid,
            block: v.block,
            n: v.n,
            mechanisms: v.mechanisms,
            emission: v.emission,
            emission_exact: v.emission_exact,
            summary: v.summary.into_iter().map(Into::into).collect(),
            first_difference: v.first_difference.map(Into::into),
            differences: v.differences.into_iter().map(Into::into).collect(),
            computed: v.computed.into(),
            chain: v.chain.into(),
            state: v.state.into(),
            notes: v.notes,
        }
    }
}

response! {
    /// What a snapshot file holds (`loadSnapshot`).
    pub struct SnapshotInfo {
        /// Subnet.
        pub netuid: u16,
        /// Epoch block.
        pub block: u64,
        /// Where the data comes from.
        pub source: SnapshotSourceInfo,
        /// Storage answers recorded at the parent block.
        pub inputs: u32,
        /// Storage answers recorded at the epoch block.
        pub outputs: u32,
        /// Whether the epoch can be re-run and compared.
        pub rerunnable: bool,
        /// Why not, when not.
        pub missing: Option<String>,
        /// The captured metagraph, rendered like `decodeType(..., { ss58: true })`; `null` when
        /// there is none.
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[tsify(type = "any")]
        pub metagraph: JsValue,
        /// The decoded inputs, when they decode.
        pub state: Option<SnapshotState>,
    }
}

impl SnapshotInfo {
    /// The response for a core summary; `metagraph` is the rendered metagraph already in JS.
    pub fn new(s: SnapshotSummary, metagraph: JsValue) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        SnapshotInfo {
            netuid: s.netuid,
            block: s.block,
            source: s.source.into(),
            inputs: count(s.inputs),
            outputs: count(s.outputs),
            rerunnable: s.rerunnable,
            missing: s.missing,
            metagraph,
            state: s.state.map(Into::into),
        }
    }
}

response! {
    /// Weight normalisation both ways (`normaliseWeights`).
    pub struct WeightNormalisationResult {
        /// Uids the SDK sends (zero results dropped).
        pub sdk_uids: Vec<u16>,
        /// Values the SDK sends (`round_half_even(w / max * 65535)`).
        pub sdk_values: Vec<u16>,
        /// What the chain stores for that submission.
        pub chain_values: Vec<u16>,
        /// Uids where the stored value differs from the sent value.
        pub changed_by_chain: Vec<u16>,
    }
}

impl From<WeightNormalisation> for WeightNormalisationResult {
    fn from(w: WeightNormalisation) -> Self {
        WeightNormalisationResult {
            sdk_uids: w.sdk_uids,
            sdk_values: w.sdk_values,
            chain_values: w.chain_values,
            changed_by_chain: w.changed_by_chain,
        }
    }
}

response! {
    /// The outcome of `checkReveal`.
    pub struct RevealCheckResult {
        /// Whether the recomputed hash equals the stored one.
        pub matches: bool,
        /// Recomputed hash, `0x` hex.
        pub computed: String,
        /// Stored hash (lower case).
        pub stored: String,
        /// The SCALE preimage that was hashed.
        pub preimage: String,
        /// The row the chain stores once the reveal is accepted (`[uid, max-upscaled value]`).
        pub stored_row: Vec<(u16, u16)>,
    }
}

impl From<RevealResult> for RevealCheckResult {
    fn from(r: RevealResult) -> Self {
        RevealCheckResult {
            matches: r.matches,
            computed: r.computed,
            stored: r.stored,
            preimage: r.preimage,
            stored_row: r.stored_row,
        }
    }
}
