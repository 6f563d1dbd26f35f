//! A leased subnet's payout (`chain::capture_lease`): the lease dividend of the owner cut, ported
//! from `distribute_leased_network_dividends` and `transfer_stake_within_subnet` at
//! opentensor/subtensor `v3.4.9-424` (same at `v3.4.8-423` and 14bc6f9).
//!
//! The chain's own tests (`pallets/subtensor/src/tests/leasing.rs` @ v3.4.9-424,
//! `test_distribute_lease_network_dividends_*`) on captures: lease 0 on subnet 1 with a 30 %
//! emissions share and end block 500, contributors C1 (600 of 1000 TAO raised) and C2 (390),
//! accumulated dividends 10^10, owner cut 5·10^9; the lease position (lease hotkey O, lease
//! coldkey L, the subnet's owner keys) holds 10^11 alpha alone (shares = value). Derivation:
//! * contributors' cut `Percent(30).mul_ceil(5·10^9)` = 1.5·10^9, total 1.15·10^10;
//! * shares `U64F64(600·10^9) / U64F64(10^12)` (just under 0.6) and 0.39: `ceil(share × total)`
//!   = 6.9·10^9 and 4.485·10^9, the beneficiary the rest 1.15·10^8;
//! * the owner cut first: O's pool 1.05·10^11 (value = shares), each transfer moves `a` shares
//!   from L to the recipient (k = a·D/V with D = V), so L keeps 1.05·10^11 − 1.15·10^10.
//!
//! Every other input is absent on chain (each run adds what the payout still asks for as absent).

#[path = "support/replay_block.rs"]
mod support;

