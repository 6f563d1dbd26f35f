//! Subnet emission shares after spec 440: miner-burn factor by era, the gate bar θ (q-mass or
//! rank mode, recomputed every 360 blocks) and the Hill gate `1 / (1 + (θ/s)^h)`.
//!
//! Port of `get_shares`, `maybe_update_emission_gate_bar`, `apply_emission_gate` and
//! `get_subnet_block_emissions` from `pallets/subtensor/src/coinbase/subnet_emissions.rs`
//! (RaoFoundation/subtensor @ f8ff769a45395d2de7ec26110d0001aa1ff2e9ec); the rank-mode default
//! (32) from `pallets/subtensor/src/lib.rs` (index id 68884137211). Spec
//! `emission-after-425.md` §2. `safe_pow` is the flow rule's helper ([`super::flow::safe_pow`]),
//! which the chain shares bit for bit.
//!
//! Pipeline ([`get_shares`]): price-EMA shares → miner-burn reweighting ([`BurnFactor`]) → bar
//! update ([`maybe_update_bar`]) → gate ([`apply_gate`]); then [`subnet_block_emissions_gated`]
//! applies the emission-enabled filter after the gate and converts to U96F32 TAO.

use super::flow::safe_pow;
use super::math::div64;
use super::shares::{burn_reweight, enabled_shares, price_ema_shares, ShareInput};
use crate::fixed::wide;
use substrate_fixed::types::{U64F64, U96F32};

/// `EMISSION_BAR_UPDATE_INTERVAL`: blocks between bar recomputations.
pub const EMISSION_BAR_UPDATE_INTERVAL: u64 = 360;

/// `EmissionBarQuantile` default: `U64F64::saturating_from_num(0.61)` (bits).
pub const DEFAULT_EMISSION_BAR_QUANTILE_BITS: u128 = 11_252_513_884_962_826_240;

/// `EmissionBarRank` default from spec 441 (the storage item did not exist in 440, which is
/// q-mass only). The #3014 release note says 64; the v443 code and the chain say 32.
pub const DEFAULT_EMISSION_BAR_RANK: u16 = 32;

/// `EmissionGateExponent` default `h` = 3.
pub const DEFAULT_EMISSION_GATE_EXPONENT: u64 = 3;

/// Whether `get_shares` weights the price shares by `1 − MinerBurned` (spec §2.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BurnFactor {
    /// `w_i = share_i × (1 − min(MinerBurned_i, 1))`, renormalised, with the price-share fallback
    /// when every weight is 0. Specs 424–443 (424 also had root_prop) and 445 onward (#3071).
    #[default]
    Applied,
    /// `share_i = price_share_i`: spec 444 only (#3058; restored by #3071 in 445).
    Ignored,
}

/// How the gate bar θ is chosen when it is recomputed (spec §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GateBar {
    /// q-mass mode: sort the shares descending and accumulate until the running total reaches
    /// `q` (`EmissionBarQuantile`, U64F64 bits); θ is the share at the crossing. The only mode of
    /// spec 440 (q = 0.61 until root set 0.75); from 441 on, the mode when `EmissionBarRank` = 0.
    QuantileMass(u128),
    /// Rank mode: θ is the N-th largest positive share, or the smallest positive share when
    /// fewer than N are positive. Spec 441 onward with `EmissionBarRank` = N > 0 (default 32,
    /// the live setting).
    Rank(u16),
}

impl GateBar {
    /// The mode the storage selects from spec 441 on: `EmissionBarRank` > 0 → rank mode, else
    /// q-mass with `EmissionBarQuantile`.
    pub fn from_storage(rank: u16, quantile_bits: u128) -> Self {
        if rank > 0 {
            GateBar::Rank(rank)
        } else {
            GateBar::QuantileMass(quantile_bits)
        }
    }
}

/// The emission gate of `get_shares` (spec §2.3–§2.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EmissionGate {
    /// No gate and no bar: specs ≤ 439.
    #[default]
    Off,
    /// Bar update and Hill gate: spec 440 onward.
    On {
        /// How θ is recomputed (440: q-mass; 441+: [`GateBar::from_storage`]).
        bar: GateBar,
        /// `EmissionGateExponent` h (U64F64 bits; default 3).
        exponent_bits: u128,
    },
}

