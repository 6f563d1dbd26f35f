//! Pool-vector cases for swaps, staking, share pools, stake weight and registration (src/pool,
//! src/stake).
//!
//! Cases are recognised by the shape of their `inputs` (not by name or file), so held-back cases of
//! the same upstream tests run through the same paths. Every key of `expected` (except notes) is
//! one outcome, checked under the case's `assertion` (per-field epsilon, `rule`, predicates);
//! every key of `derived` is one more outcome and is always compared exactly. Mock constants come
//! from the file's `environment` ([`Env`]), never from the file name.

mod collateral;
mod holders;
mod registration;
mod reservoir;
mod share_pool_cap;
mod staking;
mod superellipse;
mod superellipse_extraction;
mod superellipse_math;
mod superellipse_migration;
mod superellipse_pallet;
mod swap;
mod transition;

use super::Outcomes;
use serde_json::{Map, Value};
use substrate_fixed::types::U64F64;
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::pool::balancer::{fx, safe_div, Balancer};
use tao_engine::pool::perquintill::{Perquintill, ACCURACY};
use tao_engine::pool::swap::{
    limit_from_rao, BalancerPool, Order, SwapConstants, MAX_PRICE_RAO, MIN_PRICE_RAO,
};
use tao_engine::pool::ChainError;