use std::collections::BTreeMap;
use substrate_fixed::types::U64F64;
use support::{acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_distribution::{
    distribution_writes_priced, Distribution, Payout, LEASE_LOCK_NOT_REPLAYED, LEASE_NOT_REPLAYED,
    LEASE_PRICE_NOT_GIVEN,
};
use tao_engine::chain::capture_lease::percent_mul_ceil;
use tao_engine::chain::hex;
use tao_engine::chain::snapshot_read::ChainState;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::consensus::EpochOutput;
use tao_engine::emission::PendingBuckets;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

const NET: u16 = 1;
const O: AccountId32 = AccountId32([3; 32]);
const L: AccountId32 = AccountId32([13; 32]);
const BEN: AccountId32 = AccountId32([1; 32]);
const C1: AccountId32 = AccountId32([2; 32]);
const C2: AccountId32 = AccountId32([4; 32]);
const TAO: u64 = 1_000_000_000;

struct Case {
    parent: Capture,
    block: u64,
    owner_cut: u64,
    price: Option<U64F64>,
    spec: u32,
}

fn share(amount: u64) -> U64F64 {
    U64F64::from_num(amount).saturating_div(U64F64::from_num(1_000 * TAO))
}

/// `SubnetLease` as stored: beneficiary, coldkey, hotkey, share %, end block, netuid, cost.
fn lease(pct: u8, end: Option<u32>) -> Vec<u8> {
    let mut b = [BEN.0, L.0, O.0].concat();
    b.push(pct);
    match end {
        Some(e) => {
            b.push(1);
            b.extend(e.to_le_bytes());
        }
        None => b.push(0),
    }
    b.extend(NET.to_le_bytes());
    b.extend((1_000 * TAO).to_le_bytes());
    b
}

fn put(c: &mut Capture, name: &str, args: &[KeyArg], v: Option<Vec<u8>>) {
    c.storage
        .insert(key(name, args), v.map(|b| hex::encode(&b)));
}

/// The chain test's lease: `contributors` (raised 1000 TAO), `acc` accumulated.
fn case(contributors: &[(AccountId32, u64)], acc_div: u64) -> Case {
    let mut c = Capture {
        chain: "test".into(),
        block: 99,
        block_hash: "0x00".into(),
        spec_version: 424,
        ..Capture::default()
    };
    let n = KeyArg::U16(NET);
    let id = [KeyArg::U32(0)];
    put(&mut c, "TaoWeight", &[], Some(0u64.to_le_bytes().to_vec()));
    put(&mut c, "SubnetOwner", &[n], Some(L.0.to_vec()));
    put(&mut c, "SubnetOwnerHotkey", &[n], Some(O.0.to_vec()));
    put(&mut c, "Owner", &[acc(O)], Some(L.0.to_vec()));
    let pos = 100 * TAO;
    put(
        &mut c,
        "TotalHotkeyAlpha",
        &[acc(O), n],
        Some(pos.to_le_bytes().to_vec()),
    );
    let f = sf(&SafeFloat::from_u64(pos));
    put(&mut c, "TotalHotkeySharesV2", &[acc(O), n], Some(f.clone()));
    put(&mut c, "AlphaV2", &[acc(O), acc(L), n], Some(f));
    put(
        &mut c,
        "SubnetUidToLeaseId",
        &[n],
        Some(0u32.to_le_bytes().to_vec()),
    );
    put(&mut c, "SubnetLeases", &id, Some(lease(30, Some(500))));
    put(
        &mut c,
        "AccumulatedLeaseDividends",
        &id,
        (acc_div > 0).then(|| acc_div.to_le_bytes().to_vec()),
    );
    // The whole map under the lease: its entries, or the bare prefix when it has none.
    if contributors.is_empty() {
        c.storage.insert(shares_prefix(), None);
    }
    for (who, amount) in contributors {
        let bits = share(*amount).to_bits().to_le_bytes().to_vec();
        put(
            &mut c,
            "SubnetLeaseShares",
            &[KeyArg::U32(0), acc(*who)],
            Some(bits),
        );
    }
    Case {
        parent: c,
        block: 100,
        owner_cut: 5 * TAO,
        price: Some(U64F64::from_num(1)),
        spec: 424,
    }
}

fn chain_case() -> Case {
    case(&[(C1, 600 * TAO), (C2, 390 * TAO)], 10 * TAO)
}

/// One run of the payout on the case's parent.
fn once(c: &Case) -> Distribution {
    let state = ChainState {
        n: 1,
        hotkeys: vec![Some(O.to_hex())],
        ..ChainState::default()
    };
    let outs = vec![EpochOutput {
        server_emission: vec![0],
        validator_emission: vec![0],
        ..EpochOutput::default()
    }];
    let rules = Rules::for_spec(c.spec).unwrap();
    let child = Capture {
        block: c.block,
        storage: BTreeMap::new(),
        ..c.parent.clone()
    };
    let p = Payout {
        parent: &c.parent,
        child: &child,
        netuid: NET,
        state: &state,
        outs: &outs,
        buckets: PendingBuckets {
            owner_cut: c.owner_cut,
            ..PendingBuckets::default()
        },
        rules: &rules,
        price: c.price,
    };
    distribution_writes_priced(&p).unwrap()
}

/// Run the payout; every input it still asks for is added to the parent as absent on chain.
fn run(c: &mut Case) -> Distribution {
    for _ in 0..8 {
        let d = once(c);
        let Distribution::Missing(m) = &d else {
            return d;
        };
        let keys: Vec<String> = m
            .iter()
            .filter_map(|k| {
                k.rsplit_once("(key ")
                    .map(|x| x.1.trim_end_matches(')').to_string())
            })
            .collect();
        if keys.is_empty() {
            return d;
        }
        for k in keys {
            c.parent.storage.insert(k, None);
        }
    }
    panic!("the payout keeps asking for inputs")
}

fn shares_prefix() -> String {
    let it = tao_engine::chain::storage::item_named("SubnetLeaseShares").unwrap();
    hex::encode(&it.key(&[KeyArg::U32(0)]).unwrap())
}

fn writes(d: Distribution) -> BTreeMap<String, Vec<u8>> {
    let Distribution::Writes(w) = d else {
        panic!("not computed: {d:?}")
    };
    w.into_iter().map(|w| (w.key, w.value)).collect()
}

fn alpha_v2(w: &BTreeMap<String, Vec<u8>>, c: AccountId32) -> Option<Vec<u8>> {
    w.get(&key("AlphaV2", &[acc(O), acc(c), KeyArg::U16(NET)]))
        .cloned()
}

fn stamp(w: &BTreeMap<String, Vec<u8>>, c: AccountId32) -> Option<Vec<u8>> {
    w.get(&key("LastColdkeyHotkeyStakeBlock", &[acc(c), acc(O)]))
        .cloned()
}

fn accumulated(w: &BTreeMap<String, Vec<u8>>) -> Option<u64> {
    w.get(&key("AccumulatedLeaseDividends", &[KeyArg::U32(0)]))
        .map(|v| u64::from_le_bytes(v.clone().try_into().unwrap()))
}

fn f(v: u64) -> Option<Vec<u8>> {
    Some(sf(&SafeFloat::from_u64(v)))
}

#[test]
fn multiple_contributors_are_paid_by_share_and_the_beneficiary_takes_the_rest() {
    let total = 10 * TAO + percent_mul_ceil(30, 5 * TAO);
    assert_eq!(total, 11_500_000_000);
    // ceil of a share just under 0.6 (0.39) of the total.
    let c1 = share(600 * TAO)
        .saturating_mul(U64F64::from_num(total))
        .ceil()
        .to_num::<u64>();
    let c2 = share(390 * TAO)
        .saturating_mul(U64F64::from_num(total))
        .ceil()
        .to_num::<u64>();
    assert_eq!((c1, c2), (6_900_000_000, 4_485_000_000));
    let w = writes(run(&mut chain_case()));
    assert_eq!(alpha_v2(&w, C1), f(c1));
    assert_eq!(alpha_v2(&w, C2), f(c2));
    assert_eq!(alpha_v2(&w, BEN), f(total - c1 - c2));
    assert_eq!(alpha_v2(&w, L), f(105 * TAO - total));
    let pool = key("TotalHotkeyAlpha", &[acc(O), KeyArg::U16(NET)]);
    assert_eq!(w[&pool], (105 * TAO).to_le_bytes().to_vec());
    assert_eq!(accumulated(&w), Some(0));
    for c in [C1, C2, BEN] {
        assert_eq!(stamp(&w, c), Some(100u64.to_le_bytes().to_vec()));
    }
    assert_eq!(stamp(&w, L), None);
}

#[test]
fn only_the_beneficiary_takes_everything() {
    let mut c = case(&[], 10 * TAO);
    let w = writes(run(&mut c));
    assert_eq!(alpha_v2(&w, BEN), f(11_500_000_000));
    assert_eq!(alpha_v2(&w, L), f(105 * TAO - 11_500_000_000));
    assert_eq!(accumulated(&w), Some(0));
    assert_eq!(stamp(&w, BEN), Some(100u64.to_le_bytes().to_vec()));
}

#[test]
fn off_the_interval_the_cut_accumulates() {
    let mut c = chain_case();
    c.block = 101;
    let w = writes(run(&mut c));
    assert_eq!(accumulated(&w), Some(11_500_000_000));
    assert_eq!(alpha_v2(&w, C1), None);
    assert_eq!(alpha_v2(&w, L), f(105 * TAO));
    assert!(!w
        .keys()
        .any(|k| k.starts_with(&key("LastColdkeyHotkeyStakeBlock", &[]))));
}

#[test]
fn no_lease_or_an_ended_lease_does_nothing() {
    for end in [None, Some(100)] {
        let mut c = chain_case();
        let v = end.map(|e| lease(30, Some(e)));
        put(&mut c.parent, "SubnetLeases", &[KeyArg::U32(0)], v);
        let w = writes(run(&mut c));
        assert_eq!(accumulated(&w), None, "{end:?}");
        assert_eq!(alpha_v2(&w, C1), None);
        assert_eq!(alpha_v2(&w, L), f(105 * TAO));
    }
    // A perpetual lease distributes.
    let mut c = chain_case();
    put(
        &mut c.parent,
        "SubnetLeases",
        &[KeyArg::U32(0)],
        Some(lease(30, None)),
    );
    assert_eq!(accumulated(&writes(run(&mut c))), Some(0));
}

#[test]
fn a_transfer_below_the_minimum_stake_rolls_everything_back() {
    // The chain test's amount: owner cut 5000, nothing accumulated (900 alpha at price 1).
    let mut c = chain_case();
    c.owner_cut = 5_000;
    put(
        &mut c.parent,
        "AccumulatedLeaseDividends",
        &[KeyArg::U32(0)],
        None,
    );
    let w = writes(run(&mut c));
    assert_eq!(accumulated(&w), Some(percent_mul_ceil(30, 5_000)));
    assert_eq!(alpha_v2(&w, C1), None);
    assert_eq!(alpha_v2(&w, L), f(100 * TAO + 5_000));
    // No liquidity: a zero price fails the first transfer.
    let mut c = chain_case();
    c.price = Some(U64F64::from_num(0));
    let w = writes(run(&mut c));
    assert_eq!(accumulated(&w), Some(11_500_000_000));
    assert_eq!(alpha_v2(&w, C2), None);
    // The beneficiary's zero rest fails too: two exact halves of an odd total round up to
    // one more than the total (PR #2610's case).
    let mut c = case(&[(C1, 500 * TAO), (C2, 500 * TAO)], 10 * TAO + 1);
    let w = writes(run(&mut c));
    assert_eq!(accumulated(&w), Some(11_500_000_001));
    assert_eq!(alpha_v2(&w, C1), None);
    assert_eq!(stamp(&w, C1), None);
}

#[test]
fn an_unfunded_debit_is_skipped_and_the_credit_still_made() {
    // The lease coldkey holds 10^9 in a pool of 10^11 (a nominator N holds the rest): the
    // 6.9·10^9 debit is skipped, the credit made (the chain's helper, as at 424).
    let mut c = chain_case();
    let n = KeyArg::U16(NET);
    let nominator = AccountId32([7; 32]);
    put(&mut c.parent, "AlphaV2", &[acc(O), acc(L), n], f(TAO));
    put(
        &mut c.parent,
        "AlphaV2",
        &[acc(O), acc(nominator), n],
        f(99 * TAO),
    );
    let w = writes(run(&mut c));
    // L: 10^9 + the owner cut 5·10^9 = 6·10^9 < 6.9·10^9: kept; then 4.485·10^9 and 1.15·10^8
    // are debited.
    assert_eq!(alpha_v2(&w, C1), f(6_900_000_000));
    assert_eq!(alpha_v2(&w, L), f(6 * TAO - 4_485_000_000 - 115_000_000));
    let pool = key("TotalHotkeyAlpha", &[acc(O), KeyArg::U16(NET)]);
    assert_eq!(w[&pool], (105 * TAO + 6_900_000_000).to_le_bytes().to_vec());
}

#[test]
fn unreplayed_cases_are_listed_with_their_reason() {
    let listed = |c: &mut Case| match run(c) {
        Distribution::Missing(m) => m,
        d => panic!("computed: {d:?}"),
    };
    // The lease coldkey holds a conviction lock on the subnet.
    let mut c = chain_case();
    let lock = [
        5u64.to_le_bytes().to_vec(),
        vec![0; 16],
        1u64.to_le_bytes().to_vec(),
    ]
    .concat();
    put(
        &mut c.parent,
        "Lock",
        &[acc(L), KeyArg::U16(NET), acc(O)],
        Some(lock),
    );
    assert_eq!(listed(&mut c), [LEASE_LOCK_NOT_REPLAYED]);
    // No spot price at a distribution block; none needed off the interval.
    let mut c = chain_case();
    c.price = None;
    assert_eq!(listed(&mut c), [LEASE_PRICE_NOT_GIVEN]);
    c.block = 101;
    assert!(matches!(run(&mut c), Distribution::Writes(_)));
    // After 425 the lease dividend is not pinned.
    let mut c = chain_case();
    c.spec = 436;
    assert_eq!(listed(&mut c), [LEASE_NOT_REPLAYED]);
    c.spec = 425;
    assert!(matches!(run(&mut c), Distribution::Writes(_)));
}

#[test]
fn an_uncaptured_share_map_is_listed_by_prefix() {
    // Complete the case, then drop the share map: only its prefix is listed.
    let mut c = chain_case();
    assert!(matches!(run(&mut c), Distribution::Writes(_)));
    let prefix = shares_prefix();
    c.parent.storage.retain(|k, _| !k.starts_with(&prefix));
    let Distribution::Missing(m) = once(&c) else {
        panic!("computed without the share map")
    };
    assert_eq!(
        m,
        [format!(
            "SubtensorModule.SubnetLeaseShares[0] (key {prefix})"
        )]
    );
    // The bare prefix says the map is empty: everything goes to the beneficiary.
    c.parent.storage.insert(prefix, None);
    let w = writes(once(&c));
    assert_eq!(alpha_v2(&w, BEN), f(11_500_000_000));
}
