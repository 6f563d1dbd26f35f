//! The JavaScript boundary of tao-engine: the only crate that imports wasm-bindgen, js-sys or web-sys.
//!
//! Every wrapper converts its inputs (`convert`), calls the core, and converts the result back.
//! Errors leave as real JS `Error`/`RangeError` objects with a stable `code`, the offending `field`
//! and, for decoders, a byte `offset`. Amounts that can exceed 2^53 leave as `bigint`.
//!
//! Natively this crate is empty: everything in it is compiled for `wasm32` only.

#![cfg(target_arch = "wasm32")]
#![warn(missing_docs)]

#[cfg(feature = "chain")]
mod capture;
#[cfg(feature = "chain")]
mod chain;
#[cfg(feature = "chain")]
mod chain_types;
#[cfg(feature = "chain")]
mod columnar;
#[cfg(feature = "bench")]
mod bench_kernels;
mod consensus;
pub mod convert;
mod emission;
mod epoch_types;
#[cfg(feature = "history")]
mod history;
#[cfg(feature = "playground")]
mod infer;
mod info;
#[cfg(feature = "chain")]
mod live;
#[cfg(feature = "sim")]
mod network_sim;
mod pool;
mod pool_batch;
#[macro_use]
pub mod request;
#[cfg(feature = "chain")]
pub mod replay;
#[cfg(feature = "sim")]
mod retention;
mod runtime;
mod stake_preview;
#[cfg(feature = "chain")]
mod snapshot_state;
#[cfg(feature = "sim")]
mod sim;
#[cfg(feature = "sim")]
mod stake_parallel;
#[cfg(feature = "sim")]
mod stake_types;
#[cfg(feature = "timelock")]
mod timelock;
#[cfg(feature = "harness")]
mod vectors;

#[cfg(feature = "panic-hook")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
