//! Tests of [`super`]: the split of a path's value adds up, runs are deterministic, root stake
//! carries no price risk, and strategies compare.

use super::*;
use crate::sim::test_net::balancer_network;

fn net() -> Network<BalancerPool> {
    balancer_network(&[
        (1, 40_000_000_000_000, 1_000_000_000_000_000),
        (2, 10_000_000_000_000, 500_000_000_000_000),
    ])
}

#[test]
fn split_adds_up_on_every_path_and_is_deterministic() {
    let q = ReturnQuery {
        horizon_days: 20,
        paths: 8,
        ..ReturnQuery::default()
    };
    let n = net();
    let mut run = ReturnRun::new(&n, q.clone()).unwrap_or_else(|e| panic!("{e}"));
    run.run_paths(8);
    for p in &run.outs {
        let s = p.split;
        let fin = i128::from(q.amount) - s[0] - s[1] + s[2] + s[3] - s[4] - s[5];
        assert_eq!(Some(fin), p.values.last().map(|v| i128::from(*v)));
        assert!(s[0] > 0 && s[1] >= 0 && s[2] > 0 && s[4] > 0, "{s:?}");
    }
    let a = stake_return(&n, q.clone()).unwrap_or_default();
    let b = stake_return(&n, q).unwrap_or_default();
    assert_eq!(a, b);
    assert_eq!(a.series.len(), 21);
    assert!(a.apr > 0.0 && a.apy > a.apr);
    assert!(a
        .series
        .iter()
        .all(|p| p.tao_p10 <= p.tao_p50 && p.tao_p50 <= p.tao_p90));
}

#[test]
fn root_has_no_price_risk_and_strategies_compare() {
    let n = net();
    let q = ReturnQuery {
        horizon_days: 10,
        paths: 4,
        ..ReturnQuery::default()
    };
    let r = compare_strategies(&n, &q, 2).unwrap_or_default();
    assert_eq!(r.len(), 3);
    let root = &r[0].report;
    assert!(root.series.iter().all(|p| p.tao_p10 == p.tao_p90));
    assert!(root.split.emission_yield > 0 && root.split.entry_fee == 0);
    assert!(ReturnRun::new(
        &n,
        ReturnQuery {
            amount: 0,
            ..q.clone()
        }
    )
    .is_err());
    let e = ReturnRun::new(
        &n,
        ReturnQuery {
            netuids: vec![9],
            ..q
        },
    )
    .err();
    assert_eq!(e.map(|e| e.code), Some(ErrorCode::OutOfRange));
}
