//! Fund lifecycle: stakes, queued dividends, flushes and claims together (spec
//! `emission-after-425.md` §3.5–§3.6).

use super::claim::{claim, ClaimParams};
use super::deposit::{enqueue, Curation};
use super::dust::DustRules;
use super::market::PoolMarket;
use super::queue::flush;
use super::root_stake::add_root_stake;
use super::state::RootFund;
use super::valuation::nav;
use super::watermark::owed_shares;
use crate::emission::subnet_pool::BalancerPool;
use substrate_fixed::types::{I96F32, U64F64};

const TAO: u64 = 1_000_000_000;

#[test]
fn late_stake_earns_only_later_dividends_and_claims_drain_the_fund() {
    let mut m = PoolMarket::<BalancerPool>::default();
    m.pools
        .insert(1, BalancerPool::dynamic(100_000 * TAO, 100_000 * TAO));
    m.fast.insert(1, U64F64::from_num(1));
    let mut f = RootFund::registered();
    let zero = I96F32::from_num(0);
    let (a, b, c) = (1, 2, 3);
    add_root_stake(&mut f, &mut m, a, 300 * TAO, 1, zero, Curation::Uncurated);
    add_root_stake(&mut f, &mut m, b, 100 * TAO, 1, zero, Curation::Uncurated);

    enqueue(&mut f, 1, 4 * TAO);
    flush(&mut f, &mut m, zero, Curation::Uncurated);
    let first = f.shares;
    assert!(owed_shares(&f, a) <= first * 3 / 4 && owed_shares(&f, a) + 200 >= first * 3 / 4);

    // C's stake flushes the queued dividend first, so C earns none of it.
    enqueue(&mut f, 1, 4 * TAO);
    add_root_stake(&mut f, &mut m, c, 400 * TAO, 2, zero, Curation::Uncurated);
    assert_eq!(owed_shares(&f, c), 0);
    let before_third = f.shares;
    enqueue(&mut f, 1, 8 * TAO);
    flush(&mut f, &mut m, zero, Curation::Uncurated);
    let third = f.shares - before_third;
    let owed_c = owed_shares(&f, c);
    assert!(
        owed_c <= third / 2 && owed_c + 200 >= third / 2,
        "{owed_c} vs {third}"
    );

    let p = ClaimParams {
        threshold: zero,
        dust: DustRules::OFF,
        curation: Curation::Uncurated,
        ignore_minimum: false,
        block: 3,
    };
    let nav_before = nav(&f, &m).unwrap();
    let mut paid = 0;
    for who in [c, b, a] {
        let stake_before = f.root_stake(who);
        let r = claim(&mut f, &mut m, who, &p).unwrap();
        assert!(r.tao > 0);
        assert_eq!(owed_shares(&f, who), 0);
        assert_eq!(
            f.root_stake(who),
            stake_before + r.tao,
            "a claim pays root stake"
        );
        assert_eq!(owed_shares(&f, who), 0, "the restake is rebased away");
        paid += r.tao;
    }
    // Everything owed was claimed; only rate-rounding shares (the I96F32 rate truncates to
    // 2^-32 shares per rao, ~100 shares on 400 TAO) and their value remain.
    assert!(f.shares < 1_000, "{} shares left", f.shares);
    assert!(
        paid <= nav_before && paid + 1_000 >= nav_before,
        "{paid} vs {nav_before}"
    );
}
