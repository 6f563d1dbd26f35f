//! Conviction owner-change cases (coinbase category): `hotkey_locks` with rolled convictions,
//! the subnet's age, `SubnetAlphaOut` and owner; with `tempo` / `last_epoch_block` the rule runs
//! at the subnet's epoch slot. Run through [`tao_engine::stake::conviction`].

use super::compare::{text, Actual};
use super::gate::{check_all, Val};
use super::Ctx;
use crate::Outcomes;
use core::str::FromStr;
use serde_json::Value;
use substrate_fixed::types::U64F64;
use tao_engine::consensus::schedule::EpochSchedule;
use tao_engine::stake::conviction::{
    at_epoch_slot, change_subnet_owner_if_needed, HotkeyLock, OwnerChangeInput, OwnerChangeQuorum,
};

/// Whether the case has the shape this runner reads.
pub(super) fn recognises(ctx: &Ctx) -> bool {
    ctx.has("hotkey_locks")
}

/// A key as a comparable value: numbers compare numerically, anything else as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Num(u128),
    Text(String),
}

impl Key {
    fn of(v: &Value) -> Option<Key> {
        let t = text(v)?;
        Some(t.parse().map_or(Key::Text(t), Key::Num))
    }

    fn actual(&self) -> Option<Actual> {
        match self {
            Key::Num(n) => Some(Actual::int(*n)),
            Key::Text(_) => None,
        }
    }
}

fn lock_of(v: &Value) -> Option<HotkeyLock<Key>> {
    let conviction = U64F64::from_str(&text(v.get("conviction")?)?).ok()?;
    Some(HotkeyLock {
        hotkey: Key::of(v.get("hotkey")?)?,
        coldkey: Key::of(v.get("coldkey")?)?,
        locked_mass: text(v.get("locked_mass")?)?.parse().ok()?,
        conviction_bits: conviction.to_bits(),
    })
}

pub(super) fn owner_change_case(ctx: &Ctx, out: &mut Outcomes) {
    let owner = ctx.input("owner");
    let locks: Option<Vec<HotkeyLock<Key>>> = ctx
        .input("hotkey_locks")
        .and_then(Value::as_array)
        .and_then(|l| l.iter().map(lock_of).collect());
    let (Some(now), Some(alpha_out), Some(locks), Some(oc), Some(oh)) = (
        ctx.u64_input("now"),
        ctx.u64_input("subnet_alpha_out"),
        locks,
        owner.and_then(|o| o.get("coldkey")).and_then(Key::of),
        owner.and_then(|o| o.get("hotkey")).and_then(Key::of),
    ) else {
        out.fail(
            ctx.name,
            "case",
            "owner change: missing now, alpha out, owner or locks",
        );
        return;
    };
    let input = OwnerChangeInput {
        now,
        registered_at: ctx.u64_input("network_registered_at").unwrap_or(0),
        alpha_out,
        owner_coldkey: oc.clone(),
        locks,
    };
    let quorum = match ctx.text("quorum").as_deref() {
        Some("king") | Some("king_conviction") => OwnerChangeQuorum::KingConviction,
        _ => OwnerChangeQuorum::TotalConviction,
    };
    let mut schedule = None;
    let change = match ctx.u64_input("tempo") {
        Some(tempo) => {
            let mut s = EpochSchedule {
                last_epoch_block: ctx.u64_input("last_epoch_block").unwrap_or(0),
                pending_epoch_at: ctx.u64_input("pending_epoch_at").unwrap_or(0),
                blocks_since_last_step: ctx.u64_input("blocks_since_last_step").unwrap_or(0),
                epoch_index: 0,
            };
            let tempo = u16::try_from(tempo).unwrap_or(u16::MAX);
            let (_, c) = at_epoch_slot(&mut s, tempo, &input, quorum);
            schedule = Some(s);
            c
        }
        None => change_subnet_owner_if_needed(&input, quorum),
    };
    let (hotkey, coldkey) = match &change {
        Some(c) => (c.hotkey.clone(), c.coldkey.clone()),
        None => (oh, oc),
    };
    check_all(ctx, out, &|field| {
        let a = match field {
            "subnet_owner_coldkey" => coldkey.actual()?,
            "subnet_owner_hotkey" => hotkey.actual()?,
            "king_conviction_after" => {
                Actual::int(u128::from(change.as_ref()?.king_conviction_after))
            }
            "last_epoch_block" => Actual::int(u128::from(schedule?.last_epoch_block)),
            _ => return None,
        };
        Some(Val::Scalar(a))
    });
}
