//! `replay block PARENT CHILD`: the coinbase of block `CHILD.block` run by the engine from the
//! parent's storage, under the parent's runtime rules, and compared item by item with the child
//! (issue 13, item 3).
//!
//! The parent is read into the engine's state by [`super::coinbase_read`]; the engine steps one
//! block ([`crate::emission::Network::step_block`]: mint, shares with the burn factor and the
//! gate by era, injection and chain buys, reservoirs from spec 432, pending buckets, drains,
//! moving prices, `RootProp`); the outputs are encoded by [`super::coinbase_write`] and compared
//! with the child's values (a `null` or absent-on-chain value compares as the item's default).
//!
//! Outputs, after subtensor `coinbase/run_coinbase.rs` and `block_step.rs` (opentensor/subtensor
//! @ 14bc6f9; spec `emission-and-pools.md` §3–§8, `emission-after-425.md` §2,
//! `pool-after-425.md` §2): per emitting subnet `SubnetTAO`, `SubnetAlphaIn`, `SubnetAlphaOut`,
//! `SubnetProtocolAlpha`, `SubnetTaoInEmission`, `SubnetAlphaInEmission`,
//! `SubnetAlphaOutEmission`, `SubnetExcessTao`, `SubnetMovingPrice`, `RootProp`, the four pending
//! buckets, `BlocksSinceLastStep`, `Swap.SwapBalancer` and (432+) the two reservoirs; per other
//! subnet `BlocksSinceLastStep`; globally `TotalIssuance`, `TotalStake` and (440+)
//! `EmissionGateBar`.
//!
//! Epochs where due ([`super::capture_epoch`], the model `replay epoch` runs too): for every subnet whose epoch runs at the child
//! block (`drain_pending`: the schedule, the per-block cap, and `Keys` without a duplicate
//! hotkey, which the parent's `Keys` decide), the epoch's inputs are read from the parent with
//! the epoch reader, the epoch runs on the drained `server + validator + root` alpha split over
//! the mechanisms, and its writes are compared: `Incentive` and `Bonds` per mechanism,
//! `Active`, `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`, `ValidatorPermit`,
//! `StakeWeight`, `LastMechansimStepBlock`, with the equality `replay epoch` uses (vectors on the
//! uids the epoch ran on, bond rows without zero-valued entries). The epoch's payout of the drained
//! buckets is replayed by era ([`super::capture_distribution`]: owner cut, miner incentives,
//! `MinerBurned`, parent/child split, validator take and dividends, share pools,
//! `TotalHotkeyAlphaLastEpoch`, root dividends to `RootClaimable` up to 440 and to
//! `PendingBasketDeposits` from 441, miner collateral from 436) and compared byte for byte. The drain's schedule of every due subnet is compared too: `LastEpochBlock`, `PendingEpochAt`, and
//! `SubnetEpochIndex` where the slot is consumed (run, or skipped for a duplicate hotkey).
//!
//! What is not replayed is listed under `missing`, never guessed:
//! * an output whose inputs the parent lacks, with those inputs by item, arguments and key (the
//!   globals and every subnet's share inputs are needed by all outputs; a subnet's own inputs by
//!   its outputs and the global totals);
//! * a running epoch's writes when the parent lacks its inputs (the first dependency level that
//!   lacks keys); then whether the chain skipped it is unknown too, so the outputs the drain
//!   decides (the four buckets, `BlocksSinceLastStep`, `SubnetAlphaOut`, `RootProp`) need the
//!   same keys, and so do those of later due subnets when the per-block cap deferred one;
//! * from spec 446, the writes of an epoch of a subnet with several mechanisms whose liquid alpha
//!   reads the previous consensus ([`super::capture_epoch::CONSENSUS_BY_MECHANISM_NOT_READ`]);
//! * the alpha the distribution recycles or burns: `SubnetAlphaOut` and `RootProp` of that subnet
//!   ([`DISTRIBUTION_NOT_REPLAYED`]);
//! * the payout's writes, by item with `*` for every account, when it is not computed: the inputs
//!   the parent lacks (level by level), or the reason
//!   ([`super::capture_distribution::PAYOUT_NOT_REPLAYED`] at specs 464–468, a member-less pool
//!   from 441, a leased subnet, legacy share maps);
//! * at the specs before 423 that `runtime::timeline::HISTORICAL` does not pin everything, with
//!   the reason ([`crate::runtime::timeline::not_replayed_reason`]); at 348–354 and 356–393 a due
//!   subnet's epoch and payout (not ported); at the pinned v3 specs (348–354, 356–363, 365–377, 385,
//!   388–391, 393, 396–402, 408–411, 413–419 and 421–422)
//!   what the payout of a subnet whose epoch is due under the legacy schedule recycles or burns
//!   (`SubnetAlphaOut`, the alpha issuance, `RootProp`) and what the parent lacks
//!   ([`super::replay_v3`] replays the rest of the coinbase, [`super::replay_v3_epoch`] that
//!   subnet's Yuma epoch and payout). Spec 423 is replayed as 424 (its coinbase and epoch are 424's)
//!   with 423's balancer swap for the chain buys (`pool::SwapGuards::Spec423`);
//! * an output the child does not hold;
//! * from 441 the outputs the root-fund janitor may move, and from 436 the collateral reverse
//!   index ([`super::replay_janitor`]).
//!
//! Not modelled, so seen as mismatches rather than listed: extrinsics of the child block that
//! write the same items (stakes and swaps move `SubnetTAO`, `TotalStake`; recycled fees from 444
//! move `TotalIssuance`), a curated janitor deposit's pool trades; weight
//! reveals in the child block's `block_step` before the coinbase, a conviction owner change in
//! the drain (432+) that moves the epoch's owner uid, `VotingPower` (subnets with tracking on)
//! and the Null epoch mode of the newest runtimes. Compare blocks without such writes.

