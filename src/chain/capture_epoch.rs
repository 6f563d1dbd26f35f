//! A subnet's epoch on a storage capture: the one model behind `replay block` (epochs due at the
//! child block, [`super::replay_block`]) and `replay epoch` (one subnet, [`super::replay_epoch`]).
//!
//! Inputs ([`read_epoch_inputs`]): the epoch's own reader over raw storage
//! ([`super::snapshot_read`], the reader epoch snapshots use: `SubnetworkN`, `Keys`,
//! `BlockAtRegistration`, inherited stake, owner uid, per-mechanism `LastUpdate`/`Weights`/`Bonds`/
//! commits, hyperparameters) over the parent's `storage`. A key the parent does not hold is listed
//! by item, arguments and key ([`EpochInputs::Missing`]); the reader asks level by level (subnet
//! items, then per uid, then per hotkey, then parents' stakes), so the list is the first level
//! that lacks keys and a caller fetches and asks again. A `null` key is absent on chain and reads
//! as its default.
//!
//! The run ([`epoch_writes`]), after subtensor `subnets/mechanism.rs` `epoch_with_mechanisms`
//! (opentensor/subtensor @ 14bc6f9; `yuma-epoch.md` §2–§5): the emission split over the
//! mechanisms by `MechanismEmissionSplit`, every mechanism run at `current_block` = the epoch block
//! ([`super::verify::run_mechanisms`], the function the snapshot verification uses), the outputs
//! aggregated as the chain does. The emission is the caller's: `replay block` hands the drained
//! `PendingServerEmission + PendingValidatorEmission + PendingRootAlphaDivs` (this block's accrual
//! included; the owner cut is not part of it), `replay epoch` the rao the caller states.
//!
//! Writes, as `persist_mechanism_epoch_terms` / `persist_netuid_epoch_terms` store them, in that
//! order: per mechanism storage index `Incentive[idx]` and `Bonds[idx][uid]` for every uid; per
//! netuid `Active`, `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`, `ValidatorPermit`,
//! `StakeWeight`; then `LastMechansimStepBlock[netuid] = block` (written after the distribution).
//! Rank, Trust and PruningScores are not written by these runtimes (`yuma-epoch.md` §10).
//!
//! Equality with the child ([`compare_write`], the same in both uses; the verification's
//! conventions, [`super::verify`]): a vector compares on the uids the epoch ran on (`SubnetworkN` at
//! the parent; uids registered by the block's extrinsics are appended after the epoch), a bond row
//! without zero-valued entries (a stored `(j, 0)` and an absent `j` are the same bond), a `null`
//! child value as the item's default. A child that does not hold a written key lists it under
//! `missing` (`CHILD: …`); a malformed child value is `DECODE` naming the item.
//!
//! `replay block` also compares the slot the drain consumes, `SubnetEpochIndex`
//! ([`epoch_index_write`], run or skipped alike), with the same [`compare_write`].
//!
//! From spec 446 a Yuma3 subnet with liquid alpha on also reads `LiquidAlphaConsensusMode` and,
//! where the mode picks it (`Previous`, or `Auto` with a bonds penalty of 65535), the stored
//! `Consensus` ([`crate::consensus::consensus_mode`]), as the last level of the read
//! ([`super::consensus_source`]).
//!
//! Not replayed, listed instead: such an epoch on a subnet with several mechanisms
//! ([`CONSENSUS_BY_MECHANISM_NOT_READ`]); in
//! `replay block`, the alpha the distribution recycles ([`DISTRIBUTION_NOT_REPLAYED`]) and, where
//! the payout is not computed, its items ([`distribution_items`]); in `replay epoch`, `Emission` unless the caller states the emission
//! and every write when two uids share a hotkey (see [`super::replay_epoch`]). Not compared:
//! `VotingPower` (written only where a subnet enabled voting-power tracking) and the
//! per-mechanism consensus items of newer runtimes.

use super::capture::{le_bytes, Capture};
pub use super::consensus_source::CONSENSUS_BY_MECHANISM_NOT_READ;
use super::consensus_source::{per_mechanism_unknown, read_consensus_source};
use super::hex;
use super::replay_report::{ItemCheck, MissingItem};
use super::scale::{decode_all, encode, Codec};
use super::snapshot::{render_args, Store};
pub use super::snapshot_read::EpochReads;
use super::snapshot_read::{read_subnet_state_as, ChainState};
use super::storage::{netuid_index, KeyArg, StorageItem, ITEMS, SWAP_ITEMS};
use super::verify::run_mechanisms;
use crate::consensus::EpochOutput;
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::Rules;