/// Shares of one block, step by step.
#[derive(Debug, Clone, PartialEq)]
pub struct GatedShares {
    /// Price-EMA shares (step 1).
    pub price: Vec<(u16, U64F64)>,
    /// After the miner-burn step (step 2), the input of the bar update.
    pub weighted: Vec<(u16, U64F64)>,
    /// After the gate (step 4), the output of `get_shares`.
    pub shares: Vec<(u16, U64F64)>,
    /// `EmissionGateBar` after this block (0 = never computed).
    pub bar: U64F64,
}

/// The result of [`subnet_block_emissions_gated`].
#[derive(Debug, Clone, PartialEq)]
pub struct BlockEmissions {
    /// `get_shares`, step by step.
    pub gated: GatedShares,
    /// Shares after the emission-enabled filter.
    pub enabled: Vec<(u16, U64F64)>,
    /// TAO emission per subnet (U96F32).
    pub emissions: Vec<(u16, U96F32)>,
}

/// Whether the bar is recomputed this block: it is unset (0) or `block` is a multiple of 360
/// (block 0 included, as `checked_rem` gives 0).
pub fn bar_update_due(block: u64, stored_bar: U64F64) -> bool {
    stored_bar == U64F64::from_num(0)
        || block
            .checked_rem(EMISSION_BAR_UPDATE_INTERVAL)
            .unwrap_or_default()
            == 0
}

/// θ for `shares` under `mode`; 0 when no share qualifies.
pub fn compute_bar(shares: &[(u16, U64F64)], mode: GateBar) -> U64F64 {
    compute_bar_with(shares, mode, &mut Vec::with_capacity(shares.len()))
}

/// [`compute_bar`] sorting in a reused buffer.
pub fn compute_bar_with(
    shares: &[(u16, U64F64)],
    mode: GateBar,
    sorted: &mut Vec<U64F64>,
) -> U64F64 {
    let zero = U64F64::from_num(0);
    sorted.clear();
    sorted.extend(shares.iter().map(|(_, s)| *s));
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    match mode {
        GateBar::Rank(rank) => {
            let mut positive = sorted.iter().filter(|s| **s > zero);
            let nth = positive.clone().nth(usize::from(rank).saturating_sub(1));
            nth.or_else(|| positive.next_back())
                .copied()
                .unwrap_or(zero)
        }
        GateBar::QuantileMass(q_bits) => {
            let q = U64F64::from_bits(q_bits);
            let mut cumulative = zero;
            let mut crossing = zero;
            for &share in sorted.iter() {
                cumulative = cumulative.saturating_add(share);
                crossing = share;
                if cumulative >= q {
                    break;
                }
            }
            crossing
        }
    }
}

/// `maybe_update_emission_gate_bar`: the stored bar after this block. A computed θ of 0 leaves
/// the stored bar unchanged.
pub fn maybe_update_bar(
    shares: &[(u16, U64F64)],
    mode: GateBar,
    block: u64,
    stored_bar: U64F64,
) -> U64F64 {
    maybe_update_bar_with(shares, mode, block, stored_bar, &mut Vec::new())
}

/// [`maybe_update_bar`] sorting in a reused buffer.
pub fn maybe_update_bar_with(
    shares: &[(u16, U64F64)],
    mode: GateBar,
    block: u64,
    stored_bar: U64F64,
    sorted: &mut Vec<U64F64>,
) -> U64F64 {
    if !bar_update_due(block, stored_bar) {
        return stored_bar;
    }
    let theta = compute_bar_with(shares, mode, sorted);
    if theta > U64F64::from_num(0) {
        theta
    } else {
        stored_bar
    }
}

/// The gate factor `g = 1 / (1 + safe_pow(θ/s, h))` of a positive share `s`.
pub fn gate_factor(theta: U64F64, share: U64F64, exponent: U64F64) -> U64F64 {
    let one = U64F64::from_num(1);
    let ratio = div64(theta, share);
    div64(one, one.saturating_add(safe_pow(ratio, exponent)))
}

