//! The JavaScript boundary: the only module that imports wasm-bindgen, js-sys or web-sys.
//!
//! Every wrapper converts its inputs (`convert`), calls the core, and converts the result back.
//! Errors leave as real JS `Error`/`RangeError` objects with a stable `code`, the offending `field`
//! and, for decoders, a byte `offset`. Amounts that can exceed 2^53 leave as `bigint`.

mod capture;
mod chain;
mod columnar;
mod consensus;
pub mod convert;
mod emission;
mod history;
mod infer;
mod info;
mod live;
mod pool;
pub mod replay;
mod retention;
mod runtime;
mod sim;
mod timelock;
#[cfg(feature = "vectors")]
mod vectors;

#[cfg(feature = "panic-hook")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
