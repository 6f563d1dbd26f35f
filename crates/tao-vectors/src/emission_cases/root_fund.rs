//! `root-claim` cases of the Root Reborn fund (spec 441+): pure functions of
//! `tao_engine::emission::root_fund`, named by `inputs.function`.
//!
//! Recognised by shape: a `root-claim` case whose inputs carry a `function` string. The
//! historical `RootClaimable` cases (no `function`) stay with [`super::distribution`].

use super::compare::{self, text, Actual};
use super::expr::Vars;
use super::Ctx;
use crate::Outcomes;
use serde_json::Value;
use std::collections::BTreeMap;
use substrate_fixed::types::I96F32;
use tao_engine::emission::root_fund::dust::{self, DustRules};
use tao_engine::emission::root_fund::math::{basket_payout_from, mul_div_u64};
use tao_engine::emission::root_fund::mint::{basket_shares_for_value, can_keep_basket_dividend};
use tao_engine::emission::root_fund::plan::{plan_claim_rows, ValuedRow};
use tao_engine::emission::root_fund::watermark::{add_claimed, owed_shares, rebase_claimed};
use tao_engine::emission::root_fund::RootFund;

/// A computed result.
enum Val {
    Int(u128),
    /// A signed or fractional value.
    Num(Actual),
    Bool(bool),
    List(Vec<Actual>),
}

/// Whether the case is a fund-function case.
pub(super) fn is_fund_case(ctx: &Ctx) -> bool {
    ctx.input("function").and_then(Value::as_str).is_some()
}

/// Evaluate a fund-function case and compare every expected key.
pub(super) fn fund_case(ctx: &Ctx, out: &mut Outcomes) {
    let function = ctx.text("function").unwrap_or_default();
    let results = match evaluate(ctx, &function) {
        Ok(r) => r,
        Err(why) => {
            out.fail(ctx.name, "case", why);
            return;
        }
    };
    let Some(expected) = ctx.expected() else {
        out.fail(ctx.name, "case", "no expected values");
        return;
    };
    let vars = Vars::new();
    for (key, exp) in expected {
        check(ctx, out, key, exp, results.get(key.as_str()), &vars);
    }
    ctx.check_derived(out, &|key| match derived_source(key, &results) {
        Some(Val::Int(i)) => Some(Actual::int(*i)),
        _ => None,
    });
}

/// A derived key maps to the result it restates (`row_floor_at_nominal_nav` → `row_floor`: the
/// case's `anchored_nav` is the nominal NAV).
fn derived_source<'a>(key: &str, results: &'a BTreeMap<&'static str, Val>) -> Option<&'a Val> {
    results
        .iter()
        .filter(|(name, _)| key.starts_with(*name))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, v)| v)
}

fn check(ctx: &Ctx, out: &mut Outcomes, key: &str, exp: &Value, actual: Option<&Val>, vars: &Vars) {
    match (exp, actual) {
        (_, None) => out.record(ctx.name, key, false, exp, "(not computed)"),
        (Value::Bool(e), Some(Val::Bool(a))) => out.record(ctx.name, key, e == a, e, a),
        (Value::Array(_), Some(Val::List(list))) => {
            compare::check_group(out, ctx.name, key, exp, &ctx.assertion, vars, &|k| {
                let i: usize = k?.parse().ok()?;
                list.get(i).copied()
            });
        }
        (_, Some(v @ (Val::Int(_) | Val::Num(_)))) => {
            let a = match v {
                Val::Int(i) => Actual::int(*i),
                Val::Num(n) => *n,
                _ => return,
            };
            let Some(exp_text) = text(exp) else {
                out.record(ctx.name, key, false, exp, "(unsupported expected shape)");
                return;
            };
            // `"> x AND < y"`: every part must hold.
            let parts: Vec<&str> = exp_text.split(" AND ").collect();
            let ok = parts
                .iter()
                .all(|p| ctx.assertion.matches(key, p, a, vars).unwrap_or(false));
            out.record(ctx.name, key, ok, exp_text, a);
        }
        (_, Some(_)) => out.record(ctx.name, key, false, exp, "(result of another type)"),
    }
}

fn u64_in(ctx: &Ctx, key: &str) -> Result<u64, String> {
    let t = ctx
        .text(key)
        .ok_or_else(|| format!("missing input {key}"))?;
    t.trim()
        .parse::<u64>()
        .map_err(|_| format!("input {key} = {t:?} is not a u64"))
}

