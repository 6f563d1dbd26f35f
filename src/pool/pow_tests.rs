//! Tests of [`super`]: the exact path against the pallet's own cases, the cached numerator, the
//! series fallback against floats, and the stack series against the heap one.

use super::*;

fn p(a: u128, b: u128, n: u128, d: u128, prec: u32, s: u128) -> BigInt {
    pow_ratio_scaled(
        &BigUint::from_u128(a),
        &BigUint::from_u128(b),
        n,
        d,
        prec,
        &BigUint::from_u128(s),
    )
    .unwrap()
}

#[test]
fn exact_path_perquintill_power() {
    // balancer.rs tests::test_perquintill_power
    let r = p(
        21_000_000_000_000_000,
        28_000_000_000_000_000,
        600_000_000_000_000_000,
        400_000_000_000_000_000,
        4096,
        1_000_000_000_000_000_000,
    );
    assert_eq!(
        r,
        BigInt::from_biguint(BigUint::from_u128(649_519_052_838_328_985))
    );
}

#[test]
fn doc_example() {
    // (2/3)^(1/2) × 1000 → 816
    assert_eq!(
        p(2, 3, 1, 2, 0, 1000),
        BigInt::from_biguint(BigUint::from_u64(816))
    );
}

#[test]
fn cached_numerator_matches() {
    let scale = BigUint::from_u64(1_000_000_000_000_000_000);
    for (n, d) in [
        (1u128, 1u128),
        (3, 1),
        (897_662_751_636_217_076, 102_337_248_363_782_924),
    ] {
        let rp = RatioPow::new(&BigUint::from_u64(13_513_642), n, d, 256, &scale).unwrap();
        for den in [13_513_643u64, 13_600_000, 40_000_000_000] {
            let fresh = pow_ratio_scaled(
                &BigUint::from_u64(13_513_642),
                &BigUint::from_u64(den),
                n,
                d,
                256,
                &scale,
            );
            assert_eq!(rp.eval(&BigUint::from_u64(den)), fresh);
        }
    }
}

#[test]
fn fallback_is_close_to_float() {
    // exponent 1025/1 forces the series
    let r = p(999_999_937, 1_000_000_003, 1025, 1, 64, 1_000_000);
    let want = (999_999_937f64 / 1_000_000_003f64).powf(1025.0) * 1e6;
    let got = r.to_biguint().unwrap().to_u64().unwrap() as f64;
    assert!((got - want).abs() <= 1.0, "{got} vs {want}");
    // non-trivial weights (0.4/0.6 scaled differently) through the series
    let r = p(
        500_000,
        505_000,
        897_662_751_636_217_076,
        102_337_248_363_782_924,
        256,
        1_000_000_000_000_000_000,
    );
    let want = (500_000f64 / 505_000f64)
        .powf(897_662_751_636_217_076f64 / 102_337_248_363_782_924f64)
        * 1e18;
    let got = r.to_biguint().unwrap().to_u128().unwrap() as f64;
    assert!(((got - want) / want).abs() < 1e-12, "{got} vs {want}");
}

/// The stack-integer series ([`Series`]) and the heap version give the same result.
#[test]
fn series_runs_on_the_stack_and_matches_the_heap() {
    const Q: u64 = 1_000_000_000_000_000_000;
    let Some(s) = Series::new(256, Q, 24, 4096) else {
        panic!("no series")
    };
    let (en, ed) = (897_662_751_636_217_076u64, 102_337_248_363_782_924u64);
    for (num, den) in [
        (2_315_643_876_555_309u64, 2_315_643_876_555_310u64),
        (2_315_643_876_555_309, 4_000_000_000_000_000),
        (500_000, 505_000),
        (1, 3),
        (u64::MAX, u64::MAX - 1),
    ] {
        let fast = s
            .ln_u64(num)
            .zip(s.ln_u64(den))
            .and_then(|(a, b)| s.finish(&a, &b, en, ed, Q));
        let heap = pow_ratio_scaled(
            &BigUint::from_u64(num),
            &BigUint::from_u64(den),
            u128::from(en),
            u128::from(ed),
            256,
            &BigUint::from_u64(Q),
        )
        .map(|r| classify(&r));
        assert!(fast.is_some(), "{num}/{den} fell back");
        assert_eq!(fast, heap, "{num}/{den}");
    }
}
