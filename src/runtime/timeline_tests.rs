//! Tests of [`super`] (the runtime timeline and the historical eras).

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
            .is_none_or(|u| u >= c.from_spec && u <= NEWEST_KNOWN_SPEC));
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
fn spec_423_differs_from_424_in_the_swap_only() {
    for f in [Feature::RootPropShares, Feature::MinerBurnFactor] {
        assert!(has(f, 423) && has(f, 424), "{f:?}");
    }
    assert!(!has(Feature::BalancerSwapGuards, 423));
    assert!(has(Feature::BalancerSwapGuards, 424));
    assert!(has(Feature::BalancerSwapGuards, 475));
    assert!(!has(Feature::RootPropShares, 425));
}

#[test]
fn historical_eras_are_ordered_disjoint_and_before_the_known_range() {
    for w in HISTORICAL.windows(2) {
        assert!(w[1].last < w[0].first, "{} / {}", w[0].first, w[1].first);
    }
    for e in HISTORICAL {
        assert!(e.first <= e.last && e.last < OLDEST_KNOWN_SPEC);
    }
    assert_eq!(not_replayed_reason(422), V3_COINBASE_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(421), V3_COINBASE_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(420), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(419), FLOW_SHARES_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(413), FLOW_SHARES_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(412), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(411), FLOW_SHARES_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(410), FLOW_SHARES_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(409), FLOW_SHARES_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(408), FLOW_SHARES_NOT_REPLAYED);
    for spec in 403..=407 {
        assert_eq!(not_replayed_reason(spec), ERA_NOT_PINNED, "{spec}");
    }
    assert_eq!(not_replayed_reason(402), LEGACY_FLOW_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(401), LEGACY_FLOW_NOT_REPLAYED);
    for spec in [396, 398, 400] {
        assert_eq!(
            not_replayed_reason(spec),
            LEGACY_FLOW_NOT_REPLAYED,
            "{spec}"
        );
    }
    assert_eq!(not_replayed_reason(395), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(394), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(393), PRE_SAFEFLOAT_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(392), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(391), PRE_SAFEFLOAT_NOT_REPLAYED);
    for spec in [388, 389, 390] {
        assert_eq!(
            not_replayed_reason(spec),
            PRE_SAFEFLOAT_NOT_REPLAYED,
            "{spec}"
        );
    }
    assert_eq!(not_replayed_reason(387), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(386), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(385), PRE_SAFEFLOAT_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(384), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(380), PRE_SAFEFLOAT_NOT_REPLAYED);
    assert_eq!(not_replayed_reason(381), ERA_NOT_PINNED);
    assert_eq!(not_replayed_reason(378), ERA_NOT_PINNED);
    for spec in [
        353, 354, 356, 360, 361, 362, 363, 365, 368, 370, 371, 375, 376, 377,
    ] {
        assert_eq!(
            not_replayed_reason(spec),
            PRE_SAFEFLOAT_NOT_REPLAYED,
            "{spec}"
        );
    }
    for spec in [347, 355, 364, 379, 386] {
        assert_eq!(not_replayed_reason(spec), ERA_NOT_PINNED, "{spec}");
    }
    for spec in 348..=352 {
        assert_eq!(
            not_replayed_reason(spec),
            PRE_SAFEFLOAT_NOT_REPLAYED,
            "{spec}"
        );
    }
}

#[test]
fn historical_rules_stay_before_423_or_reach_it() {
    assert!(historical_has(HistoricalRule::LegacyEpochReads, 396));
    assert!(!historical_has(HistoricalRule::LegacyEpochReads, 395));
    assert!(historical_has(HistoricalRule::LegacyEpochReads, 422));
    assert!(!historical_has(HistoricalRule::LegacyEpochReads, 423));
    assert!(!historical_has(HistoricalRule::MinerBurnedWritten, 419));
    assert!(historical_has(HistoricalRule::MinerBurnedWritten, 421));
    assert!(historical_has(HistoricalRule::MinerBurnedWritten, 423));
    for c in HISTORICAL_RULES {
        assert!(c.from_spec < OLDEST_KNOWN_SPEC);
    }
}

#[test]
fn boundaries_list_every_switch() {
    let b = boundaries();
    for s in [
        424, 425, 432, 435, 436, 440, 441, 442, 444, 445, 446, 448, 458, 467, 468, 469, 473,
    ] {
        assert!(b.contains(&s), "{s} missing from {b:?}");
    }
}
