//! Reading a snapshot's storage the way the chain's epoch reads its inputs (spec `chain-data.md`
//! section 5, `yuma-epoch.md` sections 2 and 4): `SubnetworkN`, `Keys`, `BlockAtRegistration`,
//! inherited stake (`TotalHotkeyAlpha` with `ParentKeys`/`ChildKeys`, U96F32 then truncated, as
//! subtensor `staking/stake_utils.rs` `get_inherited_for_hotkey_on_subnet` and
//! `get_tao_inherited_for_hotkey_on_subnet`), the owner uid (only when `SubnetOwnerHotkey`
//! exists), per-mechanism `LastUpdate`/`Weights`/`Bonds`/commits, and the persisted outputs.
//! [`Snapshot::plan`] (the keys still missing) follows the same reads.
//!
//! Length: the read plan and the readers that follow it are one walk over the snapshot's storage
//! (the plan lists exactly what the readers read).

use super::consensus_source::read_consensus_source;
use super::snapshot::{Phase, Plan, Snapshot, Store};
pub use super::snapshot_legacy::{legacy_epoch_index, EpochReads};
use super::storage::{netuid_index, KeyArg};
use super::types::{AccountId32, H256};
use crate::consensus::mechanism::split_emissions;
use crate::consensus::{CommitVersion, EpochInput, Hyperparameters, WeightCommit, MAX_UIDS};
use crate::error::{Error, ErrorCode, Result};
use crate::fixed::{SafeDiv, U96F32};
use crate::runtime::{Approximation, Rules, RuntimeFeatures};

/// Most `TimelockedWeightCommits` epoch keys read per mechanism (the live window is
/// `RevealPeriodEpochs + 1` epochs; longer periods are cut to this many, newest first).
pub const MAX_COMMIT_EPOCHS: u64 = 32;

/// Most mechanisms a subnet can have (`NetUidStorageIndex` leaves room for 16).
pub const MAX_MECHANISMS: u8 = 16;

/// One mechanism's stored inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MechanismInputs {
    /// `LastUpdate[idx]` as stored.
    pub last_update: Vec<u64>,
    /// `Weights[idx][uid]` for uid < n, entries with a column >= n dropped (the epoch ignores them).
    pub weights: Vec<Vec<(u16, u16)>>,
    /// `Bonds[idx][uid]`, filtered the same way.
    pub bonds: Vec<Vec<(u16, u16)>>,
    /// Live commits (queue order per hotkey, then timelocked by epoch).
    pub commits: Vec<WeightCommit>,
}

/// The decoded inputs of one subnet epoch.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainState {
    /// `SubnetworkN`.
    pub n: u16,
    /// `Keys[uid]` (`None` where the key is absent).
    pub hotkeys: Vec<Option<AccountId32Hex>>,
    /// Hyperparameters read from storage (defaults for absent keys).
    pub hyperparameters: Hyperparameters,
    /// Inherited alpha stake per uid.
    pub alpha_stake: Vec<u64>,
    /// Inherited root stake per uid.
    pub tao_stake: Vec<u64>,
    /// `BlockAtRegistration` (0 for a uid without `Keys`).
    pub block_at_registration: Vec<u64>,
    /// Stored `ValidatorPermit`.
    pub validator_permit: Vec<bool>,
    /// Owner uid (`Uids(netuid, SubnetOwnerHotkey)` when that key exists).
    pub owner_uid: Option<u16>,
    /// `LastMechansimStepBlock`.
    pub last_mechanism_step_block: u64,
    /// Epoch index during the epoch: `SubnetEpochIndex` at the parent + 1.
    pub current_epoch_index: u64,
    /// Per mechanism.
    pub mechanisms: Vec<MechanismInputs>,
    /// `PendingServerEmission + PendingValidatorEmission + PendingRootAlphaDivs` at the parent.
    pub pending_emission: u64,
    /// Two uids with the same hotkey (the chain then skips the epoch).
    pub duplicate_hotkeys: Option<(u16, u16)>,
    /// Stored `Consensus` of the previous epoch, read only where liquid alpha's consensus mode
    /// picks it (spec 446+; [`super::capture_epoch`]); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_consensus: Vec<u16>,
    /// Keys of the consensus source (`LiquidAlphaConsensusMode`, the stored `Consensus`) the
    /// storage lacks, described (`Pallet.Item[args] (key …)`): the epoch's math cannot run, but
    /// whether it runs is known ([`super::capture_epoch::not_replayable`]).
    #[serde(skip)]
    pub unread: Vec<String>,
}

