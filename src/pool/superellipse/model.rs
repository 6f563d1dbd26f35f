//! The superellipse as a [`PoolModel`], so simulators can switch to it as the next pool era.
//!
//! Spec `pool-after-425.md` §3.7–§3.8 and §7.1 (the era applies only where the runtime
//! metadata has `Swap.SwapSuperellipse`; the caller decides).

use super::pool::SuperellipsePool;
use crate::pool::era::{PoolEra, PoolModel};
use crate::pool::error::ChainError;
use crate::pool::swap::{Order, SwapConstants, SwapResult};
use substrate_fixed::types::U64F64;

impl PoolModel for SuperellipsePool {
    fn era(&self) -> PoolEra {
        PoolEra::Superellipse
    }
    fn price(&self) -> U64F64 {
        self.current_price()
    }
    fn reserves(&self) -> (u64, u64) {
        (self.tao_reserve, self.alpha_reserve)
    }
    fn quote_with_price(
        &self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<(SwapResult, U64F64), ChainError> {
        let mut after = self.clone();
        let r = after.do_swap(order, amount, limit, drop_fees, false, consts)?;
        after.apply(order, &r);
        Ok((r, after.current_price()))
    }
    fn swap(
        &mut self,
        order: Order,
        amount: u64,
        limit: U64F64,
        drop_fees: bool,
        consts: &SwapConstants,
    ) -> Result<SwapResult, ChainError> {
        let r = self.do_swap(order, amount, limit, drop_fees, false, consts)?;
        self.apply(order, &r);
        Ok(r)
    }
    fn inject(&mut self, tao: u64, alpha: u64) -> (u64, u64) {
        SuperellipsePool::inject(self, tao, alpha)
    }
}
