//! Root Reborn: one fund (beta basket) per root validator, replacing `RootClaimable`.
//!
//! Port of `pallets/subtensor/src/staking/claim_root.rs` (RaoFoundation/subtensor index id
//! 68851360157, the version that names spec 468) and `pallets/subtensor/src/staking/
//! basket_flush.rs` (index id 66483701187), with the valuation views (index id 68897403454);
//! spec `emission-after-425.md` §3.4–§3.7 and §3.9. Upstream tests read:
//! `tests/claim_root_dust.rs` (commit 10284ff0be2883a1e2685892586d40b498b65985) and
//! `tests/claim_root.rs` (index id 56354487174).
//!
//! One concept per file:
//! * [`state`]: the fund's storage ([`RootFund`]);
//! * [`math`]: `mul_div_u64` and `basket_payout_from`;
//! * [`attribution`]: the stakers' part of a deposit and the rate increment;
//! * [`mint`]: share mint at the pre-deposit NAV;
//! * [`watermark`]: owed shares and the signed claimed watermark;
//! * [`dust`]: the spec-468 claim dust rules ([`DustRules`]);
//! * [`plan`]: rows valued and marked as dust before a claim;
//! * [`market`]: what the fund needs from pools and reserves ([`FundMarket`], [`PoolMarket`]);
//! * [`valuation`]: realizable row values and the NAV;
//! * [`deposit`]: the batch deposit (uncurated in place, or curated sell-and-deploy);
//! * [`queue`]: the pending-deposit queue flush;
//! * [`convert`]: dust consolidation and subnet dissolution into the root slot;
//! * [`claim`](mod@claim): fund-level claims paying root stake;
//! * [`root_stake`]: stakers' root-stake changes (eager flush, hold, rebase);
//! * [`swap`]: a hotkey swap moves the whole fund.
//!
//! Era choices are explicit parameters: [`RootDividendModel`] (which model receives root
//! dividends), [`DustRules`] (the claim dust knobs, spec 468), [`Curation`] (root weights,
//! spec 449–468) and [`root_stake::RootHold`] (the unstake hold).
//!
//! Not modelled: the seed migration from `RootClaimable` (`migrate_seed_beta_basket_v2`), direct
//! deposits (`stake_into_basket`), basket trading (`swap_basket`), the display-only beta index,
//! and the weight/admission accounting of claims and flushes.

pub mod attribution;
pub mod claim;
pub mod convert;
pub mod deposit;
pub mod dust;
pub mod market;
pub mod math;
pub mod mint;
pub mod plan;
pub mod queue;
pub mod root_stake;
pub mod state;
pub mod swap;
pub mod valuation;
pub mod watermark;

pub use claim::{claim, ClaimParams, ClaimReport};
pub use deposit::{Curation, DepositOutcome};
pub use dust::DustRules;
pub use market::{FundMarket, PoolMarket};
pub use state::{RootFund, ROOT};

/// Which model receives the root part of subnet dividends.
///
/// * spec ≤ 440: [`RootDividendModel::RootClaimable`], per-subnet claimable rates and Swap /
///   Keep claims (`crate::emission::root_claim`, base spec §10);
/// * spec ≥ 441 (Root Reborn, finney from 2026-08-03): [`RootDividendModel::BasketFund`], the
///   fund model of this module. `RootClaimable` is no longer written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RootDividendModel {
    /// `RootClaimable[h][n]` rates and per-subnet claims (spec ≤ 440).
    RootClaimable,
    /// Beta-basket funds: queued deposits, shares at NAV, fund-level claims (spec ≥ 441).
    BasketFund,
}

#[cfg(test)]
mod tests;
