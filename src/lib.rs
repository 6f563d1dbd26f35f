#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod chain;
pub mod consensus;
pub mod emission;
pub mod error;
pub mod fixed;
pub mod infer;
pub mod pool;
pub mod runtime;
pub mod sim;
pub mod stake;
#[cfg(feature = "vectors")]
pub mod vectors;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode, Result};
