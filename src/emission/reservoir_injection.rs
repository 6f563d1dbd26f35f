//! `inject_and_maybe_swap` of the reservoir era: the chain buy runs first, this block's TAO is
//! materialised, and `adjust_protocol_liquidity` decides what (with the reservoirs) becomes
//! price-active (spec `pool-after-425.md` §2.3; alpha issuance with the reservoir, §2.4, is in
//! [`Network::alpha_issuance`]).
//!
//! Port of `inject_and_maybe_swap` in RaoFoundation/subtensor
//! `pallets/subtensor/src/coinbase/run_coinbase.rs` (index id 70951396623; same order in
//! `run_coinbase/emission_injection.rs` @ `8e9322e5`), tests
//! `test_coinbase_failed_tao_materialization_does_not_activate_current_tao` and
//! `test_alpha_reservoir_counts_toward_subnet_issuance_across_blocks` (opentensor/subtensor
//! branch `fix/handle-misbalance-on-injection` @ `9d8075b3`, PR #2758).
//!
//! Which order applies is [`Params::protocol_liquidity`](super::state::Params):
//! [`ProtocolLiquidity::Direct`] is base §6.2 ([`Network::inject_and_maybe_swap`]),
//! [`ProtocolLiquidity::Reservoir`] this module.

use super::math::tou64;
use super::state::{LastEmission, Network, SubnetState};
use super::subnet_pool::SubnetPool;
use super::terms::SubnetTerms;
use crate::pool::swap::SwapResult;
use crate::pool::SwapGuards;
use substrate_fixed::types::U96F32;

pub use crate::pool::reservoir::ProtocolLiquidity;

/// What the reservoir-era injection did on one subnet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReservoirInjection {
    /// TAO of this block moved from the credit to the subnet account (0 when the credit could
    /// not cover `tao_in`).
    pub materialized_tao: u64,
    /// TAO that became price-active (`SubnetTaoInEmission`; may include earlier reservoir TAO).
    pub price_active_tao: u64,
    /// Alpha that became price-active (`SubnetAlphaInEmission`).
    pub price_active_alpha: u64,
    /// Alpha minted this block for the pool side (all of `alpha_in`, active or not).
    pub alpha_minted: u64,
    /// Excess TAO the chain buy put into the pool (`SubnetExcessTao`).
    pub chain_buy_tao: u64,
    /// Alpha the chain buy bought (added to `SubnetProtocolAlpha`).
    pub chain_buy_alpha: u64,
    /// Protocol TAO inflow recorded this block (`record_protocol_inflow`: chain buy plus
    /// price-active TAO; `SubnetProtocolFlow`).
    pub protocol_flow: i64,
}

impl<P: SubnetPool> Network<P> {
    /// One subnet of the reservoir-era `inject_and_maybe_swap` (§2.3 steps 1–6) with floored
    /// terms. `remaining` is the block credit left; what is spent is taken from it, a failed
    /// chain buy gives its TAO back.
    pub fn inject_subnet_reservoir(
        &mut self,
        netuid: u16,
        tao_emission: U96F32,
        tao_in: u64,
        alpha_in: u64,
        excess: u64,
        remaining: &mut u64,
    ) -> ReservoirInjection {
        let mut r = ReservoirInjection::default();
        let Some(s) = self.subnets.get_mut(&netuid) else {
            return r;
        };
        s.last = LastEmission {
            tao_emission,
            alpha_out: s.last.alpha_out,
            ..LastEmission::default()
        };
        // 2. Chain buy first, fee-free at the max price, on the pre-injection pool.
        let mut stable_mint = 0u64;
        // The reservoir era starts after 424: its swap has the guards.
        if let Some((b, mint)) = chain_buy(s, excess, remaining, SwapGuards::On) {
            r.chain_buy_tao = b.amount_paid_in;
            r.chain_buy_alpha = b.amount_paid_out;
            stable_mint = mint;
            r.protocol_flow = i64::try_from(b.amount_paid_in).unwrap_or(i64::MAX);
        }
        // 3. Materialise this block's TAO; an unspendable amount is not offered to the pool.
        if tao_in > 0 && tao_in <= *remaining {
            *remaining = remaining.saturating_sub(tao_in);
            r.materialized_tao = tao_in;
        }
        // 4.–6. Decide what is price-active, mint all of alpha_in, add the active parts.
        let (at, aa) = s
            .pool
            .adjust_protocol_liquidity(r.materialized_tao, alpha_in);
        r.price_active_tao = at;
        r.price_active_alpha = aa;
        r.alpha_minted = alpha_in;
        s.pool.deposit(at, aa);
        s.last.alpha_in = aa;
        s.last.tao_in = at;
        r.protocol_flow = r
            .protocol_flow
            .saturating_add(i64::try_from(at).unwrap_or(i64::MAX));
        self.total_stake = self
            .total_stake
            .saturating_add(r.chain_buy_tao)
            .saturating_add(at);
        let t = &mut self.ledger.tao;
        t.chain_bought = t.chain_bought.saturating_add(u128::from(r.chain_buy_tao));
        // Materialised TAO left the credit; the ledger's reserve audit counts reservoirs.
        t.injected = t.injected.saturating_add(u128::from(r.materialized_tao));
        let l = self.ledger.alpha_mut(netuid);
        l.minted_in = l.minted_in.saturating_add(u128::from(alpha_in));
        l.protocol_bought = l
            .protocol_bought
            .saturating_add(u128::from(r.chain_buy_alpha));
        l.stable_mint = l.stable_mint.saturating_add(u128::from(stable_mint));
        r
    }

