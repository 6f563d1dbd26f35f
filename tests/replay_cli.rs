//! `tao-replay` on storage captures, every pool era (issue 13 items 2 and 3).
//!
//! The captures in data/replay/ are BUILT by `build_captures` below (set
//! `TAO_REPLAY_WRITE_FIXTURES=1` to rewrite them) from engine pool states; the SN1 one takes its
//! reserves (`SubnetTAO` = tao_in, `SubnetAlphaIn` = alpha_in) from the real finney capture
//! `shared/fixtures/chain/finney_b6852344_sn1_metagraph.json` (block 6,852,344, spec 343), the
//! rest of its pool state is built. Their `runtime_api` entries are what the engine itself says
//! (a capture the engine writes must replay to itself); no real `sim_swap` result was available.

use std::path::{Path, PathBuf};
use std::process::Command;
use tao_engine::chain::capture::{ApiCall, Capture};
use tao_engine::chain::capture_write::{record_sim_swap, write_pool};
use tao_engine::chain::hex;
use tao_engine::chain::sim_swap::{current_alpha_price, PoolState};
use tao_engine::chain::storage::{item_named, swap_item_named, KeyArg};
use tao_engine::pool::balancer::Balancer;
use tao_engine::pool::perquintill::Perquintill;
use tao_engine::pool::swap::{BalancerPool, Order};
use tao_engine::pool::v3::V3Pool;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/replay")
}

fn base(block: u64, spec: u32) -> Capture {
    Capture {
        chain: "finney".into(),
        block,
        block_hash: format!("0x{:064x}", block),
        spec_version: spec,
        ..Default::default()
    }
}

fn record(c: &mut Capture, netuid: u16, s: &PoolState, amounts: &[(Order, u64)]) {
    for (o, a) in amounts {
        record_sim_swap(c, netuid, s, *o, *a);
    }
    let p = current_alpha_price(c, netuid).unwrap();
    c.runtime_api.push(ApiCall {
        method: "SwapRuntimeApi_current_alpha_price".into(),
        args_hex: hex::encode(&netuid.to_le_bytes()),
        result: hex::encode(&p.to_le_bytes()),
    });
}

const AMOUNTS: &[(Order, u64)] = &[
    (Order::Buy, 1_000_000_000),
    (Order::Buy, 50_000_000_000_000),
    (Order::Sell, 1_000_000_000),
    (Order::Sell, 200_000_000_000_000),
];

