//! drand quicknet pulses: where they come from (a beacon's JSON answer or subtensor's
//! `Drand::Pulses` storage) and the check that a pulse's signature is drand's.
//!
//! Quicknet is "bls-unchained-g1-rfc9380": the group key is on G2, signatures on G1, and round `r`
//! signs `sha256(r as u64 big-endian)` hashed to G1 with RFC 9380's
//! `BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_`. A signature is valid when
//! `e(sig, g2) = e(H(m), pk)` (subtensor `pallets/drand/src/verifier.rs`, `QuicknetVerifier`,
//! @ 14bc6f9f). The `randomness` drand publishes beside it is `sha256(signature)`.
//!
//! The pairing, the hash to curve and the point decoding are arkworks' (`ark-bls12-381`) and
//! Ideal Labs' `timelock` engine; nothing here is hand-rolled curve arithmetic.

use crate::chain::scale::{Codec, Reader};
use crate::error::{Error, ErrorCode, Result};
use ark_bls12_381::{Bls12_381, G1Affine, G2Affine};
use ark_ec::pairing::{Pairing, PairingOutput};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_serialize::CanonicalDeserialize;
use sha2::{Digest, Sha256};
use timelock::engines::{drand::TinyBLS381, EngineBLS};

/// Quicknet's chain hash (what `api.drand.sh/{hash}/public/{round}` is addressed by).
pub const QUICKNET_CHAIN_HASH: &str =
    "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
/// Quicknet's group public key (compressed G2), as its `/info` publishes it.
pub const QUICKNET_PUBLIC_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
/// Quicknet's scheme id.
pub const QUICKNET_SCHEME: &str = "bls-unchained-g1-rfc9380";
/// Unix time of round 1.
pub const QUICKNET_GENESIS_TIME: u64 = 1_692_803_367;
/// Seconds between rounds.
pub const QUICKNET_PERIOD: u64 = 3;

/// A drand pulse as given: round, signature bytes and (optionally) the published randomness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulse {
    /// Round number.
    pub round: u64,
    /// Compressed G1 signature (48 bytes for quicknet).
    pub signature: Vec<u8>,
    /// `sha256(signature)` as drand publishes it; checked when present.
    pub randomness: Option<Vec<u8>>,
}

/// A pulse whose signature has been checked against the quicknet key: the only kind of key
/// [`super::decrypt_commit`] accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPulse {
    round: u64,
    signature: G1Affine,
    signature_bytes: [u8; 48],
}

impl VerifiedPulse {
    /// The round it signs.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// The signature point (the IBE secret of this round's identity).
    pub(crate) fn point(&self) -> G1Affine {
        self.signature
    }

    /// The compressed signature.
    pub fn signature_bytes(&self) -> [u8; 48] {
        self.signature_bytes
    }
}

/// The first quicknet round whose time is at or after `unix_seconds` (rounds start at 1).
pub fn round_at(unix_seconds: u64) -> u64 {
    unix_seconds
        .saturating_sub(QUICKNET_GENESIS_TIME)
        .div_ceil(QUICKNET_PERIOD)
        .saturating_add(1)
}

/// The message round `round` signs: `sha256(round.to_be_bytes())`.
pub fn round_message(round: u64) -> [u8; 32] {
    Sha256::digest(round.to_be_bytes()).into()
}

fn bad_sig(field: &str, why: impl Into<String>) -> Error {
    Error::field(ErrorCode::TimelockBadSignature, field, why)
}

/// Check a pulse: its signature must be a G1 point in the prime-order subgroup that verifies
/// against the quicknet key for its round, and `randomness` (when given) must be
/// `sha256(signature)`. Errors: `TIMELOCK_BAD_SIGNATURE` naming `signature` or `randomness`.
pub fn verify_pulse(p: &Pulse) -> Result<VerifiedPulse> {
    let bytes: [u8; 48] = p.signature.as_slice().try_into().map_err(|_| {
        bad_sig(
            "signature",
            format!(
                "{} bytes; a quicknet signature is a 48-byte compressed G1 point",
                p.signature.len()
            ),
        )
    })?;
    // deserialize_compressed validates: on the curve and in the prime-order subgroup.
    let sig = G1Affine::deserialize_compressed(&bytes[..])
        .map_err(|e| bad_sig("signature", format!("not a G1 point of BLS12-381: {e}")))?;
    if let Some(r) = &p.randomness {
        if r.as_slice() != Sha256::digest(bytes).as_slice() {
            return Err(bad_sig(
                "randomness",
                "randomness is not sha256(signature): the pulse was altered",
            ));
        }
    }
    let pk = quicknet_key()?;
    let h: G1Affine =
        TinyBLS381::hash_to_signature_curve(&round_message(p.round)[..]).into_affine();
    // e(sig, g2) · e(-H(m), pk) = 1  ⇔  e(sig, g2) = e(H(m), pk)
    let check = Bls12_381::multi_pairing(
        [sig, (-h.into_group()).into_affine()],
        [G2Affine::generator(), pk],
    );
    if check != PairingOutput::<Bls12_381>::ZERO {
        return Err(bad_sig(
            "signature",
            format!(
                "not drand quicknet's signature of round {}: forged, altered or of another round",
                p.round
            ),
        ));
    }
    Ok(VerifiedPulse {
        round: p.round,
        signature: sig,
        signature_bytes: bytes,
    })
}