/// An account as `0x` hex (serializable form used in [`ChainState`]).
pub type AccountId32Hex = String;

/// The outputs persisted at the epoch block: what the chain stored, and (in
/// [`Verification::computed`](super::verify::Verification)) what the engine computed, in the same shapes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainOutputs {
    /// `Incentive[idx]` per mechanism.
    pub incentive: Vec<Vec<u16>>,
    /// `Bonds[idx][uid]` per mechanism, uid < n.
    pub bonds: Vec<Vec<Vec<(u16, u16)>>>,
    /// `Dividends`.
    pub dividends: Vec<u16>,
    /// `Consensus`.
    pub consensus: Vec<u16>,
    /// `ValidatorTrust`.
    pub validator_trust: Vec<u16>,
    /// `StakeWeight`.
    pub stake_weight: Vec<u16>,
    /// `Emission`.
    pub emission: Vec<u64>,
    /// `Active`.
    pub active: Vec<bool>,
    /// `ValidatorPermit` (new).
    pub validator_permit: Vec<bool>,
}

fn u16_of(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn mech_indexes(netuid: u16, count: u8) -> Result<Vec<u16>> {
    (0..count.max(1)).map(|m| netuid_index(netuid, m)).collect()
}

fn keep_below(row: Vec<(u16, u16)>, n: u16) -> Vec<(u16, u16)> {
    row.into_iter().filter(|e| e.0 < n).collect()
}

/// `U96F32(stake) * U96F32(proportion) / u64::MAX` as the chain computes a child/parent share.
fn share(stake: u64, proportion: u64) -> U96F32 {
    let p = U96F32::saturating_from_num(proportion).safe_div(U96F32::saturating_from_num(u64::MAX));
    U96F32::saturating_from_num(stake).saturating_mul(p)
}

/// Inherited stake: own − Σ children shares + Σ parent shares, truncated to u64.
fn inherited(own: u64, children: &[(u64, AccountId32)], parents: &[(u64, u64)]) -> u64 {
    let to_children = children.iter().fold(U96F32::from_num(0), |a, (p, _)| {
        a.saturating_add(share(own, *p))
    });
    let from_parents = parents.iter().fold(U96F32::from_num(0), |a, (p, s)| {
        a.saturating_add(share(*s, *p))
    });
    U96F32::saturating_from_num(own)
        .saturating_sub(to_children)
        .saturating_add(from_parents)
        .saturating_to_num::<u64>()
}

/// Decode the inputs at the parent block. Keys not in the snapshot are recorded in `st` and the
/// result is `None` until every dependency level is present.
pub(crate) fn read_state(s: &Snapshot, st: &mut Store<'_>) -> Result<Option<ChainState>> {
    let mut state = read_subnet_state(s.netuid, st)?;
    // A snapshot that names its runtime also reads the epoch's consensus source (spec 446+).
    if let (Some(spec), Some(state)) = (s.spec_version, state.as_mut()) {
        let rules = Rules::resolve(spec, Approximation::Nearest, RuntimeFeatures::default())?;
        read_consensus_source(
            st,
            s.netuid,
            &rules,
            &mut state.hyperparameters,
            &mut state.previous_consensus,
        )?;
    }
    Ok(state.filter(|_| !st.pending()))
}

/// [`read_state`] for `netuid` over any raw storage map (a snapshot's inputs or a capture's
/// storage, as `replay block` reads a parent capture).
pub(crate) fn read_subnet_state(netuid: u16, st: &mut Store<'_>) -> Result<Option<ChainState>> {
    read_subnet_state_as(netuid, st, EpochReads::Stateful)
}

/// [`read_subnet_state`] as the runtime of `reads` reads it.
pub(crate) fn read_subnet_state_as(
    netuid: u16,
    st: &mut Store<'_>,
    reads: EpochReads,
) -> Result<Option<ChainState>> {
    let nu = [KeyArg::U16(netuid)];
    // Level 1: subnet and global items.
    let n = st.item::<u16>("SubnetworkN", &nu)?.unwrap_or(0);
    let mut hp = Hyperparameters::default();
    macro_rules! get {
        ($codec:ty, $name:expr, $args:expr) => {
            st.item::<$codec>($name, $args)?.unwrap_or_default()
        };
    }
    hp.tempo = get!(u16, "Tempo", &nu);
    let legacy_block = match reads {
        EpochReads::Stateful => {
            hp.activity_cutoff_factor_milli = get!(u32, "ActivityCutoffFactorMilli", &nu);
            None
        }
        EpochReads::Legacy { block } => {
            hp.activity_cutoff_legacy = Some(get!(u16, "ActivityCutoff", &nu));
            Some(block)
        }
    };
    hp.kappa = get!(u16, "Kappa", &nu);
    hp.bonds_penalty = get!(u16, "BondsPenalty", &nu);
    hp.bonds_moving_average = get!(u64, "BondsMovingAverage", &nu);
    hp.yuma3_enabled = get!(bool, "Yuma3On", &nu);
    hp.liquid_alpha_enabled = get!(bool, "LiquidAlphaOn", &nu);
    (hp.alpha_low, hp.alpha_high) = get!((u16, u16), "AlphaValues", &nu);
    hp.alpha_sigmoid_steepness = get!(i16, "AlphaSigmoidSteepness", &nu);
    hp.max_allowed_validators = get!(u16, "MaxAllowedValidators", &nu);
    hp.tao_weight = get!(u64, "TaoWeight", &[]);
    hp.stake_threshold = get!(u64, "StakeThreshold", &[]);
    hp.commit_reveal_enabled = get!(bool, "CommitRevealWeightsEnabled", &nu);
    hp.reveal_period_epochs = get!(u64, "RevealPeriodEpochs", &nu);
    hp.mechanism_count = get!(u8, "MechanismCountCurrent", &nu).max(1);
    hp.mechanism_emission_split = st.item::<Vec<u16>>("MechanismEmissionSplit", &nu)?;
    hp.bonds_reset_enabled = get!(bool, "BondsResetOn", &nu);
    let validator_permit = get!(Vec<bool>, "ValidatorPermit", &nu);
    let owner_exists = st.exists("SubnetOwnerHotkey", &nu)?;
    let owner_hotkey = get!(AccountId32, "SubnetOwnerHotkey", &nu);
    let (last_mechanism_step_block, epoch_index) = match legacy_block {
        None => (
            get!(u64, "LastMechansimStepBlock", &nu),
            get!(u64, "SubnetEpochIndex", &nu),
        ),
        // The legacy epoch masks bonds at `block − tempo` (what 0 means to the engine) and
        // counts epochs from the block (`current_epoch_index` below).
        Some(_) => (0, 0),
    };
    let commit_epoch_of = |stored_epoch: u64, commit_block: u64| match legacy_block {
        None => stored_epoch,
        Some(_) => legacy_epoch_index(netuid, hp.tempo, commit_block),
    };
    // The legacy reads serve `replay block`, whose caller hands the drained buckets.
    let pending = match legacy_block {
        None => [
            get!(u64, "PendingServerEmission", &nu),
            get!(u64, "PendingValidatorEmission", &nu),
            get!(u64, "PendingRootAlphaDivs", &nu),
        ],
        Some(_) => [0; 3],
    };
    if st.pending() {
        return Ok(None);
    }
    // Bound the work before asking for per-uid keys: a hostile or corrupt snapshot must not make
    // the plan (n × mechanisms × keys) explode (found by the `snapshot` fuzz target).
    if usize::from(n) > MAX_UIDS {
        return Err(Error::field(
            ErrorCode::TooManyUids,
            "SubnetworkN",
            format!("{n} uids, at most {MAX_UIDS}"),
        ));
    }
    if hp.mechanism_count > MAX_MECHANISMS {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "MechanismCountCurrent",
            format!(
                "{} mechanisms, at most {MAX_MECHANISMS}",
                hp.mechanism_count
            ),
        ));
    }
    let current_epoch_index = match legacy_block {
        None => epoch_index.saturating_add(1),
        Some(b) => legacy_epoch_index(netuid, hp.tempo, b),
    };
    let idxs = mech_indexes(netuid, hp.mechanism_count)?;

    // Level 2: per uid and per mechanism.
    let nn = usize::from(n);
    let mut hotkeys: Vec<Option<AccountId32>> = Vec::with_capacity(nn);
    let mut block_at_registration = Vec::with_capacity(nn);
    for uid in 0..n {
        let k = [KeyArg::U16(netuid), KeyArg::U16(uid)];
        let present = st.exists("Keys", &k)?.unwrap_or(false);
        let hk = get!(AccountId32, "Keys", &k);
        let bar = get!(u64, "BlockAtRegistration", &k);
        hotkeys.push(present.then_some(hk));
        block_at_registration.push(if present { bar } else { 0 });
    }
    let mut mechanisms = Vec::with_capacity(idxs.len());
    let mut timelocked = Vec::new();
    for &idx in &idxs {
        let mut m = MechanismInputs {
            last_update: get!(Vec<u64>, "LastUpdate", &[KeyArg::U16(idx)]),
            ..Default::default()
        };
        for uid in 0..n {
            let k = [KeyArg::U16(idx), KeyArg::U16(uid)];
            m.weights
                .push(keep_below(get!(Vec<(u16, u16)>, "Weights", &k), n));
            m.bonds
                .push(keep_below(get!(Vec<(u16, u16)>, "Bonds", &k), n));
        }
        let mut tl = Vec::new();
        if hp.commit_reveal_enabled {
            let oldest = current_epoch_index
                .saturating_sub(hp.reveal_period_epochs)
                .max(current_epoch_index.saturating_sub(MAX_COMMIT_EPOCHS - 1));
            for e in oldest..=current_epoch_index {
                let entries = get!(
                    Vec<(AccountId32, u64, Vec<u8>, u64)>,
                    "TimelockedWeightCommits",
                    &[KeyArg::U16(idx), KeyArg::U64(e)]
                );
                tl.push((e, entries));
            }
        }
        timelocked.push(tl);
        mechanisms.push(m);
    }
    if st.pending() {
        return Ok(None);
    }

    // Level 3: per hotkey.
    let root = KeyArg::U16(0);
    let mut own = Vec::with_capacity(nn);
    let mut relations = Vec::with_capacity(nn);
    for hk in &hotkeys {
        let Some(hk) = hk else {
            own.push((0, 0));
            relations.push((Vec::new(), Vec::new()));
            continue;
        };
        let a = KeyArg::Account(*hk);
        own.push((
            get!(u64, "TotalHotkeyAlpha", &[a, KeyArg::U16(netuid)]),
            get!(u64, "TotalHotkeyAlpha", &[a, root]),
        ));
        let parents = get!(
            Vec<(u64, AccountId32)>,
            "ParentKeys",
            &[a, KeyArg::U16(netuid)]
        );
        let children = get!(
            Vec<(u64, AccountId32)>,
            "ChildKeys",
            &[a, KeyArg::U16(netuid)]
        );
        relations.push((parents, children));
    }
    let mut owner_uid = None;
    if owner_exists == Some(true) {
        owner_uid = st
            .item::<u16>(
                "Uids",
                &[KeyArg::U16(netuid), KeyArg::Account(owner_hotkey)],
            )?
            .filter(|&u| u < n);
    }
    if hp.commit_reveal_enabled {
        for (m, &idx) in idxs.iter().enumerate() {
            for (uid, hk) in hotkeys.iter().enumerate() {
                let Some(hk) = hk else { continue };
                let queue = st.item::<Vec<(H256, u64, u64, u64)>>(
                    "WeightCommits",
                    &[KeyArg::U16(idx), KeyArg::Account(*hk)],
                )?;
                if let (Some(queue), Some(mech)) = (queue, mechanisms.get_mut(m)) {
                    for (_, first, second, _) in queue {
                        // 423+: (hash, commit_epoch, commit_block, _); before: (hash,
                        // commit_block, first_reveal_block, last_reveal_block).
                        let commit_block = if legacy_block.is_some() {
                            first
                        } else {
                            second
                        };
                        mech.commits.push(WeightCommit {
                            uid: u16_of(uid),
                            commit_block,
                            commit_epoch: commit_epoch_of(first, commit_block),
                            version: CommitVersion::V2,
                        });
                    }
                }
            }
        }
    }
    if st.pending() {
        return Ok(None);
    }

    // Level 4: the parents' own stakes.
    let mut alpha_stake = Vec::with_capacity(nn);
    let mut tao_stake = Vec::with_capacity(nn);
    for ((own_alpha, own_tao), (parents, children)) in own.iter().zip(&relations) {
        let mut pa = Vec::with_capacity(parents.len());
        let mut pt = Vec::with_capacity(parents.len());
        for (prop, p) in parents {
            let a = KeyArg::Account(*p);
            pa.push((
                *prop,
                get!(u64, "TotalHotkeyAlpha", &[a, KeyArg::U16(netuid)]),
            ));
            pt.push((*prop, get!(u64, "TotalHotkeyAlpha", &[a, root])));
        }
        alpha_stake.push(inherited(*own_alpha, children, &pa));
        tao_stake.push(inherited(*own_tao, children, &pt));
    }
    if st.pending() {
        return Ok(None);
    }

    // Timelocked commits belong to the uid of their hotkey.
    for (m, tl) in timelocked.into_iter().enumerate() {
        let Some(mech) = mechanisms.get_mut(m) else {
            continue;
        };
        for (e, entries) in tl {
            for (who, commit_block, _, _) in entries {
                if let Some(uid) = hotkeys.iter().position(|h| *h == Some(who)) {
                    mech.commits.push(WeightCommit {
                        uid: u16_of(uid),
                        commit_block,
                        commit_epoch: commit_epoch_of(e, commit_block),
                        version: CommitVersion::V4,
                    });
                }
            }
        }
    }
    let mut duplicate_hotkeys = None;
    let mut sorted: Vec<(AccountId32, usize)> = hotkeys
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.map(|h| (h, i)))
        .collect();
    sorted.sort();
    for w in sorted.windows(2) {
        if let [(a, i), (b, j)] = w {
            if a == b {
                duplicate_hotkeys = Some((u16_of(*i.min(j)), u16_of(*i.max(j))));
                break;
            }
        }
    }
    Ok(Some(ChainState {
        n,
        hotkeys: hotkeys.iter().map(|h| h.map(|a| a.to_hex())).collect(),
        hyperparameters: hp,
        alpha_stake,
        tao_stake,
        block_at_registration,
        validator_permit,
        owner_uid,
        last_mechanism_step_block,
        current_epoch_index,
        mechanisms,
        pending_emission: pending.iter().fold(0u64, |a, b| a.saturating_add(*b)),
        duplicate_hotkeys,
        previous_consensus: Vec::new(),
        unread: Vec::new(),
    }))
}

