//! `tao-replay block` at spec 380 (tag v3.3.10-380: finney swapped through a weighted balancer
//! from 2026-02-20 until the revert of 02-24; `chain::replay_v3` with `Era::balancer`).
//!
//! Its coinbase is 377's (user-flow shares, no TAO credit, the injection capped at
//! `min(alpha emission, block emission)`, the chain buy's alpha recycled, `RootProp`,
//! `TotalIssuance += tao_in + excess`) with three changes read in the tag:
//! * the price is the balancer's `current_price` (U64F64, `SwapBalancer` weights over
//!   `SubnetTAO` / `SubnetAlphaIn`) narrowed to U96F32;
//! * `adjust_protocol_liquidity` first takes the pool's LP fees (`FeesTao`, `FeesAlpha`) into its
//!   deltas, moves the weights so the price stays, zeroes the fees and returns what it added;
//!   `SubnetTAO` / `SubnetAlphaIn` grow by that (after the chain buy), not by the terms; when the
//!   weights would leave their range nothing is added and the fees stay;
//! * the chain buy swaps fee-free through the balancer (423's pool maths) up to its maximum price
//!   (a pool not yet initialised first takes weights ½ and `PalSwapInitialized`), and there are
//!   no provided reserves (the alpha issuance is `SubnetAlphaIn + SubnetAlphaOut`).
//!
//! The child is derived here by hand from that code (the pool's price, weight update and swap
//! come from the engine's balancer, checked against the chain's vectors in `tests/pool*.rs`).

#[path = "support/replay_block.rs"]
mod support;
#[path = "support/v3_block.rs"]
mod v3_block;
#[path = "support/v3_child.rs"]
mod v3_child;

use substrate_fixed::types::{U64F64, U96F32};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_write::write_pool;
use tao_engine::chain::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use tao_engine::chain::hex;
use tao_engine::chain::pool_read::PoolState;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::pool::balancer::{Balancer, SwapGuards};
use tao_engine::pool::perquintill::Perquintill;
use tao_engine::pool::swap::{limit_from_rao, BalancerPool, Order, SwapConstants, MAX_PRICE_RAO};

use support::*;
use v3_block::*;
use v3_child::{flow_by_hand, moving_by_hand};

/// One subnet's balancer: reserves, quote weight (parts of 10^18), LP fees and
/// `PalSwapInitialized`.
#[derive(Clone, Copy)]
struct Bal {
    tao: u64,
    alpha: u64,
    quote: u64,
    fees: (u64, u64),
    init: bool,
}

fn pool(b: &Bal) -> BalancerPool {
    let mut p = BalancerPool::new(b.tao, b.alpha);
    p.weights = Balancer::new(Perquintill::from_parts(b.quote)).unwrap();
    p
}

fn flows(mut x: Sn, tao_flow: i64, user: i64) -> Sn {
    // No v3 pool (nor its protocol position) in the parent: the balancer is written instead.
    x.init = false;
    x.tao_flow = tao_flow;
    x.ema_user = Some((BLOCK - 1, user));
    x.ema_protocol = None;
    x
}

/// SN1 cheap (its alpha capped: the chain buys), SN2 dear (no buy), with fees on SN1.
fn built() -> (Vec<Sn>, [Bal; 2]) {
    let sns = vec![
        flows(
            sn(1, None, 2_500_000_000_000_000, 0.6, 0.0),
            5_000_000_000_000,
            3_000_000_000_000,
        ),
        flows(
            sn(2, None, 4_000_000_000_000, 2.5, 0.0),
            -100_000_000_000,
            1_000_000_000_000,
        ),
    ];
    let bals = [
        Bal {
            tao: 60_000_000_000_000,
            alpha: 1_500_000_000_000_000,
            quote: 400_000_000_000_000_000,
            fees: (7_000_000, 11_000_000_000),
            init: true,
        },
        Bal {
            tao: 9_000_000_000_000,
            alpha: 3_000_000_000_000,
            quote: 500_000_000_000_000_000,
            fees: (0, 0),
            init: true,
        },
    ];
    (sns, bals)
}

