//! Distribution of drained emission at the epoch.
//!
//! Port of `distribute_emission`, `calculate_dividends_and_incentives`,
//! `get_parent_child_dividends_distribution`, `get_self_contribution`,
//! `calculate_dividend_distribution` and `distribute_dividends_and_incentives`
//! (`pallets/subtensor/src/coinbase/run_coinbase.rs`, subtensor @ 14bc6f9); spec
//! `emission-and-pools.md` §9 and `yuma-epoch.md` §9. Order of stake writes (§9.7): owner cut,
//! miner incentives, alpha dividends (take, then the pool), root dividends (take, then claimable).

use super::dividend_split::{split_dividends, DividendSplit};
use super::epoch::{EpochRunner, HotkeyEmission};
use super::math::{div96, tou64, u16_fraction, u64_fraction, u96};
use super::stake_book::AccountId;
use super::state::{Network, PendingBuckets, RecycleOrBurn};
use super::subnet_pool::SubnetPool;
use crate::error::Result;
use crate::fixed::wide::SatMul;
use std::collections::{BTreeMap, BTreeSet};
use substrate_fixed::types::{I96F32, U96F32};

/// What one epoch paid out on a subnet.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DistributionReport {
    /// Buckets that were drained.
    pub drained: PendingBuckets,
    /// Miner incentive staked, per hotkey (owner hotkeys excluded).
    pub incentives: BTreeMap<AccountId, u64>,
    /// Alpha dividends (take + nominator part), per hotkey, as floored amounts.
    pub alpha_dividends: BTreeMap<AccountId, u64>,
    /// Root alpha dividends (take + claimable), per hotkey.
    pub root_dividends: BTreeMap<AccountId, u64>,
    /// Owner cut staked to the owner.
    pub owner_cut: u64,
    /// Alpha burned.
    pub burned: u64,
    /// Alpha recycled.
    pub recycled: u64,
}

/// `calculate_dividend_distribution`: split each hotkey's dividend weight `d` into
/// `root_divs = d · root_alpha / (alpha + root_alpha)` (`root_alpha = root_stake · tw`) and
/// `alpha_divs = d − root_divs`, then scale each side to its pool:
/// `pending_alpha · alpha_divs / Σ alpha_divs` and `pending_root · root_divs / Σ root_divs`.
/// `stake_map` maps hotkey → (alpha stake, root stake). Hotkeys missing from it are skipped.
/// This is the ≤ 440 rule; later eras are [`split_dividends`] with another [`DividendSplit`].
pub fn calculate_dividend_distribution(
    pending_alpha: u64,
    pending_root_alpha: u64,
    tao_weight: U96F32,
    stake_map: &BTreeMap<AccountId, (u64, u64)>,
    dividends: &BTreeMap<AccountId, U96F32>,
) -> (BTreeMap<AccountId, U96F32>, BTreeMap<AccountId, U96F32>) {
    split_dividends(
        pending_alpha,
        pending_root_alpha,
        tao_weight,
        stake_map,
        dividends,
        &|_| true,
        DividendSplit::Legacy,
    )
}

impl<P: SubnetPool> Network<P> {
    /// `recycle_subnet_alpha`: remove alpha from `SubnetAlphaOut` (alpha issuance decreases).
    pub(crate) fn recycle_alpha(&mut self, netuid: u16, amount: u64, at_drain: bool) {
        if let Some(s) = self.subnets.get_mut(&netuid) {
            s.alpha_out = s.alpha_out.saturating_sub(amount);
        }
        let l = self.ledger.alpha_mut(netuid);
        if at_drain {
            l.recycled_drain = l.recycled_drain.saturating_add(u128::from(amount));
        } else {
            l.recycled_emit = l.recycled_emit.saturating_add(u128::from(amount));
        }
    }

    /// Stake drained emission to `(hotkey, coldkey)` and count it.
    fn pay_stake(&mut self, hotkey: AccountId, coldkey: AccountId, netuid: u16, amount: u64) {
        self.stakes.increase(hotkey, coldkey, netuid, amount);
        let l = self.ledger.alpha_mut(netuid);
        l.staked_drain = l.staked_drain.saturating_add(u128::from(amount));
    }