/// The `needs` entry of `SubnetAlphaOut` and `RootProp` of a subnet whose epoch ran (the
/// distribution's own writes are [`super::capture_distribution`]'s).
pub const DISTRIBUTION_NOT_REPLAYED: &str = "the alpha the distribution recycles or burns (owner-hotkey incentives, child-key burn) is not replayed into SubnetAlphaOut and RootProp";

/// The epoch inputs of one subnet at the parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpochInputs {
    /// Every input was captured.
    Read(Box<ChainState>),
    /// What the parent lacks (`Pallet.Item[args] (key …)`).
    Missing(Vec<String>),
}

/// How an epoch write's value is typed, which decides its equality with the child's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// `Vec<u16>` per uid.
    U16s,
    /// `Vec<u64>` per uid.
    U64s,
    /// `Vec<bool>` per uid.
    Bools,
    /// One bond row `Vec<(u16, u16)>`.
    BondRow,
    /// A `u64` (block number, epoch index).
    U64,
    /// Any other value: equal when the bytes are (the chain's encoding is canonical).
    Raw,
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
    /// The value's type.
    pub kind: WriteKind,
}

impl EpochWrite {
    /// Whether this is `LastMechansimStepBlock` (the mark that the epoch ran at the block).
    pub fn is_step_block(&self) -> bool {
        self.item == "SubtensorModule.LastMechansimStepBlock"
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
                .split_prefix(&key)
                .map(|a| render_args(&a))
                .unwrap_or_else(|_| "[?]".into());
            format!("{}.{}{args} (key {key_hex})", it.pallet, it.name)
        }
        None => format!("key {key_hex}"),
    }
}

/// Read `netuid`'s epoch inputs from `parent` as the runtime of `rules` reads them.
pub fn read_epoch_inputs(parent: &Capture, netuid: u16, rules: &Rules) -> Result<EpochInputs> {
    read_epoch_inputs_as(parent, netuid, rules, EpochReads::Stateful)
}

/// [`read_epoch_inputs`] as the runtime of `reads` reads them (before spec 423:
/// [`EpochReads::Legacy`], `replay block` at the v3 runtimes, [`super::replay_v3_epoch`]).
pub fn read_epoch_inputs_as(
    parent: &Capture,
    netuid: u16,
    rules: &Rules,
    reads: EpochReads,
) -> Result<EpochInputs> {
    let mut st = Store::new(&parent.storage);
    let mut state = read_subnet_state_as(netuid, &mut st, reads)?;
    if let Some(s) = state.as_mut().filter(|_| !st.pending()) {
        // The consensus source decides only the epoch's own math: keys it lacks leave the drain
        // (whether the epoch runs) known, so they are kept apart ([`not_replayable`]).
        read_consensus_source(
            &mut st,
            netuid,
            rules,
            &mut s.hyperparameters,
            &mut s.previous_consensus,
        )?;
        s.unread = std::mem::take(&mut st.missing)
            .iter()
            .map(|k| describe_key(k))
            .collect();
    }
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

/// Why an epoch whose inputs were read still cannot be run by the engine, if it cannot (the
/// `needs` of its writes): the consensus-source keys the parent lacks (`Pallet.Item[args] (key
/// …)`), or a subnet with several mechanisms whose liquid alpha reads the previous consensus,
/// which the runtime may keep per mechanism ([`CONSENSUS_BY_MECHANISM_NOT_READ`]).
pub fn not_replayable(state: &ChainState, rules: &Rules) -> Option<Vec<String>> {
    if !state.unread.is_empty() {
        return Some(state.unread.clone());
    }
    per_mechanism_unknown(&state.hyperparameters, rules).map(|why| vec![why.to_string()])
}

fn named(name: &str) -> Result<&'static StorageItem> {
    ITEMS
        .iter()
        .find(|i| i.name == name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))
}

/// The full key of `name[args]`, `0x` hex.
pub fn key_hex(name: &str, args: &[KeyArg]) -> Result<String> {
    Ok(hex::encode(&named(name)?.key(args)?))
}

