//! `tao-replay block` at spec 422 (`chain::replay_v3`): the last Uniswap-v3 runtimes.
//!
//! The pairs of `tests/support/v3_block.rs`: a BUILT parent (two engine-initialised v3 pools, a
//! subnet not started) and one over the REAL finney v3 pools of SN1/19/64 (block 7 000 020), each
//! child derived by hand from the upstream code at v3.4.7-422. The replay must agree on every
//! output (shares, records, the injection into the protocol position, the chain buy along the v3
//! curve, buckets, moving prices, `RootProp`, the totals, the pool items); a tampered child value
//! is exactly one mismatch; a removed parent key moves exactly its dependants to `missing`.

#[path = "support/replay_block.rs"]
mod support;
#[path = "support/v3_block.rs"]
mod v3_block;
#[path = "support/v3_child.rs"]
mod v3_child;

use std::collections::BTreeSet;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_epoch::{distribution_items, epoch_items};
use tao_engine::chain::coinbase_items::{global as g, subnet as s, v3 as v};
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::{replay_block, BlockReplay};
use tao_engine::runtime::timeline::V3_COINBASE_NOT_REPLAYED;

use support::*;
use v3_block::*;
use v3_child::*;

fn built() -> Vec<Sn> {
    vec![
        sn(
            1,
            Some((60_000_000_000_000, 1_500_000_000_000_000)),
            2_500_000_000_000_000,
            0.6,
            0.0,
        ),
        sn(
            2,
            Some((9_000_000_000_000, 3_000_000_000_000)),
            4_000_000_000_000,
            2.5,
            0.0,
        ),
    ]
}

fn real_base() -> Capture {
    fixture("real/finney_b7000020_spec348_v3_completed_built.json")
}

fn real() -> Vec<Sn> {
    vec![
        sn(1, None, 2_000_000_000_000_000, 0.01, 0.0),
        sn(19, None, 2_600_000_000_000_000, 0.011, 0.1),
        sn(64, None, 3_100_000_000_000_000, 0.09, 0.0),
    ]
}

fn pair_built() -> (Capture, Capture, Vec<Derived>) {
    let p = parent(None, &built());
    let (c, d) = child(&p, &built());
    (p, c, d)
}

fn pair_real() -> (Capture, Capture, Vec<Derived>) {
    let base = real_base();
    let p = parent(Some(&base), &real());
    let (c, d) = child(&p, &real());
    (p, c, d)
}

#[test]
fn a_422_block_with_built_pools_replays_every_output() {
    let (p, c, d) = pair_built();
    // SN1's injection is capped (low price): it buys; SN2's is not.
    assert!(d[0].excess > 0 && d[0].bought > 0, "{d:?}");
    assert_eq!(d[1].excess, 0, "{d:?}");
    let (code, out) = run_bin(&p, &c, "v3-422");
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    // Per subnet 24 outputs (26 with a buy: AlphaSqrtPrice, CurrentTick), SN5's schedule, 2 totals.
    let n = 26 + 24 + 1 + 2;
    assert_eq!(
        last,
        format!("{n} equal, 0 mismatched, 0 missing"),
        "{json}"
    );
    assert_eq!(code, 0);
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, n);
    assert_eq!(
        read_u64(&c, &s::SUBNET_TAO, 1),
        Some(60_000_000_000_000 + d[0].tao_in + d[0].excess)
    );
}

