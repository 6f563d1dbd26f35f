//! "What the next epoch pays": open a subnet's timelocked commits with published drand pulses,
//! set the weights their reveal sets, and run the epoch that follows, beside the current one.
//!
//! The model, step by step (subtensor @ 14bc6f9f):
//! 1. the current epoch runs on the input as given (`run_epoch_under`);
//! 2. it persists what the next epoch reads: bonds, validator permits, consensus, and
//!    `LastMechansimStepBlock` (as `runEpochs` carries them); the epoch index advances;
//! 3. at the start of the next epoch the chain reveals the queue in order
//!    (`coinbase/reveal_commits.rs`): a commit whose round has no pulse stays queued; one that
//!    fails to decrypt or decode is dropped; the rest go through `do_set_mechanism_weights`
//!    (`subnets/weights.rs` `internal_set_weights`), whose checks are applied here as far as plain
//!    epoch data can express them — lengths, uid count, version key, validator permit (self weight
//!    and owner exempt), duplicates, uid range, minimum count, max weight limit — and whose stored
//!    row is the max-upscaled values in submission order. Registration of the hotkey and its
//!    minimum stake are taken as given;
//! 4. the next epoch runs `blocks_per_epoch` (default tempo + 1) blocks later.
//!
//! Stakes, registrations and everything else stay as in the input: the preview answers "if
//! nothing else changes, this is what the reveal makes the next epoch pay".

use super::drand::VerifiedPulse;
use super::payload::RevealedWeights;
use crate::chain::types::AccountId32;
use crate::consensus::{run_epoch_under, CommitVersion, EpochInput, EpochOutput};
use crate::error::{Error, ErrorCode, Result};
use crate::fixed::{check_vec_max_limited, vec_u16_max_upscale_to_u16};
use crate::runtime::Rules;

/// A queued timelocked commit, with the uid its hotkey holds on the subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelockedCommit {
    /// Uid of the committing hotkey.
    pub uid: u16,
    /// The committing hotkey; when given, the payload's hotkey must match it (as on chain).
    pub hotkey: Option<AccountId32>,
    /// Block of the commit (matches the live commit in `EpochInput::commits` it removes).
    pub commit_block: u64,
    /// Stored ciphertext.
    pub ciphertext: Vec<u8>,
    /// drand round that opens it.
    pub reveal_round: u64,
}

/// The subnet settings `do_set_mechanism_weights` checks that `EpochInput` does not carry.
/// The defaults check nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevealRules {
    /// `WeightsVersionKey` (0: any version key passes).
    pub weights_version_key: u64,
    /// `MinAllowedWeights` (capped at `n`, as the chain caps it).
    pub min_allowed_weights: u16,
    /// `MaxWeightsLimit` (u16::MAX: no limit).
    pub max_weight_limit: u16,
}

impl Default for RevealRules {
    fn default() -> Self {
        RevealRules {
            weights_version_key: 0,
            min_allowed_weights: 0,
            max_weight_limit: u16::MAX,
        }
    }
}

/// What happened to one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevealStatus {
    /// Decrypted, accepted, and its row stored.
    Applied,
    /// No pulse of its round was given: it stays queued (the chain retries every block).
    Pending,
    /// Could not be opened or decoded (a `TIMELOCK_*` error): the chain drops it.
    Failed(Error),
    /// Opened, but `do_set_mechanism_weights` refuses it: the chain's error name.
    Rejected(&'static str),
}

/// One commit's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealOutcome {
    /// Uid of the committer.
    pub uid: u16,
    /// Its drand round.
    pub reveal_round: u64,
    /// What happened.
    pub status: RevealStatus,
    /// The decrypted weights (when it could be opened).
    pub weights: Option<RevealedWeights>,
    /// The row stored (`Applied` only): `(uid, max-upscaled value)` in submission order.
    pub stored_row: Vec<(u16, u16)>,
}

/// The current epoch, the next one, and how each commit fared.
#[derive(Debug, Clone, PartialEq)]
pub struct NextEpochPreview {
    /// The epoch of the input as given.
    pub current: EpochOutput,
    /// The epoch after the reveals.
    pub next: EpochOutput,
    /// Block the next epoch runs at.
    pub next_block: u64,
    /// The input the next epoch ran on (carried-over state plus the revealed rows).
    pub next_input: EpochInput,
    /// Per commit, in queue order.
    pub reveals: Vec<RevealOutcome>,
}

fn is_self_weight(uid: u16, uids: &[u16], values: &[u16]) -> bool {
    values.len() == 1 && uids.first() == Some(&uid)
}

