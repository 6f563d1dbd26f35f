//! `replay block` with the epoch's payout (`chain::capture_distribution`) on the epoch pair
//! (tests/support/replay_block.rs) at specs 423 and 425: the parent completed with the payout's
//! inputs as the replay asks for them, the child holding what the engine writes. A capture the
//! engine writes replays to itself, a tampered payout value is exactly one mismatch, and the
//! payout stays within the drained buckets. The hand-derived values are in
//! tests/replay_distribution.rs.

#[path = "support/replay_block.rs"]
mod support;

use support::{acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_epoch::distribution_items;
use tao_engine::chain::capture_lease::lease_items;
use tao_engine::chain::hex;
use tao_engine::chain::replay_janitor;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

const NET: u16 = 1;
const LEASE: u32 = 7;

/// `Pallet.Item[args] (key 0x…)` → (item name, args, key).
fn parse_need(need: &str) -> Option<(String, String, String)> {
    let rest = need.strip_prefix("SubtensorModule.")?;
    let (name, rest) = rest.split_once('[')?;
    let (args, rest) = rest.split_once("] (key ")?;
    Some((name.into(), args.into(), rest.strip_suffix(')')?.into()))
}

/// The coldkey the completed parent gives hotkey `h`.
fn coldkey_of(h: &str) -> AccountId32 {
    let mut a = AccountId32::from_hex(h).unwrap();
    a.0[0] ^= 0xff;
    a
}

/// `MinerCollateralState` as stored: locked, drain ratio (U64F64 bits), floor, earned.
fn collateral(locked: u64, k: u128, min: u64) -> Vec<u8> {
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
fn completed_pair_at(spec: u32) -> support::Pair {
    completed_pair(spec, support::ACTIVE, 5002, |_| {})
}

/// [`completed_pair_at`] for the scenario `file`'s epoch at `block`, with `edit` applied to the
/// parent first.
fn completed_pair(spec: u32, file: &str, block: u64, edit: impl Fn(&mut Capture)) -> support::Pair {
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
        let needs: Vec<(String, String, String)> = r
            .missing
            .iter()
            .flat_map(|m| m.needs.iter().filter_map(|n| parse_need(n)))
            .collect();
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
        let pool = r
            .items
            .iter()
            .find(|i| i.item == "SubtensorModule.TotalHotkeyAlpha")
            .unwrap();
        let h = pool.args.trim_start_matches('[').split(',').next().unwrap();
        let mut parent = p.parent.clone();
        let qk = tao_engine::chain::snapshot::storage_key_hex(
            "PendingBasketDeposits",
            &[
                KeyArg::Account(AccountId32::from_hex(h).unwrap()),
                KeyArg::U16(2),
            ],
        )
        .unwrap();
        parent
            .storage
            .insert(qk, Some(hex::encode(&5u64.to_le_bytes())));
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
                    .is_some_and(|a| a.trim_start_matches("0x").trim_matches('0') != "")));
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
