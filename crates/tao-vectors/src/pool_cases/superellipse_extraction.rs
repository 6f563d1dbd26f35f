//! Superellipse-era lending scenarios: extraction of unreachable reserves, the fee-inverted buy
//! capacity, and round trips after extraction.

use super::superellipse::{
    bits, curve_json, ellipse, err_name, list, or_err, parts, s, u, u64_list, Got,
};
use super::superellipse_pallet::{chain, consts, pool_of, result_json};
use super::*;
use tao_engine::pool::superellipse::{Superellipse, SuperellipsePool};

fn initialised(c: &Ctx, inputs: &Map<String, Value>) -> Result<SuperellipsePool> {
    let mut p = pool_of(c, inputs);
    chain(p.maybe_initialize(None), "init")?;
    Ok(p)
}

/// Extraction keeps price and quotes, conserves active + extracted reserves, and is idempotent.
pub(super) fn extraction_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let k = consts(c, inputs);
    let mut p = initialised(c, inputs)?;
    let (alpha, tao) = (p.alpha_reserve, p.tao_reserve);
    let sell = u(inputs, "sell_input")?;
    let quote = |p: &SuperellipsePool| match p.curve() {
        Ok(curve) => or_err(curve.sell_output(p.alpha_reserve, p.tao_reserve, sell)),
        Err(e) => s(e),
    };
    g.d("price_bits_before", bits(p.current_price()));
    g.d("sell_quote_before", quote(&p));
    let (ta, tt) = chain(p.extract_unreachable_reserves(&k), "extract")?;
    g.e("extracted_alpha", s(ta));
    g.e("extracted_tao", s(tt));
    g.e(
        "extracted_reserves_counter",
        list(&[p.extracted.0, p.extracted.1]),
    );
    g.e(
        "alpha_conserved",
        Value::Bool(p.alpha_reserve.checked_add(ta) == Some(alpha)),
    );
    g.e(
        "tao_conserved",
        Value::Bool(p.tao_reserve.checked_add(tt) == Some(tao)),
    );
    g.e("price_bits_after", bits(p.current_price()));
    g.e("sell_quote_after", quote(&p));
    if let Some(curve) = &p.curve {
        g.d("curve_after", curve_json(curve));
    }
    let again = chain(p.extract_unreachable_reserves(&k), "extract")?;
    g.e("second_extraction", list(&[again.0, again.1]));
    Ok(())
}

/// A full fill at the capacity and none at capacity + 1, for each fee rate.
pub(super) fn capacity_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let k = consts(c, inputs);
    let mut p = initialised(c, inputs)?;
    if inputs
        .get("extract_first")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        chain(p.extract_unreachable_reserves(&k), "extract")?;
    }
    let limit = limit_from_rao(opt_u64(inputs, "limit_rao").unwrap_or(u64::MAX));
    let (mut caps, mut full, mut not_full, mut rows) = (vec![], vec![], vec![], vec![]);
    for rate in u64_list(inputs, "fee_rates")? {
        let mut q = p.clone();
        q.fee_rate = u16::try_from(rate).unwrap_or(u16::MAX);
        let cap = q.maximum_buy_input(&k);
        let r = chain(
            q.clone().do_swap(Order::Buy, cap, limit, false, true, &k),
            "capacity",
        )?;
        let over = q
            .clone()
            .do_swap(Order::Buy, cap.saturating_add(1), limit, false, true, &k);
        caps.push(s(cap));
        full.push(Value::Bool(r.gross_in() == cap));
        not_full.push(Value::Bool(
            over.map_or(true, |o| o.gross_in() < cap.saturating_add(1)),
        ));
        let mut row = serde_json::json!({"fee_rate": rate, "capacity": cap.to_string()});
        if let (Value::Object(m), Value::Object(res)) = (&mut row, result_json(&r)) {
            m.insert(
                "paid_in".into(),
                res.get("amount_paid_in").cloned().unwrap_or(Value::Null),
            );
            m.insert(
                "fee_paid".into(),
                res.get("fee_paid").cloned().unwrap_or(Value::Null),
            );
            m.insert(
                "paid_out".into(),
                res.get("amount_paid_out").cloned().unwrap_or(Value::Null),
            );
            m.insert(
                "capacity_plus_1_consumed".into(),
                or_err(over.map(|o| o.gross_in())),
            );
        }
        rows.push(row);
    }
    g.e("capacity", Value::Array(caps));
    g.e("paid_in_plus_fee_equals_capacity", Value::Array(full));
    g.e("capacity_plus_1_not_fully_filled", Value::Array(not_full));
    // A netuid that does not exist has no dynamic mechanism: capacity 0.
    let mut ghost = SuperellipsePool::new(0, 0);
    ghost.mechanism = 0;
    g.e(
        "nonexistent_netuid_capacity",
        s(ghost.maximum_buy_input(&k)),
    );
    g.d("rows", Value::Array(rows));
    Ok(())
}

