//! `replay block` where an epoch runs at the child block (issue 13 item 3, epochs where due), on
//! the pair built from the chain's own epoch scenarios (`support::pair`, see
//! tests/support/replay_block.rs).

#[path = "support/replay_block.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_epoch::{
    describe_key, distribution_items, DISTRIBUTION_NOT_REPLAYED,
};
use tao_engine::chain::coinbase_items::subnet as s;
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::{replay_block, BlockReplay};
use tao_engine::chain::snapshot::storage_key_hex;
use tao_engine::chain::storage::KeyArg;
use tao_engine::runtime::Rules;

use support::*;

/// Epoch writes of subnet 1: Incentive and a bond row per uid (one mechanism), seven per-netuid
/// vectors and `LastMechansimStepBlock`.
fn epoch_item(item: &str) -> bool {
    [
        "Incentive",
        "Bonds",
        "Active",
        "Emission",
        "Consensus",
        "Dividends",
        "ValidatorTrust",
        "ValidatorPermit",
        "StakeWeight",
        "LastMechansimStepBlock",
    ]
    .iter()
    .any(|n| item == format!("SubtensorModule.{n}"))
}

#[test]
fn an_epoch_due_at_the_child_matches_the_chains_scenario_outputs() {
    for (file, block, spec) in [
        (ACTIVE, 5002, 423),
        (ACTIVE, 5002, 425),
        (ACTIVE, 5002, 440),
        ("epoch__test_10_graph.json", 1, 473),
        (
            "epoch__test_can_set_self_weight_as_subnet_owner.json",
            2,
            444,
        ),
        ("epoch__test_zero_weights.json", 3, 475),
    ] {
        let p = pair(file, block, spec);
        let r = replay_block(&p.parent, &p.child).unwrap();
        let (eq, bad, miss) = counts(&r);
        assert_eq!(
            bad,
            0,
            "{file} {spec}: {:#?}",
            r.items.iter().find(|i| !i.equal)
        );
        let epoch: Vec<_> = r.items.iter().filter(|i| epoch_item(&i.item)).collect();
        assert_eq!(epoch.len(), usize::from(p.n) + 9, "{file}");
        // The expected values are the scenario's (the chain's), not written by the engine.
        for i in &epoch {
            if i.item != "SubtensorModule.LastMechansimStepBlock" {
                assert_eq!(p.snap.outputs.get(&i.key), Some(&i.expected), "{}", i.item);
            }
        }
        // Only the distribution is listed: SubnetAlphaOut and RootProp of subnet 1 (the alpha it
        // recycles) and the payout's own items (RootClaimable up to spec 440, basket deposits
        // from 441, the three collateral items from 436, the reverse index included, and the
        // two legacy share entries a touched pool may still hold, and from 469 the two pool
        // epochs of the closing rules, and from 448 the subnet's TotalAlphaStaked), with the
        // stake-book keys the parent lacks.
        let epochs = if spec >= 469 { 2 } else { 0 };
        let total = usize::from(spec >= 448);
        let dist = if spec >= 436 { 13 } else { 10 } + epochs + total;
        assert_eq!(miss, 2 + dist, "{file}: {:#?}", r.missing);
        for m in &r.missing {
            let last = m.needs.last().map(String::as_str).unwrap_or_default();
            if m.item == s::ALPHA_OUT.path() || m.item == s::ROOT_PROP.path() {
                assert_eq!(last, DISTRIBUTION_NOT_REPLAYED);
            } else {
                assert!(
                    m.needs.iter().all(|k| k.starts_with("SubtensorModule.")),
                    "{:?}",
                    m.needs
                );
                assert!(m
                    .needs
                    .iter()
                    .any(|k| k.starts_with("SubtensorModule.Owner[")));
            }
        }
        let has = |item: &str| r.missing.iter().any(|m| m.item == item);
        assert_eq!(has("SubtensorModule.MinerCollateral"), spec >= 436);
        assert!(r.missing.iter().any(|m| m.item == s::ALPHA_OUT.path()));
        let has = |item: &str| r.missing.iter().any(|m| m.item == item);
        assert_eq!(has("SubtensorModule.RootClaimable"), spec <= 440);
        assert_eq!(has("SubtensorModule.PendingBasketDeposits"), spec > 440);
        assert!(eq > 40 && r.success(), "{file}");
        // The drained buckets, the counter and the schedule are compared.
        let index = storage_key_hex("SubnetEpochIndex", &[KeyArg::U16(NET)]).unwrap();
        assert!(r.items.iter().any(|i| i.key == index && i.equal));
        for it in [s::PENDING_SERVER, s::BLOCKS_SINCE_LAST_STEP] {
            assert!(r
                .items
                .iter()
                .any(|i| i.key == it.key_hex(NET) && i.equal && i.expected.is_none()));
        }
    }
}

