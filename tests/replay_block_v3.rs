//! `tao-replay block` at spec 422 (`chain::replay_v3`): the last Uniswap-v3 runtimes.
//!
//! PARENT is BUILT: two v3 subnets (pools written by the engine's capture writer, initialised at
//! `√(SubnetTAO / SubnetAlphaIn)`), one not started, the coinbase's inputs as raw keys. CHILD holds
//! the values derived here BY HAND from the upstream code at tag v3.4.7-422 (`get_shares`,
//! `get_subnet_block_emissions`, `get_subnet_terms` with the v3 `current_price`
//! `U96F32(AlphaSqrtPrice²)`, `root_proportion`, the legacy `should_run_epoch`), not by the
//! engine: the replay compares its shares and emission records with them, lists the rest with
//! the era's reason, a tampered value is one mismatch and a removed share input moves exactly the
//! emission records to `missing`.

#[path = "support/replay_block.rs"]
mod support;

use substrate_fixed::types::{I96F32, U64F64, U96F32};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_write::write_pool;
use tao_engine::chain::coinbase_items::{global as g, subnet as s, Item};
use tao_engine::chain::hex;
use tao_engine::chain::pool_read::PoolState;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::pool::v3::V3Pool;
use tao_engine::runtime::timeline::V3_COINBASE_NOT_REPLAYED;

use support::*;

const BLOCK: u64 = 8_000_000;
const TAO_WEIGHT: u64 = 3_320_413_933_267_719_290; // 0.18 of u64::MAX
const ROOT_TAO: u64 = 4_000_000_000_000_000;
const ISSUANCE: u64 = 10_900_000_000_000_000; // past the first halving: E = 0.5 TAO

struct Built {
    reserves: (u64, u64),
    alpha_out: u64,
    moving: f64,
    burned: f64,
    tempo: u16,
}

fn put(c: &mut Capture, it: &Item, n: u16, v: &[u8]) {
    c.storage.insert(it.key_hex(n), Some(hex::encode(v)));
}

fn subnets() -> Vec<(u16, Built)> {
    vec![
        (
            1,
            Built {
                reserves: (60_000_000_000_000, 1_500_000_000_000_000),
                alpha_out: 2_500_000_000_000_000,
                moving: 0.04,
                burned: 0.2,
                tempo: 360,
            },
        ),
        (
            2,
            Built {
                reserves: (9_000_000_000_000, 3_000_000_000_000),
                alpha_out: 4_000_000_000_000,
                moving: 2.5,
                burned: 0.0,
                tempo: 99,
            },
        ),
    ]
}

fn v3(b: &Built) -> V3Pool {
    let mut v = V3Pool::new(b.reserves.0, b.reserves.1);
    v.initialize();
    v
}

/// The parent at spec 422, block `BLOCK`.
fn parent() -> Capture {
    let mut c = Capture {
        chain: "built".into(),
        block: BLOCK,
        block_hash: "0x00".into(),
        spec_version: 422,
        ..Default::default()
    };
    put(&mut c, &g::TOTAL_ISSUANCE, 0, &ISSUANCE.to_le_bytes());
    put(&mut c, &g::TAO_WEIGHT, 0, &TAO_WEIGHT.to_le_bytes());
    put(&mut c, &s::SUBNET_TAO, 0, &ROOT_TAO.to_le_bytes());
    for n in [0u16, 1, 2, 5] {
        put(&mut c, &s::NETWORKS_ADDED, n, &[1]);
    }
    for (n, b) in subnets() {
        put(&mut c, &s::SUBNET_MECHANISM, n, &1u16.to_le_bytes());
        put(
            &mut c,
            &s::FIRST_EMISSION_BLOCK,
            n,
            &(BLOCK - 500_000).to_le_bytes(),
        );
        put(&mut c, &s::SUBTOKEN_ENABLED, n, &[1]);
        put(&mut c, &s::REGISTRATION_ALLOWED, n, &[1]);
        c.storage.insert(s::EMISSION_ENABLED.key_hex(n), None);
        let mp = I96F32::from_num(b.moving).to_bits() as u128;
        put(&mut c, &s::MOVING_PRICE, n, &mp.to_le_bytes());
        put(
            &mut c,
            &s::MINER_BURNED,
            n,
            &U96F32::from_num(b.burned).to_bits().to_le_bytes(),
        );
        put(&mut c, &s::ALPHA_OUT, n, &b.alpha_out.to_le_bytes());
        put(&mut c, &s::TEMPO, n, &b.tempo.to_le_bytes());
        put(&mut c, &s::BLOCKS_SINCE_LAST_STEP, n, &77u64.to_le_bytes());
        write_pool(&mut c, n, &PoolState::UniswapV3(Box::new(v3(&b)))).unwrap();
    }
    // SN5: registered, not started.
    put(&mut c, &s::SUBNET_MECHANISM, 5, &1u16.to_le_bytes());
    c.storage.insert(s::FIRST_EMISSION_BLOCK.key_hex(5), None);
    put(&mut c, &s::TEMPO, 5, &360u16.to_le_bytes());
    put(&mut c, &s::BLOCKS_SINCE_LAST_STEP, 5, &3u64.to_le_bytes());
    c
}

