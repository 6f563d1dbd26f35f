//! Protocol liquidity on the curve: injection translates the centres, and the legacy balancer
//! reservoirs are released at the first injection.
//!
//! Port of `Pallet::adjust_protocol_liquidity` (superellipse era, `#[transactional]`,
//! Result-returning) of RaoFoundation/subtensor `pallets/swap/src/pallet/impls.rs` at
//! `61cafd4026c5d64dd5df4e7a7d17fb5575477b12` (index id 71578280550). Spec
//! `pool-after-425.md` §3.8.

use super::curve::Superellipse;
use super::pool::SuperellipsePool;
use crate::pool::error::ChainError;

const OOB: ChainError = ChainError::ReservesOutOfBalance;

impl SuperellipsePool {
    /// `adjust_protocol_liquidity(netuid, Δτ, Δα) → (τ_active, α_active)`. The pending amounts
    /// (reservoir + delta) all become price-active; the caller then raises `SubnetTAO` and
    /// `SubnetAlphaIn` by the returned amounts. An unfunded side buffers everything in the
    /// reservoirs and returns `(0, 0)`. On any error nothing changes (the caller refunds the
    /// materialised TAO and mints no alpha).
    pub fn adjust_protocol_liquidity(
        &mut self,
        tao_delta: u64,
        alpha_delta: u64,
    ) -> Result<(u64, u64), ChainError> {
        let (alpha, tao) = (self.alpha_reserve, self.tao_reserve);
        let pending_tao = self.tao_reservoir.checked_add(tao_delta).ok_or(OOB)?;
        let pending_alpha = self.alpha_reservoir.checked_add(alpha_delta).ok_or(OOB)?;
        let new_tao = tao.checked_add(pending_tao).ok_or(OOB)?;
        let new_alpha = alpha.checked_add(pending_alpha).ok_or(OOB)?;
        if new_tao == 0 || new_alpha == 0 {
            self.tao_reservoir = pending_tao;
            self.alpha_reservoir = pending_alpha;
            return Ok((0, 0));
        }
        let quote = self.archived_quote();
        let mut curve = match self.curve {
            Some(c) => {
                c.price(alpha, tao).map_err(|_| OOB)?;
                c
            }
            None if tao != 0 && alpha != 0 => {
                Superellipse::from_balancer(alpha, tao, quote).map_err(|_| OOB)?
            }
            None => {
                // An empty pool has no price to keep: anchor at the projected reserves.
                let c = Superellipse::from_balancer(new_alpha, new_tao, quote).map_err(|_| OOB)?;
                self.commit(c);
                return Ok((pending_tao, pending_alpha));
            }
        };
        curve
            .translate_liquidity(pending_alpha, pending_tao)
            .map_err(|_| OOB)?;
        curve.price(new_alpha, new_tao).map_err(|_| OOB)?;
        self.commit(curve);
        Ok((pending_tao, pending_alpha))
    }

    fn commit(&mut self, curve: Superellipse) {
        self.curve = Some(curve);
        self.pal_swap_initialized = true;
        self.tao_reservoir = 0;
        self.alpha_reservoir = 0;
    }

    /// The injection as the block's caller applies it: on success the reserves rise by the
    /// returned amounts; on error nothing enters the pool and `(0, 0)` is returned.
    pub fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        match self.adjust_protocol_liquidity(tao, alpha) {
            Ok((t, a)) => {
                self.tao_reserve = self.tao_reserve.saturating_add(t);
                self.alpha_reserve = self.alpha_reserve.saturating_add(a);
                (t, a)
            }
            Err(_) => (0, 0),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reservoirs_are_released_and_price_kept() {
        let mut p = SuperellipsePool::new(1_000_000, 1_000_000);
        p.tao_reservoir = 200_000;
        p.alpha_reservoir = 20_000;
        assert_eq!(p.inject(300, 400), (200_300, 20_400));
        assert_eq!((p.tao_reservoir, p.alpha_reservoir), (0, 0));
        assert_eq!(p.current_price().to_bits(), 1u128 << 64);
    }

    #[test]
    fn overflow_changes_nothing() {
        let mut p = SuperellipsePool::new(1_000_000, 4_000_000);
        p.alpha_reservoir = u64::MAX;
        let before = p.clone();
        assert_eq!(p.adjust_protocol_liquidity(0, 1), Err(OOB));
        assert_eq!(p, before);
    }

    #[test]
    fn unfunded_side_buffers() {
        let mut p = SuperellipsePool::new(0, 5);
        assert_eq!(p.adjust_protocol_liquidity(0, 7).unwrap(), (0, 0));
        assert_eq!(p.alpha_reservoir, 7);
        assert!(p.curve.is_none());
    }
}
