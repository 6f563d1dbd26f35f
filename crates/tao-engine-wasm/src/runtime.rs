//! Runtime rules at the boundary: which spec's rules a call uses, and the timeline itself.

use super::convert::{js_error, to_ts};
use super::request::read_or_default;
use serde::{Deserialize, Serialize};
use tao_engine::runtime::{self as rt, timeline, Approximation, Rules, RuntimeFeatures};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// A string union mirroring a core enum (the core's serde spelling), with its `From` impl.
macro_rules! string_union {
    (
        $(#[$meta:meta])*
        $name:ident from $core:ident, $rename:literal {
            $( $(#[$vmeta:meta])* $variant:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Serialize, Tsify, Clone, Copy)]
        #[serde(rename_all = $rename)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }
        impl From<rt::$core> for $name {
            fn from(x: rt::$core) -> Self {
                match x {
                    $( rt::$core::$variant => Self::$variant, )*
                }
            }
        }
    };
}

js_request! {
    /// Which runtime's rules a call uses. Without `specVersion`, the newest known runtime.
    #[derive(Default, Clone, Copy)]
    pub struct RuntimeChoice {
        /// The runtime `spec_version` (e.g. 473). Unknown specs throw `UNSUPPORTED_RUNTIME`.
        #[tsify(optional)]
        spec_version "specVersion": Option<u32>,
        /// Use the nearest known rules for an unknown spec; results then say `approximate: true`.
        #[tsify(optional)]
        accept_approximate "acceptApproximate": Option<bool>,
        /// The runtime's metadata has `Swap.SwapSuperellipse`.
        #[tsify(optional)]
        swap_superellipse "swapSuperellipse": Option<bool>,
    }
}

impl RuntimeChoice {
    /// The rules chosen (newest when no spec is named).
    pub(crate) fn rules(self) -> Result<Rules, JsValue> {
        JsRuntimeChoice::from(self).rules()
    }

    /// [`Self::rules`] with the core error.
    pub(crate) fn rules_core(self) -> tao_engine::Result<Rules> {
        JsRuntimeChoice::from(self).rules_core()
    }
}

impl From<RuntimeChoice> for JsRuntimeChoice {
    fn from(c: RuntimeChoice) -> Self {
        JsRuntimeChoice {
            spec_version: c.spec_version,
            accept_approximate: c.accept_approximate.unwrap_or(false),
            swap_superellipse: c.swap_superellipse.unwrap_or(false),
        }
    }
}

/// The `RuntimeChoice` fields, flattened into each call's options object.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct JsRuntimeChoice {
    pub spec_version: Option<u32>,
    pub accept_approximate: bool,
    pub swap_superellipse: bool,
}

impl JsRuntimeChoice {
    /// The rules chosen (newest when no spec is named).
    pub(crate) fn rules(self) -> Result<Rules, JsValue> {
        self.rules_core().map_err(js_error)
    }

    /// [`Self::rules`] with the core error.
    pub(crate) fn rules_core(self) -> tao_engine::Result<Rules> {
        let features = RuntimeFeatures {
            swap_superellipse: self.swap_superellipse,
        };
        let approx = if self.accept_approximate {
            Approximation::Nearest
        } else {
            Approximation::Reject
        };
        match self.spec_version {
            None => Rules::resolve(timeline::NEWEST_KNOWN_SPEC, Approximation::Reject, features),
            Some(spec) => Rules::resolve(spec, approx, features),
        }
    }
}

/// The runtime whose rules produced a result.
#[derive(Serialize, Tsify, Clone)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RuntimeInfo {
    /// The spec asked for.
    spec_version: u32,
    /// The spec whose rules were used (differs only when approximate).
    rules_spec: u32,
    /// True when the spec is unknown and the nearest known rules stood in.
    approximate: bool,
    /// What the engine cannot know about this runtime (empty unless approximate).
    unknown_changes: Vec<String>,
    /// The date the rules' runtime was first seen live on finney (YYYY-MM-DD), when known.
    live_since: Option<String>,
    /// Rules of this runtime the result's model leaves out, in words (empty where the computation
    /// applies them all, as an epoch or a quote does; the stake model and the network simulation
    /// list the Root Reborn payout and what else their network model does not apply).
    not_modelled: Vec<String>,
}

impl From<rt::RuntimeInfo> for RuntimeInfo {
    fn from(i: rt::RuntimeInfo) -> Self {
        RuntimeInfo {
            spec_version: i.spec_version,
            rules_spec: i.rules_spec,
            approximate: i.approximate,
            unknown_changes: i.unknown_changes,
            live_since: i.live_since,
            not_modelled: i.not_modelled,
        }
    }
}

string_union! {
    /// Share weighting before the gate.
    ShareWeighting from ShareWeighting, "snake_case" {
        /// Also weighted by the root proportion (424).
        RootPropPriceBurn,
        /// Price times `1 − MinerBurned`.
        PriceBurn,
        /// Price alone.
        Price,
    }
}

string_union! {
    /// The emission gate's bar.
    GateBar from GateBar, "snake_case" {
        /// No gate.
        Off,
        /// The q-mass bar.
        QMass,
        /// The rank bar or the q-mass bar.
        RankOrQMass,
    }
}

string_union! {
    /// Where root dividends go.
    RootDividends from RootDividends, "snake_case" {
        /// `RootClaimable`.
        Claimable,
        /// Per-validator funds (Root Reborn).
        Fund,
    }
}

string_union! {
    /// The alpha vs root dividend split.
    DividendSplit from DividendSplit, "snake_case" {
        /// The original split.
        Base,
        /// Root Reborn's split.
        RootReborn,
        /// The hotfix: root stays in the denominator.
        Hotfix,
    }
}

string_union! {
    /// Transaction fees.
    TxFees from TxFees, "snake_case" {
        /// Paid to the block author.
        ToAuthor,
        /// Recycled.
        Recycled,
        /// Recycled and halved.
        RecycledHalved,
    }
}

string_union! {
    /// The swap curve.
    PoolCurve from PoolCurve, "snake_case" {
        /// Balancer (weighted constant product).
        Balancer,
        /// Superellipse.
        Superellipse,
    }
}

/// Every rule of one runtime (see `knownRuntimes` for the timeline they come from).
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RuntimeRules {
    #[serde(flatten)]
    info: RuntimeInfo,
    /// Share weighting before the gate.
    shares: ShareWeighting,
    /// The emission gate.
    gate: GateBar,
    /// Root dividends: claimable or funds.
    root_dividends: RootDividends,
    /// The alpha vs root dividend split.
    dividend_split: DividendSplit,
    /// Miner registration collateral (436+).
    collateral: bool,
    /// Balancer reservoirs, chain buy before injection, reservoir-inclusive alpha issuance.
    reservoirs: bool,
    /// Transaction fees.
    tx_fees: TxFees,
    /// `LiquidAlphaConsensusMode` in the epoch (446+).
    liquid_alpha_consensus_mode: bool,
    /// `move_stake_limit` exists (448+).
    move_stake_limit: bool,
    /// `TotalAlphaStaked` is kept (448+).
    total_alpha_staked: bool,
    /// `set_root_weights` exists (up to 468).
    root_weights: bool,
    /// The share-pool value cap (458+).
    share_pool_value_cap: bool,
    /// Share-pool closing rules and the sole-member emission credit (469+; 464–468 unpinned).
    share_pool_closing: bool,
    /// Root-claim dust rules (468+).
    claim_dust_rules: bool,
    /// A new subnet's pool is seeded with exactly the TAO paid (473+).
    registration_seeding: bool,
    /// Conviction-based owner change at the epoch (432+).
    conviction_owner_change: bool,
    /// Metagraph payloads carry the three collateral vectors (435+).
    metagraph_collateral_layout: bool,
    /// The swap curve.
    pool_curve: PoolCurve,
    /// The balancer swap's guards of 424+ (precision 256, clamp, input cap); false at 423.
    balancer_swap_guards: bool,
}

impl From<&Rules> for RuntimeRules {
    fn from(r: &Rules) -> Self {
        RuntimeRules {
            info: r.info().into(),
            shares: r.shares.into(),
            gate: r.gate.into(),
            root_dividends: r.root_dividends.into(),
            dividend_split: r.dividend_split.into(),
            collateral: r.collateral,
            reservoirs: r.reservoirs,
            tx_fees: r.tx_fees.into(),
            liquid_alpha_consensus_mode: r.liquid_alpha_consensus_mode,
            move_stake_limit: r.move_stake_limit,
            total_alpha_staked: r.total_alpha_staked,
            root_weights: r.root_weights,
            share_pool_value_cap: r.share_pool_value_cap,
            share_pool_closing: r.share_pool_closing,
            claim_dust_rules: r.claim_dust_rules,
            registration_seeding: r.registration_seeding,
            conviction_owner_change: r.conviction_owner_change,
            metagraph_collateral_layout: r.metagraph_collateral_layout,
            pool_curve: r.pool_curve.into(),
            balancer_swap_guards: r.balancer_swap_guards,
        }
    }
}

string_union! {
    /// A rule of the timeline.
    RuleFeature from Feature, "snake_case" {
        /// Subnet shares also weighted by the root proportion (423–424).
        RootPropShares,
        /// Shares weighted by `1 − MinerBurned`.
        MinerBurnFactor,
        /// Conviction-based subnet owner change at the epoch.
        ConvictionOwnerChange,
        /// Balancer TAO/alpha reservoirs.
        BalancerReservoirs,
        /// Miner registration collateral.
        MinerCollateral,
        /// Metagraphs carry three collateral vectors.
        MetagraphCollateralLayout,
        /// The emission gate.
        EmissionGate,
        /// The gate bar in rank mode.
        GateRankMode,
        /// Root Reborn: root dividends into per-validator funds.
        RootReborn,
        /// The dividend-split hotfix.
        DividendSplitHotfix,
        /// Transaction fees and tips recycled.
        FeesRecycled,
        /// `LiquidAlphaConsensusMode`.
        LiquidAlphaConsensusMode,
        /// `move_stake_limit`.
        MoveStakeLimit,
        /// `TotalAlphaStaked` is kept.
        TotalAlphaStaked,
        /// `set_root_weights`.
        RootWeights,
        /// The share-pool value cap.
        SharePoolValueCap,
        /// Share-pool closing rules and the sole-member emission credit.
        SharePoolClosing,
        /// A dividend to a hotkey pool with no members goes to the hotkey's owner.
        MemberlessPoolToOwner,
        /// Liquid alpha's previous consensus kept per mechanism (`ConsensusByMechanism`).
        ConsensusByMechanism,
        /// Transaction fees halved.
        FeesHalved,
        /// Root-claim dust rules.
        ClaimDustRules,
        /// Registration escrow seeding.
        RegistrationSeeding,
        /// A leased subnet's lease dividend (replayed at 423–425).
        LeaseDividends,
        /// The balancer swap of 424: precision 256, clamp to 1, input cap.
        BalancerSwapGuards,
    }
}

string_union! {
    /// How sure a boundary is: A read in code and confirmed live, B read in code with the live
    /// spec inferred, C reconstructed or picked inside a range.
    RuleEvidence from Evidence, "UPPERCASE" {
        /// Read in code and confirmed live on finney.
        A,
        /// Read in code; the live spec inferred from PR state and dates.
        B,
        /// Reconstructed, or a boundary picked inside a range.
        C,
    }
}

/// One row of the rule timeline: a rule, the specs that have it, and the evidence grade.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RuleChange {
    /// The rule.
    feature: RuleFeature,
    /// First spec that has it.
    from_spec: u32,
    /// Last spec that has it (`null`: still in force at the newest known spec).
    until_spec: Option<u32>,
    /// How sure the boundary is.
    evidence: RuleEvidence,
    /// Where the boundary comes from.
    source: &'static str,
}

/// The runtimes this engine holds rules for.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct KnownRuntimes {
    /// Oldest known spec.
    oldest: u32,
    /// Newest known spec.
    newest: u32,
    /// Specs at which some rule switches.
    boundaries: Vec<u32>,
    /// Every rule change.
    timeline: Vec<RuleChange>,
    /// Changes inside the known range that the engine does not model.
    not_modelled: Vec<&'static str>,
    /// Finney runtimes with the date each was first seen live.
    live_dates: Vec<(u32, &'static str)>,
}

/// The rules of one runtime. Throws `UNSUPPORTED_RUNTIME` (field `specVersion`) for a spec the
/// engine does not know, unless `acceptApproximate` is set.
///
/// @example
/// ```ts
/// runtimeRules({ specVersion: 444 }).shares;          // "price" (no burn factor in 444)
/// runtimeRules().specVersion;                          // 475, the newest known
/// runtimeRules({ specVersion: 480, acceptApproximate: true }).approximate; // true
/// ```
#[wasm_bindgen(js_name = runtimeRules)]
pub fn runtime_rules(choice: Option<Ts<RuntimeChoice>>) -> Result<Ts<RuntimeRules>, JsValue> {
    let choice = JsRuntimeChoice::from(read_or_default(&choice, "choice")?);
    to_ts(&RuntimeRules::from(&choice.rules()?))
}

/// The runtimes this engine has rules for, and the timeline of rule changes with their evidence.
///
/// @example
/// ```ts
/// const k = knownRuntimes();
/// k.newest;                                  // 475
/// k.timeline.find((r) => r.feature === "emission_gate").fromSpec; // 440
/// ```
#[wasm_bindgen(js_name = knownRuntimes)]
pub fn known_runtimes() -> Result<Ts<KnownRuntimes>, JsValue> {
    to_ts(&KnownRuntimes {
        oldest: timeline::OLDEST_KNOWN_SPEC,
        newest: timeline::NEWEST_KNOWN_SPEC,
        boundaries: timeline::boundaries(),
        timeline: timeline::TIMELINE
            .iter()
            .map(|c| RuleChange {
                feature: c.feature.into(),
                from_spec: c.from_spec,
                until_spec: c.until_spec,
                evidence: c.evidence.into(),
                source: c.source,
            })
            .collect(),
        not_modelled: timeline::NOT_MODELLED.to_vec(),
        live_dates: timeline::LIVE_DATES.to_vec(),
    })
}
