//! Quotes for people: what a stake or unstake of some amount gives, what it costs, and how the
//! output bends with size, in any pool era, computed with the chain's exact swap (§11.5) so a
//! quote is what the chain would execute in the same state. Pure: no pool changes.
//!
//! * [`report`]: what a quote reports ([`Quote`], [`CurvePoint`], [`RoundTrip`]) and the checks
//!   and curve sampling every quote shares.
//! * [`weighted`]: the current weighted pool, with the batch paths (many amounts, many pools),
//!   the amount for a target price and round trips.
//! * [`eras`]: the same in every era ([`EraSelect`] picks one by name, block or runtime
//!   version), and outputs through the SIMD batch kernel.
//!
//! Errors name the offending input as a request names it (`amount`, `maxAmount`, `limitPrice`,
//! `targetPrice`, `pool`, `points`, `schedule`).

pub mod eras;
pub mod report;
pub mod weighted;

pub use eras::{
    outputs, pool_in_era, quote_in_era, quote_model, round_trip_in_era, slippage_curve_in_era,
    EraSelect,
};
pub use report::{
    amount_from_i128, check_amount, check_liquidity, curve_points, sample_amounts, CurvePoint,
    Quote, RoundTrip, CURVE_POINTS_DEFAULT, CURVE_POINTS_MAX,
};
pub use weighted::{
    amount_for_price, outputs_for_amounts, quote, quote_amounts, quote_pools, round_trip,
    slippage_curve, weighted_pool,
};
