//! Mechanisms (sub-subnets, spec §8): storage index, emission split, aggregation of the
//! per-mechanism epoch outputs.
//!
//! Port of `pallets/subtensor/src/subnets/mechanism.rs` (`get_mechanism_storage_index`,
//! `get_netuid_and_subid`, `split_emissions`, `epoch_with_mechanisms`) @ 14bc6f9f.

use super::output::EpochOutput;
use crate::fixed::U64F64;

/// `GLOBAL_MAX_SUBNET_COUNT`: mechanism `m` of `netuid` is stored under `m·4096 + netuid`.
pub const GLOBAL_MAX_SUBNET_COUNT: u16 = 4096;

/// Storage index of mechanism `mech` of `netuid` (saturating u16 math, as the chain).
pub fn storage_index(netuid: u16, mech: u8) -> u16 {
    u16::from(mech)
        .saturating_mul(GLOBAL_MAX_SUBNET_COUNT)
        .saturating_add(netuid)
}

/// `(netuid, mech)` of a storage index (`index mod 4096`, `index / 4096`). The chain also
/// requires `mech < MechanismCountCurrent[netuid]`; check that against the subnet's count.
pub fn netuid_and_mech(index: u16) -> (u16, u8) {
    let mech = index / GLOBAL_MAX_SUBNET_COUNT;
    (
        index % GLOBAL_MAX_SUBNET_COUNT,
        u8::try_from(mech).unwrap_or(u8::MAX),
    )
}

/// `split_emissions`: `floor(E·s_m/65535)` per mechanism (u128 math) with a split, `E / count`
/// each without; padded/truncated to `count`; the remainder goes to mechanism 0.
pub fn split_emissions(count: u8, split: Option<&[u16]>, emission: u64) -> Vec<u64> {
    let count = usize::from(count);
    let mut result: Vec<u64> = match split {
        Some(s) => s
            .iter()
            .map(|&p| {
                let v = u128::from(emission).saturating_mul(u128::from(p)) / u128::from(u16::MAX);
                u64::try_from(v).unwrap_or(u64::MAX)
            })
            .collect(),
        None => {
            let per = emission.checked_div(count as u64).unwrap_or(0);
            vec![per; count]
        }
    };
    result.resize(count, 0);
    let distributed = result.iter().fold(0u64, |a, b| a.saturating_add(*b));
    if let Some(first) = result.first_mut() {
        *first = first.saturating_add(emission.saturating_sub(distributed));
    }
    result
}

/// Weight of mechanism `m` in the aggregate: `e_m / E`, or (when `E = 0`) 1 for mechanism 0 and
/// 0 for the others.
pub fn mechanism_weight(mech: usize, mech_emission: u64, total: u64) -> U64F64 {
    let num = U64F64::saturating_from_num(mech_emission);
    let den = U64F64::saturating_from_num(total);
    num.checked_div(den)
        .unwrap_or_else(|| U64F64::saturating_from_num(u8::from(mech == 0)))
}

fn acc_u16(existing: u16, added: u16, w: U64F64) -> u16 {
    U64F64::saturating_from_num(existing)
        .saturating_add(U64F64::saturating_from_num(added).saturating_mul(w))
        .saturating_to_num::<u16>()
}

fn acc_u64(existing: u64, added: u64, w: U64F64) -> u64 {
    U64F64::saturating_from_num(existing)
        .saturating_add(U64F64::saturating_from_num(added).saturating_mul(w))
        .saturating_to_num::<u64>()
}

/// Aggregate per-mechanism outputs as `epoch_with_mechanisms` does: server/validator emissions
/// and stake summed; dividends, stake weight, consensus, validator trust and emission as
/// `floor(Σ_m x_m·w_m)` accumulated one mechanism at a time (flooring after each); active and
/// permit OR-ed. `incentive` is mechanism 0's weighted incentive (the chain never updates it after
/// the first mechanism; it is not persisted per netuid) and `bonds` are empty.
pub fn aggregate(outputs: &[EpochOutput], mech_emissions: &[u64], total: u64) -> EpochOutput {
    let mut agg = EpochOutput::default();
    for (m, (out, &e)) in outputs.iter().zip(mech_emissions).enumerate() {
        let w = mechanism_weight(m, e, total);
        let n = out.incentive.len();
        if m == 0 {
            let z16 = vec![0u16; n];
            agg.incentive = out.incentive.iter().map(|&x| acc_u16(0, x, w)).collect();
            agg.dividends = z16.clone();
            agg.consensus = z16.clone();
            agg.validator_trust = z16.clone();
            agg.stake_weight = z16;
            agg.emission = vec![0; n];
            agg.server_emission = vec![0; n];
            agg.validator_emission = vec![0; n];
            agg.stake = vec![0; n];
            agg.active = vec![false; n];
            agg.validator_permit = vec![false; n];
            agg.bonds = vec![Vec::new(); n];
        }
        let zip16 = |a: &mut Vec<u16>, b: &[u16]| {
            a.iter_mut()
                .zip(b)
                .for_each(|(x, y)| *x = acc_u16(*x, *y, w))
        };
        zip16(&mut agg.dividends, &out.dividends);
        zip16(&mut agg.consensus, &out.consensus);
        zip16(&mut agg.validator_trust, &out.validator_trust);
        zip16(&mut agg.stake_weight, &out.stake_weight);
        agg.emission
            .iter_mut()
            .zip(&out.emission)
            .for_each(|(x, y)| *x = acc_u64(*x, *y, w));
        let add = |a: &mut Vec<u64>, b: &[u64]| {
            a.iter_mut()
                .zip(b)
                .for_each(|(x, y)| *x = x.saturating_add(*y))
        };
        add(&mut agg.server_emission, &out.server_emission);
        add(&mut agg.validator_emission, &out.validator_emission);
        add(&mut agg.stake, &out.stake);
        agg.active
            .iter_mut()
            .zip(&out.active)
            .for_each(|(x, y)| *x |= *y);
        agg.validator_permit
            .iter_mut()
            .zip(&out.validator_permit)
            .for_each(|(x, y)| *x |= *y);
    }
    agg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_examples() {
        assert_eq!(split_emissions(5, None, 25), vec![5, 5, 5, 5, 5]);
        assert_eq!(split_emissions(4, None, 10), vec![4, 2, 2, 2]);
        assert_eq!(
            split_emissions(5, Some(&[3450, 6899, 10348, 17247, 27594]), 19),
            vec![1, 2, 3, 5, 8]
        );
        assert_eq!(split_emissions(3, Some(&[65535]), 7), vec![7, 0, 0]);
    }

    #[test]
    fn storage_index_round_trip() {
        assert_eq!(storage_index(2048, 15), 63488);
        assert_eq!(netuid_and_mech(32767), (4095, 7));
    }

    #[test]
    fn zero_emission_weights_mechanism_zero() {
        assert_eq!(mechanism_weight(0, 0, 0), U64F64::from_num(1));
        assert_eq!(mechanism_weight(1, 0, 0), U64F64::from_num(0));
        assert_eq!(mechanism_weight(1, 1, 4), U64F64::from_num(0.25));
    }
}
