//! Previews: what `add_stake`, `remove_stake` and `move_stake` would do for one coldkey in the
//! pools a caller describes, and the largest order a limit price allows, under the current
//! rules.
//!
//! A preview runs the real extrinsic ([`StakingState::add_stake`],
//! [`StakingState::remove_stake`], [`StakingState::transition_stake`]) in a small staking world
//! built around the caller's pools: one hotkey, one coldkey that holds exactly what the order
//! needs (the TAO plus the existential deposit for a stake; the alpha, on every subnet, for an
//! unstake or a move) and nothing else. So the preview fails where the chain would fail for
//! the order itself (minimum stake, limit price, fill-or-kill, liquidity), never for the
//! coldkey's own balance, which the caller did not describe.

use super::limits;
use super::ops::{StakeOutcome, StakeParams, StakingState, UnstakeOutcome};
use super::Subnet;
use crate::error::{Error, ErrorCode, Result};
use crate::pool::quote::{check_amount, check_liquidity};
use crate::pool::swap::{price_to_rao, BalancerPool, Order};

/// The hotkey and coldkey of the preview world.
const HOTKEY: u8 = 1;
const COLDKEY: u8 = 2;

/// The subnet a caller's pool belongs to when the caller names none.
pub const DEFAULT_NETUID: u16 = 1;

/// A caller's pool as a dynamic subnet: the pool as given (weights, fee), no alpha outstanding.
pub fn subnet(pool: BalancerPool, netuid: u16) -> Subnet {
    let mut s = Subnet::dynamic(netuid, pool.tao_reserve, pool.alpha_reserve);
    s.pool = pool;
    s
}

/// A subnet's pool after an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolAfter {
    /// `SubnetTAO`, rao.
    pub tao_reserve: u64,
    /// `SubnetAlphaIn`, rao of alpha.
    pub alpha_reserve: u64,
    /// Spot price, rao per alpha (1 TAO for root and stable subnets).
    pub price_rao: u64,
}

impl PoolAfter {
    fn of(s: &Subnet) -> Self {
        PoolAfter {
            tao_reserve: s.pool.tao_reserve,
            alpha_reserve: s.pool.alpha_reserve,
            price_rao: price_to_rao(s.price()),
        }
    }
}

/// A stake and the pool it leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StakePreview {
    /// What the extrinsic did.
    pub outcome: StakeOutcome,
    /// The subnet's pool afterwards.
    pub pool_after: PoolAfter,
}

/// An unstake and the pool it leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnstakePreview {
    /// What the extrinsic did.
    pub outcome: UnstakeOutcome,
    /// The subnet's pool afterwards.
    pub pool_after: PoolAfter,
}

/// A move between subnets: the unstake on the origin and the stake on the destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MovePreview {
    /// TAO value carried from one leg to the other.
    pub tao: u64,
    /// The origin leg (absent where the chain does none).
    pub unstake: Option<UnstakePreview>,
    /// The destination leg (absent where the chain does none).
    pub stake: Option<StakePreview>,
}

/// The world: the coldkey holds `balance` TAO and `alpha` staked on each subnet to the hotkey.
fn world(subnets: &[Subnet], balance: u64, alpha: u64) -> StakingState<u8> {
    let mut st = StakingState::new(StakeParams::default());
    for s in subnets {
        let mut s = *s;
        s.alpha_out = s.alpha_out.saturating_add(alpha);
        if alpha > 0 {
            st.pools
                .entry((HOTKEY, s.netuid))
                .or_default()
                .increase(&COLDKEY, alpha);
        }
        st.subnets.insert(s.netuid, s);
    }
    st.balances.insert(COLDKEY, balance);
    st
}

/// The subnet `netuid` of `st` (the one it started from if the world lost it).
fn after(st: &StakingState<u8>, start: &Subnet) -> PoolAfter {
    PoolAfter::of(st.subnets.get(&start.netuid).unwrap_or(start))
}

/// The common checks: a pool with liquidity (`EMPTY_POOL` naming `field`), a non-zero amount.
fn check(s: &Subnet, field: &str, amount: u64) -> Result<()> {
    check_liquidity((s.pool.tao_reserve, s.pool.alpha_reserve), field)?;
    check_amount(amount, "amount")
}