#[test]
fn a_tampered_epoch_output_is_exactly_one_mismatch() {
    let p = pair(ACTIVE, 5002, 425);
    let full = replay_block(&p.parent, &p.child).unwrap();
    for item in ["Dividends", "Incentive", "Emission"] {
        let k = storage_key_hex(item, &[KeyArg::U16(NET)]).unwrap();
        let mut child = p.child.clone();
        let mut v = hex::decode(child.storage[&k].as_deref().unwrap()).unwrap();
        // The first element's low byte (after the one-byte length prefix).
        v[1] ^= 1;
        child.storage.insert(k.clone(), Some(hex::encode(&v)));
        let r = replay_block(&p.parent, &child).unwrap();
        assert_eq!(
            counts(&r),
            (full.items.len() - 1, 1, full.missing.len()),
            "{item}"
        );
        let bad = r.items.iter().find(|i| !i.equal).unwrap();
        assert_eq!(bad.key, k);
        assert!(!r.success());
    }
}

#[test]
fn a_removed_epoch_input_moves_exactly_its_dependants_to_missing() {
    let p = pair(ACTIVE, 5002, 425);
    let full = replay_block(&p.parent, &p.child).unwrap();
    for (item, args) in [
        (
            "BlockAtRegistration",
            vec![KeyArg::U16(NET), KeyArg::U16(0)],
        ),
        ("Kappa", vec![KeyArg::U16(NET)]),
    ] {
        let k = storage_key_hex(item, &args).unwrap();
        let mut parent = p.parent.clone();
        assert!(parent.storage.remove(&k).is_some(), "{item}");
        let r = replay_block(&parent, &p.child).unwrap();
        let need = describe_key(&k);
        assert!(
            need.starts_with(&format!("SubtensorModule.{item}[1")),
            "{need}"
        );
        let mut moved: Vec<(String, String)> = r
            .missing
            .iter()
            .filter(|m| m.needs.contains(&need))
            .map(|m| (m.item.clone(), m.args.clone()))
            .collect();
        moved.sort();
        // The epoch's writes (by item) and what the drain decides: the buckets, the counter,
        // and the two outputs after the distribution.
        let mut want: Vec<(String, String)> = [
            "Incentive",
            "Bonds",
            "Active",
            "Emission",
            "Consensus",
            "Dividends",
            "ValidatorTrust",
            "ValidatorPermit",
            "StakeWeight",
            "LastMechansimStepBlock",
        ]
        .iter()
        .map(|n| {
            let a = if *n == "Bonds" { "[1,*]" } else { "[1]" };
            (format!("SubtensorModule.{n}"), a.to_string())
        })
        // The distribution pays what the epoch computes.
        .chain(distribution_items(NET, &Rules::for_spec(425).unwrap()))
        .chain(
            [
                s::PENDING_SERVER,
                s::PENDING_VALIDATOR,
                s::PENDING_ROOT_ALPHA,
                s::PENDING_OWNER_CUT,
                s::BLOCKS_SINCE_LAST_STEP,
                s::ALPHA_OUT,
                s::ROOT_PROP,
            ]
            .iter()
            .map(|it| (it.path(), "[1]".to_string())),
        )
        .collect();
        want.sort();
        assert_eq!(moved, want, "{item}");
        let compared_before = full.items.len();
        let epoch_compared = usize::from(p.n) + 9;
        assert_eq!(
            counts(&r),
            (
                compared_before - epoch_compared - 5,
                0,
                full.missing.len() + 10 + 5
            ),
            "{item}"
        );
        // Nothing else moved: subnet 2 and the totals are still compared.
        assert!(r
            .items
            .iter()
            .any(|i| i.item == "SubtensorModule.TotalStake" && i.equal));
    }
}

