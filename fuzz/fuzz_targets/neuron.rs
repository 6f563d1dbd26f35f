#![no_main]
//! Neuron family: `NeuronInfo`, `NeuronInfoLite` (and vectors), axons, prometheus.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for t in [
        "Option<NeuronInfo>",
        "NeuronInfoLite",
        "Vec<NeuronInfoLite>",
        "Vec<NeuronInfo>",
        "AxonInfo",
        "PrometheusInfo",
    ] {
        common::check(t, data);
    }
});
