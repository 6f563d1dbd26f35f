//! Runtime rules at the boundary: which spec's rules a call uses, and the timeline itself.

use super::convert::{js_error, to_js};
use super::request::read_or_default;
use tsify::Ts;
use tao_engine::runtime::{timeline, Approximation, Rules, RuntimeFeatures};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_RUNTIME: &'static str = r#"
/** The runtime whose rules produced a result. */
export interface RuntimeInfo {
  /** The spec asked for. */
  specVersion: number;
  /** The spec whose rules were used (differs only when approximate). */
  rulesSpec: number;
  /** True when the spec is unknown and the nearest known rules stood in. */
  approximate: boolean;
  /** What the engine cannot know about this runtime (empty unless approximate). */
  unknownChanges: string[];
  /** The date the rules' runtime was first seen live on finney (YYYY-MM-DD), when known. */
  liveSince: string | null;
}

/** Every rule of one runtime (see `knownRuntimes` for the timeline they come from). */
export interface RuntimeRules extends RuntimeInfo {
  shares: "root_prop_price_burn" | "price_burn" | "price";
  gate: "off" | "q_mass" | "rank_or_q_mass";
  rootDividends: "claimable" | "fund";
  dividendSplit: "base" | "root_reborn" | "hotfix";
  collateral: boolean;
  reservoirs: boolean;
  txFees: "to_author" | "recycled" | "recycled_halved";
  liquidAlphaConsensusMode: boolean;
  moveStakeLimit: boolean;
  totalAlphaStaked: boolean;
  rootWeights: boolean;
  sharePoolValueCap: boolean;
  claimDustRules: boolean;
  registrationSeeding: boolean;
  convictionOwnerChange: boolean;
  metagraphCollateralLayout: boolean;
  poolCurve: "balancer" | "superellipse";
}

/** One row of the rule timeline: a rule, the specs that have it, and the evidence grade. */
export interface RuleChange {
  feature: string;
  fromSpec: number;
  untilSpec: number | null;
  evidence: "A" | "B" | "C";
  source: string;
}

/** The runtimes this engine holds rules for. */
export interface KnownRuntimes {
  oldest: number;
  newest: number;
  /** Specs at which some rule switches. */
  boundaries: number[];
  timeline: RuleChange[];
  /** Changes inside the known range that the engine does not model. */
  notModelled: string[];
  /** Finney runtimes with the date each was first seen live. */
  liveDates: [number, string][];
}
"#;

js_request! {
    /// Which runtime's rules a call uses. Without `specVersion`, the newest known runtime.
    #[derive(Default)]
    pub struct RuntimeChoice {
        /// The runtime `spec_version` (e.g. 473). Unknown specs throw `UNSUPPORTED_RUNTIME`.
        #[tsify(optional)]
        spec_version "specVersion": Option<u32>,
        /// Use the nearest known rules for an unknown spec; results then say `approximate: true`.
        #[tsify(optional)]
        accept_approximate "acceptApproximate": Option<bool>,
        /// The runtime's metadata has `Swap.SwapSuperellipse`.
        #[tsify(optional)]
        swap_superellipse "swapSuperellipse": Option<bool>,
    }
}

impl From<RuntimeChoice> for JsRuntimeChoice {
    fn from(c: RuntimeChoice) -> Self {
        JsRuntimeChoice {
            spec_version: c.spec_version,
            accept_approximate: c.accept_approximate.unwrap_or(false),
            swap_superellipse: c.swap_superellipse.unwrap_or(false),
        }
    }
}

/// The `RuntimeChoice` fields, flattened into each call's options object.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct JsRuntimeChoice {
    pub spec_version: Option<u32>,
    pub accept_approximate: bool,
    pub swap_superellipse: bool,
}

impl JsRuntimeChoice {
    /// The rules chosen (newest when no spec is named).
    pub(crate) fn rules(self) -> Result<Rules, JsValue> {
        self.rules_core().map_err(js_error)
    }

    /// [`Self::rules`] with the core error.
    pub(crate) fn rules_core(self) -> tao_engine::Result<Rules> {
        let features = RuntimeFeatures {
            swap_superellipse: self.swap_superellipse,
        };
        let approx = if self.accept_approximate {
            Approximation::Nearest
        } else {
            Approximation::Reject
        };
        match self.spec_version {
            None => Rules::resolve(timeline::NEWEST_KNOWN_SPEC, Approximation::Reject, features),
            Some(spec) => Rules::resolve(spec, approx, features),
        }
    }
}

