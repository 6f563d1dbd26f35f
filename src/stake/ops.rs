//! add / remove stake, with limit prices and fill-or-kill (spec §12), and the state model that
//! moving stake (move / swap / transfer, [`super::transition`]) runs on too.
//!
//! Port of opentensor/subtensor `pallets/subtensor/src/staking/{add_stake,remove_stake,
//! stake_utils,validate}.rs` at commit `14bc6f9f964b9cc362e9635dd110a487fa5d15a0`,
//! over [`StakingState`]: subnets, one [`SharePool`] per (hotkey, subnet) and coldkey free
//! balances. What the chain checks but this model has no state for (subnet existence, hotkey
//! registration, rate limits, conviction locks, transfer toggles) is out of scope: callers
//! build only the state they mean.
//!
//! Length: the state model and both operations with their limit and fill-or-kill paths stay
//! together (one port of the pallet's staking files, checked against it side by side); moving
//! stake already lives in `transition`.

use super::limits::{max_amount_add, max_amount_remove};
use super::share_pool::SharePool;
use super::Subnet;
use crate::pool::swap::{
    limit_from_rao, Order, SwapConstants, SwapResult, MAX_PRICE_RAO, MIN_PRICE_RAO,
};
use crate::pool::ChainError;
use std::collections::BTreeMap;
use substrate_fixed::types::U96F32;

/// Runtime constants of staking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StakeParams {
    /// `DefaultMinStake` (2 000 000 rao).
    pub min_stake: u64,
    /// `ExistentialDeposit` (500 rao), always left in the coldkey.
    pub existential_deposit: u64,
    /// Swap pallet constants.
    pub swap: SwapConstants,
    /// Whether the block has an author to pay fees to (fees are burned otherwise).
    pub has_block_author: bool,
}

impl Default for StakeParams {
    fn default() -> Self {
        StakeParams {
            min_stake: 2_000_000,
            existential_deposit: 500,
            swap: SwapConstants::default(),
            has_block_author: true,
        }
    }
}

/// Subnets, hotkey share pools and coldkey balances.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(bound(
    serialize = "A: serde::Serialize",
    deserialize = "A: serde::Deserialize<'de>"
))]
pub struct StakingState<A: Ord + Clone> {
    /// Subnets by netuid.
    #[serde(with = "crate::fixed::serde_fixed::map_as_pairs")]
    pub subnets: BTreeMap<u16, Subnet>,
    /// Share pools by (hotkey, netuid), keyed by coldkey.
    #[serde(with = "crate::fixed::serde_fixed::map_as_pairs")]
    pub pools: BTreeMap<(A, u16), SharePool<A>>,
    /// Coldkey free balances (rao).
    #[serde(with = "crate::fixed::serde_fixed::map_as_pairs")]
    pub balances: BTreeMap<A, u64>,
    /// `TotalStake`.
    pub total_stake: u64,
    /// TAO paid to block authors so far.
    pub author_tao: u64,
    /// Constants.
    pub params: StakeParams,
}

/// What an add-stake did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct StakeOutcome {
    /// TAO taken from the coldkey.
    pub tao_in: u64,
    /// The swap (TAO → alpha).
    pub swap: SwapResult,
    /// Alpha credited to the coldkey.
    pub alpha: u64,
    /// TAO fee paid to the block author (or burned).
    pub fee_tao: u64,
}

/// What a remove-stake did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct UnstakeOutcome {
    /// Alpha taken from the coldkey's stake (before any refund).
    pub alpha_in: u64,
    /// The swap (alpha → TAO).
    pub swap: SwapResult,
    /// Alpha credited back because the limit stopped execution.
    pub refund: u64,
    /// TAO paid to the coldkey.
    pub tao: u64,
    /// TAO the block author received from re-selling the alpha fee.
    pub fee_tao: u64,
}

/// What a move did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct MoveOutcome {
    /// First leg (same-subnet moves have none).
    pub unstake: Option<UnstakeOutcome>,
    /// Second leg (absent when the TAO was below the minimum stake and stayed free).
    pub stake: Option<StakeOutcome>,
    /// TAO value moved (the first leg's output, or the spot value for same-subnet moves).
    pub tao: u64,
}

