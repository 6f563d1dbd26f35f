//! Pool-vector cases for swaps, staking, share pools, stake weight and registration (src/pool,
//! src/stake).
//!
//! Cases are recognised by the shape of their `inputs` (not by name or file), so held-back cases of
//! the same upstream tests run through the same paths. Every key of `expected` (except notes) is
//! one outcome, checked under the case's `assertion` (per-field epsilon, `rule`, predicates);
//! every key of `derived` is one more outcome and is always compared exactly. Mock constants come
//! from the file's `environment` ([`Env`]), never from the file name.

use super::Outcomes;
use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::{fx, safe_div, Balancer};
use crate::pool::bigint::BigUint;
use crate::pool::perquintill::{Perquintill, ACCURACY};
use crate::pool::pow::pow_ratio_scaled;
use crate::pool::swap::{limit_from_rao, BalancerPool, Order, SwapConstants, MAX_PRICE_RAO, MIN_PRICE_RAO};
use crate::pool::ChainError;
use crate::stake::limits::{max_amount_add, max_amount_move, max_amount_remove};
use crate::stake::ops::{StakeParams, StakingState};
use crate::stake::burn::{decay_factor_q32, legacy_upgraded_burn, BurnState};
use crate::stake::safe_float::SafeFloat;
use crate::stake::share_pool::SharePool;
use crate::stake::subnet::{dissolve_payout, initial_pool, median_price, network_to_prune, DissolveInput, PruneCandidate};
use crate::stake::weight::{inherited_stake, Link};
use crate::stake::{Mechanism, Subnet};
use substrate_fixed::types::{I96F32, U96F32};
use serde_json::{Map, Value};
use substrate_fixed::types::U64F64;

/// Evaluate one case of a `pool-vectors/v1` file in a swap/staking/registration category.
pub fn run_case(doc: &Value, category: &str, case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    let env = Env::from_doc(doc);
    let inputs = case.get("inputs").and_then(Value::as_object).cloned().unwrap_or_default();
    let ctx = Ctx::new(case, name, &env, doc);
    match category {
        "swap" => swap_case(&ctx, &inputs, out),
        "staking" => staking_case(&ctx, &inputs, out),
        "share-pool" => share_pool_case(&ctx, &inputs, out),
        "stake-weight" => stake_weight_case(&ctx, &inputs, out),
        "registration" => registration_case(&ctx, &inputs, out),
        "subnet-registration" => subnet_registration_case(&ctx, &inputs, out),
        "subnet-dissolve" => dissolve_case(&ctx, &inputs, out),
        _ => {
            out.fail(name, "case", format!("category {category:?} not implemented yet"));
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
        let mock = e.and_then(|e| e.get("mock")).and_then(Value::as_str).unwrap_or("");
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
        SwapConstants { minimum_reserve: self.minimum_reserve, max_input_multiplier: 1_000 }
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
            let digits: String = s.trim().chars().take_while(|c| c.is_ascii_digit() || *c == '_').filter(|c| *c != '_').collect();
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
        let kind = a.and_then(|a| a.get("kind")).and_then(Value::as_str).unwrap_or("exact").to_string();
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
        let expected = case.get("expected").and_then(Value::as_object).cloned().unwrap_or_default();
        let derived = case.get("derived").and_then(Value::as_object).cloned().unwrap_or_default();
        Ctx { name, kind, eps_all, eps_fields, rule_div, expected, derived, env, doc }
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
        let Some(exp) = self.derived.get(key) else { return };
        let passed = self.compare(key, exp, actual, true);
        out.record(self.name, &format!("derived.{key}"), passed, render(exp), actual.render());
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
            let (Some(e), Some(a)) = (value_f64(exp), actual.as_f64()) else { return false };
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
    let num: String = rest.chars().take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '-' | '+')).collect();
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
    inputs
        .get(key)
        .and_then(value_u64)
        .ok_or_else(|| Error::field(ErrorCode::MissingField, format!("inputs.{key}"), "missing or not a u64"))
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
    Some(Perquintill::from_parts(int.saturating_mul(ACCURACY).saturating_add(frac)))
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

// ---------------------------------------------------------------------------------------------
// swap

fn swap_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let has = |k: &str| inputs.contains_key(k);
    if has("base_num") {
        pow_case(c, inputs, out)
    } else if has("reserve") && has("delta") {
        exp_case(c, inputs, out)
    } else if has("p") && has("values") {
        mul_round_case(c, inputs, out)
    } else if has("x_alpha") && has("y_tao") {
        let b = balancer_of(inputs).ok_or_else(|| Error::field(ErrorCode::OutOfRange, "quote_weight", "invalid weight"))?;
        let price = b.price(input_u64(inputs, "x_alpha")?, input_u64(inputs, "y_tao")?);
        c.check(out, "price", &Actual::Real(u64f64_f64(price)));
        Ok(())
    } else if has("current_price") && has("target_price") {
        delta_in_case(c, inputs, out)
    } else if has("order") {
        swap_step_case(c, inputs, out)
    } else if has("tao_reserve") && has("alpha_reserve") {
        init_case(c, inputs, out)
    } else {
        out.fail(c.name, "case", "unrecognised swap case shape");
        Ok(())
    }
}

