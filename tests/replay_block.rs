//! `tao-replay block PARENT CHILD` on captures the engine writes (issue 13 item 3): a capture the
//! engine writes must replay to itself, in every era the captures express.
//!
//! Each case builds an engine state whose pools come from a capture in data/replay
//! (BUILT spec-424 and spec-473 pools; the real finney pools of SN1 and SN92 at block 9,240,388,
//! spec 475, with their real `SubnetAlphaOut` and `SubnetProtocolAlpha`), plus BUILT subnets around them (other prices,
//! moving prices, miner burn, a subnet not yet started, one with emission disabled). PARENT is
//! the fixture's storage with the state written over it (the fixture's own keys must come back
//! unchanged); the engine steps one block; CHILD is the state after it.

#[path = "support/replay_block.rs"]
mod support;

use std::path::Path;
use substrate_fixed::types::U96F32;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_distribution::PAYOUT_NOT_REPLAYED;
use tao_engine::chain::coinbase_items::{global as g, subnet as s};
use tao_engine::chain::coinbase_write::{state_values, write_network};
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::emission::{BalancerPool, Network, Params, StakeProportionalEpoch};
use tao_engine::runtime::Rules;

use support::*;

const F424: &str = "balancer_spec424_sn64.json";
const F473: &str = "balancer_reservoirs_spec473_sn64_root.json";
const R475: &str = "real/finney_b9240388_spec475_balancer_sn1_sn92.json";

/// A captured fixed-size value, the default for `null`.
/// The engine state of a case: the fixture's pools at `fixture_subnets` plus built subnets.
fn network(
    rules: &Rules,
    fx: &Capture,
    fixture_subnets: &[u16],
    scale: f64,
) -> Network<BalancerPool> {
    let block = fx.block;
    let mut net = Network::new(Params::for_rules(rules));
    net.block = block;
    net.total_issuance = 10_612_345_678_901_234;
    net.total_stake = 7_000_000_000_000_000;
    net.root_tao = 5_000_000_000_000_000;
    for (i, &n) in fixture_subnets.iter().enumerate() {
        let out = read_u64(fx, &s::ALPHA_OUT, n).unwrap_or(3_000_000_000_000_000);
        let mut st = started_subnet(
            fixture_pool(fx, n),
            block,
            out,
            (0.02 + 0.01 * i as f64) * scale,
            0.1,
        );
        if let Some(p) = read_u64(fx, &s::PROTOCOL_ALPHA, n) {
            st.protocol_alpha = p;
        }
        net.subnets.insert(n, st);
    }
    let mut p = BalancerPool::dynamic(40_000_000_000_000, 1_500_000_000_000_000);
    p.minimum_reserve = 1_000_000;
    net.subnets.insert(
        3,
        started_subnet(p.clone(), block, 2_000_000_000_000_000, 0.03 * scale, 0.5),
    );
    net.subnets.insert(
        5,
        started_subnet(p.clone(), block, 10_000_000_000_000, 0.009 * scale, 0.0),
    );
    let mut young = started_subnet(p.clone(), block, 1_000_000_000, 0.0, 0.0);
    young.first_emission_block = None;
    net.subnets.insert(7, young);
    let mut disabled = started_subnet(p, block, 900_000_000_000_000, 0.015 * scale, 0.0);
    disabled.emission_enabled = false;
    net.subnets.insert(9, disabled);
    net
}

struct Case {
    parent: Capture,
    child: Capture,
}

