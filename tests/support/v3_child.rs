//! The hand-derived children of the pairs in `tests/support/v3_block.rs` (see its module doc):
//! every value from the upstream code at tags v3.4.7-422 (421–422), v3.4.5-419 / v3.4.0-411
//! (411–419) and v3.3.15-402 (401–402), never from the replay.
#![allow(dead_code)]

use crate::v3_block::*;
use substrate_fixed::types::{I64F64, I96F32, U64F64, U96F32};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use tao_engine::chain::hex;
use tao_engine::chain::replay_v3_read::{encode_tick, position_key, tick_key};
use tao_engine::pool::v3::protocol::ChainPosition;
use tao_engine::pool::v3::tick::{from_sqrt_price_bounded, try_to_sqrt_price, MAX_TICK, MIN_TICK};
use tao_engine::pool::v3::{Tick, V3Pool};

fn u64_of(c: &Capture, it: &Item, n: u16) -> u64 {
    let h = c.storage[&it.key_hex(n)].as_ref().unwrap();
    u64::from_le_bytes(hex::decode(h).unwrap().try_into().unwrap())
}

/// safe-math `checked_sqrt` (bisection until `|x/mid − mid| ≤ 10^-12`, at most 128 rounds).
fn bisect(x: U64F64) -> U64F64 {
    let eps = U64F64::from_num(0.000_000_000_001);
    let (one, two) = (U64F64::from_num(1), U64F64::from_num(2));
    let (mut hi, mut lo) = if x > one {
        (x, U64F64::from_num(0))
    } else {
        (one, x)
    };
    let mut mid = (hi + lo) / two;
    let mut chk = x / mid;
    let mut i = 0;
    while chk.max(mid) - chk.min(mid) > eps {
        if chk < mid {
            hi = mid;
        } else {
            lo = mid;
        }
        mid = (hi + lo) / two;
        chk = x / mid;
        i += 1;
        if i > 128 {
            break;
        }
    }
    mid
}

fn isqrt(v: u128) -> u64 {
    let mut x = (v as f64).sqrt() as u128;
    while x * x > v {
        x -= 1;
    }
    while (x + 1) * (x + 1) <= v {
        x += 1;
    }
    x as u64
}

/// What the hand derivation found for one subnet (for the tests' own checks).
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    pub tao_in: u64,
    pub alpha_in: u64,
    pub excess: u64,
    pub bought: u64,
    pub liquidity: u64,
}

/// The child's values, derived by hand from the v3.4.7-422 code (see the module doc).
pub fn child(p: &Capture, sns: &[Sn]) -> (Capture, Vec<Derived>) {
    child_at(p, sns, Rule::RootProp)
}

/// `get_shares_flow` by hand: each EMA stepped once (`(1 − α)·ema + α·flow`, α = the default
/// smoothing factor / `i64::MAX`), the protocol EMA where positive scaled by
/// `min(Σ⁺user / Σ⁺protocol, 1)` and subtracted; the cutoff 0 and the power normalisation with
/// p = 1 are the engine's `emission::flow::flow_shares` (checked against the chain's
/// `inplace_pow_normalize` tests in `tests/fixtures/pool/flow-*.json`). Returns the shares and
/// the two new EMAs per subnet. Without `protocol` (401–402) the net flow is the user EMA.
pub fn flow_by_hand(sns: &[Sn], protocol: bool) -> (Vec<U64F64>, Vec<(I64F64, I64F64)>) {
    let zero = I64F64::from_num(0);
    let alpha = I64F64::from_num(29_597_889_189_277i64) / I64F64::from_num(i64::MAX);
    let one = I64F64::from_num(1);
    let step = |last: Option<(u64, i64)>, flow: i64| {
        let last = I64F64::from_num(last.map_or(0, |x| x.1));
        (one - alpha) * last + alpha * I64F64::from_num(flow)
    };
    let emas: Vec<(I64F64, I64F64)> = sns
        .iter()
        .map(|x| (step(x.ema_user, x.tao_flow), step(x.ema_protocol, x.flow)))
        .collect();
    let su = emas.iter().fold(zero, |a, (u, _)| a + (*u).max(zero));
    let sp = emas.iter().fold(zero, |a, (_, p)| a + (*p).max(zero));
    let norm = if sp > zero { (su / sp).min(one) } else { zero };
    let nets: Vec<I64F64> = emas
        .iter()
        .map(|(u, p)| match (protocol, *p > zero) {
            (false, _) => *u,
            (true, true) => *u - norm * *p,
            (true, false) => *u - *p,
        })
        .collect();
    let shares = tao_engine::emission::flow::flow_shares(&nets, zero, U64F64::from_num(1));
    (shares, emas)
}

