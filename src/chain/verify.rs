//! On-chain epoch verification: re-run the consensus engine on a [`Snapshot`]'s inputs and
//! compare every output the chain persisted at the epoch block (spec `yuma-epoch.md` §5.12:
//! `Incentive` and `Bonds` per mechanism; `Dividends`, `Consensus`, `ValidatorTrust`,
//! `StakeWeight`, `Emission`, `Active`, `ValidatorPermit` per netuid, aggregated over mechanisms as
//! subtensor `subnets/mechanism.rs` `epoch_with_mechanisms` does).

use super::snapshot::Snapshot;
use super::snapshot_read::{state_to_inputs, ChainOutputs, ChainState};
use crate::consensus::mechanism::aggregate;
use crate::consensus::{render, run_epoch_under, EpochOutput, EpochTrace};
use crate::error::Result;
use crate::runtime::{Approximation, Rules, RuntimeFeatures, NEWEST_KNOWN_SPEC};

/// Most differences listed in a [`Verification`] (the summary still counts all of them).
pub const MAX_DIFFERENCES: usize = 5000;

/// The per-uid output fields compared, in report order.
pub const FIELDS: &[&str] = &[
    "incentive",
    "dividends",
    "consensus",
    "validator_trust",
    "stake_weight",
    "emission",
    "active",
    "validator_permit",
    "bonds",
];

/// One line of the engine's trace at a uid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraceLine {
    /// The chain's log name of the vector (with the uid in brackets).
    pub name: String,
    /// Its value at the uid, rendered as the chain's debug log would.
    pub value: String,
}

/// One differing output value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Difference {
    /// Output field (one of [`FIELDS`]).
    pub field: String,
    /// Mechanism, for the per-mechanism fields (`incentive`, `bonds`).
    pub mechanism: Option<u8>,
    /// The uid.
    pub uid: u16,
    /// The chain's value (what the engine should have produced).
    pub expected: String,
    /// The engine's value.
    pub actual: String,
    /// The engine's intermediates at this uid (first difference only).
    pub trace: Vec<TraceLine>,
}

/// Per-field counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldSummary {
    /// Output field.
    pub field: String,
    /// Values compared.
    pub compared: u32,
    /// Values that differ.
    pub mismatched: u32,
}

/// The result of [`verify_snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verification {
    /// `match`, `mismatch`, `match-except-emission` (every field but the rao amounts matches and
    /// the emission input was not stated exactly), or `skipped` (two uids share a hotkey: the
    /// chain skips such an epoch).
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
    /// Whether `emission` was stated in the snapshot (else: pending amounts at the parent).
    pub emission_exact: bool,
    /// Counts per field.
    pub summary: Vec<FieldSummary>,
    /// The first difference (field order of [`FIELDS`], then uid), with the engine's trace.
    pub first_difference: Option<Difference>,
    /// Differences (at most [`MAX_DIFFERENCES`]), field by field, uid order.
    pub differences: Vec<Difference>,
    /// Engine outputs, in the chain's persisted shapes.
    pub computed: ChainOutputs,
    /// Chain outputs.
    pub chain: ChainOutputs,
    /// Decoded inputs (hotkeys, stakes, hyperparameters).
    pub state: ChainState,
    /// Caveats (approximate emission, extra uids registered after the epoch, ...).
    pub notes: Vec<String>,
}

fn fmt_row(r: &[(u16, u16)]) -> String {
    render(&r.to_vec())
}

/// Compare `expected` (chain) and `actual` (engine) for uids `0..n`; a chain entry beyond its
/// vector's end reads as absent.
fn compare<T: PartialEq>(
    field: &str,
    mech: Option<u8>,
    n: u16,
    expected: &[T],
    actual: &[T],
    show: impl Fn(&T) -> String,
    out: &mut (Vec<FieldSummary>, Vec<Difference>, usize),
) {
    let mut mismatched: u32 = 0;
    for uid in 0..n {
        let i = usize::from(uid);
        let (e, a) = (expected.get(i), actual.get(i));
        if e != a {
            mismatched = mismatched.saturating_add(1);
            out.2 += 1;
            if out.1.len() < MAX_DIFFERENCES {
                out.1.push(Difference {
                    field: field.to_string(),
                    mechanism: mech,
                    uid,
                    expected: e.map_or_else(|| "absent".to_string(), &show),
                    actual: a.map_or_else(|| "absent".to_string(), &show),
                    trace: Vec::new(),
                });
            }
        }
    }
    let name = field.to_string();
    match out.0.iter_mut().find(|s| s.field == name) {
        Some(s) => {
            s.compared = s.compared.saturating_add(u32::from(n));
            s.mismatched = s.mismatched.saturating_add(mismatched);
        }
        None => out.0.push(FieldSummary {
            field: name,
            compared: u32::from(n),
            mismatched,
        }),
    }
}

