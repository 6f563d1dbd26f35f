//! What the app's live mode needs from the engine beyond decoding: runtime metadata read in the
//! browser (its runtime version, the storage items no rule set reads, storage keys derived by name
//! from the metadata itself) and the realized APY of a validator over recent epochs
//! (`sim::realized_apy`). Thin wrappers: convert, call the core, convert back.

use super::convert::{js_error, to_ts};
use super::request::{read, BytesLike, FromJs};
use serde::Serialize;
use tao_engine::chain::hex;
use tao_engine::chain::metadata;
use tao_engine::sim::realized_apy::{subnet_validator_apy, SubnetApy, SubnetEpoch};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// What `metadataInfo` reads from `RuntimeMetadataPrefixed` bytes.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct MetadataInfo {
    /// The metadata version (14 to 16).
    metadata_version: u8,
    /// The runtime's `spec_name`.
    spec_name: String,
    /// The runtime's `spec_version`.
    spec_version: u32,
    /// The runtime's `impl_version`.
    impl_version: u32,
    /// Pallets.
    pallets: u32,
    /// Storage items of all pallets.
    storage_items: u32,
    /// Runtime API names.
    runtime_apis: Vec<String>,
    /// Storage items of this runtime that no rule set of the engine reads.
    unread: Vec<UnreadItem>,
}

/// A storage item no rule set of the engine reads.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct UnreadItem {
    /// Pallet name.
    pallet: String,
    /// Storage item name.
    item: String,
}

impl From<metadata::Overview> for MetadataInfo {
    fn from(m: metadata::Overview) -> Self {
        MetadataInfo {
            metadata_version: m.metadata_version,
            spec_name: m.spec_name,
            spec_version: m.spec_version,
            impl_version: m.impl_version,
            pallets: m.pallets,
            storage_items: m.storage_items,
            runtime_apis: m.runtime_apis,
            unread: m
                .unread
                .into_iter()
                .map(|r| UnreadItem {
                    pallet: r.pallet,
                    item: r.item,
                })
                .collect(),
        }
    }
}

crate::js_request! {
    /// A storage key asked of the metadata: map keys as SCALE hex, outermost first.
    pub struct MetadataKeyRequest {
        /// Pallet name, e.g. "SubtensorModule".
        pallet "pallet": String,
        /// Storage item name, e.g. "TaoWeight".
        item "item": String,
        /// The map keys, SCALE-encoded (none for a plain value or an iteration prefix).
        #[tsify(optional)]
        keys "keys": Option<Vec<BytesLike>>,
    }
}

crate::js_request! {
    /// One subnet epoch of a validator hotkey (floats in alpha / TAO, as the chain values decode).
    pub struct RealizedEpoch {
        /// `AlphaDividendsPerSubnet[netuid, hotkey]` at the epoch, alpha.
        alpha_div_raw "alphaDivRaw": f64,
        /// The hotkey's alpha stake on the subnet.
        subnet_alpha_stake "subnetAlphaStake": f64,
        /// The hotkey's root stake, TAO.
        root_stake_tao "rootStakeTao": f64,
        /// `TaoWeight` as a fraction.
        tao_weight_param "taoWeightParam": f64,
        /// Inherited root stake, TAO (default 0).
        #[tsify(optional)]
        inh_root_stake "inhRootStake": Option<f64>,
        /// Inherited alpha stake (default 0).
        #[tsify(optional)]
        inh_subnet_stake "inhSubnetStake": Option<f64>,
    }
}

/// Realized APY of a subnet validator (TaoYield's definition, shared/fixtures/returns).
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct RealizedApy {
    /// Annualised yield, percent.
    apy_percent: f64,
    /// Sum of the dividends used, alpha.
    divs_sum_alpha: f64,
    /// Compounded yield over the window.
    period_yield: f64,
    /// Events with a dividend that failed the stake filter or had no stake.
    skipped: u32,
}

impl From<SubnetApy> for RealizedApy {
    fn from(r: SubnetApy) -> Self {
        RealizedApy {
            apy_percent: r.apy_percent,
            divs_sum_alpha: r.divs_sum_alpha,
            period_yield: r.period_yield,
            skipped: r.skipped,
        }
    }
}

