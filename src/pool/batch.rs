//! Batch quoting against one weighted pool: the output of many amounts at the default limit
//! price, structure-of-arrays so the fixed-point products around the exponentiation run in SIMD
//! lanes ([`super::lanes`]).
//!
//! Each output is bit-identical to [`BalancerPool::quote_swap`] of the same amount at the chain's
//! default limit (`max_price` for buys, `min_price` for sells), i.e. to what
//! `pallets/swap/src/pallet/impls.rs` (`sim_swap`, commit 14bc6f9) reports as `amount_paid_out`.
//! Amounts the fast path cannot settle on its own (zero, above the input cap, stopped by the
//! limit, output 0) go through `quote_swap` one by one; a failed swap gives 0.

use super::balancer::{fx, one, safe_div};
use super::lanes::{mulhi_many, scale_many, Lanes};
use super::swap::{
    limit_from_rao, BalancerPool, Order, SwapConstants, MAX_PRICE_RAO, MIN_PRICE_RAO,
};
use super::ChainError;

/// Outputs for `amounts` into `outputs` (one slot per amount; extra slots are left alone).
/// `Err` only for a pool that cannot quote at all: an empty pool (`ReservesTooLow`) or an
/// output reserve under the minimum.
pub fn quote_outputs(
    pool: &BalancerPool,
    order: Order,
    amounts: &[u64],
    outputs: &mut [u64],
    lanes: Lanes,
    consts: &SwapConstants,
) -> Result<(), ChainError> {
    let (reserve_in, reserve_out, base_quote, limit) = match order {
        Order::Buy => (
            pool.tao_reserve,
            pool.alpha_reserve,
            false,
            limit_from_rao(MAX_PRICE_RAO),
        ),
        Order::Sell => (
            pool.alpha_reserve,
            pool.tao_reserve,
            true,
            limit_from_rao(MIN_PRICE_RAO),
        ),
    };
    if reserve_in == 0 || reserve_out == 0 || reserve_out < consts.minimum_reserve {
        return Err(ChainError::ReservesTooLow);
    }
    let n = amounts.len().min(outputs.len());
    let single = |amount: u64| {
        pool.quote_swap(order, amount, limit, false, true, consts)
            .map_or(0, |r| r.amount_paid_out)
    };
    let rate = safe_div(fx(u64::from(pool.fee_rate)), fx(u64::from(u16::MAX))).to_bits();
    let (Some(prepared), Ok(rate_bits)) = (
        pool.weights.exp_prepared(reserve_in, base_quote),
        u64::try_from(rate),
    ) else {
        for (o, &a) in outputs.iter_mut().zip(amounts) {
            *o = single(a);
        }
        return Ok(());
    };
    let before = pool.price();
    let beyond = match order {
        Order::Buy => before < limit,
        Order::Sell => before > limit,
    };
    let amounts = amounts.get(..n).unwrap_or(&[]);
    // Stage 1 (lanes): fees.
    let mut fees = vec![0u64; n];
    mulhi_many(lanes, amounts, rate_bits, &mut fees);
    // Stage 2 (scalar): the exponentiation, `1 − e` split into 64-bit halves.
    let cap = reserve_in.saturating_mul(consts.max_input_multiplier);
    let mut lo = vec![0u64; n];
    let mut hi = vec![0u64; n];
    let mut slow = vec![false; n];
    for (i, (&amount, &fee)) in amounts.iter().zip(&fees).enumerate() {
        let net = amount.saturating_sub(fee);
        let (Some(l), Some(h), Some(s)) = (lo.get_mut(i), hi.get_mut(i), slow.get_mut(i)) else {
            continue;
        };
        if amount == 0 || net > cap || !beyond {
            *s = true;
            continue;
        }
        let f = one()
            .saturating_sub(pool.weights.exp_with(&prepared, reserve_in, net))
            .to_bits();
        *l = f as u64;
        *h = (f >> 64) as u64;
    }
    // Stage 3 (lanes): `floor(reserve_out × (1 − e))`.
    let mut got = vec![0u64; n];
    scale_many(lanes, reserve_out, &lo, &hi, &mut got);
    // Stage 4 (scalar): the limit check, and the general path where the fast one does not apply.
    for (i, (o, &amount)) in outputs.iter_mut().zip(amounts).enumerate() {
        let (fee, out, s) = (
            fees.get(i).copied().unwrap_or(0),
            got.get(i).copied().unwrap_or(0),
            slow.get(i).copied().unwrap_or(true),
        );
        let net = amount.saturating_sub(fee);
        let fast = !s && out > 0 && {
            let mut after = *pool;
            match order {
                Order::Buy => {
                    after.tao_reserve = after.tao_reserve.saturating_add(net);
                    after.alpha_reserve = after.alpha_reserve.saturating_sub(out);
                }
                Order::Sell => {
                    after.alpha_reserve = after.alpha_reserve.saturating_add(net);
                    after.tao_reserve = after.tao_reserve.saturating_sub(out);
                }
            }
            let p = after.price();
            match order {
                Order::Buy => p <= limit,
                Order::Sell => p >= limit,
            }
        };
        *o = if fast { out } else { single(amount) };
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::perquintill::Perquintill;
    use crate::pool::Balancer;

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn simd_scalar_and_single_agree() {
        let consts = SwapConstants::default();
        let mut s = 0x2545_f491_4f6c_dd1d;
        for round in 0..12 {
            let tao = 1_000_000 + rng(&mut s) % 50_000_000_000_000;
            let alpha = 1_000_000 + rng(&mut s) % 5_000_000_000_000_000;
            let mut pool = BalancerPool::new(tao, alpha);
            if round % 2 == 1 {
                let w = 10_000_000_000_000_000 + rng(&mut s) % 980_000_000_000_000_000;
                pool.weights = Balancer::new(Perquintill::from_parts(w)).unwrap();
            }
            pool.fee_rate = (rng(&mut s) % 700) as u16;
            let amounts: Vec<u64> = (0..9)
                .map(|i| match i {
                    0 => 0,
                    1 => u64::MAX,
                    _ => rng(&mut s) >> (20 + rng(&mut s) % 40),
                })
                .collect();
            for order in [Order::Buy, Order::Sell] {
                let mut a = vec![7; amounts.len()];
                let mut b = vec![9; amounts.len()];
                quote_outputs(&pool, order, &amounts, &mut a, Lanes::Simd, &consts).unwrap();
                quote_outputs(&pool, order, &amounts, &mut b, Lanes::Scalar, &consts).unwrap();
                assert_eq!(a, b, "round {round}");
                let limit = match order {
                    Order::Buy => limit_from_rao(MAX_PRICE_RAO),
                    Order::Sell => limit_from_rao(MIN_PRICE_RAO),
                };
                for (&amt, &out) in amounts.iter().zip(&a) {
                    let want = pool
                        .quote_swap(order, amt, limit, false, true, &consts)
                        .map_or(0, |r| r.amount_paid_out);
                    assert_eq!(out, want, "round {round} {order:?} {amt}");
                }
            }
        }
    }

    #[test]
    fn empty_pool_is_an_error() {
        let consts = SwapConstants::default();
        let mut out = [0u64; 2];
        let r = quote_outputs(
            &BalancerPool::new(0, 10),
            Order::Buy,
            &[1, 2],
            &mut out,
            Lanes::Simd,
            &consts,
        );
        assert_eq!(r, Err(ChainError::ReservesTooLow));
    }
}
