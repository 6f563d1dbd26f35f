//! The TAO-flow shares of specs 348–354, 356–393 and 396–419 for [`super::replay_v3`]: `get_shares_flow`
//! of release tags `v3.4.0-411` … `v3.4.5-419` (`subnet_emissions.rs`, identical across them),
//! and of `v3.3.14-401` / `v3.3.15-402` (below).
//!
//! Per emitting subnet the user flow EMA (`get_ema_flow`: `SubnetTaoFlow`, `SubnetEmaTaoFlow`)
//! and the protocol flow EMA (`update_ema_protocol_flow`: `SubnetProtocolFlow`,
//! `SubnetEmaProtocolFlow`) step once per block with `FlowEmaSmoothingFactor / i64::MAX`
//! ([`crate::emission::flow::ema_flow_step`]) unless already stepped at this block, storing
//! `(block, ema)` and resetting the block's accumulator; with `NetTaoFlowEnabled` the protocol EMA,
//! where positive, is scaled by `min(Σ max(user, 0) / Σ max(protocol, 0), 1)` (0 when the protocol
//! sum is not positive) and subtracted; then the cutoff `TaoFlowCutoff` and the power
//! normalisation with `FlowNormExponent` ([`crate::emission::flow::flow_shares`]).
//!
//! Specs 361–402 (`v3.3.0-361` … `v3.3.15-402`; `get_shares_flow` identical) have the user flow EMA only: no protocol flow
//! items, no `NetTaoFlowEnabled` ([`FlowInputs::protocol`] false); the rest is the same code.

use super::capture::Capture;
use super::coinbase_items::{v3 as v, Item};
use super::replay_report::BlockReplay;
use super::replay_v3_out::{emit, Out};
use super::replay_v3_read::{get, Read};
use crate::emission::flow::{ema_flow_step, flow_shares};
use crate::error::Result;
use std::collections::BTreeMap;
use substrate_fixed::types::{I64F64, U64F64};

/// A stored `(u64, I64F64)` EMA.
pub type Ema = Option<(u64, I64F64)>;

/// One subnet's flow inputs.
#[derive(Clone, Copy, Debug, Default)]
pub struct SubFlow {
    /// `SubnetTaoFlow`.
    pub tao_flow: i64,
    /// `SubnetEmaTaoFlow`.
    pub ema_user: Ema,
    /// `SubnetProtocolFlow`.
    pub protocol_flow: i64,
    /// `SubnetEmaProtocolFlow`.
    pub ema_protocol: Ema,
}

/// The flow inputs of the emitting subnets and the globals.
#[derive(Clone, Debug, Default)]
pub struct FlowInputs {
    /// `FlowEmaSmoothingFactor`.
    pub smoothing: u64,
    /// `TaoFlowCutoff`.
    pub cutoff: I64F64,
    /// `FlowNormExponent`.
    pub exponent: U64F64,
    /// `NetTaoFlowEnabled`.
    pub net: bool,
    /// The runtime keeps a protocol flow EMA (from 408); 396–402 do not (neither is read).
    pub protocol: bool,
    /// Per emitting subnet.
    pub subnets: BTreeMap<u16, SubFlow>,
}

fn ema(rd: &mut Read, it: &Item, n: u16) -> Result<Ema> {
    match get(rd.c, it, n)? {
        Ok(None) => Ok(None),
        Ok(Some(b)) => {
            let b: [u8; 24] = super::capture::le_bytes::<24>(&b, &it.path())?;
            let (blk, val) = b.split_at(8);
            let blk = u64::from_le_bytes(super::capture::le_bytes::<8>(blk, &it.path())?);
            let val = i128::from_le_bytes(super::capture::le_bytes::<16>(val, &it.path())?);
            Ok(Some((blk, I64F64::from_bits(val))))
        }
        Err(need) => {
            rd.needs.push(need);
            Ok(None)
        }
    }
}

