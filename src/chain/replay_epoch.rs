//! The epoch part of `replay block` ([`super::replay_block`]): a subnet epoch that runs at the
//! child block, read from the parent capture and run by the engine, with the storage it writes.
//!
//! Inputs: the epoch's own reader over raw storage ([`super::snapshot_read`], the reader epoch
//! snapshots use: `SubnetworkN`, `Keys`, `BlockAtRegistration`, inherited stake, owner uid,
//! per-mechanism `LastUpdate`/`Weights`/`Bonds`/commits, hyperparameters) over the parent's
//! `storage`. A key the parent does not hold is listed by item, arguments and key
//! ([`EpochInputs::Missing`]); the reader asks level by level (subnet items, then per uid, then
//! per hotkey, then parents' stakes), so the list is the first level that lacks keys. A `null`
//! key is absent on chain and reads as its default.
//!
//! The run, after subtensor `coinbase/run_coinbase.rs` `drain_pending` /
//! `distribute_emissions_to_subnets` / `distribute_emission` and `subnets/mechanism.rs`
//! `epoch_with_mechanisms` (opentensor/subtensor @ 14bc6f9): the epoch gets
//! `PendingServerEmission + PendingValidatorEmission + PendingRootAlphaDivs` as drained in the
//! block (this block's accrual included; the owner cut is not part of it), split over the
//! mechanisms by `MechanismEmissionSplit`, at `current_block` = the child block
//! ([`super::verify::run_mechanisms`]).
//!
//! Writes ([`epoch_writes`]), as `persist_mechanism_epoch_terms` / `persist_netuid_epoch_terms`
//! store them: per mechanism storage index `Incentive[idx]` and `Bonds[idx][uid]` for every uid;
//! per netuid `Active`, `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`,
//! `ValidatorPermit`, `StakeWeight`; then `LastMechansimStepBlock[netuid] = block` (written after
//! the distribution). Rank, Trust and PruningScores are not written by these runtimes
//! (`yuma-epoch.md` §10).
//!
//! Not replayed, listed instead: from spec 445 a subnet with liquid alpha on reads its
//! `LiquidAlphaConsensusMode` and the stored `Consensus` ([`CONSENSUS_MODE_NOT_READ`]); the
//! distribution of the drained alpha to hotkeys ([`DISTRIBUTION_NOT_REPLAYED`]). Not compared:
//! `VotingPower` (written only where a subnet enabled voting-power tracking) and the
//! per-mechanism consensus items of newer runtimes.

use super::capture::{le_bytes, Capture};
use super::hex;
use super::scale::encode;
use super::snapshot::{render_args, Store};
use super::snapshot_read::{read_subnet_state, ChainState};
use super::storage::{netuid_index, KeyArg, StorageItem, ITEMS, SWAP_ITEMS};
use super::verify::run_mechanisms;
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::Rules;

/// The `needs` entry of the outputs of the drained alpha's distribution.
pub const DISTRIBUTION_NOT_REPLAYED: &str = "the distribution of the drained alpha (owner cut, miner incentives, parent/child dividends, takes, root dividends) is not replayed: its stake-book inputs (Owner, SubnetOwner, SubnetOwnerHotkey, ChildKeys, ParentKeys, ChildkeyTake, Delegates, TotalHotkeyAlpha, TotalHotkeySharesV2, AlphaV2) are not read from the parent";

/// The `needs` entry of an epoch whose liquid alpha may read the previous consensus (445+).
pub const CONSENSUS_MODE_NOT_READ: &str = "spec 445+ with liquid alpha on: the epoch reads LiquidAlphaConsensusMode and the stored Consensus, which the engine's key table does not hold";

/// The epoch inputs of one subnet at the parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpochInputs {
    /// Every input was captured.
    Read(Box<ChainState>),
    /// What the parent lacks (`Pallet.Item[args] (key …)`), or why the epoch is not replayed.
    Missing(Vec<String>),
}

/// One storage write of the epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochWrite {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// Full key, `0x` hex.
    pub key: String,
    /// SCALE value.
    pub value: Vec<u8>,
}

impl EpochWrite {
    /// Whether this is a bond row (compared without zero-valued entries).
    pub fn is_bonds(&self) -> bool {
        self.item == "SubtensorModule.Bonds"
    }
}

