//! `replay block` at specs 421–422 (release tags `v3.4.6-421`, `v3.4.7-422`): the last Uniswap-v3
//! runtimes, whose share rule is 423's (`runtime::timeline::HISTORICAL`).
//!
//! The coinbase of those tags, after `block_step.rs`, `run_coinbase.rs`, `subnet_emissions.rs`,
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
//!   ticks, `CurrentLiquidity`), then `SubnetAlphaIn −= out`, `SubnetAlphaOut += out`,
//!   `SubnetTAO += in`, `TotalStake += excess`, `SubnetVolume += excess`,
//!   `SubnetProtocolAlpha += out`, `SubnetExcessTao = in`, `SubnetProtocolFlow += in`; then
//!   `SubnetAlphaInEmission`, `alpha_in` minted into `SubnetAlphaIn`
//!   (`AlphaAssets.TotalAlphaIssuance`), `tao_in` into `SubnetTAO`, `TotalStake`,
//!   `SubnetTaoInEmission`, `SubnetProtocolFlow`; the unspent credit recycled (`TotalIssuance`);
//! * `alpha_out` minted into `SubnetAlphaOut` (`SubnetAlphaOutEmission`), the owner cut, server,
//!   validator and root buckets (root alpha recycled when the EMA prices sum to ≤ 1:
//!   `AlphaAssets.AlphaRecycled`);
//! * `BlocksSinceLastStep + 1` of every subnet; the moving price (`U96F32` EMA,
//!   [`crate::emission::moving_price::update_moving_price_u96`]) at the price after the block,
//!   `RootProp`.
//!
//! Listed, not guessed: an output whose parent inputs are missing (by item and key: the globals
//! and every subnet's share inputs for all outputs; a subnet's price for its own; its pool, fee
//! globals, scrap reservoirs and protocol position for the pool items and, when it buys, for what
//! the buy decides and `TotalStake`); the epoch of a subnet due at the child block under the
//! legacy schedule (`(block + netuid + 1) mod (tempo + 1) == tempo`) and what its drain and
//! distribution decide ([`V3_COINBASE_NOT_REPLAYED`]); the chain buy of a pool not yet
//! initialised ([`V3_POOL_INIT_NOT_REPLAYED`]). Not modelled (seen as mismatches): extrinsics of
//! the child block, `run_auto_claim_root_divs` (swap claims of root dividends sampled from the
//! block hash, after the coinbase), `SubnetRootSellTao` cleared at the start of the coinbase,
//! `TickIndexBitmapWords`.

use super::capture::Capture;
use super::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use super::hex;
use super::pool_read::{read_pool, PoolState};
use super::replay_report::{BlockReplay, ItemCheck, MissingItem};
use super::replay_v3_read::{coinbase_pool, get, Read};
use crate::emission::shares::{
    emissions_from_shares, price_ema_shares, root_prop_reweight, root_sell_flag, ShareInput,
};
use crate::emission::{block_emission, root_proportion, subnet_terms, TOTAL_SUPPLY};
use crate::error::Result;
use crate::runtime::timeline::{historical, V3_COINBASE_NOT_REPLAYED, V3_POOL_INIT_NOT_REPLAYED};
use std::collections::BTreeMap;
use substrate_fixed::types::{I96F32, U64F64, U96F32};

use super::replay_v3_block as block;

/// Whether [`replay_v3`] replays `spec` (the era of 421–422).
pub fn replays(spec: u32) -> bool {
    historical(spec).is_some_and(|e| e.reason == V3_COINBASE_NOT_REPLAYED)
}

/// One output: its storage identity, the engine's value and what it lacks.
pub(crate) struct Out {
    pub item: String,
    pub args: String,
    pub key: String,
    pub default: Option<Vec<u8>>,
    pub actual: Vec<u8>,
    pub needs: Vec<String>,
}

impl Out {
    pub fn of(it: &Item, n: u16, actual: Vec<u8>, needs: Vec<String>) -> Self {
        Out {
            item: it.path(),
            args: it.args(n),
            key: it.key_hex(n),
            default: (it.default)(),
            actual,
            needs,
        }
    }
}