/// `apply_emission_gate`: every positive share times its [`gate_factor`], then renormalised;
/// when the gated total is 0 the ungated shares are restored. θ = 0 disables the gate.
pub fn apply_gate(shares: &mut [(u16, U64F64)], theta: U64F64, exponent: U64F64) {
    let ungated: Vec<(u16, U64F64)> = shares.to_vec();
    apply_gate_from(shares, &ungated, theta, exponent);
}

/// [`apply_gate`] on `shares` equal to `ungated` (the copy the zero-total case restores), so a
/// caller that already holds that copy allocates nothing.
pub fn apply_gate_from(
    shares: &mut [(u16, U64F64)],
    ungated: &[(u16, U64F64)],
    theta: U64F64,
    exponent: U64F64,
) {
    let zero = U64F64::from_num(0);
    if theta <= zero {
        return;
    }
    for (_, share) in shares.iter_mut() {
        if *share <= zero {
            continue;
        }
        *share = wide::mul_u64f64(*share, gate_factor(theta, *share, exponent));
    }
    let total = shares
        .iter()
        .fold(zero, |acc, (_, s)| acc.saturating_add(*s));
    if total > zero {
        for (_, share) in shares.iter_mut() {
            *share = div64(*share, total);
        }
    } else {
        shares.copy_from_slice(ungated);
    }
}

/// `get_shares` (spec 440+ pipeline, any era by its parameters). `stored_bar` is
/// `EmissionGateBar` before this block; the returned [`GatedShares::bar`] is its value after.
pub fn get_shares(
    inputs: &[ShareInput],
    burn: BurnFactor,
    gate: EmissionGate,
    block: u64,
    stored_bar: U64F64,
) -> GatedShares {
    let price = price_ema_shares(inputs);
    let weighted = match burn {
        BurnFactor::Applied => burn_reweight(price.clone(), inputs),
        BurnFactor::Ignored => price.clone(),
    };
    let mut shares = weighted.clone();
    let bar = match gate {
        EmissionGate::Off => stored_bar,
        EmissionGate::On { bar, exponent_bits } => {
            let theta = maybe_update_bar(&weighted, bar, block, stored_bar);
            apply_gate(&mut shares, theta, U64F64::from_bits(exponent_bits));
            theta
        }
    };
    GatedShares {
        price,
        weighted,
        shares,
        bar,
    }
}

