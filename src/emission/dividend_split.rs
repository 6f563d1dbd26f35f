//! Alpha vs root split of each hotkey's epoch dividend, by era, and the pro-rata sharing of the
//! validator and root pools (`calculate_dividend_distribution`).
//!
//! Ports: ≤ 440 from `pallets/subtensor/src/coinbase/run_coinbase.rs` (opentensor/subtensor @
//! 14bc6f9, lines 520–560); ≥ 442 (#3035) from the same path in RaoFoundation/subtensor (index id
//! 70951396623, commit not exposed); the 441 rule is reconstructed from the #3035 PR text (spec
//! confidence C). Spec `emission-after-425.md` §3.1–§3.2.

use super::math::u96;
use crate::fixed::wide::SatMul;
use std::collections::BTreeMap;
use substrate_fixed::types::U96F32;

/// Which rule splits a hotkey's dividend `d` between its alpha part `a` and root part `r`, with
/// `w = τ·tw` (root stake times `TaoWeight`) and `α` the hotkey's alpha stake.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DividendSplit {
    /// Specs ≤ 440 (14bc6f9): `r = d × (w / (α + w))` (0 when the denominator is 0), `a = d − r`.
    /// Root UIDs play no part.
    Legacy,
    /// Spec 441 (Root Reborn, reconstructed from #3035): as [`DividendSplit::Legacy`], but a hotkey
    /// without a root UID counts `τ = 0`, so its whole dividend goes to the alpha side.
    RootUidZeroed,
    /// Specs ≥ 442 (#3035): `a = d × (α / (α + w))` (`a = d` when `α + w = 0`); `r = d − a` for a
    /// hotkey with a root UID, else `r = 0` (its root-weighted slice stays in the denominator and is
    /// paid to nobody). Note the reversed rounding order: the alpha fraction is taken first.
    #[default]
    RootUidRequired,
}

impl DividendSplit {
    /// Whether `distribute_emission` recycles the root pool when no root dividend survives
    /// flooring (spec §3.1): from 441 (Root Reborn) on. Before, the pool stayed in `SubnetAlphaOut`.
    pub fn recycles_unclaimed_root_pool(self) -> bool {
        !matches!(self, DividendSplit::Legacy)
    }
}

/// One hotkey's `(a, r)` under `rule`.
pub fn split_one(
    dividend: U96F32,
    alpha_stake: u64,
    root_stake: u64,
    tao_weight: U96F32,
    has_root_uid: bool,
    rule: DividendSplit,
) -> (U96F32, U96F32) {
    let zero = U96F32::from_num(0);
    let alpha = u96(alpha_stake);
    let root_stake = match rule {
        DividendSplit::RootUidZeroed if !has_root_uid => 0,
        _ => root_stake,
    };
    let weighted_root = u96(root_stake).sat_mul(tao_weight);
    let total = alpha.saturating_add(weighted_root);
    match rule {
        DividendSplit::Legacy | DividendSplit::RootUidZeroed => {
            let root_prop = weighted_root.checked_div(total).unwrap_or(zero);
            let r = dividend.sat_mul(root_prop);
            (dividend.saturating_sub(r), r)
        }
        DividendSplit::RootUidRequired => {
            let a = if total == zero {
                dividend
            } else {
                dividend.sat_mul(alpha.checked_div(total).unwrap_or(zero))
            };
            let r = if has_root_uid {
                dividend.saturating_sub(a)
            } else {
                zero
            };
            (a, r)
        }
    }
}

/// The two pools shared per hotkey: `(alpha dividends, root alpha dividends)`.
pub type SplitMaps<K> = (BTreeMap<K, U96F32>, BTreeMap<K, U96F32>);

