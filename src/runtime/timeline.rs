//! The one table of rule changes finney ran, by runtime `spec_version`.
//!
//! Every rule switch the engine knows is one row of [`TIMELINE`]: the first spec that has it, the
//! last spec that has it (for rules that were later removed), the evidence grade and where the
//! boundary comes from. [`super::Rules`] is derived from this table only, so correcting a
//! boundary is a one-line change here (and the unit tests in `rules.rs` say which switch moved).
//!
//! Sources: `shared/spec/emission-after-425.md` §1 and §8, `shared/spec/pool-after-425.md` §1.2,
//! `shared/spec/chain-data-after-425.md` §1 (all describing `RaoFoundation/subtensor` and finney
//! reads up to spec 475); for spec 423 and the eras before it ([`HISTORICAL`]) the release tags of
//! `opentensor/subtensor` (`v3.3.14-401`, `v3.3.15-402`, `v3.4.0-411` … `v3.4.9-424`, and the
//! commits between them for 410, 412 and 420, read with git in a mirror up to
//! 2026-06-30). Grades follow those specs: **A** read in code and confirmed live, **B**
//! read in code with the live spec inferred from PR state and dates, **C** reconstructed from PR
//! text or third-party notes, or a boundary picked inside a known range.

/// One rule that changed after spec 423 (or that finney dropped again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Subnet shares also weighted by the root proportion (423–424; #2781 → #2800).
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
    /// holds alone only raises the value (`try_credit_sole_member`) (pool-after-425 §5.1); the
    /// storage layer retires a closed pool's share rows by pool epochs (`AlphaSharePoolEpoch`,
    /// `AlphaShareEpoch`).
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
    /// A leased subnet's lease dividend (`distribute_leased_network_dividends` and its stake
    /// transfers): the 423–425 code (ceil slices, one storage layer) is replayed; later runtimes
    /// changed the transfer and then deferred unpayable slices, at specs not pinned.
    LeaseDividends,
    /// The balancer swap of 424: exponentials at precision 256 clamped to ≤ 1 for inputs, and
    /// a swap's net input capped at 1 000 × the input reserve (`SwapInputTooLarge`). Spec 423 ran
    /// precision 1024, no clamp, no cap.
    BalancerSwapGuards,
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

/// Oldest runtime whose rules the engine holds: 423, the first balancer runtime (release tag
/// `v3.4.8-423`, 2026-06-25). Older runtimes are described by [`HISTORICAL`] only.
pub const OLDEST_KNOWN_SPEC: u32 = 423;
/// Newest runtime whose rules the engine holds (finney, 2026-10-09).
pub const NEWEST_KNOWN_SPEC: u32 = 475;

/// Spec 423 (tag `v3.4.8-423`, 06032d518, 2026-06-25) against 424 (`v3.4.9-424`, 6d81084c5,
/// 2026-06-29): no change under `coinbase/` or `epoch/`; the swap differs
/// ([`Feature::BalancerSwapGuards`]).
///
/// Every rule change from 423 to 475. Rows with the same feature must not overlap.
pub const TIMELINE: &[Change] = &[
    Change { feature: Feature::RootPropShares, from_spec: 423, until_spec: Some(424), evidence: Evidence::A, source: "#2781 live until 2026-07-16; #2800 removed it (425 never ran, 432 has it removed); 423: get_shares weights root_prop × (1 − MinerBurned) at v3.4.8-423 (and at v3.4.6-421, v3.4.7-422)" },
    Change { feature: Feature::MinerBurnFactor, from_spec: 423, until_spec: Some(443), evidence: Evidence::A, source: "f8ff769 subnet_emissions.rs; #3057; 423: same get_shares as 424 (tags v3.4.8-423 / v3.4.9-424)" },
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
    Change { feature: Feature::SharePoolClosing, from_spec: 469, until_spec: None, evidence: Evidence::C, source: "primitives/share-pool (index id 71438766555) cites 'v468 defect 1' fixed in 469; its closing rules came with the 464/465 reconcile releases or later, so 469 is the first spec certain to have them (464–468: see UNPINNED). The sole-member emission credit is taken from pool-after-425 §5.1; run_coinbase's credit_epoch_owner_emission itself was not read. The same primitives require set_denominator(0) to retire every share; the storage layer that does it by pool epochs (stake_utils.rs index id 69155006798, lib.rs id 68884137211: AlphaSharePoolEpoch, AlphaShareEpoch) is taken with them: a third-party read of finney on 2026-09-28 (469 live from 09-23) found the epochs (96 reset pools), absent 30 days earlier" },
    Change { feature: Feature::FeesHalved, from_spec: 467, until_spec: None, evidence: Evidence::B, source: "#3183; live by 2026-09-20 (third-party read)" },
    Change { feature: Feature::ClaimDustRules, from_spec: 468, until_spec: None, evidence: Evidence::C, source: "claim_root_dust.rs module doc" },
    Change { feature: Feature::RegistrationSeeding, from_spec: 473, until_spec: None, evidence: Evidence::B, source: "release PR #3208, live 2026-10-06" },
    Change { feature: Feature::BalancerSwapGuards, from_spec: 424, until_spec: None, evidence: Evidence::B, source: "pallets/swap balancer.rs exp_scaled precision 1024 → 256 and the ≤ 1 clamp, impls.rs/swap_step.rs MAX_SWAP_INPUT_RESERVE_MULTIPLIER = 1000: diff of tags v3.4.8-423 and v3.4.9-424 (commits 98151ecd2, 593de8a17, 2026-06-26); live spec inferred from the release tags" },
];

