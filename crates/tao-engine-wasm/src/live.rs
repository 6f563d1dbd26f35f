//! What the app's live mode needs from the engine beyond decoding: runtime metadata read in the
//! browser (its runtime version, the storage items no rule set reads, storage keys derived by name
//! from the metadata itself) and the realized APY of a validator over recent epochs
//! (`sim::realized_apy`). Thin wrappers: convert, call the core, convert back.

use super::convert::{from_js, js_error, to_array, to_js, to_str};
use tao_engine::chain::hex;
use tao_engine::chain::metadata::{self, unread_storage};
use tao_engine::error::{Error, ErrorCode, Result};
use tao_engine::sim::realized_apy::{subnet_validator_apy, SubnetEpoch};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TS_LIVE: &'static str = r#"
/** What `metadataInfo` reads from `RuntimeMetadataPrefixed` bytes. */
export interface MetadataInfo {
  metadataVersion: number;
  specName: string;
  specVersion: number;
  implVersion: number;
  pallets: number;
  storageItems: number;
  runtimeApis: string[];
  /** Storage items of this runtime that no rule set of the engine reads. */
  unread: { pallet: string; item: string }[];
}
/** A storage key asked of the metadata: map keys as SCALE hex, outermost first. */
export interface MetadataKeyRequest { pallet: string; item: string; keys?: string[] }
/** One subnet epoch of a validator hotkey (floats in alpha / TAO, as the chain values decode). */
export interface RealizedEpoch {
  alphaDivRaw: number; subnetAlphaStake: number; rootStakeTao: number; taoWeightParam: number;
  inhRootStake?: number; inhSubnetStake?: number;
}
/** Realized APY of a subnet validator (TaoYield's definition, shared/fixtures/returns). */
export interface RealizedApy { apyPercent: number; divsSumAlpha: number; periodYield: number; skipped: number }
"#;

fn bytes_of(v: &JsValue, field: &str) -> Result<Vec<u8>> {
    if let Some(s) = v.as_string() {
        return hex::decode(s.trim()).map_err(|e| e.with_field(field.to_string()));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec());
    }
    Err(Error::field(
        ErrorCode::InvalidType,
        field,
        "expected 0x hex or a Uint8Array",
    ))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Info {
    metadata_version: u8,
    spec_name: String,
    spec_version: u32,
    impl_version: u32,
    pallets: usize,
    storage_items: usize,
    runtime_apis: Vec<String>,
    unread: Vec<Unread>,
}

#[derive(serde::Serialize)]
struct Unread {
    pallet: String,
    item: String,
}

/// Decode runtime metadata (`state_getMetadata`, V14–V16, strictly) and say what it is: the
/// runtime version from the System `Version` constant, the runtime APIs, and the storage items
/// no rule set of this engine reads ("changes this engine does not model").
///
/// @example
/// ```ts
/// metadataInfo(await rpc.request("state_getMetadata")).specVersion; // 343
/// ```
#[wasm_bindgen(js_name = metadataInfo, unchecked_return_type = "MetadataInfo")]
pub fn metadata_info(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] bytes: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<Info> {
        let meta = metadata::decode(&bytes_of(&bytes, "metadata")?)?;
        let rv = meta.runtime_version()?;
        Ok(Info {
            metadata_version: meta.version,
            spec_name: rv.spec_name,
            spec_version: rv.spec_version,
            impl_version: rv.impl_version,
            pallets: meta.pallets.len(),
            storage_items: meta.pallets.iter().map(|p| p.storage.len()).sum(),
            runtime_apis: meta.apis.iter().map(|a| a.name.clone()).collect(),
            unread: unread_storage(&meta)
                .into_iter()
                .map(|r| Unread {
                    pallet: r.pallet,
                    item: r.item,
                })
                .collect(),
        })
    };
    to_js(&run().map_err(js_error)?)
}

