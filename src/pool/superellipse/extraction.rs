//! Lending floors at the pallet: extraction of globally unreachable reserves, and the largest
//! fee-inclusive buy that fills completely.
//!
//! Port of `Pallet::{extract_unreachable_reserves, maximum_buy_input}` of RaoFoundation/subtensor
//! `pallets/swap/src/pallet/impls.rs` at `61cafd4026c5d64dd5df4e7a7d17fb5575477b12` (index id
//! 71578280550; the lending generation only). Spec `pool-after-425.md` §3.10.

use super::pool::{SuperellipsePool, DYNAMIC_MECHANISM};
use crate::pool::error::ChainError;
use crate::pool::swap::SwapConstants;
use substrate_fixed::types::U64F64;

const OOB: ChainError = ChainError::ReservesOutOfBalance;

impl SuperellipsePool {
    /// `extract_unreachable_reserves(netuid) → (α_taken, τ_taken)` (transactional): initialise
    /// if needed, withdraw `extractable_reserves(α, τ, MinimumReserve)` from the curve, lower the
    /// reserves by the same amounts and add them to `ExtractedReserves`. Price and quotes are
    /// unchanged; a second call takes `(0, 0)`.
    pub fn extract_unreachable_reserves(
        &mut self,
        consts: &SwapConstants,
    ) -> Result<(u64, u64), ChainError> {
        if self.mechanism != DYNAMIC_MECHANISM {
            return Err(ChainError::SubnetNotExists);
        }
        let mut tx = self.clone();
        tx.maybe_initialize(None)?;
        let (alpha, tao) = (tx.alpha_reserve, tx.tao_reserve);
        let mut curve = tx.curve()?;
        let (take_alpha, take_tao) = curve
            .extractable_reserves(alpha, tao, consts.minimum_reserve)
            .map_err(|_| OOB)?;
        curve
            .withdraw_liquidity(take_alpha, take_tao)
            .map_err(|_| OOB)?;
        let active_alpha = alpha
            .checked_sub(take_alpha)
            .ok_or(ChainError::InsufficientLiquidity)?;
        let active_tao = tao
            .checked_sub(take_tao)
            .ok_or(ChainError::InsufficientLiquidity)?;
        curve.price(active_alpha, active_tao).map_err(|_| OOB)?;
        let extracted_alpha = tx.extracted.0.checked_add(take_alpha).ok_or(OOB)?;
        let extracted_tao = tx.extracted.1.checked_add(take_tao).ok_or(OOB)?;
        tx.alpha_reserve = active_alpha;
        tx.tao_reserve = active_tao;
        tx.extracted = (extracted_alpha, extracted_tao);
        tx.curve = Some(curve);
        *self = tx;
        Ok((take_alpha, take_tao))
    }

    /// `maximum_buy_input(netuid)`: the largest gross TAO input that fully fills at the max
    /// explicit limit (`u64::MAX` rao); 0 on any failure, for a non-dynamic pool, an uninitialised
    /// curve, or `FeeRate = 65535`.
    pub fn maximum_buy_input(&self, consts: &SwapConstants) -> u64 {
        self.buy_capacity(consts).unwrap_or(0)
    }

    fn buy_capacity(&self, consts: &SwapConstants) -> Result<u64, ChainError> {
        if self.mechanism != DYNAMIC_MECHANISM {
            return Err(ChainError::SubnetNotExists);
        }
        if self.fee_rate == u16::MAX {
            return Err(OOB);
        }
        let (alpha, tao) = (self.alpha_reserve, self.tao_reserve);
        let curve = self.curve()?;
        let mut net = curve
            .max_buy_input_with_reserve_floor(alpha, tao, consts.minimum_reserve)
            .map_err(|_| OOB)?;
        net = net.min(tao.saturating_mul(consts.max_input_multiplier));
        let limit = U64F64::from_num(u64::MAX)
            .checked_div(U64F64::from_num(1_000_000_000u64))
            .unwrap_or(U64F64::from_bits(0));
        let out = curve.buy_output(alpha, tao, net).map_err(|_| OOB)?;
        let final_price = curve.price(
            alpha
                .checked_sub(out)
                .ok_or(ChainError::InsufficientLiquidity)?,
            tao.checked_add(net).ok_or(OOB)?,
        );
        if final_price.map_or(true, |p| p > limit) {
            net = net.min(
                curve
                    .quote_delta_to_price(alpha, tao, limit)
                    .map_err(|_| OOB)?,
            );
        }
        if net == 0 || curve.buy_output(alpha, tao, net).map_err(|_| OOB)? == 0 {
            return Ok(0);
        }
        // gross − fee(gross) is monotone: bisect on the exact execution fee routine.
        let mut low = net;
        let mut high = u64::MAX;
        while low < high {
            let span = high.checked_sub(low).ok_or(OOB)?;
            let mid = low.checked_add(span.div_ceil(2)).ok_or(OOB)?;
            let fee = self.fee_for(mid, false);
            if mid.checked_sub(fee).ok_or(OOB)? <= net {
                low = mid;
            } else {
                high = mid.checked_sub(1).ok_or(OOB)?;
            }
        }
        Ok(low)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn extraction_is_idempotent() {
        let consts = SwapConstants {
            minimum_reserve: 1,
            max_input_multiplier: 1_000,
        };
        let mut p = SuperellipsePool::new(203_305_249_479_705, 2_880_603_110_475_064);
        let price = {
            let mut q = p.clone();
            q.maybe_initialize(None).unwrap();
            q.current_price()
        };
        let take = p.extract_unreachable_reserves(&consts).unwrap();
        assert_eq!(take, (1_687_418_234_302_168, 119_093_457_843_564));
        assert_eq!(p.current_price(), price);
        assert_eq!(p.extract_unreachable_reserves(&consts).unwrap(), (0, 0));
        p.fee_rate = 0;
        assert_eq!(p.maximum_buy_input(&consts), 203_305_249_478_604);
    }
}