/// A runtime era before [`OLDEST_KNOWN_SPEC`]: what its coinbase does, read in code, and why
/// the engine does not replay it. `replay block` lists every output of such a runtime with
/// [`HistoricalEra::reason`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HistoricalEra {
    /// First spec of the era.
    pub first: u32,
    /// Last spec of the era.
    pub last: u32,
    /// The subnet share rule.
    pub shares: &'static str,
    /// The pool and its protocol injection.
    pub pool: &'static str,
    /// When epochs run.
    pub schedule: &'static str,
    /// How sure the era's bounds and rules are.
    pub evidence: Evidence,
    /// Where it was read.
    pub source: &'static str,
    /// Why `replay block` does not replay it (the `needs` entry of every output).
    pub reason: &'static str,
}

/// The pre-423 eras finney ran, newest first (release tags of opentensor/subtensor; a release
/// tag is taken as the runtime finney ran, dates are the tags'). A spec without a tag is pinned
/// to an era only when every commit whose `runtime/src/lib.rs` says that spec carries the era's
/// code for everything the replayed coinbase runs (`run_coinbase.rs`, `subnet_emissions.rs`,
/// `block_step.rs`, the stake and swap code it calls, the share pool, and from 396 the epoch);
/// where the commits disagree the spec stays unpinned ([`ERA_NOT_PINNED`]).
pub const HISTORICAL: &[HistoricalEra] = &[
    HistoricalEra {
        first: 421,
        last: 422,
        shares: "moving price × root proportion × (1 − MinerBurned), renormalised (as 423–424)",
        pool: "Uniswap v3: tao_in / alpha_in go into the protocol position (adjust_protocol_liquidity: fees, scrap reservoirs, liquidity; its result ignored), the excess TAO buys alpha along the v3 curve without fees, then SubnetAlphaIn / SubnetTAO grow by the computed amounts",
        schedule: "legacy: (block + netuid + 1) mod (tempo + 1) == tempo, no MaxEpochsPerBlock, no LastEpochBlock / PendingEpochAt / SubnetEpochIndex; the epoch and payout are 423's but for HISTORICAL_RULES (ActivityCutoff, bond mask at block − tempo, commits by the legacy epoch index)",
        evidence: Evidence::B,
        source: "tags v3.4.6-421 (6016381e4, 2026-06-22) and v3.4.7-422 (e367ae647, 2026-06-23): coinbase/ and pallets/swap identical between them; run_coinbase.rs, subnet_emissions.rs, pallets/swap/src/pallet/impls.rs",
        reason: V3_COINBASE_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 413,
        last: 419,
        shares: "net TAO flow: EMAs of user flow minus normalised protocol flow (get_shares_flow; SubnetEmaTaoFlow, SubnetEmaProtocolFlow, FlowEmaSmoothingFactor, NetTaoFlowEnabled)",
        pool: "Uniswap v3 (as 421–422), the injection capped at min(alpha emission, block emission); the chain buy's alpha kept as SubnetProtocolAlpha",
        schedule: "legacy modulo (as 421–422)",
        evidence: Evidence::B,
        source: "tags v3.4.1-413 to v3.4.5-419 (fa8364629, 2026-06-16): coinbase/ and pallets/swap identical but for nothing the coinbase reads (stake_utils.rs at 419: the root coldkey index); 414 and 418 have no tag and are taken as their neighbours",
        reason: FLOW_SHARES_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 408,
        last: 411,
        shares: "net TAO flow (as 413–419)",
        pool: "Uniswap v3 (as 413–419), but the chain buy's alpha is recycled (recycle_subnet_alpha) instead of kept (SubnetProtocolAlpha does not exist yet)",
        schedule: "legacy modulo (as 421–422)",
        evidence: Evidence::B,
        source: "tag v3.4.0-411 (486037ba4, 2026-05-27); v3.4.1-413 replaced the recycle by SubnetProtocolAlpha. 410 has no tag: every commit between v3.3.15-402 and v3.4.0-411 whose runtime/src/lib.rs says spec_version 410 (6ab4e9050, 8ae41349e, cee0edab0, 2e95cd365, 98b862069, 5bb20027f, dcc96ba1f) has 411's coinbase/, pallets/swap/src, epoch/, stake_utils.rs, helpers.rs, claim_root.rs and weights.rs; they differ from 411 only in lock defaults (DefaultOwnerCutAutoLockEnabled true, lock timescales 648 000), whose lock writes are not replayed at 410–411; 408 and 409 have no tag either: each of the 22 commits whose runtime says one of them has 411's run_coinbase.rs, subnet_emissions.rs, block_step.rs, block_emission.rs, stake_utils.rs, staking/helpers.rs, claim_root.rs, epoch/, subnets/mechanism.rs, primitives/share-pool and the swap's swap_step.rs and impls.rs, and differs from 411 in the conviction-lock code (staking/lock.rs: auto_lock_owner_cut locks the owner cut without an OwnerCutAutoLockEnabled switch), whose Lock writes are not replayed at 408–411, and in extrinsics, migrations and subnet removal",
        reason: FLOW_SHARES_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 396,
        last: 402,
        shares: "TAO flow without protocol flow: the user flow EMA only (get_shares_flow with no SubnetProtocolFlow / SubnetEmaProtocolFlow / NetTaoFlowEnabled), no SubnetEmissionEnabled filter",
        pool: "Uniswap v3 (as 408–411, the chain buy's alpha recycled), but no TAO credit: the block emission is not minted first (the injection cap min(alpha emission, block emission) reads TotalIssuance before the block, which then grows by tao_in + excess of each subnet), no SubnetExcessTao, no SubnetProtocolFlow, no AlphaAssets pallet (SubnetAlphaIn / SubnetAlphaOut change directly, recycling only lowers SubnetAlphaOut), the owner cut always taken (no OwnerCutEnabled), no owner-cut auto-lock",
        schedule: "legacy modulo (as 421–422)",
        evidence: Evidence::B,
        source: "tags v3.3.14-401 (40a451f36, 2026-04-23) and v3.3.15-402 (6844ee37f, 2026-05-08): coinbase/, pallets/swap, epoch/, stake_utils.rs identical between them; diff v3.3.15-402..v3.4.0-411 of run_coinbase.rs (inject_and_maybe_swap, emit_to_subnets, get_subnet_terms), subnet_emissions.rs (get_subnet_block_emissions, get_shares_flow), block_emission.rs, block_step.rs, tao.rs and alpha.rs (new at 411). 396–400 have no tag: each of the 63 commits whose runtime says one of them has 401's run_coinbase.rs, subnet_emissions.rs, block_step.rs, block_emission.rs, stake_utils.rs, staking/helpers.rs, claim_root.rs, epoch/, subnets/mechanism.rs, primitives/share-pool and the swap's swap_step.rs and impls.rs; 398–400 differ from v3.3.14-401 only in an event's fields, 396–397 also in subnet registration (RegisteredSubnetCounter, the registration's pool seeding, root validators for a new subnet), neuron replacement, subnet removal, storage declarations the coinbase does not read (Rank, Trust, PruningScores, AutoParentDelegationEnabled), migrations and extrinsics",
        reason: LEGACY_FLOW_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 393,
        last: 393,
        shares: "TAO flow without protocol flow (as 396–402)",
        pool: "Uniswap v3 without TAO credit (as 396–402: the chain buy's alpha recycled, TotalIssuance += tao_in + excess), but a subnet emits when registration or PoW registration is allowed (NetworkRegistrationAllowed || NetworkPowRegistrationAllowed)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: SOURCE_391_393,
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 388,
        last: 391,
        shares: "TAO flow without protocol flow (as 396–402)",
        pool: "Uniswap v3 without TAO credit (as 396–402: the chain buy's alpha recycled, TotalIssuance += tao_in + excess), but a subnet emits when registration or PoW registration is allowed (NetworkRegistrationAllowed || NetworkPowRegistrationAllowed)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: SOURCE_391_393,
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 385,
        last: 385,
        shares: "TAO flow without protocol flow (as 391, 393)",
        pool: "as 391 and 393, but the users' pool liquidity is kept apart (SubnetTaoProvided, SubnetAlphaInProvided, both in the pool's reserves): the alpha issuance counts SubnetAlphaInProvided, and the chain buy's alpha leaves it first, the rest SubnetAlphaIn (decrease_provided_alpha_reserve)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "tag v3.3.11-385 (7eb6f9bb7, 2026-03-11): diff v3.3.11-385..v3.3.12-391 of coinbase/ (run_coinbase.rs, subnet_emissions.rs, block_emission.rs, block_step.rs: type renames TaoCurrency → TaoBalance only), pallets/swap/src (renames and Token bounds), epoch/run_epoch.rs (origin type only), primitives/share-pool (identical) and stake_utils.rs (get_alpha_issuance with SubnetAlphaInProvided, swap_tao_for_alpha's decrease_provided_alpha_reserve, the TokenReserve impls in lib.rs: SubnetTAO + SubnetTaoProvided, SubnetAlphaIn + SubnetAlphaInProvided)",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 380,
        last: 380,
        shares: "TAO flow without protocol flow (as 365–377)",
        pool: "a weighted balancer (423's pool: exponentials at precision 1024, no input cap; reserves SubnetTAO / SubnetAlphaIn, no provided reserves): the injection collects the LP fees FeesTao / FeesAlpha into adjust_protocol_liquidity's deltas and SubnetTAO / SubnetAlphaIn grow by what it actually added (nothing, the fees kept, when the weights would leave their range); the chain buy swaps fee-free through the balancer (a pool not yet initialised first set to weights ½), its alpha recycled; the alpha issuance without provided alpha",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "tag v3.3.10-380 (0c6868f75, 2026-02-20, the merge of the testnet branch; finney swapped through a balancer from 2026-02-20 until the revert of 02-24, spec emission-and-pools §17): diff v3.3.9-377..v3.3.10-380 of run_coinbase.rs (adjust_protocol_liquidity's actual amounts into the reserves, current_alpha_price as U64F64 widened to U96F32), stake_utils.rs (no SubnetTaoProvided / SubnetAlphaInProvided, the block author's fee), the swap pallet (balancer.rs, whose non-test code equals v3.4.8-423's; impls.rs's adjust_protocol_liquidity with FeesTao / FeesAlpha, do_swap's maybe_initialize_palswap; swap_step.rs with DefaultFeeSplit 0, so a swap adds no LP fee); subnet_emissions.rs, block_step.rs unchanged",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 365,
        last: 377,
        shares: "TAO flow without protocol flow (as 385)",
        pool: "as 385, but a swap step that takes input and gives no output goes on instead of failing ReservesTooLow (swap_step.rs before 385's fee split)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: SOURCE_366_377,
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 363,
        last: 363,
        shares: "TAO flow without protocol flow (as 361)",
        pool: "as 361: the injection capped at the subnet's alpha emission alone, no RootProp",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "no tag: every one of the 24 commits whose runtime/src/lib.rs says 363 has v3.3.0-361's coinbase/ (not v3.3.1-362's cap at min(alpha emission, block emission)), pallets/swap/src and stake_utils.rs; they differ from v3.3.0-361 under pallets/subtensor/src, pallets/swap/src, primitives and common in remove_stake.rs and a blank line of lib.rs, and one merge (9587f3647) also in the epoch, registration, uids.rs, migrations and misc.rs, none of which the replayed coinbase runs",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 362,
        last: 362,
        shares: "TAO flow without protocol flow (as 365–377)",
        pool: "as 365–377, but no RootProp (update_root_prop, which writes it after the coinbase, comes with 365)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "tag v3.3.1-362 (8834a7c73, 2025-12-12): diff v3.3.1-362..v3.3.2-365 of block_step.rs (update_root_prop added), run_coinbase.rs (the root proportion moved into root_proportion(), same formula; let-chains), stake_utils.rs and the swap's impls.rs (let-chains only), epoch/ (listed); v3.3.2-365..v3.3.3-366 changes only stake_utils.rs's transfer_stake_within_subnet (root claims), which the coinbase does not run",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 356,
        last: 361,
        shares: "TAO flow without protocol flow (as 362)",
        pool: "as 362, but the injection capped at the subnet's alpha emission alone (get_subnet_terms; min(alpha emission, block emission) from 362)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "tag v3.3.0-361 (52378dc3e, 2025-12-09): diff v3.3.0-361..v3.3.1-362 of coinbase/, pallets/swap/src, stake_utils.rs, epoch/ and primitives/share-pool: run_coinbase.rs's get_subnet_terms only (alpha_in capped at alpha_emission_i, then at alpha_emission_i.min(tao_block_emission)). 356–360 have no tag: each of the 30 commits whose runtime/src/lib.rs says one of them differs from v3.3.0-361 under pallets/subtensor/src, pallets/swap/src, pallets/swap-interface, primitives and common only in stake_utils.rs (the stake extrinsics' TAO-flow recording), the swap's impls.rs (the liquidity dissolution) and mod.rs (user-liquidity extrinsics), none run by the coinbase",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 353,
        last: 354,
        shares: "TAO flow without protocol flow (as 361)",
        pool: "as 361, but SubnetAlphaInProvided not counted in the alpha issuance (as 348–352)",
        schedule: "legacy modulo (as 421–422); the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "no tag: the 28 commits whose runtime/src/lib.rs says 353 or 354 have v3.3.0-361's coinbase/, epoch/, subnets/, primitives/share-pool and pallet lib.rs, and differ from it under pallets/subtensor/src, pallets/swap/src, primitives and common only in stake_utils.rs (get_alpha_issuance without SubnetAlphaInProvided, and the stake extrinsics' TAO-flow recording), utils/misc.rs (an admin rate limit), one commit's dispatches.rs (a weight) and the swap's dissolution and extrinsics; the issuance fix (87a4dd2bc, 2025-12-04) came during 355, whose commits carry both, so 355 is not pinned",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
    HistoricalEra {
        first: 348,
        last: 352,
        shares: "TAO flow without protocol flow (as 361), over every subnet with a FirstEmissionBlockNumber (no SubtokenEnabled or registration filter)",
        pool: "as 361 (injection capped at the alpha emission alone, the buy's alpha drawn from SubnetAlphaInProvided first and recycled), but a subnet allowing neither registration nor PoW registration has tao_in, alpha_in and alpha_out zeroed, its excess still bought and issued; SubnetAlphaInProvided not counted in the alpha issuance",
        schedule: "legacy modulo (as 421–422); the moving prices step inside run_coinbase before the drain; the drain is replayed, the due epoch and payout are not (PRE_SAFEFLOAT_NOT_REPLAYED)",
        evidence: Evidence::B,
        source: "tags v3.2.15-348, v3.2.16-349, v3.2.17-350 (v3.2.17-359 is the same commit), v3.2.18-351, v3.2.19-352: coinbase/, subnet_emissions.rs, block_step.rs and the swap's swap_step.rs identical across them (351 changes only impls.rs's liquidity-provider dissolution, 352 only stake_utils.rs's TAO-flow recording of the stake extrinsics, neither run by the coinbase); diff v3.2.17-350..v3.3.0-361: run_coinbase.rs (one loop with the registration check zeroing the terms after the excess, injection and counter loops, update_moving_price inside run_coinbase; 361: get_subnet_terms, inject_and_maybe_swap, drain_pending, update_moving_prices after it), subnet_emissions.rs get_subnets_to_emit_to (361 adds the SubtokenEnabled and registration filters), stake_utils.rs get_alpha_issuance (361 adds SubnetAlphaInProvided) and the stake extrinsics' flow recording, the swap's impls.rs (dissolution only)",
        reason: PRE_SAFEFLOAT_NOT_REPLAYED,
    },
];