/// `add_stake` (no limit) or `add_stake_limit` of `tao` on `subnet`, from a coldkey that holds
/// it. With a limit and `allow_partial` only what fits is staked; without, an order that does
/// not fit fails (`LIMIT_NOT_FILLABLE`). Below the minimum stake: `OUT_OF_RANGE` (`amount`).
pub fn add_stake(
    subnet: Subnet,
    tao: u64,
    limit_rao: Option<u64>,
    allow_partial: bool,
) -> Result<StakePreview> {
    check(&subnet, "pool", tao)?;
    let balance = tao.saturating_add(StakeParams::default().existential_deposit);
    let mut st = world(&[subnet], balance, 0);
    let outcome = st.add_stake(
        &HOTKEY,
        &COLDKEY,
        subnet.netuid,
        tao,
        limit_rao,
        allow_partial,
    )?;
    Ok(StakePreview {
        outcome,
        pool_after: after(&st, &subnet),
    })
}

/// `remove_stake` / `remove_stake_limit` of `alpha` on `subnet`, from a coldkey that holds it:
/// the TAO paid, the fee, the alpha refunded by a partial fill and the pool after.
pub fn remove_stake(
    subnet: Subnet,
    alpha: u64,
    limit_rao: Option<u64>,
    allow_partial: bool,
) -> Result<UnstakePreview> {
    check(&subnet, "pool", alpha)?;
    let mut st = world(&[subnet], 0, alpha);
    let outcome = st.remove_stake(
        &HOTKEY,
        &COLDKEY,
        subnet.netuid,
        alpha,
        limit_rao,
        allow_partial,
    )?;
    Ok(UnstakePreview {
        outcome,
        pool_after: after(&st, &subnet),
    })
}

/// `move_stake` of `alpha` from `origin` to `destination` (different subnets, same hotkey and
/// coldkey): unstake, then restake the TAO (one fee). `limit_rao` bounds the origin/destination
/// price ratio (×10^9); with a limit and no `allow_partial` the move is fill-or-kill.
pub fn move_stake(
    origin: Subnet,
    destination: Subnet,
    alpha: u64,
    limit_rao: Option<u64>,
    allow_partial: Option<bool>,
) -> Result<MovePreview> {
    check_liquidity(
        (origin.pool.tao_reserve, origin.pool.alpha_reserve),
        "origin",
    )?;
    check_liquidity(
        (destination.pool.tao_reserve, destination.pool.alpha_reserve),
        "destination",
    )?;
    if origin.netuid == destination.netuid {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "destination.netuid",
            "origin and destination must be different subnets",
        ));
    }
    check_amount(alpha, "amount")?;
    let mut st = world(&[origin, destination], 0, alpha);
    let m = st.transition_stake(
        (&HOTKEY, &COLDKEY, origin.netuid),
        (&HOTKEY, &COLDKEY, destination.netuid),
        alpha,
        limit_rao,
        allow_partial.or(limit_rao.map(|_| false)),
    )?;
    Ok(MovePreview {
        tao: m.tao,
        unstake: m.unstake.map(|outcome| UnstakePreview {
            outcome,
            pool_after: after(&st, &origin),
        }),
        stake: m.stake.map(|outcome| StakePreview {
            outcome,
            pool_after: after(&st, &destination),
        }),
    })
}

