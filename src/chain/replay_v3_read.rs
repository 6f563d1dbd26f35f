//! The parent reads of `replay block` at specs 421–422 ([`super::replay_v3`]): values with the
//! keys they lack, the subnet's v3 pool as the coinbase touches it (`read_pool` for a swap plus
//! `FeeGlobalTao`/`FeeGlobalAlpha`, the scrap reservoirs and the protocol account's first
//! position), and the keys of `Swap.Ticks` and `Swap.Positions` (`Twox64Concat` on every part:
//! `pallets/swap/src/pallet/mod.rs` at v3.4.6-421).

use super::capture::{le_bytes, Capture};
use super::coinbase_items::{subnet as s, v3 as v, Item};
use super::hex;
use super::pool_read::{read_pool, read_pool_fee_free, PoolState};
use super::replay_v3_era::{Era, Shares};
use super::storage::{key, prefix, Hasher, SWAP_PALLET};
use crate::emission::shares::ShareInput;
use crate::error::Result;
use crate::pool::swap::BalancerPool;
use crate::pool::v3::protocol::{protocol_account, ChainPosition};
use crate::pool::v3::{Tick, V3Pool};
use std::collections::BTreeMap;
use substrate_fixed::types::{I96F32, U64F64, U96F32};

/// `PARENT: Pallet.Item[args] (key …)`.
pub fn need(it: &Item, n: u16) -> String {
    format!(
        "PARENT: {}{} (key {})",
        it.path(),
        it.args(n),
        it.key_hex(n)
    )
}

/// A value read from the parent (`None`: absent, an option item's default): `Err(need)` when the
/// key was not captured.
pub fn get(c: &Capture, it: &Item, n: u16) -> Result<std::result::Result<Option<Vec<u8>>, String>> {
    Ok(match c.storage.get(&it.key_hex(n)) {
        None => Err(need(it, n)),
        Some(None) => Ok((it.default)()),
        Some(Some(h)) => Ok(Some(hex::decode(h)?)),
    })
}

/// Reads with the missing inputs collected in `needs`.
pub struct Read<'a> {
    /// The parent.
    pub c: &'a Capture,
    /// Keys not captured.
    pub needs: Vec<String>,
}

impl<'a> Read<'a> {
    /// A reader of `c` with no needs yet.
    pub fn new(c: &'a Capture) -> Self {
        Read {
            c,
            needs: Vec::new(),
        }
    }
    /// The fixed-size value (`None`: absent without default, or not captured).
    pub fn bytes<const N: usize>(&mut self, it: &Item, n: u16) -> Result<Option<[u8; N]>> {
        match get(self.c, it, n)? {
            Ok(Some(b)) => Ok(Some(le_bytes::<N>(&b, &it.path())?)),
            Ok(None) => Ok(None),
            Err(need) => {
                self.needs.push(need);
                Ok(None)
            }
        }
    }
    /// u64 (0 when unread).
    pub fn u64(&mut self, it: &Item, n: u16) -> Result<u64> {
        Ok(self.bytes::<8>(it, n)?.map_or(0, u64::from_le_bytes))
    }
    /// i64 (0 when unread).
    pub fn i64(&mut self, it: &Item, n: u16) -> Result<i64> {
        Ok(self.bytes::<8>(it, n)?.map_or(0, i64::from_le_bytes))
    }
    /// u128 (0 when unread).
    pub fn u128(&mut self, it: &Item, n: u16) -> Result<u128> {
        Ok(self.bytes::<16>(it, n)?.map_or(0, u128::from_le_bytes))
    }
    /// u16 (0 when unread).
    pub fn u16(&mut self, it: &Item, n: u16) -> Result<u16> {
        Ok(self.bytes::<2>(it, n)?.map_or(0, u16::from_le_bytes))
    }
    /// bool (false when unread).
    pub fn flag(&mut self, it: &Item, n: u16) -> Result<bool> {
        Ok(self.bytes::<1>(it, n)?.is_some_and(|[b]| b == 1))
    }
    /// An option u64 (`FirstEmissionBlockNumber`): `None` when absent or unread.
    pub fn option_u64(&mut self, it: &Item, n: u16) -> Result<Option<u64>> {
        self.bytes::<8>(it, n).map(|b| b.map(u64::from_le_bytes))
    }
    /// Take the needs collected so far.
    pub fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.needs)
    }
}

/// `Swap.Ticks[(netuid, tick)]`.
pub fn tick_key(n: u16, t: i32) -> Vec<u8> {
    key(
        SWAP_PALLET,
        "Ticks",
        &[
            (Hasher::Twox64Concat, &n.to_le_bytes()),
            (Hasher::Twox64Concat, &t.to_le_bytes()),
        ],
    )
}