#[test]
fn a_duplicate_hotkey_skips_the_epoch_as_the_chain_does() {
    // Uid 1 gets uid 0's hotkey: `is_epoch_input_state_consistent` fails, so the chain keeps the
    // buckets and writes no epoch output; the slot is consumed.
    let base = pair(ACTIVE, 5002, 425);
    let k0 = storage_key_hex("Keys", &[KeyArg::U16(NET), KeyArg::U16(0)]).unwrap();
    let k1 = storage_key_hex("Keys", &[KeyArg::U16(NET), KeyArg::U16(1)]).unwrap();
    assert!(base.parent.storage.contains_key(&k1));
    let p = pair_with(ACTIVE, 5002, 425, |net| {
        // What the chain does with these keys, stated directly for the engine's own drain.
        net.subnets.get_mut(&NET).unwrap().neurons = vec![7, 7];
    });
    let mut parent = p.parent.clone();
    let dup = parent.storage[&k0].clone();
    parent.storage.insert(k1, dup);
    let r = replay_block(&parent, &p.child).unwrap();
    let (eq, bad, miss) = counts(&r);
    assert_eq!(
        (bad, miss),
        (0, 0),
        "{:#?}",
        r.items.iter().find(|i| !i.equal)
    );
    assert!(eq > 30 && r.success());
    assert!(!r.items.iter().any(|i| epoch_item(&i.item)));
    // The buckets were not drained: the child holds them non-zero and the replay agrees.
    let pending = r
        .items
        .iter()
        .find(|i| i.key == s::PENDING_SERVER.key_hex(NET))
        .unwrap();
    assert!(pending.expected.is_some() && pending.equal);
    // Replayed against the consistent parent, the same child mismatches the drained outputs.
    let wrong = replay_block(&base.parent, &p.child).unwrap();
    assert!(counts(&wrong).1 > 0);
}

