//! Pool-vector cases for swaps, staking, share pools, stake weight and registration (src/pool, src/stake).

use super::Outcomes;
use crate::error::Result;
use serde_json::Value;

/// Evaluate one case of a `pool-vectors/v1` file in a swap/staking/registration category.
pub fn run_case(_doc: &Value, _category: &str, _case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    out.fail(name, "case", "pool/staking category not implemented yet");
    Ok(())
}
