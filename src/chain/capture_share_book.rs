//! The payout's reads and share pools on a capture ([`super::capture_distribution`]): the
//! parent's storage through [`Store`] (missing keys recorded, `null` as the default), and each
//! touched hotkey's alpha share pool as the chain's `HotkeyAlphaSharePoolDataOperations` reads it
//! (subtensor @ 14bc6f9 `staking/stake_utils.rs`): `TotalHotkeyAlpha`, `TotalHotkeySharesV2`,
//! `AlphaV2` per coldkey, or the legacy U64F64 `TotalHotkeyShares` / `Alpha` where those hold
//! the key (the chain reads them first, `SafeFloat::from(U64F64)`, and removes them when it
//! writes the SafeFloat item: the lazy migration of `set_denominator` / `set_share`, the same at
//! v3.4.9-424, 14bc6f9 and every stored RaoFoundation version read). Updates are the engine's
//! [`SharePool`] under the runtime's [`ShareRules`]: legacy up to spec 463 (the 458 value cap
//! changes reads, not these writes), the closing rules from 469, where an owner's emission
//! credit to a pool it holds alone only raises the value ([`Book::credit_owner`];
//! pool-after-425 §5.1) and a deposit into shares without value closes and re-opens the pool.
//!
//! The closing rules' storage layer (RaoFoundation/subtensor `stake_utils.rs`, index id
//! 69155006798; items in `lib.rs` id 68884137211) retires a closed pool's share rows lazily by
//! epochs: `AlphaSharePoolEpoch[h, n]` grows by one at every zero ↔ non-zero change of the
//! denominator (`set_denominator`), every share write stamps its row `AlphaShareEpoch[h, c, n]`
//! with the pool's epoch when that is not 0 (and removes the stamp with the row), and a non-zero
//! row whose stamp differs from a non-zero pool epoch reads as absent (`alpha_share_is_retired`).
//! A re-opened pool's other rows are not written. That this layer runs from 469 is evidence C:
//! the primitives citing 469 require every share of a closed pool to be retired, and a
//! third-party read of finney on 2026-09-28, while 469 was live, found reset pool epochs.

use super::capture_epoch::{describe_key, EpochWrite, WriteKind};
use super::capture_parent_child::Hotkey;
use super::snapshot::{render_args, Store};
use super::storage::item_named;
use super::storage::KeyArg;
use super::types::{self as ct, AccountId32};
use crate::error::{Error, ErrorCode, Result};
use crate::stake::safe_float::SafeFloat;
use crate::stake::share_pool::{SharePool, ShareRules};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) type Acc = AccountId32;

/// One hotkey's share pool on the subnet, loaded from the parent, and what the payout touched.
#[derive(Clone)]
pub(crate) struct Pool {
    pub(crate) pool: SharePool<Acc>,
    pub(crate) loaded: BTreeSet<Acc>,
    /// `update_value_for_one` ran (the denominator was written).
    pub(crate) one: bool,
    /// Coldkeys whose share was written: the share and the pool epoch it was stamped with, as
    /// of the last write (a row the pool later retires keeps them on chain).
    pub(crate) written: BTreeMap<Acc, (SafeFloat, u64)>,
    /// The storage layer keeps pool epochs (the closing rules).
    pub(crate) epochs: bool,
    /// `AlphaSharePoolEpoch` was read (when the chain first reads it: a non-zero share's
    /// retirement check, or a share write).
    pub(crate) epoch_read: bool,
    /// `AlphaSharePoolEpoch` in the parent and now (0 before the closing rules).
    pub(crate) epoch0: u64,
    pub(crate) epoch: u64,
    /// The denominator was read from the legacy `TotalHotkeyShares` (removed when written).
    pub(crate) legacy_denominator: bool,
    /// Coldkeys whose share was read from the legacy `Alpha` (removed when written).
    pub(crate) legacy_shares: BTreeSet<Acc>,
}

