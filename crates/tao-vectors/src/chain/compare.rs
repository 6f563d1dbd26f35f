//! Comparing a rendered value with a fixture's `expected` / `derived` block: field lookup with
//! aliases, vector summaries, and one outcome per compared leaf.

use super::super::Outcomes;
use serde_json::{Map, Value};
use tao_engine::chain::render;
use tao_engine::chain::types::AccountId32;

/// Field names the fixtures use where the chain's differ (SDK names): `fixture -> chain`.
const FIELD_ALIASES: &[(&str, &str)] = &[("emission_value", "emission_values")];

/// Keys of `expected` that describe the source rather than the value.
const META_KEYS: &[&str] = &[
    "stated_by",
    "note",
    "assertions",
    "hex_equivalents_by_helper",
    "locator",
];

pub(super) fn as_int(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .map(i128::from)
            .or_else(|| n.as_i64().map(i128::from)),
        Value::String(s) => s.parse().ok(),
        Value::Bool(b) => Some(i128::from(*b)),
        _ => None,
    }
}

fn int_value(v: i128) -> Value {
    render::int(v)
}

fn sum_ints<'a>(items: impl Iterator<Item = &'a Value>) -> Option<i128> {
    let mut s = 0i128;
    for v in items {
        s = s.checked_add(as_int(v)?)?;
    }
    Some(s)
}

/// The amount of a `(account, amount)` pair, or the number itself.
fn amount_of(v: &Value) -> Option<i128> {
    match v {
        Value::Array(p) => p.get(1).and_then(as_int),
        other => as_int(other),
    }
}

/// Compute a summary or select an element of a rendered vector.
fn summarize(a: &[Value], key: &str) -> Option<Value> {
    let ints = || a.iter().map(as_int).collect::<Option<Vec<i128>>>();
    Some(match key {
        "len" | "outer_len" => Value::from(a.len()),
        "first" => a.first().cloned().unwrap_or(Value::Null),
        "last" => a.last().cloned().unwrap_or(Value::Null),
        "first5" => Value::Array(a.iter().take(5).cloned().collect()),
        "last5" => Value::Array(a.iter().skip(a.len().saturating_sub(5)).cloned().collect()),
        "sum" => int_value(sum_ints(a.iter())?),
        "min" => ints()?.into_iter().min().map_or(Value::Null, int_value),
        "max" => ints()?.into_iter().max().map_or(Value::Null, int_value),
        "count_true" => Value::from(a.iter().filter(|v| v.as_bool() == Some(true)).count()),
        "indices_true_first20" => Value::Array(
            a.iter()
                .enumerate()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .take(20)
                .map(|(i, _)| Value::from(i))
                .collect(),
        ),
        "count_some" => Value::from(a.iter().filter(|v| !v.is_null()).count()),
        "sum_amounts" => int_value(
            a.iter()
                .map(amount_of)
                .try_fold(0i128, |s, x| s.checked_add(x?))?,
        ),
        "inner_len" => {
            let lens: Vec<usize> = a.iter().map(|r| r.as_array().map_or(0, Vec::len)).collect();
            match lens.first() {
                Some(l) if lens.iter().all(|x| x == l) => Value::from(*l),
                Some(_) => Value::Array(lens.into_iter().map(Value::from).collect()),
                None => Value::Null,
            }
        }
        "total_sum" => int_value(
            a.iter()
                .map(|r| r.as_array().and_then(|r| sum_ints(r.iter())))
                .try_fold(0i128, |s, x| s.checked_add(x?))?,
        ),
        "row_sums_first5" => Value::Array(
            a.iter()
                .take(5)
                .map(|r| {
                    r.as_array()
                        .and_then(|r| sum_ints(r.iter()))
                        .map_or(Value::Null, int_value)
                })
                .collect(),
        ),
        _ => return select(a, key),
    })
}

/// `uid<N>` / `netuid<N>`: the element whose field equals N (else index N); `count_<f>`: elements
/// whose `f` is true; `sum_<f>`: the sum of `f` over elements (amounts of pair lists summed).
fn select(a: &[Value], key: &str) -> Option<Value> {
    for field in ["netuid", "uid"] {
        if let Some(n) = key
            .strip_prefix(field)
            .and_then(|n| n.parse::<usize>().ok())
        {
            let by_field = a
                .iter()
                .find(|e| e.get(field).and_then(as_int) == i128::try_from(n).ok());
            return by_field.or_else(|| a.get(n)).cloned();
        }
    }
    if let Some(f) = key.strip_prefix("count_") {
        return Some(Value::from(
            a.iter()
                .filter(|e| e.get(f).and_then(Value::as_bool) == Some(true))
                .count(),
        ));
    }
    if let Some(f) = key.strip_prefix("sum_") {
        let mut s = 0i128;
        for e in a {
            let x = match e.get(f)? {
                Value::Array(items) => items
                    .iter()
                    .map(amount_of)
                    .try_fold(0i128, |s, x| s.checked_add(x?))?,
                other => as_int(other)?,
            };
            s = s.checked_add(x)?;
        }
        return Some(int_value(s));
    }
    None
}

