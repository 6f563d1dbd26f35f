//! `registration`, `subnet-registration` and `subnet-dissolve` cases.

use super::*;
use substrate_fixed::types::{I96F32, U96F32};
use tao_engine::stake::burn::{decay_factor_q32, legacy_upgraded_burn, BurnState};
use tao_engine::stake::subnet::{
    dissolve_payout, initial_pool, median_price, network_to_prune, DissolveInput, LegacyRefund,
    PruneCandidate,
};

// ---------------------------------------------------------------------------------------------
// registration (neuron burn)

pub(super) fn registration_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    if inputs.contains_key("adjustment_interval") || inputs.contains_key("adjustment_alpha") {
        let burn = input_u64(inputs, "burn")?;
        let regs = opt_u64(inputs, "registrations_this_interval").unwrap_or(0);
        let target = opt_u64(inputs, "target_registrations_per_interval").unwrap_or(1);
        let alpha = opt_u64(inputs, "adjustment_alpha").unwrap_or(0);
        let min = opt_u64(inputs, "min")
            .or_else(|| opt_u64(inputs, "min_burn"))
            .unwrap_or(0);
        let max = opt_u64(inputs, "max")
            .or_else(|| opt_u64(inputs, "max_burn"))
            .unwrap_or(u64::MAX);
        let r = legacy_upgraded_burn(
            burn,
            u16::try_from(regs).unwrap_or(u16::MAX),
            u16::try_from(target).unwrap_or(u16::MAX),
            alpha,
            min,
            max,
        );
        c.check(out, "burn", &Actual::Int(u128::from(r)));
        return Ok(());
    }
    let half_life = opt_u64(inputs, "half_life").map(|h| u16::try_from(h).unwrap_or(u16::MAX));
    let Some(burn0) = opt_u64(inputs, "burn") else {
        // Decay factors only.
        let hl = half_life
            .ok_or_else(|| Error::field(ErrorCode::MissingField, "inputs.half_life", "missing"))?;
        for (key, _) in c.fields() {
            c.check(out, key, &Actual::Int(u128::from(decay_factor_q32(hl))));
        }
        return Ok(());
    };
    let mut st = BurnState::new(burn0);
    st.half_life = half_life.unwrap_or(st.half_life);
    st.min_burn = opt_u64(inputs, "min").unwrap_or(0);
    st.max_burn = opt_u64(inputs, "max").unwrap_or(u64::MAX);
    if let Some(m) = inputs.get("mult").and_then(parse_price) {
        st.increase_mult = m;
    }
    st.registrations_this_block = opt_u64(inputs, "registrations_this_block_before")
        .map_or(0, |v| u16::try_from(v).unwrap_or(u16::MAX));
    let mut events: Vec<String> = inputs
        .get("events")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if events.is_empty() {
        let blocks = ["blocks", "n_blocks", "num_blocks", "steps"]
            .iter()
            .find_map(|k| opt_u64(inputs, k))
            .unwrap_or(1);
        events = (0..blocks).map(|_| "next_block".to_string()).collect();
    }
    let mut block = opt_u64(inputs, "start_block").unwrap_or(2);
    let mut after: Vec<(String, u64)> = Vec::new();
    for e in &events {
        if e.contains("register") {
            st.on_register();
        } else {
            st.on_block(block);
            block = block.saturating_add(1);
        }
        after.push((e.clone(), st.burn));
    }
    for (key, exp) in c.fields() {
        let actual = if let Some(ev) = key.strip_prefix("burn_after_") {
            match after.iter().find(|(e, _)| e == ev) {
                Some((_, b)) => Actual::Int(u128::from(*b)),
                None => Actual::Err(format!("no event {ev}")),
            }
        } else if key == "burn" {
            match exp {
                Value::Array(_) => {
                    Actual::List(after.iter().map(|(_, b)| u128::from(*b)).collect())
                }
                _ => Actual::Int(u128::from(st.burn)),
            }
        } else if key == "registrations_this_block" {
            Actual::Int(u128::from(st.registrations_this_block))
        } else if key.contains("factor") {
            Actual::Int(u128::from(decay_factor_q32(st.half_life)))
        } else {
            out.fail(c.name, key, "field not produced by the burn model");
            continue;
        };
        c.check(out, key, &actual);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// subnet-registration

fn price_list(v: Option<&Value>) -> Vec<U64F64> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(parse_price).collect())
        .unwrap_or_default()
}

