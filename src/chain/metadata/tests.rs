//! Tests over the real finney metadata blobs in `tests/fixtures/chain/metadata/` (copies of
//! `shared/fixtures/chain/metadata/`).

use super::*;
use crate::chain::hex;
use crate::chain::storage::{item_named, KeyArg, ITEMS};
use crate::chain::AccountId32;

pub(crate) fn blob(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/chain/metadata/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn derived(name: &str) -> serde_json::Value {
    let text = String::from_utf8(blob(name)).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["derived"].clone()
}

const FILES: &[&str] = &[
    "finney_spec343_v15",
    "finney_spec365_v16",
    "finney_spec393_v15",
    "finney_spec393_v16",
    "finney_spec424_v16",
];

fn meta424() -> Metadata {
    decode(&blob("finney_spec424_v16.scale")).unwrap()
}

#[test]
fn every_blob_decodes_and_matches_its_summary() {
    for f in FILES {
        let m = decode(&blob(&format!("{f}.scale"))).unwrap_or_else(|e| panic!("{f}: {e}"));
        let s = serde_json::to_value(m.summary().unwrap()).unwrap();
        assert_eq!(s, derived(&format!("{f}.json")), "{f}");
        assert!(m.type_count() > 500, "{f}");
    }
}

#[test]
fn runtime_version_from_the_system_constant() {
    let m = meta424();
    let v = m.runtime_version().unwrap();
    assert_eq!(v.spec_version, 424);
    assert_eq!(m.spec_version().unwrap(), 424);
    assert_eq!(v.spec_name, "node-subtensor");
    // Every runtime API the metadata lists has its id in the version's api list.
    for a in &m.apis {
        let id = crate::chain::runtime::api_id(&a.name);
        assert!(v.apis.iter().any(|(x, _)| *x == id), "{}", a.name);
    }
}

#[test]
fn rejects_trailing_truncated_and_foreign_bytes() {
    let b = blob("finney_spec343_v15.scale");
    let mut long = b.clone();
    long.push(0);
    assert_eq!(decode(&long).unwrap_err().code, ErrorCode::TrailingBytes);
    let short = b.get(..b.len() - 1).unwrap();
    assert_eq!(decode(short).unwrap_err().code, ErrorCode::Decode);
    let mut v13 = b.clone();
    v13[4] = 13;
    assert_eq!(decode(&v13).unwrap_err().code, ErrorCode::Unsupported);
    let mut magic = b.clone();
    magic[0] ^= 1;
    assert_eq!(decode(&magic).unwrap_err().code, ErrorCode::Decode);
    assert!(decode(&[]).is_err());
    // A V16 blob read as V15 does not reach its last byte.
    let mut as15 = blob("finney_spec424_v16.scale");
    as15[4] = 15;
    assert!(decode(&as15).is_err());
}

#[test]
fn storage_entries_and_keys() {
    let m = meta424();
    let (p, e) = m.storage_entry("SubtensorModule", "Weights").unwrap();
    assert_eq!(p.index, 7);
    assert_eq!(e.hashers, vec![Hasher::Identity, Hasher::Identity]);
    assert_eq!(m.type_name(e.value_ty), "Vec<(u16, u16)>");
    let k = m
        .storage_key_args(
            "SubtensorModule",
            "Weights",
            &[KeyArg::U16(23), KeyArg::U16(10)],
        )
        .unwrap();
    assert_eq!(
        hex::encode(&k),
        "0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec417000a00"
    );
    // Wrong key width, too many keys, unknown names.
    let err = m
        .storage_key_args("SubtensorModule", "Weights", &[KeyArg::U64(1)])
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidType);
    let err = m
        .storage_key("SubtensorModule", "Tempo", &[&[1, 0], &[2, 0]])
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::LengthMismatch);
    assert!(m.storage_entry("SubtensorModule", "NoSuchItem").is_err());
    assert!(m.storage_entry("NoSuchPallet", "Tempo").is_err());
    // A plain value: just the prefix.
    let t = m.storage_key("Timestamp", "Now", &[]).unwrap();
    assert_eq!(
        hex::encode(&t),
        "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"
    );
}

#[test]
fn storage_values_by_name() {
    let m = meta424();
    // Tempo: ValueQuery u16 (a NetUid-keyed map), default from the metadata.
    let d = m
        .decode_storage("SubtensorModule", "Tempo", None)
        .unwrap()
        .unwrap();
    assert_eq!(d.as_u128(), Some(360));
    let v = m
        .decode_storage("SubtensorModule", "Tempo", Some(&[99, 0]))
        .unwrap()
        .unwrap();
    assert_eq!(v.as_u128(), Some(99));
    let err = m
        .decode_storage("SubtensorModule", "Tempo", Some(&[99, 0, 0]))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TrailingBytes);
    // Uids: OptionQuery, absent is None.
    assert!(m
        .decode_storage("SubtensorModule", "Uids", None)
        .unwrap()
        .is_none());
    // Weights: a vector of pairs.
    let w = m
        .decode_storage(
            "SubtensorModule",
            "Weights",
            Some(&[8, 1, 0, 2, 0, 3, 0, 4, 0]),
        )
        .unwrap()
        .unwrap();
    assert_eq!(w.to_json(), serde_json::json!([[1, 2], [3, 4]]));
    // An account value renders as hex.
    let acc = m
        .decode_storage("SubtensorModule", "SubnetOwner", Some(&[7; 32]))
        .unwrap()
        .unwrap();
    assert_eq!(
        acc.to_json(),
        serde_json::json!(AccountId32([7; 32]).to_hex())
    );
}