/// The engine's intermediates at `uid` (the vectors of the chain's epoch log).
pub fn uid_trace(t: &EpochTrace, uid: u16) -> Vec<TraceLine> {
    let i = usize::from(uid);
    let mut lines = Vec::new();
    let mut push = |name: &str, v: Option<String>| {
        if let Some(value) = v {
            lines.push(TraceLine {
                name: format!("{name}[{uid}]"),
                value,
            });
        }
    };
    push("Last update", t.last_update.get(i).map(render));
    push("Inactive", t.inactive.get(i).map(render));
    push(
        "Block at registration",
        t.block_at_registration.get(i).map(render),
    );
    push("Total stake", t.total_stake.get(i).map(render));
    push("Normalised Stake", t.stake.get(i).map(render));
    push("validator_permits", t.validator_permits.get(i).map(render));
    push(
        "new_validator_permits",
        t.new_validator_permits.get(i).map(render),
    );
    push("Active Stake", t.active_stake.get(i).map(render));
    push("Weights", t.weights.get(i).map(render));
    push(
        "Weights (mask+norm)",
        t.weights_normalized.get(i).map(render),
    );
    push("Consensus", t.consensus.get(i).map(render));
    push("Clipped Weights", t.clipped_weights.get(i).map(render));
    push("Validator Trust", t.validator_trust.get(i).map(render));
    push("Incentive (=Rank)", t.incentive.get(i).map(render));
    push("weights_for_bonds", t.weights_for_bonds.get(i).map(render));
    push("Bonds", t.bonds.get(i).map(render));
    push("Bonds (mask)", t.bonds_masked.get(i).map(render));
    push("emaB", t.ema_bonds.get(i).map(render));
    if t.yuma3 {
        push("emaB norm", t.ema_bonds_normalized.get(i).map(render));
        push(
            "total_bonds_per_validator",
            t.total_bonds_per_validator.get(i).map(render),
        );
    }
    push("Dividends", t.dividends.get(i).map(render));
    push("Server Emission", t.server_emission.get(i).map(render));
    push(
        "Validator Emission",
        t.validator_emission.get(i).map(render),
    );
    push("Combined Emission", t.combined_emission.get(i).map(render));
    lines
}

/// Run every mechanism of `state` at `block` on `emission` under `rules` (the emission split by
/// `MechanismEmissionSplit`) and aggregate as `epoch_with_mechanisms` does: the per-mechanism
/// outputs (persisted per storage index) and the per-netuid aggregate.
pub fn run_mechanisms(
    block: u64,
    state: &ChainState,
    emission: u64,
    rules: &Rules,
    trace: bool,
) -> Result<(Vec<EpochOutput>, EpochOutput)> {
    let inputs = state_to_inputs(block, state, emission);
    let mut outs: Vec<EpochOutput> = Vec::with_capacity(inputs.len());
    for input in &inputs {
        outs.push(run_epoch_under(input, rules, trace)?);
    }
    let emissions: Vec<u64> = inputs.iter().map(|i| i.emission).collect();
    let agg = if outs.len() == 1 {
        outs.first().cloned().unwrap_or_default()
    } else {
        aggregate(&outs, &emissions, emission)
    };
    Ok((outs, agg))
}

