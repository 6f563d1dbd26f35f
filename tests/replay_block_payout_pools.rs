//! `replay block` with the payout on the epoch pair (tests/support/payout_pair.rs) for the pool
//! cases the payout now replays: a leased subnet's lease dividend at 423–425 (off the lease
//! interval; the distribution blocks by hand in tests/replay_distribution_lease.rs), a pool still
//! in the legacy U64F64 maps, and a drained pool re-opened under the closing rules' pool epochs
//! (by hand in tests/replay_distribution_closing.rs). Each pair the engine writes replays to
//! itself and a tampered value is exactly one mismatch.

#[path = "support/payout_pair.rs"]
mod payout_pair;
#[path = "support/replay_block.rs"]
mod support;

use payout_pair::{coldkey_of, completed_pair, LEASE, NET};
use support::{acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::hex;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::stake::safe_float::SafeFloat;

/// Lease 7 on the scenario subnet: owned by its uid-0 hotkey and that hotkey's coldkey (the lease
/// position), 30 % to contributors C1 (share 0.6) and C2 (0.39), 10^10 accumulated.
fn leased(parent: &mut Capture) {
    let n = KeyArg::U16(NET);
    let k0 = key("Keys", &[n, KeyArg::U16(0)]);
    let h0 = hex::decode(parent.storage[&k0].as_deref().unwrap()).unwrap();
    let h0 = AccountId32(h0.try_into().unwrap());
    let owner = coldkey_of(&h0.to_hex());
    let mut put = |name: &str, args: &[KeyArg], v: Vec<u8>| {
        parent
            .storage
            .insert(key(name, args), Some(hex::encode(&v)));
    };
    put("SubnetOwner", &[n], owner.0.to_vec());
    put("SubnetOwnerHotkey", &[n], h0.0.to_vec());
    put("SubnetUidToLeaseId", &[n], LEASE.to_le_bytes().to_vec());
    let id = [KeyArg::U32(LEASE)];
    let lease = [
        AccountId32([0xbe; 32]).0.to_vec(),
        owner.0.to_vec(),
        h0.0.to_vec(),
        vec![30, 0],
        NET.to_le_bytes().to_vec(),
        0u64.to_le_bytes().to_vec(),
    ]
    .concat();
    put("SubnetLeases", &id, lease);
    put(
        "AccumulatedLeaseDividends",
        &id,
        10_000_000_000u64.to_le_bytes().to_vec(),
    );
    let one = 1u128 << 64;
    for (c, share) in [(0xc1u8, one / 10 * 6), (0xc2, one / 100 * 39)] {
        let args = [KeyArg::U32(LEASE), acc(AccountId32([c; 32]))];
        put("SubnetLeaseShares", &args, share.to_le_bytes().to_vec());
    }
}

/// A leased subnet's payout at 423–425 on the epoch pair (block 5002, off the lease interval: the
/// contributors' cut accumulates; the distribution blocks are covered by
/// tests/replay_distribution_lease.rs, as no scenario epoch falls on a multiple of 100): the pair
/// the engine writes replays to itself, the lease's write is compared, a tampered lease value is
/// exactly one mismatch; after 425 the payout is listed with the lease's items.
#[test]
fn a_leased_subnet_replays_to_itself_and_a_tampered_lease_value_is_one_mismatch() {
    for spec in [423, 424, 425] {
        let block = 5002;
        let p = completed_pair(spec, support::ACTIVE, block, leased);
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
        let (_, bad, miss) = support::counts(&r);
        assert_eq!((bad, miss), (0, 2), "{spec} {block}: {:#?}", r.missing);
        let of = |item: &str| -> Vec<_> {
            r.items
                .iter()
                .filter(|i| i.item == format!("SubtensorModule.{item}"))
                .collect()
        };
        let acc_div = of("AccumulatedLeaseDividends");
        assert_eq!(acc_div.len(), 1, "{spec} {block}");
        let v = hex::decode(acc_div[0].actual.as_deref().unwrap()).unwrap();
        let v = u64::from_le_bytes(v.try_into().unwrap());
        // Off the interval: the cut accumulated onto the 10^10, no transfer stamped.
        assert!(v > 10_000_000_000, "{spec}: {v}");
        assert!(of("LastColdkeyHotkeyStakeBlock").is_empty());
        let i = acc_div[0];
        let mut child = p.child.clone();
        let mut b = hex::decode(i.actual.as_deref().unwrap()).unwrap();
        b[0] ^= 1;
        child.storage.insert(i.key.clone(), Some(hex::encode(&b)));
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &child).unwrap();
        let bad: Vec<_> = r.items.iter().filter(|x| !x.equal).collect();
        assert_eq!(bad.len(), 1, "{spec}");
        assert_eq!(bad[0].key, i.key);
    }
    // After 425 the lease dividend (and so the payout) is listed with its reason, the lease's
    // items beside the payout's.
    let mut p = support::pair(support::ACTIVE, 5002, 436);
    leased(&mut p.parent);
    let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
    let m = r
        .missing
        .iter()
        .find(|m| m.item == "SubtensorModule.AccumulatedLeaseDividends")
        .expect("the lease's items are listed");
    assert_eq!(m.args, format!("[{LEASE}]"));
}

