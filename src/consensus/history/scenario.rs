//! The JSON contract of `scripts/yuma-versions`: a scenario in (what yuma-simulation's
//! `_run_simulation` feeds `_call_yuma`), `{"epochs": [{"dividends", "incentives", "bonds"}]}` out.
//!
//! Input: `{"version", "params", "num_validators", "num_servers", "use_full_matrices",
//! "reset_bonds"?, "epochs": [{"weights", "stakes"}]}`. `params` is the merged `YumaConfig`: any key
//! left out takes yuma-simulation's default, an unknown key is an error (as `with_overrides`
//! raises). Numbers become `f32` as `torch.tensor` rounds them.

use serde_json::{Map, Value};

use super::config::{ConsensusMode, YumaConfig};
use super::liquid::Layout;
use super::simulate::{EpochIn, EpochRecord, ResetBonds, Scenario, Version};
use super::tensor::Matrix;
use crate::error::{Error, ErrorCode, Result};

/// The largest validator or server count accepted (a subnet's UID limit).
const MAX_NEURONS: u64 = 4096;

fn bad(code: ErrorCode, field: &str, message: impl Into<String>) -> Error {
    Error::field(code, field, message)
}

fn number(v: &Value, field: &str) -> Result<f64> {
    let x = v
        .as_f64()
        .ok_or_else(|| bad(ErrorCode::InvalidType, field, "expected a number"))?;
    if !x.is_finite() {
        return Err(bad(ErrorCode::NotFinite, field, "expected a finite number"));
    }
    Ok(x)
}

fn count(v: Option<&Value>, field: &str) -> Result<usize> {
    let v = v.ok_or_else(|| bad(ErrorCode::MissingField, field, "required"))?;
    let n = v.as_u64().ok_or_else(|| {
        bad(
            ErrorCode::InvalidType,
            field,
            "expected a non-negative integer",
        )
    })?;
    if n > MAX_NEURONS {
        return Err(bad(
            ErrorCode::TooLarge,
            field,
            format!("at most {MAX_NEURONS}"),
        ));
    }
    usize::try_from(n).map_err(|_| bad(ErrorCode::TooLarge, field, "too large"))
}

fn flag(v: Option<&Value>, field: &str, default: bool) -> Result<bool> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| bad(ErrorCode::InvalidType, field, "expected true or false")),
    }
}

/// The merged `YumaConfig` from `params` (defaults for missing keys).
pub fn parse_params(v: Option<&Value>) -> Result<YumaConfig> {
    let mut cfg = YumaConfig::default();
    let Some(v) = v else {
        return Ok(cfg);
    };
    let map = v
        .as_object()
        .ok_or_else(|| bad(ErrorCode::InvalidType, "params", "expected an object"))?;
    for (key, value) in map {
        let field = format!("params.{key}");
        let f = field.as_str();
        match key.as_str() {
            "kappa" => cfg.kappa = number(value, f)?,
            "bond_penalty" => {
                cfg.bond_penalty = match value {
                    Value::Null => None,
                    v => Some(number(v, f)?),
                }
            }
            "bond_moving_avg" => cfg.bond_moving_avg = number(value, f)?,
            "liquid_alpha" => cfg.liquid_alpha = flag(Some(value), f, false)?,
            "alpha_low" => cfg.alpha_low = number(value, f)?,
            "alpha_high" => cfg.alpha_high = number(value, f)?,
            "alpha_sigmoid_steepness" => cfg.alpha_sigmoid_steepness = number(value, f)?,
            "decay_rate" => cfg.decay_rate = number(value, f)?,
            "capacity_alpha" => cfg.capacity_alpha = number(value, f)?,
            "winner_takes_all" => cfg.winner_takes_all = flag(Some(value), f, false)?,
            "liquid_alpha_consensus_mode" => {
                let s = value
                    .as_str()
                    .ok_or_else(|| bad(ErrorCode::InvalidType, f, "expected a string"))?;
                cfg.liquid_alpha_consensus_mode = ConsensusMode::parse(s).ok_or_else(|| {
                    bad(
                        ErrorCode::OutOfRange,
                        f,
                        "expected CURRENT, PREVIOUS or MIXED",
                    )
                })?;
            }
            // Read by no Yuma function (charts, the legacy consensus, unused overrides).
            "consensus_precision"
            | "override_consensus_high"
            | "override_consensus_low"
            | "total_epoch_emission"
            | "validator_emission_ratio"
            | "total_subnet_stake"
            | "alpha_tao_ratio" => {
                if !value.is_null() {
                    number(value, f)?;
                }
            }
            _ => return Err(bad(ErrorCode::Unsupported, f, "unknown config key")),
        }
    }
    Ok(cfg)
}

