//! Block emission and the halving schedule.

use super::convert::{js_error, to_js, to_opt_u32, to_u64, to_u64s};
use tao_engine::emission;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_EMISSION: &'static str = r#"
/** An unsigned 64-bit amount: a bigint, a safe-integer number, or a decimal string. */
export type U64Like = bigint | number | string;

/** One step of the halving schedule. */
export interface HalvingStep {
  /** Halvings so far (0 before the first). */
  halvings: bigint;
  /** Smallest total issuance (rao) at which `emission` applies. */
  issuanceFrom: bigint;
  /** TAO emitted per block (rao) from that issuance on. */
  emission: bigint;
}
"#;

/// TAO emitted per block (rao) at total issuance `issuance` (rao), exactly as the chain computes
/// it (`get_block_emission_for_issuance`). The same function gives a subnet's alpha emission from
/// its alpha issuance.
///
/// Throws `RangeError` with `code` `NEGATIVE`, `TOO_LARGE`, `NOT_FINITE` or `NOT_AN_INTEGER`, or
/// `Error` with `code` `INVALID_TYPE`.
///
/// @example
/// ```ts
/// blockEmission(10_500_000_000_000_000n); // 500000000n (first halving)
/// ```
#[wasm_bindgen(js_name = blockEmission)]
pub fn block_emission(
    #[wasm_bindgen(unchecked_param_type = "U64Like")] issuance: JsValue,
) -> Result<u64, JsValue> {
    let issuance = to_u64(&issuance, "issuance").map_err(js_error)?;
    Ok(emission::block_emission(issuance))
}

/// Block emission for many issuances at once (one wasm call for a whole plot).
///
/// @example
/// ```ts
/// blockEmissionBatch(new BigUint64Array([0n, 10_500_000_000_000_000n])); // [1000000000n, 500000000n]
/// ```
#[wasm_bindgen(js_name = blockEmissionBatch)]
pub fn block_emission_batch(
    #[wasm_bindgen(unchecked_param_type = "BigUint64Array | U64Like[]")] issuances: JsValue,
) -> Result<Vec<u64>, JsValue> {
    let issuances = to_u64s(&issuances, "issuances").map_err(js_error)?;
    Ok(issuances
        .iter()
        .map(|&i| emission::block_emission(i))
        .collect())
}

/// The halving schedule: every issuance at which the block emission changes, as the chain's own
/// arithmetic places it, for at most `maxSteps` steps (default 12) or until emission reaches 0.
///
/// @example
/// ```ts
/// halvingSchedule(3).map(s => s.emission); // [1000000000n, 500000000n, 250000000n]
/// ```
#[wasm_bindgen(js_name = halvingSchedule, unchecked_return_type = "HalvingStep[]")]
pub fn halving_schedule(
    #[wasm_bindgen(js_name = maxSteps, unchecked_optional_param_type = "number | null")] max_steps: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let max_steps = to_opt_u32(&max_steps.unwrap_or_default(), "maxSteps").map_err(js_error)?;
    let steps = emission::halving_schedule(max_steps.unwrap_or(12).min(64) as usize);
    to_js(&steps)
}
