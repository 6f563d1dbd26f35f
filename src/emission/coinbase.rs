//! The per-block pipeline: mint, shares, injection and chain buys, pending buckets, drains,
//! epochs and moving prices.
//!
//! Port of `block_step` / `run_coinbase` / `emit_to_subnets` / `inject_and_maybe_swap` /
//! `drain_pending` / `should_run_epoch` (`pallets/subtensor/src/coinbase/{block_step,run_coinbase}.rs`,
//! subtensor @ 14bc6f9) in the order of spec `emission-and-pools.md` §3: registration prices and
//! weight reveals are outside this module; root auto-claims are left to the caller
//! ([`Network::claim_root`]) because the chain samples coldkeys from the parent block hash.

use super::distribute::DistributionReport;
use super::epoch::EpochRunner;
use super::flow::{ema_flow_step, flow_shares};
use super::gate::{apply_gate_from, maybe_update_bar_with, BurnFactor, EmissionGate};
use super::halving::{block_emission, TOTAL_SUPPLY};
use super::math::{tou64, u16_fraction, u96};
use super::moving_price::{moving_alpha_price, update_moving_price, MovingPriceInput};
use super::reservoir_injection::{chain_buy, ProtocolLiquidity};
use super::scratch::{terms_of, Scratch};
use super::shares::{
    burn_reweight_in_place, emissions_from_shares_into, price_ema_shares_into, root_prop_reweight,
    root_sell_flag, Eligibility, ShareInput,
};
use super::state::{LastEmission, Network, ShareRule, SubnetState};
use super::subnet_pool::SubnetPool;
use super::terms::{
    root_proportion, root_proportion_of, root_weighted, split_alpha_out, subnet_terms, SubnetTerms,
};
use crate::error::Result;
use crate::fixed::wide::SatMul;
use std::collections::BTreeMap;
use substrate_fixed::types::{U64F64, U96F32};

/// What one block did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BlockReport {
    /// Block number.
    pub block: u64,
    /// TAO minted this block.
    pub minted: u64,
    /// Credit recycled at the end of the coinbase.
    pub recycled: u64,
    /// Whether root alpha was accumulated (true) or recycled.
    pub root_sell: bool,
    /// TAO emission per emitting subnet (U96F32 `e_i`).
    #[serde(with = "crate::fixed::serde_fixed::u96f32_pairs")]
    pub emissions: Vec<(u16, U96F32)>,
    /// Subnet terms per emitting subnet, in the order of `emissions`.
    pub terms: Vec<(u16, SubnetTerms)>,
    /// Epoch payouts of the subnets whose epoch ran.
    pub distributions: BTreeMap<u16, DistributionReport>,
    /// Subnets whose due epoch was deferred by the per-block cap.
    pub deferred: Vec<u16>,
}

impl BlockReport {
    /// The terms of `netuid`, when it emitted this block.
    pub fn terms_of(&self, netuid: u16) -> Option<&SubnetTerms> {
        terms_of(&self.terms, netuid)
    }
}

impl<P: SubnetPool> Network<P> {
    /// Alpha issuance of a subnet: `SubnetAlphaIn + SubnetAlphaOut + BalancerAlphaReservoir`
    /// (the reservoir is empty before the reservoir era; spec `pool-after-425.md` §2.4).
    pub fn alpha_issuance(&self, netuid: u16) -> u64 {
        self.subnets.get(&netuid).map_or(0, issuance_of)
    }

    /// Root proportion of `netuid` at the current state.
    pub fn root_proportion(&self, netuid: u16) -> U96F32 {
        root_proportion(
            self.root_tao,
            self.params.tao_weight,
            self.alpha_issuance(netuid),
        )
    }

    /// `get_subnets_to_emit_to`, in netuid order.
    pub fn subnets_to_emit_to(&self) -> Vec<u16> {
        self.subnets
            .iter()
            .filter(|(n, s)| emits(**n, s))
            .map(|(n, _)| *n)
            .collect()
    }

    /// `get_moving_alpha_price` of a subnet.
    pub fn moving_price_of(&self, netuid: u16) -> U64F64 {
        self.subnets.get(&netuid).map_or(U64F64::from_num(1), |s| {
            moving_alpha_price(s.moving_price, s.pool.is_stable())
        })
    }