pub(super) fn subnet_registration_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    if let Some(mp) = inputs.get("moving_price").and_then(Value::as_object) {
        // Prune choice: "<id>_immune": true marks immunity; "registered_at" may order ties.
        let reg = inputs.get("registered_at").and_then(Value::as_object);
        let now = 1_000_000_000u64;
        let immunity = 1_000u64;
        let mut names: Vec<String> = Vec::new();
        let cands: Vec<PruneCandidate> = mp
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                names.push(k.clone());
                let immune = inputs
                    .get(&format!("{k}_immune"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let at = reg
                    .and_then(|r| r.get(k))
                    .and_then(value_u64)
                    .or_else(|| opt_u64(inputs, &format!("{k}_registered_at")))
                    .unwrap_or(i as u64);
                PruneCandidate {
                    netuid: u16::try_from(i + 1).unwrap_or(u16::MAX),
                    moving_price: value_f64(v)
                        .and_then(I96F32::checked_from_num)
                        .unwrap_or(I96F32::from_bits(0)),
                    registered_at: if immune { now } else { at },
                }
            })
            .collect();
        let pick = network_to_prune(&cands, now, immunity)
            .and_then(|n| names.get(usize::from(n).saturating_sub(1)).cloned());
        let want = c.expected.get("prune").map(render).unwrap_or_default();
        let got = pick.unwrap_or_else(|| "none".into());
        out.record(c.name, "prune", want == got, want, got);
        return Ok(());
    }
    let prices = price_list(
        inputs
            .get("prices")
            .or_else(|| inputs.get("existing_prices")),
    );
    let median = median_price(&prices);
    let lock = opt_u64(inputs, "lock").unwrap_or(c.env.network_min_lock);
    let pool = initial_pool(lock, c.env.network_min_lock, median);
    let new_price = safe_div(fx(pool.tao), fx(pool.alpha_in));
    for (key, exp) in c.fields() {
        match key.as_str() {
            "median" | "median_snapshot" => c.check(out, key, &Actual::Real(u64f64_f64(median))),
            "SubnetTAO" => match exp.as_str().filter(|t| t.contains("lock")) {
                // Written as "lock" / "max(lock, NetworkMinLockCost)": the lock used.
                Some(t) => out.record(
                    c.name,
                    key,
                    pool.tao == lock.max(c.env.network_min_lock),
                    t,
                    pool.tao,
                ),
                None => c.check(out, key, &Actual::Int(u128::from(pool.tao))),
            },
            "SubnetAlphaIn" => {
                // "floor(SubnetTAO/3.5)" or a number.
                let want = match exp
                    .as_str()
                    .and_then(|s| s.strip_prefix("floor(SubnetTAO/"))
                    .and_then(|r| r.strip_suffix(')'))
                {
                    Some(d) => parse_price(&Value::String(d.to_string()))
                        .and_then(|m| fx(pool.tao).checked_div(m))
                        .map(|q| q.saturating_to_num::<u64>()),
                    None if exp.as_str().map(str::trim) == Some("SubnetTAO") => Some(pool.tao),
                    None => value_u64(exp),
                };
                out.record(
                    c.name,
                    key,
                    want == Some(pool.alpha_in),
                    render(exp),
                    pool.alpha_in,
                );
            }
            "new_price" => {
                let s = exp.as_str().unwrap_or("");
                let mut ok = predicate(s, &Actual::Real(u64f64_f64(new_price))).unwrap_or(false);
                if s.contains("post-registration median") {
                    let mut after = prices.clone();
                    after.push(new_price);
                    ok &= median_price(&after) == new_price;
                }
                out.record(c.name, key, ok, s, u64f64_f64(new_price));
            }
            _ => out.fail(c.name, key, "field not produced by subnet registration"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// subnet-dissolve

pub(super) fn dissolve_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    let stakes: Vec<u64> = inputs
        .get("stakers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.get("alpha").and_then(value_u64).or_else(|| value_u64(s)))
                .collect()
        })
        .unwrap_or_default();
    let pre_deploy = inputs
        .get("registered_before_TaoInRefundDeploymentBlock")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let legacy = inputs
        .get("legacy")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || inputs
            .get("registered_before_NetworkRegistrationStartBlock")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    let legacy_refund = if legacy {
        let cut = inputs
            .get("owner_cut")
            .and_then(value_f64)
            .and_then(U96F32::checked_from_num)
            .unwrap_or(U96F32::from_bits(0));
        let price = inputs.get("price").and_then(parse_price).unwrap_or(fx(1));
        Some(LegacyRefund {
            lock: opt_u64(inputs, "lock").unwrap_or(0),
            alpha_issuance: opt_u64(inputs, "alpha_issuance").unwrap_or(0),
            owner_cut: cut,
            price,
        })
    } else {
        None
    };
    let input = DissolveInput {
        pot: input_u64(inputs, "pot")?,
        stakes,
        protocol_alpha: opt_u64(inputs, "protocol_alpha").unwrap_or(0),
        alpha_in: opt_u64(inputs, "alpha_in").unwrap_or(0),
        alpha_in_is_claimant: !pre_deploy,
        legacy_refund,
    };
    let p = dissolve_payout(&input);
    for (key, _) in c.fields() {
        let actual = match key.as_str() {
            "payout" => Actual::List(p.stakers.iter().map(|&v| u128::from(v)).collect()),
            "owner" | "owner_refund" => Actual::Int(u128::from(p.owner_refund)),
            "protocol" => Actual::Int(u128::from(p.protocol)),
            _ => {
                out.fail(c.name, key, "field not produced by the dissolution");
                continue;
            }
        };
        c.check(out, key, &actual);
    }
    Ok(())
}