fn parse_reset(v: Option<&Value>, servers: usize) -> Result<Option<ResetBonds>> {
    let map = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(bad(
                ErrorCode::InvalidType,
                "reset_bonds",
                "expected an object",
            ))
        }
    };
    let epoch = map
        .get("epoch")
        .and_then(Value::as_u64)
        .and_then(|e| usize::try_from(e).ok())
        .ok_or_else(|| {
            bad(
                ErrorCode::InvalidType,
                "reset_bonds.epoch",
                "expected a non-negative integer",
            )
        })?;
    let index = map
        .get("index")
        .and_then(Value::as_u64)
        .and_then(|e| usize::try_from(e).ok())
        .ok_or_else(|| {
            bad(
                ErrorCode::InvalidType,
                "reset_bonds.index",
                "expected a non-negative integer",
            )
        })?;
    if index >= servers {
        return Err(bad(
            ErrorCode::OutOfRange,
            "reset_bonds.index",
            "must be below num_servers",
        ));
    }
    Ok(Some(ResetBonds { epoch, index }))
}

fn parse_vector(v: Option<&Value>, field: &str, len: usize) -> Result<Vec<f32>> {
    let arr = v
        .ok_or_else(|| bad(ErrorCode::MissingField, field, "required"))?
        .as_array()
        .ok_or_else(|| {
            bad(
                ErrorCode::InvalidType,
                field,
                "expected an array of numbers",
            )
        })?;
    if arr.len() != len {
        return Err(bad(
            ErrorCode::LengthMismatch,
            field,
            format!("expected {len} numbers, got {}", arr.len()),
        ));
    }
    arr.iter()
        .enumerate()
        .map(|(i, x)| {
            let f = format!("{field}[{i}]");
            let x = number(x, &f)?;
            if x < 0.0 {
                return Err(bad(ErrorCode::Negative, &f, "must not be negative"));
            }
            Ok(x as f32)
        })
        .collect()
}

fn parse_epoch(v: &Value, at: &str, rows: usize, cols: usize) -> Result<EpochIn> {
    let map: &Map<String, Value> = v
        .as_object()
        .ok_or_else(|| bad(ErrorCode::InvalidType, at, "expected an object"))?;
    let wf = format!("{at}.weights");
    let rows_v = map
        .get("weights")
        .ok_or_else(|| bad(ErrorCode::MissingField, &wf, "required"))?
        .as_array()
        .ok_or_else(|| bad(ErrorCode::InvalidType, &wf, "expected an array of rows"))?;
    if rows_v.len() != rows {
        return Err(bad(
            ErrorCode::LengthMismatch,
            &wf,
            format!("expected {rows} rows, got {}", rows_v.len()),
        ));
    }
    let mut data = Vec::with_capacity(rows.saturating_mul(cols));
    for (r, row) in rows_v.iter().enumerate() {
        data.extend(parse_vector(Some(row), &format!("{wf}[{r}]"), cols)?);
    }
    let stakes = parse_vector(map.get("stakes"), &format!("{at}.stakes"), rows)?;
    if stakes.iter().all(|&s| s == 0.0) {
        return Err(bad(
            ErrorCode::ZeroAmount,
            &format!("{at}.stakes"),
            "stakes sum to zero",
        ));
    }
    Ok(EpochIn {
        weights: Matrix::new(rows, cols, data)?,
        stakes,
    })
}

