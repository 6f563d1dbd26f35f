//! Realized APY of a validator from chain history: what its stake actually earned over recent
//! epochs, next to the projection of [`super::returns`].
//!
//! The definition is TaoYield's APY calculator (github.com/TaoYield/apy-calculator, MIT), restated
//! in `shared/fixtures/returns/README.md`; the golden files there (subnet: upstream
//! `tests/data/calc_args_subnet_20251117_103000.json` @ f737269, root:
//! `tests/data/calc_args_root_20251116_112601.json` @ c9858dc) are reproduced by the tests in
//! `tests/realized_apy.rs`. The calculator works in `f64` and so does this module: the inputs are
//! decoded chain values (alpha and TAO as floats), not protocol state.
//!
//! * Subnet validator ([`subnet_validator_apy`]): per epoch event the yield is
//!   `AlphaDividendsPerSubnet / alpha stake`; events with no dividend are dropped silently,
//!   events that fail the stake filter (or have no stake) count as skipped.
//! * Root validator, root-claim era up to spec 440 ([`root_validator_apy`]): per event the growth of
//!   `RootClaimable[hotkey][netuid]` since the previous observation of that netuid (negative → 0),
//!   times the subnet's price, is the epoch yield.
//!
//! Both compound `Π(1 + yield) − 1` and annualise `((1 + period)^(31 536 000 / seconds) − 1) × 100`.

use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;

/// Seconds in the calculator's year (365 days).
pub const SECONDS_PER_YEAR: f64 = 31_536_000.0;
/// Minimum stake (TAO-weighted, in TAO or alpha) of the stake filter.
pub const MIN_VALIDATOR_STAKE: f64 = 4000.0;
/// Minimum alpha stake of the subnet filter.
pub const MIN_ALPHA_STAKE: f64 = 10.0;

/// One subnet epoch of a validator hotkey (decoded chain values, floats in alpha / TAO).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SubnetEpoch {
    /// `AlphaDividendsPerSubnet[netuid, hotkey]` at the epoch, alpha (`alpha_div_raw`).
    pub alpha_div_raw: f64,
    /// The hotkey's alpha stake on the subnet (`subnet_alpha_stake`).
    pub subnet_alpha_stake: f64,
    /// The hotkey's root stake, TAO (`root_stake_tao`).
    pub root_stake_tao: f64,
    /// `TaoWeight` as a fraction (`tao_weight_param`).
    pub tao_weight_param: f64,
    /// Inherited root stake, TAO.
    pub inh_root_stake: f64,
    /// Inherited alpha stake.
    pub inh_subnet_stake: f64,
}

/// Realized APY of a subnet validator.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SubnetApy {
    /// Annualised yield, percent.
    pub apy_percent: f64,
    /// Sum of the dividends used, alpha.
    pub divs_sum_alpha: f64,
    /// Compounded yield over the window.
    pub period_yield: f64,
    /// Events with a dividend that failed the stake filter or had no stake.
    pub skipped: u32,
}

/// One root-claim observation (an epoch event on `netuid`).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RootEpoch {
    /// The subnet whose epoch this is.
    pub netuid: u16,
    /// `RootClaimable[hotkey][netuid]` after the epoch (alpha per TAO of root stake); `None` when
    /// not observed (growth 0, the previous observation stays).
    pub claimable: Option<f64>,
    /// The hotkey's root stake in rao (as a float; −1 marks a failed query).
    pub stake_rao: f64,
    /// The subnet's price, TAO per alpha.
    pub price_tao_per_alpha: f64,
}

/// Realized APY of a root validator.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RootApy {
    /// Annualised yield, percent.
    pub apy: f64,
    /// Sum of the epoch dividends, TAO.
    pub total_dividends_tao: f64,
    /// Compounded yield over the window.
    pub period_yield: f64,
    /// Events skipped (no or failed stake, stake below the filter, no price).
    pub skipped: u32,
}

fn check_interval(seconds: f64) -> Result<()> {
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "actual_interval_seconds",
            "the window must be a positive, finite number of seconds",
        ));
    }
    Ok(())
}

/// `((1 + period)^(year / seconds) − 1) × 100`.
pub fn annualise_percent(period_yield: f64, interval_seconds: f64) -> f64 {
    ((1.0 + period_yield).powf(SECONDS_PER_YEAR / interval_seconds) - 1.0) * 100.0
}

/// Whether a subnet epoch fails the stake filter.
fn fails_subnet_filter(e: &SubnetEpoch) -> bool {
    let own = e.root_stake_tao * e.tao_weight_param + e.subnet_alpha_stake;
    let inherited = e.inh_root_stake * e.tao_weight_param + e.inh_subnet_stake;
    e.subnet_alpha_stake < MIN_ALPHA_STAKE
        || (own < MIN_VALIDATOR_STAKE && inherited < MIN_VALIDATOR_STAKE)
}

