//! `replay block` and `replay epoch` of an epoch whose liquid alpha picks its consensus by
//! `LiquidAlphaConsensusMode` (spec 446+, `consensus::consensus_mode`), on the epoch pair of
//! tests/support/replay_block.rs with Yuma3 and liquid alpha switched on at the parent.
//!
//! The child's epoch writes are the engine's own (what it computes from the parent with the
//! stored `Consensus` it is given): a pair the engine writes must replay to itself, and changing
//! only the parent's stored consensus must then change the bonds where the mode reads it, and
//! nothing where it does not.

#[path = "support/replay_block.rs"]
mod support;

use std::collections::BTreeMap;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::capture_epoch::{not_replayable, CONSENSUS_BY_MECHANISM_NOT_READ};
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::{replay_block, BlockReplay};
use tao_engine::chain::replay_epoch::replay_epoch;
use tao_engine::chain::snapshot_read::ChainState;
use tao_engine::chain::storage::KeyArg;
use tao_engine::consensus::ConsensusMode;
use tao_engine::runtime::Rules;

use support::*;

/// The scenario's epoch at 5003, where both validators are active (at 5002 one is not, and all
/// dividends go to the other whatever the bonds).
const BLOCK: u64 = 5003;

/// The epoch's own writes (one mechanism): Incentive, a bond row per uid, the per-netuid vectors.
fn epoch_item(item: &str) -> bool {
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

/// A stored value at the parent: `Some(bytes)`, or `None` for a key absent on chain.
fn put(c: &mut Capture, name: &str, value: Option<Vec<u8>>) {
    let k = key(name, &[KeyArg::U16(NET)]);
    c.storage.insert(k, value.map(|v| hex::encode(&v)));
}

/// A `Vec<u16>` as SCALE.
fn u16s(v: &[u16]) -> Vec<u8> {
    let mut b = vec![u8::try_from(v.len() * 4).unwrap()];
    assert!(v.len() < 64, "one-byte compact length");
    for x in v {
        b.extend(x.to_le_bytes());
    }
    b
}

/// The pair at `spec` with Yuma3 and liquid alpha on, bonds penalty `penalty`, the mode's SCALE
/// byte (`None`: absent on chain, so `Auto`) and the stored consensus (`None`: absent on chain).
/// The bonds start empty: where a bond exceeds its weight liquid alpha reads no consensus.
fn parent(spec: u32, penalty: u16, mode: Option<u8>, stored: Option<&[u16]>) -> Pair {
    let mut p = pair(ACTIVE, BLOCK, spec);
    for uid in 0..p.n {
        let k = key("Bonds", &[KeyArg::U16(NET), KeyArg::U16(uid)]);
        p.parent.storage.insert(k, None);
    }
    put(&mut p.parent, "Yuma3On", Some(vec![1]));
    put(&mut p.parent, "LiquidAlphaOn", Some(vec![1]));
    put(
        &mut p.parent,
        "BondsPenalty",
        Some(penalty.to_le_bytes().to_vec()),
    );
    put(
        &mut p.parent,
        "LiquidAlphaConsensusMode",
        mode.map(|m| vec![m]),
    );
    put(&mut p.parent, "Consensus", stored.map(u16s));
    p
}

/// The epoch's writes as the engine computes them from `parent` (key → value).
fn epoch_writes(parent: &Capture, child: &Capture) -> BTreeMap<String, Option<String>> {
    let r = replay_block(parent, child).unwrap();
    assert!(
        !r.missing.iter().any(|m| epoch_item(&m.item)),
        "{:#?}",
        r.missing
    );
    let w: BTreeMap<_, _> = r
        .items
        .iter()
        .filter(|i| epoch_item(&i.item))
        .map(|i| (i.key.clone(), i.actual.clone()))
        .collect();
    assert!(w.len() > 9, "{w:?}");
    w
}

/// The child with the engine's epoch writes for `parent`.
fn engine_child(p: &Pair) -> Capture {
    let mut child = p.child.clone();
    child.storage.extend(epoch_writes(&p.parent, &p.child));
    child
}

/// Mismatched epoch items by item name.
fn mismatched(r: &BlockReplay) -> Vec<&str> {
    r.items
        .iter()
        .filter(|i| !i.equal && epoch_item(&i.item))
        .map(|i| i.item.as_str())
        .collect()
}

fn stored(p: &Pair) -> Vec<u16> {
    // Far from the fresh consensus: all of it on the last uid.
    let mut v = vec![0u16; usize::from(p.n)];
    if let Some(last) = v.last_mut() {
        *last = u16::MAX;
    }
    v
}

#[test]
fn auto_at_the_highest_bonds_penalty_reads_the_stored_consensus() {
    let base = pair(ACTIVE, BLOCK, 475);
    let s = stored(&base);
    let p = parent(475, u16::MAX, None, Some(&s));
    let child = engine_child(&p);
    // The engine-written pair replays to itself, the epoch's writes included.
    let r = replay_block(&p.parent, &child).unwrap();
    assert!(mismatched(&r).is_empty() && r.success(), "{}", r.summary());
    assert!(r.items.iter().filter(|i| epoch_item(&i.item)).count() > 9);

    // Another stored consensus, nothing else changed: the bonds move (the liquid alphas); the
    // fresh consensus, incentive and trust do not. (The dividends need not: both validators set
    // the same weights here, so each column's alpha is the same for both and normalises away.)
    let mut other = p.parent.clone();
    let mut t = s.clone();
    t.rotate_left(1);
    put(&mut other, "Consensus", Some(u16s(&t)));
    let r = replay_block(&other, &child).unwrap();
    let bad = mismatched(&r);
    assert!(bad.contains(&"SubtensorModule.Bonds"), "{bad:?}");
    for same in ["Consensus", "Incentive", "ValidatorTrust"] {
        assert!(
            !bad.contains(&format!("SubtensorModule.{same}").as_str()),
            "{bad:?}"
        );
    }
    assert!(!r.success());

    // The fresh consensus instead (mode Current) gives other bonds than the stored one did.
    let current = epoch_writes(&parent(475, u16::MAX, Some(0), Some(&s)).parent, &p.child);
    assert_ne!(current, epoch_writes(&p.parent, &p.child));
}

#[test]
fn each_mode_and_runtime_picks_its_source() {
    let base = pair(ACTIVE, BLOCK, 475);
    let s = stored(&base);
    let mut t = s.clone();
    t.rotate_left(1);
    let writes = |spec, penalty, mode, stored: Option<&[u16]>| {
        let p = parent(spec, penalty, mode, stored);
        epoch_writes(&p.parent, &p.child)
    };
    let fresh = writes(475, u16::MAX, Some(0), Some(&s));
    let previous = writes(475, u16::MAX, Some(1), Some(&s));
    assert_ne!(fresh, previous);
    // Current ignores the stored vector; Previous reads it at any bonds penalty; Auto reads it
    // only at 65535.
    assert_eq!(writes(475, u16::MAX, Some(0), Some(&t)), fresh);
    assert_ne!(
        writes(475, 0, Some(1), Some(&s)),
        writes(475, 0, Some(0), Some(&s))
    );
    assert_eq!(writes(475, u16::MAX, None, Some(&s)), previous);
    assert_eq!(writes(475, u16::MAX, Some(2), Some(&s)), previous);
    assert_eq!(
        writes(475, u16::MAX - 1, Some(2), Some(&s)),
        writes(475, u16::MAX - 1, Some(0), Some(&s))
    );
    // An empty (absent) stored vector falls back to the fresh consensus.
    assert_eq!(writes(475, u16::MAX, Some(1), None), fresh);
    assert_eq!(writes(475, u16::MAX, Some(1), Some(&[])), fresh);
    // A longer vector is cut to n; a shorter one reads 0 past its end.
    let mut long = s.clone();
    long.extend([u16::MAX; 3]);
    assert_eq!(writes(475, u16::MAX, Some(1), Some(&long)), previous);
    let mut short = t.clone();
    short.truncate(short.len() - 1); // t's last entry is 0
    assert_eq!(
        writes(475, u16::MAX, Some(1), Some(&short)),
        writes(475, u16::MAX, Some(1), Some(&t))
    );
    // Spec 445 has no mode: the fresh consensus whatever the keys say.
    assert_eq!(
        writes(445, u16::MAX, Some(1), Some(&s)),
        writes(445, u16::MAX, Some(0), Some(&s))
    );
    assert_ne!(
        writes(446, u16::MAX, Some(1), Some(&s)),
        writes(446, u16::MAX, Some(0), Some(&s))
    );
}

#[test]
fn keys_not_captured_are_listed_by_item() {
    let base = pair(ACTIVE, BLOCK, 475);
    let s = stored(&base);
    let forget = |c: &mut Capture, name: &str| {
        c.storage.remove(&key(name, &[KeyArg::U16(NET)]));
    };
    let needs_of = |parent: &Capture, child: &Capture| -> Vec<String> {
        let r = replay_block(parent, child).unwrap();
        let epoch: Vec<_> = r.missing.iter().filter(|m| epoch_item(&m.item)).collect();
        assert!(!epoch.is_empty(), "{:#?}", r.missing);
        epoch.iter().flat_map(|m| m.needs.clone()).collect()
    };
    // The mode is not captured.
    let mut p = parent(475, u16::MAX, Some(1), Some(&s));
    forget(&mut p.parent, "LiquidAlphaConsensusMode");
    let needs = needs_of(&p.parent, &p.child);
    assert!(needs.iter().all(|n| n.starts_with("SubtensorModule.LiquidAlphaConsensusMode[1] (key 0x658faa385070e074c85bf6b568cf055535c32912d86f933ce83ce4a034b264f2")), "{needs:?}");
    // The mode picks the stored consensus, which is not captured.
    let mut p = parent(475, u16::MAX, Some(1), Some(&s));
    forget(&mut p.parent, "Consensus");
    let needs = needs_of(&p.parent, &p.child);
    assert!(
        needs
            .iter()
            .all(|n| n.starts_with("SubtensorModule.Consensus[1] (key")),
        "{needs:?}"
    );
    // Under Current the stored consensus is never asked for; before 446 neither is the mode.
    let mut p = parent(475, u16::MAX, Some(0), Some(&s));
    forget(&mut p.parent, "Consensus");
    epoch_writes(&p.parent, &p.child);
    let mut p = parent(445, u16::MAX, None, None);
    forget(&mut p.parent, "Consensus");
    forget(&mut p.parent, "LiquidAlphaConsensusMode");
    epoch_writes(&p.parent, &p.child);
    // A value outside the enum is a decode error naming the item.
    let p = parent(475, u16::MAX, Some(3), Some(&s));
    let e = replay_block(&p.parent, &p.child).unwrap_err();
    assert_eq!(
        e.field.as_deref(),
        Some("LiquidAlphaConsensusMode[1]"),
        "{e:?}"
    );
}

#[test]
fn replay_epoch_reads_the_same_source() {
    let base = pair(ACTIVE, BLOCK, 473);
    let s = stored(&base);
    let p = parent(473, u16::MAX, None, Some(&s));
    let child = engine_child(&p);
    let r = replay_epoch(&p.parent, NET, Some(&child), None).unwrap();
    assert!(
        r.items.len() > 9 && r.items.iter().all(|i| i.equal),
        "{:#?}",
        r.items
    );
    assert!(
        r.missing
            .iter()
            .all(|m| m.item == "SubtensorModule.Emission"),
        "{:#?}",
        r.missing
    );
    let mut other = p.parent.clone();
    let mut t = s.clone();
    t.rotate_left(1);
    put(&mut other, "Consensus", Some(u16s(&t)));
    let r = replay_epoch(&other, NET, Some(&child), None).unwrap();
    assert!(r
        .items
        .iter()
        .any(|i| !i.equal && i.item == "SubtensorModule.Bonds"));
    assert!(r
        .items
        .iter()
        .all(|i| i.equal || i.item == "SubtensorModule.Bonds"));
}

#[test]
fn several_mechanisms_reading_the_previous_consensus_are_not_replayed() {
    let rules = Rules::for_spec(475).unwrap();
    let mut st = ChainState::default();
    let hp = &mut st.hyperparameters;
    hp.yuma3_enabled = true;
    hp.liquid_alpha_enabled = true;
    hp.bonds_penalty = u16::MAX;
    hp.mechanism_count = 2;
    assert_eq!(
        not_replayable(&st, &rules),
        Some(vec![CONSENSUS_BY_MECHANISM_NOT_READ.to_string()])
    );
    // One mechanism, the fresh consensus, or a runtime without the mode: replayed.
    for edit in [
        |s: &mut ChainState| s.hyperparameters.mechanism_count = 1,
        |s: &mut ChainState| s.hyperparameters.liquid_alpha_consensus_mode = ConsensusMode::Current,
        |s: &mut ChainState| s.hyperparameters.bonds_penalty = 0,
        |s: &mut ChainState| s.hyperparameters.liquid_alpha_enabled = false,
    ] {
        let mut s = st.clone();
        edit(&mut s);
        assert_eq!(not_replayable(&s, &rules), None);
    }
    assert_eq!(not_replayable(&st, &Rules::for_spec(445).unwrap()), None);
}

#[test]
fn an_epoch_snapshot_that_names_its_runtime_reads_the_source_too() {
    let mut snap = scenario(ACTIVE, BLOCK);
    let nu = [KeyArg::U16(NET)];
    for item in ["Yuma3On", "LiquidAlphaOn"] {
        snap.inputs.insert(key(item, &nu), Some("0x01".into()));
    }
    snap.inputs
        .insert(key("BondsPenalty", &nu), Some("0xffff".into()));
    let mode = key("LiquidAlphaConsensusMode", &nu);
    let stored = key("Consensus", &nu);
    snap.inputs.remove(&mode);
    snap.inputs.remove(&stored);
    // The runtime asks for the mode, then (Auto at penalty 1) for the stored consensus.
    snap.spec_version = Some(475);
    assert_eq!(snap.plan().unwrap().keys, vec![mode.clone()]);
    snap.inputs.insert(mode.clone(), None);
    assert_eq!(snap.plan().unwrap().keys, vec![stored.clone()]);
    snap.inputs
        .insert(stored.clone(), Some(hex::encode(&u16s(&[7, 8, 9]))));
    assert_eq!(
        snap.chain_state().unwrap().previous_consensus,
        vec![7, 8, 9]
    );
    // A runtime without the mode, or a snapshot that does not name one, reads neither.
    for spec in [Some(445), None] {
        snap.spec_version = spec;
        snap.inputs.remove(&mode);
        snap.inputs.remove(&stored);
        let st = snap.chain_state().unwrap();
        assert!(st.previous_consensus.is_empty(), "{spec:?}");
    }
}

#[test]
fn the_liquid_alpha_gate_is_decided_on_the_fresh_consensus() {
    let base = pair(ACTIVE, BLOCK, 475);
    let zeros = vec![0u16; usize::from(base.n)];
    let s = stored(&base);
    let writes = |p: &Pair| epoch_writes(&p.parent, &p.child);
    let liquid_off = |mut p: Pair| {
        put(&mut p.parent, "LiquidAlphaOn", Some(vec![0]));
        p
    };
    // A fresh consensus with weight and a stored one of zeros: liquid alpha runs, on the zeros
    // (neither the fixed-alpha EMA nor liquid alpha on the fresh consensus).
    let on_zeros = writes(&parent(475, u16::MAX, Some(1), Some(&zeros)));
    assert_ne!(
        on_zeros,
        writes(&liquid_off(parent(475, u16::MAX, Some(1), Some(&zeros))))
    );
    assert_ne!(
        on_zeros,
        writes(&parent(475, u16::MAX, Some(0), Some(&zeros)))
    );
    // No weights (a zero fresh consensus) and a stored consensus with weight: the fixed-alpha
    // EMA, as with liquid alpha off. The scenario's bonds are kept so the EMA has work to do.
    let no_weights = |mut p: Pair| {
        for uid in 0..p.n {
            let args = [KeyArg::U16(NET), KeyArg::U16(uid)];
            p.parent.storage.insert(key("Weights", &args), None);
            let b = key("Bonds", &args);
            p.parent
                .storage
                .insert(b.clone(), base.parent.storage.get(&b).cloned().flatten());
        }
        p
    };
    let gated = writes(&no_weights(parent(475, u16::MAX, Some(1), Some(&s))));
    let fixed = writes(&liquid_off(no_weights(parent(
        475,
        u16::MAX,
        Some(1),
        Some(&s),
    ))));
    assert_eq!(gated, fixed);
    // (The bonds are not all zero, so the two EMAs would differ.)
    assert!(
        (0..base.n).any(|uid| {
            let b = key("Bonds", &[KeyArg::U16(NET), KeyArg::U16(uid)]);
            base.parent
                .storage
                .get(&b)
                .cloned()
                .flatten()
                .is_some_and(|v| v != "0x00")
        }),
        "no stored bonds"
    );
}
