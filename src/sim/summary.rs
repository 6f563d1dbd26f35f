//! Where a simulation stands, in a few numbers: totals, every subnet's pool and the simulator's
//! counters (what a progress view shows between chunks of a run).

use super::simulator::{SimStats, Simulator};
use crate::emission::{BalancerPool, Network, SubnetPool};
use crate::pool::swap::price_to_rao;

/// One subnet's pool at a moment of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubnetRow {
    /// The subnet.
    pub netuid: u16,
    /// `SubnetTAO` (rao).
    pub tao_reserve: u64,
    /// `SubnetAlphaIn` (rao).
    pub alpha_reserve: u64,
    /// `SubnetAlphaOut`: alpha held by stakers (rao).
    pub alpha_out: u64,
    /// Spot price, rao of TAO per alpha (floor).
    pub price_rao: u64,
}

/// Totals, pools and counters of a simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimSummary {
    /// Current block.
    pub block: u64,
    /// `TotalIssuance` (rao).
    pub total_issuance: u64,
    /// TAO staked on root (rao).
    pub root_tao: u64,
    /// TAO minted since the start (rao; saturates at `u64::MAX`).
    pub minted: u64,
    /// TAO recycled since the start (rao; saturates at `u64::MAX`).
    pub recycled: u64,
    /// Every subnet, in netuid order.
    pub subnets: Vec<SubnetRow>,
    /// What the simulator applied.
    pub stats: SimStats,
    /// The runtime whose rules the simulation follows, and what its network model leaves out.
    pub runtime: crate::runtime::RuntimeInfo,
}

/// Every subnet's pool of `net`, in netuid order.
pub fn subnet_rows(net: &Network<BalancerPool>) -> Vec<SubnetRow> {
    net.subnets
        .iter()
        .map(|(k, s)| SubnetRow {
            netuid: *k,
            tao_reserve: s.pool.tao_reserve(),
            alpha_reserve: s.pool.alpha_reserve(),
            alpha_out: s.alpha_out,
            price_rao: price_to_rao(s.pool.price()),
        })
        .collect()
}

impl Simulator {
    /// Where this simulation stands.
    pub fn summary(&self) -> SimSummary {
        let n = &self.net;
        SimSummary {
            block: n.block,
            total_issuance: n.total_issuance,
            root_tao: n.root_tao,
            minted: u64::try_from(n.ledger.tao.minted).unwrap_or(u64::MAX),
            recycled: u64::try_from(n.ledger.tao.recycled).unwrap_or(u64::MAX),
            subnets: subnet_rows(n),
            stats: self.stats.clone(),
            runtime: self.runtime.clone(),
        }
    }
}