fn pow_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let big = |k: &str| -> Result<BigUint> {
        inputs
            .get(k)
            .and_then(value_u128)
            .map(BigUint::from_u128)
            .ok_or_else(|| Error::field(ErrorCode::MissingField, format!("inputs.{k}"), "missing"))
    };
    let n = inputs.get("exp_num").and_then(value_u128).unwrap_or(0);
    let d = inputs.get("exp_den").and_then(value_u128).unwrap_or(0);
    let precision = opt_u64(inputs, "precision").unwrap_or(1024) as u32;
    let r = pow_ratio_scaled(&big("base_num")?, &big("base_den")?, n, d, precision, &big("scale")?);
    let actual = match r.and_then(|v| v.to_biguint()).and_then(|v| v.to_u128()) {
        Some(v) => Actual::Int(v),
        None => Actual::Err("None".into()),
    };
    c.check(out, "value", &actual);
    c.check_derived(out, "model_value", &actual);
    Ok(())
}

fn exp_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let b = balancer_of(inputs).ok_or_else(|| Error::field(ErrorCode::OutOfRange, "quote_weight", "invalid weight"))?;
    let reserve = input_u64(inputs, "reserve")?;
    let delta = inputs
        .get("delta")
        .and_then(|v| match v {
            Value::Number(n) => n.as_i64().map(i128::from),
            Value::String(s) => s.trim().parse::<i128>().ok(),
            _ => None,
        })
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.delta", "not an integer"))?;
    let base_quote = inputs.get("base_quote").and_then(Value::as_bool).unwrap_or(true);
    let e = b.exp_scaled(reserve, delta, base_quote);
    c.check(out, "value", &Actual::Real(u64f64_f64(e)));
    c.check_derived(out, "u64f64_bits", &Actual::Int(e.to_bits()));
    Ok(())
}

fn mul_round_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let p = inputs.get("p").and_then(parse_perquintill).ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.p", "not a fraction"))?;
    let values: Vec<u128> = inputs
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(value_u128).collect())
        .unwrap_or_default();
    let got: Vec<u128> = values.iter().map(|&v| p.mul_round(v)).collect();
    c.check(out, "values", &Actual::List(got));
    Ok(())
}

fn delta_in_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let b = balancer_of(inputs).ok_or_else(|| Error::field(ErrorCode::OutOfRange, "quote_weight", "invalid weight"))?;
    let cur = inputs.get("current_price").and_then(parse_price).ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.current_price", "not a price"))?;
    let tgt = inputs.get("target_price").and_then(parse_price).ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.target_price", "not a price"))?;
    let (key, v) = if let Some(x) = opt_u64(inputs, "alpha_reserve") {
        ("delta_alpha", b.base_delta_in(cur, tgt, x))
    } else {
        ("delta_tao", b.quote_delta_in(cur, tgt, input_u64(inputs, "tao_reserve")?))
    };
    let key = if c.expected.contains_key(key) { key } else { c.expected.keys().find(|k| k.starts_with("delta")).map(String::as_str).unwrap_or(key) };
    c.check(out, key, &Actual::Int(u128::from(v)));
    c.check_derived(out, "model_value", &Actual::Int(u128::from(v)));
    Ok(())
}

fn parse_order(v: &Value) -> Option<Order> {
    let s = v.as_str()?.to_ascii_lowercase();
    if s.contains("buy") || s.contains("getalphafortao") {
        Some(Order::Buy)
    } else if s.contains("sell") || s.contains("gettaoforalpha") {
        Some(Order::Sell)
    } else {
        None
    }
}

/// A limit written as a decimal price, or as text naming the default min/max price.
fn parse_limit(v: Option<&Value>, order: Order) -> U64F64 {
    let default = match order {
        Order::Buy => limit_from_rao(MAX_PRICE_RAO),
        Order::Sell => limit_from_rao(MIN_PRICE_RAO),
    };
    match v {
        None => default,
        Some(Value::String(s)) if s.contains("min") => limit_from_rao(MIN_PRICE_RAO),
        Some(Value::String(s)) if s.contains("max") => limit_from_rao(MAX_PRICE_RAO),
        Some(v) => parse_price(v).unwrap_or(default),
    }
}

