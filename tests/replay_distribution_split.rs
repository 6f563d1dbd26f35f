//! The alpha vs root dividend split of the payout on a capture, by era, against
//! `tests/fixtures/pool/dividend-split-root-uid.json` (RaoFoundation/subtensor
//! `tests/coinbase/dividend_distribution.rs` @ 4118ecc `test_calculate_dividend_distribution_totals`
//! and cases shaped after #3035; the fixture's `assertion` says which are asserted upstream and
//! which are second-tier). Each case is written as a parent capture: its hotkeys with the stated
//! alpha and root stake (each pool held by its owner alone), take 0, a root UID (`Uids[0][h]`)
//! where the case says so, `TaoWeight` whose U96F32 fraction has the case's bits, and an epoch
//! whose dividends are the case's (no incentive, so the validator bucket is the case's pending
//! alpha). The era picks the spec: pre441 → 440, r441 → 441, post442 → 442 and 475. With take 0
//! the records are the floors of the split: `AlphaDividendsPerSubnet` the alpha part,
//! `RootAlphaDividendsPerSubnet` the root part (absent when it floors to 0).

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
use tao_engine::emission::math::u64_fraction;
use tao_engine::emission::PendingBuckets;
use tao_engine::runtime::Rules;
use tao_engine::stake::safe_float::SafeFloat;

const NET: u16 = 1;

/// `TaoWeight` whose `U96F32(v) / U96F32(u64::MAX)` has bits 773094113 (the tests' 0.18):
/// the least v with floor(v · 2^32 / (2^64 − 1)) = 773094113.
const TAO_WEIGHT_018: u64 = 3_320_413_932_065_128_448;

fn num(v: &Value) -> u64 {
    v.as_str()
        .map_or_else(|| v.as_u64().unwrap(), |s| s.parse().unwrap())
}

fn u(v: u64) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

/// Pay the case under `spec`: (alpha record, root record) per hotkey index.
fn pay(case: &Value, spec: u32) -> Vec<(u64, Option<u64>)> {
    let i = &case["inputs"];
    let hotkeys = i["hotkeys"].as_array().unwrap();
    let mut s: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut put = |name: &str, args: &[KeyArg], v: Option<Vec<u8>>| {
        s.insert(key(name, args), v.map(|b| hex::encode(&b)));
    };
    let n = KeyArg::U16(NET);
    put("TaoWeight", &[], Some(u(TAO_WEIGHT_018)));
    put("SubnetOwner", &[n], None);
    put("SubnetOwnerHotkey", &[n], None);
    put("OwnedHotkeys", &[acc(AccountId32::default())], None);
    let mut ids = Vec::new();
    for (x, hk) in hotkeys.iter().enumerate() {
        let id = u8::try_from(x + 1).unwrap();
        let (h, c) = (AccountId32([id; 32]), AccountId32([id + 100; 32]));
        ids.push(h);
        let alpha = num(&hk["alpha_stake"]);
        put("Owner", &[acc(h)], Some(c.0.to_vec()));
        put("Delegates", &[acc(h)], Some(u16::to_le_bytes(0).to_vec()));
        put("ParentKeys", &[acc(h), n], None);
        put("TotalHotkeyAlpha", &[acc(h), n], Some(u(alpha)));
        let root = num(&hk["root_stake"]);
        put("TotalHotkeyAlpha", &[acc(h), KeyArg::U16(0)], Some(u(root)));
        put("TotalHotkeyShares", &[acc(h), n], None);
        put("AlphaSharePoolEpoch", &[acc(h), n], None);
        let shares = Some(sf(&SafeFloat::from_u64(alpha)));
        put("TotalHotkeySharesV2", &[acc(h), n], shares.clone());
        put("Alpha", &[acc(h), acc(c), n], None);
        put("AlphaV2", &[acc(h), acc(c), n], shares);
        put("AutoStakeDestination", &[acc(c), n], None);
        put("RootClaimable", &[acc(h)], None);
        put("PendingBasketDeposits", &[acc(h), n], None);
        put("MinerCollateral", &[n, acc(h), acc(c)], None);
        let uid = hk["has_root_uid"].as_bool().unwrap();
        let uid = uid.then(|| u16::try_from(x).unwrap().to_le_bytes().to_vec());
        put("Uids", &[KeyArg::U16(0), acc(h)], uid);
    }
    let parent = Capture {
        chain: "test".into(),
        block: 1,
        block_hash: "0x00".into(),
        spec_version: spec,
        storage: s,
        runtime_api: Vec::new(),
    };
    let child = Capture {
        storage: BTreeMap::new(),
        ..parent.clone()
    };
    let state = ChainState {
        n: u16::try_from(ids.len()).unwrap(),
        hotkeys: ids.iter().map(|h| Some(h.to_hex())).collect(),
        ..ChainState::default()
    };
    let outs = vec![EpochOutput {
        server_emission: vec![0; ids.len()],
        validator_emission: hotkeys.iter().map(|h| num(&h["dividend"])).collect(),
        ..EpochOutput::default()
    }];
    let buckets = PendingBuckets {
        server: 0,
        validator: num(&i["pending_validator_alpha"]),
        root_alpha: num(&i["pending_root_alpha"]),
        owner_cut: 0,
    };
    let rules = Rules::for_spec(spec).unwrap();
    let d = distribution_writes(&parent, &child, NET, &state, &outs, buckets, &rules).unwrap();
    let Distribution::Writes(w) = d else {
        panic!("{}: not computed: {d:?}", case["name"])
    };
    let w: BTreeMap<String, Vec<u8>> = w.into_iter().map(|w| (w.key, w.value)).collect();
    let read = |name: &str, h: AccountId32| {
        w.get(&key(name, &[n, acc(h)]))
            .map(|b| u64::from_le_bytes(b.clone().try_into().unwrap()))
    };
    ids.iter()
        .map(|h| {
            (
                read("AlphaDividendsPerSubnet", *h).unwrap_or(0),
                read("RootAlphaDividendsPerSubnet", *h).filter(|v| *v > 0),
            )
        })
        .collect()
}

