//! Tests of [`super::replay_epoch`] on the chain's own epoch scenarios (`data/yuma/epoch`,
//! written as storage by `snapshot_yuma`; the outputs are the scenario's, never this engine's).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use super::*;
use crate::chain::capture_epoch::describe_key;
use crate::chain::replay_report::ItemCheck;
use crate::chain::snapshot_yuma::{snapshots_from_yuma_scenario, ScenarioSnapshot};
use crate::chain::verify::verify_snapshot;

fn scenario(name: &str) -> Vec<ScenarioSnapshot> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/yuma/epoch")
        .join(name);
    snapshots_from_yuma_scenario(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn pair(name: &str) -> (Snapshot, Capture, Capture, u64) {
    let s = scenario(name).pop().unwrap().snapshot;
    let (p, c) = captures_of_snapshot(&s, "local").unwrap();
    let e = s.emission_override().unwrap().unwrap();
    (s, p, c, e)
}

const ACTIVE: &str = "epoch__test_active_stake.json";

#[test]
fn every_scenario_epoch_replays_equal_item_by_item() {
    // Every epoch scenario file (as tests/verify_snapshots.rs reads them).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/yuma/epoch");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".json"))
        .filter(|f| {
            std::fs::read_to_string(dir.join(f))
                .unwrap()
                .contains("\"yuma-vectors/epoch-scenario/v1\"")
        })
        .collect();
    files.sort();
    let mut count = 0;
    for f in &files {
        // An epoch at block 0 has no parent block to capture.
        for s in scenario(f).into_iter().filter(|s| s.snapshot.block > 0) {
            let (p, c) = captures_of_snapshot(&s.snapshot, "local").unwrap();
            let e = s.snapshot.emission_override().unwrap();
            let r = replay_epoch(&p, 1, Some(&c), e).unwrap();
            assert!(r.success(), "{}: {}", s.label, r.summary());
            assert!(r.missing.is_empty(), "{}: {:?}", s.label, r.missing);
            // Nine items per netuid and one bond row per uid.
            assert_eq!(r.items.len(), 8 + usize::from(r.uids), "{}", s.label);
            assert_eq!(r.block, s.snapshot.block);
            assert!(r.emission_exact);
            count += 1;
        }
    }
    assert!(count >= 20, "{count} epochs");
}

#[test]
fn computed_values_are_the_verifications() {
    let (s, p, _, e) = pair(ACTIVE);
    let r = replay_epoch(&p, 1, None, Some(e)).unwrap();
    let v = verify_snapshot(&s).unwrap();
    assert!(r.items.is_empty() && r.missing.is_empty());
    let value = |item: &str| {
        r.computed
            .iter()
            .find(|c| c.item == format!("SubtensorModule.{item}"))
            .map(|c| hex::decode(&c.value).unwrap())
            .unwrap()
    };
    assert_eq!(
        decode_all::<Vec<u16>>(&value("Dividends")).unwrap(),
        v.computed.dividends
    );
    assert_eq!(
        decode_all::<Vec<u64>>(&value("Emission")).unwrap(),
        v.computed.emission
    );
    assert_eq!(r.emission.as_deref(), Some(e.to_string().as_str()));
}

#[test]
fn a_tampered_child_value_is_the_one_mismatch() {
    let (_, p, mut c, e) = pair(ACTIVE);
    let key = key_hex("Dividends", &[KeyArg::U16(1)]).unwrap();
    let mut v =
        decode_all::<Vec<u16>>(&hex::decode(c.storage[&key].as_ref().unwrap()).unwrap()).unwrap();
    v[0] = v[0].wrapping_add(1);
    c.storage
        .insert(key.clone(), Some(hex::encode(&encode::<Vec<u16>>(&v))));
    let r = replay_epoch(&p, 1, Some(&c), Some(e)).unwrap();
    let bad: Vec<&ItemCheck> = r.items.iter().filter(|i| !i.equal).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].key, key);
    assert_eq!(bad[0].item, "SubtensorModule.Dividends");
    assert!(!r.success());
    assert!(r.summary().contains("1 mismatched"));
}

