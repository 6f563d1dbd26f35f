//! Stake transitions: `move_stake` / `swap_stake` / `transfer_stake` (`transition_stake_internal`,
//! base §12.4) on [`StakingState`], and what changed after spec 425: no silent cap on the moved
//! amount (#2813) and the limit-protected `move_stake_limit` (#3084, spec 448). Spec
//! `pool-after-425.md` §5.2–§5.3.
//!
//! [`StakingState::transition_stake`] (the silent cap) is a port of opentensor/subtensor
//! `pallets/subtensor/src/staking/move_stake.rs` at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`. The later rules: `transition_stake_internal` /
//! `validate_stake_transition` in RaoFoundation/subtensor
//! `pallets/subtensor/src/staking/move_stake.rs` @ `b5e821c119950e672c01b46b9014f010dfb8fdd6`
//! (index id 61470759928) and `staking/stake_utils.rs` (index id 61366811403); cap removal as on
//! opentensor/subtensor branch `feat/no-capping-on-locked-transfers-v2` @ `d850dfea`. Only the
//! over-ask rule and the limit call differ between them.

use super::limits::max_amount_move;
use super::ops::{MoveOutcome, StakingState};
use crate::pool::swap::{Order, MAX_PRICE_RAO, MIN_PRICE_RAO};
use crate::pool::ChainError;
use substrate_fixed::types::U96F32;

/// What a transition does with an amount above the origin's stake.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TransitionCap {
    /// Up to spec 425 (subtensor @ 14bc6f9): `alpha = min(alpha, available)`, so an over-ask
    /// moves everything and a signer without stake fails later with `AmountTooLow`.
    #[default]
    Silent,
    /// From #2813 (merged before the RaoFoundation index copies; spec ≥ 426, exact spec not
    /// pinned): `alpha > available` fails with `NotEnoughStakeToWithdraw` and nothing changes.
    Reject,
}

/// Whether the runtime has the `move_stake_limit` call.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum MoveStakeLimit {
    /// Before spec 448: no such call.
    #[default]
    Unavailable,
    /// Spec 448 (#3089) onward.
    Available,
}

impl<A: Ord + Clone> StakingState<A> {
    /// `move_stake` / `swap_stake` / `transfer_stake` (`transition_stake_internal`) with the
    /// silent cap of spec ≤ 425 ([`TransitionCap::Silent`]; see
    /// [`StakingState::transition_stake_with`] for the later rule): move alpha
    /// between hotkeys, coldkeys and/or subnets. Different subnets go through TAO (one fee, on
    /// the leg that is not root); the same subnet is a share transfer at spot value.
    #[allow(clippy::too_many_arguments)]
    pub fn transition_stake(
        &mut self,
        origin: (&A, &A, u16),
        destination: (&A, &A, u16),
        alpha: u64,
        limit_rao: Option<u64>,
        allow_partial: Option<bool>,
    ) -> Result<MoveOutcome, ChainError> {
        self.transactional(|s| {
            s.transition_inner(
                TransitionCap::Silent,
                origin,
                destination,
                alpha,
                limit_rao,
                allow_partial,
            )
        })
    }

    /// `transition_stake_internal` under the era's over-ask rule (`cap`, see [`TransitionCap`]).
    pub(super) fn transition_inner(
        &mut self,
        cap: TransitionCap,
        origin: (&A, &A, u16),
        destination: (&A, &A, u16),
        alpha: u64,
        limit_rao: Option<u64>,
        allow_partial: Option<bool>,
    ) -> Result<MoveOutcome, ChainError> {
        let (oh, oc, on) = origin;
        let (dh, dc, dn) = destination;
        if oc == dc && oh == dh && on == dn {
            return Err(ChainError::SameNetuid);
        }
        let available = self.stake_of(oh, oc, on);
        let alpha = match cap {
            TransitionCap::Silent => alpha.min(available),
            TransitionCap::Reject if alpha > available => {
                return Err(ChainError::NotEnoughStakeToWithdraw)
            }
            TransitionCap::Reject => alpha,
        };
        let max_amount = match (on != dn, limit_rao) {
            (true, Some(l)) => {
                max_amount_move(self.subnet(on)?, self.subnet(dn)?, l, &self.params.swap)?
            }
            _ => alpha,
        };
        if on != dn {
            let tao_equivalent = self
                .sim_swap(on, Order::Sell, alpha)
                .map_err(|_| ChainError::InsufficientLiquidity)?
                .amount_paid_out;
            if tao_equivalent <= self.params.min_stake {
                return Err(ChainError::AmountTooLow);
            }
            if allow_partial == Some(false) && alpha > max_amount {
                return Err(ChainError::SlippageTooHigh);
            }
        }
        let amount = alpha.min(max_amount);
        if on == dn {
            let moved = self.pool_mut(oh, on).decrease(oc, amount);
            self.pool_mut(dh, dn).increase(dc, moved);
            let price = U96F32::saturating_from_num(self.subnet(on)?.price());
            let tao = price
                .saturating_mul(U96F32::saturating_from_num(moved))
                .saturating_to_num::<u64>();
            if tao < self.params.min_stake {
                return Err(ChainError::AmountTooLow);
            }
            return Ok(MoveOutcome {
                unstake: None,
                stake: None,
                tao,
            });
        }
        let drop_origin = on == super::ROOT;
        let un = self.unstake_from_subnet(oh, oc, on, amount, MIN_PRICE_RAO, drop_origin)?;
        let tao = un.tao;
        if tao < self.params.min_stake {
            // Too little to restake: it stays free TAO with the destination coldkey.
            let b = self.balance_of(dc);
            self.balances.insert(dc.clone(), b.saturating_add(tao));
            return Ok(MoveOutcome {
                unstake: Some(un),
                stake: None,
                tao,
            });
        }
        let st = self.stake_into_subnet(dh, dc, dn, tao, MAX_PRICE_RAO, !drop_origin)?;
        Ok(MoveOutcome {
            unstake: Some(un),
            stake: Some(st),
            tao,
        })
    }

