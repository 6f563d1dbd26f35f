//! The distribution of a drained epoch on a storage capture: what `distribute_emission` pays to
//! hotkeys, coldkeys and root stakers, computed from the parent's raw storage and written as the
//! chain stores it, so `replay block` compares it with the child ([`super::replay_block`]).
//!
//! Port of `distribute_emission`, `calculate_dividends_and_incentives`,
//! `calculate_dividend_distribution`, `distribute_dividends_and_incentives` and
//! `get_owner_hotkeys` (`pallets/subtensor/src/coinbase/run_coinbase.rs`),
//! `increase_stake_for_hotkey_(and_coldkey_)on_subnet` and the share-pool storage operations
//! (`staking/stake_utils.rs`), `increase_root_claimable_for_hotkey_and_subnet`
//! (`staking/claim_root.rs`), opentensor/subtensor @ 14bc6f9 (the same code as spec 424's
//! 536c8938d for all of these); spec `emission-and-pools.md` §9, §10 and §13. The arithmetic is
//! the engine's: [`split_dividends`] (the split of each era) and
//! [`crate::stake::share_pool::SharePool`] (the runtime's share rules). Later runtimes
//! (RaoFoundation/subtensor; spec `emission-after-425.md` §3.2–§3.3, §4.4) by [`Rules`]: the
//! payout loops of each era are `chain::capture_payout` (collateral from 436, the fund queue
//! from 441), the collateral positions `chain::capture_collateral`; the dividend split reads
//! each earner's root UID (`Uids[0][h]`) from 441 (`rules.dividend_split`).
//!
//! Dividends go through the parent/child split ([`super::capture_parent_child`]) first.
//! Order of writes (§9.7): owner cut to (`SubnetOwnerHotkey`, `SubnetOwner`) when both keys
//! exist, then on a leased subnet the lease dividend (specs 423–425, [`super::capture_lease`]:
//! `AccumulatedLeaseDividends`, and at a distribution block the stake transfers to the
//! contributors and the beneficiary with their `LastColdkeyHotkeyStakeBlock`); miner incentives in hotkey order (owner hotkeys withheld, else credited to
//! `AutoStakeDestination[owner]` or the hotkey); `MinerBurned = withheld / total`; alpha
//! dividends (take to the owner as new shares, the rest to the whole pool;
//! `AlphaDividendsPerSubnet` cleared then set; `TotalHotkeyAlphaLastEpoch` after the hotkey's
//! payout); root dividends (take, then the rest to `RootClaimable` up to 440 or
//! `PendingBasketDeposits` from 441; `RootAlphaDividendsPerSubnet` cleared then set). From 436
//! every emission first settles the earner's miner collateral.
//!
//! Written and compared: `TotalHotkeyAlpha`, `TotalHotkeySharesV2` and `AlphaV2` of every pool
//! the payout touched (removal writes as the item's default), `MinerBurned`,
//! `AlphaDividendsPerSubnet` and `RootAlphaDividendsPerSubnet` (every entry of the subnet that
//! either capture holds and the payout did not set is a removal), `TotalHotkeyAlphaLastEpoch`,
//! `RootClaimable` (≤ 440) or `PendingBasketDeposits` (441+), and from 436 `MinerCollateral` and
//! `ColdkeyMinerCollateral`, from 469 the pool epochs `AlphaSharePoolEpoch` (when a pool closed
//! or re-opened) and `AlphaShareEpoch` of every row written in a pool closed at least once
//! (`capture_share_book`). Registration is `Keys` (`Uids` is its inverse on chain). A pool
//! still holding legacy U64F64 entries is read from them first (`TotalHotkeyShares`, `Alpha`;
//! `capture_share_book`) and migrated where the payout writes: the legacy entry's
//! removal beside the SafeFloat write.
//!
//! Listed, never guessed ([`Distribution::Missing`]): inputs the parent lacks, level by level
//! (the subnet's and every epoch hotkey's keys with its `ParentKeys` first; then, for hotkeys
//! with parents, `CKBurn`, the minimum child-key takes, `ChildKeys`, `ChildkeyTake` and the
//! parents' keys; from 441 the earners' `Uids[0]`; then the pools, collateral positions and keys
//! they name); specs whose share-pool accounting is not pinned ([`PAYOUT_NOT_REPLAYED`]: 464–468);
//! a dividend into a pool without members from 441 ([`MEMBERLESS_NOT_REPLAYED`]); a leased
//! subnet after spec 425 ([`LEASE_NOT_REPLAYED`]), or whose lease coldkey holds a conviction lock
//! ([`LEASE_LOCK_NOT_REPLAYED`]), or whose lease names another subnet, or at a lease distribution
//! block without the spot price ([`distribution_writes`]; [`LEASE_PRICE_NOT_GIVEN`]). Not written
//! here: `StakingHotkeys` (a new staker's list),
//! conviction locks of the owner cut, the collateral reverse index, and the recycled or burned
//! alpha (`SubnetAlphaOut`, which `replay block` lists).

