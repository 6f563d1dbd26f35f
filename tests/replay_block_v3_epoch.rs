//! `replay block` at the v3 runtimes where subnet 1's epoch is due at the child block under the
//! legacy schedule (`chain::replay_v3_epoch`): the Yuma epoch and its payout, on the pairs of
//! tests/support/v3_epoch.rs (the BUILT v3 coinbase pair with one of the chain's own epoch
//! scenarios on subnet 1, the child holding the scenario's outputs).

#[path = "support/payout_pair.rs"]
mod payout_pair;
#[path = "support/replay_block.rs"]
mod support;
#[path = "support/v3_block.rs"]
mod v3_block;
#[path = "support/v3_child.rs"]
mod v3_child;
#[path = "support/v3_epoch.rs"]
mod v3_epoch;

use std::collections::BTreeSet;
use tao_engine::chain::coinbase_items::{subnet as s, v3 as v};
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::{replay_block, BlockReplay};
use tao_engine::chain::storage::{netuid_index, KeyArg};
use tao_engine::chain::types::AccountId32;
use tao_engine::runtime::timeline::{
    FLOW_SHARES_NOT_REPLAYED, LEGACY_FLOW_NOT_REPLAYED, PRE_SAFEFLOAT_NOT_REPLAYED,
    V3_COINBASE_NOT_REPLAYED,
};

use support::{counts, key, ACTIVE, NET};
use v3_epoch::*;

/// The coinbase items the payout's recycled alpha decides, listed with the era's reason.
fn distributed(item: &str) -> bool {
    [
        s::ALPHA_OUT.path(),
        s::ROOT_PROP.path(),
        v::TOTAL_ALPHA_ISSUANCE.path(),
        v::ALPHA_RECYCLED.path(),
    ]
    .contains(&item.to_string())
}

fn check_pair(file: &str, block: u64, spec: u32) -> (EpochPair, BlockReplay) {
    let p = epoch_pair(file, block, spec);
    let r = replay_block(&p.parent, &p.child).unwrap();
    let (_, bad, _) = counts(&r);
    assert_eq!(
        bad,
        0,
        "{file} {spec}: {:#?}",
        r.items.iter().find(|i| !i.equal)
    );
    // Every epoch write is compared with the scenario's (the chain's) value: Incentive and a bond
    // row per uid (one mechanism) and seven per-netuid vectors.
    let epoch: Vec<_> = r.items.iter().filter(|i| epoch_item(&i.item)).collect();
    assert_eq!(epoch.len(), usize::from(p.n) + 8, "{file} {spec}");
    for i in &epoch {
        assert_eq!(p.snap.outputs.get(&i.key), Some(&i.expected), "{}", i.item);
    }
    // The drain's step block, the buckets and the counter.
    let step = v::LAST_MECHANISM_STEP_BLOCK.key_hex(NET);
    assert!(r.items.iter().any(|i| i.key == step && i.equal));
    // The payout is compared; MinerBurned only from 421.
    assert!(r.items.iter().any(|i| payout_item(&i.item)));
    let burned = r
        .items
        .iter()
        .any(|i| i.item == "SubtensorModule.MinerBurned");
    assert_eq!(burned, spec >= 421, "{spec}");
    // Only what the recycled alpha decides is listed, with the era's reason.
    let reason = match spec {
        421.. => V3_COINBASE_NOT_REPLAYED,
        408.. => FLOW_SHARES_NOT_REPLAYED,
        _ => LEGACY_FLOW_NOT_REPLAYED,
    };
    assert!(!r.missing.is_empty());
    for m in &r.missing {
        assert!(distributed(&m.item), "{m:?}");
        assert_eq!(m.args, format!("[{NET}]"));
        assert_eq!(m.needs, vec![reason.to_string()]);
    }
    (p, r)
}

#[test]
fn an_epoch_due_at_421_and_422_matches_the_chains_scenario_outputs() {
    for (file, block) in [
        (ACTIVE, 5002),
        ("epoch__test_10_graph.json", 1),
        ("epoch__test_zero_weights.json", 3),
    ] {
        for spec in [421, 422] {
            check_pair(file, block, spec);
        }
    }
}

#[test]
fn an_epoch_due_at_396_to_419_matches_without_miner_burned() {
    // 396–400 and 408–410 by the commits that carry them.
    for spec in [396, 400, 402, 408, 410, 411, 419] {
        check_pair(ACTIVE, 5002, spec);
        check_pair("epoch__test_10_graph.json", 1, spec);
    }
}

#[test]
fn a_tampered_epoch_output_is_exactly_one_mismatch() {
    for spec in [402, 419, 422] {
        let (p, full) = check_pair(ACTIVE, 5002, spec);
        let idx = netuid_index(NET, 0).unwrap();
        for k in [
            key("Dividends", &[KeyArg::U16(NET)]),
            key("Incentive", &[KeyArg::U16(idx)]),
            key("Emission", &[KeyArg::U16(NET)]),
        ] {
            let mut child = p.child.clone();
            let mut v = hex::decode(child.storage[&k].as_deref().unwrap()).unwrap();
            v[1] ^= 1;
            child.storage.insert(k.clone(), Some(hex::encode(&v)));
            let r = replay_block(&p.parent, &child).unwrap();
            assert_eq!(
                counts(&r),
                (full.items.len() - 1, 1, full.missing.len()),
                "{spec} {k}"
            );
            assert_eq!(r.items.iter().find(|i| !i.equal).unwrap().key, k);
        }
    }
}

