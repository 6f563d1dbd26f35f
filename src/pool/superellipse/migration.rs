//! The runtime migration from the weighted balancer to the superellipse.
//!
//! Port of `migrate_balancer_to_superellipse` of RaoFoundation/subtensor
//! `pallets/swap/src/pallet/migrations/migrate_balancer_to_superellipse.rs` at
//! `61cafd4026c5d64dd5df4e7a7d17fb5575477b12` (index id 70936504894; the first generation at
//! `29005cb7192a4d03c251090612d80d8031f0106a` converts the same curves from the pallet hook).
//! Spec `pool-after-425.md` §3.9.

use super::curve::Superellipse;
use super::pool::{SuperellipsePool, DYNAMIC_MECHANISM};
use super::wide::EllipseError;
use std::collections::BTreeMap;

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Netuids that received a curve in this run.
    pub converted: Vec<u16>,
    /// Netuids whose conversion failed (they keep their old parameters for the retry).
    pub failed: Vec<(u16, EllipseError)>,
    /// Whether the run stamped `HasMigrationRun` (false after a failure, or when already stamped).
    pub stamped_now: bool,
}

/// Run the migration over the swap-pallet state of the subnets (`subnets`, keyed by netuid);
/// `exists(netuid)` is `SubnetInfo::exists` (a removed subnet may keep swap keys). `stamped` is `HasMigrationRun["migrate_balancer_to_
/// superellipse"]`: once set the run does nothing; it is set only when every candidate converted.
///
/// Candidates are the keys of `PalSwapInitialized` and `SwapBalancer`. Each existing dynamic
/// candidate without a curve and with both reserves funded gets
/// `from_balancer(α, τ, SwapBalancer.quote)` and `PalSwapInitialized`. Reserves, reservoirs and
/// the archived weight are unchanged.
pub fn migrate_balancer_to_superellipse(
    subnets: &mut BTreeMap<u16, SuperellipsePool>,
    exists: &dyn Fn(u16) -> bool,
    stamped: &mut bool,
) -> MigrationReport {
    let mut report = MigrationReport::default();
    if *stamped {
        return report;
    }
    let candidates: Vec<u16> = subnets
        .iter()
        .filter(|(_, p)| p.pal_swap_initialized || p.swap_balancer.is_some())
        .map(|(n, _)| *n)
        .collect();
    for netuid in candidates {
        let Some(pool) = subnets.get_mut(&netuid) else {
            continue;
        };
        if !exists(netuid) || pool.mechanism != DYNAMIC_MECHANISM || pool.curve.is_some() {
            continue;
        }
        let (alpha, tao) = (pool.alpha_reserve, pool.tao_reserve);
        if alpha == 0 || tao == 0 {
            continue;
        }
        match Superellipse::from_balancer(alpha, tao, pool.archived_quote()) {
            Ok(curve) => {
                pool.curve = Some(curve);
                pool.pal_swap_initialized = true;
                report.converted.push(netuid);
            }
            Err(e) => report.failed.push((netuid, e)),
        }
    }
    if report.failed.is_empty() {
        *stamped = true;
        report.stamped_now = true;
    }
    report
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::perquintill::Perquintill;

    #[test]
    fn invalid_weight_leaves_the_run_unstamped() {
        let mut subnets = BTreeMap::new();
        let mut good = SuperellipsePool::new(1_000, 4_000);
        good.pal_swap_initialized = true;
        let mut bad = good.clone();
        bad.swap_balancer = Some(Perquintill::from_parts(0));
        subnets.insert(1, good);
        subnets.insert(2, bad);
        let mut stamped = false;
        let r = migrate_balancer_to_superellipse(&mut subnets, &|_| true, &mut stamped);
        assert!(!stamped);
        assert_eq!(r.converted, vec![1]);
        assert_eq!(r.failed, vec![(2, EllipseError::InvalidParameters)]);
        let curve = subnets.get(&1).unwrap().curve;
        if let Some(p) = subnets.get_mut(&2) {
            p.swap_balancer = Some(Perquintill::from_rational(1, 2));
        }
        let r = migrate_balancer_to_superellipse(&mut subnets, &|_| true, &mut stamped);
        assert!(stamped && r.stamped_now);
        assert_eq!(subnets.get(&1).unwrap().curve, curve);
    }
}
