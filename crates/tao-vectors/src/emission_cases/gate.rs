//! Emission-share cases of spec 440+: a `subnets` list (netuid, moving price, miner burn,
//! optional emission-enabled flag) at one `block`, or a `steps` list of such blocks sharing one
//! stored bar; run through [`tao_engine::emission::gate`].
//!
//! Parameters come from the inputs (`emission_bar_rank`, `emission_gate_bar_bits_before`,
//! `apply_miner_burn_factor`, optional `emission_bar_quantile_bits` / `emission_gate_exponent_bits`)
//! or else the file's environment (`EmissionBarQuantile_bits`, `EmissionGateExponent_bits`).
//! The burn factor is applied unless `apply_miner_burn_factor` is false (the upstream tests are
//! spec 440, where it is on).

use super::compare::{text, Actual};
use super::expr::Vars;
use super::Ctx;
use crate::Outcomes;
use core::str::FromStr;
use serde_json::Value;
use substrate_fixed::types::{I96F32, U64F64, U96F32};
use tao_engine::emission::gate::{
    gate_factor, subnet_block_emissions_gated, BurnFactor, EmissionGate, GateBar, GatedShares,
    DEFAULT_EMISSION_BAR_QUANTILE_BITS, DEFAULT_EMISSION_GATE_EXPONENT,
};
use tao_engine::emission::shares::ShareInput;

/// A computed quantity: a scalar, a map keyed by netuid, or a list per step.
#[derive(Debug, Clone)]
pub(super) enum Val {
    Scalar(Actual),
    Map(Vec<(String, Actual)>),
    List(Vec<Val>),
}

/// One evaluated block.
struct Block {
    gated: GatedShares,
    enabled: Vec<(u16, U64F64)>,
    emissions: Vec<(u16, U96F32)>,
    exponent: U64F64,
}

fn parse_inputs(list: &[Value]) -> Option<Vec<ShareInput>> {
    list.iter()
        .map(|s| {
            let netuid = s.get("netuid").and_then(|v| text(v)?.parse().ok())?;
            let moving_price = match s.get("moving_price_bits").and_then(text) {
                Some(b) => I96F32::from_bits(b.parse().ok()?),
                None => I96F32::from_str(&text(s.get("moving_price")?)?).ok()?,
            };
            let miner_burned = match s.get("miner_burned").and_then(text) {
                Some(t) => U96F32::from_str(&t).ok()?,
                None => U96F32::from_num(0),
            };
            Some(ShareInput {
                netuid,
                moving_price: U64F64::saturating_from_num(moving_price),
                miner_burned,
                emission_enabled: s
                    .get("subnet_emission_enabled")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            })
        })
        .collect()
}

fn bits_param(ctx: &Ctx, input: &str, env: &str) -> Option<u128> {
    ctx.text(input)
        .or_else(|| ctx.doc.get("environment")?.get(env).and_then(text))
        .and_then(|t| t.trim().parse().ok())
}

fn int_param(ctx: &Ctx, key: &str) -> u128 {
    ctx.text(key)
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0)
}

/// A U64F64 parameter given as a decimal: `saturating_from_num` of the float, as the chain's
/// defaults and the upstream tests build it.
fn decimal_param(ctx: &Ctx, input: &str) -> Option<u128> {
    ctx.f64_input(input)
        .map(|f| U64F64::saturating_from_num(f).to_bits())
}

/// The gate parameters of a case.
fn gate_of(ctx: &Ctx) -> EmissionGate {
    let q = bits_param(
        ctx,
        "emission_bar_quantile_bits",
        "EmissionBarQuantile_bits",
    )
    .or_else(|| decimal_param(ctx, "emission_bar_quantile"))
    .unwrap_or(DEFAULT_EMISSION_BAR_QUANTILE_BITS);
    let h = bits_param(
        ctx,
        "emission_gate_exponent_bits",
        "EmissionGateExponent_bits",
    )
    .or_else(|| decimal_param(ctx, "emission_gate_exponent"))
    .unwrap_or_else(|| U64F64::from_num(DEFAULT_EMISSION_GATE_EXPONENT).to_bits());
    let rank = u16::try_from(int_param(ctx, "emission_bar_rank")).unwrap_or(u16::MAX);
    EmissionGate::On {
        bar: GateBar::from_storage(rank, q),
        exponent_bits: h,
    }
}

