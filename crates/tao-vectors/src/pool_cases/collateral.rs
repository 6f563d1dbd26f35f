//! Miner-collateral cases (registration category): a `collateral_before` entry settled against
//! emission (alone, or through one hotkey's payout of incentive and dividends), a registration
//! price split (`collateral_lock_share_u16`), or the hyperparameter bounds. Run through
//! [`tao_engine::stake::collateral`].

use super::*;
use core::str::FromStr;
use substrate_fixed::types::{I96F32, U96F32};
use tao_engine::stake::collateral::{
    pay_dividend, registration_split, settle, split_bought_alpha, validate_drain_ratio,
    CollateralRule, MinerCollateralState, DEFAULT_COLLATERAL_DRAIN_RATIO,
    DEFAULT_COLLATERAL_LOCK_SHARE, MAX_COLLATERAL_DRAIN_RATIO, MAX_COLLATERAL_LOCK_SHARE,
};

/// Whether the case has one of the shapes read here.
pub(super) fn recognises(c: &Ctx, inputs: &Map<String, Value>) -> bool {
    inputs.contains_key("collateral_before")
        || inputs.contains_key("collateral_lock_share_u16")
        || c.expected.keys().any(|k| k.contains("CollateralLockShare"))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn entry(v: &Value) -> Result<Option<MinerCollateralState>> {
    if v.is_null() {
        return Ok(None);
    }
    let bad = |k: &str| Error::field(ErrorCode::InvalidType, k, "unreadable collateral field");
    let num = |k: &str| v.get(k).and_then(value_u64).ok_or_else(|| bad(k));
    let drain = match v.get("drain_ratio_bits").and_then(value_u128) {
        Some(b) => U64F64::from_bits(b),
        None => v
            .get("drain_ratio")
            .and_then(text_of)
            .and_then(|t| U64F64::from_str(&t).ok())
            .ok_or_else(|| bad("drain_ratio"))?,
    };
    Ok(Some(MinerCollateralState {
        locked: num("locked")?,
        drain_ratio_bits: drain.to_bits(),
        min_locked: num("min_locked")?,
        earned: num("earned")?,
    }))
}

fn check_state(c: &Ctx, out: &mut Outcomes, before: bool, after: Option<MinerCollateralState>) {
    for (key, _) in c.fields() {
        let a = match (key.as_str(), after) {
            ("collateral_locked", Some(s)) => Actual::Int(u128::from(s.locked)),
            ("collateral_earned", Some(s)) => Actual::Int(u128::from(s.earned)),
            ("collateral_min_locked", Some(s)) => Actual::Int(u128::from(s.min_locked)),
            ("collateral_locked", None) => Actual::Int(0),
            ("entry_removed", s) => Actual::Bool(before && s.is_none()),
            ("entry_created", s) => Actual::Bool(!before && s.is_some()),
            _ => continue,
        };
        c.check(out, key, &a);
    }
}

pub(super) fn collateral_case(
    c: &Ctx,
    inputs: &Map<String, Value>,
    out: &mut Outcomes,
) -> Result<()> {
    if let Some(v) = inputs.get("collateral_before") {
        let state = entry(v)?;
        if inputs.contains_key("alpha_dividend") || inputs.contains_key("hotkey_take_u16") {
            return payout(c, inputs, state, out);
        }
        let s = settle(
            state,
            input_u64(inputs, "emission")?,
            input_u64(inputs, "capturable")?,
        );
        if c.expected.contains_key("captured") {
            c.check(out, "captured", &Actual::Int(u128::from(s.captured)));
        }
        if c.expected.contains_key("released") {
            let before = state.map_or(0, |x| x.locked);
            let after = s.state.map_or(0, |x| x.locked);
            let released = before.saturating_add(s.captured).saturating_sub(after);
            c.check(out, "released", &Actual::Int(u128::from(released)));
        }
        check_state(c, out, state.is_some(), s.state);
        return Ok(());
    }
    if inputs.contains_key("collateral_lock_share_u16") {
        let p = u16::try_from(input_u64(inputs, "collateral_lock_share_u16")?).unwrap_or(u16::MAX);
        let price = match inputs.get("moving_price").and_then(text_of) {
            Some(t) => U64F64::saturating_from_num(
                I96F32::from_str(&t)
                    .map_err(|_| Error::field(ErrorCode::InvalidType, "moving_price", t))?,
            ),
            None => U64F64::from_num(1),
        };
        let r = registration_split(
            p,
            input_u64(inputs, "registration_cost")?,
            opt_u64(inputs, "standing_locked_alpha").unwrap_or(0),
            price,
        );
        let bought = opt_u64(inputs, "bought_alpha").or_else(|| opt_u64(inputs, "total_alpha"));
        let split = bought.map(|a| split_bought_alpha(a, r.burned_share, r.topup));
        for (key, _) in c.fields() {
            let a = match (key.as_str(), split) {
                ("collateral_requirement", _) => r.requirement,
                ("burned_share", _) => r.burned_share,
                ("collateral_topup", _) => r.topup,
                ("total_charge", _) => r.total_charge,
                ("lock_alpha", Some((l, _))) => l,
                ("burn_alpha", Some((_, b))) => b,
                _ => {
                    out.fail(c.name, key, "no such registration-split output");
                    continue;
                }
            };
            c.check(out, key, &Actual::Int(u128::from(a)));
        }
        let bits = tao_engine::stake::collateral::lock_share_float(p).to_bits();
        c.check_derived(out, "lock_share_bits_u64f64", &Actual::Int(bits));
        return Ok(());
    }
    for (key, _) in c.fields() {
        let a = match key.as_str() {
            "DefaultCollateralLockShare" => Actual::Int(u128::from(DEFAULT_COLLATERAL_LOCK_SHARE)),
            "MaxCollateralLockShare" => Actual::Int(u128::from(MAX_COLLATERAL_LOCK_SHARE)),
            "DefaultCollateralDrainRatio" => {
                Actual::Int(u128::from(DEFAULT_COLLATERAL_DRAIN_RATIO))
            }
            "MaxCollateralDrainRatio" => Actual::Int(u128::from(MAX_COLLATERAL_DRAIN_RATIO)),
            "drain_ratio_must_be_positive" => {
                Actual::Bool(validate_drain_ratio(U64F64::from_num(0)).is_err())
            }
            _ => {
                out.fail(c.name, key, "unknown collateral constant");
                continue;
            }
        };
        c.check(out, key, &a);
    }
    Ok(())
}

/// One hotkey owned by the subnet's payout owner: miner incentive settles first (fully
/// capturable), then the alpha dividend (take-only capture), then an optional root dividend.
/// The owner is taken to hold the hotkey's whole share pool, so the nominator part of the alpha
/// dividend also lands on the owner's stake.
fn payout(
    c: &Ctx,
    inputs: &Map<String, Value>,
    mut state: Option<MinerCollateralState>,
    out: &mut Outcomes,
) -> Result<()> {
    let before = state.is_some();
    let rule = CollateralRule::AllEmission;
    let take_u16 = u16::try_from(input_u64(inputs, "hotkey_take_u16")?).unwrap_or(u16::MAX);
    let fixed = |k: &str| -> Result<U96F32> {
        match inputs.get(k).and_then(text_of) {
            Some(t) => {
                U96F32::from_str(&t).map_err(|_| Error::field(ErrorCode::InvalidType, k, t.clone()))
            }
            None => Ok(U96F32::from_num(0)),
        }
    };
    let mut gain: u128 = 0;
    let incentive = opt_u64(inputs, "incentive").unwrap_or(0);
    if incentive > 0 {
        let s = settle(state, incentive, incentive);
        state = s.state;
        gain = gain.saturating_add(u128::from(incentive));
    }
    let alpha = pay_dividend(state, fixed("alpha_dividend")?, take_u16, rule);
    state = alpha.state;
    gain = gain
        .saturating_add(u128::from(alpha.take))
        .saturating_add(u128::from(alpha.rest));
    let root = pay_dividend(state, fixed("root_dividend")?, take_u16, rule);
    state = root.state;
    gain = gain.saturating_add(u128::from(root.take));
    for (key, exp) in c.fields() {
        let a = match key.as_str() {
            "alpha_dividends_per_subnet" => Actual::Int(u128::from(alpha.rest)),
            "root_alpha_dividends_per_subnet" => Actual::Int(u128::from(root.rest)),
            "owner_stake_gain" => Actual::Int(gain),
            "owner_stake_gain_min" => {
                let ok = value_u128(exp).is_some_and(|m| gain >= m);
                out.record(c.name, key, ok, format!(">= {}", render(exp)), gain);
                continue;
            }
            "owner_stake_gain_max" => {
                let ok = value_u128(exp).is_some_and(|m| gain <= m);
                out.record(c.name, key, ok, format!("<= {}", render(exp)), gain);
                continue;
            }
            "captured" => Actual::Int(u128::from(alpha.captured.saturating_add(root.captured))),
            "collateral_locked"
            | "collateral_earned"
            | "collateral_min_locked"
            | "entry_removed"
            | "entry_created" => continue,
            _ => {
                out.fail(c.name, key, "no such payout output");
                continue;
            }
        };
        c.check(out, key, &a);
    }
    check_state(c, out, before, state);
    let derived = [
        ("take_float_bits_u96f32", {
            let f = U96F32::from_num(take_u16)
                .checked_div(U96F32::from_num(u16::MAX))
                .unwrap_or_else(|| U96F32::from_num(0));
            Actual::Int(f.to_bits())
        }),
        ("alpha_take_bits", Actual::Int(alpha.take_fixed.to_bits())),
        ("take_alpha", Actual::Int(u128::from(alpha.take))),
        ("nominator_alpha", Actual::Int(u128::from(alpha.rest))),
        ("captured", Actual::Int(u128::from(alpha.captured))),
        (
            "shortfall_before",
            Actual::Int(u128::from(shortfall_before(inputs)?)),
        ),
    ];
    for (key, _) in c.derived.iter().filter(|(k, _)| k.as_str() != "note") {
        match derived.iter().find(|(k, _)| k == key) {
            Some((_, a)) => c.check_derived(out, key, a),
            None => out.fail(c.name, &format!("derived.{key}"), "not computed"),
        }
    }
    Ok(())
}

fn shortfall_before(inputs: &Map<String, Value>) -> Result<u64> {
    Ok(
        entry(inputs.get("collateral_before").unwrap_or(&Value::Null))?
            .map_or(0, |s| s.min_locked.saturating_sub(s.locked)),
    )
}
