//! Distribution and root-claim cases: `distribute_emission` with stakers (no weights: the
//! stake-proportional epoch), child-key delegation, the dividend-split helpers, and root claims
//! over one or more rounds.
//!
//! Length: one runner per distribution vector family; they share the case context and the network
//! set-up helpers at the top.

use super::compare::{check_group, text, Actual};
use super::expr::{first_u64, target, Vars};
use super::Ctx;
use tao_engine::emission::math::{mul_div_floor, tou64};
use tao_engine::emission::state::RootClaimType;
use tao_engine::emission::{
    calculate_dividend_distribution, AccountId, BalancerPool, HotkeyEmission, Network,
    PendingBuckets, StakeProportionalEpoch, SubnetState,
};
use crate::Outcomes;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::U96F32;

/// Coldkey that owns every staker's hotkey unless the case names one.
const STAKER_COLDKEY: AccountId = 1_000_000;

/// The stake-proportional epoch stands in for Yuma only when no weights are set.
fn needs_yuma(ctx: &Ctx, out: &mut Outcomes) -> bool {
    if ctx.has("weights") || ctx.has("weight_matrix") || ctx.has("bonds") {
        out.fail(ctx.name, "case", "needs a Yuma epoch with weights (tao_engine::consensus); the emission runner only has the no-weights epoch");
        return true;
    }
    false
}

pub(super) fn distribution_case(ctx: &Ctx, out: &mut Outcomes) {
    if needs_yuma(ctx, out) {
        return;
    }
    if super::dividend_split::recognises(ctx) {
        super::dividend_split::split_case(ctx, out);
    } else if ctx.has("stake_map") || ctx.has("dividends") {
        dividend_split(ctx, out);
    } else if ctx.has("hotkey_emission") {
        hotkey_emission_case(ctx, out);
    } else if ctx.has("parent_alpha") || ctx.has("child_proportion") {
        childkey_case(ctx, out);
    } else if ctx.has("stakers") {
        drain_case(ctx, out);
    } else {
        out.fail(
            ctx.name,
            "case",
            "distribution case: no stakers, stake_map, hotkey_emission or parent/child inputs",
        );
    }
}

/// A decimal fraction as the u64-normalised storage value: `floor(f · (2^64 − 1))`, exactly.
fn fraction_to_u64(text: &str) -> Option<u64> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = format!("{whole}{frac}");
    let num: u128 = digits.parse().ok()?;
    let den = 10u128.checked_pow(u32::try_from(frac.len()).ok()?)?;
    let v = mul_div_floor(num, u128::from(u64::MAX), den)?;
    Some(u64::try_from(v).unwrap_or(u64::MAX))
}

/// A subnet for distribution cases (netuid 1, the environment's lock as pool).
fn subnet(ctx: &Ctx, net: &mut Network<BalancerPool>) {
    let lock = ctx.env.lock_cost;
    let mut s = SubnetState::new(ctx.pool(1, lock, lock));
    s.tempo = ctx.env.tempo;
    s.root_claimable_threshold = ctx.env.root_claimable_threshold;
    net.subnets.insert(1, s);
}

fn set_tao_weight(ctx: &Ctx, net: &mut Network<BalancerPool>) {
    if let Some(tw) = ctx.text("tao_weight").and_then(|t| fraction_to_u64(&t)) {
        net.params.tao_weight = tw;
    }
}

