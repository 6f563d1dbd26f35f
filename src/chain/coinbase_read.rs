//! The coinbase's inputs read from a parent capture into the engine's state
//! ([`crate::emission::Network`] with [`BalancerPool`] subnets), with every input the capture
//! lacks recorded by item, arguments and key.
//!
//! A key mapped to `null` takes the item's default ([`super::coinbase_items`]); a key not listed
//! is recorded as missing and never defaulted. The engine still needs a number where an input is
//! missing, so the state holds the item's default there, but every output that depends on it is
//! reported as missing by the caller ([`super::replay_block`]), never compared.
//!
//! Dependencies follow `run_coinbase` (spec `emission-and-pools.md` §3–§8): the shares couple
//! every subnet through the moving prices, so the globals and every subnet's share inputs
//! ([`ParentRead::global`]) are needed by every output; a subnet's pool, buckets and schedule
//! ([`ParentRead::own`]) only by that subnet's outputs and the global totals.

use super::capture::{le_bytes, Capture, Missing};
use super::coinbase_items::{global as g, subnet as s, Item};
use super::hex;
use crate::emission::gate::{EmissionGate, GateBar};
use crate::emission::{BalancerPool, Network, Params, SubnetState};
use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::Balancer;
use crate::pool::perquintill::Perquintill;
use crate::pool::reservoir::Reservoirs;
use crate::pool::swap::SwapConstants;
use crate::runtime::{GateBar as RuleBar, Rules, ShareWeighting};
use std::collections::BTreeMap;
use substrate_fixed::types::{I96F32, U96F32};

/// The parent state as the engine holds it, and what the capture lacks.
#[derive(Debug, Clone)]
pub struct ParentRead {
    /// The engine's state at the parent block.
    pub net: Network<BalancerPool>,
    /// The subnets (root excluded), from the capture's `NetworksAdded` entries.
    pub subnets: Vec<u16>,
    /// Missing inputs every output needs: the globals and each subnet's share inputs.
    pub global: Vec<Missing>,
    /// Missing inputs of one subnet's own outputs (pool, buckets, schedule), rendered; also the
    /// reasons a subnet cannot be replayed.
    pub own: BTreeMap<u16, Vec<String>>,
}

struct Src<'a> {
    c: &'a Capture,
}

