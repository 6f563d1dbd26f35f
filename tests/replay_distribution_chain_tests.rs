//! The payout on a capture (`chain::capture_distribution`) against the chain's own unit tests:
//! the vectors `tests/fixtures/pool/drain-distribution-basic.json` and
//! `drain-childkey-parent.json` (subtensor `pallets/subtensor/src/tests/coinbase.rs` @ 14bc6f9,
//! `test_drain_base_with_subnet_*` and `test_drain_alpha_childkey_parentkey`), each case written
//! as a parent capture (stakers' pools with their owner as the sole holder, root stakes, takes,
//! child keys) and checked on the `TotalHotkeyAlpha` the chain test asserts, to the test's own
//! tolerance.
//!
//! The epoch is the chain test's: no weights, so every registered hotkey's dividend is the
//! drained total (server + validator + root) in proportion to its stake weight `α + τ·tw` (its
//! parents' stake for a child key), and no incentive (so validators also get the server alpha).
//! Those per-hotkey amounts are the one input stated here rather than run.

#[path = "support/replay_block.rs"]
mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use support::{acc, key, sf};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_distribution::{distribution_writes, Distribution};
use tao_engine::chain::hex;
use tao_engine::chain::snapshot_read::ChainState;
use tao_engine::chain::storage::KeyArg;
use tao_engine::chain::types::AccountId32;
use tao_engine::consensus::EpochOutput;
use tao_engine::emission::PendingBuckets;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

const NET: u16 = 1;

