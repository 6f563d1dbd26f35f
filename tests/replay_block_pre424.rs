//! `tao-replay block` before spec 424 (issue 13, item 3; `runtime::timeline`).
//!
//! Spec 423 (release tag `v3.4.8-423`) runs 424's coinbase with an older balancer swap
//! (`pool::SwapGuards::Spec423`: exponentials at precision 1024 without the clamp, no input cap),
//! which the chain buys use. The pairs
//! are built as in tests/replay_block.rs: the BUILT spec-424 pool of SN64
//! (`data/replay/balancer_spec424_sn64.json`, whose storage layout 423 shares) plus BUILT subnets
//! (one that makes a chain buy, one whose injection stays under its cap, one with emission
//! disabled, one not started); PARENT is the engine's state written over the fixture, CHILD the
//! state after one engine step. The checks: the engine's own 423 capture replays to itself (every
//! output compared, nothing listed), the items are 424's, a tampered value is exactly one
//! mismatch, a chain buy too large for 424's cap still runs at 423, and the shares and injection
//! follow the
//! upstream formula (`subnet_emissions.rs` `get_shares`, `get_shares_price_ema`,
//! `get_subnet_block_emissions`; `run_coinbase.rs` `get_subnet_terms`; `block_step.rs`
//! `root_proportion`; `stake_utils.rs` `get_tao_weight` at v3.4.8-423), derived here by hand in
//! the chain's fixed-point types. Runtimes before 423 list every output with their era's reason.

#[path = "support/replay_block.rs"]
mod support;

use std::collections::BTreeSet;
use substrate_fixed::types::{U64F64, U96F32};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{subnet as s, Item};
use tao_engine::chain::coinbase_write::write_network;
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::emission::{BalancerPool, Network, Params, StakeProportionalEpoch};
use tao_engine::pool::reservoir::Reservoirs;
use tao_engine::runtime::timeline::{not_replayed_reason, V3_COINBASE_NOT_REPLAYED};
use tao_engine::runtime::Rules;

use support::*;

const F424: &str = "balancer_spec424_sn64.json";

/// SN64 from the fixture; SN3 buys alpha (low spot price, large issuance); SN5 stays under its
/// cap (spot price 1, small issuance, so its root proportion is near 1); SN9 has emission
/// disabled; SN7 has not started.
fn network(rules: &Rules, fx: &Capture) -> Network<BalancerPool> {
    let block = fx.block;
    let mut net = Network::new(Params::for_rules(rules));
    net.block = block;
    net.total_issuance = 10_612_345_678_901_234;
    net.total_stake = 7_000_000_000_000_000;
    net.root_tao = 5_000_000_000_000_000;
    // The fixture's pool, without reservoirs (none before 432).
    let pool64 = BalancerPool {
        reservoirs: Reservoirs::default(),
        ..fixture_pool(fx, 64)
    };
    let out64 = read_u64(fx, &s::ALPHA_OUT, 64).unwrap_or(3_000_000_000_000_000);
    let mut st64 = started_subnet(pool64, block, out64, 0.02, 0.1);
    if let Some(p) = read_u64(fx, &s::PROTOCOL_ALPHA, 64) {
        st64.protocol_alpha = p;
    }
    net.subnets.insert(64, st64);
    let mut p = BalancerPool::dynamic(40_000_000_000_000, 1_500_000_000_000_000);
    p.minimum_reserve = 1_000_000;
    net.subnets.insert(
        3,
        started_subnet(p.clone(), block, 2_000_000_000_000_000, 0.03, 0.5),
    );
    let mut even = BalancerPool::dynamic(20_000_000_000_000, 20_000_000_000_000);
    even.minimum_reserve = 1_000_000;
    net.subnets.insert(
        5,
        started_subnet(even, block, 1_000_000_000_000, 0.0001, 0.0),
    );
    let mut young = started_subnet(p.clone(), block, 1_000_000_000, 0.0, 0.0);
    young.first_emission_block = None;
    net.subnets.insert(7, young);
    let mut disabled = started_subnet(p, block, 900_000_000_000_000, 0.015, 0.0);
    disabled.emission_enabled = false;
    net.subnets.insert(9, disabled);
    net
}

struct Pair {
    parent: Capture,
    child: Capture,
    /// The state before the step (the inputs of the hand derivation).
    before: Network<BalancerPool>,
    /// Subnets whose coinbase made a chain buy.
    buyers: BTreeSet<u16>,
}