/// A pool still in the legacy U64F64 maps on the epoch pair: the uid-1 hotkey's pool answered by
/// `TotalHotkeyShares` / `Alpha` (its owner holding it all), which the payout reads first and
/// removes as it writes the SafeFloat items. The pair the engine writes replays to itself, the
/// removals are compared (the child holds none), and a tampered removal is one mismatch.
#[test]
fn a_legacy_pool_replays_to_itself_and_its_removal_is_compared() {
    let legacy = |parent: &mut Capture| {
        let n = KeyArg::U16(NET);
        let k1 = key("Keys", &[n, KeyArg::U16(1)]);
        let h = hex::decode(parent.storage[&k1].as_deref().unwrap()).unwrap();
        let h = AccountId32(h.try_into().unwrap());
        let k = key("TotalHotkeyAlpha", &[acc(h), n]);
        let alpha = parent.storage[&k]
            .as_deref()
            .map(|v| u64::from_le_bytes(hex::decode(v).unwrap().try_into().unwrap()))
            .unwrap();
        let bits = (u128::from(alpha) << 64).to_le_bytes();
        let c = coldkey_of(&h.to_hex());
        for (name, args) in [
            ("TotalHotkeyShares", vec![acc(h), n]),
            ("Alpha", vec![acc(h), acc(c), n]),
        ] {
            parent
                .storage
                .insert(key(name, &args), Some(hex::encode(&bits)));
        }
    };
    for spec in [424, 436, 473] {
        let p = completed_pair(spec, support::ACTIVE, 5002, legacy);
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
        let (_, bad, _) = support::counts(&r);
        assert_eq!(bad, 0, "{spec}");
        for item in ["TotalHotkeyShares", "Alpha"] {
            let found: Vec<_> = r
                .items
                .iter()
                .filter(|i| i.item == format!("SubtensorModule.{item}"))
                .collect();
            assert_eq!(found.len(), 1, "{spec} {item}");
            let i = found[0];
            assert!(p.parent.storage[&i.key].is_some());
            let mut child = p.child.clone();
            child
                .storage
                .insert(i.key.clone(), p.parent.storage[&i.key].clone());
            let r = tao_engine::chain::replay_block::replay_block(&p.parent, &child).unwrap();
            let bad: Vec<_> = r.items.iter().filter(|x| !x.equal).collect();
            assert_eq!(bad.len(), 1, "{spec} {item}");
            assert_eq!(bad[0].key, i.key);
        }
    }
}

/// A drained pool on the epoch pair at 473 (closing rules): every miner's owner auto-stakes to
/// hotkey D, outside the epoch (and holds no collateral), whose pool has 500 shares (300 and 200 of two coldkeys) and no
/// value, so the first incentive credited there closes and re-opens it in a new pool epoch. The
/// pair the engine writes replays to itself, the epochs are compared, and a tampered epoch is
/// exactly one mismatch.
#[test]
fn a_drained_pool_re_opens_in_a_new_epoch_and_replays_to_itself() {
    let d = AccountId32([0xdd; 32]);
    let drained = |parent: &mut Capture| {
        let n = KeyArg::U16(NET);
        let mut owners = Vec::new();
        for uid in 0.. {
            let k = key("Keys", &[n, KeyArg::U16(uid)]);
            let Some(Some(h)) = parent.storage.get(&k) else {
                break;
            };
            let h = AccountId32::from_hex(h).unwrap();
            owners.push((h, coldkey_of(&h.to_hex())));
        }
        let mut put = |name: &str, args: &[KeyArg], v: Option<Vec<u8>>| {
            parent
                .storage
                .insert(key(name, args), v.map(|b| hex::encode(&b)));
        };
        // No collateral: the miners' incentives are credited in full, to D.
        for (h, c) in &owners {
            put("AutoStakeDestination", &[acc(*c), n], Some(d.0.to_vec()));
            put("MinerCollateral", &[n, acc(*h), acc(*c)], None);
        }
        put("TotalHotkeyAlpha", &[acc(d), n], None);
        put(
            "TotalHotkeySharesV2",
            &[acc(d), n],
            Some(sf(&SafeFloat::from_u64(500))),
        );
        let other = AccountId32([0xee; 32]);
        put(
            "AlphaV2",
            &[acc(d), acc(owners[0].1), n],
            Some(sf(&SafeFloat::from_u64(300))),
        );
        put(
            "AlphaV2",
            &[acc(d), acc(other), n],
            Some(sf(&SafeFloat::from_u64(200))),
        );
    };
    let p = completed_pair(473, support::ACTIVE, 5002, drained);
    let r = tao_engine::chain::replay_block::replay_block(&p.parent, &p.child).unwrap();
    let (_, bad, _) = support::counts(&r);
    assert_eq!(bad, 0);
    let e = r
        .items
        .iter()
        .find(|i| i.item == "SubtensorModule.AlphaSharePoolEpoch")
        .expect("D's pool re-opened");
    assert!(
        e.args.starts_with(&format!("[{},", d.to_hex())),
        "{}",
        e.args
    );
    assert_eq!(e.actual.as_deref(), Some("0x0200000000000000"));
    // Every row D's credits wrote is stamped 2; the other coldkey's row is not written.
    let stamps: Vec<_> = r
        .items
        .iter()
        .filter(|i| i.item == "SubtensorModule.AlphaShareEpoch")
        .collect();
    assert!(!stamps.is_empty());
    assert!(stamps
        .iter()
        .all(|i| i.actual.as_deref() == Some("0x0200000000000000")));
    assert!(!r
        .items
        .iter()
        .any(|i| i.args.contains(&AccountId32([0xee; 32]).to_hex())));
    for i in [e, stamps[0]] {
        let mut child = p.child.clone();
        child
            .storage
            .insert(i.key.clone(), Some("0x0300000000000000".into()));
        let r = tao_engine::chain::replay_block::replay_block(&p.parent, &child).unwrap();
        let bad: Vec<_> = r.items.iter().filter(|x| !x.equal).collect();
        assert_eq!(bad.len(), 1, "{}", i.item);
        assert_eq!(bad[0].key, i.key);
    }
}
