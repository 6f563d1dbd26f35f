//! The alpha share pool of one (hotkey, subnet): how a hotkey's alpha is shared between the
//! coldkeys staked to it (spec §13).
//!
//! Port of `SharePool` in opentensor/subtensor `primitives/share-pool/src/lib.rs` at commit
//! `14bc6f9f964b9cc362e9635dd110a487fa5d15a0` (the SafeFloat version): `V` =
//! `TotalHotkeyAlpha` (u64), `D` = `TotalHotkeySharesV2`, `s_c` = `AlphaV2` per coldkey. The
//! legacy U64F64 maps the chain still reads before lazy migration are not modelled.

use super::safe_float::SafeFloat;
use std::collections::BTreeMap;

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
    #[serde(with = "crate::pool::serde_fixed::map_as_pairs")]
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
