//! Moving-price and emission-share cases.

use super::compare::{check_group, Actual};
use super::expr::Vars;
use super::Ctx;
use crate::Outcomes;
use serde_json::Value;
use substrate_fixed::types::{I64F64, I96F32, U64F64, U96F32};
use tao_engine::emission::flow::{flow_shares, pow_normalize};
use tao_engine::emission::moving_price::{
    moving_alpha_price, update_moving_price, MovingPriceInput,
};
use tao_engine::emission::shares::{price_shares, ShareInput};
use tao_engine::emission::SubnetPool;

/// `update_moving_price` run `updates` times from `old_moving`.
pub(super) fn moving_price_case(ctx: &Ctx, out: &mut Outcomes) {
    let (Some(ma), Some(block)) = (ctx.f64_input("moving_alpha"), ctx.u64_input("block")) else {
        out.fail(
            ctx.name,
            "case",
            "moving-price case needs moving_alpha and block",
        );
        return;
    };
    let first = ctx.u64_input("first_emission_block");
    let halving = ctx
        .u64_input("halving_blocks")
        .unwrap_or(ctx.env.ema_halving_blocks);
    let updates = ctx.u64_input("updates").unwrap_or(1);
    // Spot price: from the inputs' reserves, else the environment's pool behind it.
    let spot = match (ctx.u64_input("subnet_tao"), ctx.u64_input("alpha_in")) {
        (Some(t), Some(a)) => ctx.pool(1, t, a).price(),
        _ => match ctx.env.spot_price {
            Some((_, Some(r))) => ctx.pool(1, r, r).price(),
            Some((p, None)) => U64F64::from_num(p),
            None => ctx
                .f64_input("spot_price")
                .map_or(U64F64::from_num(1), U64F64::from_num),
        },
    };
    let mut moving = I96F32::from_num(ctx.f64_input("old_moving").unwrap_or(0.0));
    for _ in 0..updates {
        moving = update_moving_price(&MovingPriceInput {
            current_block: block,
            first_emission_block: first,
            halving_blocks: halving,
            moving_alpha: I96F32::from_num(ma),
            spot_price: spot,
            current_moving: moving_alpha_price(moving, false),
        });
    }
    let value = Actual::real(moving.to_num::<f64>());
    let vars = Vars::new();
    if let Some(expected) = ctx.expected() {
        for (field, exp) in expected {
            let actual = |_: Option<&str>| (field == "moving_price").then_some(value);
            check_group(out, ctx.name, field, exp, &ctx.assertion, &vars, &actual);
        }
    }
    ctx.check_derived(out, &|key| {
        matches!(key, "formula" | "moving_price").then_some(value)
    });
}

fn list_f64(v: &Value) -> Option<Vec<f64>> {
    v.as_array()?
        .iter()
        .map(|x| super::compare::text(x).and_then(|t| super::expr::target(&t, &Vars::new())))
        .collect()
}

fn map_f64(v: &Value) -> Option<Vec<(u16, f64)>> {
    v.as_object()?
        .iter()
        .map(|(k, x)| {
            Some((
                k.parse().ok()?,
                super::compare::text(x).and_then(|t| super::expr::target(&t, &Vars::new()))?,
            ))
        })
        .collect()
}

/// Share rules: price-EMA shares (`moving_price` map), power normalisation (`z`, `p`) and
/// flow shares with cutoff (`ema_flow`, `cutoff`).
pub(super) fn shares_case(ctx: &Ctx, out: &mut Outcomes) {
    if ctx.has("subnets") || ctx.has("steps") {
        return super::gate::gate_case(ctx, out);
    }
    let shares: Vec<f64>;
    let keys: Vec<String>;
    if let Some(prices) = ctx.input("moving_price").and_then(map_f64) {
        let burned = ctx
            .input("MinerBurned")
            .and_then(map_f64)
            .unwrap_or_default();
        let inputs: Vec<ShareInput> = prices
            .iter()
            .map(|&(n, p)| ShareInput {
                netuid: n,
                moving_price: U64F64::saturating_from_num(I96F32::from_num(p)),
                miner_burned: U96F32::from_num(
                    burned.iter().find(|(b, _)| *b == n).map_or(0.0, |x| x.1),
                ),
                emission_enabled: true,
            })
            .collect();
        let s = price_shares(&inputs);
        keys = s.iter().map(|(n, _)| n.to_string()).collect();
        shares = s.iter().map(|(_, v)| v.to_num::<f64>()).collect();
    } else if let Some(z) = ctx.input("z").and_then(list_f64) {
        let p = ctx.f64_input("p").unwrap_or(1.0);
        let mut values: Vec<U64F64> = z.iter().map(|v| U64F64::from_num(*v)).collect();
        pow_normalize(&mut values, U64F64::from_num(p));
        keys = (0..values.len()).map(|i| i.to_string()).collect();
        shares = values.iter().map(|v| v.to_num::<f64>()).collect();
    } else if let Some(flows) = ctx.input("ema_flow").and_then(list_f64) {
        let cutoff = I64F64::from_num(ctx.f64_input("cutoff").unwrap_or(0.0));
        let p = ctx.f64_input("p").unwrap_or(1.0);
        let flows: Vec<I64F64> = flows.iter().map(|f| I64F64::from_num(*f)).collect();
        let s = flow_shares(&flows, cutoff, U64F64::from_num(p));
        keys = (0..s.len()).map(|i| i.to_string()).collect();
        shares = s.iter().map(|v| v.to_num::<f64>()).collect();
    } else {
        out.fail(
            ctx.name,
            "case",
            "emission-shares case: no moving_price map, z list or ema_flow list",
        );
        return;
    }
    let sum: f64 = shares.iter().sum();
    let vars = Vars::new();
    let value_of = |k: &str| {
        keys.iter()
            .position(|x| x == k)
            .and_then(|i| shares.get(i))
            .map(|v| Actual::real(*v))
    };
    if let Some(expected) = ctx.expected() {
        for (field, exp) in expected {
            let actual = |k: Option<&str>| match (field.as_str(), k) {
                ("sum", None) => Some(Actual::real(sum)),
                (_, Some(k)) => value_of(k),
                _ => None,
            };
            check_group(out, ctx.name, field, exp, &ctx.assertion, &vars, &actual);
        }
        // "…; sum within 1e-12 of 1" is part of the assertion rule.
        if !expected.contains_key("sum") {
            if let Some(tol) = ctx.assertion.sum_tolerance() {
                let ok = shares.iter().all(|s| *s == 0.0) || (sum - 1.0).abs() <= tol;
                out.record(ctx.name, "sum", ok, format!("1 within {tol}"), sum);
            }
        }
    }
}
