//! `tao-replay block` at specs 411 and 413–419 (`chain::replay_v3` with
//! `chain::replay_v3_flow`): the v3 runtimes with net TAO-flow shares.
//!
//! The pairs of `tests/support/v3_block.rs` at those specs: the same BUILT and REAL v3 pools as
//! the 421–422 tests, plus each subnet's user flow, flow EMA and protocol EMA; the child derived by
//! hand from the upstream code at v3.4.5-419 (`get_shares_flow`, the injection cap
//! `min(alpha emission, block emission)`) and, for 411, v3.4.0-411 (the chain buy's alpha
//! recycled). A tampered child value is exactly one mismatch; a removed flow input moves what the
//! shares decide to `missing`; 412 (no tag between two differing coinbases) is not replayed.

#[path = "support/replay_block.rs"]
mod support;
#[path = "support/v3_block.rs"]
mod v3_block;
#[path = "support/v3_child.rs"]
mod v3_child;

use tao_engine::chain::capture::Capture;
use tao_engine::chain::coinbase_items::{subnet as s, v3 as v};
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
            400_000_000_000,
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

fn pair(spec: u32, sns: &[Sn], base: Option<&Capture>) -> (Capture, Capture, Vec<Derived>) {
    let p = parent_at(spec, base, sns);
    let rule = Rule::Flow {
        recycle: spec == 411,
    };
    let (c, d) = child_at(&p, sns, rule);
    (p, c, d)
}

/// Per subnet 24 outputs (+2 with a buy), +3 flow items (two EMAs, the reset `SubnetTaoFlow`).
const BUILT_ITEMS: usize = 26 + 24 + 2 * 3 + 1 + 2;

#[test]
fn a_419_block_replays_every_output_with_flow_shares() {
    let (p, c, d) = pair(419, &built(), None);
    assert!(d[0].excess > 0 && d[0].bought > 0, "{d:?}");
    assert_eq!(d[1].excess, 0, "{d:?}");
    let (code, out) = run_bin(&p, &c, "flow-419");
    let last = out.trim_end().rsplit_once('\n').unwrap().1;
    assert_eq!(
        last,
        format!("{BUILT_ITEMS} equal, 0 mismatched, 0 missing")
    );
    assert_eq!(code, 0);
    // The same coinbase from 413 to 419.
    for spec in [413, 415, 416, 417, 418] {
        let (p, c, _) = pair(spec, &built(), None);
        all_equal(&replay_block(&p, &c).unwrap(), BUILT_ITEMS);
    }
    // The flow shares differ from 421–422's: the 422 child does not replay at 419.
    let (c422, _) = child(&parent(None, &built()), &built());
    let r = replay_block(&p, &c422).unwrap();
    assert!(counts(&r).1 > 0);
}

#[test]
fn a_411_block_recycles_the_bought_alpha() {
    let (p, c, d) = pair(411, &built(), None);
    assert!(d[0].bought > 0);
    // SN1 bought: its AlphaAssets.AlphaRecycled is written too; SubnetProtocolAlpha does not
    // exist before 413 (not compared on either subnet).
    let r = replay_block(&p, &c).unwrap();
    all_equal(&r, BUILT_ITEMS + 1 - 2);
    // At 413 the same block keeps the alpha: SubnetAlphaOut, SubnetProtocolAlpha, the
    // issuance, RootProp and the buckets' root proportion differ.
    let mut p413 = p.clone();
    p413.spec_version = 413;
    let r = replay_block(&p413, &c).unwrap();
    let wrong: Vec<String> = r
        .items
        .iter()
        .filter(|i| !i.equal)
        .map(|i| i.item.clone())
        .collect();
    for it in [s::ALPHA_OUT, s::PROTOCOL_ALPHA, s::ROOT_PROP] {
        assert!(wrong.contains(&it.path()), "{wrong:?}");
    }
}

#[test]
fn a_419_block_over_real_v3_pools_replays_every_output() {
    let base = fixture("real/finney_b7000020_spec348_v3_completed_built.json");
    let (p, c, d) = pair(419, &real(), Some(&base));
    let buys = d.iter().filter(|x| x.excess > 0).count();
    assert!(buys > 0, "{d:?}");
    let r = replay_block(&p, &c).unwrap();
    // No root sell (EMA prices sum to ≤ 1): AlphaRecycled of each subnet too.
    all_equal(&r, 3 * (24 + 3) + 2 * buys + 3 + 1 + 2);
}

#[test]
fn a_tampered_419_value_is_exactly_one_mismatch() {
    let (p, c, _) = pair(419, &built(), None);
    let keys = [
        v::EMA_TAO_FLOW.key_hex(2),
        v::EMA_PROTOCOL_FLOW.key_hex(1),
        v::PROTOCOL_FLOW.key_hex(1),
        s::TAO_IN_EMISSION.key_hex(1),
    ];
    assert_each_tamper_is_one_mismatch(&p, &c, &keys, None);
}

#[test]
fn a_removed_flow_input_lists_what_the_shares_decide() {
    let (p, c, _) = pair(419, &built(), None);
    for key in [
        v::EMA_TAO_FLOW.key_hex(1),
        v::SUBNET_TAO_FLOW.key_hex(2),
        v::FLOW_EMA_SMOOTHING.key_hex(0),
        v::NET_TAO_FLOW_ENABLED.key_hex(0),
    ] {
        let mut q = p.clone();
        assert!(q.storage.remove(&key).is_some());
        let r = replay_block(&q, &c).unwrap();
        // Only the schedules (SN1, SN2, SN5) are still compared.
        assert_eq!(counts(&r), (3, 0, r.missing.len()), "{key}");
        assert!(r
            .items
            .iter()
            .all(|i| i.item == s::BLOCKS_SINCE_LAST_STEP.path()));
        assert!(r
            .missing
            .iter()
            .all(|m| m.needs.iter().any(|n| n.contains(&key))));
    }
}

#[test]
fn spec_412_is_not_pinned() {
    let (p, c, _) = pair(413, &built(), None);
    let mut p412 = p.clone();
    p412.spec_version = 412;
    let r = replay_block(&p412, &c).unwrap();
    assert!(r.items.is_empty() && !r.success());
    assert!(r.missing.iter().all(|m| m.needs == [ERA_NOT_PINNED]));
}
