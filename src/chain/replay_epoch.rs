//! `replay epoch PARENT [CHILD] --netuid N`: one subnet's epoch run by the engine on a storage
//! capture (issue 13, items 3 and 4), and compared item by item with the capture of the epoch
//! block when one is given.
//!
//! The epoch of block `B = PARENT.block + 1` reads its inputs at the parent: the capture is read
//! through the same read plan as an epoch snapshot ([`super::snapshot_read`]; spec
//! `chain-data.md` §5, `yuma-epoch.md` §2 and §4), run by [`super::verify::run_engine`] under the
//! parent's runtime rules, and every output the epoch persists (`yuma-epoch.md` §5.12: `Incentive`
//! and `Bonds` per mechanism; `Dividends`, `Consensus`, `ValidatorTrust`, `StakeWeight`,
//! `Emission`, `Active`, `ValidatorPermit` per netuid) is encoded as the chain stores it and
//! compared with `CHILD`, the capture at `B`.
//!
//! Equality is the verification's ([`super::verify`]): a vector compares on the uids the epoch ran
//! on (`SubnetworkN` at the parent; uids registered by block `B`'s extrinsics are appended after
//! the epoch), a bond row without zero-valued entries (a stored `(j, 0)` and an absent `j` are the
//! same bond). `expected` is the child's raw value and `actual` the engine's encoding.
//!
//! Never guessed, listed under `missing` instead:
//! * every output, while the parent lacks an input the epoch reads (the inputs by item, arguments
//!   and key; the plan goes one dependency level at a time, so a caller fetches and asks again);
//! * an output the child does not hold (`CHILD: …`);
//! * `Emission`, unless the caller states the rao the epoch distributes: the parent's pending
//!   emission lacks block `B`'s own coinbase accrual ([`EMISSION_NOT_STATED`]);
//! * every output when two uids share a hotkey (the chain skips such an epoch).

use super::capture::Capture;
use super::hex;
use super::replay_block::{ItemCheck, MissingItem};
use super::scale::{decode_all, encode, Codec};
use super::snapshot::{render_args, Snapshot, Store};
use super::snapshot_read::{read_state, ChainState};
use super::storage::{item_named, netuid_index, KeyArg, ITEMS};
use super::verify::run_engine;
use crate::error::{Error, ErrorCode, Result};

/// The `needs` entry of `Emission` when the caller did not state the epoch's emission.
pub const EMISSION_NOT_STATED: &str = "the epoch's emission: the parent's pending emission lacks the epoch block's own coinbase accrual; state the rao the epoch distributes (--emission)";

/// The `needs` entry of every output when two uids share a hotkey.
pub const DUPLICATE_HOTKEYS: &str =
    "two uids share a hotkey: the chain skips this subnet's epoch (the outputs stay the previous epoch's)";

/// One output the engine computed, as the chain would store it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ComputedItem {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// Full storage key.
    pub key: String,
    /// The engine's SCALE value, `0x` hex.
    pub value: String,
}

/// The `replay epoch` report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EpochReplay {
    /// The parent's runtime (its rules apply).
    pub spec_version: u32,
    /// The epoch block (the parent's next block).
    pub block: u64,
    /// Subnet.
    pub netuid: u16,
    /// Uids the epoch ran on (`SubnetworkN` at the parent; 0 while inputs are missing).
    pub uids: u16,
    /// Outputs compared with the child.
    pub items: Vec<ItemCheck>,
    /// Outputs not compared, with what they lack.
    pub missing: Vec<MissingItem>,
    /// Every output the engine computed (empty while inputs are missing).
    pub computed: Vec<ComputedItem>,
    /// Rao handed to the epoch, decimal (`None` while inputs are missing).
    pub emission: Option<String>,
    /// Whether `emission` was stated by the caller (else: the parent's pending emission).
    pub emission_exact: bool,
    /// Whether approximate rules were used.
    pub approximate: bool,
    /// Caveats.
    pub notes: Vec<String>,
}

impl EpochReplay {
    /// `N equal, M mismatched, K missing`.
    pub fn summary(&self) -> String {
        let eq = self.items.iter().filter(|i| i.equal).count();
        format!(
            "{eq} equal, {} mismatched, {} missing",
            self.items.len().saturating_sub(eq),
            self.missing.len()
        )
    }

    /// Exit status 0 only when nothing mismatched and something was compared.
    pub fn success(&self) -> bool {
        let eq = self.items.iter().filter(|i| i.equal).count();
        eq == self.items.len() && eq > 0
    }
}

/// One output value, typed as the chain stores it.
enum Out {
    U16s(Vec<u16>),
    U64s(Vec<u64>),
    Bools(Vec<bool>),
    Row(Vec<(u16, u16)>),
}

fn first_n_equal<T: PartialEq>(chain: &[T], engine: &[T], n: u16) -> bool {
    (0..usize::from(n)).all(|i| chain.get(i) == engine.get(i))
}