fn quicknet_key() -> Result<G2Affine> {
    let raw = crate::chain::hex::decode(QUICKNET_PUBLIC_KEY)?;
    G2Affine::deserialize_compressed(raw.as_slice())
        .map_err(|e| Error::new(ErrorCode::Internal, format!("quicknet key: {e}")))
}

fn hex_field(v: &serde_json::Value, key: &str) -> Result<Option<Vec<u8>>> {
    match v.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => crate::chain::hex::decode(s.trim())
            .map(Some)
            .map_err(|e| e.with_field(key)),
        Some(_) => Err(Error::field(
            ErrorCode::InvalidType,
            key,
            "expected a hex string",
        )),
    }
}

/// Parse a drand HTTP answer (`GET /{chain hash}/public/{round}`):
/// `{"round": 1000, "randomness": "…", "signature": "…"}` (hex with or without `0x`).
pub fn parse_beacon_json(text: &str) -> Result<Pulse> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, format!("beacon response: {e}")))?;
    let round = v
        .get("round")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "round", "no integer round"))?;
    let signature = hex_field(&v, "signature")?
        .ok_or_else(|| Error::field(ErrorCode::MissingField, "signature", "no signature"))?;
    Ok(Pulse {
        round,
        signature,
        randomness: hex_field(&v, "randomness")?,
    })
}

/// Decode a `Drand::Pulses` storage value (SCALE `Pulse { round: u64, randomness:
/// BoundedVec<u8, 32>, signature: BoundedVec<u8, 144> }`, subtensor `pallets/drand/src/types.rs`).
/// Every byte must be consumed. As the chain's reveal does, a `0x` prefix inside the stored
/// signature bytes is dropped.
pub fn decode_pulse_storage(bytes: &[u8]) -> Result<Pulse> {
    let mut r = Reader::new(bytes);
    let round = <u64 as Codec>::decode(&mut r).map_err(|e| e.within("round"))?;
    let randomness = <Vec<u8> as Codec>::decode(&mut r).map_err(|e| e.within("randomness"))?;
    let signature = <Vec<u8> as Codec>::decode(&mut r).map_err(|e| e.within("signature"))?;
    r.finish()?;
    let signature = match signature.strip_prefix(b"0x") {
        Some(s) => s.to_vec(),
        None => signature,
    };
    Ok(Pulse {
        round,
        signature,
        randomness: Some(randomness),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Public quicknet pulses (subtensor pallets/drand/src/tests.rs, pallets/commitments/src/mock.rs).
    const SIG_1000: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
    const RAND_1000: &str = "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd";

    fn pulse(round: u64, sig: &str) -> Pulse {
        Pulse {
            round,
            signature: crate::chain::hex::decode(sig).unwrap(),
            randomness: None,
        }
    }

    #[test]
    fn real_pulse_verifies_and_wrong_round_does_not() {
        assert_eq!(verify_pulse(&pulse(1000, SIG_1000)).unwrap().round(), 1000);
        let e = verify_pulse(&pulse(1001, SIG_1000)).unwrap_err();
        assert_eq!(e.code, ErrorCode::TimelockBadSignature);
    }

    #[test]
    fn randomness_is_checked() {
        let mut p = pulse(1000, SIG_1000);
        p.randomness = Some(crate::chain::hex::decode(RAND_1000).unwrap());
        assert!(verify_pulse(&p).is_ok());
        p.randomness = Some(vec![0; 32]);
        assert_eq!(
            verify_pulse(&p).unwrap_err().field.as_deref(),
            Some("randomness")
        );
    }

    #[test]
    fn storage_value_round_trips_the_chain_layout() {
        let mut bytes = 1000u64.to_le_bytes().to_vec();
        bytes.push(32 << 2);
        bytes.extend(crate::chain::hex::decode(RAND_1000).unwrap());
        bytes.push(48 << 2);
        bytes.extend(crate::chain::hex::decode(SIG_1000).unwrap());
        let p = decode_pulse_storage(&bytes).unwrap();
        assert!(verify_pulse(&p).is_ok());
        bytes.push(0);
        assert_eq!(
            decode_pulse_storage(&bytes).unwrap_err().code,
            ErrorCode::TrailingBytes
        );
    }

    #[test]
    fn round_times() {
        assert_eq!(round_at(QUICKNET_GENESIS_TIME), 1);
        assert_eq!(round_at(QUICKNET_GENESIS_TIME + 3), 2);
        assert_eq!(round_at(QUICKNET_GENESIS_TIME + 4), 3);
    }
}
