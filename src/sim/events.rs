//! What can happen to the simulated network besides emission: scripted events and the seeded
//! generator that draws them (user stake / unstake flows, registrations, price shocks, weight
//! refreshes).

use super::rng::Rng;
use crate::emission::AccountId;

/// One event, applied before the block's coinbase.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Event {
    /// `add_stake`: `tao` rao from `coldkey` to `hotkey` on `netuid` (0 = root).
    Stake {
        /// Coldkey paying.
        coldkey: AccountId,
        /// Hotkey staked to.
        hotkey: AccountId,
        /// Subnet.
        netuid: u16,
        /// TAO in rao (fee included).
        tao: u64,
    },
    /// `remove_stake`: `alpha` (capped at the position) sold back to the pool.
    Unstake {
        /// Coldkey owning the position.
        coldkey: AccountId,
        /// Hotkey.
        hotkey: AccountId,
        /// Subnet.
        netuid: u16,
        /// Alpha in alpha-rao.
        alpha: u64,
    },
    /// `burned_register`: `hotkey` (owned by `coldkey`) takes a uid on `netuid` for the burn.
    Register {
        /// Subnet.
        netuid: u16,
        /// New hotkey.
        hotkey: AccountId,
        /// Its owner.
        coldkey: AccountId,
    },
    /// An outside buyer (`tao > 0`) or seller (`tao < 0`, selling alpha worth about `|tao|` at
    /// the spot price) trades on `netuid` through the subnet's shock account.
    PriceShock {
        /// Subnet.
        netuid: u16,
        /// Signed TAO size in rao.
        tao: i64,
    },
    /// Every permitted validator of `netuid` sets fresh weights (drawn from the generator).
    RefreshWeights {
        /// Subnet.
        netuid: u16,
    },
    /// Root claim of `coldkey` on every subnet.
    ClaimRoot {
        /// Coldkey.
        coldkey: AccountId,
    },
}

/// A scripted event at a block.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scheduled {
    /// Block at which it applies (before that block's coinbase).
    pub block: u64,
    /// The event.
    pub event: Event,
}

/// Parameters of the seeded event generator. Probabilities are per block for the whole network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FlowModel {
    /// Probability of one user stake in a block.
    pub stake_prob: f64,
    /// Probability of one user unstake in a block.
    pub unstake_prob: f64,
    /// Mean size of a user flow in rao (sizes are uniform in `[0, 2·mean]`).
    pub mean_flow_tao: u64,
    /// Probability of one registration in a block.
    pub register_prob: f64,
    /// Probability of a price shock in a block.
    pub shock_prob: f64,
    /// Shock size as a fraction of the pool's TAO reserve (basis points, sign drawn 50/50).
    pub shock_bps: u32,
    /// Every this many blocks, validators of every subnet refresh weights (0 = never).
    pub weights_interval: u64,
    /// Every this many blocks, every root staker claims (0 = never).
    pub claim_interval: u64,
}

impl Default for FlowModel {
    fn default() -> Self {
        FlowModel {
            stake_prob: 0.05,
            unstake_prob: 0.05,
            mean_flow_tao: 20_000_000_000,
            register_prob: 0.01,
            shock_prob: 0.0005,
            shock_bps: 200,
            weights_interval: 360,
            claim_interval: 7_200,
        }
    }
}

impl FlowModel {
    /// No generated events at all (emission only).
    pub fn quiet() -> Self {
        FlowModel {
            stake_prob: 0.0,
            unstake_prob: 0.0,
            mean_flow_tao: 0,
            register_prob: 0.0,
            shock_prob: 0.0,
            shock_bps: 0,
            weights_interval: 0,
            claim_interval: 0,
        }
    }

    /// A flow size: uniform in `[1, 2·mean]`.
    pub fn draw_size(&self, rng: &mut Rng) -> u64 {
        rng.below(self.mean_flow_tao.saturating_mul(2))
            .saturating_add(1)
    }
}
