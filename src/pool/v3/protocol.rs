//! The protocol position of a v3 pool and the coinbase's injection into it, exactly as the chain
//! ran it at release tags `v3.4.0-411` … `v3.4.7-422` (`pallets/swap` is identical across them).
//!
//! Port of opentensor/subtensor `pallets/swap/src/pallet/impls.rs` at `v3.4.6-421` (6016381e4):
//! `get_proportional_alpha_tao_and_remainders` and `adjust_protocol_liquidity`, with
//! `position.rs` (`Position`, `to_token_amounts`, `collect_fees`, `fees_in_range`), `tick.rs`
//! (`fees_below`, `fees_above`, `current_bounded`) and `add_liquidity_at_index`, in the pallet's
//! order. The pallet keeps fee growth in `I64F64` (ticks, positions; `FeeGlobal*` is `U64F64`
//! converted on read) and subtracts it signed: [`super::Tick`] and [`super::V3Pool`] store those
//! values as raw bits, which this module reinterprets as the chain's signed type.
//!
//! What the injection does (the return value is ignored by the coinbase of those tags): the
//! protocol account's first position collects its fees; the deposit plus fees plus scrap
//! reservoirs is split at the current price into a price-proportional part and new scrap; the
//! position's liquidity becomes `isqrt((tao + Δtao) × (alpha + Δalpha))` of its token amounts;
//! `CurrentLiquidity` and the position's two ticks grow by the increase (never shrink: a smaller
//! new liquidity is still written to the position). Reserves and the price do not change.

use super::tick::{try_to_sqrt_price, MAX_TICK, MIN_TICK};
use super::{isqrt_u128, Tick, V3Pool};
use crate::pool::balancer::{fx, one, safe_div};
use substrate_fixed::types::{I64F64, U64F64};

/// The SCALE length of a stored `Position` (`id` u128, `netuid` u16, two `i32` ticks,
/// `liquidity` u64, two `I64F64`).
pub const POSITION_LEN: usize = 66;

/// A position as the pallet stores it (`Swap.Positions[(netuid, account, id)]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainPosition {
    /// `PositionId`.
    pub id: u128,
    /// `netuid`.
    pub netuid: u16,
    /// `tick_low`.
    pub tick_low: i32,
    /// `tick_high`.
    pub tick_high: i32,
    /// `liquidity`.
    pub liquidity: u64,
    /// Fee growth inside at the last collection, TAO.
    pub fees_tao: I64F64,
    /// Fee growth inside at the last collection, alpha.
    pub fees_alpha: I64F64,
}

impl ChainPosition {
    /// SCALE encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(POSITION_LEN);
        v.extend_from_slice(&self.id.to_le_bytes());
        v.extend_from_slice(&self.netuid.to_le_bytes());
        v.extend_from_slice(&self.tick_low.to_le_bytes());
        v.extend_from_slice(&self.tick_high.to_le_bytes());
        v.extend_from_slice(&self.liquidity.to_le_bytes());
        v.extend_from_slice(&self.fees_tao.to_bits().to_le_bytes());
        v.extend_from_slice(&self.fees_alpha.to_bits().to_le_bytes());
        v
    }

    /// Decode exactly [`POSITION_LEN`] bytes; `None` otherwise.
    pub fn decode(b: &[u8]) -> Option<Self> {
        if b.len() != POSITION_LEN {
            return None;
        }
        let u128_at = |i: usize| -> Option<u128> {
            Some(u128::from_le_bytes(b.get(i..i + 16)?.try_into().ok()?))
        };
        let i32_at = |i: usize| -> Option<i32> {
            Some(i32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
        };
        Some(ChainPosition {
            id: u128_at(0)?,
            netuid: u16::from_le_bytes(b.get(16..18)?.try_into().ok()?),
            tick_low: i32_at(18)?,
            tick_high: i32_at(22)?,
            liquidity: u64::from_le_bytes(b.get(26..34)?.try_into().ok()?),
            fees_tao: I64F64::from_bits(u128_at(34)? as i128),
            fees_alpha: I64F64::from_bits(u128_at(50)? as i128),
        })
    }
}

/// A stored `U64F64`/`I64F64` bit pattern read as the chain's signed fee type.
fn signed(bits: U64F64) -> I64F64 {
    I64F64::from_bits(bits.to_bits() as i128)
}

/// `I64F64::saturating_from_num(U64F64)`.
fn global(v: U64F64) -> I64F64 {
    I64F64::saturating_from_num(v)
}