/// Every item of the engine's key table exists in the spec-424 metadata with the same hashers,
/// key widths and query kind, except the items that later runtimes added (listed, and each must
/// really be absent so that the list cannot go stale).
#[test]
fn engine_key_table_matches_metadata_424() {
    let m = meta424();
    let missing = storage::engine_items_missing(&m);
    let not_in_424: Vec<&str> = missing
        .iter()
        .filter(|(_, why)| why == "not in the metadata")
        .map(|(n, _)| *n)
        .collect();
    let different: Vec<_> = missing
        .iter()
        .filter(|(_, why)| why != "not in the metadata")
        .collect();
    assert!(different.is_empty(), "{different:?}");
    let want: Vec<&str> = NOT_IN_424.iter().chain(ADDED_AFTER_424).copied().collect();
    assert_eq!(not_in_424, want, "{missing:?}");
    // The engine's declared defaults are the runtime's.
    for it in ITEMS {
        if let (Some(d), Ok((_, e))) = (it.default_bytes(), m.storage_entry(it.pallet, it.name)) {
            assert_eq!(d, e.default, "{} default", it.name);
        }
    }
    // And every engine key equals the metadata's key for the same arguments.
    let hk = KeyArg::Account(AccountId32([5; 32]));
    for it in ITEMS
        .iter()
        .filter(|i| !NOT_IN_424.contains(&i.name) && !ADDED_AFTER_424.contains(&i.name))
    {
        let args: Vec<KeyArg> = it
            .keys
            .iter()
            .map(|(_, kt)| match kt {
                crate::chain::storage::KeyType::U8 => KeyArg::U8(3),
                crate::chain::storage::KeyType::U16 => KeyArg::U16(3),
                crate::chain::storage::KeyType::U32 => KeyArg::U32(3),
                crate::chain::storage::KeyType::U64 => KeyArg::U64(3),
                crate::chain::storage::KeyType::AccountId32 => hk,
            })
            .collect();
        assert_eq!(
            m.storage_key_args(it.pallet, it.name, &args).unwrap(),
            it.key(&args).unwrap(),
            "{}",
            it.name
        );
    }
}

/// Engine items absent from the spec-424 metadata: the Uniswap-v3 era's provided reserves, which
/// the capture reader needs for older blocks (retired with the v3 pool; present at spec 393).
const NOT_IN_424: &[&str] = &["SubnetTaoProvided", "SubnetAlphaInProvided"];

/// Items that runtimes after 424 added (`chain-data-after-425.md` §4.1: collateral from 435/436,
/// the fund queue from 441; the liquid-alpha consensus mode from 446; the subnet alpha total and
/// its backfill cursor from 448); no later metadata fixture holds them, so their hashers and defaults
/// come from that table and the upstream declarations.
const ADDED_AFTER_424: &[&str] = &[
    "MinerCollateral",
    "ColdkeyMinerCollateral",
    "PendingBasketDeposits",
    "LiquidAlphaConsensusMode",
    "AlphaSharePoolEpoch",
    "AlphaShareEpoch",
    "TotalAlphaStaked",
    "TotalAlphaStakedMigration",
];

#[test]
fn items_missing_at_424_exist_in_an_older_runtime() {
    let m = decode(&blob("finney_spec393_v16.scale")).unwrap();
    for name in NOT_IN_424 {
        assert!(
            m.storage_entry("SubtensorModule", name).is_ok(),
            "{name} not at 393 either"
        );
    }
}

#[test]
fn unread_items_exclude_the_engine_table() {
    let m = meta424();
    let unread = unread_storage(&m);
    let has = |p: &str, i: &str| unread.iter().any(|r| r.pallet == p && r.item == i);
    assert!(!has("SubtensorModule", "Weights"));
    assert!(has("SubtensorModule", "TotalIssuance"));
    assert!(has("System", "Account"));
    let total: usize = m.pallets.iter().map(|p| p.storage.len()).sum();
    let read = ITEMS
        .iter()
        .filter(|i| m.storage_entry(i.pallet, i.name).is_ok())
        .count();
    assert_eq!(unread.len(), total - read);
    assert!(item_named("Weights").is_some());
}

