//! [`Rules`]: the rule set of one runtime, chosen by its `spec_version`.
//!
//! Emission, distribution, pools, staking, registration and the epoch take a `&Rules` (or the
//! parameter a field of it names); nothing reads a global "current era". A `Rules` is built only
//! from [`super::timeline::TIMELINE`] and, for rules that upstream code has but finney may not run,
//! from what the runtime's metadata says it has ([`RuntimeFeatures`]).
//!
//! A spec the engine has no rules for is an `UNSUPPORTED_RUNTIME` error that names the newest
//! known spec, unless the caller accepts the nearest known rules ([`Approximation::Nearest`]);
//! such a `Rules` carries `approximate: true` and the list of what it cannot know.

use super::timeline::{self, Feature, NEWEST_KNOWN_SPEC, OLDEST_KNOWN_SPEC};
use crate::error::{Error, ErrorCode, Result};

/// How subnet TAO shares weight the moving price before the gate (emission-after-425 §2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareWeighting {
    /// 423–424: root proportion × price × (1 − MinerBurned).
    RootPropPriceBurn,
    /// 432–443 and 445+: price × (1 − MinerBurned), renormalised.
    PriceBurn,
    /// 444: price only.
    Price,
}

/// The emission gate's bar (emission-after-425 §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateBar {
    /// Before 440: no gate.
    Off,
    /// 440: q-mass bar only (`EmissionBarQuantile`, no rank item).
    QMass,
    /// 441+: rank bar when `EmissionBarRank` (default 32) is non-zero, q-mass when it is 0.
    RankOrQMass,
}

/// Where root dividends go (emission-after-425 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootDividends {
    /// Up to 440: `RootClaimable` per root staker (base spec §10).
    Claimable,
    /// 441+ (Root Reborn): per-validator funds with shares at NAV.
    Fund,
}

/// The per-hotkey alpha vs root dividend split (emission-after-425 §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DividendSplit {
    /// Up to 440: root UIDs are irrelevant.
    Base,
    /// 441: Root Reborn's first rule (reconstructed from PR text).
    RootReborn,
    /// 442+: the #3035 rule: root stays in the denominator, the root slice needs a root UID.
    Hotfix,
}

/// Transaction fees (not the AMM fee) (pool-after-425 §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TxFees {
    /// Up to 443: paid to the block author.
    ToAuthor,
    /// 444–466: recycled (issuance decreases).
    Recycled,
    /// 467+: recycled, and every fee halved.
    RecycledHalved,
}

/// The swap curve of subnet pools (pool-after-425 §1, §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolCurve {
    /// The weighted balancer (with reservoirs when [`Rules::reservoirs`]).
    Balancer,
    /// The superellipse AMM: only when the runtime's metadata has `Swap.SwapSuperellipse`.
    Superellipse,
}

/// What a runtime's metadata says it has, for rules the spec number alone cannot settle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuntimeFeatures {
    /// The metadata has the storage item `Swap.SwapSuperellipse`.
    pub swap_superellipse: bool,
}

/// What to do with a spec the engine has no rules for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Approximation {
    /// Refuse: `UNSUPPORTED_RUNTIME`.
    #[default]
    Reject,
    /// Use the nearest known runtime's rules and mark the result approximate.
    Nearest,
}

