//! `TotalAlphaStaked[n]` after the payout (spec 448+, `pool-after-425.md` §5.4), added to a
//! `replay block` report by [`compare_totals`] once every other output is in it.
//!
//! The chain keeps the subnet's total in step with every `TotalHotkeyAlpha` write: the share
//! pool's `set_shared_value` applies `total − previous + new` (each step saturating) unless the
//! value is unchanged (RaoFoundation/subtensor `staking/stake_utils.rs`, index id 69155006798,
//! and `migrations/migrate_total_alpha_staked.rs`, index id 61484790039). While the paged
//! backfill `migrate_total_alpha_staked` still runs (its cursor `TotalAlphaStakedMigration` is
//! stored), a write applies only behind the cursor, and the block's `on_idle` pages in more
//! hotkeys by weight: the child's total is then not the coinbase's alone, so it is listed with
//! [`BACKFILL_NOT_REPLAYED`].
//!
//! The engine folds each pool's first and last value of the block into one step, in key order,
//! where the chain steps at every write in payout order. Both give `max(total − previous, 0) +
//! new` per pool, and the same sum whenever no subtraction saturates: a total that covers each
//! pool's previous value, which holds for a total the chain kept (the sum over hotkeys).
//!
//! A subnet's total is listed with the payout's reason when its payout was not computed, and
//! from 441 when the root-fund janitor may flush a hotkey's queue after the coinbase
//! (any non-zero `PendingBasketDeposits` entry, in the parent or computed): the flush deposits
//! into share pools this replay does not model ([`super::replay_janitor`]).

use super::capture::Capture;
use super::capture_epoch::{compare_write, describe_key, key_hex, EpochWrite, WriteKind};
use super::hex;
use super::replay_janitor::{self, JANITOR_NOT_REPLAYED};
use super::replay_report::{BlockReplay, MissingItem};
use super::storage::KeyArg;
use crate::error::Result;
use crate::runtime::Rules;
use std::collections::{BTreeMap, BTreeSet};

/// The `needs` entry of a subnet total while the chain's backfill pages (448+).
pub const BACKFILL_NOT_REPLAYED: &str = "TotalAlphaStakedMigration is stored: the chain's paged backfill of TotalAlphaStaked (migrate_total_alpha_staked) still runs, applying share-pool writes only behind its cursor and paging in more hotkeys in the block's on_idle by weight; not replayed";

/// The share-pool value item whose writes move the subnet total.
pub const POOL_VALUE: &str = "SubtensorModule.TotalHotkeyAlpha";
const TOTAL: &str = "TotalAlphaStaked";
const CURSOR: &str = "TotalAlphaStakedMigration";

/// The netuid of a rendered `[hotkey,netuid]` argument list.
fn netuid_of(args: &str) -> Option<u16> {
    args.trim_start_matches('[')
        .trim_end_matches(']')
        .rsplit(',')
        .next()?
        .parse()
        .ok()
}

/// A SCALE `u64` (too short: 0).
fn u64_le(b: &[u8]) -> u64 {
    b.get(..8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, u64::from_le_bytes)
}

/// A stored `u64` (absent: 0).
fn u64_of(v: Option<&str>) -> Result<u64> {
    let Some(h) = v else { return Ok(0) };
    Ok(u64_le(&hex::decode(h)?))
}

/// A parent value: `Err` with its description when the parent did not capture it.
fn parent_value<'a>(
    parent: &'a Capture,
    key: &str,
) -> std::result::Result<Option<&'a str>, String> {
    parent
        .storage
        .get(key)
        .map(|v| v.as_deref())
        .ok_or_else(|| describe_key(key))
}

