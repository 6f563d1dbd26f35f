#![no_main]
//! `replay block` on the committed parent/child pairs, with the parent's storage edited by the
//! input: values replaced by arbitrary bytes or marked absent, and the parent's runtime moved.
//! Every storage item the coinbase reads (pools, stakes, prices, buckets, epoch inputs) then goes
//! through its decoder and the block's arithmetic on hostile values: errors and mismatches are
//! fine, panics, hangs and huge allocations are what the fuzzer looks for.
//!
//! Input: one selector byte (pair = low bits; bit 7 set: the next byte moves the parent's
//! `spec_version` to 340 + byte), then edits of `[key index: u16 LE][length: u8][bytes]`, where the
//! index counts the pair's parent keys in order and length 255 marks the key absent (`null`).
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;
use std::sync::OnceLock;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::replay_block::replay_block;

const PAIRS: [(&str, &str); 3] = [
    (
        include_str!("../../data/replay/block_spec473_parent.json"),
        include_str!("../../data/replay/block_spec473_child.json"),
    ),
    (
        include_str!("../../data/replay/block_epoch_spec425_parent.json"),
        include_str!("../../data/replay/block_epoch_spec425_child.json"),
    ),
    (
        include_str!("../../data/replay/epoch_scenario_active_stake_parent.json"),
        include_str!("../../data/replay/epoch_scenario_active_stake_child.json"),
    ),
];

struct Pair {
    parent: Capture,
    child: Capture,
    keys: Vec<String>,
}

fn pairs() -> &'static [Pair] {
    static P: OnceLock<Vec<Pair>> = OnceLock::new();
    P.get_or_init(|| {
        PAIRS
            .iter()
            .map(|(p, c)| {
                let parent = Capture::from_json(p).expect("committed parent");
                let child = Capture::from_json(c).expect("committed child");
                let keys = parent.storage.keys().cloned().collect();
                Pair { parent, child, keys }
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, mut rest)) = data.split_first() else {
        return;
    };
    let pair = &pairs()[usize::from(sel & 0x7f) % PAIRS.len()];
    let mut parent = pair.parent.clone();
    if sel & 0x80 != 0 {
        if let Some((&s, tail)) = rest.split_first() {
            parent.spec_version = 340 + u32::from(s);
            rest = tail;
        }
    }
    while let [lo, hi, len, tail @ ..] = rest {
        let key = &pair.keys[usize::from(u16::from_le_bytes([*lo, *hi])) % pair.keys.len()];
        if *len == 255 {
            parent.storage.insert(key.clone(), None);
            rest = tail;
            continue;
        }
        let (bytes, tail) = tail.split_at(usize::from(*len).min(tail.len()));
        let mut hex = String::from("0x");
        for b in bytes {
            let _ = write!(hex, "{b:02x}");
        }
        parent.storage.insert(key.clone(), Some(hex));
        rest = tail;
    }
    let _ = replay_block(&parent, &pair.child);
});
