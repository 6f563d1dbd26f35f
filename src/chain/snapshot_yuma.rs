//! Snapshots built from the chain's own epoch scenarios (`yuma-vectors/epoch-scenario/v1`, the
//! unit tests of subtensor `pallets/subtensor/src/tests/epoch.rs` @ 14bc6f9 as stored in
//! `data/yuma/epoch`).
//!
//! The scenario is read by the one scenario interpreter
//! ([`epoch_scenario`](crate::consensus::epoch_scenario), which the vector harness uses too) and
//! replayed with the [`Subnet`] state operations up to each on-chain epoch (`path: sparse`,
//! `persist: legacy`) that lists `derived_outputs`; the state before the epoch is
//! written as real storage (keys as on chain, values SCALE-encoded, absent keys `null`), and the
//! outputs are the scenario's `derived_outputs` — never this engine's results. Between epochs
//! the state advances by the scenario's own derived outputs (permits, incentive, bonds), so the
//! engine is not used to build any snapshot. Hotkeys are synthetic: `0x01 ++ uid (u16 LE) ++ 0…`.

use super::hex;
use super::scale::encode;
use super::snapshot::{Phase, RuntimeCall, Snapshot, SnapshotSource};
use super::storage::{item_named, netuid_index, KeyArg};
use super::types::{AccountId32, H256};
use crate::consensus::epoch_scenario::{
    self as scenario, bool_list, rows, u16_list, u64_list, EpochStep, SCENARIO_SPEC,
};
use crate::consensus::{CommitVersion, EpochKind, Subnet};
use crate::error::{Error, ErrorCode, Result};
use serde_json::Value;
use std::collections::BTreeMap;

pub use crate::consensus::epoch_scenario::SCENARIO_NETUID;

/// The synthetic hotkey of `uid`.
pub fn scenario_hotkey(uid: u16) -> AccountId32 {
    let mut a = [0u8; 32];
    a[0] = 1;
    a[1..3].copy_from_slice(&uid.to_le_bytes());
    AccountId32(a)
}

/// One snapshot of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSnapshot {
    /// Index of the epoch step in the file's `steps`.
    pub step: usize,
    /// `<id> step <i>`.
    pub label: String,
    /// The snapshot.
    pub snapshot: Snapshot,
}

