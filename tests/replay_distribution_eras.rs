//! The payout on a capture (`chain::capture_distribution`) from spec 436 on: miner collateral
//! (436+), Root Reborn's basket queue and root-UID split (441, 442+), the closing share-pool rules
//! (469+), and what stays listed (the member-less pool case from 441, specs 464–468).
//!
//! Hand-derived case (netuid 1), the same epoch as tests/replay_distribution.rs: miner A (uid 0,
//! incentive 600), validator B (uid 1, dividend weight 400, take 13107 = 1/5), the owner hotkey O
//! (uid 2, incentive 100, withheld); buckets validator 400, root 100, owner cut 50; `TaoWeight =
//! u64::MAX` (tw = 1); B holds 3000 alpha (1000 shares its owner CB's, 2000 a nominator's) and
//! 1000 root. Added here: `MinerCollateral[1, A, CA] = {locked 1000, k 1/2, min 0, earned 7}`,
//! `MinerCollateral[1, B, CB] = {locked 100, k 1, min 10^7, earned 0}`,
//! `ColdkeyMinerCollateral` 1000 (CA) and 100 (CB), `PendingBasketDeposits[B, 1] = 5`, and a root
//! UID for B. By hand, in the chain's order (U96F32 as the 425 derivation: take 79 and rest 320
//! of 400; root take 19 and rest 80 of 100):
//! * A's incentive 600 settles A's position above its floor: release floor(600 × 1/2) = 300,
//!   locked 700, earned 607, nothing captured; all 600 paid: A's pool 1600.
//!   `ColdkeyMinerCollateral[CA]` 1000 − 1000 + 700 = 700.
//! * B's alpha dividend 400: emission 400, capturable = the take 79; below the floor (10^7), so
//!   all 79 is captured (credited to (B, CB)), locked 179, earned 400, liquid take 0. The
//!   nominators' 320 to the pool: 3000 + 79 + 320 = 3399 (`TotalHotkeyAlphaLastEpoch`).
//! * B's root dividend 100: capturable 19, captured 19, locked 198, earned 500; the rest 80 to
//!   `RootClaimable` (436–440) or to the basket queue, 5 + 80 = 85 (441+). B's pool 3418.
//!   `ColdkeyMinerCollateral[CB]` 100 → 179 → 198.
//! * From 436 zero amounts are not credited: A and O get no dividend record, no `RootClaimable`
//!   entry (the 425 payout wrote zero entries).
//! * Spec 442 without B's root UID: B's root slice is 0 (#3035), so no root payout and B's
//!   collateral settles the alpha dividend only (locked 179, earned 400).
//! * Spec 473 (closing share-pool rules): A's owner CA holds all of A's pool, so the incentive
//!   only raises the value: 1600 alpha on 1000 shares (1600 shares up to 463).

