//! Reading a subnet's pool from a storage capture, in every era (the read plan of
//! [`super::sim_swap`]).
//!
//! Which storage the chain's `current_price` / `sim_swap` read (opentensor/subtensor
//! `pallets/swap/src/pallet/impls.rs` and `pallets/subtensor/src/lib.rs` `TokenReserve` impls):
//! `SubnetMechanism` and `NetworksAdded`; in the v3 era (@ 8f13194) `SubnetTAO +
//! SubnetTaoProvided`, `SubnetAlphaIn + SubnetAlphaInProvided`, `SwapV3Initialized`,
//! `AlphaSqrtPrice`, `CurrentTick`, `CurrentLiquidity`, the subnet's `Ticks` and `FeeRate`; in the
//! balancer era (@ 211007c59, 14bc6f9) `SubnetTAO`, `SubnetAlphaIn`, `SwapBalancer`,
//! `PalSwapInitialized` and `FeeRate`. The era ([`QuoteEra`]) comes from the spec (424 and later:
//! balancer) and, before, from which era's items hold values in the capture.

use super::capture::{le_bytes, Capture, Reader};
use super::storage::{item_named, swap_item_named, swap_ticks_prefix, KeyArg, StorageItem};
use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::Balancer;
use crate::pool::perquintill::Perquintill;
use crate::pool::swap::BalancerPool;
use crate::pool::v3::{Tick, V3Pool};
use substrate_fixed::types::U64F64;

/// The pool rules a capture's subnet follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteEra {
    /// `SubnetMechanism ≠ 1`: root and stable subnets, 1:1.
    Stable,
    /// Uniswap-v3 concentrated liquidity.
    UniswapV3,
    /// Weighted balancer (with or without reservoirs: quotes are the same).
    Balancer,
}

/// A subnet's pool as read from a capture.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolState {
    /// 1:1 (mechanism ≠ 1); `exists` is `NetworksAdded`.
    Stable,
    /// v3 pool; reserves include the provided amounts.
    UniswapV3(Box<V3Pool>),
    /// Balancer: the stored weights (price) and whether `PalSwapInitialized`.
    Balancer(BalancerPool, bool),
}

impl PoolState {
    /// The era.
    pub fn era(&self) -> QuoteEra {
        match self {
            PoolState::Stable => QuoteEra::Stable,
            PoolState::UniswapV3(_) => QuoteEra::UniswapV3,
            PoolState::Balancer(..) => QuoteEra::Balancer,
        }
    }
}

fn item(name: &str) -> Result<&'static StorageItem> {
    item_named(name)
        .or_else(|| swap_item_named(name))
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))
}

fn read_u64(r: &mut Reader, name: &str, netuid: u16) -> Result<Option<u64>> {
    let b = r.bytes(item(name)?, &[KeyArg::U16(netuid)])?;
    b.flatten()
        .map(|b| le_bytes::<8>(&b, name).map(u64::from_le_bytes))
        .transpose()
}

fn read_u16(r: &mut Reader, name: &str, netuid: u16) -> Result<Option<u16>> {
    let b = r.bytes(item(name)?, &[KeyArg::U16(netuid)])?;
    b.flatten()
        .map(|b| le_bytes::<2>(&b, name).map(u16::from_le_bytes))
        .transpose()
}

fn read_bool(r: &mut Reader, name: &str, netuid: u16) -> Result<Option<bool>> {
    let b = r.bytes(item(name)?, &[KeyArg::U16(netuid)])?;
    b.flatten()
        .map(|b| match b.as_slice() {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(Error::field(
                ErrorCode::Decode,
                name,
                format!("{name}: not a bool"),
            )),
        })
        .transpose()
}

/// Whether the key holds a value on chain (not `null`), without recording it as needed.
fn live(r: &Reader, name: &str, netuid: u16) -> Result<bool> {
    let it = item(name)?;
    let k = super::hex::encode(&it.key(&[KeyArg::U16(netuid)])?);
    Ok(matches!(r.capture().storage.get(&k), Some(Some(_))))
}

fn seen(r: &Reader, name: &str, netuid: u16) -> Result<bool> {
    r.captured(item(name)?, &[KeyArg::U16(netuid)])
}