fn pair(spec: u32) -> Pair {
    let rules = Rules::for_spec(spec).unwrap();
    let fx = fixture(F424);
    let mut net = network(&rules, &fx);
    let before = net.clone();
    let mut parent = fx.clone();
    parent.spec_version = spec;
    parent.runtime_api.clear();
    write_network(&mut parent, &net, &rules);
    let report = net.step_block(&mut StakeProportionalEpoch).unwrap();
    assert!(report.distributions.is_empty(), "no epoch is due");
    let buyers: BTreeSet<u16> = report
        .terms
        .iter()
        .filter(|(_, t)| t.excess_tao >= U96F32::from_num(1))
        .map(|(n, _)| *n)
        .collect();
    assert!(buyers.contains(&3) && !buyers.contains(&5), "{buyers:?}");
    let mut child = Capture {
        block: parent.block + 1,
        block_hash: format!("0x{:064x}", parent.block + 1),
        ..parent.clone()
    };
    child.storage.clear();
    write_network(&mut child, &net, &rules);
    Pair {
        parent,
        child,
        before,
        buyers,
    }
}

fn ids(v: &serde_json::Value, key: &str) -> BTreeSet<(String, String)> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["item"].as_str().unwrap().to_string(),
                i["args"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_423_capture_the_engine_writes_replays_to_itself() {
    let p = pair(423);
    let (code, out) = run_bin(&p.parent, &p.child, "pre424-self423");
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    let r: serde_json::Value = serde_json::from_str(json).unwrap();
    let n = r["items"].as_array().unwrap().len();
    assert!(n > 20, "{n} items");
    assert_eq!(
        last,
        format!("{n} equal, 0 mismatched, 0 missing"),
        "{json}"
    );
    assert_eq!(code, 0, "M = 0 and N > 0");
    assert_eq!(r["spec_version"], 423);
    assert_eq!(r["approximate"], false);
    // A buyer's pool outputs are compared (the chain buy ran on 423's swap).
    let items = ids(&r, "items");
    for it in [
        s::ALPHA_IN,
        s::ALPHA_OUT,
        s::PROTOCOL_ALPHA,
        s::MOVING_PRICE,
        s::SUBNET_TAO,
    ] {
        assert!(items.contains(&(it.path(), it.args(3))), "{}", it.path());
    }
    assert!(!items
        .iter()
        .any(|(i, _)| i == "Swap.BalancerTaoReservoir" || i == "SubtensorModule.EmissionGateBar"));
}

#[test]
fn the_423_items_are_the_424_items() {
    let p423 = pair(423);
    let p424 = pair(424);
    let r423 = replay_block(&p423.parent, &p423.child).unwrap();
    let r424 = replay_block(&p424.parent, &p424.child).unwrap();
    assert!(r423.missing.is_empty() && r424.missing.is_empty());
    let k423: BTreeSet<_> = r423.items.iter().map(|i| i.key.clone()).collect();
    let k424: BTreeSet<_> = r424.items.iter().map(|i| i.key.clone()).collect();
    assert_eq!(k423, k424);
    // Replaying the 424 child under 423's rules: the coinbase is 424's, so only a chain buy
    // could tell them apart (it does not here: below the cap both swaps give the same alpha).
    let mut parent = p424.parent.clone();
    parent.spec_version = 423;
    let r = replay_block(&parent, &p424.child).unwrap();
    assert_eq!(counts(&r), (r424.items.len(), 0, 0));
}

/// A chain buy larger than 1 000 × the TAO reserve: 424 refuses it (`SwapInputTooLarge`, the
/// excess is recycled), 423 runs it (no cap at `v3.4.8-423`).
#[test]
fn a_chain_buy_above_424s_input_cap_runs_at_423() {
    let fx = fixture(F424);
    let mut out = Vec::new();
    for spec in [423, 424] {
        let rules = Rules::for_spec(spec).unwrap();
        let mut net = network(&rules, &fx);
        // SN3's TAO reserve is tiny: its excess TAO is far above 1 000 × the reserve.
        let st = net.subnets.get_mut(&3).unwrap();
        st.pool.tao = 1_000;
        st.pool.alpha = 1_000_000_000_000;
        let before = net.subnets[&3].pool.tao;
        let report = net.step_block(&mut StakeProportionalEpoch).unwrap();
        let excess = report.terms_of(3).unwrap().excess_tao.to_num::<u64>();
        assert!(excess > 1_000 * before, "{spec}: {excess}");
        out.push((net.subnets[&3].last.excess_tao, net.subnets[&3].pool.tao));
    }
    let ((bought423, tao423), (bought424, tao424)) = (out[0], out[1]);
    assert!(
        bought423 > 0 && tao423 >= 1_000 + bought423,
        "423 buys: {out:?}"
    );
    assert_eq!(bought424, 0, "424 refuses: {out:?}");
    assert!(tao424 < tao423);
}

#[test]
fn a_tampered_423_value_is_exactly_one_mismatch() {
    let p = pair(423);
    let mut child = p.child.clone();
    let k = s::SUBNET_TAO.key_hex(3);
    let v = read_u64(&child, &s::SUBNET_TAO, 3).unwrap();
    child
        .storage
        .insert(k.clone(), Some(hex::encode(&(v + 1).to_le_bytes())));
    let (code, out) = run_bin(&p.parent, &child, "pre424-tamper");
    assert_eq!(code, 1, "{out}");
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    assert!(last.contains(" equal, 1 mismatched, "), "{last}");
    let r: serde_json::Value = serde_json::from_str(json).unwrap();
    let bad: Vec<_> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["equal"] == false)
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["key"], k);
    assert!(last.ends_with(" 0 missing"), "{last}");
    // The alpha a chain buy got is compared too.
    let mut child = p.child.clone();
    let k = s::ALPHA_IN.key_hex(3);
    let v = read_u64(&child, &s::ALPHA_IN, 3).unwrap();
    child
        .storage
        .insert(k.clone(), Some(hex::encode(&(v - 1).to_le_bytes())));
    let r = replay_block(&p.parent, &child).unwrap();
    let bad: Vec<_> = r.items.iter().filter(|i| !i.equal).collect();
    assert_eq!((bad.len(), bad[0].key.as_str()), (1, k.as_str()));
}