/// The rules of one runtime (camelCase keys, as JS sees them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// The spec asked for.
    pub spec_version: u32,
    /// The spec whose rules these are (differs from `spec_version` only when approximate).
    pub rules_spec: u32,
    /// True when `spec_version` is unknown and the nearest known rules stand in.
    pub approximate: bool,
    /// What the engine cannot know about this runtime (empty unless approximate).
    pub unknown_changes: Vec<String>,
    /// Share weighting before the gate.
    pub shares: ShareWeighting,
    /// The emission gate.
    pub gate: GateBar,
    /// Root dividends: claimable or funds.
    pub root_dividends: RootDividends,
    /// The alpha vs root dividend split.
    pub dividend_split: DividendSplit,
    /// Miner registration collateral (436+).
    pub collateral: bool,
    /// Balancer reservoirs, chain buy before injection, reservoir-inclusive alpha issuance.
    pub reservoirs: bool,
    /// Transaction fees.
    pub tx_fees: TxFees,
    /// `LiquidAlphaConsensusMode` in the epoch (446+).
    pub liquid_alpha_consensus_mode: bool,
    /// `move_stake_limit` exists (448+).
    pub move_stake_limit: bool,
    /// `TotalAlphaStaked` is kept (448+).
    pub total_alpha_staked: bool,
    /// `set_root_weights` exists (up to 468).
    pub root_weights: bool,
    /// The share-pool value cap (458+).
    pub share_pool_value_cap: bool,
    /// Share-pool closing rules and the sole-member emission credit (469+; 464–468 unpinned).
    pub share_pool_closing: bool,
    /// Root-claim dust rules (468+).
    pub claim_dust_rules: bool,
    /// A new subnet's pool is seeded with exactly the TAO paid (473+).
    pub registration_seeding: bool,
    /// Conviction-based owner change at the epoch (432+).
    pub conviction_owner_change: bool,
    /// Metagraph payloads carry the three collateral vectors (435+).
    pub metagraph_collateral_layout: bool,
    /// The swap curve.
    pub pool_curve: PoolCurve,
    /// The balancer swap's guards of 424+: exponentials at precision 256 clamped to ≤ 1, input
    /// capped at 1 000 × the reserve. `false` at 423 (precision 1024, no clamp, no cap), whose
    /// swaps the engine does not reproduce.
    pub balancer_swap_guards: bool,
}

impl Rules {
    /// The rules of `spec`, or `UNSUPPORTED_RUNTIME` if the engine has none for it.
    pub fn for_spec(spec: u32) -> Result<Rules> {
        Rules::resolve(spec, Approximation::Reject, RuntimeFeatures::default())
    }

    /// The rules `replay block` runs a due epoch and its payout on at a v3 runtime it replays
    /// (348–354, 356–363, 365–377, 385, 388–391, 393, 396–402, 408–411, 413–419, 421–422;
    /// [`timeline::historical`]; up to 393 only listed): spec 423's (`rules_spec` 423, the
    /// epoch and payout code the tags share), with `spec_version` the runtime's; what differs is
    /// [`timeline::HISTORICAL_RULES`]. `None` for any other spec.
    pub fn for_v3_epoch(spec: u32) -> Option<Rules> {
        let e = timeline::historical(spec)?;
        (e.first..=e.last)
            .contains(&spec)
            .then(|| Rules::build(spec, OLDEST_KNOWN_SPEC, RuntimeFeatures::default()))
    }

    /// The newest runtime the engine knows (the default when the caller names none).
    pub fn newest() -> Rules {
        Rules::build(
            NEWEST_KNOWN_SPEC,
            NEWEST_KNOWN_SPEC,
            RuntimeFeatures::default(),
        )
    }

    /// The rules of `spec` with the runtime's metadata features, or the nearest known ones when
    /// `approx` is [`Approximation::Nearest`].
    pub fn resolve(spec: u32, approx: Approximation, features: RuntimeFeatures) -> Result<Rules> {
        if (OLDEST_KNOWN_SPEC..=NEWEST_KNOWN_SPEC).contains(&spec) {
            return Ok(Rules::build(spec, spec, features));
        }
        let nearest = spec.clamp(OLDEST_KNOWN_SPEC, NEWEST_KNOWN_SPEC);
        match approx {
            Approximation::Reject => Err(Error::field(
                ErrorCode::UnsupportedRuntime,
                "specVersion",
                format!(
                    "no rules for runtime spec {spec}: this engine knows specs \
                     {OLDEST_KNOWN_SPEC}–{NEWEST_KNOWN_SPEC} (newest {NEWEST_KNOWN_SPEC}); \
                     accept an approximation to use spec {nearest}'s rules"
                ),
            )),
            Approximation::Nearest => {
                let mut r = Rules::build(spec, nearest, features);
                r.approximate = true;
                r.unknown_changes = if spec > NEWEST_KNOWN_SPEC {
                    vec![
                        format!(
                            "every rule change in runtimes {}–{spec}",
                            NEWEST_KNOWN_SPEC.saturating_add(1)
                        ),
                        "the superellipse pool, unless the metadata shows Swap.SwapSuperellipse"
                            .into(),
                    ]
                } else {
                    vec![format!(
                        "runtime {spec} predates {OLDEST_KNOWN_SPEC}: its share rule, pool era and \
                         root payout differ (use an explicit historical era)"
                    )]
                };
                Ok(r)
            }
        }
    }

