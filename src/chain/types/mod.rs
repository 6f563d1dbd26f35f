//! The runtime-API and storage value types, declared in encoding order with the chain's field
//! names. Every type implements [`Codec`](super::scale::Codec).

mod account;
mod delegate;
mod dynamic;
mod fixed;
mod header;
mod metagraph;
mod metagraph_layout;
mod neuron;
mod stake;
mod subnet;

pub use account::{AccountId32, H256, SS58_PREFIX};
pub use delegate::{DelegateInfo, DelegateInfoLegacy, Delegated, DelegatedLegacy};
pub use dynamic::DynamicInfo;
pub use fixed::{I32F32, I64F64, I96F32, U64F64, U96F32};
pub use header::{DigestItem, Header};
pub use metagraph::{Metagraph, SelectiveMetagraph, SubnetState, SELECTIVE_METAGRAPH_FIELDS};
pub use metagraph_layout::{
    decode_metagraph, decode_selective_metagraph, MetagraphCollateral, MetagraphLayout,
    MetagraphWithCollateral, SelectiveCollateral, SelectiveMetagraphWithCollateral,
    COLLATERAL_SINCE_SPEC, SELECTIVE_COLLATERAL_FIELDS,
};
pub use neuron::{
    AxonInfo, NeuronInfo, NeuronInfoDevRao, NeuronInfoLite, NeuronInfoLiteDevRao, PrometheusInfo,
};
pub use stake::{
    LockState, MinerCollateralState, StakeAvailability, StakeInfo, StakeInfoLegacy, SubnetLease,
};
pub use subnet::{
    hyperparam, ChainIdentityV2, HyperparamEntry, HyperparamValue, SubnetHyperparams,
    SubnetHyperparamsV2, SubnetIdentityV3, SubnetInfo, SubnetInfov2,
};

scale_struct! {
    /// `SafeFloat { mantissa, exponent }` (value of the `AlphaV2` share map).
    pub struct SafeFloat {
        /// Mantissa.
        pub mantissa: u128 as u128,
        /// Base-10 exponent.
        pub exponent: i64 as i64,
    }
}

#[cfg(test)]
mod tests {
    //! Layout checks for the types no captured fixture covers.
    use super::*;
    use crate::chain::scale::{decode_all, encode, Codec};
    use crate::error::ErrorCode;

    fn round_trip<C: Codec>(v: &C::Value) {
        let bytes = encode::<C>(v);
        assert_eq!(&decode_all::<C>(&bytes).unwrap(), v);
        assert!(bytes.len() >= C::MIN_LEN);
    }

    fn acct(b: u8) -> AccountId32 {
        AccountId32([b; 32])
    }

    #[test]
    fn selective_metagraph_has_every_metagraph_field_plus_two() {
        // netuid, then 73 options (71 metagraph fields + validators + commitments), all None.
        let mut bytes = vec![0x04];
        bytes.extend([0u8; 73]);
        let sm = decode_all::<SelectiveMetagraph>(&bytes).unwrap();
        assert_eq!(sm.netuid, 1);
        assert!(sm.commitments.is_none() && sm.validators.is_none() && sm.name.is_none());
        assert_eq!(encode::<SelectiveMetagraph>(&sm), bytes);
        assert!(decode_all::<SelectiveMetagraph>(&bytes[..73]).is_err());
    }

