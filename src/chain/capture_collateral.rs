//! Miner collateral in the payout on a capture (spec 436+): each emission a hotkey earns settles
//! its owner's `MinerCollateral` position, read from the parent, and the changed positions are
//! written back with the coldkey's `ColdkeyMinerCollateral` total.
//!
//! Port of `settle_miner_collateral` and `adjust_coldkey_miner_collateral`
//! (`pallets/subtensor/src/subnets/collateral.rs`, RaoFoundation/subtensor @ 00d2eb972 and index
//! id 71294871486) on the engine's [`crate::stake::collateral::settle`]; spec
//! `emission-after-425.md` §4.4. Zero emission settles nothing and reads nothing. A missing entry
//! (`null` in the parent) settles nothing. Below the floor the captured alpha is credited to the
//! position's own `(hotkey, owner)` before the caller pays the rest; above it the lock is
//! released by `floor(emission × k)` down to the floor, and an entry with neither lock nor floor
//! is removed. `ColdkeyMinerCollateral[n, owner]` moves by the change of `locked` (removed at 0).
//!
//! Not written (listed by `super::replay_janitor`): the reverse index `ColdkeyCollateralHotkeys`, which settlement
//! shrinks only when it removes an entry (or repairs a stale index entry).

use super::capture_epoch::EpochWrite;
use super::capture_share_book::{write, Acc, Book};
use super::scale::encode;
use super::storage::KeyArg;
use super::types::{self as ct};
use crate::error::Result;
use crate::stake::collateral::{settle, MinerCollateralState};
use std::collections::BTreeMap;

/// The positions settled in one payout: `(hotkey, owner)` → (before, after).
#[derive(Default)]
pub(crate) struct Collateral {
    positions: BTreeMap<(Acc, Acc), (Option<MinerCollateralState>, Option<MinerCollateralState>)>,
    /// `ColdkeyMinerCollateral` of each owner whose locked alpha changed, as adjusted.
    totals: BTreeMap<Acc, u64>,
}

fn to_engine(s: ct::MinerCollateralState) -> MinerCollateralState {
    MinerCollateralState {
        locked: s.locked,
        drain_ratio_bits: s.drain_ratio.bits,
        min_locked: s.min_locked,
        earned: s.earned,
    }
}

fn to_chain(s: &MinerCollateralState) -> ct::MinerCollateralState {
    ct::MinerCollateralState {
        locked: s.locked,
        drain_ratio: ct::U64F64::from_bits(s.drain_ratio_bits),
        min_locked: s.min_locked,
        earned: s.earned,
    }
}

impl Collateral {
    /// `settle_miner_collateral(n, h, owner, emission, capturable)`: the alpha captured, already
    /// credited to `(h, owner)`. A position not captured yet reads as none (the key is recorded).
    pub(crate) fn settle(
        &mut self,
        b: &mut Book<'_>,
        h: Acc,
        owner: Acc,
        emission: u64,
        capturable: u64,
    ) -> Result<u64> {
        if emission == 0 {
            return Ok(0);
        }
        let current = match self.positions.get(&(h, owner)) {
            Some((_, now)) => *now,
            None => {
                let args = [
                    KeyArg::U16(b.netuid),
                    KeyArg::Account(h),
                    KeyArg::Account(owner),
                ];
                let s =
                    b.st.item::<ct::MinerCollateralState>("MinerCollateral", &args)?
                        .map(to_engine);
                self.positions.insert((h, owner), (s, s));
                s
            }
        };
        if current.is_none() {
            return Ok(0);
        }
        let out = settle(current, emission, capturable);
        if let Some(e) = self.positions.get_mut(&(h, owner)) {
            e.1 = out.state;
        }
        let old = current.map_or(0, |s| s.locked);
        let new = out.state.map_or(0, |s| s.locked);
        if old != new {
            let total = match self.totals.get(&owner) {
                Some(t) => *t,
                None => {
                    let args = [KeyArg::U16(b.netuid), KeyArg::Account(owner)];
                    b.st.item::<u64>("ColdkeyMinerCollateral", &args)?
                        .unwrap_or(0)
                }
            };
            let total = total.saturating_sub(old).saturating_add(new);
            self.totals.insert(owner, total);
        }
        if out.captured > 0 {
            b.credit_owner(h, owner, out.captured)?;
        }
        Ok(out.captured)
    }

    /// The writes: every settled position (a removal as an empty value), then each changed
    /// coldkey total (0 is the chain's removal).
    pub(crate) fn writes(&self, netuid: u16, w: &mut Vec<EpochWrite>) -> Result<()> {
        let n = KeyArg::U16(netuid);
        for ((h, c), (before, after)) in &self.positions {
            if before.is_none() {
                continue;
            }
            let args = [n, KeyArg::Account(*h), KeyArg::Account(*c)];
            let value = after
                .as_ref()
                .map(|s| encode::<ct::MinerCollateralState>(&to_chain(s)))
                .unwrap_or_default();
            write(w, "MinerCollateral", &args, value)?;
        }
        for (c, total) in &self.totals {
            let args = [n, KeyArg::Account(*c)];
            write(w, "ColdkeyMinerCollateral", &args, encode::<u64>(total))?;
        }
        Ok(())
    }
}
