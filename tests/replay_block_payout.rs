//! `replay block` with the epoch's payout (`chain::capture_distribution`) on the epoch pair
//! (tests/support/replay_block.rs, completed by tests/support/payout_pair.rs) at specs 423 and
//! 425: the parent completed with the payout's inputs as the replay asks for them, the child
//! holding what the engine writes. A capture the
//! engine writes replays to itself, a tampered payout value is exactly one mismatch, and the
//! payout stays within the drained buckets. The hand-derived values are in
//! tests/replay_distribution.rs.

#[path = "support/payout_pair.rs"]
mod payout_pair;
#[path = "support/replay_block.rs"]
mod support;

use tao_engine::chain::hex;
use tao_engine::chain::replay_janitor;

use payout_pair::completed_pair_at;

#[test]
fn an_epoch_block_with_the_payout_replays_to_itself() {
    // 423 runs 424's payout (tags v3.4.8-423 / v3.4.9-424: no change under coinbase/).
    for spec in [423, 425] {
        payout_replays_to_itself(spec);
    }
}

fn payout_replays_to_itself(spec: u32) {
    let p = completed_pair_at(spec);
    let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
    let (eq, bad, miss) = support::counts(&r);
    assert_eq!(bad, 0);
    // Only the recycled alpha's two outputs are listed.
    assert_eq!(miss, 2, "{:#?}", r.missing);
    let paid = |item: &str| {
        r.items
            .iter()
            .filter(|i| i.item == format!("SubtensorModule.{item}"))
            .count()
    };
    let n = usize::from(p.n);
    // Every uid's pool (incentive to the owner coldkey, zero amounts included), the dividend
    // records of every uid, a RootClaimable entry each (tao weight 0: zero increments).
    assert_eq!(paid("TotalHotkeyAlpha"), n);
    assert_eq!(paid("AlphaV2"), n);
    assert_eq!(paid("AlphaDividendsPerSubnet"), n);
    assert_eq!(paid("RootAlphaDividendsPerSubnet"), n);
    assert_eq!(paid("TotalHotkeyAlphaLastEpoch"), n);
    assert_eq!(paid("RootClaimable"), n);
    assert_eq!(paid("MinerBurned"), 1);
    assert!(eq > 6 * n + 40);
    // The payout stays within what the drain handed out: owner cut + validator pool + the
    // epoch's incentives, less at most two rao per uid.
    let u = |v: &Option<String>| -> u64 {
        v.as_ref()
            .map(|h| u64::from_le_bytes(hex::decode(h).unwrap().try_into().unwrap()))
            .unwrap_or(0)
    };
    let grown: u64 = r
        .items
        .iter()
        .filter(|i| i.item == "SubtensorModule.TotalHotkeyAlpha")
        .map(|i| u(&i.expected) - u(p.parent.storage.get(&i.key).unwrap_or(&None)))
        .sum();
    let divs: u64 = r
        .items
        .iter()
        .filter(|i| i.item == "SubtensorModule.AlphaDividendsPerSubnet")
        .map(|i| u(&i.expected))
        .sum();
    assert!(grown > divs && divs > 0, "{grown} {divs}");
}

#[test]
fn a_tampered_payout_value_is_exactly_one_mismatch() {
    for spec in [423, 425] {
        tampered_payout(spec);
    }
}

fn tampered_payout(spec: u32) {
    let p = completed_pair_at(spec);
    for item in [
        "AlphaDividendsPerSubnet",
        "TotalHotkeyAlpha",
        "AlphaV2",
        "MinerBurned",
    ] {
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
        let i = r
            .items
            .iter()
            .find(|i| i.item == format!("SubtensorModule.{item}"))
            .unwrap();
        let mut child = p.child.clone();
        let mut b = hex::decode(i.actual.as_deref().unwrap()).unwrap();
        b[0] ^= 1;
        child.storage.insert(i.key.clone(), Some(hex::encode(&b)));
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &child).unwrap();
        let bad: Vec<_> = r.items.iter().filter(|x| !x.equal).collect();
        assert_eq!(bad.len(), 1, "{spec} {item}");
        assert_eq!(bad[0].key, i.key);
    }
}

