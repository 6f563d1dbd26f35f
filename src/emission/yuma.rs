//! The real Yuma epoch behind [`EpochRunner`]: weights, bonds, validator permits and activity.
//!
//! Wraps [`crate::consensus::Subnet`] (the bit-exact port of `epoch_with_mechanisms`,
//! `pallets/subtensor/src/epoch/run_epoch.rs`, subtensor @ 14bc6f9; spec `yuma-epoch.md`) so the
//! emission pipeline's drain runs the chain's epoch: the stakes of the [`EpochRequest`] (inherited
//! alpha and root stake per uid, spec `emission-and-pools.md` §14) are written into the subnet,
//! the global `TaoWeight` too, then [`Subnet::step`] runs every mechanism, persists bonds,
//! permits and outputs, and its per-uid server / validator emission becomes the per-hotkey
//! incentive / dividend the distribution pays (`yuma-epoch.md` §9).
//!
//! Uids follow the request: a request with more uids appends neurons (registered at the request's
//! block), a uid whose hotkey changed is replaced (`replace_neuron`: weights to it zeroed, its
//! rows cleared). Subnets without consensus state fall back to [`StakeProportionalEpoch`], the
//! epoch's own no-weights outcome.

use super::epoch::{EpochRequest, EpochRunner, HotkeyEmission, StakeProportionalEpoch};
use super::stake_book::AccountId;
use crate::consensus::{Hyperparameters, Subnet};
use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;

/// Consensus state of one subnet plus the hotkey at each uid (to detect replacements).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct YumaSubnet {
    /// Weights, bonds, permits, `LastUpdate`, hyperparameters, persisted outputs.
    pub subnet: Subnet,
    /// Hotkey per uid as last seen.
    pub hotkeys: Vec<AccountId>,
}

/// An [`EpochRunner`] running the chain's Yuma epoch per subnet.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct YumaEpoch {
    /// Consensus state by netuid.
    pub subnets: BTreeMap<u16, YumaSubnet>,
}

impl YumaEpoch {
    /// Add (or reset) a subnet with the given hyperparameters.
    pub fn add_subnet(&mut self, netuid: u16, hyperparameters: Hyperparameters) {
        self.subnets.insert(
            netuid,
            YumaSubnet {
                subnet: Subnet::new(netuid, hyperparameters),
                hotkeys: Vec::new(),
            },
        );
    }

    /// The consensus state of `netuid`.
    pub fn subnet(&self, netuid: u16) -> Option<&Subnet> {
        self.subnets.get(&netuid).map(|s| &s.subnet)
    }

    /// Mutable consensus state of `netuid` (set weights, commits, hyperparameters).
    pub fn subnet_mut(&mut self, netuid: u16) -> Option<&mut Subnet> {
        self.subnets.get_mut(&netuid).map(|s| &mut s.subnet)
    }

    /// Uid of `hotkey` on `netuid` as last synchronised.
    pub fn uid_of(&self, netuid: u16, hotkey: AccountId) -> Option<u16> {
        let s = self.subnets.get(&netuid)?;
        let i = s.hotkeys.iter().position(|h| *h == hotkey)?;
        u16::try_from(i).ok()
    }

    /// Record the registration of `hotkey` at `uid` (append when `uid == n`, else replace) at
    /// `block`.
    pub fn register(&mut self, netuid: u16, uid: u16, hotkey: AccountId, block: u64) -> Result<()> {
        let Some(s) = self.subnets.get_mut(&netuid) else {
            return Ok(());
        };
        let u = usize::from(uid);
        if u == s.hotkeys.len() {
            s.subnet.append_neuron(block, 0, 0)?;
            s.hotkeys.push(hotkey);
        } else if let Some(slot) = s.hotkeys.get_mut(u) {
            s.subnet.replace_neuron(uid, block, 0, 0)?;
            *slot = hotkey;
        } else {
            return Err(Error::field(
                ErrorCode::UidOutOfRange,
                "uid",
                format!("uid {uid} is beyond n = {}", s.hotkeys.len()),
            ));
        }
        Ok(())
    }

    /// Bring `netuid`'s consensus state in line with the request's uids and stakes.
    fn sync(s: &mut YumaSubnet, req: &EpochRequest) -> Result<()> {
        for (i, n) in req.neurons.iter().enumerate() {
            let uid = u16::try_from(i).unwrap_or(u16::MAX);
            match s.hotkeys.get(i).copied() {
                None => {
                    s.subnet.append_neuron(req.block, 0, 0)?;
                    s.hotkeys.push(n.hotkey);
                }
                Some(h) if h != n.hotkey => {
                    s.subnet.replace_neuron(uid, req.block, 0, 0)?;
                    if let Some(slot) = s.hotkeys.get_mut(i) {
                        *slot = n.hotkey;
                    }
                }
                Some(_) => {}
            }
        }
        if s.hotkeys.len() != req.neurons.len() {
            return Err(Error::field(
                ErrorCode::LengthMismatch,
                "neurons",
                format!(
                    "{} uids requested, the subnet has {}",
                    req.neurons.len(),
                    s.hotkeys.len()
                ),
            ));
        }
        s.subnet.normalize_shapes();
        s.subnet.alpha_stake = req.neurons.iter().map(|n| n.alpha_stake).collect();
        s.subnet.tao_stake = req.neurons.iter().map(|n| n.root_stake).collect();
        s.subnet.hyperparameters.tao_weight = req.tao_weight_parts;
        s.subnet.owner_uid = req.owner_hotkey.and_then(|o| {
            req.neurons
                .iter()
                .position(|n| n.hotkey == o)
                .and_then(|p| u16::try_from(p).ok())
        });
        Ok(())
    }
}

