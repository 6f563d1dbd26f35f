//! `replay block` at specs 421–422 (release tags `v3.4.6-421`, `v3.4.7-422`): the last Uniswap-v3
//! runtimes, whose share rule is 423's (`runtime::timeline::HISTORICAL`).
//!
//! What the engine computes there, after `run_coinbase.rs`, `subnet_emissions.rs`,
//! `block_step.rs` and `stake_utils.rs` at those tags (identical between them under `coinbase/`
//! and `pallets/swap`):
//! * the shares: price-EMA shares times `root_proportion × (1 − MinerBurned)` renormalised, the
//!   emission-disabled filter, `U96F32(U64F64(E) × share)`;
//! * the terms: the v3 price `U96F32(AlphaSqrtPrice²)` (`current_price`; for a pool not yet
//!   initialised `SubnetTAO / SubnetAlphaIn` with the provided amounts), `alpha_in = e / price`
//!   capped at `root_proportion × alpha_emission`, `tao_in`, the excess;
//! * so the three per-block records `SubnetTaoInEmission`, `SubnetAlphaInEmission` and
//!   `SubnetAlphaOutEmission` (written from the terms, whatever the pool does);
//! * `BlocksSinceLastStep` of a subnet whose epoch is not due at the child block under the
//!   legacy schedule (`(block + netuid + 1) mod (tempo + 1) == tempo`; tempo 0 never): one more.
//!
//! Everything else the coinbase writes is listed with
//! [`crate::runtime::timeline::V3_COINBASE_NOT_REPLAYED`]: the injection into the protocol
//! position (`adjust_protocol_liquidity`: fees, scrap reservoirs, `CurrentLiquidity`, ticks) and
//! the chain buy along the v3 curve decide `SubnetTAO`, `SubnetAlphaIn`, `SubnetAlphaOut`,
//! `SubnetProtocolAlpha`, `SubnetExcessTao`, `SubnetMovingPrice`, `RootProp` and the totals; the
//! pending buckets and `BlocksSinceLastStep` of a due subnet depend on the epoch, which is not
//! replayed before 423.

use super::capture::{le_bytes, Capture};
use super::coinbase_items::{global as g, subnet as s, Item};
use super::hex;
use super::pool_read::{read_pool, PoolState};
use super::replay_report::{BlockReplay, ItemCheck, MissingItem};
use crate::emission::shares::{
    emissions_from_shares, price_ema_shares, root_prop_reweight, ShareInput,
};
use crate::emission::{block_emission, root_proportion, subnet_terms, TOTAL_SUPPLY};
use crate::error::Result;
use crate::runtime::timeline::{historical, V3_COINBASE_NOT_REPLAYED};
use std::collections::BTreeMap;
use substrate_fixed::types::{I96F32, U64F64, U96F32};

/// Whether [`replay_v3`] replays `spec` (the era of 421–422).
pub fn replays(spec: u32) -> bool {
    historical(spec).is_some_and(|e| e.reason == V3_COINBASE_NOT_REPLAYED)
}

/// A value read from the parent: `Err(need)` when not captured.
fn get(c: &Capture, it: &Item, n: u16) -> Result<std::result::Result<Option<Vec<u8>>, String>> {
    let k = it.key_hex(n);
    Ok(match c.storage.get(&k) {
        None => Err(format!("PARENT: {}{} (key {k})", it.path(), it.args(n))),
        Some(None) => Ok((it.default)()),
        Some(Some(h)) => Ok(Some(hex::decode(h)?)),
    })
}

/// Reads with the missing inputs collected.
struct Read<'a> {
    c: &'a Capture,
    needs: Vec<String>,
}

impl Read<'_> {
    fn bytes<const N: usize>(&mut self, it: &Item, n: u16) -> Result<Option<[u8; N]>> {
        match get(self.c, it, n)? {
            Ok(Some(b)) => Ok(Some(le_bytes::<N>(&b, &it.path())?)),
            Ok(None) => Ok(None),
            Err(need) => {
                self.needs.push(need);
                Ok(None)
            }
        }
    }
    fn u64(&mut self, it: &Item, n: u16) -> Result<u64> {
        Ok(self.bytes::<8>(it, n)?.map_or(0, u64::from_le_bytes))
    }
    fn u128(&mut self, it: &Item, n: u16) -> Result<u128> {
        Ok(self.bytes::<16>(it, n)?.map_or(0, u128::from_le_bytes))
    }
    fn u16(&mut self, it: &Item, n: u16) -> Result<u16> {
        Ok(self.bytes::<2>(it, n)?.map_or(0, u16::from_le_bytes))
    }
    fn flag(&mut self, it: &Item, n: u16) -> Result<bool> {
        Ok(self.bytes::<1>(it, n)?.is_some_and(|[b]| b == 1))
    }
}