/// Read the flow inputs of `emitting` (missing keys into `rd`: every share needs them); the
/// protocol flow and `NetTaoFlowEnabled` only where the runtime has them (`protocol`).
pub fn read_flow(rd: &mut Read, emitting: &[u16], protocol: bool) -> Result<FlowInputs> {
    let mut f = FlowInputs {
        smoothing: rd.u64(&v::FLOW_EMA_SMOOTHING, 0)?,
        cutoff: I64F64::from_bits(rd.u128(&v::TAO_FLOW_CUTOFF, 0)? as i128),
        exponent: U64F64::from_bits(rd.u128(&v::FLOW_NORM_EXPONENT, 0)?),
        net: protocol && rd.flag(&v::NET_TAO_FLOW_ENABLED, 0)?,
        protocol,
        subnets: BTreeMap::new(),
    };
    for &n in emitting {
        let mut s = SubFlow {
            tao_flow: rd.i64(&v::SUBNET_TAO_FLOW, n)?,
            ema_user: ema(rd, &v::EMA_TAO_FLOW, n)?,
            ..SubFlow::default()
        };
        if protocol {
            s.protocol_flow = rd.i64(&v::PROTOCOL_FLOW, n)?;
            s.ema_protocol = ema(rd, &v::EMA_PROTOCOL_FLOW, n)?;
        }
        f.subnets.insert(n, s);
    }
    Ok(f)
}

/// One EMA's step at `block`: the new `(block, ema)` when it steps (and resets its
/// accumulator), `None` when it already stepped at this block; and the EMA value used.
fn step(stored: Ema, flow: i64, smoothing: u64, block: u64) -> (Option<(u64, I64F64)>, I64F64) {
    let (last_block, last) = stored.unwrap_or((0, I64F64::from_num(0)));
    if last_block == block {
        return (None, last);
    }
    let e = ema_flow_step(last, flow, smoothing);
    (Some((block, e)), e)
}

/// What the flow step did on one subnet: the EMAs written (if stepped).
#[derive(Clone, Copy, Debug, Default)]
pub struct FlowStep {
    /// New `SubnetEmaTaoFlow` (and `SubnetTaoFlow` reset), if stepped.
    pub user: Option<(u64, I64F64)>,
    /// New `SubnetEmaProtocolFlow` (and `SubnetProtocolFlow` reset), if stepped.
    pub protocol: Option<(u64, I64F64)>,
}

/// `get_shares_flow` at `block` over `emitting`: the shares (in `emitting` order) and each
/// subnet's step.
pub fn shares_flow(
    f: &FlowInputs,
    emitting: &[u16],
    block: u64,
) -> (Vec<U64F64>, BTreeMap<u16, FlowStep>) {
    let zero = I64F64::from_num(0);
    let mut steps = BTreeMap::new();
    let mut emas = Vec::with_capacity(emitting.len());
    for n in emitting {
        let s = f.subnets.get(n).copied().unwrap_or_default();
        let (user_w, user) = step(s.ema_user, s.tao_flow, f.smoothing, block);
        let (prot_w, prot) = if f.protocol {
            step(s.ema_protocol, s.protocol_flow, f.smoothing, block)
        } else {
            (None, zero)
        };
        steps.insert(
            *n,
            FlowStep {
                user: user_w,
                protocol: prot_w,
            },
        );
        emas.push((user, prot));
    }
    let norm = if f.net {
        let (su, sp) = emas.iter().fold((zero, zero), |(su, sp), (u, p)| {
            (
                su.saturating_add((*u).max(zero)),
                sp.saturating_add((*p).max(zero)),
            )
        });
        if sp > zero {
            su.checked_div(sp).unwrap_or(zero).min(I64F64::from_num(1))
        } else {
            zero
        }
    } else {
        zero
    };
    let nets: Vec<I64F64> = emas
        .iter()
        .map(|(u, p)| {
            if !f.net {
                return *u;
            }
            let scaled = if *p > zero {
                norm.saturating_mul(*p)
            } else {
                *p
            };
            u.saturating_sub(scaled)
        })
        .collect();
    (flow_shares(&nets, f.cutoff, f.exponent), steps)
}

fn ema_bytes(e: (u64, I64F64)) -> Vec<u8> {
    let mut b = e.0.to_le_bytes().to_vec();
    b.extend_from_slice(&e.1.to_bits().to_le_bytes());
    b
}

