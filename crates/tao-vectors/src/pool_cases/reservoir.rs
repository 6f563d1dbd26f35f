//! `swap` cases of the reservoir era: `adjust_protocol_liquidity` on one pool (spec
//! `pool-after-425.md` §2.2). Recognised by `tao_delta`/`alpha_delta` (one adjustment) or
//! `tao_deltas`/`alpha_deltas` (a list of independent adjustments of the same fresh pool).

use super::*;
use tao_engine::pool::reservoir::Reservoirs;

/// Whether the inputs are a reservoir-era liquidity adjustment.
pub(super) fn is_reservoir_case(inputs: &Map<String, Value>) -> bool {
    (inputs.contains_key("tao_delta") && inputs.contains_key("alpha_delta"))
        || (inputs.contains_key("tao_deltas") && inputs.contains_key("alpha_deltas"))
        || steps_of(inputs).is_some()
}

/// A sequence of injections into the same pool (`injections` / `steps`): each item a
/// `[tao, alpha]` pair or an object with `tao_delta` / `alpha_delta`.
fn steps_of(inputs: &Map<String, Value>) -> Option<Vec<(u64, u64)>> {
    let list = inputs
        .iter()
        .find(|(k, _)| k.contains("injection") || k.as_str() == "steps")?
        .1
        .as_array()?;
    list.iter()
        .map(|it| match it {
            Value::Array(p) => match p.as_slice() {
                [t, a] => Some((value_u64(t)?, value_u64(a)?)),
                _ => None,
            },
            Value::Object(o) => Some((
                o.get("tao_delta").and_then(value_u64)?,
                o.get("alpha_delta").and_then(value_u64)?,
            )),
            _ => None,
        })
        .collect()
}

fn pool_of(c: &Ctx, inputs: &Map<String, Value>) -> Result<BalancerPool> {
    let mut pool = c.env.pool(
        input_u64(inputs, "tao_reserve")?,
        input_u64(inputs, "alpha_reserve")?,
    );
    if let Some(parts) = opt_u64(inputs, "quote_weight_parts") {
        pool.weights = Balancer::new(Perquintill::from_parts(parts)).ok_or_else(|| {
            Error::field(
                ErrorCode::OutOfRange,
                "inputs.quote_weight_parts",
                "weight outside [0.01, 0.99]",
            )
        })?;
    }
    pool.reservoirs = Reservoirs {
        tao: opt_u64(inputs, "tao_reservoir").unwrap_or(0),
        alpha: opt_u64(inputs, "alpha_reservoir").unwrap_or(0),
    };
    Ok(pool)
}

fn u64_list(inputs: &Map<String, Value>, key: &str) -> Result<Vec<u64>> {
    inputs
        .get(key)
        .and_then(Value::as_array)
        .and_then(|a| a.iter().map(value_u64).collect::<Option<Vec<u64>>>())
        .ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidType,
                format!("inputs.{key}"),
                "not a list of u64",
            )
        })
}

pub(super) fn reservoir_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    if inputs.contains_key("tao_deltas") {
        return many_case(c, inputs, out);
    }
    let mut pool = pool_of(c, inputs)?;
    // One adjustment, or a sequence where each step's price-active amounts join the reserves
    // before the next (as the caller does); scalar fields read the last step.
    let steps = match steps_of(inputs) {
        Some(s) if !s.is_empty() => s,
        _ => vec![(
            input_u64(inputs, "tao_delta")?,
            input_u64(inputs, "alpha_delta")?,
        )],
    };
    let (mut t, mut a) = (0, 0);
    for (dt, da) in steps {
        (t, a) = pool.adjust_protocol_liquidity(dt, da);
        pool.tao_reserve = pool.tao_reserve.saturating_add(t);
        pool.alpha_reserve = pool.alpha_reserve.saturating_add(a);
    }
    let value = |key: &str| -> Option<Actual> {
        let int = |v: u64| Some(Actual::Int(u128::from(v)));
        match key {
            "price_active_tao" => int(t),
            "price_active_alpha" => int(a),
            "tao_reservoir_after" => int(pool.reservoirs.tao),
            "alpha_reservoir_after" => int(pool.reservoirs.alpha),
            "quote_weight_parts_after" => int(pool.weights.quote_weight().deconstruct()),
            _ => None,
        }
    };
    for (key, _) in c.fields() {
        match value(key) {
            Some(v) => c.check(out, key, &v),
            None => out.fail(
                c.name,
                key,
                "field not produced by adjust_protocol_liquidity",
            ),
        }
    }
    for key in c.derived.keys() {
        match value(key) {
            Some(v) => c.check_derived(out, key, &v),
            None => out.fail(c.name, &format!("derived.{key}"), "field not produced"),
        }
    }
    Ok(())
}

