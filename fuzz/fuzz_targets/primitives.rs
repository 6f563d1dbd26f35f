#![no_main]
//! Primitives and containers: every type name the registry knows, picked by the first byte, plus
//! the type-name parser on the raw text.
use libfuzzer_sys::fuzz_target;
use tao_engine::chain::registry::{decode_type, known_types, Wrapping};
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let types: Vec<&str> = known_types().collect();
    if let Some((t, rest)) = common::pick(&types, data) {
        common::check(t, rest);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_type(text, &[], Wrapping::Raw);
    }
});