/// Compare `o` with the child, or list it with its needs (or the child key it lacks).
pub(crate) fn emit(r: &mut BlockReplay, child: &Capture, mut o: Out) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    o.needs.retain(|n| seen.insert(n.clone()));
    if !o.needs.is_empty() {
        r.missing.push(MissingItem {
            item: o.item,
            args: o.args,
            needs: o.needs,
        });
        return Ok(());
    }
    let Some(expected) = child.storage.get(&o.key) else {
        let need = format!("CHILD: {}{} (key {})", o.item, o.args, o.key);
        r.missing.push(MissingItem {
            item: o.item,
            args: o.args,
            needs: vec![need],
        });
        return Ok(());
    };
    let effective = match expected {
        Some(h) => Some(hex::decode(h)?),
        None => o.default.clone(),
    };
    r.items.push(ItemCheck {
        equal: effective.as_deref() == Some(&o.actual[..]),
        item: o.item,
        args: o.args,
        key: o.key,
        expected: expected.clone(),
        actual: Some(hex::encode(&o.actual)),
    });
    Ok(())
}

/// List `it[n]` with `needs`.
pub(crate) fn list(r: &mut BlockReplay, item: String, args: String, needs: Vec<String>) {
    r.missing.push(MissingItem { item, args, needs });
}