fn drain_case(ctx: &Ctx, out: &mut Outcomes) {
    let mut net = ctx.network();
    subnet(ctx, &mut net);
    set_tao_weight(ctx, &mut net);
    let take = ctx.u64_input("take").and_then(|t| u16::try_from(t).ok());
    let stakers = ctx
        .input("stakers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut coldkey_of: BTreeMap<AccountId, AccountId> = BTreeMap::new();
    for s in &stakers {
        let Some(obj) = s.as_object() else { continue };
        let Some(hotkey) = obj.get("hotkey").and_then(text).and_then(|t| first_u64(&t)) else {
            continue;
        };
        let coldkey = obj
            .get("coldkey")
            .and_then(text)
            .and_then(|t| first_u64(&t))
            .unwrap_or(STAKER_COLDKEY);
        coldkey_of.insert(hotkey, coldkey);
        if obj
            .get("registered")
            .and_then(Value::as_bool)
            .unwrap_or(true)
        {
            net.register(1, hotkey, coldkey);
        }
        if let Some(t) = take {
            net.hotkeys.entry(hotkey).or_default().take = Some(t);
        }
        let amount = |k: &str| {
            obj.get(k)
                .and_then(text)
                .and_then(|t| first_u64(&t))
                .unwrap_or(0)
        };
        net.stakes.increase(hotkey, coldkey, 1, amount("alpha"));
        net.stakes.increase(hotkey, coldkey, 0, amount("root"));
    }
    let buckets = PendingBuckets {
        server: ctx.u64_input("pending_server").unwrap_or(0),
        validator: ctx.u64_input("pending_validator").unwrap_or(0),
        root_alpha: ctx
            .u64_input("pending_root")
            .or_else(|| ctx.u64_input("pending_root_alpha"))
            .unwrap_or(0),
        owner_cut: ctx.u64_input("pending_owner_cut").unwrap_or(0),
    };
    if let Err(e) = net.distribute_emission(1, buckets, &mut StakeProportionalEpoch) {
        out.fail(ctx.name, "distribute_emission", e);
        return;
    }
    let vars = Vars::new();
    let Some(expected) = ctx.expected() else {
        return;
    };
    for (field, exp) in expected {
        let netuid = if field.contains("root") { 0 } else { 1 };
        // A scalar expectation with several stakers holds for each of them.
        let exp = if !exp.is_object() && !exp.is_array() && coldkey_of.len() > 1 {
            Value::Object(
                coldkey_of
                    .keys()
                    .map(|h| (h.to_string(), exp.clone()))
                    .collect(),
            )
        } else {
            exp.clone()
        };
        let actual = |k: Option<&str>| {
            let hotkey = match k {
                Some(k) => k.parse::<AccountId>().ok()?,
                None if coldkey_of.len() == 1 => *coldkey_of.keys().next()?,
                None => return None,
            };
            let coldkey = *coldkey_of.get(&hotkey)?;
            Some(Actual::int(u128::from(
                net.stakes.stake(hotkey, coldkey, netuid),
            )))
        };
        check_group(out, ctx.name, field, &exp, &ctx.assertion, &vars, &actual);
    }
}

fn childkey_case(ctx: &Ctx, out: &mut Outcomes) {
    let (parent, child, coldkey): (AccountId, AccountId, AccountId) = (1, 2, 3);
    let mut net = ctx.network();
    subnet(ctx, &mut net);
    set_tao_weight(ctx, &mut net);
    if ctx
        .input("child_registered")
        .and_then(Value::as_bool)
        .unwrap_or(true)
    {
        net.register(1, child, coldkey);
    }
    if ctx
        .input("parent_registered")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        net.register(1, parent, coldkey);
    }
    if ctx
        .input("parent_and_child_same_coldkey")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        net.hotkeys.entry(parent).or_default().owner = Some(coldkey);
    }
    net.stakes.increase(
        parent,
        coldkey,
        1,
        ctx.u64_input("parent_alpha").unwrap_or(0),
    );
    net.stakes.increase(
        parent,
        coldkey,
        0,
        ctx.u64_input("parent_root").unwrap_or(0),
    );
    let proportion = ctx.u64_input("child_proportion").unwrap_or(u64::MAX);
    net.set_children(parent, 1, &[(proportion, child)]);
    if let Some(t) = ctx
        .u64_input("childkey_take")
        .and_then(|t| u16::try_from(t).ok())
    {
        net.hotkeys
            .entry(child)
            .or_default()
            .childkey_take
            .insert(1, t);
    }
    if let Some(b) = ctx.u64_input("ck_burn") {
        net.params.ck_burn = b;
    }
    let buckets = PendingBuckets {
        server: ctx.u64_input("pending_server").unwrap_or(0),
        validator: ctx.u64_input("pending_validator").unwrap_or(0),
        root_alpha: ctx.u64_input("pending_root").unwrap_or(0),
        owner_cut: 0,
    };
    if let Err(e) = net.distribute_emission(1, buckets, &mut StakeProportionalEpoch) {
        out.fail(ctx.name, "distribute_emission", e);
        return;
    }
    let vars = Vars::new();
    let Some(expected) = ctx.expected() else {
        return;
    };
    for (field, exp) in expected {
        let hotkey = if field.starts_with("parent") {
            Some(parent)
        } else if field.starts_with("child") {
            Some(child)
        } else {
            None
        };
        let value = hotkey.map(|h| Actual::int(u128::from(net.stakes.hotkey_total(h, 1))));
        check_group(out, ctx.name, field, exp, &ctx.assertion, &vars, &|_| value);
    }
}