/// Which pool era the capture's storage shows for `netuid` (mechanism 1). From spec 424 every
/// finney runtime runs the balancer; before, the era is the one whose items hold values
/// (`SwapV3Initialized`/`AlphaSqrtPrice` vs `PalSwapInitialized`/`SwapBalancer`), or, when none
/// does, the one whose items were captured. `None` with the era's keys recorded as missing.
fn era_of(r: &mut Reader, netuid: u16) -> Result<Option<QuoteEra>> {
    let spec = r.capture().spec_version;
    let se = super::storage::prefix(super::storage::SWAP_PALLET, "SwapSuperellipse");
    if r.capture()
        .with_prefix(&se)?
        .iter()
        .any(|(_, v)| v.is_some())
    {
        return Err(Error::field(
            ErrorCode::Unsupported,
            "storage",
            "the capture has Swap.SwapSuperellipse: superellipse pools are not read from \
             captures yet",
        ));
    }
    if spec > crate::runtime::timeline::NEWEST_KNOWN_SPEC {
        // A runtime newer than any the engine knows may swap by other rules: refuse rather than
        // quote it as 475.
        return Err(crate::runtime::Rules::for_spec(spec)
            .err()
            .unwrap_or_else(|| Error::new(ErrorCode::UnsupportedRuntime, "unknown runtime")));
    }
    if spec >= crate::runtime::timeline::OLDEST_KNOWN_SPEC {
        return Ok(Some(QuoteEra::Balancer));
    }
    let v3 = live(r, "SwapV3Initialized", netuid)? || live(r, "AlphaSqrtPrice", netuid)?;
    let bal = live(r, "PalSwapInitialized", netuid)? || live(r, "SwapBalancer", netuid)?;
    let v3_seen = seen(r, "SwapV3Initialized", netuid)?;
    let bal_seen = seen(r, "PalSwapInitialized", netuid)? || seen(r, "SwapBalancer", netuid)?;
    Ok(match (v3, bal) {
        (true, false) => Some(QuoteEra::UniswapV3),
        (false, true) => Some(QuoteEra::Balancer),
        (true, true) => {
            return Err(Error::field(
                ErrorCode::UnknownEra,
                "storage",
                format!("netuid {netuid} has both v3 and balancer pool state at spec {spec}"),
            ))
        }
        (false, false) if v3_seen && !bal_seen => Some(QuoteEra::UniswapV3),
        (false, false) if bal_seen && !v3_seen => Some(QuoteEra::Balancer),
        (false, false) => {
            r.bytes(item("SwapV3Initialized")?, &[KeyArg::U16(netuid)])?;
            r.bytes(item("PalSwapInitialized")?, &[KeyArg::U16(netuid)])?;
            None
        }
    })
}

fn read_ticks(
    r: &mut Reader,
    netuid: u16,
) -> Result<Option<std::collections::BTreeMap<i32, Tick>>> {
    let prefix = swap_ticks_prefix(netuid);
    let entries = r.capture().with_prefix(&prefix)?;
    if entries.is_empty() {
        r.note_prefix("Swap.Ticks", &[KeyArg::U16(netuid)], &prefix);
        return Ok(None);
    }
    let mut out = std::collections::BTreeMap::new();
    for (tail, v) in entries {
        let idx = tail
            .get(8..)
            .ok_or_else(|| Error::field(ErrorCode::Decode, "Swap.Ticks", "truncated tick key"))?;
        let t = i32::from_le_bytes(le_bytes::<4>(idx, "Swap.Ticks key")?);
        let Some(v) = v else { continue };
        let b = le_bytes::<56>(&v, "Swap.Ticks")?;
        let (net, rest) = b.split_at(16);
        let (gross, rest) = rest.split_at(8);
        let (ft, fa) = rest.split_at(16);
        out.insert(
            t,
            Tick {
                liquidity_net: i128::from_le_bytes(le_bytes::<16>(net, "liquidity_net")?),
                liquidity_gross: u64::from_le_bytes(le_bytes::<8>(gross, "liquidity_gross")?),
                fees_out_tao: U64F64::from_bits(u128::from_le_bytes(le_bytes::<16>(ft, "fees")?)),
                fees_out_alpha: U64F64::from_bits(u128::from_le_bytes(le_bytes::<16>(fa, "fees")?)),
            },
        );
    }
    Ok(Some(out))
}

/// Read `netuid`'s pool from a capture: everything `current_alpha_price` needs, and with
/// `for_swap` everything `sim_swap` needs. Missing inputs end in `MISSING_FIELD` listing them.
pub fn read_pool(capture: &Capture, netuid: u16, for_swap: bool) -> Result<PoolState> {
    read_pool_with(capture, netuid, for_swap, for_swap)
}

/// [`read_pool`] for a fee-free swap (the coinbase's chain buy): everything `sim_swap` needs but
/// `FeeRate` (the pool's `fee_rate` is then 0).
pub fn read_pool_fee_free(capture: &Capture, netuid: u16) -> Result<PoolState> {
    read_pool_with(capture, netuid, true, false)
}