    /// `move_stake` / `swap_stake` / `transfer_stake` (`transition_stake_internal`) under an
    /// explicit over-ask rule. All-or-nothing.
    pub fn transition_stake_with(
        &mut self,
        cap: TransitionCap,
        origin: (&A, &A, u16),
        destination: (&A, &A, u16),
        alpha: u64,
        limit_rao: Option<u64>,
        allow_partial: Option<bool>,
    ) -> Result<MoveOutcome, ChainError> {
        self.transactional(|s| {
            s.transition_inner(cap, origin, destination, alpha, limit_rao, allow_partial)
        })
    }

    /// `move_stake_limit(origin_hotkey, destination_hotkey, origin_netuid, destination_netuid,
    /// alpha, limit_price, allow_partial)` for `coldkey` (spec 448): cross-subnet moves are
    /// limited to `get_max_amount_move` (the closed form of base §12.4); fill-or-kill over it is
    /// `SlippageTooHigh`, partial moves `min(alpha, max)`. Same-subnet moves ignore the limit.
    /// `UnknownEra` when the runtime has no such call.
    #[allow(clippy::too_many_arguments)]
    pub fn move_stake_limit(
        &mut self,
        call: MoveStakeLimit,
        cap: TransitionCap,
        coldkey: &A,
        hotkeys: (&A, &A),
        netuids: (u16, u16),
        alpha: u64,
        limit_rao: u64,
        allow_partial: bool,
    ) -> Result<MoveOutcome, ChainError> {
        if call == MoveStakeLimit::Unavailable {
            return Err(ChainError::UnknownEra);
        }
        self.transition_stake_with(
            cap,
            (hotkeys.0, coldkey, netuids.0),
            (hotkeys.1, coldkey, netuids.1),
            alpha,
            Some(limit_rao),
            Some(allow_partial),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::swap::SwapConstants;
    use crate::stake::ops::StakeParams;
    use crate::stake::Subnet;

    fn state() -> StakingState<u8> {
        let mut st = StakingState::new(StakeParams {
            swap: SwapConstants {
                minimum_reserve: 100,
                max_input_multiplier: 1000,
            },
            ..StakeParams::default()
        });
        st.subnets
            .insert(1, Subnet::dynamic(1, 100_000_000_000, 100_000_000_000));
        st.subnets
            .insert(2, Subnet::dynamic(2, 100_000_000_000, 100_000_000_000));
        st.pools.entry((1, 1)).or_default().increase(&9, 50_000_000);
        st
    }

    #[test]
    fn over_ask_is_capped_before_2813_and_rejected_after() {
        let mut st = state();
        let before = st.stake_of(&1, &9, 1);
        let r = st.transition_stake_with(
            TransitionCap::Reject,
            (&1, &9, 1),
            (&1, &8, 1),
            before + 1,
            None,
            None,
        );
        assert_eq!(r.err(), Some(ChainError::NotEnoughStakeToWithdraw));
        assert_eq!(st.stake_of(&1, &9, 1), before);
        let ok = st.transition_stake_with(
            TransitionCap::Silent,
            (&1, &9, 1),
            (&1, &8, 1),
            before + 1,
            None,
            None,
        );
        assert!(ok.is_ok());
        assert_eq!(st.stake_of(&1, &9, 1), 0);
    }

    #[test]
    fn wrong_origin_error_changed() {
        let mut st = state();
        let silent = st.transition_stake_with(
            TransitionCap::Silent,
            (&1, &7, 1),
            (&1, &7, 2),
            20_000_000,
            None,
            None,
        );
        assert_eq!(silent.err(), Some(ChainError::AmountTooLow));
        let reject = st.transition_stake_with(
            TransitionCap::Reject,
            (&1, &7, 1),
            (&1, &7, 2),
            20_000_000,
            None,
            None,
        );
        assert_eq!(reject.err(), Some(ChainError::NotEnoughStakeToWithdraw));
    }

    #[test]
    fn move_stake_limit_needs_spec_448() {
        let mut st = state();
        let r = st.move_stake_limit(
            MoveStakeLimit::Unavailable,
            TransitionCap::Reject,
            &9,
            (&1, &2),
            (1, 2),
            10_000_000,
            1_000_000_000,
            true,
        );
        assert_eq!(r.err(), Some(ChainError::UnknownEra));
    }
}
