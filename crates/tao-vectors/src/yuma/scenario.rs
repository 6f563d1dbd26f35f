//! `yuma-vectors/epoch-scenario/v1`: build a [`Subnet`] from `hyperparameters` and
//! `initial_state`, apply `steps` through the subnet's own operations, check every `expect` entry
//! and every `derived_outputs` field group of each epoch step.

use super::expect::{check_derived, check_expectation, EpochResult, Snapshot};
use super::num;
use crate::json::{as_u64, get, u64_of};
use crate::Outcomes;
use serde_json::Value;
use std::collections::BTreeMap;
use tao_engine::consensus::{CommitVersion, EpochKind, Hyperparameters, Subnet, WeightCommit};
use tao_engine::error::{Error, ErrorCode, Result};

/// Run one scenario file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("scenario")
        .to_string();
    out.guard(&id, |out| {
        let mut subnet = build(doc)?;
        let steps = doc
            .get("steps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut history: BTreeMap<usize, Snapshot> = BTreeMap::new();
        for (si, step) in steps.iter().enumerate() {
            let op = step.get("op").and_then(Value::as_str).unwrap_or("?");
            let label = step
                .get("label")
                .and_then(Value::as_str)
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let name = format!("{id} step {si} {op}{label}");
            if let Err(e) = apply(&mut subnet, step, si, &name, &mut history, out) {
                out.fail(&name, "step", e);
                break;
            }
        }
        Ok(())
    });
    Ok(())
}

/// One epoch of a replayed scenario: the state the epoch read, what it produced and how the
/// step's expectations fared.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioEpoch {
    /// Index of the step in the file.
    pub step: usize,
    /// The step's label (or `step N` for an unlabelled epoch step).
    pub label: String,
    /// Block of the epoch.
    pub block: u64,
    /// Mechanism 0's stored weight rows when the epoch ran.
    pub weights: Vec<Vec<(u16, u16)>>,
    /// Normalized stake per uid as the chain stores it (`StakeWeight`, u16).
    pub stake_weight: Vec<u16>,
    /// The epoch's terms (aggregated over mechanisms for an `"all"` epoch).
    pub output: tao_engine::consensus::EpochOutput,
    /// Mechanism 0's stored bond rows after the epoch.
    pub bonds: Vec<Vec<(u16, u16)>>,
    /// The step's `expect` entries and `derived_outputs` groups, evaluated.
    pub checks: Vec<crate::Outcome>,
}

/// A whole epoch scenario (`yuma-vectors/epoch-scenario/v1`) replayed through [`Subnet`].
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioReplay {
    /// The file's id.
    pub id: String,
    /// The file's description.
    pub description: String,
    /// Subnet size after the last step.
    pub n: usize,
    /// Hyperparameters after the last step.
    pub hyperparameters: Hyperparameters,
    /// Every epoch step, in order.
    pub epochs: Vec<ScenarioEpoch>,
}

/// Replay an epoch scenario and return every epoch's inputs, outputs and checks (for the
/// Consensus explorer's presets). The same step semantics as the vector runner.
pub fn replay(doc: &Value) -> Result<ScenarioReplay> {
    let text = |k: &str| doc.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let id = text("id");
    let mut subnet = build(doc)?;
    let steps = doc
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut history: BTreeMap<usize, Snapshot> = BTreeMap::new();
    let mut epochs = Vec::new();
    for (si, step) in steps.iter().enumerate() {
        let is_epoch = step.get("op").and_then(Value::as_str) == Some("epoch");
        let weights = subnet
            .mechanisms
            .first()
            .map(|m| m.weights.clone())
            .unwrap_or_default();
        let mut out = Outcomes::default();
        let name = format!("{id} step {si}");
        apply(&mut subnet, step, si, &name, &mut history, &mut out)
            .map_err(|e| e.within(&format!("steps[{si}]")))?;
        if let (true, Some(snap)) = (is_epoch, history.get(&si)) {
            let label = step
                .get("label")
                .and_then(Value::as_str)
                .map_or_else(|| format!("step {si}"), str::to_string);
            epochs.push(ScenarioEpoch {
                step: si,
                label,
                block: step.get("block").and_then(as_u64).unwrap_or(0),
                weights,
                stake_weight: snap.subnet.stake_weight.clone(),
                output: snap.result.output.clone(),
                bonds: snap
                    .subnet
                    .mechanisms
                    .first()
                    .map(|m| m.bonds.clone())
                    .unwrap_or_default(),
                checks: out.into_outcomes(),
            });
        }
    }
    Ok(ScenarioReplay {
        id,
        description: text("description"),
        n: subnet.n(),
        hyperparameters: subnet.hyperparameters.clone(),
        epochs,
    })
}

