//! Timelock ciphertexts as commit-reveal v3/v4 stores them, and their decryption with a verified
//! drand pulse.
//!
//! The bytes are arkworks' compressed serialisation of `tle::tlock::TLECiphertext<TinyBLS381>` at
//! the revision subtensor reveals with (ideal-lab5/timelock @ 5416406c, `tle/src/tlock.rs`):
//!
//! ```text
//! header.u      G2 point, 96 bytes compressed          (BF-IBE: r·P)
//! header.v      u64 LE length (32) ++ 32 bytes         (sigma ⊕ H2(e(r·P_pub, Q_id)))
//! header.w      u64 LE length (32) ++ 32 bytes         (key ⊕ H4(sigma))
//! body          u64 LE length ++ AESOutput {
//!                   ciphertext: u64 LE length ++ AES-256-GCM output (tag last),
//!                   nonce:      u64 LE length (12) ++ 12 bytes }
//! cipher_suite  u64 LE length ++ b"AES_GCM_"
//! ```
//!
//! The published `timelock` 0.3 crate keeps the same BF-IBE and AES-GCM but stores `v` and `w` as
//! bare 32-byte arrays, so this module reads the chain's layout itself (with bounded lengths: an
//! arkworks `Vec` read would trust a hostile length prefix) and hands the parsed parts to
//! `timelock`'s `IBESecret::decrypt` and `AESGCMBlockCipherProvider::decrypt`.
//!
//! Leniency mirrors the chain's reveal (`coinbase/reveal_commits.rs` @ 14bc6f9f): bytes after the
//! ciphertext, or after the AES output inside `body`, are ignored, and `cipher_suite` is not read.

use super::drand::VerifiedPulse;
use crate::chain::scale::Reader;
use crate::error::{Error, ErrorCode, Result};
use ark_bls12_381::G2Affine;
use ark_ec::AffineRepr;
use ark_serialize::CanonicalDeserialize;
use timelock::block_ciphers::{AESGCMBlockCipherProvider, AESOutput, BlockCipherProvider};
use timelock::engines::drand::TinyBLS381;
use timelock::ibe::fullident::{Ciphertext, IBESecret};

/// The parsed parts of a stored timelock ciphertext.
#[derive(Debug, Clone, PartialEq)]
pub struct TleCiphertext {
    u: G2Affine,
    v: [u8; 32],
    w: [u8; 32],
    aes_ciphertext: Vec<u8>,
    nonce: Vec<u8>,
    /// The declared cipher suite (`AES_GCM_` from every known producer; the chain does not read it).
    pub cipher_suite: Vec<u8>,
}

fn bad(why: impl Into<String>) -> Error {
    Error::field(ErrorCode::TimelockBadCiphertext, "ciphertext", why)
}

/// An arkworks `Vec<u8>`: u64 LE length, then the bytes (bounded by what is left).
fn ark_bytes<'a>(r: &mut Reader<'a>, what: &str) -> Result<&'a [u8]> {
    let at = r.position();
    let len = u64::from_le_bytes(
        r.array::<8>()
            .map_err(|_| bad(format!("{what}: truncated")))?,
    );
    let len = usize::try_from(len)
        .ok()
        .filter(|&l| l <= r.remaining())
        .ok_or_else(|| bad(format!("{what}: length {len} runs past the end")).at_offset(at))?;
    r.take(len)
        .map_err(|_| bad(format!("{what}: truncated")).at_offset(at))
}

fn hash32(r: &mut Reader<'_>, what: &str) -> Result<[u8; 32]> {
    let at = r.position();
    let b = ark_bytes(r, what)?;
    b.try_into().map_err(|_| {
        bad(format!(
            "{what}: {} bytes where the IBE header has 32",
            b.len()
        ))
        .at_offset(at)
    })
}

/// Parse the stored bytes (`TimelockedWeightCommits` entry's ciphertext). Errors:
/// `TIMELOCK_BAD_CIPHERTEXT` (field `ciphertext`, with the byte offset where it applies).
pub fn parse_ciphertext(bytes: &[u8]) -> Result<TleCiphertext> {
    let mut r = Reader::new(bytes);
    let point = r.take(96).map_err(|_| {
        bad(format!(
            "{} bytes: too short for a timelock ciphertext",
            bytes.len()
        ))
    })?;
    // Validating read: on the curve and in the prime-order subgroup.
    let u = G2Affine::deserialize_compressed(point).map_err(|e| {
        bad(format!("header point is not a G2 point of BLS12-381: {e}")).at_offset(0)
    })?;
    let v = hash32(&mut r, "header.v")?;
    let w = hash32(&mut r, "header.w")?;
    let body_at = r.position();
    let body = ark_bytes(&mut r, "body")?;
    let cipher_suite = ark_bytes(&mut r, "cipher_suite")?.to_vec();
    let mut b = Reader::new(body);
    let aes_ciphertext = ark_bytes(&mut b, "body.ciphertext")
        .map_err(|e| e.at_offset(body_at))?
        .to_vec();
    let nonce = ark_bytes(&mut b, "body.nonce")
        .map_err(|e| e.at_offset(body_at))?
        .to_vec();
    Ok(TleCiphertext {
        u,
        v,
        w,
        aes_ciphertext,
        nonce,
        cipher_suite,
    })
}

/// Decrypt a parsed ciphertext with a verified pulse of the same round.
///
/// Errors: `TIMELOCK_WRONG_ROUND` when the pulse is of another round than `round` (the commit's
/// declared reveal round); `TIMELOCK_BAD_CIPHERTEXT` when the round key does not open the header
/// (the ciphertext was made for another round, or its header was altered) or the AES-GCM tag does
/// not match (the body was altered).
pub fn decrypt(ct: &TleCiphertext, round: u64, pulse: &VerifiedPulse) -> Result<Vec<u8>> {
    if pulse.round() != round {
        return Err(Error::field(
            ErrorCode::TimelockWrongRound,
            "round",
            format!(
                "the commit reveals at drand round {round}; the pulse given is round {}",
                pulse.round()
            ),
        ));
    }
    let header = Ciphertext::<TinyBLS381> {
        u: ct.u.into_group(),
        v: ct.v,
        w: ct.w,
    };
    let key = IBESecret::<TinyBLS381>(pulse.point().into_group())
        .decrypt(&header)
        .map_err(|_| {
            bad(format!(
                "round {round}'s key does not open this ciphertext: it was encrypted for another \
                 round, or its header was altered"
            ))
        })?;
    if ct.nonce.len() != 12 {
        return Err(bad(format!(
            "AES-GCM nonce of {} bytes, expected 12",
            ct.nonce.len()
        )));
    }
    let out = AESOutput {
        ciphertext: ct.aes_ciphertext.clone(),
        nonce: ct.nonce.clone(),
    };
    AESGCMBlockCipherProvider::decrypt(out, key)
        .map_err(|_| bad("AES-GCM authentication failed: the encrypted body was altered"))
}