use super::capture::Capture;
use super::capture_distribution::{
    distribution_writes_priced, payout_replayed, Distribution, Payout, PAYOUT_NOT_REPLAYED,
};
use super::capture_epoch::{
    compare_write, distribution_items, epoch_index_write, epoch_items, epoch_run, not_replayable,
    read_epoch_inputs, EpochInputs, DISTRIBUTION_NOT_REPLAYED,
};
use super::coinbase_items::{global as g, subnet as s, Item};
use super::coinbase_read::{networks, read_parent};
use super::coinbase_write::state_values;
use super::hex;
pub use super::replay_report::{BlockReplay, ItemCheck, MissingItem};
use super::replay_v3::replays;
use crate::emission::subnet_pool::SubnetPool;
use crate::emission::{BalancerPool, Network, StakeProportionalEpoch};
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::timeline::{not_replayed_reason, OLDEST_KNOWN_SPEC};
use crate::runtime::{GateBar as RuleBar, Rules};
use std::collections::{BTreeMap, BTreeSet};

/// Coinbase outputs whose value depends on whether the subnet's epoch drained its buckets this
/// block (`drain_pending`): the four pending buckets and `BlocksSinceLastStep`. The other
/// outputs are written by `emit_to_subnets` before the drain, or (moving prices) from the pool
/// price, which the drain and the distribution do not move.
const DRAINED: &[Item] = &[
    s::PENDING_SERVER,
    s::PENDING_VALIDATOR,
    s::PENDING_ROOT_ALPHA,
    s::PENDING_OWNER_CUT,
    s::BLOCKS_SINCE_LAST_STEP,
];

/// Coinbase outputs the distribution after an epoch changes: recycled alpha (owner-hotkey
/// incentives, child-key burn, from 441 an unclaimed root pool) leaves `SubnetAlphaOut`, and
/// `RootProp` is computed from the alpha issuance after it.
const AFTER_DISTRIBUTION: &[Item] = &[s::ALPHA_OUT, s::ROOT_PROP];

/// The outputs of an emitting subnet under `rules`.
fn emitting_outputs(rules: Option<&Rules>) -> Vec<Item> {
    let mut v = vec![
        s::SUBNET_TAO,
        s::ALPHA_IN,
        s::ALPHA_OUT,
        s::PROTOCOL_ALPHA,
        s::TAO_IN_EMISSION,
        s::ALPHA_IN_EMISSION,
        s::ALPHA_OUT_EMISSION,
        s::EXCESS_TAO,
        s::MOVING_PRICE,
        s::ROOT_PROP,
        s::PENDING_SERVER,
        s::PENDING_VALIDATOR,
        s::PENDING_ROOT_ALPHA,
        s::PENDING_OWNER_CUT,
        s::BLOCKS_SINCE_LAST_STEP,
        s::SWAP_BALANCER,
    ];
    if rules.is_some_and(|r| r.reservoirs) {
        v.push(s::TAO_RESERVOIR);
        v.push(s::ALPHA_RESERVOIR);
    }
    v
}