/// Storage of a subnet state as the chain would hold it (key hex -> value hex).
fn state_storage(subnet: &Subnet) -> Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    let nu = SCENARIO_NETUID;
    let mut put = |name: &str, args: &[KeyArg], value: Vec<u8>| -> Result<()> {
        let it = item_named(name)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no item {name}")))?;
        m.insert(hex::encode(&it.key(args)?), hex::encode(&value));
        Ok(())
    };
    let k = [KeyArg::U16(nu)];
    let hp = &subnet.hyperparameters;
    let n = u16::try_from(subnet.n())
        .map_err(|_| Error::field(ErrorCode::TooManyUids, "n", "too many uids"))?;
    put("SubnetworkN", &k, encode::<u16>(&n))?;
    put("Tempo", &k, encode::<u16>(&hp.tempo))?;
    put(
        "ActivityCutoffFactorMilli",
        &k,
        encode::<u32>(&hp.activity_cutoff_factor_milli),
    )?;
    put("Kappa", &k, encode::<u16>(&hp.kappa))?;
    put("BondsPenalty", &k, encode::<u16>(&hp.bonds_penalty))?;
    put(
        "BondsMovingAverage",
        &k,
        encode::<u64>(&hp.bonds_moving_average),
    )?;
    put("Yuma3On", &k, encode::<bool>(&hp.yuma3_enabled))?;
    put(
        "LiquidAlphaOn",
        &k,
        encode::<bool>(&hp.liquid_alpha_enabled),
    )?;
    put(
        "AlphaValues",
        &k,
        encode::<(u16, u16)>(&(hp.alpha_low, hp.alpha_high)),
    )?;
    put(
        "AlphaSigmoidSteepness",
        &k,
        encode::<i16>(&hp.alpha_sigmoid_steepness),
    )?;
    put(
        "MaxAllowedValidators",
        &k,
        encode::<u16>(&hp.max_allowed_validators),
    )?;
    put("TaoWeight", &[], encode::<u64>(&hp.tao_weight))?;
    put("StakeThreshold", &[], encode::<u64>(&hp.stake_threshold))?;
    put(
        "CommitRevealWeightsEnabled",
        &k,
        encode::<bool>(&hp.commit_reveal_enabled),
    )?;
    put(
        "RevealPeriodEpochs",
        &k,
        encode::<u64>(&hp.reveal_period_epochs),
    )?;
    put(
        "MechanismCountCurrent",
        &k,
        encode::<u8>(&hp.mechanism_count),
    )?;
    if let Some(split) = &hp.mechanism_emission_split {
        put("MechanismEmissionSplit", &k, encode::<Vec<u16>>(split))?;
    }
    put("BondsResetOn", &k, encode::<bool>(&hp.bonds_reset_enabled))?;
    put(
        "ValidatorPermit",
        &k,
        encode::<Vec<bool>>(&subnet.validator_permit),
    )?;
    put(
        "LastMechansimStepBlock",
        &k,
        encode::<u64>(&subnet.last_mechanism_step_block),
    )?;
    put(
        "SubnetEpochIndex",
        &k,
        encode::<u64>(&subnet.epoch_index.saturating_sub(1)),
    )?;
    if let Some(o) = subnet.owner_uid {
        let hk = scenario_hotkey(o);
        put("SubnetOwnerHotkey", &k, encode::<AccountId32>(&hk))?;
        put(
            "Uids",
            &[KeyArg::U16(nu), KeyArg::Account(hk)],
            encode::<u16>(&o),
        )?;
    }
    for uid in 0..n {
        let i = usize::from(uid);
        let hk = scenario_hotkey(uid);
        let ku = [KeyArg::U16(nu), KeyArg::U16(uid)];
        put("Keys", &ku, encode::<AccountId32>(&hk))?;
        put(
            "BlockAtRegistration",
            &ku,
            encode::<u64>(&subnet.block_at_registration.get(i).copied().unwrap_or(0)),
        )?;
        put(
            "TotalHotkeyAlpha",
            &[KeyArg::Account(hk), KeyArg::U16(nu)],
            encode::<u64>(&subnet.alpha_stake.get(i).copied().unwrap_or(0)),
        )?;
        put(
            "TotalHotkeyAlpha",
            &[KeyArg::Account(hk), KeyArg::U16(0)],
            encode::<u64>(&subnet.tao_stake.get(i).copied().unwrap_or(0)),
        )?;
    }
    for (mi, ms) in subnet.mechanisms.iter().enumerate() {
        let idx = netuid_index(nu, u8::try_from(mi).unwrap_or(u8::MAX))?;
        put(
            "LastUpdate",
            &[KeyArg::U16(idx)],
            encode::<Vec<u64>>(&ms.last_update),
        )?;
        for (uid, r) in ms.weights.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            put(
                "Weights",
                &[
                    KeyArg::U16(idx),
                    KeyArg::U16(u16::try_from(uid).unwrap_or(u16::MAX)),
                ],
                encode::<Vec<(u16, u16)>>(r),
            )?;
        }
        for (uid, r) in ms.bonds.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            put(
                "Bonds",
                &[
                    KeyArg::U16(idx),
                    KeyArg::U16(u16::try_from(uid).unwrap_or(u16::MAX)),
                ],
                encode::<Vec<(u16, u16)>>(r),
            )?;
        }
        let mut v2: BTreeMap<u16, Vec<(H256, u64, u64, u64)>> = BTreeMap::new();
        let mut v4: BTreeMap<u64, Vec<(AccountId32, u64, Vec<u8>, u64)>> = BTreeMap::new();
        for c in &ms.commits {
            match c.version {
                CommitVersion::V2 => v2.entry(c.uid).or_default().push((
                    H256::default(),
                    c.commit_epoch,
                    c.commit_block,
                    0,
                )),
                CommitVersion::V4 => v4.entry(c.commit_epoch).or_default().push((
                    scenario_hotkey(c.uid),
                    c.commit_block,
                    Vec::new(),
                    0,
                )),
            }
        }
        for (uid, q) in v2 {
            put(
                "WeightCommits",
                &[KeyArg::U16(idx), KeyArg::Account(scenario_hotkey(uid))],
                encode::<Vec<(H256, u64, u64, u64)>>(&q),
            )?;
        }
        for (e, q) in v4 {
            put(
                "TimelockedWeightCommits",
                &[KeyArg::U16(idx), KeyArg::U64(e)],
                encode::<Vec<(AccountId32, u64, Vec<u8>, u64)>>(&q),
            )?;
        }
    }
    Ok(m)
}

