//! Long runs in steps: a [`Runner`] advances a [`Simulator`] a chunk of blocks at a time and
//! reports [`Progress`]; [`Runner::run_with`] calls back after every chunk and stops with
//! `ErrorCode::Cancelled` when the callback says so. Optionally audits conservation block by block.

use super::simulator::Simulator;
use crate::emission::check_conservation;
use crate::error::{Error, ErrorCode, Result};

/// Where a run stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Blocks done.
    pub done: u64,
    /// Blocks asked for.
    pub total: u64,
    /// Current block number.
    pub block: u64,
    /// Whether all blocks are done.
    pub finished: bool,
}

/// A run of `total` blocks over a simulator.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Runner {
    /// The simulator (inspect or save it between chunks).
    pub sim: Simulator,
    /// Blocks asked for.
    pub total: u64,
    /// Blocks done.
    pub done: u64,
    /// Check [`check_conservation`] after every block (slower).
    pub audit: bool,
}

impl Runner {
    /// A run of `total` blocks.
    pub fn new(sim: Simulator, total: u64) -> Self {
        Runner {
            sim,
            total,
            done: 0,
            audit: false,
        }
    }

    /// Current progress.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.total,
            block: self.sim.net.block,
            finished: self.done >= self.total,
        }
    }

    /// Advance at most `max_blocks` blocks.
    pub fn run_chunk(&mut self, max_blocks: u64) -> Result<Progress> {
        let n = max_blocks.min(self.total.saturating_sub(self.done));
        for _ in 0..n {
            let before = if self.audit {
                Some(self.sim.net.snapshot())
            } else {
                None
            };
            self.sim.step()?;
            self.done = self.done.saturating_add(1);
            if let Some(b) = before {
                check_conservation(&b, &self.sim.net.snapshot()).map_err(|m| {
                    Error::new(
                        ErrorCode::Internal,
                        format!("block {}: {m}", self.sim.net.block),
                    )
                })?;
            }
        }
        Ok(self.progress())
    }

    /// Run to the end in chunks of `chunk` blocks, calling `on_progress` after each; when it
    /// returns `false` the run stops with `ErrorCode::Cancelled` (the state so far is kept).
    pub fn run_with(
        &mut self,
        chunk: u64,
        on_progress: &mut dyn FnMut(&Progress) -> bool,
    ) -> Result<Progress> {
        loop {
            let p = self.run_chunk(chunk.max(1))?;
            if !on_progress(&p) && !p.finished {
                return Err(Error::new(
                    ErrorCode::Cancelled,
                    format!("cancelled at block {}", p.block),
                ));
            }
            if p.finished {
                return Ok(p);
            }
        }
    }
}