fn build_captures() -> Vec<(&'static str, Capture)> {
    let mut out = Vec::new();
    // v3 era, spec 343: real SN1 reserves, pool not initialised (price = tao/alpha in U96F32).
    let sn1 = PoolState::UniswapV3(Box::new(V3Pool::new(
        22_080_655_078_468,
        2_315_643_876_555_309,
    )));
    let mut c = base(6_852_344, 343);
    write_pool(&mut c, 1, &sn1).unwrap();
    record(&mut c, 1, &sn1, AMOUNTS);
    out.push(("finney_b6852344_sn1_v3_built.json", c));
    // v3 era, initialised full-range pool, 32-byte results.
    let mut v = V3Pool::new(900_000_000_000_000, 3_000_000_000_000_000);
    v.initialize();
    let v3 = PoolState::UniswapV3(Box::new(v));
    let mut c = base(7_000_000, 367);
    write_pool(&mut c, 3, &v3).unwrap();
    record(&mut c, 3, &v3, AMOUNTS);
    out.push(("v3_initialised_spec367_sn3.json", c));
    // v3 pool under a 48-byte runtime (slippage in U96F32).
    let mut c = base(7_500_000, 391);
    write_pool(&mut c, 3, &v3).unwrap();
    record(&mut c, 3, &v3, AMOUNTS);
    out.push(("v3_initialised_spec391_sn3.json", c));
    // Weighted balancer (pre-reservoir rules, spec 424) with a migrated weight.
    let mut b = BalancerPool::new(40_000_000_000_000, 1_500_000_000_000_000);
    b.weights = Balancer::new(Perquintill::from_parts(380_000_000_000_000_000)).unwrap();
    b.fee_rate = 33;
    let bal = PoolState::Balancer(b, true);
    let mut c = base(8_600_000, 424);
    write_pool(&mut c, 64, &bal).unwrap();
    record(&mut c, 64, &bal, AMOUNTS);
    out.push(("balancer_spec424_sn64.json", c));
    // Balancer with reservoirs (spec 473): reservoirs are held but not price-active.
    let mut c = base(9_221_719, 473);
    write_pool(&mut c, 64, &bal).unwrap();
    for (name, v) in [
        ("BalancerTaoReservoir", 123_456_789u64),
        ("BalancerAlphaReservoir", 42),
    ] {
        let k = swap_item_named(name)
            .unwrap()
            .key(&[KeyArg::U16(64)])
            .unwrap();
        c.insert(&k, Some(&v.to_le_bytes()));
    }
    record(&mut c, 64, &bal, AMOUNTS);
    // Root: stable, 1:1.
    write_pool(&mut c, 0, &PoolState::Stable).unwrap();
    record(
        &mut c,
        0,
        &PoolState::Stable,
        &[(Order::Buy, 5_000_000_000)],
    );
    out.push(("balancer_reservoirs_spec473_sn64_root.json", c));
    out
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tao-replay"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = bin().args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn committed_captures_are_what_the_engine_writes_and_replay_to_themselves() {
    let write = std::env::var_os("TAO_REPLAY_WRITE_FIXTURES").is_some();
    for (name, c) in build_captures() {
        let path = dir().join(name);
        if write {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, c.to_json().unwrap() + "\n").unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(Capture::from_json(&text).unwrap(), c, "{name} is stale");
        let (code, out, err) = run(&["check", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        assert!(out.trim_end().ends_with(" equal, 0 mismatched"), "{out}");
    }
}

#[test]
fn quote_and_price_print_the_contract() {
    let p = dir().join("balancer_reservoirs_spec473_sn64_root.json");
    let p = p.to_str().unwrap();
    let (code, out, err) = run(&["quote", p, "--netuid", "64", "--buy", "1000000000"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in [
        "tao_amount",
        "alpha_amount",
        "tao_fee",
        "alpha_fee",
        "tao_slippage",
        "alpha_slippage",
    ] {
        assert!(v[k].as_str().unwrap().parse::<u64>().is_ok(), "{k}: {out}");
    }
    assert_eq!(v.as_object().unwrap().len(), 6);
    let (code, out, _) = run(&["price", p, "--netuid", "0"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), r#"{"price_rao":"1000000000"}"#);
    let (code, out, _) = run(&["quote", p, "--netuid", "0", "--sell", "7"]);
    assert_eq!(code, 0);
    assert!(out.contains(r#""tao_amount":"7""#), "{out}");
    let v3 = dir().join("finney_b6852344_sn1_v3_built.json");
    let (code, out, _) = run(&["price", v3.to_str().unwrap(), "--netuid", "1"]);
    assert_eq!(code, 0);
    // floor(floor(2^32 × 22,080,655,078,468 / 2,315,643,876,555,309) × 10^9 / 2^32) (U96F32).
    assert_eq!(out.trim(), r#"{"price_rao":"9535427"}"#);
}

#[test]
fn bad_input_is_a_clear_error() {
    let tmp = std::env::temp_dir().join(format!("tao-replay-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let p = dir().join("balancer_spec424_sn64.json");
    let p = p.to_str().unwrap();
    // Unknown netuid: nothing captured for it, every input listed by item and key.
    let (code, _, err) = run(&["quote", p, "--netuid", "9", "--buy", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("SubtensorModule.NetworksAdded[9]"), "{err}");
    assert!(err.contains("SubtensorModule.SubnetMechanism[9]"), "{err}");
    // Malformed hex.
    let text = std::fs::read_to_string(p).unwrap();
    let bad = tmp.join("bad_hex.json");
    let k = item_named("SubnetTAO")
        .unwrap()
        .key(&[KeyArg::U16(64)])
        .unwrap();
    let k = hex::encode(&k);
    let broken = text.replace(&format!("\"{k}\": \"0x"), &format!("\"{k}\": \"0xq"));
    assert_ne!(broken, text);
    std::fs::write(&bad, broken).unwrap();
    let (code, _, err) = run(&["price", bad.to_str().unwrap(), "--netuid", "64"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error:"), "{err}");
    // A missing key.
    let mut c = Capture::from_json(&text).unwrap();
    let k = swap_item_named("SwapBalancer")
        .unwrap()
        .key(&[KeyArg::U16(64)])
        .unwrap();
    c.storage.remove(&hex::encode(&k));
    let miss = tmp.join("missing.json");
    std::fs::write(&miss, c.to_json().unwrap()).unwrap();
    let (code, _, err) = run(&["price", miss.to_str().unwrap(), "--netuid", "64"]);
    assert_eq!(code, 2);
    assert!(err.contains("Swap.SwapBalancer[64]"), "{err}");
    // A captured result that disagrees.
    let mut c = Capture::from_json(&text).unwrap();
    c.runtime_api
        .retain(|a| a.method.ends_with("current_alpha_price"));
    if let Some(a) = c.runtime_api.first_mut() {
        a.result = hex::encode(&1u64.to_le_bytes());
    }
    let wrong = tmp.join("wrong.json");
    std::fs::write(&wrong, c.to_json().unwrap()).unwrap();
    let (code, _, err) = run(&["price", wrong.to_str().unwrap(), "--netuid", "64"]);
    assert_eq!(code, 1, "{err}");
    // Usage errors.
    assert_eq!(run(&["quote", p, "--netuid", "64"]).0, 2);
    assert_eq!(run(&["quote", p, "--netuid", "x", "--buy", "1"]).0, 2);
    assert_eq!(run(&["nope", p]).0, 2);
    assert_eq!(run(&["price", "/nonexistent.json", "--netuid", "1"]).0, 2);
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The real finney capture at block 7,000,020 (spec 348, v3 era) holds the pools' storage and 21
/// real `SwapRuntimeApi` results, but not `SubnetMechanism`, `SwapV3Initialized`, the provided
/// reserves or `Ticks`. The reader must list those, never guess them.
const REAL_B7000020: &str = "real/finney_b7000020_spec348_v3_sn1_sn19_sn64.json";

fn real(name: &str) -> Capture {
    Capture::from_json(&std::fs::read_to_string(dir().join(name)).unwrap()).unwrap()
}

#[test]
fn real_capture_lists_what_it_lacks() {
    let c = real(REAL_B7000020);
    for netuid in [1u16, 19, 64] {
        let e = tao_engine::chain::sim_swap::sim_swap(&c, netuid, Order::Buy, 1_000_000_000)
            .unwrap_err();
        for item in [
            "SubtensorModule.SubnetMechanism",
            "Swap.SwapV3Initialized",
            "SubtensorModule.SubnetTaoProvided",
            "SubtensorModule.SubnetAlphaInProvided",
        ] {
            assert!(
                e.message.contains(&format!("{item}[{netuid}]")),
                "{}",
                e.message
            );
        }
    }
}

/// The same capture completed with the four items it lacks, as BUILT assumptions stated here:
/// the subnets are dynamic (`SubnetMechanism` 1), their v3 pools are initialised (they hold
/// `AlphaSqrtPrice`), nothing is provided (`SubnetTaoProvided`/`SubnetAlphaInProvided` absent) and
/// the only liquidity is the protocol's full-range position (`Ticks` at ±443,636 carrying
/// `CurrentLiquidity`). Under these, every real result must agree byte for byte.
fn completed_b7000020() -> Capture {
    use tao_engine::chain::storage::{item_named, swap_ticks_prefix, Hasher};
    let mut c = real(REAL_B7000020);
    for netuid in [1u16, 19, 64] {
        let k = |name: &str| {
            item_named(name)
                .or_else(|| swap_item_named(name))
                .unwrap()
                .key(&[KeyArg::U16(netuid)])
                .unwrap()
        };
        c.insert(&k("SubnetMechanism"), Some(&1u16.to_le_bytes()));
        c.insert(&k("SwapV3Initialized"), Some(&[1]));
        c.insert(&k("SubnetTaoProvided"), None);
        c.insert(&k("SubnetAlphaInProvided"), None);
        let liq_hex = c.storage[&hex::encode(&k("CurrentLiquidity"))]
            .clone()
            .unwrap();
        let liq = u64::from_le_bytes(hex::decode(&liq_hex).unwrap().try_into().unwrap());
        for (tick, net) in [(-443_636i32, i128::from(liq)), (443_636, -i128::from(liq))] {
            let mut key = swap_ticks_prefix(netuid);
            Hasher::Twox64Concat.hash_into(&tick.to_le_bytes(), &mut key);
            let mut v = net.to_le_bytes().to_vec();
            v.extend(liq.to_le_bytes());
            v.extend([0u8; 32]);
            c.insert(&key, Some(&v));
        }
    }
    c
}

#[test]
fn real_sim_swap_results_at_spec_348_agree() {
    let c = completed_b7000020();
    let checks = tao_engine::chain::sim_swap::check_swap_api(&c);
    assert_eq!(checks.len(), 21);
    let bad: Vec<_> = checks.iter().filter(|k| !k.equal).collect();
    assert!(bad.is_empty(), "{bad:#?}");
    let name = "real/finney_b7000020_spec348_v3_completed_built.json";
    if std::env::var_os("TAO_REPLAY_WRITE_FIXTURES").is_some() {
        std::fs::write(dir().join(name), c.to_json().unwrap() + "\n").unwrap();
    }
    assert_eq!(real(name), c, "{name} is stale");
    let path = dir().join(name);
    let (code, out, err) = run(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.trim_end().ends_with("21 equal, 0 mismatched"), "{out}");
    let (code, out, _) = run(&[
        "quote",
        path.to_str().unwrap(),
        "--netuid",
        "1",
        "--buy",
        "1000000000",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        r#"{"tao_amount":"999496453","alpha_amount":"107214123361","tao_fee":"503547","alpha_fee":"0","tao_slippage":"0","alpha_slippage":"0"}"#
    );
}

/// Real finney capture at block 9,240,388 (spec 475, balancer with reservoirs): SN1's and SN92's
/// pool storage, the real 1-TAO SN1 `sim_swap` (48 bytes, raw hex) and `current_alpha_price`,
/// and SN92's 10- and 100-TAO buys and price (re-encoded from the capture tool's decodes of the
/// real results). It lacks `SubnetMechanism` and `PalSwapInitialized`; completed with the BUILT
/// assumptions that both subnets are dynamic (1) and their balancers initialised (they hold
/// migrated `SwapBalancer` weights).
const REAL_B9240388: &str = "real/finney_b9240388_spec475_balancer_sn1_sn92.json";

#[test]
fn real_sim_swap_results_at_spec_475_agree() {
    let mut c = real(REAL_B9240388);
    let e = tao_engine::chain::sim_swap::sim_swap(&c, 1, Order::Buy, 1_000_000_000).unwrap_err();
    assert!(
        e.message.contains("SubtensorModule.SubnetMechanism[1]"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("Swap.PalSwapInitialized[1]"),
        "{}",
        e.message
    );
    for netuid in [1u16, 92] {
        let k = |name: &str| {
            tao_engine::chain::storage::item_named(name)
                .or_else(|| swap_item_named(name))
                .unwrap()
                .key(&[KeyArg::U16(netuid)])
                .unwrap()
        };
        c.insert(&k("SubnetMechanism"), Some(&1u16.to_le_bytes()));
        c.insert(&k("PalSwapInitialized"), Some(&[1]));
    }
    let checks = tao_engine::chain::sim_swap::check_swap_api(&c);
    assert_eq!(checks.len(), 5);
    assert!(checks.iter().all(|k| k.equal), "{checks:#?}");
}

#[test]
fn block_on_a_real_partial_capture_lists_what_it_lacks() {
    let tmp = std::env::temp_dir().join(format!("tao-replay-block-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let parent = dir().join(REAL_B9240388);
    let mut child = real(REAL_B9240388);
    child.block += 1;
    let child_path = tmp.join("child.json");
    std::fs::write(&child_path, child.to_json().unwrap()).unwrap();
    let (code, out, _) = run(&[
        "block",
        parent.to_str().unwrap(),
        child_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "no item computed: exit 1");
    let (json, last) = out.trim_end().rsplit_once('\n').unwrap();
    // Two subnets × 18 outputs (reservoirs at 475) and three globals (the gate bar at 440+): the
    // capture holds the pools but not the globals, so nothing is computed.
    assert_eq!(last, "0 equal, 0 mismatched, 39 missing");
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["block"], 9_240_389);
    assert_eq!(v["spec_version"], 475);
    assert_eq!(v["approximate"], false);
    let missing = v["missing"].as_array().unwrap();
    assert!(missing
        .iter()
        .any(|m| m["item"] == "SubtensorModule.SubnetTAO" && m["args"] == "[92]"));
    let needs = missing[0]["needs"].as_array().unwrap();
    assert!(needs.iter().any(|n| n
        .as_str()
        .unwrap()
        .starts_with("SubtensorModule.TotalStake[]")));
    // The parent's block must precede the child's.
    let (code, _, err) = run(&["block", parent.to_str().unwrap(), parent.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}