fn global_outputs(rules: Option<&Rules>) -> Vec<Item> {
    let mut v = vec![g::TOTAL_ISSUANCE, g::TOTAL_STAKE];
    if rules.is_some_and(|r| r.gate != RuleBar::Off) {
        v.push(g::EMISSION_GATE_BAR);
    }
    v
}

fn missing(it: &Item, n: u16, needs: Vec<String>) -> MissingItem {
    MissingItem {
        item: it.path(),
        args: it.args(n),
        needs,
    }
}

/// Every output of `subnets` listed as missing with the same `needs` (plus each subnet's own).
fn all_missing(
    parent: &Capture,
    child: &Capture,
    subnets: &[u16],
    rules: Option<&Rules>,
    needs: &[String],
    own: &BTreeMap<u16, Vec<String>>,
) -> BlockReplay {
    let mut out = Vec::new();
    for &n in subnets {
        let mut nn = needs.to_vec();
        nn.extend(own.get(&n).cloned().unwrap_or_default());
        for it in emitting_outputs(rules) {
            out.push(missing(&it, n, nn.clone()));
        }
    }
    for it in global_outputs(rules) {
        out.push(missing(&it, 0, needs.to_vec()));
    }
    BlockReplay {
        spec_version: parent.spec_version,
        block: child.block,
        items: Vec::new(),
        missing: out,
        approximate: false,
    }
}

/// Compare one output with the child: `None` when the child does not hold the key.
fn compare(
    child: &Capture,
    it: &Item,
    n: u16,
    actual: Option<&Vec<u8>>,
) -> Result<Option<ItemCheck>> {
    let key = it.key_hex(n);
    let Some(expected) = child.storage.get(&key) else {
        return Ok(None);
    };
    let effective = match expected {
        Some(h) => Some(hex::decode(h)?),
        None => (it.default)(),
    };
    Ok(Some(ItemCheck {
        item: it.path(),
        args: it.args(n),
        key,
        expected: expected.clone(),
        actual: actual.map(|a| hex::encode(a)),
        equal: effective.as_ref() == actual,
    }))
}

/// A coinbase output: compared with the child, or listed with what it needs (or what the child
/// lacks).
fn check(
    r: &mut BlockReplay,
    child: &Capture,
    actual: &BTreeMap<String, Option<Vec<u8>>>,
    it: &Item,
    n: u16,
    needs: Vec<String>,
) -> Result<()> {
    if !needs.is_empty() {
        r.missing.push(missing(it, n, needs));
        return Ok(());
    }
    let a = actual.get(&it.key_hex(n)).cloned().flatten();
    match compare(child, it, n, a.as_ref())? {
        Some(c) => r.items.push(c),
        None => r.missing.push(missing(
            it,
            n,
            vec![format!(
                "CHILD: {}{} (key {})",
                it.path(),
                it.args(n),
                it.key_hex(n)
            )],
        )),
    }
    Ok(())
}

/// A due subnet's schedule (`drain_pending`): `LastEpochBlock` and `PendingEpochAt` (deferred or
/// consumed), and `SubnetEpochIndex` where the slot was consumed, run or skipped. `needs`: the
/// subnet's own missing inputs and the epochs before it that decide its place under the cap.
fn schedule_checks(
    r: &mut BlockReplay,
    parent: &Capture,
    child: &Capture,
    actual: &BTreeMap<String, Option<Vec<u8>>>,
    n: u16,
    deferred: &[u16],
    needs: Vec<String>,
) -> Result<()> {
    for it in [s::LAST_EPOCH_BLOCK, s::PENDING_EPOCH_AT] {
        check(r, child, actual, &it, n, needs.clone())?;
    }
    if deferred.contains(&n) && needs.is_empty() {
        return Ok(());
    }
    match epoch_index_write(parent, n)? {
        Ok(w) if needs.is_empty() => {
            compare_write(child, &w, 0, &mut r.items, &mut r.missing)?;
            Ok(())
        }
        found => {
            let mut needs = needs;
            needs.extend(found.err());
            r.missing.push(MissingItem {
                item: "SubtensorModule.SubnetEpochIndex".into(),
                args: format!("[{n}]"),
                needs,
            });
            Ok(())
        }
    }
}