/// Decode the persisted outputs at the epoch block (keys not present are recorded in `st`).
pub(crate) fn read_outputs(
    s: &Snapshot,
    state: &ChainState,
    st: &mut Store<'_>,
) -> Result<ChainOutputs> {
    let nu = [KeyArg::U16(s.netuid)];
    let mut out = ChainOutputs::default();
    for idx in mech_indexes(s.netuid, state.hyperparameters.mechanism_count)? {
        out.incentive.push(
            st.item::<Vec<u16>>("Incentive", &[KeyArg::U16(idx)])?
                .unwrap_or_default(),
        );
        let mut rows = Vec::with_capacity(usize::from(state.n));
        for uid in 0..state.n {
            rows.push(
                st.item::<Vec<(u16, u16)>>("Bonds", &[KeyArg::U16(idx), KeyArg::U16(uid)])?
                    .unwrap_or_default(),
            );
        }
        out.bonds.push(rows);
    }
    out.dividends = st.item::<Vec<u16>>("Dividends", &nu)?.unwrap_or_default();
    out.consensus = st.item::<Vec<u16>>("Consensus", &nu)?.unwrap_or_default();
    out.validator_trust = st
        .item::<Vec<u16>>("ValidatorTrust", &nu)?
        .unwrap_or_default();
    out.stake_weight = st.item::<Vec<u16>>("StakeWeight", &nu)?.unwrap_or_default();
    out.emission = st.item::<Vec<u64>>("Emission", &nu)?.unwrap_or_default();
    out.active = st.item::<Vec<bool>>("Active", &nu)?.unwrap_or_default();
    out.validator_permit = st
        .item::<Vec<bool>>("ValidatorPermit", &nu)?
        .unwrap_or_default();
    Ok(out)
}

