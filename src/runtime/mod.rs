//! Which rules a runtime has: the rule-change timeline by `spec_version` ([`timeline`]), the rule
//! set derived from it ([`Rules`]). The runtime's own description of itself (pallets, storage
//! items, constants, runtime APIs) is chain data: [`crate::chain::metadata`].

pub mod rules;
pub mod timeline;

pub use rules::{
    Approximation, DividendSplit, GateBar, PoolCurve, RootDividends, Rules, RuntimeFeatures,
    RuntimeInfo, ShareWeighting, TxFees,
};
pub use timeline::{Evidence, Feature, NEWEST_KNOWN_SPEC, OLDEST_KNOWN_SPEC};