impl Src<'_> {
    /// `None`: not captured (recorded); `Some(None)`: absent on chain for an option item;
    /// `Some(Some(bytes))`: the value, the default applied to `null`.
    fn raw(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<Option<Option<Vec<u8>>>> {
        let k = it.key_hex(n);
        match self.c.storage.get(&k) {
            None => {
                if !miss.iter().any(|m| m.key == k) {
                    miss.push(Missing {
                        item: it.path(),
                        args: it.args(n),
                        key: k,
                    });
                }
                Ok(None)
            }
            Some(None) => Ok(Some((it.default)())),
            Some(Some(h)) => Ok(Some(Some(hex::decode(h)?))),
        }
    }

    /// A fixed-size value; the default (or zeros) stands in for a missing one.
    fn fixed<const N: usize>(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<[u8; N]> {
        let b = match self.raw(it, n, miss)? {
            Some(Some(b)) => b,
            _ => (it.default)().unwrap_or_else(|| vec![0; N]),
        };
        le_bytes::<N>(&b, &it.path())
    }

    fn u64(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<u64> {
        self.fixed::<8>(it, n, miss).map(u64::from_le_bytes)
    }

    fn u16(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<u16> {
        self.fixed::<2>(it, n, miss).map(u16::from_le_bytes)
    }

    fn u128(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<u128> {
        self.fixed::<16>(it, n, miss).map(u128::from_le_bytes)
    }

    fn bool(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<bool> {
        match self.fixed::<1>(it, n, miss)? {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(Error::field(
                ErrorCode::Decode,
                it.path(),
                format!("{}{}: not a bool", it.path(), it.args(n)),
            )),
        }
    }

    /// An option-query u64: `Ok(None)` when absent on chain or not captured (recorded).
    fn opt_u64(&self, it: &Item, n: u16, miss: &mut Vec<Missing>) -> Result<Option<u64>> {
        self.raw(it, n, miss)?
            .flatten()
            .map(|b| le_bytes::<8>(&b, &it.path()).map(u64::from_le_bytes))
            .transpose()
    }
}

/// The netuids of the capture's `NetworksAdded` entries holding `true`, root included; `None`
/// when the capture holds no entry at all (the map must be captured whole).
pub fn networks(c: &Capture) -> Result<Option<Vec<u16>>> {
    let prefix = super::storage::prefix(super::storage::SUBTENSOR_PALLET, "NetworksAdded");
    let entries = c.with_prefix(&prefix)?;
    if entries.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        entries
            .into_iter()
            .filter(|(_, v)| v.as_deref() == Some(&[1u8][..]))
            .filter_map(|(tail, _)| Some(u16::from_le_bytes(tail.get(..2)?.try_into().ok()?)))
            .collect(),
    ))
}

fn read_params(src: &Src, rules: &Rules, miss: &mut Vec<Missing>) -> Result<(Params, u128)> {
    let mut p = Params::for_rules(rules);
    p.tao_weight = src.u64(&g::TAO_WEIGHT, 0, miss)?;
    p.subnet_owner_cut = src.u16(&g::SUBNET_OWNER_CUT, 0, miss)?;
    p.moving_alpha = I96F32::from_bits(src.u128(&g::SUBNET_MOVING_ALPHA, 0, miss)? as i128);
    let [epochs] = src.fixed::<1>(&g::MAX_EPOCHS_PER_BLOCK, 0, miss)?;
    p.max_epochs_per_block = u32::from(epochs);
    let mut bar = 0;
    if rules.gate != RuleBar::Off {
        bar = src.u128(&g::EMISSION_GATE_BAR, 0, miss)?;
        let q = src.u128(&g::EMISSION_BAR_QUANTILE, 0, miss)?;
        let exponent_bits = src.u128(&g::EMISSION_GATE_EXPONENT, 0, miss)?;
        let mode = if rules.gate == RuleBar::QMass {
            GateBar::QuantileMass(q)
        } else {
            GateBar::from_storage(src.u16(&g::EMISSION_BAR_RANK, 0, miss)?, q)
        };
        p.emission_gate = EmissionGate::On {
            bar: mode,
            exponent_bits,
        };
    }
    Ok((p, bar))
}

/// Read the share inputs of `n` into `st` (eligibility first; the price inputs of an eligible or
/// undecided subnet).
fn read_share_inputs(
    src: &Src,
    rules: &Rules,
    n: u16,
    st: &mut SubnetState<BalancerPool>,
    miss: &mut Vec<Missing>,
) -> Result<()> {
    let before = miss.len();
    st.pool.mechanism = src.u16(&s::SUBNET_MECHANISM, n, miss)?;
    st.first_emission_block = src.opt_u64(&s::FIRST_EMISSION_BLOCK, n, miss)?;
    st.subtoken_enabled = src.bool(&s::SUBTOKEN_ENABLED, n, miss)?;
    st.registration_allowed = src.bool(&s::REGISTRATION_ALLOWED, n, miss)?;
    let decided = miss.len() == before;
    let eligible =
        st.first_emission_block.is_some() && st.subtoken_enabled && st.registration_allowed;
    if decided && !eligible {
        return Ok(());
    }
    st.emission_enabled = src.bool(&s::EMISSION_ENABLED, n, miss)?;
    st.moving_price = I96F32::from_bits(src.u128(&s::MOVING_PRICE, n, miss)? as i128);
    if rules.shares != ShareWeighting::Price {
        st.miner_burned = U96F32::from_bits(src.u128(&s::MINER_BURNED, n, miss)?);
    }
    // 423–424 weight the shares by the root proportion computed from the issuance, not by the
    // stored `RootProp` (tags v3.4.8-423 / v3.4.9-424 `get_shares`), so it is not an input.
    Ok(())
}

/// Read the subnet's own inputs (pool, issuance, buckets, schedule) into `st`.
fn read_own_inputs(
    src: &Src,
    rules: &Rules,
    n: u16,
    st: &mut SubnetState<BalancerPool>,
    own: &mut Vec<String>,
) -> Result<()> {
    let mut miss = Vec::new();
    let m = &mut miss;
    st.pool.tao = src.u64(&s::SUBNET_TAO, n, m)?;
    st.pool.alpha = src.u64(&s::ALPHA_IN, n, m)?;
    st.alpha_out = src.u64(&s::ALPHA_OUT, n, m)?;
    st.protocol_alpha = src.u64(&s::PROTOCOL_ALPHA, n, m)?;
    st.ema_halving_blocks = src.u64(&s::EMA_HALVING, n, m)?;
    st.owner_cut_enabled = src.bool(&s::OWNER_CUT_ENABLED, n, m)?;
    st.tempo = src.u16(&s::TEMPO, n, m)?;
    st.last_epoch_block = src.u64(&s::LAST_EPOCH_BLOCK, n, m)?;
    st.pending_epoch_at = src.u64(&s::PENDING_EPOCH_AT, n, m)?;
    st.blocks_since_last_step = src.u64(&s::BLOCKS_SINCE_LAST_STEP, n, m)?;
    st.pending.server = src.u64(&s::PENDING_SERVER, n, m)?;
    st.pending.validator = src.u64(&s::PENDING_VALIDATOR, n, m)?;
    st.pending.root_alpha = src.u64(&s::PENDING_ROOT_ALPHA, n, m)?;
    st.pending.owner_cut = src.u64(&s::PENDING_OWNER_CUT, n, m)?;
    let quote = src.u64(&s::SWAP_BALANCER, n, m)?;
    if Balancer::new(Perquintill::from_parts(quote)).is_none() {
        return Err(Error::field(
            ErrorCode::Decode,
            s::SWAP_BALANCER.path(),
            format!("Swap.SwapBalancer[{n}]: weight {quote} is outside the balancer's range"),
        ));
    }
    st.pool.quote_weight = quote;
    if rules.reservoirs {
        st.pool.reservoirs = Reservoirs {
            tao: src.u64(&s::TAO_RESERVOIR, n, m)?,
            alpha: src.u64(&s::ALPHA_RESERVOIR, n, m)?,
        };
    }
    let initialised = st.pool.mechanism != 1 || src.bool(&s::PAL_SWAP_INITIALIZED, n, m)?;
    own.extend(miss.iter().map(|x| x.to_string()));
    if !initialised
        && !miss
            .iter()
            .any(|x| x.item == s::PAL_SWAP_INITIALIZED.path())
    {
        own.push(format!(
            "Swap.PalSwapInitialized[{n}] is false: the pool's first initialisation is not replayed"
        ));
    }
    Ok(())
}

/// Read everything the coinbase of the block after `c` reads, under `rules`.
pub fn read_parent(c: &Capture, rules: &Rules) -> Result<ParentRead> {
    let src = Src { c };
    let mut global = Vec::new();
    let (params, bar) = read_params(&src, rules, &mut global)?;
    let mut net = Network::new(params);
    net.emission_gate_bar = bar;
    net.block = c.block;
    net.total_issuance = src.u64(&g::TOTAL_ISSUANCE, 0, &mut global)?;
    net.total_stake = src.u64(&g::TOTAL_STAKE, 0, &mut global)?;
    net.root_tao = src.u64(&s::SUBNET_TAO, 0, &mut global)?;
    let all = match networks(c)? {
        Some(all) => all,
        None => {
            global.push(Missing {
                item: s::NETWORKS_ADDED.path(),
                args: "[*]".into(),
                key: hex::encode(&super::storage::prefix(
                    super::storage::SUBTENSOR_PALLET,
                    "NetworksAdded",
                )),
            });
            Vec::new()
        }
    };
    let subnets: Vec<u16> = all.into_iter().filter(|n| *n != 0).collect();
    let mut own = BTreeMap::new();
    let minimum_reserve = SwapConstants::default().minimum_reserve;
    for &n in &subnets {
        // Chain buys drop fees, so the fee rate is not an input of the coinbase.
        let pool = BalancerPool {
            fee_rate: 0,
            minimum_reserve,
            ..BalancerPool::dynamic(0, 0)
        };
        let mut st = SubnetState::new(pool);
        read_share_inputs(&src, rules, n, &mut st, &mut global)?;
        let mut mine = Vec::new();
        read_own_inputs(&src, rules, n, &mut st, &mut mine)?;
        own.insert(n, mine);
        net.subnets.insert(n, st);
    }
    Ok(ParentRead {
        net,
        subnets,
        global,
        own,
    })
}