#[path = "support/replay_block.rs"]
mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use support::{acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_distribution::{
    distribution_writes, Distribution, MEMBERLESS_NOT_REPLAYED,
};
use tao_engine::chain::hex;
use tao_engine::chain::snapshot_read::ChainState;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::consensus::EpochOutput;
use tao_engine::emission::PendingBuckets;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

const NET: u16 = 1;
const A: AccountId32 = AccountId32([1; 32]);
const B: AccountId32 = AccountId32([2; 32]);
const O: AccountId32 = AccountId32([3; 32]);
const X: AccountId32 = AccountId32([9; 32]);
const CA: AccountId32 = AccountId32([11; 32]);
const CB: AccountId32 = AccountId32([12; 32]);
const CO: AccountId32 = AccountId32([13; 32]);
const CN: AccountId32 = AccountId32([14; 32]);
const HALF: u128 = 1 << 63;
const ONE: u128 = 1 << 64;

/// `MinerCollateralState` as stored: locked, drain ratio (U64F64 bits), floor, earned.
fn state(locked: u64, k: u128, min: u64, earned: u64) -> Vec<u8> {
    [
        locked.to_le_bytes().to_vec(),
        k.to_le_bytes().to_vec(),
        min.to_le_bytes().to_vec(),
        earned.to_le_bytes().to_vec(),
    ]
    .concat()
}

fn u(v: u64) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

struct Case {
    parent: Capture,
    state: ChainState,
    outs: Vec<EpochOutput>,
    buckets: PendingBuckets,
}

impl Case {
    fn put(&mut self, name: &str, args: &[KeyArg], v: Option<Vec<u8>>) {
        self.parent
            .storage
            .insert(key(name, args), v.map(|b| hex::encode(&b)));
    }

    fn run(&self, spec: u32) -> Distribution {
        let child = Capture {
            block: 100,
            storage: BTreeMap::new(),
            ..self.parent.clone()
        };
        let rules = Rules::for_spec(spec).unwrap();
        distribution_writes(
            &self.parent,
            &child,
            NET,
            &self.state,
            &self.outs,
            self.buckets,
            &rules,
        )
        .unwrap()
    }
}

fn case() -> Case {
    let mut c = Case {
        parent: Capture {
            chain: "test".into(),
            block: 99,
            block_hash: "0x00".into(),
            spec_version: 436,
            storage: BTreeMap::new(),
            runtime_api: Vec::new(),
        },
        state: ChainState {
            n: 3,
            hotkeys: [A, B, O].iter().map(|h| Some(h.to_hex())).collect(),
            ..ChainState::default()
        },
        outs: vec![EpochOutput {
            server_emission: vec![600, 0, 100],
            validator_emission: vec![0, 400, 0],
            ..EpochOutput::default()
        }],
        buckets: PendingBuckets {
            server: 700,
            validator: 400,
            root_alpha: 100,
            owner_cut: 50,
        },
    };
    let n = KeyArg::U16(NET);
    c.put("TaoWeight", &[], Some(u(u64::MAX)));
    c.put("SubnetOwner", &[n], Some(CO.0.to_vec()));
    c.put("SubnetOwnerHotkey", &[n], Some(O.0.to_vec()));
    c.put("SubnetUidToLeaseId", &[n], None);
    c.put(
        "OwnedHotkeys",
        &[acc(CO)],
        Some([vec![4], O.0.to_vec()].concat()),
    );
    for (h, ck, alpha, root, take) in [
        (A, CA, 1000u64, 0u64, None),
        (B, CB, 3000, 1000, Some(13107u16)),
        (O, CO, 0, 0, None),
    ] {
        c.put("Owner", &[acc(h)], Some(ck.0.to_vec()));
        c.put(
            "Delegates",
            &[acc(h)],
            take.map(|t| t.to_le_bytes().to_vec()),
        );
        c.put("ParentKeys", &[acc(h), n], None);
        let nz = |v: u64| (v != 0).then(|| u(v));
        c.put("TotalHotkeyAlpha", &[acc(h), n], nz(alpha));
        c.put("TotalHotkeyAlpha", &[acc(h), KeyArg::U16(0)], nz(root));
        c.put("TotalHotkeyShares", &[acc(h), n], None);
        c.put("AlphaSharePoolEpoch", &[acc(h), n], None);
        c.put("AutoStakeDestination", &[acc(ck), n], None);
        c.put("Alpha", &[acc(h), acc(ck), n], None);
        c.put("RootClaimable", &[acc(h)], None);
        c.put("Uids", &[KeyArg::U16(0), acc(h)], None);
        c.put("MinerCollateral", &[n, acc(h), acc(ck)], None);
    }
    let shares = |v: u64| Some(sf(&SafeFloat::from_u64(v)));
    c.put("TotalHotkeySharesV2", &[acc(A), n], shares(1000));
    c.put("AlphaV2", &[acc(A), acc(CA), n], shares(1000));
    c.put("TotalHotkeySharesV2", &[acc(B), n], shares(3000));
    c.put("AlphaV2", &[acc(B), acc(CB), n], shares(1000));
    c.put("AlphaV2", &[acc(B), acc(CN), n], shares(2000));
    c.put("TotalHotkeySharesV2", &[acc(O), n], None);
    c.put("AlphaV2", &[acc(O), acc(CO), n], None);
    let rc = [
        vec![4],
        7u16.to_le_bytes().to_vec(),
        (5i128 << 32).to_le_bytes().to_vec(),
    ]
    .concat();
    c.put("RootClaimable", &[acc(B)], Some(rc));
    c.put("AlphaDividendsPerSubnet", &[n, acc(X)], Some(u(555)));
    // The era's inputs.
    c.put(
        "MinerCollateral",
        &[n, acc(A), acc(CA)],
        Some(state(1000, HALF, 0, 7)),
    );
    c.put(
        "MinerCollateral",
        &[n, acc(B), acc(CB)],
        Some(state(100, ONE, 10_000_000, 0)),
    );
    c.put("ColdkeyMinerCollateral", &[n, acc(CA)], Some(u(1000)));
    c.put("ColdkeyMinerCollateral", &[n, acc(CB)], Some(u(100)));
    c.put(
        "Uids",
        &[KeyArg::U16(0), acc(B)],
        Some(0u16.to_le_bytes().to_vec()),
    );
    c.put("PendingBasketDeposits", &[acc(B), n], Some(u(5)));
    c
}

fn writes(d: Distribution) -> BTreeMap<String, Vec<u8>> {
    let Distribution::Writes(w) = d else {
        panic!("not computed: {d:?}")
    };
    w.into_iter().map(|w| (w.key, w.value)).collect()
}

fn at(w: &BTreeMap<String, Vec<u8>>, name: &str, args: &[KeyArg]) -> Option<Vec<u8>> {
    w.get(&key(name, args)).cloned()
}

#[test]
fn spec_436_settles_collateral_on_every_emission() {
    let w = writes(case().run(436));
    let n = KeyArg::U16(NET);
    let mc = |h, c| at(&w, "MinerCollateral", &[n, acc(h), acc(c)]);
    assert_eq!(mc(A, CA), Some(state(700, HALF, 0, 607)));
    assert_eq!(mc(B, CB), Some(state(198, ONE, 10_000_000, 500)));
    assert_eq!(
        mc(O, CO),
        None,
        "O's incentive is withheld: nothing settles"
    );
    assert_eq!(
        at(&w, "ColdkeyMinerCollateral", &[n, acc(CA)]),
        Some(u(700))
    );
    assert_eq!(
        at(&w, "ColdkeyMinerCollateral", &[n, acc(CB)]),
        Some(u(198))
    );
    let tha = |h| at(&w, "TotalHotkeyAlpha", &[acc(h), n]);
    assert_eq!(
        (tha(A), tha(B), tha(O)),
        (Some(u(1600)), Some(u(3418)), Some(u(50)))
    );
    assert_eq!(
        at(&w, "AlphaV2", &[acc(A), acc(CA), n]),
        Some(sf(&SafeFloat::from_u64(1600)))
    );
    let last = |h| at(&w, "TotalHotkeyAlphaLastEpoch", &[acc(h), n]);
    assert_eq!(
        (last(A), last(B), last(O)),
        (Some(u(1600)), Some(u(3399)), Some(u(50)))
    );
    let adps = |h| at(&w, "AlphaDividendsPerSubnet", &[n, acc(h)]);
    assert_eq!((adps(B), adps(X)), (Some(u(320)), Some(u(0))));
    assert_eq!(
        (adps(A), adps(O)),
        (None, None),
        "zero dividends hold no record"
    );
    assert_eq!(
        at(&w, "RootAlphaDividendsPerSubnet", &[n, acc(B)]),
        Some(u(80))
    );
    let rc = [
        vec![8],
        1u16.to_le_bytes().to_vec(),
        343_597_383i128.to_le_bytes().to_vec(),
        7u16.to_le_bytes().to_vec(),
        (5i128 << 32).to_le_bytes().to_vec(),
    ]
    .concat();
    assert_eq!(at(&w, "RootClaimable", &[acc(B)]), Some(rc));
    assert_eq!(at(&w, "RootClaimable", &[acc(A)]), None);
    assert_eq!(at(&w, "PendingBasketDeposits", &[acc(B), n]), None);
    assert_eq!(
        at(&w, "MinerBurned", &[n]),
        Some(613_566_756u128.to_le_bytes().to_vec())
    );
}

#[test]
fn spec_441_queues_the_root_rest_for_the_fund() {
    for spec in [441, 442, 463] {
        let w = writes(case().run(spec));
        let n = KeyArg::U16(NET);
        assert_eq!(
            at(&w, "PendingBasketDeposits", &[acc(B), n]),
            Some(u(85)),
            "{spec}"
        );
        assert_eq!(
            at(&w, "RootAlphaDividendsPerSubnet", &[n, acc(B)]),
            Some(u(80))
        );
        assert_eq!(at(&w, "RootClaimable", &[acc(B)]), None);
        assert_eq!(
            at(&w, "MinerCollateral", &[n, acc(B), acc(CB)]),
            Some(state(198, ONE, 10_000_000, 500))
        );
        assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(B), n]), Some(u(3418)));
    }
}

