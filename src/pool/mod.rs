//! dTAO subnet pools in all three eras (weighted balancer, Uniswap-v3, constant product): price,
//! swap step, fees and limits (spec `emission-and-pools.md` §11 and §17.1).
//!
//! * [`balancer`], [`swap`]: the current weighted pool (since 2026-06-25) and its swap step.
//! * [`fees`]: AMM fee bound and native transaction fees (recycled from v444, halved from 467).
//! * [`reservoir`]: the reservoirs of protocol liquidity (spec `pool-after-425.md` §2).
//! * [`pow`], [`pow_fast`], [`pow_bracket`], [`bigint`], [`perquintill`]: the exact integer and
//!   fixed-point maths under it (the stack-integer series in `pow_fast`, the heap one in `pow`,
//!   and the proven 128-bit bracket that decides most series results without running them).
//! * [`v3`]: the Uniswap-v3 concentrated-liquidity pool (2025-06-30 … 2026-06-25).
//! * [`superellipse`]: the superellipse AMM, the next era (index-only code at spec 473; selected
//!   only when asked for).
//! * [`cp`]: the constant-product pool of the dTAO launch (2025-02-13 … 2025-06-30).
//! * [`batch`], [`lanes`]: many quotes at once, with the fixed-point products in SIMD lanes.
//! * [`quote`]: quotes for people in any era: output, fee, effective price, impact, slippage
//!   curves, the amount for a target price, round trips.
//! * [`era`]: the [`era::PoolModel`] trait over all eras and era selection by date, block or
//!   runtime version, so a simulator can replay history.
//!
//! Everything is plain integer/fixed-point arithmetic matching the chain bit for bit.

pub mod balancer;
pub mod batch;
pub mod bigint;
pub mod cp;
pub mod era;
pub mod error;
pub mod fees;
pub mod lanes;
pub mod perquintill;
pub mod pow;
pub mod pow_bracket;
pub mod pow_fast;
pub mod quote;
pub mod reservoir;
pub mod superellipse;
pub mod swap;
pub mod v3;

pub use balancer::{Balancer, SwapGuards};
pub use era::{AnyPool, EraSchedule, PoolEra, PoolModel};
pub use error::ChainError;
pub use perquintill::Perquintill;
pub use superellipse::SuperellipsePool;
pub use swap::{BalancerPool, Executed, Order, SwapConstants, SwapResult};
