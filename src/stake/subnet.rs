//! Subnet registration and dissolution (spec §16): lock cost, the median-price snapshot, the
//! initial pool, the pruning choice and the payout of the pool's TAO on dissolution.
//!
//! Port of opentensor/subtensor `pallets/subtensor/src/subnets/subnet.rs`
//! (`get_network_lock_cost`, `do_register_network`), `coinbase/block_step.rs`
//! (`get_median_subnet_alpha_price`), `coinbase/root.rs` (`get_network_to_prune`) and
//! `staking/remove_stake.rs` (`destroy_alpha_in_out_stakes`) at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`.

use crate::pool::balancer::{fx, safe_div};
use substrate_fixed::types::{I96F32, U64F64, U96F32};

/// Inputs of the lock cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockParams {
    /// `NetworkLastLockCost`.
    pub last_lock: u64,
    /// `NetworkLastRegistered` (0 = never).
    pub last_lock_block: u64,
    /// Current block.
    pub now: u64,
    /// `NetworkMinLockCost`.
    pub min_lock: u64,
    /// `NetworkLockReductionInterval`.
    pub reduction_interval: u64,
    /// The block emission at the current `TotalIssuance` (`emission::block_emission`; the interval
    /// shrinks with halvings). Passed in so that staking stays below emission in the layers.
    pub block_emission: u64,
}

/// Lock cost of registering a subnet now (§16.1):
/// `max(last × mult − floor(last / interval) × (now − last_block), min_lock)` with
/// `mult = 1` before any registration, 2 after, and
/// `interval = floor(NetworkLockReductionInterval × block_emission / 10^9)`.
pub fn lock_cost(p: &LockParams) -> u64 {
    let mult: u64 = if p.last_lock_block == 0 { 1 } else { 2 };
    let emission = p.block_emission;
    let interval =
        u128::from(p.reduction_interval).saturating_mul(u128::from(emission)) / 1_000_000_000;
    let interval = u64::try_from(interval).unwrap_or(u64::MAX);
    let per_block = p.last_lock.checked_div(interval).unwrap_or(0);
    let reduction = per_block.saturating_mul(p.now.saturating_sub(p.last_lock_block));
    p.last_lock
        .saturating_mul(mult)
        .saturating_sub(reduction)
        .max(p.min_lock)
}

/// Median of the positive prices (even count → mean of the two middle values, U64F64
/// truncation); 1.0 when there is none. Callers pass the spot prices of added non-root subnets.
pub fn median_price(prices: &[U64F64]) -> U64F64 {
    let mut v: Vec<U64F64> = prices.iter().copied().filter(|p| *p > fx(0)).collect();
    if v.is_empty() {
        return fx(1);
    }
    v.sort();
    let n = v.len();
    let lower = v.get((n - 1) / 2).copied().unwrap_or(fx(1));
    let upper = v.get(n / 2).copied().unwrap_or(fx(1));
    if (n - 1) / 2 == n / 2 {
        upper
    } else {
        safe_div(lower.saturating_add(upper), fx(2))
    }
}

/// The pool a new subnet starts with (§16.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InitialPool {
    /// `SubnetTAO = max(lock, NetworkMinLockCost)`.
    pub tao: u64,
    /// `SubnetAlphaIn = floor(SubnetTAO / median)`, saturating.
    pub alpha_in: u64,
    /// `RAORecycledForRegistration = lock − SubnetTAO` (normally 0).
    pub recycled: u64,
}

/// Seed the pool of a new subnet from the lock and the median-price snapshot.
pub fn initial_pool(lock: u64, min_lock: u64, median: U64F64) -> InitialPool {
    let tao = lock.max(min_lock);
    let alpha = fx(tao).checked_div(median).unwrap_or(U64F64::from_bits(0));
    let alpha_in = alpha.checked_to_num::<u64>().unwrap_or(u64::MAX);
    InitialPool {
        tao,
        alpha_in,
        recycled: lock.saturating_sub(tao),
    }
}

/// A subnet considered for pruning.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PruneCandidate {
    /// Subnet id.
    pub netuid: u16,
    /// `SubnetMovingPrice`.
    #[serde(with = "crate::fixed::serde_fixed::i96f32")]
    pub moving_price: I96F32,
    /// `NetworkRegisteredAt`.
    pub registered_at: u64,
}

/// The subnet a registration at the subnet limit dissolves: lowest moving price among those out
/// of immunity (`registered_at + immunity ≤ now`), ties to the earliest registered, then the
/// lowest netuid; root is never a candidate.
pub fn network_to_prune(
    candidates: &[PruneCandidate],
    now: u64,
    immunity_period: u64,
) -> Option<u16> {
    candidates
        .iter()
        .filter(|c| {
            c.netuid != super::ROOT && c.registered_at.saturating_add(immunity_period) <= now
        })
        .min_by(|a, b| {
            a.moving_price
                .cmp(&b.moving_price)
                .then(a.registered_at.cmp(&b.registered_at))
                .then(a.netuid.cmp(&b.netuid))
        })
        .map(|c| c.netuid)
}