    /// Historical flow rule: advance each emitting subnet's flow EMA with this block's recorded
    /// flow (once per block, `get_ema_flow`), then `U96F32(U64F64(E) × share_i)` from
    /// [`flow_shares`]. `None` under the current rule.
    fn flow_emissions(&mut self, emit_to: &[u16], e: U96F32) -> Option<Vec<(u16, U96F32)>> {
        let ShareRule::TaoFlow {
            cutoff,
            exponent,
            smoothing_factor,
        } = self.params.share_rule
        else {
            return None;
        };
        let mut emas = Vec::with_capacity(emit_to.len());
        for n in emit_to {
            if let Some(s) = self.subnets.get_mut(n) {
                s.flow_ema = ema_flow_step(s.flow_ema, s.block_flow, smoothing_factor);
                s.block_flow = 0;
                emas.push(s.flow_ema);
            }
        }
        let shares = flow_shares(&emas, cutoff, exponent);
        let e64 = U64F64::saturating_from_num(e);
        Some(
            emit_to
                .iter()
                .zip(shares)
                .map(|(n, share)| (*n, U96F32::saturating_from_num(e64.sat_mul(share))))
                .collect(),
        )
    }

    /// TAO emission per emitting subnet for a block emission `e` (§5.2), under the runtime's
    /// share weighting and gate, without storing the gate bar (see [`Self::subnet_emissions_gated`]).
    pub fn subnet_emissions(&self, emit_to: &[u16], e: U96F32) -> Vec<(u16, U96F32)> {
        self.subnet_emissions_gated(emit_to, e).0
    }

    /// `get_subnet_block_emissions` of this block under `params`: price-EMA shares, (423–424) the
    /// root-proportion weighting, the miner-burn factor by era, the gate bar update and the Hill
    /// gate (440+), the emission-enabled filter. Returns the emissions and `EmissionGateBar` after
    /// the block.
    pub fn subnet_emissions_gated(&self, emit_to: &[u16], e: U96F32) -> (Vec<(u16, U96F32)>, u128) {
        let mut out = Vec::with_capacity(emit_to.len());
        let bar = self.subnet_emissions_into(emit_to, e, &mut Scratch::default(), &mut out);
        (out, bar)
    }

    /// [`Self::subnet_emissions_gated`] into `out`, with `sc`'s share buffers.
    fn subnet_emissions_into(
        &self,
        emit_to: &[u16],
        e: U96F32,
        sc: &mut Scratch,
        out: &mut Vec<(u16, U96F32)>,
    ) -> u128 {
        sc.inputs.clear();
        sc.inputs.extend(emit_to.iter().filter_map(|n| {
            self.subnets.get(n).map(|s| ShareInput {
                netuid: *n,
                moving_price: moving_alpha_price(s.moving_price, s.pool.is_stable()),
                miner_burned: s.miner_burned,
                emission_enabled: s.emission_enabled,
            })
        }));
        price_ema_shares_into(&sc.inputs, &mut sc.weighted);
        if self.params.root_prop_shares {
            // Specs 423–424 (#2781; `get_shares` at tags v3.4.8-423 and v3.4.9-424): each price
            // share times `root_proportion × (1 − MinerBurned)`, the root proportion computed
            // now from `SubnetTAO[0]`, `TaoWeight` and the alpha issuance (not the stored
            // `RootProp`), renormalised.
            let root_props: Vec<U96F32> = emit_to
                .iter()
                .filter(|n| self.subnets.contains_key(n))
                .map(|n| self.root_proportion(*n))
                .collect();
            let price = core::mem::take(&mut sc.weighted);
            sc.weighted = root_prop_reweight(price, &sc.inputs, &root_props);
        } else if self.params.burn_factor == BurnFactor::Applied {
            burn_reweight_in_place(&mut sc.weighted, &sc.inputs);
        }
        sc.shares.clear();
        sc.shares.extend_from_slice(&sc.weighted);
        let stored = U64F64::from_bits(self.emission_gate_bar);
        let bar = match self.params.emission_gate {
            EmissionGate::Off => stored,
            EmissionGate::On { bar, exponent_bits } => {
                let theta =
                    maybe_update_bar_with(&sc.weighted, bar, self.block, stored, &mut sc.sorted);
                apply_gate_from(
                    &mut sc.shares,
                    &sc.weighted,
                    theta,
                    U64F64::from_bits(exponent_bits),
                );
                theta
            }
        };
        emissions_from_shares_into(&sc.shares, &sc.inputs, e, out);
        bar.to_bits()
    }