/// Parse a scenario document.
pub fn parse_scenario(v: &Value) -> Result<Scenario> {
    let map = v
        .as_object()
        .ok_or_else(|| bad(ErrorCode::InvalidType, "", "expected a JSON object"))?;
    for key in map.keys() {
        if !matches!(
            key.as_str(),
            "version"
                | "params"
                | "num_validators"
                | "num_servers"
                | "use_full_matrices"
                | "reset_bonds"
                | "epochs"
        ) {
            return Err(bad(ErrorCode::Unsupported, key, "unknown key"));
        }
    }
    let version_s = map
        .get("version")
        .ok_or_else(|| bad(ErrorCode::MissingField, "version", "required"))?
        .as_str()
        .ok_or_else(|| bad(ErrorCode::InvalidType, "version", "expected a string"))?;
    let version = Version::parse(version_s).ok_or_else(|| {
        bad(
            ErrorCode::Unsupported,
            "version",
            "expected yuma1, yuma2, yuma2b, yuma2c, yuma3 or yuma3-liquid",
        )
    })?;
    let config = parse_params(map.get("params"))?;
    if matches!(version, Version::Yuma1 | Version::Yuma2 | Version::Yuma2B) {
        super::step::bond_penalty(&config)?;
    }
    let validators = count(map.get("num_validators"), "num_validators")?;
    let servers = count(map.get("num_servers"), "num_servers")?;
    if validators == 0 || servers == 0 {
        return Err(bad(
            ErrorCode::OutOfRange,
            "num_validators",
            "need at least one validator and one server",
        ));
    }
    let full = flag(map.get("use_full_matrices"), "use_full_matrices", false)?;
    let reset_bonds = parse_reset(map.get("reset_bonds"), servers)?;
    let (rows, cols) = if full {
        let n = validators.saturating_add(servers);
        (n, n)
    } else {
        (validators, servers)
    };
    let epochs_v = map
        .get("epochs")
        .ok_or_else(|| bad(ErrorCode::MissingField, "epochs", "required"))?
        .as_array()
        .ok_or_else(|| bad(ErrorCode::InvalidType, "epochs", "expected an array"))?;
    let epochs = epochs_v
        .iter()
        .enumerate()
        .map(|(i, e)| parse_epoch(e, &format!("epochs[{i}]"), rows, cols))
        .collect::<Result<Vec<_>>>()?;
    Ok(Scenario {
        version,
        config,
        layout: Layout {
            validators,
            servers,
            full,
        },
        reset_bonds,
        epochs,
    })
}

#[derive(serde::Serialize)]
struct Rendered<'a> {
    epochs: Vec<RenderedEpoch<'a>>,
}

#[derive(serde::Serialize)]
struct RenderedEpoch<'a> {
    dividends: &'a [f32],
    incentives: &'a [f32],
    bonds: &'a [Vec<f32>],
}

/// `{"epochs": [{"dividends", "incentives", "bonds"}, ...]}`, each `f32` in its shortest form.
pub fn render(records: &[EpochRecord]) -> Result<String> {
    let doc = Rendered {
        epochs: records
            .iter()
            .map(|r| RenderedEpoch {
                dividends: &r.dividends,
                incentives: &r.incentives,
                bonds: &r.bonds,
            })
            .collect(),
    };
    serde_json::to_string(&doc).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
}

/// Parse, run and render: the whole `scripts/yuma-versions` contract on JSON text.
pub fn run_json(text: &str) -> Result<String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorCode::InvalidJson, e.to_string()))?;
    let scenario = parse_scenario(&v)?;
    render(&super::simulate::simulate(&scenario)?)
}
