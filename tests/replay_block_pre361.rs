//! `tao-replay block` at specs 348–352 (tags v3.2.15-348 … v3.2.19-352; `chain::replay_v3`, era
//! parameters in `chain::replay_v3_era`).
//!
//! Their coinbase is 361's (user-flow shares, the injection capped at the alpha emission alone,
//! the chain buy's alpha recycled and drawn from `SubnetAlphaInProvided` first, a swap step
//! without output going on, no `RootProp`, `TotalIssuance += tao_in + excess`) but for two
//! things: every subnet with a `FirstEmissionBlockNumber` emits, and one allowing neither
//! registration nor PoW registration has its `tao_in`, `alpha_in` and `alpha_out` zeroed while
//! its excess is still bought and issued; and `get_alpha_issuance` does not count
//! `SubnetAlphaInProvided`. The children are derived by hand (`Rule::Pre361` in
//! `tests/support/v3_child.rs`). A tampered child value is exactly one mismatch; a removed
//! parent key moves exactly its dependants to `missing`; 361's rules mismatch the 348 child.

#[path = "support/replay_block.rs"]
mod support;
#[path = "support/v3_block.rs"]
mod v3_block;
#[path = "support/v3_child.rs"]
mod v3_child;

use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::replay_block;

use support::*;
use v3_block::*;
use v3_child::*;

fn flows(mut x: Sn, tao_flow: i64, user: i64) -> Sn {
    x.tao_flow = tao_flow;
    x.ema_user = Some((BLOCK - 1, user));
    x.ema_protocol = None;
    x
}

/// SN1 buys with its excess, SN2 does not; both hold provided alpha.
fn built() -> Vec<Sn> {
    let mut v = vec![
        flows(
            sn(
                1,
                Some((60_000_000_000_000, 1_500_000_000_000_000)),
                2_500_000_000_000_000,
                0.6,
                0.0,
            ),
            5_000_000_000_000,
            3_000_000_000_000,
        ),
        flows(
            sn(
                2,
                Some((9_000_000_000_000, 3_000_000_000_000)),
                4_000_000_000_000,
                2.5,
                0.0,
            ),
            -100_000_000_000,
            1_000_000_000_000,
        ),
    ];
    v[0].provided = 1_000;
    v[1].provided = 7_000_000_000_000;
    v
}

fn real() -> Vec<Sn> {
    let mut v = vec![
        flows(
            sn(1, None, 2_000_000_000_000_000, 0.01, 0.0),
            1_000_000_000,
            90_000_000_000,
        ),
        flows(
            sn(19, None, 2_600_000_000_000_000, 0.011, 0.0),
            0,
            40_000_000_000,
        ),
        flows(
            sn(64, None, 3_100_000_000_000_000, 0.09, 0.0),
            -2_000_000_000,
            70_000_000_000,
        ),
    ];
    for (i, x) in v.iter_mut().enumerate() {
        x.provided = 3_000_000_000 * (i as u64 + 1);
    }
    v
}

/// The pair at `spec`: the parent without what these runtimes lack, the child by hand without
/// `RootProp` (none before 365).
fn pair(spec: u32, sns: &[Sn], base: Option<&Capture>) -> (Capture, Capture, Vec<Derived>) {
    let mut p = parent_at(spec, base, sns);
    strip_credit_era(&mut p, sns);
    let (mut c, d) = child_at(&p, sns, Rule::Pre361);
    for x in sns {
        c.storage.remove(&s::ROOT_PROP.key_hex(x.n));
    }
    (p, c, d)
}

/// Per subnet 20 outputs less `RootProp`, +1 `SubnetAlphaInProvided`, +2 with a buy
/// (`AlphaSqrtPrice`, `CurrentTick`), +2 flow items (the user EMA, the reset `SubnetTaoFlow`);
/// SN5's schedule, `TotalIssuance`, `TotalStake`.
const BUILT_ITEMS: usize = 2 * (20 - 1 + 1 + 2) + 2 + 1 + 2;

#[test]
fn a_348_to_352_block_replays_every_output() {
    for spec in 348..=352 {
        let (p, c, d) = pair(spec, &built(), None);
        assert!(
            d[0].excess > 0 && d[0].bought > d[0].excess / 1_000_000,
            "{d:?}"
        );
        assert!(
            d[0].bought > 1_000,
            "the buy draws past the provided alpha: {d:?}"
        );
        all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
    }
}

#[test]
fn a_348_block_over_real_v3_pools_replays_every_output() {
    let base = fixture("real/finney_b7000020_spec348_v3_completed_built.json");
    let (p, c, d) = pair(348, &real(), Some(&base));
    let buys = d.iter().filter(|x| x.excess > 0).count();
    assert!(buys > 0, "{d:?}");
    all_equal(
        &replay_block(&p, &c).unwrap(),
        3 * (20 - 1 + 1 + 2) + 2 * buys + 1 + 2,
    );
}

