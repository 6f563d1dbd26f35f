//! Writing engine pool states as storage captures (the inverse of
//! [`super::sim_swap::read_pool`]), so that tests and the app can build captures from states the
//! engine holds, and a capture the engine writes replays to itself.
//!
//! The keys and encodings are those of [`super::storage`] (`SubtensorModule` and `Swap` items).

use super::capture::Capture;
use super::sim_swap::{sim_swap_call, sim_swap_state, PoolState, SimSwapResult};
use super::storage::Hasher;
use super::storage::{item_named, swap_item_named, swap_ticks_prefix, KeyArg};
use crate::error::{Error, ErrorCode, Result};
use crate::pool::swap::Order;

fn put(c: &mut Capture, name: &str, netuid: u16, value: Option<Vec<u8>>) -> Result<()> {
    let it = item_named(name)
        .or_else(|| swap_item_named(name))
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
    // A value equal to the default is stored as absent, as the chain does for ValueQuery items.
    let value = value.filter(|v| Some(v) != it.default_bytes().as_ref());
    c.insert(&it.key(&[KeyArg::U16(netuid)])?, value.as_deref());
    Ok(())
}

/// Write `netuid`'s pool (and `NetworksAdded`, `SubnetMechanism`) into `c`.
pub fn write_pool(c: &mut Capture, netuid: u16, state: &PoolState) -> Result<()> {
    put(c, "NetworksAdded", netuid, Some(vec![1]))?;
    let mech: u16 = if matches!(state, PoolState::Stable) {
        0
    } else {
        1
    };
    put(
        c,
        "SubnetMechanism",
        netuid,
        Some(mech.to_le_bytes().to_vec()),
    )?;
    match state {
        PoolState::Stable => {}
        PoolState::Balancer(p, init) => {
            put(
                c,
                "SubnetTAO",
                netuid,
                Some(p.tao_reserve.to_le_bytes().to_vec()),
            )?;
            put(
                c,
                "SubnetAlphaIn",
                netuid,
                Some(p.alpha_reserve.to_le_bytes().to_vec()),
            )?;
            put(
                c,
                "FeeRate",
                netuid,
                Some(p.fee_rate.to_le_bytes().to_vec()),
            )?;
            let w = p.weights.quote_weight().deconstruct();
            put(c, "SwapBalancer", netuid, Some(w.to_le_bytes().to_vec()))?;
            put(c, "PalSwapInitialized", netuid, Some(vec![u8::from(*init)]))?;
        }
        PoolState::UniswapV3(p) => {
            put(
                c,
                "SubnetTAO",
                netuid,
                Some(p.tao_reserve.to_le_bytes().to_vec()),
            )?;
            put(
                c,
                "SubnetAlphaIn",
                netuid,
                Some(p.alpha_reserve.to_le_bytes().to_vec()),
            )?;
            put(c, "SubnetTaoProvided", netuid, None)?;
            put(c, "SubnetAlphaInProvided", netuid, None)?;
            put(
                c,
                "FeeRate",
                netuid,
                Some(p.fee_rate.to_le_bytes().to_vec()),
            )?;
            put(
                c,
                "SwapV3Initialized",
                netuid,
                Some(vec![u8::from(p.initialized)]),
            )?;
            put(
                c,
                "AlphaSqrtPrice",
                netuid,
                Some(p.sqrt_price.to_bits().to_le_bytes().to_vec()),
            )?;
            put(
                c,
                "CurrentTick",
                netuid,
                Some(p.current_tick.to_le_bytes().to_vec()),
            )?;
            put(
                c,
                "CurrentLiquidity",
                netuid,
                Some(p.liquidity.to_le_bytes().to_vec()),
            )?;
            let prefix = swap_ticks_prefix(netuid);
            for (t, k) in &p.ticks {
                let mut key = prefix.clone();
                Hasher::Twox64Concat.hash_into(&t.to_le_bytes(), &mut key);
                let mut v = k.liquidity_net.to_le_bytes().to_vec();
                v.extend(k.liquidity_gross.to_le_bytes());
                v.extend(k.fees_out_tao.to_bits().to_le_bytes());
                v.extend(k.fees_out_alpha.to_bits().to_le_bytes());
                c.insert(&key, Some(&v));
            }
        }
    }
    Ok(())
}

/// Record what the engine says `sim_swap` gives for `amount` as a runtime-API entry of `c`.
pub fn record_sim_swap(
    c: &mut Capture,
    netuid: u16,
    state: &PoolState,
    order: Order,
    amount: u64,
) -> SimSwapResult {
    let r = sim_swap_state(state, order, amount, c.spec_version);
    let (method, args) = sim_swap_call(netuid, order, amount);
    c.runtime_api.push(super::capture::ApiCall {
        method: method.into(),
        args_hex: super::hex::encode(&args),
        result: super::hex::encode(&r.encode(c.spec_version)),
    });
    r
}