impl Pool {
    /// Record `c`'s share write after an update that found `(value, denominator is zero)`:
    /// the closing rules' storage layer starts a new pool epoch at each zero ↔ non-zero
    /// change of the denominator (`set_denominator`), twice when a `deposit` meets shares
    /// without value (closed, then re-opened), and stamps the row with the epoch after them.
    fn wrote(&mut self, c: Acc, (v0, d0_zero): (u64, bool), deposit: bool) {
        let d1_zero = self.pool.denominator.is_zero();
        let bumps = if deposit && v0 == 0 && !d0_zero {
            2
        } else {
            u64::from(d0_zero != d1_zero)
        };
        if self.epochs {
            self.epoch = self.epoch.saturating_add(bumps);
        }
        self.one = true;
        self.written.insert(c, (self.pool.share(&c), self.epoch));
    }
}

/// The reads of one distribution: the parent's storage and the pools loaded from it.
pub(crate) struct Book<'a> {
    pub(crate) st: Store<'a>,
    pub(crate) netuid: u16,
    pub(crate) pools: BTreeMap<Acc, Pool>,
    /// The share-pool accounting of the runtime.
    pub(crate) share: ShareRules,
    /// Set when a credit meets a case the payout does not replay (the reason).
    pub(crate) unmodelled: Option<&'static str>,
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

    /// The pool of `h`: `TotalHotkeyAlpha` and the denominator (legacy `TotalHotkeyShares`
    /// first, else `TotalHotkeySharesV2`).
    pub(crate) fn pool(&mut self, h: Acc) -> Result<&mut Pool> {
        if !self.pools.contains_key(&h) {
            let args = [KeyArg::Account(h), KeyArg::U16(self.netuid)];
            let value = self.u64("TotalHotkeyAlpha", &args)?;
            let (denominator, legacy) =
                self.share_item("TotalHotkeyShares", "TotalHotkeySharesV2", &args)?;
            let mut pool = SharePool::new();
            pool.shared_value = value;
            pool.denominator = denominator;
            let p = Pool {
                pool,
                loaded: BTreeSet::new(),
                one: false,
                written: BTreeMap::new(),
                // The closing rules' storage layer keeps pool epochs (read when first needed).
                epochs: self.share == ShareRules::Closing,
                epoch_read: false,
                epoch0: 0,
                epoch: 0,
                legacy_denominator: legacy,
                legacy_shares: BTreeSet::new(),
            };
            self.pools.insert(h, p);
        }
        self.pools
            .get_mut(&h)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "pool not loaded"))
    }

    /// `increase_stake_for_hotkey_and_coldkey_on_subnet(h, c, amount)`.
    pub(crate) fn stake_one(&mut self, h: Acc, c: Acc, amount: u64) -> Result<()> {
        self.credit(h, c, amount, false)
    }

    /// An owner's epoch emission credited to `(h, c)` (incentive, validator take, captured
    /// collateral): under the closing rules the sole-member fast path first, else
    /// [`Book::stake_one`].
    pub(crate) fn credit_owner(&mut self, h: Acc, c: Acc, amount: u64) -> Result<()> {
        let sole = self.share == ShareRules::Closing;
        self.credit(h, c, amount, sole)
    }

    /// `decrease_stake_for_hotkey_and_coldkey_on_subnet(h, c, amount)`: nothing when `c` holds
    /// no share or its value is below `amount`.
    pub(crate) fn unstake_one(&mut self, h: Acc, c: Acc, amount: u64) -> Result<()> {
        self.load_share(h, c)?;
        let rules = self.share;
        let p = self.pool(h)?;
        if p.pool.try_value_with(&c, rules).is_none_or(|v| v < amount) {
            return Ok(());
        }
        self.pool_epoch(h)?;
        let p = self.pool(h)?;
        let before = (p.pool.shared_value, p.pool.denominator.is_zero());
        p.pool.decrease_with(&c, amount, rules);
        p.wrote(c, before, false);
        Ok(())
    }

    /// The pool epoch of `h` under the closing rules' storage layer (`AlphaSharePoolEpoch`, read
    /// from the parent once); 0 before them.
    fn pool_epoch(&mut self, h: Acc) -> Result<u64> {
        let args = [KeyArg::Account(h), KeyArg::U16(self.netuid)];
        let p = self.pool(h)?;
        if !p.epochs || p.epoch_read {
            return Ok(p.epoch);
        }
        let e = self.u64("AlphaSharePoolEpoch", &args)?;
        let p = self.pool(h)?;
        p.epoch_read = true;
        p.epoch0 = e;
        p.epoch = e;
        Ok(e)
    }

    /// Load `c`'s share of `h`'s pool from the parent (once).
    fn load_share(&mut self, h: Acc, c: Acc) -> Result<()> {
        let netuid = self.netuid;
        self.pool(h)?;
        let needs_share = self.pools.get(&h).is_some_and(|p| !p.loaded.contains(&c));
        let share = if needs_share {
            let args = [KeyArg::Account(h), KeyArg::Account(c), KeyArg::U16(netuid)];
            let (s, legacy) = self.share_item("Alpha", "AlphaV2", &args)?;
            // `alpha_share_is_retired`: a row stamped with an older epoch than the pool's
            // reads as absent (only a non-zero share of a pool closed at least once asks).
            let epoch = if s.is_zero() { 0 } else { self.pool_epoch(h)? };
            let retired = epoch != 0 && self.u64("AlphaShareEpoch", &args)? != epoch;
            Some((if retired { SafeFloat::zero() } else { s }, legacy))
        } else {
            None
        };
        let p = self.pool(h)?;
        if let Some((s, legacy)) = share {
            if !s.is_zero() {
                p.pool.shares.insert(c, s);
            }
            if legacy {
                p.legacy_shares.insert(c);
            }
            p.loaded.insert(c);
        }
        Ok(())
    }

    /// A share or denominator as `HotkeyAlphaSharePoolDataOperations` reads it: the legacy
    /// U64F64 item `v1` when it holds the key (`try_get`, converted by `SafeFloat::from`), else
    /// the SafeFloat item `v2` (which is then not read from the legacy entry's pool); `true`
    /// when the legacy entry was read.
    fn share_item(&mut self, v1: &str, v2: &str, args: &[KeyArg]) -> Result<(SafeFloat, bool)> {
        if self.st.exists(v1, args)? == Some(true) {
            let v = not_defaulted(self.st.item::<ct::U64F64>(v1, args)?, v1)?;
            return Ok((SafeFloat::from_u64f64_bits(v.bits), true));
        }
        Ok((self.safe_float(v2, args)?, false))
    }

    fn credit(&mut self, h: Acc, c: Acc, amount: u64, sole: bool) -> Result<()> {
        self.load_share(h, c)?;
        if !(sole && amount == 0) {
            // Every share write reads the pool epoch (a zero sole-member credit writes nothing).
            self.pool_epoch(h)?;
        }
        let rules = self.share;
        let p = self.pool(h)?;
        let before = (p.pool.shared_value, p.pool.denominator.is_zero());
        // The chain casts `amount as i64`; alpha never reaches 2^63.
        let update = i64::try_from(amount).unwrap_or(i64::MAX);
        if sole {
            p.pool.credit_member(&c, amount, rules);
        } else {
            p.pool.update_value_for_one_with(&c, update, rules);
        }
        p.wrote(c, before, amount > 0);
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

/// Record the write of `name[args]` with the encoded `value` (the payout's output form).
pub(crate) fn write(
    out: &mut Vec<EpochWrite>,
    name: &str,
    args: &[KeyArg],
    value: Vec<u8>,
) -> Result<()> {
    let it = item_named(name)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("no storage item {name}")))?;
    out.push(EpochWrite {
        item: format!("{}.{}", it.pallet, it.name),
        args: render_args(args),
        key: super::hex::encode(&it.key(args)?),
        value,
        kind: WriteKind::Raw,
    });
    Ok(())
}
