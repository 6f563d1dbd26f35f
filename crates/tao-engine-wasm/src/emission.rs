//! Block emission and the halving schedule.

use super::convert::{js_error, to_opt_u32, to_ts};
use super::request::{read, U64Like, U64Likes};
use serde::Serialize;
use tao_engine::emission;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// One step of the halving schedule.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct HalvingStep {
    /// Halvings so far (0 before the first).
    halvings: u64,
    /// Smallest total issuance (rao) at which `emission` applies.
    issuance_from: u64,
    /// TAO emitted per block (rao) from that issuance on.
    emission: u64,
}

/// The response of [`halving_schedule`].
#[derive(Serialize, Tsify)]
#[serde(transparent)]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct HalvingSchedule(Vec<HalvingStep>);

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
pub fn block_emission(issuance: Ts<U64Like>) -> Result<u64, JsValue> {
    let issuance = read(&issuance, "issuance")?.0;
    Ok(emission::block_emission(issuance))
}

/// Block emission for many issuances at once (one wasm call for a whole plot).
///
/// @example
/// ```ts
/// blockEmissionBatch(new BigUint64Array([0n, 10_500_000_000_000_000n])); // [1000000000n, 500000000n]
/// ```
#[wasm_bindgen(js_name = blockEmissionBatch)]
pub fn block_emission_batch(issuances: Ts<U64Likes>) -> Result<Vec<u64>, JsValue> {
    let issuances = read(&issuances, "issuances")?.0;
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
#[wasm_bindgen(js_name = halvingSchedule)]
pub fn halving_schedule(
    #[wasm_bindgen(js_name = maxSteps, unchecked_optional_param_type = "number | null")] max_steps: Option<
        JsValue,
    >,
) -> Result<Ts<HalvingSchedule>, JsValue> {
    let max_steps = to_opt_u32(&max_steps.unwrap_or_default(), "maxSteps").map_err(js_error)?;
    let steps = emission::halving_schedule(max_steps.unwrap_or(12).min(64) as usize);
    to_ts(&HalvingSchedule(
        steps
            .into_iter()
            .map(|s| HalvingStep {
                halvings: s.halvings,
                issuance_from: s.issuance_from,
                emission: s.emission,
            })
            .collect(),
    ))
}