/// The subnet's v3 price as `current_price` computes it (U96F32, read back as U64F64 exactly).
fn v3_price(parent: &Capture, n: u16) -> std::result::Result<U64F64, String> {
    let p = match read_pool(parent, n, false) {
        Ok(p) => p,
        Err(e) => return Err(format!("PARENT: the pool of subnet {n} ({})", e.message)),
    };
    Ok(U64F64::saturating_from_num(match p {
        PoolState::Stable => U96F32::from_num(1),
        PoolState::UniswapV3(v) => spot(&v),
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
    pub emits: bool,
    pub mechanism: u16,
    pub input: ShareInput,
    pub issuance: u64,
    pub price: U64F64,
    /// Missing inputs of the subnet's price.
    pub own: Vec<String>,
    pub tempo: u16,
    pub blocks_since: u64,
    /// Missing inputs of its schedule.
    pub sched: Vec<String>,
    pub first_emission: Option<u64>,
    pub moving: I96F32,
    /// Stored values of the outputs (0 where not captured) and the keys each lacks.
    pub vals: BTreeMap<&'static str, (u128, Vec<String>)>,
    /// The pool and protocol position, or the keys they lack.
    pub pool: std::result::Result<super::replay_v3_read::CoinbasePool, Vec<String>>,
}

impl Sub {
    pub fn val(&self, it: &Item) -> u128 {
        self.vals.get(it.name).map_or(0, |v| v.0)
    }
    pub fn need_of(&self, it: &Item) -> Vec<String> {
        self.vals.get(it.name).map_or(Vec::new(), |v| v.1.clone())
    }
}

/// The stored values an emitting subnet's outputs start from.
const OWN_U64: &[Item] = &[
    s::SUBNET_TAO,
    s::PROTOCOL_ALPHA,
    s::PENDING_SERVER,
    s::PENDING_VALIDATOR,
    s::PENDING_ROOT_ALPHA,
    s::PENDING_OWNER_CUT,
    s::EMA_HALVING,
    v::TOTAL_ALPHA_ISSUANCE,
    v::ALPHA_RECYCLED,
];

fn read_sub(parent: &Capture, rd: &mut Read, n: u16) -> Result<Sub> {
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
    let emits =
        started && rd.flag(&s::SUBTOKEN_ENABLED, n)? && rd.flag(&s::REGISTRATION_ALLOWED, n)?;
    let mut sub = Sub {
        emits,
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
        sub.input.emission_enabled = rd.flag(&s::EMISSION_ENABLED, n)?;
        sub.moving = I96F32::from_bits(rd.u128(&s::MOVING_PRICE, n)? as i128);
        // `get_moving_alpha_price`: 1 for a stable subnet, else `U96F32(SubnetMovingPrice)`.
        sub.input.moving_price = if mechanism == 0 {
            U64F64::from_num(1)
        } else {
            U64F64::saturating_from_num(U96F32::saturating_from_num(sub.moving))
        };
        sub.input.miner_burned = U96F32::from_bits(rd.u128(&s::MINER_BURNED, n)?);
        // The root proportion of every subnet enters every share.
        let alpha_in = rd.u64(&s::ALPHA_IN, n)?;
        let alpha_out = rd.u64(&s::ALPHA_OUT, n)?;
        sub.issuance = alpha_in.saturating_add(alpha_out);
        sub.vals
            .insert(s::ALPHA_IN.name, (u128::from(alpha_in), Vec::new()));
        sub.vals
            .insert(s::ALPHA_OUT.name, (u128::from(alpha_out), Vec::new()));
        match v3_price(parent, n) {
            Ok(p) => sub.price = p,
            Err(need) => sub.own.push(need),
        }
        let mut own = Read::new(parent);
        for it in OWN_U64 {
            let x = own.u64(it, n)?;
            sub.vals.insert(it.name, (u128::from(x), own.take()));
        }
        let flag = own.flag(&s::OWNER_CUT_ENABLED, n)?;
        sub.vals
            .insert(s::OWNER_CUT_ENABLED.name, (u128::from(flag), own.take()));
        let vol = own.u128(&v::SUBNET_VOLUME, n)?;
        sub.vals.insert(v::SUBNET_VOLUME.name, (vol, own.take()));
        let flow = own.i64(&v::PROTOCOL_FLOW, n)?;
        sub.vals
            .insert(v::PROTOCOL_FLOW.name, (flow as u64 as u128, own.take()));
        sub.pool = if mechanism == 1 {
            coinbase_pool(parent, n)?
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

/// Replay `child.block`'s coinbase at spec 421–422 from `parent` (see the module doc). The caller
/// has checked that the child is the next block and that `subnets` are the parent's.
pub fn replay_v3(parent: &Capture, child: &Capture, subnets: &[u16]) -> Result<BlockReplay> {
    let mut rd = Read::new(parent);
    let issuance_total = rd.u64(&g::TOTAL_ISSUANCE, 0)?;
    let root_tao = rd.u64(&s::SUBNET_TAO, 0)?;
    let tao_weight = rd.u64(&g::TAO_WEIGHT, 0)?;
    let mut subs: BTreeMap<u16, Sub> = BTreeMap::new();
    for &n in subnets {
        let sub = read_sub(parent, &mut rd, n)?;
        subs.insert(n, sub);
    }
    let global = rd.take();
    let emitting: Vec<u16> = subs
        .iter()
        .filter(|(_, x)| x.emits)
        .map(|(n, _)| *n)
        .collect();
    let inputs: Vec<ShareInput> = emitting
        .iter()
        .filter_map(|n| subs.get(n).map(|x| x.input))
        .collect();
    let root_props: Vec<U96F32> = emitting
        .iter()
        .filter_map(|n| subs.get(n))
        .map(|x| root_proportion(root_tao, tao_weight, x.issuance))
        .collect();
    let shares = root_prop_reweight(price_ema_shares(&inputs), &inputs, &root_props);
    let e = block_emission(issuance_total).min(TOTAL_SUPPLY.saturating_sub(issuance_total));
    let emissions = emissions_from_shares(&shares, &inputs, U96F32::from_num(e));
    let root_sell = root_sell_flag(inputs.iter().map(|i| i.moving_price));
    let mut terms = BTreeMap::new();
    for ((n, e_i), rp) in emissions.iter().zip(&root_props) {
        if let Some(x) = subs.get(n) {
            terms.insert(*n, subnet_terms(*e_i, x.issuance, x.price, *rp));
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
        epoch_reason: V3_COINBASE_NOT_REPLAYED,
        init_reason: V3_POOL_INIT_NOT_REPLAYED,
    };
    block::run(&ctx, &mut subs, &terms)
}