/// `TickIndex::current_bounded`.
fn current_bounded(pool: &V3Pool) -> i32 {
    pool.current_tick.clamp(MIN_TICK, MAX_TICK)
}

/// `fees_below` (`below = true`) / `fees_above` of tick `t`, TAO (`quote`) or alpha.
fn fees_outside(pool: &V3Pool, t: i32, below: bool, quote: bool) -> I64F64 {
    let tick = pool.ticks.get(&t).copied().unwrap_or_default();
    let (g, out) = if quote {
        (global(pool.fee_global_tao), signed(tick.fees_out_tao))
    } else {
        (global(pool.fee_global_alpha), signed(tick.fees_out_alpha))
    };
    let at_or_below_price = t <= current_bounded(pool);
    if at_or_below_price == below {
        out
    } else {
        g.saturating_sub(out)
    }
}

/// `Position::fees_in_range`.
fn fees_in_range(pool: &V3Pool, p: &ChainPosition, quote: bool) -> I64F64 {
    let g = if quote {
        global(pool.fee_global_tao)
    } else {
        global(pool.fee_global_alpha)
    };
    g.saturating_sub(fees_outside(pool, p.tick_low, true, quote))
        .saturating_sub(fees_outside(pool, p.tick_high, false, quote))
}

/// `Position::collect_fees`: settle the position's fee growth, return `(tao, alpha)` earned.
pub fn collect_fees(pool: &V3Pool, p: &mut ChainPosition) -> (u64, u64) {
    let agg_tao = fees_in_range(pool, p, true);
    let agg_alpha = fees_in_range(pool, p, false);
    let fee_tao = agg_tao.saturating_sub(p.fees_tao);
    let fee_alpha = agg_alpha.saturating_sub(p.fees_alpha);
    p.fees_tao = agg_tao;
    p.fees_alpha = agg_alpha;
    let l = I64F64::saturating_from_num(p.liquidity);
    (
        l.saturating_mul(fee_tao).saturating_to_num::<u64>(),
        l.saturating_mul(fee_alpha).saturating_to_num::<u64>(),
    )
}

/// `Position::to_token_amounts` at `sqrt_price`: `None` for a tick outside the pallet's range
/// (`InvalidTickRange`).
pub fn to_token_amounts(p: &ChainPosition, sqrt_price: U64F64) -> Option<(u64, u64)> {
    let low = try_to_sqrt_price(p.tick_low)?;
    let high = try_to_sqrt_price(p.tick_high)?;
    let l = fx(p.liquidity);
    let inv = |x: U64F64| safe_div(one(), x);
    Some(if sqrt_price < low {
        (
            0,
            l.saturating_mul(inv(low).saturating_sub(inv(high)))
                .saturating_to_num::<u64>(),
        )
    } else if sqrt_price > high {
        (
            l.saturating_mul(high.saturating_sub(low))
                .saturating_to_num::<u64>(),
            0,
        )
    } else {
        (
            l.saturating_mul(sqrt_price.saturating_sub(low))
                .saturating_to_num::<u64>(),
            l.saturating_mul(inv(sqrt_price).saturating_sub(inv(high)))
                .saturating_to_num::<u64>(),
        )
    })
}

/// `get_proportional_alpha_tao_and_remainders`: `(tao, alpha, tao_scrap, alpha_scrap)`.
pub fn proportional_split(sqrt_price: U64F64, tao: u64, alpha: u64) -> (u64, u64, u64, u64) {
    let price = sqrt_price.saturating_mul(sqrt_price);
    let tao_equivalent: u64 = fx(alpha).saturating_mul(price).saturating_to_num();
    if tao_equivalent <= tao {
        (tao_equivalent, alpha, tao.saturating_sub(tao_equivalent), 0)
    } else {
        let alpha_equivalent: u64 = safe_div(fx(tao), price).saturating_to_num();
        (
            tao,
            alpha_equivalent,
            0,
            alpha.saturating_sub(alpha_equivalent),
        )
    }
}

/// `add_liquidity_at_index`: an existing tick gains `liquidity` gross and `±liquidity` net; a new
/// one starts with the global fee growth as "outside" when it lies above the current tick.
pub fn add_liquidity_at_index(pool: &mut V3Pool, t: i32, liquidity: u64, upper: bool) {
    let net = if upper {
        -i128::from(liquidity)
    } else {
        i128::from(liquidity)
    };
    let cur = current_bounded(pool);
    let (gt, ga) = (pool.fee_global_tao, pool.fee_global_alpha);
    match pool.ticks.get_mut(&t) {
        Some(k) => {
            k.liquidity_net = k.liquidity_net.saturating_add(net);
            k.liquidity_gross = k.liquidity_gross.saturating_add(liquidity);
        }
        None => {
            let (ft, fa) = if t > cur {
                (global(gt), global(ga))
            } else {
                (I64F64::from_num(0), I64F64::from_num(0))
            };
            pool.ticks.insert(
                t,
                Tick {
                    liquidity_net: net,
                    liquidity_gross: liquidity,
                    fees_out_tao: U64F64::from_bits(ft.to_bits() as u128),
                    fees_out_alpha: U64F64::from_bits(fa.to_bits() as u128),
                },
            );
        }
    }
}