#[test]
fn without_the_emission_it_is_listed_not_guessed() {
    let (_, p, c, _) = pair(ACTIVE);
    let r = replay_epoch(&p, 1, Some(&c), None).unwrap();
    assert_eq!(r.missing.len(), 1);
    assert_eq!(r.missing[0].item, "SubtensorModule.Emission");
    assert_eq!(r.missing[0].needs, vec![EMISSION_NOT_STATED.to_string()]);
    assert!(!r.emission_exact);
    assert!(r.items.iter().all(|i| i.equal) && r.success());
}

#[test]
fn an_output_the_child_lacks_is_missing_with_its_key() {
    let (_, p, mut c, e) = pair(ACTIVE);
    let key = key_hex("Consensus", &[KeyArg::U16(1)]).unwrap();
    c.storage.remove(&key);
    let r = replay_epoch(&p, 1, Some(&c), Some(e)).unwrap();
    assert_eq!(r.missing.len(), 1);
    assert_eq!(
        r.missing[0].needs,
        vec![format!("CHILD: SubtensorModule.Consensus[1] (key {key})")]
    );
}

#[test]
fn a_missing_input_lists_every_output_with_the_input() {
    let (_, mut p, c, e) = pair(ACTIVE);
    let key = key_hex("Tempo", &[KeyArg::U16(1)]).unwrap();
    p.storage.remove(&key);
    let r = replay_epoch(&p, 1, Some(&c), Some(e)).unwrap();
    assert!(r.items.is_empty() && r.computed.is_empty());
    assert_eq!(r.missing.len(), 9);
    let need = format!("SubtensorModule.Tempo[1] (key {key})");
    assert!(r.missing.iter().all(|m| m.needs == vec![need.clone()]));
    // A per-hotkey input is named with its account.
    let (_, mut p, c, e) = pair(ACTIVE);
    let k = p
        .storage
        .keys()
        .find(|k| describe_key(k).starts_with("SubtensorModule.TotalHotkeyAlpha["))
        .cloned()
        .unwrap();
    p.storage.remove(&k);
    let r = replay_epoch(&p, 1, Some(&c), Some(e)).unwrap();
    assert!(r.missing[0].needs[0].contains(&format!("(key {k})")));
}

#[test]
fn wrong_children_are_errors() {
    let (_, p, c, e) = pair(ACTIVE);
    let err = replay_epoch(&p, 1, Some(&p), Some(e)).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::OutOfRange, Some("child"))
    );
    let mut late = c.clone();
    let step = key_hex("LastMechansimStepBlock", &[KeyArg::U16(1)]).unwrap();
    late.storage
        .insert(step, Some(hex::encode(&encode::<u64>(&(c.block - 5)))));
    let err = replay_epoch(&p, 1, Some(&late), Some(e)).unwrap_err();
    assert_eq!(err.code, ErrorCode::OutOfRange);
    assert!(err.message.contains("no epoch of subnet 1"));
    assert_eq!(
        replay_epoch(&p, 4096, None, None).unwrap_err().code,
        ErrorCode::OutOfRange
    );
}

#[test]
fn two_uids_with_one_hotkey_skip_the_epoch_as_the_chain_does() {
    let (_, mut p, c, e) = pair(ACTIVE);
    let k0 = key_hex("Keys", &[KeyArg::U16(1), KeyArg::U16(0)]).unwrap();
    let k1 = key_hex("Keys", &[KeyArg::U16(1), KeyArg::U16(1)]).unwrap();
    let hk = p.storage[&k0].clone();
    p.storage.insert(k1, hk);
    let r = replay_epoch(&p, 1, Some(&c), Some(e)).unwrap();
    assert!(r.items.is_empty());
    assert_eq!(r.missing.len(), r.computed.len());
    assert!(r
        .missing
        .iter()
        .all(|m| m.needs == vec![DUPLICATE_HOTKEYS.to_string()]));
}
