//! Comparing a case's `expected` (and `derived`) against computed values under its `assertion`.
//!
//! One outcome per top-level expected key (a map or list of values is one group that passes only
//! if every entry does). `exact` compares exactly (integers as integers), `abs` / `rel` use the
//! case's epsilon (per field when `epsilon` is an object; the longest key that the field name
//! contains wins; an epsilon may itself be a formula such as `"cap/1000"`), and `predicate`
//! accepts conditions like `"< 1e-6"` and plain values within 1e-9.

use super::expr::{eval_fixed, predicate, target, Vars};
use crate::Outcomes;
use serde_json::Value;
use substrate_fixed::types::U96F32;

/// A computed value: its f64 view and, for integer amounts, the exact integer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Actual {
    /// Value as f64.
    pub f: f64,
    /// Exact integer, when the quantity is an integer amount.
    pub int: Option<u128>,
    /// Exact U96F32 value, when the quantity is a chain fixed-point value.
    pub fixed: Option<U96F32>,
}

impl Actual {
    /// An integer amount.
    pub fn int(v: u128) -> Self {
        Actual {
            f: v as f64,
            int: Some(v),
            fixed: None,
        }
    }

    /// A U96F32 value.
    pub fn fixed(v: U96F32) -> Self {
        Actual {
            f: v.to_num::<f64>(),
            int: None,
            fixed: Some(v),
        }
    }

    /// A fractional value.
    pub fn real(f: f64) -> Self {
        Actual {
            f,
            int: None,
            fixed: None,
        }
    }
}

impl core::fmt::Display for Actual {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.int {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.f),
        }
    }
}

/// The assertion of a case.
#[derive(Debug, Clone)]
pub struct Assertion {
    kind: String,
    epsilon: Option<Value>,
}

impl Assertion {
    /// Read `case["assertion"]` (missing → exact).
    pub fn of(case: &Value) -> Self {
        let a = case.get("assertion");
        Assertion {
            kind: a
                .and_then(|a| a.get("kind"))
                .and_then(Value::as_str)
                .unwrap_or("exact")
                .to_string(),
            epsilon: a.and_then(|a| a.get("epsilon")).cloned(),
        }
    }

    fn epsilon_text(&self, field: &str) -> Option<String> {
        match self.epsilon.as_ref()? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Object(m) => {
                let key = m
                    .keys()
                    .filter(|k| field == k.as_str() || field.contains(k.as_str()))
                    .max_by_key(|k| k.len())?;
                m.get(key).map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            }
            _ => None,
        }
    }

    /// Whether `actual` matches the expected text `expected` for `field`.
    pub fn matches(
        &self,
        field: &str,
        expected: &str,
        actual: Actual,
        vars: &Vars,
    ) -> Result<bool, String> {
        if let Some(p) = predicate(expected, vars) {
            return Ok(p.holds(actual.f));
        }
        let t = target(expected, vars)
            .ok_or_else(|| format!("cannot evaluate expectation {expected:?}"))?;
        match self.kind.as_str() {
            "exact" => {
                // A formula over fixed-point values is re-evaluated in U96F32, as the upstream
                // test computes it; integers compare as integers.
                if let (Some(a), true, false) =
                    (actual.fixed, vars.has_fixed(), is_plain_number(expected))
                {
                    if let Some(e) = eval_fixed(expected, vars) {
                        return Ok(a == e);
                    }
                }
                Ok(match (actual.int, exact_int(expected)) {
                    (Some(a), Some(e)) => a == e,
                    _ => actual.f == t,
                })
            }
            "abs" => {
                let eps = self.eps_value(field, vars)?;
                Ok((actual.f - t).abs() <= eps)
            }
            "rel" => {
                let text = self.epsilon_text(field).unwrap_or_default();
                let (rel, zero_abs) = parse_rel(&text);
                if t == 0.0 {
                    Ok(actual.f.abs() <= zero_abs.unwrap_or(1e-9))
                } else {
                    Ok((actual.f - t).abs() <= rel * t.abs())
                }
            }
            _ => Ok((actual.f - t).abs() <= 1e-9_f64.max(1e-9 * t.abs())),
        }
    }

    fn eps_value(&self, field: &str, vars: &Vars) -> Result<f64, String> {
        let text = self
            .epsilon_text(field)
            .ok_or_else(|| format!("no epsilon for {field}"))?;
        target(&text, vars).ok_or_else(|| format!("cannot evaluate epsilon {text:?}"))
    }

    /// The `sum within X of 1` part of a relative epsilon, if any.
    pub fn sum_tolerance(&self) -> Option<f64> {
        let text = self.epsilon_text("sum")?;
        let pos = text.find("sum within")?;
        super::expr::eval_prefix(text.get(pos + "sum within".len()..)?, &Vars::new())
    }
}

/// `"1% per value; …"` → 0.01; `"(0 within 1e-9)"` → zero tolerance 1e-9.
fn parse_rel(text: &str) -> (f64, Option<f64>) {
    let no_vars = Vars::new();
    let rel = text
        .find('%')
        .and_then(|p| super::expr::eval_prefix(text.get(..p)?.trim(), &no_vars))
        .map(|v| v / 100.0)
        .or_else(|| super::expr::eval_prefix(text, &no_vars))
        .unwrap_or(0.0);
    let zero = text
        .find("0 within")
        .and_then(|p| super::expr::eval_prefix(text.get(p + "0 within".len()..)?, &no_vars));
    (rel, zero)
}

fn is_plain_number(s: &str) -> bool {
    s.trim().parse::<f64>().is_ok()
}

/// The expected text as an exact integer, when it is a plain integer literal.
fn exact_int(s: &str) -> Option<u128> {
    let t = s.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '_') {
        t.replace('_', "").parse().ok()
    } else {
        None
    }
}