/// The parent at 380: the user-flow era's inputs (no protocol flow, no alpha-assets, no
/// `OwnerCutEnabled`), each subnet's balancer (initialised) and its fees.
fn parent380(sns: &[Sn], bals: &[Bal]) -> Capture {
    let mut p = parent_at(380, None, sns);
    strip_credit_era(&mut p, sns);
    for (x, b) in sns.iter().zip(bals) {
        // The v3 pool's items went with the migration to the balancer.
        for it in [
            v::SCRAP_TAO,
            v::SCRAP_ALPHA,
            v::FEE_GLOBAL_TAO,
            v::FEE_GLOBAL_ALPHA,
        ] {
            p.storage.remove(&it.key_hex(x.n));
        }
        write_pool(&mut p, x.n, &PoolState::Balancer(pool(b), b.init)).unwrap();
        put(&mut p, &v::FEES_TAO, x.n, &b.fees.0.to_le_bytes());
        put(&mut p, &v::FEES_ALPHA, x.n, &b.fees.1.to_le_bytes());
    }
    p
}

/// What the derivation found for one subnet.
#[derive(Debug)]
struct Got {
    excess: u64,
    bought: u64,
    adjusted: bool,
}

/// The child of [`parent380`], by hand (see the module doc).
fn child380(p: &Capture, sns: &[Sn], bals: &[Bal]) -> (Capture, Vec<Got>) {
    let mut c = Capture {
        block: BLOCK + 1,
        block_hash: "0x01".into(),
        storage: Default::default(),
        ..p.clone()
    };
    let tw = U96F32::from_num(ROOT_TAO)
        .saturating_mul(U96F32::from_num(TAO_WEIGHT) / U96F32::from_num(u64::MAX));
    let rp_of = |issuance: u64| tw / (tw + U96F32::from_num(issuance));
    let (shares, emas) = flow_by_hand(sns, false);
    let root_sell = sns.iter().map(|x| x.moving).sum::<f64>() > 1.0;
    let cut = U96F32::from_num(OWNER_CUT) / U96F32::from_num(u16::MAX);
    let (mut spent, mut got) = (0u64, Vec::new());
    for (i, (x, b)) in sns.iter().zip(bals).enumerate() {
        let n = x.n;
        let mut bp = pool(b);
        let e = U96F32::saturating_from_num(U64F64::from_num(E).saturating_mul(shares[i]));
        let price = U96F32::saturating_from_num(bp.price());
        // The injection cap at min(alpha emission, block emission) (1 alpha above 0.5 TAO).
        assert!(b.alpha + x.alpha_out < 10_500_000_000_000_000);
        let cap = U96F32::from_num(1_000_000_000u64).min(U96F32::from_num(E));
        let (mut tao_in, mut alpha_in) = (e, e / price);
        if alpha_in > cap {
            alpha_in = cap;
            tao_in = alpha_in.saturating_mul(price);
        }
        let excess = e.saturating_sub(tao_in).to_num::<u64>();
        let (tao_in, alpha_in) = (tao_in.to_num::<u64>(), alpha_in.to_num::<u64>());
        // adjust_protocol_liquidity: the fees join the deltas, the weights keep the price.
        let (dt, da) = (tao_in + b.fees.0, alpha_in + b.fees.1);
        let adjusted = bp
            .weights
            .update_for_added_liquidity(b.tao, b.alpha, dt, da);
        let (dt, da, fees) = if adjusted {
            (dt, da, (0, 0))
        } else {
            (0, 0, b.fees)
        };
        // The chain buy on the reserves before the injection, at the new weights; a pool not yet
        // initialised first takes weights ½ (`maybe_initialize_palswap(None)`).
        let mut bought = 0;
        let initialised = !b.init && excess > 0;
        if initialised {
            bp.weights = Balancer::default();
        }
        if excess > 0 {
            let consts = SwapConstants::default();
            let limit = limit_from_rao(MAX_PRICE_RAO);
            let r = bp
                .quote_swap_with(
                    Order::Buy,
                    excess,
                    limit,
                    true,
                    false,
                    &consts,
                    SwapGuards::Spec423,
                )
                .unwrap();
            assert_eq!(r.amount_paid_in, excess);
            bought = r.amount_paid_out;
        }
        spent += tao_in + excess;
        let tao1 = b.tao + excess + dt;
        let ain1 = b.alpha - bought + da;
        // The bought alpha is recycled out of SubnetAlphaOut again.
        let created = 1_000_000_000u64;
        let mut aout1 = x.alpha_out + created;
        let cu = U96F32::from_num(created);
        let owner = cu * cut;
        let rest = cu - owner;
        let root_alpha = rp_of(ain1 + aout1) * rest * U96F32::from_num(0.5);
        let server = rest * U96F32::from_num(0.5);
        let validator = rest - server - root_alpha;
        let mut pend = x.pending;
        pend[0] += server.to_num::<u64>();
        pend[1] += validator.to_num::<u64>();
        pend[3] += owner.to_num::<u64>();
        if root_sell {
            pend[2] += root_alpha.to_num::<u64>();
        } else {
            aout1 -= root_alpha.to_num::<u64>();
        }
        // The moving price at the balancer's price after the block.
        bp.tao_reserve = tao1;
        bp.alpha_reserve = ain1;
        let moving = moving_by_hand(x.moving, U96F32::saturating_from_num(bp.price()));
        let w64 = |it: &Item, val: u64, c: &mut Capture| put(c, it, n, &val.to_le_bytes());
        w64(&s::TAO_IN_EMISSION, tao_in, &mut c);
        w64(&s::ALPHA_IN_EMISSION, alpha_in, &mut c);
        w64(&s::ALPHA_OUT_EMISSION, created, &mut c);
        w64(&s::SUBNET_TAO, tao1, &mut c);
        w64(&s::ALPHA_IN, ain1, &mut c);
        w64(&s::ALPHA_OUT, aout1, &mut c);
        put(
            &mut c,
            &v::SUBNET_VOLUME,
            n,
            &(x.volume + u128::from(excess)).to_le_bytes(),
        );
        let mut ema = (BLOCK + 1).to_le_bytes().to_vec();
        ema.extend_from_slice(&emas[i].0.to_bits().to_le_bytes());
        put(&mut c, &v::EMA_TAO_FLOW, n, &ema);
        w64(&v::SUBNET_TAO_FLOW, 0, &mut c);
        put_pending(&mut c, n, pend);
        let mp = (moving.to_bits() as u128).to_le_bytes();
        put(&mut c, &s::MOVING_PRICE, n, &mp);
        let rp = rp_of(ain1 + aout1).to_bits().to_le_bytes();
        put(&mut c, &s::ROOT_PROP, n, &rp);
        w64(&s::BLOCKS_SINCE_LAST_STEP, 78, &mut c);
        w64(&v::FEES_TAO, fees.0, &mut c);
        w64(&v::FEES_ALPHA, fees.1, &mut c);
        if adjusted || initialised {
            let q = bp.weights.quote_weight().deconstruct();
            w64(&s::SWAP_BALANCER, q, &mut c);
        }
        if initialised {
            put(&mut c, &s::PAL_SWAP_INITIALIZED, n, &[1]);
        }
        got.push(Got {
            excess,
            bought,
            adjusted,
        });
    }
    put(&mut c, &s::BLOCKS_SINCE_LAST_STEP, 5, &4u64.to_le_bytes());
    put(
        &mut c,
        &g::TOTAL_ISSUANCE,
        0,
        &(ISSUANCE + spent).to_le_bytes(),
    );
    put(
        &mut c,
        &g::TOTAL_STAKE,
        0,
        &(TOTAL_STAKE + spent).to_le_bytes(),
    );
    (c, got)
}