/// A chain buy into a pool not yet initialised initialises it first (`maybe_initialize_v3`:
/// the reserve price's root, the protocol's full-range position `LastPositionId + 1`), then buys.
#[test]
fn a_422_buy_into_an_uninitialised_pool_initialises_it() {
    let mut sns = built();
    sns[0].init = false;
    let p = parent(None, &sns);
    let (c, d) = child(&p, &sns);
    assert!(d[0].excess > 0 && d[0].bought > 0, "{d:?}");
    let r = replay_block(&p, &c).unwrap();
    // SN1: no injection (no position yet: no scrap writes), SwapV3Initialized; LastPositionId.
    all_equal(&r, 25 + 24 + 1 + 2 + 1);
    assert!(r.items.iter().any(|i| i.item == v::LAST_POSITION_ID.path()));
    // Without LastPositionId the new position's key (and the counter) is unknown.
    let mut q = p.clone();
    q.storage.remove(&v::LAST_POSITION_ID.key_hex(0));
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(
        listed(&r),
        set(&[
            ("Swap.Positions".into(), "[1,protocol,*]"),
            (v::LAST_POSITION_ID.path(), "[]"),
        ])
    );
}

#[test]
fn a_422_block_over_real_v3_pools_replays_every_output() {
    let (p, c, d) = pair_real();
    assert!(d.iter().any(|x| x.bought > 0), "{d:?}");
    let buys = d.iter().filter(|x| x.excess > 0).count();
    let r = replay_block(&p, &c).unwrap();
    // No root sell (the EMA prices sum to ≤ 1): AlphaRecycled of each subnet too.
    all_equal(&r, 3 * 24 + 2 * buys + 3 + 1 + 2);
}

#[test]
fn a_tampered_422_value_is_exactly_one_mismatch() {
    let (p, c, _) = pair_built();
    for key in [
        s::ALPHA_IN.key_hex(1),
        v::CURRENT_LIQUIDITY.key_hex(1),
        v::ALPHA_SQRT_PRICE.key_hex(1),
        s::MOVING_PRICE.key_hex(2),
        g::TOTAL_STAKE.key_hex(0),
    ] {
        let mut bad = c.clone();
        let mut b = hex::decode(c.storage[&key].as_ref().unwrap()).unwrap();
        b[0] ^= 1;
        bad.storage.insert(key.clone(), Some(hex::encode(&b)));
        let r = replay_block(&p, &bad).unwrap();
        let wrong: Vec<_> = r.items.iter().filter(|i| !i.equal).collect();
        assert_eq!(wrong.len(), 1, "{key}");
        assert_eq!(wrong[0].key, key);
    }
}

/// The (item, args) listed as missing.
fn listed(r: &BlockReplay) -> BTreeSet<(String, String)> {
    r.missing
        .iter()
        .map(|m| (m.item.clone(), m.args.clone()))
        .collect()
}

fn set(v: &[(String, &str)]) -> BTreeSet<(String, String)> {
    v.iter().map(|(a, b)| (a.clone(), b.to_string())).collect()
}

/// Remove `key` from the parent: exactly `expect` is listed, each naming the key, the rest equal.
fn removed(p: &Capture, c: &Capture, key: &str, expect: &BTreeSet<(String, String)>) {
    let mut q = p.clone();
    assert!(q.storage.remove(key).is_some(), "{key}");
    let r = replay_block(&q, c).unwrap();
    assert_eq!(&listed(&r), expect, "{key}");
    for m in &r.missing {
        assert!(m.needs.iter().any(|n| n.contains(key)), "{m:?}");
    }
    assert_eq!(counts(&r).1, 0);
}

