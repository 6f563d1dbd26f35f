#![no_main]
//! Subnet family: subnet info (v1, v2), hyperparameters (v1, v2, v3 entries), dynamic info, identities.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

const TYPES: &[&str] = &[
    "Option<SubnetInfo>",
    "Vec<Option<SubnetInfo>>",
    "Option<SubnetInfov2>",
    "Option<SubnetHyperparams>",
    "Option<SubnetHyperparamsV2>",
    "Option<Vec<HyperparamEntry>>",
    "Option<DynamicInfo>",
    "Vec<Option<DynamicInfo>>",
    "SubnetIdentityV3",
    "ChainIdentityV2",
];

fuzz_target!(|data: &[u8]| {
    if let Some((t, rest)) = common::pick(TYPES, data) {
        common::check(t, rest);
    }
});
