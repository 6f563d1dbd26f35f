//! A subnet's epoch-relevant state, the operations that change it (registration, weights, bonds
//! reset, commits) and epochs that persist their results as the chain does.
//!
//! Storage items mirrored: `SubnetworkN`, `BlockAtRegistration`, `ValidatorPermit`,
//! `LastMechansimStepBlock`, `SubnetEpochIndex`, per mechanism `LastUpdate`, `Weights`, `Bonds`,
//! `Incentive`, `WeightCommits`, and the per-netuid outputs `Active`, `Emission`, `Consensus`,
//! `Dividends`, `ValidatorTrust`, `StakeWeight`. Stake is the inherited alpha / root stake per uid.
//!
//! Length: the subnet state and every chain operation that changes it, one impl mirroring the
//! pallet's storage items.

use super::dense::{epoch_dense, DenseEpoch};
use super::epoch::epoch_sparse;
use super::hyperparams::Hyperparameters;
use super::input::{check_row, check_uid, WeightCommit, MAX_UIDS};
use super::mechanism::{aggregate, split_emissions};
use super::output::EpochOutput;
use super::view::EpochView;
use crate::error::{Error, ErrorCode, Result};
use crate::fixed::vec_u16_max_upscale_to_u16;
use crate::runtime::timeline::{self, Feature, NEWEST_KNOWN_SPEC};

/// Per-mechanism state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MechanismState {
    /// `LastUpdate[idx]`.
    pub last_update: Vec<u64>,
    /// `Weights[idx][uid]`, one row per uid.
    pub weights: Vec<Vec<(u16, u16)>>,
    /// `Bonds[idx][uid]`, one row per uid.
    pub bonds: Vec<Vec<(u16, u16)>>,
    /// `Incentive[idx]` as last persisted.
    pub incentive: Vec<u16>,
    /// Live weight commits of this mechanism.
    pub commits: Vec<WeightCommit>,
}

/// Everything the epoch of one subnet reads and writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Subnet {
    /// Subnet id.
    pub netuid: u16,
    /// Hyperparameters.
    pub hyperparameters: Hyperparameters,
    /// Uid of the owner's hotkey.
    pub owner_uid: Option<u16>,
    /// `BlockAtRegistration` (its length is `SubnetworkN`).
    pub block_at_registration: Vec<u64>,
    /// Inherited alpha stake per uid.
    pub alpha_stake: Vec<u64>,
    /// Inherited root stake per uid.
    pub tao_stake: Vec<u64>,
    /// `ValidatorPermit`.
    pub validator_permit: Vec<bool>,
    /// `LastMechansimStepBlock`.
    pub last_mechanism_step_block: u64,
    /// Epoch index used for commit expiry (`SubnetEpochIndex`, look-ahead included).
    pub epoch_index: u64,
    /// Mechanisms (`mechanism_count` of them).
    pub mechanisms: Vec<MechanismState>,
    /// Persisted `Active`.
    pub active: Vec<bool>,
    /// Persisted `Emission`.
    pub emission: Vec<u64>,
    /// Persisted `Consensus`.
    pub consensus: Vec<u16>,
    /// Persisted `Dividends`.
    pub dividends: Vec<u16>,
    /// Persisted `ValidatorTrust`.
    pub validator_trust: Vec<u16>,
    /// Persisted `StakeWeight`.
    pub stake_weight: Vec<u16>,
    /// The runtime whose epoch rules apply (`None`: the newest known runtime).
    pub spec_version: Option<u32>,
}

/// Result of [`Subnet::epoch_with_mechanisms`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MechanismsEpoch {
    /// Aggregated per-uid terms (what is persisted per netuid and paid out).
    pub aggregate: EpochOutput,
    /// Each mechanism's own output.
    pub mechanisms: Vec<EpochOutput>,
    /// Emission handed to each mechanism.
    pub emissions: Vec<u64>,
}

/// Which epoch entry point to mirror.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochKind {
    /// `epoch_mechanism` alone: nothing persisted.
    Mechanism(u8),
    /// The test wrapper `Pallet::epoch` (on mechanism 0): the mechanism's terms and the
    /// per-netuid terms persisted from this one mechanism.
    Legacy(u8),
    /// The dense test path `epoch_dense` (mechanism 0), persisting as it does.
    Dense,
    /// `epoch_with_mechanisms`: split, every mechanism, aggregation, persistence.
    AllMechanisms,
}

impl Subnet {
    /// An empty subnet with `hyperparameters.mechanism_count` mechanisms.
    pub fn new(netuid: u16, hyperparameters: Hyperparameters) -> Self {
        let count = usize::from(hyperparameters.mechanism_count.max(1));
        Subnet {
            netuid,
            hyperparameters,
            mechanisms: vec![MechanismState::default(); count],
            ..Default::default()
        }
    }