#[test]
fn a_removed_422_input_moves_exactly_its_dependants() {
    let (p, c, _) = pair_built();
    // A buying subnet's fee global: its pool items, what its buy decides, TotalStake.
    let mut buy: Vec<(String, &str)> = [
        s::SUBNET_TAO.path(),
        s::ALPHA_IN.path(),
        s::ALPHA_OUT.path(),
        s::PROTOCOL_ALPHA.path(),
        s::EXCESS_TAO.path(),
        v::SUBNET_VOLUME.path(),
        v::PROTOCOL_FLOW.path(),
        s::MOVING_PRICE.path(),
        v::SCRAP_TAO.path(),
        v::SCRAP_ALPHA.path(),
        v::CURRENT_LIQUIDITY.path(),
        v::ALPHA_SQRT_PRICE.path(),
        v::CURRENT_TICK.path(),
    ]
    .into_iter()
    .map(|i| (i, "[1]"))
    .collect();
    buy.push(("Swap.Positions".into(), "[1,protocol,*]"));
    buy.push(("Swap.Ticks".into(), "[1,*]"));
    buy.push((g::TOTAL_STAKE.path(), "[]"));
    removed(&p, &c, &v::FEE_GLOBAL_TAO.key_hex(1), &set(&buy));
    // A subnet without a buy: its pool items only.
    let pool2: Vec<(String, &str)> = [
        v::SCRAP_TAO.path(),
        v::SCRAP_ALPHA.path(),
        v::CURRENT_LIQUIDITY.path(),
        v::ALPHA_SQRT_PRICE.path(),
        v::CURRENT_TICK.path(),
    ]
    .into_iter()
    .map(|i| (i, "[2]"))
    .chain([
        ("Swap.Positions".to_string(), "[2,protocol,*]"),
        ("Swap.Ticks".to_string(), "[2,*]"),
    ])
    .collect();
    removed(&p, &c, &v::SCRAP_ALPHA.key_hex(2), &set(&pool2));
    // Own stored values: one output each.
    removed(
        &p,
        &c,
        &s::PENDING_VALIDATOR.key_hex(2),
        &set(&[(s::PENDING_VALIDATOR.path(), "[2]")]),
    );
    removed(
        &p,
        &c,
        &v::SUBNET_VOLUME.key_hex(1),
        &set(&[(v::SUBNET_VOLUME.path(), "[1]")]),
    );
    removed(
        &p,
        &c,
        &g::TOTAL_STAKE.key_hex(0),
        &set(&[(g::TOTAL_STAKE.path(), "[]")]),
    );
    // The owner cut: every bucket of every emitting subnet.
    let buckets: Vec<(String, &str)> = [1u16, 2]
        .iter()
        .flat_map(|n| {
            let a = if *n == 1 { "[1]" } else { "[2]" };
            [
                s::PENDING_SERVER,
                s::PENDING_VALIDATOR,
                s::PENDING_ROOT_ALPHA,
                s::PENDING_OWNER_CUT,
            ]
            .into_iter()
            .map(move |it| (it.path(), a))
        })
        .collect();
    removed(&p, &c, &g::SUBNET_OWNER_CUT.key_hex(0), &set(&buckets));
    // The fee rate: no output (the chain buy drops fees).
    let fee_rate = hex::encode(&tao_engine::chain::storage::key(
        "Swap",
        "FeeRate",
        &[(
            tao_engine::chain::storage::Hasher::Twox64Concat,
            &1u16.to_le_bytes(),
        )],
    ));
    let mut q = p.clone();
    assert!(q.storage.remove(&fee_rate).is_some());
    all_equal(&replay_block(&q, &c).unwrap(), 26 + 24 + 1 + 2);
    // A moving price enters every share: everything but the schedules is listed.
    let mut q = p.clone();
    q.storage.remove(&s::MOVING_PRICE.key_hex(1));
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(counts(&r), (3, 0, r.missing.len()));
    assert!(r
        .items
        .iter()
        .all(|i| i.item == s::BLOCKS_SINCE_LAST_STEP.path()));
}

