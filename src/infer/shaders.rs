//! WGSL compute kernels of the WebGPU backend (run from `src/wasm/infer`): a tiled dense layer
//! (16x16 tiles in workgroup memory, bias and ReLU fused) and a row softmax / log-softmax.

/// `dense` entry point: bindings x, w, b, y (storage) and dims {m, k, n, act} (uniform).
pub const DENSE_WGSL: &str = include_str!("shaders/dense.wgsl");
/// `softmax` entry point: bindings v (storage, in place) and rows {m, n, mode, pad} (uniform).
pub const SOFTMAX_WGSL: &str = include_str!("shaders/softmax.wgsl");
/// Tile edge of `dense` (workgroup 16 x 16).
pub const DENSE_TILE: u32 = 16;
/// Workgroup size of `softmax`.
pub const SOFTMAX_GROUP: u32 = 64;
/// Largest batch a backend accepts in one call (keeps dispatch counts under WebGPU's 65535).
pub const MAX_BATCH: usize = 65_536;
