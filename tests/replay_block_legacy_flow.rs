//! `tao-replay block` at specs 401–402 and 410 (`chain::replay_v3`, era parameters in
//! `chain::replay_v3_era`).
//!
//! 401–402 (tags v3.3.14-401, v3.3.15-402): the pairs of `tests/support/v3_block.rs` with the
//! parent stripped of every item these runtimes do not have (`SubnetEmissionEnabled`,
//! `OwnerCutEnabled`, `MinerBurned`, `SubnetProtocolAlpha`, `SubnetProtocolFlow`,
//! `SubnetEmaProtocolFlow`, `NetTaoFlowEnabled`, the `AlphaAssets` totals: a read of any of them
//! would list outputs as missing) and the child derived by hand from the v3.3.15-402 code
//! (`Rule::UserFlow`: the user flow EMA only, the chain buy's alpha recycled, `TotalIssuance +=
//! tao_in + excess`, no `SubnetExcessTao` / `SubnetProtocolFlow` / alpha-assets writes), as are
//! 396–400 (every commit carrying them has 401's coinbase). 408–410 are 411's coinbase (every
//! commit carrying them). A tampered child value is exactly one mismatch; a removed parent key
//! moves exactly its dependants to `missing`; 394–395 and 403–407 are not replayed.

#[path = "support/replay_block.rs"]
mod support;
#[path = "support/v3_block.rs"]
mod v3_block;
#[path = "support/v3_child.rs"]
mod v3_child;

use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{global as g, subnet as s, v3 as v, Item};
use tao_engine::chain::replay_block::replay_block;
use tao_engine::runtime::timeline::ERA_NOT_PINNED;

use support::*;
use v3_block::*;
use v3_child::*;

fn flows(mut x: Sn, tao_flow: i64, user: i64, protocol: i64) -> Sn {
    x.tao_flow = tao_flow;
    x.ema_user = Some((BLOCK - 1, user));
    x.ema_protocol = Some((BLOCK - 1, protocol));
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
            1_000_000_000_000,
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
            4_000_000_000_000,
        ),
    ]
}

fn real() -> Vec<Sn> {
    vec![
        flows(
            sn(1, None, 2_000_000_000_000_000, 0.01, 0.0),
            1_000_000_000,
            90_000_000_000,
            10_000_000_000,
        ),
        flows(
            sn(19, None, 2_600_000_000_000_000, 0.011, 0.1),
            0,
            40_000_000_000,
            -5_000_000_000,
        ),
        flows(
            sn(64, None, 3_100_000_000_000_000, 0.09, 0.0),
            -2_000_000_000,
            70_000_000_000,
            30_000_000_000,
        ),
    ]
}

/// The parent at a 401–402 spec: the items those runtimes lack are not captured.
fn legacy_parent(spec: u32, sns: &[Sn], base: Option<&Capture>) -> Capture {
    let mut p = parent_at(spec, base, sns);
    strip_credit_era(&mut p, sns);
    p
}

fn pair(spec: u32, sns: &[Sn], base: Option<&Capture>) -> (Capture, Capture, Vec<Derived>) {
    let p = legacy_parent(spec, sns, base);
    let (c, d) = child_at(&p, sns, Rule::UserFlow);
    (p, c, d)
}

/// Per subnet 20 outputs (the 419 set less `SubnetProtocolAlpha`, `SubnetExcessTao`,
/// `SubnetProtocolFlow` and `TotalAlphaIssuance`), +2 with a buy (`AlphaSqrtPrice`,
/// `CurrentTick`), +2 flow items (the user EMA, the reset `SubnetTaoFlow`); SN5's schedule,
/// `TotalIssuance`, `TotalStake`.
const BUILT_ITEMS: usize = 2 * (20 + 2) + 2 + 1 + 2;