/// The child's values, derived by hand from the v3.4.7-422 code.
fn child() -> Capture {
    let p = parent();
    let mut c = Capture {
        block: BLOCK + 1,
        block_hash: "0x01".into(),
        storage: Default::default(),
        ..p.clone()
    };
    let zero = U64F64::from_num(0);
    let one = U64F64::from_num(1);
    let tw = U96F32::from_num(ROOT_TAO)
        .saturating_mul(U96F32::from_num(TAO_WEIGHT) / U96F32::from_num(u64::MAX));
    let subs = subnets();
    let issuance = |b: &Built| b.reserves.1 + b.alpha_out;
    let rp = |b: &Built| tw / (tw + U96F32::from_num(issuance(b)));
    let mp = |b: &Built| U64F64::saturating_from_num(I96F32::from_num(b.moving));
    let total_mp = subs.iter().fold(zero, |a, (_, b)| a + mp(b));
    let w: Vec<U64F64> = subs
        .iter()
        .map(|(_, b)| {
            let burned = U64F64::saturating_from_num(U96F32::from_num(b.burned)).min(one);
            (mp(b) / total_mp)
                .saturating_mul(U64F64::saturating_from_num(rp(b)).saturating_mul(one - burned))
        })
        .collect();
    let total_w = w.iter().fold(zero, |a, x| a + *x);
    for ((n, b), w) in subs.iter().zip(w) {
        let e = U96F32::saturating_from_num(
            U64F64::from_num(500_000_000u64).saturating_mul(w / total_w),
        );
        let sqrt = v3(b).sqrt_price;
        let price = U96F32::saturating_from_num(sqrt.saturating_mul(sqrt));
        let alpha_emission = U96F32::from_num(1_000_000_000u64);
        let (mut tao_in, mut alpha_in) = (e, e / price);
        let cap = rp(b).saturating_mul(alpha_emission);
        if alpha_in > cap {
            alpha_in = cap;
            tao_in = alpha_in.saturating_mul(price);
        }
        put(
            &mut c,
            &s::TAO_IN_EMISSION,
            *n,
            &tao_in.to_num::<u64>().to_le_bytes(),
        );
        put(
            &mut c,
            &s::ALPHA_IN_EMISSION,
            *n,
            &alpha_in.to_num::<u64>().to_le_bytes(),
        );
        put(
            &mut c,
            &s::ALPHA_OUT_EMISSION,
            *n,
            &1_000_000_000u64.to_le_bytes(),
        );
    }
    // Legacy schedule: SN2 (tempo 99) runs at BLOCK + 1 when (BLOCK + 1 + 3) mod 100 == 99.
    for n in [1u16, 2, 5] {
        let tempo: u64 = if n == 2 { 99 } else { 360 };
        let due = (BLOCK + 1 + u64::from(n) + 1) % (tempo + 1) == tempo;
        assert!(!due, "SN{n} is not due at this block");
        let before = if n == 5 { 3u64 } else { 77 };
        put(
            &mut c,
            &s::BLOCKS_SINCE_LAST_STEP,
            n,
            &(before + 1).to_le_bytes(),
        );
    }
    c
}