/// One subnet's inputs.
struct Sub {
    emits: bool,
    input: ShareInput,
    issuance: u64,
    price: U64F64,
    tempo: u16,
    blocks_since: u64,
    /// Missing inputs of this subnet's emission records (its price).
    own: Vec<String>,
    /// Missing inputs of its schedule (`Tempo`, `BlocksSinceLastStep`).
    sched: Vec<String>,
}

fn list(r: &mut BlockReplay, it: &Item, n: u16, needs: Vec<String>) {
    r.missing.push(MissingItem {
        item: it.path(),
        args: it.args(n),
        needs,
    });
}

/// Compare a computed u64 output with the child, or list it.
fn check(
    r: &mut BlockReplay,
    child: &Capture,
    it: &Item,
    n: u16,
    v: u64,
    needs: Vec<String>,
) -> Result<()> {
    if !needs.is_empty() {
        list(r, it, n, needs);
        return Ok(());
    }
    let key = it.key_hex(n);
    let Some(expected) = child.storage.get(&key) else {
        let need = format!("CHILD: {}{} (key {key})", it.path(), it.args(n));
        list(r, it, n, vec![need]);
        return Ok(());
    };
    let effective = match expected {
        Some(h) => Some(hex::decode(h)?),
        None => (it.default)(),
    };
    let actual = v.to_le_bytes().to_vec();
    r.items.push(ItemCheck {
        item: it.path(),
        args: it.args(n),
        key,
        expected: expected.clone(),
        actual: Some(hex::encode(&actual)),
        equal: effective.as_deref() == Some(&actual[..]),
    });
    Ok(())
}

/// The subnet's v3 price as `current_price` computes it (U96F32, read back as U64F64 exactly).
fn v3_price(parent: &Capture, n: u16) -> std::result::Result<U64F64, String> {
    let p = match read_pool(parent, n, false) {
        Ok(p) => p,
        Err(e) => return Err(format!("PARENT: the pool of subnet {n} ({})", e.message)),
    };
    let price = match p {
        PoolState::Stable => U96F32::from_num(1),
        PoolState::UniswapV3(v) if v.initialized => {
            U96F32::saturating_from_num(v.sqrt_price.saturating_mul(v.sqrt_price))
        }
        PoolState::UniswapV3(v) if v.alpha_reserve == 0 => U96F32::from_num(0),
        PoolState::UniswapV3(v) => U96F32::saturating_from_num(v.tao_reserve)
            .saturating_div(U96F32::saturating_from_num(v.alpha_reserve)),
        PoolState::Balancer(..) => {
            return Err(format!("subnet {n} holds a balancer pool at a v3 runtime"))
        }
    };
    Ok(U64F64::saturating_from_num(price))
}