/// `get_subnet_block_emissions` with the gate: [`get_shares`] over every eligible subnet
/// (emission-disabled ones included), then the enabled filter and renormalisation, then
/// `U96F32(U64F64(E) × share_i)`.
pub fn subnet_block_emissions_gated(
    inputs: &[ShareInput],
    burn: BurnFactor,
    gate: EmissionGate,
    block: u64,
    stored_bar: U64F64,
    block_emission: U96F32,
) -> BlockEmissions {
    let gated = get_shares(inputs, burn, gate, block, stored_bar);
    let enabled = enabled_shares(&gated.shares, inputs);
    let e = U64F64::saturating_from_num(block_emission);
    let emissions = enabled
        .iter()
        .map(|&(n, s)| (n, U96F32::saturating_from_num(e.saturating_mul(s))))
        .collect();
    BlockEmissions {
        gated,
        enabled,
        emissions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(netuid: u16, p: u32, burned: f64) -> ShareInput {
        ShareInput {
            netuid,
            moving_price: U64F64::from_num(p),
            miner_burned: U96F32::from_num(burned),
            emission_enabled: true,
        }
    }

    fn qmass() -> EmissionGate {
        EmissionGate::On {
            bar: GateBar::QuantileMass(DEFAULT_EMISSION_BAR_QUANTILE_BITS),
            exponent_bits: U64F64::from_num(DEFAULT_EMISSION_GATE_EXPONENT).to_bits(),
        }
    }

    fn bits(v: &[(u16, U64F64)]) -> Vec<u128> {
        v.iter().map(|(_, s)| s.to_bits()).collect()
    }

    #[test]
    fn default_quantile_is_the_float_0_61() {
        assert_eq!(
            U64F64::saturating_from_num(0.61).to_bits(),
            DEFAULT_EMISSION_BAR_QUANTILE_BITS
        );
    }

    #[test]
    fn gate_at_the_bar_is_one_half() {
        let s = U64F64::from_num(0.25);
        assert_eq!(
            gate_factor(s, s, U64F64::from_num(3)),
            U64F64::from_num(0.5)
        );
    }

    #[test]
    fn one_to_two_split_matches_upstream_bits() {
        let g = get_shares(
            &[input(1, 1, 0.0), input(2, 2, 0.0)],
            BurnFactor::Applied,
            qmass(),
            0,
            U64F64::from_num(0),
        );
        assert_eq!(g.bar.to_bits(), 12_297_829_382_473_034_410);
        assert_eq!(
            bits(&g.shares),
            vec![1_844_674_367_470_709_843, 16_602_069_706_238_841_772]
        );
    }

    #[test]
    fn bar_is_sticky_between_updates() {
        let stale = U64F64::from_num(0.7);
        assert_eq!(
            maybe_update_bar(&[(1, U64F64::from_num(0.5))], GateBar::Rank(1), 179, stale),
            stale
        );
        assert_eq!(
            maybe_update_bar(&[(1, U64F64::from_num(0.5))], GateBar::Rank(1), 360, stale),
            U64F64::from_num(0.5)
        );
    }

    #[test]
    fn rank_mode_picks_nth_positive_or_smallest() {
        let shares = [
            (1, U64F64::from_num(0.7)),
            (2, U64F64::from_num(0)),
            (3, U64F64::from_num(0.3)),
        ];
        assert_eq!(
            compute_bar(&shares, GateBar::Rank(2)),
            U64F64::from_num(0.3)
        );
        assert_eq!(
            compute_bar(&shares, GateBar::Rank(32)),
            U64F64::from_num(0.3)
        );
        assert_eq!(compute_bar(&[], GateBar::Rank(32)), U64F64::from_num(0));
    }

    #[test]
    fn burn_factor_by_era_and_fallback() {
        let inputs = [input(1, 1, 1.0), input(2, 1, 0.0)];
        let on = get_shares(
            &inputs,
            BurnFactor::Applied,
            EmissionGate::Off,
            0,
            U64F64::from_num(0),
        );
        assert_eq!(bits(&on.weighted), vec![0, 1u128 << 64]);
        let off = get_shares(
            &inputs,
            BurnFactor::Ignored,
            EmissionGate::Off,
            0,
            U64F64::from_num(0),
        );
        assert_eq!(bits(&off.weighted), vec![1u128 << 63, 1u128 << 63]);
        let all = [input(1, 1, 1.0), input(2, 1, 1.0)];
        let fb = get_shares(
            &all,
            BurnFactor::Applied,
            EmissionGate::Off,
            0,
            U64F64::from_num(0),
        );
        assert_eq!(bits(&fb.weighted), vec![1u128 << 63, 1u128 << 63]);
    }

    #[test]
    fn underflow_restores_ungated_shares() {
        let mut shares = vec![
            (1, U64F64::from_bits(1 << 24)),
            (2, U64F64::from_bits(1 << 24)),
        ];
        apply_gate(&mut shares, U64F64::from_num(1), U64F64::from_num(30));
        assert_eq!(bits(&shares), vec![1 << 24, 1 << 24]);
    }

    #[test]
    fn disabled_filter_runs_after_the_gate() {
        let mut inputs = [input(1, 1, 0.0), input(2, 2, 0.0), input(3, 1, 0.0)];
        if let Some(x) = inputs.get_mut(1) {
            x.emission_enabled = false;
        }
        let r = subnet_block_emissions_gated(
            &inputs,
            BurnFactor::Applied,
            qmass(),
            0,
            U64F64::from_num(0),
            U96F32::from_num(500_000_000u64),
        );
        assert_eq!(r.gated.bar, U64F64::from_num(0.25));
        assert_eq!(bits(&r.enabled), vec![1u128 << 63, 0, 1u128 << 63]);
        let floors: Vec<u64> = r.emissions.iter().map(|(_, v)| v.to_num::<u64>()).collect();
        assert_eq!(floors, vec![250_000_000, 0, 250_000_000]);
    }
}