    /// `inject_and_maybe_swap` of the reservoir era over all emitting subnets; the credit left
    /// at the end is recycled and returned.
    pub fn inject_and_maybe_swap_reservoir(
        &mut self,
        emissions: &[(u16, U96F32)],
        terms: &[(u16, SubnetTerms)],
        credit: u64,
    ) -> u64 {
        let mut remaining = credit;
        for &(netuid, e) in emissions {
            let Some(t) = super::scratch::terms_of(terms, netuid) else {
                continue;
            };
            let (tao_in, alpha_in, excess) =
                (tou64(t.tao_in), tou64(t.alpha_in), tou64(t.excess_tao));
            self.inject_subnet_reservoir(netuid, e, tao_in, alpha_in, excess, &mut remaining);
        }
        self.total_issuance = self.total_issuance.saturating_sub(remaining);
        self.ledger.tao.recycled = self
            .ledger
            .tao
            .recycled
            .saturating_add(u128::from(remaining));
        remaining
    }
}

/// The chain buy of `inject_and_maybe_swap` (both eras): when the credit `remaining` covers the
/// `excess` TAO, the chain buys alpha with it fee-free on the pre-injection pool; the alpha goes
/// to the protocol (and is outstanding) and `last` records the buy. Returns the swap and the
/// stable mint (alpha paid out beyond what left the pool's reserve).
pub(super) fn chain_buy<P: SubnetPool>(
    s: &mut SubnetState<P>,
    excess: u64,
    remaining: &mut u64,
    guards: SwapGuards,
) -> Option<(SwapResult, u64)> {
    if excess == 0 || excess > *remaining {
        return None;
    }
    let in_before = s.pool.alpha_reserve();
    let b = s.pool.swap_tao_for_alpha_with(excess, true, guards).ok()?;
    *remaining = remaining.saturating_sub(excess);
    let stable_mint = b
        .amount_paid_out
        .saturating_sub(in_before.saturating_sub(s.pool.alpha_reserve()));
    s.protocol_alpha = s.protocol_alpha.saturating_add(b.amount_paid_out);
    s.alpha_out = s.alpha_out.saturating_add(b.amount_paid_out);
    s.last.excess_tao = b.amount_paid_in;
    s.last.protocol_bought = b.amount_paid_out;
    Some((b, stable_mint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emission::{BalancerPool, Params, SubnetState};
    use crate::pool::reservoir::Reservoirs;

    fn net(tao: u64, alpha: u64, reservoirs: Reservoirs) -> Network<BalancerPool> {
        let mut n = Network::new(Params {
            protocol_liquidity: ProtocolLiquidity::Reservoir,
            ..Params::default()
        });
        let mut pool = BalancerPool::dynamic(tao, alpha);
        pool.reservoirs = reservoirs;
        n.subnets.insert(1, SubnetState::new(pool));
        n
    }

    /// test_coinbase_failed_tao_materialization_does_not_activate_current_tao.
    #[test]
    fn unspendable_tao_is_not_offered() {
        let mut n = net(1_000_000, 1_000_000, Reservoirs { tao: 100, alpha: 0 });
        let mut credit = 0;
        let r = n.inject_subnet_reservoir(1, U96F32::from_num(0), 200, 100, 0, &mut credit);
        assert_eq!((r.price_active_tao, r.price_active_alpha), (100, 100));
        assert_eq!(r.protocol_flow, 100);
        let s = n.subnets.get(&1).map(|s| s.pool.clone());
        assert_eq!(
            s.map(|p| (p.tao, p.alpha, p.reservoirs.is_empty())),
            Some((1_000_100, 1_000_100, true))
        );
    }

    #[test]
    fn lopsided_tao_waits_and_issuance_counts_reservoir_alpha() {
        let mut n = net(1_000, 1_000, Reservoirs::default());
        let mut credit = 1_000;
        let r = n.inject_subnet_reservoir(1, U96F32::from_num(0), 1_000, 200_000, 0, &mut credit);
        assert_eq!((r.price_active_tao, r.price_active_alpha), (1_000, 0));
        assert_eq!(credit, 0);
        // All 200 000 alpha were minted; they wait in the reservoir and count as issuance.
        assert_eq!(n.alpha_issuance(1), 1_000 + 200_000);
    }
}
