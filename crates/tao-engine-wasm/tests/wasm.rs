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
                let bits = match r % 4 {
                    0 => (r >> 2) as i64,                     // anything, incl. negative and huge
                    1 => ((r >> 2) % ((1 << 32) + 1)) as i64, // in [0, 1]
                    2 => 1 << 32,
                    _ => ((r >> 2) % (1 << 33)) as i64, // around [0, 2]
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
    assert_eq!(missing.length(), 10);
}
