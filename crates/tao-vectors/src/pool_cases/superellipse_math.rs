//! Superellipse curve-maths cases: `sqrt_floor`, calibration, payouts, limit deltas, inverse
//! quotes, domain and floors, extremes, `from_price`, the f64 reference comparison and the LCG
//! sweep (upstream `superellipse.rs` tests and `test_convert_deltas_matches_independent_ellipse_
//! reference`).

use super::superellipse::{
    bits, curve_json, ellipse, err_name, list, math, or_err, parts, s, u, u128_of, u64_list, Got,
};
use super::*;
use tao_engine::pool::superellipse::{FromPrice, Superellipse, U512};

/// The number inside an expected key such as `buy_1000_error` (`prefix` `"buy_"`).
fn key_number(c: &Ctx, prefix: &str, suffix: &str) -> Option<(String, u64)> {
    c.expected.keys().find_map(|k| {
        let n = k.strip_prefix(prefix)?.strip_suffix(suffix)?;
        n.parse().ok().map(|v| (k.clone(), v))
    })
}

pub(super) fn sqrt_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let roots: Vec<u128> = inputs
        .get("roots")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(value_u128).collect())
        .unwrap_or_default();
    let (mut sq, mut lo, mut hi) = (vec![], vec![], vec![]);
    let one = U512::from(1u64);
    for r in roots {
        let root = U512::from(r);
        let square = root.saturating_mul(root);
        sq.push(wide_sqrt(square));
        lo.push(wide_sqrt(square.saturating_sub(one)));
        hi.push(wide_sqrt(square.saturating_add(one)));
    }
    g.e("sqrt_of_square", Value::Array(sq));
    g.e("sqrt_of_square_minus_1", Value::Array(lo));
    g.e("sqrt_of_square_plus_1", Value::Array(hi));
    let max: U512 = inputs
        .get("u512_max")
        .and_then(Value::as_str)
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "inputs.u512_max", "not a U512"))?;
    g.e("sqrt_of_u512_max", wide_sqrt(max));
    Ok(())
}

fn wide_sqrt(v: U512) -> Value {
    s(tao_engine::pool::superellipse::wide::sqrt_floor(v))
}

pub(super) fn calibration_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (alpha, tao) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let q = parts(inputs, "quote_weight_parts")?;
    let curve = ellipse(Superellipse::from_weights(alpha, tao, q))?;
    let price = curve
        .price(alpha, tao)
        .map_err(|e| Error::field(ErrorCode::OutOfRange, "price", e.name()))?;
    let wq = q.to_f64();
    let p = price.to_num::<f64>();
    let reference = (1. - wq) * tao as f64 / (wq * alpha as f64);
    g.e(
        "price_rel_error_vs_balancer_lt_1e-12",
        Value::Bool((p / reference - 1.).abs() < 1e-12),
    );
    let bin = u(inputs, "buy_input")?;
    let bout = math(curve.buy_output(alpha, tao, bin), "buy_input")?;
    let after_buy = curve.price(alpha.saturating_sub(bout), tao.saturating_add(bin));
    let slope = after_buy.map(|a| (a.to_num::<f64>() / p).ln() / bin as f64);
    let ok = slope.is_ok_and(|s| (s * (1. - wq) * tao as f64 - 1.).abs() < 1e-4);
    g.e("buy_log_slope_rel_error_lt_1e-4", Value::Bool(ok));
    let sin = u(inputs, "sell_input")?;
    let sout = math(curve.sell_output(alpha, tao, sin), "sell_input")?;
    let after_sell = curve.price(alpha.saturating_add(sin), tao.saturating_sub(sout));
    let slope = after_sell.map(|a| -(a.to_num::<f64>() / p).ln() / sin as f64);
    let ok = slope.is_ok_and(|s| (s * wq * alpha as f64 - 1.).abs() < 1e-4);
    g.e("sell_log_slope_rel_error_lt_1e-4", Value::Bool(ok));
    g.d("curve", curve_json(&curve));
    g.d("price_bits", bits(price));
    g.d("buy_output", s(bout));
    g.d(
        "price_after_buy_bits",
        or_err(after_buy.map(|p| p.to_bits())),
    );
    g.d("sell_output", s(sout));
    g.d(
        "price_after_sell_bits",
        or_err(after_sell.map(|p| p.to_bits())),
    );
    Ok(())
}