    /// `SubnetworkN`.
    pub fn n(&self) -> usize {
        self.block_at_registration.len()
    }

    fn mech(&self, mech: u8) -> Result<&MechanismState> {
        self.mechanisms
            .get(usize::from(mech))
            .ok_or_else(|| no_mechanism(mech))
    }

    fn mech_mut(&mut self, mech: u8) -> Result<&mut MechanismState> {
        self.mechanisms
            .get_mut(usize::from(mech))
            .ok_or_else(|| no_mechanism(mech))
    }

    fn uid(&self, field: &str, uid: u16) -> Result<usize> {
        check_uid(field, uid, self.n())?;
        Ok(usize::from(uid))
    }

    /// Bring every per-uid vector to length `n` (rows empty, values 0).
    pub fn normalize_shapes(&mut self) {
        let n = self.n();
        self.alpha_stake.resize(n, 0);
        self.tao_stake.resize(n, 0);
        for m in &mut self.mechanisms {
            m.weights.resize(n, Vec::new());
            m.bonds.resize(n, Vec::new());
        }
    }

    /// Append a uid registered at `block` (`append_neuron`): no permit yet, `LastUpdate = block`
    /// on every mechanism.
    pub fn append_neuron(&mut self, block: u64, alpha_stake: u64, tao_stake: u64) -> Result<u16> {
        let n = self.n();
        if n >= MAX_UIDS {
            return Err(Error::field(
                ErrorCode::TooManyUids,
                "n",
                format!("subnet already has {n} uids"),
            ));
        }
        self.normalize_shapes();
        self.block_at_registration.push(block);
        self.alpha_stake.push(alpha_stake);
        self.tao_stake.push(tao_stake);
        self.validator_permit.resize(n, false);
        self.validator_permit.push(false);
        for m in &mut self.mechanisms {
            m.last_update.resize(n, 0);
            m.last_update.push(block);
            m.weights.push(Vec::new());
            m.bonds.push(Vec::new());
        }
        Ok(u16::try_from(n).unwrap_or(u16::MAX))
    }

    /// A new hotkey takes `uid` at `block` (`replace_neuron` + `clear_neuron`): registration and
    /// `LastUpdate` set to `block`, its own weight and bond rows cleared, every weight pointing to
    /// it set to 0 (entries kept), permit and per-uid outputs zeroed, stake replaced.
    pub fn replace_neuron(
        &mut self,
        uid: u16,
        block: u64,
        alpha_stake: u64,
        tao_stake: u64,
    ) -> Result<()> {
        let u = self.uid("uid", uid)?;
        self.normalize_shapes();
        let n = self.n();
        set_at(&mut self.block_at_registration, u, block);
        set_at(&mut self.alpha_stake, u, alpha_stake);
        set_at(&mut self.tao_stake, u, tao_stake);
        if let Some(p) = self.validator_permit.get_mut(u) {
            *p = false;
        }
        for m in &mut self.mechanisms {
            if m.last_update.len() < n {
                m.last_update.resize(n, 0);
            }
            set_at(&mut m.last_update, u, block);
            set_at(&mut m.weights, u, Vec::new());
            set_at(&mut m.bonds, u, Vec::new());
            for row in &mut m.weights {
                for e in row.iter_mut().filter(|e| e.0 == uid) {
                    e.1 = 0;
                }
            }
            if let Some(x) = m.incentive.get_mut(u) {
                *x = 0;
            }
        }
        for v in [
            &mut self.consensus,
            &mut self.dividends,
            &mut self.validator_trust,
            &mut self.stake_weight,
        ] {
            if let Some(x) = v.get_mut(u) {
                *x = 0;
            }
        }
        if let Some(x) = self.emission.get_mut(u) {
            *x = 0;
        }
        Ok(())
    }

    /// `set_weights` / `set_mechanism_weights` as stored: `values` max-upscaled, submission order
    /// kept, `LastUpdate = block` unless commit-reveal is on. Checks lengths, uid range and
    /// duplicates (the eligibility rules — permit, rate limit, minimum count — are the caller's).
    pub fn set_weights(
        &mut self,
        mech: u8,
        uid: u16,
        uids: &[u16],
        values: &[u16],
        block: u64,
    ) -> Result<()> {
        let u = self.uid("uid", uid)?;
        if uids.len() != values.len() {
            return Err(Error::field(
                ErrorCode::LengthMismatch,
                "values",
                format!("{} values for {} uids", values.len(), uids.len()),
            ));
        }
        let row: Vec<(u16, u16)> = uids
            .iter()
            .copied()
            .zip(vec_u16_max_upscale_to_u16(values))
            .collect();
        check_row("uids", &row, self.n(), true, &mut Vec::new())?;
        let commit_reveal = self.hyperparameters.commit_reveal_enabled;
        let n = self.n();
        self.normalize_shapes();
        let m = self.mech_mut(mech)?;
        set_at(&mut m.weights, u, row);
        if !commit_reveal {
            if m.last_update.len() < n {
                m.last_update.resize(n, 0);
            }
            set_at(&mut m.last_update, u, block);
        }
        Ok(())
    }

