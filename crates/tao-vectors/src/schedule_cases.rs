//! Pool-vector cases of the `epoch-schedule` category, through `tao_engine::consensus::schedule`.
//!
//! Cases with `last_epoch_block` use the current `LastEpochBlock + tempo` scheduler; the others
//! the legacy `(block + netuid + 1) mod (tempo + 1)` cadence.

use super::json::{as_u64, get, u64_of};
use super::Outcomes;
use serde_json::{json, Value};
use tao_engine::consensus::schedule::{legacy_blocks_until_next_epoch, EpochSchedule};
use tao_engine::error::{Error, ErrorCode, Result};

fn u16_of(v: &Value, k: &str) -> Result<u16> {
    u16::try_from(u64_of(v, k)?).map_err(|_| Error::field(ErrorCode::TooLarge, k, "not a u16"))
}

/// Evaluate one case of a `pool-vectors/v1` file in the epoch-schedule category.
pub fn run_case(_doc: &Value, case: &Value, name: &str, out: &mut Outcomes) -> Result<()> {
    let inputs = get(case, "inputs")?;
    let expected = get(case, "expected")?
        .as_object()
        .ok_or_else(|| Error::field(ErrorCode::InvalidType, "expected", "not an object"))?;
    let tempo = u16_of(inputs, "tempo")?;
    let block = u64_of(inputs, "block")?;
    let current = inputs.get("last_epoch_block").is_some();
    let sched = EpochSchedule {
        last_epoch_block: inputs.get("last_epoch_block").and_then(as_u64).unwrap_or(0),
        pending_epoch_at: inputs.get("pending_epoch_at").and_then(as_u64).unwrap_or(0),
        blocks_since_last_step: inputs
            .get("blocks_since_last_step")
            .and_then(as_u64)
            .unwrap_or(0),
        epoch_index: 0,
    };
    for (key, want) in expected {
        let got: Value = match (key.as_str(), current) {
            ("blocks_until", true) => {
                json!(sched.blocks_until_next_auto_epoch(tempo, block).to_string())
            }
            ("blocks_until", false) => {
                json!(
                    legacy_blocks_until_next_epoch(u16_of(inputs, "netuid")?, tempo, block)
                        .to_string()
                )
            }
            ("should_run", true) | ("should_run_epoch", true) => {
                json!(sched.should_run_epoch(tempo, block))
            }
            ("should_run", false) | ("should_run_epoch", false) => {
                json!(legacy_blocks_until_next_epoch(u16_of(inputs, "netuid")?, tempo, block) == 0)
            }
            ("next_epoch_block", true) => {
                json!(sched.next_epoch_block(tempo).map(|b| b.to_string()))
            }
            (other, _) => {
                out.fail(name, other, "unknown epoch-schedule quantity");
                continue;
            }
        };
        let ok = match (as_u64(want), as_u64(&got)) {
            (Some(w), Some(g)) => w == g,
            _ => &got == want,
        };
        out.record(name, key, ok, want, &got);
    }
    Ok(())
}
