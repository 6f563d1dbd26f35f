//! Miner registration collateral (spec 435/436): its parameters, the split of the registration
//! price into a burned share and a collateral top-up, the split of the bought alpha, and the
//! settlement of a position's lock against the emission it earns (release above the miner-set
//! floor, capture below it).
//!
//! Port of `get_collateral_lock_share_float`, `get_collateral_requirement_tao`,
//! `get_collateral_topup_tao`, `pay_registration` (the alpha split), `credit_miner_collateral`,
//! `settle_miner_collateral` and `merge_miner_collateral_state` from
//! `pallets/subtensor/src/subnets/collateral.rs` (RaoFoundation/subtensor @
//! 00d2eb972e8af43d99925724bae0da2fb451dd42), the bounds from `pallets/subtensor/src/lib.rs`
//! (index id 68884137211), and the per-hotkey dividend payout wiring of
//! `distribute_dividends_and_incentives` (`run_coinbase.rs`, index id 70951396623). Spec
//! `emission-after-425.md` §4 and §3.3.

use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::{U64F64, U96F32};

/// `CollateralLockShare` default: 0 (collateral off, classic burned registration).
pub const DEFAULT_COLLATERAL_LOCK_SHARE: u16 = 0;
/// `MaxCollateralLockShare`: 62 258 / 65 535 ≈ 95 %.
pub const MAX_COLLATERAL_LOCK_SHARE: u16 = 62_258;
/// `CollateralDrainRatio` default k = 1 (alpha released per alpha earned).
pub const DEFAULT_COLLATERAL_DRAIN_RATIO: u64 = 1;
/// `MaxCollateralDrainRatio`: k ≤ 10.
pub const MAX_COLLATERAL_DRAIN_RATIO: u64 = 10;

/// Which emission settles collateral, by era.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CollateralRule {
    /// No collateral: specs ≤ 434 (and any subnet with `CollateralLockShare` = 0 registers
    /// classically in every era).
    Off,
    /// Spec 435 (never on finney): only miner incentive settles (release and capture).
    IncentiveOnly,
    /// Spec 436 onward: incentive, alpha dividends and root dividends all settle; only the
    /// owner's take of a dividend can be captured.
    #[default]
    AllEmission,
}

impl CollateralRule {
    /// Whether dividends (alpha and root) settle collateral.
    pub fn settles_dividends(self) -> bool {
        matches!(self, CollateralRule::AllEmission)
    }

    /// Whether miner incentive settles collateral.
    pub fn settles_incentive(self) -> bool {
        !matches!(self, CollateralRule::Off)
    }
}

/// `MinerCollateralState` of one `(netuid, hotkey, coldkey)` position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MinerCollateralState {
    /// Alpha locked.
    pub locked: u64,
    /// Drain ratio k snapshotted at registration (U64F64 bits).
    pub drain_ratio_bits: u128,
    /// Miner-set floor.
    pub min_locked: u64,
    /// Lifetime emission while the entry has existed (saturating).
    pub earned: u64,
}

/// Check a `CollateralLockShare` against its bound.
pub fn validate_lock_share(p: u16) -> Result<u16> {
    if p > MAX_COLLATERAL_LOCK_SHARE {
        return Err(Error::field(
            ErrorCode::InvalidHyperparameter,
            "collateral_lock_share",
            format!("{p} exceeds MaxCollateralLockShare {MAX_COLLATERAL_LOCK_SHARE}"),
        ));
    }
    Ok(p)
}

/// Check a `CollateralDrainRatio`: 0 < k ≤ 10.
pub fn validate_drain_ratio(k: U64F64) -> Result<U64F64> {
    if k == U64F64::from_num(0) || k > U64F64::from_num(MAX_COLLATERAL_DRAIN_RATIO) {
        return Err(Error::field(
            ErrorCode::InvalidHyperparameter,
            "collateral_drain_ratio",
            format!("{k} outside (0, {MAX_COLLATERAL_DRAIN_RATIO}]"),
        ));
    }
    Ok(k)
}

/// `p_f = U64F64(p) / U64F64(65535)`.
pub fn lock_share_float(p: u16) -> U64F64 {
    U64F64::from_num(p)
        .checked_div(U64F64::from_num(u16::MAX))
        .unwrap_or_else(|| U64F64::from_num(0))
}

/// `get_collateral_requirement_tao`: `floor(U64F64(cost) × p_f)`.
pub fn collateral_requirement(p: u16, registration_cost: u64) -> u64 {
    U64F64::from_num(registration_cost)
        .saturating_mul(lock_share_float(p))
        .saturating_to_num::<u64>()
}

/// `get_collateral_topup_tao`: the requirement less the standing lock valued at the moving
/// price, `floor(U64F64(locked_alpha) × moving_price)`, saturating at 0.
pub fn collateral_topup(
    p: u16,
    registration_cost: u64,
    locked_alpha: u64,
    moving_price: U64F64,
) -> u64 {
    let requirement = collateral_requirement(p, registration_cost);
    if requirement == 0 {
        return 0;
    }
    let locked_value = U64F64::from_num(locked_alpha)
        .saturating_mul(moving_price)
        .saturating_to_num::<u64>();
    requirement.saturating_sub(locked_value)
}