/// `update_moving_price` of a built subnet (first emission 500 000 blocks before the parent,
/// `SubnetMovingAlpha` 0.000003, `EMAPriceHalvingBlocks` 201 600): the U96F32 EMA step towards
/// `min(spot, 1)` from `moving`.
pub fn moving_by_hand(moving: f64, spot: U96F32) -> I96F32 {
    let b = U96F32::from_num(BLOCK + 1 - (BLOCK - 500_000 - 1));
    let ma = U96F32::saturating_from_num(I96F32::from_num(0.000_003));
    let alpha = ma * (b / (b + U96F32::from_num(201_600u64)));
    let spot = spot.min(U96F32::from_num(1));
    I96F32::saturating_from_num(
        alpha * spot
            + (U96F32::from_num(1) - alpha) * U96F32::saturating_from_num(I96F32::from_num(moving)),
    )
}

/// The child's values under `rule` (see the module doc).
pub fn child_at(p: &Capture, sns: &[Sn], rule: Rule) -> (Capture, Vec<Derived>) {
    let mut c = Capture {
        block: BLOCK + 1,
        block_hash: "0x01".into(),
        storage: Default::default(),
        ..p.clone()
    };
    let zero = U64F64::from_num(0);
    let one = U64F64::from_num(1);
    let pre361 = rule == Rule::Pre361;
    let uncounted = matches!(rule, Rule::Pre361 | Rule::AlphaCapUncounted);
    let counted = |provided: u64| if uncounted { 0 } else { provided };
    let tw = U96F32::from_num(ROOT_TAO)
        .saturating_mul(U96F32::from_num(TAO_WEIGHT) / U96F32::from_num(u64::MAX));
    let rp_of = |issuance: u64| tw / (tw + U96F32::from_num(issuance));
    let pools: Vec<V3Pool> = sns.iter().map(|x| pool_of(p, x.n)).collect();
    let alpha_in0: Vec<u64> = sns.iter().map(|x| u64_of(p, &s::ALPHA_IN, x.n)).collect();
    let issuance: Vec<u64> = sns
        .iter()
        .zip(&alpha_in0)
        // 356–385: `get_alpha_issuance` also counts `SubnetAlphaInProvided` (348–354 do not).
        .map(|(x, a)| a + x.alpha_out + counted(x.provided))
        .collect();
    let mp = |x: &Sn| U64F64::saturating_from_num(I96F32::from_num(x.moving));
    let total_mp = sns.iter().fold(zero, |a, x| a + mp(x));
    let w: Vec<U64F64> = sns
        .iter()
        .zip(&issuance)
        .map(|(x, i)| {
            let burned = U64F64::saturating_from_num(U96F32::from_num(x.burned)).min(one);
            (mp(x) / total_mp)
                .saturating_mul(U64F64::saturating_from_num(rp_of(*i)).saturating_mul(one - burned))
        })
        .collect();
    let total_w = w.iter().fold(zero, |a, x| a + *x);
    // 401–402: no credit (no protocol flow, excess record or AlphaAssets).
    let legacy = matches!(
        rule,
        Rule::UserFlow | Rule::UserFlowAlphaCap | Rule::AlphaCapUncounted | Rule::Pre361
    );
    let (flow_shares, emas) = flow_by_hand(sns, !legacy);
    let flow = matches!(rule, Rule::Flow { .. }) || legacy;
    let recycle = rule == Rule::Flow { recycle: true } || legacy;
    let root_sell = U96F32::saturating_from_num(total_mp) > U96F32::from_num(1);
    let cut = U96F32::from_num(OWNER_CUT) / U96F32::from_num(u16::MAX);
    let (mut spent, mut stake) = (0u64, TOTAL_STAKE);
    let mut out = Vec::new();
    for (i, (((x, w), pool), (a0, iss))) in sns
        .iter()
        .zip(w)
        .zip(&pools)
        .zip(alpha_in0.iter().zip(&issuance))
        .enumerate()
    {
        let n = x.n;
        assert!(*iss < 10_500_000_000_000_000, "alpha emission is 1 alpha");
        let share = if flow { flow_shares[i] } else { w / total_w };
        let e = U96F32::saturating_from_num(U64F64::from_num(E).saturating_mul(share));
        let init = pool.initialized;
        // `current_price`: the pool's root squared, or (not initialised) the reserve ratio.
        let price = if init {
            U96F32::saturating_from_num(pool.sqrt_price.saturating_mul(pool.sqrt_price))
        } else {
            U96F32::from_num(pool.tao_reserve) / U96F32::from_num(pool.alpha_reserve)
        };
        let alpha_emission = U96F32::from_num(1_000_000_000u64);
        let (mut tao_in, mut alpha_in) = (e, e / price);
        // 410–419: min(alpha emission, block emission of TotalIssuance after the mint: 0.5 TAO);
        // 401–402: of TotalIssuance before the block, also 0.5 TAO here.
        const { assert!(ISSUANCE > 10_500_000_000_000_000 && ISSUANCE + E < 15_750_000_000_000_000) };
        let cap = if matches!(
            rule,
            Rule::UserFlowAlphaCap | Rule::AlphaCapUncounted | Rule::Pre361
        ) {
            // 348–361: the alpha emission alone.
            alpha_emission
        } else if flow {
            alpha_emission.min(U96F32::from_num(E))
        } else {
            rp_of(*iss).saturating_mul(alpha_emission)
        };
        if alpha_in > cap {
            alpha_in = cap;
            tao_in = alpha_in.saturating_mul(price);
        }
        let (mut tao_in, mut alpha_in, excess) = (
            tao_in.to_num::<u64>(),
            alpha_in.to_num::<u64>(),
            e.saturating_sub(tao_in).to_num::<u64>(),
        );
        // 348–352: registration and PoW registration off zero the terms but not the excess.
        let zeroed = pre361 && !x.registers;
        if zeroed {
            (tao_in, alpha_in) = (0, 0);
        }
        let created_u: u64 = if zeroed { 0 } else { 1_000_000_000 };
        // maybe_initialize_v3 inside the buy of a pool not yet initialised: the root of
        // tao / alpha by the safe-math bisection (ε = 10^-12), L = isqrt(tao × alpha).
        let sqrt = if init {
            pool.sqrt_price
        } else {
            bisect(U64F64::from_num(pool.tao_reserve) / U64F64::from_num(pool.alpha_reserve))
        };
        let l_init = isqrt(u128::from(pool.tao_reserve) * u128::from(pool.alpha_reserve));
        // adjust_protocol_liquidity: one full-range position holding all of CurrentLiquidity
        // (none yet in a pool not initialised: nothing happens).
        let price64 = sqrt.saturating_mul(sqrt);
        let (dt, da) = (tao_in + x.scrap.0, alpha_in + x.scrap.1);
        let tao_eq: u64 = U64F64::from_num(da).saturating_mul(price64).to_num();
        let (ct, ca, st, sa) = if tao_eq <= dt {
            (tao_eq, da, dt - tao_eq, 0)
        } else {
            let a_eq: u64 = (U64F64::from_num(dt) / price64).to_num();
            (dt, a_eq, 0, da - a_eq)
        };
        let (lo, hi) = (
            try_to_sqrt_price(MIN_TICK).unwrap(),
            try_to_sqrt_price(MAX_TICK).unwrap(),
        );
        let l0 = pool.liquidity;
        let lf = U64F64::from_num(l0);
        let pt: u64 = lf.saturating_mul(sqrt - lo).to_num();
        let pa: u64 = lf.saturating_mul(one / sqrt - one / hi).to_num();
        let l1 = isqrt(u128::from(pt + ct) * u128::from(pa + ca));
        let l = if init {
            l0 + l1.saturating_sub(l0)
        } else {
            l_init
        };
        // The chain buy, no fee, inside the full range.
        let (mut sqrt1, mut bought) = (sqrt, 0u64);
        if excess > 0 {
            let d = U64F64::from_num(excess);
            let lfx = U64F64::from_num(l);
            sqrt1 = d / lfx + sqrt;
            assert!(sqrt1 < hi, "no crossing");
            bought = (lfx / ((lfx * sqrt + d) * sqrt) * d).to_num();
        }
        spent += tao_in + excess;
        stake += tao_in + excess;
        let tao1 = u64_of(p, &s::SUBNET_TAO, n) + excess + tao_in;
        // 385 (`decrease_provided_alpha_reserve`): the bought alpha leaves the provided alpha
        // first, the rest `SubnetAlphaIn`.
        let carry = bought.saturating_sub(x.provided);
        let prov1 = x.provided.saturating_sub(bought);
        let ain1 = a0 - carry + alpha_in;
        // 411 recycles the bought alpha (out of SubnetAlphaOut and the issuance).
        let kept = if recycle { 0 } else { bought };
        let mut aout1 = x.alpha_out + kept + created_u;
        // Alpha out: owner cut, root alpha at the root proportion after the mints, buckets.
        let created = U96F32::from_num(created_u);
        let owner = created * cut;
        let rest = created - owner;
        let rp1 = rp_of(ain1 + aout1 + counted(prov1));
        let root_alpha = rp1 * rest * U96F32::from_num(0.5);
        let server = rest * U96F32::from_num(0.5);
        let validator = rest - server - root_alpha;
        let mut pend = x.pending;
        pend[0] += server.to_num::<u64>();
        pend[1] += validator.to_num::<u64>();
        pend[3] += owner.to_num::<u64>();
        let mut tai = x.tai + alpha_in + created_u - (bought - kept);
        let mut recycled = bought - kept;
        if root_sell {
            pend[2] += root_alpha.to_num::<u64>();
        } else {
            aout1 -= root_alpha.to_num::<u64>();
            tai -= root_alpha.to_num::<u64>();
            recycled += root_alpha.to_num::<u64>();
        }
        if (!root_sell || recycled > 0) && !legacy {
            put(&mut c, &v::ALPHA_RECYCLED, n, &recycled.to_le_bytes());
        }
        let rp_final = rp_of(ain1 + aout1 + counted(prov1));
        // Moving price: U96F32 EMA at the price after the block.
        let mpv = moving_by_hand(
            x.moving,
            U96F32::saturating_from_num(sqrt1.saturating_mul(sqrt1)),
        );
        let w64 = |it: &Item, val: u64, c: &mut Capture| put(c, it, n, &val.to_le_bytes());
        w64(&s::TAO_IN_EMISSION, tao_in, &mut c);
        w64(&s::ALPHA_IN_EMISSION, alpha_in, &mut c);
        w64(&s::ALPHA_OUT_EMISSION, created_u, &mut c);
        w64(&s::SUBNET_TAO, tao1, &mut c);
        w64(&s::ALPHA_IN, ain1, &mut c);
        if x.provided > 0 {
            w64(&s::ALPHA_IN_PROVIDED, prov1, &mut c);
        }
        w64(&s::ALPHA_OUT, aout1, &mut c);
        w64(&s::PROTOCOL_ALPHA, x.protocol_alpha + kept, &mut c);
        if !legacy {
            w64(&s::EXCESS_TAO, excess, &mut c);
        }
        put(
            &mut c,
            &v::SUBNET_VOLUME,
            n,
            &(x.volume + u128::from(excess)).to_le_bytes(),
        );
        if !legacy {
            put(
                &mut c,
                &v::PROTOCOL_FLOW,
                n,
                // 411–419: the accumulator was reset when its EMA stepped.
                &(if flow { 0 } else { x.flow } + (excess + tao_in) as i64).to_le_bytes(),
            );
        }
        if flow {
            let (u, pr) = emas[i];
            let emas = [(v::EMA_TAO_FLOW, u), (v::EMA_PROTOCOL_FLOW, pr)];
            for (it, e) in emas.into_iter().take(if legacy { 1 } else { 2 }) {
                let mut b = (BLOCK + 1).to_le_bytes().to_vec();
                b.extend_from_slice(&e.to_bits().to_le_bytes());
                put(&mut c, &it, n, &b);
            }
            w64(&v::SUBNET_TAO_FLOW, 0, &mut c);
        }
        if !legacy {
            w64(&v::TOTAL_ALPHA_ISSUANCE, tai, &mut c);
        }
        put_pending(&mut c, n, pend);
        put(
            &mut c,
            &s::MOVING_PRICE,
            n,
            &(mpv.to_bits() as u128).to_le_bytes(),
        );
        put(&mut c, &s::ROOT_PROP, n, &rp_final.to_bits().to_le_bytes());
        w64(&s::BLOCKS_SINCE_LAST_STEP, 78, &mut c);
        let (pos_id, pos_l, dl) = if init {
            w64(&v::SCRAP_TAO, st, &mut c);
            w64(&v::SCRAP_ALPHA, sa, &mut c);
            (u128::from(n) + 100, l1, i128::from(l1.saturating_sub(l0)))
        } else {
            assert!(excess > 0, "an uninitialised pool is only touched by a buy");
            put(&mut c, &v::V3_INITIALIZED, n, &[1]);
            put(
                &mut c,
                &v::LAST_POSITION_ID,
                0,
                &(LAST_POSITION_ID + 1).to_le_bytes(),
            );
            (LAST_POSITION_ID + 1, l_init, i128::from(l_init))
        };
        w64(&v::CURRENT_LIQUIDITY, l, &mut c);
        let pos = ChainPosition {
            id: pos_id,
            netuid: n,
            tick_low: MIN_TICK,
            tick_high: MAX_TICK,
            liquidity: pos_l,
            fees_tao: I64F64::from_num(0),
            fees_alpha: I64F64::from_num(0),
        };
        put_key(&mut c, &position_key(n, pos.id), &pos.encode());
        for (t, sign) in [(MIN_TICK, 1i128), (MAX_TICK, -1)] {
            let k0 = pool.ticks.get(&t).copied().unwrap_or_default();
            let k = Tick {
                liquidity_net: k0.liquidity_net + sign * dl,
                liquidity_gross: k0.liquidity_gross + dl.unsigned_abs() as u64,
                ..k0
            };
            put_key(&mut c, &tick_key(n, t), &encode_tick(&k));
        }
        if excess > 0 {
            put(
                &mut c,
                &v::ALPHA_SQRT_PRICE,
                n,
                &sqrt1.to_bits().to_le_bytes(),
            );
            put(
                &mut c,
                &v::CURRENT_TICK,
                n,
                &from_sqrt_price_bounded(sqrt1).to_le_bytes(),
            );
        }
        out.push(Derived {
            tao_in,
            alpha_in,
            excess,
            bought,
            liquidity: l,
        });
    }
    put(&mut c, &s::BLOCKS_SINCE_LAST_STEP, 5, &4u64.to_le_bytes());
    // From 410 the minted E less the recycled rest; 401–402 add each subnet's tao_in + excess.
    let issuance = if legacy {
        ISSUANCE + spent
    } else {
        ISSUANCE + E - (E - spent)
    };
    put(&mut c, &g::TOTAL_ISSUANCE, 0, &issuance.to_le_bytes());
    put(&mut c, &g::TOTAL_STAKE, 0, &stake.to_le_bytes());
    (c, out)
}