fn nonzero(r: &[(u16, u16)]) -> Vec<(u16, u16)> {
    r.iter().copied().filter(|e| e.1 != 0).collect()
}

impl Out {
    fn encode(&self) -> Vec<u8> {
        match self {
            Out::U16s(v) => encode::<Vec<u16>>(v),
            Out::U64s(v) => encode::<Vec<u64>>(v),
            Out::Bools(v) => encode::<Vec<bool>>(v),
            Out::Row(v) => encode::<Vec<(u16, u16)>>(v),
        }
    }

    /// Whether the chain's stored bytes equal this value (verification semantics, see the module
    /// doc); `len` is the chain vector's length, for the note on later registrations.
    fn equals(&self, chain: &[u8], n: u16, field: &str) -> Result<(bool, usize)> {
        fn dec<C: Codec>(b: &[u8], field: &str) -> Result<C::Value> {
            decode_all::<C>(b).map_err(|e| Error {
                message: format!("{field}: {}", e.message),
                field: Some(field.to_string()),
                ..e
            })
        }
        Ok(match self {
            Out::U16s(v) => {
                let c = dec::<Vec<u16>>(chain, field)?;
                (first_n_equal(&c, v, n), c.len())
            }
            Out::U64s(v) => {
                let c = dec::<Vec<u64>>(chain, field)?;
                (first_n_equal(&c, v, n), c.len())
            }
            Out::Bools(v) => {
                let c = dec::<Vec<bool>>(chain, field)?;
                (first_n_equal(&c, v, n), c.len())
            }
            Out::Row(v) => {
                let c = dec::<Vec<(u16, u16)>>(chain, field)?;
                (nonzero(&c) == nonzero(v), 0)
            }
        })
    }
}

/// `SubtensorModule.Item[args] (key 0x…)` for a key of the engine's table.
fn describe(key_hex: &str) -> String {
    let named = hex::decode(key_hex).ok().and_then(|key| {
        ITEMS.iter().find_map(|it| {
            let args = it.split_key(&key).ok()?;
            Some(format!("{}.{}{}", it.pallet, it.name, render_args(&args)))
        })
    });
    format!("{} (key {key_hex})", named.as_deref().unwrap_or("storage"))
}

fn path(name: &str) -> String {
    format!("SubtensorModule.{name}")
}

