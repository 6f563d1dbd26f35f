//! CPU kernels of the playground models: the 4-lane SIMD kernel equals the scalar reference bit
//! for bit (natively with the portable lanes; under `cargo test --target wasm32-unknown-unknown`
//! with real wasm simd128 f32x4), on odd shapes and on every shipped model.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use tao_playground::lanes::F32x4;
use tao_playground::ops::{dense, forward, Kernel};
use tao_playground::shipped;
use tao_playground::train::SplitMix64;
use tao_playground::Activation;

#[test]
fn the_wasm_build_uses_real_simd() {
    assert_eq!(
        F32x4::NATIVE,
        cfg!(all(target_arch = "wasm32", target_feature = "simd128"))
    );
    assert_eq!(
        F32x4::splat(1.5)
            .mul(F32x4::splat(2.0))
            .add(F32x4::splat(0.25))
            .first(),
        3.25
    );
}

#[test]
fn dense_known_answer() {
    // x = [[1, 2], [3, 4]], w = [[1, 0, -1], [2, 1, 0]], b = [0.5, -10, 1]
    let x = [1.0, 2.0, 3.0, 4.0];
    let w = [1.0, 0.0, -1.0, 2.0, 1.0, 0.0];
    let b = [0.5, -10.0, 1.0];
    for kernel in [Kernel::Scalar, Kernel::Simd] {
        let mut y = [0f32; 6];
        dense(kernel, &x, 2, 2, &w, 3, &b, Activation::None, &mut y).unwrap();
        assert_eq!(y, [5.5, -8.0, 0.0, 11.5, -6.0, -2.0], "{kernel:?}");
        dense(kernel, &x, 2, 2, &w, 3, &b, Activation::Relu, &mut y).unwrap();
        assert_eq!(y, [5.5, 0.0, 0.0, 11.5, 0.0, 0.0], "{kernel:?}");
        assert!(dense(kernel, &x[..3], 2, 2, &w, 3, &b, Activation::None, &mut y).is_err());
    }
}

#[test]
fn simd_equals_scalar_bit_for_bit_on_odd_shapes() {
    let mut rng = SplitMix64(42);
    for &(m, k, n) in &[
        (1, 1, 1),
        (3, 5, 7),
        (4, 64, 8),
        (5, 64, 10),
        (9, 17, 33),
        (16, 192, 34),
        (33, 128, 64),
        (7, 3, 12),
    ] {
        let x: Vec<f32> = (0..m * k).map(|_| rng.next_f32() * 2.0 - 1.0).collect();
        let w: Vec<f32> = (0..k * n).map(|_| rng.next_f32() * 2.0 - 1.0).collect();
        let b: Vec<f32> = (0..n).map(|_| rng.next_f32() - 0.5).collect();
        for act in [Activation::None, Activation::Relu] {
            let (mut ys, mut yv) = (vec![0f32; m * n], vec![0f32; m * n]);
            dense(Kernel::Scalar, &x, m, k, &w, n, &b, act, &mut ys).unwrap();
            dense(Kernel::Simd, &x, m, k, &w, n, &b, act, &mut yv).unwrap();
            let same = ys.iter().zip(&yv).all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{m}x{k}x{n} {act:?}: SIMD differs from scalar");
        }
    }
}

#[test]
fn every_shipped_model_gives_identical_outputs_on_both_kernels() {
    let digits = shipped::heldout_digits();
    let text = shipped::heldout_text();
    for name in shipped::model_names() {
        let (model, _) = shipped::load(name).unwrap();
        let d = model.input_dim();
        let batch = 37;
        let inputs: Vec<f32> = if model.embed.is_some() {
            text.iter().take(batch * d).map(|&c| c as f32).collect()
        } else {
            digits
                .iter()
                .take(batch)
                .flat_map(tao_playground::train::digit_input)
                .collect()
        };
        let a = forward(&model, &inputs, batch, Kernel::Scalar).unwrap();
        let b = forward(&model, &inputs, batch, Kernel::Simd).unwrap();
        assert_eq!(a.len(), batch * model.output_dim());
        assert!(
            a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()),
            "{name}"
        );
    }
}