#[test]
fn overview_counts_and_unread_items() {
    let m = meta424();
    let o = m.overview().unwrap();
    assert_eq!(o.spec_version, 424);
    assert_eq!(o.spec_name, "node-subtensor");
    assert_eq!(o.metadata_version, m.version);
    assert_eq!(o.pallets as usize, m.pallets.len());
    let entries: usize = m.pallets.iter().map(|p| p.storage.len()).sum();
    assert_eq!(o.storage_items as usize, entries);
    assert!(o.storage_items as usize > o.unread.len());
    assert_eq!(o.unread, unread_storage(&m));
    assert!(o.runtime_apis.iter().any(|a| a == "SubnetInfoRuntimeApi"));
    assert_eq!(o.runtime_apis.len(), m.apis.len());
}

#[test]
fn apis_and_constants() {
    let m = meta424();
    let api = m.api("SubnetInfoRuntimeApi").unwrap();
    let mg = api
        .methods
        .iter()
        .find(|x| x.name == "get_metagraph")
        .unwrap();
    assert_eq!(mg.inputs.len(), 1);
    assert_eq!(m.type_name(mg.output), "Option<Metagraph<AccountId32>>");
    assert!(m.constant("System", "Version").is_ok());
    assert!(m.constant("System", "Nope").is_err());
    let ss58 = m.constant_value("System", "SS58Prefix").unwrap();
    assert_eq!(ss58.as_u128(), Some(42));
}

#[test]
fn v14_layout_decodes() {
    // Build a V14 blob from the V15 one's registry and pallets (no runtime APIs in V14).
    use frame_metadata::v14::RuntimeMetadataV14;
    let b = blob("finney_spec343_v15.scale");
    let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(m15)) =
        parity_scale_codec::Decode::decode(&mut b.as_slice()).unwrap()
    else {
        panic!("not V15")
    };
    let pallets = m15
        .pallets
        .iter()
        .map(|p| frame_metadata::v14::PalletMetadata {
            name: p.name.clone(),
            storage: p.storage.clone(),
            calls: p.calls.clone(),
            event: p.event.clone(),
            constants: p.constants.clone(),
            error: p.error.clone(),
            index: p.index,
        })
        .collect();
    let v14 = RuntimeMetadataV14 {
        types: m15.types.clone(),
        pallets,
        extrinsic: frame_metadata::v14::ExtrinsicMetadata {
            ty: m15.extrinsic.call_ty,
            version: 4,
            signed_extensions: Vec::new(),
        },
        ty: m15.ty,
    };
    let bytes = RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V14(v14)).encode();
    let m = decode(&bytes).unwrap();
    assert_eq!(m.version, 14);
    assert!(m.apis.is_empty());
    assert_eq!(m.spec_version().unwrap(), 343);
    let s = serde_json::to_value(m.summary().unwrap()).unwrap();
    let want = derived("finney_spec343_v15.json");
    assert_eq!(s["pallets"], want["pallets"]);
}

fn registry_of<T: scale_info::TypeInfo + 'static>() -> (PortableRegistry, u32) {
    let mut reg = scale_info::Registry::new();
    let id = reg.register_type(&scale_info::MetaType::new::<T>()).id;
    (reg.into(), id)
}

#[test]
fn dynamic_values_by_type() {
    let (reg, id) = registry_of::<(
        bool,
        Option<u64>,
        parity_scale_codec::Compact<u32>,
        String,
        u128,
    )>();
    let bytes = (
        true,
        Some(7u64),
        parity_scale_codec::Compact(300u32),
        "ab".to_string(),
        u128::MAX,
    )
        .encode();
    let v = value::decode_all(&reg, id, &bytes).unwrap();
    assert_eq!(
        v.to_json(),
        serde_json::json!([true, 7, 300, "ab", u128::MAX.to_string()])
    );
    assert_eq!(
        type_name(&reg, id),
        "(bool, Option<u64>, Compact<u32>, str, u128)"
    );
    // Bad bool, bad option tag, trailing bytes, truncation.
    let mut bad = bytes.clone();
    bad[0] = 2;
    assert_eq!(
        value::decode_all(&reg, id, &bad).unwrap_err().code,
        ErrorCode::Decode
    );
    let mut bad = bytes.clone();
    bad[1] = 2;
    assert_eq!(
        value::decode_all(&reg, id, &bad).unwrap_err().code,
        ErrorCode::Decode
    );
    let mut long = bytes.clone();
    long.push(0);
    assert_eq!(
        value::decode_all(&reg, id, &long).unwrap_err().code,
        ErrorCode::TrailingBytes
    );
    assert!(value::decode_all(&reg, id, bytes.get(..bytes.len() - 1).unwrap()).is_err());
}

#[test]
fn zero_sized_elements_are_bounded() {
    // A billion `()` take five input bytes; the per-value budget stops the decode.
    let (reg, id) = registry_of::<Vec<()>>();
    let bytes = parity_scale_codec::Compact(1u32 << 30).encode();
    assert_eq!(
        value::decode_all(&reg, id, &bytes).unwrap_err().code,
        ErrorCode::DecodeLimit
    );
    // An unknown type id is an error, not a panic.
    assert_eq!(
        value::decode_all(&reg, 9_999, &[]).unwrap_err().code,
        ErrorCode::InvalidType
    );
}