fn write(
    out: &mut Vec<EpochWrite>,
    name: &str,
    args: &[KeyArg],
    kind: WriteKind,
    value: Vec<u8>,
) -> Result<()> {
    let it = named(name)?;
    out.push(EpochWrite {
        item: format!("{}.{}", it.pallet, it.name),
        args: render_args(args),
        key: hex::encode(&it.key(args)?),
        value,
        kind,
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
    for (name, _) in PER_NETUID {
        v.push((name, one.clone()));
    }
    v.push(("LastMechansimStepBlock", one));
    v.into_iter()
        .map(|(n, a)| (format!("SubtensorModule.{n}"), a))
        .collect()
}

const PER_NETUID: [(&str, WriteKind); 7] = [
    ("Active", WriteKind::Bools),
    ("Emission", WriteKind::U64s),
    ("Consensus", WriteKind::U16s),
    ("Dividends", WriteKind::U16s),
    ("ValidatorTrust", WriteKind::U16s),
    ("ValidatorPermit", WriteKind::Bools),
    ("StakeWeight", WriteKind::U16s),
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
    epoch_run(state, netuid, block, emission, rules).map(|(w, _)| w)
}

/// [`epoch_writes`] and each mechanism's output (the per-uid server and validator emission the
/// distribution pays, [`super::capture_distribution`]).
pub fn epoch_run(
    state: &ChainState,
    netuid: u16,
    block: u64,
    emission: u64,
    rules: &Rules,
) -> Result<(Vec<EpochWrite>, Vec<EpochOutput>)> {
    let (outs, agg) = run_mechanisms(block, state, emission, rules, false)?;
    let mut w = Vec::new();
    for (m, out) in outs.iter().enumerate() {
        let idx = KeyArg::U16(netuid_index(netuid, u8::try_from(m).unwrap_or(u8::MAX))?);
        let inc = encode::<Vec<u16>>(&out.incentive);
        write(&mut w, "Incentive", &[idx], WriteKind::U16s, inc)?;
        for uid in 0..state.n {
            let row = out.bonds.get(usize::from(uid)).cloned().unwrap_or_default();
            let args = [idx, KeyArg::U16(uid)];
            let row = encode::<Vec<(u16, u16)>>(&row);
            write(&mut w, "Bonds", &args, WriteKind::BondRow, row)?;
        }
    }
    let nu = [KeyArg::U16(netuid)];
    for (name, kind) in PER_NETUID {
        let value = match name {
            "Active" => encode::<Vec<bool>>(&agg.active),
            "Emission" => encode::<Vec<u64>>(&agg.emission),
            "Consensus" => encode::<Vec<u16>>(&agg.consensus),
            "Dividends" => encode::<Vec<u16>>(&agg.dividends),
            "ValidatorTrust" => encode::<Vec<u16>>(&agg.validator_trust),
            "ValidatorPermit" => encode::<Vec<bool>>(&agg.validator_permit),
            _ => encode::<Vec<u16>>(&agg.stake_weight),
        };
        write(&mut w, name, &nu, kind, value)?;
    }
    let step = encode::<u64>(&block);
    write(&mut w, "LastMechansimStepBlock", &nu, WriteKind::U64, step)?;
    Ok((w, outs))
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
        kind: WriteKind::U64,
    }))
}

