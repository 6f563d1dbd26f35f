//! Pool-vector cases for epoch scheduling (src/consensus/schedule).

use super::Outcomes;
use crate::error::Result;
use serde_json::Value;

/// Evaluate one case of a `pool-vectors/v1` file in the epoch-schedule category.
pub fn run_case(_doc: &Value, _case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    out.fail(name, "case", "epoch schedule not implemented yet");
    Ok(())
}
