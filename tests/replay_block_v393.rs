//! `tao-replay block` at specs 353–354, 356–363, 365–377, 385, 391 and 393 (tags
//! v3.3.0-361 … v3.3.13-393; `chain::replay_v3`, era parameters in `chain::replay_v3_era`).
//!
//! Their coinbase is 401's (user-flow shares, no TAO credit, the chain buy's alpha recycled,
//! `TotalIssuance += tao_in + excess`) but for the emitting-subnet filter: a subnet emits when
//! registration *or* PoW registration is allowed (`NetworkPowRegistrationAllowed`, read only when
//! `NetworkRegistrationAllowed` is false). Up to 385 the chain buy's alpha leaves
//! `SubnetAlphaInProvided` first, which counts in the alpha issuance from 356 (not at 353–354); up
//! to 377 a swap step with input and no output goes on; up to 363 no `RootProp` is written; up to
//! 361 (and at 363) the injection is capped at the alpha emission alone. 353–354, 356–360, 363,
//! 368–370 and 375–376 have no tag: the commits carrying them are taken
//! (`runtime::timeline::HISTORICAL`). The pairs are those of `tests/replay_block_legacy_flow.rs`
//! (the parent stripped of what these runtimes lack, the child derived by hand, `Rule::UserFlow`, with the
//! provided alpha where set). A tampered child value is exactly one mismatch; a removed parent key
//! moves exactly its dependants to `missing`; the next era's rules mismatch (PoW-only subnet at
//! 393 under 401's, provided alpha at 385 under 391's, a zero-output step up to 377 under 385's
//! pool rule); the specs between stay unpinned.

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
use tao_engine::runtime::timeline::ERA_NOT_PINNED;

use support::*;
use v3_block::*;
use v3_child::*;

fn flows(mut x: Sn, tao_flow: i64, user: i64) -> Sn {
    x.tao_flow = tao_flow;
    x.ema_user = Some((BLOCK - 1, user));
    x.ema_protocol = None;
    x
}

fn built() -> Vec<Sn> {
    vec![
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
    ]
}

fn real() -> Vec<Sn> {
    vec![
        flows(
            sn(1, None, 2_000_000_000_000_000, 0.01, 0.0),
            1_000_000_000,
            90_000_000_000,
        ),
        flows(
            sn(19, None, 2_600_000_000_000_000, 0.011, 0.1),
            0,
            40_000_000_000,
        ),
        flows(
            sn(64, None, 3_100_000_000_000_000, 0.09, 0.0),
            -2_000_000_000,
            70_000_000_000,
        ),
    ]
}

/// The parent at 391/393: the items those runtimes lack are not captured.
fn legacy_parent(spec: u32, sns: &[Sn], base: Option<&Capture>) -> Capture {
    let mut p = parent_at(spec, base, sns);
    strip_credit_era(&mut p, sns);
    p
}

fn pair(spec: u32, sns: &[Sn], base: Option<&Capture>) -> (Capture, Capture, Vec<Derived>) {
    let p = legacy_parent(spec, sns, base);
    let rule = match spec {
        ..=354 => Rule::AlphaCapUncounted,
        ..=361 | 363 => Rule::UserFlowAlphaCap,
        _ => Rule::UserFlow,
    };
    let (c, d) = child_at(&p, sns, rule);
    (p, c, d)
}

/// Per subnet 20 outputs, +2 with a buy (`AlphaSqrtPrice`, `CurrentTick`), +2 flow items (the
/// user EMA, the reset `SubnetTaoFlow`); SN5's schedule, `TotalIssuance`, `TotalStake` (as 402).
const BUILT_ITEMS: usize = 2 * (20 + 2) + 2 + 1 + 2;

/// The built pair at `spec` with SN2 allowing PoW registration only (`pow`: its
/// `NetworkPowRegistrationAllowed`, `None` for not captured).
fn pow_only(spec: u32, pow: Option<bool>) -> (Capture, Capture) {
    let (mut p, c, _) = pair(spec, &built(), None);
    put(&mut p, &s::REGISTRATION_ALLOWED, 2, &[0]);
    if let Some(b) = pow {
        put(&mut p, &s::POW_REGISTRATION_ALLOWED, 2, &[u8::from(b)]);
    }
    (p, c)
}

