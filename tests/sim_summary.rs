#![cfg(not(target_arch = "wasm32"))]
//! `Simulator::summary`: totals, pools and counters of a running simulation, as the progress
//! views and `NetworkSim.summary()` show them.

use tao_engine::emission::SubnetPool;
use tao_engine::sim::{default_network, subnet_rows, DefaultConfig, FlowModel, Runner};

fn small() -> DefaultConfig {
    DefaultConfig { subnets: 4, max_uids: 8, sn1_uids: 16, tempo: Some(10), seed: 5 }
}

#[test]
fn summary_follows_the_run() {
    let sim = default_network(&small(), FlowModel::default(), 5).unwrap();
    let start = sim.summary();
    assert_eq!(start.subnets.len(), 4);
    assert_eq!(start.subnets.iter().map(|r| r.netuid).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(start.stats, Default::default());

    let mut run = Runner::new(sim, 40);
    run.run_chunk(40).unwrap();
    let end = run.sim.summary();
    assert_eq!(end.block, start.block + 40);
    assert!(end.stats.epochs > 0, "{:?}", end.stats);
    assert!(end.minted > start.minted);
    assert!(end.total_issuance > start.total_issuance);
    // Each row is that subnet's pool, and the price is TAO per alpha in rao.
    for row in &end.subnets {
        let s = &run.sim.net.subnets[&row.netuid];
        assert_eq!((row.tao_reserve, row.alpha_reserve, row.alpha_out), (s.pool.tao_reserve(), s.pool.alpha_reserve(), s.alpha_out));
        assert!(row.price_rao > 0);
    }
    assert_eq!(end.subnets, subnet_rows(&run.sim.net));
    // A restored copy summarises the same.
    let copy: Runner = serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap();
    assert_eq!(copy.sim.summary(), end);
}