/// Which epochs run at the child block and their inputs from the parent: step a copy of the
/// state, read every running subnet's epoch inputs, and mark a subnet whose `Keys` hold a
/// duplicate hotkey so the engine's drain skips it as the chain does (the slot is still
/// consumed, the buckets keep accumulating); a skipped epoch frees a slot, so repeat until no
/// new subnet runs.
fn plan_epochs(
    parent: &Capture,
    net: &mut Network<BalancerPool>,
    rules: &Rules,
) -> Result<BTreeMap<u16, EpochInputs>> {
    let mut epochs: BTreeMap<u16, EpochInputs> = BTreeMap::new();
    loop {
        let mut probe = net.clone();
        let report = probe.step_block(&mut StakeProportionalEpoch)?;
        let mut skipped = false;
        for &n in report.distributions.keys() {
            if epochs.contains_key(&n) {
                continue;
            }
            let inputs = read_epoch_inputs(parent, n, rules)?;
            if let EpochInputs::Read(st) = &inputs {
                if st.duplicate_hotkeys.is_some() {
                    if let Some(sub) = net.subnets.get_mut(&n) {
                        // Two uids with one hotkey: `is_epoch_input_state_consistent` fails.
                        sub.neurons = vec![0, 0];
                    }
                    skipped = true;
                }
            }
            epochs.insert(n, inputs);
        }
        if !skipped {
            return Ok(epochs);
        }
    }
}

