//! Tests of [`super`] (the balancer curve).

use super::*;

/// [`ratio`] is `safe_div(fx(a), fx(b))`, on edges and a pseudo-random spread.
#[test]
fn integer_ratio_is_the_fixed_division() {
    let mut next = crate::fixed::splitmix(7u64);
    let mut v = vec![
        0u64,
        1,
        2,
        3,
        ACCURACY,
        ACCURACY - 1,
        u64::MAX,
        u64::MAX - 1,
    ];
    for _ in 0..3000 {
        let z = next();
        v.push(z >> (z % 64));
    }
    for (i, &a) in v.iter().enumerate() {
        for &b in v.iter().skip(i % 97).step_by(97) {
            assert_eq!(ratio(a, b), safe_div(fx(a), fx(b)), "{a} / {b}");
        }
    }
}

/// The kept weight ratio is the one the price formula computes, after construction, a
/// weight update and a serde round trip (which stores only the quote weight).
#[test]
fn kept_weight_ratio_is_the_formula() {
    let formula = |b: &Balancer, x: u64, y: u64| {
        let (w1, w2) = (
            b.base_weight().deconstruct(),
            b.quote_weight().deconstruct(),
        );
        wide::mul_u64f64(ratio(w1, w2), ratio(y, x))
    };
    let mut next = crate::fixed::splitmix(0xba1a_4ce5u64);
    let mut b = Balancer::default();
    for _ in 0..2000 {
        let (x, y) = (next() >> (next() % 64), next() >> (next() % 64));
        assert_eq!(b.price(x, y), formula(&b, x, y));
        let json = serde_json::to_string(&b).unwrap_or_default();
        assert_eq!(
            json,
            format!("{{\"quote\":{}}}", b.quote_weight().deconstruct())
        );
        let back: Balancer = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back.price(x, y), formula(&b, x, y));
        let w = Perquintill::from_parts(next() % (ACCURACY + 1));
        let before = b;
        if !b.set_quote_weight(w) {
            assert_eq!(b.price(x, y), before.price(x, y));
        }
    }
}

#[test]
fn price_equal_weights() {
    let b = Balancer::default();
    assert_eq!(b.price(2, 5), U64F64::from_num(2.5));
    assert_eq!(b.price(0, 5), U64F64::from_bits(0));
}

/// balancer.rs tests::test_exp_scaled: (base weight num, den, reserve, delta, base_quote,
/// value within 1e-9).
#[test]
fn exp_scaled_upstream_cases() {
    let cases = [
        (5u128, 10u128, 100_000u64, 100u64, true, 0.999000999000999),
        (1, 4, 500_000, 5_000, true, 0.970590147927644),
        (3, 4, 200_000, 2_000, false, 0.970590147927644),
        (9, 10, 13_513_642, 1_673, false, 0.998886481979889),
        (773, 1000, 7_000_000_000, 10_000, true, 0.999999580484586),
    ];
    for (n, d, x, dx, bq, want) in cases {
        let b = Balancer::new(Perquintill::from_rational(n, d)).unwrap_or_default();
        let got = b.exp_scaled(x, i128::from(dx), bq).to_num::<f64>();
        assert!((got - want).abs() <= 1e-9, "{n}/{d}: {got} vs {want}");
    }
}

#[test]
fn quote_delta_in_matches_float() {
    // test_calculate_quote_delta_in: w1 = 0.75, price 0.1 -> 0.2, y = 10^9
    let b = Balancer::new(Perquintill::from_rational(
        250_000_000_000,
        1_000_000_000_000,
    ))
    .unwrap_or_default();
    let dy = b.quote_delta_in(U64F64::from_num(0.1), U64F64::from_num(0.2), 1_000_000_000);
    assert_eq!(dy, (1e9 * (2f64.powf(0.75) - 1.0)) as u64);
    assert_eq!(
        b.quote_delta_in(U64F64::from_num(0.1), U64F64::from_num(0.05), 1_000_000_000),
        0
    );
}

#[test]
fn weight_update_keeps_price() {
    let mut b = Balancer::default();
    let before = b.price(4_000_000_000, 1_000_000_000);
    assert!(b.update_for_added_liquidity(1_000_000_000, 4_000_000_000, 10_000_000, 0));
    let after = b.price(4_000_000_000, 1_010_000_000);
    let rel = (after.to_num::<f64>() - before.to_num::<f64>()).abs() / before.to_num::<f64>();
    assert!(rel < 1e-12, "{rel}");
    assert!(b.quote_weight() > Perquintill::from_rational(1, 2));
    // Far too lopsided: a weight would leave [0.01, 0.99]; nothing changes.
    let mut c = Balancer::default();
    assert!(!c.update_for_added_liquidity(1, 4_000_000_000, 1_000_000_000_000, 0));
    assert_eq!(c, Balancer::default());
}

#[test]
fn limit_plateau() {
    // §11.4: a limit far from the price saturates the factor at u64::MAX / 10^18.
    let b = Balancer::default();
    let cur = safe_div(fx(1001), fx(1001));
    let lim = safe_div(fx(10_000), fx(1_000_000_000));
    assert_eq!(b.base_delta_in(cur, lim, 1001), 17_464);
}