use super::capture::Capture;
use super::capture_collateral::Collateral;
use super::capture_epoch::EpochWrite;
use super::capture_lease::{distribute_lease, LeaseWrites};
use super::capture_parent_child::{parent_child_dividends, ChildKeys, Hotkey};
use super::capture_payout::{pay_legacy, pay_with_collateral, Inputs};
use super::capture_share_book::{hotkey, u16_item, write, Acc, Book};
use super::scale::{encode, BTreeMapCodec};
use super::snapshot::Store;
use super::snapshot_read::ChainState;
use super::storage::{item_named, KeyArg};
use super::types::{self as ct, AccountId32};
use crate::consensus::EpochOutput;
use crate::emission::dividend_split::{split_dividends, DividendSplit};
use crate::emission::math::{u64_fraction, u96};
use crate::emission::PendingBuckets;
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::rules::DividendSplit as SplitRule;
use crate::runtime::timeline::{self, Feature};
use crate::runtime::Rules;
use crate::stake::safe_float::SafeFloat;
use crate::stake::share_pool::ShareRules;
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::{U64F64, U96F32};

pub use super::capture_lease::{
    LEASE_LOCK_NOT_REPLAYED, LEASE_NOT_REPLAYED, LEASE_PRICE_NOT_GIVEN, LEASE_SUBNET_NOT_REPLAYED,
};
pub use super::capture_payout::MEMBERLESS_NOT_REPLAYED;

/// The `needs` entry of the distribution under a runtime whose payout is not modelled.
pub const PAYOUT_NOT_REPLAYED: &str = "the payout of specs 464–468 is not replayed: which share-pool accounting credits it (the legacy update or the closing rules with the sole-member credit) is not pinned to a spec in that window";

/// What the distribution of one subnet's epoch comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    /// Every write, in the chain's order.
    Writes(Vec<EpochWrite>),
    /// Not computed: every output needs these (keys as `Pallet.Item[args] (key …)`, or a reason).
    Missing(Vec<String>),
}

fn safe_float_bytes(v: &SafeFloat) -> Vec<u8> {
    encode::<ct::SafeFloat>(&ct::SafeFloat {
        mantissa: v.mantissa(),
        exponent: v.exponent(),
    })
}

/// The hotkeys of the entries of a `(netuid, hotkey)` map under `netuid` that `captures` hold
/// with a value (the entries `clear_prefix` removes).
fn stored_hotkeys(name: &str, netuid: u16, captures: &[&Capture]) -> Result<BTreeSet<Acc>> {
    let it = item_named(name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
    let mut prefix = it.prefix().to_vec();
    prefix.extend_from_slice(&netuid.to_le_bytes());
    let prefix = super::hex::encode(&prefix);
    let mut out = BTreeSet::new();
    for c in captures {
        for (k, v) in c.storage.range(prefix.clone()..) {
            if !k.starts_with(&prefix) {
                break;
            }
            if v.is_none() {
                continue;
            }
            if let Some(KeyArg::Account(h)) = it.split_key(&super::hex::decode(k)?)?.get(1) {
                out.insert(*h);
            }
        }
    }
    Ok(out)
}

/// Whether the engine replays the payout under `rules`: every known spec except those where the
/// share-pool accounting is not pinned (464–468, [`PAYOUT_NOT_REPLAYED`]).
pub fn payout_replayed(rules: &Rules) -> bool {
    !timeline::unpinned(Feature::SharePoolClosing, rules.rules_spec)
}

/// Whether the engine replays a leased subnet's lease dividend under `rules` (specs 423–425).
pub fn lease_replayed(rules: &Rules) -> bool {
    !timeline::unpinned(Feature::LeaseDividends, rules.rules_spec)
}

/// Pay `netuid`'s drained `buckets` as the chain does after the epoch whose per-mechanism outputs
/// are `outs` (run on `state`, read from `parent`), under `rules`; `child` only names the entries
/// the payout's `clear_prefix` removes and the block. See the module doc. Without a spot price
/// ([`distribution_writes_priced`]) a lease dividend due at the block is listed.
pub fn distribution_writes(
    parent: &Capture,
    child: &Capture,
    netuid: u16,
    state: &ChainState,
    outs: &[EpochOutput],
    buckets: PendingBuckets,
    rules: &Rules,
) -> Result<Distribution> {
    let p = Payout {
        parent,
        child,
        netuid,
        state,
        outs,
        buckets,
        rules,
        price: None,
    };
    distribution_writes_priced(&p)
}

/// The inputs of one subnet's payout.
pub struct Payout<'a> {
    /// The parent capture (every read).
    pub parent: &'a Capture,
    /// The child capture (the block number and the entries a `clear_prefix` removes).
    pub child: &'a Capture,
    /// The subnet paid.
    pub netuid: u16,
    /// The epoch's input state.
    pub state: &'a ChainState,
    /// The epoch's per-mechanism outputs.
    pub outs: &'a [EpochOutput],
    /// The drained buckets.
    pub buckets: PendingBuckets,
    /// The parent's rules.
    pub rules: &'a Rules,
    /// The subnet's spot price after the block's coinbase (`current_alpha_price`), which a lease
    /// dividend's transfers check.
    pub price: Option<U64F64>,
}