/// `Pallet.Item[args] (key …)` for a key of the engine's key table; the bare key otherwise.
pub fn describe_key(key_hex: &str) -> String {
    let Ok(key) = hex::decode(key_hex) else {
        return format!("key {key_hex}");
    };
    let found = ITEMS
        .iter()
        .chain(SWAP_ITEMS)
        .find(|it| key.starts_with(&it.prefix()));
    match found {
        Some(it) => {
            let args = it
                .split_key(&key)
                .map(|a| render_args(&a))
                .unwrap_or_else(|_| "[?]".into());
            format!("{}.{}{args} (key {key_hex})", it.pallet, it.name)
        }
        None => format!("key {key_hex}"),
    }
}

/// Read `netuid`'s epoch inputs from `parent`.
pub fn read_epoch_inputs(parent: &Capture, netuid: u16) -> Result<EpochInputs> {
    let mut st = Store::new(&parent.storage);
    let state = read_subnet_state(netuid, &mut st)?;
    if !st.missing.is_empty() {
        return Ok(EpochInputs::Missing(
            st.missing.iter().map(|k| describe_key(k)).collect(),
        ));
    }
    let Some(state) = state else {
        return Err(Error::new(
            ErrorCode::Internal,
            "epoch inputs complete but unread",
        ));
    };
    Ok(EpochInputs::Read(Box::new(state)))
}

/// Why an epoch whose inputs were read still cannot be run by the engine, if it cannot.
pub fn not_replayable(state: &ChainState, rules: &Rules) -> Option<&'static str> {
    (rules.liquid_alpha_consensus_mode && state.hyperparameters.liquid_alpha_enabled)
        .then_some(CONSENSUS_MODE_NOT_READ)
}

fn named(name: &str) -> Result<&'static StorageItem> {
    ITEMS
        .iter()
        .find(|i| i.name == name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))
}

fn write(out: &mut Vec<EpochWrite>, name: &str, args: &[KeyArg], value: Vec<u8>) -> Result<()> {
    let it = named(name)?;
    out.push(EpochWrite {
        item: format!("{}.{}", it.pallet, it.name),
        args: render_args(args),
        key: hex::encode(&it.key(args)?),
        value,
    });
    Ok(())
}

/// The items an epoch of `netuid` writes, by name and arguments, for `missing` entries when the
/// inputs (and so `n`) are unknown: mechanism 0's index stands for every mechanism, `*` for
/// every uid.
pub fn epoch_items(netuid: u16) -> Vec<(String, String)> {
    let one = format!("[{netuid}]");
    let mut v = vec![
        ("Incentive", one.clone()),
        ("Bonds", format!("[{netuid},*]")),
    ];
    for name in PER_NETUID {
        v.push((name, one.clone()));
    }
    v.push(("LastMechansimStepBlock", one));
    v.into_iter()
        .map(|(n, a)| (format!("SubtensorModule.{n}"), a))
        .collect()
}

const PER_NETUID: [&str; 7] = [
    "Active",
    "Emission",
    "Consensus",
    "Dividends",
    "ValidatorTrust",
    "ValidatorPermit",
    "StakeWeight",
];

/// Run `netuid`'s epoch from `state` at `block` on `emission` under `rules` and list its writes
/// in the chain's order.
pub fn epoch_writes(
    state: &ChainState,
    netuid: u16,
    block: u64,
    emission: u64,
    rules: &Rules,
) -> Result<Vec<EpochWrite>> {
    let (outs, agg) = run_mechanisms(block, state, emission, rules, false)?;
    let mut w = Vec::new();
    for (m, out) in outs.iter().enumerate() {
        let idx = netuid_index(netuid, u8::try_from(m).unwrap_or(u8::MAX))?;
        write(
            &mut w,
            "Incentive",
            &[KeyArg::U16(idx)],
            encode::<Vec<u16>>(&out.incentive),
        )?;
        for uid in 0..state.n {
            let row = out.bonds.get(usize::from(uid)).cloned().unwrap_or_default();
            write(
                &mut w,
                "Bonds",
                &[KeyArg::U16(idx), KeyArg::U16(uid)],
                encode::<Vec<(u16, u16)>>(&row),
            )?;
        }
    }
    let nu = [KeyArg::U16(netuid)];
    write(&mut w, "Active", &nu, encode::<Vec<bool>>(&agg.active))?;
    write(&mut w, "Emission", &nu, encode::<Vec<u64>>(&agg.emission))?;
    write(&mut w, "Consensus", &nu, encode::<Vec<u16>>(&agg.consensus))?;
    write(&mut w, "Dividends", &nu, encode::<Vec<u16>>(&agg.dividends))?;
    write(
        &mut w,
        "ValidatorTrust",
        &nu,
        encode::<Vec<u16>>(&agg.validator_trust),
    )?;
    write(
        &mut w,
        "ValidatorPermit",
        &nu,
        encode::<Vec<bool>>(&agg.validator_permit),
    )?;
    write(
        &mut w,
        "StakeWeight",
        &nu,
        encode::<Vec<u16>>(&agg.stake_weight),
    )?;
    write(
        &mut w,
        "LastMechansimStepBlock",
        &nu,
        block.to_le_bytes().to_vec(),
    )?;
    Ok(w)
}

