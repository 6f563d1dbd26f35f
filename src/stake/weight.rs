//! Inherited (child-key) stake, stake weight, and the validator and child-key takes (spec §14,
//! §9.2-§9.4).
//!
//! Port of opentensor/subtensor `pallets/subtensor/src/staking/stake_weight.rs`
//! (`get_inherited_for_hotkey_on_subnet`, `get_stake_weights_for_hotkey_on_subnet`) at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`. Proportions are `u64` with `u64::MAX` = 100 %,
//! normalised in U96F32 as `q / (2^64 − 1)`; sums are U96F32 and floored once at the end.

use substrate_fixed::types::{I64F64, U96F32};

/// `q / u64::MAX` in U96F32 (truncated).
pub fn normalized_proportion(q: u64) -> U96F32 {
    U96F32::saturating_from_num(q)
        .checked_div(U96F32::saturating_from_num(u64::MAX))
        .unwrap_or(U96F32::from_bits(0))
}

/// A child or parent link: the proportion (u64-normalised) and the other side's own stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    /// Proportion, `u64::MAX` = 100 %.
    pub proportion: u64,
    /// For a parent link: the parent's own stake on the subnet (unused for child links).
    pub stake: u64,
}

/// Stake a hotkey counts on a subnet after giving to children and receiving from parents:
/// `floor(own − Σ own × q_child + Σ parent_stake × q_parent)`. On root (`is_root`) it is `own`.
pub fn inherited_stake(own: u64, children: &[Link], parents: &[Link], is_root: bool) -> u64 {
    let initial = U96F32::saturating_from_num(own);
    if is_root {
        return initial.saturating_to_num::<u64>();
    }
    let mut to_children = U96F32::from_bits(0);
    for c in children {
        to_children =
            to_children.saturating_add(initial.saturating_mul(normalized_proportion(c.proportion)));
    }
    let mut from_parents = U96F32::from_bits(0);
    for p in parents {
        from_parents = from_parents.saturating_add(
            U96F32::saturating_from_num(p.stake)
                .saturating_mul(normalized_proportion(p.proportion)),
        );
    }
    initial
        .saturating_sub(to_children)
        .saturating_add(from_parents)
        .saturating_to_num::<u64>()
}

/// `TaoWeight` (u64-normalised) as U96F32.
pub fn tao_weight(raw: u64) -> U96F32 {
    normalized_proportion(raw)
}

/// Stake weight `alpha + tw × root` in I64F64, from inherited alpha and inherited root stake.
pub fn stake_weight(inherited_alpha: u64, inherited_root: u64, tao_weight_raw: u64) -> I64F64 {
    let tw = I64F64::saturating_from_num(tao_weight(tao_weight_raw));
    I64F64::saturating_from_num(inherited_alpha)
        .saturating_add(I64F64::saturating_from_num(inherited_root).saturating_mul(tw))
}

/// A take (`u16`, 65535 = 100 %) as U96F32.
pub fn take_fraction(take: u16) -> U96F32 {
    U96F32::saturating_from_num(take)
        .checked_div(U96F32::saturating_from_num(u16::MAX))
        .unwrap_or(U96F32::from_bits(0))
}

/// Split an amount by a take: `(floor(amount × take), amount − that)`.
pub fn split_take(amount: u64, take: u16) -> (u64, u64) {
    let taken = U96F32::saturating_from_num(amount)
        .saturating_mul(take_fraction(take))
        .saturating_to_num::<u64>();
    (taken, amount.saturating_sub(taken))
}

/// Default delegate (validator) take: 11 796 / 65535 ≈ 18 %.
pub const DEFAULT_DELEGATE_TAKE: u16 = 11_796;
/// Largest delegate take and child-key take.
pub const MAX_TAKE: u16 = 11_796;

/// Whether a take is inside `[min, max]` (`MinDelegateTake`/`MaxDelegateTake`,
/// `MinChildkeyTake`/`MaxChildkeyTake`).
pub fn take_in_bounds(take: u16, min: u16, max: u16) -> bool {
    (min..=max).contains(&take)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_parent_gives_everything() {
        let parent = inherited_stake(
            1_000_000_000,
            &[Link {
                proportion: u64::MAX,
                stake: 0,
            }],
            &[],
            false,
        );
        let child = inherited_stake(
            0,
            &[],
            &[Link {
                proportion: u64::MAX,
                stake: 1_000_000_000,
            }],
            false,
        );
        assert_eq!((parent, child), (0, 1_000_000_000));
    }

    #[test]
    fn take_split() {
        assert_eq!(split_take(1_000_000_000, u16::MAX), (1_000_000_000, 0));
        let (t, r) = split_take(1_000_000_000, DEFAULT_DELEGATE_TAKE);
        assert_eq!(t + r, 1_000_000_000);
        assert_eq!(t, 179_995_422);
    }
}
