//! The consensus source of an epoch on raw storage (spec 446+): which `ConsensusMode` a Yuma3
//! subnet with liquid alpha on runs under (`LiquidAlphaConsensusMode[netuid]`), and, where the
//! mode picks it, the previous epoch's stored `Consensus[netuid]`, read as the last level of a
//! capture's epoch inputs ([`super::capture_epoch::read_epoch_inputs`]) and of an epoch
//! snapshot's inputs when the snapshot names its runtime ([`super::snapshot_read`]). The selection
//! itself is [`crate::consensus::consensus_mode`].
//!
//! Upstream (`RaoFoundation/subtensor`): the storage item in `pallets/subtensor/src/lib.rs`
//! (index id 68884137211: `Identity NetUid -> ConsensusMode`, `ValueQuery`, default `Auto`); the
//! reader `compute_consensus_for_liquid_alpha` in `pallets/subtensor/src/epoch/run_epoch.rs` @
//! 76671f67 (id 61396157298), called only in the Yuma3 bonds step and reading `Consensus[netuid]`
//! for every mechanism. The newest `lib.rs` also declares `ConsensusByMechanism` ("previous epoch
//! consensus for each mechanism"), whose reader and first spec were not found
//! ([`Feature::ConsensusByMechanism`], unpinned): a subnet with one mechanism stores the same
//! vector under both items, so only subnets with several are listed, not replayed.

use super::snapshot::Store;
use super::storage::KeyArg;
use crate::consensus::{ConsensusMode, Hyperparameters};
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::timeline::{self, Feature};
use crate::runtime::Rules;

/// The `needs` entry of an epoch of a subnet with several mechanisms whose liquid alpha reads the
/// previous consensus (446+): newer runtimes keep it per mechanism (`ConsensusByMechanism`),
/// which one reads it is not known ([`Feature::ConsensusByMechanism`]).
pub const CONSENSUS_BY_MECHANISM_NOT_READ: &str = "spec 446+, liquid alpha on, several mechanisms: which runtimes read the previous consensus per mechanism (ConsensusByMechanism) instead of Consensus[netuid] is not known";

const MODE_ITEM: &str = "LiquidAlphaConsensusMode";

/// Whether the epoch's liquid alpha may read the stored consensus: the runtime has
/// `LiquidAlphaConsensusMode` and the subnet runs Yuma3 with liquid alpha on (the mode is applied
/// only in Yuma3's bonds step, [`crate::consensus::consensus_mode`]).
pub fn mode_applies(hp: &Hyperparameters, rules: &Rules) -> bool {
    rules.liquid_alpha_consensus_mode && hp.liquid_alpha_enabled && hp.yuma3_enabled
}

/// Read `LiquidAlphaConsensusMode[netuid]` into `hp` where the mode applies, then the stored
/// `Consensus[netuid]` into `previous` where the mode picks it (the chain reads it in that case
/// only). Keys `st` lacks are recorded there; a mode byte outside the enum is `DECODE`.
pub(crate) fn read_consensus_source(
    st: &mut Store<'_>,
    netuid: u16,
    rules: &Rules,
    hp: &mut Hyperparameters,
    previous: &mut Vec<u16>,
) -> Result<()> {
    if !mode_applies(hp, rules) {
        return Ok(());
    }
    let nu = [KeyArg::U16(netuid)];
    let byte = st.item::<u8>(MODE_ITEM, &nu)?.unwrap_or(2);
    if st.pending() {
        return Ok(());
    }
    let mode = ConsensusMode::from_index(byte).ok_or_else(|| {
        let field = format!("{MODE_ITEM}[{netuid}]");
        Error::field(
            ErrorCode::Decode,
            field.clone(),
            format!("{field}: {byte} is not a ConsensusMode (0, 1 or 2)"),
        )
    })?;
    hp.liquid_alpha_consensus_mode = mode;
    if mode.uses_previous(hp.bonds_penalty) {
        *previous = st.item::<Vec<u16>>("Consensus", &nu)?.unwrap_or_default();
    }
    Ok(())
}

/// [`CONSENSUS_BY_MECHANISM_NOT_READ`] where it applies: a subnet with several mechanisms whose
/// liquid alpha reads the previous consensus, under a runtime that may keep it per mechanism.
pub fn per_mechanism_unknown(hp: &Hyperparameters, rules: &Rules) -> Option<&'static str> {
    (mode_applies(hp, rules)
        && hp.mechanism_count > 1
        && hp
            .liquid_alpha_consensus_mode
            .uses_previous(hp.bonds_penalty)
        && timeline::unpinned(Feature::ConsensusByMechanism, rules.rules_spec))
    .then_some(CONSENSUS_BY_MECHANISM_NOT_READ)
}