#[test]
fn a_422_block_replays_its_shares_and_emission_records() {
    let (p, c) = (parent(), child());
    let (code, out) = run_bin(&p, &c, "v3-422");
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    let r: serde_json::Value = serde_json::from_str(json).unwrap();
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 9, "{json}");
    assert!(items.iter().all(|i| i["equal"] == true), "{json}");
    let k = r["missing"].as_array().unwrap().len();
    assert_eq!(last, format!("9 equal, 0 mismatched, {k} missing"));
    assert_eq!(code, 0);
    // Listed: per emitting subnet 7 coinbase items, 4 buckets, 7 v3 items; the two totals.
    assert_eq!(k, 2 * (7 + 4 + 7) + 2);
    for m in r["missing"].as_array().unwrap() {
        assert_eq!(
            m["needs"],
            serde_json::json!([V3_COINBASE_NOT_REPLAYED]),
            "{m}"
        );
    }
    // A spec whose era is not replayed lists everything (N = 0, exit 1).
    let mut p419 = p.clone();
    p419.spec_version = 419;
    let r = replay_block(&p419, &c).unwrap();
    assert!(r.items.is_empty() && !r.missing.is_empty() && !r.success());
}

#[test]
fn a_tampered_422_value_is_one_mismatch_and_a_removed_input_moves_its_dependants() {
    let (p, c) = (parent(), child());
    let mut bad = c.clone();
    let k = s::ALPHA_IN_EMISSION.key_hex(2);
    let v = u64::from_le_bytes(
        hex::decode(c.storage[&k].as_ref().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    );
    bad.storage
        .insert(k.clone(), Some(hex::encode(&(v + 1).to_le_bytes())));
    let r = replay_block(&p, &bad).unwrap();
    let wrong: Vec<_> = r.items.iter().filter(|i| !i.equal).collect();
    assert_eq!((wrong.len(), wrong[0].key.as_str()), (1, k.as_str()));
    // A moving price enters every share: every emission record is listed, the schedule is not.
    let mut q = p.clone();
    q.storage.remove(&s::MOVING_PRICE.key_hex(1));
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(counts(&r), (3, 0, r.missing.len()));
    assert!(r
        .items
        .iter()
        .all(|i| i.item == s::BLOCKS_SINCE_LAST_STEP.path()));
    let need = format!(
        "PARENT: {}[1] (key {})",
        s::MOVING_PRICE.path(),
        s::MOVING_PRICE.key_hex(1)
    );
    let listed: Vec<_> = r
        .missing
        .iter()
        .filter(|m| m.needs.contains(&need))
        .collect();
    assert_eq!(listed.len(), 6);
    // A subnet's own pool: only its records.
    let mut q = p.clone();
    let pre = hex::encode(&tao_engine::chain::storage::prefix(
        "Swap",
        "AlphaSqrtPrice",
    ));
    let pre = pre.trim_start_matches("0x").to_string();
    let sqrt: Vec<String> = q
        .storage
        .keys()
        .filter(|k| k.contains(&pre))
        .cloned()
        .collect();
    assert!(!sqrt.is_empty());
    for k in sqrt {
        q.storage.remove(&k);
    }
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(counts(&r).1, 0);
    assert_eq!(r.items.len(), 3, "BlocksSinceLastStep only");
}

#[test]
fn a_due_422_epoch_lists_its_schedule() {
    let mut p = parent();
    // SN2 due at BLOCK + 1: tempo t with (BLOCK + 1 + 3) mod (t + 1) == t.
    let t: u16 = (1..1000u16)
        .find(|t| (BLOCK + 4) % (u64::from(*t) + 1) == u64::from(*t))
        .unwrap();
    put(&mut p, &s::TEMPO, 2, &t.to_le_bytes());
    let r = replay_block(&p, &child()).unwrap();
    let m = r
        .missing
        .iter()
        .find(|m| m.item == s::BLOCKS_SINCE_LAST_STEP.path() && m.args == "[2]")
        .expect("listed");
    assert_eq!(m.needs, vec![V3_COINBASE_NOT_REPLAYED.to_string()]);
    assert_eq!(counts(&r), (8, 0, r.missing.len()));
}
