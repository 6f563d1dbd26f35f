//! The runtime differences [`super::replay_v3`] takes as parameters: which v3 era a spec is in
//! (`runtime::timeline::HISTORICAL`) and what its coinbase does differently.

use crate::runtime::timeline::historical;

/// The share rule of a v3 runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shares {
    /// 348–419: TAO flow ([`super::replay_v3_flow`]; net of the protocol flow from 408),
    /// injection capped at `min(alpha_emission, block emission)`.
    Flow,
    /// 421–422: price EMA × root proportion × (1 − MinerBurned), injection capped at the root
    /// proportion of the alpha emission.
    RootProp,
}

/// What differs between the v3 runtimes [`super::replay_v3::replay_v3`] replays. A range below
/// names the pinned specs in it only ([`era`] has no era for the others).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Era {
    pub(crate) shares: Shares,
    /// Up to 411: the chain buy's alpha is recycled (`recycle_subnet_alpha`); from 413
    /// (`v3.4.1-413`) it is kept as `SubnetProtocolAlpha` (absent before 413).
    pub(crate) recycle_bought: bool,
    /// From 408 (`v3.4.0-411`, and the commits carrying 408–410): the block emission is minted first as a credit (the injection
    /// cap reads `TotalIssuance` after the mint, the unspent credit is recycled), the protocol
    /// flow is kept (`SubnetProtocolFlow`, `SubnetEmaProtocolFlow`, `NetTaoFlowEnabled`,
    /// `SubnetExcessTao`), alpha moves through the `AlphaAssets` pallet, and `OwnerCutEnabled`
    /// and `SubnetEmissionEnabled` are read. 396–402 (`v3.3.14-401`, `v3.3.15-402`) have none of
    /// these: `TotalIssuance` grows by each subnet's `tao_in + excess`, the cap reads it before.
    pub(crate) credit: bool,
    /// 353–393 (361's coinbase from 353, … `v3.3.13-393`): a subnet emits when registration
    /// *or* PoW registration is allowed (`NetworkPowRegistrationAllowed`); from 396 registration
    /// only.
    pub(crate) pow_emits: bool,
    /// Up to 385 (`v3.2.15-348` … `v3.3.11-385`): a buy takes its alpha from
    /// `SubnetAlphaInProvided` first (`decrease_provided_alpha_reserve`); gone from 391.
    pub(crate) provided: bool,
    /// 356–385 (the commits carrying 356–360, `v3.3.0-361` … `v3.3.11-385`):
    /// `SubnetAlphaInProvided` counts in the alpha issuance (`get_alpha_issuance`); 348–354
    /// count `SubnetAlphaIn + SubnetAlphaOut` only (the fix came during 355, whose commits carry
    /// both).
    pub(crate) provided_issuance: bool,
    /// 348–352 (`v3.2.15-348` … `v3.2.19-352`): every subnet with a `FirstEmissionBlockNumber`
    /// emits (no `SubtokenEnabled` or registration filter in `get_subnets_to_emit_to`); one that
    /// allows neither registration nor PoW registration has its `tao_in`, `alpha_in` and
    /// `alpha_out` zeroed after the terms, its excess kept (bought and issued). From 353 (361's
    /// coinbase) such a subnet does not emit.
    pub(crate) zero_terms: bool,
    /// 348–377 (`v3.2.15-348` … `v3.3.9-377`): a swap step with input and no output goes on
    /// instead of failing `ReservesTooLow` ([`crate::pool::v3::V3Pool::zero_output_steps`]).
    pub(crate) zero_output_steps: bool,
    /// From 365 (`v3.3.2-365`): `update_root_prop` writes `RootProp` after the coinbase; 348–363
    /// have no `RootProp` (not compared).
    pub(crate) root_prop: bool,
    /// From 362 (`v3.3.1-362`): the injection cap is `min(alpha_emission, block emission)`;
    /// 348–361 and 363 (whose commits carry 361's coinbase) cap at the alpha emission alone.
    pub(crate) cap_block: bool,
    /// 380 (`v3.3.10-380`, finney 2026-02-20 … 02-24): the pool is a balancer (423's weighted
    /// pool: exponentials at precision 1024, no input cap); the injection first collects the
    /// pool's LP fees (`FeesTao`, `FeesAlpha`) and `SubnetTAO` / `SubnetAlphaIn` grow by what
    /// `adjust_protocol_liquidity` actually added (nothing when the weights would leave their
    /// range), the chain buy swaps through the balancer.
    pub(crate) balancer: bool,
    /// From 396: a due subnet's Yuma epoch and payout are replayed. At 348–393 the drain is
    /// replayed but the epoch (no forced owner validator permit, no owner stake-floor exemption)
    /// and the payout (the U64F64 share pool before `primitives/share-pool`'s SafeFloat rewrite;
    /// the owner cut's lease dividend from the stake actually added) are not ported: their
    /// outputs are listed with [`Era::reason`].
    pub(crate) epoch_replayed: bool,
    /// Why a due epoch's outputs are listed.
    pub(crate) reason: &'static str,
}

/// The era of `spec` when [`super::replay_v3::replay_v3`] replays it: 348–354, 356–363, 365–377,
/// 380, 385, 388–391, 393, 396–402, 408–411, 413–419 and 421–422
/// (`runtime::timeline::HISTORICAL`; the other specs before 423 are not pinned: `historical` has
/// no era for them).
pub(crate) fn era(spec: u32) -> Option<Era> {
    let e = historical(spec)?;
    let shares = match spec {
        421..=422 => Shares::RootProp,
        348..=354
        | 356..=363
        | 365..=377
        | 380
        | 385
        | 388..=391
        | 393
        | 396..=402
        | 408..=411
        | 413..=419 => Shares::Flow,
        _ => return None,
    };
    Some(Era {
        shares,
        recycle_bought: spec <= 411,
        credit: spec >= 408,
        pow_emits: spec <= 393,
        // 380's balancer has no provided reserves (its `TokenReserve` is `SubnetTAO` /
        // `SubnetAlphaIn`, its issuance `SubnetAlphaIn + SubnetAlphaOut`).
        provided: spec <= 385 && spec != 380,
        provided_issuance: (356..=385).contains(&spec) && spec != 380,
        balancer: spec == 380,
        zero_terms: spec <= 352,
        zero_output_steps: spec <= 377,
        root_prop: spec >= 365,
        // 363's commits carry 361's coinbase, not 362's cap.
        cap_block: spec >= 362 && spec != 363,
        epoch_replayed: spec >= 396,
        reason: e.reason,
    })
}
