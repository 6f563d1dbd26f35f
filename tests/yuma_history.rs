//! The historical Yuma versions (`consensus::history`) against yuma-simulation's own results on a
//! few of its cases, kept in tests/golden/yuma-versions.json (written by
//! `scripts/yuma-versions-check.py --golden`): a bond reset on plain matrices (Case 5), one on
//! full matrices (Case 7) and server-side winner-takes-all on noisy weights (Case 22), each under
//! every version. The full agreement check, on every case, is `scripts/test-yuma-versions`.

use serde_json::Value;
use tao_engine::consensus::history::scenario::run_json;

/// Within 1e-4, or 1e-4 of the value above 1 (Yuma 2C's bonds are stake × 2^64).
fn close(ours: f64, reference: f64) -> bool {
    (ours - reference).abs() <= 1e-4 * reference.abs().max(1.0)
}

fn flatten(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(items) => items.iter().for_each(|x| flatten(x, out)),
        Value::Number(n) => out.push(n.as_f64().unwrap_or(f64::NAN)),
        other => panic!("not a number: {other}"),
    }
}

#[test]
fn history_matches_yuma_simulation_golden_runs() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/yuma-versions.json");
    let text = std::fs::read_to_string(&path).expect("golden.json");
    let doc: Value = serde_json::from_str(&text).expect("golden.json parses");
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 18, "three cases × six versions");
    let mut versions = std::collections::BTreeSet::new();
    let (mut values, mut identical) = (0usize, 0usize);
    for run in runs {
        let name = run["name"].as_str().unwrap_or("?");
        versions.insert(
            run["scenario"]["version"]
                .as_str()
                .unwrap_or("?")
                .to_string(),
        );
        let out = run_json(&run["scenario"].to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out: Value = serde_json::from_str(&out).expect("output parses");
        let (ours, expected) = (&out["epochs"], &run["expected"]);
        assert_eq!(
            ours.as_array().map(Vec::len),
            expected.as_array().map(Vec::len),
            "{name}: epochs"
        );
        for (e, (o, r)) in ours
            .as_array()
            .into_iter()
            .flatten()
            .zip(expected.as_array().into_iter().flatten())
            .enumerate()
        {
            for field in ["dividends", "incentives", "bonds"] {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                flatten(&o[field], &mut a);
                flatten(&r[field], &mut b);
                assert_eq!(a.len(), b.len(), "{name}: epoch {e} {field} shape");
                for (k, (x, y)) in a.iter().zip(&b).enumerate() {
                    values += 1;
                    identical += usize::from(*x as f32 == *y as f32);
                    assert!(close(*x, *y), "{name}: epoch {e} {field}[{k}]: {x} vs {y}");
                }
            }
        }
    }
    assert_eq!(versions.len(), 6, "every version: {versions:?}");
    // Outside liquid alpha's exp the port is bit for bit; most values are the same f32.
    assert!(
        identical * 100 >= values * 95,
        "{identical} of {values} identical"
    );
}
