//! `share-pool` and `stake-weight` cases: share accounting and inherited stake.

use super::*;
use tao_engine::stake::safe_float::SafeFloat;
use tao_engine::stake::share_pool::SharePool;
use tao_engine::stake::weight::{inherited_stake, Link};

// ---------------------------------------------------------------------------------------------
// share-pool

/// An integer written plainly or in scientific form with an optional sign ("+1e15", "-5e8").
fn parse_sci_i64(s: &str) -> Option<i64> {
    let t = s.trim().replace('_', "");
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t.trim_start_matches('+').to_string()),
    };
    let v: i128 = match body.split_once(['e', 'E']) {
        Some((m, e)) => {
            let m: i128 = m.parse().ok()?;
            let e: u32 = e.parse().ok()?;
            m.checked_mul(10i128.checked_pow(e)?)?
        }
        None => body.parse().ok()?,
    };
    i64::try_from(if neg { -v } else { v }).ok()
}

/// One share-pool operation: `one(key, delta)` or `all(delta)`.
enum PoolOp {
    One(String, i64),
    All(i64),
}

/// Parse `"one(1,+1); all(+1e15); 1000 x [one(1,-5e8); one(2,-5e8)]"` into a flat list.
fn parse_pool_ops(s: &str) -> Option<Vec<PoolOp>> {
    let mut ops = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([';', ' ']);
        if rest.is_empty() {
            break;
        }
        // "N x [ ... ]"
        if let Some((count, tail)) = rest.split_once(" x [") {
            if count.trim().chars().all(|c| c.is_ascii_digit() || c == '_') {
                let n: usize = count.trim().replace('_', "").parse().ok()?;
                let close = tail.find(']')?;
                let inner = parse_pool_ops(tail.get(..close)?)?;
                for _ in 0..n {
                    for op in &inner {
                        ops.push(match op {
                            PoolOp::One(k, d) => PoolOp::One(k.clone(), *d),
                            PoolOp::All(d) => PoolOp::All(*d),
                        });
                    }
                }
                rest = tail.get(close + 1..)?;
                continue;
            }
        }
        let end = rest.find(';').unwrap_or(rest.len());
        let item = rest.get(..end)?.trim();
        let (name, args) = item.split_once('(')?;
        let args: Vec<&str> = args
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .collect();
        ops.push(match (name.trim(), args.as_slice()) {
            ("one", [k, d]) => PoolOp::One((*k).to_string(), parse_sci_i64(d)?),
            ("all", [d]) => PoolOp::All(parse_sci_i64(d)?),
            _ => return None,
        });
        rest = rest.get(end..)?;
    }
    Some(ops)
}

fn ops_from_json(v: &Value) -> Option<Vec<PoolOp>> {
    match v {
        Value::String(s) => parse_pool_ops(s),
        Value::Array(items) => items
            .iter()
            .map(|it| {
                let a = it.as_array()?;
                let name = a.first()?.as_str()?;
                let num = |v: &Value| match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => parse_sci_i64(s),
                    _ => None,
                };
                let key = |v: &Value| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match (name, a.len()) {
                    ("one", 3) => Some(PoolOp::One(key(a.get(1)?), num(a.get(2)?)?)),
                    ("all", 2) => Some(PoolOp::All(num(a.get(1)?)?)),
                    _ => None,
                }
            })
            .collect(),
        _ => None,
    }
}

fn check_value_map(
    c: &Ctx,
    out: &mut Outcomes,
    key: &str,
    value_of: impl Fn(&str) -> Option<u128>,
) {
    let Some(exp) = c.expected.get(key).and_then(Value::as_object) else {
        return;
    };
    let mut passed = true;
    let mut got = Vec::new();
    for (k, v) in exp {
        let a = value_of(k);
        got.push(format!("{k}: {}", a.map_or("-".into(), |x| x.to_string())));
        passed &= a.is_some_and(|a| c.compare(key, v, &Actual::Int(a), false));
    }
    out.record(
        c.name,
        key,
        passed,
        Value::Object(exp.clone()).to_string(),
        got.join(", "),
    );
}

