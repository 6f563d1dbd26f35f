//! The one table of rule changes finney ran, by runtime `spec_version`.
//!
//! Every rule switch the engine knows is one row of [`TIMELINE`]: the first spec that has it, the
//! last spec that has it (for rules that were later removed), the evidence grade and where the
//! boundary comes from. [`super::Rules`] is derived from this table only, so correcting a
//! boundary is a one-line change here (and the unit tests in `rules.rs` say which switch moved).
//!
//! Sources: `shared/spec/emission-after-425.md` §1 and §8, `shared/spec/pool-after-425.md` §1.2,
//! `shared/spec/chain-data-after-425.md` §1 (all describing `RaoFoundation/subtensor` and finney
//! reads up to spec 475). Grades follow those specs: **A** read in code and confirmed live, **B**
//! read in code with the live spec inferred from PR state and dates, **C** reconstructed from PR
//! text or third-party notes, or a boundary picked inside a known range.

/// One rule that changed after spec 424 (or that finney dropped again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Subnet shares also weighted by the root proportion (424 only; #2781 → #2800).
    RootPropShares,
    /// Shares weighted by `1 − MinerBurned` (absent in 444 only: #3058 removed it, #3071 restored it).
    MinerBurnFactor,
    /// Conviction-based subnet owner change at the epoch (#2800; enforced from 432).
    ConvictionOwnerChange,
    /// Balancer TAO/alpha reservoirs, chain buy before injection, reservoir-inclusive alpha issuance.
    BalancerReservoirs,
    /// Miner registration collateral: price split, drain on total hotkey emission (436 release).
    MinerCollateral,
    /// Metagraph / SelectiveMetagraph carry three collateral vectors (435 layout).
    MetagraphCollateralLayout,
    /// The emission gate: the bar θ and the Hill gate (#2990).
    EmissionGate,
    /// The gate bar in rank mode, `EmissionBarRank` default 32 (#3014 / 441).
    GateRankMode,
    /// Root Reborn: root dividends into per-validator funds instead of `RootClaimable` (#2968).
    RootReborn,
    /// The dividend-split hotfix: root stays in the denominator, root slice needs a root UID (#3035).
    DividendSplitHotfix,
    /// Transaction fees and tips recycled instead of paid to the block author (#3053 in #3058).
    FeesRecycled,
    /// Liquid-alpha consensus source `LiquidAlphaConsensusMode` (Auto: previous consensus when bonds penalty is 1) (#3070).
    LiquidAlphaConsensusMode,
    /// `move_stake_limit` (fill-or-kill / partial moves) (#3089).
    MoveStakeLimit,
    /// `TotalAlphaStaked` is kept (#3089).
    TotalAlphaStaked,
    /// `set_root_weights` open with `RootWeightsCap` (#3109); removed again at 469.
    RootWeights,
    /// Share-pool value cap `min(floor(V·S/D), V)` (#3160).
    SharePoolValueCap,
    /// Share-pool closing rules: a deposit moves the member share by the exact change of the
    /// denominator, drained pools close and re-open, and an owner's emission credit to a pool it
    /// holds alone only raises the value (`try_credit_sole_member`) (pool-after-425 §5.1).
    SharePoolClosing,
    /// The payout credits a dividend whose hotkey pool has no members to the hotkey's owner
    /// instead of the pool (`hotkey_share_pool_has_members`, emission-after-425 §3.3).
    MemberlessPoolToOwner,
    /// Liquid alpha's previous consensus kept per mechanism (`ConsensusByMechanism[idx]`) rather
    /// than read from `Consensus[netuid]`.
    ConsensusByMechanism,
    /// Transaction fees halved (#3183).
    FeesHalved,
    /// Root-claim dust rules (claim_root_dust.rs).
    ClaimDustRules,
    /// Registration escrow: a new subnet's pool is seeded with exactly the TAO paid (#3208).
    RegistrationSeeding,
}