fn incomplete(what: &str, st: &Store<'_>) -> Error {
    Error::field(
        ErrorCode::MissingField,
        what,
        format!(
            "snapshot lacks {} storage key(s) of its {what}, first {}",
            st.missing.len(),
            st.missing.first().map_or("?", |k| k.as_str())
        ),
    )
}

impl Snapshot {
    /// The keys still needed, one dependency level at a time: subnet and global items first, then
    /// per-uid items (once `SubnetworkN` is known), per-hotkey items (once `Keys` are known), the
    /// stakes of parents, and finally the outputs at B. Call again after inserting the values.
    pub fn plan(&self) -> Result<Plan> {
        let known = self.inputs.len().saturating_add(self.outputs.len());
        let mut st = Store::new(&self.inputs);
        let state = read_state(self, &mut st)?;
        if !st.missing.is_empty() {
            return Ok(Plan {
                phase: Phase::Inputs,
                keys: st.missing,
                known,
            });
        }
        let Some(state) = state else {
            return Err(Error::new(
                ErrorCode::Internal,
                "inputs complete but unread",
            ));
        };
        let mut out = Store::new(&self.outputs);
        read_outputs(self, &state, &mut out)?;
        if !out.missing.is_empty() {
            return Ok(Plan {
                phase: Phase::Outputs,
                keys: out.missing,
                known,
            });
        }
        Ok(Plan {
            phase: Phase::Done,
            keys: Vec::new(),
            known,
        })
    }

