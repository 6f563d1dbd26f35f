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
