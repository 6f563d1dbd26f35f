//! The network simulator: the emission pipeline ([`Network`]) with the real Yuma epoch
//! ([`YumaEpoch`]), the exact pools and share pools, advanced block by block, with user
//! operations (stake, unstake, registration, shocks) counted in the ledger so that
//! [`check_conservation`](crate::emission::check_conservation) holds across them.
//!
//! User operations follow spec `emission-and-pools.md` §12 (add / remove stake: swap with fee at
//! the default limit price, share-pool update, TAO fee to the block author, alpha fee resold
//! fee-free) and §15 (registration: the burn buys alpha through the pool, the alpha is recycled).
//! Not modelled: minimum-stake and rate-limit checks, the existential deposit, free balances
//! (TAO leaving or entering coldkeys is only counted), burn decay and bumps.
//!
//! Length: one state machine: the user operations and the block step all keep the same conservation
//! ledger, so they stay in one impl.

use super::events::{Event, FlowModel, Scheduled};
use super::rng::Rng;
use crate::emission::{
    AccountId, BalancerPool, BlockReport, Network, Params, SubnetPool, YumaEpoch,
};
use crate::error::{Error, ErrorCode, Result};
use crate::runtime::{Rules, RuntimeInfo};
use std::collections::BTreeMap;

/// Account id offset of the per-subnet shock (outside trader) coldkeys.
pub const SHOCK_ACCOUNT: AccountId = 2_000_000_000;
/// First account id handed out to generated users and registrations.
pub const FIRST_USER: AccountId = 1_000_000_000;

/// Counts of what the simulator applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimStats {
    /// Stakes applied.
    pub stakes: u64,
    /// Unstakes applied.
    pub unstakes: u64,
    /// Registrations applied.
    pub registrations: u64,
    /// Price shocks applied.
    pub shocks: u64,
    /// Weight refreshes applied.
    pub weight_sets: u64,
    /// Events refused (pool limits, nothing to sell, unknown subnet).
    pub refused: u64,
    /// Epochs run.
    pub epochs: u64,
}

/// The whole simulated state. Serialises to JSON and back exactly.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Simulator {
    /// Pools, stakes, pending buckets, ledger.
    pub net: Network<BalancerPool>,
    /// Weights, bonds, permits per subnet.
    pub epoch: YumaEpoch,
    /// Event generator state.
    pub rng: Rng,
    /// Generator parameters.
    pub flows: FlowModel,
    /// Registration burn per subnet (rao).
    pub burn: BTreeMap<u16, u64>,
    /// Maximum uids per subnet.
    pub max_uids: BTreeMap<u16, u16>,
    /// Scripted events not yet applied, sorted by block.
    pub script: Vec<Scheduled>,
    /// Next generated account id.
    pub next_account: AccountId,
    /// What was applied.
    pub stats: SimStats,
    /// The runtime whose rules `net.params` follow, with what the network model leaves out of
    /// it ([`Params::runtime_info`]): the newest known runtime's unless [`Simulator::under`] set
    /// another (states saved before this field read as the newest).
    #[serde(default = "newest_runtime")]
    pub runtime: RuntimeInfo,
    /// Buffers reused from block to block (not state).
    #[serde(skip)]
    scratch: StepBuffers,
}

/// The last block's report and the generated events, kept to reuse their storage: a step then
/// allocates only what its events add to the state (new accounts, stake entries) and its epochs.
#[derive(Debug, Clone, Default)]
struct StepBuffers {
    report: BlockReport,
    events: Vec<Event>,
}

/// Buffers are not state: any two are equal.
impl PartialEq for StepBuffers {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

fn no_subnet(netuid: u16) -> Error {
    Error::field(
        ErrorCode::OutOfRange,
        "netuid",
        format!("subnet {netuid} does not exist"),
    )
}

/// [`Params::runtime_info`] of the newest known runtime.
fn newest_runtime() -> RuntimeInfo {
    Params::runtime_info(&Rules::newest())
}

impl Simulator {
    /// A simulator over `net` and `epoch` with generator seed `seed`. Its results are labelled
    /// with the newest known runtime, whose rules [`Params::default`] sets; a network built with
    /// another runtime's params goes through [`Simulator::under`].
    pub fn new(net: Network<BalancerPool>, epoch: YumaEpoch, seed: u64, flows: FlowModel) -> Self {
        Simulator {
            net,
            epoch,
            rng: Rng::new(seed),
            flows,
            burn: BTreeMap::new(),
            max_uids: BTreeMap::new(),
            script: Vec::new(),
            next_account: FIRST_USER,
            stats: SimStats::default(),
            runtime: newest_runtime(),
            scratch: StepBuffers::default(),
        }
    }

