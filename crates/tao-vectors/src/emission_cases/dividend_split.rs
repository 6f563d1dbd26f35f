//! Dividend-split cases by era: a `hotkeys` list (alpha stake, root stake, dividend, root UID)
//! with the two pending pools and a `rule_era`, run through
//! [`tao_engine::emission::dividend_split::split_dividends`].

use super::compare::{text, Actual};
use super::gate::{check_all, Val};
use super::Ctx;
use crate::Outcomes;
use core::str::FromStr;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::U96F32;
use tao_engine::emission::dividend_split::{split_dividends, DividendSplit};

/// `rule_era` → the split rule (`pre441` ≤ 440, `r441` 441, `post442` ≥ 442).
fn rule_of(era: &str) -> Option<DividendSplit> {
    match era {
        "pre441" | "le440" | "legacy" => Some(DividendSplit::Legacy),
        "r441" => Some(DividendSplit::RootUidZeroed),
        "post442" | "ge442" => Some(DividendSplit::RootUidRequired),
        _ => None,
    }
}

fn fixed(v: &Value, key: &str) -> Option<U96F32> {
    U96F32::from_str(&text(v.get(key)?)?).ok()
}

/// Whether the case has the shape this runner reads.
pub(super) fn recognises(ctx: &Ctx) -> bool {
    ctx.has("hotkeys") && ctx.has("pending_root_alpha") && ctx.has("rule_era")
}

pub(super) fn split_case(ctx: &Ctx, out: &mut Outcomes) {
    let Some(rule) = ctx.text("rule_era").as_deref().and_then(rule_of) else {
        out.fail(ctx.name, "case", "dividend split: unknown rule_era");
        return;
    };
    let tao_weight = match ctx.text("tao_weight_bits_u96f32") {
        Some(b) => b.trim().parse().ok().map(U96F32::from_bits),
        None => ctx
            .text("tao_weight")
            .and_then(|t| U96F32::from_str(&t).ok()),
    };
    let (Some(tw), Some(pa), Some(pr), Some(rows)) = (
        tao_weight,
        ctx.u64_input("pending_validator_alpha"),
        ctx.u64_input("pending_root_alpha"),
        ctx.input("hotkeys").and_then(Value::as_array),
    ) else {
        out.fail(
            ctx.name,
            "case",
            "dividend split: missing pools, tao_weight or hotkeys",
        );
        return;
    };
    let mut stakes = BTreeMap::new();
    let mut divs = BTreeMap::new();
    let mut uids = BTreeSet::new();
    for row in rows {
        let h = row.get("hotkey").and_then(text);
        let a = row.get("alpha_stake").and_then(super::super::json::as_u64);
        let r = row.get("root_stake").and_then(super::super::json::as_u64);
        let (Some(h), Some(a), Some(r), Some(d)) = (h, a, r, fixed(row, "dividend")) else {
            out.fail(ctx.name, "case", "dividend split: unreadable hotkey row");
            return;
        };
        if row
            .get("has_root_uid")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            uids.insert(h.clone());
        }
        stakes.insert(h.clone(), (a, r));
        divs.insert(h, d);
    }
    let (alpha, root) = split_dividends(pa, pr, tw, &stakes, &divs, &|h| uids.contains(h), rule);
    let map = |m: &BTreeMap<String, U96F32>, bits: bool| {
        Val::Map(
            m.iter()
                .map(|(k, v)| {
                    let a = if bits {
                        Actual::int(v.to_bits())
                    } else {
                        Actual::int(u128::from(v.to_num::<u64>()))
                    };
                    (k.clone(), a)
                })
                .collect(),
        )
    };
    let total = |m: &BTreeMap<String, U96F32>| {
        Val::Scalar(Actual::int(m.values().fold(0u128, |s, v| {
            s.saturating_add(u128::from(v.to_num::<u64>()))
        })))
    };
    check_all(ctx, out, &|field| match field {
        "alpha_dividends_bits" => Some(map(&alpha, true)),
        "root_alpha_dividends_bits" => Some(map(&root, true)),
        "alpha_dividends_floor" => Some(map(&alpha, false)),
        "root_alpha_dividends_floor" => Some(map(&root, false)),
        "total_alpha_dividends" => Some(total(&alpha)),
        "total_root_alpha_dividends" => Some(total(&root)),
        _ => None,
    });
}
