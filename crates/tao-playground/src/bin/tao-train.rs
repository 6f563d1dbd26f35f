//! Train the Subnet playground's miner models deterministically and write them to `models/`.
//!
//! ```text
//! cargo run --release -p tao-playground --bin tao-train                 # every model, plus held-out sets and manifest
//! cargo run --release -p tao-playground --bin tao-train -- --only digits-s --out /tmp/m
//! ```
//! The datasets are fetched (once) by `scripts/fetch-datasets`, which this program runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use tao_playground::challenge::score;
use tao_playground::ops::{forward, Kernel};
use tao_playground::train::{self, context_of, digit_input, Digit};
use tao_playground::{encode_model, text, DType, Model, Task};

/// Characters of held-out text shipped (the validator's text challenges and the documented loss).
const TEXT_HELDOUT_CHARS: usize = 10_000;

fn data_dir(root: &Path) -> Result<PathBuf, String> {
    let out = Command::new("python3")
        .arg(root.join("scripts/fetch-datasets"))
        .output()
        .map_err(|e| format!("cannot run scripts/fetch-datasets: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "scripts/fetch-datasets failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn eval(
    model: &Model,
    inputs: &[f32],
    targets: &[u8],
) -> Result<tao_playground::challenge::Score, String> {
    let out = forward(model, inputs, targets.len(), Kernel::Scalar).map_err(|e| e.to_string())?;
    score(model.task, &out, targets, None).map_err(|e| e.to_string())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("tao-train: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    // The crate's folder holds models/; the workspace root holds scripts/.
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    let out_dir = flag("--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir.join("models"));
    let only = flag("--only");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let data = data_dir(&root)?;
    let csv = std::fs::read_to_string(data.join("digits.csv")).map_err(|e| e.to_string())?;
    let (digits_train, digits_held) =
        train::split_digits(&train::parse_digits_csv(&csv).map_err(|e| e.to_string())?);
    let book = std::fs::read_to_string(data.join("moby-dick.txt")).map_err(|e| e.to_string())?;
    let ids = text::encode(&book);
    let split = ids.len() - ids.len() / 10;
    let (text_train, text_rest) = ids.split_at(split);
    // what ships is text; re-encoding it must give exactly the ids evaluated here
    let text_held_ids = text::encode(&text::decode(
        &text_rest[..TEXT_HELDOUT_CHARS.min(text_rest.len())],
    ));
    let text_held = text_held_ids.as_slice();
    eprintln!(
        "digits: {} train / {} held out; text: {} train / {} held out (shipped)",
        digits_train.len(),
        digits_held.len(),
        text_train.len(),
        text_held.len()
    );

    if only.is_none() {
        let mut held = Vec::with_capacity(digits_held.len() * 65);
        for d in &digits_held {
            held.extend_from_slice(&d.pixels);
            held.push(d.label);
        }
        std::fs::write(out_dir.join("digits-heldout.bin"), held).map_err(|e| e.to_string())?;
        std::fs::write(out_dir.join("text-heldout.txt"), text::decode(text_held))
            .map_err(|e| e.to_string())?;
    }
    let digit_inputs: Vec<f32> = digits_held.iter().flat_map(digit_input).collect();
    let digit_targets: Vec<u8> = digits_held.iter().map(|d: &Digit| d.label).collect();

    let mut manifest = Vec::new();
    let mut trained: Vec<(String, Model)> = Vec::new();
    for r in train::recipes() {
        if only.as_deref().is_some_and(|o| o != r.name) {
            continue;
        }
        let t0 = std::time::Instant::now();
        // an int8 recipe quantizes the f32 model of the same recipe (trained once)
        let base = trained
            .iter()
            .find(|(n, _)| r.int8 && format!("{n}-q8") == r.name)
            .map(|(_, m)| m.clone());
        let mut model = match (base, r.task) {
            (Some(m), _) => m,
            (None, Task::Digits) => {
                train::train_digits(&r, &digits_train).map_err(|e| e.to_string())?
            }
            (None, Task::Text) => train::train_text(&r, text_train).map_err(|e| e.to_string())?,
        };
        model.name = r.name.clone();
        let dtype = if r.int8 { DType::Int8 } else { DType::F32 };
        let bytes = encode_model(&model, dtype).map_err(|e| e.to_string())?;
        // evaluate what ships (the int8 model after rounding)
        let (shipped, _) = tao_playground::decode_model(&bytes).map_err(|e| e.to_string())?;
        let s = match r.task {
            Task::Digits => eval(&shipped, &digit_inputs, &digit_targets)?,
            Task::Text => {
                let ctx = shipped.input_dim();
                let inputs: Vec<f32> = (0..text_held.len())
                    .flat_map(|p| context_of(text_held, p, ctx))
                    .collect();
                eval(&shipped, &inputs, text_held)?
            }
        };
        eprintln!(
            "{:<12} {:>7} params {:>7} bytes  held-out accuracy {:.4}  log-likelihood {:.4} ({:.3} bits)  [{:.1}s]",
            r.name, shipped.param_count(), bytes.len(), s.accuracy, s.mean_log_likelihood, s.bits, t0.elapsed().as_secs_f64()
        );
        std::fs::write(out_dir.join(format!("{}.tmod", r.name)), &bytes)
            .map_err(|e| e.to_string())?;
        manifest.push(serde_json::json!({
            "name": r.name, "task": r.task, "dtype": dtype, "file": format!("{}.tmod", r.name),
            "bytes": bytes.len(), "params": shipped.param_count(), "layers": r.widths, "embed": r.embed, "sgd": r.sgd,
            "heldout": { "count": s.count, "accuracy": s.accuracy, "meanLogLikelihood": s.mean_log_likelihood, "bits": s.bits },
        }));
        trained.push((r.name.clone(), model));
    }
    if only.is_none() {
        let text = serde_json::to_string_pretty(&serde_json::json!({ "models": manifest }))
            .map_err(|e| e.to_string())?;
        std::fs::write(out_dir.join("manifest.json"), text + "\n").map_err(|e| e.to_string())?;
    }
    Ok(())
}
