//! Pairs at a v3 runtime (411–422) whose child block runs subnet 1's epoch, for
//! tests/replay_block_v3_epoch.rs.
//!
//! The coinbase is the BUILT v3 pair of tests/support/v3_block.rs (child derived by hand from the
//! tag's code, tests/support/v3_child.rs); subnet 1 carries one of the chain's own epoch test
//! scenarios (`data/yuma/epoch`, as tests/replay_block_epoch.rs uses them), and the child holds
//! the scenario's outputs, which the chain computed.
//!
//! The scenario ran at its block `b0` under the stateful epoch (423+); the legacy epoch of these
//! runtimes reads the same values but for three inputs ([`tao_engine::runtime::timeline::
//! HISTORICAL_RULES`]), which the pair sets so that every comparison the epoch makes comes out
//! as in the scenario, and asserts that it does:
//! * every block value (`LastUpdate`, `BlockAtRegistration`) is shifted by `BLOCK + 1 − b0`,
//!   which keeps `last_update + cutoff < block` and `last_update < registered`;
//! * `ActivityCutoff` is the scenario's `max(1, factor·tempo/1000)`;
//! * subnet 1's tempo `t` makes the legacy schedule due at `BLOCK + 1` and puts no registration
//!   between `BLOCK + 1 − t` (the legacy bond mask) and the scenario's own reference block;
//! * no commits (their stored layout differs before 423), no root stake (the coinbase's
//!   `TaoWeight` is kept).
//!
//! The drained buckets of subnet 1 (this block's accrual included) are set to the scenario's
//! emission. The payout's inputs are then answered as the replay asks for them (owners derived
//! from the hotkeys, each pool owned by its hotkey's owner alone), and the child takes the
//! engine's payout writes (the payout's own values are the 423 path's, checked there).
#![allow(dead_code)]

use crate::payout_pair::{coldkey_of, needed_inputs};
use crate::support::{self, acc, key, sf, NET};
use crate::v3_block::*;
use crate::v3_child::*;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{subnet as s, v3 as v};
use tao_engine::chain::hex;
use tao_engine::chain::scale::{decode_all, encode};
use tao_engine::chain::snapshot::Snapshot;
use tao_engine::chain::storage::{netuid_index, KeyArg};
use tao_engine::chain::types::AccountId32;
use tao_engine::stake::safe_float::SafeFloat;

pub struct EpochPair {
    pub parent: Capture,
    pub child: Capture,
    pub snap: Snapshot,
    /// Uids of subnet 1.
    pub n: u16,
    /// Subnet 1's tempo.
    pub tempo: u16,
}

/// The coinbase subnets: the BUILT pair's, subnet 1 at `tempo`.
fn sns(spec: u32, tempo: u16, server: u64) -> Vec<Sn> {
    let mut a = sn(
        1,
        Some((60_000_000_000_000, 1_500_000_000_000_000)),
        2_500_000_000_000_000,
        0.6,
        0.0,
    );
    let mut b = sn(
        2,
        Some((9_000_000_000_000, 3_000_000_000_000)),
        4_000_000_000_000,
        2.5,
        0.0,
    );
    a.tempo = tempo;
    a.pending[0] = server;
    if spec < 421 {
        for (x, f) in [(&mut a, 5_000_000_000_000i64), (&mut b, -100_000_000_000)] {
            x.tao_flow = f;
            x.ema_user = Some((BLOCK - 1, 3_000_000_000_000));
            x.ema_protocol = Some((BLOCK - 1, 1_000_000_000_000));
        }
    }
    vec![a, b]
}

fn rule(spec: u32) -> Rule {
    if spec <= 354 {
        Rule::AlphaCapUncounted
    } else if spec <= 361 || spec == 363 {
        Rule::UserFlowAlphaCap
    } else if spec <= 402 {
        Rule::UserFlow
    } else if spec < 421 {
        Rule::Flow {
            recycle: spec <= 411,
        }
    } else {
        Rule::RootProp
    }
}

