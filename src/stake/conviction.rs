//! Conviction-based subnet owner change at the epoch slot (live since spec 432).
//!
//! Port of `subnet_king`, `get_total_conviction` and `change_subnet_owner_if_needed` from
//! `pallets/subtensor/src/staking/lock.rs` (opentensor/subtensor @ 14bc6f9; the same rule in
//! RaoFoundation/subtensor index id 61878535230) and the later quorum variant (index id
//! 61393702470). Spec `emission-after-425.md` §5.3. The engine has no lock roll-forward model:
//! callers pass each hotkey lock's conviction already rolled to the current block.
//!
//! When the rule changes owners, the king's locks move into the owner lock, whose conviction is
//! forced to its locked mass; [`OwnerChange::king_conviction_after`] is that value. Registering
//! the king as a neuron (when it has no UID) is assumed to succeed.

use crate::consensus::schedule::{BlockOutcome, EpochSchedule};
use std::collections::BTreeMap;
use substrate_fixed::types::U64F64;

/// `ONE_YEAR` = 7200 × 365 + 1800 blocks: the minimum subnet age for an owner change.
pub const ONE_YEAR: u64 = 7_200 * 365 + 1_800;

/// Which conviction must reach 10 % of `SubnetAlphaOut`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OwnerChangeQuorum {
    /// The subnet's total rolled conviction (14bc6f9; spec 432 onward, the known live rule).
    #[default]
    TotalConviction,
    /// The king's own conviction (a later stored variant, id 61393702470; when it went live is
    /// unknown, spec confidence C). The closed PR #3074 proposed yet another base.
    KingConviction,
}

/// One hotkey lock of a subnet, rolled to the current block.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HotkeyLock<K> {
    /// Locked hotkey.
    pub hotkey: K,
    /// The hotkey's owning coldkey (`Owner`).
    pub coldkey: K,
    /// Locked alpha.
    pub locked_mass: u64,
    /// Rolled conviction (U64F64 bits).
    pub conviction_bits: u128,
}

/// The subnet state the rule reads.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OwnerChangeInput<K> {
    /// Current block.
    pub now: u64,
    /// `NetworkRegisteredAt`.
    pub registered_at: u64,
    /// `SubnetAlphaOut`.
    pub alpha_out: u64,
    /// `SubnetOwner` (coldkey).
    pub owner_coldkey: K,
    /// Every hotkey lock of the subnet (owner locks under the owner hotkey).
    pub locks: Vec<HotkeyLock<K>>,
}

/// A decided owner change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OwnerChange<K> {
    /// New `SubnetOwnerHotkey`: the king.
    pub hotkey: K,
    /// New `SubnetOwner`: the king's owning coldkey.
    pub coldkey: K,
    /// The king's conviction as the new owner lock: its locked mass.
    pub king_conviction_after: u64,
}

/// `subnet_king`: the hotkey with the highest summed conviction; on ties the largest key wins
/// (the chain's `max_by` over a BTreeMap keeps the last maximum).
pub fn subnet_king<K: Ord + Clone>(locks: &[HotkeyLock<K>]) -> Option<(K, U64F64)> {
    let mut scores: BTreeMap<K, U64F64> = BTreeMap::new();
    for l in locks {
        let e = scores
            .entry(l.hotkey.clone())
            .or_insert_with(|| U64F64::from_num(0));
        *e = e.saturating_add(U64F64::from_bits(l.conviction_bits));
    }
    scores.into_iter().max_by(|a, b| a.1.cmp(&b.1))
}