/// Element-wise comparison of a list expectation; one outcome for the whole list.
fn check_list(c: &Ctx, out: &mut Outcomes, key: &str, got: &[Actual], derived: bool) {
    let source = if derived { &c.derived } else { &c.expected };
    let Some(items) = source.get(key).and_then(Value::as_array) else {
        out.fail(c.name, key, "expected a list");
        return;
    };
    let passed = items.len() == got.len()
        && items
            .iter()
            .zip(got)
            .all(|(e, g)| c.compare(key, e, g, derived));
    let rendered: Vec<String> = got.iter().map(Actual::render).collect();
    let label = if derived {
        format!("derived.{key}")
    } else {
        key.to_string()
    };
    out.record(
        c.name,
        &label,
        passed,
        format!("{} items", items.len()),
        rendered.join(", "),
    );
}

fn many_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let base = pool_of(c, inputs)?;
    let tao = u64_list(inputs, "tao_deltas")?;
    let alpha = u64_list(inputs, "alpha_deltas")?;
    if tao.len() != alpha.len() {
        out.fail(
            c.name,
            "inputs",
            "tao_deltas and alpha_deltas differ in length",
        );
        return Ok(());
    }
    let mut weights = Vec::new();
    let mut parts = Vec::new();
    let mut prices = Vec::new();
    let mut bits = Vec::new();
    let mut accepted = Vec::new();
    for (&dt, &da) in tao.iter().zip(&alpha) {
        let mut p = base;
        let (t, a) = p.adjust_protocol_liquidity(dt, da);
        p.tao_reserve = p.tao_reserve.saturating_add(t);
        p.alpha_reserve = p.alpha_reserve.saturating_add(a);
        let w = p.weights.quote_weight();
        weights.push(Actual::Real(w.to_f64()));
        parts.push(Actual::Int(u128::from(w.deconstruct())));
        prices.push(Actual::Real(u64f64_f64(p.price())));
        bits.push(Actual::Int(p.price().to_bits()));
        accepted.push((t, a, (t, a) == (dt, da)));
    }
    for (key, exp) in c.fields() {
        match key.as_str() {
            "quote_weight" => check_list(c, out, key, &weights, false),
            "price_after" => check_list(c, out, key, &prices, false),
            "accepted_all" => {
                let all = accepted.iter().all(|(_, _, ok)| *ok);
                out.record(c.name, key, exp.as_bool() == Some(all), render(exp), all);
            }
            _ => out.fail(
                c.name,
                key,
                "field not produced by adjust_protocol_liquidity",
            ),
        }
    }
    for (key, exp) in &c.derived {
        match key.as_str() {
            "quote_weight_parts" => check_list(c, out, key, &parts, true),
            "price_after_bits" => check_list(c, out, key, &bits, true),
            "accepted" => {
                let want: Option<Vec<(u64, u64)>> = exp.as_array().and_then(|items| {
                    items
                        .iter()
                        .map(|p| match p.as_array()?.as_slice() {
                            [t, a] => Some((value_u64(t)?, value_u64(a)?)),
                            _ => None,
                        })
                        .collect()
                });
                let got: Vec<(u64, u64)> = accepted.iter().map(|(t, a, _)| (*t, *a)).collect();
                out.record(
                    c.name,
                    "derived.accepted",
                    want.as_ref() == Some(&got),
                    format!("{} pairs", want.map_or(0, |w| w.len())),
                    format!("{got:?}"),
                );
            }
            _ => out.fail(c.name, &format!("derived.{key}"), "field not produced"),
        }
    }
    Ok(())
}