fn u64_or(ctx: &Ctx, key: &str, default: u64) -> Result<u64, String> {
    if ctx.has(key) {
        u64_in(ctx, key)
    } else {
        Ok(default)
    }
}

/// The input whose name is `name` or starts with `name_` (`a_value_added` for `a`).
fn named_u64(ctx: &Ctx, name: &str) -> Result<u64, String> {
    let inputs = ctx
        .case
        .get("inputs")
        .and_then(Value::as_object)
        .ok_or("no inputs")?;
    let key = inputs
        .keys()
        .find(|k| k.as_str() == name || k.starts_with(&format!("{name}_")))
        .ok_or_else(|| format!("missing input {name}"))?;
    u64_in(ctx, key)
}

fn evaluate(ctx: &Ctx, function: &str) -> Result<BTreeMap<&'static str, Val>, String> {
    let mut r = BTreeMap::new();
    match function {
        "basket_payout_from" => {
            let p = basket_payout_from(
                u64_in(ctx, "owed_shares")?,
                u64_in(ctx, "nav")?,
                u64_in(ctx, "shares_total")?,
            );
            r.insert("payout", Val::Int(p.into()));
        }
        "basket_shares_for_value" => {
            let s = basket_shares_for_value(
                u64_in(ctx, "value")?,
                u64_in(ctx, "nav_before")?,
                u64_in(ctx, "shares_outstanding")?,
            );
            r.insert("shares", Val::Int(s.into()));
        }
        "mul_div_u64" => {
            let v = mul_div_u64(
                named_u64(ctx, "a")?,
                named_u64(ctx, "b")?,
                named_u64(ctx, "denom")?,
            );
            r.insert("result", Val::Int(v.into()));
        }
        "can_keep_basket_dividend" => {
            let keep = can_keep_basket_dividend(
                u64_in(ctx, "total_root")?,
                u64_in(ctx, "escrow_root")?,
                u64_in(ctx, "shares")?,
            );
            r.insert("keep", Val::Bool(keep));
        }
        "constants" => {
            r.insert(
                "DEFAULT_BASKET_CLAIM_SLICE_DUST_TAO",
                Val::Int(dust::DEFAULT_SLICE_DUST_TAO.into()),
            );
            r.insert(
                "DEFAULT_BASKET_CLAIM_FORFEIT_CAP_TAO",
                Val::Int(dust::DEFAULT_FORFEIT_CAP_TAO.into()),
            );
            r.insert(
                "DEFAULT_BASKET_CLAIM_ROW_DUST_CAP_TAO",
                Val::Int(dust::DEFAULT_ROW_DUST_CAP_TAO.into()),
            );
            r.insert(
                "DEFAULT_BASKET_CLAIM_ROW_DUST_BPS",
                Val::Int(dust::DEFAULT_ROW_DUST_BPS.into()),
            );
        }
        "basket_claim_row_dust_floor" => {
            let bps = u16::try_from(u64_in(ctx, "row_dust_bps")?)
                .map_err(|_| "row_dust_bps above u16".to_string())?;
            let f = dust::basket_claim_row_dust_floor(
                u64_in(ctx, "anchored_nav")?,
                u64_in(ctx, "row_dust_cap")?,
                bps,
            );
            r.insert("row_floor", Val::Int(f.into()));
        }
        "basket_row_is_claim_dust" => {
            let d = dust::basket_row_is_claim_dust(
                u64_in(ctx, "anchored")?,
                u64_in(ctx, "owed_shares")?,
                u64_in(ctx, "shares_total")?,
                u64_in(ctx, "row_dust")?,
                u64_in(ctx, "slice_dust")?,
                u64_in(ctx, "forfeit_cap")?,
            );
            r.insert("is_dust", Val::Bool(d));
        }
        "plan_basket_claim" => {
            let rules = plan_rules(ctx)?;
            let rows = plan_rows(ctx)?;
            let plan = plan_claim_rows(
                rows,
                u64_in(ctx, "owed_shares")?,
                u64_in(ctx, "shares_total")?,
                &rules,
            );
            let dust_rows = plan.iter().filter(|row| row.dust).count();
            r.insert("rows_marked_dust", Val::Int(dust_rows as u128));
        }
        "get_basket_owed_shares+rebase_basket_claimed_for_stake_delta"
        | "get_basket_owed_shares"
        | "rebase_basket_claimed_for_stake_delta" => watermark_steps(ctx, &mut r)?,
        other => return Err(format!("unknown fund function {other:?}")),
    }
    Ok(r)
}

