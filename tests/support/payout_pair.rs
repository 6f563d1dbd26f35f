//! The epoch pair with the payout's inputs completed, shared by tests/replay_block_payout.rs and
//! tests/replay_block_payout_pools.rs: the scenario pair (tests/support/replay_block.rs) whose
//! parent is completed with the payout's inputs as the replay asks for them and whose child holds
//! what the engine writes.
#![allow(dead_code)]

use crate::support::{self, acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_epoch::distribution_items;
use tao_engine::chain::capture_lease::lease_items;
use tao_engine::chain::hex;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

pub const NET: u16 = 1;
/// The lease id the leased pairs use.
pub const LEASE: u32 = 7;

/// `Pallet.Item[args] (key 0x…)` → (item name, args, key).
pub fn parse_need(need: &str) -> Option<(String, String, String)> {
    let rest = need.strip_prefix("SubtensorModule.")?;
    let (name, rest) = rest.split_once('[')?;
    let (args, rest) = rest.split_once("] (key ")?;
    Some((name.into(), args.into(), rest.strip_suffix(')')?.into()))
}

/// Every parent input `r` lists as missing, as (item name, args, key).
pub fn needed_inputs(
    r: &tao_engine::chain::replay_report::BlockReplay,
) -> Vec<(String, String, String)> {
    r.missing
        .iter()
        .flat_map(|m| m.needs.iter().filter_map(|n| parse_need(n)))
        .collect()
}

/// The coldkey the completed parent gives hotkey `h`.
pub fn coldkey_of(h: &str) -> AccountId32 {
    let mut a = AccountId32::from_hex(h).unwrap();
    a.0[0] ^= 0xff;
    a
}

/// `MinerCollateralState` as stored: locked, drain ratio (U64F64 bits), floor, earned.
pub fn collateral(locked: u64, k: u128, min: u64) -> Vec<u8> {
    [
        locked.to_le_bytes().to_vec(),
        k.to_le_bytes().to_vec(),
        min.to_le_bytes().to_vec(),
        0u64.to_le_bytes().to_vec(),
    ]
    .concat()
}

/// The scenario pair at `spec` with the payout's inputs added to the parent as the replay asks
/// for them, level by level: owners derived from the hotkeys, each pool owned by its hotkey's
/// owner alone (shares = `TotalHotkeyAlpha`), everything else absent on chain. Then the child
/// holds what the engine writes: a capture the engine writes replays to itself. From 436 every
/// earner's position is answered with a miner
/// collateral entry: hotkeys whose first byte is even lock 10^6 alpha at k = 1 with no floor
/// (released by their emission), odd ones lock 10 under a floor of 10^12 (their owner's
/// capturable part is captured); each coldkey's total is 10^6.
pub fn completed_pair_at(spec: u32) -> support::Pair {
    completed_pair(spec, support::ACTIVE, 5002, |_| {})
}

/// [`completed_pair_at`] for the scenario `file`'s epoch at `block`, with `edit` applied to the
/// parent first.
pub fn completed_pair(
    spec: u32,
    file: &str,
    block: u64,
    edit: impl Fn(&mut Capture),
) -> support::Pair {
    let mut p = support::pair(file, block, spec);
    edit(&mut p.parent);
    let alpha = |c: &Capture, h: &str| -> u64 {
        let k = key(
            "TotalHotkeyAlpha",
            &[acc(AccountId32::from_hex(h).unwrap()), KeyArg::U16(NET)],
        );
        match c.storage.get(&k).cloned().flatten() {
            Some(v) => u64::from_le_bytes(hex::decode(&v).unwrap().try_into().unwrap()),
            None => 0,
        }
    };
    for round in 0.. {
        assert!(round < 5, "the payout keeps asking for inputs");
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
        let needs = needed_inputs(&r);
        if needs.is_empty() {
            break;
        }
        for (name, args, k) in needs {
            let parts: Vec<&str> = args.split(',').collect();
            let value = match name.as_str() {
                "Owner" => Some(coldkey_of(parts[0]).0.to_vec()),
                "TotalHotkeySharesV2" => {
                    let v = alpha(&p.parent, parts[0]);
                    (v > 0).then(|| sf(&SafeFloat::from_u64(v)))
                }
                "AlphaV2" if coldkey_of(parts[0]).to_hex() == parts[1] => {
                    let v = alpha(&p.parent, parts[0]);
                    (v > 0).then(|| sf(&SafeFloat::from_u64(v)))
                }
                "MinerCollateral" => {
                    let first = AccountId32::from_hex(parts[1]).unwrap().0[0];
                    Some(if first % 2 == 0 {
                        collateral(1_000_000, 1 << 64, 0)
                    } else {
                        collateral(10, 1 << 64, 1_000_000_000_000)
                    })
                }
                "ColdkeyMinerCollateral" => Some(1_000_000u64.to_le_bytes().to_vec()),
                _ => None,
            };
            p.parent.storage.insert(k, value.map(|v| hex::encode(&v)));
        }
    }
    // The child: first every written key (the report then carries the engine's value), then
    // those values.
    let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
    for m in &r.missing {
        for n in &m.needs {
            if let Some(k) = n
                .strip_prefix("CHILD: ")
                .and_then(|x| x.rsplit_once("(key "))
            {
                p.child
                    .storage
                    .insert(k.1.trim_end_matches(')').into(), None);
            }
        }
    }
    // Only the payout's items take the engine's values (the child's `MinerBurned` was written by
    // the coinbase model's own stand-in epoch); everything else already matched.
    let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
    let mut payout = distribution_items(NET, &Rules::for_spec(spec).unwrap());
    payout.extend(lease_items(LEASE));
    for i in r.items.iter().filter(|i| !i.equal) {
        assert!(payout.iter().any(|(item, _)| *item == i.item), "{}", i.item);
        p.child.storage.insert(i.key.clone(), i.actual.clone());
    }
    p
}

/// The first payout pool of `r` (`TotalHotkeyAlpha` compared) and `parent` with a root-fund
/// credit of 5 queued for that pool's hotkey on subnet 2 (`PendingBasketDeposits`): a queue the
/// janitor may flush after the coinbase (441+).
pub fn queue_credit_for_first_pool(
    r: &tao_engine::chain::replay_report::BlockReplay,
    parent: &Capture,
) -> (tao_engine::chain::replay_report::ItemCheck, Capture) {
    let pool = r
        .items
        .iter()
        .find(|i| i.item == "SubtensorModule.TotalHotkeyAlpha")
        .unwrap()
        .clone();
    let h = pool.args.trim_start_matches('[').split(',').next().unwrap();
    let mut parent = parent.clone();
    let qk = key(
        "PendingBasketDeposits",
        &[acc(AccountId32::from_hex(h).unwrap()), KeyArg::U16(2)],
    );
    parent
        .storage
        .insert(qk, Some(hex::encode(&5u64.to_le_bytes())));
    (pool, parent)
}
