//! WGSL compute kernels of the WebGPU backend (run from `crates/tao-engine-wasm/src/infer`): a tiled,
//! register-blocked dense layer (32x32 output tiles per 8x8 workgroup, 4x4 outputs per invocation,
//! K staged 16 at a time in workgroup memory; bias and ReLU fused) and a row softmax /
//! log-softmax.

/// `dense` entry point: bindings x, w, b, y (storage) and dims {m, k, n, act} (uniform).
pub const DENSE_WGSL: &str = include_str!("shaders/dense.wgsl");
/// `softmax` entry point: bindings v (storage, in place) and rows {m, n, mode, pad} (uniform).
pub const SOFTMAX_WGSL: &str = include_str!("shaders/softmax.wgsl");
/// Output tile edge of `dense` (one 8 x 8 workgroup per 32 x 32 tile of y).
pub const DENSE_TILE: u32 = 32;
/// Workgroup size of `softmax`.
pub const SOFTMAX_GROUP: u32 = 64;
/// Largest batch a backend accepts in one call (keeps dispatch counts under WebGPU's 65535).
pub const MAX_BATCH: usize = 65_536;
