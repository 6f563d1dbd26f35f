//! `share-pool` cases of the later accounting (spec `pool-after-425.md` §5.1): the value cap of
//! release 458 and the closing/reopening rules ([`ShareRules::Closing`]).
//!
//! Recognised by shape: pool state written as SafeFloat objects (`{"mantissa", "exponent"}`) or
//! operations written as objects (`{"op", "key", "delta"}`). The base files (§13) write plain
//! integers and `one(…)` strings or arrays, and keep the legacy rules.

use super::*;
use tao_engine::stake::safe_float::SafeFloat;
use tao_engine::stake::share_pool::{SharePool, ShareRules};

const RULES: ShareRules = ShareRules::Closing;

fn safe_float(v: &Value) -> Option<SafeFloat> {
    match v {
        Value::Object(o) => {
            let m = o.get("mantissa").and_then(value_u128)?;
            let e = match o.get("exponent")? {
                Value::Number(n) => n.as_i64()?,
                Value::String(s) => s.trim().parse().ok()?,
                _ => return None,
            };
            SafeFloat::new(m, e)
        }
        other => value_u64(other).map(SafeFloat::from_u64),
    }
}

/// Whether the inputs use the later schema.
pub(super) fn is_later_case(inputs: &Map<String, Value>) -> bool {
    let object_ops = inputs
        .get("ops")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(Value::is_object));
    let object_state = inputs.get("denominator").is_some_and(Value::is_object)
        || inputs
            .get("shares")
            .and_then(Value::as_object)
            .is_some_and(|m| m.values().any(Value::is_object));
    object_ops || object_state
}

enum Op {
    One(String, i64),
    All(i64),
    /// `try_credit_sole_member(key, amount)`.
    CreditSole(String, i64),
    /// `credit_member(key, amount)`.
    Credit(String, i64),
}

fn parse_ops(v: Option<&Value>) -> Option<Vec<Op>> {
    let Some(items) = v else {
        return Some(Vec::new());
    };
    items
        .as_array()?
        .iter()
        .map(|it| {
            let delta = it.get("delta").and_then(|d| match d {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            })?;
            let key = || match it.get("key") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
                None => None,
            };
            match it.get("op")?.as_str()? {
                "one" => Some(Op::One(key()?, delta)),
                "all" => Some(Op::All(delta)),
                "credit_member" => Some(Op::Credit(key()?, delta)),
                "credit_sole" | "try_credit_sole_member" | "credit_sole_member" => {
                    Some(Op::CreditSole(key()?, delta))
                }
                _ => None,
            }
        })
        .collect()
}

/// One expected field about the pool state (or a nested snapshot object).
fn check_state(
    c: &Ctx,
    out: &mut Outcomes,
    label: &str,
    key: &str,
    exp: &Value,
    pool: &SharePool<String>,
) {
    let is_zero = |k: &str| pool.share(&k.to_string()).is_zero();
    let actual = if key == "value" {
        let Some(map) = exp.as_object() else {
            out.fail(c.name, label, "expected a map of values");
            return;
        };
        let mut passed = true;
        let mut got = Vec::new();
        for (k, v) in map {
            let a = pool.value_with(k, RULES);
            got.push(format!("{k}: {a}"));
            passed &= value_u64(v) == Some(a);
        }
        out.record(c.name, label, passed, exp.to_string(), got.join(", "));
        return;
    } else if key == "shared_value" {
        Actual::Int(u128::from(pool.shared_value))
    } else if key == "denominator_is_zero" {
        Actual::Bool(pool.denominator.is_zero())
    } else if let Some(k) = key
        .strip_prefix("share_")
        .and_then(|r| r.strip_suffix("_is_zero"))
    {
        Actual::Bool(is_zero(k))
    } else if let Some(k) = key.strip_prefix("denominator_equals_share_") {
        Actual::Bool(pool.share(&k.to_string()) == pool.denominator)
    } else if let Some(k) = key.strip_prefix("try_get_value_") {
        match pool.try_value_with(&k.to_string(), RULES) {
            Some(v) => Actual::Int(u128::from(v)),
            None => Actual::Err("no share entry".into()),
        }
    } else {
        out.fail(c.name, label, "field not produced by the share pool");
        return;
    };
    let passed = match (&actual, exp) {
        (Actual::Bool(g), Value::Bool(w)) => g == w,
        (Actual::Int(g), w) => value_u128(w) == Some(*g),
        _ => false,
    };
    out.record(c.name, label, passed, render(exp), actual.render());
}

pub(super) fn later_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let mut pool: SharePool<String> = SharePool::new();
    pool.shared_value = opt_u64(inputs, "shared_value").unwrap_or(0);
    if let Some(d) = inputs.get("denominator") {
        pool.denominator = safe_float(d).ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidType,
                "inputs.denominator",
                "not a SafeFloat",
            )
        })?;
    }
    if let Some(sh) = inputs.get("shares").and_then(Value::as_object) {
        for (k, v) in sh {
            let f = safe_float(v).ok_or_else(|| {
                Error::field(
                    ErrorCode::InvalidType,
                    format!("inputs.shares.{k}"),
                    "not a SafeFloat",
                )
            })?;
            pool.shares.insert(k.clone(), f);
        }
    }
    let ops = parse_ops(inputs.get("ops")).ok_or_else(|| {
        Error::field(
            ErrorCode::InvalidType,
            "inputs.ops",
            "unreadable operations",
        )
    })?;
    // Snapshots "after_op_N" (1-based) are checked right after operation N.
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::One(k, d) => pool.update_value_for_one_with(k, *d, RULES),
            Op::All(d) => pool.update_value_for_all(*d),
            Op::CreditSole(k, d) => {
                pool.try_credit_sole_member(k, d.unsigned_abs());
            }
            Op::Credit(k, d) => pool.credit_member(k, d.unsigned_abs(), RULES),
        }
        let label = format!("after_op_{}", i.saturating_add(1));
        if let Some(snap) = c.expected.get(&label) {
            match snap.as_object() {
                Some(m) => {
                    for (k, v) in m {
                        check_state(c, out, &format!("{label}.{k}"), k, v, &pool);
                    }
                }
                None => out.fail(c.name, &label, "expected an object"),
            }
        }
    }
    let query = inputs.get("value_from_shares_query").and_then(safe_float);
    for (key, exp) in c.fields() {
        if key.starts_with("after_op_") {
            let n: Option<usize> = key.strip_prefix("after_op_").and_then(|n| n.parse().ok());
            if n.is_none_or(|n| n == 0 || n > ops.len()) {
                out.fail(c.name, key, "no such operation");
            }
            continue;
        }
        if key == "value_from_shares" {
            match &query {
                Some(q) => {
                    let v = pool.value_of_shares_with(q, RULES);
                    c.check(out, key, &Actual::Int(u128::from(v)));
                }
                None => out.fail(c.name, key, "no value_from_shares_query input"),
            }
            continue;
        }
        check_state(c, out, key, key, exp, &pool);
    }
    Ok(())
}