/// `change_subnet_owner_if_needed`: `None` when nothing changes.
pub fn change_subnet_owner_if_needed<K: Ord + Clone>(
    input: &OwnerChangeInput<K>,
    quorum: OwnerChangeQuorum,
) -> Option<OwnerChange<K>> {
    if input.alpha_out == 0 || input.now < input.registered_at.saturating_add(ONE_YEAR) {
        return None;
    }
    let ten = U64F64::from_num(10);
    let alpha_out = U64F64::from_num(input.alpha_out);
    if quorum == OwnerChangeQuorum::TotalConviction {
        let total = input.locks.iter().fold(U64F64::from_num(0), |a, l| {
            a.saturating_add(U64F64::from_bits(l.conviction_bits))
        });
        if total.saturating_mul(ten) < alpha_out {
            return None;
        }
    }
    let (king, king_conviction) = subnet_king(&input.locks)?;
    if quorum == OwnerChangeQuorum::KingConviction
        && king_conviction.saturating_mul(ten) < alpha_out
    {
        return None;
    }
    let coldkey = input
        .locks
        .iter()
        .find(|l| l.hotkey == king)?
        .coldkey
        .clone();
    if coldkey == input.owner_coldkey {
        return None;
    }
    let king_mass = input
        .locks
        .iter()
        .filter(|l| l.hotkey == king)
        .fold(0u64, |a, l| a.saturating_add(l.locked_mass));
    Some(OwnerChange {
        hotkey: king,
        coldkey,
        king_conviction_after: king_mass,
    })
}

/// The epoch slot of `drain_pending`: advance the subnet's schedule for block `input.now`; when
/// its epoch runs, apply the owner rule. Returns the block outcome and any change.
pub fn at_epoch_slot<K: Ord + Clone>(
    schedule: &mut EpochSchedule,
    tempo: u16,
    input: &OwnerChangeInput<K>,
    quorum: OwnerChangeQuorum,
) -> (BlockOutcome, Option<OwnerChange<K>>) {
    let outcome = schedule.on_block(tempo, input.now, false, true);
    let change = match outcome {
        BlockOutcome::Run => change_subnet_owner_if_needed(input, quorum),
        _ => None,
    };
    (outcome, change)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(hotkey: u8, coldkey: u8, mass: u64, conviction: u64) -> HotkeyLock<u8> {
        HotkeyLock {
            hotkey,
            coldkey,
            locked_mass: mass,
            conviction_bits: U64F64::from_num(conviction).to_bits(),
        }
    }

    fn input(alpha_out: u64, locks: Vec<HotkeyLock<u8>>) -> OwnerChangeInput<u8> {
        OwnerChangeInput {
            now: ONE_YEAR + 1,
            registered_at: 1,
            alpha_out,
            owner_coldkey: 1,
            locks,
        }
    }

    #[test]
    fn king_at_ten_percent_takes_over() {
        let c = change_subnet_owner_if_needed(
            &input(10_000, vec![lock(6, 5, 1000, 1000)]),
            OwnerChangeQuorum::TotalConviction,
        );
        assert_eq!(
            c,
            Some(OwnerChange {
                hotkey: 6,
                coldkey: 5,
                king_conviction_after: 1000
            })
        );
        assert_eq!(
            change_subnet_owner_if_needed(
                &input(10_001, vec![lock(6, 5, 1000, 1000)]),
                OwnerChangeQuorum::TotalConviction
            ),
            None
        );
    }

    #[test]
    fn quorum_variants_differ_when_the_incumbent_supplies_conviction() {
        let locks = vec![lock(2, 1, 1000, 900), lock(6, 5, 1000, 1000)];
        let i = input(15_000, locks);
        assert!(change_subnet_owner_if_needed(&i, OwnerChangeQuorum::TotalConviction).is_some());
        assert!(change_subnet_owner_if_needed(&i, OwnerChangeQuorum::KingConviction).is_none());
    }

    #[test]
    fn young_subnet_or_owner_king_keeps_owner() {
        let mut i = input(10, vec![lock(2, 1, 1000, 2000), lock(6, 5, 1000, 1000)]);
        assert_eq!(
            change_subnet_owner_if_needed(&i, OwnerChangeQuorum::TotalConviction),
            None
        );
        i.locks = vec![lock(6, 5, 1000, 1000)];
        i.now = ONE_YEAR;
        assert_eq!(
            change_subnet_owner_if_needed(&i, OwnerChangeQuorum::TotalConviction),
            None
        );
    }

    #[test]
    fn ties_go_to_the_largest_hotkey() {
        assert_eq!(
            subnet_king(&[lock(3, 1, 1, 5), lock(9, 2, 1, 5)]).map(|k| k.0),
            Some(9)
        );
    }
}
