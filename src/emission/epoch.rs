//! The epoch as the payout sees it: per-hotkey incentive and dividend amounts.
//!
//! The full Yuma epoch lives in `crate::consensus`; the distribution only needs its output, so it
//! is reached through [`EpochRunner`]. [`StakeProportionalEpoch`] is the epoch's documented
//! fallback when no weights are usable (spec `yuma-epoch.md` §4 and §5.11): validator emission is
//! the normalised stake `S` (I64F64 normalisation, truncated to I32F32), `floor(S_i · E)` each, and
//! no incentive. It is exact for subnets without weights and is what the vectors' drain cases
//! exercise. Inherited stake follows `emission-and-pools.md` §14.

use super::math::{u64_fraction, u96};
use super::stake_book::AccountId;
use super::state::Network;
use crate::error::Result;
use substrate_fixed::types::{I32F32, I64F64, I96F32, U96F32};

/// One registered uid as the epoch sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EpochNeuron {
    /// Uid on the subnet.
    pub uid: u16,
    /// Hotkey at that uid.
    pub hotkey: AccountId,
    /// Inherited alpha stake on the subnet.
    pub alpha_stake: u64,
    /// Inherited root (TAO) stake.
    pub root_stake: u64,
}

/// Input of one epoch run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpochRequest {
    /// Subnet.
    pub netuid: u16,
    /// Current block.
    pub block: u64,
    /// Alpha to distribute (`pending server + validator + root`).
    pub emission: u64,
    /// `TaoWeight` as a fraction.
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub tao_weight: U96F32,
    /// `TaoWeight` as stored (u64-normalised), for epochs that read the raw value.
    #[serde(default)]
    pub tao_weight_parts: u64,
    /// `SubnetOwnerHotkey`, if set.
    #[serde(default)]
    pub owner_hotkey: Option<AccountId>,
    /// Registered uids in uid order.
    pub neurons: Vec<EpochNeuron>,
}

/// Per-hotkey epoch output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HotkeyEmission {
    /// Hotkey.
    pub hotkey: AccountId,
    /// Miner incentive (alpha).
    pub incentive: u64,
    /// Validator dividend (alpha; used by the payout only as a relative weight).
    pub dividend: u64,
}

/// Something that runs a subnet epoch.
pub trait EpochRunner {
    /// Run the epoch of `req.netuid` distributing `req.emission`.
    fn run_epoch(&mut self, req: &EpochRequest) -> Result<Vec<HotkeyEmission>>;
}

/// The no-weights epoch: dividends proportional to stake weight, no incentive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StakeProportionalEpoch;

impl EpochRunner for StakeProportionalEpoch {
    fn run_epoch(&mut self, req: &EpochRequest) -> Result<Vec<HotkeyEmission>> {
        let tw = I64F64::saturating_from_num(req.tao_weight);
        let totals: Vec<I64F64> = req
            .neurons
            .iter()
            .map(|n| {
                I64F64::saturating_from_num(n.alpha_stake)
                    .saturating_add(I64F64::saturating_from_num(n.root_stake).saturating_mul(tw))
            })
            .collect();
        let sum = totals
            .iter()
            .fold(I64F64::from_num(0), |a, b| a.saturating_add(*b));
        let emission = I96F32::saturating_from_num(req.emission);
        Ok(req
            .neurons
            .iter()
            .zip(totals)
            .map(|(n, t)| {
                let share = if sum > I64F64::from_num(0) {
                    t.checked_div(sum).unwrap_or_default()
                } else {
                    t
                };
                let s32 = I32F32::saturating_from_num(share);
                let dividend = I96F32::saturating_from_num(s32)
                    .saturating_mul(emission)
                    .saturating_to_num::<u64>();
                HotkeyEmission {
                    hotkey: n.hotkey,
                    incentive: 0,
                    dividend,
                }
            })
            .collect())
    }
}

impl<P> Network<P> {
    /// Inherited stake of `hotkey` on `netuid` measured on `stake_netuid` (the subnet itself for
    /// alpha, 0 for root): `floor(own − Σ own·q_child + Σ parent·q_parent)` in U96F32.
    pub fn inherited_stake(&self, hotkey: AccountId, netuid: u16, stake_netuid: u16) -> u64 {
        let own_rao = self.stakes.hotkey_total(hotkey, stake_netuid);
        let (children, parents) = self.relatives_of(hotkey, netuid);
        if children.is_empty() && parents.is_empty() {
            // Both sums are 0: `own − 0 + 0` in U96F32 floors back to `own` (U96F32 holds every
            // u64 exactly).
            return own_rao;
        }
        let own = u96(own_rao);
        let to_children = children.iter().fold(U96F32::from_num(0), |a, (q, _)| {
            a.saturating_add(own.saturating_mul(u64_fraction(*q)))
        });
        let from_parents = parents.iter().fold(U96F32::from_num(0), |a, (q, p)| {
            a.saturating_add(
                u96(self.stakes.hotkey_total(*p, stake_netuid)).saturating_mul(u64_fraction(*q)),
            )
        });
        own.saturating_sub(to_children)
            .saturating_add(from_parents)
            .saturating_to_num::<u64>()
    }

    /// The epoch input of `netuid` for `emission`.
    pub fn epoch_request(&self, netuid: u16, emission: u64) -> EpochRequest {
        let neurons = self
            .subnets
            .get(&netuid)
            .map(|s| {
                s.neurons
                    .iter()
                    .enumerate()
                    .map(|(uid, &hotkey)| EpochNeuron {
                        uid: u16::try_from(uid).unwrap_or(u16::MAX),
                        hotkey,
                        alpha_stake: self.inherited_stake(hotkey, netuid, netuid),
                        root_stake: self.inherited_stake(hotkey, netuid, 0),
                    })
                    .collect()
            })
            .unwrap_or_default();
        EpochRequest {
            netuid,
            block: self.block,
            emission,
            tao_weight: u64_fraction(self.params.tao_weight),
            tao_weight_parts: self.params.tao_weight,
            owner_hotkey: self.subnets.get(&netuid).and_then(|s| s.owner_hotkey),
            neurons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neuron(uid: u16, alpha: u64, root: u64) -> EpochNeuron {
        EpochNeuron {
            uid,
            hotkey: u64::from(uid) + 1,
            alpha_stake: alpha,
            root_stake: root,
        }
    }

    #[test]
    fn ten_equal_stakes() {
        let req = EpochRequest {
            netuid: 1,
            block: 0,
            emission: 1_000_000_000,
            tao_weight: U96F32::from_num(0),
            tao_weight_parts: 0,
            owner_hotkey: None,
            neurons: (0..10).map(|u| neuron(u, 5, 0)).collect(),
        };
        let out = StakeProportionalEpoch.run_epoch(&req).unwrap_or_default();
        assert!(out
            .iter()
            .all(|e| e.dividend == 99_999_999 && e.incentive == 0));
    }

    #[test]
    fn root_stake_counts_with_tao_weight() {
        let req = EpochRequest {
            netuid: 1,
            block: 0,
            emission: 1_000,
            tao_weight: U96F32::from_num(1),
            tao_weight_parts: u64::MAX,
            owner_hotkey: None,
            neurons: vec![neuron(0, 1, 1), neuron(1, 2, 0)],
        };
        let out = StakeProportionalEpoch.run_epoch(&req).unwrap_or_default();
        assert_eq!(
            out.iter().map(|e| e.dividend).collect::<Vec<_>>(),
            vec![500, 500]
        );
    }
}
