//! The lease dividend of a leased subnet's owner cut on a capture ([`super::capture_distribution`]
//! calls it right after the owner cut is staked, before the miner incentives).
//!
//! Port of `distribute_leased_network_dividends` (`subnets/leasing.rs`) and
//! `transfer_stake_within_subnet` (`staking/stake_utils.rs`, with the lock hand-over
//! `transfer_lock` of `staking/lock.rs`) at opentensor/subtensor `v3.4.8-423`, `v3.4.9-424` and
//! 14bc6f9 (spec 425), identical in all three; the runtime constants
//! `LeaseDividendsDistributionInterval` (100 blocks) and `SubtensorInitialMinStake` (the
//! transfer's `DefaultMinStake`, 2 000 000 rao) from `runtime/src/lib.rs` at the same tags.
//!
//! With `SubnetUidToLeaseId[n] = id` and a lease `SubnetLeases[id]` that has not ended
//! (`end_block > now`): the contributors' cut `ceil(owner_cut × share% / 100)` (`Percent::mul_ceil`)
//! is added to `AccumulatedLeaseDividends[id]`. Off the interval (`now mod 100 ≠ 0`) that sum is
//! stored and nothing else happens. On it, in one storage layer: each contributor of
//! `SubnetLeaseShares[id]` (key order, i.e. account order under `Identity`) gets
//! `ceil(share × total)` (U64F64), then the beneficiary the rest (saturating), each a stake
//! transfer `(lease.coldkey, lease.hotkey) → (to, lease.hotkey)` that debits the lease position
//! (skipped when it holds less), credits the recipient, fails when `floor(price × alpha)` is below
//! the minimum stake (a zero transfer always fails), and stamps
//! `LastColdkeyHotkeyStakeBlock[to][lease.hotkey] = now`. Success sets the accumulator to 0; any
//! failure rolls every transfer back and stores the total instead. `now` is the child block, the
//! price the subnet's spot price after the block's coinbase (the caller passes it).
//!
//! Listed, never guessed: a lease whose coldkey holds a conviction lock on the subnet (the
//! transfer moves locked mass: [`LEASE_LOCK_NOT_REPLAYED`]), a lease on another subnet than the
//! one paid, a distribution without the price ([`LEASE_PRICE_NOT_GIVEN`]), and every spec after
//! 425 ([`LEASE_NOT_REPLAYED`], `runtime::timeline::Feature::LeaseDividends`). The events and
//! `StakingHotkeys` of a new recipient are not written.

use super::capture_share_book::{Acc, Book};
use super::storage::{item_named, KeyArg};
use super::types::{self as ct, AccountId32};
use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;
use substrate_fixed::types::U64F64;

/// The `needs` entry for a leased subnet under a runtime whose lease dividend is not pinned.
pub const LEASE_NOT_REPLAYED: &str = "the subnet is leased (SubnetUidToLeaseId) and the lease dividend is replayed for specs 423-425 only: after 425 the stake transfer (the lock follows the destination hotkey, maybe_become_delegate, DefaultMinTransfer) and later the per-contributor deferral (SubnetLeaseUnpaidDividends, floored slices) changed at specs not pinned";

/// The `needs` entry for a lease dividend whose lease coldkey holds a conviction lock.
pub const LEASE_LOCK_NOT_REPLAYED: &str = "the lease coldkey holds a conviction lock on the subnet (Lock[(coldkey, netuid, *)]): each lease dividend transfer moves locked mass and conviction (transfer_lock), which is not replayed";

/// The `needs` entry for a lease whose netuid is not the subnet paid.
pub const LEASE_SUBNET_NOT_REPLAYED: &str =
    "the subnet's lease (SubnetLeases) names another netuid: its stake transfers are not replayed";

/// The `needs` entry for a distribution block when the caller gave no spot price.
pub const LEASE_PRICE_NOT_GIVEN: &str = "the lease dividend is distributed at this block and each transfer checks floor(price × alpha) against the minimum stake: no spot price after the coinbase was given";

