//! The Yuma epoch and payout of a subnet whose epoch runs at the child block of a v3 runtime
//! ([`super::replay_v3`]: 396–402, 408–411, 413–419, 421–422; at 348–354 and 356–393 listed instead,
//! [`crate::runtime::timeline::PRE_SAFEFLOAT_NOT_REPLAYED`]), computed from the parent and compared with the
//! child.
//!
//! The runtimes share spec 423's epoch and payout code but for
//! [`crate::runtime::timeline::HISTORICAL_RULES`], so both run on 423's rules
//! ([`crate::runtime::Rules::for_v3_epoch`]) through the paths `replay block` uses from 423
//! ([`super::capture_epoch`], [`super::capture_distribution`]):
//! * the inputs are read as these runtimes read them ([`EpochReads::Legacy`]: `ActivityCutoff`,
//!   the bond mask at `block − tempo`, commits expiring by the legacy epoch index);
//! * the epoch runs on the drained `server + validator + root` alpha (`distribute_emission`'s
//!   `total_alpha_minus_owner_cut`) and its writes are compared (`Incentive`, `Bonds`, `Active`,
//!   `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`, `ValidatorPermit`, `StakeWeight`);
//!   `LastMechansimStepBlock` is the drain's (written in `drain_pending` before the epoch at
//!   these tags) and compared by `replay_v3_block`;
//! * the payout of the drained buckets (owner cut, miner incentives, parent/child split,
//!   validator takes and dividends into the share pools, `TotalHotkeyAlphaLastEpoch`,
//!   `AlphaDividendsPerSubnet`, root dividends to `RootClaimable`, `RootAlphaDividendsPerSubnet`,
//!   a leased subnet's lease dividend) is compared byte for byte; `MinerBurned` only from 421
//!   ([`HistoricalRule::MinerBurnedWritten`]).
//!
//! Listed, never guessed: the epoch's writes and the payout's items when the parent lacks epoch
//! inputs (the first level that lacks keys), or when whether the epoch runs is unknown; the
//! `Emission` vector when the server, validator or root bucket is unknown and the payout when
//! any bucket is (their parent keys);
//! the payout's items when the payout lacks inputs (level by level) or meets what is not
//! modelled (a lease dividend due at the block, whose transfers read the spot price:
//! [`super::capture_distribution::LEASE_PRICE_NOT_GIVEN`]).

use super::capture::Capture;
use super::capture_distribution::{distribution_writes_priced, Distribution, Payout};
use super::capture_epoch::{
    compare_write, distribution_items, epoch_items, epoch_run, not_replayable,
    read_epoch_inputs_as, EpochInputs, EpochReads,
};
use super::replay_report::{BlockReplay, MissingItem};
use crate::emission::PendingBuckets;
use crate::error::Result;
use crate::runtime::timeline::{historical_has, HistoricalRule};
use crate::runtime::Rules;

const STEP_BLOCK: &str = "SubtensorModule.LastMechansimStepBlock";
const EMISSION: &str = "SubtensorModule.Emission";
const MINER_BURNED: &str = "SubtensorModule.MinerBurned";

/// One due subnet's epoch: what it runs on.
pub(crate) struct DueEpoch<'a> {
    pub(crate) parent: &'a Capture,
    pub(crate) child: &'a Capture,
    pub(crate) rules: &'a Rules,
    pub(crate) netuid: u16,
    /// The drained buckets (this block's accrual included).
    pub(crate) buckets: PendingBuckets,
    /// What each bucket lacks (server, validator, root, owner cut; empty when known).
    pub(crate) bucket_needs: [Vec<String>; 4],
}

/// `needs` without repeats, in their order.
fn distinct<'a>(needs: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    needs
        .into_iter()
        .flatten()
        .filter(|n| seen.insert(n.as_str()))
        .cloned()
        .collect()
}

fn push(r: &mut BlockReplay, item: String, args: String, needs: &[String]) {
    r.missing.push(MissingItem {
        item,
        args,
        needs: needs.to_vec(),
    });
}

/// List the epoch's writes (but the drain's `LastMechansimStepBlock`) with `needs`.
pub(crate) fn list_epoch(r: &mut BlockReplay, netuid: u16, needs: &[String]) {
    for (item, args) in epoch_items(netuid) {
        if item != STEP_BLOCK {
            push(r, item, args, needs);
        }
    }
}

/// List the payout's items (and a lease's) with `needs`.
pub(crate) fn list_payout(
    r: &mut BlockReplay,
    parent: &Capture,
    netuid: u16,
    rules: &Rules,
    needs: &[String],
) -> Result<()> {
    let burned = historical_has(HistoricalRule::MinerBurnedWritten, rules.spec_version);
    let lease = super::capture_lease::lease_of(parent, netuid)?;
    let lease_items = lease.map(super::capture_lease::lease_items);
    for (item, args) in distribution_items(netuid, rules)
        .into_iter()
        .chain(lease_items.into_iter().flatten())
    {
        if burned || item != MINER_BURNED {
            push(r, item, args, needs);
        }
    }
    Ok(())
}

/// Run `d`'s epoch and payout and compare them with the child, or list them (module doc).
pub(crate) fn epoch_and_payout(r: &mut BlockReplay, d: &DueEpoch) -> Result<()> {
    let (parent, child, rules, n) = (d.parent, d.child, d.rules, d.netuid);
    let block = child.block;
    let state = match read_epoch_inputs_as(parent, n, rules, EpochReads::Legacy { block })? {
        EpochInputs::Missing(m) => {
            list_epoch(r, n, &m);
            return list_payout(r, parent, n, rules, &m);
        }
        EpochInputs::Read(st) => st,
    };
    if let Some(why) = not_replayable(&state, rules) {
        list_epoch(r, n, &why);
        return list_payout(r, parent, n, rules, &why);
    }
    let b = d.buckets;
    // The epoch's emission reads the first three buckets; the payout all four.
    let emission_needs = distinct(d.bucket_needs.iter().take(3));
    let payout_needs = distinct(&d.bucket_needs);
    let emission = b
        .server
        .saturating_add(b.validator)
        .saturating_add(b.root_alpha);
    let (writes, outs) = epoch_run(&state, n, block, emission, rules)?;
    for w in writes {
        if w.is_step_block() {
            continue;
        }
        if w.item == EMISSION && !emission_needs.is_empty() {
            push(r, w.item, w.args, &emission_needs);
            continue;
        }
        compare_write(child, &w, state.n, &mut r.items, &mut r.missing)?;
    }
    if !payout_needs.is_empty() {
        return list_payout(r, parent, n, rules, &payout_needs);
    }
    let payout = Payout {
        parent,
        child,
        netuid: n,
        state: &state,
        outs: &outs,
        buckets: b,
        rules,
        // `current_alpha_price` is a U96F32 at these tags (U64F64 from 423): a lease dividend
        // due at the block is listed rather than checked at another precision.
        price: None,
    };
    let burned = historical_has(HistoricalRule::MinerBurnedWritten, rules.spec_version);
    match distribution_writes_priced(&payout)? {
        Distribution::Writes(ws) => {
            for w in ws {
                if burned || w.item != MINER_BURNED {
                    compare_write(child, &w, 0, &mut r.items, &mut r.missing)?;
                }
            }
            Ok(())
        }
        Distribution::Missing(m) => list_payout(r, parent, n, rules, &m),
    }
}
