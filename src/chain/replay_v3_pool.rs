//! The v3 pool items of [`super::replay_v3`]: what the injection (`adjust_protocol_liquidity`)
//! and the chain buy wrote on a subnet (`ScrapReservoirTao`, `ScrapReservoirAlpha`,
//! `CurrentLiquidity`, the protocol position, its two ticks and every tick the buy crossed,
//! `AlphaSqrtPrice`, `CurrentTick`), compared with the child, or listed when their inputs are
//! missing.

use super::capture::Capture;
use super::coinbase_items::{subnet as s, v3 as v};
use super::replay_report::BlockReplay;
use super::replay_v3_out::{emit, list, Out};
use super::replay_v3_read::{
    encode_tick, position_key, swap_prefix_hex, tick_key, ticks_prefix_hex,
};
use crate::error::Result;
use crate::pool::swap::BalancerPool;
use crate::pool::v3::protocol::{Adjusted, ChainPosition};
use crate::pool::v3::V3Pool;

/// The pool after the block, its protocol position and what the injection did.
pub(crate) type PoolAfter = (V3Pool, Option<ChainPosition>, Option<Adjusted>);

/// Spec 380's balancer after the block.
pub(crate) struct BalancerAfter {
    /// Reserves (after the buy and the injection) and weights.
    pub(crate) pool: BalancerPool,
    /// `[FeesTao, FeesAlpha]` as the injection leaves them (0 once collected).
    pub(crate) fees: [u64; 2],
    /// `adjust_protocol_liquidity` updated the weights (and wrote `SwapBalancer`).
    pub(crate) adjusted: bool,
    /// The chain buy initialised the pool (`maybe_initialize_palswap(None)`: weights ½,
    /// `PalSwapInitialized`).
    pub(crate) initialised: bool,
}

fn tick_of(pool: &V3Pool) -> Vec<u8> {
    pool.current_tick.to_le_bytes().to_vec()
}

/// The v3 items of subnet `n`, listed with `needs` (pool inputs missing, or terms unknown).
pub(crate) fn list_pool(r: &mut BlockReplay, n: u16, needs: &[String]) {
    for it in [
        v::SCRAP_TAO,
        v::SCRAP_ALPHA,
        v::CURRENT_LIQUIDITY,
        v::ALPHA_SQRT_PRICE,
        v::CURRENT_TICK,
    ] {
        list(r, it.path(), it.args(n), needs.to_vec());
    }
    let mut pos = needs.to_vec();
    pos.push(format!("prefix {}", swap_prefix_hex("Positions")));
    list(r, "Swap.Positions".into(), format!("[{n},protocol,*]"), pos);
    let mut ticks = needs.to_vec();
    ticks.push(format!("prefix {}", ticks_prefix_hex(n)));
    list(r, "Swap.Ticks".into(), format!("[{n},*]"), ticks);
}