impl<A: Ord + Clone> StakingState<A> {
    /// An empty state with the given constants.
    pub fn new(params: StakeParams) -> Self {
        StakingState {
            subnets: BTreeMap::new(),
            pools: BTreeMap::new(),
            balances: BTreeMap::new(),
            total_stake: 0,
            author_tao: 0,
            params,
        }
    }

    pub(super) fn subnet(&self, netuid: u16) -> Result<&Subnet, ChainError> {
        self.subnets.get(&netuid).ok_or(ChainError::SubnetNotExists)
    }

    /// Alpha a coldkey has staked to a hotkey on a subnet.
    pub fn stake_of(&self, hotkey: &A, coldkey: &A, netuid: u16) -> u64 {
        self.pools
            .get(&(hotkey.clone(), netuid))
            .map_or(0, |p| p.value(coldkey))
    }

    /// Free balance of a coldkey.
    pub fn balance_of(&self, coldkey: &A) -> u64 {
        self.balances.get(coldkey).copied().unwrap_or(0)
    }

    pub(super) fn pool_mut(&mut self, hotkey: &A, netuid: u16) -> &mut SharePool<A> {
        self.pools.entry((hotkey.clone(), netuid)).or_default()
    }

    /// A simulated swap at the default limit with fees (`sim_swap`); 1:1 on stable subnets.
    pub fn sim_swap(
        &self,
        netuid: u16,
        order: Order,
        amount: u64,
    ) -> Result<SwapResult, ChainError> {
        let s = self.subnet(netuid)?;
        if s.is_stable() {
            return Ok(SwapResult {
                amount_paid_in: amount,
                amount_paid_out: amount,
                fee_paid: 0,
                fee_to_block_author: 0,
            });
        }
        let limit = match order {
            Order::Buy => limit_from_rao(MAX_PRICE_RAO),
            Order::Sell => limit_from_rao(MIN_PRICE_RAO),
        };
        s.pool
            .quote_swap(order, amount, limit, false, true, &self.params.swap)
    }

    /// Smallest TAO amount `add_stake` accepts: the minimum stake plus its fee.
    pub fn min_add_amount(&self, netuid: u16) -> u64 {
        let min = self.params.min_stake;
        let fee = match self.sim_swap(netuid, Order::Buy, min) {
            Ok(r) => r.fee_paid,
            Err(_) => self
                .subnet(netuid)
                .map(|s| s.pool.fee_for(min, s.is_stable()))
                .unwrap_or(0),
        };
        min.saturating_add(fee)
    }

    /// `validate_add_stake`: checks and the amount that will be staked.
    fn validate_add(
        &self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        amount: u64,
        max_amount: u64,
        allow_partial: bool,
    ) -> Result<u64, ChainError> {
        if amount < self.min_add_amount(netuid) {
            return Err(ChainError::AmountTooLow);
        }
        let stake = if allow_partial {
            max_amount.min(amount)
        } else if amount > max_amount {
            return Err(ChainError::SlippageTooHigh);
        } else {
            amount
        };
        if self.balance_of(coldkey) < stake {
            return Err(ChainError::NotEnoughBalanceToStake);
        }
        let sim = self
            .sim_swap(netuid, Order::Buy, stake)
            .map_err(|_| ChainError::InsufficientLiquidity)?;
        if sim.amount_paid_in < self.params.min_stake {
            return Err(ChainError::AmountTooLow);
        }
        if sim.amount_paid_out == 0 {
            return Err(ChainError::InsufficientLiquidity);
        }
        let ok = self
            .pools
            .get(&(hotkey.clone(), netuid))
            .is_none_or(|p| p.can_update(i64::try_from(sim.amount_paid_out).unwrap_or(i64::MAX)));
        if !ok {
            return Err(ChainError::InsufficientLiquidity);
        }
        Ok(stake)
    }

    /// `add_stake` (no limit) or `add_stake_limit` (with `limit_rao`): stake TAO from the
    /// coldkey's balance into `hotkey` on `netuid`. Fill-or-kill unless `allow_partial`.
    pub fn add_stake(
        &mut self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        amount: u64,
        limit_rao: Option<u64>,
        allow_partial: bool,
    ) -> Result<StakeOutcome, ChainError> {
        self.transactional(|s| {
            s.add_stake_inner(hotkey, coldkey, netuid, amount, limit_rao, allow_partial)
        })
    }