fn read_pool_with(capture: &Capture, netuid: u16, for_swap: bool, fee: bool) -> Result<PoolState> {
    let mut r = Reader::new(capture);
    let state = read_pool_inner(&mut r, netuid, for_swap, fee)?;
    r.finish()?;
    state.ok_or_else(|| Error::new(ErrorCode::Internal, "pool unread"))
}

fn read_pool_inner(
    r: &mut Reader,
    netuid: u16,
    for_swap: bool,
    fee: bool,
) -> Result<Option<PoolState>> {
    let exists = read_bool(r, "NetworksAdded", netuid)?;
    if exists == Some(false) {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "netuid",
            format!(
                "subnet {netuid} does not exist at block {}",
                r.capture().block
            ),
        ));
    }
    // An uncaptured mechanism still lists the dynamic pool's inputs, so one round of fetching
    // can bring everything.
    let mechanism = read_u16(r, "SubnetMechanism", netuid)?;
    if mechanism.is_some_and(|m| m != 1) {
        return Ok(exists.map(|_| PoolState::Stable));
    }
    let tao = read_u64(r, "SubnetTAO", netuid)?;
    let alpha = read_u64(r, "SubnetAlphaIn", netuid)?;
    let fee_rate = if fee {
        read_u16(r, "FeeRate", netuid)?
    } else {
        Some(0)
    };
    let state = read_dynamic(r, netuid, for_swap, tao, alpha, fee_rate)?;
    Ok(state.filter(|_| mechanism.is_some() && exists.is_some()))
}

fn read_dynamic(
    r: &mut Reader,
    netuid: u16,
    for_swap: bool,
    tao: Option<u64>,
    alpha: Option<u64>,
    fee_rate: Option<u16>,
) -> Result<Option<PoolState>> {
    match era_of(r, netuid)? {
        None => Ok(None),
        Some(QuoteEra::Balancer) => {
            let quote = read_u64(r, "SwapBalancer", netuid)?;
            let init = if for_swap {
                read_bool(r, "PalSwapInitialized", netuid)?
            } else {
                Some(true)
            };
            let (Some(tao), Some(alpha), Some(quote), Some(init), Some(fee_rate)) =
                (tao, alpha, quote, init, fee_rate)
            else {
                return Ok(None);
            };
            let weights = Balancer::new(Perquintill::from_parts(quote)).ok_or_else(|| {
                Error::field(
                    ErrorCode::Decode,
                    "Swap.SwapBalancer",
                    format!("weight {quote} is outside the balancer's range"),
                )
            })?;
            Ok(Some(PoolState::Balancer(
                BalancerPool {
                    tao_reserve: tao,
                    alpha_reserve: alpha,
                    weights,
                    fee_rate,
                    // Reservoirs hold protocol liquidity outside the price; swaps never read them.
                    reservoirs: Default::default(),
                },
                init,
            )))
        }
        Some(_) => {
            let tao_p = read_u64(r, "SubnetTaoProvided", netuid)?;
            let alpha_p = read_u64(r, "SubnetAlphaInProvided", netuid)?;
            let init = read_bool(r, "SwapV3Initialized", netuid)?;
            let sqrt = match init {
                Some(true) => {
                    let b = r.bytes(item("AlphaSqrtPrice")?, &[KeyArg::U16(netuid)])?;
                    b.flatten()
                        .map(|b| le_bytes::<16>(&b, "AlphaSqrtPrice"))
                        .transpose()?
                        .map(|b| U64F64::from_bits(u128::from_le_bytes(b)))
                }
                _ => Some(U64F64::from_bits(0)),
            };
            let mut pool = V3Pool::new(0, 0);
            if for_swap && init == Some(true) {
                let tick = r.bytes(item("CurrentTick")?, &[KeyArg::U16(netuid)])?;
                let liq = read_u64(r, "CurrentLiquidity", netuid)?;
                let ticks = read_ticks(r, netuid)?;
                let (Some(Some(tick)), Some(liq), Some(ticks)) = (tick, liq, ticks) else {
                    return Ok(None);
                };
                pool.current_tick = i32::from_le_bytes(le_bytes::<4>(&tick, "CurrentTick")?);
                pool.liquidity = liq;
                pool.ticks = ticks;
            }
            let (Some(tao), Some(alpha), Some(tp), Some(ap), Some(init), Some(sqrt), Some(fee)) =
                (tao, alpha, tao_p, alpha_p, init, sqrt, fee_rate)
            else {
                return Ok(None);
            };
            pool.tao_reserve = tao.saturating_add(tp);
            pool.alpha_reserve = alpha.saturating_add(ap);
            pool.sqrt_price = sqrt;
            pool.initialized = init;
            pool.fee_rate = fee;
            Ok(Some(PoolState::UniswapV3(Box::new(pool))))
        }
    }
}