fn u8_of(v: &Value, key: &str) -> Result<u8> {
    u8::try_from(u64_of(v, key)?).map_err(|_| Error::field(ErrorCode::TooLarge, key, "not a u8"))
}

fn u16_of(v: &Value, key: &str) -> Result<u16> {
    u16::try_from(u64_of(v, key)?).map_err(|_| Error::field(ErrorCode::TooLarge, key, "not a u16"))
}

fn mech_of(step: &Value) -> Result<u8> {
    match step.get("mechanism") {
        None | Some(Value::Null) => Ok(0),
        Some(_) => u8_of(step, "mechanism"),
    }
}

/// Apply one named hyperparameter (the names of the file's `hyperparameters` object).
pub(super) fn set_hyperparameter(subnet: &mut Subnet, name: &str, value: &Value) -> Result<()> {
    let hp = &mut subnet.hyperparameters;
    let bad = || {
        Error::field(
            ErrorCode::InvalidType,
            name.to_string(),
            format!("bad value {value}"),
        )
    };
    let uint = || as_u64(value).ok_or_else(bad);
    let boolean = || value.as_bool().ok_or_else(bad);
    let u16v = || uint().and_then(|v| u16::try_from(v).map_err(|_| bad()));
    match name {
        "tempo" => hp.tempo = u16v()?,
        "kappa" => hp.kappa = u16v()?,
        "bonds_moving_average" => hp.bonds_moving_average = uint()?,
        "bonds_penalty" => hp.bonds_penalty = u16v()?,
        "liquid_alpha_enabled" => hp.liquid_alpha_enabled = boolean()?,
        "alpha_low" => hp.alpha_low = u16v()?,
        "alpha_high" => hp.alpha_high = u16v()?,
        "alpha_sigmoid_steepness" => {
            hp.alpha_sigmoid_steepness = value
                .as_i64()
                .and_then(|v| i16::try_from(v).ok())
                .ok_or_else(bad)?
        }
        "yuma3_enabled" => hp.yuma3_enabled = boolean()?,
        "max_allowed_validators" => hp.max_allowed_validators = u16v()?,
        "activity_cutoff_factor_milli" => {
            hp.activity_cutoff_factor_milli =
                uint().and_then(|v| u32::try_from(v).map_err(|_| bad()))?
        }
        "stake_threshold" => hp.stake_threshold = uint()?,
        "commit_reveal_enabled" => hp.commit_reveal_enabled = boolean()?,
        "reveal_period_epochs" => hp.reveal_period_epochs = uint()?,
        "tao_weight" => hp.tao_weight = uint()?,
        "bonds_reset_enabled" => hp.bonds_reset_enabled = boolean()?,
        "mechanism_emission_split" => {
            hp.mechanism_emission_split = match value {
                Value::Null => None,
                v => Some(num::u16_vec(v)?),
            }
        }
        "mechanism_count" => {
            let c = uint().and_then(|v| u8::try_from(v).map_err(|_| bad()))?;
            let split = hp.mechanism_emission_split.clone();
            subnet.set_mechanism_count(c);
            // A file states count and split together; keep the stated split.
            subnet.hyperparameters.mechanism_emission_split = split;
        }
        other => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "name",
                format!("unknown hyperparameter {other:?}"),
            ))
        }
    }
    Ok(())
}

