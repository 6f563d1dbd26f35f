//! `staking` cases: max amounts for add/remove/move and limit orders.

use super::*;
use tao_engine::stake::limits::{max_amount_add, max_amount_move, max_amount_remove};
use tao_engine::stake::ops::{StakeParams, StakingState};
use tao_engine::stake::{Mechanism, Subnet};

// ---------------------------------------------------------------------------------------------
// staking

fn reserve_inputs(inputs: &Map<String, Value>, suffix: &str) -> (Option<u64>, Option<u64>) {
    let pick = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| opt_u64(inputs, &format!("{n}{suffix}")))
    };
    (
        pick(&["subnet_tao", "tao_reserve", "tao_in"]),
        pick(&["alpha_in", "alpha_reserve"]),
    )
}

/// `ZeroMaxStakeAmount` reads as 0 where the vector expects an amount (the upstream tests map
/// errors to 0 or assert the error on a 0 expectation).
fn amount_or_error(r: Result<u64, ChainError>, expected_is_amount: bool) -> Actual {
    match r {
        Ok(v) => Actual::Int(u128::from(v)),
        Err(ChainError::ZeroMaxStakeAmount) if expected_is_amount => Actual::Int(0),
        Err(e) => Actual::Err(e.name().into()),
    }
}

fn check_amount_or_error(c: &Ctx, out: &mut Outcomes, actual: &Actual) {
    for (key, exp) in c.fields() {
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
            c.check(out, key, actual);
        }
    }
    c.check_derived(out, "model_value", actual);
}

pub(super) fn staking_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    if super::transition::is_transition_case(inputs) {
        return super::transition::transition_case(c, inputs, out);
    }
    let function = c
        .doc
        .get("function_under_test")
        .and_then(Value::as_str)
        .unwrap_or("");
    let consts = c.env.consts();
    let expects_amount = c.expected.contains_key("max_amount");
    if inputs.contains_key("tao_in_1") || function.contains("get_max_amount_move") {
        // Origin is subnet 1, destination subnet 2; a leg named "root"/"stable" in `origin` /
        // `destination` is stable, a dynamic leg reads `tao_in_1`/`alpha_in_1` (or `_2`, or the
        // unsuffixed names).
        let side = |k: &str, suffix: &str, n: u16| {
            let stable = inputs.get(k).and_then(Value::as_str).is_some_and(|s| {
                s.contains("root") || s.contains("stable") || s.contains("mechanism-0")
            });
            if stable {
                let mut s = Subnet::root();
                s.netuid = n.saturating_sub(1);
                s.mechanism = Mechanism::Stable;
                s
            } else {
                let (t, a) = reserve_inputs(inputs, suffix);
                let (t0, a0) = reserve_inputs(inputs, "");
                let mut s = Subnet::dynamic(n, t.or(t0).unwrap_or(0), a.or(a0).unwrap_or(0));
                s.pool.fee_rate = c.env.fee_rate;
                s
            }
        };
        let (o, d) = (side("origin", "_1", 1), side("destination", "_2", 2));
        let limits: Vec<u64> = match inputs.get("limit_price_rao") {
            Some(Value::Array(a)) => a.iter().filter_map(value_u64).collect(),
            Some(v) => value_u64(v).into_iter().collect(),
            None => Vec::new(),
        };
        // "errors are mapped to 0 by the test (unwrap_or(0))"
        let results: Vec<Actual> = limits
            .iter()
            .map(|&l| Actual::Int(u128::from(max_amount_move(&o, &d, l, &consts).unwrap_or(0))))
            .collect();
        match results.as_slice() {
            [one] => check_amount_or_error(c, out, one),
            many => {
                for (key, exp) in c.fields() {
                    let passed =
                        !many.is_empty() && many.iter().all(|a| c.compare(key, exp, a, false));
                    let rendered: Vec<String> = many.iter().map(Actual::render).collect();
                    out.record(c.name, key, passed, render(exp), rendered.join(", "));
                }
            }
        }
        return Ok(());
    }
    if function.contains("get_max_amount")
        && !inputs.contains_key("amount")
        && !inputs.contains_key("unstake")
    {
        let remove = function.contains("get_max_amount_remove");
        let stable = inputs
            .get("netuid")
            .and_then(Value::as_str)
            .is_some_and(|s| s.contains("root") || s.contains("mechanism-0"))
            || inputs.get("netuid").and_then(Value::as_u64) == Some(0);
        let subnet = if stable {
            let mut s = Subnet::root();
            s.mechanism = Mechanism::Stable;
            s
        } else {
            let (t, a) = reserve_inputs(inputs, "");
            let mut s = Subnet::dynamic(1, t.unwrap_or(0), a.unwrap_or(0));
            s.pool.fee_rate = c.env.fee_rate;
            s
        };
        let limits: Vec<u64> = match inputs.get("limit_price_rao") {
            Some(Value::Array(a)) => a.iter().filter_map(value_u64).collect(),
            Some(v) => value_u64(v).into_iter().collect(),
            None => Vec::new(),
        };
        let results: Vec<Actual> = limits
            .iter()
            .map(|&l| {
                let r = if remove {
                    max_amount_remove(&subnet, l, &consts)
                } else {
                    max_amount_add(&subnet, l, &consts)
                };
                amount_or_error(r, expects_amount)
            })
            .collect();
        match results.as_slice() {
            [one] => check_amount_or_error(c, out, one),
            many => {
                // One expectation for several limits: every limit must meet it.
                for (key, exp) in c.fields() {
                    let passed =
                        !many.is_empty() && many.iter().all(|a| c.compare(key, exp, a, false));
                    let rendered: Vec<String> = many.iter().map(Actual::render).collect();
                    out.record(c.name, key, passed, render(exp), rendered.join(", "));
                }
            }
        }
        return Ok(());
    }
    limit_order_case(c, inputs, out)
}

