//! `replay epoch PARENT [CHILD] --netuid N [--emission RAO]`: one subnet's epoch at block
//! `PARENT.block + 1` run by the engine on a storage capture (issue 13, items 3 and 4), and
//! compared item by item with the capture of the epoch block when one is given.
//!
//! The epoch is the model [`super::capture_epoch`] that `replay block` runs for the epochs due at
//! its block: the same reader, run, writes and equality. What differs is the caller's part:
//! * the emission is the rao the caller states; without it the parent's pending emission is used
//!   and `Emission` is listed, not compared ([`EMISSION_NOT_STATED`]): that value lacks block
//!   `B`'s own coinbase accrual;
//! * the rules are the parent runtime's, the nearest known ones for an unknown runtime
//!   (`approximate`, with a note);
//! * `LastMechansimStepBlock` is the precondition (which block's epoch is meant): the child must be
//!   the parent's next block and, when it holds the item, name that block; it is checked, not
//!   counted among the items;
//! * every write is listed when two uids share a hotkey ([`DUPLICATE_HOTKEYS`]: the chain skips
//!   such an epoch); while the parent lacks an input, every write is listed with the inputs it
//!   lacks (bond rows as one `[netuid,*]` entry: the uids are not known before the inputs are).
//!
//! The report ([`EpochReplay`]) is `replay block`'s plus `uids`, `computed` (every write the engine
//! made, as the chain would store it), `emission`, `emission_exact` and `notes`.

use super::capture::Capture;
use super::capture_epoch::{
    compare_write, epoch_items, epoch_writes, key_hex, not_replayable, read_epoch_inputs,
    EpochInputs,
};
use super::hex;
use super::replay_report::MissingItem;
pub use super::replay_report::{ComputedItem, EpochReplay};
use super::scale::{decode_all, encode};
use super::snapshot::Snapshot;
use super::storage::{netuid_index, KeyArg};
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::{Approximation, Rules, RuntimeFeatures};

/// The `needs` entry of `Emission` when the caller did not state the epoch's emission.
pub const EMISSION_NOT_STATED: &str = "the epoch's emission: the parent's pending emission lacks the epoch block's own coinbase accrual; state the rao the epoch distributes (--emission)";

/// The `needs` entry of every output when two uids share a hotkey.
pub const DUPLICATE_HOTKEYS: &str =
    "two uids share a hotkey: the chain skips this subnet's epoch (the outputs stay the previous epoch's)";

/// The epoch's writes listed under `missing` with the same `needs` (replay epoch: the step block
/// is its precondition, not an output).
fn all_missing(netuid: u16, needs: &[String]) -> Vec<MissingItem> {
    epoch_items(netuid)
        .into_iter()
        .filter(|(item, _)| !item.ends_with(".LastMechansimStepBlock"))
        .map(|(item, args)| MissingItem {
            item,
            args,
            needs: needs.to_vec(),
        })
        .collect()
}

/// The child of `replay epoch` must be the parent's next block, and its
/// `LastMechansimStepBlock[netuid]`, when held, must say the epoch ran at it. Returns the notes.
fn check_child(child: &Capture, netuid: u16, block: u64) -> Result<Vec<String>> {
    if child.block != block {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "child",
            format!(
                "the child is block {}, not the block after the parent's {}",
                child.block,
                block.saturating_sub(1)
            ),
        ));
    }
    let step = key_hex("LastMechansimStepBlock", &[KeyArg::U16(netuid)])?;
    let Some(Some(v)) = child.storage.get(&step) else {
        return Ok(vec![format!("The child does not hold LastMechansimStepBlock[{netuid}]: that an epoch ran at block {block} is not checked.")]);
    };
    let at = decode_all::<u64>(&hex::decode(v)?).map_err(|e| e.with_field("child"))?;
    if at != block {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "child",
            format!("no epoch of subnet {netuid} ran at block {block}: the child's LastMechansimStepBlock is {at}"),
        ));
    }
    Ok(Vec::new())
}