fn vectors(name: &str) -> Value {
    let p = format!("{}/tests/fixtures/pool/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn num(v: &Value) -> u64 {
    v.as_str()
        .map_or_else(|| v.as_u64().unwrap(), |s| s.parse().unwrap())
}

fn hotkey(id: u8) -> AccountId32 {
    AccountId32([id; 32])
}

fn coldkey(id: u8) -> AccountId32 {
    AccountId32([id.wrapping_add(100); 32])
}

/// One staker of a case.
struct Staker {
    id: u8,
    alpha: u64,
    root: u64,
    registered: bool,
}

/// A parent capture holding every input of the payout for `stakers` (plus `extra`).
fn capture(
    stakers: &[Staker],
    tao_weight: u64,
    take: Option<u16>,
    extra: &[(String, Option<Vec<u8>>)],
) -> Capture {
    let mut s: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut put = |k: String, v: Option<Vec<u8>>| {
        s.insert(k, v.map(|b| hex::encode(&b)));
    };
    let n = KeyArg::U16(NET);
    put(
        key("TaoWeight", &[]),
        Some(tao_weight.to_le_bytes().to_vec()),
    );
    put(key("SubnetOwner", &[n]), None);
    put(key("SubnetOwnerHotkey", &[n]), None);
    put(key("OwnedHotkeys", &[acc(AccountId32::default())]), None);
    for st in stakers {
        let (h, c) = (hotkey(st.id), coldkey(st.id));
        let u = |v: u64| (v != 0).then(|| v.to_le_bytes().to_vec());
        put(key("Owner", &[acc(h)]), Some(c.0.to_vec()));
        put(
            key("Delegates", &[acc(h)]),
            take.map(|t| t.to_le_bytes().to_vec()),
        );
        put(key("ParentKeys", &[acc(h), n]), None);
        put(key("TotalHotkeyAlpha", &[acc(h), n]), u(st.alpha));
        put(
            key("TotalHotkeyAlpha", &[acc(h), KeyArg::U16(0)]),
            u(st.root),
        );
        put(key("TotalHotkeyShares", &[acc(h), n]), None);
        let shares = (st.alpha != 0).then(|| sf(&SafeFloat::from_u64(st.alpha)));
        put(key("TotalHotkeySharesV2", &[acc(h), n]), shares.clone());
        put(key("Alpha", &[acc(h), acc(c), n]), None);
        put(key("AlphaV2", &[acc(h), acc(c), n]), shares);
        put(key("AutoStakeDestination", &[acc(c), n]), None);
        put(key("RootClaimable", &[acc(h)]), None);
    }
    for (k, v) in extra {
        put(k.clone(), v.clone());
    }
    Capture {
        chain: "test".into(),
        block: 1,
        block_hash: "0x00".into(),
        spec_version: 425,
        storage: s,
        runtime_api: Vec::new(),
    }
}

/// Pay `dividends` (hotkey id, amount) of a no-weights epoch; `TotalHotkeyAlpha` per hotkey id.
fn pay(
    parent: &Capture,
    registered: &[u8],
    dividends: &[u64],
    buckets: PendingBuckets,
) -> BTreeMap<u8, u64> {
    let state = ChainState {
        n: u16::try_from(registered.len()).unwrap(),
        hotkeys: registered
            .iter()
            .map(|id| Some(hotkey(*id).to_hex()))
            .collect(),
        ..ChainState::default()
    };
    let outs = vec![EpochOutput {
        server_emission: vec![0; registered.len()],
        validator_emission: dividends.to_vec(),
        ..EpochOutput::default()
    }];
    let child = Capture {
        storage: BTreeMap::new(),
        ..parent.clone()
    };
    let rules = Rules::for_spec(425).unwrap();
    let d = distribution_writes(parent, &child, NET, &state, &outs, buckets, &rules).unwrap();
    let Distribution::Writes(w) = d else {
        panic!("not computed: {d:?}")
    };
    let mut out = BTreeMap::new();
    for id in 0..=u8::MAX {
        let k = key("TotalHotkeyAlpha", &[acc(hotkey(id)), KeyArg::U16(NET)]);
        if let Some(w) = w.iter().find(|w| w.key == k) {
            out.insert(id, u64::from_le_bytes(w.value.clone().try_into().unwrap()));
        }
    }
    out
}

/// `floor(total · w_i / Σw)`: the no-weights epoch's dividend by stake weight.
fn by_weight(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    weights
        .iter()
        .map(|w| {
            if sum > 0.0 {
                (total as f64 * w / sum).floor() as u64
            } else {
                0
            }
        })
        .collect()
}

#[test]
fn the_chains_drain_tests_hold_on_a_capture() {
    let v = vectors("drain-distribution-basic.json");
    let mut checked = 0;
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let i = &case["inputs"];
        let tw: f64 = i["tao_weight"].as_str().map_or(0.0, |s| s.parse().unwrap());
        let tao_weight = (tw * u64::MAX as f64) as u64;
        let take = i["take"].as_u64().map(|t| u16::try_from(t).unwrap());
        let stakers: Vec<Staker> = i["stakers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| Staker {
                id: u8::try_from(s["hotkey"].as_u64().unwrap()).unwrap(),
                alpha: num(&s["alpha"]),
                root: s.get("root").map_or(0, num),
                registered: s["registered"].as_bool().unwrap_or(true),
            })
            .collect();
        let buckets = PendingBuckets {
            server: num(&i["pending_server"]),
            validator: num(&i["pending_validator"]),
            root_alpha: i.get("pending_root").map_or(0, num),
            owner_cut: 0,
        };
        let total = buckets.server + buckets.validator + buckets.root_alpha;
        let registered: Vec<&Staker> = stakers.iter().filter(|s| s.registered).collect();
        let weights: Vec<f64> = registered
            .iter()
            .map(|s| s.alpha as f64 + s.root as f64 * tw)
            .collect();
        let parent = capture(&stakers, tao_weight, take, &[]);
        let ids: Vec<u8> = registered.iter().map(|s| s.id).collect();
        let after = pay(&parent, &ids, &by_weight(total, &weights), buckets);
        let eps = case["assertion"]["epsilon"]
            .as_str()
            .map_or(0, |e| e.parse().unwrap());
        for (id, want) in case["expected"]["alpha_after"].as_object().unwrap() {
            let id: u8 = id.parse().unwrap();
            let before = stakers.iter().find(|s| s.id == id).unwrap().alpha;
            let got = after.get(&id).copied().unwrap_or(before);
            let want = num(want);
            assert!(
                got.abs_diff(want) <= eps,
                "{name}: hotkey {id}: {got} vs {want}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
}

#[test]
fn the_chains_childkey_test_holds_on_a_capture() {
    let v = vectors("drain-childkey-parent.json");
    let case = &v["cases"][0];
    let i = &case["inputs"];
    assert_eq!(i["parent_and_child_same_coldkey"], false);
    let (parent_id, child_id) = (1u8, 2u8);
    let stakers = [
        Staker {
            id: parent_id,
            alpha: num(&i["parent_alpha"]),
            root: 0,
            registered: false,
        },
        Staker {
            id: child_id,
            alpha: 0,
            root: 0,
            registered: true,
        },
    ];
    let n = KeyArg::U16(NET);
    let child = hotkey(child_id);
    let parents = [
        vec![4],
        u64::MAX.to_le_bytes().to_vec(),
        hotkey(parent_id).0.to_vec(),
    ]
    .concat();
    let extra = [
        (key("ParentKeys", &[acc(child), n]), Some(parents)),
        (key("ChildKeys", &[acc(child), n]), None),
        (
            key("ChildkeyTake", &[acc(child), n]),
            Some(6553u16.to_le_bytes().to_vec()),
        ),
        (key("CKBurn", &[]), None),
        (key("MinChildkeyTake", &[]), None),
        (key("MinChildkeyTakePerSubnet", &[n]), None),
    ];
    let parent = capture(&stakers, 0, None, &extra);
    let buckets = PendingBuckets {
        server: num(&i["pending_server"]),
        validator: num(&i["pending_validator"]),
        root_alpha: 0,
        owner_cut: 0,
    };
    // The child is the only uid; its stake weight is its parent's: it earns the whole drain.
    let total = buckets.server + buckets.validator;
    let after = pay(&parent, &[child_id], &[total], buckets);
    let eps = num(&case["assertion"]["epsilon"]);
    let e = &case["expected"];
    for (id, want) in [
        (parent_id, num(&e["parent_stake_after"])),
        (child_id, num(&e["child_stake_after"])),
    ] {
        let got = after[&id];
        assert!(got.abs_diff(want) <= eps, "hotkey {id}: {got} vs {want}");
    }
}
