//! A run of one historical Yuma version over epochs: the state `_run_simulation` threads through
//! `_call_yuma` (bonds, consensus and Yuma 2B's previous weights), the bond reset of Yuma 2C and 3,
//! and what it records per epoch, sliced to validators × servers on full matrices.
//!
//! Port of yuma-simulation `src/yuma_simulation/_internal/simulation_utils.py`
//! (`_run_simulation`, `_call_yuma`, `_slice_tensors`) @ 2b976fd5.

use super::config::YumaConfig;
use super::liquid::Layout;
use super::step::Step;
use super::tensor::Matrix;
use super::{yuma1, yuma2, yuma2b, yuma2c, yuma3};
use crate::error::{Error, ErrorCode, Result};

/// The historical versions, by yuma-simulation's `YumaSimulationNames`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// "Yuma 1" (`YumaRust`).
    Yuma1,
    /// "Yuma 2 (subtensor)" (`Yuma`).
    Yuma2,
    /// "Yuma 2B (Adrian-Fish)" (`Yuma2b`).
    Yuma2B,
    /// "Yuma 2C (Rhef+reset)" (`Yuma2c`).
    Yuma2C,
    /// "Yuma 3 (Rhef+relative bonds)" (`Yuma3`).
    Yuma3,
    /// "Yuma 3 (Rhef+relative bonds) - liquid alpha on" (`Yuma3`; liquid alpha comes from the
    /// parameters, exactly as in yuma-simulation, where only the name differs).
    Yuma3Liquid,
}

impl Version {
    /// Parse `yuma1|yuma2|yuma2b|yuma2c|yuma3|yuma3-liquid`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "yuma1" => Some(Version::Yuma1),
            "yuma2" => Some(Version::Yuma2),
            "yuma2b" => Some(Version::Yuma2B),
            "yuma2c" => Some(Version::Yuma2C),
            "yuma3" => Some(Version::Yuma3),
            "yuma3-liquid" => Some(Version::Yuma3Liquid),
            _ => None,
        }
    }

    /// The short name [`Version::parse`] reads.
    pub const fn name(self) -> &'static str {
        match self {
            Version::Yuma1 => "yuma1",
            Version::Yuma2 => "yuma2",
            Version::Yuma2B => "yuma2b",
            Version::Yuma2C => "yuma2c",
            Version::Yuma3 => "yuma3",
            Version::Yuma3Liquid => "yuma3-liquid",
        }
    }

    /// Whether a case's bond reset applies (yuma-simulation resets only 2C and 3).
    pub const fn resets_bonds(self) -> bool {
        matches!(
            self,
            Version::Yuma2C | Version::Yuma3 | Version::Yuma3Liquid
        )
    }
}

/// A case's bond reset: at `epoch` (when bonds exist), server `index`'s bond column is zeroed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetBonds {
    /// The epoch (0-based) before whose Yuma call the column is zeroed.
    pub epoch: usize,
    /// The server index (0-based, among servers).
    pub index: usize,
}

/// One epoch's inputs: `W` and `S` as yuma-simulation builds them (full matrices when the layout
/// says so).
#[derive(Debug, Clone)]
pub struct EpochIn {
    /// Weights, `V × S` or `(V+S) × (V+S)`.
    pub weights: Matrix,
    /// Stakes, `V` or `V + S` long.
    pub stakes: Vec<f32>,
}

/// What `_run_simulation` records per epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochRecord {
    /// Normalised validator reward of each validator.
    pub dividends: Vec<f32>,
    /// Incentive of each server.
    pub incentives: Vec<f32>,
    /// Bond state, validators × servers.
    pub bonds: Vec<Vec<f32>>,
}

/// A whole scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Which version.
    pub version: Version,
    /// The merged parameters.
    pub config: YumaConfig,
    /// Validators, servers and matrix form.
    pub layout: Layout,
    /// The optional bond reset.
    pub reset_bonds: Option<ResetBonds>,
    /// The epochs, in order.
    pub epochs: Vec<EpochIn>,
}

/// Run every epoch of `scenario` and record what yuma-simulation records.
pub fn simulate(scenario: &Scenario) -> Result<Vec<EpochRecord>> {
    let layout = scenario.layout;
    let cfg = &scenario.config;
    let mut b_state: Option<Matrix> = None;
    let mut c_state: Option<Vec<f32>> = None;
    let mut w_prev: Option<Matrix> = None;
    let mut out = Vec::with_capacity(scenario.epochs.len());
    for (epoch, input) in scenario.epochs.iter().enumerate() {
        if let (Some(reset), Some(b)) = (scenario.reset_bonds, b_state.as_mut()) {
            if scenario.version.resets_bonds() && epoch == reset.epoch {
                let col = if layout.full {
                    layout.validators.saturating_add(reset.index)
                } else {
                    reset.index
                };
                b.fill_col(col, 0.0).map_err(|_| {
                    Error::field(
                        ErrorCode::OutOfRange,
                        "reset_bonds.index",
                        "the reset column is outside the bond matrix",
                    )
                })?;
            }
        }
        let w = &input.weights;
        let s = &input.stakes;
        let b_old = b_state.as_ref();
        let c_old = c_state.as_deref();
        let step: Step = match scenario.version {
            Version::Yuma1 => yuma1::yuma1(w, s, b_old, c_old, cfg, layout),
            Version::Yuma2 => yuma2::yuma2(w, s, b_old, c_old, cfg, layout),
            Version::Yuma2B => yuma2b::yuma2b(w, w_prev.as_ref(), s, b_old, c_old, cfg, layout),
            Version::Yuma2C => yuma2c::yuma2c(w, s, b_old, cfg),
            Version::Yuma3 | Version::Yuma3Liquid => yuma3::yuma3(w, s, b_old, c_old, cfg, layout),
        }
        .map_err(|e| e.within(&format!("epochs[{epoch}]")))?;
        out.push(record(&step, layout)?);
        if scenario.version == Version::Yuma2B {
            w_prev = Some(step.weight);
        }
        b_state = Some(step.bonds);
        c_state = Some(step.consensus);
    }
    Ok(out)
}

/// The recorded slices: the first `V` dividends; on full matrices the last `S` incentives and
/// the `[:V, -S:]` bonds.
fn record(step: &Step, layout: Layout) -> Result<EpochRecord> {
    let dividends: Vec<f32> = step
        .dividends
        .iter()
        .take(layout.validators)
        .copied()
        .collect();
    let (incentives, bonds) = if layout.full {
        let skip = step.incentive.len().saturating_sub(layout.servers);
        (
            step.incentive.iter().skip(skip).copied().collect(),
            step.bonds.top_right(layout.validators, layout.servers)?,
        )
    } else {
        (step.incentive.clone(), step.bonds.clone())
    };
    let all_finite = dividends
        .iter()
        .chain(&incentives)
        .chain(bonds.row_iter().flatten())
        .all(|x| x.is_finite());
    if !all_finite {
        return Err(Error::new(
            ErrorCode::NotFinite,
            "the epoch produced a NaN or infinite value (as yuma-simulation would)",
        ));
    }
    Ok(EpochRecord {
        dividends,
        incentives,
        bonds: bonds.to_rows(),
    })
}