/// Compare the flow items the block wrote on `n`: the stepped EMAs and the reset
/// `SubnetTaoFlow` (`SubnetProtocolFlow` is compared with the coinbase's other outputs).
pub fn flow_outputs(
    r: &mut BlockReplay,
    child: &Capture,
    n: u16,
    s: &FlowStep,
    needs: &[String],
) -> Result<()> {
    if let Some(e) = s.user {
        emit(
            r,
            child,
            Out::of(&v::EMA_TAO_FLOW, n, ema_bytes(e), needs.to_vec()),
        )?;
        emit(
            r,
            child,
            Out::of(&v::SUBNET_TAO_FLOW, n, vec![0; 8], needs.to_vec()),
        )?;
    }
    if let Some(e) = s.protocol {
        let b = ema_bytes(e);
        emit(
            r,
            child,
            Out::of(&v::EMA_PROTOCOL_FLOW, n, b, needs.to_vec()),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ema_steps_once_per_block() {
        let f = 29_597_889_189_277;
        let (w, e) = step(Some((9, I64F64::from_num(100))), 5, f, 10);
        assert_eq!(w, Some((10, e)));
        assert_eq!(e, ema_flow_step(I64F64::from_num(100), 5, f));
        let (w, e) = step(Some((10, I64F64::from_num(7))), 5, f, 10);
        assert_eq!((w, e), (None, I64F64::from_num(7)));
        let (w, _) = step(None, 0, f, 10);
        assert_eq!(w, Some((10, I64F64::from_num(0))));
    }

    #[test]
    fn net_flow_subtracts_the_normalised_positive_protocol_ema() {
        let one = |u: i64, p: i64| SubFlow {
            tao_flow: 0,
            ema_user: Some((1, I64F64::from_num(u))),
            protocol_flow: 0,
            ema_protocol: Some((1, I64F64::from_num(p))),
        };
        let mut f = FlowInputs {
            smoothing: 0,
            cutoff: I64F64::from_num(0),
            exponent: U64F64::from_num(1),
            net: true,
            protocol: true,
            subnets: BTreeMap::new(),
        };
        // Users 300 + 100 = 400 positive, protocol 200 + 600 = 800: factor 1/2.
        f.subnets.insert(1, one(300, 200));
        f.subnets.insert(2, one(100, 600));
        let (s, _) = shares_flow(&f, &[1, 2], 5);
        // Nets 200 and −200: the cutoff 0 keeps 200 − 0 and 0.
        assert_eq!(
            s,
            flow_shares(
                &[I64F64::from_num(200), I64F64::from_num(-200)],
                f.cutoff,
                f.exponent
            )
        );
        f.net = false;
        let (s, _) = shares_flow(&f, &[1, 2], 5);
        assert_eq!(
            s,
            flow_shares(
                &[I64F64::from_num(300), I64F64::from_num(100)],
                f.cutoff,
                f.exponent
            )
        );
    }

    #[test]
    fn without_protocol_flow_only_the_user_ema_steps() {
        let mut f = FlowInputs {
            smoothing: 29_597_889_189_277,
            cutoff: I64F64::from_num(0),
            exponent: U64F64::from_num(1),
            net: false,
            protocol: false,
            subnets: BTreeMap::new(),
        };
        for (n, u) in [(1u16, 300), (2, 100)] {
            let s = SubFlow {
                tao_flow: 7,
                ema_user: Some((1, I64F64::from_num(u))),
                protocol_flow: 1_000_000,
                ema_protocol: Some((1, I64F64::from_num(5_000))),
            };
            f.subnets.insert(n, s);
        }
        let (s, steps) = shares_flow(&f, &[1, 2], 5);
        let users: Vec<I64F64> = [300, 100]
            .iter()
            .map(|u| ema_flow_step(I64F64::from_num(*u), 7, f.smoothing))
            .collect();
        assert_eq!(s, flow_shares(&users, f.cutoff, f.exponent));
        assert!(steps
            .values()
            .all(|st| st.protocol.is_none() && st.user.is_some()));
        // With the protocol flow (and net flow off) the protocol EMA steps too.
        f.protocol = true;
        let (_, steps) = shares_flow(&f, &[1, 2], 5);
        assert!(steps.values().all(|st| st.protocol.is_some()));
    }
}
