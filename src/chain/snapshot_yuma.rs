//! Snapshots built from the chain's own epoch scenarios (`yuma-vectors/epoch-scenario/v1`, the
//! unit tests of subtensor `pallets/subtensor/src/tests/epoch.rs` @ 14bc6f9 as stored in
//! `data/yuma/epoch`).
//!
//! The scenario is replayed with the [`Subnet`] state operations up to each on-chain epoch
//! (`path: sparse`, `persist: legacy`) that lists `derived_outputs`; the state before the epoch is
//! written as real storage (keys as on chain, values SCALE-encoded, absent keys `null`), and the
//! outputs are the scenario's `derived_outputs` — never this engine's results. Between epochs
//! the state advances by the scenario's own derived outputs (permits, incentive, bonds), so the
//! engine is not used to build any snapshot. Hotkeys are synthetic: `0x01 ++ uid (u16 LE) ++ 0…`.

use super::hex;
use super::scale::encode;
use super::snapshot::{Phase, RuntimeCall, Snapshot, SnapshotSource};
use super::storage::{item_named, netuid_index, KeyArg};
use super::types::{AccountId32, H256};
use crate::consensus::{CommitVersion, EpochKind, Hyperparameters, Subnet, WeightCommit};
use crate::error::{Error, ErrorCode, Result};
use serde_json::Value;
use std::collections::BTreeMap;

/// The subnet id the scenarios use.
pub const SCENARIO_NETUID: u16 = 1;

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

fn bad(field: &str, why: impl Into<String>) -> Error {
    Error::field(ErrorCode::InvalidType, field, why)
}

fn u64_at(v: &Value, key: &str) -> Result<u64> {
    v.get(key)
        .and_then(Value::as_u64)
        .ok_or_else(|| bad(key, "missing or not an unsigned integer"))
}

fn u16_at(v: &Value, key: &str) -> Result<u16> {
    u16::try_from(u64_at(v, key)?).map_err(|_| bad(key, "not a u16"))
}

fn list<T>(v: &Value, key: &str, f: impl Fn(&Value) -> Option<T>) -> Result<Vec<T>> {
    v.as_array()
        .ok_or_else(|| bad(key, "not a list"))?
        .iter()
        .map(|x| f(x).ok_or_else(|| bad(key, format!("bad element {x}"))))
        .collect()
}

fn u16s(v: &Value, key: &str) -> Result<Vec<u16>> {
    list(v, key, |x| x.as_u64().and_then(|n| u16::try_from(n).ok()))
}

fn u64s(v: &Value, key: &str) -> Result<Vec<u64>> {
    list(v, key, Value::as_u64)
}

fn bools(v: &Value, key: &str) -> Result<Vec<bool>> {
    list(v, key, Value::as_bool)
}

fn row(v: &Value) -> Result<Vec<(u16, u16)>> {
    list(v, "row", |e| {
        let a = e.get(0)?.as_u64().and_then(|x| u16::try_from(x).ok())?;
        let b = e.get(1)?.as_u64().and_then(|x| u16::try_from(x).ok())?;
        Some((a, b))
    })
}

fn rows(v: &Value, n: usize) -> Result<Vec<Vec<(u16, u16)>>> {
    let mut out = vec![Vec::new(); n];
    let mut put = |uid: usize, r: &Value| -> Result<()> {
        *out.get_mut(uid)
            .ok_or_else(|| bad("rows", "row of a uid not below n"))? = row(r)?;
        Ok(())
    };
    match v {
        Value::Array(a) => a.iter().enumerate().try_for_each(|(i, r)| put(i, r))?,
        Value::Object(o) => o
            .iter()
            .try_for_each(|(k, r)| put(k.parse().map_err(|_| bad("rows", "uid key"))?, r))?,
        _ => {}
    }
    Ok(out)
}

fn uid_list(step: &Value) -> Result<Vec<u16>> {
    match step.get("uid") {
        Some(Value::Array(_)) => u16s(step.get("uid").unwrap_or(&Value::Null), "uid"),
        _ => Ok(vec![u16_at(step, "uid")?]),
    }
}

fn mech(step: &Value) -> Result<u8> {
    match step.get("mechanism") {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v
            .as_u64()
            .and_then(|m| u8::try_from(m).ok())
            .ok_or_else(|| bad("mechanism", "not a u8")),
    }
}