impl EpochRunner for YumaEpoch {
    fn run_epoch(&mut self, req: &EpochRequest) -> Result<Vec<HotkeyEmission>> {
        let Some(s) = self.subnets.get_mut(&req.netuid) else {
            return StakeProportionalEpoch.run_epoch(req);
        };
        Self::sync(s, req)?;
        let out = s.subnet.step(req.block, req.emission)?.aggregate;
        Ok(req
            .neurons
            .iter()
            .enumerate()
            .map(|(i, n)| HotkeyEmission {
                hotkey: n.hotkey,
                incentive: out.server_emission.get(i).copied().unwrap_or(0),
                dividend: out.validator_emission.get(i).copied().unwrap_or(0),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::epoch::EpochNeuron;

    fn request(emission: u64, block: u64) -> EpochRequest {
        EpochRequest {
            netuid: 1,
            block,
            emission,
            tao_weight: substrate_fixed::types::U96F32::from_num(0),
            tao_weight_parts: 0,
            owner_hotkey: None,
            neurons: vec![
                EpochNeuron {
                    uid: 0,
                    hotkey: 10,
                    alpha_stake: 1_000_000_000_000,
                    root_stake: 0,
                },
                EpochNeuron {
                    uid: 1,
                    hotkey: 11,
                    alpha_stake: 0,
                    root_stake: 0,
                },
                EpochNeuron {
                    uid: 2,
                    hotkey: 12,
                    alpha_stake: 0,
                    root_stake: 0,
                },
            ],
        }
    }

    #[test]
    fn weights_steer_incentive_to_the_weighted_miner() {
        let mut y = YumaEpoch::default();
        let hp = Hyperparameters {
            commit_reveal_enabled: false,
            ..Hyperparameters::unit_test_mock()
        };
        y.add_subnet(1, hp);
        for (uid, hk) in [(0u16, 10u64), (1, 11), (2, 12)] {
            assert!(y.register(1, uid, hk, 0).is_ok());
        }
        // First epoch grants the permit (stake-based); weights count from the next one.
        let first = y.run_epoch(&request(1_000_000_000, 10)).unwrap_or_default();
        assert_eq!(first.len(), 3);
        if let Some(s) = y.subnet_mut(1) {
            assert!(s.set_weights(0, 0, &[2], &[65_535], 11).is_ok());
        }
        let out = y.run_epoch(&request(1_000_000_000, 20)).unwrap_or_default();
        let inc: Vec<u64> = out.iter().map(|e| e.incentive).collect();
        let div: Vec<u64> = out.iter().map(|e| e.dividend).collect();
        assert_eq!(inc.first().copied(), Some(0));
        assert_eq!(inc.get(1).copied(), Some(0));
        assert!(inc.get(2).copied().unwrap_or(0) > 400_000_000, "{inc:?}");
        assert!(div.first().copied().unwrap_or(0) > 400_000_000, "{div:?}");
        let total: u64 = inc.iter().chain(&div).sum();
        assert!((999_999_000..=1_000_000_000).contains(&total), "{total}");
    }

    #[test]
    fn unknown_subnet_falls_back_to_stake_proportional() {
        let mut y = YumaEpoch::default();
        let req = request(900, 1);
        let out = y.run_epoch(&req).unwrap_or_default();
        assert_eq!(out.first().map(|e| e.dividend), Some(900));
        assert_eq!(Some(out), StakeProportionalEpoch.run_epoch(&req).ok());
        assert!(y.subnets.is_empty());
    }

    #[test]
    fn replaced_hotkey_resets_its_uid() {
        let mut y = YumaEpoch::default();
        y.add_subnet(1, Hyperparameters::unit_test_mock());
        assert!(y.run_epoch(&request(1_000, 5)).is_ok());
        let mut req = request(1_000, 9);
        if let Some(n) = req.neurons.get_mut(1) {
            n.hotkey = 99;
        }
        assert!(y.run_epoch(&req).is_ok());
        assert_eq!(y.uid_of(1, 99), Some(1));
        let reg = y
            .subnet(1)
            .map(|s| s.block_at_registration.clone())
            .unwrap_or_default();
        assert_eq!(reg, vec![5, 9, 5]);
    }
}
