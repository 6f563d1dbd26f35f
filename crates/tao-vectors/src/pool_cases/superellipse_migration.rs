//! Superellipse-era migration scenarios (`migrate_balancer_to_superellipse` and lazy
//! initialisation) over a small map of subnets.

use super::superellipse::{bits, curve_json, parts, s, u, Got};
use super::superellipse_pallet::{defaults, pool_of};
use super::*;
use std::collections::BTreeMap;
use tao_engine::pool::superellipse::{migrate_balancer_to_superellipse, SuperellipsePool};

fn netuid(v: &Value) -> Option<u16> {
    v.get("netuid")
        .and_then(value_u64)
        .and_then(|n| u16::try_from(n).ok())
}

fn netuid_of(inputs: &Map<String, Value>, key: &str) -> Result<u16> {
    u(inputs, key).and_then(|n| {
        u16::try_from(n)
            .map_err(|_| Error::field(ErrorCode::OutOfRange, format!("inputs.{key}"), "netuid"))
    })
}

/// One funded pool with an archived weight, reservoirs and the initialised flag.
pub(super) fn migrate_one_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let n = netuid_of(inputs, "netuid")?;
    let mut p = pool_of(c, inputs);
    p.swap_balancer = Some(parts(inputs, "balancer_quote_parts")?);
    p.pal_swap_initialized = inputs
        .get("pal_swap_initialized")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let old_price = p.current_price();
    let mut subnets = BTreeMap::from([(n, p)]);
    let mut stamped = false;
    migrate_balancer_to_superellipse(&mut subnets, &|k| k == n, &mut stamped);
    let p = subnets
        .get(&n)
        .cloned()
        .unwrap_or_else(|| SuperellipsePool::new(0, 0));
    let new_price = p.current_price();
    let rel = (new_price.to_num::<f64>() / old_price.to_num::<f64>() - 1.).abs();
    if let Some(curve) = &p.curve {
        g.e("curve", curve_json(curve));
    }
    g.e(
        "price_rel_change_lt_1e-10",
        Value::Bool(p.curve.is_some() && rel < 1e-10),
    );
    g.e("alpha_reserve_after", s(p.alpha_reserve));
    g.e("tao_reserve_after", s(p.tao_reserve));
    g.e("tao_reservoir_after", s(p.tao_reservoir));
    g.e("alpha_reservoir_after", s(p.alpha_reservoir));
    g.e(
        "archived_quote_parts_after",
        s(p.archived_quote().deconstruct()),
    );
    g.e("migration_stamped", Value::Bool(stamped));
    g.d("balancer_price_bits", bits(old_price));
    g.d("ellipse_price_bits", bits(new_price));
    Ok(())
}

/// Pools in several roles (`{netuid, pal_swap_initialized, swap_balancer, alpha_reserve,
/// tao_reserve, mechanism, exists}`, defaults: initialised, no archived weight, mock reserves,
/// dynamic, existing).
pub(super) fn candidates_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (dt, da) = defaults(c, inputs);
    let mut subnets = BTreeMap::new();
    let mut exists = Vec::new();
    let mut archived_only = Vec::new();
    for role in inputs.values().filter(|v| v.is_object()) {
        let Some(n) = netuid(role) else { continue };
        let flag = |k: &str, d: bool| role.get(k).and_then(Value::as_bool).unwrap_or(d);
        let mut p = SuperellipsePool::new(
            role.get("tao_reserve").and_then(value_u64).unwrap_or(dt),
            role.get("alpha_reserve").and_then(value_u64).unwrap_or(da),
        );
        p.pal_swap_initialized = flag("pal_swap_initialized", true);
        if flag("swap_balancer", false) {
            p.swap_balancer = Some(Perquintill::from_rational(1, 2));
            if !p.pal_swap_initialized {
                archived_only.push(n);
            }
        }
        p.mechanism = role
            .get("mechanism")
            .and_then(value_u64)
            .and_then(|m| u16::try_from(m).ok())
            .unwrap_or(1);
        if flag("exists", true) {
            exists.push(n);
        }
        subnets.insert(n, p);
    }
    let mut stamped = false;
    let is = |k: u16| exists.contains(&k);
    migrate_balancer_to_superellipse(&mut subnets, &is, &mut stamped);
    g.e("migration_stamped", Value::Bool(stamped));
    let created: Map<String, Value> = subnets
        .iter()
        .map(|(n, p)| (n.to_string(), Value::Bool(p.curve.is_some())))
        .collect();
    g.e("curve_created", Value::Object(created));
    let archived_flag = archived_only
        .iter()
        .all(|n| subnets.get(n).is_some_and(|p| p.pal_swap_initialized));
    g.e(
        "archived_pal_swap_initialized_after",
        Value::Bool(!archived_only.is_empty() && archived_flag),
    );
    let snapshot = subnets.clone();
    stamped = true;
    migrate_balancer_to_superellipse(&mut subnets, &is, &mut stamped);
    g.e(
        "rerun_after_stamp_changes_curve",
        Value::Bool(snapshot != subnets),
    );
    // The converted curves, which must agree (same reserves, weight 1/2).
    let curves: Vec<_> = subnets.values().filter_map(|p| p.curve).collect();
    if let Some(first) = curves.first() {
        if curves.iter().all(|c| c == first) {
            g.d("curve_61_and_62", curve_json(first));
        }
    }
    Ok(())
}

