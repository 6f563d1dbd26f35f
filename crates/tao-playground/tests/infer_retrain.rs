//! Reproducibility: retraining `digits-s` from the dataset (fetched by scripts/fetch-datasets
//! through pip) gives exactly the bytes committed in models/digits-s.tmod, and the same seed
//! twice gives the same bytes. Native only (the dataset is fetched by a subprocess).
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use tao_playground::train::{parse_digits_csv, recipes, split_digits, train_digits};
use tao_playground::{encode_model, DType};

fn data_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::process::Command::new("python3")
        .arg(root.join("scripts/fetch-datasets"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "scripts/fetch-datasets failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

#[test]
fn retraining_digits_s_reproduces_the_committed_bytes() {
    let csv = std::fs::read_to_string(data_dir().join("digits.csv")).unwrap();
    let all = parse_digits_csv(&csv).unwrap();
    assert_eq!(all.len(), 1797);
    let (train, held) = split_digits(&all);
    // the shipped held-out set is exactly this split's
    let shipped: Vec<u8> = held
        .iter()
        .flat_map(|d| d.pixels.iter().copied().chain([d.label]))
        .collect();
    assert_eq!(shipped, tao_playground::shipped::DIGITS_HELDOUT);
    let recipe = recipes()
        .into_iter()
        .find(|r| r.name == "digits-s")
        .unwrap();
    let a = encode_model(&train_digits(&recipe, &train).unwrap(), DType::F32).unwrap();
    let b = encode_model(&train_digits(&recipe, &train).unwrap(), DType::F32).unwrap();
    assert_eq!(a, b, "same seed, same bytes");
    let committed =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/digits-s.tmod"))
            .unwrap();
    assert!(
        a == committed,
        "retrained digits-s ({} bytes) differs from models/digits-s.tmod ({} bytes)",
        a.len(),
        committed.len()
    );
    // a different seed gives different weights (the test can fail)
    let mut other = recipe.clone();
    other.sgd.seed += 1;
    assert_ne!(
        encode_model(&train_digits(&other, &train).unwrap(), DType::F32).unwrap(),
        committed
    );
}
