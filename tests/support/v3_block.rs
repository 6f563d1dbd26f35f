//! Parent/child pairs at spec 422 for `tests/replay_block_v3.rs`.
//!
//! PARENT: v3 subnets whose pools are either BUILT (an engine `V3Pool` initialised at
//! `√(SubnetTAO / SubnetAlphaIn)`, written by `chain::capture_write::write_pool`) or REAL (the
//! finney pools of SN1/19/64 at block 7 000 020 in `data/replay/real/`), completed with the
//! protocol account's full-range position of liquidity `CurrentLiquidity` (the README's BUILT
//! assumption for that capture) and the coinbase's other inputs as raw keys.
//!
//! CHILD (`tests/support/v3_child.rs`): every value derived there from the upstream code at tag v3.4.7-422, not by the replay:
//! shares (`get_shares`), terms (`get_subnet_terms` at `U96F32(AlphaSqrtPrice²)`), the injection
//! (`adjust_protocol_liquidity` for one full-range position: proportional split at the price,
//! `to_token_amounts`, `isqrt`), the chain buy without fees inside the range
//! (`sqrt' = sqrt + Δ/L`, `out = L / ((L·sqrt + Δ)·sqrt) · Δ`, one step, no crossing), the
//! alpha-out buckets, the `U96F32` moving-price EMA, `RootProp` and the totals. Tick maths
//! (`tick::try_to_sqrt_price`, `from_sqrt_price_bounded`) come from the engine's tick module.
#![allow(dead_code)]

use substrate_fixed::types::{I64F64, I96F32, U96F32};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_write::write_pool;
use tao_engine::chain::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use tao_engine::chain::hex;
use tao_engine::chain::pool_read::{read_pool, PoolState};
use tao_engine::chain::replay_v3_read::position_key;
use tao_engine::pool::v3::protocol::ChainPosition;
use tao_engine::pool::v3::tick::{MAX_TICK, MIN_TICK};
use tao_engine::pool::v3::V3Pool;

pub const BLOCK: u64 = 8_000_000;
pub const TAO_WEIGHT: u64 = 3_320_413_933_267_719_290; // 0.18 of u64::MAX
pub const ROOT_TAO: u64 = 4_000_000_000_000_000;
pub const ISSUANCE: u64 = 10_900_000_000_000_000; // past the first halving: E = 0.5 TAO
pub const E: u64 = 500_000_000;
pub const TOTAL_STAKE: u64 = 7_000_000_000_000_000;
pub const OWNER_CUT: u16 = 11_796;
pub const LAST_POSITION_ID: u128 = 500;

/// One subnet's coinbase inputs (its pool is built from `reserves` or taken from the capture).
#[derive(Clone)]
pub struct Sn {
    pub n: u16,
    pub reserves: Option<(u64, u64)>,
    pub alpha_out: u64,
    pub moving: f64,
    pub burned: f64,
    pub tempo: u16,
    pub scrap: (u64, u64),
    pub pending: [u64; 4],
    pub protocol_alpha: u64,
    pub volume: u128,
    pub flow: i64,
    pub tai: u64,
    /// 411–419: `SubnetTaoFlow`, `SubnetEmaTaoFlow`, `SubnetEmaProtocolFlow` (whole numbers).
    pub tao_flow: i64,
    pub ema_user: Option<(u64, i64)>,
    pub ema_protocol: Option<(u64, i64)>,
    /// `false`: the BUILT pool is left uninitialised (no protocol position yet).
    pub init: bool,
    /// 385: `SubnetAlphaInProvided` (written when non-zero; counted in the pool's alpha reserve).
    pub provided: u64,
    /// `NetworkRegistrationAllowed` (`false`: also `NetworkPowRegistrationAllowed` false; only
    /// under `Rule::Pre361`, whose terms it zeroes).
    pub registers: bool,
}

/// The runtime's coinbase rules the hand derivation follows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rule {
    /// 421–422.
    RootProp,
    /// 410–419 (`recycle`: 410–411's recycled chain-buy alpha).
    Flow { recycle: bool },
    /// 401–402: the user flow EMA only, the chain-buy alpha recycled, no TAO credit, no
    /// `AlphaAssets`, no `SubnetExcessTao` / `SubnetProtocolFlow`.
    UserFlow,
    /// 356–361: as `UserFlow`, but the injection capped at the alpha emission alone.
    UserFlowAlphaCap,
    /// 353–354: as `UserFlowAlphaCap`, but `SubnetAlphaInProvided` is not counted in the alpha
    /// issuance.
    AlphaCapUncounted,
    /// 348–352: as `UserFlowAlphaCap`, but `SubnetAlphaInProvided` is not counted in the alpha
    /// issuance, and a subnet allowing no registration (`Sn::registers` false) still emits with
    /// `tao_in`, `alpha_in` and `alpha_out` zeroed, its excess bought.
    Pre361,
}

