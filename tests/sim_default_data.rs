#![cfg(not(target_arch = "wasm32"))]
//! Builds the simulator's embedded default-network data (`src/sim/data/default_network.json`)
//! from the real chain fixtures in `tests/fixtures/chain` and checks the embedded file is exactly
//! that. Regenerate with `TAO_SIM_REGEN=1 cargo test --test sim_default_data`.

use std::path::PathBuf;
use tao_engine::chain::registry::{decode_type, Wrapping};
use tao_engine::chain::{Metagraph, SubnetInfo};
use tao_engine::sim::default_net::{DefaultData, Sn1Data, SubnetInfoRow};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> serde_json::Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/chain").join(name)).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

fn hex_of(v: &serde_json::Value) -> Vec<u8> {
    let h = v.get("hex").and_then(|h| h.as_str()).unwrap_or("");
    tao_engine::chain::hex::decode(h).unwrap_or_default()
}

fn build() -> DefaultData {
    let mg_doc = fixture("finney_b6852344_sn1_metagraph.json");
    let decoded = decode_type("Option<Metagraph>", &hex_of(&mg_doc), Wrapping::Raw);
    assert!(decoded.is_ok(), "metagraph decodes");
    let decoded = decoded.unwrap_or_else(|_| unreachable!());
    let mg = decoded
        .get::<Option<Metagraph>>()
        .and_then(Option::as_ref)
        .cloned();
    assert!(mg.is_some(), "Some(Metagraph)");
    let mg = mg.unwrap_or_else(|| unreachable!());
    let mut coldkeys: Vec<[u8; 32]> = Vec::new();
    let coldkey_index = mg
        .coldkeys
        .iter()
        .map(|c| match coldkeys.iter().position(|k| *k == c.0) {
            Some(i) => i as u32,
            None => {
                coldkeys.push(c.0);
                (coldkeys.len() - 1) as u32
            }
        })
        .collect();
    let owner_uid = mg
        .hotkeys
        .iter()
        .position(|h| *h == mg.owner_hotkey)
        .map(|p| p as u16);
    let sn1 = Sn1Data {
        block: mg.block,
        tempo: mg.tempo,
        alpha_in: mg.alpha_in,
        alpha_out: mg.alpha_out,
        tao_in: mg.tao_in,
        moving_price_bits: mg.moving_price.bits.to_string(),
        burn: mg.burn,
        kappa: mg.kappa,
        max_validators: mg.max_validators,
        max_uids: mg.max_uids,
        owner_uid,
        alpha_stake: mg.alpha_stake.clone(),
        tao_stake: mg.tao_stake.clone(),
        validator_permit: mg
            .validator_permit
            .iter()
            .enumerate()
            .filter(|(_, p)| **p)
            .map(|(i, _)| i as u16)
            .collect(),
        incentive: mg.incentives.clone(),
        last_update: mg.last_update.clone(),
        block_at_registration: mg.block_at_registration.clone(),
        coldkey_index,
    };
    let info_doc = fixture("btdecode_subnets_info_vec.json");
    let decoded = decode_type("Vec<Option<SubnetInfo>>", &hex_of(&info_doc), Wrapping::Raw);
    assert!(decoded.is_ok(), "subnets info decodes");
    let decoded = decoded.unwrap_or_else(|_| unreachable!());
    let infos: Vec<Option<SubnetInfo>> = decoded
        .get::<Vec<Option<SubnetInfo>>>()
        .cloned()
        .unwrap_or_default();
    let subnets_info = infos
        .iter()
        .flatten()
        .map(|s| SubnetInfoRow {
            netuid: s.netuid,
            tempo: s.tempo,
            kappa: s.kappa,
            max_validators: s.max_allowed_validators,
            n: s.subnetwork_n,
            max_uids: s.max_allowed_uids,
            burn: s.burn,
        })
        .collect();
    let added = fixture("b3264157_networks_added_map.json");
    let networks_added = added
        .get("cases")
        .and_then(|c| c.as_array())
        .map(|cases| {
            cases
                .iter()
                .filter(|c| c.get("hex").and_then(|h| h.as_str()) == Some("0x01"))
                .filter_map(|c| c.get("netuid_from_key").and_then(|n| n.as_u64()))
                .map(|n| n as u16)
                .collect()
        })
        .unwrap_or_default();
    DefaultData {
        provenance: "Built by tests/sim_default_data.rs from tests/fixtures/chain: sn1 = \
            finney_b6852344_sn1_metagraph.json (mainnet block 6852344, spec 343); subnets_info = \
            btdecode_subnets_info_vec.json (opentensor/bt-decode tests/subnets_info.hex, network \
            unknown); networks_added = b3264157_networks_added_map.json (test network, block \
            3264157)."
            .to_string(),
        sn1,
        subnets_info,
        networks_added,
    }
}

#[test]
fn embedded_default_network_is_built_from_the_fixtures() {
    let data = build();
    let json = serde_json::to_string(&data).unwrap_or_default();
    let path = root().join("src/sim/data/default_network.json");
    if std::env::var("TAO_SIM_REGEN").is_ok() {
        assert!(std::fs::write(&path, format!("{json}\n")).is_ok());
    }
    let embedded = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(embedded.trim_end(), json, "regenerate with TAO_SIM_REGEN=1");
    assert_eq!(data.sn1.alpha_stake.len(), 1024);
    assert_eq!(data.sn1.validator_permit.len(), 12);
    assert!(data.subnets_info.len() > 100);
}

#[test]
fn the_default_network_says_which_subnets_are_real() {
    use tao_engine::sim::default_net::{SubnetSource, SN1_CAPTURE_BLOCK};
    use tao_engine::sim::DefaultConfig;
    let embedded = DefaultData::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        embedded.sn1.block, SN1_CAPTURE_BLOCK,
        "the SN1 block named in reports"
    );
    let cfg = DefaultConfig {
        seed: 7,
        ..DefaultConfig::default()
    };
    assert_eq!(
        cfg.source_of(1),
        SubnetSource::Real {
            block: SN1_CAPTURE_BLOCK
        }
    );
    for netuid in [0u16, 2, 64, 128] {
        let s = cfg.source_of(netuid);
        assert_eq!(s, SubnetSource::Synthetic { seed: 7 });
        assert!(s.describe(netuid).contains("synthetic"), "{netuid}");
    }
    assert!(cfg.source_of(1).describe(1).contains("6852344"));
}
