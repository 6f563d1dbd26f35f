//! The superellipse AMM: the pool era after the weighted balancer (code at runtime spec 473 in
//! RaoFoundation/subtensor, not shown live up to spec 473; spec `pool-after-425.md` §3).
//!
//! A translated ellipse `X²b² + Y²a² = K` with `X = Cα − α·2^32`, `Y = Cτ − τ·2^32`, anchored at
//! the balancer's price and log-sensitivity. Everything is exact integer arithmetic on checked
//! 512-bit products; no floats.
//!
//! Which generation: [`curve::FromPrice`] picks the `from_price` of `0249a4a4` or `61cafd40`;
//! everything else follows `61cafd4026c5d64dd5df4e7a7d17fb5575477b12`, whose extraction
//! ([`unreachable`](mod@unreachable), [`extraction`]) exists only in the lending branch. The era is selected only
//! when asked for ([`crate::pool::PoolEra::Superellipse`]): the runtime metadata must have
//! `Swap.SwapSuperellipse`.
//!
//! * [`wide`]: U512 helpers, `sqrt_floor`, [`EllipseError`].
//! * [`curve`]: state, construction, coordinates, invariant, price, translations.
//! * [`payout`]: exact-input payouts and side capacities.
//! * [`search`]: limit deltas and inverse quotes by integer search.
//! * [`unreachable`](mod@unreachable): reserves no point of the branch can reach.
//! * [`pool`]: one subnet's pallet state, price and lazy initialisation.
//! * [`step`]: `do_swap` and the swap step.
//! * [`inject`]: protocol liquidity (centre translation, reservoir release).
//! * [`extraction`]: pallet extraction and the fee-inverted buy capacity.
//! * [`migration`]: the balancer → superellipse runtime migration.
//! * [`model`]: the [`crate::pool::PoolModel`] implementation.

pub mod curve;
pub mod extraction;
pub mod inject;
pub mod migration;
pub mod model;
pub mod payout;
pub mod pool;
pub mod search;
pub mod step;
pub mod unreachable;
pub mod wide;

pub use curve::{FromPrice, Superellipse};
pub use migration::{migrate_balancer_to_superellipse, MigrationReport};
pub use pool::SuperellipsePool;
pub use wide::{EllipseError, U512};