    /// The decoded inputs (`MISSING_FIELD` naming `inputs` if keys are missing).
    pub fn chain_state(&self) -> Result<ChainState> {
        let mut st = Store::new(&self.inputs);
        match read_state(self, &mut st)? {
            Some(state) if !st.pending() => Ok(state),
            _ => Err(incomplete("inputs", &st)),
        }
    }

    /// The decoded outputs (`MISSING_FIELD` naming `outputs` if keys are missing).
    pub fn chain_outputs(&self, state: &ChainState) -> Result<ChainOutputs> {
        let mut st = Store::new(&self.outputs);
        let out = read_outputs(self, state, &mut st)?;
        if st.pending() {
            return Err(incomplete("outputs", &st));
        }
        Ok(out)
    }

    /// The emission handed to the epoch and whether it is exact (stated in the snapshot) or the
    /// parent's pending amounts (block B's accrual missing).
    pub fn epoch_emission(&self, state: &ChainState) -> Result<(u64, bool)> {
        Ok(match self.emission_override()? {
            Some(e) => (e, true),
            None => (state.pending_emission, false),
        })
    }

    /// One [`EpochInput`] per mechanism, exactly as `epoch_mechanism` reads its inputs, with the
    /// emission split across mechanisms.
    pub fn epoch_inputs(&self) -> Result<Vec<EpochInput>> {
        let state = self.chain_state()?;
        let (emission, _) = self.epoch_emission(&state)?;
        Ok(state_to_inputs(self.block, &state, emission))
    }
}