/// How sure the boundary is (the specs' grades).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Evidence {
    /// Read in code and confirmed live on finney.
    A,
    /// Read in code; the live spec inferred from PR state and dates.
    B,
    /// Reconstructed from PR text or third-party notes, or a boundary picked inside a range.
    C,
}

/// One row of the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The rule.
    pub feature: Feature,
    /// First spec that has it.
    pub from_spec: u32,
    /// Last spec that has it (`None`: still in force at [`NEWEST_KNOWN_SPEC`]).
    pub until_spec: Option<u32>,
    /// How sure the boundary is.
    pub evidence: Evidence,
    /// Where the boundary comes from, and what was picked where the sources give a range.
    pub source: &'static str,
}

/// Oldest runtime whose rules the engine holds (finney ran it until 2026-07-16).
pub const OLDEST_KNOWN_SPEC: u32 = 424;
/// Newest runtime whose rules the engine holds (finney, 2026-10-09).
pub const NEWEST_KNOWN_SPEC: u32 = 475;

/// Every rule change from 424 to 475. Rows with the same feature must not overlap.
pub const TIMELINE: &[Change] = &[
    Change { feature: Feature::RootPropShares, from_spec: 424, until_spec: Some(424), evidence: Evidence::A, source: "#2781 live until 2026-07-16; #2800 removed it (425 never ran, 432 has it removed)" },
    Change { feature: Feature::MinerBurnFactor, from_spec: 424, until_spec: Some(443), evidence: Evidence::A, source: "f8ff769 subnet_emissions.rs; #3057" },
    Change { feature: Feature::MinerBurnFactor, from_spec: 445, until_spec: None, evidence: Evidence::A, source: "#3071 (merged 2026-08-11); finney state at 445 (block 8,837,720) reproduces only with the factor" },
    Change { feature: Feature::ConvictionOwnerChange, from_spec: 432, until_spec: None, evidence: Evidence::B, source: "#2800 in 425, never ran; third-party read: enforced from 432 (2026-07-16); #2821 (removal) closed" },
    Change { feature: Feature::BalancerReservoirs, from_spec: 432, until_spec: None, evidence: Evidence::C, source: "absent in finney metadata at 424, present at 438; 432 picked: first runtime after 424 finney ran (a 432 metadata diff would settle it)" },
    Change { feature: Feature::MinerCollateral, from_spec: 436, until_spec: None, evidence: Evidence::B, source: "#2958 (v435-release branch); 435 never reached finney, 436 between 07-22 and 07-27" },
    Change { feature: Feature::MetagraphCollateralLayout, from_spec: 435, until_spec: None, evidence: Evidence::A, source: "chain-data-after-425 §1: 3 trailing collateral vectors from 435" },
    Change { feature: Feature::EmissionGate, from_spec: 440, until_spec: None, evidence: Evidence::A, source: "#2990, live 2026-07-27 (metagraphed #8739)" },
    Change { feature: Feature::GateRankMode, from_spec: 441, until_spec: None, evidence: Evidence::A, source: "EmissionBarRank default 32 from 441 (live 2026-08-03); 440 had no type_value" },
    Change { feature: Feature::RootReborn, from_spec: 441, until_spec: None, evidence: Evidence::A, source: "#2968, live 2026-08-03" },
    Change { feature: Feature::DividendSplitHotfix, from_spec: 442, until_spec: None, evidence: Evidence::B, source: "#3035 merged 2026-08-04" },
    Change { feature: Feature::FeesRecycled, from_spec: 444, until_spec: None, evidence: Evidence::A, source: "#3053 inside #3058, merged 2026-08-06" },
    Change { feature: Feature::LiquidAlphaConsensusMode, from_spec: 446, until_spec: None, evidence: Evidence::B, source: "#3070 merged 2026-08-11; release PR #3077 (merged 2026-08-12) names spec 446 as the one that introduces the modes; code read at run_epoch.rs @ 76671f67 (index id 61396157298)" },
    Change { feature: Feature::MoveStakeLimit, from_spec: 448, until_spec: None, evidence: Evidence::B, source: "#3089 merged 2026-08-18" },
    Change { feature: Feature::TotalAlphaStaked, from_spec: 448, until_spec: None, evidence: Evidence::B, source: "#3089 merged 2026-08-18" },
    Change { feature: Feature::RootWeights, from_spec: 424, until_spec: Some(468), evidence: Evidence::C, source: "migrate_remove_root_weights before 2026-10-06 (469 live 2026-09-23)" },
    Change { feature: Feature::SharePoolValueCap, from_spec: 458, until_spec: None, evidence: Evidence::B, source: "#3160 merged 2026-09-14" },
    Change { feature: Feature::SharePoolClosing, from_spec: 469, until_spec: None, evidence: Evidence::C, source: "primitives/share-pool (index id 71438766555) cites 'v468 defect 1' fixed in 469; its closing rules came with the 464/465 reconcile releases or later, so 469 is the first spec certain to have them (464–468: see UNPINNED). The sole-member emission credit is taken from pool-after-425 §5.1; run_coinbase's credit_epoch_owner_emission itself was not read" },
    Change { feature: Feature::FeesHalved, from_spec: 467, until_spec: None, evidence: Evidence::B, source: "#3183; live by 2026-09-20 (third-party read)" },
    Change { feature: Feature::ClaimDustRules, from_spec: 468, until_spec: None, evidence: Evidence::C, source: "claim_root_dust.rs module doc" },
    Change { feature: Feature::RegistrationSeeding, from_spec: 473, until_spec: None, evidence: Evidence::B, source: "release PR #3208, live 2026-10-06" },
];

