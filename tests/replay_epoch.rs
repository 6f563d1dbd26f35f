#![cfg(not(target_arch = "wasm32"))]
//! `tao-replay epoch PARENT [CHILD] --netuid N` on the chain's own epoch scenario
//! `epoch__test_active_stake` (subtensor `pallets/subtensor/src/tests/epoch.rs` @ 14bc6f9, as
//! stored in data/yuma/epoch), written as storage captures by
//! `chain::replay_epoch::captures_of_snapshot`: the parent holds the state before the scenario's
//! last epoch, the child the scenario's own outputs (never this engine's). The pair is committed as
//! `data/replay/epoch_scenario_active_stake_{parent,child}.json` for the JS tests, the
//! wasm CLI and the live-node e2e (`TAO_REPLAY_WRITE_FIXTURES=1` rewrites it).

use std::path::{Path, PathBuf};
use std::process::Command;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::replay_epoch::captures_of_snapshot;
use tao_engine::chain::snapshot_yuma::snapshots_from_yuma_scenario;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The pair and the emission the scenario states.
fn built() -> (Capture, Capture, u64) {
    let text =
        std::fs::read_to_string(data().join("yuma/epoch/epoch__test_active_stake.json")).unwrap();
    let s = snapshots_from_yuma_scenario(&text)
        .unwrap()
        .pop()
        .unwrap()
        .snapshot;
    let (p, c) = captures_of_snapshot(&s, "local").unwrap();
    (p, c, s.emission_override().unwrap().unwrap())
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_tao-replay"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn path(name: &str) -> String {
    data()
        .join("replay")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

const PARENT: &str = "epoch_scenario_active_stake_parent.json";
const CHILD: &str = "epoch_scenario_active_stake_child.json";

#[test]
fn the_committed_epoch_pair_is_the_scenario() {
    let (p, c, _) = built();
    for (name, cap) in [(PARENT, &p), (CHILD, &c)] {
        if std::env::var_os("TAO_REPLAY_WRITE_FIXTURES").is_some() {
            std::fs::write(path(name), cap.to_json().unwrap() + "\n").unwrap();
        }
        let text = std::fs::read_to_string(path(name)).unwrap();
        assert_eq!(&Capture::from_json(&text).unwrap(), cap, "{name} is stale");
    }
}

fn split(out: &str) -> (serde_json::Value, String) {
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    (serde_json::from_str(json).unwrap(), last.to_string())
}

#[test]
fn the_cli_keeps_the_output_contract() {
    let (_, _, emission) = built();
    let e = emission.to_string();
    let (code, out, err) = run(&[
        "epoch",
        &path(PARENT),
        &path(CHILD),
        "--netuid",
        "1",
        "--emission",
        &e,
    ]);
    assert_eq!(code, 0, "{err}");
    let (r, last) = split(&out);
    let n = r["items"].as_array().unwrap().len();
    assert!(n > 8);
    assert_eq!(last, format!("{n} equal, 0 mismatched, 0 missing"));
    assert_eq!(r["block"], 5003u64);
    // Flags before CHILD work too; without --emission, Emission is listed, not compared.
    let (code, out, _) = run(&["epoch", &path(PARENT), "--netuid", "1", &path(CHILD)]);
    assert_eq!(code, 0);
    let (r, last) = split(&out);
    assert_eq!(last, format!("{} equal, 0 mismatched, 1 missing", n - 1));
    assert_eq!(r["missing"][0]["item"], "SubtensorModule.Emission");
    // Without CHILD: computed only.
    let (code, out, _) = run(&["epoch", &path(PARENT), "--netuid", "1"]);
    assert_eq!(code, 0);
    let (r, _) = split(&out);
    assert_eq!(r["computed"].as_array().unwrap().len(), n);
    assert!(r["items"].as_array().unwrap().is_empty());
}

#[test]
fn the_cli_fails_on_a_mismatch_and_on_bad_input() {
    let (p, mut c, emission) = built();
    let key = c
        .storage
        .iter()
        .find(|(k, v)| v.is_some() && run_describe(k) == "Consensus")
        .map(|(k, _)| k.clone())
        .unwrap();
    let v = c.storage[&key].clone().unwrap();
    let last = u8::from_str_radix(&v[v.len() - 2..], 16).unwrap() ^ 1;
    c.storage
        .insert(key, Some(format!("{}{last:02x}", &v[..v.len() - 2])));
    let d = std::env::temp_dir().join(format!("tao-replay-epoch-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let (pp, cc) = (d.join("p.json"), d.join("c.json"));
    std::fs::write(&pp, p.to_json().unwrap()).unwrap();
    std::fs::write(&cc, c.to_json().unwrap()).unwrap();
    let e = emission.to_string();
    let (code, out, _) = run(&[
        "epoch",
        pp.to_str().unwrap(),
        cc.to_str().unwrap(),
        "--netuid",
        "1",
        "--emission",
        &e,
    ]);
    assert_eq!(code, 1);
    assert!(split(&out).1.contains(" 1 mismatched"));
    // The parent is not the child's parent: bad input.
    let (code, _, err) = run(&["epoch", &path(CHILD), &path(CHILD), "--netuid", "1"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&["epoch", &path(PARENT)]);
    assert_eq!(code, 2, "--netuid is required");
    let _ = std::fs::remove_dir_all(d);
}

/// The item name of a `SubtensorModule` netuid-keyed key (test helper: the 32-byte prefix).
fn run_describe(key: &str) -> &'static str {
    use tao_engine::chain::storage::{item_named, KeyArg};
    for name in ["Consensus", "Dividends"] {
        let k = item_named(name).unwrap().key(&[KeyArg::U16(1)]).unwrap();
        if tao_engine::chain::hex::encode(&k) == key {
            return name;
        }
    }
    ""
}