/// Overlay `values` (file names = [`Hyperparameters`] field names) on `hp`.
fn overlay(
    hp: &Hyperparameters,
    values: &serde_json::Map<String, Value>,
) -> Result<Hyperparameters> {
    let mut base =
        serde_json::to_value(hp).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    if let Value::Object(m) = &mut base {
        for (k, v) in values {
            if !m.contains_key(k) {
                return Err(Error::field(
                    ErrorCode::Unsupported,
                    k.clone(),
                    "unknown hyperparameter",
                ));
            }
            m.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(base).map_err(|e| bad("hyperparameters", e.to_string()))
}

fn build(doc: &Value) -> Result<Subnet> {
    let hp_file = doc
        .get("hyperparameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let hp = overlay(&Hyperparameters::unit_test_mock(), &hp_file)?;
    let mut subnet = Subnet::new(SCENARIO_NETUID, hp);
    let st = doc
        .get("initial_state")
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "initial_state", "missing"))?;
    let n = usize::from(u16_at(st, "n")?);
    let vec_or_zero = |k: &str| -> Result<Vec<u64>> {
        match st.get(k) {
            None | Some(Value::Null) => Ok(vec![0; n]),
            Some(v) => u64s(v, k),
        }
    };
    subnet.block_at_registration = vec_or_zero("block_at_registration")?;
    subnet.alpha_stake = vec_or_zero("alpha_stake")?;
    subnet.tao_stake = vec_or_zero("tao_stake")?;
    if subnet.block_at_registration.len() != n || subnet.alpha_stake.len() != n {
        return Err(Error::field(
            ErrorCode::LengthMismatch,
            "initial_state",
            "per-uid vectors must have n entries",
        ));
    }
    subnet.validator_permit = match st.get("validator_permit") {
        Some(v) if !v.is_null() => bools(v, "validator_permit")?,
        _ => Vec::new(),
    };
    subnet.owner_uid = match st.get("owner_uid") {
        None | Some(Value::Null) => None,
        Some(_) => Some(u16_at(st, "owner_uid")?),
    };
    subnet.last_mechanism_step_block = st
        .get("last_mechanism_step_block")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if let Some(e) = st.get("epoch_index").and_then(Value::as_u64) {
        subnet.epoch_index = e;
    }
    subnet.normalize_shapes();
    if let Some(Value::Object(ms)) = st.get("mechanisms") {
        for (k, m) in ms {
            let i: usize = k.parse().map_err(|_| bad("mechanisms", "key"))?;
            let state = subnet
                .mechanisms
                .get_mut(i)
                .ok_or_else(|| bad("mechanisms", "beyond mechanism_count"))?;
            if let Some(lu) = m.get("last_update") {
                state.last_update = u64s(lu, "last_update")?;
            }
            if let Some(w) = m.get("weights") {
                state.weights = rows(w, n)?;
            }
            if let Some(b) = m.get("bonds") {
                state.bonds = rows(b, n)?;
            }
        }
    }
    Ok(subnet)
}

/// Apply a non-epoch step.
fn apply(subnet: &mut Subnet, step: &Value) -> Result<()> {
    let op = step.get("op").and_then(Value::as_str).unwrap_or("");
    match op {
        "set_weights" => {
            let (uids, values) = (
                u16s(step.get("uids").unwrap_or(&Value::Null), "uids")?,
                u16s(step.get("values").unwrap_or(&Value::Null), "values")?,
            );
            for uid in uid_list(step)? {
                subnet.set_weights(mech(step)?, uid, &uids, &values, u64_at(step, "block")?)?;
            }
        }
        "set_self_weights" => {
            let uids = u16s(step.get("uids").unwrap_or(&Value::Null), "uids")?;
            let values = match step.get("values") {
                Some(v) => u16s(v, "values")?,
                None => vec![u16_at(step, "value")?; uids.len()],
            };
            for (uid, v) in uids.iter().zip(values) {
                subnet.set_weights(mech(step)?, *uid, &[*uid], &[v], u64_at(step, "block")?)?;
            }
        }
        "set_weights_raw" => {
            for uid in uid_list(step)? {
                subnet.set_weights_raw(
                    mech(step)?,
                    uid,
                    row(step.get("row").unwrap_or(&Value::Null))?,
                )?;
            }
        }
        "set_hyperparameter" => {
            let name = step.get("name").and_then(Value::as_str).unwrap_or("");
            let value = step.get("value").cloned().unwrap_or(Value::Null);
            if name == "mechanism_count" {
                let c = value
                    .as_u64()
                    .and_then(|c| u8::try_from(c).ok())
                    .ok_or_else(|| bad("value", "not a u8"))?;
                let split = subnet.hyperparameters.mechanism_emission_split.clone();
                subnet.set_mechanism_count(c);
                subnet.hyperparameters.mechanism_emission_split = split;
            } else {
                let mut m = serde_json::Map::new();
                m.insert(name.to_string(), value);
                subnet.hyperparameters = overlay(&subnet.hyperparameters, &m)?;
            }
        }
        "set_last_update" => {
            let v = ["last_update", "values", "value"]
                .iter()
                .find_map(|k| step.get(*k))
                .ok_or_else(|| bad("last_update", "missing"))?;
            let lu = u64s(v, "last_update")?;
            subnet
                .mechanisms
                .get_mut(usize::from(mech(step)?))
                .ok_or_else(|| bad("mechanism", "no such mechanism"))?
                .last_update = lu;
        }
        "add_alpha_stake" => {
            let s = subnet
                .alpha_stake
                .get_mut(usize::from(u16_at(step, "uid")?))
                .ok_or_else(|| bad("uid", "not below n"))?;
            *s = s.saturating_add(u64_at(step, "amount")?);
        }
        "replace_neuron" => {
            let alpha = step.get("alpha_stake").and_then(Value::as_u64).unwrap_or(0);
            let tao = step.get("tao_stake").and_then(Value::as_u64).unwrap_or(0);
            subnet.replace_neuron(u16_at(step, "uid")?, u64_at(step, "block")?, alpha, tao)?;
        }
        "append_neuron" | "register" => {
            let alpha = step.get("alpha_stake").and_then(Value::as_u64).unwrap_or(0);
            let tao = step.get("tao_stake").and_then(Value::as_u64).unwrap_or(0);
            subnet.append_neuron(u64_at(step, "block")?, alpha, tao)?;
        }
        "reset_bonds" => subnet.reset_bonds(mech(step)?, u16_at(step, "uid")?)?,
        "commit" => {
            let v4 = step.get("v4").and_then(Value::as_bool).unwrap_or(false);
            let c = WeightCommit {
                uid: u16_at(step, "uid")?,
                commit_block: u64_at(step, "commit_block")?,
                commit_epoch: u64_at(step, "commit_epoch")?,
                version: if v4 {
                    CommitVersion::V4
                } else {
                    CommitVersion::V2
                },
            };
            subnet.commit(mech(step)?, c)?;
        }
        other => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "op",
                format!("unknown step op {other:?}"),
            ))
        }
    }
    Ok(())
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
        encode::<Vec<u16>>(&u16s(field("incentive")?, "incentive")?),
    )?;
    for (item, key) in [
        ("Dividends", "dividends"),
        ("Consensus", "consensus"),
        ("ValidatorTrust", "validator_trust"),
        ("StakeWeight", "stake_weight"),
    ] {
        put(item, &k, encode::<Vec<u16>>(&u16s(field(key)?, key)?))?;
    }
    put(
        "Emission",
        &k,
        encode::<Vec<u64>>(&u64s(field("emission")?, "emission")?),
    )?;
    put(
        "Active",
        &k,
        encode::<Vec<bool>>(&bools(field("active")?, "active")?),
    )?;
    put(
        "ValidatorPermit",
        &k,
        encode::<Vec<bool>>(&bools(field("validator_permit")?, "validator_permit")?),
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
/// the named entry point persists: nothing for `persist: none`).
fn advance(subnet: &mut Subnet, step: &Value) -> Result<()> {
    let Some(d) = step
        .get("derived_outputs")
        .filter(|d| d.as_object().is_some_and(|o| !o.is_empty()))
    else {
        if step.get("mechanism").and_then(Value::as_str) == Some("all") {
            subnet.run(
                EpochKind::AllMechanisms,
                u64_at(step, "block")?,
                u64_at(step, "emission")?,
                false,
            )?;
        }
        return Ok(());
    };
    let n = subnet.n();
    subnet.validator_permit = bools(
        d.get("validator_permit").unwrap_or(&Value::Null),
        "validator_permit",
    )?;
    if let Some(m) = subnet.mechanisms.first_mut() {
        m.bonds = rows(d.get("bonds_nonzero").unwrap_or(&Value::Null), n)?;
        m.incentive = u16s(d.get("incentive").unwrap_or(&Value::Null), "incentive")?;
    }
    Ok(())
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
    let mut subnet = build(&doc)?;
    let steps = doc
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (si, step) in steps.iter().enumerate() {
        if step.get("op").and_then(Value::as_str) != Some("epoch") {
            apply(&mut subnet, step).map_err(|e| e.within(&format!("steps[{si}]")))?;
            continue;
        }
        if let Some(e) = step.get("current_epoch_index").and_then(Value::as_u64) {
            subnet.epoch_index = e;
        }
        let on_chain = step.get("path").and_then(Value::as_str).unwrap_or("sparse") == "sparse"
            && step
                .get("persist")
                .and_then(Value::as_str)
                .unwrap_or("legacy")
                == "legacy"
            && mech(step).ok() == Some(0)
            && subnet.hyperparameters.mechanism_count == 1
            && !(subnet.epoch_index == 0
                && subnet.mechanisms.iter().any(|m| !m.commits.is_empty()));
        let derived = step
            .get("derived_outputs")
            .filter(|d| d.as_object().is_some_and(|o| !o.is_empty()));
        if let (true, Some(d)) = (on_chain, derived) {
            let block = u64_at(step, "block")?;
            let mut s = Snapshot::new(SCENARIO_NETUID, block);
            s.spec_version = Some(425);
            s.emission = Some(u64_at(step, "emission")?.to_string());
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
        advance(&mut subnet, step).map_err(|e| e.within(&format!("steps[{si}]")))?;
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