/// `scale` multiplies the moving prices: above ~14 their sum passes 1 and root alpha is kept
/// (`root_sell_flag`), below it is recycled.
fn case(spec: u32, fixture_name: &str, fixture_subnets: &[u16], scale: f64) -> Case {
    let rules = Rules::for_spec(spec).unwrap();
    let fx = fixture(fixture_name);
    let mut net = network(&rules, &fx, fixture_subnets, scale);
    let mut parent = fx.clone();
    parent.spec_version = spec;
    parent.runtime_api.clear();
    // The fixture's own keys come back unchanged from the state built on them.
    for (it, n, v) in state_values(&net, &rules) {
        if let Some(Some(h)) = fx.storage.get(&it.key_hex(n)) {
            assert_eq!(
                Some(hex::decode(h).unwrap()),
                v,
                "{spec}: {}{}",
                it.path(),
                it.args(n)
            );
        }
    }
    write_network(&mut parent, &net, &rules);
    let report = net.step_block(&mut StakeProportionalEpoch).unwrap();
    assert!(report.distributions.is_empty(), "no epoch is due");
    assert_eq!(
        report.root_sell,
        scale > 14.0,
        "{spec}: root alpha kept or recycled"
    );
    assert!(
        report
            .terms
            .iter()
            .any(|(_, t)| t.excess_tao > U96F32::from_num(0)),
        "chain buys run"
    );
    let mut child = Capture {
        block: parent.block + 1,
        block_hash: format!("0x{:064x}", parent.block + 1),
        ..parent.clone()
    };
    child.storage.clear();
    write_network(&mut child, &net, &rules);
    Case { parent, child }
}

fn cases() -> Vec<(u32, Case)> {
    vec![
        (424, case(424, F424, &[64], 1.0)), // root-prop shares, direct injection, no gate
        (436, case(436, F424, &[64], 20.0)), // reservoirs, no gate
        (440, case(440, F473, &[64], 1.0)), // q-mass gate
        (444, case(444, F473, &[64], 20.0)), // gate, no burn factor
        (473, case(473, F473, &[64], 1.0)), // rank gate, reservoirs
        (475, case(475, R475, &[1, 92], 20.0)), // real finney pools
    ]
}

#[test]
fn a_capture_the_engine_writes_replays_to_itself_in_every_era() {
    for (spec, c) in cases() {
        let (code, out) = run_bin(&c.parent, &c.child, &format!("self{spec}"));
        let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
        let r: serde_json::Value = serde_json::from_str(json).unwrap();
        let n = r["items"].as_array().unwrap().len();
        assert!(n > 20, "{spec}: {n} items");
        assert_eq!(
            last,
            format!("{n} equal, 0 mismatched, 0 missing"),
            "{spec}: {json}"
        );
        assert_eq!(code, 0, "{spec}");
        assert_eq!(r["spec_version"], spec);
        assert_eq!(r["block"], c.child.block);
        assert_eq!(r["approximate"], false);
        let names: Vec<&str> = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["item"].as_str().unwrap())
            .collect();
        assert_eq!(
            names.contains(&"Swap.BalancerTaoReservoir"),
            spec >= 432,
            "{spec}"
        );
        assert_eq!(
            names.contains(&"SubtensorModule.EmissionGateBar"),
            spec >= 440,
            "{spec}"
        );
        // The subnet that has not started emits nothing; its schedule still advances.
        assert!(!r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["args"] == "[7]" && i["item"] == "SubtensorModule.SubnetTAO"));
        assert!(r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["args"] == "[7]" && i["item"] == "SubtensorModule.BlocksSinceLastStep"));
    }
}

#[test]
fn a_tampered_child_value_is_a_mismatch() {
    let c = case(473, F473, &[64], 1.0);
    let mut child = c.child.clone();
    let k = s::SUBNET_TAO.key_hex(64);
    let v = read_u64(&child, &s::SUBNET_TAO, 64).unwrap();
    child
        .storage
        .insert(k.clone(), Some(hex::encode(&(v + 1).to_le_bytes())));
    let (code, out) = run_bin(&c.parent, &child, "tamper");
    assert_eq!(code, 1, "{out}");
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    assert!(last.ends_with(" equal, 1 mismatched, 0 missing"), "{last}");
    let r: serde_json::Value = serde_json::from_str(json).unwrap();
    let bad: Vec<_> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["equal"] == false)
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["key"], k);
    assert_eq!(bad[0]["actual"], hex::encode(&v.to_le_bytes()));
}

#[test]
fn a_child_that_is_not_the_next_block_is_refused() {
    let c = case(473, F473, &[64], 1.0);
    for child in [&c.parent, &{
        let mut later = c.child.clone();
        later.block += 1;
        later
    }] {
        let e = replay_block(&c.parent, child).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (tao_engine::error::ErrorCode::OutOfRange, Some("child"))
        );
    }
    // the CLI reports it as bad input (exit 2)
    assert_eq!(run_bin(&c.parent, &c.parent, "not-next").0, 2);
}