/// The prefix of the protocol account's positions on `n`: `Swap.Positions[(n, account, *)]`.
pub fn protocol_positions_prefix(n: u16) -> Vec<u8> {
    key(
        SWAP_PALLET,
        "Positions",
        &[
            (Hasher::Twox64Concat, &n.to_le_bytes()),
            (Hasher::Twox64Concat, &protocol_account()),
        ],
    )
}

/// `Swap.Positions[(n, protocol account, id)]`.
pub fn position_key(n: u16, id: u128) -> Vec<u8> {
    let mut k = protocol_positions_prefix(n);
    Hasher::Twox64Concat.hash_into(&id.to_le_bytes(), &mut k);
    k
}

/// A tick as stored (`liquidity_net` i128, `liquidity_gross` u64, two `I64F64`).
pub fn encode_tick(t: &Tick) -> Vec<u8> {
    let mut v = Vec::with_capacity(56);
    v.extend_from_slice(&t.liquidity_net.to_le_bytes());
    v.extend_from_slice(&t.liquidity_gross.to_le_bytes());
    v.extend_from_slice(&t.fees_out_tao.to_bits().to_le_bytes());
    v.extend_from_slice(&t.fees_out_alpha.to_bits().to_le_bytes());
    v
}

/// The protocol account's first position on `n` in storage order (`iter_prefix_values(..)
/// .get(0)`): `Err(need)` when nothing under its prefix was captured.
pub fn protocol_position(
    c: &Capture,
    n: u16,
) -> Result<std::result::Result<Option<ChainPosition>, String>> {
    let pre = protocol_positions_prefix(n);
    let entries = c.with_prefix(&pre)?;
    if entries.is_empty() {
        return Ok(Err(format!(
            "PARENT: Swap.Positions[{n},protocol,*] (prefix {})",
            hex::encode(&pre)
        )));
    }
    for (_, v) in entries {
        if let Some(b) = v {
            return ChainPosition::decode(&b)
                .map(|p| Ok(Some(p)))
                .ok_or_else(|| {
                    crate::error::Error::field(
                        crate::error::ErrorCode::Decode,
                        "Swap.Positions",
                        format!("a position of subnet {n} is not {} bytes", b.len()),
                    )
                });
        }
    }
    Ok(Ok(None))
}

/// The pool of `n` as the coinbase injects into and buys from it.
#[derive(Clone, Debug)]
pub enum CoinbasePool {
    /// A v3 pool with its protocol position (`None` for an uninitialised pool or an account
    /// without a position).
    V3(V3Pool, Option<ChainPosition>),
    /// Spec 380's balancer (its stored weights, default ½), its LP fees `[FeesTao, FeesAlpha]`
    /// and `PalSwapInitialized`.
    Balancer(BalancerPool, [u64; 2], bool),
}

/// The pool of `n` as the coinbase's swap reads it, or (into `needs`) why it cannot be read.
fn pool_state(c: &Capture, n: u16, needs: &mut Vec<String>) -> Option<PoolState> {
    read_pool_fee_free(c, n)
        .map_err(|e| {
            needs.push(format!(
                "PARENT: the pool of subnet {n} for the injection and chain buy ({})",
                e.message
            ))
        })
        .ok()
}

/// Read the v3 [`CoinbasePool`] of `n` (mechanism 1); `Ok(Err(needs))` when inputs are missing.
pub fn coinbase_pool(
    c: &Capture,
    n: u16,
) -> Result<std::result::Result<CoinbasePool, Vec<String>>> {
    let mut needs = Vec::new();
    let pool = match pool_state(c, n, &mut needs) {
        Some(PoolState::UniswapV3(p)) => Some(*p),
        Some(_) => {
            needs.push(format!("subnet {n} holds no v3 pool at a v3 runtime"));
            None
        }
        None => None,
    };
    let mut rd = Read::new(c);
    let gt = rd.u128(&v::FEE_GLOBAL_TAO, n)?;
    let ga = rd.u128(&v::FEE_GLOBAL_ALPHA, n)?;
    let st = rd.u64(&v::SCRAP_TAO, n)?;
    let sa = rd.u64(&v::SCRAP_ALPHA, n)?;
    needs.extend(rd.take());
    let init = pool.as_ref().is_some_and(|p| p.initialized);
    let position = if init {
        match protocol_position(c, n)? {
            Ok(p) => p,
            Err(need) => {
                needs.push(need);
                None
            }
        }
    } else {
        None
    };
    // A pool not yet initialised: the chain buy initialises it on top of the stored liquidity.
    let stored_liquidity = if pool.as_ref().is_some_and(|p| !p.initialized) {
        let l = rd.u64(&v::CURRENT_LIQUIDITY, n)?;
        needs.extend(rd.take());
        Some(l)
    } else {
        None
    };
    let Some(mut pool) = pool.filter(|_| needs.is_empty()) else {
        return Ok(Err(needs));
    };
    if let Some(l) = stored_liquidity {
        pool.liquidity = l;
    }
    pool.fee_global_tao = U64F64::from_bits(gt);
    pool.fee_global_alpha = U64F64::from_bits(ga);
    pool.scrap_tao = st;
    pool.scrap_alpha = sa;
    Ok(Ok(CoinbasePool::V3(pool, position)))
}