/// Who gets the pool's TAO when a subnet is dissolved.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct DissolvePayout {
    /// TAO per staker, in the order given.
    pub stakers: Vec<u64>,
    /// The protocol's share (stays and is recycled).
    pub protocol: u64,
    /// Refund to the owner (legacy subnets only).
    pub owner_refund: u64,
    /// TAO nobody was paid (recycled with the protocol share).
    pub undistributed: u64,
}

/// Inputs of a dissolution.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct DissolveInput {
    /// `SubnetTAO`: the pot.
    pub pot: u64,
    /// Alpha value of each (hotkey, coldkey) stake.
    pub stakes: Vec<u64>,
    /// `SubnetProtocolAlpha`.
    pub protocol_alpha: u64,
    /// `SubnetAlphaIn` (a claimant for subnets registered after `TaoInRefundDeploymentBlock`).
    pub alpha_in: u64,
    /// Whether `alpha_in` counts as protocol alpha (registered after the deployment block).
    pub alpha_in_is_claimant: bool,
    /// Owner refund terms, for subnets registered before `NetworkRegistrationStartBlock` only.
    pub legacy_refund: Option<LegacyRefund>,
}

/// What a legacy subnet's owner gets back: `lock − floor(floor(issuance × cut) × price)`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LegacyRefund {
    /// `SubnetLocked`.
    pub lock: u64,
    /// Alpha issuance of the subnet.
    pub alpha_issuance: u64,
    /// Owner cut as a fraction (`SubnetOwnerCut / 65535`).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub owner_cut: U96F32,
    /// Current price.
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub price: U64F64,
}

/// Pro-rata payout of the pot by alpha value with largest remainders (§16.3): each staker gets
/// `floor(pot × v / total)`; then `floor(Σ remainders / total)` rao go one each to the largest
/// remainders (stable order on ties). The protocol's alpha counts in `total` but is not paid.
pub fn dissolve_payout(input: &DissolveInput) -> DissolvePayout {
    let protocol_value =
        u128::from(input.protocol_alpha).saturating_add(if input.alpha_in_is_claimant {
            u128::from(input.alpha_in)
        } else {
            0
        });
    let total: u128 = input
        .stakes
        .iter()
        .map(|&v| u128::from(v))
        .sum::<u128>()
        .saturating_add(protocol_value);
    let pot = u128::from(input.pot);
    let mut out = DissolvePayout {
        stakers: vec![0; input.stakes.len()],
        ..DissolvePayout::default()
    };
    if let Some(share) = pot
        .saturating_mul(u128::from(input.protocol_alpha))
        .checked_div(total)
    {
        out.protocol = u64::try_from(share).unwrap_or(u64::MAX);
    }
    if pot > 0 && total > 0 && !input.stakes.is_empty() {
        let mut rems: Vec<(usize, u128)> = Vec::with_capacity(input.stakes.len());
        let mut total_rem: u128 = 0;
        for (i, &v) in input.stakes.iter().enumerate() {
            let prod = pot.saturating_mul(u128::from(v));
            if let Some(slot) = out.stakers.get_mut(i) {
                *slot = u64::try_from(prod / total).unwrap_or(u64::MAX);
            }
            let rem = prod % total;
            total_rem = total_rem.saturating_add(rem);
            rems.push((i, rem));
        }
        let leftover = total_rem / total;
        rems.sort_by_key(|r| core::cmp::Reverse(r.1));
        let give = usize::try_from(leftover)
            .unwrap_or(usize::MAX)
            .min(rems.len());
        for (i, _) in rems.iter().take(give) {
            if let Some(slot) = out.stakers.get_mut(*i) {
                *slot = slot.saturating_add(1);
            }
        }
    }
    if let Some(r) = input.legacy_refund {
        let owner_alpha = U96F32::saturating_from_num(r.alpha_issuance)
            .saturating_mul(r.owner_cut)
            .floor()
            .saturating_to_num::<u64>();
        let owner_tao = if owner_alpha > 0 {
            U96F32::saturating_from_num(owner_alpha)
                .saturating_mul(U96F32::saturating_from_num(r.price))
                .floor()
                .saturating_to_num::<u64>()
        } else {
            0
        };
        out.owner_refund = r.lock.saturating_sub(owner_tao);
    }
    let paid: u64 = out.stakers.iter().fold(0u64, |a, &b| a.saturating_add(b));
    out.undistributed = input.pot.saturating_sub(paid).saturating_sub(out.protocol);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median() {
        assert_eq!(median_price(&[]), fx(1));
        assert_eq!(median_price(&[fx(2), fx(8), fx(0)]), fx(5));
        assert_eq!(median_price(&[fx(5), fx(1), fx(3)]), fx(3));
    }

    #[test]
    fn remainders() {
        let p = dissolve_payout(&DissolveInput {
            pot: 1,
            stakes: vec![3, 2],
            ..DissolveInput::default()
        });
        assert_eq!(p.stakers, vec![1, 0]);
        let p = dissolve_payout(&DissolveInput {
            pot: 200,
            stakes: vec![50],
            protocol_alpha: 50,
            alpha_in: 100,
            alpha_in_is_claimant: true,
            ..DissolveInput::default()
        });
        assert_eq!((p.stakers.clone(), p.protocol), (vec![50], 50));
    }
}
