//! The block of [`super::replay_v3`]: the coinbase of a v3 runtime (348–354, 356–377, 385, 388–391, 393, 396–402, 408–411, 413–419,
//! 421–422; the era's differences as `Ctx` flags) run on the parent's values
//! (injection, chain buy, alpha out, schedule, moving prices, `RootProp`, totals; a due subnet's
//! epoch and payout, [`super::replay_v3_epoch`]) and every output compared with the child or
//! listed with what it lacks. See the module doc of
//! [`super::replay_v3`] for the chain's order and sources.

use super::capture::Capture;
use super::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use super::replay_report::BlockReplay;
use super::replay_v3_epoch::{epoch_and_payout, list_epoch, list_payout, DueEpoch};
use super::replay_v3_flow::{flow_outputs, FlowStep};
use super::replay_v3_inject::{alpha_out, inject, After};
use super::replay_v3_out::{emit, list, Out};
use super::replay_v3_pool::{balancer_outputs, list_balancer, list_pool, pool_outputs};
use super::replay_v3_read::{keys_consistent, spot, CoinbasePool, Read, Sub};
use crate::emission::math::{tou64, u16_fraction};
use crate::emission::moving_price::update_moving_price_u96;
use crate::emission::PendingBuckets;
use crate::emission::{root_proportion, SubnetTerms};
use crate::error::Result;
use crate::runtime::Rules;
use std::collections::BTreeMap;
use substrate_fixed::types::{I96F32, U96F32};

/// The block's shared inputs.
pub(crate) struct Ctx<'a> {
    pub(crate) parent: &'a Capture,
    pub(crate) child: &'a Capture,
    /// Missing inputs every output needs (globals, every subnet's share inputs).
    pub(crate) global: Vec<String>,
    pub(crate) issuance_total: u64,
    /// The block emission (minted).
    pub(crate) e: u64,
    pub(crate) root_tao: u64,
    pub(crate) tao_weight: u64,
    pub(crate) root_sell: bool,
    /// Why a due epoch's outputs are listed.
    pub(crate) epoch_reason: &'static str,
    /// 401–411: the chain buy's alpha is recycled instead of kept as `SubnetProtocolAlpha`
    /// (which these runtimes do not have: not compared).
    pub(crate) recycle_bought: bool,
    /// From 410: the TAO credit, protocol flow and `AlphaAssets` (`super::replay_v3_era::Era`);
    /// 396–402 write no `SubnetExcessTao`, `SubnetProtocolFlow` or alpha-assets totals, and
    /// `TotalIssuance` grows by each subnet's `tao_in + excess`.
    pub(crate) credit: bool,
    /// 401–419: each emitting subnet's flow-EMA step (empty at 421–422).
    pub(crate) flow: BTreeMap<u16, FlowStep>,
    /// The rules a due epoch and its payout run on ([`Rules::for_v3_epoch`]).
    pub(crate) rules: Rules,
    /// From 401: a due epoch and its payout are replayed; at 348–354 and 356–393 they are listed with
    /// `epoch_reason` (`super::replay_v3_era::Era::epoch_replayed`).
    pub(crate) epoch_replayed: bool,
    /// 348–354 and 356–385: `SubnetAlphaInProvided` is read, drawn by a buy and compared.
    pub(crate) provided: bool,
    /// From 365: `RootProp` is written (348–363 have none).
    pub(crate) root_prop: bool,
    /// 380: the pool is a balancer (`super::replay_v3_era::Era::balancer`).
    pub(crate) balancer: bool,
}

/// A due subnet's epoch and payout: replayed, or (348–354, 356–393) listed with the era's reason.
fn due_epoch(r: &mut BlockReplay, ctx: &Ctx, due: &DueEpoch) -> Result<()> {
    if ctx.epoch_replayed {
        return epoch_and_payout(r, due);
    }
    let why = [ctx.epoch_reason.to_string()];
    list_epoch(r, due.netuid, &why);
    let from = r.missing.len();
    list_payout(r, ctx.parent, due.netuid, &ctx.rules, &why)?;
    // These runtimes keep U64F64 shares only (`Alpha`, `TotalHotkeyShares`): no `…V2` items.
    let mut k = 0;
    r.missing.retain(|m| {
        k += 1;
        k <= from || !m.item.ends_with("V2")
    });
    Ok(())
}