/// Look `key` up in a rendered value (object field, alias, `<f>_len`, or a vector summary).
fn resolve(actual: &Value, key: &str) -> Option<Value> {
    match actual {
        Value::Object(m) => {
            if let Some(v) = m.get(key) {
                return Some(v.clone());
            }
            if let Some((_, chain)) = FIELD_ALIASES.iter().find(|(f, _)| *f == key) {
                if let Some(v) = m.get(*chain) {
                    return Some(v.clone());
                }
            }
            let base = key.strip_suffix("_len")?;
            m.get(base)
                .and_then(Value::as_array)
                .map(|a| Value::from(a.len()))
        }
        Value::Array(a) => summarize(a, key),
        _ => None,
    }
}

fn is_hex_account(s: &str) -> bool {
    s.len() == 66 && s.starts_with("0x")
}

/// Leaf equality: strict JSON equality, except that an SS58 address in the reference matches
/// the hex account it encodes (the sources state some accounts as SS58).
fn leaf_equal(actual: &Value, want: &Value) -> bool {
    if actual == want {
        return true;
    }
    match (actual, want) {
        (Value::String(a), Value::String(w)) if is_hex_account(a) && !w.starts_with("0x") => {
            AccountId32::from_hex(a).is_ok_and(|acc| acc.to_ss58(42) == *w)
        }
        _ => false,
    }
}

pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 240 {
        let cut = (0..=240)
            .rev()
            .find(|i| s.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}...({} chars)", s.get(..cut).unwrap_or(""), s.len())
    } else {
        s
    }
}

/// Compare `want` (a reference value) with `actual` (rendered), one outcome per leaf.
pub(super) fn check(
    out: &mut Outcomes,
    case: &str,
    path: &str,
    actual: Option<&Value>,
    want: &Value,
) {
    if let Value::Object(m) = want {
        if !m.is_empty() {
            for (k, w) in m {
                let a = actual.and_then(|a| resolve(a, k));
                check(out, case, &format!("{path}.{k}"), a.as_ref(), w);
            }
            return;
        }
    }
    match actual {
        Some(a) => out.record(case, path, leaf_equal(a, want), short(want), short(a)),
        None => out.record(case, path, false, short(want), "(absent)"),
    }
}

/// `expected.assertions` as the SDK states them (`metagraph(1).n`, `subnetwork_n(1)`), mapped
/// onto the decoded value. Assertions about data these bytes do not hold (the block number of a
/// `SubnetState`) are skipped.
fn check_assertions(
    out: &mut Outcomes,
    case: &str,
    rendered: &Value,
    assertions: &Map<String, Value>,
) {
    for (name, want) in assertions {
        let field = name.rsplit('.').next().unwrap_or(name);
        let actual = if !name.contains('.') {
            Some(rendered.clone())
        } else {
            match (field, rendered) {
                ("n", Value::Object(m)) => m.get("num_uids").cloned().or_else(|| {
                    m.get("hotkeys")
                        .and_then(Value::as_array)
                        .map(|a| Value::from(a.len()))
                }),
                ("n", Value::Array(a)) => Some(Value::from(a.len())),
                (f, Value::Object(m)) => m.get(f).cloned(),
                (f, Value::Array(a)) => {
                    let vals: Vec<&Value> = a.iter().filter_map(|e| e.get(f)).collect();
                    match vals.first() {
                        Some(v) if vals.len() == a.len() && vals.iter().all(|x| x == v) => {
                            Some((*v).clone())
                        }
                        Some(_) => Some(Value::Array(vals.into_iter().cloned().collect())),
                        None => None,
                    }
                }
                _ => None,
            }
        };
        if let Some(a) = actual {
            out.record(
                case,
                &format!("expected.{name}"),
                leaf_equal(&a, want),
                short(want),
                short(&a),
            );
        }
    }
}

/// Compare a fixture's `expected` block (its meta keys excepted, `assertions` mapped).
pub(super) fn check_expected(out: &mut Outcomes, case: &str, rendered: &Value, expected: &Value) {
    match expected {
        Value::Object(m) => {
            for (k, w) in m {
                if META_KEYS.contains(&k.as_str()) {
                    continue;
                }
                let a = resolve(rendered, k);
                check(out, case, &format!("expected.{k}"), a.as_ref(), w);
            }
            if let Some(Value::Object(a)) = m.get("assertions") {
                check_assertions(out, case, rendered, a);
            }
        }
        other => check(out, case, "expected", Some(rendered), other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summaries() {
        let a: Vec<Value> = [3, 1, 2, 0, 5, 9].iter().map(|x| Value::from(*x)).collect();
        assert_eq!(summarize(&a, "sum"), Some(Value::from(20)));
        assert_eq!(summarize(&a, "last5"), Some(json!([1, 2, 0, 5, 9])));
        assert_eq!(summarize(&a, "min"), Some(Value::from(0)));
        let b = vec![json!(true), json!(false), json!(true)];
        assert_eq!(summarize(&b, "indices_true_first20"), Some(json!([0, 2])));
        let big = vec![json!("18446744073709551615"), json!(1)];
        assert_eq!(summarize(&big, "sum"), Some(json!("18446744073709551616")));
    }
}
