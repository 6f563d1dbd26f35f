//! Weight normalisation and the commit-reveal v2 commit hash (spec `chain-data.md` section 7).
//!
//! * [`chain_max_upscale`]: what `do_set_weights` stores, a port of subtensor
//!   `pallets/subtensor/src/epoch/math.rs` `vec_u16_max_upscale_to_u16` (I32F32 arithmetic, round
//!   half away from zero).
//! * [`sdk_convert_weights_and_uids`]: what the Python SDK sends, a port of bittensor
//!   `bittensor/utils/weight_utils.py` `convert_weights_and_uids_for_emit` (float64, Python
//!   `round`, i.e. half to even; zero results dropped with their uids).
//! * [`commit_hash_v2`]: `blake2b-256(SCALE(hotkey, netuid_index, uids, values, salt,
//!   version_key))`.

use super::hashing::blake2_256;
use super::scale::{encode, Codec};
use super::types::{AccountId32, H256};
use crate::error::{Error, ErrorCode, Result};
use substrate_fixed::types::I32F32;

/// Max-upscale a stored weight row as the chain does: with m = max, each value becomes
/// `round(v * (65535 / m))` if m > 32768, else `round(v * 65535 / m)`; all-zero rows stay zero.
pub fn chain_max_upscale(values: &[u16]) -> Vec<u16> {
    let u16_max = I32F32::saturating_from_num(u16::MAX);
    let Some(&max) = values.iter().max() else {
        return Vec::new();
    };
    if max == 0 {
        return values.to_vec();
    }
    let m = I32F32::saturating_from_num(max);
    let zero = I32F32::from_num(0);
    if max > 32768 {
        let ratio = u16_max.checked_div(m).unwrap_or(zero);
        values
            .iter()
            .map(|&v| {
                I32F32::saturating_from_num(v)
                    .saturating_mul(ratio)
                    .round()
                    .saturating_to_num::<u16>()
            })
            .collect()
    } else {
        values
            .iter()
            .map(|&v| {
                I32F32::saturating_from_num(v)
                    .saturating_mul(u16_max)
                    .checked_div(m)
                    .unwrap_or(zero)
                    .round()
                    .saturating_to_num::<u16>()
            })
            .collect()
    }
}

/// The SDK's `convert_weights_and_uids_for_emit`: reject negative or non-finite weights and
/// length mismatches; if the sum is 0 send nothing; otherwise divide by the maximum, multiply by
/// 65535, round half to even, and drop zero results with their uids. Returns `(uids, values)`.
pub fn sdk_convert_weights_and_uids(uids: &[u16], weights: &[f64]) -> Result<(Vec<u16>, Vec<u16>)> {
    if uids.len() != weights.len() {
        return Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("{} uids but {} weights", uids.len(), weights.len()),
        ));
    }
    for (i, w) in weights.iter().enumerate() {
        if !w.is_finite() {
            return Err(Error::field(
                ErrorCode::NotFinite,
                format!("weights[{i}]"),
                "not finite",
            ));
        }
        if *w < 0.0 {
            return Err(Error::field(
                ErrorCode::Negative,
                format!("weights[{i}]"),
                "negative weight",
            ));
        }
    }
    let sum: f64 = weights.iter().sum();
    if sum == 0.0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let max = weights.iter().copied().fold(0.0f64, f64::max);
    let mut out_uids = Vec::with_capacity(uids.len());
    let mut out_vals = Vec::with_capacity(uids.len());
    for (uid, w) in uids.iter().zip(weights) {
        let scaled = (w / max) * f64::from(u16::MAX);
        let v = scaled.round_ties_even();
        // v is in [0, 65535] because w <= max.
        let v = if v >= f64::from(u16::MAX) {
            u16::MAX
        } else {
            v as u16
        };
        if v != 0 {
            out_uids.push(*uid);
            out_vals.push(v);
        }
    }
    Ok((out_uids, out_vals))
}