#[test]
fn the_tao_weight_key_gives_the_tests_fraction() {
    assert_eq!(u64_fraction(TAO_WEIGHT_018).to_bits(), 773_094_113);
    assert_eq!(u64_fraction(TAO_WEIGHT_018 - 1).to_bits(), 773_094_112);
}

#[test]
fn the_split_of_each_era_holds_on_a_capture() {
    let p = format!(
        "{}/tests/fixtures/pool/dividend-split-root-uid.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let mut ran = 0;
    for case in v["cases"].as_array().unwrap() {
        let i = &case["inputs"];
        assert_eq!(i["tao_weight_bits_u96f32"], "773094113");
        let specs: &[u32] = match i["rule_era"].as_str().unwrap() {
            "pre441" => &[440],
            "r441" => &[441],
            "post442" => &[442, 475],
            other => panic!("era {other}"),
        };
        let e = &case["expected"];
        let names: Vec<String> = i["hotkeys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["hotkey"].as_str().unwrap().to_string())
            .collect();
        for &spec in specs {
            let got = pay(case, spec);
            let what = format!("{} at {spec}", case["name"]);
            if case["assertion"]["kind"] == "exact" {
                for (x, name) in names.iter().enumerate() {
                    let (a, r) = got[x];
                    assert_eq!(a, num(&e["alpha_dividends_floor"][name]), "{what} {name}");
                    let want = num(&e["root_alpha_dividends_floor"][name]);
                    assert_eq!(r.unwrap_or(0), want, "{what} {name}");
                }
            } else {
                let eps = num(&case["assertion"]["epsilon"]["total_alpha_dividends"]);
                let alpha: u64 = got.iter().map(|g| g.0).sum();
                let root: u64 = got.iter().filter_map(|g| g.1).sum();
                let want_a = num(&e["total_alpha_dividends"]);
                let want_r = num(&e["total_root_alpha_dividends"]);
                assert!(alpha.abs_diff(want_a) <= eps, "{what}: {alpha} vs {want_a}");
                assert!(root.abs_diff(want_r) <= eps, "{what}: {root} vs {want_r}");
            }
            ran += 1;
        }
    }
    assert!(ran >= 10, "{ran}");
}
