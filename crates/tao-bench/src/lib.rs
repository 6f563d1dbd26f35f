//! Benchmarks of tao-engine: `cargo bench -p tao-bench` and the `tao-bench` binary that
//! `scripts/bench` times beside the wasm builds. The library part is empty on purpose.
