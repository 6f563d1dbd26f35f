//! Storage keys.