fn run_block(
    inputs: &[ShareInput],
    burn: BurnFactor,
    gate: EmissionGate,
    block: u64,
    bar: U64F64,
    e: U96F32,
) -> Block {
    let r = subnet_block_emissions_gated(inputs, burn, gate, block, bar, e);
    let exponent = match gate {
        EmissionGate::On { exponent_bits, .. } => U64F64::from_bits(exponent_bits),
        EmissionGate::Off => U64F64::from_num(0),
    };
    Block {
        gated: r.gated,
        enabled: r.enabled,
        emissions: r.emissions,
        exponent,
    }
}

fn share_val(v: &[(u16, U64F64)], bits: bool) -> Val {
    Val::Map(
        v.iter()
            .map(|(n, s)| {
                let a = if bits {
                    Actual::int(s.to_bits())
                } else {
                    Actual::real(s.to_num::<f64>())
                };
                (n.to_string(), a)
            })
            .collect(),
    )
}

/// The value of `field` for one block.
fn block_value(b: &Block, field: &str) -> Option<Val> {
    let bits = field.ends_with("_bits");
    let g = &b.gated;
    Some(match field {
        "shares" | "shares_bits" | "gated_shares_bits" => share_val(&g.shares, bits),
        "price_shares_bits" => share_val(&g.price, true),
        "weighted_shares_bits" => share_val(&g.weighted, true),
        "final_shares_bits" => share_val(&b.enabled, true),
        "emission_gate_bar" => Val::Scalar(Actual::real(g.bar.to_num::<f64>())),
        "emission_gate_bar_bits" => Val::Scalar(Actual::int(g.bar.to_bits())),
        "share_sum" => Val::Scalar(Actual::real(
            g.shares
                .iter()
                .fold(U64F64::from_num(0), |a, (_, s)| a.saturating_add(*s))
                .to_num::<f64>(),
        )),
        "gate_factor_bits" => Val::Map(
            g.weighted
                .iter()
                .filter(|(_, s)| *s > U64F64::from_num(0))
                .map(|(n, s)| {
                    let f = gate_factor(g.bar, *s, b.exponent);
                    (n.to_string(), Actual::int(f.to_bits()))
                })
                .collect(),
        ),
        "tao_emission_u96f32_bits" => Val::Map(
            b.emissions
                .iter()
                .map(|(n, e)| (n.to_string(), Actual::int(e.to_bits())))
                .collect(),
        ),
        "tao_emission_floor" => Val::Map(
            b.emissions
                .iter()
                .map(|(n, e)| (n.to_string(), Actual::int(u128::from(e.to_num::<u64>()))))
                .collect(),
        ),
        _ => return None,
    })
}

