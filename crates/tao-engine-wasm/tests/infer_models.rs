//! The shipped models do what models/README.md says: each one's held-out accuracy and
//! log-likelihood, recomputed here from the shipped held-out sets, equals the manifest's figure
//! and meets the documented floor; the weights fit the 1 MB budget; the validator's scoring ranks
//! honest miners above cheaters.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use tao_playground::challenge::{digit_challenges, score, text_challenges};
use tao_playground::ops::{forward, Kernel};
use tao_playground::shipped;
use tao_playground::train::{digit_input, SplitMix64};
use tao_playground::Task;

#[cfg(not(target_arch = "wasm32"))]
use tao_playground::{train::context_of, DType};

/// Floors documented in models/README.md: (name, min accuracy, max bits per answer).
#[cfg(not(target_arch = "wasm32"))]
const FLOORS: &[(&str, f64, f64)] = &[
    ("digits-s", 0.90, 0.5),
    ("digits-m", 0.95, 0.2),
    ("digits-l", 0.95, 0.2),
    ("digits-l-q8", 0.95, 0.2),
    ("text-bigram", 0.25, 3.5),
    ("text-mlp", 0.45, 2.6),
    ("text-mlp-q8", 0.45, 2.6),
];

// Native only: under wasm32 the debug build is too slow for 2 x 10,000 text positions.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_model_meets_its_documented_heldout_numbers() {
    let manifest: serde_json::Value = serde_json::from_str(shipped::MANIFEST_JSON).unwrap();
    let entries = manifest["models"].as_array().unwrap();
    assert_eq!(entries.len(), shipped::MODELS.len());
    let digits = shipped::heldout_digits();
    assert_eq!(digits.len(), 360);
    let text = shipped::heldout_text();
    assert!(text.len() >= 9_900);
    for &(name, min_acc, max_bits) in FLOORS {
        let (model, dtype) = shipped::load(name).unwrap();
        let (inputs, targets): (Vec<f32>, Vec<u8>) = match model.task {
            Task::Digits => (
                digits.iter().flat_map(digit_input).collect(),
                digits.iter().map(|d| d.label).collect(),
            ),
            Task::Text => (
                (0..text.len())
                    .flat_map(|p| context_of(&text, p, model.input_dim()))
                    .collect(),
                text.clone(),
            ),
        };
        let out = forward(&model, &inputs, targets.len(), Kernel::Simd).unwrap();
        let s = score(model.task, &out, &targets, None).unwrap();
        let doc = entries
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in manifest"));
        let doc_acc = doc["heldout"]["accuracy"].as_f64().unwrap();
        let doc_ll = doc["heldout"]["meanLogLikelihood"].as_f64().unwrap();
        assert!(
            (s.accuracy - doc_acc).abs() < 1e-9,
            "{name}: accuracy {} vs documented {doc_acc}",
            s.accuracy
        );
        assert!(
            (s.mean_log_likelihood - doc_ll).abs() < 1e-4,
            "{name}: ll {} vs documented {doc_ll}",
            s.mean_log_likelihood
        );
        assert!(
            s.accuracy >= min_acc,
            "{name}: accuracy {} below the documented floor {min_acc}",
            s.accuracy
        );
        assert!(
            s.bits <= max_bits,
            "{name}: {} bits above the documented ceiling {max_bits}",
            s.bits
        );
        assert_eq!(dtype == DType::Int8, name.ends_with("-q8"), "{name} dtype");
        assert_eq!(
            doc["bytes"].as_u64().unwrap() as usize,
            shipped::model_bytes(name).unwrap().len()
        );
    }
    assert_eq!(
        FLOORS.len(),
        shipped::MODELS.len(),
        "every shipped model has a floor"
    );
}

#[test]
fn bigger_models_do_better_and_quantization_costs_little() {
    let digits = shipped::heldout_digits();
    let inputs: Vec<f32> = digits.iter().flat_map(digit_input).collect();
    let targets: Vec<u8> = digits.iter().map(|d| d.label).collect();
    let acc = |name| {
        let (m, _) = shipped::load(name).unwrap();
        score(
            Task::Digits,
            &forward(&m, &inputs, 360, Kernel::Simd).unwrap(),
            &targets,
            None,
        )
        .unwrap()
    };
    let (s, l, q) = (acc("digits-s"), acc("digits-l"), acc("digits-l-q8"));
    assert!(l.mean_log_likelihood > s.mean_log_likelihood);
    assert!((l.accuracy - q.accuracy).abs() <= 0.01);
}

#[test]
fn weights_fit_the_budget() {
    let total: usize = shipped::MODELS.iter().map(|(_, b)| b.len()).sum();
    assert!(total <= 1_000_000, "{total} bytes of weights");
}

#[test]
fn validator_ranks_honest_miners_above_random_ones() {
    let c = digit_challenges(&shipped::heldout_digits(), 7, 200).unwrap();
    let (model, _) = shipped::load("digits-m").unwrap();
    let honest = forward(&model, &c.inputs, 200, Kernel::Simd).unwrap();
    let mut rng = SplitMix64(1);
    let random: Vec<f32> = (0..2000).map(|_| rng.next_f32()).collect();
    let sh = score(Task::Digits, &honest, &c.targets, None).unwrap();
    let sr = score(Task::Digits, &random, &c.targets, None).unwrap();
    assert!(sh.accuracy > 0.9 && sr.accuracy < 0.3, "{sh:?} {sr:?}");
    assert!(sh.mean_log_likelihood > sr.mean_log_likelihood);
    // a lazy miner answering half is scored on all
    let half: Vec<bool> = (0..200).map(|i| i % 2 == 0).collect();
    let sl = score(Task::Digits, &honest, &c.targets, Some(&half)).unwrap();
    assert_eq!(sl.answered, 100);
    assert!(sl.accuracy < 0.55);

    let t = text_challenges(&shipped::heldout_text(), 3, 300, 12).unwrap();
    let (lm, _) = shipped::load("text-mlp").unwrap();
    let st = score(
        Task::Text,
        &forward(&lm, &t.inputs, 300, Kernel::Simd).unwrap(),
        &t.targets,
        None,
    )
    .unwrap();
    assert!(st.bits < 3.0, "{st:?}");
}