/// `SubnetEpochIndex[netuid]` after a consumed epoch slot (`drain_pending` adds one whether the
/// epoch runs or is skipped): the write, or the parent key it needs.
pub fn epoch_index_write(
    parent: &Capture,
    netuid: u16,
) -> Result<core::result::Result<EpochWrite, String>> {
    let it = named("SubnetEpochIndex")?;
    let args = [KeyArg::U16(netuid)];
    let key = hex::encode(&it.key(&args)?);
    let Some(v) = parent.storage.get(&key) else {
        return Ok(Err(describe_key(&key)));
    };
    let index = match v {
        Some(h) => u64::from_le_bytes(le_bytes::<8>(
            &hex::decode(h)?,
            "SubtensorModule.SubnetEpochIndex",
        )?),
        None => 0,
    };
    Ok(Ok(EpochWrite {
        item: format!("{}.{}", it.pallet, it.name),
        args: render_args(&args),
        key,
        value: index.saturating_add(1).to_le_bytes().to_vec(),
    }))
}

/// The encoded default of an epoch write's item (what a `null` child value means).
pub fn default_of(w: &EpochWrite) -> Option<Vec<u8>> {
    let name = w.item.rsplit('.').next().unwrap_or_default();
    named(name).ok().and_then(StorageItem::default_bytes)
}

/// The distribution's outputs on `netuid` that are listed, not compared (see
/// [`DISTRIBUTION_NOT_REPLAYED`]): what `distribute_dividends_and_incentives` writes
/// (subtensor `coinbase/run_coinbase.rs` @ 14bc6f9; `emission-after-425.md` §3 for 441+), by
/// name, `*` for every hotkey or coldkey. Root dividends become `RootClaimable` rates up to spec
/// 440 and queued basket deposits from 441.
pub fn distribution_items(netuid: u16, rules: &Rules) -> Vec<(String, String)> {
    let mut v = vec![
        ("TotalHotkeyAlpha", format!("[*,{netuid}]")),
        ("TotalHotkeySharesV2", format!("[*,{netuid}]")),
        ("AlphaV2", format!("[*,*,{netuid}]")),
        ("TotalHotkeyAlphaLastEpoch", format!("[*,{netuid}]")),
        ("AlphaDividendsPerSubnet", format!("[{netuid},*]")),
        ("RootAlphaDividendsPerSubnet", format!("[{netuid},*]")),
        ("MinerBurned", format!("[{netuid}]")),
    ];
    match rules.root_dividends {
        crate::runtime::RootDividends::Claimable => v.push(("RootClaimable", "[*]".into())),
        crate::runtime::RootDividends::Fund => {
            v.push(("PendingBasketDeposits", format!("[*,{netuid}]")))
        }
    }
    v.into_iter()
        .map(|(n, a)| (format!("SubtensorModule.{n}"), a))
        .collect()
}

/// A bond row without zero-valued entries (`(j, 0)` and an absent `j` are the same bond).
pub fn nonzero_row(bytes: &[u8]) -> Option<Vec<(u16, u16)>> {
    super::scale::decode_all::<Vec<(u16, u16)>>(bytes)
        .ok()
        .map(|r| r.into_iter().filter(|e| e.1 != 0).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_described_by_item_and_arguments() {
        let it = named("Bonds").unwrap();
        let k = hex::encode(&it.key(&[KeyArg::U16(4097), KeyArg::U16(3)]).unwrap());
        assert_eq!(
            describe_key(&k),
            format!("SubtensorModule.Bonds[4097,3] (key {k})")
        );
        assert_eq!(describe_key("0x0102"), "key 0x0102");
    }

    #[test]
    fn bond_rows_compare_without_zeros() {
        let a = encode::<Vec<(u16, u16)>>(&vec![(0, 5), (1, 0)]);
        let b = encode::<Vec<(u16, u16)>>(&vec![(0, 5)]);
        assert_ne!(a, b);
        assert_eq!(nonzero_row(&a), nonzero_row(&b));
        assert_eq!(nonzero_row(&[0xff]), None);
    }
}