    /// One block: mint the block emission (capped at the 21 M supply), run the coinbase with
    /// `epoch`, then update the moving prices and `RootProp` of the emitting subnets.
    pub fn step_block(&mut self, epoch: &mut dyn EpochRunner) -> Result<BlockReport> {
        let mut report = BlockReport::default();
        self.step_block_into(epoch, &mut report)?;
        Ok(report)
    }

    /// [`Self::step_block`] into a report whose buffers are reused (its previous contents are
    /// replaced): a block without an epoch then allocates nothing.
    pub fn step_block_into(
        &mut self,
        epoch: &mut dyn EpochRunner,
        report: &mut BlockReport,
    ) -> Result<()> {
        self.block = self.block.saturating_add(1);
        let e = block_emission(self.total_issuance)
            .min(TOTAL_SUPPLY.saturating_sub(self.total_issuance));
        self.mint(e);
        self.run_coinbase_into(e, epoch, report)?;
        self.update_moving_prices();
        // One pass, no netuid list: writing `RootProp` changes no input of another subnet's.
        let weighted = root_weighted(self.root_tao, self.params.tao_weight);
        for (n, s) in self.subnets.iter_mut() {
            if emits(*n, s) {
                s.root_prop = root_proportion_of(weighted, issuance_of(s));
            }
        }
        Ok(())
    }

    /// Credit `amount` of new TAO (`TotalIssuance` increases).
    pub fn mint(&mut self, amount: u64) {
        self.total_issuance = self.total_issuance.saturating_add(amount);
        self.ledger.tao.minted = self.ledger.tao.minted.saturating_add(u128::from(amount));
    }

    /// `run_coinbase(E)` for an already-minted credit `e`.
    pub fn run_coinbase(&mut self, e: u64, epoch: &mut dyn EpochRunner) -> Result<BlockReport> {
        let mut report = BlockReport::default();
        self.run_coinbase_into(e, epoch, &mut report)?;
        Ok(report)
    }

    /// [`Self::run_coinbase`] into a reused report.
    pub fn run_coinbase_into(
        &mut self,
        e: u64,
        epoch: &mut dyn EpochRunner,
        report: &mut BlockReport,
    ) -> Result<()> {
        let mut sc = core::mem::take(&mut self.scratch);
        let done = self.coinbase_with(e, epoch, report, &mut sc);
        self.scratch = sc;
        done
    }

    fn coinbase_with(
        &mut self,
        e: u64,
        epoch: &mut dyn EpochRunner,
        report: &mut BlockReport,
        sc: &mut Scratch,
    ) -> Result<()> {
        let mut emit_to = core::mem::take(&mut sc.emit_to);
        emit_to.clear();
        emit_to.extend(
            self.subnets
                .iter()
                .filter(|(n, s)| emits(**n, s))
                .map(|(n, _)| *n),
        );
        report.emissions.clear();
        match self.flow_emissions(&emit_to, u96(e)) {
            Some(flow) => report.emissions.extend(flow),
            None => {
                let bar = self.subnet_emissions_into(&emit_to, u96(e), sc, &mut report.emissions);
                self.emission_gate_bar = bar;
            }
        }
        sc.emit_to = emit_to;
        // The emitting set is `emit_to` (nothing above changed eligibility), read in one pass.
        let root_sell = root_sell_flag(
            self.subnets
                .iter()
                .filter(|(n, s)| emits(**n, s))
                .map(|(_, s)| moving_alpha_price(s.moving_price, s.pool.is_stable())),
        );
        report.block = self.block;
        report.minted = e;
        report.root_sell = root_sell;
        report.recycled =
            self.emit_to_subnets_into(&report.emissions, e, root_sell, &mut report.terms);
        report.deferred.clear();
        report.distributions.clear();
        // Only a block with a due epoch pushes (and so allocates) here.
        let mut drained = Vec::new();
        self.drain_pending_into(&mut drained, &mut report.deferred);
        for (netuid, buckets) in drained {
            let d = self.distribute_emission(netuid, buckets, epoch)?;
            report.distributions.insert(netuid, d);
        }
        Ok(())
    }

