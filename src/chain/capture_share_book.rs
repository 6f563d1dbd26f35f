//! The payout's reads and share pools on a capture ([`super::capture_distribution`]): the
//! parent's storage through [`Store`] (missing keys recorded, `null` as the default), and each
//! touched hotkey's alpha share pool as the chain's `HotkeyAlphaSharePoolDataOperations` reads it
//! (subtensor @ 14bc6f9 `staking/stake_utils.rs`): `TotalHotkeyAlpha`, `TotalHotkeySharesV2`,
//! `AlphaV2` per coldkey, with the legacy U64F64 `TotalHotkeyShares` / `Alpha` flagged when
//! present (the chain reads those first). Updates are the engine's [`SharePool`] (legacy rules).

use super::capture_epoch::describe_key;
use super::capture_parent_child::Hotkey;
use super::snapshot::{render_args, Store};
use super::storage::KeyArg;
use super::types::{self as ct, AccountId32};
use crate::error::{Error, ErrorCode, Result};
use crate::stake::safe_float::SafeFloat;
use crate::stake::share_pool::SharePool;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) type Acc = AccountId32;

/// One hotkey's share pool on the subnet, loaded from the parent, and what the payout touched.
pub(crate) struct Pool {
    pub(crate) pool: SharePool<Acc>,
    pub(crate) loaded: BTreeSet<Acc>,
    /// `update_value_for_one` ran (the denominator was written).
    pub(crate) one: bool,
    /// Coldkeys whose share was written.
    pub(crate) written: BTreeSet<Acc>,
}

/// The reads of one distribution: the parent's storage and the pools loaded from it.
pub(crate) struct Book<'a> {
    pub(crate) st: Store<'a>,
    pub(crate) netuid: u16,
    pub(crate) pools: BTreeMap<Acc, Pool>,
    pub(crate) legacy: bool,
}

pub(crate) fn not_defaulted<T>(v: Option<T>, name: &str) -> Result<T> {
    v.ok_or_else(|| Error::new(ErrorCode::Internal, format!("{name} has no default")))
}

impl<'a> Book<'a> {
    pub(crate) fn u64(&mut self, name: &str, args: &[KeyArg]) -> Result<u64> {
        not_defaulted(self.st.item::<u64>(name, args)?, name)
    }

    pub(crate) fn account(&mut self, name: &str, args: &[KeyArg]) -> Result<Acc> {
        not_defaulted(self.st.item::<AccountId32>(name, args)?, name)
    }

    pub(crate) fn safe_float(&mut self, name: &str, args: &[KeyArg]) -> Result<SafeFloat> {
        let v = not_defaulted(self.st.item::<ct::SafeFloat>(name, args)?, name)?;
        SafeFloat::new(v.mantissa, v.exponent).ok_or_else(|| {
            Error::field(
                ErrorCode::Decode,
                name,
                format!("{name}{}: mantissa above 10^21", render_args(args)),
            )
        })
    }

    /// The pool of `h`: `TotalHotkeyAlpha` and `TotalHotkeySharesV2` (legacy `TotalHotkeyShares`
    /// must be absent).
    pub(crate) fn pool(&mut self, h: Acc) -> Result<&mut Pool> {
        if !self.pools.contains_key(&h) {
            let args = [KeyArg::Account(h), KeyArg::U16(self.netuid)];
            let value = self.u64("TotalHotkeyAlpha", &args)?;
            if self.st.exists("TotalHotkeyShares", &args)? == Some(true) {
                self.legacy = true;
            }
            let mut pool = SharePool::new();
            pool.shared_value = value;
            pool.denominator = self.safe_float("TotalHotkeySharesV2", &args)?;
            let p = Pool {
                pool,
                loaded: BTreeSet::new(),
                one: false,
                written: BTreeSet::new(),
            };
            self.pools.insert(h, p);
        }
        self.pools
            .get_mut(&h)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "pool not loaded"))
    }

    /// `increase_stake_for_hotkey_and_coldkey_on_subnet(h, c, amount)`.
    pub(crate) fn stake_one(&mut self, h: Acc, c: Acc, amount: u64) -> Result<()> {
        let netuid = self.netuid;
        self.pool(h)?;
        let needs_share = self.pools.get(&h).is_some_and(|p| !p.loaded.contains(&c));
        let share = if needs_share {
            let args = [KeyArg::Account(h), KeyArg::Account(c), KeyArg::U16(netuid)];
            if self.st.exists("Alpha", &args)? == Some(true) {
                self.legacy = true;
            }
            Some(self.safe_float("AlphaV2", &args)?)
        } else {
            None
        };
        let p = self.pool(h)?;
        if let Some(s) = share {
            if !s.is_zero() {
                p.pool.shares.insert(c, s);
            }
            p.loaded.insert(c);
        }
        // The chain casts `amount as i64`; alpha never reaches 2^63.
        let update = i64::try_from(amount).unwrap_or(i64::MAX);
        p.pool.update_value_for_one(&c, update);
        p.one = true;
        p.written.insert(c);
        Ok(())
    }

    /// `increase_stake_for_hotkey_on_subnet(h, amount)`: every holder, pro rata.
    pub(crate) fn stake_all(&mut self, h: Acc, amount: u64) -> Result<()> {
        let p = self.pool(h)?;
        p.pool
            .update_value_for_all(i64::try_from(amount).unwrap_or(i64::MAX));
        Ok(())
    }

    pub(crate) fn missing(&self) -> Vec<String> {
        self.st.missing.iter().map(|k| describe_key(k)).collect()
    }
}

/// The payout's keys of hotkey `h`.
pub(crate) fn hotkey(b: &mut Book<'_>, h: Acc) -> Result<Hotkey> {
    let a = [KeyArg::Account(h)];
    Ok(Hotkey {
        owner: b.account("Owner", &a)?,
        take: not_defaulted(b.st.item::<u16>("Delegates", &a)?, "Delegates")?,
        alpha: b.u64(
            "TotalHotkeyAlpha",
            &[KeyArg::Account(h), KeyArg::U16(b.netuid)],
        )?,
        root: b.u64("TotalHotkeyAlpha", &[KeyArg::Account(h), KeyArg::U16(0)])?,
    })
}

pub(crate) fn u16_item(b: &mut Book<'_>, name: &str, args: &[KeyArg]) -> Result<u16> {
    not_defaulted(b.st.item::<u16>(name, args)?, name)
}