/// What `drain_pending` does on a subnet.
enum Drain {
    /// Not due, or due with a duplicate hotkey (`is_epoch_input_state_consistent` false).
    No,
    /// The epoch runs: counters and buckets reset, the distribution follows.
    Runs,
    /// Unknown: the schedule or `Keys` inputs are missing.
    Unknown(Vec<String>),
}

/// The four pending buckets, in `After::pending`'s order.
const PENDING: [Item; 4] = [
    s::PENDING_SERVER,
    s::PENDING_VALIDATOR,
    s::PENDING_ROOT_ALPHA,
    s::PENDING_OWNER_CUT,
];

/// Whether the legacy schedule runs `n`'s epoch at `block`.
fn due(block: u64, n: u16, tempo: u16) -> bool {
    tempo > 0 && block.wrapping_add(u64::from(n) + 1) % (u64::from(tempo) + 1) == u64::from(tempo)
}

fn join(parts: &[&[String]]) -> Vec<String> {
    parts.iter().flat_map(|p| p.iter().cloned()).collect()
}

fn le(v: u64) -> Vec<u8> {
    v.to_le_bytes().to_vec()
}

/// Run the block and compare (see the module doc).
pub(crate) fn run(
    ctx: &Ctx,
    subs: &mut BTreeMap<u16, Sub>,
    terms: &BTreeMap<u16, SubnetTerms>,
) -> Result<BlockReplay> {
    let (parent, child) = (ctx.parent, ctx.child);
    let mut r = BlockReplay {
        spec_version: parent.spec_version,
        block: child.block,
        items: Vec::new(),
        missing: Vec::new(),
        approximate: false,
    };
    let mut rd = Read::new(parent);
    let total_stake0 = rd.u64(&g::TOTAL_STAKE, 0)?;
    let stake_need = rd.take();
    let cut_raw = rd.u16(&g::SUBNET_OWNER_CUT, 0)?;
    let cut_need = rd.take();
    let ma = I96F32::from_bits(rd.u128(&g::SUBNET_MOVING_ALPHA, 0)? as i128);
    let ma_need = rd.take();
    let mut last_position_id = rd.u128(&v::LAST_POSITION_ID, 0)?;
    let lpi_need = rd.take();
    let cut = u16_fraction(cut_raw);
    let mut remaining = ctx.e;
    let mut total_stake = total_stake0;
    let mut after: BTreeMap<u16, After> = BTreeMap::new();
    // `subnets_to_emit_to` follows `NetworksAdded`'s storage order (Identity keys: the netuid's
    // little-endian bytes), which orders the position ids of pools initialised in one block.
    let mut order: Vec<(&u16, &SubnetTerms)> = terms.iter().collect();
    order.sort_by_key(|(n, _)| n.to_le_bytes());
    for (&n, t) in order {
        if let Some(x) = subs.get(&n) {
            after.insert(
                n,
                inject(
                    n,
                    x,
                    t,
                    &mut remaining,
                    &mut total_stake,
                    ctx.recycle_bought,
                    &mut last_position_id,
                ),
            );
        }
    }
    let issuance_after = if ctx.credit {
        // The minted credit less what was not spent (recycled).
        ctx.issuance_total
            .saturating_add(ctx.e)
            .saturating_sub(remaining)
    } else {
        // 396–402: `TotalIssuance += tao_in + excess` per emitting subnet.
        terms.values().fold(ctx.issuance_total, |acc, t| {
            acc.saturating_add(tou64(t.tao_in))
                .saturating_add(tou64(t.excess_tao))
        })
    };
    for (&n, t) in terms {
        if let (Some(x), Some(a)) = (subs.get(&n), after.get_mut(&n)) {
            alpha_out(ctx.root_tao, ctx.tao_weight, ctx.root_sell, x, t, cut, a);
        }
    }
    let block = child.block;
    let epoch = vec![ctx.epoch_reason.to_string()];
    let mut issuance_needs = ctx.global.clone();
    let mut stake_needs = join(&[&ctx.global, &stake_need]);
    for (&n, x) in subs.iter() {
        // `drain_pending`: due under the legacy schedule and `Keys` without a duplicate hotkey.
        let drain = if !x.sched.is_empty() {
            Drain::Unknown(x.sched.clone())
        } else if !due(block, n, x.tempo) {
            Drain::No
        } else {
            match keys_consistent(parent, n)? {
                Ok(true) => Drain::Runs,
                Ok(false) => Drain::No,
                Err(m) => Drain::Unknown(m),
            }
        };
        // A drained bucket (0 when the epoch runs) and what the distribution then changes.
        let drained = |needs: Vec<String>, val: u64| match &drain {
            Drain::No => (val, needs),
            Drain::Runs => (0, Vec::new()),
            Drain::Unknown(m) => (val, join(&[&needs, m])),
        };
        let distributed = |needs: Vec<String>| match &drain {
            Drain::No => needs,
            Drain::Runs => epoch.clone(),
            Drain::Unknown(m) => join(&[m, &epoch]),
        };
        let (bsls, bsls_needs) = drained(Vec::new(), x.blocks_since.saturating_add(1));
        let bsls_it = s::BLOCKS_SINCE_LAST_STEP;
        emit(&mut r, child, Out::of(&bsls_it, n, le(bsls), bsls_needs))?;
        match &drain {
            Drain::Runs => {
                let it = v::LAST_MECHANISM_STEP_BLOCK;
                emit(&mut r, child, Out::of(&it, n, le(block), Vec::new()))?;
            }
            Drain::Unknown(m) => {
                let it = v::LAST_MECHANISM_STEP_BLOCK;
                list(&mut r, it.path(), it.args(n), m.clone());
                // Whether the epoch and its payout run is unknown.
                list_epoch(&mut r, n, m);
                list_payout(&mut r, parent, n, &ctx.rules, m)?;
            }
            Drain::No => {}
        }
        let Some(a) = after.get(&n) else {
            if matches!(drain, Drain::Runs) {
                // Not emitting: the buckets drained are the parent's.
                let [server, validator, root_alpha, owner_cut] =
                    PENDING.map(|it| x.val(&it) as u64);
                let needs = PENDING.map(|it| join(&[&ctx.global, &x.need_of(&it)]));
                let due = DueEpoch {
                    parent,
                    child,
                    rules: &ctx.rules,
                    netuid: n,
                    buckets: PendingBuckets {
                        server,
                        validator,
                        root_alpha,
                        owner_cut,
                    },
                    bucket_needs: needs,
                };
                due_epoch(&mut r, ctx, &due)?;
            }
            continue;
        };
        let gp = join(&[&ctx.global, &x.own]);
        let known = gp.is_empty();
        let pool_needs = x.pool.as_ref().err().cloned().unwrap_or_default();
        let mut ga = gp.clone();
        if a.buys || !known {
            ga.extend(pool_needs.iter().cloned());
            stake_needs.extend(x.own.iter().cloned());
            stake_needs.extend(pool_needs.iter().cloned());
        } else if ctx.balancer {
            // 380: the reserves grow by what the balancer's injection took (weights, fees).
            ga.extend(pool_needs.iter().cloned());
        }
        issuance_needs.extend(x.own.iter().cloned());
        let own = |it: &Item, base: &[String]| join(&[base, &x.need_of(it)]);
        // At 411 the bought alpha is recycled: the alpha issuance after the block (buckets'
        // root proportion, `RootProp`, the alpha-assets totals) depends on the buy.
        let issuance_base: &[String] = if ctx.recycle_bought { &ga } else { &gp };
        for (it, val) in [
            (s::TAO_IN_EMISSION, a.tao_in),
            (s::ALPHA_IN_EMISSION, a.alpha_in_rec),
            (s::ALPHA_OUT_EMISSION, a.alpha_out_rec),
        ] {
            emit(&mut r, child, Out::of(&it, n, le(val), gp.clone()))?;
        }
        emit(
            &mut r,
            child,
            Out::of(
                &s::SUBNET_TAO,
                n,
                le(a.subnet_tao),
                own(&s::SUBNET_TAO, &ga),
            ),
        )?;
        emit(
            &mut r,
            child,
            Out::of(&s::ALPHA_IN, n, le(a.alpha_in), ga.clone()),
        )?;
        if ctx.provided {
            let it = s::ALPHA_IN_PROVIDED;
            emit(
                &mut r,
                child,
                Out::of(&it, n, le(a.alpha_in_provided), own(&it, &ga)),
            )?;
        }
        emit(
            &mut r,
            child,
            Out::of(&s::ALPHA_OUT, n, le(a.alpha_out), distributed(ga.clone())),
        )?;
        if !ctx.recycle_bought {
            emit(
                &mut r,
                child,
                Out::of(
                    &s::PROTOCOL_ALPHA,
                    n,
                    le(a.protocol_alpha),
                    own(&s::PROTOCOL_ALPHA, &ga),
                ),
            )?;
        }
        if ctx.credit {
            emit(
                &mut r,
                child,
                Out::of(&s::EXCESS_TAO, n, le(a.excess), ga.clone()),
            )?;
        }
        emit(
            &mut r,
            child,
            Out::of(
                &v::SUBNET_VOLUME,
                n,
                a.volume.to_le_bytes().to_vec(),
                own(&v::SUBNET_VOLUME, &ga),
            ),
        )?;
        if ctx.credit {
            credit_outputs(
                &mut r,
                ctx,
                x,
                a,
                n,
                &ga,
                issuance_base,
                known,
                &distributed,
            )?;
        }
        let bucket_base = join(&[issuance_base, &cut_need, &x.need_of(&s::OWNER_CUT_ENABLED)]);
        // What each drained bucket lacks (the epoch's emission and the payout).
        let bucket_needs = PENDING.map(|it| own(&it, &bucket_base));
        for (i, it) in PENDING.iter().enumerate() {
            let val = a.pending.get(i).copied().unwrap_or(0);
            let (val, needs) = drained(own(it, &bucket_base), val);
            emit(&mut r, child, Out::of(it, n, le(val), needs))?;
        }
        if matches!(drain, Drain::Runs) {
            let [server, validator, root_alpha, owner_cut] = a.pending;
            let due = DueEpoch {
                parent,
                child,
                rules: &ctx.rules,
                netuid: n,
                buckets: PendingBuckets {
                    server,
                    validator,
                    root_alpha,
                    owner_cut,
                },
                bucket_needs,
            };
            due_epoch(&mut r, ctx, &due)?;
        }
        // The moving price at the price after the block.
        let price_after = match (&a.pool, &x.pool) {
            _ if a.balancer.is_some() => a.balancer.as_ref().map_or(U96F32::from_num(0), |b| {
                U96F32::saturating_from_num(b.pool.price())
            }),
            (Some((p, _, _)), _) if p.initialized => spot(p),
            (Some(_), Ok(CoinbasePool::V3(before, _))) => {
                // `current_price` of a pool not yet initialised: the reserves after the block.
                let mut q = before.clone();
                let d_tao = a.subnet_tao.saturating_sub(x.val(&s::SUBNET_TAO) as u64);
                let d_alpha = a.alpha_in.saturating_sub(x.val(&s::ALPHA_IN) as u64);
                q.tao_reserve = q.tao_reserve.saturating_add(d_tao);
                q.alpha_reserve = q.alpha_reserve.saturating_add(d_alpha);
                spot(&q)
            }
            _ if x.mechanism == 1 => U96F32::saturating_from_num(x.price),
            _ => U96F32::from_num(1),
        };
        let current = if x.mechanism == 0 {
            U96F32::from_num(1)
        } else {
            U96F32::saturating_from_num(x.moving)
        };
        let halving = x.val(&s::EMA_HALVING) as u64;
        let mp =
            update_moving_price_u96(block, x.first_emission, halving, ma, price_after, current);
        let mut mp_needs = join(&[&gp, &ma_need, &x.need_of(&s::EMA_HALVING)]);
        let uninitialised = matches!(&x.pool, Ok(CoinbasePool::V3(p, _)) if !p.initialized);
        if a.buys || !known || uninitialised || ctx.balancer {
            mp_needs = join(&[&ga, &ma_need, &x.need_of(&s::EMA_HALVING)]);
        }
        emit(
            &mut r,
            child,
            Out::of(
                &s::MOVING_PRICE,
                n,
                (mp.to_bits() as u128).to_le_bytes().to_vec(),
                mp_needs,
            ),
        )?;
        if ctx.root_prop {
            let rp = root_proportion(ctx.root_tao, ctx.tao_weight, a.issuance());
            emit(
                &mut r,
                child,
                Out::of(
                    &s::ROOT_PROP,
                    n,
                    rp.to_bits().to_le_bytes().to_vec(),
                    distributed(issuance_base.to_vec()),
                ),
            )?;
        }
        if x.mechanism == 1 {
            match (&x.pool, known) {
                (Ok(CoinbasePool::V3(before, _)), true) => {
                    let init = a.initialised.then_some(&lpi_need[..]);
                    let after = a.pool.as_ref();
                    pool_outputs(&mut r, child, n, before, after, a.buys, init, &[])?
                }
                (Ok(CoinbasePool::Balancer(..)), true) => {
                    balancer_outputs(&mut r, child, n, a.balancer.as_ref())?
                }
                (Ok(_), false) if ctx.balancer => list_balancer(&mut r, n, &ga),
                (Ok(_), false) => list_pool(&mut r, n, &ga),
                (Err(m), _) if ctx.balancer => list_balancer(&mut r, n, &join(&[&gp, m])),
                (Err(m), _) => list_pool(&mut r, n, &join(&[&gp, m])),
            }
        }
        if let Some(st) = ctx.flow.get(&n) {
            flow_outputs(&mut r, child, n, st, &ctx.global)?;
        }
    }
    if after.values().any(|a| a.initialised) {
        let b = last_position_id.to_le_bytes().to_vec();
        emit(&mut r, child, Out::of(&v::LAST_POSITION_ID, 0, b, lpi_need))?;
    }
    emit(
        &mut r,
        child,
        Out::of(&g::TOTAL_ISSUANCE, 0, le(issuance_after), issuance_needs),
    )?;
    emit(
        &mut r,
        child,
        Out::of(&g::TOTAL_STAKE, 0, le(total_stake), stake_needs),
    )?;
    Ok(r)
}