/// `calculate_dividend_distribution`: split every hotkey's dividend with [`split_one`] (hotkeys
/// missing from `stake_map` are skipped), then share the pools pro rata:
/// `alpha_h = U96F32(pending_alpha) × (a_h / Σa)` and
/// `root_h = U96F32(pending_root_alpha) × (r_h / Σr)`, each ratio 0 when its total is 0.
pub fn split_dividends<K: Ord + Clone>(
    pending_alpha: u64,
    pending_root_alpha: u64,
    tao_weight: U96F32,
    stake_map: &BTreeMap<K, (u64, u64)>,
    dividends: &BTreeMap<K, U96F32>,
    has_root_uid: &dyn Fn(&K) -> bool,
    rule: DividendSplit,
) -> SplitMaps<K> {
    let zero = U96F32::from_num(0);
    let mut total_alpha = zero;
    let mut total_root = zero;
    let mut alpha_divs: BTreeMap<K, U96F32> = BTreeMap::new();
    let mut root_divs: BTreeMap<K, U96F32> = BTreeMap::new();
    for (hotkey, dividend) in dividends {
        let Some(&(alpha_stake, root_stake)) = stake_map.get(hotkey) else {
            continue;
        };
        let (a, r) = split_one(
            *dividend,
            alpha_stake,
            root_stake,
            tao_weight,
            has_root_uid(hotkey),
            rule,
        );
        let e = alpha_divs.entry(hotkey.clone()).or_insert(zero);
        *e = e.saturating_add(a);
        total_alpha = total_alpha.saturating_add(a);
        let e = root_divs.entry(hotkey.clone()).or_insert(zero);
        *e = e.saturating_add(r);
        total_root = total_root.saturating_add(r);
    }
    let share = |pool: u64, part: U96F32, total: U96F32| {
        u96(pool).sat_mul(part.checked_div(total).unwrap_or(zero))
    };
    let root_out = root_divs
        .into_iter()
        .map(|(h, r)| (h, share(pending_root_alpha, r, total_root)))
        .collect();
    let alpha_out = alpha_divs
        .into_iter()
        .map(|(h, a)| (h, share(pending_alpha, a, total_alpha)))
        .collect();
    (alpha_out, root_out)
}

/// The root pool `distribute_emission` recycles (spec §3.1): all of `pending_root_alpha` when it
/// is positive, the rule recycles, and every root dividend floors to 0; else 0.
pub fn unclaimed_root_pool<K>(
    pending_root_alpha: u64,
    root_dividends: &BTreeMap<K, U96F32>,
    rule: DividendSplit,
) -> u64 {
    let none_paid = root_dividends
        .values()
        .all(|r| r.saturating_to_num::<u64>() == 0);
    if rule.recycles_unclaimed_root_pool() && pending_root_alpha > 0 && none_paid {
        pending_root_alpha
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tw() -> U96F32 {
        U96F32::from_bits(773_094_113)
    }

    fn case(uid: [bool; 2], rule: DividendSplit) -> SplitMaps<u8> {
        let stakes = BTreeMap::from([(0u8, (4_859_302, 2_342_352)), (1, (23_423, 859_273))]);
        let divs = BTreeMap::from([
            (0u8, U96F32::from_num(77_783_738)),
            (1, U96F32::from_num(19_283_940)),
        ]);
        split_dividends(
            183_123_567_452,
            837_120_949_872,
            tw(),
            &stakes,
            &divs,
            &|h: &u8| uid.get(usize::from(*h)).copied().unwrap_or(false),
            rule,
        )
    }

    fn floors(m: &BTreeMap<u8, U96F32>) -> Vec<u64> {
        m.values().map(|v| v.to_num::<u64>()).collect()
    }

    #[test]
    fn post442_takes_alpha_first_and_root_the_remainder() {
        let (a, r) = case([true, true], DividendSplit::RootUidRequired);
        assert_eq!(floors(&a), vec![176_856_534_496, 6_267_032_912]);
        assert_eq!(floors(&r), vec![226_443_797_013, 610_677_152_663]);
        let (_, r_old) = case([true, true], DividendSplit::Legacy);
        assert_eq!(floors(&r_old), vec![226_443_796_624, 610_677_153_052]);
    }

    #[test]
    fn root_pool_goes_only_to_uid_holders() {
        let (a, r) = case([true, false], DividendSplit::RootUidRequired);
        assert_eq!(floors(&r), vec![837_120_949_872, 0]);
        assert_eq!(floors(&a), vec![176_856_534_496, 6_267_032_912]);
        let (a441, _) = case([true, false], DividendSplit::RootUidZeroed);
        assert_eq!(floors(&a441), vec![144_256_731_415, 38_866_835_993]);
    }

    #[test]
    fn no_uid_holder_recycles_root_pool() {
        let (_, r) = case([false, false], DividendSplit::RootUidRequired);
        assert_eq!(
            unclaimed_root_pool(837_120_949_872, &r, DividendSplit::RootUidRequired),
            837_120_949_872
        );
        let (_, r) = case([false, false], DividendSplit::Legacy);
        assert_eq!(unclaimed_root_pool(5, &r, DividendSplit::Legacy), 0);
    }

    #[test]
    fn zero_stake_keeps_dividend_on_alpha() {
        let d = U96F32::from_num(10);
        assert_eq!(
            split_one(d, 0, 0, tw(), true, DividendSplit::RootUidRequired),
            (d, U96F32::from_num(0))
        );
    }
}
