//! Tests of [`super`]: formulas and integers evaluate as the vector files write them.

use super::*;

#[test]
fn formulas() {
    let mut v = Vars::new();
    v.insert("alpha_emission", 1e9);
    v.insert("owner_cut_amt", 1e8);
    assert_eq!(eval("(alpha_emission - owner_cut_amt)/2", &v), Some(4.5e8));
    assert_eq!(
        target("10000000 + 0.18*1000000 = 10180000", &v),
        Some(10_180_000.0)
    );
    assert_eq!(
        target(
            "floor(2000000*rate) (~820000) and RootClaimed == claimed",
            &v
        ),
        Some(820_000.0)
    );
    assert_eq!(target("1e9/(1e9+3e9) = 0.25", &v), Some(0.25));
    assert_eq!(
        eval_prefix("1000000000 + 1000000000 for both", &v),
        Some(2e9)
    );
    assert!(predicate("< 1e-6", &v).is_some_and(|p| p.holds(1e-7)));
    assert!(target("tao_weight*root_tao/(...) evaluated", &v).is_none());
}

#[test]
fn integers() {
    assert_eq!(first_u64("6553 (u16::MAX/10)"), Some(6553));
    assert_eq!(first_u64("u16::MAX/10"), Some(6553));
    assert_eq!(first_u64("u64::MAX (1.0)"), Some(u64::MAX));
    assert_eq!(
        first_u64("Delegates default 11796/65535 (~0.18)"),
        Some(11796)
    );
    assert_eq!(first_u64("1e18"), Some(1_000_000_000_000_000_000));
    assert_eq!(first_u64("100_000"), Some(100_000));
}