fn shift_u64(v: &str, d: u64) -> String {
    let x = u64::from_le_bytes(hex::decode(v).unwrap().try_into().unwrap());
    hex::encode(&(x + d).to_le_bytes())
}

fn shift_vec(v: &str, d: u64) -> String {
    let x = decode_all::<Vec<u64>>(&hex::decode(v).unwrap()).unwrap();
    let y: Vec<u64> = x.into_iter().map(|b| b + d).collect();
    hex::encode(&encode::<Vec<u64>>(&y))
}

/// The pair for the scenario `file`'s epoch at `block`, at `spec` (see the module doc).
pub fn epoch_pair(file: &str, block: u64, spec: u32) -> EpochPair {
    let snap = support::scenario(file, block);
    let state = snap.chain_state().unwrap();
    let emission = snap.emission_override().unwrap().unwrap();
    let hp = state.hyperparameters.clone();
    assert!(state.mechanisms.iter().all(|m| m.commits.is_empty()));
    assert!(state.tao_stake.iter().all(|x| *x == 0));
    let at = BLOCK + 1;
    let d = at - block;
    let reference = if state.last_mechanism_step_block == 0 {
        block.saturating_sub(u64::from(hp.tempo))
    } else {
        state.last_mechanism_step_block + 1
    };
    let regs: Vec<u64> = state
        .block_at_registration
        .iter()
        .zip(&state.hotkeys)
        .filter(|(_, h)| h.is_some())
        .map(|(r, _)| *r)
        .collect();
    let tempo = (1..=u16::MAX)
        .find(|t| {
            let t64 = u64::from(*t);
            (at + u64::from(NET) + 1) % (t64 + 1) == t64
                && regs
                    .iter()
                    .all(|r| (reference <= *r) == (at.saturating_sub(t64) <= r + d))
        })
        .expect("a tempo that keeps the bond mask");
    // The legacy cutoff is a u16: a longer scenario cutoff stands as u16::MAX where that keeps
    // every uid's activity.
    let cutoff = u16::try_from(hp.activity_cutoff_blocks()).unwrap_or(u16::MAX);
    for m in &state.mechanisms {
        for lu in &m.last_update {
            assert_eq!(
                lu + hp.activity_cutoff_blocks() < block,
                lu + d + u64::from(cutoff) < at
            );
        }
    }
    // The scenario's inputs, block values shifted.
    let mut inputs = snap.inputs.clone();
    for m in 0..hp.mechanism_count {
        let idx = netuid_index(NET, m).unwrap();
        let k = key("LastUpdate", &[KeyArg::U16(idx)]);
        if let Some(Some(v)) = inputs.get(&k).cloned() {
            inputs.insert(k, Some(shift_vec(&v, d)));
        }
    }
    for uid in 0..state.n {
        let k = key("BlockAtRegistration", &[KeyArg::U16(NET), KeyArg::U16(uid)]);
        if let Some(Some(v)) = inputs.get(&k).cloned() {
            inputs.insert(k, Some(shift_u64(&v, d)));
        }
    }
    let cut_key = key("ActivityCutoff", &[KeyArg::U16(NET)]);
    inputs.insert(cut_key, Some(hex::encode(&cutoff.to_le_bytes())));
    // Subnet 1's buckets after this block's accrual: the scenario's emission.
    let build = |server: u64| {
        let sns = sns(spec, tempo, server);
        let mut p = parent_at(spec, None, &sns);
        for (k, v) in &inputs {
            p.storage.entry(k.clone()).or_insert(v.clone());
        }
        let (c, _) = child_at(&p, &sns, rule(spec));
        (p, c)
    };
    let sum = |c: &Capture| -> u64 {
        [
            s::PENDING_SERVER,
            s::PENDING_VALIDATOR,
            s::PENDING_ROOT_ALPHA,
        ]
        .iter()
        .map(|it| support::read_u64(c, it, NET).unwrap())
        .sum()
    };
    // With no server alpha pending, the child holds the other two buckets and the accrual.
    let (_, c0) = build(0);
    let rest = sum(&c0);
    assert!(rest <= emission, "{rest} > {emission}");
    let (mut parent, mut child) = build(emission - rest);
    assert_eq!(sum(&child), emission);
    // The drain: buckets and counter to 0, the step block.
    for it in [
        s::PENDING_SERVER,
        s::PENDING_VALIDATOR,
        s::PENDING_ROOT_ALPHA,
        s::PENDING_OWNER_CUT,
        s::BLOCKS_SINCE_LAST_STEP,
    ] {
        put(&mut child, &it, NET, &0u64.to_le_bytes());
    }
    put(
        &mut child,
        &v::LAST_MECHANISM_STEP_BLOCK,
        NET,
        &at.to_le_bytes(),
    );
    child.storage.extend(snap.outputs.clone());
    complete_payout(&mut parent, &mut child);
    EpochPair {
        parent,
        child,
        n: state.n,
        tempo,
        snap,
    }
}

