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
//! the engine's: [`split_dividends`] (the ≤ 440 split) and
//! [`crate::stake::share_pool::SharePool`] (the legacy update).
//!
//! Dividends go through the parent/child split ([`super::capture_parent_child`]) first.
//! Order of writes (§9.7): owner cut to (`SubnetOwnerHotkey`, `SubnetOwner`) when both keys
//! exist; miner incentives in hotkey order (owner hotkeys withheld, else staked to
//! `AutoStakeDestination[owner]` or the hotkey, zero amounts included, as the chain does);
//! `MinerBurned = withheld / total`; alpha dividends (take to the owner as new shares, the rest to
//! the whole pool; `AlphaDividendsPerSubnet` cleared then set; `TotalHotkeyAlphaLastEpoch` after
//! the hotkey's payout); root dividends (take, then `RootClaimable[h][n] += rest / root stake`,
//! or the rest staked to the owner when it exceeds the root stake; `RootAlphaDividendsPerSubnet`
//! cleared then set).
//!
//! Written and compared: `TotalHotkeyAlpha`, `TotalHotkeySharesV2` and `AlphaV2` of every pool
//! the payout touched (removal writes as the item's default), `MinerBurned`,
//! `AlphaDividendsPerSubnet` and `RootAlphaDividendsPerSubnet` (every entry of the subnet that
//! either capture holds and the payout did not set is a removal), `TotalHotkeyAlphaLastEpoch`,
//! `RootClaimable`. Registration is `Keys` (`Uids` is its inverse on chain).
//!
//! Listed, never guessed ([`Distribution::Missing`]): inputs the parent lacks, level by level
//! (the subnet's and every epoch hotkey's keys with its `ParentKeys` first; then, for hotkeys
//! with parents, `CKBurn`, the minimum child-key takes, `ChildKeys`, `ChildkeyTake` and the
//! parents' keys; then the pools and keys they name); a runtime whose payout differs
//! ([`PAYOUT_NOT_REPLAYED`]: miner collateral from 436, Root Reborn from 441); a leased subnet
//! ([`LEASE_NOT_REPLAYED`]); a pool still in the legacy U64F64 maps ([`LEGACY_SHARES_NOT_READ`]).
//! Not written here: `StakingHotkeys` (a new staker's list), conviction locks of the owner cut,
//! and the recycled or burned alpha (`SubnetAlphaOut`, which `replay block` lists).

use super::capture::Capture;
use super::capture_epoch::{EpochWrite, WriteKind};
use super::capture_parent_child::{parent_child_dividends, ChildKeys, Hotkey};
use super::capture_share_book::{hotkey, u16_item, Acc, Book};
use super::scale::{encode, BTreeMapCodec};
use super::snapshot::{render_args, Store};
use super::snapshot_read::ChainState;
use super::storage::{item_named, KeyArg};
use super::types::{self as ct, AccountId32};
use crate::consensus::EpochOutput;
use crate::emission::dividend_split::{split_dividends, DividendSplit};
use crate::emission::math::{tou64, u16_fraction, u64_fraction, u96};
use crate::emission::PendingBuckets;
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::{RootDividends, Rules};
use crate::stake::safe_float::SafeFloat;
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::{I96F32, U96F32};

/// The `needs` entry of the distribution under a runtime whose payout is not modelled.
pub const PAYOUT_NOT_REPLAYED: &str = "the payout of specs 436+ (miner collateral capture; from 441 Root Reborn basket deposits and the member-less pool rule) is not replayed";

/// The `needs` entry for a leased subnet (`SubnetUidToLeaseId` set): the owner cut is shared.
pub const LEASE_NOT_REPLAYED: &str =
    "the subnet is leased (SubnetUidToLeaseId): the lease's share of the owner cut is not replayed";

/// The `needs` entry for a pool the chain still reads from the legacy U64F64 maps.
pub const LEGACY_SHARES_NOT_READ: &str = "a pool the payout touches still holds legacy TotalHotkeyShares/Alpha (U64F64) entries, which the chain reads first and migrates: not replayed";

/// What the distribution of one subnet's epoch comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    /// Every write, in the chain's order.
    Writes(Vec<EpochWrite>),
    /// Not computed: every output needs these (keys as `Pallet.Item[args] (key …)`, or a reason).
    Missing(Vec<String>),
}

