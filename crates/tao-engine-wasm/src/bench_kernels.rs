//! Benchmark-only export: the epoch's simd128 lane kernels (`tao_engine::fixed::simd`) timed
//! inside wasm, kernel by kernel, on the inputs of an `n`-uid subnet
//! (`tao_engine::consensus::bench::KernelData`). `scripts/bench` calls it on the SIMD package and
//! on the scalar build in one run and reports each kernel's scalar/SIMD ratio
//! (`simd_speedup.kernel_*` in `target-bench/bench.json`). It also returns a digest of the
//! benchmark epoch's full output, so the script can check that both builds give the same bits.
//! Not part of the protocol API: it measures the engine, not the JS boundary. Feature `bench`:
//! in the full build (`tao-engine/full`, which scripts/bench loads), not in the core entry.

use super::convert::{js_error, to_u16, to_u32};
use serde::Serialize;
use std::hint::black_box;
use tao_engine::consensus::bench::{
    bench_epoch_output, output_digest, steady_state_subnet, KernelData, KERNELS,
};
use tao_engine::error::{Error, ErrorCode};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// What `benchEpochKernels` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KernelTimes {
    /// Kernel names, in the order of `times_ms`.
    kernels: Vec<&'static str>,
    /// Per kernel, the milliseconds of each run.
    times_ms: Vec<Vec<f64>>,
    /// `output_digest` (hex) of the benchmark epoch's output (Yuma3, liquid alpha).
    epoch_digest: String,
}

/// Benchmark helper: time the epoch's lane kernels (`sum`, `quantise_u16`, `mask`,
/// `ema_liquid`, `max_upscale_u16`), each over the `n × validators` entries of an `n`-uid
/// subnet with `validators` validators, `runs` times, round robin, with `performance.now()`.
/// Returns `{ kernels, timesMs, epochDigest }`: per kernel the milliseconds of each run (take the
/// median), and a digest of that subnet's benchmark epoch output (equal in every build).
///
/// @example
/// ```ts
/// const { kernels, timesMs, epochDigest } = benchEpochKernels(1024, 64, 25);
/// ```
#[wasm_bindgen(
    js_name = benchEpochKernels,
    unchecked_return_type = "{ kernels: string[]; timesMs: number[][]; epochDigest: string }"
)]
pub fn bench_epoch_kernels(
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] validators: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] runs: JsValue,
) -> Result<JsValue, JsValue> {
    let n = to_u16(&n, "n").map_err(js_error)?;
    let validators = to_u16(&validators, "validators").map_err(js_error)?;
    let runs = to_u32(&runs, "runs").map_err(js_error)?;
    if runs > 10_000 {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "runs",
            format!("{runs} is above 10000"),
        )));
    }
    // The subnet bounds n (TOO_MANY_UIDS); the kernel inputs are bounded here, before anything
    // is allocated from them.
    if u32::from(n) * u32::from(validators.min(n)) > 1 << 20 {
        return Err(js_error(Error::field(
            ErrorCode::OutOfRange,
            "validators",
            format!("{n} uids × {validators} validators is above 2^20 entries"),
        )));
    }
    let s = steady_state_subnet(n, validators, true).map_err(js_error)?;
    let out = bench_epoch_output(&s).map_err(js_error)?;
    let digest = output_digest(&out);
    let mut data = KernelData::new(n, validators);
    let mut times_ms = vec![Vec::with_capacity(runs as usize); KERNELS.len()];
    for k in 0..KERNELS.len() {
        black_box(data.run(k)); // warm-up
    }
    for _ in 0..runs {
        for (k, times) in times_ms.iter_mut().enumerate() {
            let t = performance_now();
            black_box(data.run(k));
            times.push(performance_now() - t);
        }
    }
    let result = KernelTimes {
        kernels: KERNELS.to_vec(),
        times_ms,
        epoch_digest: format!("{digest:016x}"),
    };
    serde_wasm_bindgen::to_value(&result)
        .map_err(|e| js_error(Error::new(ErrorCode::Internal, e.to_string())))
}