/// What [`adjust_protocol_liquidity`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Adjusted {
    /// The fees the position collected, `(tao, alpha)`.
    pub fees: (u64, u64),
    /// Whether the position (and `CurrentLiquidity`, its ticks) was written: its tick range was
    /// valid. The scrap reservoirs are written either way.
    pub position_written: bool,
    /// `new_liquidity − old` (saturating at 0): what `CurrentLiquidity` and the ticks gained.
    pub liquidity_delta: u64,
}

/// `adjust_protocol_liquidity(netuid, tao_delta, alpha_delta)` on `pool` whose protocol
/// account's first position is `position` (`None`: the account holds none, nothing is written).
/// Updates the pool's scrap reservoirs, `liquidity`, ticks and the position in place.
pub fn adjust_protocol_liquidity(
    pool: &mut V3Pool,
    position: Option<&mut ChainPosition>,
    tao_delta: u64,
    alpha_delta: u64,
) -> Option<Adjusted> {
    let p = position?;
    let fees = collect_fees(pool, p);
    let sqrt = pool.sqrt_price;
    let (tao, alpha, tao_scrap, alpha_scrap) = proportional_split(
        sqrt,
        tao_delta
            .saturating_add(fees.0)
            .saturating_add(pool.scrap_tao),
        alpha_delta
            .saturating_add(fees.1)
            .saturating_add(pool.scrap_alpha),
    );
    pool.scrap_tao = tao_scrap;
    pool.scrap_alpha = alpha_scrap;
    let Some((pt, pa)) = to_token_amounts(p, sqrt) else {
        return Some(Adjusted {
            fees,
            position_written: false,
            liquidity_delta: 0,
        });
    };
    let new_tao = pt.saturating_add(tao);
    let new_alpha = pa.saturating_add(alpha);
    let new_l = isqrt_u128(u128::from(new_tao).saturating_mul(u128::from(new_alpha)));
    let delta = new_l.saturating_sub(p.liquidity);
    pool.liquidity = pool.liquidity.saturating_add(delta);
    p.liquidity = new_l;
    add_liquidity_at_index(pool, p.tick_low, delta, false);
    add_liquidity_at_index(pool, p.tick_high, delta, true);
    Some(Adjusted {
        fees,
        position_written: true,
        liquidity_delta: delta,
    })
}

/// `maybe_initialize_v3` (and the `Positions::insert` after it) on a pool not yet initialised:
/// the price `U64F64(tao) / U64F64(alpha)` (reserves with the provided amounts), its square root by
/// the safe-math bisection with ε = 10⁻¹², the tick of that root, and the protocol's full-range
/// position of liquidity `isqrt(tao × alpha)` (`add_liquidity_not_insert`: both ticks by
/// [`add_liquidity_at_index`], the root clamped at the range ends, `CurrentLiquidity` grown when
/// the tick is inside, the id `LastPositionId + 1`, fee growth inside settled). Returns the new
/// position and sets `initialized`; `None` (nothing done) for a pool already initialised. The
/// caller checks the swap's reserve minimum first, as `swap_inner` does.
pub fn initialize_v3(
    pool: &mut V3Pool,
    netuid: u16,
    last_position_id: &mut u128,
) -> Option<ChainPosition> {
    if pool.initialized {
        return None;
    }
    let price = safe_div(fx(pool.tao_reserve), fx(pool.alpha_reserve));
    pool.sqrt_price = super::sqrt_bisect(price, U64F64::from_num(0.000_000_000_001));
    pool.current_tick = super::tick::from_sqrt_price_bounded(pool.sqrt_price);
    let l = isqrt_u128(u128::from(pool.tao_reserve).saturating_mul(u128::from(pool.alpha_reserve)));
    add_liquidity_at_index(pool, MIN_TICK, l, false);
    add_liquidity_at_index(pool, MAX_TICK, l, true);
    let cur = current_bounded(pool);
    // `clamp_sqrt_price`.
    if cur >= MAX_TICK || cur <= MIN_TICK {
        pool.sqrt_price = super::tick::to_sqrt_price_bounded(cur);
    }
    // `update_liquidity_if_needed`.
    if (MIN_TICK..MAX_TICK).contains(&cur) {
        pool.liquidity = pool.liquidity.saturating_add(l);
    }
    *last_position_id = last_position_id.saturating_add(1);
    let mut p = ChainPosition {
        id: *last_position_id,
        netuid,
        tick_low: MIN_TICK,
        tick_high: MAX_TICK,
        liquidity: l,
        fees_tao: I64F64::from_num(0),
        fees_alpha: I64F64::from_num(0),
    };
    p.fees_tao = fees_in_range(pool, &p, true);
    p.fees_alpha = fees_in_range(pool, &p, false);
    pool.initialized = true;
    Some(p)
}

