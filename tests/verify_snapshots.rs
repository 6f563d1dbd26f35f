#![cfg(not(target_arch = "wasm32"))]
//! Snapshots built from the chain's epoch scenarios verify end to end, and a one-unit change in
//! any persisted output is reported at the right uid and field.
//!
//! `TAO_WRITE_SNAPSHOTS=1 cargo test --test verify_snapshots` also rewrites the embedded data of
//! the Verify page (`www/src/verify/data/`).

use std::path::{Path, PathBuf};
use tao_engine::chain::hex;
use tao_engine::chain::snapshot::{Phase, Snapshot, SnapshotSource};
use tao_engine::chain::snapshot_yuma::{
    metagraph_snapshot, snapshots_from_yuma_scenario, ScenarioSnapshot,
};
use tao_engine::chain::storage::{item_named, KeyArg};
use tao_engine::chain::verify::verify_snapshot;
use tao_engine::chain::{decode_all, encode};
use tao_engine::error::ErrorCode;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["data/yuma/epoch", "data/yuma/mechanism"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn all_snapshots() -> Vec<ScenarioSnapshot> {
    let mut out = Vec::new();
    for f in scenario_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        if !text.contains("\"yuma-vectors/epoch-scenario/v1\"") {
            continue;
        }
        out.extend(
            snapshots_from_yuma_scenario(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display())),
        );
    }
    out
}

#[test]
fn every_scenario_snapshot_verifies() {
    let snaps = all_snapshots();
    assert!(snaps.len() >= 20, "only {} snapshots", snaps.len());
    for s in &snaps {
        // Through the file format, as a user would load it.
        let loaded = Snapshot::from_json(&s.snapshot.to_json().unwrap()).unwrap();
        let v = verify_snapshot(&loaded).unwrap();
        assert_eq!(v.verdict, "match", "{}: {:?}", s.label, v.first_difference);
        assert!(v.emission_exact);
        // Every output field, every uid.
        assert_eq!(v.summary.len(), 9, "{}", s.label);
        assert!(v
            .summary
            .iter()
            .all(|f| f.compared == u32::from(v.n) && f.mismatched == 0));
    }
    if std::env::var("TAO_WRITE_SNAPSHOTS").is_ok() {
        write_page_data(&snaps);
    }
}

/// Rewrite the value of `item(args)` in the snapshot's outputs with `f(decoded)`.
fn tamper_vec<T: Clone>(s: &mut Snapshot, item: &str, args: &[KeyArg], f: impl FnOnce(&mut Vec<T>))
where
    Vec<T>: tao_engine::chain::Codec<Value = Vec<T>>,
{
    let key = hex::encode(&item_named(item).unwrap().key(args).unwrap());
    let bytes = hex::decode(s.outputs.get(&key).unwrap().as_deref().unwrap()).unwrap();
    let mut v = decode_all::<Vec<T>>(&bytes).unwrap();
    f(&mut v);
    s.insert(
        Phase::Outputs,
        &key,
        Some(&hex::encode(&encode::<Vec<T>>(&v))),
    )
    .unwrap();
}

fn one_up(x: u16) -> u16 {
    if x == u16::MAX {
        x - 1
    } else {
        x + 1
    }
}