    /// Run `f` on a copy and keep the copy only on success (extrinsics are all-or-nothing).
    pub(super) fn transactional<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ChainError>,
    ) -> Result<T, ChainError> {
        let mut next = self.clone();
        let r = f(&mut next)?;
        *self = next;
        Ok(r)
    }

    fn add_stake_inner(
        &mut self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        amount: u64,
        limit_rao: Option<u64>,
        allow_partial: bool,
    ) -> Result<StakeOutcome, ChainError> {
        let subnet = *self.subnet(netuid)?;
        if !subnet.is_stable()
            && amount
                > subnet
                    .pool
                    .tao_reserve
                    .saturating_mul(self.params.swap.max_input_multiplier)
        {
            return Err(ChainError::InsufficientLiquidity);
        }
        let (max_amount, partial) = match limit_rao {
            Some(l) => (
                max_amount_add(&subnet, l, &self.params.swap)?,
                allow_partial,
            ),
            None => (amount, false),
        };
        self.validate_add(hotkey, coldkey, netuid, amount, max_amount, partial)?;
        let possible = amount.min(max_amount);
        let balance = self.balance_of(coldkey);
        let tao_in = possible.min(balance.saturating_sub(self.params.existential_deposit));
        self.balances
            .insert(coldkey.clone(), balance.saturating_sub(tao_in));
        self.stake_into_subnet(
            hotkey,
            coldkey,
            netuid,
            tao_in,
            limit_rao.unwrap_or(MAX_PRICE_RAO),
            false,
        )
    }

    /// `stake_into_subnet`: swap TAO for alpha and credit it (balance already debited).
    pub(super) fn stake_into_subnet(
        &mut self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        tao: u64,
        limit_rao: u64,
        drop_fees: bool,
    ) -> Result<StakeOutcome, ChainError> {
        let params = self.params;
        let subnet = self
            .subnets
            .get_mut(&netuid)
            .ok_or(ChainError::SubnetNotExists)?;
        let (swap, fee_tao) = swap_on(subnet, Order::Buy, tao, limit_rao, drop_fees, &params)?;
        if subnet.is_stable() {
            subnet.pool.tao_reserve = subnet.pool.tao_reserve.saturating_add(tao);
        }
        subnet.alpha_out = subnet.alpha_out.saturating_add(swap.amount_paid_out);
        if swap.amount_paid_out == 0 {
            return Err(ChainError::AmountTooLow);
        }
        self.total_stake = self.total_stake.saturating_add(tao);
        self.author_tao = self.author_tao.saturating_add(fee_tao);
        let pool = self.pool_mut(hotkey, netuid);
        if !pool.can_update(i64::try_from(swap.amount_paid_out).unwrap_or(i64::MAX)) {
            return Err(ChainError::InsufficientLiquidity);
        }
        let alpha = pool.increase(coldkey, swap.amount_paid_out);
        Ok(StakeOutcome {
            tao_in: tao,
            swap,
            alpha,
            fee_tao,
        })
    }

    /// `validate_remove_stake`.
    fn validate_remove(
        &self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        alpha: u64,
        max_amount: u64,
        allow_partial: bool,
    ) -> Result<(), ChainError> {
        if alpha == 0 {
            return Err(ChainError::AmountTooLow);
        }
        let current = self.stake_of(hotkey, coldkey, netuid);
        let remaining = current
            .checked_sub(alpha)
            .ok_or(ChainError::NotEnoughStakeToWithdraw)?;
        let sim = self
            .sim_swap(netuid, Order::Sell, alpha)
            .map_err(|_| ChainError::InsufficientLiquidity)?;
        if remaining != 0 && sim.amount_paid_out < self.params.min_stake {
            return Err(ChainError::AmountTooLow);
        }
        if !allow_partial && alpha > max_amount {
            return Err(ChainError::SlippageTooHigh);
        }
        Ok(())
    }

    /// `remove_stake` (no limit) or `remove_stake_limit`: unstake alpha and pay TAO to the
    /// coldkey. Fill-or-kill unless `allow_partial`.
    pub fn remove_stake(
        &mut self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        alpha: u64,
        limit_rao: Option<u64>,
        allow_partial: bool,
    ) -> Result<UnstakeOutcome, ChainError> {
        self.transactional(|s| {
            s.remove_stake_inner(hotkey, coldkey, netuid, alpha, limit_rao, allow_partial)
        })
    }

    fn remove_stake_inner(
        &mut self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        alpha: u64,
        limit_rao: Option<u64>,
        allow_partial: bool,
    ) -> Result<UnstakeOutcome, ChainError> {
        let subnet = *self.subnet(netuid)?;
        let alpha = match limit_rao {
            Some(_) => alpha,
            None => alpha.min(self.stake_of(hotkey, coldkey, netuid)),
        };
        if !subnet.is_stable()
            && alpha
                > subnet
                    .pool
                    .alpha_reserve
                    .saturating_mul(self.params.swap.max_input_multiplier)
        {
            return Err(ChainError::InsufficientLiquidity);
        }
        let (max_amount, partial) = match limit_rao {
            Some(l) => (
                max_amount_remove(&subnet, l, &self.params.swap)?,
                allow_partial,
            ),
            None => (alpha, false),
        };
        self.validate_remove(hotkey, coldkey, netuid, alpha, max_amount, partial)?;
        let possible = alpha.min(max_amount);
        let out = self.unstake_from_subnet(
            hotkey,
            coldkey,
            netuid,
            possible,
            limit_rao.unwrap_or(MIN_PRICE_RAO),
            false,
        )?;
        let balance = self.balance_of(coldkey);
        self.balances
            .insert(coldkey.clone(), balance.saturating_add(out.tao));
        Ok(out)
    }

    /// `unstake_from_subnet`: debit the share pool, swap alpha for TAO, refund what the limit
    /// stopped, re-sell the alpha fee for the author. The TAO is returned, not yet paid.
    pub(super) fn unstake_from_subnet(
        &mut self,
        hotkey: &A,
        coldkey: &A,
        netuid: u16,
        alpha: u64,
        limit_rao: u64,
        drop_fees: bool,
    ) -> Result<UnstakeOutcome, ChainError> {
        let params = self.params;
        let decreased = self.pool_mut(hotkey, netuid).decrease(coldkey, alpha);
        let subnet = self
            .subnets
            .get_mut(&netuid)
            .ok_or(ChainError::SubnetNotExists)?;
        let (swap, fee_tao) = swap_on(
            subnet,
            Order::Sell,
            decreased,
            limit_rao,
            drop_fees,
            &params,
        )?;
        if subnet.is_stable() {
            subnet.pool.tao_reserve = subnet.pool.tao_reserve.saturating_sub(decreased);
        }
        subnet.alpha_out = subnet.alpha_out.saturating_sub(swap.gross_in());
        self.total_stake = self.total_stake.saturating_sub(swap.amount_paid_out);
        self.author_tao = self.author_tao.saturating_add(fee_tao);
        let refund = decreased.saturating_sub(swap.gross_in());
        if refund > 0 {
            self.pool_mut(hotkey, netuid).increase(coldkey, refund);
        }
        Ok(UnstakeOutcome {
            alpha_in: decreased,
            swap,
            refund,
            tao: swap.amount_paid_out,
            fee_tao,
        })
    }
}

