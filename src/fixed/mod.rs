//! Fixed-point types and the chain's safe arithmetic, u16 quantization and vector/matrix helpers (port of subtensor `pallets/subtensor/src/epoch/math.rs`).
