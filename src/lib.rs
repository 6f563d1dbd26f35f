#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod chain;
pub mod consensus;
pub mod emission;
pub mod error;
pub mod fixed;
pub mod pool;
pub mod runtime;
pub mod sim;
pub mod stake;

pub use error::{Error, ErrorCode, Result};
