//! The core compiled to wasm32 (with simd128) and run under Node by wasm-bindgen-test: the same
//! reference vectors as the native tests, through the same harness, plus the JS error contract.
//! Run with `cargo test --target wasm32-unknown-unknown --tests` (scripts/test does).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const HALVING: &str = include_str!("../../../tests/fixtures/pool/block-emission-halving.json");
const BOUNDS: &str = include_str!("../../../tests/fixtures/pool/block-emission-issuance-bounds.json");

#[wasm_bindgen_test]
fn halving_vectors_pass_in_wasm() {
    for file in [HALVING, BOUNDS] {
        let report = tao_vectors::run_file(file).expect("fixture parses");
        assert!(!report.outcomes.is_empty());
        let failed: Vec<_> = report.outcomes.iter().filter(|o| !o.passed).collect();
        assert!(failed.is_empty(), "failed in wasm: {failed:?}");
    }
}

#[wasm_bindgen_test]
fn built_with_simd128() {
    assert!(cfg!(target_feature = "simd128"));
}

#[wasm_bindgen_test]
fn amounts_are_parsed_strictly() {
    use tao_engine_wasm::convert::to_u64;
    use tao_engine::ErrorCode;
    let big = JsValue::bigint_from_str("18446744073709551615");
    assert_eq!(to_u64(&big, "x").unwrap(), u64::MAX);
    let code = |v: JsValue| to_u64(&v, "x").unwrap_err().code;
    assert_eq!(
        code(JsValue::bigint_from_str("18446744073709551616")),
        ErrorCode::TooLarge
    );
    assert_eq!(code(JsValue::bigint_from_str("-1")), ErrorCode::Negative);
    assert_eq!(code(JsValue::from_f64(f64::NAN)), ErrorCode::NotFinite);
    assert_eq!(code(JsValue::from_f64(0.5)), ErrorCode::NotAnInteger);
    assert_eq!(code(JsValue::from_str("1e9")), ErrorCode::InvalidType);
    assert_eq!(code(JsValue::TRUE), ErrorCode::InvalidType);
    assert_eq!(to_u64(&JsValue::from_str("42"), "x").unwrap(), 42);
}

#[wasm_bindgen_test]
fn engine_errors_become_js_errors_with_code_and_field() {
    use tao_engine::{Error, ErrorCode};
    let js = tao_engine_wasm::convert::js_error(Error::field(
        ErrorCode::UidOutOfRange,
        "weights[2]",
        "uid 9 >= n 4",
    ));
    assert!(js.is_instance_of::<js_sys::RangeError>());
    let get = |k: &str| js_sys::Reflect::get(&js, &k.into()).unwrap();
    assert_eq!(get("code").as_string().as_deref(), Some("UID_OUT_OF_RANGE"));
    assert_eq!(get("field").as_string().as_deref(), Some("weights[2]"));
}

/// The simd128 kernels of the exact path give the scalar reference's bits on random inputs,
/// including values outside [0, 1] that force the per-lane fallback.
#[wasm_bindgen_test]
fn simd_kernels_match_scalar_bits() {
    use tao_engine::fixed::{simd, I32F32};
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..200 {
        let len = (next() % 67) as usize;
        let x: Vec<I32F32> = (0..len)
            .map(|_| {
                let r = next();
                // Low words whose 16-bit halves are equal (the quotient's edge) or one apart.
                let halves_equal = (((r >> 8) % 65_536) * 65_537) as i64;
                let bits = match r % 7 {
                    0 => (r >> 3) as i64,                     // anything, incl. negative and huge
                    1 => ((r >> 3) % ((1 << 32) + 1)) as i64, // in [0, 1]
                    2 => 1 << 32,
                    3 => halves_equal,
                    4 => halves_equal + [-1, 1][(r >> 40) as usize % 2],
                    5 => 0,
                    _ => ((r >> 3) % (1 << 33)) as i64, // around [0, 2]
                };
                I32F32::from_bits(bits)
            })
            .collect();
        assert_eq!(simd::sum(&x), simd::sum_scalar(&x), "sum, round {round}");
        let (mut a, mut b) = (vec![0u16; len], vec![0u16; len]);
        simd::proportions_to_u16(&x, &mut a);
        simd::proportions_to_u16_scalar(&x, &mut b);
        assert_eq!(a, b, "proportions, round {round}: {x:?}");
    }
}

