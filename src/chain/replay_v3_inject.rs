//! The injection, chain buy and alpha-out split of one subnet in [`super::replay_v3`]
//! (`inject_and_maybe_swap`'s loop body and `emit_to_subnets` step 3 at the v3 tags).

use super::coinbase_items::{subnet as s, v3 as v};
use super::replay_v3_pool::{BalancerAfter, PoolAfter};
use super::replay_v3_read::{CoinbasePool, Sub};
use super::sim_swap::v3_default_limit_rao;
use crate::emission::math::tou64;
use crate::emission::{root_proportion, split_alpha_out, SubnetTerms};
use crate::pool::balancer::{Balancer, SwapGuards};
use crate::pool::swap::{limit_from_rao, Order, SwapConstants, MAX_PRICE_RAO};
use crate::pool::v3::protocol::{adjust_protocol_liquidity, initialize_v3};
use crate::pool::ChainError;
use substrate_fixed::types::U96F32;

/// One emitting subnet after the block.
#[derive(Default)]
pub(crate) struct After {
    pub(crate) subnet_tao: u64,
    pub(crate) alpha_in: u64,
    /// `SubnetAlphaInProvided` (348–385; 0 elsewhere).
    pub(crate) alpha_in_provided: u64,
    /// It counts in the issuance (356–385).
    pub(crate) provided_issuance: bool,
    pub(crate) alpha_out: u64,
    pub(crate) protocol_alpha: u64,
    pub(crate) excess: u64,
    pub(crate) tao_in: u64,
    pub(crate) alpha_in_rec: u64,
    pub(crate) alpha_out_rec: u64,
    pub(crate) volume: u128,
    pub(crate) flow: i64,
    pub(crate) tai: u64,
    pub(crate) recycled: u64,
    pub(crate) pending: [u64; 4],
    /// The pool after the block, its position, and what the injection did.
    pub(crate) pool: Option<PoolAfter>,
    /// 380: the balancer after the block.
    pub(crate) balancer: Option<BalancerAfter>,
    /// The chain bought (excess > 0).
    pub(crate) buys: bool,
    /// The buy initialised the pool (`maybe_initialize_v3`).
    pub(crate) initialised: bool,
}

impl After {
    /// `get_alpha_issuance` after the block: `SubnetAlphaIn + SubnetAlphaOut` (356–385: plus
    /// `SubnetAlphaInProvided`).
    pub(crate) fn issuance(&self) -> u64 {
        let provided = if self.provided_issuance {
            self.alpha_in_provided
        } else {
            0
        };
        self.alpha_in
            .saturating_add(self.alpha_out)
            .saturating_add(provided)
    }
}

