//! Block emission, halving and the per-block coinbase pipeline.
//!
//! Port of `pallets/subtensor/src/coinbase/` (opentensor/subtensor @ 14bc6f9), spec
//! `emission-and-pools.md` §3–§10 and §17, `yuma-epoch.md` §9:
//!
//! * [`block_emission`] / [`halving_schedule`]: TAO (and per-subnet alpha) emission vs issuance;
//! * [`shares`]: which subnets emit and their TAO shares (price EMA × (1 − miner burn));
//!   [`flow`]: the historical TAO-flow rule with cutoff and power normalisation;
//! * [`gate`]: the spec 440+ share pipeline (burn factor by era, gate bar, Hill gate);
//!   [`dividend_split`]: the alpha/root dividend split by era (root-UID rule from 442);
//! * [`moving_price`]: the EMA price update with warm-up;
//! * [`terms`]: `tao_in` / `alpha_in` / `alpha_out` / excess TAO with the root-proportion cap,
//!   and the split of `alpha_out` into pending buckets;
//! * [`reservoir_injection`]: the injection order of the reservoir era (chain buy first,
//!   `adjust_protocol_liquidity`, spec `pool-after-425.md` §2.3);
//! * [`Network::step_block`]: mint → shares → injection and chain buys → pending buckets →
//!   drains → epochs ([`EpochRunner`]) → distribution → moving prices;
//! * [`distribute`]: incentives, parent/child dividends, alpha/root split, takes, nominators;
//! * [`root_claim`]: claimable rates and Swap / Keep claims (spec ≤ 440);
//! * [`root_fund`]: Root Reborn funds (beta baskets) that replace them from spec 441;
//! * [`ledger`]: where every minted rao went; [`audit`]: [`check_conservation`] of it against the
//!   state.
//!
//! The pool is abstracted as [`SubnetPool`]; [`BalancerPool`] is a built-in implementation on the
//! exact maths of [`crate::pool`]. The epoch is abstracted as [`EpochRunner`]; [`YumaEpoch`] runs
//! the chain's Yuma epoch ([`crate::consensus`]), [`StakeProportionalEpoch`] its no-weights case.
//! Stakes per coldkey live in the chain's SafeFloat share pools ([`StakeBook`]).

pub mod audit;
mod coinbase;
pub mod distribute;
pub mod dividend_split;
mod drain;
pub mod epoch;
pub mod flow;
pub mod gate;
mod halving;
mod i32f32;
pub mod ledger;
pub mod math;
pub mod moving_price;
pub mod reservoir_injection;
pub mod root_claim;
pub mod root_fund;
mod scratch;
pub mod shares;
pub mod stake_book;
pub mod state;
pub mod subnet_pool;
pub mod terms;
pub mod yuma;

pub use audit::{check_conservation, Snapshot};
pub use coinbase::BlockReport;
pub use distribute::{calculate_dividend_distribution, DistributionReport};
pub use epoch::{EpochNeuron, EpochRequest, EpochRunner, HotkeyEmission, StakeProportionalEpoch};
pub use halving::{
    block_emission, halving_index, halving_schedule, HalvingStep, DEFAULT_BLOCK_EMISSION,
    TOTAL_SUPPLY,
};
pub use ledger::Ledger;
pub use root_claim::ClaimOutcome;
pub use stake_book::{AccountId, StakeBook};
pub use state::{
    Network, Params, PendingBuckets, RecycleOrBurn, RootClaimType, ShareRule, SubnetState,
};
pub use subnet_pool::{BalancerPool, SubnetPool};
pub use terms::{
    root_proportion, split_alpha_out, subnet_terms, subnet_terms_alpha_cap,
    subnet_terms_emission_cap, SubnetTerms,
};
pub use yuma::{YumaEpoch, YumaSubnet};

#[cfg(test)]
mod tests;