fn key_hex(name: &str, args: &[KeyArg]) -> Result<String> {
    let it = item_named(name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
    Ok(hex::encode(&it.key(args)?))
}

/// The outputs of the epoch, in report order: `(item, args, value)`.
fn outputs_of(
    netuid: u16,
    state: &ChainState,
    c: super::verify::ComputedOutputs,
) -> Result<Vec<(&'static str, Vec<KeyArg>, Out)>> {
    let nu = vec![KeyArg::U16(netuid)];
    let mut v = Vec::new();
    for (m, inc) in c.incentive.into_iter().enumerate() {
        let idx = netuid_index(netuid, u8::try_from(m).unwrap_or(u8::MAX))?;
        v.push(("Incentive", vec![KeyArg::U16(idx)], Out::U16s(inc)));
    }
    v.push(("Dividends", nu.clone(), Out::U16s(c.dividends)));
    v.push(("Consensus", nu.clone(), Out::U16s(c.consensus)));
    v.push(("ValidatorTrust", nu.clone(), Out::U16s(c.validator_trust)));
    v.push(("StakeWeight", nu.clone(), Out::U16s(c.stake_weight)));
    v.push(("Emission", nu.clone(), Out::U64s(c.emission)));
    v.push(("Active", nu.clone(), Out::Bools(c.active)));
    v.push(("ValidatorPermit", nu, Out::Bools(c.validator_permit)));
    for (m, rows) in c.bonds.into_iter().enumerate() {
        let idx = netuid_index(netuid, u8::try_from(m).unwrap_or(u8::MAX))?;
        for uid in 0..state.n {
            let row = rows.get(usize::from(uid)).cloned().unwrap_or_default();
            v.push((
                "Bonds",
                vec![KeyArg::U16(idx), KeyArg::U16(uid)],
                Out::Row(row),
            ));
        }
    }
    Ok(v)
}

/// Every output listed as missing with the same `needs` (bond rows as one `[idx][*]` entry: the
/// uids are not known before the inputs are).
fn all_missing(netuid: u16, mechanisms: u8, needs: &[String]) -> Result<Vec<MissingItem>> {
    let nu = format!("[{netuid}]");
    let idxs: Vec<u16> = (0..mechanisms.max(1))
        .map(|m| netuid_index(netuid, m))
        .collect::<Result<_>>()?;
    let families = idxs
        .iter()
        .map(|i| (path("Incentive"), format!("[{i}]")))
        .chain(
            [
                "Dividends",
                "Consensus",
                "ValidatorTrust",
                "StakeWeight",
                "Emission",
                "Active",
                "ValidatorPermit",
            ]
            .iter()
            .map(|n| (path(n), nu.clone())),
        )
        .chain(idxs.iter().map(|i| (path("Bonds"), format!("[{i}][*]"))));
    let out = families
        .map(|(item, args)| MissingItem {
            item,
            args,
            needs: needs.to_vec(),
        })
        .collect();
    Ok(out)
}

/// Run subnet `netuid`'s epoch at block `parent.block + 1` from `parent`, and compare every output
/// with `child` (the capture at that block) when given. `emission`: the rao the epoch distributes,
/// when known (else the parent's pending emission is used and `Emission` is not compared).
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
    let mut notes = Vec::new();
    if let Some(c) = child {
        if c.block != block {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "child",
                format!(
                    "the child is block {}, not the block after the parent's {}",
                    c.block, parent.block
                ),
            ));
        }
        let step = key_hex("LastMechansimStepBlock", &[KeyArg::U16(netuid)])?;
        match c.storage.get(&step) {
            Some(Some(v)) => {
                let at = decode_all::<u64>(&hex::decode(v)?)
                    .map_err(|e| e.with_field("child"))?;
                if at != block {
                    return Err(Error::field(
                        ErrorCode::OutOfRange,
                        "child",
                        format!("no epoch of subnet {netuid} ran at block {block}: the child's LastMechansimStepBlock is {at}"),
                    ));
                }
            }
            _ => notes.push(format!("The child does not hold LastMechansimStepBlock[{netuid}]: that an epoch ran at block {block} is not checked.")),
        }
    }
    let mut report = EpochReplay {
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
    let plan = Snapshot::new(netuid, block);
    let mut st = Store::new(&parent.storage);
    let state = read_state(&plan, &mut st)?;
    let state = match state {
        Some(s) if !st.pending() => s,
        _ => {
            let needs: Vec<String> = st.missing.iter().map(|k| describe(k)).collect();
            report.missing = all_missing(netuid, 1, &needs)?;
            return Ok(report);
        }
    };
    report.uids = state.n;
    let epoch_emission = emission.unwrap_or(state.pending_emission);
    report.emission = Some(epoch_emission.to_string());
    let run = run_engine(
        block,
        Some(parent.spec_version),
        &state,
        epoch_emission,
        false,
    )?;
    report.approximate = run.rules.approximate;
    if run.rules.approximate {
        report.notes.push(format!(
            "Runtime spec {} is outside the specs this engine has rules for; the epoch ran under spec {}'s rules (approximate).",
            run.rules.spec_version, run.rules.rules_spec
        ));
    }
    if parent.spec_version < 423 {
        report.notes.push("This block predates runtime spec 423 (dynamic tempo); the replay applies spec >= 423 rules (activity cutoff factor, epoch index).".to_string());
    }
    if emission.is_none() {
        report.notes.push(format!("The epoch's emission was not stated: Emission was computed from the {epoch_emission} rao pending at the parent (block {block}'s own accrual is missing) and is not compared."));
    }
    let skipped = state.duplicate_hotkeys.is_some();
    let mut longer = 0usize;
    for (name, args, value) in outputs_of(netuid, &state, run.computed)? {
        let key = key_hex(name, &args)?;
        let item = path(name);
        let rendered = render_args(&args);
        let bytes = value.encode();
        report.computed.push(ComputedItem {
            item: item.clone(),
            args: rendered.clone(),
            key: key.clone(),
            value: hex::encode(&bytes),
        });
        let mut need = |why: String| {
            report.missing.push(MissingItem {
                item: item.clone(),
                args: rendered.clone(),
                needs: vec![why],
            })
        };
        if skipped {
            need(DUPLICATE_HOTKEYS.to_string());
            continue;
        }
        if name == "Emission" && emission.is_none() {
            need(EMISSION_NOT_STATED.to_string());
            continue;
        }
        let Some(c) = child else { continue };
        let Some(expected) = c.storage.get(&key) else {
            need(format!("CHILD: {item}{rendered} (key {key})"));
            continue;
        };
        let effective = match expected {
            Some(h) => hex::decode(h)?,
            None => item_named(name)
                .and_then(|it| it.default_bytes())
                .unwrap_or_default(),
        };
        let (equal, len) = value.equals(&effective, state.n, &format!("{name}{rendered}"))?;
        longer = longer.max(len);
        report.items.push(ItemCheck {
            item,
            args: rendered,
            key,
            expected: expected.clone(),
            actual: Some(hex::encode(&bytes)),
            equal,
        });
    }
    if longer > usize::from(state.n) {
        report.notes.push(format!("The child's vectors hold {longer} entries but {} uids existed at the parent (registrations after the epoch); uids >= {} are not compared.", state.n, state.n));
    }
    if skipped {
        report.notes.push(DUPLICATE_HOTKEYS.to_string());
    }
    Ok(report)
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