/// Replay `child.block`'s coinbase at spec 421–422 from `parent` (see the module doc). The caller
/// has checked that the child is the next block and that `subnets` are the parent's.
pub fn replay_v3(parent: &Capture, child: &Capture, subnets: &[u16]) -> Result<BlockReplay> {
    let mut r = BlockReplay {
        spec_version: parent.spec_version,
        block: child.block,
        items: Vec::new(),
        missing: Vec::new(),
        approximate: false,
    };
    let why = || vec![V3_COINBASE_NOT_REPLAYED.to_string()];
    let mut rd = Read {
        c: parent,
        needs: Vec::new(),
    };
    let issuance_total = rd.u64(&g::TOTAL_ISSUANCE, 0)?;
    let root_tao = rd.u64(&s::SUBNET_TAO, 0)?;
    let tao_weight = rd.u64(&g::TAO_WEIGHT, 0)?;
    let mut subs: BTreeMap<u16, Sub> = BTreeMap::new();
    for &n in subnets {
        let mechanism = rd.u16(&s::SUBNET_MECHANISM, n)?;
        let started = match get(parent, &s::FIRST_EMISSION_BLOCK, n)? {
            Ok(v) => v.is_some(),
            Err(need) => {
                rd.needs.push(need);
                false
            }
        };
        let emits =
            started && rd.flag(&s::SUBTOKEN_ENABLED, n)? && rd.flag(&s::REGISTRATION_ALLOWED, n)?;
        let mut input = ShareInput {
            netuid: n,
            moving_price: U64F64::from_num(0),
            miner_burned: U96F32::from_num(0),
            emission_enabled: true,
        };
        let mut own = Read {
            c: parent,
            needs: Vec::new(),
        };
        let (mut issuance, mut price) = (0, U64F64::from_num(0));
        if emits {
            input.emission_enabled = rd.flag(&s::EMISSION_ENABLED, n)?;
            let mp = I96F32::from_bits(rd.u128(&s::MOVING_PRICE, n)? as i128);
            input.moving_price = if mechanism == 0 {
                U64F64::from_num(1)
            } else {
                U64F64::saturating_from_num(mp)
            };
            input.miner_burned = U96F32::from_bits(rd.u128(&s::MINER_BURNED, n)?);
            // The root proportion of every subnet enters every share.
            issuance = rd
                .u64(&s::ALPHA_IN, n)?
                .saturating_add(rd.u64(&s::ALPHA_OUT, n)?);
            match v3_price(parent, n) {
                Ok(p) => price = p,
                Err(need) => own.needs.push(need),
            }
        }
        let mut sched = Read {
            c: parent,
            needs: Vec::new(),
        };
        let tempo = sched.u16(&s::TEMPO, n)?;
        let blocks_since = sched.u64(&s::BLOCKS_SINCE_LAST_STEP, n)?;
        subs.insert(
            n,
            Sub {
                emits,
                input,
                issuance,
                price,
                tempo,
                blocks_since,
                own: own.needs,
                sched: sched.needs,
            },
        );
    }
    let global = rd.needs;
    let emitting: Vec<&Sub> = subs.values().filter(|x| x.emits).collect();
    let inputs: Vec<ShareInput> = emitting.iter().map(|x| x.input).collect();
    let root_props: Vec<U96F32> = emitting
        .iter()
        .map(|x| root_proportion(root_tao, tao_weight, x.issuance))
        .collect();
    let shares = root_prop_reweight(price_ema_shares(&inputs), &inputs, &root_props);
    let e = block_emission(issuance_total).min(TOTAL_SUPPLY.saturating_sub(issuance_total));
    let emissions = emissions_from_shares(&shares, &inputs, U96F32::from_num(e));
    for (x, ((n, e_i), rp)) in emitting.iter().zip(emissions.iter().zip(&root_props)) {
        let t = subnet_terms(*e_i, x.issuance, x.price, *rp);
        let mut needs = global.clone();
        needs.extend(x.own.iter().cloned());
        let tou = |v: U96F32| v.saturating_to_num::<u64>();
        check(
            &mut r,
            child,
            &s::TAO_IN_EMISSION,
            *n,
            tou(t.tao_in),
            needs.clone(),
        )?;
        check(
            &mut r,
            child,
            &s::ALPHA_IN_EMISSION,
            *n,
            tou(t.alpha_in),
            needs.clone(),
        )?;
        check(
            &mut r,
            child,
            &s::ALPHA_OUT_EMISSION,
            *n,
            tou(t.alpha_out),
            needs,
        )?;
        for it in [
            s::SUBNET_TAO,
            s::ALPHA_IN,
            s::ALPHA_OUT,
            s::PROTOCOL_ALPHA,
            s::EXCESS_TAO,
            s::MOVING_PRICE,
            s::ROOT_PROP,
        ] {
            list(&mut r, &it, *n, why());
        }
        for (item, args) in [
            ("Swap.AlphaSqrtPrice", format!("[{n}]")),
            ("Swap.CurrentLiquidity", format!("[{n}]")),
            ("Swap.CurrentTick", format!("[{n}]")),
            ("Swap.ScrapReservoirTao", format!("[{n}]")),
            ("Swap.ScrapReservoirAlpha", format!("[{n}]")),
            ("Swap.Positions", format!("[{n},*]")),
            ("Swap.Ticks", format!("[{n},*]")),
        ] {
            r.missing.push(MissingItem {
                item: item.into(),
                args,
                needs: why(),
            });
        }
    }
    for (&n, x) in &subs {
        let due = x.tempo > 0
            && child.block.wrapping_add(u64::from(n) + 1) % (u64::from(x.tempo) + 1)
                == u64::from(x.tempo);
        let bsls = x.blocks_since.saturating_add(1);
        if !x.sched.is_empty() {
            list(&mut r, &s::BLOCKS_SINCE_LAST_STEP, n, x.sched.clone());
        } else if due {
            list(&mut r, &s::BLOCKS_SINCE_LAST_STEP, n, why());
        } else {
            check(
                &mut r,
                child,
                &s::BLOCKS_SINCE_LAST_STEP,
                n,
                bsls,
                Vec::new(),
            )?;
        }
        if x.emits {
            for it in [
                s::PENDING_SERVER,
                s::PENDING_VALIDATOR,
                s::PENDING_ROOT_ALPHA,
                s::PENDING_OWNER_CUT,
            ] {
                list(&mut r, &it, n, why());
            }
        }
    }
    for it in [g::TOTAL_ISSUANCE, g::TOTAL_STAKE] {
        list(&mut r, &it, 0, why());
    }
    Ok(r)
}