#[test]
fn one_unit_changes_are_reported_at_uid_and_field() {
    let snaps = all_snapshots();
    // The last epoch of the scenario: validators 0 and 1 hold bonds.
    let s = snaps
        .iter()
        .rev()
        .find(|s| s.label.starts_with("epoch__test_active_stake"))
        .expect("active_stake snapshot");
    let nu = [KeyArg::U16(1)];
    for uid in [0u16, 3] {
        for (field, item) in [
            ("incentive", "Incentive"),
            ("dividends", "Dividends"),
            ("consensus", "Consensus"),
            ("validator_trust", "ValidatorTrust"),
            ("stake_weight", "StakeWeight"),
        ] {
            let mut t = s.snapshot.clone();
            tamper_vec::<u16>(&mut t, item, &nu, |v| {
                v[usize::from(uid)] = one_up(v[usize::from(uid)])
            });
            let v = verify_snapshot(&t).unwrap();
            assert_eq!(v.verdict, "mismatch");
            let d = v.first_difference.unwrap();
            assert_eq!((d.field.as_str(), d.uid), (field, uid));
            assert_eq!(
                d.expected.parse::<u16>().unwrap(),
                one_up(d.actual.parse::<u16>().unwrap())
            );
            assert!(
                d.trace
                    .iter()
                    .any(|l| l.name == format!("Normalised Stake[{uid}]")),
                "trace at the uid"
            );
            assert_eq!(v.differences.len(), 1);
        }
        let mut t = s.snapshot.clone();
        tamper_vec::<u64>(&mut t, "Emission", &nu, |v| v[usize::from(uid)] += 1);
        let d = verify_snapshot(&t).unwrap().first_difference.unwrap();
        assert_eq!((d.field.as_str(), d.uid), ("emission", uid));
        for (field, item) in [
            ("active", "Active"),
            ("validator_permit", "ValidatorPermit"),
        ] {
            let mut t = s.snapshot.clone();
            tamper_vec::<bool>(&mut t, item, &nu, |v| {
                v[usize::from(uid)] = !v[usize::from(uid)]
            });
            let d = verify_snapshot(&t).unwrap().first_difference.unwrap();
            assert_eq!((d.field.as_str(), d.uid), (field, uid));
        }
    }
    // A bond value one unit off, at uid 1 (a validator with bonds in this scenario).
    let mut t = s.snapshot.clone();
    tamper_vec::<(u16, u16)>(&mut t, "Bonds", &[KeyArg::U16(1), KeyArg::U16(1)], |r| {
        r[0].1 -= 1
    });
    let v = verify_snapshot(&t).unwrap();
    let d = v.first_difference.unwrap();
    assert_eq!(
        (d.field.as_str(), d.uid, d.mechanism),
        ("bonds", 1, Some(0))
    );
    // Changing an input instead (a stake) is also caught.
    let mut t = s.snapshot.clone();
    let hk = tao_engine::chain::snapshot_yuma::scenario_hotkey(0);
    let key = hex::encode(
        &item_named("TotalHotkeyAlpha")
            .unwrap()
            .key(&[KeyArg::Account(hk), KeyArg::U16(1)])
            .unwrap(),
    );
    t.insert(
        Phase::Inputs,
        &key,
        Some(&hex::encode(&encode::<u64>(&123_456_789_000))),
    )
    .unwrap();
    assert_eq!(verify_snapshot(&t).unwrap().verdict, "mismatch");
}

#[test]
fn incomplete_and_bad_snapshots_fail_with_codes() {
    let snaps = all_snapshots();
    let s = &snaps[0].snapshot;
    let mut t = s.clone();
    let first = t.outputs.keys().next().unwrap().clone();
    t.outputs.remove(&first);
    let e = verify_snapshot(&t).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::MissingField, Some("outputs"))
    );
    assert_eq!(t.plan().unwrap().keys, vec![first]);
    let mut t = s.clone();
    let n_key = hex::encode(
        &item_named("SubnetworkN")
            .unwrap()
            .key(&[KeyArg::U16(1)])
            .unwrap(),
    );
    t.insert(Phase::Inputs, &n_key, Some("0x01")).unwrap();
    let e = verify_snapshot(&t).unwrap_err();
    assert_eq!(e.code, ErrorCode::Decode);
    assert!(e.field.unwrap().starts_with("SubnetworkN"));
    // A huge n (the fuzzer's timeout) is refused before any per-uid key is planned.
    t.insert(
        Phase::Inputs,
        &n_key,
        Some(&hex::encode(&encode::<u16>(&65535))),
    )
    .unwrap();
    let start = std::time::Instant::now();
    let e = verify_snapshot(&t).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::TooManyUids, Some("SubnetworkN"))
    );
    assert_eq!(t.plan().unwrap_err().code, ErrorCode::TooManyUids);
    assert!(start.elapsed().as_secs() < 2);
    let mc_key = hex::encode(
        &item_named("MechanismCountCurrent")
            .unwrap()
            .key(&[KeyArg::U16(1)])
            .unwrap(),
    );
    t.insert(
        Phase::Inputs,
        &n_key,
        Some(&hex::encode(&encode::<u16>(&4))),
    )
    .unwrap();
    t.insert(Phase::Inputs, &mc_key, Some("0xff")).unwrap();
    assert_eq!(
        verify_snapshot(&t).unwrap_err().field.as_deref(),
        Some("MechanismCountCurrent")
    );
}