/// Add `TotalAlphaStaked[n]` of every subnet whose share pools the payouts wrote
/// (`pool_values`, the payouts' `TotalHotkeyAlpha` writes, whether the child holds them or not):
/// compared with the child, or listed with what it lacks.
pub fn compare_totals(
    r: &mut BlockReplay,
    parent: &Capture,
    child: &Capture,
    rules: &Rules,
    pool_values: &[EpochWrite],
) -> Result<()> {
    if !rules.total_alpha_staked {
        return Ok(());
    }
    let mut pools: BTreeMap<u16, Vec<&EpochWrite>> = BTreeMap::new();
    for w in pool_values.iter().filter(|w| w.item == POOL_VALUE) {
        if let Some(n) = netuid_of(&w.args) {
            pools.entry(n).or_default().push(w);
        }
    }
    let janitor = rules.root_dividends == crate::runtime::RootDividends::Fund
        && (r.missing.iter().any(|m| m.needs == [JANITOR_NOT_REPLAYED])
            || !replay_janitor::parent_queued(parent)?.is_empty());
    let cursor_key = key_hex(CURSOR, &[])?;
    let total_item = format!("SubtensorModule.{TOTAL}");
    // A subnet whose payout was not computed has its total listed with the payout's reason;
    // the total's own inputs the parent lacks are added to that entry, so one read plan fetches
    // them with the payout's.
    let netuids: BTreeSet<u16> = pools.keys().copied().collect();
    for m in r.missing.iter_mut().filter(|m| m.item == total_item) {
        if let Some(n) = netuid_of(&m.args) {
            for k in [cursor_key.clone(), key_hex(TOTAL, &[KeyArg::U16(n)])?] {
                if let Err(need) = parent_value(parent, &k) {
                    if !m.needs.contains(&need) {
                        m.needs.push(need);
                    }
                }
            }
        }
    }
    let already: BTreeSet<String> = r
        .missing
        .iter()
        .filter(|m| m.item == total_item)
        .map(|m| m.args.clone())
        .collect();
    for n in netuids
        .into_iter()
        .filter(|n| !already.contains(&format!("[{n}]")))
    {
        let args = [KeyArg::U16(n)];
        let total_key = key_hex(TOTAL, &args)?;
        let mut needs = if janitor {
            vec![JANITOR_NOT_REPLAYED.to_string()]
        } else {
            Vec::new()
        };
        match parent_value(parent, &cursor_key) {
            Ok(Some(_)) if needs.is_empty() => needs.push(BACKFILL_NOT_REPLAYED.to_string()),
            Ok(_) => {}
            Err(k) => needs.push(k),
        }
        let mut total = match parent_value(parent, &total_key) {
            Ok(v) => u64_of(v)?,
            Err(k) => {
                needs.push(k);
                0
            }
        };
        for w in pools.get(&n).into_iter().flatten() {
            match parent_value(parent, &w.key) {
                Ok(prev) => {
                    let (prev, new) = (u64_of(prev)?, u64_le(&w.value));
                    if prev != new {
                        total = total.saturating_sub(prev).saturating_add(new);
                    }
                }
                Err(k) => needs.push(k),
            }
        }
        if !needs.is_empty() {
            r.missing.push(MissingItem {
                item: total_item.clone(),
                args: format!("[{n}]"),
                needs,
            });
            continue;
        }
        let w = EpochWrite {
            item: total_item.clone(),
            args: format!("[{n}]"),
            key: total_key,
            value: total.to_le_bytes().to_vec(),
            kind: WriteKind::Raw,
        };
        compare_write(child, &w, 0, &mut r.items, &mut r.missing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netuid_is_the_last_argument() {
        assert_eq!(netuid_of("[0xab,12]"), Some(12));
        assert_eq!(netuid_of("[*,3]"), Some(3));
        assert_eq!(netuid_of("[0xab]"), None);
    }

    #[test]
    fn stored_u64_reads_little_endian_and_absent_as_zero() {
        assert_eq!(u64_of(None).unwrap(), 0);
        assert_eq!(u64_of(Some("0x0501000000000000")).unwrap(), 261);
    }
}
