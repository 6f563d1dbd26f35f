#![no_main]
//! Snapshot files: JSON parsing and checks, the read plan, and verification (decode of every
//! storage value, conversion to epoch inputs, the epoch itself) on arbitrary text.
use libfuzzer_sys::fuzz_target;
use tao_engine::chain::snapshot::Snapshot;
use tao_engine::chain::verify::verify_snapshot;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = Snapshot::from_json(text) {
        let _ = s.plan();
        // Keep runs bounded: the epoch is O(n^2) in the worst case.
        if s.inputs.len() < 4096 {
            let _ = verify_snapshot(&s);
        }
    }
});
