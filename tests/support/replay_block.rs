//! Helpers the `replay block` tests share (tests/replay_block.rs, tests/replay_block_epoch.rs,
//! tests/replay_distribution.rs): the committed captures, the report's counts, the `tao-replay`
//! binary, and the epoch pair built from the chain's own epoch scenarios.
//!
//! The epoch pair: PARENT holds the scenario's storage before the epoch (real keys, SCALE values;
//! `data/yuma/epoch`, the unit tests of subtensor `tests/epoch.rs` @ 14bc6f9, read by
//! `chain::snapshot_yuma`) plus a coinbase state the engine writes around it, with subnet 1's
//! epoch due at the child block (owner-triggered, `PendingEpochAt`) and its pending buckets set so
//! the drain hands the epoch exactly the scenario's emission. CHILD holds the coinbase state after
//! the block and, for the epoch's own writes, the scenario's derived outputs: the chain's values,
//! never this engine's.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use substrate_fixed::types::{I96F32, U96F32};
use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{subnet as subnet_items, Item};
use tao_engine::chain::coinbase_write::write_network;
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::BlockReplay;
use tao_engine::chain::snapshot::{storage_key_hex, Snapshot};
use tao_engine::chain::snapshot_yuma::{snapshots_from_yuma_scenario, SCENARIO_NETUID};
use tao_engine::chain::storage::KeyArg;
use tao_engine::emission::{BalancerPool, Network, Params, StakeProportionalEpoch, SubnetState};
use tao_engine::pool::reservoir::Reservoirs;
use tao_engine::runtime::Rules;

