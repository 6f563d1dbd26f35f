//! `replay block` at the Uniswap-v3 runtimes: specs 348–352 (`v3.2.15-348` … `v3.2.19-352`:
//! 361's coinbase, but every subnet with a `FirstEmissionBlockNumber` emits and one allowing
//! neither registration nor PoW registration has `tao_in`, `alpha_in` and `alpha_out` zeroed,
//! its excess still bought and issued, `replay_v3_era::Era::zero_terms`;
//! `SubnetAlphaInProvided` is drawn by the buy but not counted in the alpha issuance), 421–422 (release tags `v3.4.6-421`,
//! `v3.4.7-422`, whose share rule is 423's), 408–411 and 413–419 (`v3.4.0-411` … `v3.4.5-419`, 408–410
//! by the commits that carry them:
//! net TAO-flow shares, [`super::replay_v3_flow`]), 396–402 (`v3.3.14-401`, `v3.3.15-402`, 396–400 by
//! the commits that carry them:
//! user-flow shares, no TAO credit; `runtime::timeline::HISTORICAL`), 356–363, 365–377
//! (`v3.3.0-361` … `v3.3.9-377` and the commits carrying 356–360, 363, 368–370 and 375–376:
//! 385's coinbase, but a swap step with input and no output goes on,
//! [`crate::pool::v3::V3Pool::zero_output_steps`]; 356–363 write no `RootProp`, 356–361 and 363
//! cap the injection at the alpha emission alone), 353–354 (no tag: 361's coinbase with 348's alpha
//! issuance, `SubnetAlphaInProvided` not counted), 385 (`v3.3.11-385`: 391's
//! coinbase, but `SubnetAlphaInProvided` counts in the alpha issuance and the chain buy's alpha
//! leaves it first, the rest `SubnetAlphaIn`; compared) and 388–391 and 393
//! (`v3.3.12-391`, `v3.3.13-393`, 388–390 by the commits that carry them: 401's coinbase, but a subnet emits when registration or PoW
//! registration is allowed, `NetworkPowRegistrationAllowed` read only where registration is off;
//! a due subnet's drain is replayed, its epoch and payout are listed,
//! [`crate::runtime::timeline::PRE_SAFEFLOAT_NOT_REPLAYED`]; 392 is not pinned).
//!
//! What differs before 421 (the tags' `subnet_emissions.rs` and `run_coinbase.rs`): the shares are
//! `get_shares_flow`, which steps the flow EMAs; the injection cap is `min(alpha_emission, block
//! emission of TotalIssuance after the mint)`; at 408–411 the chain buy's alpha is recycled
//! (`recycle_subnet_alpha`) rather than added to `SubnetProtocolAlpha` (which does not exist
//! before 413). 412 has commits with either coinbase and is not replayed; 410 is pinned by the
//! commits that carry it (all with 411's coinbase).
//!
//! At 396–402 (`Era::credit` false) the block emission is not minted first: the injection cap
//! reads `TotalIssuance` before the block, which then grows by each subnet's `tao_in + excess`
//! (the full block emission, uncapped by the supply left); the shares step the user flow EMA only
//! (no protocol flow, no `NetTaoFlowEnabled`, no `SubnetEmissionEnabled` filter); the injection
//! writes no `SubnetExcessTao` or `SubnetProtocolFlow`; there is no `AlphaAssets` pallet
//! (`SubnetAlphaIn` / `SubnetAlphaOut` change directly, recycling only lowers `SubnetAlphaOut`);
//! the owner cut is always taken (no `OwnerCutEnabled`).
//!
//! The coinbase of 421–422, after `block_step.rs`, `run_coinbase.rs`, `subnet_emissions.rs`,
//! `alpha.rs`, `tao.rs`, `stake_utils.rs` and `pallets/swap/src/pallet/{impls,swap_step}.rs`
//! (identical between the two tags under `coinbase/` and `pallets/swap`), in its order:
//! * mint `E` (`TotalIssuance`), the shares: price-EMA shares times `root_proportion ×
//!   (1 − MinerBurned)` renormalised, the emission-disabled filter, `U96F32(U64F64(E) × share)`;
//! * the terms at the v3 price `U96F32(AlphaSqrtPrice²)` (`current_price`; an uninitialised pool:
//!   `SubnetTAO / SubnetAlphaIn` with the provided amounts): `alpha_in = e / price` capped at
//!   `root_proportion × alpha_emission`, `tao_in`, the excess;
//! * per emitting subnet (`inject_and_maybe_swap`): `SubnetExcessTao` and `SubnetTaoInEmission`
//!   cleared; `adjust_protocol_liquidity(tao_in, alpha_in)` on the protocol position
//!   ([`crate::pool::v3::protocol`]: fees, scrap reservoirs, `CurrentLiquidity`, the position, its
//!   two ticks; its result ignored); the chain buy of the excess along the v3 curve without fees to
//!   the maximum price ([`crate::pool::v3::V3Pool::swap`]: `AlphaSqrtPrice`, `CurrentTick`, crossed
//!   ticks, `CurrentLiquidity`; a pool not yet initialised first gets its protocol position,
//!   [`crate::pool::v3::protocol::initialize_v3`]: `SwapV3Initialized`, `LastPositionId`), then `SubnetAlphaIn −= out`, `SubnetAlphaOut += out`,
//!   `SubnetTAO += in`, `TotalStake += excess`, `SubnetVolume += excess`,
//!   `SubnetProtocolAlpha += out`, `SubnetExcessTao = in`, `SubnetProtocolFlow += in`; then
//!   `SubnetAlphaInEmission`, `alpha_in` minted into `SubnetAlphaIn`
//!   (`AlphaAssets.TotalAlphaIssuance`), `tao_in` into `SubnetTAO`, `TotalStake`,
//!   `SubnetTaoInEmission`, `SubnetProtocolFlow`; the unspent credit recycled (`TotalIssuance`);
//! * `alpha_out` minted into `SubnetAlphaOut` (`SubnetAlphaOutEmission`), the owner cut, server,
//!   validator and root buckets (root alpha recycled when the EMA prices sum to ≤ 1:
//!   `AlphaAssets.AlphaRecycled`);
//! * `drain_pending` under the legacy schedule: `BlocksSinceLastStep + 1` of every subnet, or,
//!   for a due subnet whose `Keys` hold no hotkey twice, 0 with the buckets emptied and
//!   `LastMechansimStepBlock` set; the moving price (`U96F32` EMA,
//!   [`crate::emission::moving_price::update_moving_price_u96`]) at the price after the block,
//!   `RootProp`.
//!
//! Listed, not guessed: an output whose parent inputs are missing (by item and key: the globals
//! and every subnet's share inputs for all outputs; a subnet's price for its own; its pool, fee
//! globals, scrap reservoirs and protocol position for the pool items and, when it buys, for what
//! the buy decides and `TotalStake`); whether an epoch due at the child block under the legacy
//! schedule (`(block + netuid + 1) mod (tempo + 1) == tempo`) runs when `SubnetworkN` or `Keys`
//! are missing (a run drains: `BlocksSinceLastStep` and the buckets to 0,
//! `LastMechansimStepBlock`; a duplicate hotkey skips it), and then its epoch and payout; what
//! the payout of a subnet whose epoch runs recycles or burns (`SubnetAlphaOut`, `RootProp`, the
//! alpha-assets items: [`crate::runtime::timeline::V3_COINBASE_NOT_REPLAYED`], before 421
//! [`crate::runtime::timeline::FLOW_SHARES_NOT_REPLAYED`]). That subnet's Yuma epoch and payout
//! are replayed on 423's rules with the tags' differences ([`super::replay_v3_epoch`],
//! [`crate::runtime::timeline::HISTORICAL_RULES`]), their missing inputs listed by item and key.
//! Not modelled (seen as mismatches): extrinsics of
//! the child block, `run_auto_claim_root_divs` (swap claims of root dividends sampled from the
//! block hash, after the coinbase), `SubnetRootSellTao` cleared at the start of the coinbase,
//! `TickIndexBitmapWords`.

