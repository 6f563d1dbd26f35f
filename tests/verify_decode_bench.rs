#![cfg(not(target_arch = "wasm32"))]
//! Decode benchmark, native side (`scripts/bench-decode` runs it; never part of the test
//! command): the 1024-UID SN1 metagraph (`Option<Metagraph>`, 195 749 bytes) and the same block's
//! `Vec<NeuronInfoLite>`, decoded `TAO_BENCH_ITERS` times (default 200) after a warm-up; prints one
//! JSON line per input and form (typed decode, rendered JSON, columns decoded directly, columns via
//! typed objects) with the median and other percentiles in microseconds.
//!
//! `cargo test --release --test verify_decode_bench -- --ignored --nocapture`

use std::time::Instant;
use tao_engine::chain::columnar::{decode_columns_via_objects, decode_columns_with_limits};
use tao_engine::chain::registry::{decode_type, Wrapping};
use tao_engine::chain::render::RenderOpts;
use tao_engine::chain::scale::Limits;

fn fixture_bytes(name: &str) -> (String, Vec<u8>) {
    let path = format!("{}/tests/fixtures/chain/{name}", env!("CARGO_MANIFEST_DIR"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ty = doc["type"].as_str().unwrap().replace("<AccountId32>", "");
    let hex = doc["hex"].as_str().unwrap();
    (ty, tao_engine::chain::hex::decode(hex).unwrap())
}

#[test]
#[ignore = "benchmark; run through scripts/bench-decode"]
fn bench_decode() {
    let iters: usize = std::env::var("TAO_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    for name in [
        "finney_b6852344_sn1_metagraph.json",
        "finney_b6852344_sn1_neurons_lite.json",
    ] {
        let (ty, bytes) = fixture_bytes(name);
        for _ in 0..10 {
            decode_type(&ty, &bytes, Wrapping::Raw).unwrap();
        }
        for (label, render) in [
            ("native decode", false),
            ("native decode + render to JSON value", true),
        ] {
            let mut us: Vec<f64> = (0..iters)
                .map(|_| {
                    let t = Instant::now();
                    let d = decode_type(&ty, &bytes, Wrapping::Raw).unwrap();
                    if render {
                        std::hint::black_box(d.render(&RenderOpts::default()));
                    } else {
                        std::hint::black_box(d);
                    }
                    t.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            report(label, name, &ty, bytes.len(), iters, &mut us);
        }
        type Columnar = fn(
            &str,
            &[u8],
            Wrapping,
            Limits,
        )
            -> tao_engine::Result<Option<tao_engine::chain::columnar::Table>>;
        let forms: [(&str, Columnar); 2] = [
            (
                "native decode into columns (decode_columns)",
                decode_columns_with_limits,
            ),
            (
                "native decode into typed objects, then columns (decode_columns_via_objects)",
                decode_columns_via_objects,
            ),
        ];
        for (label, f) in forms {
            let mut us: Vec<f64> = (0..iters)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(f(&ty, &bytes, Wrapping::Raw, Limits::DEFAULT).unwrap());
                    t.elapsed().as_secs_f64() * 1e6
                })
                .collect();
            report(label, name, &ty, bytes.len(), iters, &mut us);
        }
    }
}

fn report(label: &str, name: &str, ty: &str, len: usize, iters: usize, us: &mut [f64]) {
    us.sort_by(f64::total_cmp);
    let p = |q: f64| us[((us.len() - 1) as f64 * q) as usize];
    println!(
        "BENCH {{\"impl\":\"{label}\",\"input\":\"{name}\",\"type\":\"{ty}\",\"bytes\":{len},\"iters\":{iters},\"median_us\":{:.1},\"p10_us\":{:.1},\"p90_us\":{:.1}}}",
        p(0.5),
        p(0.1),
        p(0.9)
    );
}
