//! The conservation audit: the network totals captured before and after some blocks
//! ([`Snapshot`], taken by [`Network::snapshot`](super::state::Network::snapshot)) and
//! [`check_conservation`], which checks that the [`Ledger`] counters account for every rao minted
//! in between.

use super::ledger::{sum, to_i, AlphaLedger, Ledger};
use std::collections::BTreeMap;

/// One subnet's state totals captured for an audit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubnetSnapshot {
    /// `SubnetTAO` plus `BalancerTaoReservoir`.
    pub tao_reserve: u64,
    /// `SubnetAlphaIn` plus `BalancerAlphaReservoir`.
    pub alpha_in: u64,
    /// `SubnetAlphaOut`.
    pub alpha_out: u64,
    /// Σ `TotalHotkeyAlpha` on the subnet.
    pub staked: u128,
    /// Σ pending buckets.
    pub pending: u128,
    /// `SubnetProtocolAlpha`.
    pub protocol_alpha: u64,
}

/// Network totals captured for an audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// `TotalIssuance`.
    pub total_issuance: u64,
    /// `SubnetTAO[0]`.
    pub root_tao: u64,
    /// Per subnet.
    pub subnets: BTreeMap<u16, SubnetSnapshot>,
    /// Ledger at capture time.
    pub ledger: Ledger,
}

fn d(after: u128, before: u128) -> i128 {
    to_i(after).saturating_sub(to_i(before))
}

/// Check that every rao minted between `before` and `after` is accounted for. Assumes the only
/// state changes in between were made by the emission pipeline (coinbase, epochs, root claims)
/// and by the counted user operations (stake, unstake, registration burns; see `crate::sim`).
pub fn check_conservation(before: &Snapshot, after: &Snapshot) -> Result<(), String> {
    let (lb, la) = (&before.ledger.tao, &after.ledger.tao);
    let minted = d(la.minted, lb.minted);
    let recycled = d(la.recycled, lb.recycled);
    let injected = d(la.injected, lb.injected);
    let bought = d(la.chain_bought, lb.chain_bought);
    let claim_sold = d(la.claim_sold, lb.claim_sold);
    let user_in = d(la.user_in, lb.user_in);
    let user_out = d(la.user_out, lb.user_out);
    let root_user = d(la.root_in, lb.root_in).saturating_sub(d(la.root_out, lb.root_out));
    let issuance = d(
        u128::from(after.total_issuance),
        u128::from(before.total_issuance),
    );
    if issuance != minted.saturating_sub(recycled) {
        return Err(format!(
            "TotalIssuance moved {issuance}, minted {minted} - recycled {recycled}"
        ));
    }
    if minted != sum(&[recycled, injected, bought]) {
        return Err(format!(
            "credit {minted} != recycled {recycled} + injected {injected} + bought {bought}"
        ));
    }
    let reserves: i128 = after
        .subnets
        .iter()
        .map(|(n, s)| {
            d(
                u128::from(s.tao_reserve),
                before
                    .subnets
                    .get(n)
                    .map_or(0, |b| u128::from(b.tao_reserve)),
            )
        })
        .fold(0i128, |a, b| a.saturating_add(b));
    let expect_reserves = sum(&[
        injected,
        bought,
        claim_sold.saturating_neg(),
        user_in,
        user_out.saturating_neg(),
    ]);
    if reserves != expect_reserves {
        return Err(format!(
            "subnet TAO moved {reserves}, expected {expect_reserves}"
        ));
    }
    let root = d(u128::from(after.root_tao), u128::from(before.root_tao));
    if root != claim_sold.saturating_add(root_user) {
        return Err(format!(
            "root TAO moved {root}, claims sold {claim_sold} + users {root_user}"
        ));
    }
    let empty = AlphaLedger::default();
    for (netuid, a) in &after.subnets {
        let b = before.subnets.get(netuid).copied().unwrap_or_default();
        let la = after.ledger.alpha.get(netuid).unwrap_or(&empty);
        let lb = before.ledger.alpha.get(netuid).unwrap_or(&empty);
        let g = |f: fn(&AlphaLedger) -> u128| d(f(la), f(lb));
        let minted_out = g(|l| l.minted_out);
        if minted_out
            != sum(&[
                g(|l| l.to_pending),
                g(|l| l.recycled_emit),
                g(|l| l.emit_dust),
            ])
        {
            return Err(format!(
                "subnet {netuid}: alpha_out minted {minted_out} not fully split"
            ));
        }
        let supply = sum(&[
            d(u128::from(a.alpha_in), u128::from(b.alpha_in)),
            d(u128::from(a.alpha_out), u128::from(b.alpha_out)),
        ]);
        let expect_supply = sum(&[
            g(|l| l.minted_in),
            minted_out,
            g(|l| l.stable_mint),
            g(|l| l.recycled_emit).saturating_neg(),
            g(|l| l.recycled_drain).saturating_neg(),
            g(|l| l.reg_recycled).saturating_neg(),
            g(|l| l.fee_burned).saturating_neg(),
        ]);
        if supply != expect_supply {
            return Err(format!(
                "subnet {netuid}: alpha supply moved {supply}, ledger says {expect_supply}"
            ));
        }
        let staked = d(a.staked, b.staked);
        let staked_ledger = sum(&[
            g(|l| l.staked_drain),
            g(|l| l.staked_claim),
            g(|l| l.user_staked),
            g(|l| l.user_unstaked).saturating_neg(),
        ]);
        if staked != staked_ledger {
            return Err(format!(
                "subnet {netuid}: stake moved {staked}, ledger says {staked_ledger}"
            ));
        }
        if g(|l| l.escrow_out) != sum(&[g(|l| l.staked_claim), g(|l| l.sold_to_pool)]) {
            return Err(format!(
                "subnet {netuid}: claims out of escrow not all paid"
            ));
        }
        let undistributed = la.undistributed().saturating_sub(lb.undistributed());
        let out = d(u128::from(a.alpha_out), u128::from(b.alpha_out));
        let parts = sum(&[
            staked,
            d(a.pending, b.pending),
            g(|l| l.escrow_in),
            g(|l| l.escrow_out).saturating_neg(),
            d(u128::from(a.protocol_alpha), u128::from(b.protocol_alpha)),
            g(|l| l.burned),
            g(|l| l.emit_dust),
            undistributed,
        ]);
        if out != parts {
            return Err(format!(
                "subnet {netuid}: alpha_out moved {out}, parts sum to {parts}"
            ));
        }
    }
    Ok(())
}

impl<P: super::subnet_pool::SubnetPool> super::state::Network<P> {
    /// Capture the totals [`check_conservation`] compares.
    pub fn snapshot(&self) -> Snapshot {
        let subnets = self
            .subnets
            .iter()
            .map(|(n, s)| {
                (
                    *n,
                    SubnetSnapshot {
                        // Reservoirs hold minted protocol liquidity not yet in the reserves.
                        tao_reserve: s.pool.tao_reserve().saturating_add(s.pool.reservoirs().tao),
                        alpha_in: s
                            .pool
                            .alpha_reserve()
                            .saturating_add(s.pool.reservoirs().alpha),
                        alpha_out: s.alpha_out,
                        staked: self.stakes.subnet_total(*n),
                        pending: s.pending.total(),
                        protocol_alpha: s.protocol_alpha,
                    },
                )
            })
            .collect();
        Snapshot {
            total_issuance: self.total_issuance,
            root_tao: self.root_tao,
            subnets,
            ledger: self.ledger.clone(),
        }
    }
}