/// Read spec 380's balancer [`CoinbasePool`] of `n` (mechanism 1): the reserves and weights
/// (`SubnetTAO`, `SubnetAlphaIn`, `SwapBalancer`), `PalSwapInitialized` and the LP fees.
pub fn balancer_pool(
    c: &Capture,
    n: u16,
) -> Result<std::result::Result<CoinbasePool, Vec<String>>> {
    let mut needs = Vec::new();
    let pool = match pool_state(c, n, &mut needs) {
        Some(PoolState::Balancer(p, init)) => Some((p, init)),
        Some(_) => {
            needs.push(format!("subnet {n} holds no balancer pool at spec 380"));
            None
        }
        None => None,
    };
    let mut rd = Read::new(c);
    let fees = [rd.u64(&v::FEES_TAO, n)?, rd.u64(&v::FEES_ALPHA, n)?];
    needs.extend(rd.take());
    Ok(match pool.filter(|_| needs.is_empty()) {
        Some((p, init)) => Ok(CoinbasePool::Balancer(p, fees, init)),
        None => Err(needs),
    })
}

/// `is_epoch_input_state_consistent` (`run_epoch.rs` at v3.4.6-421): no hotkey twice in
/// `Keys[n, *]`. `Err(needs)` when `SubnetworkN[n]` or (for a subnet with neurons) its `Keys`
/// were not captured.
pub fn keys_consistent(c: &Capture, n: u16) -> Result<std::result::Result<bool, Vec<String>>> {
    let mut rd = Read::new(c);
    let count = rd.u16(&v::SUBNETWORK_N, n)?;
    if !rd.needs.is_empty() {
        return Ok(Err(rd.needs));
    }
    let pre = key(
        super::storage::SUBTENSOR_PALLET,
        "Keys",
        &[(Hasher::Identity, &n.to_le_bytes())],
    );
    let entries = c.with_prefix(&pre)?;
    if entries.is_empty() && count > 0 {
        return Ok(Err(vec![format!(
            "PARENT: SubtensorModule.Keys[{n},*] (prefix {})",
            hex::encode(&pre)
        )]));
    }
    let mut seen = std::collections::BTreeSet::new();
    Ok(Ok(entries
        .into_iter()
        .filter_map(|(_, v)| v)
        .all(|hotkey| seen.insert(hotkey))))
}

/// The prefix of a subnet's ticks, `0x` hex (for listing `Swap.Ticks[n,*]`).
pub fn ticks_prefix_hex(n: u16) -> String {
    hex::encode(&super::storage::swap_ticks_prefix(n))
}

/// `twox128("Swap") ++ twox128(item)`, `0x` hex.
pub fn swap_prefix_hex(item: &str) -> String {
    hex::encode(&prefix(SWAP_PALLET, item))
}

/// The subnet's price as the coinbase reads it: the v3 `current_price` (U96F32), or at 380 the
/// balancer's U64F64 `current_price` narrowed to U96F32; read back as U64F64 exactly.
fn v3_price(parent: &Capture, n: u16, balancer: bool) -> std::result::Result<U64F64, String> {
    let p = match read_pool(parent, n, false) {
        Ok(p) => p,
        Err(e) => return Err(format!("PARENT: the pool of subnet {n} ({})", e.message)),
    };
    Ok(U64F64::saturating_from_num(match p {
        PoolState::Stable => U96F32::from_num(1),
        PoolState::UniswapV3(_) if balancer => {
            return Err(format!("subnet {n} holds a v3 pool at spec 380"))
        }
        PoolState::UniswapV3(v) => spot(&v),
        PoolState::Balancer(b, _) if balancer => U96F32::saturating_from_num(b.price()),
        PoolState::Balancer(..) => {
            return Err(format!("subnet {n} holds a balancer pool at a v3 runtime"))
        }
    }))
}