    /// `get_self_contribution`: own alpha and weighted root stake not delegated to children.
    pub fn self_contribution(&self, hotkey: AccountId, netuid: u16) -> u64 {
        let remaining = self
            .children_of(hotkey, netuid)
            .iter()
            .fold(U96F32::from_num(1), |acc, (q, _)| {
                acc.saturating_sub(u64_fraction(*q))
            });
        let tw = u64_fraction(self.params.tao_weight);
        let root = u96(self.stakes.hotkey_total(hotkey, 0));
        let alpha = u96(self.stakes.hotkey_total(hotkey, netuid));
        tou64(
            alpha
                .sat_mul(remaining)
                .saturating_add(root.sat_mul(remaining).sat_mul(tw)),
        )
    }

    /// `get_parent_child_dividends_distribution`: split a validator's dividend between its
    /// parents (by contribution, minus child-key burn and take when owners differ) and itself.
    pub fn parent_child_dividends(
        &mut self,
        hotkey: AccountId,
        netuid: u16,
        dividend: u64,
    ) -> Vec<(AccountId, u64)> {
        let zero = U96F32::from_num(0);
        let validating = u96(dividend);
        let mut remaining = validating;
        let burn_prop = u64_fraction(self.params.ck_burn);
        let take_prop = u16_fraction(self.childkey_take_of(hotkey, netuid));
        let child_owner = self.owner_of(hotkey);
        let tw = u64_fraction(self.params.tao_weight);
        let mut total_child_take = zero;
        let mut total = u96(self.self_contribution(hotkey, netuid));
        let mut contributions: Vec<(AccountId, U96F32)> = Vec::new();
        for &(prop, parent) in self.parents_of(hotkey, netuid) {
            let q = u64_fraction(prop);
            let root = u96(self.stakes.hotkey_total(parent, 0));
            let alpha = u96(self.stakes.hotkey_total(parent, netuid));
            let c = alpha.sat_mul(q).saturating_add(root.sat_mul(q).sat_mul(tw));
            total = total.saturating_add(c);
            contributions.push((parent, c));
        }
        let mut out = Vec::new();
        for (parent, c) in contributions {
            let factor = c.checked_div(total).unwrap_or(zero);
            let mut emission = validating.sat_mul(factor);
            remaining = remaining.saturating_sub(emission);
            if self.owner_of(parent) != child_owner {
                let burn = burn_prop.sat_mul(emission);
                let take = take_prop.sat_mul(emission);
                emission = emission.saturating_sub(burn).saturating_sub(take);
                total_child_take = total_child_take.saturating_add(take);
                self.recycle_alpha(netuid, tou64(burn), true);
            }
            out.push((parent, tou64(emission)));
        }
        out.push((hotkey, tou64(remaining.saturating_add(total_child_take))));
        out
    }

    /// `calculate_dividends_and_incentives`: sum incentives per hotkey and route every dividend
    /// through [`Network::parent_child_dividends`].
    pub fn calculate_dividends_and_incentives(
        &mut self,
        netuid: u16,
        emissions: &[HotkeyEmission],
    ) -> (BTreeMap<AccountId, u64>, BTreeMap<AccountId, U96F32>) {
        let mut incentives: BTreeMap<AccountId, u64> = BTreeMap::new();
        let mut dividends: BTreeMap<AccountId, U96F32> = BTreeMap::new();
        for e in emissions {
            let inc = incentives.entry(e.hotkey).or_insert(0);
            *inc = inc.saturating_add(e.incentive);
            if self.parents_of(e.hotkey, netuid).is_empty() {
                // No parents: `parent_child_dividends` gives the whole dividend to the hotkey
                // (`U96F32(d)` floors back to `d`) and changes nothing else.
                let d = dividends
                    .entry(e.hotkey)
                    .or_insert_with(|| U96F32::from_num(0));
                *d = d.saturating_add(u96(e.dividend));
                continue;
            }
            for (recipient, amount) in self.parent_child_dividends(e.hotkey, netuid, e.dividend) {
                let d = dividends
                    .entry(recipient)
                    .or_insert_with(|| U96F32::from_num(0));
                *d = d.saturating_add(u96(amount));
            }
        }
        (incentives, dividends)
    }

