//! Every yuma reference vector (data/yuma, a copy of shared/fixtures/yuma) and the
//! epoch-schedule pool vectors pass: each `expect` entry, each `derived_outputs` field group,
//! each math case. Guards the bit-exact port of the chain's epoch against regressions.

use std::path::{Path, PathBuf};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

#[test]
fn yuma_vectors_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/yuma");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let pool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pool");
    for f in [
        "epoch-schedule-dynamic-tempo.json",
        "epoch-schedule-legacy.json",
    ] {
        if pool.join(f).exists() {
            files.push(pool.join(f));
        }
    }
    assert!(
        files.len() > 30,
        "fixtures missing under {}",
        root.display()
    );
    let (mut passed, mut failures) = (0usize, Vec::new());
    for f in &files {
        let report = tao_vectors::run_file(&std::fs::read_to_string(f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        passed += report.passed();
        for o in report.outcomes.iter().filter(|o| !o.passed) {
            failures.push(format!(
                "{} | {} | {} | want {} | got {}",
                f.display(),
                o.case,
                o.field,
                o.expected,
                o.actual
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed > 1500, "only {passed} outcomes");
}
