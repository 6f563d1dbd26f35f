//! What a snapshot file holds, at a glance: its subnet, block and provenance, the key counts,
//! whether its epoch can be re-run (and what is missing if not), the decoded inputs, and the
//! captured metagraph rendered (the Verify page shows this before anything runs).

use super::registry::{decode_type, Wrapping};
use super::render::RenderOpts;
use super::snapshot::{Snapshot, SnapshotSource};
use super::snapshot_read::ChainState;
use crate::error::Result;

/// The summary of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotSummary {
    /// Subnet.
    pub netuid: u16,
    /// Epoch block.
    pub block: u64,
    /// Where the data comes from.
    pub source: SnapshotSource,
    /// Storage answers recorded at the parent block.
    pub inputs: usize,
    /// Storage answers recorded at the epoch block.
    pub outputs: usize,
    /// Whether the inputs and outputs are complete enough to re-run and compare the epoch.
    pub rerunnable: bool,
    /// Why not, when not.
    pub missing: Option<String>,
    /// The captured metagraph (either layout), rendered with SS58 accounts, when there is one.
    pub metagraph: Option<serde_json::Value>,
    /// The decoded inputs, when they decode.
    pub state: Option<ChainState>,
}

impl Snapshot {
    /// The [`SnapshotSummary`]. Fails only on a malformed captured metagraph (`DECODE` within
    /// `runtimeCalls`) or bad hex; an incomplete snapshot is a summary with `rerunnable: false`.
    pub fn summary(&self) -> Result<SnapshotSummary> {
        let (rerunnable, missing, state) = match self.chain_state() {
            Ok(st) => match self.chain_outputs(&st) {
                Ok(_) => (true, None, Some(st)),
                Err(e) => (false, Some(e.message), Some(st)),
            },
            Err(e) => (false, Some(e.message), None),
        };
        let mut metagraph = None;
        for c in &self.runtime_calls {
            // Either metagraph layout (spec 435 on appends the collateral fields).
            if matches!(
                c.result_type.as_str(),
                "Option<Metagraph>" | "Option<MetagraphWithCollateral>"
            ) {
                let bytes = super::hex::decode(&c.result)?;
                let d = decode_type(&c.result_type, &bytes, Wrapping::Raw)
                    .map_err(|e| e.within("runtimeCalls"))?;
                let rendered = d.render(&RenderOpts::SS58);
                if !rendered.is_null() {
                    metagraph = Some(rendered);
                }
            }
        }
        Ok(SnapshotSummary {
            netuid: self.netuid,
            block: self.block,
            source: self.source.clone(),
            inputs: self.inputs.len(),
            outputs: self.outputs.len(),
            rerunnable,
            missing,
            metagraph,
            state,
        })
    }
}