/// Dust knobs of a plan case: given inputs, else the spec-468 defaults (the file's era).
fn plan_rules(ctx: &Ctx) -> Result<DustRules, String> {
    let d = DustRules::SPEC_468;
    Ok(DustRules {
        row_dust_cap_tao: u64_or(ctx, "row_dust_cap", d.row_dust_cap_tao)?,
        row_dust_bps: u16::try_from(u64_or(ctx, "row_dust_bps", d.row_dust_bps.into())?)
            .map_err(|_| "row_dust_bps above u16".to_string())?,
        slice_dust_tao: u64_or(ctx, "slice_dust", d.slice_dust_tao)?,
        forfeit_cap_tao: u64_or(ctx, "forfeit_cap", d.forfeit_cap_tao)?,
    })
}

/// Rows of a plan case: `rows: [{netuid, alpha, value, anchored, terminal}]` (any missing value
/// defaults to the alpha; absent rows = an empty fund).
fn plan_rows(ctx: &Ctx) -> Result<Vec<ValuedRow>, String> {
    let Some(rows) = ctx.input("rows") else {
        return Ok(Vec::new());
    };
    let rows = rows.as_array().ok_or("rows is not a list")?;
    rows.iter()
        .map(|row| {
            let num = |k: &str| -> Option<u64> { row.get(k).and_then(text)?.trim().parse().ok() };
            let alpha = num("alpha").ok_or("row without alpha")?;
            let value = num("value").or_else(|| num("realizable")).unwrap_or(alpha);
            Ok(ValuedRow {
                netuid: num("netuid")
                    .and_then(|n| u16::try_from(n).ok())
                    .unwrap_or(1),
                alpha,
                value,
                anchored: num("anchored").unwrap_or(value),
                terminal: row
                    .get("terminal")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                dust: false,
            })
        })
        .collect()
}

/// A sequence of rate changes, root-stake changes and claims on one staker.
fn watermark_steps(ctx: &Ctx, r: &mut BTreeMap<&'static str, Val>) -> Result<(), String> {
    const STAKER: u64 = 1;
    let Some(steps) = ctx.input("steps").and_then(Value::as_array) else {
        return watermark_single(ctx, r);
    };
    let mut fund = RootFund::registered();
    let (mut owed, mut claimed, mut stake) = (Vec::new(), Vec::new(), Vec::new());
    for step in steps {
        let field = |k: &str| step.get(k).and_then(text);
        let int = |k: &str| -> Result<i128, String> {
            let t = field(k).ok_or_else(|| format!("step without {k}"))?;
            t.trim()
                .parse::<i128>()
                .map_err(|_| format!("{k} = {t:?} is not an integer"))
        };
        match field("op").as_deref() {
            Some("set_rate") => {
                let t = field("basket_rate").ok_or("set_rate without basket_rate")?;
                fund.rate = t
                    .trim()
                    .parse::<I96F32>()
                    .map_err(|_| format!("basket_rate {t:?}"))?;
            }
            Some("stake") | Some("unstake") => {
                change_stake(&mut fund, STAKER, int("root_stake_delta")?)?;
            }
            Some("claim") => {
                let shares = int("claimed_shares")?;
                let restaked = if step.get("realized_tao_restaked_on_root").is_some() {
                    int("realized_tao_restaked_on_root")?
                } else {
                    0
                };
                // Claim settlement order: stake the TAO on root (rebase), then advance the
                // watermark by the owed shares.
                change_stake(&mut fund, STAKER, restaked)?;
                add_claimed(&mut fund, STAKER, shares);
            }
            other => return Err(format!("unknown step op {other:?}")),
        }
        owed.push(Actual::int(owed_shares(&fund, STAKER).into()));
        claimed.push(fund.claimed(STAKER));
        stake.push(Actual::int(fund.root_stake(STAKER).into()));
    }
    // Watermarks are signed: a negative one compares by value.
    let claimed: Vec<Actual> = claimed
        .into_iter()
        .map(|c| match u128::try_from(c) {
            Ok(u) => Actual::int(u),
            Err(_) => Actual::real(c as f64),
        })
        .collect();
    r.insert("owed_after_step", Val::List(owed));
    r.insert("basket_claimed_after_step", Val::List(claimed));
    r.insert("root_stake_after_step", Val::List(stake));
    Ok(())
}

