//! Commit-reveal v3/v4: timelocked weight commits, opened with drand quicknet pulses, and the
//! epoch their reveal will produce.
//!
//! Validators commit weights encrypted to a future drand round (BF-IBE, Boneh–Franklin identity
//! encryption where the identity is the round and its key is drand's BLS signature of it). Once
//! the round is published anyone can open them, before the chain reveals them at the start of the
//! reveal epoch (subtensor `coinbase/reveal_commits.rs` @ 14bc6f9f).
//!
//! * [`drand`]: pulses (beacon JSON or `Drand::Pulses` storage) and their BLS check;
//! * [`tle`]: the stored ciphertext layout and its decryption;
//! * [`payload`]: the plaintext (`WeightsTlockPayload`, legacy layout) and the commit queue;
//! * [`preview`]: the weights the reveals set and the next epoch's incentive and dividends beside
//!   the current epoch's.
//!
//! Crates: Ideal Labs' `timelock` (BF-IBE, AES-GCM, the quicknet hash to curve) and arkworks'
//! `ark-bls12-381` (points, pairing); both no_std, so the same code runs in wasm.

pub mod drand;
pub mod payload;
pub mod preview;
pub mod tle;

pub use drand::{decode_pulse_storage, parse_beacon_json, verify_pulse, Pulse, VerifiedPulse};
pub use payload::{
    decode_commit_queue, decode_payload, PayloadFormat, RevealedWeights, StoredCommit,
};
pub use preview::{
    preview_next_epoch, NextEpochPreview, RevealOutcome, RevealRules, RevealStatus,
    TimelockedCommit,
};

use crate::chain::types::AccountId32;
use crate::error::Result;

/// Open one commit: parse the ciphertext, decrypt it with a verified pulse of its round, and
/// decode the plaintext as the chain does (the hotkey check against `committer` when given).
pub fn decrypt_commit(
    ciphertext: &[u8],
    round: u64,
    pulse: &VerifiedPulse,
    committer: Option<&AccountId32>,
) -> Result<RevealedWeights> {
    let ct = tle::parse_ciphertext(ciphertext)?;
    let plain = tle::decrypt(&ct, round, pulse)?;
    decode_payload(&plain, committer)
}