pub(super) fn share_pool_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    if super::share_pool_cap::is_later_case(inputs) {
        return super::share_pool_cap::later_case(c, inputs, out);
    }
    if let (Some(m), Some(e)) = (
        inputs.get("mantissa").and_then(value_u128),
        inputs.get("exponent").and_then(Value::as_i64),
    ) {
        let f = SafeFloat::new(m, e);
        for (key, _) in c.fields() {
            let actual = match (&f, key.as_str()) {
                (None, _) => Actual::Err("None".into()),
                (Some(f), "mantissa") => Actual::Int(f.mantissa()),
                (Some(f), "exponent") => Actual::Real(f.exponent() as f64),
                _ => continue,
            };
            c.check(out, key, &actual);
        }
        return Ok(());
    }
    // A list of `[mantissa, exponent]` pairs to normalise, expected as a list of pairs.
    let pairs = |v: &Value| -> Option<Vec<(i128, i128)>> {
        let num = |x: &Value| match x {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from)),
            Value::String(t) => t.trim().parse::<i128>().ok(),
            _ => None,
        };
        v.as_array()?
            .iter()
            .map(|p| match p.as_array()?.as_slice() {
                [m, e] => Some((num(m)?, num(e)?)),
                _ => None,
            })
            .collect()
    };
    if let Some(list) = inputs
        .values()
        .find_map(|v| pairs(v).filter(|l| !l.is_empty()))
    {
        let got: Vec<String> = list
            .iter()
            .map(|&(m, e)| {
                let f = u128::try_from(m).ok().zip(i64::try_from(e).ok());
                match f.and_then(|(m, e)| SafeFloat::new(m, e)) {
                    Some(f) => format!("[{}, {}]", f.mantissa(), f.exponent()),
                    None => "None".to_string(),
                }
            })
            .collect();
        for (key, exp) in c.fields() {
            let want: Vec<String> = pairs(exp)
                .map(|l| l.iter().map(|(m, e)| format!("[{m}, {e}]")).collect())
                .unwrap_or_default();
            out.record(c.name, key, want == got, want.join(", "), got.join(", "));
        }
        return Ok(());
    }
    let mut pool: SharePool<String> = SharePool::new();
    if let Some(ops) = inputs.get("ops") {
        let ops = ops_from_json(ops).ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidType,
                "inputs.ops",
                "unreadable operations",
            )
        })?;
        for op in ops {
            match op {
                PoolOp::One(k, d) => pool.update_value_for_one(&k, d),
                PoolOp::All(d) => pool.update_value_for_all(d),
            }
        }
    } else {
        pool.shared_value = opt_u64(inputs, "shared_value").unwrap_or(0);
        pool.denominator = SafeFloat::from_u64(opt_u64(inputs, "denominator").unwrap_or(0));
        if let Some(sh) = inputs.get("shares").and_then(Value::as_object) {
            for (k, v) in sh {
                pool.shares
                    .insert(k.clone(), SafeFloat::from_u64(value_u64(v).unwrap_or(0)));
            }
        }
    }
    for (key, _) in c.fields() {
        match key.as_str() {
            "value" => check_value_map(c, out, key, |k| {
                Some(u128::from(pool.value(&k.to_string())))
            }),
            "shared_value" => c.check(out, key, &Actual::Int(u128::from(pool.shared_value))),
            _ => out.fail(c.name, key, "field not produced by the share pool"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// stake-weight

pub(super) fn stake_weight_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    // parents: "parent_alpha" or "parent1_alpha", "parent2_alpha", ...; one child with
    // "child_alpha" (default 0); proportion "child_proportion_u64" or "..._each" or per parent.
    let mut parents: Vec<(String, u64, u64)> = Vec::new();
    let shared_q = opt_u64(inputs, "child_proportion_u64")
        .or_else(|| opt_u64(inputs, "child_proportion_u64_each"));
    for (k, v) in inputs {
        if let Some(id) = k
            .strip_prefix("parent")
            .and_then(|r| r.strip_suffix("_alpha"))
        {
            let stake = value_u64(v).unwrap_or(0);
            let q = opt_u64(inputs, &format!("parent{id}_proportion_u64"))
                .or(shared_q)
                .unwrap_or(0);
            parents.push((format!("parent{id}"), stake, q));
        }
    }
    let child_own = opt_u64(inputs, "child_alpha").unwrap_or(0);
    let is_root = inputs.get("netuid").and_then(Value::as_u64) == Some(0);
    let links: Vec<Link> = parents
        .iter()
        .map(|(_, s, q)| Link {
            proportion: *q,
            stake: *s,
        })
        .collect();
    for (key, _) in c.fields() {
        let v = if key == "child" {
            inherited_stake(child_own, &[], &links, is_root)
        } else if let Some((_, s, q)) = parents.iter().find(|(n, _, _)| n == key) {
            inherited_stake(
                *s,
                &[Link {
                    proportion: *q,
                    stake: 0,
                }],
                &[],
                is_root,
            )
        } else {
            out.fail(c.name, key, "unknown hotkey in expectation");
            continue;
        };
        c.check(out, key, &Actual::Int(u128::from(v)));
    }
    Ok(())
}
