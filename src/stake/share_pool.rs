//! The alpha share pool of one (hotkey, subnet): how a hotkey's alpha is shared between the
//! coldkeys staked to it (spec §13).
//!
//! Port of `SharePool` in opentensor/subtensor `primitives/share-pool/src/lib.rs` at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0` (the SafeFloat version): `V` =
//! `TotalHotkeyAlpha` (u64), `D` = `TotalHotkeySharesV2`, `s_c` = `AlphaV2` per coldkey. The
//! legacy U64F64 maps the chain still reads before lazy migration are not modelled.
//!
//! Later rules (spec `pool-after-425.md` §5.1), selected by [`ShareRules`]: the value cap of
//! release 458 and the exact-denominator, pool-closing accounting of RaoFoundation/subtensor
//! `primitives/share-pool/src/lib.rs` (index id 71438766555; its tests cite spec 469).

use super::safe_float::SafeFloat;
use std::collections::BTreeMap;

/// Which share-pool accounting a runtime uses (spec `pool-after-425.md` §1.2, §5.1).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ShareRules {
    /// Up to spec 456 (base §13, subtensor @ 14bc6f9): `value = floor(V·S/D)` uncapped; a
    /// deposit or withdrawal moves `D` and the member share by the same rounded `k = |Δ|·D/V`.
    #[default]
    Legacy,
    /// Spec 458 (#3160) up to the reconcile releases: `value = min(floor(V·S/D), V)`; the
    /// update is still the legacy one.
    Capped,
    /// From the share-pool reconcile releases (464–469; the exact spec is not pinned, the index
    /// version cites 469): capped values, and [`SharePool::update_value_for_one_with`] moves the
    /// member share by the exact change of `D`, closes a pool whose value reaches zero (every
    /// share retired), re-opens a valueless pool on deposit, ignores withdrawals from an empty
    /// pool and retires the dust of a full exit.
    Closing,
}

impl ShareRules {
    fn capped(self) -> bool {
        !matches!(self, ShareRules::Legacy)
    }
}

/// `a > b` with the zero handling of the newer `SafeFloat::gt` (zero is never greater; any
/// non-zero value is greater than zero).
fn gt_nz(a: &SafeFloat, b: &SafeFloat) -> bool {
    !a.is_zero() && (b.is_zero() || a.gt(b))
}

/// One hotkey's share pool on one subnet, keyed by coldkey.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(bound(
    serialize = "K: serde::Serialize",
    deserialize = "K: serde::Deserialize<'de>"
))]
pub struct SharePool<K: Ord> {
    /// Total alpha behind the pool (`TotalHotkeyAlpha`).
    pub shared_value: u64,
    /// Total shares (`TotalHotkeySharesV2`).
    pub denominator: SafeFloat,
    /// Shares per coldkey (`AlphaV2`).
    #[serde(with = "crate::fixed::serde_fixed::map_as_pairs")]
    pub shares: BTreeMap<K, SafeFloat>,
}