    /// `emit_to_subnets`: terms, injection and chain buys, then alpha_out into the pending
    /// buckets. Returns the terms and the recycled credit.
    pub fn emit_to_subnets(
        &mut self,
        emissions: &[(u16, U96F32)],
        credit: u64,
        root_sell: bool,
    ) -> (Vec<(u16, SubnetTerms)>, u64) {
        let mut terms = Vec::with_capacity(emissions.len());
        let recycled = self.emit_to_subnets_into(emissions, credit, root_sell, &mut terms);
        (terms, recycled)
    }

    /// [`Self::emit_to_subnets`] into a reused `terms` buffer; returns the recycled credit.
    pub fn emit_to_subnets_into(
        &mut self,
        emissions: &[(u16, U96F32)],
        credit: u64,
        root_sell: bool,
        terms: &mut Vec<(u16, SubnetTerms)>,
    ) -> u64 {
        terms.clear();
        let weighted = root_weighted(self.root_tao, self.params.tao_weight);
        for &(netuid, e) in emissions {
            let Some(s) = self.subnets.get(&netuid) else {
                continue;
            };
            let issuance = issuance_of(s);
            let t = subnet_terms(
                e,
                issuance,
                s.pool.price(),
                root_proportion_of(weighted, issuance),
            );
            terms.push((netuid, t));
        }
        let recycled = match self.params.protocol_liquidity {
            ProtocolLiquidity::Direct => self.inject_and_maybe_swap(emissions, terms, credit),
            ProtocolLiquidity::Reservoir => {
                self.inject_and_maybe_swap_reservoir(emissions, terms, credit)
            }
        };
        let cut = u16_fraction(self.params.subnet_owner_cut);
        for &(netuid, ref t) in terms.iter() {
            self.split_into_pending(netuid, t.alpha_out, cut, root_sell);
        }
        recycled
    }

    /// Mint one block's `alpha_out` on `netuid` and split it into the pending buckets (§6.3, §7.1).
    pub fn split_into_pending(
        &mut self,
        netuid: u16,
        alpha_out: U96F32,
        cut: U96F32,
        root_sell: bool,
    ) {
        let created = tou64(alpha_out);
        let (root_tao, tao_weight) = (self.root_tao, self.params.tao_weight);
        let Some(s) = self.subnets.get_mut(&netuid) else {
            return;
        };
        s.alpha_out = s.alpha_out.saturating_add(created);
        s.last.alpha_out = created;
        let owner_cut = if s.owner_cut_enabled { Some(cut) } else { None };
        // The root proportion after this block's mint (the issuance includes `created`).
        let rp = root_proportion(root_tao, tao_weight, issuance_of(s));
        let split = split_alpha_out(alpha_out, owner_cut, rp, root_sell);
        let mut to_pending = u128::from(split.owner_cut)
            .saturating_add(u128::from(split.server))
            .saturating_add(u128::from(split.validator));
        s.pending.owner_cut = s.pending.owner_cut.saturating_add(split.owner_cut);
        s.pending.server = s.pending.server.saturating_add(split.server);
        s.pending.validator = s.pending.validator.saturating_add(split.validator);
        if root_sell {
            s.pending.root_alpha = s.pending.root_alpha.saturating_add(split.root_alpha);
            to_pending = to_pending.saturating_add(u128::from(split.root_alpha));
        }
        if !root_sell {
            self.recycle_alpha(netuid, split.root_alpha, false);
        }
        let recycled = if root_sell {
            0
        } else {
            u128::from(split.root_alpha)
        };
        let l = self.ledger.alpha_mut(netuid);
        l.minted_out = l.minted_out.saturating_add(u128::from(created));
        l.to_pending = l.to_pending.saturating_add(to_pending);
        l.emit_dust = l.emit_dust.saturating_add(
            u128::from(created)
                .saturating_sub(to_pending)
                .saturating_sub(recycled),
        );
    }

