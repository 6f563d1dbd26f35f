//! 32-byte accounts and hashes; SS58 addresses.
//!
//! SS58 (substrate `sp-core/src/crypto.rs`, `Ss58Codec`): base58 of `prefix ++ pubkey ++
//! checksum[..2]`, checksum = blake2b-512(`"SS58PRE" ++ prefix ++ pubkey`). Prefix 42 is the
//! generic Substrate format Bittensor uses; prefixes 64..16383 take two bytes.

use crate::chain::hashing::blake2_512;
use crate::chain::scale::{Codec, Reader};
use crate::error::{Error, ErrorCode, Result};
use core::fmt;

#[cfg(feature = "render")]
use crate::chain::render::RenderOpts;
#[cfg(feature = "render")]
use serde_json::Value;

/// The generic Substrate / Bittensor SS58 prefix.
pub const SS58_PREFIX: u16 = 42;

/// An sr25519/ed25519 public key (`AccountId32`): 32 raw bytes, no length prefix.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AccountId32(pub [u8; 32]);

/// A 32-byte hash (`H256`: block hashes, state roots, commit hashes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct H256(pub [u8; 32]);

impl AccountId32 {
    /// The all-zero account (the default of account-valued storage items).
    pub const ZERO: AccountId32 = AccountId32([0; 32]);

    /// `0x` + 64 hex digits.
    pub fn to_hex(&self) -> String {
        crate::chain::hex::encode(&self.0)
    }

    /// From `0x` + 64 hex digits (`INVALID_HEX` otherwise).
    pub fn from_hex(text: &str) -> Result<Self> {
        crate::chain::hex::decode_array::<32>(text).map(AccountId32)
    }

    /// SS58 address with the given network prefix (42 for Bittensor).
    pub fn to_ss58(&self, prefix: u16) -> String {
        let mut payload = ss58_prefix_bytes(prefix);
        payload.extend_from_slice(&self.0);
        let sum = ss58_checksum(&payload);
        payload.extend_from_slice(&sum);
        bs58::encode(payload).into_string()
    }

    /// Parse an SS58 address; returns the account and its network prefix. A bad character, length
    /// or checksum is `INVALID_TYPE`.
    pub fn from_ss58(text: &str) -> Result<(Self, u16)> {
        let bad = |why: &str| {
            Error::new(
                ErrorCode::InvalidType,
                format!("not an SS58 address: {why}"),
            )
        };
        let raw = bs58::decode(text.trim())
            .into_vec()
            .map_err(|e| bad(&e.to_string()))?;
        let (prefix, prefix_len) = match raw.first() {
            Some(&b) if b < 64 => (u16::from(b), 1usize),
            Some(&b) if b < 128 => {
                let second = *raw.get(1).ok_or_else(|| bad("truncated"))?;
                let lower = (b << 2) | (second >> 6);
                let upper = second & 0b0011_1111;
                (u16::from(lower) | (u16::from(upper) << 8), 2)
            }
            _ => return Err(bad("reserved prefix")),
        };
        let key_end = prefix_len.saturating_add(32);
        if raw.len() != key_end.saturating_add(2) {
            return Err(bad("wrong length for a 32-byte account"));
        }
        let body = raw.get(..key_end).ok_or_else(|| bad("truncated"))?;
        let sum = raw.get(key_end..).ok_or_else(|| bad("truncated"))?;
        if ss58_checksum(body) != sum {
            return Err(bad("checksum mismatch"));
        }
        let key = raw
            .get(prefix_len..key_end)
            .ok_or_else(|| bad("truncated"))?;
        let key = <[u8; 32]>::try_from(key).map_err(|_| bad("truncated"))?;
        Ok((AccountId32(key), prefix))
    }

    /// Parse either `0x` hex or an SS58 address.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.starts_with("0x") || t.starts_with("0X") {
            Self::from_hex(t)
        } else {
            Self::from_ss58(t).map(|(a, _)| a)
        }
    }
}

fn ss58_prefix_bytes(prefix: u16) -> Vec<u8> {
    let prefix = prefix & 0b0011_1111_1111_1111;
    if prefix < 64 {
        vec![prefix as u8]
    } else {
        let first = (((prefix & 0b0000_0000_1111_1100) as u8) >> 2) | 0b0100_0000;
        let second = ((prefix >> 8) as u8) | (((prefix & 0b0000_0000_0000_0011) as u8) << 6);
        vec![first, second]
    }
}

fn ss58_checksum(payload: &[u8]) -> [u8; 2] {
    let mut pre = Vec::with_capacity(payload.len().saturating_add(7));
    pre.extend_from_slice(b"SS58PRE");
    pre.extend_from_slice(payload);
    let h = blake2_512(&pre);
    [h[0], h[1]]
}

impl H256 {
    /// `0x` + 64 hex digits.
    pub fn to_hex(&self) -> String {
        crate::chain::hex::encode(&self.0)
    }

    /// From `0x` + 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Self> {
        crate::chain::hex::decode_array::<32>(text).map(H256)
    }
}

impl fmt::Debug for AccountId32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Display for AccountId32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_ss58(SS58_PREFIX))
    }
}

impl fmt::Debug for H256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Codec for AccountId32 {
    type Value = AccountId32;
    const MIN_LEN: usize = 32;
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.array::<32>().map(AccountId32)
    }
    fn encode_to(v: &Self, out: &mut Vec<u8>) {
        out.extend_from_slice(&v.0);
    }
    #[cfg(feature = "render")]
    fn render(v: &Self, opts: &RenderOpts) -> Value {
        Value::String(match opts.ss58_prefix {
            Some(p) => v.to_ss58(p),
            None => v.to_hex(),
        })
    }
}

impl Codec for H256 {
    type Value = H256;
    const MIN_LEN: usize = 32;
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.array::<32>().map(H256)
    }
    fn encode_to(v: &Self, out: &mut Vec<u8>) {
        out.extend_from_slice(&v.0);
    }
    #[cfg(feature = "render")]
    fn render(v: &Self, _opts: &RenderOpts) -> Value {
        Value::String(v.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

    #[test]
    fn alice_ss58() {
        let a = AccountId32::from_hex(ALICE).unwrap();
        assert_eq!(
            a.to_ss58(42),
            "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        );
        let (b, p) =
            AccountId32::from_ss58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY").unwrap();
        assert_eq!((b, p), (a, 42));
        assert_eq!(AccountId32::parse(ALICE).unwrap(), a);
        // Two-byte prefix round trip (Kusama-style ids above 63).
        let s = a.to_ss58(1000);
        assert_eq!(AccountId32::from_ss58(&s).unwrap(), (a, 1000));
    }

    #[test]
    fn bad_ss58_is_an_error() {
        assert!(
            AccountId32::from_ss58("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ").is_err()
        );
        assert!(AccountId32::from_ss58("0OIl").is_err());
        assert!(AccountId32::from_ss58("").is_err());
    }
}