#[test]
fn plan_levels_match_dependencies() {
    let snaps = all_snapshots();
    let full = &snaps
        .iter()
        .find(|s| s.label.starts_with("epoch__test_active_stake"))
        .unwrap()
        .snapshot;
    // Replay the plan against the full snapshot's storage: each round asks only for new keys.
    let mut s = Snapshot::new(full.netuid, full.block);
    s.emission = full.emission.clone();
    let mut rounds = 0;
    loop {
        let p = s.plan().unwrap();
        if p.keys.is_empty() {
            break;
        }
        rounds += 1;
        assert!(rounds < 10);
        let src = if p.phase == Phase::Inputs {
            &full.inputs
        } else {
            &full.outputs
        };
        for k in &p.keys {
            let v = src
                .get(k)
                .unwrap_or_else(|| panic!("plan asks for {k} the full snapshot lacks"))
                .clone();
            s.insert(p.phase, k, v.as_deref()).unwrap();
        }
    }
    // subnet items, per uid, per hotkey, outputs (no parents in scenarios: no fourth level).
    assert_eq!(rounds, 4);
    assert_eq!(s.inputs, full.inputs);
    assert_eq!(s.outputs, full.outputs);
}

fn sn1_metagraph() -> Snapshot {
    let text = std::fs::read_to_string(
        root().join("tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"),
    )
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    metagraph_snapshot(
        1,
        6_852_344,
        doc["chain"]["spec_version"].as_u64().map(|v| v as u32),
        doc["hex"].as_str().unwrap(),
        SnapshotSource {
            kind: "fixture".into(),
            description: "Finney SN1 (Apex) metagraph at block 6852344 (SubnetInfoRuntimeApi_get_metagraph). Captured without the weights matrix or bonds, so the epoch cannot be re-run from it.".into(),
            endpoint: None,
            provenance: Some(format!(
                "{} {} @ {} ({})",
                doc["source"]["repo"].as_str().unwrap_or(""),
                doc["source"]["path"].as_str().unwrap_or(""),
                doc["source"]["commit"].as_str().unwrap_or(""),
                doc["source"]["locator"].as_str().unwrap_or("")
            )),
        },
    )
    .unwrap()
}

#[test]
fn metagraph_snapshot_round_trips_but_cannot_rerun() {
    let s = sn1_metagraph();
    let back = Snapshot::from_json(&s.to_json().unwrap()).unwrap();
    assert_eq!(back, s);
    let e = verify_snapshot(&back).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::MissingField, Some("inputs"))
    );
}

fn write_page_data(snaps: &[ScenarioSnapshot]) {
    let dir = root().join("www/src/verify/data");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sn1-b6852344-metagraph.json"),
        sn1_metagraph().to_json().unwrap(),
    )
    .unwrap();
    let wanted = [
        "epoch__test_active_stake step 6",
        "epoch__test_10_graph",
        "epoch__test_outdated_weights",
        "epoch__test_epoch_does_not_mask_outside_window_but_masks_inside",
        "epoch__test_validator_permits__interleave1_n8_v4_assign1",
    ];
    let mut index = Vec::new();
    for w in wanted {
        let Some(s) = snaps.iter().find(|s| s.label.starts_with(w)) else {
            continue;
        };
        let name = format!("{}.json", s.label.replace(' ', "-"));
        std::fs::write(dir.join(&name), s.snapshot.to_json().unwrap()).unwrap();
        index.push(serde_json::json!({ "file": name, "label": s.label }));
    }
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_string_pretty(&index).unwrap(),
    )
    .unwrap();
    let _ = Path::new("");
}