#[test]
fn spec_442_pays_no_root_slice_without_a_root_uid() {
    let mut c = case();
    c.put("Uids", &[KeyArg::U16(0), acc(B)], None);
    let n = KeyArg::U16(NET);
    let w = writes(c.run(442));
    assert_eq!(at(&w, "PendingBasketDeposits", &[acc(B), n]), None);
    assert_eq!(at(&w, "RootAlphaDividendsPerSubnet", &[n, acc(B)]), None);
    assert_eq!(
        at(&w, "MinerCollateral", &[n, acc(B), acc(CB)]),
        Some(state(179, ONE, 10_000_000, 400))
    );
    assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(B), n]), Some(u(3399)));
}

#[test]
fn from_469_an_owner_holding_the_whole_pool_keeps_its_shares() {
    for spec in [469, 473, 475] {
        let w = writes(case().run(spec));
        let n = KeyArg::U16(NET);
        assert_eq!(
            at(&w, "TotalHotkeyAlpha", &[acc(A), n]),
            Some(u(1600)),
            "{spec}"
        );
        let thousand = Some(sf(&SafeFloat::from_u64(1000)));
        assert_eq!(at(&w, "AlphaV2", &[acc(A), acc(CA), n]), thousand);
        assert_eq!(at(&w, "TotalHotkeySharesV2", &[acc(A), n]), thousand);
        assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(B), n]), Some(u(3418)));
        assert_eq!(at(&w, "PendingBasketDeposits", &[acc(B), n]), Some(u(85)));
    }
}