/// Rows given as a list indexed by uid or an object keyed by uid.
fn rows(v: &Value, n: usize) -> Result<Vec<Vec<(u16, u16)>>> {
    let mut out = vec![Vec::new(); n];
    let mut put = |uid: usize, row: &Value| -> Result<()> {
        let r = row_of(row)?;
        match out.get_mut(uid) {
            Some(slot) => {
                *slot = r;
                Ok(())
            }
            None => Err(Error::field(
                ErrorCode::UidOutOfRange,
                format!("[{uid}]"),
                "row of a uid not below n",
            )),
        }
    };
    match v {
        Value::Array(a) => a.iter().enumerate().try_for_each(|(i, r)| put(i, r))?,
        Value::Object(o) => o.iter().try_for_each(|(k, r)| {
            let uid = k
                .parse()
                .map_err(|_| Error::field(ErrorCode::InvalidType, k.clone(), "uid key"))?;
            put(uid, r)
        })?,
        Value::Null => {}
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidType,
                "rows must be a list or an object",
            ))
        }
    }
    Ok(out)
}

/// One stored row `[[uid, value], ...]`.
fn row_of(v: &Value) -> Result<Vec<(u16, u16)>> {
    let bad = || Error::new(ErrorCode::InvalidType, format!("not a (u16, u16) row: {v}"));
    v.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|e| {
            let a = e
                .get(0)
                .and_then(Value::as_u64)
                .and_then(|x| u16::try_from(x).ok());
            let b = e
                .get(1)
                .and_then(Value::as_u64)
                .and_then(|x| u16::try_from(x).ok());
            a.zip(b).ok_or_else(bad)
        })
        .collect()
}

/// Runtime spec of the commit the yuma vectors were read at (`source.commit` 14bc6f9).
pub const YUMA_VECTORS_SPEC: u32 = 425;

/// The subnet of `hyperparameters` + `initial_state` (unit-test mock defaults for anything unset).
fn build(doc: &Value) -> Result<Subnet> {
    let mut subnet = Subnet::new(1, Hyperparameters::unit_test_mock());
    // The yuma vectors restate subtensor's tests at 14bc6f9 (runtime spec 425): run them under
    // that runtime's rules, not the newest ones.
    subnet.spec_version = Some(YUMA_VECTORS_SPEC);
    if let Some(Value::Object(hp)) = doc.get("hyperparameters") {
        // mechanism_count first so that a stated split survives the count change.
        if let Some(c) = hp.get("mechanism_count") {
            set_hyperparameter(&mut subnet, "mechanism_count", c)?;
        }
        for (k, v) in hp.iter().filter(|(k, _)| *k != "mechanism_count") {
            set_hyperparameter(&mut subnet, k, v).map_err(|e| e.within("hyperparameters"))?;
        }
    }
    let st = get(doc, "initial_state")?;
    let n = usize::try_from(u64_of(st, "n")?)
        .map_err(|_| Error::field(ErrorCode::TooLarge, "n", "too large"))?;
    let vec_u64 = |k: &str| -> Result<Vec<u64>> {
        match st.get(k) {
            None | Some(Value::Null) => Ok(vec![0; n]),
            Some(v) => num::u64_vec(v).map_err(|e| e.with_field(format!("initial_state.{k}"))),
        }
    };
    subnet.block_at_registration = vec_u64("block_at_registration")?;
    subnet.alpha_stake = vec_u64("alpha_stake")?;
    subnet.tao_stake = vec_u64("tao_stake")?;
    subnet.validator_permit = match st.get("validator_permit") {
        Some(v) if !v.is_null() => num::bool_vec(v)?,
        _ => Vec::new(),
    };
    subnet.owner_uid = match st.get("owner_uid") {
        None | Some(Value::Null) => None,
        Some(_) => Some(u16_of(st, "owner_uid")?),
    };
    subnet.last_mechanism_step_block = st
        .get("last_mechanism_step_block")
        .and_then(as_u64)
        .unwrap_or(0);
    if let Some(e) = st.get("epoch_index").and_then(as_u64) {
        subnet.epoch_index = e;
    }
    for (field, len) in [
        ("block_at_registration", subnet.block_at_registration.len()),
        ("alpha_stake", subnet.alpha_stake.len()),
    ] {
        if len != n {
            return Err(Error::field(
                ErrorCode::LengthMismatch,
                format!("initial_state.{field}"),
                format!("length {len}, n = {n}"),
            ));
        }
    }
    subnet.normalize_shapes();
    if let Some(Value::Object(mechs)) = st.get("mechanisms") {
        for (k, m) in mechs {
            let idx: usize = k
                .parse()
                .map_err(|_| Error::field(ErrorCode::InvalidType, "mechanisms", "key"))?;
            let Some(ms) = subnet.mechanisms.get_mut(idx) else {
                return Err(Error::field(
                    ErrorCode::OutOfRange,
                    format!("initial_state.mechanisms.{k}"),
                    "beyond mechanism_count",
                ));
            };
            if let Some(lu) = m.get("last_update") {
                ms.last_update = num::u64_vec(lu)?;
            }
            if let Some(w) = m.get("weights") {
                ms.weights = rows(w, n)
                    .map_err(|e| e.within(&format!("initial_state.mechanisms.{k}.weights")))?;
            }
            if let Some(b) = m.get("bonds") {
                ms.bonds = rows(b, n)
                    .map_err(|e| e.within(&format!("initial_state.mechanisms.{k}.bonds")))?;
            }
        }
    }
    subnet.check_shapes()?;
    Ok(subnet)
}