#[test]
fn the_cli_replays_an_epoch_block() {
    let p = pair(ACTIVE, 5002, 425);
    let d = std::env::temp_dir().join(format!("tao-replay-epoch-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let (pp, cp) = (d.join("p.json"), d.join("c.json"));
    std::fs::write(&pp, p.parent.to_json().unwrap()).unwrap();
    let run = |child: &Capture| {
        std::fs::write(&cp, child.to_json().unwrap()).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_tao-replay"))
            .args(["block", pp.to_str().unwrap(), cp.to_str().unwrap()])
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let r = replay_block(&p.parent, &p.child).unwrap();
    let (code, out) = run(&p.child);
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    assert_eq!(last, r.summary());
    assert!(last.ends_with(" equal, 0 mismatched, 12 missing"), "{last}");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["item"] == "SubtensorModule.Dividends" && i["equal"] == true));
    let mut child = p.child.clone();
    let k = storage_key_hex("Consensus", &[KeyArg::U16(NET)]).unwrap();
    let mut b = hex::decode(child.storage[&k].as_deref().unwrap()).unwrap();
    b[1] ^= 1;
    child.storage.insert(k, Some(hex::encode(&b)));
    let (code, out) = run(&child);
    assert_eq!(code, 1);
    assert!(
        out.trim_end().ends_with(" equal, 1 mismatched, 12 missing"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn liquid_alpha_from_spec_446_asks_for_its_consensus_mode() {
    // From 446 a Yuma3 subnet with liquid alpha on also reads LiquidAlphaConsensusMode (then, by
    // the mode, the stored Consensus: tests/replay_consensus_mode.rs); a parent without the key
    // lists the epoch's writes and the payout's items with it; what the drain decides is still
    // compared.
    let mode = storage_key_hex("LiquidAlphaConsensusMode", &[KeyArg::U16(NET)]).unwrap();
    for (spec, listed) in [(445, false), (446, true), (475, true)] {
        let p = pair(ACTIVE, 5002, spec);
        let mut parent = p.parent.clone();
        for item in ["LiquidAlphaOn", "Yuma3On"] {
            let k = storage_key_hex(item, &[KeyArg::U16(NET)]).unwrap();
            parent.storage.insert(k, Some("0x01".into()));
        }
        parent.storage.remove(&mode);
        let r = replay_block(&parent, &p.child).unwrap();
        let why: Vec<_> = r
            .missing
            .iter()
            .filter(|m| m.needs.iter().any(|n| n.contains(&mode)))
            .collect();
        // The epoch's ten writes and the payout's thirteen items (fourteen from 448 with the
        // subnet's TotalAlphaStaked, sixteen from 469 with the pool epochs), which need the
        // epoch.
        let items = 13 + usize::from(spec >= 448) + if spec >= 469 { 2 } else { 0 };
        assert_eq!(why.len(), if listed { 10 + items } else { 0 }, "{spec}");
        assert_eq!(
            r.items.iter().any(|i| epoch_item(&i.item)),
            !listed,
            "{spec}"
        );
        assert!(r
            .items
            .iter()
            .any(|i| i.key == s::PENDING_SERVER.key_hex(NET) && i.equal));
    }
}

#[test]
fn an_unknown_epoch_under_the_per_block_cap_makes_later_drains_unknown() {
    // Cap 1: subnet 1's epoch runs, subnet 2's (also due) is deferred. Had subnet 1's epoch been
    // skipped (a duplicate hotkey), subnet 2's would have run instead.
    let p = pair_with(ACTIVE, 5002, 425, |net| {
        net.params.max_epochs_per_block = 1;
        net.subnets.get_mut(&2).unwrap().pending_epoch_at = 5002;
    });
    let full = replay_block(&p.parent, &p.child).unwrap();
    assert_eq!(counts(&full).1, 0);
    let two = |r: &BlockReplay| {
        r.items
            .iter()
            .any(|i| i.key == s::PENDING_SERVER.key_hex(2) && i.equal)
    };
    assert!(two(&full));
    let k = storage_key_hex("Keys", &[KeyArg::U16(NET), KeyArg::U16(0)]).unwrap();
    let mut parent = p.parent.clone();
    assert!(parent.storage.remove(&k).is_some());
    let r = replay_block(&parent, &p.child).unwrap();
    assert_eq!(counts(&r).1, 0);
    assert!(!two(&r));
    let mut moved: Vec<String> = r
        .missing
        .iter()
        .filter(|m| m.args == "[2]" && m.needs.iter().any(|n| n.contains(&k)))
        .map(|m| m.item.clone())
        .collect();
    moved.sort();
    // The drain's outputs and the schedule: deferred, or run in subnet 1's place.
    let mut want: Vec<String> = [
        s::PENDING_SERVER,
        s::PENDING_VALIDATOR,
        s::PENDING_ROOT_ALPHA,
        s::PENDING_OWNER_CUT,
        s::BLOCKS_SINCE_LAST_STEP,
        s::ALPHA_OUT,
        s::ROOT_PROP,
        s::LAST_EPOCH_BLOCK,
        s::PENDING_EPOCH_AT,
    ]
    .iter()
    .map(|it| it.path())
    .chain(["SubtensorModule.SubnetEpochIndex".to_string()])
    .collect();
    want.sort();
    assert_eq!(moved, want);
    // Without the cap binding, subnet 2 does not depend on subnet 1's epoch.
    let q = pair_with(ACTIVE, 5002, 425, |net| {
        net.subnets.get_mut(&2).unwrap().pending_epoch_at = 5002;
    });
    let mut parent = q.parent.clone();
    parent.storage.remove(&k);
    let r = replay_block(&parent, &q.child).unwrap();
    assert!(!r
        .missing
        .iter()
        .any(|m| m.args == "[2]" && m.needs.iter().any(|n| n.contains(&k))));
}

/// The spec-425 epoch pair is committed (`block_epoch_spec425_{parent,child}.json`) for the wasm
/// test; `TAO_REPLAY_WRITE_FIXTURES=1` rewrites it.
#[test]
fn the_committed_epoch_pair_is_what_this_test_builds() {
    let p = pair(ACTIVE, 5002, 425);
    for (name, cap) in [
        ("block_epoch_spec425_parent.json", &p.parent),
        ("block_epoch_spec425_child.json", &p.child),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/replay")
            .join(name);
        if std::env::var_os("TAO_REPLAY_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, cap.to_json().unwrap() + "\n").unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(&Capture::from_json(&text).unwrap(), cap, "{name} is stale");
    }
}
