//! What the coinbase needs from a subnet's swap pool, as a trait, plus a built-in implementation.
//!
//! The real pools live in `crate::pool` (weighted balancer, Uniswap-v3, constant product). The
//! coinbase only needs: the spot price, fee-free TAO→alpha / alpha→TAO swaps without a price
//! limit (chain buys, root claims), and the liquidity-injection weight update. [`SubnetPool`]
//! captures exactly that, so any pool era can drive the emission pipeline.
//!
//! [`BalancerPool`] is the built-in implementation: the current weighted balancer
//! (`pallets/swap/src/pallet/balancer.rs`, swap step of `swap_step.rs`, subtensor @ 14bc6f9; spec
//! `emission-and-pools.md` §11) for one subnet, plus the stable mechanism (root / mechanism 0:
//! 1 alpha = 1 TAO). It is bit-exact where safe-bigmath's `pow_ratio_scaled` takes its exact
//! path for the reduced exponent 1/1, i.e. whenever the two weights are equal (every pool of the
//! test mock, `balancer_quote_weight` 0.5). For unequal weights it uses a ~1e-15-accurate ln/exp
//! in place of safe-bigmath's series, so swap outputs may differ from the chain by a few units.

use super::math::{div64, mul_div_floor, mul_div_round, pow_ratio_scaled_approx};
use substrate_fixed::types::U64F64;

/// 10^18: Perquintill accuracy, and the scale of the balancer's exponent results.
pub const PERQUINTILL: u64 = 1_000_000_000_000_000_000;
/// Lowest allowed balancer weight (0.01).
pub const MIN_WEIGHT_PARTS: u64 = PERQUINTILL / 100;
/// Input cap: the net input of one swap may be at most this many times the input reserve.
pub const MAX_SWAP_INPUT_RESERVE_MULTIPLIER: u64 = 1_000;
/// Default max limit price in rao per alpha (10^6 TAO per alpha).
pub const MAX_PRICE_RAO: u64 = 1_000_000_000_000_000;
/// Default min limit price in rao per alpha (10^-6 TAO per alpha).
pub const MIN_PRICE_RAO: u64 = 1_000;

/// Why a swap was refused (the swap pallet's error names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SwapError {
    /// Net input above `MAX_SWAP_INPUT_RESERVE_MULTIPLIER` × the input reserve.
    SwapInputTooLarge,
    /// Output reserve below `MinimumReserve`, or a positive input that buys nothing.
    ReservesTooLow,
    /// The current price is already on the wrong side of the limit.
    PriceLimitExceeded,
    /// The output would exceed the output reserve.
    InsufficientLiquidity,
}

/// Result of one swap, in the swap pallet's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SwapOutcome {
    /// Input that entered the pool reserve (net of the fee).
    pub amount_paid_in: u64,
    /// Output taken from the pool.
    pub amount_paid_out: u64,
    /// Fee charged on the input token.
    pub fee_paid: u64,
    /// Part of the fee owed to the block author (all of it under the current rules).
    pub fee_to_block_author: u64,
}

/// The pool operations the emission pipeline needs. Reserves live in the pool.
pub trait SubnetPool {
    /// TAO reserve (`SubnetTAO`).
    fn tao_reserve(&self) -> u64;
    /// Alpha reserve (`SubnetAlphaIn`).
    fn alpha_reserve(&self) -> u64;
    /// Spot price in TAO per alpha (`current_alpha_price`, U64F64). 1 for stable pools.
    fn price(&self) -> U64F64;
    /// Whether this is a stable (root / mechanism-0) pool: 1:1, no fee, no price impact.
    fn is_stable(&self) -> bool;
    /// Buy alpha with `tao` at no price limit; reserves are updated (TAO in, alpha out).
    fn swap_tao_for_alpha(&mut self, tao: u64, drop_fees: bool) -> Result<SwapOutcome, SwapError>;
    /// Sell `alpha` for TAO at no price limit; reserves are updated (alpha in, TAO out).
    fn swap_alpha_for_tao(&mut self, alpha: u64, drop_fees: bool)
        -> Result<SwapOutcome, SwapError>;
    /// Prepare a protocol deposit of `(tao, alpha)`: update whatever pool state keeps the price
    /// (balancer weights) and return `false` when the pool refuses it. Reserves are not changed.
    fn prepare_injection(&mut self, tao: u64, alpha: u64) -> bool;
    /// Add `tao` / `alpha` to the reserves (after [`SubnetPool::prepare_injection`] accepted them).
    fn deposit(&mut self, tao: u64, alpha: u64);
}