/// The swap of a stake or unstake on one subnet (`swap_tao_for_alpha` / `swap_alpha_for_tao`): a
/// stable subnet trades 1:1 with no fee, any other executes against its pool. Returns the swap
/// and the TAO fee credited to the block author.
fn swap_on(
    subnet: &mut Subnet,
    order: Order,
    amount: u64,
    limit_rao: u64,
    drop_fees: bool,
    params: &StakeParams,
) -> Result<(SwapResult, u64), ChainError> {
    if subnet.is_stable() {
        let one_to_one = SwapResult {
            amount_paid_in: amount,
            amount_paid_out: amount,
            fee_paid: 0,
            fee_to_block_author: 0,
        };
        return Ok((one_to_one, 0));
    }
    let e = subnet.pool.execute(
        order,
        amount,
        limit_from_rao(limit_rao),
        drop_fees,
        params.has_block_author,
        &params.swap,
    )?;
    Ok((e.result, e.author_tao))
}

/// TAO value of an alpha amount at spot price (`price × alpha`, U96F32 floor).
pub fn spot_value(subnet: &Subnet, alpha: u64) -> u64 {
    U96F32::saturating_from_num(subnet.price())
        .saturating_mul(U96F32::saturating_from_num(alpha))
        .saturating_to_num::<u64>()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn state() -> StakingState<String> {
        let mut st = StakingState::new(StakeParams {
            swap: SwapConstants {
                minimum_reserve: 100,
                max_input_multiplier: 1000,
            },
            ..StakeParams::default()
        });
        st.subnets
            .insert(1, Subnet::dynamic(1, 150_000_000_000, 100_000_000_000));
        st.subnets
            .insert(2, Subnet::dynamic(2, 100_000_000_000, 100_000_000_000));
        st.subnets.insert(0, Subnet::root());
        st.balances.insert("cold".into(), 1_000_000_000_000);
        st
    }

    #[test]
    fn stake_then_unstake_everything() {
        let mut st = state();
        let (h, c) = ("hot".to_string(), "cold".to_string());
        let s = st
            .add_stake(&h, &c, 1, 10_000_000_000, None, false)
            .unwrap();
        assert_eq!(st.stake_of(&h, &c, 1), s.alpha);
        assert_eq!(st.balance_of(&c), 1_000_000_000_000 - 10_000_000_000);
        assert_eq!(s.tao_in, s.swap.gross_in());
        let u = st.remove_stake(&h, &c, 1, s.alpha, None, false).unwrap();
        assert_eq!(st.stake_of(&h, &c, 1), 0);
        assert!(u.tao < 10_000_000_000, "a round trip loses fees and impact");
        assert_eq!(
            st.balance_of(&c),
            1_000_000_000_000 - 10_000_000_000 + u.tao
        );
    }

    #[test]
    fn fill_or_kill_leaves_state_untouched() {
        let mut st = state();
        let before = st.clone();
        let (h, c) = ("hot".to_string(), "cold".to_string());
        let e = st
            .add_stake(&h, &c, 1, 900_000_000_000, Some(24_000_000_000), false)
            .unwrap_err();
        assert_eq!(e, ChainError::SlippageTooHigh);
        assert_eq!(st.subnets, before.subnets);
        assert_eq!(st.balances, before.balances);
        let ok = st
            .add_stake(&h, &c, 1, 900_000_000_000, Some(24_000_000_000), true)
            .unwrap();
        assert_eq!(ok.swap.amount_paid_in, 450_000_000_000);
    }

    #[test]
    fn moves() {
        let mut st = state();
        let (h, h2, c, c2) = (
            "hot".to_string(),
            "hot2".to_string(),
            "cold".to_string(),
            "cold2".to_string(),
        );
        let s = st
            .add_stake(&h, &c, 1, 20_000_000_000, None, false)
            .unwrap();
        // Same subnet, other coldkey: a share transfer at spot value, no swap.
        let pool_before = st.subnets[&1].pool;
        let m = st
            .transition_stake((&h, &c, 1), (&h, &c2, 1), s.alpha / 2, None, None)
            .unwrap();
        assert!(m.unstake.is_none() && m.stake.is_none());
        assert_eq!(st.subnets[&1].pool, pool_before);
        assert_eq!(st.stake_of(&h, &c2, 1) + st.stake_of(&h, &c, 1), s.alpha);
        // Cross subnet: the first leg pays the fee, the second does not.
        let left = st.stake_of(&h, &c, 1);
        let m = st
            .transition_stake((&h, &c, 1), (&h2, &c, 2), left, None, None)
            .unwrap();
        let (un, stk) = (m.unstake.unwrap(), m.stake.unwrap());
        assert!(un.swap.fee_paid > 0);
        assert_eq!(stk.swap.fee_paid, 0);
        assert_eq!(st.stake_of(&h2, &c, 2), stk.alpha);
        assert_eq!(
            st.transition_stake((&h, &c, 1), (&h, &c, 1), 1, None, None),
            Err(ChainError::SameNetuid)
        );
    }

    #[test]
    fn state_serializes() {
        let mut st = state();
        st.add_stake(
            &"hot".to_string(),
            &"cold".to_string(),
            1,
            10_000_000_000,
            None,
            false,
        )
        .unwrap();
        let json = serde_json::to_string(&st).unwrap();
        let back: StakingState<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.pools, st.pools);
        assert_eq!(back.subnets, st.subnets);
    }
}