#[test]
fn a_removed_parent_key_moves_exactly_its_dependants_to_missing() {
    let c = case(473, F473, &[64], 1.0);
    let full = replay_block(&c.parent, &c.child).unwrap();
    assert_eq!(counts(&full), (full.items.len(), 0, 0));
    // A subnet's own input: that subnet's outputs and the global totals.
    let mut parent = c.parent.clone();
    let k = s::SUBNET_TAO.key_hex(3);
    assert!(parent.storage.remove(&k).is_some());
    let r = replay_block(&parent, &c.child).unwrap();
    let mut moved: Vec<(String, String)> = r
        .missing
        .iter()
        .map(|m| (m.item.clone(), m.args.clone()))
        .collect();
    moved.sort();
    let mut want: Vec<(String, String)> = full
        .items
        .iter()
        .filter(|i| {
            i.args == "[3]" || i.item.ends_with(".TotalIssuance") || i.item.ends_with(".TotalStake")
        })
        .map(|i| (i.item.clone(), i.args.clone()))
        .collect();
    want.sort();
    assert_eq!(moved, want);
    assert!(r
        .missing
        .iter()
        .all(|m| m.needs == vec![format!("SubtensorModule.SubnetTAO[3] (key {k})")]));
    assert_eq!(counts(&r), (full.items.len() - want.len(), 0, want.len()));
    // A share input (or a global): every output.
    let mut parent = c.parent.clone();
    parent.storage.remove(&s::MOVING_PRICE.key_hex(5));
    parent.storage.remove(&g::TAO_WEIGHT.key_hex(0));
    let r = replay_block(&parent, &c.child).unwrap();
    // Five subnets × 18 outputs (16, plus the two reservoirs) and three globals.
    assert_eq!(counts(&r), (0, 0, 5 * 18 + 3));
    assert!(r.missing.iter().all(|m| m
        .needs
        .iter()
        .any(|n| n.starts_with("SubtensorModule.SubnetMovingPrice[5]"))
        && m.needs
            .iter()
            .any(|n| n.starts_with("SubtensorModule.TaoWeight[]"))));
}

#[test]
fn an_epoch_whose_inputs_the_parent_lacks_is_listed_not_guessed() {
    let rules = Rules::for_spec(473).unwrap();
    let fx = fixture(F473);
    let mut net = network(&rules, &fx, &[64], 1.0);
    net.subnets.get_mut(&3).unwrap().last_epoch_block = fx.block + 1 - 360;
    let mut parent = fx.clone();
    parent.runtime_api.clear();
    write_network(&mut parent, &net, &rules);
    net.step_block(&mut StakeProportionalEpoch).unwrap();
    let mut child = Capture {
        block: fx.block + 1,
        ..Capture::default()
    };
    write_network(&mut child, &net, &rules);
    let r = replay_block(&parent, &child).unwrap();
    let (eq, bad, _) = counts(&r);
    assert!(eq > 20 && bad == 0);
    // The coinbase capture holds none of the epoch's inputs: the first one it reads is listed.
    let n_key = tao_engine::chain::snapshot::storage_key_hex(
        "SubnetworkN",
        &[tao_engine::chain::storage::KeyArg::U16(3)],
    )
    .unwrap();
    let need = format!("SubtensorModule.SubnetworkN[3] (key {n_key})");
    let epoch: Vec<&str> = r
        .missing
        .iter()
        .filter(|m| m.needs.contains(&need))
        .map(|m| m.item.as_str())
        .collect();
    for item in [
        "SubtensorModule.PendingServerEmission",
        "SubtensorModule.BlocksSinceLastStep",
        "SubtensorModule.SubnetAlphaOut",
        "SubtensorModule.Dividends",
        "SubtensorModule.Bonds",
        "SubtensorModule.LastMechansimStepBlock",
    ] {
        assert!(epoch.contains(&item), "{item}: {epoch:?}");
    }
    // The epoch's outputs and, needing the epoch, the payout's sixteen items (spec 473: the
    // seven share-pool and record items, the two legacy share entries a touched pool may still
    // hold, the subnet's TotalAlphaStaked (448+), the two pool epochs of the closing rules, the
    // basket queue and the three collateral items, the reverse index included).
    assert_eq!(epoch.len(), 5 + 2 + 10 + 16);
    assert!(epoch.contains(&"SubtensorModule.TotalAlphaStaked"));
    assert!(r
        .missing
        .iter()
        .any(|m| m.item == "SubtensorModule.TotalHotkeyAlpha"
            && m.args == "[*,3]"
            && m.needs.contains(&need)));
    assert!(r
        .missing
        .iter()
        .all(|m| !m.needs.contains(&PAYOUT_NOT_REPLAYED.to_string())));
    assert!(r.missing.iter().all(|m| m.args.contains('3')));
    // What the drain does not decide is still compared: the pool, the emissions, the totals.
    for (item, args) in [
        ("SubtensorModule.SubnetAlphaOutEmission", "[3]"),
        ("SubtensorModule.SubnetTAO", "[3]"),
        ("SubtensorModule.SubnetMovingPrice", "[3]"),
        ("SubtensorModule.TotalStake", "[]"),
    ] {
        assert!(
            r.items
                .iter()
                .any(|i| i.args == args && i.item == item && i.equal),
            "{item}"
        );
    }
}