/// `LeaseDividendsDistributionInterval` of the finney runtime (blocks).
pub const LEASE_INTERVAL: u64 = 100;
/// `DefaultMinStake` (`SubtensorInitialMinStake`, rao).
pub const MIN_STAKE: u64 = 2_000_000;

/// What the lease dividend writes besides the share pools (held in the [`Book`]).
#[derive(Default)]
pub(crate) struct LeaseWrites {
    /// `AccumulatedLeaseDividends[id]` after the call.
    pub(crate) accumulated: Option<(u32, u64)>,
    /// `LastColdkeyHotkeyStakeBlock[coldkey][hotkey]` of each transfer kept.
    pub(crate) stake_blocks: BTreeMap<(Acc, Acc), u64>,
}

/// `Percent::mul_ceil(x)`: `ceil(x × p / 100)`, `p` clamped to 100.
pub fn percent_mul_ceil(p: u8, x: u64) -> u64 {
    let p = u128::from(p.min(100));
    let v = u128::from(x).saturating_mul(p).div_ceil(100);
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// `ceil(share × total)` in U64F64, saturating to u64 (`share` as bits).
pub fn contributor_cut(share_bits: u128, total: u64) -> u64 {
    let v = U64F64::from_bits(share_bits).saturating_mul(U64F64::from_num(total));
    v.checked_ceil()
        .map_or(u64::MAX, |c| c.saturating_to_num::<u64>())
}

/// What a lease dividend of lease `lease_id` may write besides the share pools, as
/// `(Pallet.Item, args)` (`*` for every account): listed with the payout's items when the payout
/// is not computed.
pub fn lease_items(lease_id: u32) -> Vec<(String, String)> {
    vec![
        (
            "SubtensorModule.AccumulatedLeaseDividends".into(),
            format!("[{lease_id}]"),
        ),
        (
            "SubtensorModule.LastColdkeyHotkeyStakeBlock".into(),
            "[*,*]".into(),
        ),
    ]
}

/// The lease of `netuid` in `parent` (`SubnetUidToLeaseId[netuid]` with a value), if any.
pub fn lease_of(parent: &super::capture::Capture, netuid: u16) -> Result<Option<u32>> {
    let k = super::hex::encode(&key("SubnetUidToLeaseId", &[KeyArg::U16(netuid)])?);
    match parent.storage.get(&k).cloned().flatten() {
        Some(v) => {
            let b = super::hex::decode(&v)?;
            let b = <[u8; 4]>::try_from(b.as_slice())
                .map_err(|_| Error::field(ErrorCode::Decode, "SubnetUidToLeaseId", "not a u32"))?;
            Ok(Some(u32::from_le_bytes(b)))
        }
        None => Ok(None),
    }
}

fn key(name: &str, args: &[KeyArg]) -> Result<Vec<u8>> {
    item_named(name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?
        .key(args)
}

/// The lease dividend of `lease_id` after an owner cut of `owner_cut`, at block `now`, with the
/// subnet's spot `price`. Missing keys are recorded in `b.st`; `Ok(Err(why))` when a case is
/// not replayed.
pub(crate) fn distribute_lease(
    b: &mut Book<'_>,
    lease_id: u32,
    owner_cut: u64,
    now: u64,
    price: Option<U64F64>,
    out: &mut LeaseWrites,
) -> Result<std::result::Result<(), &'static str>> {
    let id = [KeyArg::U32(lease_id)];
    let Some(lease) = b.st.item::<ct::SubnetLease>("SubnetLeases", &id)? else {
        return Ok(Ok(()));
    };
    if lease.end_block.is_some_and(|e| u64::from(e) <= now) {
        return Ok(Ok(()));
    }
    let current = percent_mul_ceil(lease.emissions_share, owner_cut);
    let accumulated = b.u64("AccumulatedLeaseDividends", &id)?;
    let total = accumulated.saturating_add(current);
    out.accumulated = Some((lease_id, total));
    if now % LEASE_INTERVAL != 0 {
        return Ok(Ok(()));
    }
    if lease.netuid != b.netuid {
        return Ok(Err(LEASE_SUBNET_NOT_REPLAYED));
    }
    let prefix = key("SubnetLeaseShares", &id)?;
    let Some(entries) = b.st.prefix_entries(&prefix)? else {
        return Ok(Ok(()));
    };
    let mut shares: Vec<(Acc, u128)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let c = k
            .get(prefix.len()..)
            .and_then(|a| <[u8; 32]>::try_from(a).ok())
            .ok_or_else(|| Error::field(ErrorCode::Decode, "SubnetLeaseShares", "bad key"))?;
        let bits = <[u8; 16]>::try_from(v.as_slice())
            .map_err(|_| Error::field(ErrorCode::Decode, "SubnetLeaseShares", "not a U64F64"))?;
        shares.push((AccountId32(c), u128::from_le_bytes(bits)));
    }
    // `transfer_lock`: a no-op unless the lease coldkey holds a lock on the subnet.
    let lock = key(
        "Lock",
        &[KeyArg::Account(lease.coldkey), KeyArg::U16(b.netuid)],
    )?;
    let Some(locks) = b.st.prefix_entries(&lock)? else {
        return Ok(Ok(()));
    };
    if !locks.is_empty() {
        return Ok(Err(LEASE_LOCK_NOT_REPLAYED));
    }
    let Some(price) = price else {
        return Ok(Err(LEASE_PRICE_NOT_GIVEN));
    };
    // The storage layer: keep the pools to restore them on failure.
    let saved = b.pools.clone();
    let mut stamps = BTreeMap::new();
    let mut distributed = 0u64;
    let mut ok = true;
    for (c, share) in &shares {
        let alpha = contributor_cut(*share, total);
        if !transfer(b, &lease, *c, alpha, price, now, &mut stamps)? {
            ok = false;
            break;
        }
        distributed = distributed.saturating_add(alpha);
    }
    if ok {
        let rest = total.saturating_sub(distributed);
        ok = transfer(b, &lease, lease.beneficiary, rest, price, now, &mut stamps)?;
    }
    if ok {
        out.accumulated = Some((lease_id, 0));
        out.stake_blocks.extend(stamps);
    } else {
        b.pools = saved;
    }
    Ok(Ok(()))
}

