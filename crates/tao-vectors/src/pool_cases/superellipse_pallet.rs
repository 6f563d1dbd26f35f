//! Superellipse-era pallet scenarios: initialisation, swaps, injection, migration, extraction
//! and buy capacity (the swap mock of `pallets/swap/src/mock.rs`: `MinimumReserve` from the
//! file's environment, default reserves from `environment.default_mock_reserves`).

use super::superellipse::{bits, curve_json, err_name, or_err, s, u, u128_of, Got};
use super::superellipse_extraction as extraction;
use super::superellipse_migration as migration;
use super::*;
use tao_engine::pool::superellipse::SuperellipsePool;
use tao_engine::pool::swap::SwapResult;

/// Recognise and evaluate a pallet-level case; `false` when the shape is unknown.
pub(super) fn pallet_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<bool> {
    let has = |k: &str| inputs.contains_key(k);
    if has("order") {
        swap_case(c, inputs, g)?;
    } else if has("buy_amount") && has("sell_amount") {
        partial_case(c, inputs, g)?;
    } else if has("tao_delta") && has("alpha_delta") {
        inject_case(c, inputs, g)?;
    } else if has("balancer_quote_parts") {
        migration::migrate_one_case(c, inputs, g)?;
    } else if has("stamp_removed_then_tao_reserve_set_to") {
        migration::retry_case(c, inputs, g)?;
    } else if has("valid_netuid") && has("invalid_netuid") {
        migration::invalid_case(c, inputs, g)?;
    } else if has("default_tao_reserve") {
        migration::candidates_case(c, inputs, g)?;
    } else if has("fee_rates") {
        extraction::capacity_case(c, inputs, g)?;
    } else if has("sell_input") && has("netuid") {
        extraction::extraction_case(c, inputs, g)?;
    } else if has("fee_rate") && has("netuid") {
        extraction::dust_case(c, inputs, g)?;
    } else if has("tao_reserve") && has("alpha_reserve") {
        init_case(c, inputs, g)?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

pub(super) fn consts(c: &Ctx, inputs: &Map<String, Value>) -> SwapConstants {
    let mut k = c.env.consts();
    if let Some(m) = opt_u64(inputs, "minimum_reserve") {
        k.minimum_reserve = m;
    }
    k
}

/// The mock's default reserves `(tao, alpha)` (file environment), else the inputs' defaults.
pub(super) fn defaults(c: &Ctx, inputs: &Map<String, Value>) -> (u64, u64) {
    let d = c
        .doc
        .get("environment")
        .and_then(|e| e.get("default_mock_reserves"));
    let get = |k: &str| d.and_then(|d| d.get(k)).and_then(value_u64);
    let tao = opt_u64(inputs, "default_tao_reserve")
        .or_else(|| get("tao"))
        .unwrap_or(1_000_000_000_000);
    let alpha = opt_u64(inputs, "default_alpha_reserve")
        .or_else(|| get("alpha"))
        .unwrap_or(4_000_000_000_000);
    (tao, alpha)
}

/// A pool from `tao_reserve`/`alpha_reserve` (mock defaults otherwise) and `fee_rate`.
pub(super) fn pool_of(c: &Ctx, inputs: &Map<String, Value>) -> SuperellipsePool {
    let (dt, da) = defaults(c, inputs);
    let mut p = SuperellipsePool::new(
        opt_u64(inputs, "tao_reserve").unwrap_or(dt),
        opt_u64(inputs, "alpha_reserve").unwrap_or(da),
    );
    p.fee_rate = opt_u64(inputs, "fee_rate")
        .map_or(c.env.fee_rate, |f| u16::try_from(f).unwrap_or(u16::MAX));
    p.tao_reservoir = opt_u64(inputs, "tao_reservoir").unwrap_or(0);
    p.alpha_reservoir = opt_u64(inputs, "alpha_reservoir").unwrap_or(0);
    p
}

pub(super) fn price_f64(p: U64F64) -> Value {
    s(p.to_num::<f64>())
}

pub(super) fn chain<T>(r: core::result::Result<T, ChainError>, what: &str) -> Result<T> {
    r.map_err(|e| Error::field(ErrorCode::OutOfRange, what, e.name()))
}

pub(super) fn result_json(r: &SwapResult) -> Value {
    serde_json::json!({
        "amount_paid_in": r.amount_paid_in.to_string(),
        "amount_paid_out": r.amount_paid_out.to_string(),
        "fee_paid": r.fee_paid.to_string(),
        "fee_to_block_author": r.fee_to_block_author.to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// Initialisation and swaps

fn init_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let mut p = pool_of(c, inputs);
    let price = inputs
        .get("init_price_bits")
        .and_then(value_u128)
        .map(U64F64::from_bits);
    chain(p.maybe_initialize(price), "init")?;
    let price = p.current_price();
    g.e("price", price_f64(price));
    g.e("pal_swap_initialized", Value::Bool(p.pal_swap_initialized));
    g.e("curve_stored", Value::Bool(p.curve.is_some()));
    let w = s(p.archived_quote().deconstruct());
    g.e("archived_quote_weight_parts", w.clone());
    g.d("archived_quote_weight_parts", w);
    if let Some(curve) = &p.curve {
        g.d("curve", curve_json(curve));
    }
    g.d("price_bits", bits(price));
    Ok(())
}

fn swap_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let k = consts(c, inputs);
    let pool = pool_of(c, inputs);
    let order = inputs
        .get("order")
        .and_then(Value::as_str)
        .and_then(|o| match o {
            "buy" => Some(Order::Buy),
            "sell" => Some(Order::Sell),
            _ => None,
        })
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.order", "buy or sell"))?;
    let amount = u(inputs, "amount")?;
    let drop = inputs
        .get("drop_fees")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let simulate = inputs
        .get("simulate")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let limit = match (
        inputs.get("limit_price_bits").and_then(value_u128),
        opt_u64(inputs, "limit_rao"),
    ) {
        (Some(b), _) => U64F64::from_bits(b),
        (None, Some(r)) => limit_from_rao(r),
        // sim_swap: the order's default limit.
        (None, None) => limit_from_rao(if order == Order::Buy {
            MAX_PRICE_RAO
        } else {
            MIN_PRICE_RAO
        }),
    };
    let mut before = pool.clone();
    let before_price = {
        let mut q = pool.clone();
        q.maybe_initialize(None).ok();
        q.current_price()
    };
    let mut sim_pool = pool.clone();
    let sim = sim_pool.do_swap(order, amount, limit, drop, true, &k);
    let mut exec_pool = pool.clone();
    let run = if simulate {
        sim
    } else {
        exec_pool.do_swap(order, amount, limit, drop, false, &k)
    };
    g.e("error", err_name(run));
    g.e("ok", Value::Bool(run.is_ok()));
    g.e("storage_root_unchanged", Value::Bool(sim_pool == pool));
    g.e(
        "curve_stored_after_sim",
        Value::Bool(sim_pool.curve.is_some()),
    );
    g.e(
        "simulated_equals_executed",
        Value::Bool(
            sim.is_ok()
                && sim
                    == before
                        .clone()
                        .do_swap(order, amount, limit, drop, false, &k),
        ),
    );
    if before.maybe_initialize(None).is_ok() {
        g.e(
            "second_sim_after_init_equal",
            Value::Bool(
                sim.is_ok() && before.clone().do_swap(order, amount, limit, drop, true, &k) == sim,
            ),
        );
    }
    let Ok(r) = run else {
        return Ok(());
    };
    let mut after = pool.clone();
    after.maybe_initialize(None).ok();
    after.apply(order, &r);
    let after_price = after.current_price();
    g.e("amount_paid_out", s(r.amount_paid_out));
    g.e("amount_paid_in", s(r.amount_paid_in));
    g.e(
        "amount_paid_out_positive",
        Value::Bool(r.amount_paid_out > 0),
    );
    g.e("paid_out_positive", Value::Bool(r.amount_paid_out > 0));
    g.e("paid_in_lt_amount", Value::Bool(r.amount_paid_in < amount));
    g.e("final_price_le_limit", Value::Bool(after_price <= limit));
    g.e(
        "price_after_ge_before",
        Value::Bool(after_price >= before_price),
    );
    for (key, v) in [
        ("amount_paid_in", r.amount_paid_in),
        ("amount_paid_out", r.amount_paid_out),
        ("fee_paid", r.fee_paid),
        ("fee_to_block_author", r.fee_to_block_author),
    ] {
        g.d(key, s(v));
    }
    g.d("price_after_bits", bits(after_price));
    g.d("current_price_bits", bits(before_price));
    Ok(())
}

fn partial_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let k = consts(c, inputs);
    let pool = pool_of(c, inputs);
    let mut fees_match = true;
    for (side, order, amount_key, limit_key) in [
        ("buy", Order::Buy, "buy_amount", "buy_limit_price_bits"),
        ("sell", Order::Sell, "sell_amount", "sell_limit_price_bits"),
    ] {
        let amount = u(inputs, amount_key)?;
        let limit = U64F64::from_bits(u128_of(inputs, limit_key)?);
        let mut p = pool.clone();
        let r = chain(p.do_swap(order, amount, limit, false, false, &k), side)?;
        p.apply(order, &r);
        let after = p.current_price();
        fees_match &= r.fee_paid == r.fee_to_block_author;
        g.e(&format!("{side}_price_after"), price_f64(after));
        g.e(&format!("{side}_fee_paid"), s(r.fee_paid));
        g.e(
            &format!("{side}_partial"),
            Value::Bool(r.gross_in() < amount),
        );
        let within = if order == Order::Buy {
            after <= limit
        } else {
            after >= limit
        };
        let rel = if order == Order::Buy { "le" } else { "ge" };
        g.e(
            &format!("{side}_price_after_{rel}_limit"),
            Value::Bool(within),
        );
        g.d(side, result_json(&r));
        g.d(&format!("{side}_price_after_bits"), bits(after));
    }
    g.e("fee_equals_fee_to_block_author", Value::Bool(fees_match));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Injection

fn inject_case(c: &Ctx, inputs: &Map<String, Value>, g: &mut Got) -> Result<()> {
    let mut p = pool_of(c, inputs);
    let probe = c.expected.keys().find_map(|key| {
        let n = key.strip_prefix("buy_")?.strip_suffix("_output_after")?;
        n.parse::<u64>().ok().map(|v| (n.to_string(), v))
    });
    let quote_at = |p: &SuperellipsePool, amount: u64| -> Value {
        let mut q = p.clone();
        match q.maybe_initialize(None).and_then(|_| q.curve()) {
            Ok(curve) => or_err(curve.buy_output(q.alpha_reserve, q.tao_reserve, amount)),
            Err(e) => s(e),
        }
    };
    let price_before = p.current_price();
    g.e("price_before", price_f64(price_before));
    g.d("price_bits_before", bits(price_before));
    if let Some((n, amount)) = &probe {
        g.d(&format!("buy_{n}_output_before"), quote_at(&p, *amount));
    }
    let before = p.clone();
    let r = p.adjust_protocol_liquidity(u(inputs, "tao_delta")?, u(inputs, "alpha_delta")?);
    g.e("error", err_name(r));
    g.e("storage_unchanged", Value::Bool(p == before));
    g.e("tao_reservoir_after", s(p.tao_reservoir));
    g.e("alpha_reservoir_after", s(p.alpha_reservoir));
    g.e("curve_stored", Value::Bool(p.curve.is_some()));
    let Ok((t, a)) = r else {
        return Ok(());
    };
    g.e("accepted_tao", s(t));
    g.e("accepted_alpha", s(a));
    // The caller raises the reserves by what became price-active.
    p.tao_reserve = p.tao_reserve.saturating_add(t);
    p.alpha_reserve = p.alpha_reserve.saturating_add(a);
    let after = p.current_price();
    g.e("price_after", price_f64(after));
    g.e("price_bits_after", bits(after));
    g.d("price_bits_after", bits(after));
    if let Some((n, amount)) = &probe {
        g.e(&format!("buy_{n}_output_after"), quote_at(&p, *amount));
    }
    if let Some(curve) = &p.curve {
        g.d("curve_after", curve_json(curve));
        g.d("curve", curve_json(curve));
    }
    Ok(())
}