/// Inject and buy on one subnet (`inject_and_maybe_swap`'s loop body).
pub(crate) fn inject(
    n: u16,
    x: &Sub,
    t: &SubnetTerms,
    remaining: &mut u64,
    total_stake: &mut u64,
    recycle_bought: bool,
    last_position_id: &mut u128,
) -> After {
    let tao_in = tou64(t.tao_in);
    let alpha_in = tou64(t.alpha_in);
    let excess = tou64(t.excess_tao);
    let mut a = After {
        subnet_tao: x.val(&s::SUBNET_TAO) as u64,
        alpha_in: x.val(&s::ALPHA_IN) as u64,
        alpha_in_provided: x.val(&s::ALPHA_IN_PROVIDED) as u64,
        provided_issuance: x.provided_issuance,
        alpha_out: x.val(&s::ALPHA_OUT) as u64,
        protocol_alpha: x.val(&s::PROTOCOL_ALPHA) as u64,
        volume: x.val(&v::SUBNET_VOLUME),
        flow: x.val(&v::PROTOCOL_FLOW) as u64 as i64,
        tai: x.val(&v::TOTAL_ALPHA_ISSUANCE) as u64,
        recycled: x.val(&v::ALPHA_RECYCLED) as u64,
        pending: [
            x.val(&s::PENDING_SERVER) as u64,
            x.val(&s::PENDING_VALIDATOR) as u64,
            x.val(&s::PENDING_ROOT_ALPHA) as u64,
            x.val(&s::PENDING_OWNER_CUT) as u64,
        ],
        buys: excess > 0,
        ..After::default()
    };
    let (mut pool, mut bal) = match x.pool.as_ref().ok() {
        Some(CoinbasePool::V3(p, pos)) => (Some((p.clone(), *pos)), None),
        Some(CoinbasePool::Balancer(p, fees, init)) => (None, Some((*p, *fees, *init))),
        None => (None, None),
    };
    let adjusted = pool
        .as_mut()
        .and_then(|(p, pos)| adjust_protocol_liquidity(p, pos.as_mut(), tao_in, alpha_in));
    // 380: the LP fees join the deltas; the weights move (or, out of range, nothing is added and
    // the fees stay); the reserves take what was added after the buy.
    let injected = bal.as_mut().map(|(p, fees, _)| {
        let t = tao_in.saturating_add(fees[0]);
        let al = alpha_in.saturating_add(fees[1]);
        if p.weights
            .update_for_added_liquidity(p.tao_reserve, p.alpha_reserve, t, al)
        {
            *fees = [0, 0];
            (t, al, true)
        } else {
            (0, 0, false)
        }
    });
    let mut bal_initialised = false;
    if excess > 0 {
        *remaining = remaining.saturating_sub(excess);
        let bought = match (x.mechanism, pool.as_mut()) {
            // 380: `swap_tao_for_alpha` through the balancer, fee-free, up to the pallet's
            // maximum price; a pool not yet initialised is first set to weights ½ (kept when the
            // swap succeeds or fails only the reserve check: `do_swap` commits those).
            (1, None) if bal.is_some() => bal.as_mut().and_then(|(p, _, init)| {
                let consts = SwapConstants::default();
                let limit = limit_from_rao(MAX_PRICE_RAO);
                let mut q = *p;
                if !*init {
                    q.weights = Balancer::default();
                }
                let r = q.quote_swap_with(
                    Order::Buy,
                    excess,
                    limit,
                    true,
                    false,
                    &consts,
                    SwapGuards::Spec423,
                );
                if matches!(r, Ok(_) | Err(ChainError::InsufficientLiquidity)) && !*init {
                    *init = true;
                    bal_initialised = true;
                    p.weights = q.weights;
                }
                let r = r.ok()?;
                p.apply(Order::Buy, &r);
                Some((r.amount_paid_in, r.amount_paid_out))
            }),
            (1, Some((p, pos))) => {
                let consts = SwapConstants::default();
                let limit = limit_from_rao(v3_default_limit_rao(Order::Buy));
                if p.alpha_reserve < consts.minimum_reserve {
                    // `ReservesTooLow` before the pool is initialised.
                    None
                } else {
                    let before = (p.clone(), *pos, *last_position_id);
                    let created = initialize_v3(p, n, last_position_id);
                    let r = p.swap(Order::Buy, excess, limit, true, &consts);
                    match r {
                        // `do_swap` commits the pool's state when only the reserve check fails.
                        Ok(_) | Err(ChainError::InsufficientLiquidity) => {
                            if created.is_some() {
                                *pos = created;
                                a.initialised = true;
                            }
                            r.ok().map(|r| (r.amount_paid_in, r.amount_paid_out))
                        }
                        Err(_) => {
                            (*p, *pos, *last_position_id) = before;
                            None
                        }
                    }
                }
            }
            (1, None) => None,
            _ => Some((excess, excess)),
        };
        if let Some((paid_in, out)) = bought {
            // `decrease_provided_alpha_reserve` (348–385): the provided alpha first, the rest from
            // `SubnetAlphaIn`; from 391 (no provided alpha) all from `SubnetAlphaIn`.
            let carry = out.saturating_sub(a.alpha_in_provided);
            a.alpha_in_provided = a.alpha_in_provided.saturating_sub(out);
            a.alpha_in = a.alpha_in.saturating_sub(carry);
            a.alpha_out = a.alpha_out.saturating_add(out);
            a.subnet_tao = a.subnet_tao.saturating_add(paid_in);
            *total_stake = total_stake.saturating_add(excess);
            a.volume = a.volume.saturating_add(u128::from(excess));
            if recycle_bought {
                // `recycle_subnet_alpha` (401–411): out of `SubnetAlphaOut` and (from 410) the
                // alpha-assets issuance.
                if out > 0 {
                    a.alpha_out = a.alpha_out.saturating_sub(out);
                    a.recycled = a.recycled.saturating_add(out);
                    a.tai = a.tai.saturating_sub(out);
                }
            } else {
                a.protocol_alpha = a.protocol_alpha.saturating_add(out);
            }
            a.excess = paid_in;
            a.flow = a.flow.saturating_add(paid_in as i64);
        }
    }
    // What enters `SubnetTAO` / `SubnetAlphaIn`: the terms, or at 380 what the balancer took.
    let (add_tao, add_alpha) = injected.map_or((tao_in, alpha_in), |(t, al, _)| (t, al));
    a.alpha_in_rec = alpha_in;
    if alpha_in > 0 {
        a.tai = a.tai.saturating_add(alpha_in);
    }
    a.alpha_in = a.alpha_in.saturating_add(add_alpha);
    if tao_in > 0 {
        *remaining = remaining.saturating_sub(tao_in);
        a.tao_in = tao_in;
        *total_stake = total_stake.saturating_add(tao_in);
        a.flow = a.flow.saturating_add(tao_in as i64);
    }
    a.subnet_tao = a.subnet_tao.saturating_add(add_tao);
    a.pool = pool.map(|(p, pos)| (p, pos, adjusted));
    a.balancer = bal.map(|(mut p, fees, _)| {
        p.tao_reserve = p.tao_reserve.saturating_add(add_tao);
        p.alpha_reserve = p.alpha_reserve.saturating_add(add_alpha);
        BalancerAfter {
            pool: p,
            fees,
            adjusted: injected.is_some_and(|x| x.2),
            initialised: bal_initialised,
        }
    });
    a
}