/// The distribution's outputs on `netuid` by item, for `missing` entries when the payout is not
/// computed ([`super::capture_distribution`] lists why): what `distribute_dividends_and_incentives` writes
/// (subtensor `coinbase/run_coinbase.rs` @ 14bc6f9; `emission-after-425.md` §3 for 441+), by
/// name, `*` for every hotkey or coldkey. Root dividends become `RootClaimable` rates up to spec
/// 440 and queued basket deposits from 441.
pub fn distribution_items(netuid: u16, rules: &Rules) -> Vec<(String, String)> {
    let mut v = vec![
        ("TotalHotkeyAlpha", format!("[*,{netuid}]")),
        ("TotalHotkeySharesV2", format!("[*,{netuid}]")),
        ("AlphaV2", format!("[*,*,{netuid}]")),
        // The legacy entries a touched pool still holds, removed as it migrates.
        ("TotalHotkeyShares", format!("[*,{netuid}]")),
        ("Alpha", format!("[*,*,{netuid}]")),
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
    if rules.total_alpha_staked {
        v.push(("TotalAlphaStaked", format!("[{netuid}]")));
    }
    if rules.share_pool_closing {
        v.push(("AlphaSharePoolEpoch", format!("[*,{netuid}]")));
        v.push(("AlphaShareEpoch", format!("[*,*,{netuid}]")));
    }
    if rules.collateral {
        v.push(("MinerCollateral", format!("[{netuid},*,*]")));
        v.push(("ColdkeyMinerCollateral", format!("[{netuid},*]")));
        v.push(("ColdkeyCollateralHotkeys", format!("[{netuid},*]")));
    }
    v.into_iter()
        .map(|(n, a)| (format!("SubtensorModule.{n}"), a))
        .collect()
}

fn first_n_equal<T: PartialEq>(chain: &[T], engine: &[T], n: u16) -> bool {
    (0..usize::from(n)).all(|i| chain.get(i) == engine.get(i))
}

fn nonzero(r: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    r.into_iter().filter(|e| e.1 != 0).collect()
}

/// Whether the child's stored bytes equal the engine's under `kind` on `n` uids (see the module
/// doc), and how many entries the child's vector holds (0 for a non-vector).
fn equals(
    kind: WriteKind,
    chain: &[u8],
    engine: &[u8],
    n: u16,
    field: &str,
) -> Result<(bool, usize)> {
    fn dec<C: Codec>(b: &[u8], field: &str) -> Result<C::Value> {
        decode_all::<C>(b).map_err(|e| Error {
            message: format!("{field}: {}", e.message),
            field: Some(field.to_string()),
            ..e
        })
    }
    fn vecs<T: Codec>(c: &[u8], e: &[u8], n: u16, f: &str) -> Result<(bool, usize)>
    where
        T::Value: PartialEq,
    {
        let (c, e) = (dec::<Vec<T>>(c, f)?, dec::<Vec<T>>(e, f)?);
        Ok((first_n_equal(&c, &e, n), c.len()))
    }
    match kind {
        WriteKind::U16s => vecs::<u16>(chain, engine, n, field),
        WriteKind::U64s => vecs::<u64>(chain, engine, n, field),
        WriteKind::Bools => vecs::<bool>(chain, engine, n, field),
        WriteKind::BondRow => {
            let c = dec::<Vec<(u16, u16)>>(chain, field)?;
            let e = dec::<Vec<(u16, u16)>>(engine, field)?;
            Ok((nonzero(c) == nonzero(e), 0))
        }
        WriteKind::U64 => Ok((dec::<u64>(chain, field)? == dec::<u64>(engine, field)?, 0)),
        WriteKind::Raw => Ok((chain == engine, 0)),
    }
}

/// Compare one epoch write of an epoch on `uids` uids with `child`: pushed to `items`, or to
/// `missing` when the child does not hold the key. Returns the entries of the child's vector
/// (0 for a non-vector or a missing key).
pub fn compare_write(
    child: &Capture,
    w: &EpochWrite,
    uids: u16,
    items: &mut Vec<ItemCheck>,
    missing: &mut Vec<MissingItem>,
) -> Result<usize> {
    let Some(expected) = child.storage.get(&w.key) else {
        missing.push(MissingItem {
            item: w.item.clone(),
            args: w.args.clone(),
            needs: vec![format!("CHILD: {}{} (key {})", w.item, w.args, w.key)],
        });
        return Ok(0);
    };
    let effective = match expected {
        Some(h) => hex::decode(h)?,
        None => {
            let name = w.item.rsplit('.').next().unwrap_or_default();
            named(name)?.default_bytes().unwrap_or_default()
        }
    };
    let name = w.item.rsplit('.').next().unwrap_or_default();
    let field = format!("{name}{}", w.args);
    let (equal, len) = equals(w.kind, &effective, &w.value, uids, &field)?;
    items.push(ItemCheck {
        item: w.item.clone(),
        args: w.args.clone(),
        key: w.key.clone(),
        expected: expected.clone(),
        actual: Some(hex::encode(&w.value)),
        equal,
    });
    Ok(len)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_described_by_item_and_arguments() {
        let k = key_hex("Bonds", &[KeyArg::U16(4097), KeyArg::U16(3)]).unwrap();
        assert_eq!(
            describe_key(&k),
            format!("SubtensorModule.Bonds[4097,3] (key {k})")
        );
        assert_eq!(describe_key("0x0102"), "key 0x0102");
    }

    #[test]
    fn bond_rows_compare_without_zeros_and_vectors_on_the_epochs_uids() {
        let row = |r: Vec<(u16, u16)>| encode::<Vec<(u16, u16)>>(&r);
        let (a, b) = (row(vec![(0, 5), (1, 0)]), row(vec![(0, 5)]));
        assert_ne!(a, b);
        assert_eq!(
            equals(WriteKind::BondRow, &a, &b, 2, "Bonds").unwrap(),
            (true, 0)
        );
        let c = row(vec![(0, 6)]);
        assert!(!equals(WriteKind::BondRow, &c, &b, 2, "Bonds").unwrap().0);
        let bad = equals(WriteKind::BondRow, &[0xff], &b, 2, "Bonds").unwrap_err();
        assert_eq!(bad.code, ErrorCode::Decode);
        // A uid registered after the epoch is appended; a shorter child vector is a mismatch.
        let v = |x: Vec<u16>| encode::<Vec<u16>>(&x);
        let engine = v(vec![1, 2]);
        let later = equals(WriteKind::U16s, &v(vec![1, 2, 0]), &engine, 2, "Dividends");
        assert_eq!(later.unwrap(), (true, 3));
        let short = equals(WriteKind::U16s, &v(vec![1]), &engine, 2, "Dividends");
        assert!(!short.unwrap().0);
    }
}