    #[cfg(feature = "render")]
    #[test]
    fn selective_field_list_matches_both_structs() {
        use crate::chain::render::RenderOpts;
        let mut bytes = vec![0x04];
        bytes.extend([0u8; 73]);
        let sm = decode_all::<SelectiveMetagraph>(&bytes).unwrap();
        let keys = |v: serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let mut want: Vec<String> = SELECTIVE_METAGRAPH_FIELDS
            .iter()
            .map(|s| s.to_string())
            .collect();
        want.sort();
        assert_eq!(
            keys(SelectiveMetagraph::render(&sm, &RenderOpts::default())),
            want
        );
        // The metagraph has the same fields except the last two (validators, commitments).
        let mg_bytes = crate::chain::hex::decode(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/chain/finney_b6852344_sn1_metagraph.json"
            ))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|d| d.get("hex").and_then(|h| h.as_str()).map(str::to_string))
            .unwrap(),
        )
        .unwrap();
        let mg = decode_all::<Option<Metagraph>>(&mg_bytes).unwrap().unwrap();
        let mut want: Vec<String> = SELECTIVE_METAGRAPH_FIELDS[..72]
            .iter()
            .map(|s| s.to_string())
            .collect();
        want.sort();
        assert_eq!(keys(Metagraph::render(&mg, &RenderOpts::default())), want);
    }

    #[test]
    fn uncaptured_types_round_trip() {
        let ident = SubnetIdentityV3 {
            subnet_name: b"Apex".to_vec(),
            github_repo: vec![],
            subnet_contact: vec![],
            subnet_url: vec![],
            discord: vec![],
            description: "\u{3b1}".as_bytes().to_vec(),
            logo_url: vec![],
            additional: vec![0xff],
        };
        round_trip::<DynamicInfo>(&DynamicInfo {
            netuid: 64,
            owner_hotkey: acct(1),
            owner_coldkey: acct(2),
            subnet_name: b"Apex".to_vec(),
            token_symbol: "\u{3b1}".as_bytes().to_vec(),
            tempo: 360,
            last_step: 1 << 40,
            blocks_since_last_step: 3,
            emission: 0,
            alpha_in: u64::MAX,
            alpha_out: 5,
            tao_in: 6,
            alpha_out_emission: 7,
            alpha_in_emission: 8,
            tao_in_emission: 9,
            pending_alpha_emission: 10,
            pending_root_emission: 0,
            subnet_volume: u128::MAX,
            network_registered_at: 11,
            subnet_identity: Some(ident.clone()),
            moving_price: I96F32::from_bits(-5),
        });
        round_trip::<StakeInfo>(&StakeInfo {
            hotkey: acct(3),
            coldkey: acct(4),
            netuid: 4095,
            stake: 1,
            locked: 2,
            emission: 3,
            tao_emission: 4,
            drain: 5,
            is_registered: true,
        });
        round_trip::<LockState>(&LockState {
            locked_mass: 1,
            conviction: U64F64::from_bits(1 << 64),
            last_update: 2,
        });
        assert_eq!(LockState::MIN_LEN, 32);
        round_trip::<Delegated>(&Delegated {
            delegate: DelegateInfo {
                delegate_ss58: acct(5),
                take: 11_796,
                nominators: vec![(acct(6), vec![(0, 1), (1, 1 << 50)])],
                owner_ss58: acct(7),
                registrations: vec![0, 1],
                validator_permits: vec![1],
                return_per_1000: 0,
                total_daily_return: 9,
            },
            delegated_netuid: 1,
            delegated_amount: 2,
        });
        round_trip::<SubnetInfov2>(&SubnetInfov2 {
            netuid: 1,
            rho: 10,
            kappa: 32_767,
            difficulty: u64::MAX,
            immunity_period: 4096,
            max_allowed_validators: 64,
            min_allowed_weights: 1,
            max_weights_limit: u16::MAX,
            scaling_law_power: 50,
            subnetwork_n: 256,
            max_allowed_uids: 256,
            blocks_since_last_step: 1,
            tempo: 360,
            network_modality: 0,
            network_connect: vec![[1, 2]],
            emission_value: 3,
            burn: 4,
            owner: acct(8),
            identity: Some(ident),
        });
        let entries = vec![
            HyperparamEntry {
                name: b"kappa".to_vec(),
                value: HyperparamValue::U16(32_767),
            },
            HyperparamEntry {
                name: b"ok".to_vec(),
                value: HyperparamValue::Bool(true),
            },
            HyperparamEntry {
                name: b"u32".to_vec(),
                value: HyperparamValue::U32(1 << 20),
            },
            HyperparamEntry {
                name: b"u64".to_vec(),
                value: HyperparamValue::U64(u64::MAX),
            },
            HyperparamEntry {
                name: b"u128".to_vec(),
                value: HyperparamValue::U128(u128::MAX),
            },
            HyperparamEntry {
                name: b"burn".to_vec(),
                value: HyperparamValue::TaoBalance(5),
            },
            HyperparamEntry {
                name: b"s".to_vec(),
                value: HyperparamValue::I32F32(I32F32::from_bits(-1)),
            },
            HyperparamEntry {
                name: b"f".to_vec(),
                value: HyperparamValue::U64F64(U64F64::from_bits(7)),
            },
        ];
        round_trip::<Option<Vec<HyperparamEntry>>>(&Some(entries.clone()));
        assert_eq!(
            hyperparam(&entries, "kappa"),
            Some(&HyperparamValue::U16(32_767))
        );
        assert_eq!(hyperparam(&entries, "missing"), None);
    }

    #[test]
    fn hyperparam_entry_bytes() {
        // name "kappa" (Vec<u8>), variant 1 = U16, Compact(32767) = 0xfeff0100.
        let bytes = [
            0x14, b'k', b'a', b'p', b'p', b'a', 0x01, 0xfe, 0xff, 0x01, 0x00,
        ];
        let e = decode_all::<HyperparamEntry>(&bytes).unwrap();
        assert_eq!(e.value, HyperparamValue::U16(32_767));
        let mut bad = bytes;
        bad[6] = 8;
        let err = decode_all::<HyperparamEntry>(&bad).unwrap_err();
        assert_eq!(
            (err.code, err.offset, err.field.as_deref()),
            (ErrorCode::Decode, Some(6), Some("value"))
        );
    }
}