#[test]
fn a_393_block_replays_every_output_with_401s_coinbase() {
    let (p, c, d) = pair(393, &built(), None);
    assert!(d[0].excess > 0 && d[0].bought > 0, "{d:?}");
    let (code, out) = run_bin(&p, &c, "v393");
    let last = out.trim_end().rsplit_once('\n').unwrap().1;
    assert_eq!(
        last,
        format!("{BUILT_ITEMS} equal, 0 mismatched, 0 missing")
    );
    assert_eq!(code, 0);
    // 391 has the same code; PoW registration is not read where registration is allowed (the
    // parent holds no NetworkPowRegistrationAllowed key).
    assert!(!p
        .storage
        .contains_key(&s::POW_REGISTRATION_ALLOWED.key_hex(1)));
    let (p, c, _) = pair(391, &built(), None);
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, BUILT_ITEMS);
    for it in [
        s::PROTOCOL_ALPHA,
        s::EXCESS_TAO,
        v::PROTOCOL_FLOW,
        v::EMA_PROTOCOL_FLOW,
        v::TOTAL_ALPHA_ISSUANCE,
        v::ALPHA_RECYCLED,
    ] {
        assert!(r.items.iter().all(|i| i.item != it.path()), "{}", it.path());
    }
}

#[test]
fn a_393_block_over_real_v3_pools_replays_every_output() {
    let base = fixture("real/finney_b7000020_spec348_v3_completed_built.json");
    let (p, c, d) = pair(393, &real(), Some(&base));
    let buys = d.iter().filter(|x| x.excess > 0).count();
    assert!(buys > 0, "{d:?}");
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, 3 * (20 + 2) + 2 * buys + 1 + 2);
}

#[test]
fn a_subnet_allowing_only_pow_registration_emits_at_393_and_not_under_401s_rules() {
    // SN2 emits at 393: the child derived with both subnets emitting is every output.
    let (p, c) = pow_only(393, Some(true));
    all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
    // Under 401's rules (and with PoW registration off at 393) SN2 does not emit: SN1 takes the
    // whole block emission, SN2 writes only its schedule.
    for (spec, pow) in [(401, Some(true)), (402, Some(true)), (393, Some(false))] {
        let (mut q, c) = pow_only(393, pow);
        q.spec_version = spec;
        let r = replay_block(&q, &c).unwrap();
        let bad = wrong(&r);
        for it in [s::SUBNET_TAO, s::ALPHA_IN, g::TOTAL_ISSUANCE] {
            assert!(bad.contains(&it.path()), "{spec}: {bad:?}");
        }
        assert!(r
            .items
            .iter()
            .all(|i| i.key != s::TAO_IN_EMISSION.key_hex(2)));
    }
}

#[test]
fn pow_registration_is_an_input_only_where_registration_is_not_allowed() {
    // SN2's PoW flag not captured: which subnets emit is unknown, so every share is; only the
    // three schedules are still compared, and every listed output names the key.
    let (p, c) = pow_only(393, None);
    let key = s::POW_REGISTRATION_ALLOWED.key_hex(2);
    let r = replay_block(&p, &c).unwrap();
    assert_eq!(counts(&r), (3, 0, r.missing.len()));
    assert!(!r.missing.is_empty());
    assert!(r
        .missing
        .iter()
        .all(|m| m.needs.iter().any(|n| n.contains(&key))));
    // 401 does not read it: SN2 simply does not emit there.
    let mut q = p.clone();
    q.spec_version = 401;
    let r = replay_block(&q, &c).unwrap();
    assert!(r
        .missing
        .iter()
        .all(|m| !m.needs.iter().any(|n| n.contains(&key))));
}

#[test]
fn a_tampered_393_value_is_exactly_one_mismatch() {
    let (p, c, _) = pair(393, &built(), None);
    let keys = [
        v::EMA_TAO_FLOW.key_hex(2),
        s::TAO_IN_EMISSION.key_hex(1),
        s::ALPHA_OUT.key_hex(1),
        s::PENDING_OWNER_CUT.key_hex(2),
        v::SUBNET_VOLUME.key_hex(1),
        g::TOTAL_ISSUANCE.key_hex(0),
    ];
    assert_each_tamper_is_one_mismatch(&p, &c, &keys, Some(0));
}

#[test]
fn a_removed_393_parent_key_moves_exactly_its_dependants() {
    let (p, c, _) = pair(393, &built(), None);
    let removed = [
        (s::PENDING_OWNER_CUT, 2),
        (v::SUBNET_VOLUME, 1),
        (s::EMA_HALVING, 2),
    ];
    let moved = |it: &Item| {
        if it.name == s::EMA_HALVING.name {
            s::MOVING_PRICE.path()
        } else {
            it.path()
        }
    };
    assert_each_removal_moves_one(&p, &c, &removed, moved, BUILT_ITEMS);
    // The registration flag decides which subnets emit: only the schedules are compared.
    let keys = [
        s::REGISTRATION_ALLOWED.key_hex(1),
        v::EMA_TAO_FLOW.key_hex(1),
        v::FLOW_EMA_SMOOTHING.key_hex(0),
    ];
    assert_each_removal_leaves(&p, &c, &keys, 3);
}