/// `transfer_stake_within_subnet(lease.coldkey, lease.hotkey, to, lease.hotkey, n, alpha)`
/// (the lock already checked): `false` when it fails (`AmountTooLow`).
fn transfer(
    b: &mut Book<'_>,
    lease: &ct::SubnetLease,
    to: Acc,
    alpha: u64,
    price: U64F64,
    now: u64,
    stamps: &mut BTreeMap<(Acc, Acc), u64>,
) -> Result<bool> {
    b.unstake_one(lease.hotkey, lease.coldkey, alpha)?;
    b.stake_one(lease.hotkey, to, alpha)?;
    let tao = price
        .saturating_mul(U64F64::saturating_from_num(alpha))
        .saturating_to_num::<u64>();
    if tao < MIN_STAKE {
        return Ok(false);
    }
    stamps.insert((to, lease.hotkey), now);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_up_like_mul_ceil() {
        assert_eq!(percent_mul_ceil(30, 1000), 300);
        assert_eq!(percent_mul_ceil(30, 1001), 301);
        assert_eq!(percent_mul_ceil(1, 1), 1);
        assert_eq!(percent_mul_ceil(0, 1_000), 0);
        assert_eq!(percent_mul_ceil(100, u64::MAX), u64::MAX);
        assert_eq!(percent_mul_ceil(99, u64::MAX), 18_262_276_632_972_456_099);
    }

    #[test]
    fn contributor_cut_rounds_up() {
        let third = U64F64::from_num(1) / U64F64::from_num(3);
        assert_eq!(contributor_cut(third.to_bits(), 300), 100);
        assert_eq!(contributor_cut(third.to_bits(), 301), 101);
        assert_eq!(contributor_cut(0, 301), 0);
    }
}