/// Answer the payout's parent keys as it asks for them, then give the child the written keys
/// with the engine's values.
fn complete_payout(parent: &mut Capture, child: &mut Capture) {
    let alpha = |c: &Capture, h: &str| -> u64 {
        let k = key(
            "TotalHotkeyAlpha",
            &[acc(AccountId32::from_hex(h).unwrap()), KeyArg::U16(NET)],
        );
        match c.storage.get(&k).cloned().flatten() {
            Some(v) => u64::from_le_bytes(hex::decode(&v).unwrap().try_into().unwrap()),
            None => 0,
        }
    };
    for round in 0.. {
        assert!(round < 6, "the payout keeps asking for inputs");
        let r = tao_engine::chain::replay_block::replay_block(parent, child).unwrap();
        let needs = needed_inputs(&r);
        if needs.is_empty() {
            break;
        }
        for (name, args, k) in needs {
            let parts: Vec<&str> = args.split(',').collect();
            let value = match name.as_str() {
                "Owner" => Some(coldkey_of(parts[0]).0.to_vec()),
                "TotalHotkeySharesV2" => {
                    let v = alpha(parent, parts[0]);
                    (v > 0).then(|| sf(&SafeFloat::from_u64(v)))
                }
                "AlphaV2" if coldkey_of(parts[0]).to_hex() == parts[1] => {
                    let v = alpha(parent, parts[0]);
                    (v > 0).then(|| sf(&SafeFloat::from_u64(v)))
                }
                _ => None,
            };
            parent.storage.insert(k, value.map(|v| hex::encode(&v)));
        }
    }
    let r = tao_engine::chain::replay_block::replay_block(parent, child).unwrap();
    for m in &r.missing {
        for n in &m.needs {
            if let Some(k) = n
                .strip_prefix("CHILD: ")
                .and_then(|x| x.rsplit_once("(key "))
            {
                child.storage.insert(k.1.trim_end_matches(')').into(), None);
            }
        }
    }
    let r = tao_engine::chain::replay_block::replay_block(parent, child).unwrap();
    for i in r.items.iter().filter(|i| !i.equal) {
        assert!(payout_item(&i.item), "{} {}", i.item, i.args);
        child.storage.insert(i.key.clone(), i.actual.clone());
    }
}

/// Whether `item` is one the payout writes.
pub fn payout_item(item: &str) -> bool {
    [
        "TotalHotkeyAlpha",
        "TotalHotkeySharesV2",
        "AlphaV2",
        "TotalHotkeyShares",
        "Alpha",
        "TotalHotkeyAlphaLastEpoch",
        "AlphaDividendsPerSubnet",
        "RootAlphaDividendsPerSubnet",
        "MinerBurned",
        "RootClaimable",
    ]
    .iter()
    .any(|n| item == format!("SubtensorModule.{n}"))
}

/// Whether `item` is one the epoch writes (but `LastMechansimStepBlock`, the drain's).
pub fn epoch_item(item: &str) -> bool {
    [
        "Incentive",
        "Bonds",
        "Active",
        "Emission",
        "Consensus",
        "Dividends",
        "ValidatorTrust",
        "ValidatorPermit",
        "StakeWeight",
    ]
    .iter()
    .any(|n| item == format!("SubtensorModule.{n}"))
}