/// `emit_to_subnets` step 3 on one subnet: mint `alpha_out`, fill the buckets.
#[allow(clippy::too_many_arguments)]
pub(crate) fn alpha_out(
    root_tao: u64,
    tao_weight: u64,
    root_sell: bool,
    x: &Sub,
    t: &SubnetTerms,
    cut: U96F32,
    a: &mut After,
) {
    let created = tou64(t.alpha_out);
    a.alpha_out_rec = created;
    if created > 0 {
        a.tai = a.tai.saturating_add(created);
        a.alpha_out = a.alpha_out.saturating_add(created);
    }
    let cut = (x.val(&s::OWNER_CUT_ENABLED) == 1).then_some(cut);
    let issuance = a.issuance();
    let rp = root_proportion(root_tao, tao_weight, issuance);
    let b = split_alpha_out(t.alpha_out, cut, rp, root_sell);
    if cut.is_some() {
        a.pending[3] = a.pending[3].saturating_add(b.owner_cut);
    }
    a.pending[0] = a.pending[0].saturating_add(b.server);
    a.pending[1] = a.pending[1].saturating_add(b.validator);
    if root_sell {
        a.pending[2] = a.pending[2].saturating_add(b.root_alpha);
    } else if b.root_alpha > 0 {
        a.alpha_out = a.alpha_out.saturating_sub(b.root_alpha);
        a.recycled = a.recycled.saturating_add(b.root_alpha);
        a.tai = a.tai.saturating_sub(b.root_alpha);
    }
}