#[test]
fn the_unpinned_specs_before_401_list_every_output() {
    let (p, c, _) = pair(393, &built(), None);
    for spec in [347, 355, 364, 381, 384, 386, 387, 392, 394, 395] {
        let mut q = p.clone();
        q.spec_version = spec;
        let r = replay_block(&q, &c).unwrap();
        assert!(r.items.is_empty() && !r.success(), "{spec}");
        assert!(r.missing.iter().all(|m| m.needs == [ERA_NOT_PINNED]));
    }
}

/// The built pair at 385 with `provided` alpha on SN1 (the buyer) and SN2.
fn pair385(provided: [u64; 2]) -> (Capture, Capture, Vec<Derived>) {
    let mut sns = built();
    sns[0].provided = provided[0];
    sns[1].provided = provided[1];
    pair(385, &sns, None)
}

#[test]
fn a_385_block_counts_and_draws_the_provided_alpha() {
    // SN1's buy larger than its provided alpha (the rest from SubnetAlphaIn), then smaller.
    for prov in [[1_000, 7_000_000_000_000], [900_000_000_000_000, 1]] {
        let (p, c, d) = pair385(prov);
        assert!(d[0].bought > prov[0] || prov[0] > d[0].bought, "{d:?}");
        let r = replay_block(&p, &c).unwrap();
        // `SubnetAlphaInProvided` of each emitting subnet besides 393's outputs.
        all_equal(&r, BUILT_ITEMS + 2);
        // 391's rules neither count nor draw it: the issuance-derived items differ.
        let mut q = p.clone();
        q.spec_version = 391;
        let bad = wrong(&replay_block(&q, &c).unwrap());
        for it in [s::ROOT_PROP, s::PENDING_VALIDATOR] {
            assert!(bad.contains(&it.path()), "{prov:?}: {bad:?}");
        }
    }
    // Over the real spec-348 pools.
    let base = fixture("real/finney_b7000020_spec348_v3_completed_built.json");
    let mut sns = real();
    for (i, x) in sns.iter_mut().enumerate() {
        x.provided = 10_000_000_000 * (i as u64 + 1);
    }
    let (p, c, d) = pair(385, &sns, Some(&base));
    let buys = d.iter().filter(|x| x.excess > 0).count();
    all_equal(
        &replay_block(&p, &c).unwrap(),
        3 * (20 + 2 + 1) + 2 * buys + 1 + 2,
    );
}

#[test]
fn a_tampered_or_removed_provided_alpha_at_385() {
    let (p, c, _) = pair385([1_000, 7_000_000_000_000]);
    let key = s::ALPHA_IN_PROVIDED.key_hex(1);
    let mut bad = c.clone();
    let mut b = hex::decode(c.storage[&key].as_ref().unwrap()).unwrap();
    b[0] ^= 1;
    bad.storage.insert(key.clone(), Some(hex::encode(&b)));
    let r = replay_block(&p, &bad).unwrap();
    let w: Vec<_> = r.items.iter().filter(|i| !i.equal).collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].key, key);
    // The provided alpha is in the alpha issuance that every subnet's terms read (as
    // SubnetAlphaIn): without it only the three schedules are compared.
    let key = s::ALPHA_IN_PROVIDED.key_hex(2);
    let mut q = p.clone();
    assert!(q.storage.remove(&key).is_some());
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(counts(&r), (3, 0, r.missing.len()));
    assert!(r
        .missing
        .iter()
        .all(|m| m.needs.iter().any(|n| n.contains(&key))));
    // 391 reads it for SN2's pool reserves only (`TokenReserve::reserve`), not for the alpha
    // issuance: SN1's outputs are still compared.
    let mut q391 = q.clone();
    q391.spec_version = 391;
    let r = replay_block(&q391, &c).unwrap();
    let sn1 = s::TAO_IN_EMISSION.key_hex(1);
    assert!(r.items.iter().any(|i| i.key == sn1));
    assert!(counts(&r).0 > 3);
}

#[test]
fn the_365_to_377_tags_replay_385s_coinbase() {
    // SubnetAlphaInProvided counted and drawn as at 385 (the same stake_utils.rs). 368–370 and
    // 375–376 have no tag; the commits carrying them have the neighbouring tags' coinbase.
    for spec in 365..=377 {
        let mut sns = built();
        sns[0].provided = 1_000;
        sns[1].provided = 7_000_000_000_000;
        let (p, c, d) = pair(spec, &sns, None);
        assert!(d[0].bought > 0);
        all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS + 2);
    }
    // Over the real spec-348 pools.
    let base = fixture("real/finney_b7000020_spec348_v3_completed_built.json");
    let mut sns = real();
    for (i, x) in sns.iter_mut().enumerate() {
        x.provided = 3_000_000_000 * (i as u64 + 1);
    }
    let (p, c, d) = pair(377, &sns, Some(&base));
    let buys = d.iter().filter(|x| x.excess > 0).count();
    assert!(buys > 0);
    all_equal(
        &replay_block(&p, &c).unwrap(),
        3 * (20 + 2 + 1) + 2 * buys + 1 + 2,
    );
}