/// The derived outputs of an epoch step as storage at the epoch block.
fn output_storage(d: &Value, n: u16) -> Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    let k = [KeyArg::U16(SCENARIO_NETUID)];
    let mut put = |name: &str, args: &[KeyArg], value: Vec<u8>| -> Result<()> {
        let it = item_named(name)
            .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no item {name}")))?;
        m.insert(hex::encode(&it.key(args)?), hex::encode(&value));
        Ok(())
    };
    let field = |name: &str| {
        d.get(name).ok_or_else(|| {
            Error::field(
                ErrorCode::MissingField,
                name.to_string(),
                "missing in derived_outputs",
            )
        })
    };
    put(
        "Incentive",
        &k,
        encode::<Vec<u16>>(&of(field("incentive")?, "incentive", u16_list)?),
    )?;
    for (item, key) in [
        ("Dividends", "dividends"),
        ("Consensus", "consensus"),
        ("ValidatorTrust", "validator_trust"),
        ("StakeWeight", "stake_weight"),
    ] {
        put(
            item,
            &k,
            encode::<Vec<u16>>(&of(field(key)?, key, u16_list)?),
        )?;
    }
    put(
        "Emission",
        &k,
        encode::<Vec<u64>>(&of(field("emission")?, "emission", u64_list)?),
    )?;
    put(
        "Active",
        &k,
        encode::<Vec<bool>>(&of(field("active")?, "active", bool_list)?),
    )?;
    put(
        "ValidatorPermit",
        &k,
        encode::<Vec<bool>>(&of(
            field("validator_permit")?,
            "validator_permit",
            bool_list,
        )?),
    )?;
    for (uid, r) in rows(field("bonds_nonzero")?, usize::from(n))?
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
    {
        put(
            "Bonds",
            &[
                KeyArg::U16(SCENARIO_NETUID),
                KeyArg::U16(u16::try_from(uid).unwrap_or(u16::MAX)),
            ],
            encode::<Vec<(u16, u16)>>(r),
        )?;
    }
    Ok(m)
}

/// Fill every key a snapshot's plan asks for from `inputs`/`outputs` (absent ones as `null`),
/// the way the JS side fills it from RPC answers.
pub fn fill_from_storage(
    s: &mut Snapshot,
    inputs: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, String>,
) -> Result<()> {
    for _ in 0..16 {
        let plan = s.plan()?;
        let src = match plan.phase {
            Phase::Inputs => inputs,
            Phase::Outputs => outputs,
            Phase::Done => return Ok(()),
        };
        for key in plan.keys {
            let v = src.get(&key).cloned();
            s.insert(plan.phase, &key, v.as_deref())?;
        }
    }
    Err(Error::new(
        ErrorCode::Internal,
        "snapshot plan did not converge",
    ))
}

/// Advance the state past an epoch by the scenario's own derived outputs (or, without them, as
/// the `"all"` entry point persists; no other entry point is run).
fn advance(subnet: &mut Subnet, step: &Value, epoch: &EpochStep) -> Result<()> {
    let Some(d) = derived_outputs(step) else {
        if epoch.kind == EpochKind::AllMechanisms {
            epoch.run(subnet, false)?;
        }
        return Ok(());
    };
    let n = subnet.n();
    subnet.validator_permit = listed(d, "validator_permit", bool_list)?;
    if let Some(m) = subnet.mechanisms.first_mut() {
        m.bonds = rows(d.get("bonds_nonzero").unwrap_or(&Value::Null), n)?;
        m.incentive = listed(d, "incentive", u16_list)?;
    }
    Ok(())
}

/// An epoch step's non-empty `derived_outputs`.
fn derived_outputs(step: &Value) -> Option<&Value> {
    step.get("derived_outputs")
        .filter(|d| d.as_object().is_some_and(|o| !o.is_empty()))
}