/// A rule whose first spec is not pinned: finney may or may not have run it anywhere in
/// `first..=last`. Replays list the outputs it decides in that window instead of picking a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unpinned {
    /// The rule.
    pub feature: Feature,
    /// First spec that may have it.
    pub first: u32,
    /// Last spec that may lack it.
    pub last: u32,
    /// What is known.
    pub source: &'static str,
}

/// Rules whose start is not pinned to a spec (see [`Unpinned`]).
pub const UNPINNED: &[Unpinned] = &[
    Unpinned { feature: Feature::SharePoolClosing, first: 464, last: 468, source: "pool-after-425 §1.2/§5.1: reconcile migrations 464/465, closing rules 'inferred 464–469, medium', not pinned" },
    Unpinned { feature: Feature::ConsensusByMechanism, first: 446, last: NEWEST_KNOWN_SPEC, source: "the newest stored lib.rs (index id 68884137211) declares ConsensusByMechanism (Identity NetUidStorageIndex -> Vec<PerU16>, 'previous epoch consensus for each mechanism') and uids.rs (id 71515234786) maintains it; the only stored epoch with the consensus modes (run_epoch.rs @ 76671f67) reads Consensus[netuid]; the reader of the per-mechanism item and its first spec were not found (a third-party note lists the item by spec 452)" },
    Unpinned { feature: Feature::MemberlessPoolToOwner, first: 441, last: NEWEST_KNOWN_SPEC, source: "absent at 14bc6f9 and in the 436 payout (0bb2cb305 dividend_distribution.rs); present only in the newest stored run_coinbase.rs (index id 70951396623, which also has the Null epoch mode not known live) and stake_utils.rs (id 69155006798); no PR or spec found" },
];

/// Whether `spec` lies in the unpinned window of `feature`.
pub fn unpinned(feature: Feature, spec: u32) -> bool {
    UNPINNED
        .iter()
        .any(|u| u.feature == feature && (u.first..=u.last).contains(&spec))
}