#[test]
fn up_to_377_a_swap_step_without_output_goes_on() {
    use tao_engine::pool::swap::{limit_from_rao, Order, SwapConstants, MAX_PRICE_RAO};
    use tao_engine::pool::v3::V3Pool;
    // Alpha at 3 TAO: one rao of TAO buys no alpha.
    let mut p = V3Pool::new(3_000_000_000_000, 1_000_000_000_000);
    p.initialize();
    let consts = SwapConstants::default();
    let limit = limit_from_rao(MAX_PRICE_RAO);
    let mut strict = p.clone();
    let e = strict
        .swap(Order::Buy, 1, limit, true, &consts)
        .unwrap_err();
    assert_eq!(format!("{e:?}"), "ReservesTooLow");
    // 366–377 (swap_step.rs before 385): the step goes through, paying nothing out.
    let mut lenient = p.clone();
    lenient.zero_output_steps = true;
    let r = lenient.swap(Order::Buy, 1, limit, true, &consts).unwrap();
    assert_eq!((r.amount_paid_in, r.amount_paid_out), (1, 0));
    assert!(lenient.sqrt_price > p.sqrt_price);
}

#[test]
fn specs_without_a_pinned_commit_are_listed() {
    let (p, c, _) = pair(377, &built(), None);
    for spec in [355, 364, 378, 379, 381, 386, 387] {
        let mut q = p.clone();
        q.spec_version = spec;
        let r = replay_block(&q, &c).unwrap();
        assert!(r.items.is_empty() && !r.success(), "{spec}");
        assert!(r.missing.iter().all(|m| m.needs == [ERA_NOT_PINNED]));
    }
}

#[test]
fn a_362_block_writes_no_root_prop() {
    let mut sns = built();
    sns[0].provided = 1_000;
    sns[1].provided = 5;
    let (p, mut c, _) = pair(362, &sns, None);
    // 362 has no RootProp: the child holds none, and none is compared.
    for x in &sns {
        c.storage.remove(&s::ROOT_PROP.key_hex(x.n));
    }
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, BUILT_ITEMS + 2 - 2);
    assert!(r.items.iter().all(|i| i.item != s::ROOT_PROP.path()));
    // 365's rules expect it after the coinbase: both subnets' RootProp are missing in the child.
    let mut q = p.clone();
    q.spec_version = 365;
    let r = replay_block(&q, &c).unwrap();
    assert_eq!(counts(&r), (BUILT_ITEMS, 0, 2));
    assert!(r.missing.iter().all(|m| m.item == s::ROOT_PROP.path()));
}

#[test]
fn a_353_to_361_block_caps_the_injection_at_the_alpha_emission() {
    // 353–354, 356–360 and 363 have no tag; their commits carry 361's coinbase.
    for spec in [353, 354, 356, 357, 358, 359, 360, 361, 363] {
        let mut sns = built();
        sns[0].provided = 1_000;
        sns[1].provided = 5;
        let (p, mut c, d) = pair(spec, &sns, None);
        assert!(d[0].excess > 0, "{d:?}");
        for x in &sns {
            c.storage.remove(&s::ROOT_PROP.key_hex(x.n));
        }
        all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
        // 362's cap (min(alpha emission, block emission of 0.5 TAO)) injects less alpha.
        let mut q = p.clone();
        q.spec_version = 362;
        let bad = wrong(&replay_block(&q, &c).unwrap());
        for it in [s::ALPHA_IN_EMISSION, s::TAO_IN_EMISSION, s::ALPHA_IN] {
            assert!(bad.contains(&it.path()), "{spec}: {bad:?}");
        }
    }
}

#[test]
fn a_353_or_354_block_leaves_the_provided_alpha_out_of_the_issuance() {
    let mut sns = built();
    sns[0].provided = 1_000;
    sns[1].provided = 900_000_000_000_000;
    for spec in [353, 354] {
        let (p, mut c, _) = pair(spec, &sns, None);
        for x in &sns {
            c.storage.remove(&s::ROOT_PROP.key_hex(x.n));
        }
        all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
        // 356–361 count it: the root proportion, and with it the validators' alpha, moves.
        let mut q = p.clone();
        q.spec_version = 356;
        let bad = wrong(&replay_block(&q, &c).unwrap());
        assert!(bad.contains(&s::PENDING_VALIDATOR.path()), "{bad:?}");
    }
}