/// The largest order that fits `limit_rao` on `subnet`, fee included: TAO for a buy
/// (`get_max_amount_add`), alpha for a sell (`get_max_amount_remove`). `LIMIT_NOT_FILLABLE`
/// (`limitPrice`) when nothing fits.
pub fn max_amount(subnet: &Subnet, order: Order, limit_rao: u64) -> Result<u64> {
    check_liquidity((subnet.pool.tao_reserve, subnet.pool.alpha_reserve), "pool")?;
    let consts = StakeParams::default().swap;
    let v = match order {
        Order::Buy => limits::max_amount_add(subnet, limit_rao, &consts)?,
        Order::Sell => limits::max_amount_remove(subnet, limit_rao, &consts)?,
    };
    if v == 0 {
        return Err(Error::field(
            ErrorCode::LimitNotFillable,
            "limitPrice",
            "nothing fits this limit price",
        ));
    }
    Ok(v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pool::quote;
    use crate::pool::swap::SwapConstants;

    const TAO: u64 = 1_000_000_000;

    fn sn1() -> Subnet {
        subnet(BalancerPool::new(22_080 * TAO, 2_315_643 * TAO), 1)
    }

    fn code(r: Result<impl core::fmt::Debug>) -> (ErrorCode, Option<String>) {
        let e = r.unwrap_err();
        (e.code, e.field)
    }

    #[test]
    fn a_stake_is_the_quote_and_moves_the_pool() {
        let s = sn1();
        let p = add_stake(s, 10 * TAO, None, false).unwrap();
        let q = quote::quote(
            &s.pool,
            Order::Buy,
            10 * TAO,
            None,
            &SwapConstants::default(),
        );
        let q = q.unwrap();
        assert_eq!(p.outcome.alpha, q.amount_out);
        assert_eq!(p.outcome.tao_in, 10 * TAO);
        assert_eq!(p.outcome.fee_tao, q.fee);
        let paid = p.outcome.swap.amount_paid_in;
        assert_eq!(p.pool_after.tao_reserve, s.pool.tao_reserve + paid);
        assert_eq!(
            p.pool_after.alpha_reserve,
            s.pool.alpha_reserve - q.amount_out
        );
        assert!(p.pool_after.price_rao > q.spot_price_rao);
    }

    #[test]
    fn limits_fill_partly_or_fail() {
        let s = sn1();
        let spot = price_to_rao(s.price());
        let limit = spot * 1001 / 1000;
        let max = max_amount(&s, Order::Buy, limit).unwrap();
        assert!(max > 0 && max < 1000 * TAO);
        let part = add_stake(s, 1000 * TAO, Some(limit), true).unwrap();
        assert_eq!(part.outcome.tao_in, max);
        assert!(part.pool_after.price_rao <= limit);
        let e = code(add_stake(s, 1000 * TAO, Some(limit), false));
        assert_eq!(e, (ErrorCode::LimitNotFillable, Some("amount".into())));
        let low = spot * 999 / 1000;
        let max_sell = max_amount(&s, Order::Sell, low).unwrap();
        let un = remove_stake(s, max_sell * 3, Some(low), true).unwrap();
        assert_eq!(un.outcome.alpha_in - un.outcome.refund, max_sell);
        assert!(un.pool_after.price_rao < spot);
        let e = code(max_amount(&s, Order::Buy, spot / 2));
        assert_eq!(e, (ErrorCode::LimitNotFillable, Some("limitPrice".into())));
    }

    #[test]
    fn the_chain_rules_apply_to_the_order() {
        let s = sn1();
        // Below DefaultMinStake (2 000 000 rao).
        assert_eq!(
            code(add_stake(s, 1000, None, false)).0,
            ErrorCode::OutOfRange
        );
        assert_eq!(
            code(add_stake(s, 0, None, false)),
            (ErrorCode::ZeroAmount, Some("amount".into()))
        );
        let empty = subnet(BalancerPool::new(0, 0), 3);
        assert_eq!(
            code(remove_stake(empty, TAO, None, false)),
            (ErrorCode::EmptyPool, Some("pool".into()))
        );
        assert_eq!(
            code(max_amount(&empty, Order::Sell, 1)),
            (ErrorCode::EmptyPool, Some("pool".into()))
        );
    }

    #[test]
    fn an_unstake_pays_the_quote() {
        let s = sn1();
        let alpha = 1000 * TAO;
        let un = remove_stake(s, alpha, None, false).unwrap();
        let q = quote::quote(&s.pool, Order::Sell, alpha, None, &SwapConstants::default());
        assert_eq!(un.outcome.tao, q.unwrap().amount_out);
        assert_eq!((un.outcome.alpha_in, un.outcome.refund), (alpha, 0));
        assert!(un.pool_after.price_rao < price_to_rao(s.price()));
    }

    #[test]
    fn a_move_unstakes_then_restakes() {
        let (o, d) = (
            sn1(),
            subnet(BalancerPool::new(10_000 * TAO, 1_000_000 * TAO), 2),
        );
        let alpha = 1000 * TAO;
        let m = move_stake(o, d, alpha, None, None).unwrap();
        let un = m.unstake.unwrap();
        let q = quote::quote(&o.pool, Order::Sell, alpha, None, &SwapConstants::default());
        assert_eq!(un.outcome.tao, q.unwrap().amount_out);
        assert_eq!(m.tao, un.outcome.tao);
        let st = m.stake.unwrap();
        assert!(st.outcome.alpha > 0);
        assert_eq!(
            st.pool_after.tao_reserve,
            d.pool.tao_reserve + st.outcome.swap.amount_paid_in
        );
        assert!(un.pool_after.tao_reserve < o.pool.tao_reserve);
        assert_eq!(
            code(move_stake(o, o, alpha, None, None)),
            (ErrorCode::OutOfRange, Some("destination.netuid".into()))
        );
        let empty = subnet(BalancerPool::new(0, 5), 2);
        assert_eq!(
            code(move_stake(o, empty, alpha, None, None)),
            (ErrorCode::EmptyPool, Some("destination".into()))
        );
        // A limit without allow_partial is fill-or-kill: an impossible ratio fails the move.
        assert!(move_stake(o, d, alpha, Some(u64::MAX / 2), None).is_err());
    }
}