/// The built-in pool: a weighted balancer (dynamic subnets) or the stable 1:1 mechanism.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BalancerPool {
    /// `SubnetMechanism`: 0 = stable, 1 = dynamic (balancer).
    pub mechanism: u16,
    /// TAO reserve, rao.
    pub tao: u64,
    /// Alpha reserve, alpha-rao.
    pub alpha: u64,
    /// Quote (TAO) weight in Perquintill parts (10^18 = 1). Default 0.5.
    pub quote_weight: u64,
    /// `FeeRate` (u16, fee = rate / 65535 of the input).
    pub fee_rate: u16,
    /// `MinimumReserve` of the output side.
    pub minimum_reserve: u64,
}

impl BalancerPool {
    /// A dynamic pool with weights 0.5/0.5, the mock's fee rate 33 and minimum reserve 100.
    pub fn dynamic(tao: u64, alpha: u64) -> Self {
        BalancerPool {
            mechanism: 1,
            tao,
            alpha,
            quote_weight: PERQUINTILL / 2,
            fee_rate: 33,
            minimum_reserve: 100,
        }
    }

    /// A stable (mechanism 0) pool.
    pub fn stable(tao: u64, alpha: u64) -> Self {
        BalancerPool {
            mechanism: 0,
            ..Self::dynamic(tao, alpha)
        }
    }

    fn base_weight(&self) -> u64 {
        PERQUINTILL.saturating_sub(self.quote_weight)
    }

    /// `Balancer::calculate_price(x, y)`: `(w1/w2) * (y/x)`, each factor a U64F64 division.
    pub fn price_at(&self, alpha: u64, tao: u64) -> U64F64 {
        let w1 = U64F64::saturating_from_num(self.base_weight());
        let w2 = U64F64::saturating_from_num(self.quote_weight);
        div64(w1, w2).saturating_mul(div64(
            U64F64::saturating_from_num(tao),
            U64F64::saturating_from_num(alpha),
        ))
    }

    /// `exp_scaled(x, dx, base_quote)`: `(x / (x + dx))^(w1/w2)` (`base_quote`) or `^(w2/w1)`,
    /// as `floor(result * 10^18) / 10^18` in U64F64; 0 when the scaled result is not a u64.
    fn exp_scaled(&self, x: u64, dx: u64, base_quote: bool) -> U64F64 {
        let x_plus = x.saturating_add(dx);
        if x_plus == 0 {
            return U64F64::from_num(0);
        }
        let (w1, w2) = (
            u128::from(self.base_weight()),
            u128::from(self.quote_weight),
        );
        let (e_num, e_den) = if base_quote { (w1, w2) } else { (w2, w1) };
        let scaled = pow_ratio_scaled(
            u128::from(x),
            u128::from(x_plus),
            e_num,
            e_den,
            u128::from(PERQUINTILL),
        );
        match scaled.and_then(|v| u64::try_from(v).ok()) {
            Some(v) => div64(
                U64F64::saturating_from_num(v),
                U64F64::saturating_from_num(PERQUINTILL),
            ),
            None => U64F64::from_num(0),
        }
    }

    fn fee(&self, amount: u64, drop_fees: bool) -> u64 {
        if drop_fees {
            return 0;
        }
        let rate = div64(
            U64F64::saturating_from_num(self.fee_rate),
            U64F64::saturating_from_num(u16::MAX),
        );
        U64F64::saturating_from_num(amount)
            .saturating_mul(rate)
            .saturating_to_num::<u64>()
    }

