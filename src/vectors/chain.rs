//! Runner for chain capture fixtures (fixtures/chain). Placeholder until the decoders land.

use super::Outcomes;
use crate::error::Result;
use serde_json::Value;

/// Run a chain fixture file.
pub fn run(doc: &Value, out: &mut Outcomes) -> Result<()> {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("file");
    out.fail(id, "file", "chain runner not implemented");
    Ok(())
}