/// Per subnet 17 outputs (the three emissions, `SubnetTAO`, `SubnetAlphaIn`, `SubnetAlphaOut`,
/// `SubnetVolume`, four buckets, `SubnetMovingPrice`, `RootProp`, `BlocksSinceLastStep`,
/// `FeesTao`, `FeesAlpha`, `SwapBalancer`) and two flow items (the user EMA, the reset
/// `SubnetTaoFlow`); SN5's schedule, `TotalIssuance`, `TotalStake`.
const ITEMS: usize = 2 * (17 + 2) + 1 + 2;

#[test]
fn a_380_block_replays_every_output_through_the_balancer() {
    let (sns, bals) = built();
    let p = parent380(&sns, &bals);
    let (c, got) = child380(&p, &sns, &bals);
    assert!(got[0].excess > 0 && got[0].bought > 0, "{got:?}");
    assert_eq!(got[1].excess, 0, "{got:?}");
    assert!(got.iter().all(|g| g.adjusted), "{got:?}");
    let (code, out) = run_bin(&p, &c, "v380");
    let last = out.trim_end().rsplit_once('\n').unwrap().1;
    assert_eq!(last, format!("{ITEMS} equal, 0 mismatched, 0 missing"));
    assert_eq!(code, 0);
    // None of the v3 pool's items is compared.
    let r = replay_block(&p, &c).unwrap();
    for it in [
        v::ALPHA_SQRT_PRICE,
        v::CURRENT_LIQUIDITY,
        v::SCRAP_TAO,
        s::ALPHA_IN_PROVIDED,
    ] {
        assert!(r.items.iter().all(|i| i.item != it.path()), "{}", it.path());
    }
}