/// The pallet's protocol account: `PalletId(*b"ten/swap").into_account_truncating()`, i.e.
/// `b"modl" ++ b"ten/swap"` zero-padded to 32 bytes.
pub fn protocol_account() -> [u8; 32] {
    let mut a = [0u8; 32];
    for (d, s) in a.iter_mut().zip(b"modlten/swap") {
        *d = *s;
    }
    a
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn full_range(pool: &V3Pool) -> ChainPosition {
        let p = pool.positions.first().unwrap();
        ChainPosition {
            id: 1,
            netuid: 1,
            tick_low: p.tick_low,
            tick_high: p.tick_high,
            liquidity: p.liquidity,
            fees_tao: I64F64::from_num(0),
            fees_alpha: I64F64::from_num(0),
        }
    }

    #[test]
    fn a_position_round_trips_its_encoding() {
        let p = ChainPosition {
            id: 7,
            netuid: 19,
            tick_low: MIN_TICK,
            tick_high: MAX_TICK,
            liquidity: 123_456_789,
            fees_tao: I64F64::from_num(-1.5),
            fees_alpha: I64F64::from_num(2.25),
        };
        let b = p.encode();
        assert_eq!(b.len(), POSITION_LEN);
        assert_eq!(ChainPosition::decode(&b), Some(p));
        assert_eq!(ChainPosition::decode(&b[1..]), None);
    }

    #[test]
    fn the_proportional_split_keeps_the_side_in_excess_as_scrap() {
        // Price 4 (sqrt 2): 10 alpha are worth 40 TAO.
        let s = fx(2);
        assert_eq!(proportional_split(s, 50, 10), (40, 10, 10, 0));
        assert_eq!(proportional_split(s, 40, 10), (40, 10, 0, 0));
        assert_eq!(proportional_split(s, 20, 10), (20, 5, 0, 5));
    }

    #[test]
    fn an_injection_at_the_pool_price_grows_liquidity_by_isqrt_of_the_new_amounts() {
        let mut pool = V3Pool::new(4_000_000_000_000, 1_000_000_000_000);
        pool.initialize();
        let mut p = full_range(&pool);
        let (pt, pa) = to_token_amounts(&p, pool.sqrt_price).unwrap();
        let l0 = pool.liquidity;
        let a = adjust_protocol_liquidity(&mut pool, Some(&mut p), 4_000_000, 1_000_000).unwrap();
        let (tao, alpha, ts, als) = proportional_split(pool.sqrt_price, 4_000_000, 1_000_000);
        assert_eq!((pool.scrap_tao, pool.scrap_alpha), (ts, als));
        let want = isqrt_u128(u128::from(pt + tao) * u128::from(pa + alpha));
        assert_eq!(p.liquidity, want);
        assert_eq!(a.liquidity_delta, want - l0);
        assert_eq!(pool.liquidity, want);
        assert_eq!(pool.ticks[&MIN_TICK].liquidity_net, i128::from(want));
        assert_eq!(pool.ticks[&MAX_TICK].liquidity_net, -i128::from(want));
        assert_eq!(pool.ticks[&MAX_TICK].liquidity_gross, want);
        // No protocol position: nothing happens.
        let before = pool.clone();
        assert!(adjust_protocol_liquidity(&mut pool, None, 5, 5).is_none());
        assert_eq!(pool, before);
    }

    #[test]
    fn fees_are_collected_signed_and_settled() {
        let mut pool = V3Pool::new(1_000_000_000, 1_000_000_000);
        pool.initialize();
        let mut p = full_range(&pool);
        pool.fee_global_tao = U64F64::from_num(0.5);
        let (t, a) = collect_fees(&pool, &mut p);
        assert_eq!((t, a), (p.liquidity / 2, 0));
        assert_eq!(p.fees_tao, I64F64::from_num(0.5));
        assert_eq!(collect_fees(&pool, &mut p), (0, 0));
        // A tick whose outside growth exceeds the global growth gives a negative inside growth,
        // which the chain keeps signed (and pays out as 0).
        if let Some(k) = pool.ticks.get_mut(&MIN_TICK) {
            k.fees_out_tao = U64F64::from_num(2);
        }
        let (t, _) = collect_fees(&pool, &mut p);
        assert_eq!(t, 0);
        assert_eq!(p.fees_tao, I64F64::from_num(-1.5));
    }

    /// The pallet's own tests at v3.4.6-421 (`pallets/swap/src/pallet/tests.rs`,
    /// `proportional_*`, `zero_price_*`, `rounding_down_*`, `exact_fit_*`, `handles_zero_balances`).
    #[test]
    fn the_chains_proportional_split_vectors() {
        for (sqrt, tao, alpha, want) in [
            (1, 10, 3, (3, 3, 7, 0)),
            (1, 5, 10, (5, 5, 0, 5)),
            (2, 85, 20, (80, 20, 5, 0)),
            (2, 50, 20, (50, 12, 0, 8)),
            (0, 42, 17, (0, 17, 42, 0)),
            (2, 13, 100, (13, 3, 0, 97)),
            (1, 9, 9, (9, 9, 0, 0)),
            (1, 0, 7, (0, 0, 0, 7)),
            (1, 7, 0, (0, 0, 7, 0)),
            (1, 0, 0, (0, 0, 0, 0)),
        ] {
            assert_eq!(
                proportional_split(fx(sqrt), tao, alpha),
                want,
                "{sqrt} {tao} {alpha}"
            );
        }
    }

    /// `adjust_protocol_liquidity_uses_and_sets_scrap_reservoirs` (same file): price 1, scrap
    /// (7, 5), a zero-liquidity full-range protocol position, no deltas: scrap becomes (2, 0).
    #[test]
    fn the_chains_scrap_reservoir_vector() {
        let mut pool = V3Pool::new(0, 0);
        pool.sqrt_price = fx(1);
        pool.scrap_tao = 7;
        pool.scrap_alpha = 5;
        let mut p = ChainPosition {
            id: 0,
            netuid: 1,
            tick_low: MIN_TICK,
            tick_high: MAX_TICK,
            liquidity: 0,
            fees_tao: I64F64::from_num(0),
            fees_alpha: I64F64::from_num(0),
        };
        let a = adjust_protocol_liquidity(&mut pool, Some(&mut p), 0, 0).unwrap();
        assert_eq!((pool.scrap_tao, pool.scrap_alpha), (2, 0));
        // And the rest of the body: L = isqrt(5 × 5) on new ticks.
        assert_eq!((p.liquidity, a.liquidity_delta, pool.liquidity), (5, 5, 5));
        assert_eq!(pool.ticks[&MIN_TICK].liquidity_net, 5);
        assert_eq!(pool.ticks[&MAX_TICK].liquidity_net, -5);
    }

    #[test]
    fn initialisation_opens_the_protocol_position_at_the_reserve_price() {
        let mut pool = V3Pool::new(4_000_000_000_000, 1_000_000_000_000);
        let mut last = 41u128;
        let p = initialize_v3(&mut pool, 3, &mut last).unwrap();
        // sqrt(4) by the bisection, within 10^-12; L = isqrt(4e12 × 1e12) = 2e12.
        let two = fx(2);
        let d = pool.sqrt_price.max(two) - pool.sqrt_price.min(two);
        assert!(
            d <= U64F64::from_num(0.000_000_000_001),
            "{}",
            pool.sqrt_price
        );
        assert_eq!((p.id, last, p.liquidity), (42, 42, 2_000_000_000_000));
        assert_eq!(pool.liquidity, 2_000_000_000_000);
        assert_eq!(pool.ticks[&MIN_TICK].liquidity_net, 2_000_000_000_000);
        assert_eq!(pool.ticks[&MAX_TICK].liquidity_net, -2_000_000_000_000);
        assert!(pool.initialized);
        assert!(initialize_v3(&mut pool, 3, &mut last).is_none());
        assert_eq!(last, 42);
    }

    #[test]
    fn the_protocol_account_is_the_padded_pallet_id() {
        let a = protocol_account();
        assert_eq!(&a[..12], b"modlten/swap");
        assert!(a[12..].iter().all(|b| *b == 0));
    }
}