/// A deep alpha-poor pool: a 1-rao buy pays nothing; capacity after extraction and after the
/// largest sell still fills fully and stays within 1000 × the TAO reserve.
pub(super) fn dust_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let k = consts(c, inputs);
    let mut p = initialised(c, inputs)?;
    let limit = limit_from_rao(u64::MAX);
    g.e(
        "buy_1_rao_error",
        err_name(p.clone().do_swap(Order::Buy, 1, limit, false, false, &k)),
    );
    let (ta, tt) = chain(p.extract_unreachable_reserves(&k), "extract")?;
    g.d("extracted", list(&[ta, tt]));
    let cap = p.maximum_buy_input(&k);
    g.e("capacity", s(cap));
    let r = p.clone().do_swap(Order::Buy, cap, limit, false, true, &k);
    g.e(
        "paid_in_plus_fee_equals_capacity",
        Value::Bool(r.is_ok_and(|r| r.gross_in() == cap)),
    );
    let curve = chain(p.curve(), "curve")?;
    let max_sell = curve
        .max_sell_input_with_reserve_floor(p.alpha_reserve, p.tao_reserve, k.minimum_reserve)
        .map_err(|e| Error::field(ErrorCode::OutOfRange, "max_sell", e.name()))?;
    let out = curve
        .sell_output(p.alpha_reserve, p.tao_reserve, max_sell)
        .map_err(|e| Error::field(ErrorCode::OutOfRange, "sell", e.name()))?;
    g.d("max_sell_after_extraction", s(max_sell));
    g.d("tao_out", s(out));
    p.alpha_reserve = p.alpha_reserve.saturating_add(max_sell);
    p.tao_reserve = p.tao_reserve.saturating_sub(out);
    let cap2 = p.maximum_buy_input(&k);
    g.e("capacity_after_max_sell", s(cap2));
    let net = cap2.saturating_sub(p.fee_for(cap2, false));
    g.e(
        "net_capacity_within_1000x_tao",
        Value::Bool(net <= p.tao_reserve.saturating_mul(k.max_input_multiplier)),
    );
    Ok(())
}

/// The upstream round-trip test after extraction: K never rises and the floors hold.
pub(super) fn round_trips_case(inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let (mut alpha, mut tao) = (u(inputs, "alpha_reserve")?, u(inputs, "tao_reserve")?);
    let floor = u(inputs, "reserve_floor")?;
    let mut curve = ellipse(Superellipse::from_weights(
        alpha,
        tao,
        parts(inputs, "quote_weight_parts")?,
    ))?;
    let bad = |e: tao_engine::pool::superellipse::EllipseError| {
        Error::field(ErrorCode::OutOfRange, "curve", e.name())
    };
    let take = curve.extractable_reserves(alpha, tao, floor).map_err(bad)?;
    curve.withdraw_liquidity(take.0, take.1).map_err(bad)?;
    alpha = alpha.saturating_sub(take.0);
    tao = tao.saturating_sub(take.1);
    g.e("extracted", list(&[take.0, take.1]));
    let mut k = curve.invariant_at(alpha, tao).map_err(bad)?;
    let mut hold = true;
    for amount in u64_list(inputs, "round_trip_amounts")? {
        let step = (|| {
            let bought = curve.buy_output(alpha, tao, amount).ok()?;
            let (a1, t1) = (alpha.checked_sub(bought)?, tao.checked_add(amount)?);
            let sold = curve.sell_output(a1, t1, bought).ok()?;
            let (a2, t2) = (a1.checked_add(bought)?, t1.checked_sub(sold)?);
            let k2 = curve.invariant_at(a2, t2).ok()?;
            let mb = curve.max_buy_input_with_reserve_floor(a2, t2, floor).ok()?;
            let ms = curve
                .max_sell_input_with_reserve_floor(a2, t2, floor)
                .ok()?;
            let ok = k2 <= k
                && curve.buy_output(a2, t2, mb).ok()? <= a2.checked_sub(floor)?
                && curve.sell_output(a2, t2, ms).ok()? <= t2.checked_sub(floor)?;
            Some((a2, t2, k2, ok))
        })();
        match step {
            Some((a2, t2, k2, ok)) => {
                hold &= ok;
                (alpha, tao, k) = (a2, t2, k2);
            }
            None => hold = false,
        }
    }
    g.e("all_steps_hold", Value::Bool(hold));
    g.e("final_alpha", s(alpha));
    g.e("final_tao", s(tao));
    Ok(())
}