/// Apply a root-stake change with its watermark rebase.
fn change_stake(fund: &mut RootFund, coldkey: u64, delta: i128) -> Result<(), String> {
    let current = i128::from(fund.root_stake(coldkey));
    let next = u64::try_from(current.saturating_add(delta))
        .map_err(|_| format!("root stake {current} + {delta} out of range"))?;
    fund.root_stakes.insert(coldkey, next);
    rebase_claimed(fund, coldkey, delta);
    Ok(())
}

/// The single-state shape: `basket_rate`, `root_stake`, `basket_claimed` and an optional
/// `root_stake_delta`; results are the owed shares, the watermark and the stake after it.
fn watermark_single(ctx: &Ctx, r: &mut BTreeMap<&'static str, Val>) -> Result<(), String> {
    const STAKER: u64 = 1;
    let signed = |key: &str| -> Result<i128, String> {
        match ctx.text(key) {
            None => Ok(0),
            Some(t) => t
                .trim()
                .parse::<i128>()
                .map_err(|_| format!("{key} = {t:?} is not an integer")),
        }
    };
    let mut fund = RootFund::registered();
    if let Some(t) = ctx.text("basket_rate") {
        fund.rate = t
            .trim()
            .parse::<I96F32>()
            .map_err(|_| format!("basket_rate {t:?}"))?;
    }
    let stake = u64_or(ctx, "root_stake", 0)?;
    fund.root_stakes.insert(STAKER, stake);
    add_claimed(&mut fund, STAKER, signed("basket_claimed")?);
    change_stake(&mut fund, STAKER, signed("root_stake_delta")?)?;
    let owed = u128::from(owed_shares(&fund, STAKER));
    let claimed = fund.claimed(STAKER);
    let claimed = match u128::try_from(claimed) {
        Ok(u) => Actual::int(u),
        Err(_) => Actual::real(claimed as f64),
    };
    r.insert("owed", Val::Int(owed));
    r.insert("owed_shares", Val::Int(owed));
    r.insert("basket_claimed", Val::Num(claimed));
    r.insert("root_stake", Val::Int(fund.root_stake(STAKER).into()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::run_file;

    fn run(cases: serde_json::Value) -> (usize, usize) {
        let doc = serde_json::json!({
            "schema": "pool-vectors/v1",
            "category": "root-claim",
            "cases": cases,
        });
        let report = run_file(&doc.to_string()).unwrap();
        (report.passed(), report.failed())
    }

    #[test]
    fn signed_watermarks_and_unknown_functions() {
        // 0.75 × −401 = −300.75 → −301; owed = 0.75 × 599 − (−301) = 750.25 → 750.
        let ok = serde_json::json!([{
            "name": "single",
            "inputs": {"function": "rebase_basket_claimed_for_stake_delta", "basket_rate": "0.75",
                       "root_stake": "1000", "root_stake_delta": "-401"},
            "expected": {"basket_claimed": "-301", "owed_shares": "750", "root_stake": "599"}
        }]);
        assert_eq!(run(ok), (3, 0));
        let wrong = serde_json::json!([{
            "name": "single",
            "inputs": {"function": "rebase_basket_claimed_for_stake_delta", "basket_rate": "0.75",
                       "root_stake": "1000", "root_stake_delta": "-401"},
            "expected": {"basket_claimed": "-300"}
        }]);
        assert_eq!(run(wrong), (0, 1));
        let unknown = serde_json::json!([{
            "name": "x", "inputs": {"function": "no_such_fn"}, "expected": {"y": "1"}
        }]);
        assert_eq!(run(unknown), (0, 1));
    }

    #[test]
    fn plan_rows_mark_dust() {
        let case = serde_json::json!([{
            "name": "plan",
            "inputs": {"function": "plan_basket_claim", "owed_shares": "1", "shares_total": "100000",
                       "rows": [{"netuid": 1, "alpha": "20000000000"},
                                {"netuid": 2, "alpha": "5000000000"},
                                {"netuid": 0, "alpha": "1000"}]},
            "expected": {"rows_marked_dust": 1}
        }]);
        assert_eq!(run(case), (1, 0));
    }
}
