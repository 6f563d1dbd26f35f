//! Retention maps in wasm32 (simd128, under Node via wasm-bindgen-test): the same seed gives the
//! same cells as the native engine, bit for bit (`tests/golden/retention-cells.json`, written and
//! checked natively by `tests/retention.rs`).
#![cfg(target_arch = "wasm32")]

use tao_engine::runtime::Rules;
use tao_engine::sim::retention::{retention_cells, RetentionGrid, RetentionParams};
use wasm_bindgen_test::wasm_bindgen_test;

const GOLDEN: &str = include_str!("../../../tests/golden/retention-cells.json");

#[wasm_bindgen_test]
fn wasm_cells_match_the_native_golden() {
    let g: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
    let params: RetentionParams = serde_json::from_value(g["params"].clone()).unwrap();
    let grid: RetentionGrid = serde_json::from_value(g["grid"].clone()).unwrap();
    let cells = retention_cells(&params, &grid, 0, grid.len(), &Rules::newest()).unwrap();
    let bits = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let ratio: Vec<String> = cells
        .iter()
        .map(|c| c.major_ratio.to_bits().to_string())
        .collect();
    let dev: Vec<String> = cells
        .iter()
        .map(|c| c.avg_weight_dev.to_bits().to_string())
        .collect();
    assert_eq!(ratio, bits(&g["majorRatioBits"]));
    assert_eq!(dev, bits(&g["avgWeightDevBits"]));
}