fn id_map(v: &Value) -> Option<Vec<(AccountId, f64)>> {
    v.as_object()?
        .iter()
        .map(|(k, x)| {
            Some((
                k.parse().ok()?,
                text(x).and_then(|t| target(&t, &Vars::new()))?,
            ))
        })
        .collect()
}

fn sum_u96(m: &BTreeMap<AccountId, U96F32>) -> u64 {
    tou64(
        m.values()
            .fold(U96F32::from_num(0), |a, b| a.saturating_add(*b)),
    )
}

/// Check totals named `a`, `b` or `a_plus_b`.
fn check_totals(ctx: &Ctx, out: &mut Outcomes, totals: &BTreeMap<&str, u64>) {
    let vars = Vars::new();
    let Some(expected) = ctx.expected() else {
        return;
    };
    for (field, exp) in expected {
        let value = field
            .split("_plus_")
            .map(|part| totals.get(part).copied())
            .try_fold(0u64, |acc, v| v.map(|v| acc.saturating_add(v)));
        check_group(out, ctx.name, field, exp, &ctx.assertion, &vars, &|_| {
            value.map(|v| Actual::int(u128::from(v)))
        });
    }
}

fn dividend_split(ctx: &Ctx, out: &mut Outcomes) {
    let stake_map: BTreeMap<AccountId, (u64, u64)> = ctx
        .input("stake_map")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let g = |f: &str| {
                        v.get(f)
                            .and_then(text)
                            .and_then(|t| first_u64(&t))
                            .unwrap_or(0)
                    };
                    Some((k.parse().ok()?, (g("alpha"), g("root"))))
                })
                .collect()
        })
        .unwrap_or_default();
    let dividends: BTreeMap<AccountId, U96F32> = ctx
        .input("dividends")
        .and_then(id_map)
        .unwrap_or_default()
        .into_iter()
        .map(|(h, d)| (h, U96F32::from_num(d)))
        .collect();
    let tw = U96F32::from_num(ctx.f64_input("tao_weight").unwrap_or(0.0));
    let pending_alpha = ctx.u64_input("pending_validator_alpha").unwrap_or(0);
    let pending_root = ctx.u64_input("pending_root_alpha").unwrap_or(0);
    let (alpha, root) =
        calculate_dividend_distribution(pending_alpha, pending_root, tw, &stake_map, &dividends);
    let (sa, sr) = (sum_u96(&alpha), sum_u96(&root));
    let totals: BTreeMap<&str, u64> = [
        ("sum_alpha_dividends", sa),
        ("sum_root_dividends", sr),
        ("alpha_dividends_total", sa),
        ("root_dividends_total", sr),
        ("sum_root_alpha_dividends", sr),
        ("sum_tao_dividends", sr),
    ]
    .into_iter()
    .collect();
    check_totals(ctx, out, &totals);
}