    /// Alpha out for a net TAO input (the buy step's `convert_deltas`).
    pub fn alpha_out_for(&self, tao_in: u64) -> u64 {
        if tao_in == 0 {
            return 0;
        }
        let e = self.exp_scaled(self.tao, tao_in, false);
        let one = U64F64::from_num(1);
        U64F64::saturating_from_num(self.alpha)
            .saturating_mul(one.saturating_sub(e))
            .saturating_to_num::<u64>()
    }

    /// TAO out for a net alpha input (the sell step's `convert_deltas`).
    pub fn tao_out_for(&self, alpha_in: u64) -> u64 {
        if alpha_in == 0 {
            return 0;
        }
        let e = self.exp_scaled(self.alpha, alpha_in, true);
        let one = U64F64::from_num(1);
        U64F64::saturating_from_num(self.tao)
            .saturating_mul(one.saturating_sub(e))
            .saturating_to_num::<u64>()
    }
}

/// `floor(scale * (num/den)^(e_num/e_den))`: exact for a reduced exponent of 1/1, otherwise the
/// approximation of [`pow_ratio_scaled_approx`].
fn pow_ratio_scaled(num: u128, den: u128, e_num: u128, e_den: u128, scale: u128) -> Option<u128> {
    let g = gcd(e_num, e_den);
    if g == 0 {
        return None;
    }
    let (n, d) = (e_num.checked_div(g)?, e_den.checked_div(g)?);
    if n == 1 && d == 1 {
        return mul_div_floor(num, scale, den);
    }
    pow_ratio_scaled_approx(num, den, n, d, scale)
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while let Some(t) = a.checked_rem(b) {
        a = b;
        b = t;
    }
    a
}

impl SubnetPool for BalancerPool {
    fn tao_reserve(&self) -> u64 {
        self.tao
    }

    fn alpha_reserve(&self) -> u64 {
        self.alpha
    }

    fn price(&self) -> U64F64 {
        if self.is_stable() {
            return U64F64::from_num(1);
        }
        self.price_at(self.alpha, self.tao)
    }

    fn is_stable(&self) -> bool {
        self.mechanism != 1
    }

    fn swap_tao_for_alpha(&mut self, tao: u64, drop_fees: bool) -> Result<SwapOutcome, SwapError> {
        if self.is_stable() {
            // Stable mechanism: 1:1; the chain's reserve decrease saturates at zero.
            self.tao = self.tao.saturating_add(tao);
            self.alpha = self.alpha.saturating_sub(tao);
            return Ok(SwapOutcome {
                amount_paid_in: tao,
                amount_paid_out: tao,
                fee_paid: 0,
                fee_to_block_author: 0,
            });
        }
        let fee = self.fee(tao, drop_fees);
        let net = tao.saturating_sub(fee);
        if net > self.tao.saturating_mul(MAX_SWAP_INPUT_RESERVE_MULTIPLIER) {
            return Err(SwapError::SwapInputTooLarge);
        }
        if self.alpha < self.minimum_reserve {
            return Err(SwapError::ReservesTooLow);
        }
        let limit = div64(
            U64F64::saturating_from_num(MAX_PRICE_RAO),
            U64F64::saturating_from_num(1_000_000_000u64),
        );
        if self.price() >= limit {
            return Err(SwapError::PriceLimitExceeded);
        }
        let out = self.alpha_out_for(net);
        if net > 0 && out == 0 {
            return Err(SwapError::ReservesTooLow);
        }
        if out > self.alpha {
            return Err(SwapError::InsufficientLiquidity);
        }
        self.tao = self.tao.saturating_add(net);
        self.alpha = self.alpha.saturating_sub(out);
        Ok(SwapOutcome {
            amount_paid_in: net,
            amount_paid_out: out,
            fee_paid: fee,
            fee_to_block_author: if net > 0 { fee } else { 0 },
        })
    }

