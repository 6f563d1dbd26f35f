//! Fixed-point types and the chain's epoch arithmetic.
//!
//! Port of `pallets/subtensor/src/epoch/math.rs` and the fixed-point part of
//! `primitives/safe-math/src/lib.rs` (opentensor/subtensor @ 14bc6f9f, spec 425), spec
//! `yuma-epoch.md` §1. The types are those of the crate the chain itself uses
//! (`substrate-fixed` 0.6.0), so rounding, saturation and `exp` are the chain's own.
//!
//! Conventions kept from the chain:
//! * `safe_div` on fixed types is `checked_div(..).unwrap_or_default()`: division by zero *and*
//!   overflowing division give 0.
//! * plain vector sums wrap (the runtime is built without overflow checks); every summed quantity
//!   of the epoch is bounded by `n`, so they never do in practice.
//! * helpers that the chain writes with `get(..).unwrap_or(..)` keep that tolerance of ragged
//!   input: a missing mask entry masks, a missing stake is 0, and so on.
//!
//! Sparse matrices are `[SparseRow]`: one row per uid, each a list of `(column, value)` in the
//! order produced by the previous step (the chain never sorts rows it did not build itself).

mod convert;
mod dense;
mod exp_bounds;
mod fast;
mod fused;
mod lane_scalar;
mod median;
mod ops;
mod quant;
mod recip;
pub mod serde_fixed;
pub mod simd;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod simd_tests;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd_wasm;
#[cfg(test)]
pub(crate) use test_rng::splitmix;
mod sparse;
#[cfg(test)]
mod test_rng;
mod vector;
pub mod wide;

pub use substrate_fixed::types::{I32F32, I64F64, I96F32, U64F64, U96F32};

pub use convert::*;
pub use dense::*;
pub use exp_bounds::*;
pub use fast::*;
pub use fused::*;
pub use median::*;
pub use ops::*;
pub use quant::*;
pub use recip::*;
pub use sparse::*;
pub use vector::*;

/// One row of a sparse matrix: `(column, value)` pairs in row order.
pub type SparseRow = Vec<(u16, I32F32)>;

/// One row of a dense matrix.
pub type DenseRow = Vec<I32F32>;
