//! The payout loops of `distribute_dividends_and_incentives` on a capture, by era: miner
//! incentives, `MinerBurned`, alpha dividends and root dividends, after the owner cut
//! ([`super::capture_distribution`] reads the inputs and writes the result).
//!
//! * Up to spec 435 (opentensor/subtensor @ 14bc6f9 `coinbase/run_coinbase.rs`): every amount is
//!   credited, zero included; the take and the nominators' part of each alpha dividend; root
//!   dividends to `RootClaimable` (rest divided by the hotkey's root stake, or staked to the
//!   owner when it exceeds that stake), records for every paid hotkey.
//! * From spec 436 (RaoFoundation/subtensor `coinbase/run_coinbase/dividend_distribution.rs` @
//!   0bb2cb305, the 436 payout; `emission-after-425.md` §3.3, §4.4): each emission first settles
//!   the earner's miner collateral ([`super::capture_collateral`]; the incentive is capturable
//!   in full, a dividend only up to the take); only non-zero liquid amounts are credited; the
//!   nominators' part and the root rest only when non-zero, with the dividend records of those
//!   hotkeys only.
//! * From spec 441 (Root Reborn; the newest stored `run_coinbase.rs`, index id 70951396623): the
//!   root rest is queued to `PendingBasketDeposits[h][n]` instead of `RootClaimable`. Whether the
//!   nominators' part of a hotkey whose pool has no members goes to the pool or to the owner
//!   is not pinned to a spec ([`MEMBERLESS_NOT_REPLAYED`]), so that case is listed.
//!
//! Owner hotkeys' incentives are withheld (recycled or burned: `SubnetAlphaOut`, listed by the
//! caller). Owner credits (incentive, alpha take, captured collateral) go through
//! [`Book::credit_owner`], which applies the sole-member credit of the closing share-pool rules.

use super::capture_collateral::Collateral;
use super::capture_parent_child::Hotkey;
use super::capture_share_book::{Acc, Book};
use super::scale::BTreeMapCodec;
use super::storage::KeyArg;
use super::types::{self as ct, AccountId32};
use crate::emission::math::{tou64, u16_fraction, u96};
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::{RootDividends, Rules};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::{I96F32, U96F32};

/// The `needs` entry when the nominators' part of a hotkey whose share pool has no members is
/// paid under a runtime where that rule is not pinned (441+).
pub const MEMBERLESS_NOT_REPLAYED: &str = "a hotkey's dividend meets a share pool without members: from spec 441 the chain may credit it to the owner instead of the pool (hotkey_share_pool_has_members), a rule not pinned to a spec: not replayed";

/// What the payout loops wrote, for the caller's storage writes.
#[derive(Default)]
pub(crate) struct Paid {
    /// `MinerBurned`: withheld / total incentive.
    pub(crate) burned: U96F32,
    /// `AlphaDividendsPerSubnet` of the hotkeys that hold a record after the payout.
    pub(crate) alpha_records: BTreeMap<Acc, u64>,
    /// `TotalHotkeyAlphaLastEpoch` after each alpha dividend.
    pub(crate) last_epoch: BTreeMap<Acc, u64>,
    /// `RootAlphaDividendsPerSubnet` of the hotkeys that hold a record after the payout.
    pub(crate) root_records: BTreeMap<Acc, u64>,
    /// `RootClaimable` of the hotkeys paid (up to spec 440).
    pub(crate) claimable: BTreeMap<Acc, BTreeMap<u16, I96F32>>,
    /// `PendingBasketDeposits[h][n]` after the payout (spec 441+).
    pub(crate) basket: BTreeMap<Acc, u64>,
}

/// The payout's inputs, read by the caller.
pub(crate) struct Inputs<'k> {
    pub(crate) keys: &'k BTreeMap<Acc, Hotkey>,
    pub(crate) incentives: &'k BTreeMap<Acc, u64>,
    pub(crate) owner_hotkeys: &'k BTreeSet<Acc>,
    pub(crate) alpha_divs: &'k BTreeMap<Acc, U96F32>,
    pub(crate) root_divs: &'k BTreeMap<Acc, U96F32>,
}

impl Inputs<'_> {
    fn key(&self, h: &Acc) -> Result<Hotkey> {
        self.keys
            .get(h)
            .copied()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "hotkey outside the epoch"))
    }
}

/// `increase_root_claimable_for_hotkey_and_subnet(h, n, rest)` (up to spec 440).
fn root_claimable(b: &mut Book<'_>, paid: &mut Paid, h: Acc, k: &Hotkey, rest: u64) -> Result<()> {
    let total_root = I96F32::saturating_from_num(k.root);
    let increment = I96F32::saturating_from_num(rest)
        .checked_div(total_root)
        .unwrap_or_else(|| I96F32::from_num(0));
    if rest > total_root.saturating_to_num::<u64>() {
        return b.stake_one(h, k.owner, rest);
    }
    if let Entry::Vacant(slot) = paid.claimable.entry(h) {
        let map =
            b.st.item::<BTreeMapCodec<u16, ct::I96F32>>("RootClaimable", &[KeyArg::Account(h)])?
                .unwrap_or_default();
        slot.insert(map.into_iter().map(|(n, v)| (n, v.to_fixed())).collect());
    }
    if let Some(m) = paid.claimable.get_mut(&h) {
        let e = m.entry(b.netuid).or_insert_with(|| I96F32::from_num(0));
        *e = e.saturating_add(increment);
    }
    Ok(())
}