fn swap_step_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let order = inputs.get("order").and_then(parse_order).ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.order", "unknown order"))?;
    let tao = opt_u64(inputs, "tao_reserve").or(c.env.tao_reserve).ok_or_else(|| Error::field(ErrorCode::MissingField, "tao_reserve", "no reserves"))?;
    let alpha = opt_u64(inputs, "alpha_reserve").or(c.env.alpha_reserve).ok_or_else(|| Error::field(ErrorCode::MissingField, "alpha_reserve", "no reserves"))?;
    let mut pool = c.env.pool(tao, alpha);
    if let Some(b) = balancer_of(inputs) {
        pool.weights = b;
    }
    let amount = input_u64(inputs, "amount")?;
    let limit = parse_limit(inputs.get("limit_price"), order);
    let drop_fees = inputs.get("drop_fees").and_then(Value::as_bool).unwrap_or(false);
    let simulate = inputs.get("simulate").and_then(Value::as_bool).unwrap_or_else(|| c.name.starts_with("sim"));
    let price_before = pool.price();
    let res = pool.quote_swap(order, amount, limit, drop_fees, simulate, &c.env.consts());
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        let actual = match (&res, key.as_str()) {
            (Err(e), "error") => Actual::Err(e.name().into()),
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(_), "error") => Actual::Err("(no error)".into()),
            (Ok(_), "ok") => Actual::Bool(true),
            (Ok(r), "amount_paid_out") => Actual::Int(u128::from(r.amount_paid_out)),
            (Ok(r), "amount_paid_in" | "reserve_delta_in") => Actual::Int(u128::from(r.amount_paid_in)),
            (Ok(r), "fee_paid" | "fee") => Actual::Int(u128::from(r.fee_paid)),
            (Ok(r), "price_moves") => {
                let mut after = pool;
                after.apply(order, r);
                let p = after.price();
                let dir = if p > price_before { "up" } else if p < price_before { "down" } else { "none" };
                let want = c.expected.get(key).and_then(Value::as_str).unwrap_or("");
                out.record(c.name, key, dir == want, want, dir);
                continue;
            }
            _ => {
                out.fail(c.name, key, "field not produced by the swap");
                continue;
            }
        };
        if key == "error" {
            let want = c.expected.get(key).and_then(Value::as_str).unwrap_or("");
            out.record(c.name, key, actual.render() == format!("error {want}"), want, actual.render());
        } else {
            c.check(out, key, &actual);
        }
    }
    for key in c.derived.keys() {
        let actual = match (&res, key.as_str()) {
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(r), "amount_paid_out") => Actual::Int(u128::from(r.amount_paid_out)),
            (Ok(r), "amount_paid_in" | "reserve_delta_in") => Actual::Int(u128::from(r.amount_paid_in)),
            (Ok(r), "fee_paid" | "fee") => Actual::Int(u128::from(r.fee_paid)),
            _ => continue,
        };
        c.check_derived(out, key, &actual);
    }
    Ok(())
}