#[test]
fn the_eras_inputs_are_listed_by_key_when_missing() {
    let n = KeyArg::U16(NET);
    for (spec, name, args) in [
        (436, "MinerCollateral", vec![n, acc(B), acc(CB)]),
        (436, "ColdkeyMinerCollateral", vec![n, acc(CA)]),
        (441, "Uids", vec![KeyArg::U16(0), acc(B)]),
        (441, "PendingBasketDeposits", vec![acc(B), n]),
    ] {
        let mut c = case();
        c.parent.storage.remove(&key(name, &args));
        let Distribution::Missing(m) = c.run(spec) else {
            panic!("{name}: computed without it")
        };
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(&format!("SubtensorModule.{name}[")),
            "{m:?}"
        );
        assert!(
            m[0].ends_with(&format!("(key {})", key(name, &args))),
            "{m:?}"
        );
    }
}

#[test]
fn a_dividend_into_a_pool_without_members_is_listed_from_441() {
    // B with take 0, no collateral, no alpha and no shares: the 400 of nominators' alpha meets a
    // pool without members. Up to 440 the chain adds it to the pool's value; from 441 the
    // owner-credit rule may apply (not pinned), so it is listed.
    let mut c = case();
    let n = KeyArg::U16(NET);
    c.put("Delegates", &[acc(B)], Some(0u16.to_le_bytes().to_vec()));
    c.put("MinerCollateral", &[n, acc(B), acc(CB)], None);
    c.put("TotalHotkeyAlpha", &[acc(B), n], None);
    c.put("TotalHotkeySharesV2", &[acc(B), n], None);
    c.put("TotalHotkeyAlpha", &[acc(B), KeyArg::U16(0)], None);
    let w = writes(c.run(440));
    // No root stake: B's root slice is 0 and the root pool stays unpaid; no share is written.
    assert_eq!(at(&w, "TotalHotkeyAlpha", &[acc(B), n]), Some(u(400)));
    assert_eq!(at(&w, "AlphaV2", &[acc(B), acc(CB), n]), None);
    for spec in [441, 473, 475] {
        assert_eq!(
            c.run(spec),
            Distribution::Missing(vec![MEMBERLESS_NOT_REPLAYED.to_string()]),
            "{spec}"
        );
    }
}

