#![cfg(not(target_arch = "wasm32"))]
//! Conservation over a simulated year on a reduced network: every rao minted is accounted for
//! (staked, recycled, burned, in pools, pending, escrow) block by block, with user flows,
//! registrations, price shocks, weight-driven Yuma epochs and root claims running, and across the
//! first halving.

use tao_engine::emission::{check_conservation, DEFAULT_BLOCK_EMISSION};
use tao_engine::sim::{
    default_network, DefaultConfig, Event, FlowModel, Runner, Scheduled, Simulator,
};
use tao_engine::ErrorCode;

fn reduced(seed: u64, flows: FlowModel) -> Simulator {
    let cfg = DefaultConfig {
        subnets: 6,
        max_uids: 12,
        sn1_uids: 24,
        tempo: Some(6),
        seed: 7,
    };
    let sim = default_network(&cfg, flows, seed);
    assert!(sim.is_ok(), "{sim:?}");
    sim.unwrap_or_else(|_| unreachable!())
}

fn busy() -> FlowModel {
    FlowModel {
        stake_prob: 0.5,
        unstake_prob: 0.4,
        register_prob: 0.08,
        shock_prob: 0.02,
        weights_interval: 5,
        claim_interval: 97,
        ..FlowModel::default()
    }
}

/// A year of epochs at reduced tempo: 365 "days" of 6 blocks (one tempo-6 epoch a day per
/// subnet), with the first halving inside.
#[test]
fn a_simulated_year_conserves_every_rao_block_by_block() {
    let mut sim = reduced(11, busy());
    // Start 300 blocks' emission below the first halving threshold.
    sim.net.total_issuance = 10_500_000_000_000_000 - 300 * DEFAULT_BLOCK_EMISSION;
    // Scripted root flows on top of the generated subnet flows.
    let hk = sim
        .net
        .subnets
        .get(&1)
        .and_then(|s| s.neurons.first().copied())
        .unwrap_or(0);
    sim.schedule((1..40u64).flat_map(|i| {
        [
            Scheduled {
                block: i * 50,
                event: Event::Stake {
                    coldkey: 77,
                    hotkey: hk,
                    netuid: 0,
                    tao: 5_000_000_000 * i,
                },
            },
            Scheduled {
                block: i * 50 + 20,
                event: Event::Unstake {
                    coldkey: 77,
                    hotkey: hk,
                    netuid: 0,
                    alpha: 2_000_000_000 * i,
                },
            },
            Scheduled {
                block: i * 50 + 30,
                event: Event::ClaimRoot { coldkey: 77 },
            },
        ]
    }));
    let start = sim.net.snapshot();
    let mut minted = 0u128;
    let mut halved = false;
    for _ in 0..365 * 6 {
        let before = sim.net.snapshot();
        let r = sim.step().cloned();
        assert!(r.is_ok(), "{r:?}");
        let r = r.unwrap_or_default();
        minted += u128::from(r.minted);
        halved |= r.minted == DEFAULT_BLOCK_EMISSION / 2;
        let after = sim.net.snapshot();
        if let Err(e) = check_conservation(&before, &after) {
            panic!("block {}: {e}", sim.net.block);
        }
    }
    assert!(check_conservation(&start, &sim.net.snapshot()).is_ok());
    assert!(halved, "the first halving happened");
    let t = sim.net.ledger.tao;
    assert!(t.root_in > 0 && t.root_out > 0, "{t:?}");
    assert_eq!(t.minted, minted);
    assert_eq!(t.minted, t.recycled + t.injected + t.chain_bought);
    let s = &sim.stats;
    assert!(
        s.stakes > 100 && s.unstakes > 50 && s.registrations > 50,
        "{s:?}"
    );
    assert!(
        s.shocks > 10 && s.weight_sets > 100 && s.epochs > 1000,
        "{s:?}"
    );
    // Weights made the epoch pay incentive somewhere (not the no-weights fallback).
    let paid_incentive = sim
        .net
        .ledger
        .alpha
        .values()
        .any(|l| l.staked_drain > 0 && l.burned + l.recycled_drain > 0);
    assert!(paid_incentive || sim.net.subnets.values().any(|s| s.miner_burned > 0));
}

#[test]
fn emission_only_keeps_issuance_equal_to_minted_minus_recycled() {
    let mut sim = reduced(3, FlowModel::quiet());
    let i0 = sim.net.total_issuance;
    for _ in 0..200 {
        assert!(sim.step().is_ok());
    }
    let t = sim.net.ledger.tao;
    assert_eq!(
        u128::from(sim.net.total_issuance - i0),
        t.minted - t.recycled
    );
    assert_eq!(t.user_in + t.user_out + t.fees_to_author, 0);
}

#[test]
fn save_restore_midway_gives_the_same_run() {
    let mut a = reduced(5, busy());
    let mut b = a.clone();
    for _ in 0..150 {
        assert!(a.step().is_ok());
        assert!(b.step().is_ok());
    }
    let json = b.to_json().unwrap_or_default();
    let restored = Simulator::from_json(&json);
    assert!(restored.is_ok());
    let mut b = restored.unwrap_or_else(|_| unreachable!());
    assert_eq!(b, a);
    for _ in 0..150 {
        assert!(a.step().is_ok());
        assert!(b.step().is_ok());
    }
    assert_eq!(a, b);
    assert!(Simulator::from_json("{").is_err());
}

#[test]
fn runner_reports_progress_audits_and_cancels() {
    let mut r = Runner::new(reduced(9, busy()), 100);
    r.audit = true;
    let mut seen = Vec::new();
    let out = r.run_with(30, &mut |p| {
        seen.push(p.done);
        true
    });
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(seen, vec![30, 60, 90, 100]);
    let mut r = Runner::new(reduced(9, busy()), 100);
    let mut calls = 0;
    let out = r.run_with(10, &mut |_| {
        calls += 1;
        calls < 3
    });
    assert_eq!(out.map_err(|e| e.code), Err(ErrorCode::Cancelled));
    assert_eq!(r.done, 30);
    assert_eq!(r.sim.net.block, 30);
}

#[test]
fn the_full_default_network_has_128_subnets_and_real_sn1() {
    let sim = default_network(&DefaultConfig::default(), FlowModel::default(), 1);
    assert!(sim.is_ok());
    let sim = sim.unwrap_or_else(|_| unreachable!());
    assert_eq!(sim.net.subnets.len(), 128);
    let sn1 = sim.net.subnets.get(&1);
    assert_eq!(sn1.map(|s| s.pool.tao), Some(22_080_655_078_468));
    assert_eq!(sn1.map(|s| s.neurons.len()), Some(1024));
    assert_eq!(sn1.map(|s| s.tempo), Some(99));
    let permits = sim
        .epoch
        .subnet(1)
        .map(|s| s.validator_permit.iter().filter(|p| **p).count());
    assert_eq!(permits, Some(12));
}