/// [`distribution_writes`] with every input, the spot price included.
pub fn distribution_writes_priced(p: &Payout<'_>) -> Result<Distribution> {
    let Payout {
        parent,
        child,
        netuid,
        state,
        outs,
        buckets,
        rules,
        price,
    } = *p;
    if !payout_replayed(rules) {
        return Ok(Distribution::Missing(vec![PAYOUT_NOT_REPLAYED.to_string()]));
    }
    let mut b = Book {
        st: Store::new(&parent.storage),
        netuid,
        pools: BTreeMap::new(),
        share: if rules.share_pool_closing {
            ShareRules::Closing
        } else {
            ShareRules::Legacy
        },
        unmodelled: None,
    };
    let n = KeyArg::U16(netuid);
    // Level 1: the subnet's keys and every epoch hotkey's own keys.
    let tao_weight = u64_fraction(b.u64("TaoWeight", &[])?);
    let owner_exists = b.st.exists("SubnetOwner", &[n])?;
    let owner_hk_exists = b.st.exists("SubnetOwnerHotkey", &[n])?;
    let subnet_owner = b.account("SubnetOwner", &[n])?;
    let subnet_owner_hk = b.account("SubnetOwnerHotkey", &[n])?;
    // Emission per hotkey, summed over uids and mechanisms (`epoch_with_mechanisms` aggregates
    // per hotkey before the split).
    let mut emission: BTreeMap<Acc, (u64, u64)> = BTreeMap::new();
    for (uid, hotkey) in state.hotkeys.iter().enumerate() {
        let Some(hex) = hotkey else { continue };
        let h = AccountId32::from_hex(hex)?;
        for o in outs {
            let inc = o.server_emission.get(uid).copied().unwrap_or(0);
            let div = o.validator_emission.get(uid).copied().unwrap_or(0);
            let e = emission.entry(h).or_insert((0, 0));
            *e = (e.0.saturating_add(inc), e.1.saturating_add(div));
        }
    }
    let mut keys: BTreeMap<Acc, Hotkey> = BTreeMap::new();
    let mut child_keys: BTreeMap<Acc, ChildKeys> = BTreeMap::new();
    for &h in emission.keys() {
        let an = [KeyArg::Account(h), n];
        let parents =
            b.st.item::<Vec<(u64, AccountId32)>>("ParentKeys", &an)?
                .unwrap_or_default();
        if !parents.is_empty() {
            let ck = ChildKeys {
                parents,
                ..ChildKeys::default()
            };
            child_keys.insert(h, ck);
        }
        let k = hotkey(&mut b, h)?;
        keys.insert(h, k);
    }
    if b.st.pending() {
        return Ok(Distribution::Missing(b.missing()));
    }
    // Level 2, for hotkeys with parents: the parents' keys, the child keys and takes.
    let mut ck_burn = 0;
    if !child_keys.is_empty() {
        ck_burn = b.u64("CKBurn", &[])?;
        let min_take = u16_item(&mut b, "MinChildkeyTake", &[])?.max(u16_item(
            &mut b,
            "MinChildkeyTakePerSubnet",
            &[n],
        )?);
        for (h, ck) in child_keys.iter_mut() {
            let an = [KeyArg::Account(*h), n];
            ck.children =
                b.st.item::<Vec<(u64, AccountId32)>>("ChildKeys", &an)?
                    .unwrap_or_default();
            ck.take = u16_item(&mut b, "ChildkeyTake", &an)?.max(min_take);
            for (_, p) in &ck.parents {
                if !keys.contains_key(p) {
                    let k = hotkey(&mut b, *p)?;
                    keys.insert(*p, k);
                }
            }
        }
        if b.st.pending() {
            return Ok(Distribution::Missing(b.missing()));
        }
    }
    let key = |h: &Acc| {
        keys.get(h)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "hotkey outside the epoch"))
    };
    // `calculate_dividends_and_incentives`.
    let mut incentives: BTreeMap<Acc, u64> = BTreeMap::new();
    let mut dividends: BTreeMap<Acc, U96F32> = BTreeMap::new();
    for (h, &(inc, div)) in &emission {
        incentives.insert(*h, inc);
        let tuples = match child_keys.get(h) {
            Some(ck) => {
                let parent = |p: &Acc| keys.get(p).copied();
                parent_child_dividends(*h, key(h)?, ck, div, tao_weight, ck_burn, &parent)
            }
            None => vec![(*h, div)],
        };
        for (r, amount) in tuples {
            let d = dividends.entry(r).or_insert_with(|| U96F32::from_num(0));
            *d = d.saturating_add(u96(amount));
        }
    }
    // `distribute_emission`: the validator pool takes the server alpha when no miner earned.
    let incentive_sum = incentives.values().fold(0u64, |a, x| a.saturating_add(*x));
    let validator_alpha = if incentive_sum != 0 {
        buckets.validator
    } else {
        buckets.validator.saturating_add(buckets.server)
    };
    let stake_map: BTreeMap<Acc, (u64, u64)> =
        keys.iter().map(|(h, k)| (*h, (k.alpha, k.root))).collect();
    // Level 3, from spec 441: which dividend earners hold a root UID (`Uids[0][h]`).
    let split = match rules.dividend_split {
        SplitRule::Base => DividendSplit::Legacy,
        SplitRule::RootReborn => DividendSplit::RootUidZeroed,
        SplitRule::Hotfix => DividendSplit::RootUidRequired,
    };
    let mut root_uid: BTreeSet<Acc> = BTreeSet::new();
    if split != DividendSplit::Legacy {
        for h in dividends.keys() {
            if b.st
                .exists("Uids", &[KeyArg::U16(0), KeyArg::Account(*h)])?
                == Some(true)
            {
                root_uid.insert(*h);
            }
        }
        if b.st.pending() {
            return Ok(Distribution::Missing(b.missing()));
        }
    }
    let (alpha_divs, root_divs) = split_dividends(
        validator_alpha,
        buckets.root_alpha,
        tao_weight,
        &stake_map,
        &dividends,
        &|h| root_uid.contains(h),
        split,
    );
    // Owner cut, and a leased subnet's lease dividend.
    let mut lease = LeaseWrites::default();
    if owner_exists == Some(true) && owner_hk_exists == Some(true) {
        b.stake_one(subnet_owner_hk, subnet_owner, buckets.owner_cut)?;
        if let Some(id) = b.st.item::<u32>("SubnetUidToLeaseId", &[n])? {
            if !lease_replayed(rules) {
                return Ok(Distribution::Missing(vec![LEASE_NOT_REPLAYED.to_string()]));
            }
            let cut = buckets.owner_cut;
            if let Err(why) = distribute_lease(&mut b, id, cut, child.block, price, &mut lease)? {
                return Ok(Distribution::Missing(vec![why.to_string()]));
            }
        }
        if b.st.pending() {
            return Ok(Distribution::Missing(b.missing()));
        }
    }
    let owned: Vec<AccountId32> =
        b.st.item::<Vec<AccountId32>>("OwnedHotkeys", &[KeyArg::Account(subnet_owner)])?
            .unwrap_or_default();
    // `get_owner_hotkeys`: registered (a uid, i.e. a hotkey of this epoch's `Keys`).
    let mut owner_hotkeys: BTreeSet<Acc> = owned
        .into_iter()
        .filter(|h| emission.contains_key(h))
        .collect();
    if owner_hk_exists == Some(true) && emission.contains_key(&subnet_owner_hk) {
        owner_hotkeys.insert(subnet_owner_hk);
    }
    let inputs = Inputs {
        keys: &keys,
        incentives: &incentives,
        owner_hotkeys: &owner_hotkeys,
        alpha_divs: &alpha_divs,
        root_divs: &root_divs,
    };
    let mut coll = Collateral::default();
    let paid = if rules.collateral {
        match pay_with_collateral(&mut b, &inputs, rules, &mut coll)? {
            Ok(p) => p,
            Err(why) => return Ok(Distribution::Missing(vec![why.to_string()])),
        }
    } else {
        pay_legacy(&mut b, &inputs)?
    };
    if b.st.pending() {
        return Ok(Distribution::Missing(b.missing()));
    }
    if let Some(why) = b.unmodelled {
        return Ok(Distribution::Missing(vec![why.to_string()]));
    }
    let mut w = Vec::new();
    for (h, p) in &b.pools {
        let an = [KeyArg::Account(*h), n];
        write(
            &mut w,
            "TotalHotkeyAlpha",
            &an,
            encode::<u64>(&p.pool.shared_value),
        )?;
        // `set_denominator` / `set_share` migrate on touch: the legacy entry read is removed.
        let zero = || encode::<ct::U64F64>(&ct::U64F64::from_bits(0));
        if p.one {
            if p.legacy_denominator {
                write(&mut w, "TotalHotkeyShares", &an, zero())?;
            }
            let d = safe_float_bytes(&p.pool.denominator);
            write(&mut w, "TotalHotkeySharesV2", &an, d)?;
        }
        if p.epoch != p.epoch0 {
            write(&mut w, "AlphaSharePoolEpoch", &an, encode::<u64>(&p.epoch))?;
        }
        for (c, (share, epoch)) in &p.written {
            let args = [KeyArg::Account(*h), KeyArg::Account(*c), n];
            if p.legacy_shares.contains(c) {
                write(&mut w, "Alpha", &args, zero())?;
            }
            write(&mut w, "AlphaV2", &args, safe_float_bytes(share))?;
            // The row's epoch stamp (closing rules, a pool closed at least once); removed
            // with the row.
            if *epoch != 0 {
                let stamp = if share.is_zero() { 0 } else { *epoch };
                write(&mut w, "AlphaShareEpoch", &args, encode::<u64>(&stamp))?;
            }
        }
    }
    write(
        &mut w,
        "MinerBurned",
        &[n],
        encode::<ct::U96F32>(&ct::U96F32::from_bits(paid.burned.to_bits())),
    )?;
    let captures = [parent, child];
    for (name, records) in [
        ("AlphaDividendsPerSubnet", &paid.alpha_records),
        ("RootAlphaDividendsPerSubnet", &paid.root_records),
    ] {
        for h in stored_hotkeys(name, netuid, &captures)? {
            if !records.contains_key(&h) {
                write(&mut w, name, &[n, KeyArg::Account(h)], encode::<u64>(&0))?;
            }
        }
        for (h, v) in records {
            write(&mut w, name, &[n, KeyArg::Account(*h)], encode::<u64>(v))?;
        }
    }
    for (h, after) in &paid.last_epoch {
        let an = [KeyArg::Account(*h), n];
        write(
            &mut w,
            "TotalHotkeyAlphaLastEpoch",
            &an,
            encode::<u64>(after),
        )?;
    }
    for (h, m) in &paid.claimable {
        let m: BTreeMap<u16, ct::I96F32> = m
            .iter()
            .map(|(n, v)| (*n, ct::I96F32::from_bits(v.to_bits())))
            .collect();
        let v = encode::<BTreeMapCodec<u16, ct::I96F32>>(&m);
        write(&mut w, "RootClaimable", &[KeyArg::Account(*h)], v)?;
    }
    for (h, v) in &paid.basket {
        let an = [KeyArg::Account(*h), n];
        write(&mut w, "PendingBasketDeposits", &an, encode::<u64>(v))?;
    }
    if let Some((id, v)) = lease.accumulated {
        let args = [KeyArg::U32(id)];
        write(
            &mut w,
            "AccumulatedLeaseDividends",
            &args,
            encode::<u64>(&v),
        )?;
    }
    for ((c, h), v) in &lease.stake_blocks {
        let args = [KeyArg::Account(*c), KeyArg::Account(*h)];
        write(
            &mut w,
            "LastColdkeyHotkeyStakeBlock",
            &args,
            encode::<u64>(v),
        )?;
    }
    coll.writes(netuid, &mut w)?;
    Ok(Distribution::Writes(w))
}