fn hotkey_emission_case(ctx: &Ctx, out: &mut Outcomes) {
    // The upstream tests: a dynamic subnet owned by (hotkey 0, coldkey 1) with one more neuron
    // (hotkey 1, coldkey 2) holding `alpha_stake` (default 1) alpha.
    let mut net = ctx.network();
    subnet(ctx, &mut net);
    net.register(1, 0, 1);
    if let Some(s) = net.subnets.get_mut(&1) {
        s.owner_coldkey = Some(1);
        s.owner_hotkey = Some(0);
    }
    net.register(1, 1, 2);
    net.stakes
        .increase(1, 2, 1, ctx.u64_input("alpha_stake").unwrap_or(1));
    set_tao_weight(ctx, &mut net);
    let emissions: Vec<HotkeyEmission> = ctx
        .input("hotkey_emission")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|e| {
                    let g = |f: &str| e.get(f).and_then(text).and_then(|t| first_u64(&t));
                    HotkeyEmission {
                        hotkey: g("hotkey").unwrap_or(1),
                        incentive: g("incentive").unwrap_or(0),
                        dividend: g("dividend").unwrap_or(0),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let (incentives, dividends) = net.calculate_dividends_and_incentives(1, &emissions);
    let incentives_total = incentives.values().fold(0u64, |a, b| a.saturating_add(*b));
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    totals.insert("incentives_total", incentives_total);
    if let Some(pending_validator) = ctx.u64_input("pending_validator_alpha") {
        // calculate_dividend_and_incentive_distribution: dividends scaled to the validator pool.
        let stake_map = net.stake_map(1, dividends.keys());
        let tw = tao_engine::emission::math::u64_fraction(net.params.tao_weight);
        let pending_root = ctx.u64_input("pending_root_alpha").unwrap_or(0);
        let (alpha, root) = calculate_dividend_distribution(
            pending_validator,
            pending_root,
            tw,
            &stake_map,
            &dividends,
        );
        totals.insert("dividends_total", sum_u96(&alpha));
        totals.insert("alpha_dividends_total", sum_u96(&alpha));
        totals.insert("root_dividends_total", sum_u96(&root));
    } else {
        totals.insert("dividends_total", sum_u96(&dividends));
    }
    check_totals(ctx, out, &totals);
}

/// A staker name → coldkey id: its number if it has one (`coldkey_1003`), else a fixed id.
fn coldkey_id(name: &str, index: usize) -> AccountId {
    first_u64(name).unwrap_or(3_000 + index as u64)
}

pub(super) fn root_claim_case(ctx: &Ctx, out: &mut Outcomes) {
    if needs_yuma(ctx, out) {
        return;
    }
    // Upstream setup: add_dynamic_network(hotkey 1002, owner 1001); the owner hotkey is the
    // validator (uid 0) with `validator_subnet_alpha` owned by the owner coldkey.
    let (owner_ck, hotkey): (AccountId, AccountId) = (1001, 1002);
    let mut net = ctx.network();
    subnet(ctx, &mut net);
    if let Some(s) = net.subnets.get_mut(&1) {
        s.owner_coldkey = Some(owner_ck);
        s.owner_hotkey = Some(hotkey);
    }
    net.register(1, hotkey, owner_ck);
    set_tao_weight(ctx, &mut net);
    let stakers: Vec<(String, AccountId, u64)> = ctx
        .input("root_stake")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .enumerate()
                .map(|(i, (name, v))| {
                    (
                        name.clone(),
                        coldkey_id(name, i),
                        text(v).and_then(|t| first_u64(&t)).unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for (_, ck, amount) in &stakers {
        net.stakes.increase(hotkey, *ck, 0, *amount);
    }
    net.stakes.increase(
        hotkey,
        owner_ck,
        1,
        ctx.u64_input("validator_subnet_alpha").unwrap_or(0),
    );
    let claim_type = match ctx.text("claim_type").as_deref() {
        Some("Keep") => RootClaimType::Keep,
        _ => RootClaimType::Swap,
    };
    let expected = ctx.expected().cloned().unwrap_or_default();
    // Claimers: stakers named by an expected `<name>_alpha`; if none is named, every staker.
    let named: Vec<&(String, AccountId, u64)> = stakers
        .iter()
        .filter(|(n, _, _)| expected.keys().any(|k| k == &format!("{n}_alpha")))
        .collect();
    let claimers: Vec<(String, AccountId)> = if named.is_empty() {
        stakers.iter().map(|(n, c, _)| (n.clone(), *c)).collect()
    } else {
        named.iter().map(|(n, c, _)| (n.clone(), *c)).collect()
    };
    for (_, ck) in &claimers {
        net.root_claim_type.insert(*ck, claim_type.clone());
    }
    let rounds = expected
        .keys()
        .filter_map(|k| {
            k.rsplit("round")
                .next()
                .filter(|_| k.contains("round"))
                .and_then(|r| r.parse::<u32>().ok())
        })
        .max()
        .unwrap_or(1);
    let per_round = ctx
        .u64_input("pending_root_alpha_per_round")
        .or_else(|| ctx.u64_input("pending_root_alpha"))
        .unwrap_or(0);
    let subnets = BTreeSet::from([1u16]);
    let mut values: BTreeMap<String, Actual> = BTreeMap::new();
    let mut vars = Vars::new();
    let first_claimer = claimers.first().map(|(_, c)| *c);
    for round in 1..=rounds {
        let buckets = PendingBuckets {
            root_alpha: per_round,
            ..PendingBuckets::default()
        };
        if let Err(e) = net.distribute_emission(1, buckets, &mut StakeProportionalEpoch) {
            out.fail(ctx.name, "distribute_emission", e);
            return;
        }
        values.insert(
            format!("owner_alpha_after_round{round}"),
            Actual::int(u128::from(net.stakes.stake(hotkey, owner_ck, 1))),
        );
        let rate = net.root_claimable_rate(hotkey, 1).to_num::<f64>();
        values.insert(
            format!("root_claimable_rate_round{round}"),
            Actual::real(rate),
        );
        vars.insert(
            if round == 1 {
                "rate".to_string()
            } else {
                format!("rate{round}")
            },
            rate,
        );
        for (_, ck) in &claimers {
            net.claim_root(*ck, Some(&subnets));
        }
        if let Some(ck) = first_claimer {
            let claimed = Actual::int(u128::from(net.stakes.stake(hotkey, ck, 1)));
            values.insert(format!("claimed_alpha_round{round}"), claimed);
            values.insert(format!("claimed_alpha_total_round{round}"), claimed);
            let watermark = net.root_claimed.get(&(1, hotkey, ck)).copied().unwrap_or(0);
            values.insert(format!("root_claimed_round{round}"), Actual::int(watermark));
        }
    }
    for (name, ck) in &claimers {
        let v = Actual::int(u128::from(net.stakes.stake(hotkey, *ck, 1)));
        values.insert(format!("{name}_alpha"), v);
        vars.insert(format!("{name}_alpha"), v.f);
        vars.insert(name.clone(), v.f);
    }
    for (field, exp) in &expected {
        // "equal to alice" means the same value as alice's.
        let exp = match text(exp) {
            Some(t) if t.starts_with("equal to ") => {
                let who = t.trim_start_matches("equal to ").trim();
                match vars.get(who) {
                    Some(v) => Value::String(v.to_string()),
                    None => exp.clone(),
                }
            }
            _ => exp.clone(),
        };
        let value = values.get(field.as_str()).copied();
        check_group(out, ctx.name, field, &exp, &ctx.assertion, &vars, &|_| {
            value
        });
        // "… and RootClaimed == claimed": the watermark equals the claimed stake.
        if text(&exp).is_some_and(|t| t.contains("RootClaimed == claimed")) {
            let round = field.rsplit("round").next().unwrap_or("1");
            let w = values.get(&format!("root_claimed_round{round}")).copied();
            let ok = w.is_some() && w.and_then(|w| w.int) == value.and_then(|v| v.int);
            out.record(
                ctx.name,
                &format!("{field}.root_claimed"),
                ok,
                value.map_or("-".into(), |v| v.to_string()),
                w.map_or("-".into(), |v| v.to_string()),
            );
        }
    }
}