/// Spec-440+ share cases (`subnets` at one block, or `steps`).
pub(super) fn gate_case(ctx: &Ctx, out: &mut Outcomes) {
    let gate = gate_of(ctx);
    let burn = match ctx
        .input("apply_miner_burn_factor")
        .and_then(Value::as_bool)
    {
        Some(false) => BurnFactor::Ignored,
        _ => BurnFactor::Applied,
    };
    let e = U96F32::from_num(int_param(ctx, "block_emission"));
    let mut bar = U64F64::from_bits(int_param(ctx, "emission_gate_bar_bits_before"));
    let steps: Vec<(u64, &Value)> = match ctx.input("steps").and_then(Value::as_array) {
        Some(steps) => steps
            .iter()
            .map(|s| {
                (
                    s.get("block")
                        .and_then(super::super::json::as_u64)
                        .unwrap_or(0),
                    s,
                )
            })
            .collect(),
        None => match ctx.case.get("inputs") {
            Some(i) => vec![(ctx.u64_input("block").unwrap_or(0), i)],
            None => Vec::new(),
        },
    };
    let mut blocks = Vec::with_capacity(steps.len());
    for (block, step) in steps {
        let Some(inputs) = step
            .get("subnets")
            .and_then(Value::as_array)
            .and_then(|l| parse_inputs(l))
        else {
            out.fail(ctx.name, "case", "gate case: unreadable subnets list");
            return;
        };
        let b = run_block(&inputs, burn, gate, block, bar, e);
        bar = b.gated.bar;
        blocks.push(b);
    }
    let value = |field: &str| -> Option<Val> {
        match field.strip_suffix("_after_step") {
            Some(base) => blocks
                .iter()
                .map(|b| block_value(b, base))
                .collect::<Option<Vec<Val>>>()
                .map(Val::List),
            None => blocks.first().and_then(|b| block_value(b, field)),
        }
    };
    check_all(ctx, out, &value);
}

/// Compare every `expected` key under the assertion and every `derived` key exactly, one outcome
/// per key; maps must have the same keys and lists the same length.
pub(super) fn check_all(ctx: &Ctx, out: &mut Outcomes, value: &dyn Fn(&str) -> Option<Val>) {
    let vars = Vars::new();
    for (derived, map) in [(false, ctx.expected()), (true, ctx.derived())] {
        let Some(map) = map else { continue };
        for (field, exp) in map {
            if field == "note" {
                continue;
            }
            let label = if derived {
                format!("derived.{field}")
            } else {
                field.clone()
            };
            let Some(act) = value(field) else {
                out.record(ctx.name, &label, false, exp, "(not computed)");
                continue;
            };
            let mut why = Vec::new();
            let ok = same(ctx, field, exp, &act, derived, &vars, "", &mut why);
            out.record(ctx.name, &label, ok, exp, why.join(", "));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn same(
    ctx: &Ctx,
    field: &str,
    exp: &Value,
    act: &Val,
    derived: bool,
    vars: &Vars,
    path: &str,
    why: &mut Vec<String>,
) -> bool {
    match (exp, act) {
        (Value::Object(m), Val::Map(a)) => {
            let keys_ok = m.len() == a.len() && a.iter().all(|(k, _)| m.contains_key(k));
            if !keys_ok {
                let keys: Vec<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
                why.push(format!("{path}keys {keys:?}"));
            }
            let mut ok = keys_ok;
            for (k, e) in m {
                let sub = format!("{path}{k}: ");
                match a.iter().find(|(x, _)| x == k) {
                    Some((_, v)) => {
                        ok &= same(ctx, field, e, &Val::Scalar(*v), derived, vars, &sub, why)
                    }
                    None => ok = false,
                }
            }
            ok
        }
        (Value::Array(l), Val::List(a)) => {
            let mut ok = l.len() == a.len();
            if !ok {
                why.push(format!("{path}length {}", a.len()));
            }
            for (i, (e, v)) in l.iter().zip(a).enumerate() {
                ok &= same(
                    ctx,
                    field,
                    e,
                    v,
                    derived,
                    vars,
                    &format!("{path}[{i}] "),
                    why,
                );
            }
            ok
        }
        (e, Val::Scalar(a)) => {
            why.push(format!("{path}{a}"));
            let Some(t) = text(e) else { return false };
            if derived {
                match (t.trim().parse::<u128>(), a.int) {
                    (Ok(x), Some(y)) => x == y,
                    _ => t.trim().parse::<f64>().is_ok_and(|x| x == a.f),
                }
            } else {
                ctx.assertion.matches(field, &t, *a, vars).unwrap_or(false)
            }
        }
        _ => {
            why.push(format!("{path}(shape differs)"));
            false
        }
    }
}