/// The payout of later runtimes on the same pair: miner collateral (436), Root Reborn's split and
/// queue (441), the closing share-pool rules (473, 475). Each pair the engine writes replays to
/// itself, the collateral items are compared, and a tampered payout value is exactly one mismatch.
#[test]
fn later_payouts_replay_to_themselves_and_a_tampered_value_is_one_mismatch() {
    for spec in [436, 441, 473, 475] {
        let p = completed_pair_at(spec);
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
        let (eq, bad, miss) = support::counts(&r);
        assert_eq!(bad, 0, "{spec}");
        // Beyond the two base entries: the collateral reverse index of the paid subnet
        // (436+), and from 441 the janitor's queue entries and those hotkeys' share pools.
        let listed = |why: &str| r.missing.iter().filter(|m| m.needs == [why]).count();
        let index = listed(replay_janitor::COLLATERAL_INDEX_NOT_REPLAYED);
        let janitor = listed(replay_janitor::JANITOR_NOT_REPLAYED);
        // One subnet paid: its index is listed once, for every owner.
        assert_eq!(index, 1, "{spec}");
        assert!(r
            .missing
            .iter()
            .any(|m| m.item == replay_janitor::COLLATERAL_INDEX && m.args == "[1,*]"));
        assert_eq!(miss, 2 + index + janitor, "{spec}: {:#?}", r.missing);
        let queued = r
            .missing
            .iter()
            .filter(|m| m.item == "SubtensorModule.PendingBasketDeposits")
            .count();
        assert!(janitor >= queued, "{spec}");
        // A hotkey with a credit queued in the parent may be the one the janitor flushes: from
        // 441 its share-pool items are listed, not compared; before 441 nothing changes.
        let (pool, parent) = payout_pair::queue_credit_for_first_pool(&r, &p.parent);
        let h = pool.args.trim_start_matches('[').split(',').next().unwrap();
        let q = tao_engine::chain::replay_block::replay_block(&parent, &p.child).unwrap();
        let listed_pool = q.missing.iter().any(|m| {
            m.args == pool.args
                && m.item == pool.item
                && m.needs == [replay_janitor::JANITOR_NOT_REPLAYED]
        });
        assert_eq!(listed_pool, spec >= 441, "{spec}");
        assert_eq!(
            q.items
                .iter()
                .any(|i| i.args.starts_with(&format!("[{h},")) && i.item == pool.item),
            spec < 441,
            "{spec}"
        );
        assert!(!r
            .items
            .iter()
            .any(|i| i.item == "SubtensorModule.PendingBasketDeposits"
                && i.actual
                    .as_deref()
                    .is_some_and(|a| !a.trim_start_matches("0x").trim_matches('0').is_empty())));
        let paid = |item: &str| {
            r.items
                .iter()
                .filter(|i| i.item == format!("SubtensorModule.{item}"))
                .count()
        };
        assert!(paid("MinerCollateral") > 0, "{spec}");
        assert!(paid("ColdkeyMinerCollateral") > 0, "{spec}");
        assert_eq!(paid("RootClaimable"), 0, "{spec}");
        assert!(eq > 40, "{spec}");
        for item in [
            "MinerCollateral",
            "ColdkeyMinerCollateral",
            "TotalHotkeyAlpha",
            "AlphaV2",
            "MinerBurned",
        ] {
            let i = r
                .items
                .iter()
                .find(|i| {
                    i.item == format!("SubtensorModule.{item}") && i.actual.as_deref() != Some("0x")
                })
                .unwrap_or_else(|| panic!("{spec} {item}"));
            let mut child = p.child.clone();
            let mut b = hex::decode(i.actual.as_deref().unwrap()).unwrap();
            b[0] ^= 1;
            child.storage.insert(i.key.clone(), Some(hex::encode(&b)));
            let r = tao_engine::chain::replay_block::replay_block(&p.parent, &child).unwrap();
            let bad: Vec<_> = r.items.iter().filter(|x| !x.equal).collect();
            assert_eq!(bad.len(), 1, "{spec} {item}");
            assert_eq!(bad[0].key, i.key);
        }
    }
}