/// Compare the v3 items the block wrote on `n` (`init`: the buy initialised the pool, with what
/// the new position's id needs).
#[allow(clippy::too_many_arguments)]
pub(crate) fn pool_outputs(
    r: &mut BlockReplay,
    child: &Capture,
    n: u16,
    before: &V3Pool,
    after: Option<&PoolAfter>,
    buys: bool,
    init: Option<&[String]>,
    needs: &[String],
) -> Result<()> {
    let Some((p, pos, adj)) = after else {
        return Ok(());
    };
    let raw = |key: Vec<u8>, item: &str, args: String, actual: Vec<u8>| Out {
        item: item.into(),
        args,
        key: super::hex::encode(&key),
        default: None,
        actual,
        needs: needs.to_vec(),
    };
    if let Some(adj) = adj {
        emit(
            r,
            child,
            Out::of(
                &v::SCRAP_TAO,
                n,
                p.scrap_tao.to_le_bytes().to_vec(),
                needs.to_vec(),
            ),
        )?;
        emit(
            r,
            child,
            Out::of(
                &v::SCRAP_ALPHA,
                n,
                p.scrap_alpha.to_le_bytes().to_vec(),
                needs.to_vec(),
            ),
        )?;
        if let (true, Some(pos)) = (adj.position_written, pos) {
            let args = format!("[{n},protocol,{}]", pos.id);
            emit(
                r,
                child,
                raw(
                    position_key(n, pos.id),
                    "Swap.Positions",
                    args,
                    pos.encode(),
                ),
            )?;
        }
    }
    // The buy initialised the pool: the new protocol position (its id from `LastPositionId`).
    if let (Some(init), Some(pos)) = (init, pos) {
        let args = if init.is_empty() {
            format!("[{n},protocol,{}]", pos.id)
        } else {
            format!("[{n},protocol,*]")
        };
        let mut o = raw(
            position_key(n, pos.id),
            "Swap.Positions",
            args,
            pos.encode(),
        );
        o.needs.extend(init.iter().cloned());
        emit(r, child, o)?;
        emit(
            r,
            child,
            Out::of(&v::V3_INITIALIZED, n, vec![1], needs.to_vec()),
        )?;
    }
    if adj.is_some() || buys {
        let l = p.liquidity.to_le_bytes().to_vec();
        emit(
            r,
            child,
            Out::of(&v::CURRENT_LIQUIDITY, n, l, needs.to_vec()),
        )?;
    }
    if buys {
        let sq = p.sqrt_price.to_bits().to_le_bytes().to_vec();
        emit(
            r,
            child,
            Out::of(&v::ALPHA_SQRT_PRICE, n, sq, needs.to_vec()),
        )?;
        emit(
            r,
            child,
            Out::of(&v::CURRENT_TICK, n, tick_of(p), needs.to_vec()),
        )?;
    }
    // Ticks: the position's two (written by the injection) and every tick the buy crossed.
    let mut written: Vec<i32> = match (adj, pos) {
        (Some(ad), Some(pos)) if ad.position_written => vec![pos.tick_low, pos.tick_high],
        _ => Vec::new(),
    };
    for (t, k) in &p.ticks {
        if before.ticks.get(t) != Some(k) && !written.contains(t) {
            written.push(*t);
        }
    }
    for t in written {
        let Some(k) = p.ticks.get(&t) else { continue };
        let key = tick_key(n, t);
        emit(
            r,
            child,
            raw(key, "Swap.Ticks", format!("[{n},{t}]"), encode_tick(k)),
        )?;
    }
    Ok(())
}

/// Spec 380's balancer items of subnet `n`, listed with `needs`.
pub(crate) fn list_balancer(r: &mut BlockReplay, n: u16, needs: &[String]) {
    for it in [
        s::SWAP_BALANCER,
        s::PAL_SWAP_INITIALIZED,
        v::FEES_TAO,
        v::FEES_ALPHA,
    ] {
        list(r, it.path(), it.args(n), needs.to_vec());
    }
}

/// Compare spec 380's balancer items the block wrote on `n`: `FeesTao` and `FeesAlpha`
/// (collected, or put back when the weights could not move), `SwapBalancer` when the injection
/// moved the weights or the chain buy initialised the pool, and then `PalSwapInitialized`.
pub(crate) fn balancer_outputs(
    r: &mut BlockReplay,
    child: &Capture,
    n: u16,
    after: Option<&BalancerAfter>,
) -> Result<()> {
    let Some(b) = after else {
        return Ok(());
    };
    for (it, val) in [(v::FEES_TAO, b.fees[0]), (v::FEES_ALPHA, b.fees[1])] {
        emit(
            r,
            child,
            Out::of(&it, n, val.to_le_bytes().to_vec(), Vec::new()),
        )?;
    }
    if b.initialised {
        let it = s::PAL_SWAP_INITIALIZED;
        emit(r, child, Out::of(&it, n, vec![1], Vec::new()))?;
    }
    if b.adjusted || b.initialised {
        let w = b
            .pool
            .weights
            .quote_weight()
            .deconstruct()
            .to_le_bytes()
            .to_vec();
        emit(r, child, Out::of(&s::SWAP_BALANCER, n, w, Vec::new()))?;
    }
    Ok(())
}
