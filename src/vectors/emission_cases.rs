//! Pool-vector cases for the coinbase, moving price, emission shares, distribution and root claims (src/emission).

use super::Outcomes;
use crate::error::Result;
use serde_json::Value;

/// Evaluate one case of a `pool-vectors/v1` file in an emission category.
pub fn run_case(_doc: &Value, _category: &str, _case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    out.fail(name, "case", "emission category not implemented yet");
    Ok(())
}