/// Evaluate one case of a `pool-vectors/v1` file in a swap/staking/registration category.
pub fn run_case(
    doc: &Value,
    category: &str,
    case: &Value,
    name: &str,
    out: &mut Outcomes,
) -> Result<()> {
    let env = Env::from_doc(doc);
    let inputs = case
        .get("inputs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let ctx = Ctx::new(case, name, &env, doc);
    match category {
        "swap" if superellipse::is_superellipse(doc) => {
            superellipse::superellipse_case(&ctx, &inputs, out)
        }
        "swap" => swap::swap_case(&ctx, &inputs, out),
        "staking" => staking::staking_case(&ctx, &inputs, out),
        "share-pool" => holders::share_pool_case(&ctx, &inputs, out),
        "stake-weight" => holders::stake_weight_case(&ctx, &inputs, out),
        "registration" if collateral::recognises(&ctx, &inputs) => {
            collateral::collateral_case(&ctx, &inputs, out)
        }
        "registration" => registration::registration_case(&ctx, &inputs, out),
        "subnet-registration" => registration::subnet_registration_case(&ctx, &inputs, out),
        "subnet-dissolve" => registration::dissolve_case(&ctx, &inputs, out),
        _ => {
            out.fail(
                name,
                "case",
                format!("category {category:?} not implemented yet"),
            );
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Environment

/// Mock constants of the test runtime a file was produced with, read from its `environment`.
/// A named mock (`environment.mock`) selects that runtime's constants; explicit keys override.
#[derive(Clone, Debug)]
pub struct Env {
    /// Swap `MinimumReserve`.
    pub minimum_reserve: u64,
    /// Swap `FeeRate`.
    pub fee_rate: u16,
    /// `DefaultMinStake`.
    pub min_stake: u64,
    /// `NetworkMinLockCost`.
    pub network_min_lock: u64,
    /// Reserves given at file level (the swap mock's pool).
    pub tao_reserve: Option<u64>,
    /// Alpha reserve given at file level.
    pub alpha_reserve: Option<u64>,
}

impl Env {
    fn from_doc(doc: &Value) -> Self {
        let e = doc.get("environment").and_then(Value::as_object);
        let mock = e
            .and_then(|e| e.get("mock"))
            .and_then(Value::as_str)
            .unwrap_or("");
        // Production values (runtime/src/lib.rs) unless a known test mock is named.
        let mut env = Env {
            minimum_reserve: 1_000_000,
            fee_rate: 33,
            min_stake: 2_000_000,
            network_min_lock: 1_000_000_000_000,
            tao_reserve: None,
            alpha_reserve: None,
        };
        if mock.contains("pallets/swap/") {
            env.minimum_reserve = 1;
        } else if mock.contains("pallets/subtensor/") {
            env.minimum_reserve = 100;
            env.network_min_lock = 100_000_000_000;
        }
        if let Some(e) = e {
            let num = |k: &str| e.get(k).and_then(leading_u64);
            if let Some(v) = num("MinimumReserve").or_else(|| num("SwapMinimumReserve")) {
                env.minimum_reserve = v;
            }
            if let Some(v) = num("FeeRate") {
                env.fee_rate = u16::try_from(v).unwrap_or(u16::MAX);
            }
            if let Some(v) = num("DefaultMinStake") {
                env.min_stake = v;
            }
            if let Some(v) = num("NetworkMinLockCost") {
                env.network_min_lock = v;
            }
            env.tao_reserve = num("tao_reserve");
            env.alpha_reserve = num("alpha_reserve");
        }
        env
    }

    fn consts(&self) -> SwapConstants {
        SwapConstants {
            minimum_reserve: self.minimum_reserve,
            max_input_multiplier: 1_000,
        }
    }

    fn pool(&self, tao: u64, alpha: u64) -> BalancerPool {
        let mut p = BalancerPool::new(tao, alpha);
        p.fee_rate = self.fee_rate;
        p
    }
}

/// The leading integer of a number or string ("100", "0 unless set by the test" → 0).
fn leading_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => {
            let digits: String = s
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '_')
                .filter(|c| *c != '_')
                .collect();
            digits.parse().ok()
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Values and tolerances

/// An engine result to compare with an expected value.
#[derive(Clone, Debug)]
enum Actual {
    /// An integer.
    Int(u128),
    /// A fixed-point or real value.
    Real(f64),
    /// A list of integers.
    List(Vec<u128>),
    /// A chain error.
    Err(String),
    /// A boolean outcome.
    Bool(bool),
}

impl Actual {
    fn render(&self) -> String {
        match self {
            Actual::Int(v) => v.to_string(),
            Actual::Real(v) => format!("{v}"),
            Actual::List(v) => format!("{v:?}"),
            Actual::Err(e) => format!("error {e}"),
            Actual::Bool(b) => b.to_string(),
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Actual::Int(v) => Some(*v as f64),
            Actual::Real(v) => Some(*v),
            _ => None,
        }
    }
}

fn u64f64_f64(v: U64F64) -> f64 {
    v.to_num::<f64>()
}

/// Assertion of a case: kind plus epsilon (one for all fields or one per field) and rule.
struct Ctx<'a> {
    name: &'a str,
    kind: String,
    eps_all: Option<f64>,
    eps_fields: Map<String, Value>,
    rule_div: Option<f64>,
    expected: Map<String, Value>,
    derived: Map<String, Value>,
    env: &'a Env,
    doc: &'a Value,
}

impl<'a> Ctx<'a> {
    fn new(case: &'a Value, name: &'a str, env: &'a Env, doc: &'a Value) -> Self {
        let a = case.get("assertion");
        let kind = a
            .and_then(|a| a.get("kind"))
            .and_then(Value::as_str)
            .unwrap_or("exact")
            .to_string();
        let eps = a.and_then(|a| a.get("epsilon"));
        let (eps_all, eps_fields) = match eps {
            Some(Value::Object(m)) => (None, m.clone()),
            Some(v) => (value_f64(v), Map::new()),
            None => (None, Map::new()),
        };
        // "|actual-expected| <= expected/N"
        let rule_div = a
            .and_then(|a| a.get("rule"))
            .and_then(Value::as_str)
            .and_then(|r| r.split("expected/").nth(1))
            .and_then(|t| t.trim().parse::<f64>().ok());
        let expected = case
            .get("expected")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let derived = case
            .get("derived")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        Ctx {
            name,
            kind,
            eps_all,
            eps_fields,
            rule_div,
            expected,
            derived,
            env,
            doc,
        }
    }

    /// The expected fields, notes excluded.
    fn fields(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.expected.iter().filter(|(k, _)| k.as_str() != "note")
    }

    /// Epsilon for one field: an exact key, then a key sharing a word with the field.
    fn eps_for(&self, field: &str) -> f64 {
        if let Some(v) = self.eps_fields.get(field).and_then(value_f64) {
            return v;
        }
        for (k, v) in &self.eps_fields {
            if field.contains(k.as_str()) || k.contains(field) || field.split('_').any(|w| w == k) {
                if let Some(e) = value_f64(v) {
                    return e;
                }
            }
        }
        self.eps_all.unwrap_or(0.0)
    }

    /// Compare one expected field (by key) with an actual value; records one outcome.
    fn check(&self, out: &mut Outcomes, key: &str, actual: &Actual) {
        let Some(exp) = self.expected.get(key) else {
            out.fail(self.name, key, "expected field missing");
            return;
        };
        let passed = self.compare(key, exp, actual, false);
        out.record(self.name, key, passed, render(exp), actual.render());
    }

    /// Compare one derived field exactly; records one outcome.
    fn check_derived(&self, out: &mut Outcomes, key: &str, actual: &Actual) {
        let Some(exp) = self.derived.get(key) else {
            return;
        };
        let passed = self.compare(key, exp, actual, true);
        out.record(
            self.name,
            &format!("derived.{key}"),
            passed,
            render(exp),
            actual.render(),
        );
    }

    fn compare(&self, key: &str, exp: &Value, actual: &Actual, exact: bool) -> bool {
        // An error name expected as a plain string value (derived model values).
        if let (Some(s), Actual::Err(e)) = (exp.as_str(), actual) {
            return s == e;
        }
        if let Actual::Err(_) = actual {
            return false;
        }
        if let (Value::Array(items), Actual::List(got)) = (exp, actual) {
            let want: Vec<Option<u128>> = items.iter().map(value_u128).collect();
            return want.len() == got.len() && want.iter().zip(got).all(|(w, g)| *w == Some(*g));
        }
        if let (Value::Bool(b), Actual::Bool(g)) = (exp, actual) {
            return b == g;
        }
        if let Some(s) = exp.as_str() {
            if let Some(ok) = predicate(s, actual) {
                return ok;
            }
        }
        if !exact && (self.kind == "abs" || self.kind == "rel") {
            let (Some(e), Some(a)) = (value_f64(exp), actual.as_f64()) else {
                return false;
            };
            let mut tol = self.eps_for(key);
            if let Some(d) = self.rule_div {
                tol = tol.max(e.abs() / d);
            }
            if self.kind == "rel" {
                tol *= e.abs();
            }
            // A relative slack of 1e-12 absorbs f64 rounding of the decimal rendering.
            return (a - e).abs() <= tol + e.abs() * 1e-12;
        }
        match actual {
            Actual::Int(a) => value_u128(exp) == Some(*a),
            Actual::Real(a) => value_f64(exp).is_some_and(|e| e == *a),
            _ => false,
        }
    }
}

fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A number given as a JSON number or decimal string (also "1e-9").
fn value_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

fn value_u128(v: &Value) -> Option<u128> {
    match v {
        Value::Number(n) => n.as_u64().map(u128::from),
        Value::String(s) => s.trim().parse::<u128>().ok(),
        _ => None,
    }
}

fn value_u64(v: &Value) -> Option<u64> {
    value_u128(v).and_then(|x| u64::try_from(x).ok())
}

/// `"> 0"`, `"< 0.001"`, `">= 3.5 ..."`: the first comparison in the text; `None` if none.
fn predicate(s: &str, actual: &Actual) -> Option<bool> {
    let t = s.trim();
    let ops = [">=", "<=", ">", "<", "=="];
    let op = ops.iter().find(|o| t.starts_with(**o))?;
    let rest = t.get(op.len()..)?.trim();
    let num: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '-' | '+'))
        .collect();
    let bound: f64 = num.parse().ok()?;
    let a = actual.as_f64()?;
    Some(match *op {
        ">=" => a >= bound,
        "<=" => a <= bound,
        ">" => a > bound,
        "<" => a < bound,
        _ => a == bound,
    })
}

fn input_u64(inputs: &Map<String, Value>, key: &str) -> Result<u64> {
    inputs.get(key).and_then(value_u64).ok_or_else(|| {
        Error::field(
            ErrorCode::MissingField,
            format!("inputs.{key}"),
            "missing or not a u64",
        )
    })
}

fn opt_u64(inputs: &Map<String, Value>, key: &str) -> Option<u64> {
    inputs.get(key).and_then(value_u64)
}

/// A weight written as `"a/b"` (Perquintill::from_rational) or a decimal (exact parts).
fn parse_perquintill(v: &Value) -> Option<Perquintill> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    if let Some((a, b)) = s.split_once('/') {
        let a: u128 = a.trim().parse().ok()?;
        let b: u128 = b.trim().parse().ok()?;
        return Some(Perquintill::from_rational(a, b));
    }
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut digits: String = frac.chars().take(18).collect();
    while digits.len() < 18 {
        digits.push('0');
    }
    let frac: u64 = digits.parse().ok()?;
    Some(Perquintill::from_parts(
        int.saturating_mul(ACCURACY).saturating_add(frac),
    ))
}

/// A price written as a decimal: the f64 the upstream test passes to `U64F64::from_num`.
/// `"a/b"` is the exact U64F64 quotient (as `U64F64::from(a) / U64F64::from(b)`).
fn parse_price(v: &Value) -> Option<U64F64> {
    if let Some((a, b)) = v.as_str().and_then(|s| s.split_once('/')) {
        let a: u64 = a.trim().parse().ok()?;
        let b: u64 = b.trim().parse().ok()?;
        return U64F64::from_num(a).checked_div(U64F64::from_num(b));
    }
    let f = value_f64(v)?;
    U64F64::checked_from_num(f)
}

fn balancer_of(inputs: &Map<String, Value>) -> Option<Balancer> {
    match inputs.get("quote_weight") {
        Some(w) => parse_perquintill(w).and_then(Balancer::new),
        None => Some(Balancer::default()),
    }
}