    /// Write a weight row to storage as is (no upscaling, `LastUpdate` untouched).
    pub fn set_weights_raw(&mut self, mech: u8, uid: u16, row: Vec<(u16, u16)>) -> Result<()> {
        let u = self.uid("uid", uid)?;
        check_row(
            &format!("weights[{uid}]"),
            &row,
            self.n(),
            true,
            &mut Vec::new(),
        )?;
        self.normalize_shapes();
        set_at(&mut self.mech_mut(mech)?.weights, u, row);
        Ok(())
    }

    /// Write a bond row to storage as is.
    pub fn set_bonds_raw(&mut self, mech: u8, uid: u16, row: Vec<(u16, u16)>) -> Result<()> {
        let u = self.uid("uid", uid)?;
        check_row(
            &format!("bonds[{uid}]"),
            &row,
            self.n(),
            true,
            &mut Vec::new(),
        )?;
        self.normalize_shapes();
        set_at(&mut self.mech_mut(mech)?.bonds, u, row);
        Ok(())
    }

    /// Add `amount` to a uid's inherited alpha stake (saturating).
    pub fn add_alpha_stake(&mut self, uid: u16, amount: u64) -> Result<()> {
        let u = self.uid("uid", uid)?;
        self.normalize_shapes();
        if let Some(s) = self.alpha_stake.get_mut(u) {
            *s = s.saturating_add(amount);
        }
        Ok(())
    }

    /// Overwrite a mechanism's `LastUpdate` vector (any length, as storage allows).
    pub fn set_last_update(&mut self, mech: u8, last_update: Vec<u64>) -> Result<()> {
        self.mech_mut(mech)?.last_update = last_update;
        Ok(())
    }

    /// `do_reset_bonds`: when bonds reset is enabled, remove column `uid` from every bond row.
    pub fn reset_bonds(&mut self, mech: u8, uid: u16) -> Result<()> {
        self.uid("uid", uid)?;
        if !self.hyperparameters.bonds_reset_enabled {
            return Ok(());
        }
        for row in &mut self.mech_mut(mech)?.bonds {
            row.retain(|e| e.0 != uid);
        }
        Ok(())
    }

    /// Record a live weight commit on `mech`.
    pub fn commit(&mut self, mech: u8, commit: WeightCommit) -> Result<()> {
        self.uid("uid", commit.uid)?;
        self.mech_mut(mech)?.commits.push(commit);
        Ok(())
    }

    /// `update_mechanism_counts_if_needed`: removed mechanisms lose their state, new ones start
    /// empty, and the emission split resets to even.
    pub fn set_mechanism_count(&mut self, count: u8) {
        let count = count.max(1);
        if count != self.hyperparameters.mechanism_count {
            self.mechanisms
                .resize(usize::from(count), MechanismState::default());
            self.hyperparameters.mechanism_count = count;
            self.hyperparameters.mechanism_emission_split = None;
            self.normalize_shapes();
        }
    }