#[test]
fn a_subnet_without_registration_emits_only_its_excess_at_348() {
    let mut sns = built();
    sns[0].registers = false;
    let (p, c, d) = pair(348, &sns, None);
    assert_eq!((d[0].tao_in, d[0].alpha_in), (0, 0));
    assert!(d[0].excess > 0 && d[0].bought > 0, "{d:?}");
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, BUILT_ITEMS);
    let zero = |it: &tao_engine::chain::coinbase_items::Item| {
        let k = it.key_hex(1);
        hex::decode(c.storage[&k].as_ref().unwrap()).unwrap() == 0u64.to_le_bytes()
    };
    assert!(zero(&s::TAO_IN_EMISSION) && zero(&s::ALPHA_OUT_EMISSION));
    // 361's rules: SN1 does not emit at all, SN2 takes the whole block emission.
    let mut q = p.clone();
    q.spec_version = 361;
    let r = replay_block(&q, &c).unwrap();
    let bad = wrong(&r);
    for it in [s::SUBNET_TAO, s::TAO_IN_EMISSION, g::TOTAL_ISSUANCE] {
        assert!(bad.contains(&it.path()), "{bad:?}");
    }
    assert!(r
        .items
        .iter()
        .all(|i| i.key != s::ALPHA_OUT_EMISSION.key_hex(1)));
}

#[test]
fn spec_361s_rules_count_the_provided_alpha_and_mismatch_the_348_child() {
    let mut sns = built();
    sns[1].provided = 900_000_000_000_000;
    let (p, c, _) = pair(348, &sns, None);
    all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
    let mut q = p.clone();
    q.spec_version = 361;
    let bad = wrong(&replay_block(&q, &c).unwrap());
    assert!(bad.contains(&s::PENDING_VALIDATOR.path()), "{bad:?}");
}

#[test]
fn a_tampered_348_value_is_exactly_one_mismatch() {
    let (p, c, _) = pair(348, &built(), None);
    let keys = [
        v::EMA_TAO_FLOW.key_hex(2),
        s::TAO_IN_EMISSION.key_hex(1),
        s::ALPHA_IN_PROVIDED.key_hex(1),
        s::ALPHA_OUT.key_hex(1),
        s::PENDING_OWNER_CUT.key_hex(2),
        v::SUBNET_VOLUME.key_hex(1),
        g::TOTAL_ISSUANCE.key_hex(0),
    ];
    assert_each_tamper_is_one_mismatch(&p, &c, &keys, Some(0));
}

#[test]
fn a_removed_348_parent_key_moves_exactly_its_dependants() {
    let (p, c, _) = pair(348, &built(), None);
    let removed = [(s::PENDING_OWNER_CUT, 2), (v::SUBNET_VOLUME, 1)];
    assert_each_removal_moves_one(&p, &c, &removed, |it: &Item| it.path(), BUILT_ITEMS);
    // SN2's provided alpha is in no issuance at 348, only in its pool's alpha reserve (read
    // with its price): SN2's outputs and the two totals its `tao_in` enters move, each naming
    // the key; SN1 and the three schedules are still compared.
    let key = s::ALPHA_IN_PROVIDED.key_hex(2);
    let mut q = p.clone();
    assert!(q.storage.remove(&key).is_some());
    let r = replay_block(&q, &c).unwrap();
    let totals = [g::TOTAL_ISSUANCE.path(), g::TOTAL_STAKE.path()];
    assert!(r
        .missing
        .iter()
        .any(|m| m.item == s::ALPHA_IN_PROVIDED.path()));
    for m in &r.missing {
        assert!(
            m.args.starts_with("[2") || totals.contains(&m.item),
            "{m:?}"
        );
        assert!(m.needs.iter().any(|n| n.contains(&key)), "{m:?}");
    }
    assert!(r
        .items
        .iter()
        .any(|i| i.key == s::PENDING_VALIDATOR.key_hex(1) && i.equal));
    // Compared, all equal: SN1's 24 outputs (its schedule included), SN2's schedule and its two
    // flow items (the flow EMA reads no pool), SN5's schedule.
    assert_eq!(counts(&r), (24 + 3 + 1, 0, r.missing.len()));
    let kept = [
        s::BLOCKS_SINCE_LAST_STEP.path(),
        v::EMA_TAO_FLOW.path(),
        v::SUBNET_TAO_FLOW.path(),
    ];
    assert!(r
        .items
        .iter()
        .all(|i| kept.contains(&i.item) || !i.args.starts_with("[2")));
    // 361 counts it in every subnet's alpha issuance: only the schedules are compared.
    let mut q361 = q.clone();
    q361.spec_version = 361;
    assert_eq!(counts(&replay_block(&q361, &c).unwrap()).0, 3);
    // The registration flag and the flow inputs decide every share: only schedules compared.
    for key in [
        s::REGISTRATION_ALLOWED.key_hex(1),
        v::EMA_TAO_FLOW.key_hex(1),
    ] {
        let mut q = p.clone();
        assert!(q.storage.remove(&key).is_some());
        let r = replay_block(&q, &c).unwrap();
        assert_eq!(counts(&r), (3, 0, r.missing.len()), "{key}");
        assert!(r
            .missing
            .iter()
            .all(|m| m.needs.iter().any(|n| n.contains(&key))));
    }
}
