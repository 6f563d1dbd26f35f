//! The one interpreter of the chain's own epoch scenarios (`yuma-vectors/epoch-scenario/v1`:
//! subtensor's unit tests `pallets/subtensor/src/tests/epoch.rs` @ 14bc6f9, restated as data in
//! `data/yuma/epoch`).
//!
//! A scenario is `hyperparameters` + `initial_state` (read by [`build`] into a [`Subnet`]) and a
//! list of `steps`: state operations ([`apply`], each one of the subnet's own mutations) and
//! `epoch` steps ([`EpochStep`]: which entry point, at which block, with which emission). The
//! vector harness (`tao-vectors`, which checks each step's expectations) and the snapshot writer
//! (`chain::snapshot_yuma`, which writes the state before each on-chain epoch as storage) both
//! read scenarios through this module, so a step means the same thing to both.
//!
//! Numbers are JSON numbers or decimal strings (the vectors' number conventions).

use super::{CommitVersion, EpochKind, EpochOutput, Hyperparameters, Subnet, WeightCommit};
use crate::error::{Error, ErrorCode, Result};
use serde_json::Value;

/// The subnet id a scenario's subnet has.
pub const SCENARIO_NETUID: u16 = 1;

/// Runtime spec of the commit the scenarios were read at (`source.commit` 14bc6f9): scenarios
/// run under that runtime's rules, not the newest ones.
pub const SCENARIO_SPEC: u32 = 425;

/// A u64 given as a JSON number or a decimal string.
pub fn as_u64(x: &Value) -> Option<u64> {
    match x {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn get<'a>(v: &'a Value, key: &str) -> Result<&'a Value> {
    v.get(key)
        .ok_or_else(|| Error::field(ErrorCode::MissingField, key, "missing"))
}

fn u64_of(v: &Value, key: &str) -> Result<u64> {
    let x = get(v, key)?;
    as_u64(x).ok_or_else(|| Error::field(ErrorCode::InvalidType, key, format!("not a u64: {x}")))
}

fn u8_of(v: &Value, key: &str) -> Result<u8> {
    u8::try_from(u64_of(v, key)?).map_err(|_| Error::field(ErrorCode::TooLarge, key, "not a u8"))
}

fn u16_of(v: &Value, key: &str) -> Result<u16> {
    u16::try_from(u64_of(v, key)?).map_err(|_| Error::field(ErrorCode::TooLarge, key, "not a u16"))
}

fn not_a(what: &str, v: &Value) -> Error {
    Error::new(ErrorCode::InvalidType, format!("not a {what}: {v}"))
}

/// A list of u64 (numbers or decimal strings).
pub fn u64_list(v: &Value) -> Result<Vec<u64>> {
    v.as_array()
        .ok_or_else(|| not_a("list", v))?
        .iter()
        .map(|x| as_u64(x).ok_or_else(|| not_a("u64", x)))
        .collect()
}

/// A list of u16.
pub fn u16_list(v: &Value) -> Result<Vec<u16>> {
    u64_list(v)?
        .into_iter()
        .map(|x| u16::try_from(x).map_err(|_| not_a("u16", &Value::from(x))))
        .collect()
}

/// A list of booleans.
pub fn bool_list(v: &Value) -> Result<Vec<bool>> {
    v.as_array()
        .ok_or_else(|| not_a("list", v))?
        .iter()
        .map(|x| x.as_bool().ok_or_else(|| not_a("bool", x)))
        .collect()
}

/// A step's `mechanism` (0 when absent).
pub fn mechanism(step: &Value) -> Result<u8> {
    match step.get("mechanism") {
        None | Some(Value::Null) => Ok(0),
        Some(_) => u8_of(step, "mechanism"),
    }
}

/// A step's uid list under `key`: one uid or a list of them.
pub fn uid_list(step: &Value, key: &str) -> Result<Vec<u16>> {
    match get(step, key)? {
        Value::Array(_) => u16_list(get(step, key)?),
        _ => Ok(vec![u16_of(step, key)?]),
    }
}

