#![cfg(not(target_arch = "wasm32"))]
//! The per-block caches and the exponentiation bracket change nothing: a network run and a
//! stake-model run with them on equal, bit for bit, the same runs with them off
//! (`pool::pow_fast::set_ln_memo(false)`, `pool::pow_bracket::set_bracket(false)`: every swap
//! then runs the chain's series),
//! compared as whole states (every pool, stake, bucket, ledger entry, epoch matrix) and as every
//! block's report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tao_engine::pool::pow_bracket::set_bracket;
use tao_engine::pool::pow_fast::set_ln_memo;

/// Both shortcuts on or off.
fn shortcuts(on: bool) {
    set_ln_memo(on);
    set_bracket(on);
}
use tao_engine::sim::returns::{ReturnQuery, ReturnRun};
use tao_engine::sim::{default_network, DefaultConfig, FlowModel, Simulator};

fn network() -> Simulator {
    let cfg = DefaultConfig {
        subnets: 12,
        max_uids: 12,
        sn1_uids: 32,
        tempo: Some(9),
        seed: 3,
    };
    let flows = FlowModel {
        stake_prob: 0.6,
        unstake_prob: 0.5,
        register_prob: 0.05,
        shock_prob: 0.05,
        weights_interval: 7,
        claim_interval: 41,
        ..FlowModel::default()
    };
    default_network(&cfg, flows, 5).expect("network builds")
}

fn run_blocks(memo: bool, blocks: usize) -> (Simulator, Vec<String>) {
    shortcuts(memo);
    let mut sim = network();
    let mut reports = Vec::with_capacity(blocks);
    for _ in 0..blocks {
        let r = sim.step().expect("block runs");
        reports.push(serde_json::to_string(&r).expect("report serialises"));
    }
    shortcuts(true);
    (sim, reports)
}

#[test]
fn network_with_caches_equals_network_without() {
    let blocks = 400;
    let (with, with_reports) = run_blocks(true, blocks);
    let (without, without_reports) = run_blocks(false, blocks);
    // Something happened: swaps ran on the weighted (w ≠ ½) pools.
    assert!(
        with.stats.stakes > 50 && with.stats.shocks > 0,
        "{:?}",
        with.stats
    );
    assert!(with.stats.epochs > 100, "{:?}", with.stats);
    let weighted = with
        .net
        .subnets
        .values()
        .filter(|s| s.pool.quote_weight != 500_000_000_000_000_000)
        .count();
    assert!(weighted > 6, "only {weighted} pools left ½/½");
    for (i, (a, b)) in with_reports.iter().zip(&without_reports).enumerate() {
        assert_eq!(a, b, "report of block {} differs", i + 1);
    }
    assert!(with == without, "states differ after {blocks} blocks");
    assert_eq!(with.to_json().ok(), without.to_json().ok());
}

#[test]
fn stake_model_with_caches_equals_stake_model_without() {
    let net = network().net;
    let query = ReturnQuery {
        horizon_days: 120,
        paths: 12,
        flow_sigma_bps: 300,
        netuids: vec![1, 2, 0],
        ..ReturnQuery::default()
    };
    let run = |memo: bool| {
        shortcuts(memo);
        let mut r = ReturnRun::new(&net, query.clone()).expect("query is valid");
        r.run_paths(query.paths);
        shortcuts(true);
        r
    };
    let (with, without) = (run(true), run(false));
    assert_eq!(with.outs.len(), 12);
    assert!(with.outs == without.outs, "paths differ");
    assert_eq!(
        serde_json::to_string(&with.report()).ok(),
        serde_json::to_string(&without.report()).ok()
    );
}
