//! What `replay block` does not model after the payout, listed instead of compared
//! ([`super::replay_block`] calls [`list_unmodelled`] on its report):
//!
//! * From spec 441 (Root Reborn; `emission-after-425.md` §3.5, RaoFoundation/subtensor
//!   `staking/basket_flush.rs`, index id 61908491633): right after the coinbase the per-block
//!   janitor flushes the queue of ONE hotkey, the first `PendingBasketDeposits` key after the
//!   raw-key cursor `PendingBasketFlushCursor` in the queue as the coinbase left it. A capture
//!   cannot show that it holds that whole map, so which hotkey is flushed is not decided here.
//!   A flush only removes queue entries (a deposited batch, a recycled credit) and deposits into
//!   the flushed hotkey's fund (escrow stake in that hotkey's share pools). So a queue entry the
//!   replay computes as non-zero, and the share-pool items (`TotalHotkeyAlpha`,
//!   `TotalHotkeySharesV2`, `AlphaV2`, the legacy entries and the pool epochs) of every hotkey
//!   with a non-zero queue entry (computed, or in the parent), are listed with [`JANITOR_NOT_REPLAYED`]; a zero queue entry cannot be
//!   moved by the flush and stays compared.
//! * From spec 436: the collateral reverse index `ColdkeyCollateralHotkeys[n, coldkey]`, which
//!   the payout's collateral settlement may rewrite for every earner with a non-zero emission
//!   (`settle_miner_collateral`, RaoFoundation/subtensor `subnets/collateral.rs`, index id
//!   71294871486: it re-syncs the index with the position, adding the hotkey to a standing
//!   position's owner and dropping it for a removed or absent one, which also repairs stale
//!   entries). The runtime that introduced the index is not pinned, so it is not modelled:
//!   `ColdkeyCollateralHotkeys[n,*]` is listed with [`COLLATERAL_INDEX_NOT_REPLAYED`] for every
//!   subnet whose payout was computed (where it was not, `distribution_items` lists it with the
//!   payout's reason).
//!
//! Not listed, so still seen as mismatches where the janitor's hotkey has a curated fund: the
//! pool trades of a curated deposit (`SubnetTAO`, `SubnetAlphaIn` of the basket's subnets,
//! `TotalStake`) and a recycled credit's `SubnetAlphaOut` on a subnet without an epoch.

use super::capture::Capture;
use super::hex;
use super::replay_report::{BlockReplay, ItemCheck, MissingItem};
use super::storage::{prefix, SUBTENSOR_PALLET};
use crate::error::Result;
use crate::runtime::{RootDividends, Rules};
use std::collections::BTreeSet;

/// The `needs` entry of an output the root-fund janitor may move (441+).
pub const JANITOR_NOT_REPLAYED: &str = "from spec 441 the root-fund janitor flushes one hotkey's PendingBasketDeposits right after the coinbase (flush_pending_basket_deposits_block); which hotkey depends on the whole queue and its cursor, and the flush is not modelled: not replayed";

/// The `needs` entry of the collateral reverse index (436+).
pub const COLLATERAL_INDEX_NOT_REPLAYED: &str = "from spec 436 the payout's collateral settlement of every earner may rewrite the reverse index ColdkeyCollateralHotkeys (adds or drops the earner's hotkey, repairs stale entries); the runtime that introduced the index is not pinned: not replayed";

const QUEUE: &str = "SubtensorModule.PendingBasketDeposits";
const POOLS: &[&str] = &[
    "SubtensorModule.TotalHotkeyAlpha",
    "SubtensorModule.TotalHotkeySharesV2",
    "SubtensorModule.AlphaV2",
    "SubtensorModule.TotalHotkeyShares",
    "SubtensorModule.Alpha",
    "SubtensorModule.AlphaSharePoolEpoch",
    "SubtensorModule.AlphaShareEpoch",
];
/// Written once by every computed payout (`MinerBurned[n]`).
const PAYOUT_MARK: &str = "SubtensorModule.MinerBurned";
/// The collateral reverse index.
pub const COLLATERAL_INDEX: &str = "SubtensorModule.ColdkeyCollateralHotkeys";

/// The rendered map keys of `args` (`[a,b,c]`).
fn parts(args: &str) -> Vec<&str> {
    args.trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .collect()
}

/// Whether a compared queue entry's engine value is non-zero (a u64, little-endian).
fn non_zero(c: &ItemCheck) -> Result<bool> {
    let Some(a) = &c.actual else {
        return Ok(false);
    };
    Ok(hex::decode(a)?.iter().any(|b| *b != 0))
}

/// The hotkeys holding a non-zero `PendingBasketDeposits` entry in the parent.
pub(crate) fn parent_queued(parent: &Capture) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for (tail, v) in parent.with_prefix(&prefix(SUBTENSOR_PALLET, "PendingBasketDeposits"))? {
        let queued = v.is_some_and(|v| v.iter().any(|b| *b != 0));
        if let (true, Some(h)) = (queued, tail.get(16..48)) {
            out.insert(hex::encode(h));
        }
    }
    Ok(out)
}

fn move_to_missing(r: &mut BlockReplay, pick: impl Fn(&ItemCheck) -> bool, why: &str) {
    let (moved, kept): (Vec<ItemCheck>, Vec<ItemCheck>) =
        std::mem::take(&mut r.items).into_iter().partition(pick);
    r.items = kept;
    for c in moved {
        r.missing.push(MissingItem {
            item: c.item,
            args: c.args,
            needs: vec![why.to_string()],
        });
    }
}

/// Move the outputs the janitor may write (441+) to `missing`, and list the collateral reverse
/// index of every settled owner (436+).
pub fn list_unmodelled(r: &mut BlockReplay, parent: &Capture, rules: &Rules) -> Result<()> {
    if rules.root_dividends == RootDividends::Fund {
        let mut hotkeys = parent_queued(parent)?;
        let mut queued = BTreeSet::new();
        for c in r.items.iter().filter(|c| c.item == QUEUE) {
            if non_zero(c)? {
                queued.insert(c.key.clone());
                if let Some(h) = parts(&c.args).first() {
                    hotkeys.insert(h.to_string());
                }
            }
        }
        let pooled = |c: &ItemCheck| {
            POOLS.contains(&c.item.as_str())
                && parts(&c.args).first().is_some_and(|h| hotkeys.contains(*h))
        };
        move_to_missing(
            r,
            |c| queued.contains(&c.key) || pooled(c),
            JANITOR_NOT_REPLAYED,
        );
    }
    if rules.collateral {
        let paid: BTreeSet<String> = r
            .items
            .iter()
            .filter(|c| c.item == PAYOUT_MARK)
            .filter_map(|c| parts(&c.args).first().map(|n| format!("[{n},*]")))
            .collect();
        for args in paid {
            r.missing.push(MissingItem {
                item: COLLATERAL_INDEX.into(),
                args,
                needs: vec![COLLATERAL_INDEX_NOT_REPLAYED.to_string()],
            });
        }
    }
    Ok(())
}
