//! Evaluation of an epoch step's `expect` entries and `derived_outputs` groups.

use super::num::{self, Literal};
use crate::json::as_u64;
use crate::Outcomes;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tao_engine::consensus::epoch_scenario::EpochRun;
use tao_engine::consensus::{EpochOutput, Subnet};
use tao_engine::fixed::{u16_proportion_to_fixed, I32F32, U64F64};

/// State right after an epoch step (for `ge_step` / `le_step`).
#[derive(Debug, Clone)]
pub struct AfterEpoch {
    /// Subnet state after persistence.
    pub subnet: Subnet,
    /// The epoch's result.
    pub result: EpochRun,
}

impl AfterEpoch {
    fn mech(&self, m: usize) -> Option<&tao_engine::consensus::MechanismState> {
        self.subnet.mechanisms.get(m)
    }

    fn mech_output(&self, m: usize) -> Option<&EpochOutput> {
        self.result
            .mechanisms
            .iter()
            .find(|(id, _)| *id == m)
            .map(|(_, o)| o)
    }
}

fn at<T: Copy + Into<Value>>(v: &[T], i: usize) -> Value {
    v.get(i).map_or(Value::Null, |x| (*x).into())
}

/// The per-uid field of an epoch output that a `what` names.
fn output_field(o: &EpochOutput, what: &str, i: usize) -> Value {
    match what {
        "incentive" => at(&o.incentive, i),
        "dividend" => at(&o.dividends, i),
        "consensus" => at(&o.consensus, i),
        "validator_trust" => at(&o.validator_trust, i),
        "stake_weight" => at(&o.stake_weight, i),
        "emission" => at(&o.emission, i),
        "server_emission" | "mech_server_emission" => at(&o.server_emission, i),
        "validator_emission" | "mech_validator_emission" => at(&o.validator_emission, i),
        "active" => at(&o.active, i),
        "validator_permit" => at(&o.validator_permit, i),
        _ => Value::Null,
    }
}

/// The quantity an expectation reads.
fn quantity(s: &AfterEpoch, e: &Value, index: &[usize]) -> Value {
    let what = e.get("what").and_then(Value::as_str).unwrap_or("");
    let mech = e
        .get("mechanism")
        .and_then(as_u64)
        .map_or(0, |m| m as usize);
    let i = index.first().copied().unwrap_or(0);
    let sn = &s.subnet;
    match what {
        "incentive" => s.mech(mech).map_or(Value::Null, |m| at(&m.incentive, i)),
        "incentive_vector" => s.mech(mech).map_or(Value::Null, |m| json!(m.incentive)),
        "dividend" => at(&sn.dividends, i),
        "consensus" => at(&sn.consensus, i),
        "validator_trust" => at(&sn.validator_trust, i),
        "stake_weight" => at(&sn.stake_weight, i),
        "emission" => at(&sn.emission, i),
        "validator_permit" => at(&sn.validator_permit, i),
        "active" => at(&sn.active, i),
        "bond" => {
            let j = index.get(1).copied().unwrap_or(0);
            let row = s.mech(mech).and_then(|m| m.bonds.get(i));
            json!(row
                .and_then(|r| r.iter().find(|e| usize::from(e.0) == j))
                .map_or(0, |e| e.1))
        }
        "bond_row" => s
            .mech(mech)
            .and_then(|m| m.bonds.get(i))
            .map_or(Value::Null, |r| json!(r)),
        "server_emission" | "validator_emission" => output_field(&s.result.output, what, i),
        "mech_server_emission" | "mech_validator_emission" => s
            .mech_output(mech)
            .map_or(Value::Null, |o| output_field(o, what, i)),
        "sum_server_plus_validator_emission" => json!(s.result.output.total_emission()),
        "rank" | "trust" => json!(0),
        "trace" => {
            let name = e.get("name").and_then(Value::as_str).unwrap_or("");
            s.result
                .output
                .trace
                .as_ref()
                .and_then(|t| t.render(name))
                .map_or(Value::Null, Value::String)
        }
        _ => Value::Null,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::String(s) => s.parse().ok(),
        _ => v.as_f64(),
    }
}

fn as_i128(v: &Value) -> Option<i128> {
    match v {
        Value::Bool(b) => Some(i128::from(*b)),
        _ => crate::json::as_u128(v)
            .and_then(|x| i128::try_from(x).ok())
            .or_else(|| v.as_i64().map(i128::from)),
    }
}