/// The epoch's other lane kernels (masks, the liquid EMA by `extmul`, the u16 max-upscale of
/// weight rows) give the scalar forms' bits, on the epoch's ranges and at and outside their edges.
#[wasm_bindgen_test]
fn simd_epoch_kernels_match_scalar_bits() {
    use tao_engine::fixed::{simd, I32F32};
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    const ONE: i64 = 1 << 32;
    for round in 0..400 {
        let len = (next() % 70) as usize;
        // EMA operands: mostly in range, with 0, 1.0, just above 1.0, negatives and anything.
        let mut operand = |alpha: bool| -> i64 {
            let r = next();
            match r % 9 {
                0 => 0,
                1 => ONE,
                2 => ONE + 1,
                3 => ONE - 1,
                4 => (r >> 4) as i64,
                5 if alpha => 1,
                _ => ((r >> 4) % (ONE as u64 + 1)) as i64,
            }
        };
        let a: Vec<i64> = (0..len).map(|_| operand(true)).collect();
        let w: Vec<i64> = (0..len).map(|_| operand(false)).collect();
        let b: Vec<i64> = (0..len).map(|_| operand(false)).collect();
        let (mut got, mut want) = (vec![0i64; len], vec![0i64; len]);
        simd::ema_values(&a, &w, &b, &mut got);
        simd::ema_values_scalar(&a, &w, &b, &mut want);
        assert_eq!(got, want, "ema, round {round}: {a:?} {w:?} {b:?}");

        let mask: Vec<bool> = (0..(next() % 70) as usize).map(|_| next() % 3 == 0).collect();
        let x: Vec<I32F32> = (0..len).map(|_| I32F32::from_bits(next() as i64)).collect();
        let (mut got, mut want) = (x.clone(), x);
        simd::mask_zero(&mask, &mut got);
        simd::mask_zero_scalar(&mask, &mut want);
        assert_eq!(got, want, "mask, round {round}");

        // Weight rows under every kind of maximum: 0, at and around 32768, 65535, random.
        let cap = match round % 6 {
            0 => 0,
            1 => 32_768,
            2 => 32_769,
            3 => u16::MAX,
            4 => 32_767,
            _ => next() as u16,
        };
        let v: Vec<u16> = (0..len).map(|_| (next() as u16).min(cap)).collect();
        let (mut got, mut want) = (vec![0u16; len], vec![0u16; len]);
        simd::max_upscale_u16(&v, &mut got);
        simd::max_upscale_u16_scalar(&v, &mut want);
        assert_eq!(got, want, "max upscale, round {round}: {v:?}");
    }
    // Every maximum, with the entries at its edges, through the lanes (eight at a time).
    for m in 1..=u16::MAX {
        let r = |k: u64| (k % (u64::from(m) + 1)) as u16;
        let v = [
            0,
            1,
            m / 2,
            m.div_ceil(2),
            m - 1,
            m,
            m / 3,
            m / 7,
            r(next()),
            r(next()),
            r(next()),
            r(next()),
            (m / 3) * 2,
            m.saturating_sub(2),
            r(next()),
            r(next()),
        ];
        let (mut got, mut want) = ([0u16; 16], [0u16; 16]);
        simd::max_upscale_u16(&v, &mut got);
        simd::max_upscale_u16_scalar(&v, &mut want);
        assert_eq!(got, want, "max upscale, max {m}");
    }
}

/// A capture argument as JS passes it (its JSON text).
fn capture_arg<T: tsify::Tsify>(json: &str) -> tsify::Ts<T> {
    tsify::Ts::new_unchecked(JsValue::from_str(json))
}

const BLOCK_PARENT: &str = include_str!("../../../data/replay/block_spec473_parent.json");
const BLOCK_CHILD: &str = include_str!("../../../data/replay/block_spec473_child.json");

/// `replayBlock` in wasm: the engine-written spec-473 pair replays to itself; a child that is not
/// the next block is an `OUT_OF_RANGE` error on `child`.
#[wasm_bindgen_test]
fn replay_block_in_wasm() {
    use tao_engine_wasm::replay::replay_block;
    let r =
        JsValue::from(replay_block(capture_arg(BLOCK_PARENT), capture_arg(BLOCK_CHILD)).unwrap());
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let items: js_sys::Array = get(&r, "items").dyn_into().unwrap();
    assert!(items.length() > 20);
    assert!(items.iter().all(|i| get(&i, "equal") == JsValue::TRUE));
    let missing: js_sys::Array = get(&r, "missing").dyn_into().unwrap();
    assert_eq!(missing.length(), 0);
    let e = replay_block(capture_arg(BLOCK_PARENT), capture_arg(BLOCK_PARENT)).unwrap_err();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("OUT_OF_RANGE"));
    assert_eq!(get(&e, "field").as_string().as_deref(), Some("child"));
}

const EPOCH_PARENT: &str = include_str!("../../../data/replay/block_epoch_spec425_parent.json");
const EPOCH_CHILD: &str = include_str!("../../../data/replay/block_epoch_spec425_child.json");

/// `replayBlock` in wasm with an epoch due (`tests/replay_block_epoch.rs`): the epoch's writes
/// match the chain scenario's outputs; only the distribution is listed as missing.
#[wasm_bindgen_test]
fn replay_block_with_an_epoch_in_wasm() {
    use tao_engine_wasm::replay::replay_block;
    let r =
        JsValue::from(replay_block(capture_arg(EPOCH_PARENT), capture_arg(EPOCH_CHILD)).unwrap());
    let get = |v: &JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).unwrap();
    let items: js_sys::Array = get(&r, "items").dyn_into().unwrap();
    assert!(items.iter().all(|i| get(&i, "equal") == JsValue::TRUE));
    assert!(items
        .iter()
        .any(|i| get(&i, "item").as_string().as_deref() == Some("SubtensorModule.Dividends")));
    let missing: js_sys::Array = get(&r, "missing").dyn_into().unwrap();
    assert_eq!(missing.length(), 12);
}
