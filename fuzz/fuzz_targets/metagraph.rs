#![no_main]
//! Metagraph family: `Option<Metagraph>`, `SelectiveMetagraph`, `SubnetState` (every input is tried as each).
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for t in [
        "Option<Metagraph>",
        "Metagraph",
        "SelectiveMetagraph",
        "Option<SubnetState>",
    ] {
        common::check(t, data);
    }
});