pub fn sn(n: u16, reserves: Option<(u64, u64)>, alpha_out: u64, moving: f64, burned: f64) -> Sn {
    Sn {
        n,
        reserves,
        alpha_out,
        moving,
        burned,
        tempo: 360,
        scrap: (1_234, 0),
        pending: [10_000 + u64::from(n), 20_000, 30_000, 40_000 + u64::from(n)],
        protocol_alpha: 5_000_000_000,
        volume: 9_000_000_000_000,
        flow: -77,
        tai: 3_999_999_999_999_999,
        tao_flow: 0,
        ema_user: None,
        ema_protocol: None,
        init: true,
        provided: 0,
        registers: true,
    }
}

pub fn put(c: &mut Capture, it: &Item, n: u16, v: &[u8]) {
    c.storage.insert(it.key_hex(n), Some(hex::encode(v)));
}

/// The four pending buckets of `n` (server, validator, root alpha, owner cut).
pub fn put_pending(c: &mut Capture, n: u16, pending: [u64; 4]) {
    let items = [
        s::PENDING_SERVER,
        s::PENDING_VALIDATOR,
        s::PENDING_ROOT_ALPHA,
        s::PENDING_OWNER_CUT,
    ];
    for (it, val) in items.iter().zip(pending) {
        put(c, it, n, &val.to_le_bytes());
    }
}

pub fn put_key(c: &mut Capture, k: &[u8], v: &[u8]) {
    c.storage.insert(hex::encode(k), Some(hex::encode(v)));
}

/// The subnet's pool in the parent.
pub fn pool_of(c: &Capture, n: u16) -> V3Pool {
    match read_pool(c, n, true).unwrap() {
        PoolState::UniswapV3(p) => *p,
        _ => panic!("not v3"),
    }
}

/// The parent at spec 422, block `BLOCK`, over `base` (the real capture, or empty).
pub fn parent(base: Option<&Capture>, sns: &[Sn]) -> Capture {
    parent_at(422, base, sns)
}

fn ema_bytes(e: Option<(u64, i64)>) -> Option<String> {
    e.map(|(b, v)| {
        let mut x = b.to_le_bytes().to_vec();
        x.extend_from_slice(&I64F64::from_num(v).to_bits().to_le_bytes());
        hex::encode(&x)
    })
}