/// Build the per-mechanism inputs from decoded state.
pub fn state_to_inputs(block: u64, state: &ChainState, emission: u64) -> Vec<EpochInput> {
    let hp = &state.hyperparameters;
    let emissions = split_emissions(
        hp.mechanism_count,
        hp.mechanism_emission_split.as_deref(),
        emission,
    );
    state
        .mechanisms
        .iter()
        .zip(emissions)
        .map(|(m, e)| EpochInput {
            hyperparameters: hp.clone(),
            n: state.n,
            current_block: block,
            emission: e,
            alpha_stake: state.alpha_stake.clone(),
            tao_stake: state.tao_stake.clone(),
            block_at_registration: state.block_at_registration.clone(),
            last_update: m.last_update.clone(),
            validator_permit: state.validator_permit.clone(),
            owner_uid: state.owner_uid,
            weights: m.weights.clone(),
            bonds: m.bonds.clone(),
            last_mechanism_step_block: state.last_mechanism_step_block,
            commits: m.commits.clone(),
            current_epoch_index: state.current_epoch_index,
            // Read where the consensus mode picks it (spec 446+; `chain::consensus_source`).
            previous_consensus: state.previous_consensus.clone(),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "snapshot_read_tests.rs"]
mod legacy_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inheritance_moves_shares() {
        let half = u64::MAX / 2;
        // Giving half away leaves (about) half; receiving half of 1000 adds (about) 500.
        assert_eq!(inherited(1000, &[(half, AccountId32::ZERO)], &[]), 500);
        assert_eq!(inherited(0, &[], &[(half, 1000)]), 499);
        assert_eq!(inherited(1000, &[], &[]), 1000);
        assert_eq!(inherited(1000, &[(u64::MAX, AccountId32::ZERO)], &[]), 0);
    }
}