fn init_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let tao = input_u64(inputs, "tao_reserve")?;
    let alpha = input_u64(inputs, "alpha_reserve")?;
    // A price given directly, or the price a v3 pool had (√P²) when migrated to the balancer.
    let price = if let Some(p) = inputs.get("price").and_then(parse_price) {
        Some(p)
    } else {
        inputs.get("v3_sqrt_price").and_then(parse_price).map(|s| s.saturating_mul(s))
    };
    let b = match price {
        Some(p) => Balancer::for_price(tao, alpha, p),
        None => Some(Balancer::default()),
    };
    let Some(b) = b else {
        for key in c.expected.keys() {
            c.check(out, key, &Actual::Err(ChainError::ReservesOutOfBalance.name().into()));
        }
        return Ok(());
    };
    let mut pool = c.env.pool(tao, alpha);
    pool.weights = b;
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        match key.as_str() {
            k if k.starts_with("price") => c.check(out, key, &Actual::Real(u64f64_f64(pool.price()))),
            "quote_weight" => {
                let want = c.expected.get(key).and_then(parse_perquintill);
                let got = b.quote_weight();
                out.record(c.name, key, want == Some(got), render(&c.expected[key]), got.deconstruct());
            }
            _ => out.fail(c.name, key, "field not produced by pool initialisation"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// staking

fn reserve_inputs(inputs: &Map<String, Value>, suffix: &str) -> (Option<u64>, Option<u64>) {
    let pick = |names: &[&str]| names.iter().find_map(|n| opt_u64(inputs, &format!("{n}{suffix}")));
    (pick(&["subnet_tao", "tao_reserve", "tao_in"]), pick(&["alpha_in", "alpha_reserve"]))
}

/// `ZeroMaxStakeAmount` reads as 0 where the vector expects an amount (the upstream tests map
/// errors to 0 or assert the error on a 0 expectation).
fn amount_or_error(r: Result<u64, ChainError>, expected_is_amount: bool) -> Actual {
    match r {
        Ok(v) => Actual::Int(u128::from(v)),
        Err(ChainError::ZeroMaxStakeAmount) if expected_is_amount => Actual::Int(0),
        Err(e) => Actual::Err(e.name().into()),
    }
}

fn check_amount_or_error(c: &Ctx, out: &mut Outcomes, actual: &Actual) {
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        if key == "error" {
            let want = c.expected.get(key).and_then(Value::as_str).unwrap_or("");
            out.record(c.name, key, actual.render() == format!("error {want}"), want, actual.render());
        } else {
            c.check(out, key, actual);
        }
    }
    c.check_derived(out, "model_value", actual);
}

fn staking_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let function = c.doc.get("function_under_test").and_then(Value::as_str).unwrap_or("");
    let consts = c.env.consts();
    let expects_amount = c.expected.contains_key("max_amount");
    if inputs.contains_key("tao_in_1") {
        let (t1, a1) = reserve_inputs(inputs, "_1");
        let (t2, a2) = reserve_inputs(inputs, "_2");
        let mk = |n: u16, t: Option<u64>, a: Option<u64>| {
            let mut s = Subnet::dynamic(n, t.unwrap_or(0), a.unwrap_or(0));
            s.pool.fee_rate = c.env.fee_rate;
            s
        };
        let limit = input_u64(inputs, "limit_price_rao")?;
        let r = max_amount_move(&mk(1, t1, a1), &mk(2, t2, a2), limit, &consts);
        // "errors are mapped to 0 by the test (unwrap_or(0))"
        let actual = match r {
            Ok(v) => Actual::Int(u128::from(v)),
            Err(_) => Actual::Int(0),
        };
        check_amount_or_error(c, out, &actual);
        return Ok(());
    }
    if function.contains("get_max_amount_move") && (inputs.contains_key("origin") || inputs.contains_key("destination")) {
        // Root/stable legs named in words; the dynamic leg takes the reserve inputs.
        let side = |k: &str, n: u16| {
            let stable = inputs.get(k).and_then(Value::as_str).is_some_and(|s| s.contains("root") || s.contains("stable") || s.contains("mechanism-0"));
            if stable {
                let mut s = Subnet::root();
                s.netuid = n.saturating_sub(1);
                s.mechanism = Mechanism::Stable;
                s
            } else {
                let (t, a) = reserve_inputs(inputs, "");
                let mut s = Subnet::dynamic(n, t.unwrap_or(0), a.unwrap_or(0));
                s.pool.fee_rate = c.env.fee_rate;
                s
            }
        };
        let (o, d) = (side("origin", 1), side("destination", 2));
        let limits: Vec<u64> = match inputs.get("limit_price_rao") {
            Some(Value::Array(a)) => a.iter().filter_map(value_u64).collect(),
            Some(v) => value_u64(v).into_iter().collect(),
            None => Vec::new(),
        };
        let results: Vec<Actual> = limits.iter().map(|&l| Actual::Int(u128::from(max_amount_move(&o, &d, l, &consts).unwrap_or(0)))).collect();
        for key in c.expected.keys().filter(|k| k.as_str() != "note") {
            let exp = &c.expected[key];
            let passed = !results.is_empty() && results.iter().all(|a| c.compare(key, exp, a, false));
            let rendered: Vec<String> = results.iter().map(Actual::render).collect();
            out.record(c.name, key, passed, render(exp), rendered.join(", "));
        }
        return Ok(());
    }
    if function.contains("get_max_amount") && !inputs.contains_key("amount") && !inputs.contains_key("unstake") {
        let remove = function.contains("get_max_amount_remove");
        let stable = inputs.get("netuid").and_then(Value::as_str).is_some_and(|s| s.contains("root") || s.contains("mechanism-0"))
            || inputs.get("netuid").and_then(Value::as_u64) == Some(0);
        let subnet = if stable {
            let mut s = Subnet::root();
            s.mechanism = Mechanism::Stable;
            s
        } else {
            let (t, a) = reserve_inputs(inputs, "");
            let mut s = Subnet::dynamic(1, t.unwrap_or(0), a.unwrap_or(0));
            s.pool.fee_rate = c.env.fee_rate;
            s
        };
        let limits: Vec<u64> = match inputs.get("limit_price_rao") {
            Some(Value::Array(a)) => a.iter().filter_map(value_u64).collect(),
            Some(v) => value_u64(v).into_iter().collect(),
            None => Vec::new(),
        };
        let results: Vec<Actual> = limits
            .iter()
            .map(|&l| {
                let r = if remove { max_amount_remove(&subnet, l, &consts) } else { max_amount_add(&subnet, l, &consts) };
                amount_or_error(r, expects_amount)
            })
            .collect();
        match results.as_slice() {
            [one] => check_amount_or_error(c, out, one),
            many => {
                // One expectation for several limits: every limit must meet it.
                for key in c.expected.keys().filter(|k| k.as_str() != "note") {
                    let exp = &c.expected[key];
                    let passed = !many.is_empty() && many.iter().all(|a| c.compare(key, exp, a, false));
                    let rendered: Vec<String> = many.iter().map(Actual::render).collect();
                    out.record(c.name, key, passed, render(exp), rendered.join(", "));
                }
            }
        }
        return Ok(());
    }
    limit_order_case(c, inputs, out)
}

