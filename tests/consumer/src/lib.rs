//! The consumer: two exports that reach the core's issuance schedule and its runtime rules.

/// Block emission (rao) at `issuance` rao, as the chain computes it.
#[no_mangle]
pub extern "C" fn block_emission(issuance: u64) -> u64 {
    tao_engine::emission::block_emission(issuance)
}

/// 1 when the engine knows the rules of runtime `spec`, else 0.
#[no_mangle]
pub extern "C" fn knows_runtime(spec: u32) -> u32 {
    u32::from(tao_engine::runtime::Rules::for_spec(spec).is_ok())
}