/// The shares and the injection of every emitting subnet at 423 and 424 (the same
/// `get_shares` and `get_subnet_terms` at both tags), derived by hand from the upstream code,
/// compared with what the engine wrote into CHILD.
#[test]
fn shares_and_injection_at_423_and_424_follow_the_upstream_formula() {
    for spec in [423, 424] {
        hand_derived(spec);
    }
}

fn hand_derived(spec: u32) {
    let p = pair(spec);
    let net = &p.before;
    let zero = U64F64::from_num(0);
    let one = U64F64::from_num(1);
    // get_subnets_to_emit_to: started subnets (all here but SN7).
    let emit: Vec<u16> = net
        .subnets
        .iter()
        .filter(|(n, st)| **n != 0 && st.first_emission_block.is_some())
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(emit, vec![3, 5, 9, 64]);
    // TotalIssuance 10.61 M TAO is past the first halving (10.5 M): 10^9 / 2 rao per block.
    let block_emission = U96F32::from_num(500_000_000u64);
    // root_proportion: tao_weight / (tao_weight + alpha_issuance), tao_weight = SubnetTAO[0] ×
    // TaoWeight / u64::MAX, all U96F32.
    let tw = U96F32::from_num(net.root_tao)
        .saturating_mul(U96F32::from_num(net.params.tao_weight) / U96F32::from_num(u64::MAX));
    let issuance = |n: u16| {
        let st = &net.subnets[&n];
        st.pool.alpha.saturating_add(st.alpha_out)
    };
    let root_prop = |n: u16| tw / (tw + U96F32::from_num(issuance(n)));
    // get_shares_price_ema, then × root_prop × (1 − MinerBurned), renormalised (U64F64).
    let mp = |n: u16| U64F64::saturating_from_num(net.subnets[&n].moving_price);
    let total_mp = emit.iter().fold(zero, |a, n| a + mp(*n));
    let weighted: Vec<(u16, U64F64)> = emit
        .iter()
        .map(|&n| {
            let burned = U64F64::saturating_from_num(net.subnets[&n].miner_burned).min(one);
            let rp = U64F64::saturating_from_num(root_prop(n));
            (
                n,
                (mp(n) / total_mp).saturating_mul(rp.saturating_mul(one - burned)),
            )
        })
        .collect();
    let total_w = weighted.iter().fold(zero, |a, (_, w)| a + *w);
    // get_subnet_block_emissions: a disabled subnet's share is zeroed, the rest renormalised.
    let enabled = |n: u16| net.subnets[&n].emission_enabled;
    let enabled_sum = weighted
        .iter()
        .filter(|(n, _)| enabled(*n))
        .fold(zero, |a, (_, w)| a + *w / total_w);
    let mut checked = 0;
    for &(n, w) in &weighted {
        let share = w / total_w;
        let share = if enabled(n) {
            share / enabled_sum
        } else {
            zero
        };
        let e = U96F32::saturating_from_num(
            U64F64::saturating_from_num(block_emission).saturating_mul(share),
        );
        // get_subnet_terms: price = (w_base / w_quote) × (SubnetTAO / SubnetAlphaIn) in U64F64.
        let pool = &net.subnets[&n].pool;
        let (wq, wb) = (
            pool.quote_weight,
            1_000_000_000_000_000_000 - pool.quote_weight,
        );
        let price = U96F32::saturating_from_num(
            (U64F64::from_num(wb) / U64F64::from_num(wq))
                .saturating_mul(U64F64::from_num(pool.tao) / U64F64::from_num(pool.alpha)),
        );
        let alpha_emission = U96F32::from_num(1_000_000_000u64); // issuance < 10.5 M alpha
        let mut tao_in = e;
        let mut alpha_in = if price > U96F32::from_num(0) {
            e / price
        } else {
            U96F32::from_num(0)
        };
        let cap = root_prop(n).saturating_mul(alpha_emission);
        if alpha_in > cap {
            alpha_in = cap;
            tao_in = alpha_in.saturating_mul(price);
        }
        let excess = e.saturating_sub(tao_in);
        let (tao_in, alpha_in, excess) = (
            tao_in.to_num::<u64>(),
            alpha_in.to_num::<u64>(),
            excess.to_num::<u64>(),
        );
        assert_eq!(excess > 0, p.buyers.contains(&n), "{spec} SN{n}");
        let got = |it: &Item| read_u64(&p.child, it, n).unwrap();
        assert_eq!(
            got(&s::TAO_IN_EMISSION),
            tao_in,
            "{spec} SN{n} SubnetTaoInEmission"
        );
        assert_eq!(
            got(&s::ALPHA_IN_EMISSION),
            alpha_in,
            "SN{n} SubnetAlphaInEmission"
        );
        assert_eq!(got(&s::EXCESS_TAO), excess, "SN{n} SubnetExcessTao");
        assert_eq!(
            got(&s::SUBNET_TAO),
            pool.tao + tao_in + excess,
            "SN{n} SubnetTAO"
        );
        if excess == 0 {
            assert_eq!(
                got(&s::ALPHA_IN),
                pool.alpha + alpha_in,
                "SN{n} SubnetAlphaIn"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 4);
}

/// 396–402, 408–411 and 413–419 are replayed (tests/replay_block_flow.rs,
/// tests/replay_block_legacy_flow.rs); 412 (commits with either neighbour's coinbase), 420 (no
/// commit carries it), 403–407 and 394–395 are not pinned.
#[test]
fn runtimes_before_421_list_every_output_with_their_eras_reason() {
    for (spec, reason) in [
        (412, not_replayed_reason(412)),
        (420, not_replayed_reason(420)),
        (395, not_replayed_reason(395)),
        (405, not_replayed_reason(405)),
    ] {
        let p = pair(424);
        let mut parent = p.parent.clone();
        parent.spec_version = spec;
        let (code, out) = run_bin(&parent, &p.child, &format!("pre424-{spec}"));
        assert_eq!(code, 1, "{spec}: N = 0");
        let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
        assert!(
            last.starts_with("0 equal, 0 mismatched, ") && !last.ends_with(" 0 missing"),
            "{last}"
        );
        let r: serde_json::Value = serde_json::from_str(json).unwrap();
        assert!(
            r["missing"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["needs"] == serde_json::json!([reason])),
            "{spec}"
        );
    }
    assert_ne!(not_replayed_reason(419), not_replayed_reason(412));
}

/// At 421–422 (tests/replay_block_v3.rs) a subnet holding a balancer pool is not read as v3:
/// every output its price decides is listed with that reason; the schedule is still compared.
#[test]
fn a_balancer_pool_at_a_v3_runtime_is_listed() {
    for spec in [421, 422] {
        let p = pair(424);
        let mut parent = p.parent.clone();
        parent.spec_version = spec;
        let r = replay_block(&parent, &p.child).unwrap();
        assert_eq!(counts(&r).1, 0, "{spec}");
        assert!(r
            .items
            .iter()
            .all(|i| i.item == s::BLOCKS_SINCE_LAST_STEP.path()));
        let rec = r
            .missing
            .iter()
            .find(|m| m.item == s::TAO_IN_EMISSION.path() && m.args == "[3]")
            .unwrap();
        assert!(rec
            .needs
            .iter()
            .any(|n| n.contains("balancer pool at a v3 runtime")));
        // What the subnet's price decides (its pool outputs too) names the pool.
        assert!(r
            .missing
            .iter()
            .filter(|m| m.item == s::SUBNET_TAO.path())
            .all(|m| m
                .needs
                .iter()
                .any(|n| n.contains("balancer pool at a v3 runtime"))));
        assert!(r
            .missing
            .iter()
            .all(|m| !m.needs.is_empty() && m.needs != [V3_COINBASE_NOT_REPLAYED]));
    }
}
