//! Which subnets get TAO emission and how much, under the current rule.
//!
//! Port of `get_subnets_to_emit_to`, `get_shares` (price-EMA shares weighted by `1 − MinerBurned`),
//! `get_subnet_block_emissions` (emission-disabled redistribution) and
//! `get_network_root_sell_flag` from `pallets/subtensor/src/coinbase/{subnet_emissions,run_coinbase}.rs`
//! (subtensor @ 14bc6f9); spec `emission-and-pools.md` §5.1, §5.2, §5.4.

use super::math::div64;
use crate::fixed::wide::SatMul;
use substrate_fixed::types::{U64F64, U96F32};

/// Per-subnet inputs of the share rule.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShareInput {
    /// Subnet id.
    pub netuid: u16,
    /// `get_moving_alpha_price` (1 for stable subnets).
    #[serde(with = "crate::fixed::serde_fixed::u64f64")]
    pub moving_price: U64F64,
    /// `MinerBurned`: fraction of the last epoch's miner emission withheld (clamped to 1).
    #[serde(with = "crate::fixed::serde_fixed::u96f32")]
    pub miner_burned: U96F32,
    /// `SubnetEmissionEnabled`.
    pub emission_enabled: bool,
}

/// Eligibility flags of `get_subnets_to_emit_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Eligibility {
    /// `FirstEmissionBlockNumber` is set (the owner called `start_call`).
    pub started: bool,
    /// `SubtokenEnabled`.
    pub subtoken_enabled: bool,
    /// `NetworkRegistrationAllowed`.
    pub registration_allowed: bool,
}

impl Eligibility {
    /// Whether the subnet is in the emission set `S` (root is excluded by the caller).
    pub fn emits(&self) -> bool {
        self.started && self.subtoken_enabled && self.registration_allowed
    }
}

/// `get_shares_price_ema`: `share0_i = p_i / Σp` (U64F64; 0 when the sum is 0).
pub fn price_ema_shares(inputs: &[ShareInput]) -> Vec<(u16, U64F64)> {
    let mut out = Vec::with_capacity(inputs.len());
    price_ema_shares_into(inputs, &mut out);
    out
}

/// [`price_ema_shares`] into a reused buffer (cleared first).
pub fn price_ema_shares_into(inputs: &[ShareInput], out: &mut Vec<(u16, U64F64)>) {
    let zero = U64F64::from_num(0);
    let total = inputs
        .iter()
        .fold(zero, |acc, s| acc.saturating_add(s.moving_price));
    out.clear();
    out.extend(
        inputs
            .iter()
            .map(|s| (s.netuid, div64(s.moving_price, total))),
    );
}

/// The miner-burn reweighting of `get_shares`: each `share0_i` times `1 − min(MinerBurned_i, 1)`,
/// renormalised; falls back to `share0` when every weight is zero. `share0` is aligned with
/// `inputs`.
pub fn burn_reweight(share0: Vec<(u16, U64F64)>, inputs: &[ShareInput]) -> Vec<(u16, U64F64)> {
    let mut shares = share0;
    shares.truncate(inputs.len());
    burn_reweight_in_place(&mut shares, inputs);
    shares
}

/// `share_i × (1 − min(MinerBurned_i, 1))`.
fn burn_weighted(share: U64F64, s: &ShareInput) -> U64F64 {
    let one = U64F64::from_num(1);
    let burned = U64F64::saturating_from_num(s.miner_burned).min(one);
    share.sat_mul(one.saturating_sub(burned))
}

/// [`burn_reweight`] in place on shares aligned with `inputs` (left as they are when every weight
/// is zero): the weights are summed first, then each is formed again and divided by the sum.
pub fn burn_reweight_in_place(shares: &mut [(u16, U64F64)], inputs: &[ShareInput]) {
    let zero = U64F64::from_num(0);
    let sum_w = shares.iter().zip(inputs).fold(zero, |acc, ((_, sh), s)| {
        acc.saturating_add(burn_weighted(*sh, s))
    });
    if sum_w > zero {
        for ((_, sh), s) in shares.iter_mut().zip(inputs) {
            *sh = div64(burn_weighted(*sh, s), sum_w);
        }
    }
}

/// `get_shares` of specs 423–424: each `share0_i` times `root_prop_i × (1 − min(MinerBurned_i, 1))`
/// (that product first, then the share; U64F64), renormalised; falls back to `share0` when every
/// weight is zero (tags v3.4.8-423 / v3.4.9-424 `subnet_emissions.rs`). `share0` and `root_prop`
/// are aligned with `inputs`.
pub fn root_prop_reweight(
    share0: Vec<(u16, U64F64)>,
    inputs: &[ShareInput],
    root_prop: &[U96F32],
) -> Vec<(u16, U64F64)> {
    let zero = U64F64::from_num(0);
    let one = U64F64::from_num(1);
    let weighted: Vec<(u16, U64F64)> = share0
        .iter()
        .zip(inputs)
        .zip(root_prop)
        .map(|((&(n, sh), s), rp)| {
            let burned = U64F64::saturating_from_num(s.miner_burned).min(one);
            let factor =
                U64F64::saturating_from_num(*rp).saturating_mul(one.saturating_sub(burned));
            (n, sh.saturating_mul(factor))
        })
        .collect();
    let sum_w = weighted
        .iter()
        .fold(zero, |acc, (_, w)| acc.saturating_add(*w));
    if sum_w > zero {
        weighted
            .into_iter()
            .map(|(n, w)| (n, div64(w, sum_w)))
            .collect()
    } else {
        share0
    }
}

/// `get_shares` before the emission gate: price-EMA shares weighted by `1 − MinerBurned` and
/// renormalised ([`price_ema_shares`] then [`burn_reweight`]). U64F64 throughout.
pub fn price_shares(inputs: &[ShareInput]) -> Vec<(u16, U64F64)> {
    burn_reweight(price_ema_shares(inputs), inputs)
}