/// `replay epoch`: run subnet `netuid`'s epoch at block `parent.block + 1` from `parent` under the
/// parent's runtime rules (the nearest known ones for an unknown runtime: `approximate`), and
/// compare every write with `child` (the capture at that block) when given. `emission`: the rao
/// the epoch distributes, when known (else the parent's pending emission is used and `Emission`
/// is listed, not compared). `LastMechansimStepBlock` is the precondition here (which block's
/// epoch), checked, not counted.
///
/// Errors: a child that is not the parent's next block, or whose `LastMechansimStepBlock` says no
/// epoch of the subnet ran at it (`OUT_OF_RANGE`, field `child`); a netuid of 4096 or more
/// (`OUT_OF_RANGE`); malformed stored values (`DECODE`, naming the item).
pub fn replay_epoch(
    parent: &Capture,
    netuid: u16,
    child: Option<&Capture>,
    emission: Option<u64>,
) -> Result<EpochReplay> {
    netuid_index(netuid, 0)?;
    let block = parent.block.saturating_add(1);
    let notes = match child {
        Some(c) => check_child(c, netuid, block)?,
        None => Vec::new(),
    };
    let mut r = EpochReplay {
        spec_version: parent.spec_version,
        block,
        netuid,
        uids: 0,
        items: Vec::new(),
        missing: Vec::new(),
        computed: Vec::new(),
        emission: None,
        emission_exact: emission.is_some(),
        approximate: false,
        notes,
    };
    let rules = Rules::resolve(
        parent.spec_version,
        Approximation::Nearest,
        RuntimeFeatures::default(),
    )?;
    let state = match read_epoch_inputs(parent, netuid, &rules)? {
        EpochInputs::Read(s) => s,
        EpochInputs::Missing(needs) => {
            r.missing = all_missing(netuid, &needs);
            return Ok(r);
        }
    };
    r.uids = state.n;
    r.approximate = rules.approximate;
    if rules.approximate {
        r.notes.push(format!(
            "Runtime spec {} is outside the specs this engine has rules for; the epoch ran under spec {}'s rules (approximate).",
            rules.spec_version, rules.rules_spec
        ));
    }
    if parent.spec_version < 423 {
        r.notes.push("This block predates runtime spec 423 (dynamic tempo); the replay applies spec >= 423 rules (activity cutoff factor, epoch index).".to_string());
    }
    if let Some(why) = not_replayable(&state, &rules) {
        r.missing = all_missing(netuid, &why);
        return Ok(r);
    }
    let epoch_emission = emission.unwrap_or(state.pending_emission);
    r.emission = Some(epoch_emission.to_string());
    if emission.is_none() {
        r.notes.push(format!("The epoch's emission was not stated: Emission was computed from the {epoch_emission} rao pending at the parent (block {block}'s own accrual is missing) and is not compared."));
    }
    let skipped = state.duplicate_hotkeys.is_some();
    let mut longer = 0usize;
    let writes = epoch_writes(&state, netuid, block, epoch_emission, &rules)?;
    for w in writes.iter().filter(|w| !w.is_step_block()) {
        r.computed.push(ComputedItem {
            item: w.item.clone(),
            args: w.args.clone(),
            key: w.key.clone(),
            value: hex::encode(&w.value),
        });
        let why = if skipped {
            Some(DUPLICATE_HOTKEYS)
        } else if w.item == "SubtensorModule.Emission" && emission.is_none() {
            Some(EMISSION_NOT_STATED)
        } else {
            None
        };
        if let Some(why) = why {
            r.missing.push(MissingItem {
                item: w.item.clone(),
                args: w.args.clone(),
                needs: vec![why.to_string()],
            });
        } else if let Some(c) = child {
            let len = compare_write(c, w, state.n, &mut r.items, &mut r.missing)?;
            longer = longer.max(len);
        }
    }
    if longer > usize::from(state.n) {
        r.notes.push(format!("The child's vectors hold {longer} entries but {} uids existed at the parent (registrations after the epoch); uids >= {} are not compared.", state.n, state.n));
    }
    if skipped {
        r.notes.push(DUPLICATE_HOTKEYS.to_string());
    }
    Ok(r)
}

/// An epoch snapshot's two sides as captures: its inputs at the parent of the epoch block and its
/// outputs at the block (with `LastMechansimStepBlock` set to the block, as the epoch leaves it).
pub fn captures_of_snapshot(s: &Snapshot, chain: &str) -> Result<(Capture, Capture)> {
    let spec = s.spec_version.unwrap_or(crate::runtime::NEWEST_KNOWN_SPEC);
    let side = |block: u64, storage| Capture {
        chain: chain.to_string(),
        block,
        block_hash: s
            .parent_hash
            .clone()
            .filter(|_| block < s.block)
            .or_else(|| s.block_hash.clone().filter(|_| block == s.block))
            .unwrap_or_else(|| "0x".to_string()),
        spec_version: spec,
        storage,
        runtime_api: Vec::new(),
    };
    let parent = side(s.block.saturating_sub(1), s.inputs.clone());
    let mut child = side(s.block, s.outputs.clone());
    let step = key_hex("LastMechansimStepBlock", &[KeyArg::U16(s.netuid)])?;
    child
        .storage
        .insert(step, Some(hex::encode(&encode::<u64>(&s.block))));
    Ok((parent, child))
}

#[cfg(test)]
#[path = "replay_epoch_tests.rs"]
mod tests;