/// Realized APY of a subnet validator over `epochs` spanning `interval_seconds`.
/// `no_filters` turns the stake filter off (events without stake are still skipped).
pub fn subnet_validator_apy(
    epochs: &[SubnetEpoch],
    interval_seconds: f64,
    no_filters: bool,
) -> Result<SubnetApy> {
    check_interval(interval_seconds)?;
    let mut growth = 1.0f64;
    let mut divs = 0.0f64;
    let mut skipped = 0u32;
    for e in epochs {
        if e.alpha_div_raw == 0.0 {
            continue;
        }
        if (!no_filters && fails_subnet_filter(e)) || e.subnet_alpha_stake <= 0.0 {
            skipped = skipped.saturating_add(1);
            continue;
        }
        growth *= 1.0 + e.alpha_div_raw / e.subnet_alpha_stake;
        divs += e.alpha_div_raw;
    }
    let period_yield = growth - 1.0;
    Ok(SubnetApy {
        apy_percent: annualise_percent(period_yield, interval_seconds),
        divs_sum_alpha: divs,
        period_yield,
        skipped,
    })
}

/// Realized APY of a root validator in the root-claim era. `baseline` holds the claimable value
/// of each netuid before the first event (a netuid missing there starts from 0).
pub fn root_validator_apy(
    epochs: &[RootEpoch],
    baseline: &BTreeMap<u16, f64>,
    interval_seconds: f64,
    no_filters: bool,
) -> Result<RootApy> {
    check_interval(interval_seconds)?;
    let mut last = baseline.clone();
    let mut growth = 1.0f64;
    let mut total = 0.0f64;
    let mut skipped = 0u32;
    for e in epochs {
        let g = match e.claimable {
            Some(now) => {
                let prev = last.insert(e.netuid, now).unwrap_or(0.0);
                (now - prev).max(0.0)
            }
            None => 0.0,
        };
        let stake_tao = e.stake_rao / 1e9;
        let failed = e.stake_rao <= 0.0
            || (!no_filters && stake_tao < MIN_VALIDATOR_STAKE)
            || e.price_tao_per_alpha <= 0.0;
        if failed {
            skipped = skipped.saturating_add(1);
            continue;
        }
        growth *= 1.0 + g * e.price_tao_per_alpha;
        total += g * stake_tao * e.price_tao_per_alpha;
    }
    let period_yield = growth - 1.0;
    Ok(RootApy {
        apy: annualise_percent(period_yield, interval_seconds),
        total_dividends_tao: total,
        period_yield,
        skipped,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ep(div: f64, alpha: f64, root: f64) -> SubnetEpoch {
        SubnetEpoch {
            alpha_div_raw: div,
            subnet_alpha_stake: alpha,
            root_stake_tao: root,
            tao_weight_param: 0.18,
            inh_root_stake: 0.0,
            inh_subnet_stake: 0.0,
        }
    }

    #[test]
    fn zero_dividends_are_not_skipped_and_small_stakes_are() {
        let r = subnet_validator_apy(
            &[
                ep(0.0, 1e6, 0.0),
                ep(1.0, 5.0, 0.0),
                ep(10.0, 10_000.0, 0.0),
            ],
            86_400.0,
            false,
        )
        .unwrap();
        assert_eq!(r.skipped, 1);
        assert_eq!(r.divs_sum_alpha, 10.0);
        assert!((r.period_yield - 0.001).abs() < 1e-15);
        let no = subnet_validator_apy(&[ep(1.0, 5.0, 0.0)], 86_400.0, true).unwrap();
        assert_eq!(no.skipped, 0);
        assert!((no.period_yield - 0.2).abs() < 1e-15);
    }

    #[test]
    fn root_growth_is_per_netuid_and_never_negative() {
        let base = BTreeMap::from([(1u16, 1.0), (2, 2.0)]);
        let e = |n, c, p| RootEpoch {
            netuid: n,
            claimable: Some(c),
            stake_rao: 5_000e9,
            price_tao_per_alpha: p,
        };
        let r = root_validator_apy(
            &[e(1, 1.5, 0.1), e(2, 1.0, 0.1), e(2, 1.2, 0.5)],
            &base,
            86_400.0,
            false,
        )
        .unwrap();
        // 1: +0.5 × 0.1; 2: negative → 0 (watermark drops to 1.0); 2: +0.2 × 0.5.
        assert!((r.period_yield - (1.05 * 1.1 - 1.0)).abs() < 1e-12);
        assert!((r.total_dividends_tao - 5000.0 * (0.05 + 0.1)).abs() < 1e-9);
        let low = RootEpoch {
            stake_rao: 1e9,
            ..e(1, 2.0, 0.1)
        };
        assert_eq!(
            root_validator_apy(&[low], &base, 1.0, false)
                .unwrap()
                .skipped,
            1
        );
    }

    #[test]
    fn bad_window_is_an_error() {
        assert_eq!(
            subnet_validator_apy(&[], 0.0, false).unwrap_err().code,
            ErrorCode::OutOfRange
        );
        assert!(annualise_percent(0.0, 86_400.0).abs() < 1e-15);
    }
}
