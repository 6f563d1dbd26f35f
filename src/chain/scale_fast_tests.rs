//! The fast leaves of [`super`] against parity-scale-codec: for random values of every width
//! (encoded by the library) and random byte strings, the fast path and the library decode the
//! same bytes to the same value and length, and the fast path declines exactly where the library
//! fails.

use super::*;
use crate::fixed::splitmix;
use parity_scale_codec::{Compact, Decode, Encode};
use proptest::prelude::*;

/// The library's `(value, bytes taken)`, `None` where it fails.
fn lib<T: Decode>(s: &[u8]) -> Option<(T, usize)> {
    let mut input = s;
    let v = T::decode(&mut input).ok()?;
    Some((v, s.len() - input.len()))
}

/// Every leaf's fast path and library decode of `s` agree.
fn check(s: &[u8]) {
    let c = |r: Option<(Compact<u64>, usize)>| r.map(|(v, n)| (v.0, n));
    assert_eq!(
        compact_u64(s, 4, u64::from(u8::MAX)),
        lib::<Compact<u8>>(s).map(|(v, n)| (u64::from(v.0), n)),
        "Compact<u8> {s:02x?}"
    );
    assert_eq!(
        compact_u64(s, 4, u64::from(u16::MAX)),
        lib::<Compact<u16>>(s).map(|(v, n)| (u64::from(v.0), n)),
        "Compact<u16> {s:02x?}"
    );
    assert_eq!(
        compact_u64(s, 4, u64::from(u32::MAX)),
        lib::<Compact<u32>>(s).map(|(v, n)| (u64::from(v.0), n)),
        "Compact<u32> {s:02x?}"
    );
    assert_eq!(
        compact_u64(s, 8, u64::MAX),
        c(lib::<Compact<u64>>(s)),
        "Compact<u64> {s:02x?}"
    );
    assert_eq!(
        compact_u128(s),
        lib::<Compact<u128>>(s).map(|(v, n)| (v.0, n)),
        "Compact<u128> {s:02x?}"
    );
    assert_eq!(bool_at(s), lib::<bool>(s).map(|(v, _)| v), "bool {s:02x?}");
    assert_eq!(le_u16(s), lib::<u16>(s).map(|(v, _)| v));
    assert_eq!(le_u32(s), lib::<u32>(s).map(|(v, _)| v));
    assert_eq!(le_u64_fixed(s), lib::<u64>(s).map(|(v, _)| v));
    assert_eq!(le_u128(s), lib::<u128>(s).map(|(v, _)| v));
}

/// A value of `bits` significant bits at most (boundaries of every mode get hit often).
fn value(bits: u32, raw: u128) -> u128 {
    if bits == 0 {
        0
    } else {
        raw >> (128 - bits)
    }
}

#[test]
fn every_prefix_with_every_short_body() {
    let mut next = splitmix(7);
    for prefix in 0..=255u8 {
        for len in 0..=18usize {
            for fill in [0x00u8, 0xff, 0x01, 0x80] {
                let mut s = vec![prefix];
                s.resize(len + 1, fill);
                check(&s);
                // The same with the top byte zero (non-canonical in big-integer mode).
                if let Some(b) = s.get_mut(len) {
                    *b = 0;
                }
                check(&s);
            }
            let mut s = vec![prefix];
            s.extend((0..len).map(|_| next() as u8));
            check(&s);
        }
    }
}

#[test]
fn random_byte_strings() {
    let mut next = splitmix(0x5ca1e);
    for _ in 0..200_000 {
        let len = (next() % 20) as usize;
        let s: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        check(&s);
    }
}

proptest! {
    /// Encodings of random values of each width decode to the value, taking every byte.
    #[test]
    fn encoded_values_round_trip(bits in 0u32..=128, raw in any::<u128>(), tail in any::<[u8; 3]>()) {
        let x = value(bits, raw);
        let mut s = Compact(x).encode();
        let len = s.len();
        prop_assert_eq!(compact_u128(&s), Some((x, len)));
        if let Ok(x64) = u64::try_from(x) {
            let e = Compact(x64).encode();
            prop_assert_eq!(compact_u64(&e, 8, u64::MAX), Some((x64, e.len())));
        }
        if let Ok(x32) = u32::try_from(x) {
            let e = Compact(x32).encode();
            prop_assert_eq!(compact_u64(&e, 4, u64::from(u32::MAX)), Some((u64::from(x32), e.len())));
        }
        if let Ok(x16) = u16::try_from(x) {
            let e = Compact(x16).encode();
            prop_assert_eq!(compact_u64(&e, 4, u64::from(u16::MAX)), Some((u64::from(x16), e.len())));
        }
        s.extend_from_slice(&tail);
        check(&s);
        // Every truncation is declined exactly where the library fails.
        for cut in 0..s.len() {
            check(&s[..cut]);
        }
    }

    /// Arbitrary bytes: the same value and length, or both decline.
    #[test]
    fn arbitrary_bytes_agree(s in proptest::collection::vec(any::<u8>(), 0..24)) {
        check(&s);
    }
}
