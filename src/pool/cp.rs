//! The constant-product pool of the dTAO launch (2025-02-13 … 2025-06-30, spec §17.1).
//!
//! Port of opentensor/subtensor `pallets/subtensor/src/staking/stake_utils.rs`
//! (`sim_swap_tao_for_alpha`, `sim_swap_alpha_for_tao`, `stake_into_subnet`,
//! `unstake_from_subnet`) at commit `f9254ea63c72586270700d0edc0e75804404ba4c`: `k = x·y` in
//! I110F18, a swap is refused (pays 0) when the new output reserve would fall below
//! `DefaultMinimumPoolLiquidity`, and a flat staking fee is kept in `SubnetTAO`.
//!
//! The launch runtime had no limit orders; [`ConstantProductPool::max_input_to_price`] gives the
//! closed-form input that reaches a price, for simulators that want one.

use super::error::ChainError;
use super::swap::Order;
use substrate_fixed::types::{I110F18, U64F64};

/// `DefaultMinimumPoolLiquidity`.
pub const MIN_POOL_LIQUIDITY: u64 = 10_000_000;
/// `DefaultStakingFee` (flat, rao).
pub const FLAT_FEE: u64 = 50_000;
/// `DefaultMinStake` of the era.
pub const MIN_STAKE: u64 = 500_000;

fn fx(v: u64) -> I110F18 {
    I110F18::saturating_from_num(v)
}

fn safe_div(a: I110F18, b: I110F18) -> I110F18 {
    a.checked_div(b).unwrap_or(I110F18::from_bits(0))
}

/// A constant-product pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConstantProductPool {
    /// `SubnetTAO`.
    pub tao_reserve: u64,
    /// `SubnetAlphaIn`.
    pub alpha_reserve: u64,
    /// Flat fee per stake/unstake (rao); moves paid half.
    pub flat_fee: u64,
}

/// Result of a launch-era stake or unstake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct CpSwap {
    /// Input that went through the curve (net of the flat fee for stakes).
    pub amount_in: u64,
    /// Output paid to the staker (net of the flat fee for unstakes).
    pub amount_out: u64,
    /// Fee kept in `SubnetTAO`.
    pub fee: u64,
}

impl ConstantProductPool {
    /// A pool with the launch fee.
    pub fn new(tao_reserve: u64, alpha_reserve: u64) -> Self {
        ConstantProductPool {
            tao_reserve,
            alpha_reserve,
            flat_fee: FLAT_FEE,
        }
    }

    /// Price `y / x` (0 for an empty alpha reserve).
    pub fn price(&self) -> U64F64 {
        U64F64::saturating_from_num(self.tao_reserve)
            .checked_div(U64F64::saturating_from_num(self.alpha_reserve))
            .unwrap_or(U64F64::from_bits(0))
    }

    /// Curve output for `delta_in`, or `None` when the output reserve would drop below the floor.
    pub fn sim(&self, order: Order, delta_in: u64) -> Option<u64> {
        let (x, y) = (fx(self.alpha_reserve), fx(self.tao_reserve));
        let k = x.saturating_mul(y);
        let floor = fx(MIN_POOL_LIQUIDITY);
        match order {
            Order::Buy => {
                let new_x = safe_div(k, y.saturating_add(fx(delta_in)));
                (new_x >= floor).then(|| x.saturating_sub(new_x).saturating_to_num::<u64>())
            }
            Order::Sell => {
                let new_y = safe_div(k, x.saturating_add(fx(delta_in)));
                (new_y >= floor).then(|| y.saturating_sub(new_y).saturating_to_num::<u64>())
            }
        }
    }

    /// `stake_into_subnet`: take the flat fee (kept in the pool), swap the rest. A refused swap
    /// pays 0 alpha but the TAO stays in the pool, as on chain.
    pub fn stake(&mut self, tao: u64, fee: u64) -> CpSwap {
        let net = tao.saturating_sub(fee);
        let actual_fee = tao.saturating_sub(net);
        let alpha = match self.sim(Order::Buy, net) {
            Some(a) => {
                self.alpha_reserve = self.alpha_reserve.saturating_sub(a);
                self.tao_reserve = self.tao_reserve.saturating_add(net);
                a
            }
            None => 0,
        };
        self.tao_reserve = self.tao_reserve.saturating_add(actual_fee);
        CpSwap {
            amount_in: net,
            amount_out: alpha,
            fee: actual_fee,
        }
    }

    /// `unstake_from_subnet`: swap alpha for TAO, then deduct the flat fee from the payout and
    /// keep it in the pool.
    pub fn unstake(&mut self, alpha: u64, fee: u64) -> CpSwap {
        let tao = match self.sim(Order::Sell, alpha) {
            Some(t) => {
                self.alpha_reserve = self.alpha_reserve.saturating_add(alpha);
                self.tao_reserve = self.tao_reserve.saturating_sub(t);
                t
            }
            None => 0,
        };
        let paid = tao.saturating_sub(fee);
        let actual_fee = tao.saturating_sub(paid);
        self.tao_reserve = self.tao_reserve.saturating_add(actual_fee);
        CpSwap {
            amount_in: alpha,
            amount_out: paid,
            fee: actual_fee,
        }
    }

    /// Input (net of fee) that moves the price exactly to `target` on this curve, floored:
    /// buy `√(k·p′) − y`, sell `√(k/p′) − x`. 0 when the target is on the wrong side.
    pub fn max_input_to_price(&self, order: Order, target: U64F64) -> Result<u64, ChainError> {
        let k = u128::from(self.alpha_reserve).saturating_mul(u128::from(self.tao_reserve));
        let bits = target.to_bits();
        if bits == 0 {
            return Ok(match order {
                Order::Buy => 0,
                Order::Sell => u64::MAX,
            });
        }
        // y' = sqrt(k × p') and x' = sqrt(k / p'), with p' = bits / 2^64.
        let kb = super::bigint::BigUint::from_u128(k);
        let r = match order {
            Order::Buy => kb
                .mul(&super::bigint::BigUint::from_u128(bits))
                .shr(64)
                .nth_root_floor(2)
                .saturating_sub(&super::bigint::BigUint::from_u64(self.tao_reserve)),
            Order::Sell => kb
                .shl(64)
                .div_floor(&super::bigint::BigUint::from_u128(bits))
                .nth_root_floor(2)
                .saturating_sub(&super::bigint::BigUint::from_u64(self.alpha_reserve)),
        };
        Ok(r.to_u64().unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stake_keeps_fee_in_pool() {
        let mut p = ConstantProductPool::new(1_000_000_000, 1_000_000_000);
        let r = p.stake(100_050_000, FLAT_FEE);
        assert_eq!(r.amount_in, 100_000_000);
        assert_eq!(r.amount_out, 90_909_090);
        assert_eq!(p.tao_reserve, 1_100_050_000);
    }

    #[test]
    fn floor_refuses() {
        let p = ConstantProductPool::new(20_000_000, 20_000_000);
        assert_eq!(p.sim(Order::Buy, 30_000_000), None);
    }
}