/// `internal_set_weights`' checks, in its order, on what plain epoch data holds.
fn refusal(
    input: &EpochInput,
    uid: u16,
    w: &RevealedWeights,
    rr: &RevealRules,
) -> Option<&'static str> {
    let n = usize::from(input.n);
    let (uids, values) = (&w.uids, &w.values);
    if uids.len() != values.len() {
        return Some("WeightVecNotEqualSize");
    }
    if uids.len() > n {
        return Some("UidsLengthExceedUidsInSubNet");
    }
    if rr.weights_version_key != 0 && w.version_key < rr.weights_version_key {
        return Some("IncorrectWeightVersionKey");
    }
    let self_weight = is_self_weight(uid, uids, values);
    let permitted = input
        .validator_permit
        .get(usize::from(uid))
        .copied()
        .unwrap_or(false);
    if !(self_weight || input.owner_uid == Some(uid) || permitted) {
        return Some("NeuronNoValidatorPermit");
    }
    let mut seen = vec![false; n];
    for &j in uids {
        match seen.get_mut(usize::from(j)) {
            Some(s) if *s => return Some("DuplicateUids"),
            Some(s) => *s = true,
            None => {}
        }
    }
    if uids.iter().any(|&j| usize::from(j) >= n) {
        return Some("UidVecContainInvalidOne");
    }
    let min_allowed = n.min(usize::from(rr.min_allowed_weights));
    if !self_weight && values.len() < min_allowed {
        return Some("WeightVecLengthIsLow");
    }
    let upscaled = vec_u16_max_upscale_to_u16(values);
    if !self_weight
        && rr.max_weight_limit != u16::MAX
        && !check_vec_max_limited(&upscaled, rr.max_weight_limit)
    {
        return Some("MaxWeightExceeded");
    }
    None
}

/// Open every commit whose round has a pulse, apply the reveals, and run the current and the next
/// epoch under `rules`. Errors: the input's own validation errors, and `UID_OUT_OF_RANGE` for a
/// commit's `uid` (field `commits[i].uid`); a commit that cannot be opened is reported in its
/// [`RevealOutcome`], not thrown, since the chain skips it and carries on.
pub fn preview_next_epoch(
    input: &EpochInput,
    rules: &Rules,
    commits: &[TimelockedCommit],
    pulses: &[VerifiedPulse],
    reveal_rules: &RevealRules,
    blocks_per_epoch: Option<u64>,
) -> Result<NextEpochPreview> {
    input.validate()?;
    let n = usize::from(input.n);
    for (i, c) in commits.iter().enumerate() {
        if usize::from(c.uid) >= n {
            return Err(Error::field(
                ErrorCode::UidOutOfRange,
                format!("commits[{i}].uid"),
                format!("uid {} is not below n = {n}", c.uid),
            ));
        }
    }
    let current = run_epoch_under(input, rules, false)?;

    let step = blocks_per_epoch
        .unwrap_or_else(|| u64::from(input.hyperparameters.tempo).saturating_add(1));
    let mut next = input.clone();
    next.last_mechanism_step_block = input.current_block;
    next.current_block = input.current_block.saturating_add(step);
    next.validator_permit.clone_from(&current.validator_permit);
    next.bonds.clone_from(&current.bonds);
    next.previous_consensus.clone_from(&current.consensus);
    next.current_epoch_index = input.current_epoch_index.saturating_add(1);
    if next.weights.len() != n {
        next.weights = vec![Vec::new(); n];
    }

    let mut reveals = Vec::with_capacity(commits.len());
    for c in commits {
        let mut outcome = RevealOutcome {
            uid: c.uid,
            reveal_round: c.reveal_round,
            status: RevealStatus::Pending,
            weights: None,
            stored_row: Vec::new(),
        };
        let Some(pulse) = pulses.iter().find(|p| p.round() == c.reveal_round) else {
            reveals.push(outcome);
            continue;
        };
        // Taken off the queue whatever happens next.
        next.commits.retain(|lc| {
            !(lc.version == CommitVersion::V4
                && lc.uid == c.uid
                && lc.commit_block == c.commit_block)
        });
        match super::decrypt_commit(&c.ciphertext, c.reveal_round, pulse, c.hotkey.as_ref()) {
            Err(e) => outcome.status = RevealStatus::Failed(e),
            Ok(w) => {
                if let Some(why) = refusal(&next, c.uid, &w, reveal_rules) {
                    outcome.status = RevealStatus::Rejected(why);
                } else {
                    let row: Vec<(u16, u16)> = w
                        .uids
                        .iter()
                        .copied()
                        .zip(vec_u16_max_upscale_to_u16(&w.values))
                        .collect();
                    let u = usize::from(c.uid);
                    if let Some(slot) = next.weights.get_mut(u) {
                        slot.clone_from(&row);
                    }
                    if !next.hyperparameters.commit_reveal_enabled {
                        if next.last_update.len() <= u {
                            next.last_update.resize(u.saturating_add(1), 0);
                        }
                        if let Some(lu) = next.last_update.get_mut(u) {
                            *lu = next.current_block;
                        }
                    }
                    outcome.stored_row = row;
                    outcome.status = RevealStatus::Applied;
                }
                outcome.weights = Some(w);
            }
        }
        reveals.push(outcome);
    }
    let next_out = run_epoch_under(&next, rules, false)?;
    Ok(NextEpochPreview {
        current,
        next: next_out,
        next_block: next.current_block,
        next_input: next,
        reveals,
    })
}
