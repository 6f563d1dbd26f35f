//! Balancer reservoirs: protocol liquidity that was minted but could not become price-active
//! without pushing a balancer weight out of `[0.01, 0.99]` (spec `pool-after-425.md` §2.1–§2.2,
//! §2.5).
//!
//! Port of `Pallet::adjust_protocol_liquidity`, `try_update_balancer` and the reservoir part of
//! `do_clear_protocol_liquidity` in RaoFoundation/subtensor `pallets/swap/src/pallet/impls.rs`
//! at commit `63369449a9335455e84b0f8446a2b3772e8ba6e6` (index id 61396881567); storage items
//! `BalancerTaoReservoir` / `BalancerAlphaReservoir`. Tests followed:
//! `pallets/swap/src/pallet/tests/adjust_protocol_liquidity.rs` @ `71ddeedc`.
//!
//! The swap pallet never moves reserves itself: [`adjust_protocol_liquidity`] only decides what
//! becomes price-active (and updates the weights and reservoirs); the caller adds the returned
//! amounts to `SubnetTAO` / `SubnetAlphaIn`.
//! [`BalancerPool::inject_protocol_liquidity`](super::swap::BalancerPool::inject_protocol_liquidity)
//! does both for simulators.

use super::balancer::Balancer;

/// How protocol liquidity (the block's `tao_in` / `alpha_in`) enters a balancer pool.
///
/// Timeline (spec §1.2): finney metadata at spec 424 has no reservoir items; the storage dump at
/// spec 438 has them. The first reservoir spec lies in 426–438 (425 probably never ran live).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProtocolLiquidity {
    /// Base §11.6 (balancer era up to spec 425, finney 424): the weights are updated for the
    /// whole `(tao_in, alpha_in)`; if a weight would leave `[0.01, 0.99]` nothing is injected.
    #[default]
    Direct,
    /// Spec ≥ the first reservoir spec (426–438) through 473: try `(both)`, then `(alpha only)`,
    /// then `(TAO only)`; what cannot become price-active waits in the reservoirs.
    Reservoir,
}

/// `BalancerTaoReservoir` / `BalancerAlphaReservoir` of one subnet: minted protocol liquidity
/// that is not yet price-active. Reservoir TAO sits on the subnet account but is not in
/// `SubnetTAO` or `TotalStake`; reservoir alpha counts towards alpha issuance (§2.4).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Reservoirs {
    /// `BalancerTaoReservoir` (rao).
    pub tao: u64,
    /// `BalancerAlphaReservoir` (alpha-rao).
    pub alpha: u64,
}

impl Reservoirs {
    /// Both reservoirs empty (the storage keys are absent).
    pub fn is_empty(&self) -> bool {
        self.tao == 0 && self.alpha == 0
    }

    /// Empty both reservoirs and return what they held (`take` on both keys).
    pub fn take(&mut self) -> Reservoirs {
        core::mem::take(self)
    }
}

/// The weight update of base §11.6 on a copy; `None` when a weight would leave the bounds
/// (`try_update_balancer`).
fn try_update(
    weights: &Balancer,
    tao_reserve: u64,
    alpha_reserve: u64,
    tao_delta: u64,
    alpha_delta: u64,
) -> Option<Balancer> {
    let mut w = *weights;
    w.update_for_added_liquidity(tao_reserve, alpha_reserve, tao_delta, alpha_delta)
        .then_some(w)
}

/// `adjust_protocol_liquidity(netuid, tao_delta, alpha_delta)` of the reservoir era (§2.2).
///
/// `pt = reservoir.tao + tao_delta`, `pa = reservoir.alpha + alpha_delta` (saturating); the
/// weight update is tried with `(pt, pa)`, then `(0, pa)`, then `(pt, 0)` at the unchanged
/// reserves. The first accepted candidate is stored as the new weights, the part of `(pt, pa)`
/// it did not use stays in the reservoirs, and it is returned as the price-active
/// `(tao, alpha)`. When none is accepted, `(pt, pa)` wait in the reservoirs and `(0, 0)` is
/// returned. The caller adds the returned amounts to the reserves.
pub fn adjust_protocol_liquidity(
    weights: &mut Balancer,
    reservoirs: &mut Reservoirs,
    tao_reserve: u64,
    alpha_reserve: u64,
    tao_delta: u64,
    alpha_delta: u64,
) -> (u64, u64) {
    let pt = reservoirs.tao.saturating_add(tao_delta);
    let pa = reservoirs.alpha.saturating_add(alpha_delta);
    for (t, a) in [(pt, pa), (0, pa), (pt, 0)] {
        if let Some(w) = try_update(weights, tao_reserve, alpha_reserve, t, a) {
            *weights = w;
            *reservoirs = Reservoirs {
                tao: pt.saturating_sub(t),
                alpha: pa.saturating_sub(a),
            };
            return (t, a);
        }
    }
    *reservoirs = Reservoirs { tao: pt, alpha: pa };
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::perquintill::Perquintill;

    fn half() -> Balancer {
        Balancer::default()
    }

    /// test_adjust_protocol_liquidity_materializes_alpha_when_reservoiring_tao.
    #[test]
    fn tao_side_breaking_bounds_waits() {
        let mut w = half();
        let mut r = Reservoirs::default();
        let got = adjust_protocol_liquidity(&mut w, &mut r, 1_000, 1_000, 200_000, 1_000);
        assert_eq!(got, (0, 1_000));
        assert_eq!(
            r,
            Reservoirs {
                tao: 200_000,
                alpha: 0
            }
        );
        assert_eq!(w.quote_weight().deconstruct(), 333_333_333_333_333_333);
    }

    #[test]
    fn alpha_side_breaking_bounds_waits() {
        let mut w = half();
        let mut r = Reservoirs::default();
        let got = adjust_protocol_liquidity(&mut w, &mut r, 1_000, 1_000, 1_000, 200_000);
        assert_eq!(got, (1_000, 0));
        assert_eq!(
            r,
            Reservoirs {
                tao: 0,
                alpha: 200_000
            }
        );
    }

    /// test_adjust_protocol_liquidity_activates_reservoir_amounts.
    #[test]
    fn reservoir_amounts_activate_with_new_liquidity() {
        let mut w = half();
        let mut r = Reservoirs {
            tao: 10_000,
            alpha: 20_000,
        };
        let got = adjust_protocol_liquidity(&mut w, &mut r, 1_000_000, 1_000_000, 300, 400);
        assert_eq!(got, (10_300, 20_400));
        assert!(r.is_empty());
        assert_eq!(w.quote_weight().deconstruct(), 497_513_172_797_557_492);
    }

    #[test]
    fn nothing_accepted_keeps_everything_pending() {
        // Quote weight at the lower bound: any TAO-only or alpha-heavy candidate breaks it.
        let mut w =
            Balancer::new(Perquintill::from_parts(10_000_000_000_000_000)).unwrap_or_default();
        let before = w;
        let mut r = Reservoirs::default();
        let got = adjust_protocol_liquidity(&mut w, &mut r, 1_000, 1_000, 0, 1_000_000);
        assert_eq!(got, (0, 0));
        assert_eq!(r.alpha, 1_000_000);
        assert_eq!(w, before);
    }
}