    /// (alpha stake on `netuid`, root stake) of each hotkey (`get_stake_map`).
    pub fn stake_map<'a>(
        &self,
        netuid: u16,
        hotkeys: impl IntoIterator<Item = &'a AccountId>,
    ) -> BTreeMap<AccountId, (u64, u64)> {
        hotkeys
            .into_iter()
            .map(|h| {
                (
                    *h,
                    (
                        self.stakes.hotkey_total(*h, netuid),
                        self.stakes.hotkey_total(*h, 0),
                    ),
                )
            })
            .collect()
    }

    /// `distribute_emission`: run the epoch on `server + validator + root`, then pay owner cut,
    /// incentives and dividends. With no incentive at all, validators get `validator + server`.
    pub fn distribute_emission(
        &mut self,
        netuid: u16,
        buckets: PendingBuckets,
        epoch: &mut dyn EpochRunner,
    ) -> Result<DistributionReport> {
        {
            let l = self.ledger.alpha_mut(netuid);
            l.drained = l.drained.saturating_add(buckets.total());
        }
        let tw = u64_fraction(self.params.tao_weight);
        let total = buckets
            .server
            .saturating_add(buckets.validator)
            .saturating_add(buckets.root_alpha);
        let request = self.epoch_request(netuid, total);
        let hotkey_emission = epoch.run_epoch(&request)?;
        let incentive_sum = hotkey_emission
            .iter()
            .fold(0u64, |a, e| a.saturating_add(e.incentive));
        let validator_alpha = if incentive_sum != 0 {
            buckets.validator
        } else {
            buckets.validator.saturating_add(buckets.server)
        };
        let (incentives, dividends) =
            self.calculate_dividends_and_incentives(netuid, &hotkey_emission);
        let stake_map = self.stake_map(netuid, dividends.keys());
        let (alpha_divs, root_divs) = calculate_dividend_distribution(
            validator_alpha,
            buckets.root_alpha,
            tw,
            &stake_map,
            &dividends,
        );
        let mut report = DistributionReport {
            drained: buckets,
            ..DistributionReport::default()
        };
        self.pay_out(
            netuid,
            buckets.owner_cut,
            &incentives,
            &alpha_divs,
            &root_divs,
            &mut report,
        );
        Ok(report)
    }

    /// Owner hotkeys of the subnet: hotkeys of the owner coldkey registered on it, plus
    /// `SubnetOwnerHotkey` when registered.
    fn owner_hotkeys(&self, netuid: u16) -> BTreeSet<AccountId> {
        let Some(s) = self.subnets.get(&netuid) else {
            return BTreeSet::new();
        };
        let mut set: BTreeSet<AccountId> = BTreeSet::new();
        if let Some(owner) = s.owner_coldkey {
            for h in &s.neurons {
                if self.hotkeys.get(h).and_then(|i| i.owner) == Some(owner) {
                    set.insert(*h);
                }
            }
        }
        if let Some(oh) = s.owner_hotkey {
            if s.is_registered(oh) {
                set.insert(oh);
            }
        }
        set
    }

    /// `distribute_dividends_and_incentives`.
    fn pay_out(
        &mut self,
        netuid: u16,
        owner_cut: u64,
        incentives: &BTreeMap<AccountId, u64>,
        alpha_divs: &BTreeMap<AccountId, U96F32>,
        root_divs: &BTreeMap<AccountId, U96F32>,
        report: &mut DistributionReport,
    ) {
        // Owner cut.
        let owner = self
            .subnets
            .get(&netuid)
            .and_then(|s| Some((s.owner_coldkey?, s.owner_hotkey?)));
        if let Some((owner_ck, owner_hk)) = owner {
            self.pay_stake(owner_hk, owner_ck, netuid, owner_cut);
            report.owner_cut = owner_cut;
        }
        // Miner incentives.
        let owner_hotkeys = self.owner_hotkeys(netuid);
        let recycle_or_burn = self
            .subnets
            .get(&netuid)
            .map(|s| s.recycle_or_burn)
            .unwrap_or_default();
        let (mut total_incentive, mut withheld) = (0u64, 0u64);
        for (&hotkey, &incentive) in incentives {
            total_incentive = total_incentive.saturating_add(incentive);
            if owner_hotkeys.contains(&hotkey) {
                withheld = withheld.saturating_add(incentive);
                match recycle_or_burn {
                    RecycleOrBurn::Recycle => {
                        self.recycle_alpha(netuid, incentive, true);
                        report.recycled = report.recycled.saturating_add(incentive);
                    }
                    RecycleOrBurn::Burn => {
                        let l = self.ledger.alpha_mut(netuid);
                        l.burned = l.burned.saturating_add(u128::from(incentive));
                        report.burned = report.burned.saturating_add(incentive);
                    }
                }
                continue;
            }
            if incentive == 0 {
                continue;
            }
            let coldkey = self.owner_of(hotkey);
            let dest = self
                .auto_stake
                .get(&(coldkey, netuid))
                .copied()
                .unwrap_or(hotkey);
            self.pay_stake(dest, coldkey, netuid, incentive);
            report.incentives.insert(hotkey, incentive);
        }
        let burned = div96(u96(withheld), u96(total_incentive));
        if let Some(s) = self.subnets.get_mut(&netuid) {
            s.miner_burned = burned;
            s.alpha_dividends.clear();
            s.root_alpha_dividends.clear();
        }
        // Alpha dividends: take to the owner (new shares), the rest to every share holder.
        for (&hotkey, &divs) in alpha_divs {
            let coldkey = self.owner_of(hotkey);
            let take = u16_fraction(self.take_of(hotkey)).sat_mul(divs);
            let take_u = tou64(take);
            self.pay_stake(hotkey, coldkey, netuid, take_u);
            let nominators = tou64(divs.saturating_sub(take));
            self.stakes.increase_all(hotkey, netuid, nominators);
            let l = self.ledger.alpha_mut(netuid);
            l.staked_drain = l.staked_drain.saturating_add(u128::from(nominators));
            if let Some(s) = self.subnets.get_mut(&netuid) {
                let e = s.alpha_dividends.entry(hotkey).or_insert(0);
                *e = e.saturating_add(nominators);
            }
            report
                .alpha_dividends
                .insert(hotkey, take_u.saturating_add(nominators));
        }
        // Root dividends: take to the owner, the rest becomes claimable by root stakers.
        for (&hotkey, &root_alpha) in root_divs {
            let coldkey = self.owner_of(hotkey);
            let take = u16_fraction(self.take_of(hotkey)).sat_mul(root_alpha);
            let take_u = tou64(take);
            self.pay_stake(hotkey, coldkey, netuid, take_u);
            let claimable = tou64(root_alpha.saturating_sub(take));
            self.increase_root_claimable(hotkey, netuid, claimable);
            if let Some(s) = self.subnets.get_mut(&netuid) {
                let e = s.root_alpha_dividends.entry(hotkey).or_insert(0);
                *e = e.saturating_add(claimable);
            }
            report
                .root_dividends
                .insert(hotkey, take_u.saturating_add(claimable));
        }
    }

    /// `increase_root_claimable_for_hotkey_and_subnet`: `RootClaimable[h][n] += amount / root
    /// stake of h` (I96F32). If `amount` exceeds the hotkey's root stake it is staked to the owner
    /// instead (the chain's test-environment guard).
    pub fn increase_root_claimable(&mut self, hotkey: AccountId, netuid: u16, amount: u64) {
        let total_u = self.stakes.hotkey_total(hotkey, 0);
        let total = I96F32::saturating_from_num(total_u);
        let increment = I96F32::saturating_from_num(amount)
            .checked_div(total)
            .unwrap_or_else(|| I96F32::from_num(0));
        if amount > total_u {
            let owner = self.owner_of(hotkey);
            self.pay_stake(hotkey, owner, netuid, amount);
            return;
        }
        let rate = self
            .root_claimable
            .entry(hotkey)
            .or_default()
            .entry(netuid)
            .or_insert_with(|| I96F32::from_num(0));
        *rate = rate.saturating_add(increment);
        let l = self.ledger.alpha_mut(netuid);
        l.escrow_in = l.escrow_in.saturating_add(u128::from(amount));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dividend_distribution_conserves_pools() {
        let stake: BTreeMap<AccountId, (u64, u64)> =
            [(0, (4_859_302, 2_342_352)), (1, (23_423, 859_273))]
                .into_iter()
                .collect();
        let divs: BTreeMap<AccountId, U96F32> = [
            (0, U96F32::from_num(77_783_738)),
            (1, U96F32::from_num(19_283_940)),
        ]
        .into_iter()
        .collect();
        let (a, r) = calculate_dividend_distribution(
            183_123_567_452,
            837_120_949_872,
            U96F32::from_num(0.18),
            &stake,
            &divs,
        );
        let sa: u64 = tou64(
            a.values()
                .fold(U96F32::from_num(0), |x, y| x.saturating_add(*y)),
        );
        let sr: u64 = tou64(
            r.values()
                .fold(U96F32::from_num(0), |x, y| x.saturating_add(*y)),
        );
        assert!(sa.abs_diff(183_123_567_452) <= 1_000);
        assert!(sr.abs_diff(837_120_949_872) <= 1_000);
    }
}