/// Evaluate `"A - approx_fee(B)"`-style expectations (sums of integers and fee terms).
fn eval_formula(s: &str, fee: impl Fn(u64) -> u64) -> Option<f64> {
    let mut total = 0f64;
    let mut sign = 1f64;
    for tok in s.split_whitespace() {
        match tok {
            "+" => sign = 1.0,
            "-" => sign = -1.0,
            t => {
                let v = if let Some(inner) = t.strip_prefix("approx_fee(").and_then(|r| r.strip_suffix(')')) {
                    fee(inner.parse().ok()?) as f64
                } else {
                    t.parse::<f64>().ok()?
                };
                total += sign * v;
            }
        }
    }
    Some(total)
}

fn limit_order_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let (t, a) = reserve_inputs(inputs, "");
    let mut params = StakeParams { min_stake: c.env.min_stake, swap: c.env.consts(), ..StakeParams::default() };
    params.has_block_author = true;
    let mut st: StakingState<u8> = StakingState::new(params);
    let mut subnet = Subnet::dynamic(1, t.unwrap_or(0), a.unwrap_or(0));
    subnet.pool.fee_rate = c.env.fee_rate;
    st.subnets.insert(1, subnet);
    let (hot, cold) = (1u8, 2u8);
    let limit = opt_u64(inputs, "limit_price_rao");
    let allow_partial = inputs.get("allow_partial").and_then(Value::as_bool).unwrap_or(false);
    let price_before = subnet.pool.price();
    let (result, staked_before) = if let Some(amount) = opt_u64(inputs, "amount") {
        st.balances.insert(cold, opt_u64(inputs, "balance").unwrap_or(amount));
        (st.add_stake(&hot, &cold, 1, amount, limit, allow_partial).map(|o| (o.alpha, o.swap, o.tao_in)), 0)
    } else {
        let unstake = input_u64(inputs, "unstake")?;
        let stake = opt_u64(inputs, "stake").unwrap_or(unstake);
        st.pools.entry((hot, 1)).or_default().increase(&cold, stake);
        if let Some(s) = st.subnets.get_mut(&1) {
            s.alpha_out = s.alpha_out.saturating_add(stake);
        }
        (st.remove_stake(&hot, &cold, 1, unstake, limit, allow_partial).map(|o| (o.swap.gross_in(), o.swap, o.tao)), stake)
    };
    let price_after = st.subnets.get(&1).map(|s| s.pool.price()).unwrap_or(price_before);
    let pool = st.subnets.get(&1).map(|s| s.pool).unwrap_or(subnet.pool);
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        let actual = match (&result, key.as_str()) {
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(_), "error") => Actual::Err("(no error)".into()),
            (Ok(_), "ok") => Actual::Bool(true),
            (Ok(_), "stake_alpha") => Actual::Int(u128::from(st.stake_of(&hot, &cold, 1))),
            (Ok(_), "price_after") => Actual::Real(u64f64_f64(price_after)),
            (Ok(_), k) if k.contains("balance") => Actual::Int(u128::from(st.balance_of(&cold))),
            _ => {
                out.fail(c.name, key, "field not produced by the staking operation");
                continue;
            }
        };
        let exp = &c.expected[key];
        if key == "error" {
            let want = exp.as_str().unwrap_or("");
            out.record(c.name, key, actual.render() == format!("error {want}"), want, actual.render());
        } else if let Some(v) = exp.as_str().filter(|s| s.contains("approx_fee")).and_then(|s| eval_formula(s, |x| pool.fee_for(x, false))) {
            let tol = c.eps_for(key);
            let passed = actual.as_f64().is_some_and(|a| (a - v).abs() <= tol);
            out.record(c.name, key, passed, format!("{} (= {v})", render(exp)), actual.render());
        } else {
            c.check(out, key, &actual);
        }
    }
    for key in c.derived.keys() {
        let actual = match (&result, key.as_str()) {
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok((_, sw, _)), "executed_tao_net" | "amount_paid_in" | "executed_alpha_net") => Actual::Int(u128::from(sw.amount_paid_in)),
            (Ok((_, sw, _)), k) if k.starts_with("fee") => Actual::Int(u128::from(sw.fee_paid)),
            (Ok((_, sw, _)), "alpha_out" | "tao_out" | "amount_paid_out") => Actual::Int(u128::from(sw.amount_paid_out)),
            _ => continue,
        };
        c.check_derived(out, key, &actual);
    }
    let _ = staked_before;
    Ok(())
}

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
        let args: Vec<&str> = args.trim_end_matches(')').split(',').map(str::trim).collect();
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