/// What only the credit-era runtimes (from 410) write on an emitting subnet: `SubnetProtocolFlow`
/// and the `AlphaAssets` totals (`TotalAlphaIssuance`, and `AlphaRecycled` where something is
/// recycled or could be).
#[allow(clippy::too_many_arguments)]
fn credit_outputs(
    r: &mut BlockReplay,
    ctx: &Ctx,
    x: &Sub,
    a: &After,
    n: u16,
    ga: &[String],
    issuance_base: &[String],
    known: bool,
    distributed: &dyn Fn(Vec<String>) -> Vec<String>,
) -> Result<()> {
    let child = ctx.child;
    let own = |it: &Item, base: &[String]| join(&[base, &x.need_of(it)]);
    emit(
        r,
        child,
        Out::of(
            &v::PROTOCOL_FLOW,
            n,
            a.flow.to_le_bytes().to_vec(),
            own(&v::PROTOCOL_FLOW, ga),
        ),
    )?;
    emit(
        r,
        child,
        Out::of(
            &v::TOTAL_ALPHA_ISSUANCE,
            n,
            le(a.tai),
            distributed(own(&v::TOTAL_ALPHA_ISSUANCE, issuance_base)),
        ),
    )?;
    if !ctx.root_sell || !known || (ctx.recycle_bought && a.buys) {
        emit(
            r,
            child,
            Out::of(
                &v::ALPHA_RECYCLED,
                n,
                le(a.recycled),
                distributed(own(&v::ALPHA_RECYCLED, issuance_base)),
            ),
        )?;
    }
    Ok(())
}
