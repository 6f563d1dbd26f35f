//! Coinbase cases of the reservoir era (spec `pool-after-425.md` §2.3–§2.5): one subnet's
//! injection with a reservoir, alpha issuance including the alpha reservoir, and dissolution
//! folding the reservoirs into the pot.
//!
//! Recognised by a `balancer_tao_reservoir` or `balancer_alpha_reservoir` input; then
//! `stakers` selects the dissolution, `tao_in`/`alpha_in` the injection, and
//! `subnet_alpha_out` the issuance reading. Runs under [`ProtocolLiquidity::Reservoir`].

use super::compare::{check_group, text, Actual};
use super::expr::Vars;
use super::Ctx;
use crate::Outcomes;
use serde_json::Value;
use substrate_fixed::types::U96F32;
use tao_engine::emission::reservoir_injection::ProtocolLiquidity;
use tao_engine::emission::{Network, SubnetPool, SubnetState};
use tao_engine::pool::reservoir::Reservoirs;
use tao_engine::stake::subnet::{dissolve_payout, DissolveInput};

/// Whether the case's inputs carry balancer reservoirs.
pub(super) fn is_reservoir_case(ctx: &Ctx) -> bool {
    ctx.has("balancer_tao_reservoir") || ctx.has("balancer_alpha_reservoir")
}

pub(super) fn reservoir_case(ctx: &Ctx, out: &mut Outcomes) {
    if ctx.has("stakers") {
        dissolve_case(ctx, out);
    } else if ctx.has("tao_in") || ctx.has("alpha_in") {
        injection_case(ctx, out);
    } else if ctx.has("subnet_alpha_out") {
        issuance_case(ctx, out);
    } else {
        out.fail(ctx.name, "case", "unrecognised reservoir case shape");
    }
}

fn reservoirs(ctx: &Ctx) -> Reservoirs {
    Reservoirs {
        tao: ctx.u64_input("balancer_tao_reservoir").unwrap_or(0),
        alpha: ctx.u64_input("balancer_alpha_reservoir").unwrap_or(0),
    }
}

/// Netuid 1: a dynamic pool with the environment's weight and fee, and the case's reservoirs.
fn network(ctx: &Ctx) -> Network<tao_engine::emission::BalancerPool> {
    let mut net = ctx.network();
    net.params.protocol_liquidity = ProtocolLiquidity::Reservoir;
    let mut pool = ctx.pool(
        1,
        ctx.u64_input("subnet_tao").unwrap_or(0),
        ctx.u64_input("subnet_alpha_in").unwrap_or(0),
    );
    pool.reservoirs = reservoirs(ctx);
    let mut s = SubnetState::new(pool);
    s.alpha_out = ctx.u64_input("subnet_alpha_out").unwrap_or(0);
    s.protocol_alpha = ctx.u64_input("subnet_protocol_alpha").unwrap_or(0);
    net.subnets.insert(1, s);
    net
}

/// Check every expected key: booleans directly, the rest under the case's assertion.
fn check_all(
    ctx: &Ctx,
    out: &mut Outcomes,
    value: &dyn Fn(&str) -> Option<Actual>,
    flag: &dyn Fn(&str) -> Option<bool>,
) {
    let Some(expected) = ctx.expected() else {
        return;
    };
    let vars = Vars::new();
    for (field, exp) in expected {
        if let Value::Bool(want) = exp {
            match flag(field) {
                Some(got) => out.record(ctx.name, field, got == *want, want, got),
                None => out.fail(ctx.name, field, "flag not produced"),
            }
            continue;
        }
        let v = value(field);
        check_group(out, ctx.name, field, exp, &ctx.assertion, &vars, &|_| v);
    }
}

/// A derived list of integers, compared exactly.
fn check_derived_list(ctx: &Ctx, out: &mut Outcomes, key: &str, got: &[u64]) {
    let Some(exp) = ctx.derived().and_then(|d| d.get(key)) else {
        return;
    };
    let want: Option<Vec<u64>> = exp.as_array().and_then(|a| {
        a.iter()
            .map(|v| text(v).and_then(|t| t.trim().parse().ok()))
            .collect()
    });
    out.record(
        ctx.name,
        &format!("derived.{key}"),
        want.as_deref() == Some(got),
        exp.to_string(),
        format!("{got:?}"),
    );
}