use super::capture::Capture;
use super::coinbase_items::{global as g, subnet as s, v3 as v};
use super::replay_report::BlockReplay;
use super::replay_v3_era::{era, Shares};
use super::replay_v3_flow::{read_flow, shares_flow};
use super::replay_v3_read::{read_sub, Read, Sub};
use crate::emission::shares::{
    emissions_from_shares, price_ema_shares, root_prop_reweight, root_sell_flag, ShareInput,
};
use crate::emission::{
    block_emission, root_proportion, subnet_terms, subnet_terms_alpha_cap,
    subnet_terms_emission_cap, SubnetTerms, TOTAL_SUPPLY,
};
use crate::error::Result;
use std::collections::BTreeMap;
use substrate_fixed::types::U96F32;

use super::replay_v3_block as block;

/// Whether [`replay_v3`] replays `spec`.
pub fn replays(spec: u32) -> bool {
    era(spec).is_some()
}

/// Replay `child.block`'s coinbase at a v3 runtime (348–354, 356–363, 365–377, 385, 388–391, 393, 396–402, 408–411, 413–419,
/// 421–422) from `parent` (see the
/// module doc). The caller has checked that the child is the next block and that `subnets` are
/// the parent's; a spec [`replays`] rejects is an `UNSUPPORTED_RUNTIME` error.
pub fn replay_v3(parent: &Capture, child: &Capture, subnets: &[u16]) -> Result<BlockReplay> {
    let Some(era) = era(parent.spec_version) else {
        return Err(crate::error::Error::new(
            crate::error::ErrorCode::UnsupportedRuntime,
            format!("spec {} is not a replayed v3 runtime", parent.spec_version),
        ));
    };
    let Some(rules) = crate::runtime::Rules::for_v3_epoch(parent.spec_version) else {
        return Err(crate::error::Error::new(
            crate::error::ErrorCode::UnsupportedRuntime,
            format!("spec {} has no v3 epoch rules", parent.spec_version),
        ));
    };
    let mut rd = Read::new(parent);
    let issuance_total = rd.u64(&g::TOTAL_ISSUANCE, 0)?;
    let root_tao = rd.u64(&s::SUBNET_TAO, 0)?;
    let tao_weight = rd.u64(&g::TAO_WEIGHT, 0)?;
    let mut subs: BTreeMap<u16, Sub> = BTreeMap::new();
    for &n in subnets {
        let sub = read_sub(parent, &mut rd, n, &era)?;
        subs.insert(n, sub);
    }
    let emitting: Vec<u16> = subs
        .iter()
        .filter(|(_, x)| x.emits)
        .map(|(n, _)| *n)
        .collect();
    let flow = match era.shares {
        Shares::Flow => Some(read_flow(&mut rd, &emitting, era.credit)?),
        Shares::RootProp => None,
    };
    let global = rd.take();
    let inputs: Vec<ShareInput> = emitting
        .iter()
        .filter_map(|n| subs.get(n).map(|x| x.input))
        .collect();
    let root_props: Vec<U96F32> = emitting
        .iter()
        .filter_map(|n| subs.get(n))
        .map(|x| root_proportion(root_tao, tao_weight, x.issuance))
        .collect();
    let mut flow_steps = BTreeMap::new();
    let shares = match &flow {
        Some(f) => {
            let (sh, steps) = shares_flow(f, &emitting, child.block);
            for (n, st) in &steps {
                // The protocol accumulator was reset before this block's inflows.
                if let (Some(_), Some(x)) = (st.protocol, subs.get_mut(n)) {
                    x.vals.insert(v::PROTOCOL_FLOW.name, (0, Vec::new()));
                }
            }
            flow_steps = steps;
            emitting.iter().copied().zip(sh).collect()
        }
        None => root_prop_reweight(price_ema_shares(&inputs), &inputs, &root_props),
    };
    // From 408 the mint is capped at the supply left; 396–402 take the block emission as is.
    let e = if era.credit {
        block_emission(issuance_total).min(TOTAL_SUPPLY.saturating_sub(issuance_total))
    } else {
        block_emission(issuance_total)
    };
    // The `TotalIssuance` the injection cap reads: after the mint from 408, before it at 396–402.
    let cap_issuance = if era.credit {
        issuance_total.saturating_add(e)
    } else {
        issuance_total
    };
    let emissions = emissions_from_shares(&shares, &inputs, U96F32::from_num(e));
    let root_sell = root_sell_flag(inputs.iter().map(|i| i.moving_price));
    let mut terms = BTreeMap::new();
    for ((n, e_i), rp) in emissions.iter().zip(&root_props) {
        if let Some(x) = subs.get(n) {
            let t = match era.shares {
                Shares::RootProp => subnet_terms(*e_i, x.issuance, x.price, *rp),
                Shares::Flow if era.cap_block => {
                    subnet_terms_emission_cap(*e_i, x.issuance, x.price, *rp, cap_issuance)
                }
                Shares::Flow => subnet_terms_alpha_cap(*e_i, x.issuance, x.price, *rp),
            };
            terms.insert(*n, if x.registers { t } else { zeroed(t) });
        }
    }
    let ctx = block::Ctx {
        parent,
        child,
        global,
        issuance_total,
        e,
        root_tao,
        tao_weight,
        root_sell,
        epoch_reason: era.reason,
        recycle_bought: era.recycle_bought,
        credit: era.credit,
        flow: flow_steps,
        epoch_replayed: era.epoch_replayed,
        provided: era.provided,
        root_prop: era.root_prop,
        balancer: era.balancer,
        rules,
    };
    block::run(&ctx, &mut subs, &terms)
}

/// 348–352 (`Era::zero_terms`): a subnet that allows neither registration nor PoW registration
/// emits no `tao_in`, `alpha_in` or `alpha_out`, but its excess is still bought and issued.
fn zeroed(t: SubnetTerms) -> SubnetTerms {
    let zero = U96F32::from_num(0);
    SubnetTerms {
        tao_in: zero,
        alpha_in: zero,
        alpha_out: zero,
        ..t
    }
}