/// What every result carries about the rules that produced it.
pub(crate) type JsRuntimeInfo = tao_engine::runtime::RuntimeInfo;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsRule<'a> {
    feature: timeline::Feature,
    from_spec: u32,
    until_spec: Option<u32>,
    evidence: timeline::Evidence,
    source: &'a str,
}

/// The rules of one runtime. Throws `UNSUPPORTED_RUNTIME` (field `specVersion`) for a spec the
/// engine does not know, unless `acceptApproximate` is set.
///
/// @example
/// ```ts
/// runtimeRules({ specVersion: 444 }).shares;          // "price" (no burn factor in 444)
/// runtimeRules().specVersion;                          // 475, the newest known
/// runtimeRules({ specVersion: 480, acceptApproximate: true }).approximate; // true
/// ```
#[wasm_bindgen(js_name = runtimeRules, unchecked_return_type = "RuntimeRules")]
pub fn runtime_rules(choice: Option<Ts<RuntimeChoice>>) -> Result<JsValue, JsValue> {
    let choice = JsRuntimeChoice::from(read_or_default(&choice, "choice")?);
    let rules = choice.rules()?;
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        #[serde(flatten)]
        rules: &'a Rules,
        live_since: Option<String>,
    }
    to_js(&Out {
        live_since: rules.info().live_since,
        rules: &rules,
    })
}

/// The runtimes this engine has rules for, and the timeline of rule changes with their evidence.
///
/// @example
/// ```ts
/// const k = knownRuntimes();
/// k.newest;                                  // 475
/// k.timeline.find((r) => r.feature === "emission_gate").fromSpec; // 440
/// ```
#[wasm_bindgen(js_name = knownRuntimes, unchecked_return_type = "KnownRuntimes")]
pub fn known_runtimes() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        oldest: u32,
        newest: u32,
        boundaries: Vec<u32>,
        timeline: Vec<JsRule<'a>>,
        not_modelled: &'a [&'a str],
        live_dates: &'a [(u32, &'a str)],
    }
    to_js(&Out {
        oldest: timeline::OLDEST_KNOWN_SPEC,
        newest: timeline::NEWEST_KNOWN_SPEC,
        boundaries: timeline::boundaries(),
        timeline: timeline::TIMELINE
            .iter()
            .map(|c| JsRule {
                feature: c.feature,
                from_spec: c.from_spec,
                until_spec: c.until_spec,
                evidence: c.evidence,
                source: c.source,
            })
            .collect(),
        not_modelled: timeline::NOT_MODELLED,
        live_dates: timeline::LIVE_DATES,
    })
}

/// Read `specVersion`, `acceptApproximate` and `swapSuperellipse` from a request object (absent
/// fields take their defaults), checking their JS types. (Only the `sim` feature's exports still
/// read a choice this way; poolQuote declares the fields in its request.)
#[cfg_attr(not(feature = "sim"), allow(dead_code))]
pub(crate) fn choice_of(obj: &JsValue) -> tao_engine::Result<JsRuntimeChoice> {
    use tao_engine::{Error, ErrorCode};
    let get =
        |k: &str| js_sys::Reflect::get(obj, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let flag = |k: &str| -> tao_engine::Result<bool> {
        let v = get(k);
        if v.is_undefined() || v.is_null() {
            return Ok(false);
        }
        v.as_bool()
            .ok_or_else(|| Error::field(ErrorCode::InvalidType, k, "expected a boolean"))
    };
    let spec = get("specVersion");
    let spec_version = if spec.is_undefined() || spec.is_null() {
        None
    } else {
        let v = super::convert::to_u64(&spec, "specVersion")?;
        Some(u32::try_from(v).map_err(|_| {
            Error::field(
                ErrorCode::TooLarge,
                "specVersion",
                "a spec version fits in u32",
            )
        })?)
    };
    Ok(JsRuntimeChoice {
        spec_version,
        accept_approximate: flag("acceptApproximate")?,
        swap_superellipse: flag("swapSuperellipse")?,
    })
}