fn injection_case(ctx: &Ctx, out: &mut Outcomes) {
    let mut net = network(ctx);
    let mut credit = ctx.u64_input("block_credit").unwrap_or(0);
    net.mint(credit);
    let r = net.inject_subnet_reservoir(
        1,
        U96F32::from_num(0),
        ctx.u64_input("tao_in").unwrap_or(0),
        ctx.u64_input("alpha_in").unwrap_or(0),
        ctx.u64_input("excess_tao").unwrap_or(0),
        &mut credit,
    );
    let Some(s) = net.subnets.get(&1) else {
        out.fail(ctx.name, "case", "subnet missing");
        return;
    };
    let int = |v: u64| Some(Actual::int(u128::from(v)));
    let value = |field: &str| match field {
        "subnet_tao_after" => int(s.pool.tao_reserve()),
        "subnet_alpha_in_after" => int(s.pool.alpha_reserve()),
        "subnet_tao_in_emission" => int(s.last.tao_in),
        "subnet_alpha_in_emission" => int(s.last.alpha_in),
        "subnet_excess_tao" => int(s.last.excess_tao),
        "subnet_protocol_flow" => Some(Actual::int(u128::try_from(r.protocol_flow).unwrap_or(0))),
        "balancer_tao_reservoir_after" => int(s.pool.reservoirs().tao),
        "balancer_alpha_reservoir_after" => int(s.pool.reservoirs().alpha),
        "alpha_minted" => int(r.alpha_minted),
        "credit_left" => int(credit),
        _ => None,
    };
    check_all(ctx, out, &value, &|_| None);
    if let Some(derived) = ctx.derived() {
        for (key, exp) in derived {
            if key == "price_active" {
                check_derived_list(ctx, out, key, &[r.price_active_tao, r.price_active_alpha]);
            } else if key != "note" {
                super::compare::check_derived(out, ctx.name, key, exp, value(key));
            }
        }
    }
}

fn issuance_case(ctx: &Ctx, out: &mut Outcomes) {
    let mut net = network(ctx);
    let now = net.alpha_issuance(1);
    // The upstream test only advances the block number: no coinbase runs in between.
    net.block = net.block.saturating_add(1);
    let next = net.alpha_issuance(1);
    let Some(s) = net.subnets.get(&1) else {
        out.fail(ctx.name, "case", "subnet missing");
        return;
    };
    let int = |v: u64| Some(Actual::int(u128::from(v)));
    let value = |field: &str| match field {
        "alpha_issuance" => int(now),
        "alpha_issuance_next_block" => int(next),
        "subnet_alpha_in_next_block" => int(s.pool.alpha_reserve()),
        "balancer_alpha_reservoir_next_block" => int(s.pool.reservoirs().alpha),
        _ => None,
    };
    check_all(ctx, out, &value, &|_| None);
}

fn dissolve_case(ctx: &Ctx, out: &mut Outcomes) {
    let mut net = network(ctx);
    let stakes: Vec<u64> = ctx
        .input("stakers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.get("alpha").and_then(text))
                .filter_map(|t| t.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let Some(s) = net.subnets.get_mut(&1) else {
        out.fail(ctx.name, "case", "subnet missing");
        return;
    };
    // clear_protocol_liquidity folds the reservoirs into the reserves before anything is read.
    s.pool.materialize_reservoirs();
    let registered = ctx.u64_input("network_registered_at").unwrap_or(0);
    let deployment = ctx.u64_input("tao_in_refund_deployment_block").unwrap_or(0);
    let input = DissolveInput {
        pot: s.pool.tao_reserve(),
        stakes,
        protocol_alpha: s.protocol_alpha,
        alpha_in: s.pool.alpha_reserve(),
        // `NetworkRegisteredAt > TaoInRefundDeploymentBlock`: SubnetAlphaIn is protocol value.
        alpha_in_is_claimant: registered > deployment,
        legacy_refund: None,
    };
    let p = dissolve_payout(&input);
    let recycled = p.protocol.saturating_add(p.undistributed);
    let left = s.pool.reservoirs();
    net.subnets.remove(&1);
    let removed = !net.subnets.contains_key(&1);
    let value = |field: &str| match field {
        "staker_coldkey_balance_delta" => p.stakers.first().map(|v| Actual::int(u128::from(*v))),
        "protocol_recycled" => Some(Actual::int(u128::from(recycled))),
        _ => None,
    };
    let flag = |field: &str| match field {
        "total_issuance_decreases" => Some(recycled > 0),
        "balancer_tao_reservoir_after_exists" => Some(left.tao != 0),
        "balancer_alpha_reservoir_after_exists" => Some(left.alpha != 0),
        "subnet_removed" => Some(removed),
        _ => None,
    };
    check_all(ctx, out, &value, &flag);
}
