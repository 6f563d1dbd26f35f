//! Staking operations, alpha share pools, takes, child keys and registration (spec §12-§16).
//!
//! * [`ops`]: add / remove stake with limits and fill-or-kill, on a small state model
//!   ([`ops::StakingState`]) of subnets, hotkey share pools and free balances.
//! * [`transition`]: move / swap / transfer stake on that model, with the over-ask rule and the
//!   `move_stake_limit` call of later runtimes.
//! * [`limits`]: the largest amount that fits a limit price.
//! * [`safe_float`], [`share_pool`]: how a hotkey's alpha is shared between coldkeys.
//! * [`weight`]: inherited (child-key) stake, stake weight, delegate and child-key take.
//! * [`burn`], [`subnet`]: neuron registration price, subnet lock cost, registration with the
//!   initial pool, pruning choice and the payout on dissolution.
//! * [`collateral`]: miner registration collateral (spec 435/436): price split, settlement.
//! * [`conviction`]: the conviction-based subnet owner change at the epoch slot (spec 432+).
//! * [`preview`]: what a stake, unstake or move would do to one coldkey in a given pool, and the
//!   largest order a limit price allows (a one-account staking world around the caller's pools).

pub mod burn;
pub mod collateral;
pub mod conviction;
pub mod limits;
pub mod ops;
pub mod preview;
pub mod safe_float;
pub mod share_pool;
pub mod subnet;
pub mod total_alpha;
pub mod transition;
pub mod weight;

use crate::pool::balancer::fx;
use crate::pool::BalancerPool;
use substrate_fixed::types::U64F64;

/// Root netuid.
pub const ROOT: u16 = 0;

/// How a subnet prices its token (`SubnetMechanism`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Mechanism {
    /// 1 alpha = 1 TAO, no pool, no fee (root and mechanism 0).
    Stable,
    /// A dTAO pool (mechanism 1).
    #[default]
    Dynamic,
}

/// One subnet's pool-side state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subnet {
    /// Subnet id (0 = root).
    pub netuid: u16,
    /// Pricing mechanism.
    pub mechanism: Mechanism,
    /// The pool: `SubnetTAO`, `SubnetAlphaIn`, weights, `FeeRate`.
    pub pool: BalancerPool,
    /// `SubnetAlphaOut`: alpha outstanding (staked or otherwise out of the pool).
    pub alpha_out: u64,
    /// `SubnetProtocolAlpha`: alpha bought by the protocol and kept.
    pub protocol_alpha: u64,
}

impl Subnet {
    /// A dynamic subnet with a 50/50 pool.
    pub fn dynamic(netuid: u16, tao_reserve: u64, alpha_reserve: u64) -> Self {
        Subnet {
            netuid,
            mechanism: Mechanism::Dynamic,
            pool: BalancerPool::new(tao_reserve, alpha_reserve),
            alpha_out: 0,
            protocol_alpha: 0,
        }
    }

    /// Root (netuid 0), stable.
    pub fn root() -> Self {
        Subnet {
            netuid: ROOT,
            mechanism: Mechanism::Stable,
            pool: BalancerPool::new(0, 0),
            alpha_out: 0,
            protocol_alpha: 0,
        }
    }

    /// Root or mechanism 0: priced 1:1 with no fee.
    pub fn is_stable(&self) -> bool {
        self.netuid == ROOT || self.mechanism == Mechanism::Stable
    }

    /// Current price (`current_alpha_price`): 1 for stable subnets.
    pub fn price(&self) -> U64F64 {
        if self.is_stable() {
            fx(1)
        } else {
            self.pool.price()
        }
    }
}
