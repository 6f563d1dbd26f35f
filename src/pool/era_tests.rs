//! Tests of [`super`]: era dates and schedule, the migration keeps the price, and the superellipse
//! era only when asked for.

use super::*;

#[test]
fn dates() {
    assert!(PoolEra::at_unix_time(1_700_000_000).is_err());
    assert_eq!(
        PoolEra::at_unix_time(1_740_000_000).unwrap(),
        PoolEra::ConstantProduct
    );
    assert_eq!(
        PoolEra::at_unix_time(1_760_000_000).unwrap(),
        PoolEra::UniswapV3
    );
    assert_eq!(
        PoolEra::at_unix_time(1_771_600_000).unwrap(),
        PoolEra::Balancer
    );
    assert_eq!(
        PoolEra::at_unix_time(1_772_000_000).unwrap(),
        PoolEra::UniswapV3
    );
    assert_eq!(
        PoolEra::at_unix_time(1_790_000_000).unwrap(),
        PoolEra::Balancer
    );
}

#[test]
fn schedule() {
    let s = EraSchedule::new(vec![
        EraBoundary {
            block: 100,
            spec_version: 10,
            era: PoolEra::ConstantProduct,
        },
        EraBoundary {
            block: 200,
            spec_version: 20,
            era: PoolEra::UniswapV3,
        },
    ])
    .unwrap();
    assert_eq!(s.at_block(150).unwrap(), PoolEra::ConstantProduct);
    assert_eq!(s.at_spec_version(25).unwrap(), PoolEra::UniswapV3);
    assert_eq!(s.at_block(50).unwrap_err().code, ErrorCode::UnknownEra);
}

#[test]
fn migration_keeps_price() {
    let mut v3 = AnyPool::new(PoolEra::UniswapV3, 1_000_000_000, 4_000_000_000);
    if let AnyPool::UniswapV3(p) = &mut v3 {
        p.initialize();
        p.sqrt_price = U64F64::from_num(1.23);
    }
    let b = v3.migrate(PoolEra::Balancer).unwrap();
    let diff = (b.model().price().to_num::<f64>() - 1.5129).abs();
    assert!(diff < 1e-6, "{diff}");
}

#[test]
fn superellipse_only_when_asked_for() {
    assert_ne!(
        PoolEra::at_unix_time(1_900_000_000).unwrap(),
        PoolEra::Superellipse
    );
    assert_eq!(
        PoolEra::parse("superellipse").unwrap(),
        PoolEra::Superellipse
    );
    let b = AnyPool::new(PoolEra::Balancer, 1_000_000_000, 4_000_000_000);
    let s = b.migrate(PoolEra::Superellipse).unwrap();
    assert_eq!(s.model().era(), PoolEra::Superellipse);
    assert_eq!(s.model().price(), b.model().price());
}
