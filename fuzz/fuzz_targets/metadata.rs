#![no_main]
//! Runtime metadata (`RuntimeMetadataPrefixed` V14/V15/V16): strict decode, then everything built
//! on it (summary, runtime version, type names, storage keys and defaults, constants, the engine
//! key-table comparison). Errors are fine; panics, hangs and huge allocations are not. A decode
//! that succeeds is canonical by construction (the decoder insists that the value re-encodes to
//! the input), so no round trip is checked here.
use libfuzzer_sys::fuzz_target;
use tao_engine::runtime::metadata;

fuzz_target!(|data: &[u8]| {
    let Ok(m) = metadata::decode(data) else {
        return;
    };
    let _ = m.summary();
    let _ = metadata::unread_storage(&m);
    let _ = metadata::engine_items_missing(&m);
    for p in &m.pallets {
        for e in &p.storage {
            let _ = m.type_name(e.value_ty);
            let _ = m.storage_key(&p.name, &e.name, &[]);
            if let Ok(Some(v)) = m.decode_storage(&p.name, &e.name, None) {
                let _ = v.to_json();
            }
        }
        for c in &p.constants {
            if let Ok(v) = m.constant_value(&p.name, &c.name) {
                let _ = v.to_json();
            }
        }
    }
    for a in &m.apis {
        for x in &a.methods {
            let _ = m.type_name(x.output);
        }
    }
});