/// A converted pool survives a removed stamp and changed reserves.
pub(super) fn retry_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let n = netuid_of(inputs, "netuid")?;
    let mut p = pool_of(c, inputs);
    p.pal_swap_initialized = inputs
        .get("pal_swap_initialized")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut subnets = BTreeMap::from([(n, p)]);
    let mut stamped = false;
    migrate_balancer_to_superellipse(&mut subnets, &|_| true, &mut stamped);
    let first = subnets.get(&n).and_then(|p| p.curve);
    stamped = false;
    if let Some(p) = subnets.get_mut(&n) {
        p.tao_reserve = u(inputs, "stamp_removed_then_tao_reserve_set_to")?;
    }
    migrate_balancer_to_superellipse(&mut subnets, &|_| true, &mut stamped);
    let second = subnets.get(&n).and_then(|p| p.curve);
    g.e("migration_stamped", Value::Bool(stamped));
    g.e(
        "curve_unchanged",
        Value::Bool(first.is_some() && first == second),
    );
    if let Some(curve) = &second {
        g.d("curve", curve_json(curve));
    }
    Ok(())
}

/// A funded pool whose archived weight is invalid keeps the run unstamped until it is fixed.
pub(super) fn invalid_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (valid, invalid) = (
        netuid_of(inputs, "valid_netuid")?,
        netuid_of(inputs, "invalid_netuid")?,
    );
    let (dt, da) = defaults(c, inputs);
    let mut good = SuperellipsePool::new(dt, da);
    good.pal_swap_initialized = true;
    let mut bad = good.clone();
    bad.swap_balancer = Some(parts(inputs, "invalid_quote_parts")?);
    let mut subnets = BTreeMap::from([(valid, good), (invalid, bad)]);
    let mut stamped = false;
    let r = migrate_balancer_to_superellipse(&mut subnets, &|_| true, &mut stamped);
    g.e("first_run_stamped", Value::Bool(stamped));
    let has =
        |s: &BTreeMap<u16, SuperellipsePool>, n: u16| s.get(&n).is_some_and(|p| p.curve.is_some());
    g.e("valid_converted", Value::Bool(has(&subnets, valid)));
    g.e("invalid_converted", Value::Bool(has(&subnets, invalid)));
    if let Some((_, e)) = r.failed.iter().find(|(n, _)| *n == invalid) {
        g.e("invalid_curve_error", s(e));
    }
    let first = subnets.get(&valid).and_then(|p| p.curve);
    if let Some(p) = subnets.get_mut(&invalid) {
        p.swap_balancer = Some(Perquintill::from_rational(1, 2));
    }
    migrate_balancer_to_superellipse(&mut subnets, &|_| true, &mut stamped);
    g.e(
        "second_run_after_fixing_quote_stamped",
        Value::Bool(stamped),
    );
    let second = subnets.get(&valid).and_then(|p| p.curve);
    g.e(
        "valid_curve_unchanged_on_second_run",
        Value::Bool(first.is_some() && first == second),
    );
    Ok(())
}