    fn build(spec_version: u32, rules_spec: u32, features: RuntimeFeatures) -> Rules {
        let has = |f| timeline::has(f, rules_spec);
        let shares = if has(Feature::RootPropShares) {
            ShareWeighting::RootPropPriceBurn
        } else if has(Feature::MinerBurnFactor) {
            ShareWeighting::PriceBurn
        } else {
            ShareWeighting::Price
        };
        let gate = match (has(Feature::EmissionGate), has(Feature::GateRankMode)) {
            (false, _) => GateBar::Off,
            (true, false) => GateBar::QMass,
            (true, true) => GateBar::RankOrQMass,
        };
        let dividend_split = if has(Feature::DividendSplitHotfix) {
            DividendSplit::Hotfix
        } else if has(Feature::RootReborn) {
            DividendSplit::RootReborn
        } else {
            DividendSplit::Base
        };
        let tx_fees = match (has(Feature::FeesRecycled), has(Feature::FeesHalved)) {
            (_, true) => TxFees::RecycledHalved,
            (true, false) => TxFees::Recycled,
            (false, false) => TxFees::ToAuthor,
        };
        Rules {
            spec_version,
            rules_spec,
            approximate: false,
            unknown_changes: Vec::new(),
            shares,
            gate,
            root_dividends: if has(Feature::RootReborn) {
                RootDividends::Fund
            } else {
                RootDividends::Claimable
            },
            dividend_split,
            collateral: has(Feature::MinerCollateral),
            reservoirs: has(Feature::BalancerReservoirs),
            tx_fees,
            liquid_alpha_consensus_mode: has(Feature::LiquidAlphaConsensusMode),
            move_stake_limit: has(Feature::MoveStakeLimit),
            total_alpha_staked: has(Feature::TotalAlphaStaked),
            root_weights: has(Feature::RootWeights),
            share_pool_value_cap: has(Feature::SharePoolValueCap),
            share_pool_closing: has(Feature::SharePoolClosing),
            claim_dust_rules: has(Feature::ClaimDustRules),
            registration_seeding: has(Feature::RegistrationSeeding),
            conviction_owner_change: has(Feature::ConvictionOwnerChange),
            metagraph_collateral_layout: has(Feature::MetagraphCollateralLayout),
            pool_curve: if features.swap_superellipse {
                PoolCurve::Superellipse
            } else {
                PoolCurve::Balancer
            },
            balancer_swap_guards: has(Feature::BalancerSwapGuards),
        }
    }
}

/// What a result says about the rules that produced it (camelCase keys, as JS sees them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInfo {
    /// The spec asked for.
    pub spec_version: u32,
    /// The spec whose rules were used.
    pub rules_spec: u32,
    /// True when the nearest known rules stood in for an unknown spec.
    pub approximate: bool,
    /// What the engine cannot know about this runtime.
    pub unknown_changes: Vec<String>,
    /// The date the rules' runtime was first seen live on finney, when known.
    pub live_since: Option<String>,
    /// Rules of this runtime that the model behind the result leaves out (empty where the
    /// computation applies them all: an epoch, a quote). Set with [`RuntimeInfo::not_modelling`].
    #[serde(default)]
    pub not_modelled: Vec<String>,
}