impl<K: Ord> Default for SharePool<K> {
    fn default() -> Self {
        SharePool {
            shared_value: 0,
            denominator: SafeFloat::zero(),
            shares: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone> SharePool<K> {
    /// An empty pool.
    pub fn new() -> Self {
        SharePool {
            shared_value: 0,
            denominator: SafeFloat::zero(),
            shares: BTreeMap::new(),
        }
    }

    /// A coldkey's shares (zero when absent).
    pub fn share(&self, key: &K) -> SafeFloat {
        self.shares.get(key).cloned().unwrap_or_default()
    }

    /// `floor(V × s / D)`, 0 when `D == 0`.
    pub fn value_of_shares(&self, share: &SafeFloat) -> u64 {
        SafeFloat::from_u64(self.shared_value)
            .mul_div(share, &self.denominator)
            .unwrap_or_default()
            .to_u64()
    }

    /// The alpha a coldkey owns.
    pub fn value(&self, key: &K) -> u64 {
        self.value_of_shares(&self.share(key))
    }

    /// The alpha a coldkey owns, or `None` when it holds no share entry (`try_get_value`).
    pub fn try_value(&self, key: &K) -> Option<u64> {
        self.shares.get(key).map(|s| self.value_of_shares(s))
    }

    /// `floor(V × s / D)` under `rules` (capped at `V` from spec 458); 0 when `D == 0`.
    pub fn value_of_shares_with(&self, share: &SafeFloat, rules: ShareRules) -> u64 {
        Self::value_from_parts(self.shared_value, share, &self.denominator, rules).unwrap_or(0)
    }

    /// `try_get_value_from_parts`: `None` when `D == 0`.
    fn value_from_parts(
        v: u64,
        share: &SafeFloat,
        denominator: &SafeFloat,
        rules: ShareRules,
    ) -> Option<u64> {
        let value = SafeFloat::from_u64(v).mul_div(share, denominator)?.to_u64();
        Some(if rules.capped() { value.min(v) } else { value })
    }

    /// The alpha a coldkey owns under `rules` (`get_value`).
    pub fn value_with(&self, key: &K, rules: ShareRules) -> u64 {
        self.value_of_shares_with(&self.share(key), rules)
    }

    /// [`SharePool::value_with`], or `None` when the coldkey holds no share entry.
    pub fn try_value_with(&self, key: &K, rules: ShareRules) -> Option<u64> {
        self.shares
            .get(key)
            .map(|s| self.value_of_shares_with(s, rules))
    }

    /// Write the denominator; a zero denominator closes the pool and retires every share (the
    /// storage layer's contract in `SharePoolDataOperations::set_denominator`).
    fn set_denominator(&mut self, d: SafeFloat) {
        if d.is_zero() {
            self.shares.clear();
        }
        self.denominator = d;
    }

    /// `try_credit_sole_member` (spec §5.1): when `key` owns exactly the denominator of a pool
    /// with value, emission credit only raises `V` (ownership stays 100 %). `false` (and no
    /// change) otherwise, or on overflow; a zero amount is always accepted.
    pub fn try_credit_sole_member(&mut self, key: &K, amount: u64) -> bool {
        if amount == 0 {
            return true;
        }
        if self.shared_value == 0 || self.denominator.is_zero() {
            return false;
        }
        if self.shares.get(key) != Some(&self.denominator) {
            return false;
        }
        match self.shared_value.checked_add(amount) {
            Some(v) => {
                self.shared_value = v;
                true
            }
            None => false,
        }
    }

    /// `credit_member`: the sole-member fast path of [`SharePool::try_credit_sole_member`], or an
    /// ordinary deposit under `rules`.
    pub fn credit_member(&mut self, key: &K, amount: u64, rules: ShareRules) {
        if !self.try_credit_sole_member(key, amount) {
            let a = i64::try_from(amount).unwrap_or(i64::MAX);
            self.update_value_for_one_with(key, a, rules);
        }
    }

    /// Debit `amount` from a coldkey under `rules`
    /// (`decrease_stake_for_hotkey_and_coldkey_on_subnet`): nothing when its quoted value is
    /// below `amount`. Returns the debit: `amount` under [`ShareRules::Legacy`]; from spec 458
    /// the actual fall of the pool value `V` (below `amount` only when `V` was smaller).
    pub fn decrease_with(&mut self, key: &K, amount: u64, rules: ShareRules) -> u64 {
        if rules == ShareRules::Legacy {
            return self.decrease(key, amount);
        }
        match self.try_value_with(key, rules) {
            Some(v) if v >= amount => {
                let before = self.shared_value;
                let a = i64::try_from(amount).unwrap_or(i64::MAX);
                self.update_value_for_one_with(key, -a, rules);
                before.saturating_sub(self.shared_value)
            }
            _ => 0,
        }
    }

    /// Add (positive) or remove (negative) value for one coldkey under `rules`.
    pub fn update_value_for_one_with(&mut self, key: &K, update: i64, rules: ShareRules) {
        match rules {
            ShareRules::Legacy | ShareRules::Capped => self.update_value_for_one(key, update),
            ShareRules::Closing => self.update_closing(key, update),
        }
    }

    /// `update_value_for_one_with_inputs` of the closing rules.
    fn update_closing(&mut self, key: &K, update: i64) {
        let magnitude = update.unsigned_abs();
        let v = self.shared_value;
        let mut denominator = self.denominator.clone();
        if update > 0 && v == 0 && !denominator.is_zero() {
            // Shares with nothing behind them are worth zero: close, then re-open below.
            self.set_denominator(SafeFloat::zero());
            denominator = SafeFloat::zero();
        }
        if denominator.is_zero() {
            if update > 0 {
                let f = SafeFloat::from_u64(magnitude);
                self.set_denominator(f.clone());
                self.shares.insert(key.clone(), f);
            }
        } else {
            let current = self.share(key);
            let k = SafeFloat::from_u64(magnitude)
                .mul_div(&denominator, &SafeFloat::from_u64(v))
                .unwrap_or_default();
            let (mut new_d, mut new_s) = if update > 0 {
                let new_d = denominator.add(&k).unwrap_or_else(|| denominator.clone());
                let gain = new_d
                    .sub_exact_floor(&denominator)
                    .unwrap_or_else(|| new_d.sub(&denominator).unwrap_or_default());
                let new_s = current.add(&gain).unwrap_or_else(|| current.clone());
                (new_d, new_s)
            } else {
                let new_d = denominator.sub(&k).unwrap_or_else(|| denominator.clone());
                let loss = denominator
                    .sub_exact_floor(&new_d)
                    .unwrap_or_else(|| denominator.sub(&new_d).unwrap_or_default());
                if gt_nz(&loss, &current) {
                    (
                        denominator.sub(&current).unwrap_or_default(),
                        SafeFloat::zero(),
                    )
                } else {
                    (new_d, current.sub(&loss).unwrap_or_default())
                }
            };
            let new_v = if update >= 0 {
                v.saturating_add(magnitude)
            } else {
                v.saturating_sub(magnitude)
            };
            if update < 0 && new_v == 0 {
                new_d = SafeFloat::zero();
                new_s = SafeFloat::zero();
            } else if update < 0 && !new_s.is_zero() {
                let quoted = Self::value_from_parts(v, &current, &denominator, ShareRules::Closing);
                let drains = quoted == Some(magnitude)
                    || Self::value_from_parts(new_v, &new_s, &new_d, ShareRules::Closing)
                        == Some(0);
                if drains {
                    if let Some(d) = new_d.sub(&new_s) {
                        new_d = d;
                        new_s = SafeFloat::zero();
                    }
                }
            }
            self.set_denominator(new_d);
            self.shares.insert(key.clone(), new_s);
        }
        self.update_value_for_all(update);
    }

    /// Change every holder's value pro rata (emission): `V ← V ± |update|`, saturating.
    pub fn update_value_for_all(&mut self, update: i64) {
        let m = update.unsigned_abs();
        self.shared_value = if update >= 0 {
            self.shared_value.saturating_add(m)
        } else {
            self.shared_value.saturating_sub(m)
        };
    }

    fn shares_per_update(&self, update: i64) -> SafeFloat {
        SafeFloat::from_u64(update.unsigned_abs())
            .mul_div(&self.denominator, &SafeFloat::from_u64(self.shared_value))
            .unwrap_or_default()
    }

    /// Whether `update` would change any share (`sim_update_value_for_one`): a stake whose share
    /// increment rounds to zero is rejected up front by the chain.
    pub fn can_update(&self, update: i64) -> bool {
        self.denominator.is_zero() || !self.shares_per_update(update).is_zero()
    }

    /// Add (positive) or remove (negative) value for one coldkey.
    pub fn update_value_for_one(&mut self, key: &K, update: i64) {
        if self.denominator.is_zero() {
            // The first depositor defines the share scale.
            let f = SafeFloat::from_u64(update.unsigned_abs());
            self.denominator = f.clone();
            self.shares.insert(key.clone(), f);
        } else {
            let current = self.share(key);
            let k = self.shares_per_update(update);
            let (d, s) = if update > 0 {
                (
                    self.denominator
                        .add(&k)
                        .unwrap_or_else(|| self.denominator.clone()),
                    current.add(&k).unwrap_or_else(|| current.clone()),
                )
            } else {
                (
                    self.denominator
                        .sub(&k)
                        .unwrap_or_else(|| self.denominator.clone()),
                    current.sub(&k).unwrap_or_else(|| current.clone()),
                )
            };
            self.denominator = d;
            self.shares.insert(key.clone(), s);
        }
        self.update_value_for_all(update);
    }

    /// Credit `amount` to a coldkey (`increase_stake_for_hotkey_and_coldkey_on_subnet`).
    pub fn increase(&mut self, key: &K, amount: u64) -> u64 {
        let amount = i64::try_from(amount).unwrap_or(i64::MAX);
        self.update_value_for_one(key, amount);
        amount.unsigned_abs()
    }

    /// Debit `amount` from a coldkey; a decrease larger than the coldkey's value is silently
    /// ignored and returns 0 (`decrease_stake_for_hotkey_and_coldkey_on_subnet`).
    pub fn decrease(&mut self, key: &K, amount: u64) -> u64 {
        match self.try_value(key) {
            Some(v) if v >= amount => {
                let a = i64::try_from(amount).unwrap_or(i64::MAX);
                self.update_value_for_one(key, -a);
                a.unsigned_abs()
            }
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_value() {
        let mut p = SharePool::<u16>::new();
        p.denominator = SafeFloat::from_u64(10);
        p.shares.insert(1, SafeFloat::from_u64(3));
        p.shares.insert(2, SafeFloat::from_u64(7));
        p.shared_value = 100;
        assert_eq!((p.value(&1), p.value(&2)), (30, 70));
    }

    #[test]
    fn value_cap_from_458() {
        let mut p = SharePool::<u16>::new();
        p.denominator = SafeFloat::from_u64(10);
        p.shares.insert(1, SafeFloat::from_u64(15));
        p.shared_value = 100;
        assert_eq!(p.value_with(&1, ShareRules::Legacy), 150);
        assert_eq!(p.value_with(&1, ShareRules::Capped), 100);
        assert_eq!(p.try_value_with(&2, ShareRules::Capped), None);
    }

    #[test]
    fn closing_rules_drain_and_reopen() {
        let r = ShareRules::Closing;
        let mut p = SharePool::<u16>::new();
        p.update_value_for_one_with(&1, 1_000, r);
        p.update_value_for_one_with(&2, 3_000, r);
        p.update_value_for_all(400);
        assert_eq!((p.value_with(&1, r), p.value_with(&2, r)), (1_100, 3_300));
        p.update_value_for_one_with(&1, -1_100, r);
        p.update_value_for_one_with(&2, -3_300, r);
        assert!(p.denominator.is_zero() && p.share(&1).is_zero() && p.share(&2).is_zero());
        p.update_value_for_one_with(&3, 700, r);
        p.update_value_for_all(300);
        assert_eq!(p.value_with(&3, r), 1_000);
        assert_eq!(p.share(&3), p.denominator);
        // Withdrawing from an empty pool conjures nothing.
        let mut e = SharePool::<u16>::new();
        e.update_value_for_one_with(&1, -10, r);
        assert!(e.denominator.is_zero() && e.shares.is_empty() && e.shared_value == 0);
    }

    /// sole_member_credit_keeps_shares_and_preserves_later_ownership (index id 71438766555).
    #[test]
    fn sole_member_credit_then_newcomer_exits_fully() {
        let r = ShareRules::Closing;
        let mut p = SharePool::<u16>::new();
        p.update_value_for_one_with(&1, 1_000, r);
        let (shares, d) = (p.shares.clone(), p.denominator.clone());
        assert!(p.try_credit_sole_member(&1, 123));
        assert_eq!((p.shares.clone(), p.denominator.clone()), (shares, d));
        assert_eq!(p.value_with(&1, r), 1_123);
        p.update_value_for_one_with(&2, 137, r);
        assert_eq!(p.value_with(&1, r), 1_123);
        let quote = p.value_with(&2, r);
        assert!(quote.abs_diff(137) <= 1);
        assert!(!p.try_credit_sole_member(&1, 17));
        p.update_value_for_one_with(&2, -i64::try_from(quote).unwrap_or(0), r);
        assert_eq!(p.value_with(&2, r), 0);
        assert!(p.share(&2).is_zero());
        // Member 1 is sole again (the newcomer's dust left D): the credit only raises V.
        let v = p.shared_value;
        p.credit_member(&1, 17, r);
        assert_eq!(p.value_with(&1, r), v + 17);
        assert_eq!(p.share(&1), p.denominator);
    }

    #[test]
    fn decrease_reports_the_actual_debit() {
        let mut p = SharePool::<u16>::new();
        p.denominator = SafeFloat::from_u64(10);
        p.shares.insert(1, SafeFloat::from_u64(15));
        p.shared_value = 100;
        // Legacy: the uncapped quote (150) covers 120, but V only falls by 100.
        let mut legacy = p.clone();
        assert_eq!(legacy.decrease_with(&1, 120, ShareRules::Legacy), 120);
        assert_eq!(legacy.shared_value, 0);
        // From 458 the capped quote (100) does not cover 120: nothing moves.
        assert_eq!(p.decrease_with(&1, 120, ShareRules::Capped), 0);
        assert_eq!(p.decrease_with(&1, 100, ShareRules::Capped), 100);
        assert_eq!(p.shared_value, 0);
    }

    #[test]
    fn sole_member_credit() {
        let r = ShareRules::Closing;
        let mut p = SharePool::<u16>::new();
        assert!(!p.try_credit_sole_member(&1, 5));
        p.update_value_for_one_with(&1, 1_000, r);
        assert!(p.try_credit_sole_member(&1, 500));
        assert_eq!(p.share(&1), SafeFloat::from_u64(1_000));
        assert_eq!(p.value_with(&1, r), 1_500);
        p.update_value_for_one_with(&2, 1_500, r);
        assert!(!p.try_credit_sole_member(&1, 1));
        assert_eq!(p.value_with(&2, r), 1_500);
    }

    #[test]
    fn denom_precision() {
        let mut p = SharePool::<u16>::new();
        p.update_value_for_one(&1, 1000);
        assert_eq!(p.value(&1), 1000);
        p.update_value_for_one(&1, -990);
        p.update_value_for_one(&2, 1000);
        p.update_value_for_one(&2, -990);
        assert_eq!((p.value(&1), p.value(&2)), (10, 10));
    }

    #[test]
    fn high_precision() {
        let mut p = SharePool::<u16>::new();
        p.update_value_for_one(&1, 1);
        p.update_value_for_one(&2, 1);
        p.update_value_for_all(999_999_999_999_998);
        p.update_value_for_one(&1, -499_999_999_999_990);
        p.update_value_for_one(&2, -499_999_999_999_990);
        p.update_value_for_all(999_999_999_999_980);
        p.update_value_for_one(&1, 1_000_000_000_000);
        p.update_value_for_one(&2, 1_000_000_000_000);
        assert!(p.value(&1).abs_diff(501_000_000_000_000) <= 1);
        assert!(p.value(&2).abs_diff(501_000_000_000_000) <= 1);
    }
}