/// Finney runtimes with the date they were first seen live (the specs' certain or third-party
/// reads); specs in between ran too, on dates the sources do not give.
pub const LIVE_DATES: &[(u32, &str)] = &[
    (424, "2026-07-14"),
    (432, "2026-07-16"),
    (440, "2026-07-27"),
    (441, "2026-08-03"),
    (443, "2026-08-06"),
    (455, "2026-09-11"),
    (465, "2026-09-18"),
    (467, "2026-09-20"),
    (469, "2026-09-23"),
    (472, "2026-10-04"),
    (473, "2026-10-06"),
    (475, "2026-10-09"),
];

/// The date `spec` was first seen live on finney, when the sources give one.
pub fn live_since(spec: u32) -> Option<&'static str> {
    LIVE_DATES.iter().find(|(s, _)| *s == spec).map(|(_, d)| *d)
}

/// Whether `feature` is in force at `spec` by [`TIMELINE`].
pub fn has(feature: Feature, spec: u32) -> bool {
    TIMELINE.iter().any(|c| {
        c.feature == feature && spec >= c.from_spec && c.until_spec.map_or(true, |u| spec <= u)
    })
}

/// The specs at which some rule switches (each `from_spec`, and each `until_spec + 1`), sorted.
pub fn boundaries() -> Vec<u32> {
    let mut out: Vec<u32> = TIMELINE
        .iter()
        .flat_map(|c| [Some(c.from_spec), c.until_spec.map(|u| u.saturating_add(1))])
        .flatten()
        .filter(|&s| s > OLDEST_KNOWN_SPEC && s <= NEWEST_KNOWN_SPEC)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Rule changes the engine does not model that finney shipped inside the known range (listed in
/// results so a reader knows what is outside the model).
pub const NOT_MODELLED: &[&str] = &[
    "441+: root staking hold (RootStakeUnlockInterval) and burn-only root registration",
    "450+: canonical beta pricing (display only)",
    "456+: validator basket trading (swap_basket)",
    "466: staking-scan fee cap",
    "Null epoch mode and the bounded BlocksSinceLastStep (newest upstream code, not known live)",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_one_feature_do_not_overlap() {
        for a in TIMELINE {
            for b in TIMELINE {
                if core::ptr::eq(a, b) || a.feature != b.feature {
                    continue;
                }
                let a_end = a.until_spec.unwrap_or(u32::MAX);
                let b_end = b.until_spec.unwrap_or(u32::MAX);
                assert!(
                    a_end < b.from_spec || b_end < a.from_spec,
                    "{:?} overlaps",
                    a.feature
                );
            }
        }
    }

    #[test]
    fn every_row_is_inside_the_known_range() {
        for c in TIMELINE {
            assert!(c.from_spec >= OLDEST_KNOWN_SPEC && c.from_spec <= NEWEST_KNOWN_SPEC);
            assert!(c
                .until_spec
                .map_or(true, |u| u >= c.from_spec && u <= NEWEST_KNOWN_SPEC));
        }
    }

    #[test]
    fn unpinned_windows_are_inside_the_known_range() {
        for u in UNPINNED {
            assert!(u.first >= OLDEST_KNOWN_SPEC && u.first <= u.last);
            assert!(u.last <= NEWEST_KNOWN_SPEC);
            // A window ends before the feature's pinned row starts (if it has one).
            for c in TIMELINE.iter().filter(|c| c.feature == u.feature) {
                assert!(u.last < c.from_spec, "{:?}", u.feature);
            }
        }
    }

    #[test]
    fn burn_factor_is_absent_at_444_only() {
        assert!(has(Feature::MinerBurnFactor, 443));
        assert!(!has(Feature::MinerBurnFactor, 444));
        assert!(has(Feature::MinerBurnFactor, 445));
        assert!(has(Feature::MinerBurnFactor, 475));
    }

    #[test]
    fn boundaries_list_every_switch() {
        let b = boundaries();
        for s in [
            425, 432, 435, 436, 440, 441, 442, 444, 445, 446, 448, 458, 467, 468, 469, 473,
        ] {
            assert!(b.contains(&s), "{s} missing from {b:?}");
        }
    }
}