/// The tail of `get_subnet_block_emissions`: emission-disabled subnets zeroed and the enabled
/// shares renormalised by their sum (only when some subnet is disabled), then
/// `U96F32(U64F64(E) × share_i)`. `shares` is aligned with `inputs`.
pub fn emissions_from_shares(
    shares: &[(u16, U64F64)],
    inputs: &[ShareInput],
    block_emission: U96F32,
) -> Vec<(u16, U96F32)> {
    let mut out = Vec::with_capacity(shares.len());
    emissions_from_shares_into(shares, inputs, block_emission, &mut out);
    out
}

/// [`emissions_from_shares`] into a reused buffer (cleared first), with the filter of
/// [`enabled_shares`] applied on the fly.
pub fn emissions_from_shares_into(
    shares: &[(u16, U64F64)],
    inputs: &[ShareInput],
    block_emission: U96F32,
    out: &mut Vec<(u16, U96F32)>,
) {
    let zero = U64F64::from_num(0);
    let has_disabled = inputs.iter().any(|s| !s.emission_enabled);
    let enabled_sum = enabled_sum(shares, inputs);
    let e = U64F64::saturating_from_num(block_emission);
    out.clear();
    out.extend(shares.iter().zip(inputs).map(|(&(n, share), s)| {
        let share = enabled_share(share, s, has_disabled, enabled_sum, zero);
        (n, U96F32::saturating_from_num(e.sat_mul(share)))
    }));
}

/// Σ of the emission-enabled shares.
fn enabled_sum(shares: &[(u16, U64F64)], inputs: &[ShareInput]) -> U64F64 {
    shares
        .iter()
        .zip(inputs)
        .filter(|(_, s)| s.emission_enabled)
        .fold(U64F64::from_num(0), |acc, ((_, sh), _)| {
            acc.saturating_add(*sh)
        })
}

/// One share after the emission-enabled filter.
fn enabled_share(
    share: U64F64,
    s: &ShareInput,
    has_disabled: bool,
    enabled_sum: U64F64,
    zero: U64F64,
) -> U64F64 {
    if !has_disabled {
        share
    } else if s.emission_enabled && enabled_sum > zero {
        div64(share, enabled_sum)
    } else {
        zero
    }
}

/// The emission-enabled filter of `get_subnet_block_emissions`: with any subnet disabled, the
/// disabled shares become 0 and the enabled ones are divided by their sum (all 0 if that sum is 0).
pub fn enabled_shares(shares: &[(u16, U64F64)], inputs: &[ShareInput]) -> Vec<(u16, U64F64)> {
    let zero = U64F64::from_num(0);
    let has_disabled = inputs.iter().any(|s| !s.emission_enabled);
    let sum = enabled_sum(shares, inputs);
    shares
        .iter()
        .zip(inputs)
        .map(|(&(n, share), s)| (n, enabled_share(share, s, has_disabled, sum, zero)))
        .collect()
}

/// `get_subnet_block_emissions` without the gate (spec ≤ 439): TAO emission per subnet,
/// `U96F32(U64F64(E) × share_i)`, with emission-disabled subnets zeroed and the enabled shares
/// renormalised by their sum. For spec 440+ see [`super::gate::subnet_block_emissions_gated`].
pub fn subnet_block_emissions(inputs: &[ShareInput], block_emission: U96F32) -> Vec<(u16, U96F32)> {
    emissions_from_shares(&price_shares(inputs), inputs, block_emission)
}

/// `get_network_root_sell_flag`: Σ moving prices of the emitting subnets > 1 (U64F64).
pub fn root_sell_flag(moving_prices: impl IntoIterator<Item = U64F64>) -> bool {
    let total = moving_prices
        .into_iter()
        .fold(U64F64::from_num(0), |a, p| a.saturating_add(p));
    total > U64F64::from_num(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(netuid: u16, p: f64, burned: f64, enabled: bool) -> ShareInput {
        ShareInput {
            netuid,
            moving_price: U64F64::from_num(p),
            miner_burned: U96F32::from_num(burned),
            emission_enabled: enabled,
        }
    }

    #[test]
    fn equal_prices_split_evenly() {
        let s = price_shares(&[input(1, 1.0, 0.0, true), input(2, 1.0, 0.0, true)]);
        assert_eq!(
            s,
            vec![(1, U64F64::from_num(0.5)), (2, U64F64::from_num(0.5))]
        );
    }

    #[test]
    fn burn_reduces_share() {
        let s = price_shares(&[input(1, 1.0, 0.5, true), input(2, 1.0, 0.0, true)]);
        let a = s.first().map(|x| x.1.to_num::<f64>()).unwrap_or(0.0);
        assert!((a - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn disabled_subnet_share_moves_to_enabled() {
        let e = subnet_block_emissions(
            &[
                input(1, 1.0, 0.0, true),
                input(2, 1.0, 0.0, false),
                input(3, 1.0, 0.0, true),
            ],
            U96F32::from_num(3_333_333),
        );
        let v: Vec<u64> = e.iter().map(|x| x.1.to_num::<u64>()).collect();
        assert_eq!(v, vec![1_666_666, 0, 1_666_666]);
    }

    #[test]
    fn zero_prices_emit_nothing() {
        let e = subnet_block_emissions(&[input(1, 0.0, 0.0, true)], U96F32::from_num(10));
        assert_eq!(e, vec![(1, U96F32::from_num(0))]);
        assert!(root_sell_flag([
            U64F64::from_num(0.6),
            U64F64::from_num(0.6)
        ]));
        assert!(!root_sell_flag([U64F64::from_num(1)]));
    }
}