/// The take of a dividend `d` at `take` (`Delegates`): `(take_float × d, d − take_float × d)`.
fn split_take(take: u16, d: U96F32) -> (U96F32, U96F32) {
    let t = u16_fraction(take).saturating_mul(d);
    (t, d.saturating_sub(t))
}

/// The payout up to spec 435.
pub(crate) fn pay_legacy(b: &mut Book<'_>, i: &Inputs<'_>) -> Result<Paid> {
    let mut paid = Paid::default();
    let (mut total, mut withheld) = (0u64, 0u64);
    for (h, &incentive) in i.incentives {
        total = total.saturating_add(incentive);
        if i.owner_hotkeys.contains(h) {
            withheld = withheld.saturating_add(incentive);
            continue;
        }
        let owner = i.key(h)?.owner;
        let dest = auto_stake(b, owner, *h)?;
        b.stake_one(dest, owner, incentive)?;
    }
    paid.burned = burned(withheld, total);
    for (h, &divs) in i.alpha_divs {
        let k = i.key(h)?;
        let (take, rest) = split_take(k.take, divs);
        b.stake_one(*h, k.owner, tou64(take))?;
        b.stake_all(*h, tou64(rest))?;
        paid.alpha_records.insert(*h, tou64(rest));
        let after = b.pool(*h)?.pool.shared_value;
        paid.last_epoch.insert(*h, after);
    }
    for (h, &root_alpha) in i.root_divs {
        let k = i.key(h)?;
        let (take, rest) = split_take(k.take, root_alpha);
        b.stake_one(*h, k.owner, tou64(take))?;
        let rest = tou64(rest);
        root_claimable(b, &mut paid, *h, &k, rest)?;
        paid.root_records.insert(*h, rest);
    }
    Ok(paid)
}

fn auto_stake(b: &mut Book<'_>, owner: AccountId32, h: Acc) -> Result<Acc> {
    let args = [KeyArg::Account(owner), KeyArg::U16(b.netuid)];
    Ok(b.st
        .item::<AccountId32>("AutoStakeDestination", &args)?
        .unwrap_or(h))
}

fn burned(withheld: u64, total: u64) -> U96F32 {
    u96(withheld)
        .checked_div(u96(total))
        .unwrap_or_else(|| U96F32::from_num(0))
}

/// The payout from spec 436 (miner collateral), with Root Reborn's basket queue from 441. `Err`
/// holds the reason when a case is not replayed.
pub(crate) fn pay_with_collateral(
    b: &mut Book<'_>,
    i: &Inputs<'_>,
    rules: &Rules,
    coll: &mut Collateral,
) -> Result<std::result::Result<Paid, &'static str>> {
    let fund = rules.root_dividends == RootDividends::Fund;
    let mut paid = Paid::default();
    let (mut total, mut withheld) = (0u64, 0u64);
    for (h, &incentive) in i.incentives {
        total = total.saturating_add(incentive);
        if i.owner_hotkeys.contains(h) {
            withheld = withheld.saturating_add(incentive);
            continue;
        }
        let owner = i.key(h)?.owner;
        let captured = coll.settle(b, *h, owner, incentive, incentive)?;
        let liquid = incentive.saturating_sub(captured);
        if liquid == 0 {
            continue;
        }
        let dest = auto_stake(b, owner, *h)?;
        b.credit_owner(dest, owner, liquid)?;
    }
    paid.burned = burned(withheld, total);
    for (h, &divs) in i.alpha_divs {
        let k = i.key(h)?;
        let (take_fixed, nominators) = split_take(k.take, divs);
        let take = tou64(take_fixed);
        let captured = coll.settle(b, *h, k.owner, tou64(divs), take)?;
        let liquid_take = take.saturating_sub(captured);
        if liquid_take > 0 {
            b.credit_owner(*h, k.owner, liquid_take)?;
        }
        let nominators = tou64(nominators);
        if nominators > 0 {
            let members = !b.pool(*h)?.pool.denominator.is_zero();
            if !members && fund {
                return Ok(Err(MEMBERLESS_NOT_REPLAYED));
            }
            b.stake_all(*h, nominators)?;
            paid.alpha_records.insert(*h, nominators);
        }
        let after = b.pool(*h)?.pool.shared_value;
        paid.last_epoch.insert(*h, after);
    }
    for (h, &root_alpha) in i.root_divs {
        let k = i.key(h)?;
        let (take_fixed, rest) = split_take(k.take, root_alpha);
        let take = tou64(take_fixed);
        let captured = coll.settle(b, *h, k.owner, tou64(root_alpha), take)?;
        let liquid_take = take.saturating_sub(captured);
        if liquid_take > 0 {
            b.stake_one(*h, k.owner, liquid_take)?;
        }
        let rest = tou64(rest);
        if rest == 0 {
            continue;
        }
        if fund {
            let queued = match paid.basket.get(h) {
                Some(v) => *v,
                None => {
                    let args = [KeyArg::Account(*h), KeyArg::U16(b.netuid)];
                    b.st.item::<u64>("PendingBasketDeposits", &args)?
                        .unwrap_or(0)
                }
            };
            paid.basket.insert(*h, queued.saturating_add(rest));
        } else {
            root_claimable(b, &mut paid, *h, &k, rest)?;
        }
        paid.root_records.insert(*h, rest);
    }
    Ok(Ok(paid))
}
