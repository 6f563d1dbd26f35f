//! `fixed::wide` against the operators and substrate-fixed, where it matters: in the wasm32
//! build its portable division and products replace compiler-builtins' calls. Runs natively and,
//! through wasm-bindgen-test, in the simd128 wasm build (`scripts/test` finds it).

use substrate_fixed::types::{U64F64, U96F32};
use tao_engine::fixed::wide;

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Operands of every magnitude, with the boundaries the algorithms branch on.
fn operand(seed: &mut u64) -> u128 {
    let r = (u128::from(next(seed)) << 64) | u128::from(next(seed));
    match next(seed) % 6 {
        0 => r,
        1 => r >> (next(seed) % 128),
        2 => u128::from(next(seed)),
        3 => 1u128 << (next(seed) % 128),
        4 => u128::MAX - (r >> (next(seed) % 127 + 1)),
        _ => (r >> (next(seed) % 128)).saturating_sub(1),
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn wide_division_and_products_equal_the_operators() {
    let mut seed = 0x2545_f491_4f6c_dd1d;
    for _ in 0..60_000 {
        let (a, b) = (operand(&mut seed), operand(&mut seed));
        if b != 0 {
            assert_eq!(wide::div_rem(a, b), (a / b, a % b), "{a} / {b}");
        }
        let (x, y) = (a as u64, b as u64);
        assert_eq!(wide::mul_wide(x, y), u128::from(x) * u128::from(y));
        let (sx, sy) = (x as i64, y as i64);
        assert_eq!(wide::mul_wide_i64(sx, sy), i128::from(sx) * i128::from(sy));
        let (sa, sb) = (a as i128, b as i128);
        if sb != 0 && !(sa == i128::MIN && sb == -1) {
            assert_eq!(wide::div_i128(sa, sb), sa / sb, "{sa} / {sb}");
        }
        let (fa, fb) = (U64F64::from_bits(a), U64F64::from_bits(b));
        assert_eq!(wide::mul_u64f64(fa, fb), fa.saturating_mul(fb));
        let (ga, gb) = (U96F32::from_bits(a), U96F32::from_bits(b));
        assert_eq!(wide::mul_u96f32(ga, gb), ga.saturating_mul(gb));
    }
}

/// `div_256_to_u64` by multiplying back: `d·q ≤ N < d·(q + 1)`, and `None` exactly when
/// `N ≥ d·2^64`.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn wide_division_to_u64_multiplies_back() {
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    for i in 0..40_000u32 {
        let d = operand(&mut seed).max(1);
        let (hi, lo) = if i % 2 == 0 {
            // d · q + r with q below or just past 2^64
            let q = u128::from(next(&mut seed) >> (next(&mut seed) % 64))
                + (u128::from(i % 5 == 0) << 64);
            let (h, l) = wide::mul_256(d, q);
            let (l, c) = l.overflowing_add(operand(&mut seed) % d);
            (h + u128::from(c), l)
        } else {
            (
                operand(&mut seed) >> (next(&mut seed) % 128),
                operand(&mut seed),
            )
        };
        let (top_h, top_l) = wide::mul_256(d, 1 << 64);
        let fits = (hi, lo) < (top_h, top_l);
        match wide::div_256_to_u64(hi, lo, d) {
            Some(q) => {
                assert!(fits, "({hi}, {lo}) / {d}: Some({q}) for a quotient ≥ 2^64");
                assert!(wide::mul_256(d, u128::from(q)) <= (hi, lo));
                let (nh, nl) = wide::mul_256(d, u128::from(q) + 1);
                assert!((nh, nl) > (hi, lo), "({hi}, {lo}) / {d}: {q} too small");
            }
            None => assert!(!fits, "({hi}, {lo}) / {d}: None for a quotient below 2^64"),
        }
    }
}