/// Replay `child.block`'s coinbase from `parent` and compare every output with `child`.
/// The child must be the parent's next block (`OUT_OF_RANGE`, field `child`). A runtime newer
/// than the engine knows is `UNSUPPORTED_RUNTIME`; malformed values are errors.
pub fn replay_block(parent: &Capture, child: &Capture) -> Result<BlockReplay> {
    if child.block != parent.block.saturating_add(1) {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "child",
            format!(
                "the child is block {}, not the block after the parent's {}",
                child.block, parent.block
            ),
        ));
    }
    let rules = match Rules::for_spec(parent.spec_version) {
        Ok(r) => r,
        Err(_) if parent.spec_version < OLDEST_KNOWN_SPEC => {
            let subnets: Option<Vec<u16>> =
                networks(parent)?.map(|v| v.into_iter().filter(|n| *n != 0).collect());
            if let (Some(subnets), true) = (&subnets, replays(parent.spec_version)) {
                return super::replay_v3::replay_v3(parent, child, subnets);
            }
            return Ok(all_missing(
                parent,
                child,
                &subnets.unwrap_or_default(),
                None,
                &[not_replayed_reason(parent.spec_version).to_string()],
                &BTreeMap::new(),
            ));
        }
        Err(e) => return Err(e),
    };
    let read = read_parent(parent, &rules)?;
    if !read.global.is_empty() {
        let needs: Vec<String> = read.global.iter().map(|m| m.to_string()).collect();
        return Ok(all_missing(
            parent,
            child,
            &read.subnets,
            Some(&rules),
            &needs,
            &read.own,
        ));
    }
    let mut net = read.net;
    let emitting: BTreeSet<u16> = net.subnets_to_emit_to().into_iter().collect();
    let epochs = plan_epochs(parent, &mut net, &rules)?;
    let report = net.step_block(&mut StakeProportionalEpoch)?;
    let ran: BTreeSet<u16> = report.distributions.keys().copied().collect();
    // Due: run, deferred by the cap, or skipped for a duplicate hotkey (the slot is consumed).
    let skipped = epochs.iter().filter_map(|(n, e)| match e {
        EpochInputs::Read(st) if st.duplicate_hotkeys.is_some() => Some(*n),
        _ => None,
    });
    let due: BTreeSet<u16> = ran
        .iter()
        .chain(&report.deferred)
        .copied()
        .chain(skipped)
        .collect();
    // An epoch whose input state could not be read may have been skipped by the chain, which
    // frees a slot under the per-block cap: when the cap deferred anything, later due subnets
    // depend on it too.
    let mut order_needs: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let mut unknown: Vec<String> = Vec::new();
    for &n in &due {
        order_needs.insert(n, unknown.clone());
        if let Some(EpochInputs::Missing(m)) = epochs.get(&n) {
            if !report.deferred.is_empty() {
                unknown.extend(m.iter().cloned());
            }
        }
    }
    let actual: BTreeMap<String, Option<Vec<u8>>> = state_values(&net, &rules)
        .into_iter()
        .map(|(it, n, v)| (it.key_hex(n), v))
        .collect();
    // The payouts' share-pool values (`TotalHotkeyAlpha`), for the subnets' totals.
    let mut pool_values = Vec::new();
    let mut r = BlockReplay {
        spec_version: parent.spec_version,
        block: child.block,
        items: Vec::new(),
        missing: Vec::new(),
        approximate: rules.approximate,
    };
    let mut totals_need = Vec::new();
    for &n in &read.subnets {
        let own = read.own.get(&n).cloned().unwrap_or_default();
        totals_need.extend(own.iter().cloned());
        let outputs = if emitting.contains(&n) {
            emitting_outputs(Some(&rules))
        } else {
            vec![s::BLOCKS_SINCE_LAST_STEP]
        };
        // What the drain's outcome on this subnet depends on beyond its own inputs.
        let mut drain_needs = order_needs.get(&n).cloned().unwrap_or_default();
        if let Some(EpochInputs::Missing(m)) = epochs.get(&n) {
            drain_needs.extend(m.iter().cloned());
        }
        for it in outputs {
            let mut needs = own.clone();
            let after = AFTER_DISTRIBUTION.iter().any(|b| b.name == it.name);
            if after || DRAINED.iter().any(|b| b.name == it.name) {
                needs.extend(drain_needs.iter().cloned());
            }
            if after && ran.contains(&n) {
                needs.push(DISTRIBUTION_NOT_REPLAYED.to_string());
            }
            check(&mut r, child, &actual, &it, n, needs)?;
        }
        if due.contains(&n) {
            schedule_checks(&mut r, parent, child, &actual, n, &report.deferred, {
                let mut needs = own.clone();
                needs.extend(order_needs.get(&n).cloned().unwrap_or_default());
                needs
            })?;
        }
        if !ran.contains(&n) {
            continue;
        }
        let mut needs = own.clone();
        needs.extend(drain_needs.iter().cloned());
        // What the distribution's outputs need when they are not computed.
        let dist_needs = match epochs.get(&n) {
            Some(EpochInputs::Read(state)) if needs.is_empty() => {
                if let Some(why) = not_replayable(state, &rules) {
                    for (item, args) in epoch_items(n) {
                        r.missing.push(MissingItem {
                            item,
                            args,
                            needs: why.clone(),
                        });
                    }
                    why
                } else {
                    let buckets = report
                        .distributions
                        .get(&n)
                        .map(|d| d.drained)
                        .unwrap_or_default();
                    let emission = buckets
                        .server
                        .saturating_add(buckets.validator)
                        .saturating_add(buckets.root_alpha);
                    let (writes, outs) = epoch_run(state, n, child.block, emission, &rules)?;
                    for w in writes {
                        compare_write(child, &w, state.n, &mut r.items, &mut r.missing)?;
                    }
                    let price = net.subnets.get(&n).map(|s| SubnetPool::price(&s.pool));
                    let payout = Payout {
                        parent,
                        child,
                        netuid: n,
                        state,
                        outs: &outs,
                        buckets,
                        rules: &rules,
                        price,
                    };
                    let dist = distribution_writes_priced(&payout)?;
                    match dist {
                        Distribution::Writes(ws) => {
                            for w in ws {
                                compare_write(child, &w, 0, &mut r.items, &mut r.missing)?;
                                if w.item == super::replay_total_alpha::POOL_VALUE {
                                    pool_values.push(w);
                                }
                            }
                            Vec::new()
                        }
                        Distribution::Missing(m) => m,
                    }
                }
            }
            _ => {
                for (item, args) in epoch_items(n) {
                    r.missing.push(MissingItem {
                        item,
                        args,
                        needs: needs.clone(),
                    });
                }
                needs.clone()
            }
        };
        let dist_needs = if payout_replayed(&rules) {
            dist_needs
        } else {
            vec![PAYOUT_NOT_REPLAYED.to_string()]
        };
        if !dist_needs.is_empty() {
            let lease = super::capture_lease::lease_of(parent, n)?;
            let lease_items = lease.map(super::capture_lease::lease_items);
            for (item, args) in distribution_items(n, &rules)
                .into_iter()
                .chain(lease_items.into_iter().flatten())
            {
                r.missing.push(MissingItem {
                    item,
                    args,
                    needs: dist_needs.clone(),
                });
            }
        }
    }
    for it in global_outputs(Some(&rules)) {
        let needs = if it.name == g::EMISSION_GATE_BAR.name {
            Vec::new()
        } else {
            totals_need.clone()
        };
        check(&mut r, child, &actual, &it, 0, needs)?;
    }
    super::replay_janitor::list_unmodelled(&mut r, parent, &rules)?;
    super::replay_total_alpha::compare_totals(&mut r, parent, child, &rules, &pool_values)?;
    Ok(r)
}