/// Per-mechanism values of the expectation's quantity at `i`, with each mechanism's emission.
fn per_mechanism(s: &AfterEpoch, what: &str, i: usize) -> Vec<(Value, u64, usize)> {
    s.result
        .mechanisms
        .iter()
        .map(|(m, o)| {
            (
                output_field(o, what, i),
                s.result.emissions.get(*m).copied().unwrap_or(0),
                *m,
            )
        })
        .collect()
}

/// Evaluate one (expanded) expectation. `Ok(())` on success, `Err(why)` otherwise.
fn evaluate(
    s: &AfterEpoch,
    e: &Value,
    index: &[usize],
    history: &BTreeMap<usize, AfterEpoch>,
) -> Result<(), String> {
    let actual = quantity(s, e, index);
    let value = e.get("value").cloned().unwrap_or(Value::Null);
    let cmp = e.get("cmp").and_then(Value::as_str).unwrap_or("eq");
    let eps_int = e.get("epsilon").and_then(as_i128).unwrap_or(0);
    let fail = |want: String| Err(format!("want {want}, got {actual}"));
    if actual.is_null() {
        return fail(format!("{cmp} {value} (quantity unavailable)"));
    }
    let what = e.get("what").and_then(Value::as_str).unwrap_or("");
    let i = index.first().copied().unwrap_or(0);
    let ok = match cmp {
        "eq" => values_equal(&actual, &value),
        "gt" => matches!((as_i128(&actual), as_i128(&value)), (Some(a), Some(v)) if a > v),
        "abs_diff_le" => {
            matches!((as_i128(&actual), as_i128(&value)), (Some(a), Some(v)) if (a - v).abs() <= eps_int)
        }
        "approx_u16_proportion" => {
            let a = as_u64(&actual)
                .and_then(|x| u16::try_from(x).ok())
                .map(u16_proportion_to_fixed);
            let v = as_f64(&value).and_then(|x| I32F32::checked_from_num(x as f32));
            let eps = e
                .get("epsilon")
                .and_then(|x| num::fixed(x, Literal::F64).ok())
                .unwrap_or(I32F32::from_bits(0));
            matches!((a, v), (Some(a), Some(v)) if a.saturating_sub(v).saturating_abs() <= eps)
        }
        "starts_with" => {
            matches!((&actual, &value), (Value::String(a), Value::String(v)) if a.starts_with(v.as_str()))
        }
        "eq_index" => {
            let other: Vec<usize> =
                e.get("other_index")
                    .and_then(Value::as_array)
                    .map_or(Vec::new(), |a| {
                        a.iter()
                            .filter_map(|x| x.as_u64().map(|x| x as usize))
                            .collect()
                    });
            let o = quantity(s, e, &other);
            if !values_equal(&actual, &o) {
                return fail(format!("{o} (index {other:?})"));
            }
            true
        }
        "ge_step" | "le_step" => {
            let rs = e.get("ref_step").and_then(as_u64).map(|x| x as usize);
            let Some(prev) = rs.and_then(|r| history.get(&r)) else {
                return fail(format!("{cmp} step {rs:?} (no such epoch step)"));
            };
            let p = quantity(prev, e, index);
            let (a, b) = (as_i128(&actual), as_i128(&p));
            let ok = matches!((a, b), (Some(a), Some(b)) if if cmp == "ge_step" { a >= b } else { a <= b });
            if !ok {
                return fail(format!("{cmp} {p}"));
            }
            true
        }
        "mech_sum" => {
            let sum: i128 = per_mechanism(s, what, i)
                .iter()
                .filter_map(|(v, _, _)| as_i128(v))
                .sum();
            if !matches!(as_i128(&actual), Some(a) if (a - sum).abs() <= eps_int) {
                return fail(format!("Σ mechanisms = {sum}"));
            }
            true
        }
        "mech_weighted" => {
            let mut acc: u64 = 0;
            for (v, em, m) in per_mechanism(s, what, i) {
                let w = tao_engine::consensus::mechanism::mechanism_weight(m, em, s.result.total);
                let x = U64F64::saturating_from_num(as_u64(&v).unwrap_or(0));
                acc = U64F64::saturating_from_num(acc)
                    .saturating_add(x.saturating_mul(w))
                    .saturating_to_num::<u64>();
                if what != "emission" {
                    acc = acc.min(u64::from(u16::MAX));
                }
            }
            if !matches!(as_i128(&actual), Some(a) if (a - i128::from(acc)).abs() <= eps_int) {
                return fail(format!("weighted Σ = {acc}"));
            }
            true
        }
        "mech_or" => {
            let any = per_mechanism(s, what, i)
                .iter()
                .any(|(v, _, _)| v.as_bool() == Some(true));
            if actual.as_bool() != Some(any) {
                return fail(format!("OR = {any}"));
            }
            true
        }
        other => return Err(format!("unknown cmp {other:?}")),
    };
    if ok {
        Ok(())
    } else {
        fail(format!("{cmp} {value}"))
    }
}