/// The text of a JSON scalar.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Check one top-level expected key. `actual(None)` gives a scalar; `actual(Some(k))` the entry
/// `k` of a map (or the index `k` of a list).
pub fn check_group(
    out: &mut Outcomes,
    case: &str,
    field: &str,
    expected: &Value,
    assertion: &Assertion,
    vars: &Vars,
    actual: &dyn Fn(Option<&str>) -> Option<Actual>,
) {
    let entries: Vec<(Option<String>, &Value)> = match expected {
        Value::Object(m) => m.iter().map(|(k, v)| (Some(k.clone()), v)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (Some(i.to_string()), v))
            .collect(),
        other => vec![(None, other)],
    };
    let mut ok = true;
    let mut exp_parts = Vec::new();
    let mut act_parts = Vec::new();
    for (key, value) in entries {
        let label = key.clone().map_or_else(String::new, |k| format!("{k}: "));
        let Some(exp_text) = text(value) else {
            ok = false;
            exp_parts.push(format!("{label}{value}"));
            act_parts.push(format!("{label}(unsupported expected shape)"));
            continue;
        };
        exp_parts.push(format!("{label}{exp_text}"));
        match actual(key.as_deref()) {
            None => {
                ok = false;
                act_parts.push(format!("{label}(not computed)"));
            }
            Some(a) => {
                act_parts.push(format!("{label}{a}"));
                match assertion.matches(field, &exp_text, a, vars) {
                    Ok(true) => {}
                    Ok(false) => ok = false,
                    Err(e) => {
                        ok = false;
                        act_parts.push(e);
                    }
                }
            }
        }
    }
    out.record(case, field, ok, exp_parts.join(", "), act_parts.join(", "));
}

/// Compare a derived value exactly: `*_bits` as integers, decimals as the f64 they print as, and
/// formula strings (`… = 0.51233`) to the digits given.
pub fn check_derived(
    out: &mut Outcomes,
    case: &str,
    key: &str,
    expected: &Value,
    actual: Option<Actual>,
) {
    let field = format!("derived.{key}");
    let Some(exp) = text(expected) else {
        out.fail(case, &field, "unsupported derived shape");
        return;
    };
    let Some(a) = actual else {
        out.record(case, &field, false, &exp, "(not computed)");
        return;
    };
    let ok = if key.ends_with("_bits") {
        exp.trim().parse::<u128>().ok() == a.int
    } else if exp.contains('=') {
        let last = exp.rsplit('=').next().unwrap_or("").trim().to_string();
        let decimals = last.split('.').nth(1).map_or(0, |d| d.len());
        let scale = 10f64.powi(i32::try_from(decimals).unwrap_or(0));
        last.parse::<f64>()
            .is_ok_and(|v| ((a.f * scale).round() - (v * scale).round()).abs() < 0.5)
    } else {
        exp.trim().parse::<f64>().is_ok_and(|v| v == a.f)
    };
    out.record(case, &field, ok, exp, a);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assertion(v: serde_json::Value) -> Assertion {
        Assertion::of(&serde_json::json!({ "assertion": v }))
    }

    #[test]
    fn exact_integers_and_formulas() {
        let a = assertion(serde_json::json!({"kind": "exact"}));
        let vars = Vars::new();
        assert_eq!(
            a.matches(
                "x",
                "21000000000000001",
                Actual::int(21_000_000_000_000_001),
                &vars
            ),
            Ok(true)
        );
        assert_eq!(
            a.matches(
                "x",
                "21000000000000000",
                Actual::int(21_000_000_000_000_001),
                &vars
            ),
            Ok(false)
        );
        let mut fixed = Vars::new();
        fixed.insert_fixed("p", U96F32::from_num(0.25));
        fixed.insert_fixed("e", U96F32::from_num(1_000_000_000));
        let exact = U96F32::from_num(250_000_000);
        assert_eq!(
            a.matches("x", "p*e", Actual::fixed(exact), &fixed),
            Ok(true)
        );
        assert_eq!(
            a.matches(
                "x",
                "p*e",
                Actual::fixed(exact.saturating_add(U96F32::from_bits(1))),
                &fixed
            ),
            Ok(false)
        );
    }

    #[test]
    fn per_field_epsilon_and_relative() {
        let a = assertion(
            serde_json::json!({"kind": "abs", "epsilon": {"owner_alpha": "100", "rate": "0.001"}}),
        );
        let vars = Vars::new();
        assert_eq!(
            a.matches(
                "owner_alpha_after_round1",
                "10180000",
                Actual::int(10_179_950),
                &vars
            ),
            Ok(true)
        );
        assert_eq!(
            a.matches(
                "owner_alpha_after_round1",
                "10180000",
                Actual::int(10_179_800),
                &vars
            ),
            Ok(false)
        );
        assert_eq!(
            a.matches(
                "root_claimable_rate_round1",
                "0.41",
                Actual::real(0.4105),
                &vars
            ),
            Ok(true)
        );
        assert!(a
            .matches("unknown_field", "1", Actual::int(1), &vars)
            .is_err());
        let r = assertion(serde_json::json!({"kind": "rel", "epsilon": "1% (0 within 1e-9)"}));
        assert_eq!(
            r.matches("share", "0.75", Actual::real(0.7549), &vars),
            Ok(true)
        );
        assert_eq!(
            r.matches("share", "0.75", Actual::real(0.76), &vars),
            Ok(false)
        );
        assert_eq!(
            r.matches("share", "0", Actual::real(1e-10), &vars),
            Ok(true)
        );
        let p = assertion(serde_json::json!({"kind": "predicate"}));
        assert_eq!(
            p.matches("share", "< 1e-6", Actual::real(2e-6), &vars),
            Ok(false)
        );
    }
}