/// A capture of `data/replay`.
pub fn fixture(name: &str) -> Capture {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/replay")
        .join(name);
    Capture::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// (equal, mismatched, missing).
pub fn counts(r: &BlockReplay) -> (usize, usize, usize) {
    let eq = r.items.iter().filter(|i| i.equal).count();
    (eq, r.items.len() - eq, r.missing.len())
}

pub fn tmp() -> PathBuf {
    let d = std::env::temp_dir().join(format!("tao-replay-blk-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `tao-replay block PARENT CHILD` on the two captures: (exit status, stdout).
pub fn run_bin(parent: &Capture, child: &Capture, tag: &str) -> (i32, String) {
    let d = tmp();
    let (p, c) = (
        d.join(format!("{tag}-p.json")),
        d.join(format!("{tag}-c.json")),
    );
    std::fs::write(&p, parent.to_json().unwrap()).unwrap();
    std::fs::write(&c, child.to_json().unwrap()).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tao-replay"))
        .args(["block", p.to_str().unwrap(), c.to_str().unwrap()])
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// The subnet of the epoch scenarios.
pub const NET: u16 = SCENARIO_NETUID;

/// The scenario snapshot of `file` whose epoch block is `block`.
pub fn scenario(file: &str, block: u64) -> Snapshot {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/yuma/epoch")
        .join(file);
    snapshots_from_yuma_scenario(&std::fs::read_to_string(p).unwrap())
        .unwrap()
        .into_iter()
        .find(|x| x.snapshot.block == block)
        .unwrap()
        .snapshot
}

pub fn subnet(tempo: u16, block: u64) -> SubnetState<BalancerPool> {
    let mut pool = BalancerPool::dynamic(40_000_000_000_000, 1_500_000_000_000_000);
    pool.minimum_reserve = 1_000_000;
    let mut st = SubnetState::new(pool);
    st.alpha_out = 2_000_000_000_000_000;
    st.protocol_alpha = 40_000_000_000_000;
    st.moving_price = I96F32::from_num(0.03);
    st.miner_burned = U96F32::from_num(0.1);
    st.root_prop = U96F32::from_num(0.1);
    st.first_emission_block = Some(0);
    st.tempo = tempo;
    st.last_epoch_block = block - 1;
    st.blocks_since_last_step = 1;
    st.pending.owner_cut = 123_456;
    st
}

pub struct Pair {
    pub parent: Capture,
    pub child: Capture,
    pub snap: Snapshot,
    /// Uids of the scenario subnet.
    pub n: u16,
}

/// Build the pair for the scenario epoch at `block` under `spec`; `edit` changes the engine
/// state before it is written (both captures follow it).
pub fn pair_with(
    file: &str,
    block: u64,
    spec: u32,
    edit: impl Fn(&mut Network<BalancerPool>),
) -> Pair {
    let snap = scenario(file, block);
    let state = snap.chain_state().unwrap();
    let emission = snap.emission_override().unwrap().unwrap();
    let hp = &state.hyperparameters;
    assert!(hp.tempo > 0, "a subnet with tempo 0 never runs an epoch");
    let rules = Rules::for_spec(spec).unwrap();
    let mut net = Network::new(Params::for_rules(&rules));
    net.block = block - 1;
    net.total_issuance = 10_600_000_000_000_000;
    net.total_stake = 7_000_000_000_000_000;
    net.root_tao = 5_000_000_000_000_000;
    // The coinbase and the epoch read the same `TaoWeight` and `Tempo` keys.
    net.params.tao_weight = hp.tao_weight;
    let mut mine = subnet(hp.tempo, block);
    mine.pending_epoch_at = block;
    net.subnets.insert(NET, mine);
    net.subnets.insert(2, subnet(360, block));
    edit(&mut net);
    // The drain hands the epoch server + validator + root alpha, this block's accrual included.
    let mut probe = net.clone();
    let report = probe.step_block(&mut StakeProportionalEpoch).unwrap();
    if let Some(d) = report.distributions.get(&NET).map(|d| d.drained) {
        let accrued = d.server + d.validator + d.root_alpha;
        assert!(accrued > 0 && accrued <= emission, "{accrued} > {emission}");
        net.subnets.get_mut(&NET).unwrap().pending.server = emission - accrued;
    }

    let mut parent = Capture {
        chain: "test".into(),
        block: block - 1,
        block_hash: format!("0x{:064x}", block - 1),
        spec_version: spec,
        storage: snap.inputs.clone(),
        runtime_api: Vec::new(),
    };
    write_network(&mut parent, &net, &rules);
    let report = net.step_block(&mut StakeProportionalEpoch).unwrap();
    let mut child = Capture {
        block,
        block_hash: format!("0x{block:064x}"),
        storage: Default::default(),
        ..parent.clone()
    };
    write_network(&mut child, &net, &rules);
    // Subnet 1's slot is consumed (run or skipped): `SubnetEpochIndex` advances by one.
    let k = storage_key_hex("SubnetEpochIndex", &[KeyArg::U16(NET)]).unwrap();
    let index = state.current_epoch_index; // the parent's index + 1 (the reader's own rule)
    child
        .storage
        .insert(k, Some(hex::encode(&index.to_le_bytes())));
    if report.distributions.contains_key(&NET) {
        let d = report.distributions[&NET].drained;
        assert_eq!(d.server + d.validator + d.root_alpha, emission);
        child.storage.extend(snap.outputs.clone());
        let k = storage_key_hex("LastMechansimStepBlock", &[KeyArg::U16(NET)]).unwrap();
        child
            .storage
            .insert(k, Some(hex::encode(&block.to_le_bytes())));
    }
    Pair {
        parent,
        child,
        n: state.n,
        snap,
    }
}

pub fn pair(file: &str, block: u64, spec: u32) -> Pair {
    pair_with(file, block, spec, |_| {})
}

/// The scenario of `test_active_stake` (spec-425 pair at block 5002).
pub const ACTIVE: &str = "epoch__test_active_stake.json";

/// `KeyArg::Account(a)`.
pub fn acc(a: tao_engine::chain::types::AccountId32) -> KeyArg {
    KeyArg::Account(a)
}

/// The full key of `name[args]`, `0x` hex.
pub fn key(name: &str, args: &[KeyArg]) -> String {
    storage_key_hex(name, args).unwrap()
}

/// A `SafeFloat` as the chain stores it (mantissa u128, exponent i64).
pub fn sf(v: &tao_engine::stake::safe_float::SafeFloat) -> Vec<u8> {
    let mut b = v.mantissa().to_le_bytes().to_vec();
    b.extend(v.exponent().to_le_bytes());
    b
}

/// The value of item `it` for subnet `n` as captured, or its default when the key is absent.
pub fn read_raw(c: &Capture, it: &Item, n: u16) -> Option<Vec<u8>> {
    match c.storage.get(&it.key_hex(n))? {
        Some(h) => Some(hex::decode(h).unwrap()),
        None => (it.default)(),
    }
}

/// [`read_raw`] as a little-endian `u64`.
pub fn read_u64(c: &Capture, it: &Item, n: u16) -> Option<u64> {
    read_raw(c, it, n).map(|b| u64::from_le_bytes(b.try_into().unwrap()))
}

/// The fixture's pool of `n`: reserves, weights, reservoirs where captured.
pub fn fixture_pool(c: &Capture, n: u16) -> BalancerPool {
    BalancerPool {
        fee_rate: 0,
        minimum_reserve: 1_000_000,
        quote_weight: read_u64(c, &subnet_items::SWAP_BALANCER, n).unwrap(),
        reservoirs: Reservoirs {
            tao: read_u64(c, &subnet_items::TAO_RESERVOIR, n).unwrap_or(0),
            alpha: read_u64(c, &subnet_items::ALPHA_RESERVOIR, n).unwrap_or(0),
        },
        ..BalancerPool::dynamic(
            read_u64(c, &subnet_items::SUBNET_TAO, n).unwrap(),
            read_u64(c, &subnet_items::ALPHA_IN, n).unwrap(),
        )
    }
}

/// A started subnet with `pool`, alpha outstanding, moving price and miner burn; no epoch due
/// in the next block.
pub fn started_subnet(
    pool: BalancerPool,
    block: u64,
    alpha_out: u64,
    price: f64,
    burned: f64,
) -> SubnetState<BalancerPool> {
    let mut st = SubnetState::new(pool);
    st.alpha_out = alpha_out;
    st.protocol_alpha = alpha_out / 50;
    st.moving_price = I96F32::from_num(price);
    st.miner_burned = U96F32::from_num(burned);
    st.root_prop = U96F32::from_num(0.1);
    st.first_emission_block = Some(block - 400_000);
    st.tempo = 360;
    st.last_epoch_block = block - 100;
    st.blocks_since_last_step = 100;
    st.pending.server = 7_000_000_000;
    st.pending.validator = 5_000_000_000;
    st.pending.root_alpha = 300_000_000;
    st.pending.owner_cut = 2_000_000_000;
    st
}

/// Each key's CHILD value with one bit of its byte `at` flipped (`None`: the last byte) replays to
/// exactly one mismatch, at that key.
pub fn assert_each_tamper_is_one_mismatch(
    parent: &Capture,
    child: &Capture,
    keys: &[String],
    at: Option<usize>,
) {
    for key in keys {
        let mut bad = child.clone();
        let mut b = hex::decode(child.storage[key].as_ref().unwrap()).unwrap();
        let i = at.unwrap_or(b.len() - 1);
        b[i] ^= 1;
        bad.storage.insert(key.clone(), Some(hex::encode(&b)));
        let r = tao_engine::chain::replay_block::replay_block(parent, &bad).unwrap();
        let wrong: Vec<_> = r.items.iter().filter(|i| !i.equal).collect();
        assert_eq!(wrong.len(), 1, "{key}");
        assert_eq!(&wrong[0].key, key);
    }
}

/// Each `(item, netuid)` removed from PARENT moves exactly one output to `missing` (the one at
/// path `moved(item)`, naming the key), and the other `compared − 1` outputs stay equal.
pub fn assert_each_removal_moves_one(
    parent: &Capture,
    child: &Capture,
    removed: &[(Item, u16)],
    moved: impl Fn(&Item) -> String,
    compared: usize,
) {
    for (it, n) in removed {
        let key = it.key_hex(*n);
        let mut q = parent.clone();
        assert!(q.storage.remove(&key).is_some());
        let r = tao_engine::chain::replay_block::replay_block(&q, child).unwrap();
        assert_eq!(r.missing.len(), 1, "{key}: {:#?}", r.missing);
        assert_eq!(r.missing[0].item, moved(it));
        assert!(r.missing[0].needs.iter().any(|x| x.contains(&key)));
        assert_eq!(counts(&r), (compared - 1, 0, 1), "{key}");
    }
}

/// Each key removed from PARENT leaves exactly `left` outputs compared (all equal), and every
/// output listed under `missing` names that key.
pub fn assert_each_removal_leaves(parent: &Capture, child: &Capture, keys: &[String], left: usize) {
    for key in keys {
        let mut q = parent.clone();
        assert!(q.storage.remove(key).is_some());
        let r = tao_engine::chain::replay_block::replay_block(&q, child).unwrap();
        assert_eq!(counts(&r), (left, 0, r.missing.len()), "{key}");
        assert!(r
            .missing
            .iter()
            .all(|m| m.needs.iter().any(|n| n.contains(key.as_str()))));
    }
}

/// Every output compared and equal, nothing listed, and `items` outputs in all.
pub fn all_equal(r: &BlockReplay, items: usize) {
    let bad: Vec<_> = r.items.iter().filter(|i| !i.equal).collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(r.missing.is_empty(), "{:#?}", r.missing);
    assert_eq!(r.items.len(), items);
}

/// The items that mismatch.
pub fn wrong(r: &BlockReplay) -> Vec<String> {
    r.items
        .iter()
        .filter(|i| !i.equal)
        .map(|i| i.item.clone())
        .collect()
}