#[test]
fn a_402_block_replays_every_output_with_user_flow_shares() {
    let (p, c, d) = pair(402, &built(), None);
    assert!(d[0].excess > 0 && d[0].bought > 0, "{d:?}");
    assert_eq!(d[1].excess, 0, "{d:?}");
    let (code, out) = run_bin(&p, &c, "legacy-402");
    let last = out.trim_end().rsplit_once('\n').unwrap().1;
    assert_eq!(
        last,
        format!("{BUILT_ITEMS} equal, 0 mismatched, 0 missing")
    );
    assert_eq!(code, 0);
    // 401 has the same coinbase, and so do the commits carrying 396–400.
    for spec in [396, 397, 398, 399, 400, 401] {
        let (p, c, _) = pair(spec, &built(), None);
        all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
    }
    let (p, c, _) = pair(401, &built(), None);
    // None of what only the credit era writes is compared.
    let r = replay_block(&p, &c).unwrap();
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
fn the_protocol_flow_decides_the_shares_from_410_on() {
    // SN2's protocol EMA outweighs its user EMA: with the net flow (410–411) its share is 0.
    let (p, c, _) = pair(402, &built(), None);
    let mut p411 = parent_at(411, None, &built());
    p411.block = p.block;
    let r = replay_block(&p411, &c).unwrap();
    let wrong: Vec<String> = r
        .items
        .iter()
        .filter(|i| !i.equal)
        .map(|i| i.item.clone())
        .collect();
    for it in [s::TAO_IN_EMISSION, s::SUBNET_TAO, s::ALPHA_IN] {
        assert!(wrong.contains(&it.path()), "{wrong:?}");
    }
}

#[test]
fn a_408_to_410_block_is_411s_coinbase() {
    // SN1 bought: its AlphaAssets.AlphaRecycled is written too; no SubnetProtocolAlpha.
    let n = 2 * (24 - 1 + 3) + 2 + 1 + 1 + 2;
    for spec in [408, 409, 410, 411] {
        let p = parent_at(spec, None, &built());
        let (c, d) = child_at(&p, &built(), Rule::Flow { recycle: true });
        assert!(d[0].bought > 0);
        all_equal(&replay_block(&p, &c).unwrap(), n);
    }
}

#[test]
fn a_402_block_over_real_v3_pools_replays_every_output() {
    let base = fixture("real/finney_b7000020_spec348_v3_completed_built.json");
    let (p, c, d) = pair(402, &real(), Some(&base));
    let buys = d.iter().filter(|x| x.excess > 0).count();
    assert!(buys > 0, "{d:?}");
    let r = replay_block(&p, &c).unwrap();
    // No root sell (EMA prices sum to ≤ 1): the root alpha is recycled out of SubnetAlphaOut,
    // with no AlphaRecycled to write.
    all_equal(&r, 3 * (20 + 2) + 2 * buys + 1 + 2);
}

#[test]
fn a_tampered_402_value_is_exactly_one_mismatch() {
    let (p, c, _) = pair(402, &built(), None);
    let keys = [
        v::EMA_TAO_FLOW.key_hex(2),
        s::TAO_IN_EMISSION.key_hex(1),
        s::ALPHA_OUT.key_hex(1),
        s::PENDING_OWNER_CUT.key_hex(2),
        g::TOTAL_ISSUANCE.key_hex(0),
    ];
    assert_each_tamper_is_one_mismatch(&p, &c, &keys, Some(0));
}

#[test]
fn a_removed_parent_key_moves_exactly_its_dependants() {
    let (p, c, _) = pair(402, &built(), None);
    // One subnet's own stored values: only the output that starts from it.
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
    // A flow input decides every share: only the schedules (SN1, SN2, SN5) are still compared.
    let keys = [
        v::EMA_TAO_FLOW.key_hex(1),
        v::SUBNET_TAO_FLOW.key_hex(2),
        v::FLOW_EMA_SMOOTHING.key_hex(0),
    ];
    assert_each_removal_leaves(&p, &c, &keys, 3);
}

#[test]
fn specs_394_395_and_403_to_407_are_not_pinned() {
    let (p, c, _) = pair(402, &built(), None);
    for spec in [347, 392, 394, 395, 403, 405, 407] {
        let mut q = p.clone();
        q.spec_version = spec;
        let r = replay_block(&q, &c).unwrap();
        assert!(r.items.is_empty() && !r.success(), "{spec}");
        assert!(r.missing.iter().all(|m| m.needs == [ERA_NOT_PINNED]));
    }
}