    /// `inject_and_maybe_swap` (§6.2): weight update for the deposit, chain buy with the excess at
    /// pre-injection reserves, then mint `alpha_in` and add `tao_in`. Returns the recycled credit.
    pub fn inject_and_maybe_swap(
        &mut self,
        emissions: &[(u16, U96F32)],
        terms: &[(u16, SubnetTerms)],
        credit: u64,
    ) -> u64 {
        let mut remaining = credit;
        let guards = self.params.swap_guards;
        for &(netuid, e) in emissions {
            let Some(t) = terms_of(terms, netuid) else {
                continue;
            };
            let Some(s) = self.subnets.get_mut(&netuid) else {
                continue;
            };
            let mut tao_in = tou64(t.tao_in);
            let mut alpha_in = tou64(t.alpha_in);
            let excess = tou64(t.excess_tao);
            if !s.pool.prepare_injection(tao_in, alpha_in) {
                tao_in = 0;
                alpha_in = 0;
            }
            s.last = LastEmission {
                tao_emission: e,
                alpha_out: s.last.alpha_out,
                ..LastEmission::default()
            };
            let mut bought_tao = 0u64;
            let mut stable_mint = 0u64;
            let mut bought_alpha = 0u64;
            if let Some((r, mint)) = chain_buy(s, excess, &mut remaining, guards) {
                bought_tao = excess;
                bought_alpha = r.amount_paid_out;
                stable_mint = mint;
            }
            s.pool.deposit(0, alpha_in);
            s.last.alpha_in = alpha_in;
            let mut injected = 0u64;
            if tao_in > 0 && tao_in <= remaining {
                remaining = remaining.saturating_sub(tao_in);
                s.pool.deposit(tao_in, 0);
                s.last.tao_in = tao_in;
                injected = tao_in;
            }
            self.total_stake = self
                .total_stake
                .saturating_add(bought_tao)
                .saturating_add(injected);
            self.ledger.tao.chain_bought = self
                .ledger
                .tao
                .chain_bought
                .saturating_add(u128::from(bought_tao));
            self.ledger.tao.injected = self
                .ledger
                .tao
                .injected
                .saturating_add(u128::from(injected));
            let l = self.ledger.alpha_mut(netuid);
            l.minted_in = l.minted_in.saturating_add(u128::from(alpha_in));
            l.protocol_bought = l.protocol_bought.saturating_add(u128::from(bought_alpha));
            l.stable_mint = l.stable_mint.saturating_add(u128::from(stable_mint));
        }
        self.total_issuance = self.total_issuance.saturating_sub(remaining);
        self.ledger.tao.recycled = self
            .ledger
            .tao
            .recycled
            .saturating_add(u128::from(remaining));
        remaining
    }

    /// Update the moving price of every emitting subnet with its current spot price (§5.3).
    pub fn update_moving_prices(&mut self) {
        let block = self.block;
        let ma = self.params.moving_alpha;
        // One pass over the emitting subnets (each update reads only its own subnet).
        for (n, s) in self.subnets.iter_mut() {
            if !emits(*n, s) {
                continue;
            }
            let input = MovingPriceInput {
                current_block: block,
                first_emission_block: s.first_emission_block,
                halving_blocks: s.ema_halving_blocks,
                moving_alpha: ma,
                spot_price: s.pool.price(),
                current_moving: moving_alpha_price(s.moving_price, s.pool.is_stable()),
            };
            s.moving_price = update_moving_price(&input);
        }
    }
}

/// Whether subnet `n` is in `get_subnets_to_emit_to` (root excluded).
fn emits<P>(n: u16, s: &SubnetState<P>) -> bool {
    n != 0
        && Eligibility {
            started: s.first_emission_block.is_some(),
            subtoken_enabled: s.subtoken_enabled,
            registration_allowed: s.registration_allowed,
        }
        .emits()
}

/// `SubnetAlphaIn + SubnetAlphaOut + BalancerAlphaReservoir` of one subnet.
fn issuance_of<P: SubnetPool>(s: &SubnetState<P>) -> u64 {
    s.pool
        .alpha_reserve()
        .saturating_add(s.alpha_out)
        .saturating_add(s.pool.reservoirs().alpha)
}