/// The parent at `spec`, block `BLOCK` (411–419: with the flow items, globals at their defaults).
pub fn parent_at(spec: u32, base: Option<&Capture>, sns: &[Sn]) -> Capture {
    let mut c = Capture {
        chain: "built".into(),
        block: BLOCK,
        block_hash: "0x00".into(),
        spec_version: spec,
        ..Default::default()
    };
    if let Some(b) = base {
        c.storage = b.storage.clone();
    }
    if spec < 421 {
        for it in [
            v::FLOW_EMA_SMOOTHING,
            v::TAO_FLOW_CUTOFF,
            v::FLOW_NORM_EXPONENT,
            v::NET_TAO_FLOW_ENABLED,
        ] {
            c.storage.insert(it.key_hex(0), None);
        }
        for x in sns {
            put(&mut c, &v::SUBNET_TAO_FLOW, x.n, &x.tao_flow.to_le_bytes());
            c.storage
                .insert(v::EMA_TAO_FLOW.key_hex(x.n), ema_bytes(x.ema_user));
            c.storage
                .insert(v::EMA_PROTOCOL_FLOW.key_hex(x.n), ema_bytes(x.ema_protocol));
        }
    }
    put(&mut c, &g::TOTAL_ISSUANCE, 0, &ISSUANCE.to_le_bytes());
    put(&mut c, &g::TOTAL_STAKE, 0, &TOTAL_STAKE.to_le_bytes());
    put(&mut c, &g::TAO_WEIGHT, 0, &TAO_WEIGHT.to_le_bytes());
    put(&mut c, &g::SUBNET_OWNER_CUT, 0, &OWNER_CUT.to_le_bytes());
    c.storage.insert(g::SUBNET_MOVING_ALPHA.key_hex(0), None);
    put(&mut c, &s::SUBNET_TAO, 0, &ROOT_TAO.to_le_bytes());
    put(&mut c, &s::NETWORKS_ADDED, 0, &[1]);
    put(
        &mut c,
        &v::LAST_POSITION_ID,
        0,
        &LAST_POSITION_ID.to_le_bytes(),
    );
    for x in sns {
        let n = x.n;
        if let Some((t, a)) = x.reserves {
            let mut p = V3Pool::new(t, a);
            if x.init {
                p.initialize();
            }
            write_pool(&mut c, n, &PoolState::UniswapV3(Box::new(p))).unwrap();
        }
        if x.provided > 0 {
            put(&mut c, &s::ALPHA_IN_PROVIDED, n, &x.provided.to_le_bytes());
        }
        put(&mut c, &s::NETWORKS_ADDED, n, &[1]);
        put(&mut c, &s::SUBNET_MECHANISM, n, &1u16.to_le_bytes());
        put(
            &mut c,
            &s::FIRST_EMISSION_BLOCK,
            n,
            &(BLOCK - 500_000).to_le_bytes(),
        );
        put(&mut c, &s::SUBTOKEN_ENABLED, n, &[1]);
        put(
            &mut c,
            &s::REGISTRATION_ALLOWED,
            n,
            &[u8::from(x.registers)],
        );
        if !x.registers {
            put(&mut c, &s::POW_REGISTRATION_ALLOWED, n, &[0]);
        }
        c.storage.insert(s::EMISSION_ENABLED.key_hex(n), None);
        c.storage.insert(s::OWNER_CUT_ENABLED.key_hex(n), None);
        c.storage.insert(s::EMA_HALVING.key_hex(n), None);
        let mp = I96F32::from_num(x.moving).to_bits() as u128;
        put(&mut c, &s::MOVING_PRICE, n, &mp.to_le_bytes());
        let mb = U96F32::from_num(x.burned).to_bits();
        put(&mut c, &s::MINER_BURNED, n, &mb.to_le_bytes());
        put(&mut c, &s::ALPHA_OUT, n, &x.alpha_out.to_le_bytes());
        put(&mut c, &s::TEMPO, n, &x.tempo.to_le_bytes());
        put(&mut c, &s::BLOCKS_SINCE_LAST_STEP, n, &77u64.to_le_bytes());
        put(
            &mut c,
            &s::PROTOCOL_ALPHA,
            n,
            &x.protocol_alpha.to_le_bytes(),
        );
        put_pending(&mut c, n, x.pending);
        put(&mut c, &v::SUBNET_VOLUME, n, &x.volume.to_le_bytes());
        put(&mut c, &v::PROTOCOL_FLOW, n, &x.flow.to_le_bytes());
        put(&mut c, &v::TOTAL_ALPHA_ISSUANCE, n, &x.tai.to_le_bytes());
        c.storage.insert(v::ALPHA_RECYCLED.key_hex(n), None);
        c.storage.insert(v::FEE_GLOBAL_TAO.key_hex(n), None);
        c.storage.insert(v::FEE_GLOBAL_ALPHA.key_hex(n), None);
        put(&mut c, &v::SCRAP_TAO, n, &x.scrap.0.to_le_bytes());
        put(&mut c, &v::SCRAP_ALPHA, n, &x.scrap.1.to_le_bytes());
        if !x.init {
            continue;
        }
        let l = pool_of(&c, n).liquidity;
        let pos = ChainPosition {
            id: u128::from(n) + 100,
            netuid: n,
            tick_low: MIN_TICK,
            tick_high: MAX_TICK,
            liquidity: l,
            fees_tao: I64F64::from_num(0),
            fees_alpha: I64F64::from_num(0),
        };
        put_key(&mut c, &position_key(n, pos.id), &pos.encode());
    }
    // SN5: registered, not started.
    put(&mut c, &s::NETWORKS_ADDED, 5, &[1]);
    put(&mut c, &s::SUBNET_MECHANISM, 5, &1u16.to_le_bytes());
    c.storage.insert(s::FIRST_EMISSION_BLOCK.key_hex(5), None);
    put(&mut c, &s::TEMPO, 5, &360u16.to_le_bytes());
    put(&mut c, &s::BLOCKS_SINCE_LAST_STEP, 5, &3u64.to_le_bytes());
    c
}

/// What the user-flow runtimes (348–402) do not have, removed from a built parent:
/// `NetTaoFlowEnabled` and, per subnet, the credit era's items (emission and owner-cut switches,
/// `MinerBurned`, `SubnetProtocolAlpha`, the protocol flow and its EMA, the alpha-assets totals).
pub fn strip_credit_era(p: &mut Capture, sns: &[Sn]) {
    p.storage.remove(&v::NET_TAO_FLOW_ENABLED.key_hex(0));
    for x in sns {
        for it in [
            s::EMISSION_ENABLED,
            s::OWNER_CUT_ENABLED,
            s::MINER_BURNED,
            s::PROTOCOL_ALPHA,
            v::PROTOCOL_FLOW,
            v::EMA_PROTOCOL_FLOW,
            v::TOTAL_ALPHA_ISSUANCE,
            v::ALPHA_RECYCLED,
        ] {
            p.storage.remove(&it.key_hex(x.n));
        }
    }
}
