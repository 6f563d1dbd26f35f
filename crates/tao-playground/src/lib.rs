//! Inference for the Subnet playground's miner models (no subtensor source: this module is the
//! playground's own, not a port). Tiny MLP digit classifiers and character-level language models,
//! trained deterministically by [`train`] (see `models/README.md`), stored in the [`format`]
//! below, run on the CPU by [`ops`] (a scalar reference and a 4-lane SIMD kernel that is
//! `core::arch::wasm32` f32x4 in wasm builds) and, from JS, on WebGPU by the WGSL kernels in
//! [`shaders`]. [`challenge`] makes seeded validator challenges and scores answers.

pub mod challenge;
pub mod format;
pub mod lanes;
pub mod model;
pub mod ops;
pub mod shaders;
pub mod shape;
pub mod shipped;
pub mod text;
pub mod train;

pub use format::{decode_model, encode_model, DType};
pub use model::{Activation, Dense, Embedding, Model, Task};
