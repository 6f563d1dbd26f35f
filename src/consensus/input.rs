//! The inputs of one mechanism epoch (spec `yuma-epoch.md` §2) and their up-front validation.

use super::hyperparams::Hyperparameters;
use crate::error::{Error, ErrorCode, Result};

/// Most UIDs a subnet can hold (`GLOBAL_MAX_SUBNET_COUNT`-sized storage index space).
pub const MAX_UIDS: usize = 4096;

/// Commit-reveal protocol of a live weight commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum CommitVersion {
    /// CR-v2 hash commit (`WeightCommits`, a per-hotkey queue: only the first live entry counts).
    #[default]
    V2,
    /// CR-v3/v4 timelocked commit (`TimelockedWeightCommits`: every live entry counts).
    V4,
}

/// A not-yet-revealed weight commit of a uid (commit-reveal mask, spec §5.4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct WeightCommit {
    /// Committing uid.
    pub uid: u16,
    /// Block of the commit.
    pub commit_block: u64,
    /// Epoch index the commit is tagged with.
    pub commit_epoch: u64,
    /// Protocol.
    pub version: CommitVersion,
}

/// Everything one `epoch_mechanism` run reads, as plain data.
///
/// Every uid `0..n` is taken to be registered (to have a `Keys` entry, with a distinct hotkey);
/// the chain skips the epoch when two uids share a hotkey, which plain data cannot express.
///
/// Rows (`weights[i]`, `bonds[i]`) are the stored u16 pairs `(uid, value)` in storage order.
/// `weights` and `bonds` are either empty (none stored) or have one row per uid. `tao_stake` may
/// be empty (all zero). `last_update` may have any length (padded with 0 to `n`, extra entries are
/// ignored, as on chain) and `validator_permit` may be shorter than `n` (missing = no permit).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EpochInput {
    /// Hyperparameters in force.
    pub hyperparameters: Hyperparameters,
    /// Number of uids (`SubnetworkN`).
    pub n: u16,
    /// Block the epoch runs in.
    pub current_block: u64,
    /// Emission (rao) handed to this mechanism's epoch.
    pub emission: u64,
    /// Inherited alpha stake per uid.
    pub alpha_stake: Vec<u64>,
    /// Inherited root (TAO) stake per uid.
    pub tao_stake: Vec<u64>,
    /// `BlockAtRegistration` per uid.
    pub block_at_registration: Vec<u64>,
    /// `LastUpdate` of the mechanism.
    pub last_update: Vec<u64>,
    /// Stored `ValidatorPermit` (from the previous epoch).
    pub validator_permit: Vec<bool>,
    /// Uid of the subnet owner's hotkey, if registered.
    pub owner_uid: Option<u16>,
    /// Stored weight rows of the mechanism.
    pub weights: Vec<Vec<(u16, u16)>>,
    /// Stored bond rows of the mechanism.
    pub bonds: Vec<Vec<(u16, u16)>>,
    /// `LastMechansimStepBlock` (block of the previous successful epoch; 0 = never).
    pub last_mechanism_step_block: u64,
    /// Live weight commits (only read when commit-reveal is enabled).
    pub commits: Vec<WeightCommit>,
    /// Look-ahead epoch index for commit expiry (`SubnetEpochIndex`, +1 if an epoch fires now).
    pub current_epoch_index: u64,
    /// Stored `Consensus` of the previous epoch (liquid alpha may read it from spec 446 on).
    pub previous_consensus: Vec<u16>,
}

fn mismatch(field: &str, got: usize, want: &str) -> Error {
    Error::field(
        ErrorCode::LengthMismatch,
        field,
        format!("length {got}, expected {want}"),
    )
}

/// Check one `(uid, value)` row: every uid `< n`, and (when `unique`) no uid twice.
pub(crate) fn check_row(
    field: &str,
    row: &[(u16, u16)],
    n: usize,
    unique: bool,
    seen: &mut Vec<bool>,
) -> Result<()> {
    seen.clear();
    seen.resize(n, false);
    for &(j, _) in row {
        let ju = usize::from(j);
        let Some(slot) = seen.get_mut(ju) else {
            return Err(Error::field(
                ErrorCode::UidOutOfRange,
                field,
                format!("uid {j} is not below n = {n}"),
            ));
        };
        if *slot && unique {
            return Err(Error::field(
                ErrorCode::DuplicateUid,
                field,
                format!("uid {j} appears twice"),
            ));
        }
        *slot = true;
    }
    Ok(())
}

/// Check a uid against `n`.
pub(crate) fn check_uid(field: &str, uid: u16, n: usize) -> Result<()> {
    if usize::from(uid) >= n {
        return Err(Error::field(
            ErrorCode::UidOutOfRange,
            field,
            format!("uid {uid} is not below n = {n}"),
        ));
    }
    Ok(())
}

impl EpochInput {
    /// Validate shapes and uids; the first problem found is returned with the offending field.
    pub fn validate(&self) -> Result<()> {
        let n = usize::from(self.n);
        if n > MAX_UIDS {
            return Err(Error::field(
                ErrorCode::TooManyUids,
                "n",
                format!("{n} uids, at most {MAX_UIDS}"),
            ));
        }
        let exact = |field: &str, len: usize| {
            if len == n {
                Ok(())
            } else {
                Err(mismatch(field, len, &format!("n = {n}")))
            }
        };
        exact("alpha_stake", self.alpha_stake.len())?;
        if !self.tao_stake.is_empty() {
            exact("tao_stake", self.tao_stake.len())?;
        }
        exact("block_at_registration", self.block_at_registration.len())?;
        for (field, rows) in [("weights", &self.weights), ("bonds", &self.bonds)] {
            if !rows.is_empty() && rows.len() != n {
                return Err(mismatch(field, rows.len(), &format!("0 or n = {n}")));
            }
        }
        let mut seen = Vec::new();
        for (i, row) in self.weights.iter().enumerate() {
            check_row(&format!("weights[{i}]"), row, n, true, &mut seen)?;
        }
        for (i, row) in self.bonds.iter().enumerate() {
            check_row(&format!("bonds[{i}]"), row, n, true, &mut seen)?;
        }
        if let Some(o) = self.owner_uid {
            check_uid("owner_uid", o, n)?;
        }
        for (i, c) in self.commits.iter().enumerate() {
            check_uid(&format!("commits[{i}].uid"), c.uid, n)?;
        }
        if let Some(split) = &self.hyperparameters.mechanism_emission_split {
            if split.len() > usize::from(self.hyperparameters.mechanism_count) {
                return Err(mismatch(
                    "hyperparameters.mechanism_emission_split",
                    split.len(),
                    "at most mechanism_count",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> EpochInput {
        EpochInput {
            n: 3,
            alpha_stake: vec![1, 2, 3],
            block_at_registration: vec![0; 3],
            weights: vec![vec![(1, 5)], vec![], vec![]],
            ..Default::default()
        }
    }

    #[test]
    fn codes_and_fields() {
        assert!(base().validate().is_ok());
        let e = EpochInput {
            alpha_stake: vec![1],
            ..base()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::LengthMismatch, Some("alpha_stake"))
        );
        let e = EpochInput {
            weights: vec![vec![], vec![(3, 1)], vec![]],
            ..base()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::UidOutOfRange, Some("weights[1]"))
        );
        let e = EpochInput {
            weights: vec![vec![], vec![], vec![(1, 1), (1, 2)]],
            ..base()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::DuplicateUid, Some("weights[2]"))
        );
        let e = EpochInput { n: 5000, ..base() }.validate().unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyUids);
    }
}