/// A rule of the epoch or its payout in which the v3 runtimes (396–402, 408–411, 413–419, 421–422;
/// 348–393 have their due epoch and payout listed, `PRE_SAFEFLOAT_NOT_REPLAYED`) differ
/// from spec 423, whose epoch and payout code they otherwise share: `replay block` replays their
/// due epochs and payouts on 423's rules ([`super::Rules::for_v3_epoch`]) with these rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoricalRule {
    /// The epoch reads `ActivityCutoff` (no floor of 1) instead of `ActivityCutoffFactorMilli ×
    /// tempo`, masks bonds at `block − tempo` instead of after `LastMechansimStepBlock`, and
    /// expires commits by the legacy epoch index of their commit block
    /// (`chain::snapshot_read::EpochReads::Legacy`).
    LegacyEpochReads,
    /// The payout records `MinerBurned = withheld / total` of the miner incentives.
    MinerBurnedWritten,
}

/// One [`HistoricalRule`] and the specs that have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HistoricalChange {
    /// The rule.
    pub rule: HistoricalRule,
    /// First spec that has it.
    pub from_spec: u32,
    /// Last spec that has it (`None`: still in force at 423).
    pub until_spec: Option<u32>,
    /// How sure the boundary is.
    pub evidence: Evidence,
    /// Where it was read.
    pub source: &'static str,
}

