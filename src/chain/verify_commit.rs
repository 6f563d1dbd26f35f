//! Checks around weight submission (spec `chain-data.md` section 7): a revealed commit-reveal v2
//! weight set against its stored commit hash (subtensor `subnets/weights.rs` `do_reveal_weights`
//! hashes `(who, netuid_index, uids, values, salt, version_key)` with `BlakeTwo256`), and the two
//! weight normalisations side by side — what the Python SDK sends and what the chain stores.

use super::hex;
use super::types::{AccountId32, H256};
use super::weights::{
    chain_max_upscale, commit_hash_v2, commit_preimage_v2, sdk_convert_weights_and_uids,
};
use crate::error::{Error, ErrorCode, Result};

/// A revealed weight set and the commit it should match.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevealCheck {
    /// The committing hotkey, `0x` hex (32 bytes) or SS58.
    pub hotkey: String,
    /// `netuid + 4096 * mecid`.
    pub netuid_index: u16,
    /// Revealed uids.
    pub uids: Vec<u16>,
    /// Revealed values, exactly as sent (before the chain's re-upscale).
    pub values: Vec<u16>,
    /// Salt.
    pub salt: Vec<u16>,
    /// Version key.
    pub version_key: u64,
    /// The stored commit hash (`WeightCommits` queue entry), `0x` hex.
    pub commit_hash: String,
}

/// The outcome of [`check_reveal`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevealResult {
    /// Whether the recomputed hash equals the stored one.
    pub matches: bool,
    /// Recomputed hash.
    pub computed: String,
    /// Stored hash (normalised to lower case).
    pub stored: String,
    /// The SCALE preimage that was hashed.
    pub preimage: String,
    /// The row the chain stores once the reveal is accepted (`(uid, max-upscaled value)`).
    pub stored_row: Vec<(u16, u16)>,
}

/// Parse a hotkey given as `0x` hex or SS58.
pub fn parse_account(text: &str) -> Result<AccountId32> {
    let t = text.trim();
    if t.starts_with("0x") || t.starts_with("0X") {
        AccountId32::from_hex(t).map_err(|e| e.with_field("hotkey"))
    } else {
        AccountId32::from_ss58(t)
            .map(|(a, _)| a)
            .map_err(|e| e.with_field("hotkey"))
    }
}

/// Recompute a CR-v2 commit hash from a reveal and compare it with the stored hash.
/// Errors: `INVALID_HEX` / `INVALID_TYPE` for the hotkey or hash, `LENGTH_MISMATCH` when `uids`
/// and `values` differ in length.
pub fn check_reveal(r: &RevealCheck) -> Result<RevealResult> {
    let hotkey = parse_account(&r.hotkey)?;
    let stored =
        H256(hex::decode_array::<32>(&r.commit_hash).map_err(|e| e.with_field("commitHash"))?);
    if r.uids.len() != r.values.len() {
        return Err(Error::field(
            ErrorCode::LengthMismatch,
            "values",
            format!("{} values for {} uids", r.values.len(), r.uids.len()),
        ));
    }
    let computed = commit_hash_v2(
        &hotkey,
        r.netuid_index,
        &r.uids,
        &r.values,
        &r.salt,
        r.version_key,
    );
    let preimage = commit_preimage_v2(
        &hotkey,
        r.netuid_index,
        &r.uids,
        &r.values,
        &r.salt,
        r.version_key,
    );
    Ok(RevealResult {
        matches: computed == stored,
        computed: computed.to_hex(),
        stored: stored.to_hex(),
        preimage: hex::encode(&preimage),
        stored_row: r
            .uids
            .iter()
            .copied()
            .zip(chain_max_upscale(&r.values))
            .collect(),
    })
}

/// Both normalisations of a float weight vector.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightNormalisation {
    /// Uids the SDK sends (zero results dropped).
    pub sdk_uids: Vec<u16>,
    /// Values the SDK sends (`round_half_even(w / max * 65535)`).
    pub sdk_values: Vec<u16>,
    /// What the chain stores for that submission (`do_set_weights` max-upscale in I32F32).
    pub chain_values: Vec<u16>,
    /// Uids where the stored value differs from the sent value.
    pub changed_by_chain: Vec<u16>,
}

/// SDK conversion of float weights, then the chain's max-upscale of the result.
pub fn normalise_weights(uids: &[u16], weights: &[f64]) -> Result<WeightNormalisation> {
    let (sdk_uids, sdk_values) = sdk_convert_weights_and_uids(uids, weights)?;
    let chain_values = chain_max_upscale(&sdk_values);
    let changed_by_chain = sdk_uids
        .iter()
        .zip(sdk_values.iter().zip(&chain_values))
        .filter(|(_, (a, b))| a != b)
        .map(|(u, _)| *u)
        .collect();
    Ok(WeightNormalisation {
        sdk_uids,
        sdk_values,
        chain_values,
        changed_by_chain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice_reveal() -> RevealCheck {
        RevealCheck {
            hotkey: "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d".into(),
            netuid_index: 1,
            uids: vec![0, 1, 2],
            values: vec![65535, 32768, 1],
            salt: vec![1, 2, 3, 4, 5, 6, 7, 8],
            version_key: 0,
            commit_hash: "0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d"
                .into(),
        }
    }

    #[test]
    fn reveal_matches_spec_example_and_detects_changes() {
        let ok = check_reveal(&alice_reveal()).unwrap();
        assert!(ok.matches);
        // The same hotkey in SS58 form.
        let ss58 = RevealCheck {
            hotkey: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into(),
            ..alice_reveal()
        };
        assert!(check_reveal(&ss58).unwrap().matches);
        for changed in [
            RevealCheck {
                version_key: 1,
                ..alice_reveal()
            },
            RevealCheck {
                salt: vec![1, 2, 3, 4, 5, 6, 7, 9],
                ..alice_reveal()
            },
            RevealCheck {
                values: vec![65535, 32768, 2],
                ..alice_reveal()
            },
            RevealCheck {
                netuid_index: 4097,
                ..alice_reveal()
            },
        ] {
            assert!(!check_reveal(&changed).unwrap().matches);
        }
        let e = check_reveal(&RevealCheck {
            values: vec![1],
            ..alice_reveal()
        })
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::LengthMismatch, Some("values"))
        );
        let e = check_reveal(&RevealCheck {
            commit_hash: "0x12".into(),
            ..alice_reveal()
        })
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("commitHash"));
        assert_eq!(
            check_reveal(&RevealCheck {
                hotkey: "nope".into(),
                ..alice_reveal()
            })
            .unwrap_err()
            .field
            .as_deref(),
            Some("hotkey")
        );
    }

    #[test]
    fn both_normalisations() {
        // 0.5 -> 32767.5 -> 32768 (half to even); the chain keeps it (max is 65535).
        let w = normalise_weights(&[0, 1, 2], &[1.0, 0.5, 0.0]).unwrap();
        assert_eq!(
            (w.sdk_uids.clone(), w.sdk_values.clone()),
            (vec![0, 1], vec![65535, 32768])
        );
        assert_eq!(w.chain_values, vec![65535, 32768]);
        assert!(w.changed_by_chain.is_empty());
        // Integer weights: the SDK's own max-upscale makes the max 65535 and the chain keeps it;
        // a submission that is not max-upscaled (raw u16s) is changed by the chain.
        assert_eq!(chain_max_upscale(&[1, 2]), vec![32768, 65535]);
        assert_eq!(
            normalise_weights(&[0], &[-1.0]).unwrap_err().code,
            ErrorCode::Negative
        );
    }
}