#[test]
fn the_fees_enter_the_reserves_and_a_tampered_value_is_one_mismatch() {
    let (sns, bals) = built();
    let p = parent380(&sns, &bals);
    let (c, _) = child380(&p, &sns, &bals);
    all_equal(&replay_block(&p, &c).unwrap(), ITEMS);
    // The child derived as if SN1 held no fees: its reserves, weights and what its reserves
    // decide differ (the fee items are 0 after the block either way).
    let mut no_fees = bals;
    no_fees[0].fees = (0, 0);
    let (c0, _) = child380(&parent380(&sns, &no_fees), &sns, &no_fees);
    let bad = wrong(&replay_block(&p, &c0).unwrap());
    for it in [s::SUBNET_TAO, s::ALPHA_IN, s::SWAP_BALANCER] {
        assert!(bad.contains(&it.path()), "{bad:?}");
    }
    assert!(!bad.contains(&v::FEES_TAO.path()), "{bad:?}");
    for k in [
        s::SUBNET_TAO.key_hex(2),
        v::FEES_TAO.key_hex(1),
        g::TOTAL_STAKE.key_hex(0),
    ] {
        let mut t = c.clone();
        let mut b = hex::decode(t.storage[&k].as_ref().unwrap()).unwrap();
        b[0] ^= 1;
        t.storage.insert(k.clone(), Some(hex::encode(&b)));
        let r = replay_block(&p, &t).unwrap();
        assert_eq!(counts(&r), (ITEMS - 1, 1, 0), "{k}");
    }
}

#[test]
fn weights_out_of_range_add_nothing_and_keep_the_fees() {
    // SN2 at the weights' edge (quote 0.01): its alpha fees nearly triple the alpha reserve,
    // which would push the quote weight below 0.01.
    let (sns, mut bals) = built();
    bals[1].quote = 10_000_000_000_000_000;
    bals[1].fees = (0, 5_000_000_000_000);
    let p = parent380(&sns, &bals);
    let (c, got) = child380(&p, &sns, &bals);
    assert!(!got[1].adjusted, "{got:?}");
    let r = replay_block(&p, &c).unwrap();
    // SwapBalancer is not written on SN2.
    all_equal(&r, ITEMS - 1);
    assert!(r.items.iter().all(|i| i.key != s::SWAP_BALANCER.key_hex(2)));
}