/// The epoch and payout rules of 396–422 that differ from 423's. Otherwise the code is 423's:
/// `epoch/`, `subnets/mechanism.rs`, `primitives/share-pool` and the payout functions of
/// `run_coinbase.rs` (`distribute_emission`, `calculate_dividends_and_incentives`,
/// `calculate_dividend_distribution`, `distribute_dividends_and_incentives`,
/// `get_parent_child_dividends_distribution`), `stake_utils.rs`'s stake increases and
/// `claim_root.rs`'s `RootClaimable` are unchanged between v3.4.0-411 and v3.4.8-423 but for
/// these rows (git diff of the tags).
pub const HISTORICAL_RULES: &[HistoricalChange] = &[
    HistoricalChange { rule: HistoricalRule::LegacyEpochReads, from_spec: 396, until_spec: Some(422), evidence: Evidence::B, source: "diff v3.4.7-422..v3.4.8-423: run_epoch.rs get_activity_cutoff → get_activity_cutoff_blocks, last_tempo = current_block − tempo → LastMechansimStepBlock + 1 (both epochs), WeightCommits (hash, commit_block, …) → (hash, commit_epoch, commit_block, …); weights.rs is_commit_expired(netuid, commit_block) by get_epoch_index = (block + netuid + 1) / (tempo + 1) → SubnetEpochIndex; run_epoch.rs identical from v3.3.14-401 to v3.4.7-422 (weights.rs from 401 to 411 only in batch-extrinsic events); 396–400 by the commits that carry them (epoch/ and subnets/weights.rs as 401's)" },
    HistoricalChange { rule: HistoricalRule::MinerBurnedWritten, from_spec: 421, until_spec: None, evidence: Evidence::B, source: "diff v3.4.5-419..v3.4.6-421: distribute_dividends_and_incentives adds total/withheld incentive and MinerBurned::insert (root.rs removes it with the subnet); absent at v3.3.14-401 … v3.4.5-419" },
];