/// One stored row `[[uid, value], ...]`.
pub fn row(v: &Value) -> Result<Vec<(u16, u16)>> {
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

/// `n` rows given as a list indexed by uid or an object keyed by uid (`null`: all empty).
pub fn rows(v: &Value, n: usize) -> Result<Vec<Vec<(u16, u16)>>> {
    let mut out = vec![Vec::new(); n];
    let mut put = |uid: usize, r: &Value| -> Result<()> {
        let r = row(r)?;
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

/// Apply one named hyperparameter (the [`Hyperparameters`] field names, as the file's
/// `hyperparameters` object and `set_hyperparameter` steps write them). `mechanism_count` goes
/// through [`Subnet::set_mechanism_count`] but keeps the split already set: a file states count
/// and split together.
pub fn set_hyperparameter(subnet: &mut Subnet, name: &str, value: &Value) -> Result<()> {
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
        "liquid_alpha_consensus_mode" => {
            hp.liquid_alpha_consensus_mode =
                serde_json::from_value(value.clone()).map_err(|_| bad())?
        }
        "mechanism_emission_split" => {
            hp.mechanism_emission_split = match value {
                Value::Null => None,
                v => Some(u16_list(v)?),
            }
        }
        "mechanism_count" => {
            let c = uint().and_then(|v| u8::try_from(v).map_err(|_| bad()))?;
            let split = hp.mechanism_emission_split.clone();
            subnet.set_mechanism_count(c);
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

/// The subnet of a scenario's `hyperparameters` + `initial_state` (subtensor's unit-test mock
/// values for anything unset), under the rules of [`SCENARIO_SPEC`].
pub fn build(doc: &Value) -> Result<Subnet> {
    let mut subnet = Subnet::new(SCENARIO_NETUID, Hyperparameters::unit_test_mock());
    subnet.spec_version = Some(SCENARIO_SPEC);
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
            Some(v) => u64_list(v).map_err(|e| e.with_field(format!("initial_state.{k}"))),
        }
    };
    subnet.block_at_registration = vec_u64("block_at_registration")?;
    subnet.alpha_stake = vec_u64("alpha_stake")?;
    subnet.tao_stake = vec_u64("tao_stake")?;
    subnet.validator_permit = match st.get("validator_permit") {
        Some(v) if !v.is_null() => bool_list(v)?,
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
                ms.last_update = u64_list(lu)?;
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

/// Apply one state step (every `op` but `epoch`, which [`EpochStep`] reads) through the subnet's
/// own operations.
pub fn apply(subnet: &mut Subnet, step: &Value) -> Result<()> {
    match step.get("op").and_then(Value::as_str).unwrap_or("") {
        "set_weights" => {
            let mech = mechanism(step)?;
            let uids = u16_list(get(step, "uids")?)?;
            let values = u16_list(get(step, "values")?)?;
            let block = u64_of(step, "block")?;
            for uid in uid_list(step, "uid")? {
                subnet.set_weights(mech, uid, &uids, &values, block)?;
            }
        }
        "set_self_weights" => {
            let mech = mechanism(step)?;
            let block = u64_of(step, "block")?;
            let uids = u16_list(get(step, "uids")?)?;
            let values = match step.get("values") {
                Some(v) => u16_list(v)?,
                None => vec![u16_of(step, "value")?; uids.len()],
            };
            for (uid, v) in uids.iter().zip(values) {
                subnet.set_weights(mech, *uid, &[*uid], &[v], block)?;
            }
        }
        "set_weights_raw" => {
            let mech = mechanism(step)?;
            for uid in uid_list(step, "uid")? {
                subnet.set_weights_raw(mech, uid, row(get(step, "row")?)?)?;
            }
        }
        "set_hyperparameter" => {
            let key = get(step, "name")?.as_str().unwrap_or("");
            set_hyperparameter(subnet, key, get(step, "value")?)?;
        }
        "set_last_update" => {
            let mech = mechanism(step)?;
            let v = ["last_update", "values", "value"]
                .iter()
                .find_map(|k| step.get(*k))
                .ok_or_else(|| Error::field(ErrorCode::MissingField, "last_update", "missing"))?;
            subnet.set_last_update(mech, u64_list(v)?)?;
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
        "reset_bonds" => subnet.reset_bonds(mechanism(step)?, u16_of(step, "uid")?)?,
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
            subnet.commit(mechanism(step)?, c)?;
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

/// What an `epoch` step asks for: the entry point (`mechanism: "all"`, or `path` × `persist`
/// on one mechanism), the block and the emission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochStep {
    /// Block of the epoch.
    pub block: u64,
    /// Emission of the whole epoch (rao).
    pub emission: u64,
    /// The entry point.
    pub kind: EpochKind,
    /// The step's `mechanism` (0 for `"all"`).
    pub mechanism: u8,
}

/// What one epoch step returned.
#[derive(Debug, Clone)]
pub struct EpochRun {
    /// The returned per-uid terms (aggregated over mechanisms for `"all"`).
    pub output: EpochOutput,
    /// Each mechanism's own output, by mechanism id.
    pub mechanisms: Vec<(usize, EpochOutput)>,
    /// Emission of each mechanism (index = mechanism id).
    pub emissions: Vec<u64>,
    /// Emission of the whole epoch.
    pub total: u64,
}

impl EpochStep {
    /// Read an `epoch` step.
    pub fn read(step: &Value) -> Result<EpochStep> {
        let block = u64_of(step, "block")?;
        let emission = u64_of(step, "emission")?;
        if step.get("mechanism").and_then(Value::as_str) == Some("all") {
            return Ok(EpochStep {
                block,
                emission,
                kind: EpochKind::AllMechanisms,
                mechanism: 0,
            });
        }
        let mech = mechanism(step)?;
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
        Ok(EpochStep {
            block,
            emission,
            kind,
            mechanism: mech,
        })
    }

    /// Read an `epoch` step and set the epoch index it states (`current_epoch_index`), which
    /// the epoch reads (commit reveal).
    pub fn begin(subnet: &mut Subnet, step: &Value) -> Result<EpochStep> {
        let e = EpochStep::read(step)?;
        if let Some(i) = step.get("current_epoch_index").and_then(as_u64) {
            subnet.epoch_index = i;
        }
        Ok(e)
    }

    /// Run the epoch as its entry point does, persisting as it does; `trace` applies to
    /// single-mechanism sparse runs.
    pub fn run(&self, subnet: &mut Subnet, trace: bool) -> Result<EpochRun> {
        if self.kind == EpochKind::AllMechanisms {
            let r = subnet.epoch_with_mechanisms(self.block, self.emission)?;
            return Ok(EpochRun {
                output: r.aggregate,
                mechanisms: r.mechanisms.into_iter().enumerate().collect(),
                emissions: r.emissions,
                total: self.emission,
            });
        }
        let output = subnet.run(self.kind, self.block, self.emission, trace)?;
        let mut emissions = vec![0; usize::from(self.mechanism)];
        emissions.push(self.emission);
        Ok(EpochRun {
            mechanisms: vec![(usize::from(self.mechanism), output.clone())],
            output,
            emissions,
            total: self.emission,
        })
    }
}

#[cfg(test)]
#[path = "epoch_scenario_tests.rs"]
mod tests;