/// The list under `key` of `d` (`null` when absent).
fn listed<T>(d: &Value, key: &str, read: fn(&Value) -> Result<T>) -> Result<T> {
    of(d.get(key).unwrap_or(&Value::Null), key, read)
}

/// `v` read as a list, blaming `key` when it is no such list.
fn of<T>(v: &Value, key: &str, read: fn(&Value) -> Result<T>) -> Result<T> {
    read(v).map_err(|e| e.with_field(key))
}

/// Every on-chain epoch of a scenario file (JSON text) with derived outputs, as a snapshot.
pub fn snapshots_from_yuma_scenario(text: &str) -> Result<Vec<ScenarioSnapshot>> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, e.to_string()))?;
    if doc.get("schema").and_then(Value::as_str) != Some("yuma-vectors/epoch-scenario/v1") {
        return Err(Error::field(
            ErrorCode::Unsupported,
            "schema",
            "not a yuma-vectors/epoch-scenario/v1 file",
        ));
    }
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("scenario")
        .to_string();
    let mut subnet = scenario::build(&doc)?;
    let steps = doc
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (si, step) in steps.iter().enumerate() {
        if step.get("op").and_then(Value::as_str) != Some("epoch") {
            scenario::apply(&mut subnet, step).map_err(|e| e.within(&format!("steps[{si}]")))?;
            continue;
        }
        let epoch =
            EpochStep::begin(&mut subnet, step).map_err(|e| e.within(&format!("steps[{si}]")))?;
        // What the chain runs: the legacy epoch of mechanism 0 on a one-mechanism subnet (a
        // pending commit at epoch index 0 is a test-only state).
        let on_chain = epoch.kind == EpochKind::Legacy(0)
            && subnet.hyperparameters.mechanism_count == 1
            && !(subnet.epoch_index == 0
                && subnet.mechanisms.iter().any(|m| !m.commits.is_empty()));
        if let (true, Some(d)) = (on_chain, derived_outputs(step)) {
            let block = epoch.block;
            let mut s = Snapshot::new(SCENARIO_NETUID, block);
            s.spec_version = Some(SCENARIO_SPEC);
            s.emission = Some(epoch.emission.to_string());
            let label = format!("{id} step {si}");
            s.source = SnapshotSource {
                kind: "yuma-vector".into(),
                description: format!(
                    "{label}: {}",
                    doc.get("description").and_then(Value::as_str).unwrap_or("")
                ),
                endpoint: None,
                provenance: doc.get("source").map(|v| v.to_string()),
            };
            let n = u16::try_from(subnet.n())
                .map_err(|_| Error::new(ErrorCode::TooManyUids, "too many uids"))?;
            fill_from_storage(&mut s, &state_storage(&subnet)?, &output_storage(d, n)?)?;
            out.push(ScenarioSnapshot {
                step: si,
                label,
                snapshot: s,
            });
        }
        advance(&mut subnet, step, &epoch).map_err(|e| e.within(&format!("steps[{si}]")))?;
    }
    Ok(out)
}

/// A snapshot holding only a captured metagraph (`SubnetInfoRuntimeApi_get_metagraph`) — browsable,
/// but without storage it cannot be re-run. The layout follows `spec_version`
/// ([`MetagraphLayout::for_spec`](super::MetagraphLayout::for_spec); the base layout when unknown).
pub fn metagraph_snapshot(
    netuid: u16,
    block: u64,
    spec_version: Option<u32>,
    metagraph_hex: &str,
    source: SnapshotSource,
) -> Result<Snapshot> {
    let bytes = hex::decode(metagraph_hex)?;
    let result_type = spec_version
        .map_or(
            super::MetagraphLayout::Base,
            super::MetagraphLayout::for_spec,
        )
        .metagraph_result_type();
    super::decode_type(result_type, &bytes, super::Wrapping::Raw)?;
    let mut s = Snapshot::new(netuid, block);
    s.spec_version = spec_version;
    s.source = source;
    s.runtime_calls.push(RuntimeCall {
        method: "SubnetInfoRuntimeApi_get_metagraph".into(),
        args: hex::encode(&netuid.to_le_bytes()),
        result_type: result_type.into(),
        result: hex::encode(&bytes),
    });
    Ok(s)
}