/// Whether `rule` is in force at `spec` by [`HISTORICAL_RULES`].
pub fn historical_has(rule: HistoricalRule, spec: u32) -> bool {
    HISTORICAL_RULES
        .iter()
        .any(|c| c.rule == rule && spec >= c.from_spec && c.until_spec.is_none_or(|u| spec <= u))
}

/// The reason listed at specs 421–422 for what the alpha a due epoch's payout recycles or burns
/// decides (`chain::replay_v3` replays the rest: the drain, the epoch and its payout).
pub const V3_COINBASE_NOT_REPLAYED: &str = "specs 421–422 (v3.4.6-421, v3.4.7-422): the epoch due at this block under the legacy schedule ((block + netuid + 1) mod (tempo + 1) == tempo) drains its buckets, runs its Yuma epoch and pays it out (replayed), but the alpha the payout recycles or burns (owner-hotkey incentives, child-key burn) is not replayed into SubnetAlphaOut, the AlphaAssets issuance and RootProp after it";
/// The reason listed at specs 408–411 and 413–419 for what the alpha a due epoch's payout
/// recycles or burns decides (`chain::replay_v3` replays the rest: TAO-flow shares, the drain, the
/// epoch and its payout).
pub const FLOW_SHARES_NOT_REPLAYED: &str = "specs 408–419 (v3.4.0-411 … v3.4.5-419; 408–410 by the commits that carry them): the epoch due at this block under the legacy schedule ((block + netuid + 1) mod (tempo + 1) == tempo) drains its buckets, runs its Yuma epoch and pays it out (replayed, without MinerBurned, which these runtimes do not write), but the alpha the payout recycles or burns (owner-hotkey incentives, child-key burn) is not replayed into SubnetAlphaOut, the AlphaAssets issuance and RootProp after it";
/// The reason listed at specs 396–402 for what the alpha a due epoch's payout recycles or burns
/// decides (`chain::replay_v3` replays the rest: user-flow shares, the drain, the epoch and its
/// payout).
pub const LEGACY_FLOW_NOT_REPLAYED: &str = "specs 396–402 (v3.3.14-401, v3.3.15-402; 396–400 by the commits that carry them): the epoch due at this block under the legacy schedule ((block + netuid + 1) mod (tempo + 1) == tempo) drains its buckets, runs its Yuma epoch and pays it out (replayed, without MinerBurned), but the alpha the payout recycles (owner-hotkey incentives, child-key burn) is not replayed into SubnetAlphaOut and RootProp after it";
/// Where the coinbase of 366–377 was read.
const SOURCE_366_377: &str = "tags v3.3.2-365 (6e3d24cea, 2025-12-19; differs from 366 only in stake_utils.rs's transfer_stake_within_subnet, not run by the coinbase), v3.3.3-366 (d65dbaedf, 2026-01-06), v3.3.4-367, v3.3.5-372 (its runtime says spec 371), v3.3.6-372, v3.3.7-373, v3.3.7-374, v3.3.8-374 and v3.3.9-377 (b2e2cdeba, 2026-02-12; v3.3.9-376 is the same commit): coinbase/ (but root.rs's network removal at 372), pallets/swap/src/pallet/impls.rs, swap_step.rs, stake_utils.rs, epoch/ and primitives/share-pool identical across them; diff v3.3.9-377..v3.3.11-385: swap_step.rs process_swap (385 adds the fee split and ensure!(delta_out > 0) for a step with input; fees are dropped in the chain buy), impls.rs and stake_utils.rs (fee_to_block_author, zero in the chain buy), block_emission.rs (get_dynamic_tao_emission removed, unused by the coinbase), run_epoch.rs and mechanism.rs (EpochTerms.stake). 375 and 376 have no tag of their own: every commit whose runtime/src/lib.rs says spec_version 375 (b4620454f, 582d7e679, 5cddfdbb7) or 376 (c2f6d522b, 9e16f4271, 36b8b8cd3, 8f60c4593, 0560be2f9) has the trees of coinbase/, pallets/swap/src, staking/, epoch/, subnets/mechanism.rs, primitives/share-pool and pallets/subtensor/src/lib.rs of v3.3.8-374 and v3.3.9-377, and differs from v3.3.8-374 only in admin-utils, commitments, drand, dispatches.rs (dispatch classes and weights) and the runtime's lib.rs (imports and spec_version). 368–370 have no tag either: every one of the 45 commits whose runtime says 368, 369 or 370 has v3.3.5-372's coinbase/ and pallets/swap/src; 41 have its stake_utils.rs, and 4 (368) differ in transfer_stake_within_subnet's root-claim adjustment, with register_network's user-liquidity toggle and the child-key cooldown default beside it; the others differ from v3.3.5-372 in remove_stake.rs and staking/helpers.rs (extrinsics and a coldkey stake sum the coinbase does not call), or carry the voting-power EMA (run_epoch.rs, mechanism.rs, lib.rs's VotingPower items), an epoch change these runtimes' replay lists anyway";
/// Where the coinbase of 391 and 393 was read.
const SOURCE_391_393: &str = "tags v3.3.12-391 (7a727dd4d, 2026-03-19) and v3.3.13-393 (4a2e4b128, 2026-03-25): coinbase/, pallets/swap/src, staking/, epoch/, subnets/mechanism.rs and primitives/share-pool identical between them; diff v3.3.13-393..v3.3.14-401: subnet_emissions.rs get_subnets_to_emit_to (|| get_network_pow_registration_allowed), run_coinbase.rs (the owner cut's lease dividend from increase_stake_for_hotkey_and_coldkey_on_subnet's actual amount), block_step.rs (adjust_registration_terms_for_networks instead of update_registration_prices_for_networks, neither replayed), run_epoch.rs (no owner permit or stake-floor exemption), stake_utils.rs and primitives/share-pool (U64F64 shares before the SafeFloat rewrite f081968a7); the rest of the coinbase (get_shares_flow, get_subnet_terms, inject_and_maybe_swap, drain_pending, update_moving_prices) identical to 401's. 388–390 have no tag: each of the 33 commits whose runtime says one of them has 391's run_coinbase.rs, subnet_emissions.rs, block_step.rs, block_emission.rs, stake_utils.rs, staking/helpers.rs, subnets/mechanism.rs, primitives/share-pool and the swap's swap_step.rs, tick and position code, and differs from v3.3.12-391 in the origin type (T::RuntimeOrigin before 391's OriginFor alias), the swap's do_modify_position bound (a user extrinsic), the coldkey-swap announcements, hotkey swaps and runtime constants of extrinsics; 386 and 387 are not pinned (their commits carry either 385's code or this line's)";
/// The reason listed at specs 348–354, 356–363, 365–377, 380, 385, 388–391 and 393 for a due epoch's writes, its payout and what the
/// payout's recycled alpha decides (`chain::replay_v3` replays the coinbase and the drain).
pub const PRE_SAFEFLOAT_NOT_REPLAYED: &str = "specs 348–354, 356–363, 365–377, 380, 385, 388–391 and 393 (v3.2.15-348 … v3.2.19-352, v3.3.0-361 … v3.3.13-393): the epoch due at this block under the legacy schedule ((block + netuid + 1) mod (tempo + 1) == tempo) drains its buckets (replayed), but its Yuma epoch (no forced owner validator permit, no owner stake-floor exemption) and its payout (the U64F64 share pool before primitives/share-pool's SafeFloat rewrite f081968a7, the owner cut's lease dividend from the stake actually added) are not ported: their writes, and SubnetAlphaOut and RootProp after the payout, are not replayed";
/// The reason listed for every output of a runtime before 423 outside [`HISTORICAL`].
pub const ERA_NOT_PINNED: &str = "runtimes before spec 423 outside the described eras are not pinned: not replayed (before 348: not compared; 355: no tag, and its commits carry get_alpha_issuance both with and without SubnetAlphaInProvided (the fix 87a4dd2bc came during 355); 364, 378–379, 386–387, 394–395 and 403–407: no tag of their own, and the commits carrying each of them differ from the neighbouring tags or from each other (git trees of coinbase/, pallets/swap/src, staking/, epoch/, subnets/mechanism.rs, primitives/share-pool and lib.rs, then the files the coinbase runs: 364's carry four coinbase trees; 378–379 carry several swap trees on the way to 380's balancer; 386 and 387 each carry 385's coinbase and stake code in some commits and 391's in others; 394–395 and 403–407 carry coinbase, stake or epoch code that differs from both neighbouring tags or between their commits); 381: its commits carry either 380's balancer line or 377's code; 382–384: no commit carries them; 392: the commit between v3.3.12-391 and v3.3.13-393 has 393's code, another commit carrying it (58311c6bd) has the SafeFloat share pool and 401's payout; 412: commits carrying it have 411's coinbase and others 413's; 420: no commit between v3.4.5-419 and v3.4.6-421 carries it)";

