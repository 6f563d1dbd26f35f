//! `swap` cases: pow_ratio_scaled, exponentials, rounding, price, limit deltas, swap steps, pool
//! initialisation.

use super::*;
use tao_engine::pool::bigint::BigUint;
use tao_engine::pool::pow::pow_ratio_scaled;

// ---------------------------------------------------------------------------------------------
// swap

pub(super) fn swap_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let has = |k: &str| inputs.contains_key(k);
    if super::reservoir::is_reservoir_case(inputs) {
        super::reservoir::reservoir_case(c, inputs, out)
    } else if has("base_num") {
        pow_case(c, inputs, out)
    } else if has("reserve") && has("delta") {
        exp_case(c, inputs, out)
    } else if has("p") && has("values") {
        mul_round_case(c, inputs, out)
    } else if has("x_alpha") && has("y_tao") {
        let b = balancer_of(inputs)
            .ok_or_else(|| Error::field(ErrorCode::OutOfRange, "quote_weight", "invalid weight"))?;
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
    let r = pow_ratio_scaled(
        &big("base_num")?,
        &big("base_den")?,
        n,
        d,
        precision,
        &big("scale")?,
    );
    let actual = match r.and_then(|v| v.to_biguint()).and_then(|v| v.to_u128()) {
        Some(v) => Actual::Int(v),
        None => Actual::Err("None".into()),
    };
    c.check(out, "value", &actual);
    c.check_derived(out, "model_value", &actual);
    Ok(())
}

fn exp_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let b = balancer_of(inputs)
        .ok_or_else(|| Error::field(ErrorCode::OutOfRange, "quote_weight", "invalid weight"))?;
    let reserve = input_u64(inputs, "reserve")?;
    let delta = inputs
        .get("delta")
        .and_then(|v| match v {
            Value::Number(n) => n.as_i64().map(i128::from),
            Value::String(s) => s.trim().parse::<i128>().ok(),
            _ => None,
        })
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.delta", "not an integer"))?;
    let base_quote = inputs
        .get("base_quote")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let e = b.exp_scaled(reserve, delta, base_quote);
    c.check(out, "value", &Actual::Real(u64f64_f64(e)));
    c.check_derived(out, "u64f64_bits", &Actual::Int(e.to_bits()));
    Ok(())
}

fn mul_round_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let p = inputs
        .get("p")
        .and_then(parse_perquintill)
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.p", "not a fraction"))?;
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
    let b = balancer_of(inputs)
        .ok_or_else(|| Error::field(ErrorCode::OutOfRange, "quote_weight", "invalid weight"))?;
    let cur = inputs
        .get("current_price")
        .and_then(parse_price)
        .ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidType,
                "inputs.current_price",
                "not a price",
            )
        })?;
    let tgt = inputs
        .get("target_price")
        .and_then(parse_price)
        .ok_or_else(|| {
            Error::field(ErrorCode::InvalidType, "inputs.target_price", "not a price")
        })?;
    let (key, v) = if let Some(x) = opt_u64(inputs, "alpha_reserve") {
        ("delta_alpha", b.base_delta_in(cur, tgt, x))
    } else {
        (
            "delta_tao",
            b.quote_delta_in(cur, tgt, input_u64(inputs, "tao_reserve")?),
        )
    };
    let key = if c.expected.contains_key(key) {
        key
    } else {
        c.expected
            .keys()
            .find(|k| k.starts_with("delta"))
            .map(String::as_str)
            .unwrap_or(key)
    };
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
    let order = inputs
        .get("order")
        .and_then(parse_order)
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, "inputs.order", "unknown order"))?;
    let tao = opt_u64(inputs, "tao_reserve")
        .or(c.env.tao_reserve)
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "tao_reserve", "no reserves"))?;
    let alpha = opt_u64(inputs, "alpha_reserve")
        .or(c.env.alpha_reserve)
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "alpha_reserve", "no reserves"))?;
    let mut pool = c.env.pool(tao, alpha);
    if let Some(b) = balancer_of(inputs) {
        pool.weights = b;
    }
    let amount = input_u64(inputs, "amount")?;
    let limit = parse_limit(inputs.get("limit_price"), order);
    let drop_fees = inputs
        .get("drop_fees")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let simulate = inputs
        .get("simulate")
        .and_then(Value::as_bool)
        .unwrap_or_else(|| c.name.starts_with("sim"));
    let price_before = pool.price();
    let res = pool.quote_swap(order, amount, limit, drop_fees, simulate, &c.env.consts());
    for (key, exp) in c.fields() {
        let actual = match (&res, key.as_str()) {
            (Err(e), "error") => Actual::Err(e.name().into()),
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(_), "error") => Actual::Err("(no error)".into()),
            (Ok(_), "ok") => Actual::Bool(true),
            (Ok(r), "amount_paid_out") => Actual::Int(u128::from(r.amount_paid_out)),
            (Ok(r), "amount_paid_in" | "reserve_delta_in") => {
                Actual::Int(u128::from(r.amount_paid_in))
            }
            (Ok(r), "fee_paid" | "fee") => Actual::Int(u128::from(r.fee_paid)),
            (Ok(r), "price_moves") => {
                let mut after = pool;
                after.apply(order, r);
                let p = after.price();
                let dir = if p > price_before {
                    "up"
                } else if p < price_before {
                    "down"
                } else {
                    "none"
                };
                let want = exp.as_str().unwrap_or("");
                out.record(c.name, key, dir == want, want, dir);
                continue;
            }
            _ => {
                out.fail(c.name, key, "field not produced by the swap");
                continue;
            }
        };
        if key == "error" {
            let want = exp.as_str().unwrap_or("");
            out.record(
                c.name,
                key,
                actual.render() == format!("error {want}"),
                want,
                actual.render(),
            );
        } else {
            c.check(out, key, &actual);
        }
    }
    for key in c.derived.keys() {
        let actual = match (&res, key.as_str()) {
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(r), "amount_paid_out") => Actual::Int(u128::from(r.amount_paid_out)),
            (Ok(r), "amount_paid_in" | "reserve_delta_in") => {
                Actual::Int(u128::from(r.amount_paid_in))
            }
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
        inputs
            .get("v3_sqrt_price")
            .and_then(parse_price)
            .map(|s| s.saturating_mul(s))
    };
    let b = match price {
        Some(p) => Balancer::for_price(tao, alpha, p),
        None => Some(Balancer::default()),
    };
    let Some(b) = b else {
        for (key, _) in c.fields() {
            c.check(
                out,
                key,
                &Actual::Err(ChainError::ReservesOutOfBalance.name().into()),
            );
        }
        return Ok(());
    };
    let mut pool = c.env.pool(tao, alpha);
    pool.weights = b;
    for (key, exp) in c.fields() {
        match key.as_str() {
            k if k.starts_with("price") => {
                c.check(out, key, &Actual::Real(u64f64_f64(pool.price())))
            }
            "quote_weight" => {
                let want = parse_perquintill(exp);
                let got = b.quote_weight();
                out.record(
                    c.name,
                    key,
                    want == Some(got),
                    render(exp),
                    got.deconstruct(),
                );
            }
            _ => out.fail(c.name, key, "field not produced by pool initialisation"),
        }
    }
    Ok(())
}