fn uid_list(step: &Value, key: &str) -> Result<Vec<u16>> {
    match get(step, key)? {
        Value::Array(_) => num::u16_vec(get(step, key)?),
        _ => Ok(vec![u16_of(step, key)?]),
    }
}

fn apply(
    subnet: &mut Subnet,
    step: &Value,
    si: usize,
    name: &str,
    history: &mut BTreeMap<usize, Snapshot>,
    out: &mut Outcomes,
) -> Result<()> {
    match step.get("op").and_then(Value::as_str).unwrap_or("") {
        "set_weights" => {
            let mech = mech_of(step)?;
            let uids = num::u16_vec(get(step, "uids")?)?;
            let values = num::u16_vec(get(step, "values")?)?;
            let block = u64_of(step, "block")?;
            for uid in uid_list(step, "uid")? {
                subnet.set_weights(mech, uid, &uids, &values, block)?;
                if let Some(stored) = step.get("stored") {
                    let want = row_of(stored)?;
                    let got = subnet
                        .mechanisms
                        .get(usize::from(mech))
                        .and_then(|m| m.weights.get(usize::from(uid)));
                    out.record(
                        name,
                        &format!("stored[{uid}]"),
                        got == Some(&want),
                        format!("{want:?}"),
                        format!("{got:?}"),
                    );
                }
            }
        }
        "set_self_weights" => {
            let mech = mech_of(step)?;
            let block = u64_of(step, "block")?;
            let uids = num::u16_vec(get(step, "uids")?)?;
            let values = match step.get("values") {
                Some(v) => num::u16_vec(v)?,
                None => vec![u16_of(step, "value")?; uids.len()],
            };
            for (uid, v) in uids.iter().zip(values) {
                subnet.set_weights(mech, *uid, &[*uid], &[v], block)?;
            }
        }
        "set_weights_raw" => {
            let mech = mech_of(step)?;
            for uid in uid_list(step, "uid")? {
                subnet.set_weights_raw(mech, uid, row_of(get(step, "row")?)?)?;
            }
        }
        "set_hyperparameter" => {
            let key = get(step, "name")?.as_str().unwrap_or("");
            set_hyperparameter(subnet, key, get(step, "value")?)?;
        }
        "set_last_update" => {
            let mech = mech_of(step)?;
            let v = ["last_update", "values", "value"]
                .iter()
                .find_map(|k| step.get(*k))
                .ok_or_else(|| Error::field(ErrorCode::MissingField, "last_update", "missing"))?;
            subnet.set_last_update(mech, num::u64_vec(v)?)?;
        }
        "add_alpha_stake" => {
            subnet.add_alpha_stake(u16_of(step, "uid")?, u64_of(step, "amount")?)?
        }
        "replace_neuron" => {
            let alpha = step.get("alpha_stake").and_then(as_u64).unwrap_or(0);
            let tao = step.get("tao_stake").and_then(as_u64).unwrap_or(0);
            subnet.replace_neuron(u16_of(step, "uid")?, u64_of(step, "block")?, alpha, tao)?;
        }
        "append_neuron" | "register" => {
            let alpha = step.get("alpha_stake").and_then(as_u64).unwrap_or(0);
            let tao = step.get("tao_stake").and_then(as_u64).unwrap_or(0);
            subnet.append_neuron(u64_of(step, "block")?, alpha, tao)?;
        }
        "reset_bonds" => subnet.reset_bonds(mech_of(step)?, u16_of(step, "uid")?)?,
        "commit" => {
            let v4 = step.get("v4").and_then(Value::as_bool).unwrap_or(false);
            let c = WeightCommit {
                uid: u16_of(step, "uid")?,
                commit_block: u64_of(step, "commit_block")?,
                commit_epoch: u64_of(step, "commit_epoch")?,
                version: if v4 {
                    CommitVersion::V4
                } else {
                    CommitVersion::V2
                },
            };
            subnet.commit(mech_of(step)?, c)?;
        }
        "epoch" => {
            let result = run_epoch_step(subnet, step)?;
            let snap = Snapshot {
                subnet: subnet.clone(),
                result,
            };
            if let Some(exp) = step.get("expect").and_then(Value::as_array) {
                for (k, e) in exp.iter().enumerate() {
                    check_expectation(&snap, e, k, history, name, out);
                }
            }
            if let Some(d) = step.get("derived_outputs") {
                check_derived(&snap, d, name, out);
            }
            history.insert(si, snap);
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

/// Run the `epoch` step as the entry point it names.
fn run_epoch_step(subnet: &mut Subnet, step: &Value) -> Result<EpochResult> {
    let block = u64_of(step, "block")?;
    let emission = u64_of(step, "emission")?;
    if let Some(e) = step.get("current_epoch_index").and_then(as_u64) {
        subnet.epoch_index = e;
    }
    let trace = step
        .get("expect")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|e| e.get("what").and_then(Value::as_str) == Some("trace"))
        });
    if step.get("mechanism").and_then(Value::as_str) == Some("all") {
        let r = subnet.epoch_with_mechanisms(block, emission)?;
        return Ok(EpochResult {
            output: r.aggregate,
            mechanisms: r.mechanisms.into_iter().enumerate().collect(),
            emissions: r.emissions,
            total: emission,
        });
    }
    let mech = mech_of(step)?;
    let path = step.get("path").and_then(Value::as_str).unwrap_or("sparse");
    let persist = step
        .get("persist")
        .and_then(Value::as_str)
        .unwrap_or("legacy");
    let kind = match (path, persist) {
        ("dense", _) => EpochKind::Dense,
        (_, "none") => EpochKind::Mechanism(mech),
        (_, "legacy") => EpochKind::Legacy(mech),
        (p, q) => {
            return Err(Error::field(
                ErrorCode::Unsupported,
                "path",
                format!("unknown epoch path/persist {p:?}/{q:?}"),
            ))
        }
    };
    let output = subnet.run(kind, block, emission, trace)?;
    let mut emissions = vec![0; usize::from(mech)];
    emissions.push(emission);
    Ok(EpochResult {
        mechanisms: vec![(usize::from(mech), output.clone())],
        output,
        emissions,
        total: emission,
    })
}
