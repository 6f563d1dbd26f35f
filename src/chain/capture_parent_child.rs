//! A validator's epoch dividend split between its parents and itself, on values read from a
//! capture ([`super::capture_distribution`]).
//!
//! Port of `get_parent_child_dividends_distribution` and `get_self_contribution`
//! (`pallets/subtensor/src/coinbase/run_coinbase.rs`), `get_childkey_take` and
//! `get_effective_min_childkey_take` (`staking/set_children.rs`, `utils/misc.rs`), `get_ck_burn`
//! (`staking/stake_utils.rs`), opentensor/subtensor @ 14bc6f9 (unchanged since spec 424's
//! 536c8938d); spec `emission-and-pools.md` §9.2. All in U96F32, truncating, in the chain's order:
//! each parent's contribution `α_P·q + (τ_P·q)·tw` over the total with the hotkey's own
//! `floor(α·r + (τ·r)·tw)` (`r` = 1 − Σ its children's proportions); a parent of another coldkey
//! loses the child-key burn (recycled) and the child-key take (kept by the hotkey); each parent is
//! paid `floor(share)` and the hotkey `floor(remaining + takes)`.

use super::types::AccountId32;
use crate::emission::math::{tou64, u16_fraction, u64_fraction, u96};
use substrate_fixed::types::U96F32;

/// The keys of one dividend recipient that the payout reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hotkey {
    /// `Owner[h]`.
    pub owner: AccountId32,
    /// `Delegates[h]` (validator take).
    pub take: u16,
    /// `TotalHotkeyAlpha[h, netuid]`.
    pub alpha: u64,
    /// `TotalHotkeyAlpha[h, 0]` (root stake).
    pub root: u64,
}

/// The child-key inputs of a hotkey with parents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildKeys {
    /// `ParentKeys[h, netuid]`: (proportion of u64::MAX, parent).
    pub parents: Vec<(u64, AccountId32)>,
    /// `ChildKeys[h, netuid]`: (proportion, child).
    pub children: Vec<(u64, AccountId32)>,
    /// `max(ChildkeyTake[h, netuid], MinChildkeyTake, MinChildkeyTakePerSubnet[netuid])`.
    pub take: u16,
}

/// `get_self_contribution`: the hotkey's stake weight not given to its children, floored.
pub fn self_contribution(k: &Hotkey, children: &[(u64, AccountId32)], tao_weight: U96F32) -> u64 {
    let remaining = children.iter().fold(U96F32::from_num(1), |acc, (q, _)| {
        acc.saturating_sub(u64_fraction(*q))
    });
    let alpha = u96(k.alpha).saturating_mul(remaining);
    let root = u96(k.root)
        .saturating_mul(remaining)
        .saturating_mul(tao_weight);
    tou64(alpha.saturating_add(root))
}

/// One parent contribution `α_P·q + (τ_P·q)·tw`.
fn contribution(p: &Hotkey, proportion: u64, tao_weight: U96F32) -> U96F32 {
    let q = u64_fraction(proportion);
    let alpha = u96(p.alpha).saturating_mul(q);
    let root = u96(p.root).saturating_mul(q).saturating_mul(tao_weight);
    alpha.saturating_add(root)
}

/// `get_parent_child_dividends_distribution` of `dividend` for hotkey `k` with child-key inputs
/// `ck`; `parent` gives each parent's keys (`None` for one not read: paid nothing, contributes
/// nothing, which the caller never lets happen). `ck_burn` is `CKBurn` (fraction of u64::MAX).
/// Returns (recipient, amount) with the hotkey last.
pub fn parent_child_dividends(
    hotkey: AccountId32,
    k: &Hotkey,
    ck: &ChildKeys,
    dividend: u64,
    tao_weight: U96F32,
    ck_burn: u64,
    parent: &dyn Fn(&AccountId32) -> Option<Hotkey>,
) -> Vec<(AccountId32, u64)> {
    let zero = U96F32::from_num(0);
    let validating = u96(dividend);
    let burn_prop = u64_fraction(ck_burn);
    let take_prop = u16_fraction(ck.take);
    let mut remaining = validating;
    let mut total = u96(self_contribution(k, &ck.children, tao_weight));
    let mut contributions: Vec<(AccountId32, Option<Hotkey>, U96F32)> = Vec::new();
    for (proportion, p) in &ck.parents {
        let keys = parent(p);
        let c = keys.map_or(zero, |pk| contribution(&pk, *proportion, tao_weight));
        total = total.saturating_add(c);
        contributions.push((*p, keys, c));
    }
    let mut out = Vec::with_capacity(contributions.len().saturating_add(1));
    let mut total_take = zero;
    for (p, keys, c) in contributions {
        let factor = c.checked_div(total).unwrap_or(zero);
        let mut emission = validating.saturating_mul(factor);
        remaining = remaining.saturating_sub(emission);
        let parent_owner = keys.map(|pk| pk.owner).unwrap_or_default();
        if parent_owner != k.owner {
            let burn = burn_prop.saturating_mul(emission);
            let take = take_prop.saturating_mul(emission);
            emission = emission.saturating_sub(burn).saturating_sub(take);
            total_take = total_take.saturating_add(take);
        }
        out.push((p, tou64(emission)));
    }
    out.push((hotkey, tou64(remaining.saturating_add(total_take))));
    out
}