/// The registration price split of spec §4.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationSplit {
    /// `p × cost`, floored.
    pub requirement: u64,
    /// `cost − requirement`: burned like a classic registration.
    pub burned_share: u64,
    /// What is bought and locked: requirement less the standing lock's value.
    pub topup: u64,
    /// `burned_share + topup`: transferred and swapped once.
    pub total_charge: u64,
}

/// Split a registration price `cost` (`Burn[n]`) for a position with `locked_alpha` standing.
pub fn registration_split(
    p: u16,
    cost: u64,
    locked_alpha: u64,
    moving_price: U64F64,
) -> RegistrationSplit {
    let requirement = collateral_requirement(p, cost);
    let burned_share = cost.saturating_sub(requirement);
    let topup = collateral_topup(p, cost, locked_alpha, moving_price);
    RegistrationSplit {
        requirement,
        burned_share,
        topup,
        total_charge: burned_share.saturating_add(topup),
    }
}

/// The alpha bought by one registration swap, split by TAO weight: `(lock_α, burn_α)` with
/// `lock_α = floor(A × topup / (burned_share + topup))` (u128); `burn_α` is recycled.
pub fn split_bought_alpha(bought: u64, burned_share: u64, topup: u64) -> (u64, u64) {
    let lock = if topup == 0 {
        0
    } else if burned_share == 0 {
        bought
    } else {
        mul_div(
            bought,
            topup,
            u128::from(burned_share).saturating_add(u128::from(topup)),
        )
    };
    (lock, bought.saturating_sub(lock))
}

/// `floor(a × b / d)` in u128 (0 when `d` = 0), saturating to u64.
fn mul_div(a: u64, b: u64, d: u128) -> u64 {
    let v = u128::from(a)
        .saturating_mul(u128::from(b))
        .checked_div(d)
        .unwrap_or(0);
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// `credit_miner_collateral`: add `alpha` to the lock (creating the entry with drain ratio `k`);
/// a registration re-snapshots k, a voluntary top-up does not.
pub fn credit(
    state: Option<MinerCollateralState>,
    alpha: u64,
    drain_ratio: U64F64,
    resnapshot: bool,
) -> MinerCollateralState {
    match state {
        Some(mut s) => {
            s.locked = s.locked.saturating_add(alpha);
            if resnapshot {
                s.drain_ratio_bits = drain_ratio.to_bits();
            }
            s
        }
        None => MinerCollateralState {
            locked: alpha,
            drain_ratio_bits: drain_ratio.to_bits(),
            min_locked: 0,
            earned: 0,
        },
    }
}

/// The outcome of one settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// The entry after settlement (`None`: absent or deleted).
    pub state: Option<MinerCollateralState>,
    /// Alpha captured into the lock (staked to `(hotkey, owner)` by the caller's ledger).
    pub captured: u64,
}

/// `settle_miner_collateral(emission, capturable)`: `earned += emission`; below the floor capture
/// `min(capturable, min_locked − locked)` (no release in the same call); otherwise release
/// `min(floor(emission × k), locked − min_locked)` and delete the entry when both `locked` and
/// `min_locked` are 0. Zero emission or no entry changes nothing.
pub fn settle(state: Option<MinerCollateralState>, emission: u64, capturable: u64) -> Settlement {
    let Some(mut s) = state.filter(|_| emission > 0) else {
        return Settlement { state, captured: 0 };
    };
    s.earned = s.earned.saturating_add(emission);
    let shortfall = s.min_locked.saturating_sub(s.locked);
    if shortfall > 0 {
        let captured = capturable.min(shortfall);
        s.locked = s.locked.saturating_add(captured);
        return Settlement {
            state: Some(s),
            captured,
        };
    }
    let release = U64F64::from_num(emission)
        .saturating_mul(U64F64::from_bits(s.drain_ratio_bits))
        .saturating_to_num::<u64>();
    let releasable = s.locked.saturating_sub(s.min_locked);
    s.locked = s.locked.saturating_sub(releasable.min(release));
    let state = (s.locked > 0 || s.min_locked > 0).then_some(s);
    Settlement { state, captured: 0 }
}

/// `merge_miner_collateral_state` (hotkey and coldkey swaps): locked, floor and earned summed,
/// the smaller drain ratio kept.
pub fn merge(
    into: Option<MinerCollateralState>,
    from: MinerCollateralState,
) -> MinerCollateralState {
    match into {
        Some(s) => MinerCollateralState {
            locked: s.locked.saturating_add(from.locked),
            drain_ratio_bits: s.drain_ratio_bits.min(from.drain_ratio_bits),
            min_locked: s.min_locked.saturating_add(from.min_locked),
            earned: s.earned.saturating_add(from.earned),
        },
        None => from,
    }
}

