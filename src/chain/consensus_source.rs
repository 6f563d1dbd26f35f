//! The consensus source of an epoch on a storage capture (spec 446+): which `ConsensusMode` a
//! Yuma3 subnet with liquid alpha on runs under (`LiquidAlphaConsensusMode[netuid]`), and, where
//! the mode picks it, the previous epoch's stored `Consensus[netuid]`, read as the last level of
//! [`super::capture_epoch::read_epoch_inputs`]. The selection itself is
//! [`crate::consensus::consensus_mode`].
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
use super::snapshot_read::ChainState;
use super::storage::KeyArg;
use crate::consensus::ConsensusMode;
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::timeline::{self, Feature};
use crate::runtime::Rules;

/// The `needs` entry of an epoch of a subnet with several mechanisms whose liquid alpha reads the
/// previous consensus (446+): newer runtimes keep it per mechanism (`ConsensusByMechanism`),
/// which one reads it is not known ([`Feature::ConsensusByMechanism`]).
pub const CONSENSUS_BY_MECHANISM_NOT_READ: &str = "spec 446+, liquid alpha on, several mechanisms: which runtimes read the previous consensus per mechanism (ConsensusByMechanism) instead of Consensus[netuid] is not known";

/// Whether the epoch's liquid alpha may read the stored consensus: the runtime has
/// `LiquidAlphaConsensusMode` and the subnet runs Yuma3 with liquid alpha on (the mode is applied
/// only in Yuma3's bonds step, [`crate::consensus::consensus_mode`]).
fn mode_applies(state: &ChainState, rules: &Rules) -> bool {
    let hp = &state.hyperparameters;
    rules.liquid_alpha_consensus_mode && hp.liquid_alpha_enabled && hp.yuma3_enabled
}

/// Last level of the read: `LiquidAlphaConsensusMode[netuid]` where the mode applies, then the
/// stored `Consensus[netuid]` where the mode picks it (the chain reads it in that case only).
pub(crate) fn read_consensus_source(
    st: &mut Store<'_>,
    netuid: u16,
    rules: &Rules,
    state: &mut ChainState,
) -> Result<()> {
    if !mode_applies(state, rules) {
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
    let hp = &mut state.hyperparameters;
    hp.liquid_alpha_consensus_mode = mode;
    if mode.uses_previous(hp.bonds_penalty) {
        state.previous_consensus = st.item::<Vec<u16>>("Consensus", &nu)?.unwrap_or_default();
    }
    Ok(())
}

const MODE_ITEM: &str = "LiquidAlphaConsensusMode";

/// Why an epoch whose inputs were read still cannot be run by the engine, if it cannot (the
/// `needs` of its writes): the consensus-source keys the parent lacks (`Pallet.Item[args] (key
/// …)`), or a subnet with several mechanisms whose liquid alpha reads the previous consensus,
/// which the runtime may keep per mechanism ([`CONSENSUS_BY_MECHANISM_NOT_READ`]).
pub fn not_replayable(state: &ChainState, rules: &Rules) -> Option<Vec<String>> {
    if !state.unread.is_empty() {
        return Some(state.unread.clone());
    }
    let hp = &state.hyperparameters;
    (mode_applies(state, rules)
        && hp.mechanism_count > 1
        && hp
            .liquid_alpha_consensus_mode
            .uses_previous(hp.bonds_penalty)
        && timeline::unpinned(Feature::ConsensusByMechanism, rules.rules_spec))
    .then(|| vec![CONSENSUS_BY_MECHANISM_NOT_READ.to_string()])
}