    fn swap_alpha_for_tao(
        &mut self,
        alpha: u64,
        drop_fees: bool,
    ) -> Result<SwapOutcome, SwapError> {
        if self.is_stable() {
            self.alpha = self.alpha.saturating_add(alpha);
            self.tao = self.tao.saturating_sub(alpha);
            return Ok(SwapOutcome {
                amount_paid_in: alpha,
                amount_paid_out: alpha,
                fee_paid: 0,
                fee_to_block_author: 0,
            });
        }
        let fee = self.fee(alpha, drop_fees);
        let net = alpha.saturating_sub(fee);
        if net > self.alpha.saturating_mul(MAX_SWAP_INPUT_RESERVE_MULTIPLIER) {
            return Err(SwapError::SwapInputTooLarge);
        }
        if self.tao < self.minimum_reserve {
            return Err(SwapError::ReservesTooLow);
        }
        let limit = div64(
            U64F64::saturating_from_num(MIN_PRICE_RAO),
            U64F64::saturating_from_num(1_000_000_000u64),
        );
        if self.price() <= limit {
            return Err(SwapError::PriceLimitExceeded);
        }
        // The sell runs to the default minimum price at worst; with that limit far below any
        // realistic pool price the full input executes.
        let out = self.tao_out_for(net);
        if net > 0 && out == 0 {
            return Err(SwapError::ReservesTooLow);
        }
        if out > self.tao {
            return Err(SwapError::InsufficientLiquidity);
        }
        self.alpha = self.alpha.saturating_add(net);
        self.tao = self.tao.saturating_sub(out);
        Ok(SwapOutcome {
            amount_paid_in: net,
            amount_paid_out: out,
            fee_paid: fee,
            fee_to_block_author: if net > 0 { fee } else { 0 },
        })
    }

    fn prepare_injection(&mut self, tao: u64, alpha: u64) -> bool {
        if self.is_stable() {
            return true;
        }
        // `update_weights_for_added_liquidity` (§11.6).
        let y = u128::from(self.tao);
        let x = u128::from(self.alpha);
        let new_y = y.saturating_add(u128::from(tao));
        let new_x = x.saturating_add(u128::from(alpha));
        let acc = u128::from(PERQUINTILL);
        let q1 = mul_div_round(y.saturating_mul(new_x), u128::from(self.base_weight()), acc);
        let q2 = mul_div_round(x.saturating_mul(new_y), u128::from(self.quote_weight), acc);
        let sum = q1.saturating_add(q2);
        let new_quote = if sum != 0 {
            // Perquintill::from_rational(q2, sum), rounded down.
            mul_div_floor(q2, acc, sum)
                .map_or(PERQUINTILL, |v| u64::try_from(v).unwrap_or(PERQUINTILL))
        } else {
            PERQUINTILL / 2
        };
        let new_base = PERQUINTILL.saturating_sub(new_quote);
        if new_base < MIN_WEIGHT_PARTS || new_quote < MIN_WEIGHT_PARTS {
            return false;
        }
        self.quote_weight = new_quote;
        true
    }

    fn deposit(&mut self, tao: u64, alpha: u64) {
        self.tao = self.tao.saturating_add(tao);
        self.alpha = self.alpha.saturating_add(alpha);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_price_is_reserve_ratio() {
        let p = BalancerPool::dynamic(2_000_000, 1_000_000);
        assert_eq!(p.price(), U64F64::from_num(2));
        assert_eq!(BalancerPool::stable(5, 7).price(), U64F64::from_num(1));
    }

    #[test]
    fn equal_weight_buy_is_constant_product_floor() {
        let mut p = BalancerPool::dynamic(1_000_000_000, 1_000_000_000);
        let r = p.swap_tao_for_alpha(1_000_000, true).unwrap_or_default();
        // x*dy/(y+dy) = 999000.999.. with the 1e18-scaled exponent floor.
        assert_eq!(r.amount_paid_out, 999_000);
        assert_eq!(p.tao, 1_001_000_000);
        assert_eq!(p.alpha, 1_000_000_000 - 999_000);
    }

    #[test]
    fn proportional_injection_keeps_weights() {
        let mut p = BalancerPool::dynamic(1_000_000, 2_000_000);
        assert!(p.prepare_injection(500, 1_000));
        assert_eq!(p.quote_weight, PERQUINTILL / 2);
        assert!(p.prepare_injection(500, 999));
        assert_ne!(p.quote_weight, PERQUINTILL / 2);
    }
}