/// Storage keys derived by name from the metadata (its hashers and key types), one per request;
/// each map key is SCALE hex and must decode as the declared key type. The metadata is decoded
/// once per call.
///
/// @example
/// ```ts
/// metadataStorageKeys(meta, [{ pallet: "SubtensorModule", item: "TaoWeight" }]); // ["0x658f…"]
/// ```
#[wasm_bindgen(js_name = metadataStorageKeys, unchecked_return_type = "string[]")]
pub fn metadata_storage_keys(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] bytes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MetadataKeyRequest[]")] requests: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<Vec<String>> {
        let meta = metadata::decode(&bytes_of(&bytes, "metadata")?)?;
        let reqs = to_array(&requests, "requests")?;
        let mut out = Vec::with_capacity(reqs.len());
        for (i, r) in reqs.iter().enumerate() {
            let at = |f: &str| format!("requests[{i}].{f}");
            let get = |f: &str| js_sys::Reflect::get(r, &f.into()).unwrap_or(JsValue::UNDEFINED);
            let pallet = to_str(&get("pallet"), &at("pallet"))?;
            let item = to_str(&get("item"), &at("item"))?;
            let keys_v = get("keys");
            let keys: Vec<Vec<u8>> = if keys_v.is_undefined() || keys_v.is_null() {
                Vec::new()
            } else {
                to_array(&keys_v, &at("keys"))?
                    .iter()
                    .enumerate()
                    .map(|(j, k)| bytes_of(k, &format!("requests[{i}].keys[{j}]")))
                    .collect::<Result<_>>()?
            };
            let refs: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
            let key = meta
                .storage_key(&pallet, &item, &refs)
                .map_err(|e| e.within(&format!("requests[{i}]")))?;
            out.push(hex::encode(&key));
        }
        Ok(out)
    };
    to_js(&run().map_err(js_error)?)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EpochIn {
    alpha_div_raw: f64,
    subnet_alpha_stake: f64,
    root_stake_tao: f64,
    tao_weight_param: f64,
    #[serde(default)]
    inh_root_stake: f64,
    #[serde(default)]
    inh_subnet_stake: f64,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ApyOut {
    apy_percent: f64,
    divs_sum_alpha: f64,
    period_yield: f64,
    skipped: u32,
}

/// Realized APY of a subnet validator over recent epochs (`sim::realized_apy`, the definition of
/// `shared/fixtures/returns/README.md`): per epoch `dividend / alpha stake`, compounded, then
/// annualised over `intervalSeconds`. Values are decoded chain amounts as floats (alpha, TAO).
///
/// @example
/// ```ts
/// realizedApy([{ alphaDivRaw: 49.58, subnetAlphaStake: 883116.6, rootStakeTao: 344, taoWeightParam: 0.18 }], 4332).apyPercent;
/// ```
#[wasm_bindgen(js_name = realizedApy, unchecked_return_type = "RealizedApy")]
pub fn realized_apy(
    #[wasm_bindgen(unchecked_param_type = "RealizedEpoch[]")] epochs: JsValue,
    #[wasm_bindgen(js_name = intervalSeconds, unchecked_param_type = "number")]
    interval_seconds: JsValue,
    #[wasm_bindgen(js_name = noFilters, unchecked_param_type = "boolean | undefined")]
    no_filters: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<ApyOut> {
        let list: Vec<EpochIn> = from_js(epochs, "epochs")?;
        let seconds = interval_seconds.as_f64().ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidType,
                "intervalSeconds",
                "expected a number",
            )
        })?;
        let no_filters = match no_filters.as_bool() {
            Some(b) => b,
            None if no_filters.is_undefined() || no_filters.is_null() => false,
            None => {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    "noFilters",
                    "expected a boolean",
                ))
            }
        };
        let eps: Vec<SubnetEpoch> = list
            .iter()
            .map(|e| SubnetEpoch {
                alpha_div_raw: e.alpha_div_raw,
                subnet_alpha_stake: e.subnet_alpha_stake,
                root_stake_tao: e.root_stake_tao,
                tao_weight_param: e.tao_weight_param,
                inh_root_stake: e.inh_root_stake,
                inh_subnet_stake: e.inh_subnet_stake,
            })
            .collect();
        let r = subnet_validator_apy(&eps, seconds, no_filters)?;
        Ok(ApyOut {
            apy_percent: r.apy_percent,
            divs_sum_alpha: r.divs_sum_alpha,
            period_yield: r.period_yield,
            skipped: r.skipped,
        })
    };
    to_js(&run().map_err(js_error)?)
}