/// JSON equality with numbers compared by value.
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => match (as_i128(a), as_i128(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.as_f64() == b.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        _ => a == b,
    }
}

/// Check the `k`-th expectation (expanded over `for_uids`): one outcome.
pub fn check_expectation(
    s: &AfterEpoch,
    e: &Value,
    k: usize,
    history: &BTreeMap<usize, AfterEpoch>,
    name: &str,
    out: &mut Outcomes,
) {
    let what = e.get("what").and_then(Value::as_str).unwrap_or("?");
    let label = match e.get("name").and_then(Value::as_str) {
        Some(n) => format!("expect[{k}] {what} {n:?}"),
        None => format!(
            "expect[{k}] {what} {}",
            e.get("index").map_or(String::new(), |i| i.to_string())
        ),
    };
    let raw_index: Vec<Value> = e
        .get("index")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let uids: Vec<Option<usize>> = match e.get("for_uids").and_then(Value::as_array) {
        Some(us) => us.iter().map(|u| u.as_u64().map(|x| x as usize)).collect(),
        None => vec![None],
    };
    let mut failures = Vec::new();
    for u in &uids {
        let index: Vec<usize> = raw_index
            .iter()
            .map(|x| match (x.as_str(), u) {
                (Some("u"), Some(u)) => *u,
                _ => x.as_u64().map_or(0, |v| v as usize),
            })
            .collect();
        if let Err(why) = evaluate(s, e, &index, history) {
            failures.push(format!("{index:?}: {why}"));
        }
    }
    let expected = format!(
        "{} {}",
        e.get("cmp").and_then(Value::as_str).unwrap_or("eq"),
        e.get("value").unwrap_or(&Value::Null)
    );
    let actual = if failures.is_empty() {
        "ok".to_string()
    } else {
        failures.join("; ")
    };
    out.record(name, &label, failures.is_empty(), expected, actual);
}

/// Check every field group of a `derived_outputs` block: one outcome each.
pub fn check_derived(s: &AfterEpoch, d: &Value, name: &str, out: &mut Outcomes) {
    let Some(groups) = d.as_object() else {
        out.fail(name, "derived_outputs", "not an object");
        return;
    };
    let sn = &s.subnet;
    let o = &s.result.output;
    for (group, want) in groups {
        let actual = match group.as_str() {
            "incentive" => sn
                .mechanisms
                .first()
                .map_or(Value::Null, |m| json!(m.incentive)),
            "dividends" => json!(sn.dividends),
            "consensus" => json!(sn.consensus),
            "validator_trust" => json!(sn.validator_trust),
            "stake_weight" => json!(sn.stake_weight),
            "emission" => json!(sn.emission),
            "validator_permit" => json!(sn.validator_permit),
            "active" => json!(sn.active),
            "server_emission" => json!(o.server_emission),
            "validator_emission" => json!(o.validator_emission),
            "bonds_nonzero" => sn.mechanisms.first().map_or(Value::Null, |m| {
                let rows: Vec<Vec<(u16, u16)>> = m
                    .bonds
                    .iter()
                    .map(|r| r.iter().copied().filter(|e| e.1 != 0).collect())
                    .collect();
                json!(rows)
            }),
            other => {
                out.fail(
                    name,
                    &format!("derived {other}"),
                    "unknown derived_outputs group",
                );
                continue;
            }
        };
        out.record(
            name,
            &format!("derived {group}"),
            values_equal(&actual, want),
            want,
            &actual,
        );
    }
}