/// Evaluate `"A - approx_fee(B)"`-style expectations (sums of integers and fee terms).
fn eval_formula(s: &str, fee: impl Fn(u64) -> u64) -> Option<f64> {
    let mut total = 0f64;
    let mut sign = 1f64;
    for tok in s.split_whitespace() {
        match tok {
            "+" => sign = 1.0,
            "-" => sign = -1.0,
            t => {
                let v = if let Some(inner) = t
                    .strip_prefix("approx_fee(")
                    .and_then(|r| r.strip_suffix(')'))
                {
                    fee(inner.parse().ok()?) as f64
                } else {
                    t.parse::<f64>().ok()?
                };
                total += sign * v;
            }
        }
    }
    Some(total)
}

fn limit_order_case(c: &Ctx, inputs: &Map<String, Value>, out: &mut Outcomes) -> Result<()> {
    let (t, a) = reserve_inputs(inputs, "");
    let mut params = StakeParams {
        min_stake: c.env.min_stake,
        swap: c.env.consts(),
        ..StakeParams::default()
    };
    params.has_block_author = true;
    let mut st: StakingState<u8> = StakingState::new(params);
    let mut subnet = Subnet::dynamic(1, t.unwrap_or(0), a.unwrap_or(0));
    subnet.pool.fee_rate = c.env.fee_rate;
    st.subnets.insert(1, subnet);
    let (hot, cold) = (1u8, 2u8);
    let limit = opt_u64(inputs, "limit_price_rao");
    let allow_partial = inputs
        .get("allow_partial")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let price_before = subnet.pool.price();
    // The swap each operation made (the pool-side view of the order).
    let result = if let Some(amount) = opt_u64(inputs, "amount") {
        st.balances
            .insert(cold, opt_u64(inputs, "balance").unwrap_or(amount));
        st.add_stake(&hot, &cold, 1, amount, limit, allow_partial)
            .map(|o| o.swap)
    } else {
        // The coldkey holds `stake` (default: the amount to unstake) before the order.
        let unstake = input_u64(inputs, "unstake")?;
        let stake = opt_u64(inputs, "stake").unwrap_or(unstake);
        st.pools.entry((hot, 1)).or_default().increase(&cold, stake);
        if let Some(s) = st.subnets.get_mut(&1) {
            s.alpha_out = s.alpha_out.saturating_add(stake);
        }
        st.remove_stake(&hot, &cold, 1, unstake, limit, allow_partial)
            .map(|o| o.swap)
    };
    let price_after = st
        .subnets
        .get(&1)
        .map(|s| s.pool.price())
        .unwrap_or(price_before);
    let pool = st.subnets.get(&1).map(|s| s.pool).unwrap_or(subnet.pool);
    for (key, exp) in c.fields() {
        let actual = match (&result, key.as_str()) {
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(_), "error") => Actual::Err("(no error)".into()),
            (Ok(_), "ok") => Actual::Bool(true),
            (Ok(_), "stake_alpha") => Actual::Int(u128::from(st.stake_of(&hot, &cold, 1))),
            (Ok(_), "price_after") => Actual::Real(u64f64_f64(price_after)),
            (Ok(_), k) if k.contains("balance") => Actual::Int(u128::from(st.balance_of(&cold))),
            _ => {
                out.fail(c.name, key, "field not produced by the staking operation");
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
        } else if let Some(v) = exp
            .as_str()
            .filter(|s| s.contains("approx_fee"))
            .and_then(|s| eval_formula(s, |x| pool.fee_for(x, false)))
        {
            let tol = c.eps_for(key);
            let passed = actual.as_f64().is_some_and(|a| (a - v).abs() <= tol);
            out.record(
                c.name,
                key,
                passed,
                format!("{} (= {v})", render(exp)),
                actual.render(),
            );
        } else {
            c.check(out, key, &actual);
        }
    }
    for key in c.derived.keys() {
        let actual = match (&result, key.as_str()) {
            (Err(e), _) => Actual::Err(e.name().into()),
            (Ok(sw), "executed_tao_net" | "amount_paid_in" | "executed_alpha_net") => {
                Actual::Int(u128::from(sw.amount_paid_in))
            }
            (Ok(sw), k) if k.starts_with("fee") => Actual::Int(u128::from(sw.fee_paid)),
            (Ok(sw), "alpha_out" | "tao_out" | "amount_paid_out") => {
                Actual::Int(u128::from(sw.amount_paid_out))
            }
            _ => continue,
        };
        c.check_derived(out, key, &actual);
    }
    Ok(())
}
