//! Retention maps (`sim::retention`): hand-derivable cells (no spread, so every validator of a
//! side has the same stake and weights), the map's properties at the upstream network size
//! (bounded, monotone in the honest stake share at kappa 0.5), chunking and seeding, and the
//! golden cells that the wasm build must reproduce bit for bit (`tests/retention_wasm.rs`).
#![cfg(not(target_arch = "wasm32"))]

use tao_engine::runtime::Rules;
use tao_engine::sim::retention::{
    retention_cells, RetentionCell, RetentionGraph, RetentionGrid, RetentionParams,
};
use tao_engine::ErrorCode;

fn rules() -> Rules {
    Rules::newest()
}

/// A 12-uid network (4 validators, 8 servers) with no spread in stake or weights.
fn flat(kappa: u16, bonds_penalty: u16, validator_share_milli: u16) -> RetentionParams {
    RetentionParams {
        network_n: 12,
        validators_n: 4,
        kappa,
        bonds_penalty,
        weight_stddev_milli: 0,
        stake_stddev_milli: 0,
        validator_share_milli,
        ..RetentionParams::default()
    }
}

fn ratio(p: &RetentionParams, stake_milli: u16, wh: u16, wc: u16) -> f64 {
    let g = RetentionGraph::sample(p, stake_milli, &rules()).unwrap();
    g.cell(wh, wc, 10, &rules())
        .unwrap()
        .major_ratio
        .to_num::<f64>()
}

#[test]
fn flat_network_sides_and_stakes() {
    let g = RetentionGraph::sample(&flat(32_767, 65_535, 500), 750, &rules()).unwrap();
    // floor(0.75 · 4) = 3 honest validators, floor(0.75 · 8) = 6 honest servers.
    assert_eq!(g.major_counts(), (3, 6));
    let s = g.stake();
    assert_eq!(s[0], s[1]);
    assert!(s[4..].iter().all(|&x| x == 0), "servers hold no stake");
    let major: u64 = s[..3].iter().sum();
    let total: u64 = s.iter().sum();
    assert!((major as f64 / total as f64 - 0.75).abs() < 1e-6);
}

#[test]
fn cabal_voting_for_the_honest_servers_gets_only_its_dividends() {
    // W_H = 1, W_C = 0: everyone weights the 6 honest servers equally, so nothing is clipped:
    // I_H = 1 and dividends follow stake, D_H = 0.75; E_H = ξ·0.75 + (1 − ξ)·1.
    for (xi, expected) in [(500, 0.875), (0, 1.0), (1000, 0.75), (250, 0.9375)] {
        let e = ratio(&flat(32_767, 65_535, xi), 750, 10, 0);
        assert!((e - expected).abs() < 1e-6, "ξ = {xi}: {e} vs {expected}");
    }
}

#[test]
fn minority_self_weight_is_clipped_to_nothing_at_kappa_half() {
    // W_H = W_C = 1: the cabal's 25 % cannot reach kappa = 0.5 on its own servers, whose
    // consensus weight is 0; the honest servers keep everything, and the cabal's bonds are on
    // servers with no incentive, whatever the bonds penalty.
    for bp in [0, 32_767, 65_535] {
        let g = RetentionGraph::sample(&flat(32_767, bp, 500), 750, &rules()).unwrap();
        let c: RetentionCell = g.cell(10, 10, 10, &rules()).unwrap();
        assert_eq!(c.major_ratio.to_num::<f64>(), 1.0, "bonds penalty {bp}");
    }
}

#[test]
fn kappa_above_the_honest_share_leaves_no_consensus() {
    // kappa = 0.8 > S_H = 0.75 and each side weights only itself: no server has 80 % support, so
    // every weight is clipped; with no incentive the epoch pays by active stake, E_H = S_H.
    let e = ratio(&flat(52_428, 65_535, 500), 750, 10, 10);
    assert!((e - 0.75).abs() < 1e-6, "{e}");
}

fn upstream_cell(stake_milli: u16, wh: u16, wc: u16) -> f64 {
    let g = RetentionGraph::sample(&RetentionParams::default(), stake_milli, &rules()).unwrap();
    g.cell(wh, wc, 20, &rules())
        .unwrap()
        .major_ratio
        .to_num::<f64>()
}

#[test]
fn retention_grows_with_the_honest_share_at_kappa_half() {
    // The published graphs: at a fixed weight setting, more honest stake never earns less.
    let stakes = [510, 600, 700, 800, 900];
    for (wh, wc) in [(12, 20), (16, 20), (20, 20), (16, 10)] {
        let e: Vec<f64> = stakes.iter().map(|&s| upstream_cell(s, wh, wc)).collect();
        for w in e.windows(2) {
            assert!(w[0] <= w[1], "W_H={wh}/20 W_C={wc}/20: {e:?}");
        }
    }
}