    fn view(&self, mech: u8, block: u64, emission: u64) -> Result<EpochView<'_>> {
        let m = self.mech(mech)?;
        Ok(EpochView {
            hp: &self.hyperparameters,
            n: self.n(),
            block,
            emission,
            alpha_stake: &self.alpha_stake,
            tao_stake: &self.tao_stake,
            block_at_registration: &self.block_at_registration,
            last_update: &m.last_update,
            validator_permit: &self.validator_permit,
            owner_uid: self.owner_uid,
            weights: &m.weights,
            bonds: &m.bonds,
            last_mechanism_step_block: self.last_mechanism_step_block,
            commits: &m.commits,
            current_epoch_index: self.epoch_index,
            consensus_mode_live: timeline::has(
                Feature::LiquidAlphaConsensusMode,
                self.spec_version.unwrap_or(NEWEST_KNOWN_SPEC),
            ),
            previous_consensus: &self.consensus,
        })
    }

    /// `epoch_mechanism`: run one mechanism's sparse epoch without persisting anything.
    pub fn epoch_mechanism(
        &self,
        mech: u8,
        block: u64,
        emission: u64,
        trace: bool,
    ) -> Result<EpochOutput> {
        self.check_shapes()?;
        Ok(epoch_sparse(&self.view(mech, block, emission)?, trace))
    }

    /// `persist_mechanism_epoch_terms`: `Incentive[idx]` and every uid's bond row.
    pub fn persist_mechanism(&mut self, mech: u8, out: &EpochOutput) -> Result<()> {
        let m = self.mech_mut(mech)?;
        m.incentive.clone_from(&out.incentive);
        m.bonds.clone_from(&out.bonds);
        Ok(())
    }

    /// `persist_netuid_epoch_terms`: the per-netuid outputs and the new permits.
    pub fn persist_netuid(&mut self, out: &EpochOutput) {
        self.active.clone_from(&out.active);
        self.emission.clone_from(&out.emission);
        self.consensus.clone_from(&out.consensus);
        self.dividends.clone_from(&out.dividends);
        self.validator_trust.clone_from(&out.validator_trust);
        self.validator_permit.clone_from(&out.validator_permit);
        self.stake_weight.clone_from(&out.stake_weight);
    }

    /// Run an epoch of the given kind at `block` with `emission` rao, persisting as that entry
    /// point does. Returns the (for [`EpochKind::AllMechanisms`], aggregated) per-uid output;
    /// `trace` applies to single-mechanism sparse runs.
    pub fn run(
        &mut self,
        kind: EpochKind,
        block: u64,
        emission: u64,
        trace: bool,
    ) -> Result<EpochOutput> {
        match kind {
            EpochKind::Mechanism(m) => self.epoch_mechanism(m, block, emission, trace),
            EpochKind::Legacy(m) => {
                let out = self.epoch_mechanism(m, block, emission, trace)?;
                self.persist_mechanism(m, &out)?;
                self.persist_netuid(&out);
                Ok(out)
            }
            EpochKind::Dense => {
                self.check_shapes()?;
                let DenseEpoch {
                    output,
                    bond_writes,
                } = epoch_dense(&self.view(0, block, emission)?);
                self.persist_netuid(&output);
                let m = self.mech_mut(0)?;
                m.incentive.clone_from(&output.incentive);
                for (row, write) in m.bonds.iter_mut().zip(bond_writes) {
                    if let Some(w) = write {
                        *row = w;
                    }
                }
                Ok(output)
            }
            EpochKind::AllMechanisms => Ok(self.epoch_with_mechanisms(block, emission)?.aggregate),
        }
    }

    /// `epoch_with_mechanisms`: split the emission, run and persist every mechanism (all read the
    /// same stored permits), aggregate and persist the per-netuid terms.
    pub fn epoch_with_mechanisms(&mut self, block: u64, emission: u64) -> Result<MechanismsEpoch> {
        let hp = &self.hyperparameters;
        let emissions = split_emissions(
            hp.mechanism_count,
            hp.mechanism_emission_split.as_deref(),
            emission,
        );
        let mut mechanisms = Vec::with_capacity(emissions.len());
        for (m, &e) in emissions.iter().enumerate() {
            let mech = u8::try_from(m).unwrap_or(u8::MAX);
            let out = self.epoch_mechanism(mech, block, e, false)?;
            self.persist_mechanism(mech, &out)?;
            mechanisms.push(out);
        }
        let aggregate = aggregate(&mechanisms, &emissions, emission);
        self.persist_netuid(&aggregate);
        Ok(MechanismsEpoch {
            aggregate,
            mechanisms,
            emissions,
        })
    }

    /// One scheduled epoch as the block step runs it: the epoch index advances, every mechanism
    /// runs and persists, and `LastMechansimStepBlock` becomes `block`.
    pub fn step(&mut self, block: u64, emission: u64) -> Result<MechanismsEpoch> {
        self.epoch_index = self.epoch_index.saturating_add(1);
        let out = self.epoch_with_mechanisms(block, emission)?;
        self.last_mechanism_step_block = block;
        Ok(out)
    }

    /// Per-uid vectors must have length `n`; rows must reference uids `< n`.
    pub fn check_shapes(&self) -> Result<()> {
        let n = self.n();
        if n > MAX_UIDS {
            return Err(Error::field(
                ErrorCode::TooManyUids,
                "n",
                format!("{n} uids, at most {MAX_UIDS}"),
            ));
        }
        for (field, len) in [
            ("alpha_stake", self.alpha_stake.len()),
            ("tao_stake", self.tao_stake.len()),
        ] {
            if len != n && !(field == "tao_stake" && len == 0) {
                return Err(Error::field(
                    ErrorCode::LengthMismatch,
                    field,
                    format!("length {len}, n = {n}"),
                ));
            }
        }
        if let Some(o) = self.owner_uid {
            check_uid("owner_uid", o, n)?;
        }
        Ok(())
    }
}

fn no_mechanism(mech: u8) -> Error {
    Error::field(
        ErrorCode::OutOfRange,
        "mechanism",
        format!("mechanism {mech} does not exist"),
    )
}

fn set_at<T>(v: &mut [T], i: usize, x: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = x;
    }
}
