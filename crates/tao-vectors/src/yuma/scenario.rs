//! `yuma-vectors/epoch-scenario/v1`: build a [`Subnet`] from `hyperparameters` and
//! `initial_state`, apply `steps` through the subnet's own operations, check every `expect` entry
//! and every `derived_outputs` field group of each epoch step.

use super::expect::{check_derived, check_expectation, AfterEpoch};
use crate::json::as_u64;
use crate::Outcomes;
use serde_json::Value;
use std::collections::BTreeMap;
use tao_engine::consensus::epoch_scenario::{self as scenario, EpochRun, EpochStep};
use tao_engine::consensus::{Hyperparameters, Subnet};
use tao_engine::error::Result;

/// Run one scenario file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("scenario")
        .to_string();
    out.guard(&id, |out| {
        let mut subnet = scenario::build(doc)?;
        let steps = doc
            .get("steps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut history: BTreeMap<usize, AfterEpoch> = BTreeMap::new();
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
    let mut subnet = scenario::build(doc)?;
    let steps = doc
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut history: BTreeMap<usize, AfterEpoch> = BTreeMap::new();
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

/// Runtime spec of the commit the yuma vectors were read at (`source.commit` 14bc6f9): the
/// scenario interpreter's [`scenario::SCENARIO_SPEC`].
pub const YUMA_VECTORS_SPEC: u32 = scenario::SCENARIO_SPEC;

/// Apply one step: a state step through the core's interpreter (checking a `set_weights` step's
/// `stored` rows), an epoch step run and checked against its `expect` and `derived_outputs`.
fn apply(
    subnet: &mut Subnet,
    step: &Value,
    si: usize,
    name: &str,
    history: &mut BTreeMap<usize, AfterEpoch>,
    out: &mut Outcomes,
) -> Result<()> {
    match step.get("op").and_then(Value::as_str).unwrap_or("") {
        "epoch" => {
            let result = run_epoch_step(subnet, step)?;
            let snap = AfterEpoch {
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
        "set_weights" => {
            scenario::apply(subnet, step)?;
            if let Some(stored) = step.get("stored") {
                let want = scenario::row(stored)?;
                let mech = scenario::mechanism(step)?;
                for uid in scenario::uid_list(step, "uid")? {
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
        _ => scenario::apply(subnet, step)?,
    }
    Ok(())
}

/// Run the `epoch` step as the entry point it names (with the trace when an expectation reads it).
fn run_epoch_step(subnet: &mut Subnet, step: &Value) -> Result<EpochRun> {
    let epoch = EpochStep::begin(subnet, step)?;
    let trace = step
        .get("expect")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|e| e.get("what").and_then(Value::as_str) == Some("trace"))
        });
    epoch.run(subnet, trace)
}