fn check_value_map(c: &Ctx, out: &mut Outcomes, key: &str, value_of: impl Fn(&str) -> Option<u128>) {
    let Some(exp) = c.expected.get(key).and_then(Value::as_object) else { return };
    let mut passed = true;
    let mut got = Vec::new();
    for (k, v) in exp {
        let a = value_of(k);
        got.push(format!("{k}: {}", a.map_or("-".into(), |x| x.to_string())));
        passed &= a.is_some_and(|a| c.compare(key, v, &Actual::Int(a), false));
    }
    out.record(c.name, key, passed, Value::Object(exp.clone()).to_string(), got.join(", "));
}

fn share_pool_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    if let (Some(m), Some(e)) = (inputs.get("mantissa").and_then(value_u128), inputs.get("exponent").and_then(Value::as_i64)) {
        let f = SafeFloat::new(m, e);
        for key in c.expected.keys() {
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
    let mut pool: SharePool<String> = SharePool::new();
    if let Some(ops) = inputs.get("ops") {
        let ops = ops_from_json(ops).ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.ops", "unreadable operations"))?;
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
                pool.shares.insert(k.clone(), SafeFloat::from_u64(value_u64(v).unwrap_or(0)));
            }
        }
    }
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        match key.as_str() {
            "value" => check_value_map(c, out, key, |k| Some(u128::from(pool.value(&k.to_string())))),
            "shared_value" => c.check(out, key, &Actual::Int(u128::from(pool.shared_value))),
            _ => out.fail(c.name, key, "field not produced by the share pool"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// stake-weight

fn stake_weight_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    // parents: "parent_alpha" or "parent1_alpha", "parent2_alpha", ...; one child with
    // "child_alpha" (default 0); proportion "child_proportion_u64" or "..._each" or per parent.
    let mut parents: Vec<(String, u64, u64)> = Vec::new();
    let shared_q = opt_u64(inputs, "child_proportion_u64").or_else(|| opt_u64(inputs, "child_proportion_u64_each"));
    for (k, v) in inputs {
        if let Some(id) = k.strip_prefix("parent").and_then(|r| r.strip_suffix("_alpha")) {
            let stake = value_u64(v).unwrap_or(0);
            let q = opt_u64(inputs, &format!("parent{id}_proportion_u64")).or(shared_q).unwrap_or(0);
            parents.push((format!("parent{id}"), stake, q));
        }
    }
    let child_own = opt_u64(inputs, "child_alpha").unwrap_or(0);
    let is_root = inputs.get("netuid").and_then(Value::as_u64) == Some(0);
    let links: Vec<Link> = parents.iter().map(|(_, s, q)| Link { proportion: *q, stake: *s }).collect();
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        let v = if key == "child" {
            inherited_stake(child_own, &[], &links, is_root)
        } else if let Some((_, s, q)) = parents.iter().find(|(n, _, _)| n == key) {
            inherited_stake(*s, &[Link { proportion: *q, stake: 0 }], &[], is_root)
        } else {
            out.fail(c.name, key, "unknown hotkey in expectation");
            continue;
        };
        c.check(out, key, &Actual::Int(u128::from(v)));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// registration (neuron burn)

fn registration_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    if inputs.contains_key("adjustment_interval") || inputs.contains_key("adjustment_alpha") {
        let burn = input_u64(inputs, "burn")?;
        let regs = opt_u64(inputs, "registrations_this_interval").unwrap_or(0);
        let target = opt_u64(inputs, "target_registrations_per_interval").unwrap_or(1);
        let alpha = opt_u64(inputs, "adjustment_alpha").unwrap_or(0);
        let min = opt_u64(inputs, "min").or_else(|| opt_u64(inputs, "min_burn")).unwrap_or(0);
        let max = opt_u64(inputs, "max").or_else(|| opt_u64(inputs, "max_burn")).unwrap_or(u64::MAX);
        let r = legacy_upgraded_burn(burn, u16::try_from(regs).unwrap_or(u16::MAX), u16::try_from(target).unwrap_or(u16::MAX), alpha, min, max);
        c.check(out, "burn", &Actual::Int(u128::from(r)));
        return Ok(());
    }
    let half_life = opt_u64(inputs, "half_life").map(|h| u16::try_from(h).unwrap_or(u16::MAX));
    let Some(burn0) = opt_u64(inputs, "burn") else {
        // Decay factors only.
        let hl = half_life.ok_or_else(|| Error::field(ErrorCode::MissingField, "inputs.half_life", "missing"))?;
        for key in c.expected.keys().filter(|k| k.as_str() != "note") {
            c.check(out, key, &Actual::Int(u128::from(decay_factor_q32(hl))));
        }
        return Ok(());
    };
    let mut st = BurnState::new(burn0);
    st.half_life = half_life.unwrap_or(st.half_life);
    st.min_burn = opt_u64(inputs, "min").unwrap_or(0);
    st.max_burn = opt_u64(inputs, "max").unwrap_or(u64::MAX);
    if let Some(m) = inputs.get("mult").and_then(parse_price) {
        st.increase_mult = m;
    }
    st.registrations_this_block = opt_u64(inputs, "registrations_this_block_before").map_or(0, |v| u16::try_from(v).unwrap_or(u16::MAX));
    let mut events: Vec<String> = inputs
        .get("events")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if events.is_empty() {
        let blocks = ["blocks", "n_blocks", "num_blocks", "steps"].iter().find_map(|k| opt_u64(inputs, k)).unwrap_or(1);
        events = (0..blocks).map(|_| "next_block".to_string()).collect();
    }
    let mut block = opt_u64(inputs, "start_block").unwrap_or(2);
    let mut after: Vec<(String, u64)> = Vec::new();
    for e in &events {
        if e.contains("register") {
            st.on_register();
        } else {
            st.on_block(block);
            block = block.saturating_add(1);
        }
        after.push((e.clone(), st.burn));
    }
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        let actual = if let Some(ev) = key.strip_prefix("burn_after_") {
            match after.iter().find(|(e, _)| e == ev) {
                Some((_, b)) => Actual::Int(u128::from(*b)),
                None => Actual::Err(format!("no event {ev}")),
            }
        } else if key == "burn" {
            match &c.expected[key] {
                Value::Array(_) => Actual::List(after.iter().map(|(_, b)| u128::from(*b)).collect()),
                _ => Actual::Int(u128::from(st.burn)),
            }
        } else if key == "registrations_this_block" {
            Actual::Int(u128::from(st.registrations_this_block))
        } else if key.contains("factor") {
            Actual::Int(u128::from(decay_factor_q32(st.half_life)))
        } else {
            out.fail(c.name, key, "field not produced by the burn model");
            continue;
        };
        c.check(out, key, &actual);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// subnet-registration

fn price_list(v: Option<&Value>) -> Vec<U64F64> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(parse_price).collect()).unwrap_or_default()
}