/// `current_price` of a dynamic v3 pool (reserves include the provided amounts).
pub(crate) fn spot(v: &crate::pool::v3::V3Pool) -> U96F32 {
    if v.initialized {
        U96F32::saturating_from_num(v.sqrt_price.saturating_mul(v.sqrt_price))
    } else if v.alpha_reserve == 0 {
        U96F32::from_num(0)
    } else {
        U96F32::saturating_from_num(v.tao_reserve)
            .saturating_div(U96F32::saturating_from_num(v.alpha_reserve))
    }
}

/// One subnet's parent inputs: what decides the shares and terms, its own stored values (with
/// the keys each lacks), its schedule and its pool.
pub(crate) struct Sub {
    pub(crate) emits: bool,
    /// Registration or PoW registration allowed (348–352: otherwise the terms are zeroed but
    /// the excess, `Era::zero_terms`; from 361 equal to `emits`).
    pub(crate) registers: bool,
    /// `SubnetAlphaInProvided` counts in the alpha issuance (356–385, `Era::provided_issuance`).
    pub(crate) provided_issuance: bool,
    pub(crate) mechanism: u16,
    pub(crate) input: ShareInput,
    pub(crate) issuance: u64,
    pub(crate) price: U64F64,
    /// Missing inputs of the subnet's price.
    pub(crate) own: Vec<String>,
    pub(crate) tempo: u16,
    pub(crate) blocks_since: u64,
    /// Missing inputs of its schedule.
    pub(crate) sched: Vec<String>,
    pub(crate) first_emission: Option<u64>,
    pub(crate) moving: I96F32,
    /// Stored values of the outputs (0 where not captured) and the keys each lacks.
    pub(crate) vals: BTreeMap<&'static str, (u128, Vec<String>)>,
    /// The pool and protocol position, or the keys they lack.
    pub(crate) pool: std::result::Result<CoinbasePool, Vec<String>>,
}

impl Sub {
    pub(crate) fn val(&self, it: &Item) -> u128 {
        self.vals.get(it.name).map_or(0, |v| v.0)
    }
    pub(crate) fn need_of(&self, it: &Item) -> Vec<String> {
        self.vals.get(it.name).map_or(Vec::new(), |v| v.1.clone())
    }
}

/// The stored values an emitting subnet's outputs start from.
const OWN_U64: &[Item] = &[
    s::SUBNET_TAO,
    s::PENDING_SERVER,
    s::PENDING_VALIDATOR,
    s::PENDING_ROOT_ALPHA,
    s::PENDING_OWNER_CUT,
    s::EMA_HALVING,
];

/// What an emitting subnet's outputs start from where the runtime has it: `SubnetProtocolAlpha`
/// from 413 (the chain buy keeps its alpha), the `AlphaAssets` totals from 410 (the credit era).
fn own_u64_of(era: &Era) -> Vec<Item> {
    let mut v = OWN_U64.to_vec();
    if !era.recycle_bought {
        v.push(s::PROTOCOL_ALPHA);
    }
    if era.credit {
        v.extend([v::TOTAL_ALPHA_ISSUANCE, v::ALPHA_RECYCLED]);
    }
    v
}

