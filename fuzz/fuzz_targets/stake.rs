#![no_main]
//! Stake and delegate family (current and legacy layouts), lock state, stake availability, headers.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

const TYPES: &[&str] = &[
    "Vec<StakeInfo>",
    "Vec<StakeInfoLegacy>",
    "Vec<(AccountId32,Vec<StakeInfo>)>",
    "Option<DelegateInfo>",
    "Vec<DelegateInfo>",
    "Vec<(DelegateInfo,(Compact<u16>,Compact<u64>))>",
    "Vec<(DelegateInfoLegacy,Compact<u64>)>",
    "LockState",
    "BTreeMap<AccountId32,BTreeMap<u16,StakeAvailability>>",
    "Header",
    "SafeFloat",
];

fuzz_target!(|data: &[u8]| {
    if let Some((t, rest)) = common::pick(TYPES, data) {
        common::check(t, rest);
    }
});