/// The SCALE preimage of a commit-reveal v2 commit.
pub fn commit_preimage_v2(
    hotkey: &AccountId32,
    netuid_index: u16,
    uids: &[u16],
    values: &[u16],
    salt: &[u16],
    version_key: u64,
) -> Vec<u8> {
    let mut out = Vec::new();
    AccountId32::encode_to(hotkey, &mut out);
    u16::encode_to(&netuid_index, &mut out);
    out.extend(encode::<Vec<u16>>(&uids.to_vec()));
    out.extend(encode::<Vec<u16>>(&values.to_vec()));
    out.extend(encode::<Vec<u16>>(&salt.to_vec()));
    u64::encode_to(&version_key, &mut out);
    out
}

/// The commit-reveal v2 hash `blake2b-256(preimage)`; `values` exactly as they will be revealed
/// (before the chain's re-upscale). Batch reveals hash the plain netuid (the same for mechanism 0).
pub fn commit_hash_v2(
    hotkey: &AccountId32,
    netuid_index: u16,
    uids: &[u16],
    values: &[u16],
    salt: &[u16],
    version_key: u64,
) -> H256 {
    H256(blake2_256(&commit_preimage_v2(
        hotkey,
        netuid_index,
        uids,
        values,
        salt,
        version_key,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::hex;

    #[test]
    fn chain_upscale_matches_both_branches() {
        assert_eq!(chain_max_upscale(&[]), Vec::<u16>::new());
        assert_eq!(chain_max_upscale(&[0, 0]), vec![0, 0]);
        assert_eq!(chain_max_upscale(&[1, 2]), vec![32768, 65535]);
        assert_eq!(chain_max_upscale(&[32768, 1]), vec![65535, 2]);
        assert_eq!(chain_max_upscale(&[65535, 32768, 1]), vec![65535, 32768, 1]);
        // 65535 / 40000 is truncated in I32F32, so 20000 * ratio = 32767.4999... -> 32767.
        assert_eq!(chain_max_upscale(&[40000, 20000]), vec![65535, 32767]);
        for row in [[3u16, 7, 11], [100, 200, 300], [60000, 1, 30000]] {
            let once = chain_max_upscale(&row);
            assert_eq!(once.iter().max(), Some(&u16::MAX));
        }
    }

    #[test]
    fn sdk_rounds_half_to_even_and_drops_zeros() {
        let (u, v) = sdk_convert_weights_and_uids(&[0, 1, 2, 3], &[1.0, 0.5, 0.0, 1e-9]).unwrap();
        // 0.5 * 65535 = 32767.5 -> 32768 (even); 1e-9 * 65535 rounds to 0 and is dropped.
        assert_eq!((u, v), (vec![0, 1], vec![65535, 32768]));
        assert_eq!(
            sdk_convert_weights_and_uids(&[0], &[0.0]).unwrap(),
            (vec![], vec![])
        );
        assert_eq!(
            sdk_convert_weights_and_uids(&[0], &[-1.0])
                .unwrap_err()
                .code,
            ErrorCode::Negative
        );
        assert_eq!(
            sdk_convert_weights_and_uids(&[0, 1], &[1.0])
                .unwrap_err()
                .code,
            ErrorCode::LengthMismatch
        );
        assert_eq!(
            sdk_convert_weights_and_uids(&[0], &[f64::NAN])
                .unwrap_err()
                .code,
            ErrorCode::NotFinite
        );
    }

    #[test]
    fn commit_hash_spec_example() {
        let alice = AccountId32::from_hex(
            "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
        )
        .unwrap();
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let pre = commit_preimage_v2(&alice, 1, &[0, 1, 2], &[65535, 32768, 1], &salt, 0);
        let want = concat!(
            "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
            "0100",
            "0c000001000200",
            "0cffff00800100",
            "2001000200030004000500060007000800",
            "0000000000000000"
        );
        assert_eq!(hex::encode(&pre), want);
        assert_eq!(
            commit_hash_v2(&alice, 1, &[0, 1, 2], &[65535, 32768, 1], &salt, 0).to_hex(),
            "0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d"
        );
    }
}
