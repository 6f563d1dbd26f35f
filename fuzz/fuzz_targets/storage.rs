#![no_main]
//! Storage: key splitting (hash check, key recovery) and value decoding with defaults, for every
//! item of the epoch-replay table picked by the first byte; the second byte picks key or value.
use libfuzzer_sys::fuzz_target;
use tao_engine::chain::storage::ITEMS;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let item = &ITEMS[usize::from(sel) % ITEMS.len()];
    let Some((&mode, rest)) = rest.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let mut key = item.prefix().to_vec();
        key.extend_from_slice(rest);
        if let Ok(args) = item.split_key(&key) {
            assert_eq!(
                item.key(&args).expect("rebuild key"),
                key,
                "{}: key round trip",
                item.name
            );
        }
    } else {
        let _ = item.decode_value(Some(rest));
    }
});