/// The replay of `p` without the parent key `k`: the compared items that moved to `missing`
/// (by key), and every new missing entry names `k`.
fn removed(p: &EpochPair, full: &BlockReplay, k: &str) -> BTreeSet<String> {
    let mut q = p.parent.clone();
    assert!(q.storage.remove(k).is_some(), "{k}");
    let r = replay_block(&q, &p.child).unwrap();
    assert_eq!(counts(&r).1, 0);
    let now: BTreeSet<&str> = r.items.iter().map(|i| i.key.as_str()).collect();
    let before: BTreeSet<(String, String)> = full
        .missing
        .iter()
        .map(|m| (m.item.clone(), m.args.clone()))
        .collect();
    for m in &r.missing {
        if !before.contains(&(m.item.clone(), m.args.clone())) {
            assert!(m.needs.iter().any(|n| n.contains(k)), "{m:?}");
        }
    }
    full.items
        .iter()
        .filter(|i| !now.contains(i.key.as_str()))
        .map(|i| i.item.clone())
        .collect()
}

#[test]
fn a_removed_epoch_input_moves_exactly_its_dependants() {
    for spec in [402, 419, 422] {
        let (p, full) = check_pair(ACTIVE, 5002, spec);
        let every: BTreeSet<String> = full
            .items
            .iter()
            .filter(|i| epoch_item(&i.item) || payout_item(&i.item))
            .map(|i| i.item.clone())
            .collect();
        // An epoch input (uid 0's weights): every epoch write and the payout, nothing else.
        let idx = netuid_index(NET, 0).unwrap();
        let w = key("Weights", &[KeyArg::U16(idx), KeyArg::U16(0)]);
        let moved = removed(&p, &full, &w);
        assert_eq!(moved, every, "{spec}");
        // `ActivityCutoff` is read at these runtimes (not the factor of 423+).
        let c = key("ActivityCutoff", &[KeyArg::U16(NET)]);
        assert_eq!(removed(&p, &full, &c), every, "{spec}");
        // A drained bucket: the epoch's Emission and the payout (the bucket itself drains to 0);
        // the rest of the epoch (Incentive, Bonds, Dividends, …) does not read the amount.
        let b = s::PENDING_VALIDATOR.key_hex(NET);
        let moved = removed(&p, &full, &b);
        let want: BTreeSet<String> = every
            .iter()
            .filter(|i| payout_item(i) || i.as_str() == "SubtensorModule.Emission")
            .cloned()
            .collect();
        assert_eq!(moved, want, "{spec}");
        // The owner-cut bucket: the payout only (the epoch runs on the other three).
        let payout: BTreeSet<String> = every.iter().filter(|i| payout_item(i)).cloned().collect();
        let cut = s::PENDING_OWNER_CUT.key_hex(NET);
        assert_eq!(removed(&p, &full, &cut), payout, "{spec}");
        // A payout input (uid 0's hotkey owner): the payout only.
        let state = p.snap.chain_state().unwrap();
        let hk = AccountId32::from_hex(state.hotkeys[0].as_deref().unwrap()).unwrap();
        let o = key("Owner", &[KeyArg::Account(hk)]);
        assert_eq!(removed(&p, &full, &o), payout, "{spec}");
    }
}

#[test]
fn an_epoch_due_at_361_to_393_drains_and_lists_the_epoch_and_payout() {
    for spec in [353, 356, 361, 362, 363, 365, 368, 377, 385, 388, 391, 393] {
        let p = epoch_pair(ACTIVE, 5002, spec);
        let r = replay_block(&p.parent, &p.child).unwrap();
        let (_, bad, _) = counts(&r);
        assert_eq!(bad, 0, "{spec}: {:#?}", r.items.iter().find(|i| !i.equal));
        // The drain is compared: the step block, the buckets (0), the counter.
        for key in [
            v::LAST_MECHANISM_STEP_BLOCK.key_hex(NET),
            s::PENDING_VALIDATOR.key_hex(NET),
            s::PENDING_OWNER_CUT.key_hex(NET),
            s::BLOCKS_SINCE_LAST_STEP.key_hex(NET),
        ] {
            assert!(r.items.iter().any(|i| i.key == key && i.equal), "{key}");
        }
        // No epoch or payout write is compared; every one is listed with the era's reason, as
        // are SubnetAlphaOut and RootProp after the payout.
        assert!(r
            .items
            .iter()
            .all(|i| !epoch_item(&i.item) && !payout_item(&i.item)));
        for m in &r.missing {
            assert!(
                epoch_item(&m.item) || payout_item(&m.item) || distributed(&m.item),
                "{m:?}"
            );
            assert_eq!(m.needs, vec![PRE_SAFEFLOAT_NOT_REPLAYED.to_string()]);
        }
        // Under 401's rules the same pair's epoch is compared: the same items.
        let mut q = p.parent.clone();
        q.spec_version = 402;
        let r402 = replay_block(&q, &p.child).unwrap();
        let epoch = |v: Vec<&String>| -> BTreeSet<String> {
            v.into_iter().filter(|i| epoch_item(i)).cloned().collect()
        };
        let listed = epoch(r.missing.iter().map(|m| &m.item).collect());
        let compared = epoch(r402.items.iter().map(|i| &i.item).collect());
        assert!(!compared.is_empty());
        assert_eq!(listed, compared, "{spec}");
        // The payout is listed by the items these runtimes have: the U64F64 share entries, no
        // SafeFloat `…V2` ones.
        let payout: BTreeSet<&str> = r
            .missing
            .iter()
            .filter(|m| payout_item(&m.item))
            .map(|m| m.item.as_str())
            .collect();
        for it in [
            "SubtensorModule.Alpha",
            "SubtensorModule.TotalHotkeyShares",
            "SubtensorModule.TotalHotkeyAlpha",
            "SubtensorModule.AlphaDividendsPerSubnet",
        ] {
            assert!(payout.contains(it), "{it}");
        }
        assert!(payout.iter().all(|i| !i.ends_with("V2")), "{payout:?}");
    }
}