#[test]
fn cells_are_shares_and_chunks_agree_with_the_whole() {
    let p = RetentionParams {
        network_n: 96,
        validators_n: 16,
        seed: 3,
        ..RetentionParams::default()
    };
    let grid = RetentionGrid {
        stakes_milli: vec![510, 700, 900],
        steps: 4,
    };
    let all = retention_cells(&p, &grid, 0, grid.len(), &rules()).unwrap();
    assert_eq!(all.len(), 75);
    for c in &all {
        let e = c.major_ratio.to_num::<f64>();
        assert!((0.0..=1.0).contains(&e), "{c:?}");
        assert!(c.avg_weight_dev.to_num::<f64>() >= 0.0);
    }
    // Worker-sized chunks, crossing stake shares, give the same cells.
    let mut pieces = Vec::new();
    for start in (0..grid.len()).step_by(7) {
        pieces.extend(retention_cells(&p, &grid, start, 7, &rules()).unwrap());
    }
    assert_eq!(pieces, all);
    // Past the end: clipped, not an error.
    assert_eq!(
        retention_cells(&p, &grid, 70, 100, &rules()).unwrap().len(),
        5
    );
}

#[test]
fn a_seed_fixes_the_map_and_another_seed_moves_it() {
    let grid = RetentionGrid {
        stakes_milli: vec![600],
        steps: 5,
    };
    let at = |seed| {
        let p = RetentionParams {
            network_n: 96,
            validators_n: 16,
            seed,
            ..RetentionParams::default()
        };
        retention_cells(&p, &grid, 0, grid.len(), &rules()).unwrap()
    };
    assert_eq!(at(11), at(11));
    assert_ne!(at(11), at(12));
}

#[test]
fn bad_settings_name_their_field() {
    let bad = |p: RetentionParams| {
        let e = RetentionGraph::sample(&p, 600, &rules()).unwrap_err();
        (e.code, e.field.unwrap_or_default())
    };
    let d = RetentionParams::default;
    assert_eq!(
        bad(RetentionParams {
            validators_n: 1,
            ..d()
        }),
        (ErrorCode::OutOfRange, "validatorsN".into())
    );
    assert_eq!(
        bad(RetentionParams {
            network_n: 65,
            ..d()
        }),
        (ErrorCode::OutOfRange, "networkN".into())
    );
    assert_eq!(
        bad(RetentionParams {
            network_n: 5000,
            ..d()
        }),
        (ErrorCode::TooManyUids, "networkN".into())
    );
    assert_eq!(
        bad(RetentionParams {
            validator_share_milli: 1001,
            ..d()
        }),
        (ErrorCode::OutOfRange, "validatorShareMilli".into())
    );
    let e = RetentionGraph::sample(&d(), 1000, &rules()).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::OutOfRange, Some("stakeMilli"))
    );
    let grid = RetentionGrid {
        stakes_milli: vec![600, 0],
        steps: 4,
    };
    let e = retention_cells(&d(), &grid, 0, 1, &rules()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("stakesMilli[1]"));
    let grid = RetentionGrid {
        stakes_milli: vec![600],
        steps: 0,
    };
    let e = retention_cells(&d(), &grid, 0, 1, &rules()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("steps"));
}

/// The golden cells both builds must give: 2 shares × 5 × 5 cells of a 96-uid network, seed 5,
/// as raw `I32F32` bits. `RETENTION_GOLDEN=write cargo test --test retention` rewrites the file
/// from the native engine; `tests/retention_wasm.rs` holds the wasm build to it.
fn golden_cells() -> serde_json::Value {
    let p = RetentionParams {
        network_n: 96,
        validators_n: 16,
        seed: 5,
        ..RetentionParams::default()
    };
    let grid = RetentionGrid {
        stakes_milli: vec![550, 800],
        steps: 4,
    };
    let cells = retention_cells(&p, &grid, 0, grid.len(), &rules()).unwrap();
    serde_json::json!({
        "params": p,
        "grid": grid,
        "majorRatioBits": cells.iter().map(|c| c.major_ratio.to_bits().to_string()).collect::<Vec<_>>(),
        "avgWeightDevBits": cells.iter().map(|c| c.avg_weight_dev.to_bits().to_string()).collect::<Vec<_>>(),
    })
}

#[test]
fn golden_cells_are_the_native_engines() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/retention-cells.json"
    );
    let now = golden_cells();
    if std::env::var("RETENTION_GOLDEN").as_deref() == Ok("write") {
        std::fs::write(path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let kept: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(kept, now);
}