fn subnet_registration_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    if let Some(mp) = inputs.get("moving_price").and_then(Value::as_object) {
        // Prune choice: "<id>_immune": true marks immunity; "registered_at" may order ties.
        let reg = inputs.get("registered_at").and_then(Value::as_object);
        let now = 1_000_000_000u64;
        let immunity = 1_000u64;
        let mut names: Vec<String> = Vec::new();
        let cands: Vec<PruneCandidate> = mp
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                names.push(k.clone());
                let immune = inputs.get(&format!("{k}_immune")).and_then(Value::as_bool).unwrap_or(false);
                let at = reg
                    .and_then(|r| r.get(k))
                    .and_then(value_u64)
                    .or_else(|| opt_u64(inputs, &format!("{k}_registered_at")))
                    .unwrap_or(i as u64);
                PruneCandidate {
                    netuid: u16::try_from(i + 1).unwrap_or(u16::MAX),
                    moving_price: value_f64(v).and_then(I96F32::checked_from_num).unwrap_or(I96F32::from_bits(0)),
                    registered_at: if immune { now } else { at },
                }
            })
            .collect();
        let pick = network_to_prune(&cands, now, immunity).and_then(|n| names.get(usize::from(n).saturating_sub(1)).cloned());
        let want = c.expected.get("prune").map(render).unwrap_or_default();
        let got = pick.unwrap_or_else(|| "none".into());
        out.record(c.name, "prune", want == got, want, got);
        return Ok(());
    }
    let prices = price_list(inputs.get("prices").or_else(|| inputs.get("existing_prices")));
    let median = median_price(&prices);
    let lock = opt_u64(inputs, "lock").unwrap_or(c.env.network_min_lock);
    let pool = initial_pool(lock, c.env.network_min_lock, median);
    let new_price = safe_div(fx(pool.tao), fx(pool.alpha_in));
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        let exp = &c.expected[key];
        match key.as_str() {
            "median" | "median_snapshot" => c.check(out, key, &Actual::Real(u64f64_f64(median))),
            "SubnetTAO" => c.check(out, key, &Actual::Int(u128::from(pool.tao))),
            "SubnetAlphaIn" => {
                // "floor(SubnetTAO/3.5)" or a number.
                let want = match exp.as_str().and_then(|s| s.strip_prefix("floor(SubnetTAO/")).and_then(|r| r.strip_suffix(')')) {
                    Some(d) => parse_price(&Value::String(d.to_string())).and_then(|m| fx(pool.tao).checked_div(m)).map(|q| q.saturating_to_num::<u64>()),
                    None => value_u64(exp),
                };
                out.record(c.name, key, want == Some(pool.alpha_in), render(exp), pool.alpha_in);
            }
            "new_price" => {
                let s = exp.as_str().unwrap_or("");
                let mut ok = predicate(s, &Actual::Real(u64f64_f64(new_price))).unwrap_or(false);
                if s.contains("post-registration median") {
                    let mut after = prices.clone();
                    after.push(new_price);
                    ok &= median_price(&after) == new_price;
                }
                out.record(c.name, key, ok, s, u64f64_f64(new_price));
            }
            _ => out.fail(c.name, key, "field not produced by subnet registration"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// subnet-dissolve

fn dissolve_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let stakes: Vec<u64> = inputs
        .get("stakers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.get("alpha").and_then(value_u64).or_else(|| value_u64(s))).collect())
        .unwrap_or_default();
    let pre_deploy = inputs.get("registered_before_TaoInRefundDeploymentBlock").and_then(Value::as_bool).unwrap_or(false);
    let legacy = inputs.get("legacy").and_then(Value::as_bool).unwrap_or(false)
        || inputs.get("registered_before_NetworkRegistrationStartBlock").and_then(Value::as_bool).unwrap_or(false);
    let legacy_refund = if legacy {
        let cut = inputs.get("owner_cut").and_then(value_f64).and_then(U96F32::checked_from_num).unwrap_or(U96F32::from_bits(0));
        let price = inputs.get("price").and_then(parse_price).unwrap_or(fx(1));
        Some((opt_u64(inputs, "lock").unwrap_or(0), opt_u64(inputs, "alpha_issuance").unwrap_or(0), cut, price))
    } else {
        None
    };
    let input = DissolveInput {
        pot: input_u64(inputs, "pot")?,
        stakes,
        protocol_alpha: opt_u64(inputs, "protocol_alpha").unwrap_or(0),
        alpha_in: opt_u64(inputs, "alpha_in").unwrap_or(0),
        alpha_in_is_claimant: !pre_deploy,
        legacy_refund,
    };
    let p = dissolve_payout(&input);
    for key in c.expected.keys().filter(|k| k.as_str() != "note") {
        let actual = match key.as_str() {
            "payout" => Actual::List(p.stakers.iter().map(|&v| u128::from(v)).collect()),
            "owner" | "owner_refund" => Actual::Int(u128::from(p.owner_refund)),
            "protocol" => Actual::Int(u128::from(p.protocol)),
            _ => {
                out.fail(c.name, key, "field not produced by the dissolution");
                continue;
            }
        };
        c.check(out, key, &actual);
    }
    Ok(())
}
