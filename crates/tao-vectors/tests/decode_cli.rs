//! `scripts/decode` (the `tao-decode` binary) on every chain fixture: its stdout is one JSON
//! document whose values match the file's `expected` and `derived` fields (single-value
//! fixtures), it exits 0 with all bytes consumed, and it rejects the NEGATIVE fixtures.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use tao_vectors::chain::{check_rendered, fixture_kind, FixtureKind};

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/chain");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn decode_cli_output_matches_every_fixture() {
    let files = fixtures();
    assert!(files.len() > 10, "fixtures found: {}", files.len());
    let mut compared = 0usize;
    for f in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tao-decode"))
            .arg(&f)
            .output()
            .expect("tao-decode runs");
        let name = f.display();
        let kind = fixture_kind(&doc);
        if kind == FixtureKind::Negative {
            assert!(
                !out.status.success(),
                "{name}: a NEGATIVE fixture must be rejected"
            );
            continue;
        }
        assert!(
            out.status.success(),
            "{name}: exit {:?}, stderr {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let rendered: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: stdout is not one JSON document: {e}"));
        if kind == FixtureKind::Single
            && (doc.get("expected").is_some() || doc.get("derived").is_some())
        {
            let outcomes = check_rendered(&doc, &rendered);
            let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
            assert!(failed.is_empty(), "{name}: {failed:?}");
            compared += outcomes.len();
        }
    }
    assert!(compared > 100, "only {compared} values compared");
}

/// `scripts/decode FILE.scale` on each runtime-metadata blob prints exactly the summary of its
/// fixture's `derived` block (same keys in the same order, same values); the fixture JSON itself
/// decodes to the same document, and a blob with a byte appended is rejected.
#[test]
fn decode_cli_metadata_summaries() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/chain/metadata");
    let mut blobs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("metadata fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "scale"))
        .collect();
    blobs.sort();
    assert!(blobs.len() >= 5, "blobs found: {}", blobs.len());
    let run = |p: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_tao-decode"))
            .arg(p)
            .output()
            .expect("tao-decode runs");
        assert!(out.status.success(), "{}: {:?}", p.display(), out);
        let text = String::from_utf8(out.stdout).unwrap();
        (text.clone(), serde_json::from_str::<Value>(&text).unwrap())
    };
    for b in &blobs {
        let json = b.with_extension("json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let (text, got) = run(b);
        let want = doc.get("derived").expect("derived");
        assert_eq!(&got, want, "{}", b.display());
        // Key order too: the printed text is the derived block serialised compactly.
        assert_eq!(text.trim_end(), serde_json::to_string(want).unwrap());
        assert_eq!(run(&json).1, got, "{}", json.display());
    }
    let mut long = std::fs::read(&blobs[0]).unwrap();
    long.push(0);
    let tmp = std::env::temp_dir().join(format!("tao-decode-meta-{}.scale", std::process::id()));
    std::fs::write(&tmp, &long).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tao-decode"))
        .arg(&tmp)
        .output()
        .expect("tao-decode runs");
    let _ = std::fs::remove_file(&tmp);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TRAILING_BYTES"));
}
