//! One subnet's swap-pallet state in the superellipse era, its spot price and its lazy
//! initialisation.
//!
//! Port of `Pallet::{current_price, maybe_initialize_palswap, superellipse}` of
//! RaoFoundation/subtensor `pallets/swap/src/pallet/impls.rs` at
//! `61cafd4026c5d64dd5df4e7a7d17fb5575477b12` (index id 71578280550), over the storage of
//! `pallets/swap/src/pallet/mod.rs` (index id 70952426334). Spec `pool-after-425.md` §3.1, §3.2,
//! §3.9.

use super::curve::Superellipse;
use crate::pool::balancer::Balancer;
use crate::pool::error::ChainError;
use crate::pool::perquintill::Perquintill;
use crate::pool::swap::{BalancerPool, DEFAULT_FEE_RATE};
use substrate_fixed::types::U64F64;

/// The dynamic-pool mechanism id (`SubnetMechanism = 1`); root and stable subnets have 0.
pub const DYNAMIC_MECHANISM: u16 = 1;

/// What the swap pallet stores for one subnet in the superellipse era, plus the two reserves it
/// reads from subtensor (`SubnetTAO`, `SubnetAlphaIn`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SuperellipsePool {
    /// `SubnetTAO` (τ).
    pub tao_reserve: u64,
    /// `SubnetAlphaIn` (α).
    pub alpha_reserve: u64,
    /// `BalancerTaoReservoir` (legacy pending TAO; released at the first injection).
    pub tao_reservoir: u64,
    /// `BalancerAlphaReservoir`.
    pub alpha_reservoir: u64,
    /// `SwapBalancer` quote weight (archived parameters); `None` when the key is absent (the
    /// ValueQuery default is 1/2). Stored raw: a decoded value may bypass the constructor checks.
    pub swap_balancer: Option<Perquintill>,
    /// `PalSwapInitialized` (present and true).
    pub pal_swap_initialized: bool,
    /// `SwapSuperellipse`; `None` until initialised.
    pub curve: Option<Superellipse>,
    /// `FeeRate` (u16-normalised).
    pub fee_rate: u16,
    /// `ExtractedReserves` `(alpha, tao)`: cumulative amounts moved to lending custody.
    pub extracted: (u64, u64),
    /// `SubnetMechanism` (1 = dynamic pool).
    pub mechanism: u16,
}

impl SuperellipsePool {
    /// A funded dynamic pool with no curve yet (lazy initialisation at weight 1/2).
    pub fn new(tao_reserve: u64, alpha_reserve: u64) -> Self {
        SuperellipsePool {
            tao_reserve,
            alpha_reserve,
            tao_reservoir: 0,
            alpha_reservoir: 0,
            swap_balancer: None,
            pal_swap_initialized: false,
            curve: None,
            fee_rate: DEFAULT_FEE_RATE,
            extracted: (0, 0),
            mechanism: DYNAMIC_MECHANISM,
        }
    }

    /// The `SwapBalancer` quote weight as read (`ValueQuery`: 1/2 when absent).
    pub fn archived_quote(&self) -> Perquintill {
        self.swap_balancer
            .unwrap_or_else(|| Perquintill::from_rational(1, 2))
    }

    /// The stored curve (`Pallet::superellipse`): `ReservesOutOfBalance` when absent.
    pub fn curve(&self) -> Result<Superellipse, ChainError> {
        self.curve.ok_or(ChainError::ReservesOutOfBalance)
    }

    /// `current_price`: 1 for a non-dynamic subnet, 0 for an empty alpha reserve, the curve's
    /// price (0 when the curve is invalid for the reserves), else the archived balancer price
    /// (read-only; a stored weight outside the balancer's bounds prices at 0 here).
    pub fn current_price(&self) -> U64F64 {
        if self.mechanism != DYNAMIC_MECHANISM {
            return U64F64::from_num(1);
        }
        if self.alpha_reserve == 0 {
            return U64F64::from_bits(0);
        }
        match self.curve {
            Some(c) => c
                .price(self.alpha_reserve, self.tao_reserve)
                .unwrap_or(U64F64::from_bits(0)),
            None => Balancer::new(self.archived_quote())
                .map(|b| b.price(self.alpha_reserve, self.tao_reserve))
                .unwrap_or(U64F64::from_bits(0)),
        }
    }

    /// `maybe_initialize_palswap(netuid, price)`: build the curve from the archived weight (if
    /// `PalSwapInitialized` and no price), else from a fresh balancer weight (1/2, or
    /// `τ/(p·α + τ)` for a price), and store curve, weight and the flag.
    pub fn maybe_initialize(&mut self, price: Option<U64F64>) -> Result<(), ChainError> {
        if self.curve.is_some() {
            return Ok(());
        }
        let (tao, alpha) = (self.tao_reserve, self.alpha_reserve);
        if tao == 0 || alpha == 0 {
            return Err(ChainError::ReservesTooLow);
        }
        let quote = match price {
            None if self.pal_swap_initialized => self.archived_quote(),
            None => Balancer::new(Perquintill::from_rational(1, 2))
                .ok_or(ChainError::ReservesOutOfBalance)?
                .quote_weight(),
            Some(p) => Balancer::for_price(tao, alpha, p)
                .ok_or(ChainError::ReservesOutOfBalance)?
                .quote_weight(),
        };
        let curve = Superellipse::from_balancer(alpha, tao, quote)
            .map_err(|_| ChainError::ReservesOutOfBalance)?;
        self.swap_balancer = Some(quote);
        self.curve = Some(curve);
        self.pal_swap_initialized = true;
        Ok(())
    }

    /// `calculate_fee_amount`: `floor(amount·(r/65535))` in U64F64 on a dynamic pool, else 0.
    pub fn fee_for(&self, amount: u64, drop_fees: bool) -> u64 {
        if self.mechanism != DYNAMIC_MECHANISM {
            return 0;
        }
        self.fee_pool().fee_for(amount, drop_fees)
    }

    /// The fee on an executed part (partial fill): `floor(Δ·(r/(65535 − r)))`.
    pub fn fee_grossed_up(&self, delta_in: u64, drop_fees: bool) -> u64 {
        self.fee_pool().fee_grossed_up(delta_in, drop_fees)
    }

    /// The balancer pool's fee routines are the pallet's; only the rate matters to them.
    fn fee_pool(&self) -> BalancerPool {
        let mut p = BalancerPool::new(self.tao_reserve, self.alpha_reserve);
        p.fee_rate = self.fee_rate;
        p
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lazy_init_at_half() {
        let mut p = SuperellipsePool::new(1_000_000_000, 4_000_000_000);
        assert!(p.curve.is_none());
        p.maybe_initialize(None).unwrap();
        assert!(p.pal_swap_initialized);
        assert_eq!(p.current_price().to_bits(), 1u128 << 62);
        let mut empty = SuperellipsePool::new(0, 5);
        assert_eq!(
            empty.maybe_initialize(None),
            Err(ChainError::ReservesTooLow)
        );
    }

    #[test]
    fn init_with_price_quantises_the_weight() {
        let mut p = SuperellipsePool::new(1_000_000_000, 4_000_000_000);
        p.maybe_initialize(Some(U64F64::from_bits(3_689_348_814_741_910_323)))
            .unwrap();
        assert_eq!(p.archived_quote().deconstruct(), 555_555_555_864_197_531);
    }
}