    /// This simulator under `rules`: the network's emission switches set from them
    /// ([`Params::apply_rules`]) and its results labelled with them.
    #[must_use]
    pub fn under(mut self, rules: &Rules) -> Self {
        self.net.params.apply_rules(rules);
        self.runtime = Params::runtime_info(rules);
        self
    }

    /// Add scripted events (kept sorted by block; equal blocks keep insertion order).
    pub fn schedule(&mut self, events: impl IntoIterator<Item = Scheduled>) {
        self.script.extend(events);
        self.script.sort_by_key(|s| s.block);
    }

    /// A fresh account id.
    pub fn new_account(&mut self) -> AccountId {
        let a = self.next_account;
        self.next_account = self.next_account.saturating_add(1);
        a
    }

    /// `add_stake` (§12.1) without limit: returns the alpha credited (TAO for root).
    pub fn stake(
        &mut self,
        coldkey: AccountId,
        hotkey: AccountId,
        netuid: u16,
        tao: u64,
    ) -> Result<u64> {
        if tao == 0 {
            return Err(Error::field(ErrorCode::ZeroAmount, "tao", "amount is zero"));
        }
        let net = &mut self.net;
        net.hotkeys
            .entry(hotkey)
            .or_default()
            .owner
            .get_or_insert(coldkey);
        if netuid == 0 {
            net.root_tao = net.root_tao.saturating_add(tao);
            net.total_stake = net.total_stake.saturating_add(tao);
            net.add_root_stake(hotkey, coldkey, tao);
            net.ledger.tao.root_in = net.ledger.tao.root_in.saturating_add(u128::from(tao));
            return Ok(tao);
        }
        let s = net
            .subnets
            .get_mut(&netuid)
            .ok_or_else(|| no_subnet(netuid))?;
        let mut pool = s.pool.clone();
        let r = pool
            .swap_tao_for_alpha(tao, false)
            .map_err(|e| Error::field(ErrorCode::OutOfRange, "tao", format!("{e:?}")))?;
        if r.amount_paid_out == 0 {
            return Err(Error::field(ErrorCode::OutOfRange, "tao", "buys no alpha"));
        }
        s.pool = pool;
        s.alpha_out = s.alpha_out.saturating_add(r.amount_paid_out);
        net.total_stake = net.total_stake.saturating_add(tao);
        net.stakes
            .increase(hotkey, coldkey, netuid, r.amount_paid_out);
        net.record_tao_flow(netuid, i64::try_from(r.amount_paid_in).unwrap_or(i64::MAX));
        let t = &mut net.ledger.tao;
        t.user_in = t.user_in.saturating_add(u128::from(r.amount_paid_in));
        t.fees_to_author = t.fees_to_author.saturating_add(u128::from(r.fee_paid));
        let l = net.ledger.alpha_mut(netuid);
        l.user_staked = l.user_staked.saturating_add(u128::from(r.amount_paid_out));
        Ok(r.amount_paid_out)
    }

