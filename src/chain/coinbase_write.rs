//! The engine's coinbase state as storage: every item [`super::coinbase_read`] reads and the
//! coinbase writes, encoded as the chain stores it, so that tests and the app can write
//! captures from states the engine holds, and a capture the engine writes replays to itself.
//!
//! [`state_values`] lists `(item, netuid, value)` for a state under a runtime's rules (the gate
//! items from spec 440, the rank from 441, the reservoirs from 432); [`write_network`] puts them
//! into a capture, a value equal to the item's default as `null` (absent on chain).

use super::capture::Capture;
use super::coinbase_items::{global as g, subnet as s, Item};
use crate::emission::gate::{
    EmissionGate, GateBar, DEFAULT_EMISSION_BAR_QUANTILE_BITS, DEFAULT_EMISSION_BAR_RANK,
    DEFAULT_EMISSION_GATE_EXPONENT,
};
use crate::emission::{BalancerPool, Network};
use crate::runtime::{GateBar as RuleBar, Rules};
use substrate_fixed::types::U64F64;

/// One item's value in a state (`None`: absent, for an option item).
pub type Value = (Item, u16, Option<Vec<u8>>);

fn le64(v: u64) -> Option<Vec<u8>> {
    Some(v.to_le_bytes().to_vec())
}

fn le128(v: u128) -> Option<Vec<u8>> {
    Some(v.to_le_bytes().to_vec())
}

fn flag(v: bool) -> Option<Vec<u8>> {
    Some(vec![u8::from(v)])
}

/// The plain values of `net` under `rules`.
fn globals(net: &Network<BalancerPool>, rules: &Rules) -> Vec<Value> {
    let p = &net.params;
    let mut out = vec![
        (g::TOTAL_ISSUANCE, 0, le64(net.total_issuance)),
        (g::TOTAL_STAKE, 0, le64(net.total_stake)),
        (g::TAO_WEIGHT, 0, le64(p.tao_weight)),
        (
            g::SUBNET_OWNER_CUT,
            0,
            Some(p.subnet_owner_cut.to_le_bytes().to_vec()),
        ),
        (
            g::SUBNET_MOVING_ALPHA,
            0,
            le128(p.moving_alpha.to_bits() as u128),
        ),
        (
            g::MAX_EPOCHS_PER_BLOCK,
            0,
            Some(vec![u8::try_from(p.max_epochs_per_block).unwrap_or(u8::MAX)]),
        ),
    ];
    if rules.gate != RuleBar::Off {
        let (q, rank, exponent) = match p.emission_gate {
            EmissionGate::On { bar, exponent_bits } => match bar {
                GateBar::QuantileMass(q) => (q, 0, exponent_bits),
                GateBar::Rank(n) => (DEFAULT_EMISSION_BAR_QUANTILE_BITS, n, exponent_bits),
            },
            // Params without a gate under gate rules: the storage defaults.
            EmissionGate::Off => (
                DEFAULT_EMISSION_BAR_QUANTILE_BITS,
                DEFAULT_EMISSION_BAR_RANK,
                U64F64::from_num(DEFAULT_EMISSION_GATE_EXPONENT).to_bits(),
            ),
        };
        out.push((g::EMISSION_GATE_BAR, 0, le128(net.emission_gate_bar)));
        out.push((g::EMISSION_BAR_QUANTILE, 0, le128(q)));
        out.push((g::EMISSION_GATE_EXPONENT, 0, le128(exponent)));
        if rules.gate == RuleBar::RankOrQMass {
            out.push((g::EMISSION_BAR_RANK, 0, Some(rank.to_le_bytes().to_vec())));
        }
    }
    out
}

/// Every coinbase item of `net` under `rules`: globals, root (`NetworksAdded[0]`,
/// `SubnetTAO[0]`), then each subnet in netuid order.
pub fn state_values(net: &Network<BalancerPool>, rules: &Rules) -> Vec<Value> {
    let mut out = globals(net, rules);
    out.push((s::NETWORKS_ADDED, 0, flag(true)));
    out.push((s::SUBNET_TAO, 0, le64(net.root_tao)));
    for (&n, st) in &net.subnets {
        let mut v = vec![
            (s::NETWORKS_ADDED, n, flag(true)),
            (
                s::SUBNET_MECHANISM,
                n,
                Some(st.pool.mechanism.to_le_bytes().to_vec()),
            ),
            (
                s::FIRST_EMISSION_BLOCK,
                n,
                st.first_emission_block.and_then(le64),
            ),
            (s::SUBTOKEN_ENABLED, n, flag(st.subtoken_enabled)),
            (s::REGISTRATION_ALLOWED, n, flag(st.registration_allowed)),
            (s::EMISSION_ENABLED, n, flag(st.emission_enabled)),
            (s::OWNER_CUT_ENABLED, n, flag(st.owner_cut_enabled)),
            (s::MOVING_PRICE, n, le128(st.moving_price.to_bits() as u128)),
            (s::MINER_BURNED, n, le128(st.miner_burned.to_bits())),
            (s::ROOT_PROP, n, le128(st.root_prop.to_bits())),
            (s::EMA_HALVING, n, le64(st.ema_halving_blocks)),
            (s::SUBNET_TAO, n, le64(st.pool.tao)),
            (s::ALPHA_IN, n, le64(st.pool.alpha)),
            (s::ALPHA_OUT, n, le64(st.alpha_out)),
            (s::PROTOCOL_ALPHA, n, le64(st.protocol_alpha)),
            (s::TEMPO, n, Some(st.tempo.to_le_bytes().to_vec())),
            (s::LAST_EPOCH_BLOCK, n, le64(st.last_epoch_block)),
            (s::PENDING_EPOCH_AT, n, le64(st.pending_epoch_at)),
            (
                s::BLOCKS_SINCE_LAST_STEP,
                n,
                le64(st.blocks_since_last_step),
            ),
            (s::PENDING_SERVER, n, le64(st.pending.server)),
            (s::PENDING_VALIDATOR, n, le64(st.pending.validator)),
            (s::PENDING_ROOT_ALPHA, n, le64(st.pending.root_alpha)),
            (s::PENDING_OWNER_CUT, n, le64(st.pending.owner_cut)),
            (s::TAO_IN_EMISSION, n, le64(st.last.tao_in)),
            (s::ALPHA_IN_EMISSION, n, le64(st.last.alpha_in)),
            (s::ALPHA_OUT_EMISSION, n, le64(st.last.alpha_out)),
            (s::EXCESS_TAO, n, le64(st.last.excess_tao)),
            (s::SWAP_BALANCER, n, le64(st.pool.quote_weight)),
            (s::PAL_SWAP_INITIALIZED, n, flag(st.pool.mechanism == 1)),
        ];
        if rules.reservoirs {
            v.push((s::TAO_RESERVOIR, n, le64(st.pool.reservoirs.tao)));
            v.push((s::ALPHA_RESERVOIR, n, le64(st.pool.reservoirs.alpha)));
        }
        out.extend(v);
    }
    out
}

/// Write `net`'s coinbase items into `c`; a value equal to the default is stored as absent
/// (`null`), as the chain leaves an untouched `ValueQuery` key.
pub fn write_network(c: &mut Capture, net: &Network<BalancerPool>, rules: &Rules) {
    for (it, n, v) in state_values(net, rules) {
        let v = v.filter(|v| Some(v) != (it.default)().as_ref());
        c.insert(&it.key(n), v.as_deref());
    }
}
