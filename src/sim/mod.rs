//! A deterministic network simulator and a stake-return model on top of the emission pipeline.
//!
//! * [`Simulator`]: many subnets (exact weighted pools, neurons, SafeFloat share pools,
//!   hotkeys/coldkeys, takes, children) advanced block by block through
//!   [`Network::step_block`](crate::emission::Network::step_block) with the real Yuma epoch
//!   ([`YumaEpoch`](crate::emission::YumaEpoch)); user operations (stake, unstake, registration,
//!   shocks) are counted so that [`check_conservation`](crate::emission::check_conservation)
//!   holds across them; save / restore as JSON.
//! * [`events`]: scripted events and the seeded generator ([`FlowModel`]).
//! * [`default_net`]: the embedded default network of 128 subnets (real SN1 and parameters from
//!   the chain fixtures, synthetic elsewhere, documented there).
//! * [`runner`]: long runs in chunks with progress and cancellation.
//! * [`summary`]: where a simulation stands (totals, pools, counters).
//! * [`realized_apy`]: the realized APY of a validator from chain history (TaoYield definition).
//! * [`retention`]: retention maps of `docs/consensus.md` (honest vs cabal emission per cell,
//!   through the engine's epoch), seeded and reproducible.
//! * [`returns`]: what a stake earns over time (emission yield, price change, fees, slippage),
//!   with Monte Carlo ranges, APR / APY and strategy comparison.
//! * [`returns_default`]: a return run on the default network under a runtime's rules.
//! * [`shards`]: the return model split into contiguous path ranges (one per Web Worker) whose
//!   partial results merge into the report of a single run, bit for bit.
//!
//! Spec: `emission-and-pools.md` §3-§15 and §17, `yuma-epoch.md` §9. Everything is seeded and
//! pure integer/fixed-point on the chain paths; the generators and the return model use only
//! `+ − × ÷`, `sqrt` and integer powers on `f64` (no platform `exp`/`ln`), so a seed gives the
//! same run natively and in wasm.

pub mod default_net;
pub mod events;
pub mod realized_apy;
pub mod retention;
pub mod returns;
pub mod returns_default;
pub mod rng;
pub mod runner;
pub mod shards;
pub mod simulator;
pub mod summary;
#[cfg(test)]
mod test_net;

pub use default_net::{default_network, DefaultConfig};
pub use returns_default::return_run;
pub use events::{Event, FlowModel, Scheduled};
pub use rng::Rng;
pub use runner::{Progress, Runner};
pub use simulator::{SimStats, Simulator};
pub use summary::{subnet_rows, SimSummary, SubnetRow};