/// The historical era of `spec`, if the engine describes one.
pub fn historical(spec: u32) -> Option<&'static HistoricalEra> {
    HISTORICAL
        .iter()
        .find(|e| (e.first..=e.last).contains(&spec))
}

/// Why `replay block` does not replay a runtime older than [`OLDEST_KNOWN_SPEC`].
pub fn not_replayed_reason(spec: u32) -> &'static str {
    historical(spec).map_or(ERA_NOT_PINNED, |e| e.reason)
}

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
    Unpinned { feature: Feature::LeaseDividends, first: 426, last: NEWEST_KNOWN_SPEC, source: "distribute_leased_network_dividends and transfer_stake_within_subnet are the same at v3.4.8-423, v3.4.9-424 and 14bc6f9 (425); the 436 leasing.rs (0bb2cb305) keeps that distribution, but a stored stake_utils.rs (index id 61423764310) moves the lock to the destination hotkey, makes the hotkey a delegate and checks DefaultMinTransfer, and the newest leasing.rs (id 69131719386) floors each slice and defers unpayable ones (SubnetLeaseUnpaidDividends); the specs of these changes were not found" },
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
        c.feature == feature && spec >= c.from_spec && c.until_spec.is_none_or(|u| spec <= u)
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
#[path = "timeline_tests.rs"]
mod tests;
