//! Tests of [`super`]: merged shards give the single run's report bit for bit (through the byte
//! format, in any order, even and uneven splits), and broken sets of partials are refused.

use super::*;
use crate::emission::{BalancerPool, Network};
use crate::error::ErrorCode;
use crate::sim::test_net::balancer_network;
use crate::sim::{default_network, DefaultConfig, FlowModel};

fn small_net() -> Network<BalancerPool> {
    balancer_network(&[
        (1, 40_000_000_000_000, 1_000_000_000_000_000),
        (2, 10_000_000_000_000, 500_000_000_000_000),
        (3, 3_000_000_000_000, 90_000_000_000_000),
    ])
}

fn run_all(net: &Network<BalancerPool>, q: &ReturnQuery) -> ReturnReport {
    let mut run = ReturnRun::new(net, q.clone()).unwrap_or_else(|e| panic!("{e}"));
    run.run_paths(q.paths);
    run.report()
}

/// Run shard `(first, count)` in chunks of 3 paths and return its partial, through bytes.
fn shard(net: &Network<BalancerPool>, q: &ReturnQuery, first: u32, count: u32) -> ReturnPartial {
    let mut run = ReturnRun::new(net, q.clone())
        .and_then(|r| r.with_paths(first, count))
        .unwrap_or_else(|e| panic!("{e}"));
    while run.run_paths(3).0 < count {}
    let bytes = run
        .partial()
        .and_then(|p| p.to_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    ReturnPartial::from_bytes(&bytes, "partials").unwrap_or_else(|e| panic!("{e}"))
}

fn splits(paths: u32) -> Vec<Vec<(u32, u32)>> {
    let mut out: Vec<Vec<(u32, u32)>> = (1..=4).map(|k| split_paths(paths, k)).collect();
    // Uneven: one path, then the rest in two unequal parts, then two paths.
    if paths >= 6 {
        let rest = paths - 3;
        out.push(vec![
            (0, 1),
            (1, rest - rest / 3),
            (1 + rest - rest / 3, rest / 3),
            (paths - 2, 2),
        ]);
        out.push(vec![(0, paths - 1), (paths - 1, 1)]);
    }
    out
}

fn assert_merges(net: &Network<BalancerPool>, q: &ReturnQuery) {
    let single = run_all(net, q);
    let single_json = serde_json::to_string(&single).unwrap_or_default();
    for split in splits(q.paths) {
        assert_eq!(split.iter().map(|r| r.1).sum::<u32>(), q.paths, "{split:?}");
        let mut parts: Vec<ReturnPartial> =
            split.iter().map(|(f, c)| shard(net, q, *f, *c)).collect();
        // Order of arrival must not matter.
        parts.reverse();
        let merged = merge_partials(parts, "partials").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(merged, single, "seed {} split {split:?}", q.seed);
        assert_eq!(merged.apr.to_bits(), single.apr.to_bits());
        assert_eq!(
            serde_json::to_string(&merged).unwrap_or_default(),
            single_json
        );
    }
}

#[test]
fn split_paths_covers_every_path_once() {
    for paths in [1u32, 2, 5, 7, 100, 10_000] {
        for k in [0u32, 1, 2, 3, 4, 16, 200] {
            let s = split_paths(paths, k);
            assert_eq!(s.len() as u32, k.clamp(1, paths));
            let mut next = 0;
            for (f, c) in &s {
                assert_eq!(*f, next);
                assert!(*c >= 1);
                next += c;
            }
            assert_eq!(next, paths);
            let (lo, hi) = s
                .iter()
                .fold((u32::MAX, 0), |(l, h), (_, c)| (l.min(*c), h.max(*c)));
            assert!(hi - lo <= 1, "{s:?}");
        }
    }
}

#[test]
fn merged_shards_equal_one_run_on_a_small_network() {
    let net = small_net();
    for (seed, netuids, days, paths, exit, step) in [
        (1u64, vec![1u16], 20u32, 9u32, true, 7_200u32),
        (7, vec![2], 12, 13, false, 3_600),
        (0xDEAD_BEEF, vec![1, 2, 3], 9, 8, true, 7_200),
        (42, vec![0], 5, 6, true, 7_200),
        (3, vec![3], 4, 3, true, 14_400),
    ] {
        let q = ReturnQuery {
            seed,
            netuids,
            horizon_days: days,
            paths,
            exit,
            step_blocks: step,
            flow_sigma_bps: 150,
            flow_drift_bps: -5,
            ..ReturnQuery::default()
        };
        assert_merges(&net, &q);
    }
}

#[test]
fn merged_shards_equal_one_run_on_the_default_network() {
    let cfg = DefaultConfig {
        subnets: 6,
        ..DefaultConfig::default()
    };
    let net = default_network(&cfg, FlowModel::quiet(), 0)
        .unwrap_or_else(|e| panic!("{e}"))
        .net;
    let q = ReturnQuery {
        netuids: vec![1, 4],
        horizon_days: 10,
        paths: 7,
        seed: 11,
        ..ReturnQuery::default()
    };
    let single = {
        let mut r = ReturnRun::new(&net, q.clone())
            .unwrap_or_else(|e| panic!("{e}"))
            .on_default_network(&cfg);
        r.run_paths(7);
        r.report()
    };
    assert!(!single.synthetic_netuids.is_empty());
    let parts: Vec<ReturnPartial> = split_paths(7, 3)
        .into_iter()
        .map(|(f, c)| {
            let mut r = ReturnRun::new(&net, q.clone())
                .and_then(|r| r.with_paths(f, c))
                .unwrap_or_else(|e| panic!("{e}"))
                .on_default_network(&cfg);
            r.run_paths(c);
            r.partial().unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    assert_eq!(merge_partials(parts, "partials").ok(), Some(single));
}

#[test]
fn broken_sets_of_partials_are_refused() {
    let net = small_net();
    let q = ReturnQuery {
        horizon_days: 4,
        paths: 6,
        ..ReturnQuery::default()
    };
    let a = shard(&net, &q, 0, 3);
    let b = shard(&net, &q, 3, 3);
    let code = |parts: Vec<ReturnPartial>| merge_partials(parts, "partials").err().map(|e| e.code);
    assert!(merge_partials(vec![a.clone(), b.clone()], "partials").is_ok());
    assert_eq!(code(vec![]), Some(ErrorCode::OutOfRange));
    assert_eq!(code(vec![a.clone()]), Some(ErrorCode::OutOfRange), "a gap");
    assert_eq!(
        code(vec![a.clone(), a.clone(), b.clone()]),
        Some(ErrorCode::OutOfRange),
        "overlap"
    );
    let other = shard(
        &net,
        &ReturnQuery {
            seed: 2,
            ..q.clone()
        },
        3,
        3,
    );
    assert_eq!(
        code(vec![a.clone(), other]),
        Some(ErrorCode::OutOfRange),
        "another seed"
    );
    let mut short = b.clone();
    if let Some(o) = short.outs.first_mut() {
        o.values.pop();
    }
    assert_eq!(
        code(vec![a.clone(), short]),
        Some(ErrorCode::OutOfRange),
        "ragged series"
    );
    // A forged query asking for more paths than the partials hold.
    let mut huge = a.clone();
    huge.query.paths = u32::MAX;
    assert_eq!(
        code(vec![huge]),
        Some(ErrorCode::OutOfRange),
        "forged path count"
    );
    // Ranges and unfinished shards.
    let run = ReturnRun::new(&net, q.clone()).unwrap_or_else(|e| panic!("{e}"));
    let field = |r: Result<ReturnRun>| r.err().map(|e| (e.code, e.field.unwrap_or_default()));
    assert_eq!(
        field(run.clone().with_paths(6, 1)),
        Some((ErrorCode::OutOfRange, "pathStart".into()))
    );
    assert_eq!(
        field(run.clone().with_paths(2, 5)),
        Some((ErrorCode::OutOfRange, "pathCount".into()))
    );
    assert_eq!(
        field(run.clone().with_paths(0, 0)),
        Some((ErrorCode::OutOfRange, "pathCount".into()))
    );
    let mut part = run.with_paths(1, 4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(part.run_paths(99), (4, 4));
    assert!(part.partial().is_ok());
    let unfinished = ReturnRun::new(&net, q).unwrap_or_else(|e| panic!("{e}"));
    assert!(unfinished.partial().is_err());
    // Bytes.
    let bytes = a.to_bytes().unwrap_or_default();
    let err = |b: &[u8]| {
        ReturnPartial::from_bytes(b, "partials")
            .err()
            .map(|e| e.code)
    };
    assert_eq!(err(b"junk"), Some(ErrorCode::InvalidJson));
    assert_eq!(err(&bytes[..bytes.len() / 2]), Some(ErrorCode::InvalidJson));
    let v2 =
        String::from_utf8(bytes)
            .unwrap_or_default()
            .replacen("\"format\":1", "\"format\":2", 1);
    assert_eq!(err(v2.as_bytes()), Some(ErrorCode::Unsupported));
}