#[test]
fn a_pool_not_yet_initialised_takes_weights_half_at_the_chain_buy() {
    // SN1 (the buyer) and SN2 (no buy) uninitialised with stored weights 0.4 and 0.5: the
    // injection moves SN1's 0.4, then the buy resets them to ½ and marks the pool initialised;
    // SN2 keeps what the injection made and stays uninitialised.
    let (sns, mut bals) = built();
    bals[0].init = false;
    bals[1].init = false;
    let p = parent380(&sns, &bals);
    let (c, got) = child380(&p, &sns, &bals);
    assert!(got[0].bought > 0 && got[1].excess == 0, "{got:?}");
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, ITEMS + 1);
    let half = Balancer::default()
        .quote_weight()
        .deconstruct()
        .to_le_bytes();
    assert_eq!(
        read_raw(&c, &s::SWAP_BALANCER, 1).as_deref(),
        Some(&half[..])
    );
    assert!(r
        .items
        .iter()
        .all(|i| i.key != s::PAL_SWAP_INITIALIZED.key_hex(2)));
    // Read as initialised, the same parent swaps at SN1's adjusted weights: a mismatch.
    let mut q = p.clone();
    put(&mut q, &s::PAL_SWAP_INITIALIZED, 1, &[1]);
    let bad = wrong(&replay_block(&q, &c).unwrap());
    assert!(bad.contains(&s::ALPHA_IN.path()), "{bad:?}");
}

#[test]
fn missing_fees_or_pool_inputs_are_listed() {
    let (sns, bals) = built();
    let p = parent380(&sns, &bals);
    let (c, _) = child380(&p, &sns, &bals);
    let mut q = p.clone();
    q.storage.remove(&v::FEES_ALPHA.key_hex(1));
    let r = replay_block(&q, &c).unwrap();
    let (_, bad, missing) = counts(&r);
    assert_eq!(bad, 0);
    assert!(missing > 0);
    assert!(r.missing.iter().any(|m| m.item == v::FEES_ALPHA.path()));
    assert!(r
        .missing
        .iter()
        .all(|m| m.needs.iter().any(|x| x.contains("FeesAlpha"))));
    // SN2 does not buy, yet its reserves and moving price depend on its injection's fees.
    let mut q = p.clone();
    q.storage.remove(&v::FEES_TAO.key_hex(2));
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(counts(&r).1, 0);
    for it in [s::SUBNET_TAO, s::ALPHA_IN, s::MOVING_PRICE, v::FEES_TAO] {
        let k = it.key_hex(2);
        assert!(r.items.iter().all(|i| i.key != k), "{}", it.path());
        assert!(r
            .missing
            .iter()
            .any(|m| m.item == it.path() && m.args == "[2]"));
    }
    let mut q = p.clone();
    q.storage.remove(&s::PAL_SWAP_INITIALIZED.key_hex(2));
    let r = replay_block(&q, &c).unwrap();
    assert!(r
        .missing
        .iter()
        .any(|m| m.needs.iter().any(|x| x.contains("PalSwapInitialized"))));
    assert_eq!(counts(&r).1, 0);
}

#[test]
fn the_neighbouring_eras_rules_mismatch_the_380_child() {
    let (sns, bals) = built();
    let p = parent380(&sns, &bals);
    let (c, _) = child380(&p, &sns, &bals);
    // 377 and 385 swap through a v3 pool: the balancer is not one.
    for spec in [377, 385] {
        let mut q = p.clone();
        q.spec_version = spec;
        let r = replay_block(&q, &c).unwrap();
        assert!(!r.success() || counts(&r).2 > 0, "{spec}");
        assert!(r
            .missing
            .iter()
            .any(|m| m.needs.iter().any(|x| x.contains("balancer"))));
    }
}
