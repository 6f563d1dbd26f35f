//! `TotalAlphaStaked[n]` in `replay block` (spec 448+, `chain::replay_total_alpha`) on the
//! completed payout pair (tests/support/payout_pair.rs): the subnet total moves by exactly what
//! the payout's share pools gained, read off the compared `TotalHotkeyAlpha` values (not the
//! engine's total); a tampered total is one mismatch; before 448 it is not an output; and it is
//! listed, never guessed, when the parent lacks it or its backfill cursor, while the backfill
//! pages, and when the root-fund janitor may flush a queue after the coinbase.

#[path = "support/payout_pair.rs"]
mod payout_pair;
#[path = "support/replay_block.rs"]
mod support;

use payout_pair::{completed_pair_at, NET};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::chain::replay_janitor::JANITOR_NOT_REPLAYED;
use tao_engine::chain::replay_report::BlockReplay;
use tao_engine::chain::replay_total_alpha::BACKFILL_NOT_REPLAYED;
use tao_engine::chain::storage::KeyArg;

const TOTAL: &str = "SubtensorModule.TotalAlphaStaked";
/// Stake of hotkeys the payout does not touch, in the subnet total.
const OTHERS: u64 = 123_456_789;

fn u64_at(c: &Capture, k: &str) -> u64 {
    c.storage.get(k).cloned().flatten().map_or(0, |v| {
        u64::from_le_bytes(hex::decode(&v).unwrap().try_into().unwrap())
    })
}

fn total_key() -> String {
    support::key("TotalAlphaStaked", &[KeyArg::U16(NET)])
}

/// The pair at `spec` with a consistent parent total (the untouched hotkeys' stake plus every
/// written pool's parent value) and the child's total that the chain's rule gives (the untouched
/// stake plus every written pool's child value).
fn pair_with_totals(spec: u32) -> (support::Pair, BlockReplay) {
    let mut p = completed_pair_at(spec);
    let r = replay_block(&p.parent, &p.child).unwrap();
    let pools: Vec<String> = r
        .items
        .iter()
        .filter(|i| i.item == "SubtensorModule.TotalHotkeyAlpha")
        .map(|i| i.key.clone())
        .collect();
    assert!(pools.len() > 1, "{spec}");
    let before: u64 = pools.iter().map(|k| u64_at(&p.parent, k)).sum();
    let after: u64 = pools.iter().map(|k| u64_at(&p.child, k)).sum();
    assert!(after > before, "{spec}: the payout adds stake");
    let put = |c: &mut Capture, v: u64| {
        c.storage
            .insert(total_key(), Some(hex::encode(&v.to_le_bytes())));
    };
    put(&mut p.parent, OTHERS + before);
    put(&mut p.child, OTHERS + after);
    let r = replay_block(&p.parent, &p.child).unwrap();
    (p, r)
}

fn listed_with<'a>(r: &'a BlockReplay, why: &str) -> Option<&'a [String]> {
    r.missing
        .iter()
        .find(|m| m.item == TOTAL && m.args == format!("[{NET}]"))
        .filter(|m| m.needs.iter().any(|n| n.contains(why)))
        .map(|m| m.needs.as_slice())
}

#[test]
fn the_subnet_total_moves_by_what_the_payout_staked() {
    for spec in [448, 463, 473, 475] {
        let (p, r) = pair_with_totals(spec);
        let (_, bad, _) = support::counts(&r);
        assert_eq!(bad, 0, "{spec}");
        let t = r
            .items
            .iter()
            .find(|i| i.item == TOTAL)
            .unwrap_or_else(|| panic!("{spec}: {:#?}", r.missing));
        assert!(t.equal, "{spec}");
        assert_eq!(t.args, format!("[{NET}]"));
        // A tampered child total is exactly one mismatch, at that key.
        let mut child = p.child.clone();
        let v = u64_at(&child, &total_key()) + 1;
        child
            .storage
            .insert(total_key(), Some(hex::encode(&v.to_le_bytes())));
        let bad: Vec<_> = replay_block(&p.parent, &child)
            .unwrap()
            .items
            .into_iter()
            .filter(|i| !i.equal)
            .collect();
        assert_eq!(bad.len(), 1, "{spec}");
        assert_eq!(bad[0].key, total_key());
    }
}

#[test]
fn before_448_there_is_no_subnet_total() {
    let p = completed_pair_at(441);
    let r = replay_block(&p.parent, &p.child).unwrap();
    assert!(!r.items.iter().any(|i| i.item == TOTAL));
    assert!(!r.missing.iter().any(|m| m.item == TOTAL));
}

#[test]
fn a_total_the_parent_lacks_or_a_running_backfill_is_listed() {
    let (p, _) = pair_with_totals(475);
    // The parent without the total: listed by its key, the payout still compared.
    let mut parent = p.parent.clone();
    parent.storage.remove(&total_key());
    let r = replay_block(&parent, &p.child).unwrap();
    let needs = listed_with(&r, &total_key()).expect("listed by its key");
    assert!(needs
        .iter()
        .all(|n| n.starts_with("SubtensorModule.TotalAlphaStaked[")));
    assert!(!r.items.iter().any(|i| i.item == TOTAL));
    assert!(r
        .items
        .iter()
        .any(|i| i.item == "SubtensorModule.TotalHotkeyAlpha"));
    // Without the backfill cursor's key: listed by that key.
    let cursor = support::key("TotalAlphaStakedMigration", &[]);
    let mut parent = p.parent.clone();
    parent.storage.remove(&cursor);
    let r = replay_block(&parent, &p.child).unwrap();
    assert!(listed_with(&r, &cursor).is_some(), "{:#?}", r.missing);
    // A stored cursor: the backfill still pages (in on_idle, by weight).
    let mut parent = p.parent.clone();
    parent.storage.insert(cursor, Some("0x00".into()));
    let r = replay_block(&parent, &p.child).unwrap();
    assert_eq!(
        listed_with(&r, BACKFILL_NOT_REPLAYED),
        Some([BACKFILL_NOT_REPLAYED.to_string()].as_slice())
    );
    assert!(!r.items.iter().any(|i| i.item == TOTAL));
}

#[test]
fn a_queued_root_fund_credit_lists_the_total() {
    let (p, r) = pair_with_totals(473);
    let (_, parent) = payout_pair::queue_credit_for_first_pool(&r, &p.parent);
    let q = replay_block(&parent, &p.child).unwrap();
    assert_eq!(
        listed_with(&q, JANITOR_NOT_REPLAYED),
        Some([JANITOR_NOT_REPLAYED.to_string()].as_slice())
    );
    assert!(!q.items.iter().any(|i| i.item == TOTAL));
}