#[test]
fn a_due_422_epoch_drains_and_lists_what_its_distribution_decides() {
    let (mut p, c, _) = pair_built();
    // SN2 due at BLOCK + 1: tempo t with (BLOCK + 1 + 3) mod (t + 1) == t.
    let t: u16 = (1..1000u16)
        .find(|t| (BLOCK + 4) % (u64::from(*t) + 1) == u64::from(*t))
        .unwrap();
    put(&mut p, &s::TEMPO, 2, &t.to_le_bytes());
    let drain = [
        s::BLOCKS_SINCE_LAST_STEP,
        s::PENDING_SERVER,
        s::PENDING_VALIDATOR,
        s::PENDING_ROOT_ALPHA,
        s::PENDING_OWNER_CUT,
    ];
    let after = [s::ALPHA_OUT, s::ROOT_PROP, v::TOTAL_ALPHA_ISSUANCE];
    let of = |its: &[tao_engine::chain::coinbase_items::Item]| -> BTreeSet<(String, String)> {
        its.iter()
            .map(|it| (it.path(), "[2]".to_string()))
            .collect()
    };
    // Without `SubnetworkN` / `Keys`: whether the epoch runs is unknown.
    let r = replay_block(&p, &c).unwrap();
    let mut want = of(&drain);
    want.extend(of(&after));
    want.insert((v::LAST_MECHANISM_STEP_BLOCK.path(), "[2]".into()));
    // Whether the epoch and its payout run is unknown too (tests/replay_block_v3_epoch.rs).
    let rules = tao_engine::runtime::Rules::for_v3_epoch(422).unwrap();
    let epoch_and_payout: BTreeSet<(String, String)> = epoch_items(2)
        .into_iter()
        .filter(|(i, _)| !i.ends_with(".LastMechansimStepBlock"))
        .chain(distribution_items(2, &rules))
        .collect();
    want.extend(epoch_and_payout.iter().cloned());
    assert_eq!(listed(&r), want);
    let need = v::SUBNETWORK_N.key_hex(2);
    assert!(r
        .missing
        .iter()
        .all(|m| m.needs.iter().any(|n| n.contains(&need))));
    assert_eq!(counts(&r), (53 - 8, 0, 9 + epoch_and_payout.len()));
    // Two neurons with distinct hotkeys: the drain runs (counters and buckets to 0,
    // LastMechansimStepBlock); the distribution's outputs are listed with the era's reason.
    put(&mut p, &v::SUBNETWORK_N, 2, &2u16.to_le_bytes());
    let keys = |uid: u16| {
        let k = tao_engine::chain::storage::key(
            "SubtensorModule",
            "Keys",
            &[
                (
                    tao_engine::chain::storage::Hasher::Identity,
                    &2u16.to_le_bytes(),
                ),
                (
                    tao_engine::chain::storage::Hasher::Identity,
                    &uid.to_le_bytes(),
                ),
            ],
        );
        hex::encode(&k)
    };
    p.storage.insert(keys(0), Some(hex::encode(&[7u8; 32])));
    p.storage.insert(keys(1), Some(hex::encode(&[8u8; 32])));
    let mut c2 = c.clone();
    for it in drain {
        put(&mut c2, &it, 2, &0u64.to_le_bytes());
    }
    put(
        &mut c2,
        &v::LAST_MECHANISM_STEP_BLOCK,
        2,
        &(BLOCK + 1).to_le_bytes(),
    );
    let r = replay_block(&p, &c2).unwrap();
    let mut want = of(&after);
    want.extend(epoch_and_payout.iter().cloned());
    assert_eq!(listed(&r), want);
    for m in &r.missing {
        if of(&after).contains(&(m.item.clone(), m.args.clone())) {
            assert_eq!(m.needs, vec![V3_COINBASE_NOT_REPLAYED.to_string()]);
        } else {
            // The epoch runs on inputs this parent lacks (its first level, by item and key).
            assert!(!m.needs.is_empty());
            assert!(m.needs.iter().all(|n| n.starts_with("SubtensorModule.")));
        }
    }
    assert_eq!(counts(&r), (53 - 3 + 1, 0, 3 + epoch_and_payout.len()));
    // A duplicate hotkey: `is_epoch_input_state_consistent` fails, nothing is drained.
    p.storage.insert(keys(1), Some(hex::encode(&[7u8; 32])));
    all_equal(&replay_block(&p, &c).unwrap(), 53);
    // A spec whose era is not pinned lists everything (N = 0, exit 1).
    let mut p412 = p.clone();
    p412.spec_version = 412;
    let r = replay_block(&p412, &c).unwrap();
    assert!(r.items.is_empty() && !r.missing.is_empty() && !r.success());
}
