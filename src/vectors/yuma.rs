//! Runner for `yuma-vectors/*` files (fixtures/yuma). Placeholder until the consensus engine lands.

use super::Outcomes;
use crate::error::Result;
use serde_json::Value;

/// Run a yuma vector file.
pub fn run(doc: &Value, _schema: &str, out: &mut Outcomes) -> Result<()> {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("file");
    out.fail(id, "file", "yuma runner not implemented");
    Ok(())
}