pub(super) fn buys_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (alpha, tao) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let curve = ellipse(Superellipse::from_weights(
        alpha,
        tao,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let k = curve.invariant_at(alpha, tao).ok();
    let (mut outs, mut kept, mut resold, mut resell_ok) = (vec![], vec![], vec![], vec![]);
    for i in u64_list(inputs, "tao_inputs")? {
        let o = math(curve.buy_output(alpha, tao, i), "tao_inputs")?;
        let (na, nt) = (alpha.saturating_sub(o), tao.saturating_add(i));
        let k2 = curve.invariant_at(na, nt).ok();
        kept.push(Value::Bool(matches!((k, k2), (Some(a), Some(b)) if b <= a)));
        let back = curve.sell_output(na, nt, o);
        resell_ok.push(Value::Bool(back.is_ok_and(|b| b <= i)));
        resold.push(or_err(back));
        outs.push(o);
    }
    g.e("alpha_outputs", list(&outs));
    g.e("invariant_not_increased", Value::Array(kept));
    g.e("resell_output_le_input", Value::Array(resell_ok));
    g.d("curve", curve_json(&curve));
    g.d("resell_tao_outputs", Value::Array(resold));
    Ok(())
}

pub(super) fn sells_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (alpha, tao) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let curve = ellipse(Superellipse::from_weights(
        alpha,
        tao,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let (mut outs, mut rebuys, mut ok) = (vec![], vec![], vec![]);
    for i in u64_list(inputs, "alpha_inputs")? {
        let o = math(curve.sell_output(alpha, tao, i), "alpha_inputs")?;
        let back = curve.buy_output(alpha.saturating_add(i), tao.saturating_sub(o), o);
        ok.push(Value::Bool(back.is_ok_and(|b| b <= i)));
        rebuys.push(or_err(back));
        outs.push(o);
    }
    g.e("rebuy_alpha_le_input", Value::Array(ok));
    g.d("tao_outputs", list(&outs));
    g.d("rebuy_alpha_outputs", Value::Array(rebuys));
    Ok(())
}

pub(super) fn limits_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (a, t) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let curve = ellipse(Superellipse::from_weights(
        a,
        t,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let up = U64F64::from_bits(u128_of(inputs, "buy_target_price_bits")?);
    let down = U64F64::from_bits(u128_of(inputs, "sell_target_price_bits")?);
    let i = math(
        curve.quote_delta_to_price(a, t, up),
        "buy_target_price_bits",
    )?;
    let o = math(curve.buy_output(a, t, i), "buy")?;
    let after = |aa: Option<u64>, tt: Option<u64>| match (aa, tt) {
        (Some(aa), Some(tt)) => curve.price(aa, tt).ok(),
        _ => None,
    };
    let p = after(a.checked_sub(o), t.checked_add(i));
    g.e(
        "price_after_buy_le_target",
        Value::Bool(p.is_some_and(|p| p <= up)),
    );
    let next = curve.buy_output(a, t, i.saturating_add(1)).ok();
    let p1 = next.and_then(|n| after(a.checked_sub(n), t.checked_add(i.saturating_add(1))));
    g.e(
        "price_after_buy_plus_one_gt_target",
        Value::Bool(p1.is_some_and(|p| p > up)),
    );
    let j = math(
        curve.base_delta_to_price(a, t, down),
        "sell_target_price_bits",
    )?;
    let so = math(curve.sell_output(a, t, j), "sell")?;
    let q = after(a.checked_add(j), t.checked_sub(so));
    g.e(
        "price_after_sell_ge_target",
        Value::Bool(q.is_some_and(|p| p >= down)),
    );
    let next = curve.sell_output(a, t, j.saturating_add(1)).ok();
    let q1 = next.and_then(|n| after(a.checked_add(j.saturating_add(1)), t.checked_sub(n)));
    g.e(
        "price_after_sell_plus_one_lt_target",
        Value::Bool(q1.is_some_and(|p| p < down)),
    );
    g.d("quote_delta_to_price", s(i));
    g.d("alpha_out_at_delta", s(o));
    g.d("base_delta_to_price", s(j));
    g.d("tao_out_at_delta", s(so));
    g.d(
        "spot_price_bits",
        or_err(curve.price(a, t).map(|p| p.to_bits())),
    );
    Ok(())
}

pub(super) fn inverse_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (a, t) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let curve = ellipse(Superellipse::from_weights(
        a,
        t,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let ins: Vec<Value> = u64_list(inputs, "alpha_outputs_wanted")?
        .into_iter()
        .map(|w| or_err(curve.quote_needed_for_base(a, t, w)))
        .collect();
    g.e("tao_inputs", Value::Array(ins));
    g.e(
        "zero_wanted_input",
        or_err(curve.quote_needed_for_base(a, t, u(inputs, "zero_wanted")?)),
    );
    g.e(
        "over_reserve_error",
        err_name(curve.quote_needed_for_base(a, t, u(inputs, "over_reserve_wanted")?)),
    );
    g.e(
        "whole_reserve_error",
        err_name(curve.quote_needed_for_base(a, t, u(inputs, "whole_reserve_wanted")?)),
    );
    Ok(())
}

pub(super) fn domain_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (a, t) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let eq = ellipse(Superellipse::from_weights(
        a,
        t,
        parts(inputs, "equal_quote_weight_parts")?,
    ))?;
    g.e("max_buy_input", or_err(eq.max_buy_input(a, t)));
    if let Some((key, n)) = key_number(c, "buy_", "_error") {
        g.e(&key, err_name(eq.buy_output(a, t, n)));
    }
    g.e("max_sell_input", or_err(eq.max_sell_input(a, t)));
    let un = ellipse(Superellipse::from_weights(
        a,
        t,
        parts(inputs, "unbalanced_quote_weight_parts")?,
    ))?;
    let max = math(un.max_sell_input(a, t), "max_sell_input")?;
    let sold = un.sell_output(a, t, max);
    g.e(
        "unbalanced_sell_at_max_le_tao_reserve",
        Value::Bool(sold.is_ok_and(|v| v <= t)),
    );
    g.e(
        "unbalanced_sell_at_max_plus_1_error",
        err_name(un.sell_output(a, t, max.saturating_add(1))),
    );
    g.d("unbalanced_max_sell_input", s(max));
    g.d("unbalanced_sell_output_at_max", or_err(sold));
    Ok(())
}

pub(super) fn floors_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (a, t) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let curve = ellipse(Superellipse::from_weights(
        a,
        t,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let floors = u64_list(inputs, "floors")?;
    let (mut bx, mut sx) = (vec![], vec![]);
    let (mut mb, mut bought, mut b1, mut ms, mut sold, mut s1) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for f in &floors {
        let f = *f;
        let buy = math(curve.max_buy_input_with_reserve_floor(a, t, f), "floors")?;
        let got = math(curve.buy_output(a, t, buy), "buy")?;
        let next = curve.buy_output(a, t, buy.saturating_add(1));
        let room = a.saturating_sub(f);
        bx.push(Value::Bool(got <= room && next.map_or(true, |v| v > room)));
        mb.push(s(buy));
        bought.push(s(got));
        b1.push(or_err(next));
        let sell = math(curve.max_sell_input_with_reserve_floor(a, t, f), "floors")?;
        let got = math(curve.sell_output(a, t, sell), "sell")?;
        let next = curve.sell_output(a, t, sell.saturating_add(1));
        let room = t.saturating_sub(f);
        sx.push(Value::Bool(got <= room && next.map_or(true, |v| v > room)));
        ms.push(s(sell));
        sold.push(s(got));
        s1.push(or_err(next));
    }
    g.e("buy_boundary_exact", Value::Array(bx));
    g.e("sell_boundary_exact", Value::Array(sx));
    g.e(
        "floor_alpha_plus_1_error",
        err_name(curve.max_buy_input_with_reserve_floor(a, t, a.saturating_add(1))),
    );
    g.e(
        "floor_tao_plus_1_error",
        err_name(curve.max_sell_input_with_reserve_floor(a, t, t.saturating_add(1))),
    );
    g.d("floors", list(&floors));
    g.d("max_buy_input", Value::Array(mb));
    g.d("bought", Value::Array(bought));
    g.d("buy_plus_1", Value::Array(b1));
    g.d("max_sell_input", Value::Array(ms));
    g.d("sold", Value::Array(sold));
    g.d("sell_plus_1", Value::Array(s1));
    Ok(())
}

pub(super) fn extremes_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let q = parts(inputs, "quote_weight_parts")?;
    let pools = inputs
        .get("pools")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let (mut ok, mut bitsv, mut sells) = (vec![], vec![], vec![]);
    for p in &pools {
        let a = p.get("alpha").and_then(value_u64).unwrap_or(0);
        let t = p.get("tao").and_then(value_u64).unwrap_or(0);
        let curve = ellipse(Superellipse::from_weights(a, t, q))?;
        let price = curve.price(a, t);
        ok.push(Value::Bool(price.is_ok()));
        bitsv.push(or_err(price.map(|p| p.to_bits())));
        // Upstream sells one unit only where alpha + 1 cannot overflow and alpha > 1.
        sells.push(if a > 1 && a != u64::MAX {
            or_err(curve.sell_output(a, t, 1))
        } else {
            Value::Null
        });
    }
    g.e("price_ok", Value::Array(ok));
    g.e("price_bits", Value::Array(bitsv));
    g.e("sell_1_output", Value::Array(sells));
    g.e(
        "init_zero_alpha_error",
        err_name(Superellipse::from_weights(0, 1, q)),
    );
    g.e(
        "init_zero_weight_error",
        err_name(Superellipse::from_weights(1, 1, Perquintill::from_parts(0))),
    );
    let max = ellipse(Superellipse::from_weights(u64::MAX, u64::MAX, q))?;
    g.e(
        "buy_1_at_u64_max_reserves_error",
        err_name(max.buy_output(u64::MAX, u64::MAX, 1)),
    );
    Ok(())
}

pub(super) fn from_price_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (a, t) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let price = U64F64::from_bits(u128_of(inputs, "price_bits")?);
    let old = ellipse(Superellipse::from_price(
        a,
        t,
        price,
        FromPrice::QuantisedWeight,
    ))?;
    let new = ellipse(Superellipse::from_price(
        a,
        t,
        price,
        FromPrice::DirectScales,
    ))?;
    let p_new = new.price(a, t);
    let close = p_new.is_ok_and(|p| (p.to_num::<f64>() - price.to_num::<f64>()).abs() < 1e-15);
    g.e("price_abs_error_lt_1e-15", Value::Bool(close));
    g.e(
        "price_bits_0249a4a4",
        or_err(old.price(a, t).map(|p| p.to_bits())),
    );
    g.e("price_bits_61cafd40", or_err(p_new.map(|p| p.to_bits())));
    g.d("curve_0249a4a4", curve_json(&old));
    g.d("curve_61cafd40", curve_json(&new));
    Ok(())
}

pub(super) fn convert_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (a, t) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let curve = ellipse(Superellipse::from_balancer(
        a,
        t,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let buys: Vec<Value> = u64_list(inputs, "buy_tao_inputs")?
        .into_iter()
        .map(|i| or_err(curve.buy_output(a, t, i)))
        .collect();
    let sells: Vec<Value> = u64_list(inputs, "sell_alpha_inputs")?
        .into_iter()
        .map(|i| or_err(curve.sell_output(a, t, i)))
        .collect();
    g.e("buy_alpha_outputs", Value::Array(buys.clone()));
    g.e("sell_tao_outputs", Value::Array(sells.clone()));
    g.d("buy_alpha_outputs_exact", Value::Array(buys));
    g.d("sell_tao_outputs_exact", Value::Array(sells));
    Ok(())
}

/// The upstream LCG sweep: `state = state·m + c (mod 2^64)`; per sample alpha, tao and
/// `from_percent(draw % 99 + 1)`.
pub(super) fn lcg_case(inputs: &Map<String, Value>, g: &mut Got, c: &Ctx) -> Result<()> {
    let m = u(inputs, "lcg_multiplier")?;
    let inc = u(inputs, "lcg_increment")?;
    let mut state = u(inputs, "lcg_seed")?;
    let samples = inputs.get("samples").and_then(value_u64).unwrap_or(0);
    let shown = c
        .derived
        .get("first_samples")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut next = || {
        state = state.wrapping_mul(m).wrapping_add(inc);
        state
    };
    let mut all = true;
    let mut first = vec![];
    for n in 0..samples {
        let alpha = next().max(1);
        let tao = next().max(1);
        let pct = next() % 99 + 1;
        let curve = ellipse(Superellipse::from_weights(
            alpha,
            tao,
            Perquintill::from_parts(pct * 10_000_000_000_000_000),
        ))?;
        let row = lcg_sample(&curve, alpha, tao);
        all &= row.is_some();
        if let (true, Some((mb, b, ms, so))) = ((n as usize) < shown, row) {
            first.push(serde_json::json!({
                "alpha": alpha.to_string(), "tao": tao.to_string(), "quote_percent": pct,
                "max_buy_input": mb.to_string(), "bought": b.to_string(),
                "max_sell_input": ms.to_string(), "sold": so.to_string(),
            }));
        }
    }
    g.e("all_samples_hold", Value::Bool(all));
    g.d("first_samples", Value::Array(first));
    Ok(())
}

/// One LCG sample: `Some((max_buy, bought, max_sell, sold))` when every upstream assertion holds.
fn lcg_sample(curve: &Superellipse, alpha: u64, tao: u64) -> Option<(u64, u64, u64, u64)> {
    let max_buy = curve.max_buy_input(alpha, tao).ok()?;
    let bought = curve.buy_output(alpha, tao, max_buy).ok()?;
    if max_buy < u64::MAX - tao && curve.buy_output(alpha, tao, max_buy + 1).is_ok() {
        return None;
    }
    let back = curve
        .sell_output(
            alpha.checked_sub(bought)?,
            tao.checked_add(max_buy)?,
            bought,
        )
        .ok()?;
    let max_sell = curve.max_sell_input(alpha, tao).ok()?;
    let sold = curve.sell_output(alpha, tao, max_sell).ok()?;
    if max_sell < u64::MAX - alpha && curve.sell_output(alpha, tao, max_sell + 1).is_ok() {
        return None;
    }
    let rebuy = curve
        .buy_output(alpha.checked_add(max_sell)?, tao.checked_sub(sold)?, sold)
        .ok()?;
    (back <= max_buy && rebuy <= max_sell).then_some((max_buy, bought, max_sell, sold))
}