fn metadata_of(bytes: &Ts<BytesLike>) -> Result<metadata::Metadata, JsValue> {
    metadata::decode(&read(bytes, "metadata")?.0).map_err(js_error)
}

/// Decode runtime metadata (`state_getMetadata`, V14–V16, strictly) and say what it is: the
/// runtime version from the System `Version` constant, the runtime APIs, and the storage items
/// no rule set of this engine reads ("changes this engine does not model").
///
/// @example
/// ```ts
/// metadataInfo(await rpc.request("state_getMetadata")).specVersion; // 343
/// ```
#[wasm_bindgen(js_name = metadataInfo)]
pub fn metadata_info(bytes: Ts<BytesLike>) -> Result<Ts<MetadataInfo>, JsValue> {
    let meta = metadata_of(&bytes)?;
    to_ts(&MetadataInfo::from(meta.overview().map_err(js_error)?))
}

/// Storage keys derived by name from the metadata (its hashers and key types), one per request;
/// each map key is SCALE hex and must decode as the declared key type. The metadata is decoded
/// once per call.
///
/// @example
/// ```ts
/// metadataStorageKeys(meta, [{ pallet: "SubtensorModule", item: "TaoWeight" }]); // ["0x658f…"]
/// ```
#[wasm_bindgen(js_name = metadataStorageKeys)]
pub fn metadata_storage_keys(
    bytes: Ts<BytesLike>,
    #[wasm_bindgen(unchecked_param_type = "MetadataKeyRequest[]")] requests: JsValue,
) -> Result<Vec<String>, JsValue> {
    let meta = metadata_of(&bytes)?;
    let requests = Vec::<MetadataKeyRequest>::parse(&requests, "requests").map_err(js_error)?;
    requests
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let at = format!("requests[{i}]");
            let keys: Vec<&[u8]> = r.keys.iter().flatten().map(|k| k.0.as_slice()).collect();
            meta.storage_key(&r.pallet, &r.item, &keys)
                .map(|k| hex::encode(&k))
                .map_err(|e| js_error(e.within(&at)))
        })
        .collect()
}

/// Realized APY of a subnet validator over recent epochs (`sim::realized_apy`, the definition of
/// `shared/fixtures/returns/README.md`): per epoch `dividend / alpha stake`, compounded, then
/// annualised over `intervalSeconds`. Values are decoded chain amounts as floats (alpha, TAO).
///
/// @example
/// ```ts
/// realizedApy([{ alphaDivRaw: 49.58, subnetAlphaStake: 883116.6, rootStakeTao: 344, taoWeightParam: 0.18 }], 4332).apyPercent;
/// ```
#[wasm_bindgen(js_name = realizedApy)]
pub fn realized_apy(
    #[wasm_bindgen(unchecked_param_type = "RealizedEpoch[]")] epochs: JsValue,
    #[wasm_bindgen(js_name = intervalSeconds, unchecked_param_type = "number")]
    interval_seconds: JsValue,
    #[wasm_bindgen(js_name = noFilters, unchecked_optional_param_type = "boolean | null")]
    no_filters: Option<JsValue>,
) -> Result<Ts<RealizedApy>, JsValue> {
    let seconds = f64::parse(&interval_seconds, "intervalSeconds").map_err(js_error)?;
    let no_filters =
        Option::<bool>::parse(&no_filters.unwrap_or_default(), "noFilters").map_err(js_error)?;
    let epochs = Vec::<RealizedEpoch>::parse(&epochs, "epochs").map_err(js_error)?;
    let eps: Vec<SubnetEpoch> = epochs
        .into_iter()
        .map(|e| SubnetEpoch {
            alpha_div_raw: e.alpha_div_raw,
            subnet_alpha_stake: e.subnet_alpha_stake,
            root_stake_tao: e.root_stake_tao,
            tao_weight_param: e.tao_weight_param,
            inh_root_stake: e.inh_root_stake.unwrap_or(0.0),
            inh_subnet_stake: e.inh_subnet_stake.unwrap_or(0.0),
        })
        .collect();
    let r = subnet_validator_apy(&eps, seconds, no_filters.unwrap_or(false)).map_err(js_error)?;
    to_ts(&RealizedApy::from(r))
}
