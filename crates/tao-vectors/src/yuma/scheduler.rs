//! `yuma-vectors/scheduler/v1` (epoch trigger) and `yuma-vectors/validation/v1`
//! (hyperparameter checks).

use crate::json::{as_u64, get, u64_of};
use crate::Outcomes;
use serde_json::{json, Value};
use tao_engine::consensus::hyperparams::{self, chain_error_name, Origin};
use tao_engine::consensus::schedule::{legacy_blocks_until_next_epoch, EpochSchedule};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::fixed::{u16_proportion_to_fixed, I32F32};

fn u16_of(v: &Value, k: &str) -> Result<u16> {
    u16::try_from(u64_of(v, k)?).map_err(|_| Error::field(ErrorCode::TooLarge, k, "not a u16"))
}

/// `"u64::MAX"` or a number.
fn expected_u64(v: &Value) -> Option<u64> {
    match v.as_str() {
        Some("u64::MAX") => Some(u64::MAX),
        _ => as_u64(v),
    }
}

/// Run a scheduler file: the legacy formula table, or a block-by-block stateful simulation.
pub fn run_scheduler(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("scheduler");
    if let Some(cases) = doc.get("cases").and_then(Value::as_array) {
        for (i, case) in cases.iter().enumerate() {
            let name = format!("{id}#{i}");
            out.guard(&name, |out| {
                let inp = get(case, "inputs")?;
                let got = legacy_blocks_until_next_epoch(
                    u16_of(inp, "netuid")?,
                    u16_of(inp, "tempo")?,
                    u64_of(inp, "block")?,
                );
                let want = get(case, "expected")?;
                out.record(
                    &name,
                    "blocks_until_next_epoch",
                    expected_u64(want) == Some(got),
                    want,
                    got,
                );
                Ok(())
            });
        }
        return Ok(());
    }
    out.guard(id, |out| simulate(doc, id, out));
    Ok(())
}

fn simulate(doc: &Value, id: &str, out: &mut Outcomes) -> Result<()> {
    let inp = get(doc, "inputs")?;
    let netuid = u16_of(inp, "netuid")?;
    let tempo = u16_of(inp, "tempo")?;
    let added = inp
        .get("network_added_at_block")
        .and_then(as_u64)
        .unwrap_or(0);
    let mut s = EpochSchedule::new_subnet(netuid, tempo, added);
    if let Some(l) = inp.get("initial_last_epoch_block").and_then(as_u64) {
        s.last_epoch_block = l;
    }
    let mut block = added;
    for (k, check) in doc
        .get("checks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let target = check
            .get("after_block")
            .or_else(|| check.get("at_block"))
            .and_then(as_u64)
            .unwrap_or(block);
        while block < target {
            block += 1;
            s.on_block(tempo, block, false, true);
        }
        let name = format!("{id} check {k} block {target}");
        let Some(exp) = check.get("expect").and_then(Value::as_object) else {
            out.fail(&name, "expect", "missing");
            continue;
        };
        for (key, want) in exp {
            let got = match key.as_str() {
                "blocks_since_last_step" => json!(s.blocks_since_last_step),
                "last_epoch_block" => json!(s.last_epoch_block),
                "pending_epoch_at" => json!(s.pending_epoch_at),
                "epoch_index" => json!(s.epoch_index),
                "blocks_until_next_auto_epoch" => {
                    json!(s.blocks_until_next_auto_epoch(tempo, block))
                }
                "should_run_epoch" => json!(s.should_run_epoch(tempo, block)),
                "next_epoch_block" => json!(s.next_epoch_block(tempo)),
                other => {
                    out.fail(&name, other, "unknown scheduler quantity");
                    continue;
                }
            };
            let ok = match (expected_u64(want), got.as_u64()) {
                (Some(w), Some(g)) => w == g,
                _ => &got == want,
            };
            out.record(&name, key, ok, want, &got);
        }
    }
    Ok(())
}

/// Run a validation file: each case's chain result (`"Ok"` / `"Err(Name)"`) and follow-up reads.
pub fn run_validation(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("validation");
    let function = doc.get("function").and_then(Value::as_str).unwrap_or("");
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, case) in cases.iter().enumerate() {
        let name = format!("{id}#{i}");
        out.guard(&name, |out| validation_case(function, case, &name, out));
    }
    Ok(())
}

fn origin_of(inp: &Value) -> Origin {
    match inp.get("origin").and_then(Value::as_str) {
        Some("root") => Origin::Root,
        _ => Origin::Owner,
    }
}

fn validation_case(function: &str, case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    let inp = get(case, "inputs")?;
    let f = case
        .get("function")
        .and_then(Value::as_str)
        .unwrap_or(function);
    let f = f.split('(').next().unwrap_or(f).trim();
    let flag = |k: &str| inp.get(k).and_then(Value::as_bool).unwrap_or(false);
    let result = match f {
        "do_set_alpha_values" => hyperparams::validate_alpha_values(
            flag("liquid_alpha_enabled"),
            u16_of(inp, "alpha_low")?,
            u16_of(inp, "alpha_high")?,
        ),
        "sudo_set_tempo" | "set_tempo" => {
            hyperparams::validate_tempo(origin_of(inp), u16_of(inp, "tempo")?)
        }
        "sudo_set_activity_cutoff_factor" => hyperparams::validate_activity_cutoff_factor(
            u32::try_from(u64_of(inp, "factor_milli")?).unwrap_or(u32::MAX),
        ),
        "sudo_set_bonds_moving_average" => hyperparams::validate_bonds_moving_average(
            origin_of(inp),
            u64_of(inp, "bonds_moving_average")?,
        ),
        "sudo_set_alpha_sigmoid_steepness" => hyperparams::validate_alpha_sigmoid_steepness(
            origin_of(inp),
            get(inp, "steepness")?
                .as_i64()
                .and_then(|v| i16::try_from(v).ok())
                .unwrap_or(i16::MIN),
        ),
        other => {
            out.fail(
                name,
                "function",
                format!("no validation handler for {other:?}"),
            );
            return Ok(());
        }
    };
    let want = get(case, "expected")?.as_str().unwrap_or("");
    let got = match &result {
        Ok(()) => "Ok".to_string(),
        Err(e) => format!("Err({})", chain_error_name(e)),
    };
    out.record(name, "result", got == want, want, &got);
    if let (Ok(()), Some(then)) = (&result, case.get("then")) {
        let (lo, hi) = (u16_of(inp, "alpha_low")?, u16_of(inp, "alpha_high")?);
        if let Some(v) = then.get("get_alpha_values") {
            out.record(
                name,
                "get_alpha_values",
                v == &json!([lo, hi]),
                v,
                json!([lo, hi]),
            );
        }
        if let Some(v) = then
            .get("get_alpha_values_32_approx")
            .and_then(Value::as_array)
        {
            let tol: f32 = then
                .get("tolerance_f32")
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0.0);
            let got = [u16_proportion_to_fixed(lo), u16_proportion_to_fixed(hi)];
            let ok = v.len() == 2
                && v.iter().zip(got).all(|(e, g): (&Value, I32F32)| {
                    let want = e.as_str().and_then(|s| {
                        let (a, b) = s.split_once('/')?;
                        Some(a.trim().parse::<f32>().ok()? / b.trim().parse::<f32>().ok()?)
                    });
                    want.is_some_and(|w| (g.to_num::<f32>() - w).abs() <= tol)
                });
            out.record(
                name,
                "get_alpha_values_32",
                ok,
                json!(v),
                format!("{got:?}"),
            );
        }
    }
    Ok(())
}