#[test]
fn v3_era_captures_list_every_output_with_the_reason() {
    // The real v3 capture read as runtimes no era pins (348 itself is replayed: see
    // tests/replay_block_pre361.rs).
    for (name, spec) in [
        ("real/finney_b7000020_spec348_v3_sn1_sn19_sn64.json", 347),
        ("real/finney_b7000020_spec348_v3_sn1_sn19_sn64.json", 355),
    ] {
        let parent = Capture {
            spec_version: spec,
            ..fixture(name)
        };
        let child = Capture {
            block: parent.block + 1,
            ..parent.clone()
        };
        let (code, out) = run_bin(&parent, &child, "v3");
        assert_eq!(code, 1, "{name}");
        let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
        assert!(
            last.starts_with("0 equal, 0 mismatched, ") && !last.ends_with(" 0 missing"),
            "{name}: {last}"
        );
        let r: serde_json::Value = serde_json::from_str(json).unwrap();
        assert!(r["missing"].as_array().unwrap().iter().all(|m| m["needs"]
            == serde_json::json!([tao_engine::runtime::timeline::not_replayed_reason(
                parent.spec_version
            )])));
    }
}

/// The spec-473 pair is committed (`block_spec473_{parent,child}.json`) for the wasm test and
/// `scripts/replay --wasm block`; `TAO_REPLAY_WRITE_FIXTURES=1` rewrites it.
#[test]
fn the_committed_block_pair_is_what_the_engine_writes() {
    let c = case(473, F473, &[64], 1.0);
    for (name, cap) in [
        ("block_spec473_parent.json", &c.parent),
        ("block_spec473_child.json", &c.child),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/replay")
            .join(name);
        if std::env::var_os("TAO_REPLAY_WRITE_FIXTURES").is_some() {
            std::fs::write(&path, cap.to_json().unwrap() + "\n").unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(&Capture::from_json(&text).unwrap(), cap, "{name} is stale");
    }
}

/// An output the child does not hold is listed (what CHILD lacks), not compared; the rest still
/// passes.
#[test]
fn an_output_missing_from_the_child_is_listed() {
    let c = case(424, F424, &[64], 1.0);
    let mut child = c.child.clone();
    let k = s::PENDING_OWNER_CUT.key_hex(5);
    assert!(child.storage.remove(&k).is_some());
    let r = replay_block(&c.parent, &child).unwrap();
    let (eq, bad, miss) = counts(&r);
    assert!(eq > 20 && bad == 0 && miss == 1 && r.success());
    assert_eq!(
        r.missing[0].needs,
        vec![format!(
            "CHILD: SubtensorModule.PendingOwnerCut[5] (key {k})"
        )]
    );
    assert_eq!(r.summary(), format!("{eq} equal, 0 mismatched, 1 missing"));
}