fn write(out: &mut Vec<EpochWrite>, name: &str, args: &[KeyArg], value: Vec<u8>) -> Result<()> {
    let it = item_named(name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
    out.push(EpochWrite {
        item: format!("{}.{}", it.pallet, it.name),
        args: render_args(args),
        key: super::hex::encode(&it.key(args)?),
        value,
        kind: WriteKind::Raw,
    });
    Ok(())
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

/// Whether the engine replays the payout under `rules`: specs up to 435 (no miner collateral,
/// root dividends as `RootClaimable`); else [`PAYOUT_NOT_REPLAYED`].
pub fn payout_replayed(rules: &Rules) -> bool {
    !rules.collateral && rules.root_dividends == RootDividends::Claimable
}

/// Pay `netuid`'s drained `buckets` as the chain does after the epoch whose per-mechanism outputs
/// are `outs` (run on `state`, read from `parent`), under `rules`; `child` only names the entries
/// the payout's `clear_prefix` removes. See the module doc.
pub fn distribution_writes(
    parent: &Capture,
    child: &Capture,
    netuid: u16,
    state: &ChainState,
    outs: &[EpochOutput],
    buckets: PendingBuckets,
    rules: &Rules,
) -> Result<Distribution> {
    if !payout_replayed(rules) {
        return Ok(Distribution::Missing(vec![PAYOUT_NOT_REPLAYED.to_string()]));
    }
    let mut b = Book {
        st: Store::new(&parent.storage),
        netuid,
        pools: BTreeMap::new(),
        legacy: false,
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
    let (alpha_divs, root_divs) = split_dividends(
        validator_alpha,
        buckets.root_alpha,
        tao_weight,
        &stake_map,
        &dividends,
        &|_| true,
        DividendSplit::Legacy,
    );
    // Owner cut.
    if owner_exists == Some(true) && owner_hk_exists == Some(true) {
        if b.st.exists("SubnetUidToLeaseId", &[n])? == Some(true) {
            return Ok(Distribution::Missing(vec![LEASE_NOT_REPLAYED.to_string()]));
        }
        b.stake_one(subnet_owner_hk, subnet_owner, buckets.owner_cut)?;
    }
    // Miner incentives.
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
    let (mut total, mut withheld) = (0u64, 0u64);
    for (h, &incentive) in &incentives {
        total = total.saturating_add(incentive);
        if owner_hotkeys.contains(h) {
            withheld = withheld.saturating_add(incentive);
            continue;
        }
        let owner = key(h)?.owner;
        let dest =
            b.st.item::<AccountId32>("AutoStakeDestination", &[KeyArg::Account(owner), n])?
                .unwrap_or(*h);
        b.stake_one(dest, owner, incentive)?;
    }
    let burned = u96(withheld)
        .checked_div(u96(total))
        .unwrap_or_else(|| U96F32::from_num(0));
    // Alpha dividends.
    let mut alpha_paid: BTreeMap<Acc, (u64, u64)> = BTreeMap::new();
    for (h, &divs) in &alpha_divs {
        let k = key(h)?;
        let take = u16_fraction(k.take).saturating_mul(divs);
        let rest = divs.saturating_sub(take);
        b.stake_one(*h, k.owner, tou64(take))?;
        b.stake_all(*h, tou64(rest))?;
        let after = b.pool(*h)?.pool.shared_value;
        alpha_paid.insert(*h, (tou64(rest), after));
    }
    // Root dividends.
    let mut root_paid: BTreeMap<Acc, u64> = BTreeMap::new();
    let mut claimable: BTreeMap<Acc, BTreeMap<u16, I96F32>> = BTreeMap::new();
    for (h, &root_alpha) in &root_divs {
        let k = key(h)?;
        let take = u16_fraction(k.take).saturating_mul(root_alpha);
        let rest = tou64(root_alpha.saturating_sub(take));
        b.stake_one(*h, k.owner, tou64(take))?;
        let total_root = I96F32::saturating_from_num(k.root);
        let increment = I96F32::saturating_from_num(rest)
            .checked_div(total_root)
            .unwrap_or_else(|| I96F32::from_num(0));
        if rest > total_root.saturating_to_num::<u64>() {
            b.stake_one(*h, k.owner, rest)?;
        } else {
            if !claimable.contains_key(h) {
                let map =
                    b.st.item::<BTreeMapCodec<u16, ct::I96F32>>(
                        "RootClaimable",
                        &[KeyArg::Account(*h)],
                    )?
                    .unwrap_or_default();
                let map = map.into_iter().map(|(n, v)| (n, v.to_fixed())).collect();
                claimable.insert(*h, map);
            }
            if let Some(m) = claimable.get_mut(h) {
                let e = m.entry(netuid).or_insert_with(|| I96F32::from_num(0));
                *e = e.saturating_add(increment);
            }
        }
        root_paid.insert(*h, rest);
    }
    if b.st.pending() {
        return Ok(Distribution::Missing(b.missing()));
    }
    if b.legacy {
        return Ok(Distribution::Missing(vec![
            LEGACY_SHARES_NOT_READ.to_string()
        ]));
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
        if p.one {
            let d = safe_float_bytes(&p.pool.denominator);
            write(&mut w, "TotalHotkeySharesV2", &an, d)?;
        }
        for c in &p.written {
            let args = [KeyArg::Account(*h), KeyArg::Account(*c), n];
            let s = safe_float_bytes(&p.pool.share(c));
            write(&mut w, "AlphaV2", &args, s)?;
        }
    }
    write(
        &mut w,
        "MinerBurned",
        &[n],
        encode::<ct::U96F32>(&ct::U96F32::from_bits(burned.to_bits())),
    )?;
    let captures = [parent, child];
    for (name, paid) in [
        (
            "AlphaDividendsPerSubnet",
            alpha_paid.iter().map(|(h, v)| (*h, v.0)).collect(),
        ),
        ("RootAlphaDividendsPerSubnet", root_paid.clone()),
    ] {
        let paid: BTreeMap<Acc, u64> = paid;
        for h in stored_hotkeys(name, netuid, &captures)? {
            if !paid.contains_key(&h) {
                write(&mut w, name, &[n, KeyArg::Account(h)], encode::<u64>(&0))?;
            }
        }
        for (h, v) in &paid {
            write(&mut w, name, &[n, KeyArg::Account(*h)], encode::<u64>(v))?;
        }
    }
    for (h, (_, after)) in &alpha_paid {
        let an = [KeyArg::Account(*h), n];
        write(
            &mut w,
            "TotalHotkeyAlphaLastEpoch",
            &an,
            encode::<u64>(after),
        )?;
    }
    for (h, m) in &claimable {
        let m: BTreeMap<u16, ct::I96F32> = m
            .iter()
            .map(|(n, v)| (*n, ct::I96F32::from_bits(v.to_bits())))
            .collect();
        let v = encode::<BTreeMapCodec<u16, ct::I96F32>>(&m);
        write(&mut w, "RootClaimable", &[KeyArg::Account(*h)], v)?;
    }
    Ok(Distribution::Writes(w))
}