/// One hotkey's dividend (alpha or root) paid with collateral (spec §3.3 steps 3–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DividendPayout {
    /// `take_float × d` (U96F32), before flooring.
    pub take_fixed: U96F32,
    /// `floor(take_float × d)`.
    pub take: u64,
    /// `floor(d − take_float × d)`: the nominators' part (alpha) or the basket credit (root).
    pub rest: u64,
    /// Part of the take captured into the lock.
    pub captured: u64,
    /// `take − captured`, staked to `(hotkey, owner)`.
    pub liquid_take: u64,
    /// The collateral entry afterwards.
    pub state: Option<MinerCollateralState>,
}

/// Pay a dividend `d` of a hotkey with take `take_u16` (`Delegates`, over 65535 in U96F32):
/// the full `floor(d)` drives release and `earned`, only the take is capturable. Under
/// [`CollateralRule::IncentiveOnly`] or [`CollateralRule::Off`] nothing settles.
pub fn pay_dividend(
    state: Option<MinerCollateralState>,
    dividend: U96F32,
    take_u16: u16,
    rule: CollateralRule,
) -> DividendPayout {
    let take_float = U96F32::from_num(take_u16)
        .checked_div(U96F32::from_num(u16::MAX))
        .unwrap_or_else(|| U96F32::from_num(0));
    let take_fixed = take_float.saturating_mul(dividend);
    let take = take_fixed.saturating_to_num::<u64>();
    let rest = dividend
        .saturating_sub(take_fixed)
        .saturating_to_num::<u64>();
    let s = if rule.settles_dividends() {
        settle(state, dividend.saturating_to_num::<u64>(), take)
    } else {
        Settlement { state, captured: 0 }
    };
    DividendPayout {
        take_fixed,
        take,
        rest,
        captured: s.captured,
        liquid_take: take.saturating_sub(s.captured),
        state: s.state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(locked: u64, k: f64, min_locked: u64) -> Option<MinerCollateralState> {
        Some(MinerCollateralState {
            locked,
            drain_ratio_bits: U64F64::from_num(k).to_bits(),
            min_locked,
            earned: 0,
        })
    }

    #[test]
    fn release_above_floor_and_capture_below() {
        let s = settle(entry(100, 1.0, 20), 50, 50);
        assert_eq!((s.captured, s.state.map(|x| x.locked)), (0, Some(50)));
        let s = settle(entry(100, 1.0, 1000), 1000, 300);
        assert_eq!((s.captured, s.state.map(|x| x.locked)), (300, Some(400)));
        let s = settle(entry(100, 0.5, 0), 7, 7);
        assert_eq!(s.state.map(|x| (x.locked, x.earned)), Some((97, 7)));
        assert_eq!(settle(entry(300, 1.0, 0), 400, 400).state, None);
        assert_eq!(
            settle(None, 5, 5),
            Settlement {
                state: None,
                captured: 0
            }
        );
    }

    #[test]
    fn registration_split_and_topup() {
        let r = registration_split(32_768, 1_000_000_000, 0, U64F64::from_num(1));
        assert_eq!((r.requirement, r.burned_share), (500_007_629, 499_992_371));
        assert_eq!(
            collateral_topup(32_768, 1_000_000_000, 200_000_000, U64F64::from_num(2)),
            100_007_629
        );
        assert_eq!(
            collateral_topup(0, 1_000_000_000, 0, U64F64::from_num(1)),
            0
        );
        assert_eq!(split_bought_alpha(1000, 1, 3), (750, 250));
        assert_eq!(split_bought_alpha(1000, 0, 3), (1000, 0));
        assert_eq!(split_bought_alpha(1000, 3, 0), (0, 1000));
    }

    #[test]
    fn bounds() {
        assert!(validate_lock_share(MAX_COLLATERAL_LOCK_SHARE).is_ok());
        assert!(validate_lock_share(MAX_COLLATERAL_LOCK_SHARE + 1).is_err());
        assert!(validate_drain_ratio(U64F64::from_num(0)).is_err());
        assert!(validate_drain_ratio(U64F64::from_num(10)).is_ok());
        assert!(validate_drain_ratio(U64F64::from_num(11)).is_err());
    }

    #[test]
    fn dividend_captures_only_the_take() {
        let p = pay_dividend(
            entry(100, 1.0, 10_000_000),
            U96F32::from_num(1_000_000),
            32_767,
            CollateralRule::AllEmission,
        );
        assert_eq!((p.take, p.rest, p.captured), (499_992, 500_007, 499_992));
        assert_eq!(
            p.state.map(|s| (s.locked, s.earned)),
            Some((500_092, 1_000_000))
        );
        let q = pay_dividend(
            entry(100, 1.0, 10_000_000),
            U96F32::from_num(1_000_000),
            32_767,
            CollateralRule::IncentiveOnly,
        );
        assert_eq!((q.captured, q.state.map(|s| s.locked)), (0, Some(100)));
    }

    #[test]
    fn merge_keeps_slower_drain() {
        let m = merge(
            entry(5, 2.0, 1),
            MinerCollateralState {
                locked: 3,
                drain_ratio_bits: U64F64::from_num(1).to_bits(),
                min_locked: 2,
                earned: 4,
            },
        );
        assert_eq!((m.locked, m.min_locked, m.earned), (8, 3, 4));
        assert_eq!(m.drain_ratio_bits, U64F64::from_num(1).to_bits());
    }
}
