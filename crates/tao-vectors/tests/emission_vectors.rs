//! Runs every pool-vector file of the emission categories (coinbase, moving price, emission
//! shares, distribution, root claim) from `tests/fixtures/pool` through the vector harness and
//! requires every outcome to pass. Guards the emission pipeline against regressions in any rule
//! the chain's own tests pin down.

use std::path::Path;

const CATEGORIES: [&str; 5] = [
    "coinbase",
    "moving-price",
    "emission-shares",
    "distribution",
    "root-claim",
];

#[test]
fn emission_vector_files_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pool");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    let mut files = 0;
    let mut failures = Vec::new();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let category = doc.get("category").and_then(|c| c.as_str()).unwrap_or("");
        if !CATEGORIES.contains(&category) {
            continue;
        }
        files += 1;
        match tao_vectors::run_file(&text) {
            Ok(report) => {
                for o in report.outcomes.iter().filter(|o| !o.passed) {
                    failures.push(format!(
                        "{}: {} {} expected {} actual {}",
                        path.display(),
                        o.case,
                        o.field,
                        o.expected,
                        o.actual
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        files >= 12,
        "only {files} emission vector files found in {}",
        dir.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