/// Read subnet `n`'s coinbase inputs as the runtime of `era` has them (the share inputs'
/// missing keys into `rd`).
pub(crate) fn read_sub(parent: &Capture, rd: &mut Read, n: u16, era: &Era) -> Result<Sub> {
    let mechanism = rd.u16(&s::SUBNET_MECHANISM, n)?;
    let first_emission = match get(parent, &s::FIRST_EMISSION_BLOCK, n)? {
        Ok(v) => v
            .map(|b| super::capture::le_bytes::<8>(&b, "FirstEmissionBlockNumber"))
            .transpose()?
            .map(u64::from_le_bytes),
        Err(need) => {
            rd.needs.push(need);
            None
        }
    };
    let started = first_emission.is_some();
    // `get_subnets_to_emit_to`: registration allowed, or (348–393) PoW registration allowed,
    // read only when the first is false (the tags' `||`). 348–352 filter on
    // `FirstEmissionBlockNumber` alone and test registration in the terms (`Era::zero_terms`).
    let registers = |rd: &mut Read| -> Result<bool> {
        Ok(rd.flag(&s::REGISTRATION_ALLOWED, n)?
            || (era.pow_emits && rd.flag(&s::POW_REGISTRATION_ALLOWED, n)?))
    };
    let (emits, registers) = if era.zero_terms {
        (started, started && registers(rd)?)
    } else {
        let e = started && rd.flag(&s::SUBTOKEN_ENABLED, n)? && registers(rd)?;
        (e, e)
    };
    let mut sub = Sub {
        emits,
        registers,
        provided_issuance: era.provided_issuance,
        mechanism,
        input: ShareInput {
            netuid: n,
            moving_price: U64F64::from_num(0),
            miner_burned: U96F32::from_num(0),
            emission_enabled: true,
        },
        issuance: 0,
        price: U64F64::from_num(0),
        own: Vec::new(),
        tempo: 0,
        blocks_since: 0,
        sched: Vec::new(),
        first_emission,
        moving: I96F32::from_num(0),
        vals: BTreeMap::new(),
        pool: Err(Vec::new()),
    };
    if emits {
        // `SubnetEmissionEnabled` from 410; `MinerBurned` enters the 421–422 shares only.
        if era.credit {
            sub.input.emission_enabled = rd.flag(&s::EMISSION_ENABLED, n)?;
        }
        sub.moving = I96F32::from_bits(rd.u128(&s::MOVING_PRICE, n)? as i128);
        // `get_moving_alpha_price`: 1 for a stable subnet, else `U96F32(SubnetMovingPrice)`.
        sub.input.moving_price = if mechanism == 0 {
            U64F64::from_num(1)
        } else {
            U64F64::saturating_from_num(U96F32::saturating_from_num(sub.moving))
        };
        if era.shares == Shares::RootProp {
            sub.input.miner_burned = U96F32::from_bits(rd.u128(&s::MINER_BURNED, n)?);
        }
        // The root proportion of every subnet enters every share.
        let alpha_in = rd.u64(&s::ALPHA_IN, n)?;
        let alpha_out = rd.u64(&s::ALPHA_OUT, n)?;
        sub.issuance = alpha_in.saturating_add(alpha_out);
        if era.provided {
            // 348–385: a buy draws on the user-provided pool alpha first; 356–385:
            // `get_alpha_issuance` counts it.
            // An input of every share where counted; at 348–352 of this subnet's own outputs.
            let mut own = Read::new(parent);
            let provided = if era.provided_issuance {
                rd.u64(&s::ALPHA_IN_PROVIDED, n)?
            } else {
                own.u64(&s::ALPHA_IN_PROVIDED, n)?
            };
            if era.provided_issuance {
                sub.issuance = sub.issuance.saturating_add(provided);
            }
            sub.vals.insert(
                s::ALPHA_IN_PROVIDED.name,
                (u128::from(provided), own.take()),
            );
        }
        sub.vals
            .insert(s::ALPHA_IN.name, (u128::from(alpha_in), Vec::new()));
        sub.vals
            .insert(s::ALPHA_OUT.name, (u128::from(alpha_out), Vec::new()));
        match v3_price(parent, n, era.balancer) {
            Ok(p) => sub.price = p,
            Err(need) => sub.own.push(need),
        }
        let mut own = Read::new(parent);
        for it in &own_u64_of(era) {
            let x = own.u64(it, n)?;
            sub.vals.insert(it.name, (u128::from(x), own.take()));
        }
        // 396–402 take the owner cut always (no `OwnerCutEnabled`).
        let flag = !era.credit || own.flag(&s::OWNER_CUT_ENABLED, n)?;
        sub.vals
            .insert(s::OWNER_CUT_ENABLED.name, (u128::from(flag), own.take()));
        let vol = own.u128(&v::SUBNET_VOLUME, n)?;
        sub.vals.insert(v::SUBNET_VOLUME.name, (vol, own.take()));
        if era.credit {
            let flow = own.i64(&v::PROTOCOL_FLOW, n)?;
            sub.vals
                .insert(v::PROTOCOL_FLOW.name, (flow as u64 as u128, own.take()));
        }
        sub.pool = if mechanism == 1 && era.balancer {
            balancer_pool(parent, n)?
        } else if mechanism == 1 {
            let mut pool = coinbase_pool(parent, n)?;
            if let Ok(CoinbasePool::V3(p, _)) = pool.as_mut() {
                p.zero_output_steps = era.zero_output_steps;
            }
            pool
        } else {
            // A stable subnet buys 1:1 without a pool.
            Err(Vec::new())
        };
    }
    let mut sched = Read::new(parent);
    sub.tempo = sched.u16(&s::TEMPO, n)?;
    sub.blocks_since = sched.u64(&s::BLOCKS_SINCE_LAST_STEP, n)?;
    sub.sched = sched.needs;
    Ok(sub)
}
