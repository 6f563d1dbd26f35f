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

/// A shard's optional bounds: none is the whole run, a missing start is 0, a missing count the rest.
#[test]
fn shard_bounds_default_to_the_rest_of_the_run() {
    use tao_engine::sim::returns::{ReturnQuery, ReturnRun};
    let sim = default_network(&small(), FlowModel::quiet(), 0).unwrap();
    let q = ReturnQuery { paths: 6, horizon_days: 2, netuids: vec![1], ..ReturnQuery::default() };
    let run = || ReturnRun::new(&sim.net, q.clone()).unwrap();
    let done = |r: ReturnRun| {
        let mut r = r;
        r.run_paths(100)
    };
    assert_eq!(done(run().with_shard(None, None).unwrap()), (6, 6));
    assert_eq!(done(run().with_shard(Some(2), None).unwrap()), (4, 4));
    assert_eq!(done(run().with_shard(None, Some(3)).unwrap()), (3, 3));
    assert_eq!(done(run().with_shard(Some(1), Some(2)).unwrap()), (2, 2));
    let e = run().with_shard(Some(6), None).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("pathStart"));
    let e = run().with_shard(Some(2), Some(5)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("pathCount"));
}

/// `return_run` runs the query under the rules asked for and says which subnets are synthetic.
#[test]
fn return_run_applies_the_rules_and_names_the_sources() {
    use tao_engine::runtime::{Rules, NEWEST_KNOWN_SPEC};
    use tao_engine::sim::return_run;
    use tao_engine::sim::returns::ReturnQuery;
    let cfg = small();
    let net = default_network(&cfg, FlowModel::quiet(), 0).unwrap().net;
    let q = ReturnQuery { paths: 2, horizon_days: 2, netuids: vec![1, 3], ..ReturnQuery::default() };
    let mut newest = return_run(&net, &cfg, q.clone(), &Rules::newest()).unwrap();
    newest.run_paths(2);
    let report = newest.report();
    assert_eq!(report.runtime.rules_spec, NEWEST_KNOWN_SPEC);
    assert_eq!(report.synthetic_netuids, [3]);
    let older = Rules::for_spec(439).unwrap();
    let mut old = return_run(&net, &cfg, q, &older).unwrap();
    old.run_paths(2);
    assert_eq!(old.report().runtime.spec_version, 439);
}

/// The summary says which runtime's rules the simulation follows and what the network model leaves
/// out of it; `under` switches both, and a state saved before the field existed reads as the newest.
#[test]
fn summary_names_the_runtime_and_what_the_model_leaves_out() {
    use tao_engine::emission::Params;
    use tao_engine::runtime::{Rules, NEWEST_KNOWN_SPEC};
    let sim = default_network(&small(), FlowModel::default(), 5).unwrap();
    let newest = sim.summary().runtime;
    assert_eq!(newest.spec_version, NEWEST_KNOWN_SPEC);
    assert!(newest.not_modelled.iter().any(|r| r.starts_with("Root Reborn funds (441+)")), "{newest:?}");

    let at440 = Rules::for_spec(440).unwrap();
    let old = sim.clone().under(&at440);
    assert_eq!(old.net.params, Params::for_rules(&at440));
    assert_eq!(old.summary().runtime.spec_version, 440);
    assert_eq!(old.summary().runtime.not_modelled, Params::rules_not_modelled(&at440));
    assert_eq!(old.summary().runtime.not_modelled.len(), 1);

    // (The state holds u128 amounts, beyond serde_json::Value: cut the last field from the text.)
    let saved = serde_json::to_string(&sim).unwrap();
    let cut = saved.rfind(",\"runtime\":").expect("runtime is the last field saved");
    let restored: tao_engine::sim::Simulator = serde_json::from_str(&format!("{}}}", &saved[..cut])).unwrap();
    assert_eq!(restored.summary().runtime, newest);
}
