//! What a timelocked weight commit holds once decrypted, and the storage it sits in.
//!
//! Plaintext (subtensor `coinbase/reveal_commits.rs` @ 14bc6f9f): SCALE
//! `WeightsTlockPayload { hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>, version_key: u64 }`,
//! or the older `LegacyWeightsTlockPayload { uids, values, version_key }`. The chain decodes
//! leniently (trailing bytes ignored) and in this order: the hotkey layout; if it decodes but its
//! `hotkey` is not a 32-byte account, the legacy layout; if the hotkey is an account other than the
//! committer, the commit is dropped. [`decode_payload`] follows that order exactly.
//!
//! Storage: `TimelockedWeightCommits[(netuid_index, epoch)]` is SCALE
//! `VecDeque<(AccountId32, u64 commit_block, BoundedVec<u8> ciphertext, u64 reveal_round)>`.

use crate::chain::scale::{decode_all, Codec, Reader};
use crate::chain::types::AccountId32;
use crate::error::{Error, ErrorCode, Result};

/// Which plaintext layout a commit used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PayloadFormat {
    /// `WeightsTlockPayload` (hotkey first): what the SDK commits today.
    Hotkey,
    /// `LegacyWeightsTlockPayload` (no hotkey).
    Legacy,
}

/// The weights a commit reveals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevealedWeights {
    /// Layout of the plaintext.
    pub format: PayloadFormat,
    /// The hotkey inside the payload (`Hotkey` layout only).
    pub hotkey: Option<AccountIdHex>,
    /// Uids, as committed.
    pub uids: Vec<u16>,
    /// Values, as committed (before the chain's max-upscale).
    pub values: Vec<u16>,
    /// Version key.
    pub version_key: u64,
}

/// An account serialised as `0x` hex (for the JSON/JS view of [`RevealedWeights`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountIdHex(pub AccountId32);

impl serde::Serialize for AccountIdHex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for AccountIdHex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AccountId32::from_hex(&s)
            .map(AccountIdHex)
            .map_err(serde::de::Error::custom)
    }
}

fn bad_payload(why: impl Into<String>) -> Error {
    Error::field(ErrorCode::TimelockBadPayload, "plaintext", why)
}

fn legacy(plain: &[u8]) -> Result<RevealedWeights> {
    let mut r = Reader::new(plain);
    let uids = <Vec<u16> as Codec>::decode(&mut r)?;
    let values = <Vec<u16> as Codec>::decode(&mut r)?;
    let version_key = <u64 as Codec>::decode(&mut r)?;
    Ok(RevealedWeights {
        format: PayloadFormat::Legacy,
        hotkey: None,
        uids,
        values,
        version_key,
    })
}

/// Decode a decrypted plaintext as the chain's reveal does. With `committer`, a payload whose
/// hotkey is another account is refused (`TIMELOCK_HOTKEY_MISMATCH`), as the chain drops it;
/// without, the payload's hotkey is returned for the caller to compare. A plaintext that neither
/// layout decodes is `TIMELOCK_BAD_PAYLOAD`.
pub fn decode_payload(plain: &[u8], committer: Option<&AccountId32>) -> Result<RevealedWeights> {
    let mut r = Reader::new(plain);
    let new = (|| -> Result<_> {
        let hotkey = <Vec<u8> as Codec>::decode(&mut r)?;
        let uids = <Vec<u16> as Codec>::decode(&mut r)?;
        let values = <Vec<u16> as Codec>::decode(&mut r)?;
        let version_key = <u64 as Codec>::decode(&mut r)?;
        Ok((hotkey, uids, values, version_key))
    })();
    let Ok((hotkey, uids, values, version_key)) = new else {
        return legacy(plain)
            .map_err(|e| bad_payload(format!("neither payload layout decodes: {}", e.message)));
    };
    // `T::AccountId::decode` reads the first 32 bytes of the hotkey field (any further are ignored).
    let Some(account) = hotkey.get(..32).and_then(|b| <[u8; 32]>::try_from(b).ok()) else {
        return legacy(plain).map_err(|_| {
            bad_payload(format!(
                "the hotkey field holds {} bytes, not an account, and the legacy layout does not decode",
                hotkey.len()
            ))
        });
    };
    let account = AccountId32(account);
    if let Some(who) = committer {
        if *who != account {
            return Err(Error::field(
                ErrorCode::TimelockHotkeyMismatch,
                "hotkey",
                format!(
                    "the payload names hotkey {}, the commit was made by {}: the chain drops it",
                    account.to_hex(),
                    who.to_hex()
                ),
            ));
        }
    }
    Ok(RevealedWeights {
        format: PayloadFormat::Hotkey,
        hotkey: Some(AccountIdHex(account)),
        uids,
        values,
        version_key,
    })
}

/// One queued timelocked commit as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCommit {
    /// The committing hotkey.
    pub who: AccountId32,
    /// Block of the commit.
    pub commit_block: u64,
    /// The timelock ciphertext.
    pub ciphertext: Vec<u8>,
    /// drand round that opens it.
    pub reveal_round: u64,
}

/// Decode a `TimelockedWeightCommits` storage value (every byte must be consumed).
pub fn decode_commit_queue(bytes: &[u8]) -> Result<Vec<StoredCommit>> {
    let entries = decode_all::<Vec<(AccountId32, u64, Vec<u8>, u64)>>(bytes)?;
    Ok(entries
        .into_iter()
        .map(
            |(who, commit_block, ciphertext, reveal_round)| StoredCommit {
                who,
                commit_block,
                ciphertext,
                reveal_round,
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(hotkey: Option<&[u8]>, uids: &[u16], values: &[u16], vk: u64) -> Vec<u8> {
        use parity_scale_codec::Encode;
        let mut out = Vec::new();
        if let Some(h) = hotkey {
            h.to_vec().encode_to(&mut out);
        }
        uids.to_vec().encode_to(&mut out);
        values.to_vec().encode_to(&mut out);
        vk.encode_to(&mut out);
        out
    }

    #[test]
    fn hotkey_layout_and_mismatch() {
        let hk = AccountId32([7; 32]);
        let p = enc(Some(&hk.0), &[1, 2], &[3, 4], 9);
        let r = decode_payload(&p, Some(&hk)).unwrap();
        assert_eq!(
            (r.format, r.uids, r.values, r.version_key),
            (PayloadFormat::Hotkey, vec![1, 2], vec![3, 4], 9)
        );
        let e = decode_payload(&p, Some(&AccountId32([8; 32]))).unwrap_err();
        assert_eq!(e.code, ErrorCode::TimelockHotkeyMismatch);
    }

    #[test]
    fn legacy_layout_falls_back_as_the_chain_does() {
        let p = enc(None, &[0, 2], &[5, 10], 3);
        let r = decode_payload(&p, Some(&AccountId32([1; 32]))).unwrap();
        assert_eq!(
            (r.format, r.uids, r.values, r.version_key),
            (PayloadFormat::Legacy, vec![0, 2], vec![5, 10], 3)
        );
        assert_eq!(
            decode_payload(&[0xff], None).unwrap_err().code,
            ErrorCode::TimelockBadPayload
        );
    }

    #[test]
    fn queue_round_trips() {
        use parity_scale_codec::Encode;
        let q = vec![([3u8; 32], 77u64, vec![1u8, 2, 3], 1000u64)];
        let got = decode_commit_queue(&q.encode()).unwrap();
        assert_eq!(got[0].who, AccountId32([3; 32]));
        assert_eq!((got[0].commit_block, got[0].reveal_round), (77, 1000));
        assert_eq!(got[0].ciphertext, vec![1, 2, 3]);
    }
}
