//! The hashers substrate uses for storage keys, block hashes and runtime-API ids
//! (`sp-crypto-hashing`): xxHash64 (seed 0, 1, ...) concatenated little-endian, and BLAKE2b with the
//! output length as a parameter (not a truncation of a longer digest).

use blake2::digest::consts::{U16, U32, U64, U8};
use blake2::{Blake2b, Digest};
use twox_hash::XxHash64;

/// BLAKE2b with an 8-byte output (runtime-API ids).
pub fn blake2_64(data: &[u8]) -> [u8; 8] {
    Blake2b::<U8>::digest(data).into()
}

/// BLAKE2b with a 16-byte output (`Blake2_128Concat` keys).
pub fn blake2_128(data: &[u8]) -> [u8; 16] {
    Blake2b::<U16>::digest(data).into()
}

/// BLAKE2b-256 (block hashes, commit hashes).
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(data).into()
}

/// BLAKE2b-512 (SS58 checksums).
pub fn blake2_512(data: &[u8]) -> [u8; 64] {
    Blake2b::<U64>::digest(data).into()
}

/// xxHash64 with seed 0, little-endian (`Twox64Concat` keys).
pub fn twox_64(data: &[u8]) -> [u8; 8] {
    XxHash64::oneshot(0, data).to_le_bytes()
}

/// xxHash64 seeds 0 and 1 concatenated, little-endian (pallet and item prefixes).
pub fn twox_128(data: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let (a, b) = out.split_at_mut(8);
    a.copy_from_slice(&XxHash64::oneshot(0, data).to_le_bytes());
    b.copy_from_slice(&XxHash64::oneshot(1, data).to_le_bytes());
    out
}

/// xxHash64 seeds 0 to 3 concatenated, little-endian (`Twox256` storage keys).
pub fn twox_256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (seed, chunk) in (0u64..).zip(out.chunks_exact_mut(8)) {
        chunk.copy_from_slice(&XxHash64::oneshot(seed, data).to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::hex;

    #[test]
    fn known_prefixes_and_ids() {
        assert_eq!(
            hex::encode(&twox_128(b"SubtensorModule")),
            "0x658faa385070e074c85bf6b568cf0555"
        );
        assert_eq!(
            hex::encode(&twox_128(b"Weights")),
            "0xa1e7036061f484bc3048a64b64e35ec4"
        );
        assert_eq!(
            hex::encode(&blake2_64(b"SubnetInfoRuntimeApi")),
            "0x8375104b299b74c5"
        );
        assert_eq!(hex::encode(&blake2_64(b"Core")), "0xdf6acb689907609b");
        assert_eq!(twox_256(b"Sudo")[..16], twox_128(b"Sudo"));
        // MechanismCountCurrent(1) key suffix: Twox64Concat(0x0100).
        assert_eq!(hex::encode(&twox_64(&[1, 0])), "0xf1577fbf1d628fdd");
    }
}