/// Run the engine on the snapshot's inputs and compare with its outputs.
///
/// Errors: the snapshot's decoding errors (`DECODE`, ...) naming the storage item, and
/// `MISSING_FIELD` (field `inputs` / `outputs`) when keys are missing.
pub fn verify_snapshot(s: &Snapshot) -> Result<Verification> {
    let state = s.chain_state()?;
    let chain = s.chain_outputs(&state)?;
    let (emission, emission_exact) = s.epoch_emission(&state)?;
    // The snapshot's runtime picks the epoch rules; a runtime outside the known range is run
    // under the nearest known rules, and the verdict's notes say so.
    let rules = Rules::resolve(
        s.spec_version.unwrap_or(NEWEST_KNOWN_SPEC),
        Approximation::Nearest,
        RuntimeFeatures::default(),
    )?;
    let (outs, agg) = run_mechanisms(s.block, &state, emission, &rules, true)?;
    let computed = ChainOutputs {
        incentive: outs.iter().map(|o| o.incentive.clone()).collect(),
        bonds: outs.iter().map(|o| o.bonds.clone()).collect(),
        dividends: agg.dividends,
        consensus: agg.consensus,
        validator_trust: agg.validator_trust,
        stake_weight: agg.stake_weight,
        emission: agg.emission,
        active: agg.active,
        validator_permit: agg.validator_permit,
    };
    let n = state.n;
    let mut acc = (Vec::new(), Vec::new(), 0usize);
    let num = |v: &u16| v.to_string();
    for (m, (e, a)) in chain.incentive.iter().zip(&computed.incentive).enumerate() {
        compare(
            "incentive",
            Some(u8::try_from(m).unwrap_or(u8::MAX)),
            n,
            e,
            a,
            num,
            &mut acc,
        );
    }
    compare(
        "dividends",
        None,
        n,
        &chain.dividends,
        &computed.dividends,
        num,
        &mut acc,
    );
    compare(
        "consensus",
        None,
        n,
        &chain.consensus,
        &computed.consensus,
        num,
        &mut acc,
    );
    compare(
        "validator_trust",
        None,
        n,
        &chain.validator_trust,
        &computed.validator_trust,
        num,
        &mut acc,
    );
    compare(
        "stake_weight",
        None,
        n,
        &chain.stake_weight,
        &computed.stake_weight,
        num,
        &mut acc,
    );
    compare(
        "emission",
        None,
        n,
        &chain.emission,
        &computed.emission,
        |v: &u64| v.to_string(),
        &mut acc,
    );
    let b = |v: &bool| v.to_string();
    compare(
        "active",
        None,
        n,
        &chain.active,
        &computed.active,
        b,
        &mut acc,
    );
    compare(
        "validator_permit",
        None,
        n,
        &chain.validator_permit,
        &computed.validator_permit,
        b,
        &mut acc,
    );
    // Bond rows compare without zero-valued entries: a stored `(j, 0)` and an absent `j` are the
    // same bond for every later epoch (and scenario outputs list only non-zero bonds).
    let nonzero = |rows: &[Vec<(u16, u16)>]| -> Vec<Vec<(u16, u16)>> {
        rows.iter()
            .map(|r| r.iter().copied().filter(|e| e.1 != 0).collect())
            .collect()
    };
    for (m, (e, a)) in chain.bonds.iter().zip(&computed.bonds).enumerate() {
        let (e, a) = (&nonzero(e), &nonzero(a));
        compare(
            "bonds",
            Some(u8::try_from(m).unwrap_or(u8::MAX)),
            n,
            e,
            a,
            |r: &Vec<(u16, u16)>| fmt_row(r),
            &mut acc,
        );
    }
    let (summary, mut differences, total) = acc;
    if let Some(d) = differences.first_mut() {
        let mech = usize::from(d.mechanism.unwrap_or(0));
        if let Some(t) = outs.get(mech).and_then(|o| o.trace.as_deref()) {
            d.trace = uid_trace(t, d.uid);
        }
    }
    let mut notes = Vec::new();
    if rules.approximate {
        notes.push(format!(
            "Runtime spec {} is outside the specs this engine has rules for; the epoch ran under spec {}'s rules (approximate).",
            rules.spec_version, rules.rules_spec
        ));
    }
    if !emission_exact {
        notes.push(format!(
            "The snapshot does not state the epoch's emission; {emission} rao pending at the parent block was used. Block {}'s own accrual is missing, so rao amounts (Emission) may differ while every proportion matches.",
            s.block
        ));
    }
    let longest = [
        chain.dividends.len(),
        chain.active.len(),
        chain.emission.len(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    if longest > usize::from(n) {
        notes.push(format!("The chain's output vectors hold {longest} entries at the epoch block but {n} uids existed at its parent (registrations after the epoch); uids >= {n} are not compared."));
    }
    if s.spec_version.is_some_and(|v| v < 423) {
        notes.push("This block predates runtime spec 423 (dynamic tempo); the replay applies spec >= 423 rules (activity cutoff factor, epoch index).".to_string());
    }
    let only_emission = summary
        .iter()
        .all(|f| f.mismatched == 0 || f.field == "emission");
    let verdict = if state.duplicate_hotkeys.is_some() {
        notes.push("Two uids share a hotkey: the chain skips this subnet's epoch (the outputs are the previous epoch's).".to_string());
        "skipped"
    } else if total == 0 {
        "match"
    } else if only_emission && !emission_exact {
        "match-except-emission"
    } else {
        "mismatch"
    };
    Ok(Verification {
        verdict: verdict.to_string(),
        netuid: s.netuid,
        block: s.block,
        n,
        mechanisms: state.hyperparameters.mechanism_count,
        emission,
        emission_exact,
        summary,
        first_difference: differences.first().cloned(),
        differences,
        computed,
        chain,
        state,
        notes,
    })
}
