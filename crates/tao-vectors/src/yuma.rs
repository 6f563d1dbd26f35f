//! Runner for `yuma-vectors/*` files (fixtures/yuma): math functions, epoch scenarios, the
//! scheduler and hyperparameter validation. Every `expect` entry and every `derived_outputs`
//! field group is one outcome.

use super::Outcomes;
use serde_json::Value;
use tao_engine::error::{Error, ErrorCode, Result};

mod expect;
mod math;
mod num;
mod scenario;
mod scheduler;

pub use scenario::{replay, ScenarioEpoch, ScenarioReplay, YUMA_VECTORS_SPEC};

/// Run a yuma vector file.
pub fn run(doc: &Value, schema: &str, out: &mut Outcomes) -> Result<()> {
    match schema {
        "yuma-vectors/math-function/v1" => math::run(doc, out),
        "yuma-vectors/epoch-scenario/v1" => scenario::run(doc, out),
        "yuma-vectors/scheduler/v1" => scheduler::run_scheduler(doc, out),
        "yuma-vectors/validation/v1" => scheduler::run_validation(doc, out),
        other => Err(Error::field(
            ErrorCode::Unsupported,
            "schema",
            format!("no yuma runner for {other:?}"),
        )),
    }
}