    /// `remove_stake` (§12.3) without limit: `alpha` is capped at the position. Returns the TAO
    /// the coldkey receives.
    pub fn unstake(
        &mut self,
        coldkey: AccountId,
        hotkey: AccountId,
        netuid: u16,
        alpha: u64,
    ) -> Result<u64> {
        let net = &mut self.net;
        let alpha = alpha.min(net.stakes.stake(hotkey, coldkey, netuid));
        if alpha == 0 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "alpha",
                "no stake to remove",
            ));
        }
        if netuid == 0 {
            if net.stakes.decrease(hotkey, coldkey, 0, alpha) == 0 {
                return Err(Error::field(
                    ErrorCode::OutOfRange,
                    "alpha",
                    "no stake to remove",
                ));
            }
            net.remove_stake_adjust_root_claimed(hotkey, coldkey, alpha);
            net.root_tao = net.root_tao.saturating_sub(alpha);
            net.total_stake = net.total_stake.saturating_sub(alpha);
            net.ledger.tao.root_out = net.ledger.tao.root_out.saturating_add(u128::from(alpha));
            return Ok(alpha);
        }
        let s = net
            .subnets
            .get_mut(&netuid)
            .ok_or_else(|| no_subnet(netuid))?;
        let mut pool = s.pool.clone();
        let r = pool
            .swap_alpha_for_tao(alpha, false)
            .map_err(|e| Error::field(ErrorCode::OutOfRange, "alpha", format!("{e:?}")))?;
        if net.stakes.decrease(hotkey, coldkey, netuid, alpha) == 0 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "alpha",
                "no stake to remove",
            ));
        }
        // The alpha fee is sold fee-free into the same pool; the TAO goes to the block author.
        let resale = if r.fee_paid > 0 {
            pool.swap_alpha_for_tao(r.fee_paid, true).ok()
        } else {
            None
        };
        let Some(s) = net.subnets.get_mut(&netuid) else {
            return Err(no_subnet(netuid));
        };
        s.pool = pool;
        s.alpha_out = s.alpha_out.saturating_sub(alpha);
        let author = resale.map_or(0, |x| x.amount_paid_out);
        let burned = match resale {
            Some(x) => r.fee_paid.saturating_sub(x.amount_paid_in),
            None => r.fee_paid,
        };
        net.total_stake = net.total_stake.saturating_sub(r.amount_paid_out);
        net.record_tao_flow(
            netuid,
            -i64::try_from(r.amount_paid_out.saturating_add(author)).unwrap_or(i64::MAX),
        );
        let t = &mut net.ledger.tao;
        t.user_out = t
            .user_out
            .saturating_add(u128::from(r.amount_paid_out))
            .saturating_add(u128::from(author));
        t.fees_to_author = t.fees_to_author.saturating_add(u128::from(author));
        let l = net.ledger.alpha_mut(netuid);
        l.user_unstaked = l.user_unstaked.saturating_add(u128::from(alpha));
        l.fee_burned = l.fee_burned.saturating_add(u128::from(burned));
        Ok(r.amount_paid_out)
    }

    /// `burned_register` (§15): the burn buys alpha (with fee) which is recycled; the hotkey gets
    /// the next uid, or replaces the uid with the lowest last emission when the subnet is full.
    /// Returns the uid.
    pub fn register(&mut self, netuid: u16, hotkey: AccountId, coldkey: AccountId) -> Result<u16> {
        let burn = self.burn.get(&netuid).copied().unwrap_or(1_000_000_000);
        let max = usize::from(self.max_uids.get(&netuid).copied().unwrap_or(256));
        let block = self.net.block;
        let net = &mut self.net;
        let s = net
            .subnets
            .get_mut(&netuid)
            .ok_or_else(|| no_subnet(netuid))?;
        if s.is_registered(hotkey) {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                "hotkey",
                "already registered",
            ));
        }
        let mut pool = s.pool.clone();
        let r = pool
            .swap_tao_for_alpha(burn, false)
            .map_err(|e| Error::field(ErrorCode::OutOfRange, "burn", format!("{e:?}")))?;
        s.pool = pool;
        let uid = if s.neurons.len() < max {
            s.neurons.push(hotkey);
            s.neurons.len().saturating_sub(1)
        } else {
            let emission = self
                .epoch
                .subnet(netuid)
                .map(|c| c.emission.clone())
                .unwrap_or_default();
            let owner = s.owner_hotkey;
            let victim = (0..s.neurons.len())
                .filter(|i| s.neurons.get(*i).copied() != owner)
                .min_by_key(|i| (emission.get(*i).copied().unwrap_or(0), *i))
                .unwrap_or(0);
            if let Some(slot) = s.neurons.get_mut(victim) {
                *slot = hotkey;
            }
            victim
        };
        net.hotkeys
            .entry(hotkey)
            .or_default()
            .owner
            .get_or_insert(coldkey);
        net.record_tao_flow(netuid, i64::try_from(r.amount_paid_in).unwrap_or(i64::MAX));
        let t = &mut net.ledger.tao;
        t.user_in = t.user_in.saturating_add(u128::from(r.amount_paid_in));
        t.fees_to_author = t.fees_to_author.saturating_add(u128::from(r.fee_paid));
        let l = net.ledger.alpha_mut(netuid);
        l.reg_recycled = l.reg_recycled.saturating_add(u128::from(r.amount_paid_out));
        let uid = u16::try_from(uid).unwrap_or(u16::MAX);
        self.epoch.register(netuid, uid, hotkey, block)?;
        Ok(uid)
    }

    /// Every permitted validator of `netuid` sets weights on a few uids drawn from the generator
    /// (miners with incentive are favoured, so consensus forms). Commit-reveal is bypassed.
    pub fn refresh_weights(&mut self, netuid: u16) -> Result<()> {
        let block = self.net.block;
        let Some(sub) = self.epoch.subnet(netuid) else {
            return Ok(());
        };
        let n = sub.n();
        if n == 0 {
            return Ok(());
        }
        let permits: Vec<u16> = sub
            .validator_permit
            .iter()
            .enumerate()
            .filter(|(_, p)| **p)
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect();
        let incentive = sub
            .mechanisms
            .first()
            .map(|m| m.incentive.clone())
            .unwrap_or_default();
        let mut favoured: Vec<u16> = incentive
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0)
            .filter_map(|(i, _)| u16::try_from(i).ok())
            .collect();
        let n64 = u64::try_from(n).unwrap_or(0);
        while favoured.len() < 4 {
            let u = u16::try_from(self.rng.below(n64)).unwrap_or(0);
            if !favoured.contains(&u) {
                favoured.push(u);
            }
            if favoured.len() >= n {
                break;
            }
        }
        let mut rows = Vec::with_capacity(permits.len());
        for v in &permits {
            let mut uids: Vec<u16> = Vec::new();
            let mut vals: Vec<u16> = Vec::new();
            for u in &favoured {
                if !uids.contains(u) {
                    uids.push(*u);
                    vals.push(u16::try_from(self.rng.below(60_000) + 5_000).unwrap_or(1));
                }
            }
            let extra = u16::try_from(self.rng.below(n64)).unwrap_or(0);
            if !uids.contains(&extra) {
                uids.push(extra);
                vals.push(u16::try_from(self.rng.below(10_000) + 1).unwrap_or(1));
            }
            rows.push((*v, uids, vals));
        }
        if let Some(sub) = self.epoch.subnet_mut(netuid) {
            let cr = sub.hyperparameters.commit_reveal_enabled;
            sub.hyperparameters.commit_reveal_enabled = false;
            for (v, uids, vals) in rows {
                sub.set_weights(0, v, &uids, &vals, block)?;
            }
            sub.hyperparameters.commit_reveal_enabled = cr;
        }
        self.stats.weight_sets = self.stats.weight_sets.saturating_add(1);
        Ok(())
    }

    /// Apply one event; refusals are counted, not fatal.
    pub fn apply(&mut self, event: &Event) {
        let ok = match event {
            Event::Stake {
                coldkey,
                hotkey,
                netuid,
                tao,
            } => self.stake(*coldkey, *hotkey, *netuid, *tao).map(|_| {
                self.stats.stakes += 1;
            }),
            Event::Unstake {
                coldkey,
                hotkey,
                netuid,
                alpha,
            } => self.unstake(*coldkey, *hotkey, *netuid, *alpha).map(|_| {
                self.stats.unstakes += 1;
            }),
            Event::Register {
                netuid,
                hotkey,
                coldkey,
            } => self.register(*netuid, *hotkey, *coldkey).map(|_| {
                self.stats.registrations += 1;
            }),
            Event::PriceShock { netuid, tao } => self.shock(*netuid, *tao).map(|_| {
                self.stats.shocks += 1;
            }),
            Event::RefreshWeights { netuid } => self.refresh_weights(*netuid),
            Event::ClaimRoot { coldkey } => {
                self.net.claim_root(*coldkey, None);
                Ok(())
            }
        };
        if ok.is_err() {
            self.stats.refused = self.stats.refused.saturating_add(1);
        }
    }

    /// The shock account of a subnet buys (`tao > 0`) or sells alpha worth about `|tao|`.
    fn shock(&mut self, netuid: u16, tao: i64) -> Result<()> {
        let account = SHOCK_ACCOUNT.saturating_add(u64::from(netuid));
        let hotkey = self
            .net
            .subnets
            .get(&netuid)
            .and_then(|s| s.owner_hotkey.or_else(|| s.neurons.first().copied()))
            .ok_or_else(|| no_subnet(netuid))?;
        if tao >= 0 {
            self.stake(account, hotkey, netuid, tao.unsigned_abs())
                .map(|_| ())
        } else {
            let price = self
                .net
                .subnets
                .get(&netuid)
                .map_or(1.0, |s| s.pool.price().to_num::<f64>());
            let alpha = if price > 0.0 {
                (tao.unsigned_abs() as f64 / price) as u64
            } else {
                0
            };
            self.unstake(account, hotkey, netuid, alpha).map(|_| ())
        }
    }

    /// A subnet drawn uniformly (by its rank in netuid order).
    fn pick_netuid(&mut self) -> u16 {
        let len = self.net.subnets.len() as u64;
        let i = usize::try_from(self.rng.below(len)).unwrap_or(0);
        self.net.subnets.keys().nth(i).copied().unwrap_or(1)
    }

    /// Draw this block's generated events into `out` (cleared first).
    fn generate(&mut self, out: &mut Vec<Event>) {
        let f = self.flows.clone();
        let block = self.net.block.saturating_add(1);
        out.clear();
        if self.net.subnets.is_empty() {
            return;
        }
        if self.rng.chance(f.stake_prob) {
            let netuid = self.pick_netuid();
            if let Some(hotkey) = self.random_validator(netuid) {
                let coldkey = FIRST_USER.saturating_add(self.rng.below(64));
                out.push(Event::Stake {
                    coldkey,
                    hotkey,
                    netuid,
                    tao: f.draw_size(&mut self.rng),
                });
            }
        }
        if self.rng.chance(f.unstake_prob) {
            let netuid = self.pick_netuid();
            if let Some(hotkey) = self.random_validator(netuid) {
                let coldkey = FIRST_USER.saturating_add(self.rng.below(64));
                let price = self
                    .net
                    .subnets
                    .get(&netuid)
                    .map_or(1.0, |s| s.pool.price().to_num::<f64>())
                    .max(1e-9);
                let alpha = (f.draw_size(&mut self.rng) as f64 / price) as u64;
                out.push(Event::Unstake {
                    coldkey,
                    hotkey,
                    netuid,
                    alpha,
                });
            }
        }
        if self.rng.chance(f.register_prob) {
            let netuid = self.pick_netuid();
            let hotkey = self.new_account();
            let coldkey = self.new_account();
            out.push(Event::Register {
                netuid,
                hotkey,
                coldkey,
            });
        }
        if self.rng.chance(f.shock_prob) {
            let netuid = self.pick_netuid();
            let reserve = self
                .net
                .subnets
                .get(&netuid)
                .map_or(0, |s| s.pool.tao_reserve());
            let size = u128::from(reserve).saturating_mul(u128::from(f.shock_bps)) / 10_000;
            let size = i64::try_from(size).unwrap_or(i64::MAX);
            let tao = if self.rng.chance(0.5) { size } else { -size };
            out.push(Event::PriceShock { netuid, tao });
        }
        if f.weights_interval > 0 {
            for n in self.net.subnets.keys() {
                if (block.saturating_add(u64::from(*n))) % f.weights_interval == 0 {
                    out.push(Event::RefreshWeights { netuid: *n });
                }
            }
        }
        if f.claim_interval > 0 && block % f.claim_interval == 0 {
            // The map's keys are distinct and in order, as the set the chain samples from.
            for c in self.net.root_claim_type.keys() {
                out.push(Event::ClaimRoot { coldkey: *c });
            }
        }
    }

    fn random_validator(&mut self, netuid: u16) -> Option<AccountId> {
        let s = self.net.subnets.get(&netuid)?;
        let k = s.neurons.len().min(8);
        if k == 0 {
            return None;
        }
        let i = usize::try_from(self.rng.below(k as u64)).ok()?;
        s.neurons.get(i).copied()
    }

    /// Advance one block: scripted events for this block, generated events, then the coinbase
    /// (with the Yuma epoch for due subnets).
    pub fn step(&mut self) -> Result<&BlockReport> {
        let block = self.net.block.saturating_add(1);
        let due = self.script.iter().take_while(|s| s.block <= block).count();
        if due > 0 {
            let scripted: Vec<Scheduled> = self.script.drain(..due).collect();
            for s in &scripted {
                self.apply(&s.event);
            }
        }
        let mut events = core::mem::take(&mut self.scratch.events);
        self.generate(&mut events);
        for e in &events {
            self.apply(e);
        }
        self.scratch.events = events;
        let mut report = core::mem::take(&mut self.scratch.report);
        let done = self.net.step_block_into(&mut self.epoch, &mut report);
        self.scratch.report = report;
        done?;
        self.stats.epochs = self
            .stats
            .epochs
            .saturating_add(self.scratch.report.distributions.len() as u64);
        Ok(&self.scratch.report)
    }

    /// Save the whole state as JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::field(ErrorCode::InvalidType, "simulator", e.to_string()))
    }

    /// Restore a state saved with [`Simulator::to_json`].
    pub fn from_json(text: &str) -> Result<Simulator> {
        serde_json::from_str(text)
            .map_err(|e| Error::field(ErrorCode::InvalidType, "simulator", e.to_string()))
    }
}
