// Shared by every target: decode by type name; on success the value must re-encode to bytes that
// decode to the same encoding again, and rendering must not panic. Errors are fine; panics,
// hangs and huge allocations are what the fuzzer looks for.
use tao_engine::chain::registry::{decode_type, Wrapping};
use tao_engine::chain::render::RenderOpts;

pub fn check(type_name: &str, data: &[u8]) {
    for wrapping in [Wrapping::Raw, Wrapping::VecU8] {
        if let Ok(d) = decode_type(type_name, data, wrapping) {
            let bytes = d.encode();
            let again =
                decode_type(type_name, &bytes, Wrapping::Raw).expect("re-decode of own encoding");
            assert_eq!(again.encode(), bytes, "{type_name}: encoding not stable");
            let _ = d.render(&RenderOpts::default());
            let _ = d.render(&RenderOpts::SS58);
        }
    }
}

/// Pick one of `types` by the first byte; the rest is the payload.
pub fn pick<'a>(types: &[&'a str], data: &'a [u8]) -> Option<(&'a str, &'a [u8])> {
    let (&sel, rest) = data.split_first()?;
    Some((types[usize::from(sel) % types.len()], rest))
}