impl RuntimeInfo {
    /// This summary, saying that the result's model leaves out `rules` (see
    /// `emission::Params::rules_not_modelled`).
    #[must_use]
    pub fn not_modelling(mut self, rules: Vec<String>) -> Self {
        self.not_modelled = rules;
        self
    }
}

impl Rules {
    /// The summary a result carries.
    pub fn info(&self) -> RuntimeInfo {
        RuntimeInfo {
            spec_version: self.spec_version,
            rules_spec: self.rules_spec,
            approximate: self.approximate,
            unknown_changes: self.unknown_changes.clone(),
            live_since: timeline::live_since(self.rules_spec).map(str::to_string),
            not_modelled: Vec::new(),
        }
    }
}

impl Default for RuntimeInfo {
    fn default() -> Self {
        Rules::newest().info()
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules::newest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::timeline::{self, Feature};

    fn at(spec: u32) -> Rules {
        Rules::for_spec(spec).expect("known spec")
    }

    /// One test per boundary: the rule is off one spec before and on at the boundary.
    #[test]
    fn shares_switch_at_432_444_445() {
        assert_eq!(at(423).shares, ShareWeighting::RootPropPriceBurn);
        assert_eq!(at(424).shares, ShareWeighting::RootPropPriceBurn);
        assert_eq!(at(431).shares, ShareWeighting::PriceBurn);
        assert_eq!(at(432).shares, ShareWeighting::PriceBurn);
        assert_eq!(at(443).shares, ShareWeighting::PriceBurn);
        assert_eq!(at(444).shares, ShareWeighting::Price);
        assert_eq!(at(445).shares, ShareWeighting::PriceBurn);
    }

    #[test]
    fn spec_423_is_424_but_the_swap_guards() {
        let (a, b) = (at(423), at(424));
        assert!(!a.balancer_swap_guards && b.balancer_swap_guards);
        let same = Rules {
            spec_version: 424,
            rules_spec: 424,
            balancer_swap_guards: true,
            root_weights: b.root_weights,
            ..a
        };
        assert_eq!(same, b);
    }

    #[test]
    fn conviction_owner_change_from_432() {
        assert!(!at(431).conviction_owner_change);
        assert!(at(432).conviction_owner_change);
    }

    #[test]
    fn reservoirs_from_432() {
        assert!(!at(431).reservoirs);
        assert!(at(432).reservoirs);
    }

    #[test]
    fn collateral_from_436_and_its_layout_from_435() {
        assert!(!at(435).collateral);
        assert!(at(436).collateral);
        assert!(!at(434).metagraph_collateral_layout);
        assert!(at(435).metagraph_collateral_layout);
    }

    #[test]
    fn gate_qmass_at_440_rank_from_441() {
        assert_eq!(at(439).gate, GateBar::Off);
        assert_eq!(at(440).gate, GateBar::QMass);
        assert_eq!(at(441).gate, GateBar::RankOrQMass);
    }

    #[test]
    fn root_reborn_from_441_and_the_split_hotfix_from_442() {
        assert_eq!(at(440).root_dividends, RootDividends::Claimable);
        assert_eq!(at(441).root_dividends, RootDividends::Fund);
        assert_eq!(at(440).dividend_split, DividendSplit::Base);
        assert_eq!(at(441).dividend_split, DividendSplit::RootReborn);
        assert_eq!(at(442).dividend_split, DividendSplit::Hotfix);
    }

    #[test]
    fn fees_recycled_from_444_halved_from_467() {
        assert_eq!(at(443).tx_fees, TxFees::ToAuthor);
        assert_eq!(at(444).tx_fees, TxFees::Recycled);
        assert_eq!(at(466).tx_fees, TxFees::Recycled);
        assert_eq!(at(467).tx_fees, TxFees::RecycledHalved);
    }

    #[test]
    fn consensus_mode_from_446() {
        assert!(!at(445).liquid_alpha_consensus_mode);
        assert!(at(446).liquid_alpha_consensus_mode);
    }

    #[test]
    fn move_stake_limit_and_total_alpha_staked_from_448() {
        assert!(!at(447).move_stake_limit && !at(447).total_alpha_staked);
        assert!(at(448).move_stake_limit && at(448).total_alpha_staked);
    }

    #[test]
    fn share_pool_closing_from_469_and_unpinned_before() {
        assert!(!at(463).share_pool_closing);
        assert!(at(469).share_pool_closing);
        assert!(at(475).share_pool_closing);
        for spec in 464..=468 {
            assert!(
                timeline::unpinned(Feature::SharePoolClosing, spec),
                "{spec}"
            );
        }
        assert!(!timeline::unpinned(Feature::SharePoolClosing, 463));
        assert!(!timeline::unpinned(Feature::SharePoolClosing, 469));
        assert!(!timeline::unpinned(Feature::MemberlessPoolToOwner, 440));
        assert!(timeline::unpinned(Feature::MemberlessPoolToOwner, 441));
        assert!(timeline::unpinned(Feature::MemberlessPoolToOwner, 475));
    }

    #[test]
    fn share_pool_cap_from_458() {
        assert!(!at(457).share_pool_value_cap);
        assert!(at(458).share_pool_value_cap);
    }

    #[test]
    fn dust_rules_from_468_root_weights_gone_at_469() {
        assert!(!at(467).claim_dust_rules);
        assert!(at(468).claim_dust_rules);
        assert!(at(468).root_weights);
        assert!(!at(469).root_weights);
    }

    #[test]
    fn registration_seeding_from_473() {
        assert!(!at(472).registration_seeding);
        assert!(at(473).registration_seeding);
    }

    #[test]
    fn superellipse_only_when_the_metadata_has_it() {
        assert_eq!(at(475).pool_curve, PoolCurve::Balancer);
        let r = Rules::resolve(
            475,
            Approximation::Reject,
            RuntimeFeatures {
                swap_superellipse: true,
            },
        )
        .expect("known");
        assert_eq!(r.pool_curve, PoolCurve::Superellipse);
    }

    #[test]
    fn unknown_specs_are_refused_or_marked_approximate() {
        let e = Rules::for_spec(476).expect_err("unknown");
        assert_eq!(e.code, ErrorCode::UnsupportedRuntime);
        assert!(e.message.contains("475"), "{}", e.message);
        assert_eq!(
            Rules::for_spec(422).expect_err("old").code,
            ErrorCode::UnsupportedRuntime
        );
        let r = Rules::resolve(500, Approximation::Nearest, RuntimeFeatures::default())
            .expect("accepted");
        assert!(r.approximate);
        assert_eq!((r.spec_version, r.rules_spec), (500, 475));
        assert!(!r.unknown_changes.is_empty());
        assert!(!at(475).approximate && at(475).unknown_changes.is_empty());
    }

    #[test]
    fn v3_epoch_rules_are_423s_at_the_replayed_v3_specs_only() {
        for spec in [396, 400, 401, 402, 408, 410, 411, 413, 419, 421, 422] {
            let r = Rules::for_v3_epoch(spec).expect("replayed v3 spec");
            assert_eq!((r.spec_version, r.rules_spec), (spec, 423));
            assert_eq!(r.root_dividends, at(423).root_dividends);
            assert!(!r.collateral && !r.share_pool_closing && !r.approximate);
        }
        for spec in [347, 355, 395, 403, 407, 412, 420, 423, 475] {
            assert!(Rules::for_v3_epoch(spec).is_none(), "{spec}");
        }
    }

    #[test]
    fn the_default_is_the_newest_known_runtime() {
        assert_eq!(Rules::default().spec_version, NEWEST_KNOWN_SPEC);
    }
}