fn vectors(name: &str) -> Value {
    let p = format!("{}/tests/fixtures/pool/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn num(v: &Value) -> u64 {
    v.as_str()
        .map_or_else(|| v.as_u64().unwrap(), |s| s.parse().unwrap())
}

/// The chain's own collateral payout tests (`collateral-settlement.json`, the cases whose
/// function is `distribute_dividends_and_incentives`: `test_alpha_dividends_*`, #2958) on a
/// capture at spec 436: one validator H owned by C (the pool's sole holder with the stated
/// stake), take 32767, no root, no incentive, so the whole validator bucket is H's dividend.
#[test]
fn the_chains_collateral_dividend_tests_hold_on_a_capture() {
    let v = vectors("collateral-settlement.json");
    let mut ran = 0;
    for case in v["cases"].as_array().unwrap() {
        let i = &case["inputs"];
        if i["function"] != "distribute_dividends_and_incentives" {
            continue;
        }
        let (h, ck) = (AccountId32([21; 32]), AccountId32([31; 32]));
        let n = KeyArg::U16(NET);
        let stake = num(&i["owner_stake_before"]);
        let dividend = num(&i["alpha_dividend"]);
        let cb = &i["collateral_before"];
        let k: u128 = u128::from(num(&cb["drain_ratio"])) << 64;
        let mut c = Case {
            parent: Capture {
                chain: "test".into(),
                block: 1,
                block_hash: "0x00".into(),
                spec_version: 436,
                storage: BTreeMap::new(),
                runtime_api: Vec::new(),
            },
            state: ChainState {
                n: 1,
                hotkeys: vec![Some(h.to_hex())],
                ..ChainState::default()
            },
            outs: vec![EpochOutput {
                server_emission: vec![num(&i["incentive"])],
                validator_emission: vec![dividend],
                ..EpochOutput::default()
            }],
            buckets: PendingBuckets {
                server: 0,
                validator: dividend,
                root_alpha: 0,
                owner_cut: num(&i["owner_cut"]),
            },
        };
        c.put("TaoWeight", &[], None);
        c.put("SubnetOwner", &[n], None);
        c.put("SubnetOwnerHotkey", &[n], None);
        c.put("OwnedHotkeys", &[acc(AccountId32::default())], None);
        c.put("Owner", &[acc(h)], Some(ck.0.to_vec()));
        let take = u16::try_from(i["hotkey_take_u16"].as_u64().unwrap()).unwrap();
        c.put("Delegates", &[acc(h)], Some(take.to_le_bytes().to_vec()));
        c.put("ParentKeys", &[acc(h), n], None);
        c.put("TotalHotkeyAlpha", &[acc(h), n], Some(u(stake)));
        c.put("TotalHotkeyAlpha", &[acc(h), KeyArg::U16(0)], None);
        c.put("TotalHotkeyShares", &[acc(h), n], None);
        c.put("AlphaSharePoolEpoch", &[acc(h), n], None);
        c.put(
            "TotalHotkeySharesV2",
            &[acc(h), n],
            Some(sf(&SafeFloat::from_u64(stake))),
        );
        c.put("Alpha", &[acc(h), acc(ck), n], None);
        c.put(
            "AlphaV2",
            &[acc(h), acc(ck), n],
            Some(sf(&SafeFloat::from_u64(stake))),
        );
        c.put("AutoStakeDestination", &[acc(ck), n], None);
        let before = state(
            num(&cb["locked"]),
            k,
            num(&cb["min_locked"]),
            num(&cb["earned"]),
        );
        c.put("MinerCollateral", &[n, acc(h), acc(ck)], Some(before));
        c.put(
            "ColdkeyMinerCollateral",
            &[n, acc(ck)],
            Some(u(num(&cb["locked"]))),
        );
        let w = writes(c.run(436));
        let e = &case["expected"];
        let mc = at(&w, "MinerCollateral", &[n, acc(h), acc(ck)]).unwrap();
        let locked = u64::from_le_bytes(mc[..8].try_into().unwrap());
        let earned = u64::from_le_bytes(mc[32..40].try_into().unwrap());
        assert_eq!(locked, num(&e["collateral_locked"]), "{}", case["name"]);
        assert_eq!(earned, num(&e["collateral_earned"]), "{}", case["name"]);
        let adps = at(&w, "AlphaDividendsPerSubnet", &[n, acc(h)]).unwrap();
        assert_eq!(
            u64::from_le_bytes(adps.try_into().unwrap()),
            num(&e["alpha_dividends_per_subnet"])
        );
        // The owner's stake: its pool share of the hotkey's value after the payout (the test's
        // own tolerance, when it states one).
        if let (Some(lo), Some(hi)) = (e.get("owner_stake_gain_min"), e.get("owner_stake_gain_max"))
        {
            let after = at(&w, "TotalHotkeyAlpha", &[acc(h), n]).unwrap();
            let gain = u64::from_le_bytes(after.try_into().unwrap()) - stake;
            assert!((num(lo)..=num(hi)).contains(&gain), "{gain}");
        }
        ran += 1;
    }
    assert!(ran >= 2, "the fixture's payout cases ran: {ran}");
}
