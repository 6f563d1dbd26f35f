//! The direct column decoder (`decode_columns`: the bytes read once into columns) against the
//! reference route (`decode_columns_via_objects`: the typed per-object decode, then the columns
//! collected from it), field by field (`Table` equality: every column, every row, every scalar).
//!
//! Inputs: every capture in tests/fixtures/chain (and /work/shared/fixtures/chain, data/ when
//! present) decoded as every columnar type in both wrappings (the captures of a columnar type
//! must decode; the rest must fail the same way), hand-made values for the types no capture covers
//! (`Vec<NeuronInfo>` with weights and bonds, spec-435 metagraphs with collateral, `DynamicInfo` in
//! all four spellings with absent rows and identities), every truncation point of the small inputs
//! and a spread of them in the large ones, single-byte corruptions, and tight decoder limits.
//! Errors must agree in code, field path, offset and message.

use std::path::{Path, PathBuf};
use tao_engine::chain::columnar::{
    decode_columns_via_objects, decode_columns_with_limits, Table, COLUMNAR_TYPES,
};
use tao_engine::chain::registry::Wrapping;
use tao_engine::chain::scale::{decode_all, encode, Limits};
use tao_engine::chain::{
    DynamicInfo, Metagraph, MetagraphCollateral, MetagraphWithCollateral, NeuronInfo,
    NeuronInfoLite,
};
use tao_engine::Error;

#[path = "support/columnar.rs"]
mod columnar_support;
use columnar_support::dynamic;

type Outcome =
    Result<Option<Table>, (tao_engine::ErrorCode, Option<String>, Option<usize>, String)>;

fn both(ty: &str, bytes: &[u8], w: Wrapping, limits: Limits) -> (Outcome, Outcome) {
    let key = |e: Error| (e.code, e.field, e.offset, e.message);
    (
        decode_columns_with_limits(ty, bytes, w, limits).map_err(key),
        decode_columns_via_objects(ty, bytes, w, limits).map_err(key),
    )
}

/// Both routes agree; returns whether the input decoded.
fn agree(ty: &str, bytes: &[u8], w: Wrapping, limits: Limits, what: &str) -> bool {
    let (direct, objects) = both(ty, bytes, w, limits);
    assert_eq!(direct, objects, "{what}: {ty} ({w:?})");
    direct.is_ok()
}

fn hex_fixtures(dir: &Path) -> Vec<(String, String, Vec<u8>)> {
    let mut out = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            out.extend(hex_fixtures(&p));
            continue;
        }
        if p.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let Some(hex) = doc.get("hex").and_then(|h| h.as_str()) else {
            continue;
        };
        let Ok(bytes) = tao_engine::chain::hex::decode(hex) else {
            continue;
        };
        let ty = doc.get("type").and_then(|t| t.as_str()).unwrap_or("");
        out.push((p.display().to_string(), ty.to_string(), bytes));
    }
    out
}

fn fixture_dirs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    vec![
        root.join("tests/fixtures/chain"),
        root.join("data"),
        PathBuf::from("/work/shared/fixtures/chain"),
    ]
}

/// The columnar type a capture's `type` names, if any (`Vec<NeuronInfoLite<AccountId32>>`,
/// `Vec<u8> wrapping ...`).
fn columnar_type(declared: &str) -> Option<(&'static str, Wrapping)> {
    let plain = declared.replace("<AccountId32>", "");
    let (inner, w) = match plain.strip_prefix("Vec<u8> wrapping ") {
        Some(rest) => (rest.to_string(), Wrapping::VecU8),
        None => (plain.clone(), Wrapping::Raw),
    };
    COLUMNAR_TYPES
        .iter()
        .find(|t| **t == inner.trim())
        .map(|t| (*t, w))
}

#[test]
fn every_capture_as_every_columnar_type() {
    let mut decoded = 0;
    let mut fixtures = 0;
    for dir in fixture_dirs() {
        for (path, declared, bytes) in hex_fixtures(&dir) {
            fixtures += 1;
            let expect = columnar_type(&declared);
            for ty in COLUMNAR_TYPES {
                for w in [Wrapping::Raw, Wrapping::VecU8] {
                    let ok = agree(ty, &bytes, w, Limits::DEFAULT, &path);
                    if expect == Some((ty, w)) {
                        assert!(ok, "{path} decodes as {ty}");
                        decoded += 1;
                    }
                }
            }
        }
    }
    assert!(fixtures >= 20, "{fixtures} captures found");
    // SN1's neurons and metagraph, SN23's Vec<u8>-wrapped neurons.
    assert!(decoded >= 3, "{decoded} captures of a columnar type");
}

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/chain")
        .join(name);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    tao_engine::chain::hex::decode(doc["hex"].as_str().expect("hex")).expect("hex")
}

/// Every columnar type with bytes that decode: the captures and hand-made values.
fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let neurons = fixture("finney_b6852344_sn1_neurons_lite.json");
    let mg = fixture("finney_b6852344_sn1_metagraph.json");
    let m = decode_all::<Option<Metagraph>>(&mg).unwrap().unwrap();
    let n = m.hotkeys.len() as u64;
    let with = MetagraphWithCollateral {
        metagraph: m.clone(),
        collateral: MetagraphCollateral {
            collateral_locked: (0..n).map(|i| i * 7).collect(),
            collateral_min: (0..n).map(|i| u64::MAX - i).collect(),
            collateral_earned: vec![1; m.hotkeys.len()],
        },
    };
    let one = decode_all::<NeuronInfo>(&fixture("btdecode_neuron_info_sn1_uid1.json")).unwrap();
    let mut full = vec![one.clone(), one.clone(), one];
    full[0].weights = vec![(0, 65535), (7, 1)];
    full[1].weights.clear();
    full[1].bonds = vec![(3, 9)];
    full[2].stake.clear();
    full[2].emission = u64::MAX;
    let lite = decode_all::<Vec<NeuronInfoLite>>(&neurons).unwrap();
    let dyns = vec![
        Some(dynamic(0, true)),
        None,
        Some(dynamic(3, false)),
        Some(dynamic(64, true)),
        None,
    ];
    let some: Vec<DynamicInfo> = dyns.iter().flatten().cloned().collect();
    vec![
        ("Vec<NeuronInfoLite>", neurons),
        (
            "Vec<NeuronInfoLite>",
            encode::<Vec<NeuronInfoLite>>(&lite[..3].to_vec()),
        ),
        (
            "Option<NeuronInfoLite>",
            encode::<Option<NeuronInfoLite>>(&Some(lite[5].clone())),
        ),
        ("Vec<NeuronInfo>", encode::<Vec<NeuronInfo>>(&full)),
        (
            "Option<NeuronInfo>",
            encode::<Option<NeuronInfo>>(&Some(full[0].clone())),
        ),
        ("Option<Metagraph>", mg.clone()),
        ("Metagraph", mg[1..].to_vec()),
        (
            "Option<MetagraphWithCollateral>",
            encode::<Option<MetagraphWithCollateral>>(&Some(with.clone())),
        ),
        (
            "MetagraphWithCollateral",
            encode::<MetagraphWithCollateral>(&with),
        ),
        (
            "Vec<Option<DynamicInfo>>",
            encode::<Vec<Option<DynamicInfo>>>(&dyns),
        ),
        ("Vec<DynamicInfo>", encode::<Vec<DynamicInfo>>(&some)),
        (
            "Option<DynamicInfo>",
            encode::<Option<DynamicInfo>>(&Some(some[1].clone())),
        ),
        ("DynamicInfo", encode::<DynamicInfo>(&some[0])),
        ("Option<DynamicInfo>", vec![0]),
        ("Option<Metagraph>", vec![0]),
        ("Vec<Option<DynamicInfo>>", vec![0]),
        ("Vec<NeuronInfoLite>", vec![0]),
    ]
}

#[test]
fn hand_made_values_of_every_type() {
    let samples = samples();
    for ty in COLUMNAR_TYPES {
        assert!(samples.iter().any(|(t, _)| *t == ty), "no sample of {ty}");
    }
    for (ty, bytes) in &samples {
        assert!(agree(ty, bytes, Wrapping::Raw, Limits::DEFAULT, "sample"));
        // The same bytes in an old runtime's Vec<u8> wrapper.
        let mut wrapped = encode::<Vec<u8>>(&bytes.to_vec());
        let opt = ty.starts_with("Option<");
        if opt {
            // The old runtimes sent the bare value (or nothing for None).
            wrapped = encode::<Vec<u8>>(&bytes[1..].to_vec());
        }
        assert!(agree(
            ty,
            &wrapped,
            Wrapping::VecU8,
            Limits::DEFAULT,
            "wrapped"
        ));
        // As every other columnar type (errors, or a different reading that must still agree).
        for other in COLUMNAR_TYPES {
            agree(
                other,
                bytes,
                Wrapping::Raw,
                Limits::DEFAULT,
                "as another type",
            );
        }
    }
}

/// Cut points: all for small inputs; for large ones the first 40 and 60 spread over the rest
/// (each large input takes tens of milliseconds to decode in a debug build).
fn points(len: usize) -> Vec<usize> {
    if len <= 700 {
        return (0..len).collect();
    }
    let step = len / 60;
    (0..40)
        .chain((40..len).step_by(step))
        .chain([len - 1])
        .collect()
}

#[test]
fn truncations_and_corruptions() {
    let mut failed = 0usize;
    for (ty, bytes) in samples() {
        for cut in points(bytes.len()) {
            if !agree(
                ty,
                &bytes[..cut],
                Wrapping::Raw,
                Limits::DEFAULT,
                "truncated",
            ) {
                failed += 1;
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(!agree(
            ty,
            &longer,
            Wrapping::Raw,
            Limits::DEFAULT,
            "trailing"
        ));
        for at in points(bytes.len()) {
            let values = [0xff, bytes[at] ^ 0x03, 0x00, bytes[at] ^ 0x80];
            let n = if bytes.len() > 700 { 2 } else { 4 };
            for &bad in &values[..n] {
                let mut b = bytes.clone();
                b[at] = bad;
                agree(
                    ty,
                    &b,
                    Wrapping::Raw,
                    Limits::DEFAULT,
                    &format!("byte {at} = {bad:#x}"),
                );
            }
        }
    }
    assert!(failed > 300, "the truncations fail ({failed})");
}

#[test]
fn tight_limits() {
    for (ty, bytes) in samples() {
        for depth in 0..6 {
            let l = Limits {
                max_depth: depth,
                max_alloc_bytes: Limits::DEFAULT.max_alloc_bytes,
            };
            agree(ty, &bytes, Wrapping::Raw, l, "depth");
        }
        for alloc in [0, 64, 4096, 100_000, 1 << 20] {
            let l = Limits {
                max_depth: 64,
                max_alloc_bytes: alloc,
            };
            agree(ty, &bytes, Wrapping::Raw, l, "alloc");
        }
    }
    // A hostile length prefix is refused before anything is allocated, the same way.
    let (d, o) = both(
        "Vec<NeuronInfoLite>",
        &[0xfe, 0xff, 0xff, 0xff, 0x00],
        Wrapping::Raw,
        Limits::DEFAULT,
    );
    assert_eq!(d, o);
    assert!(d.is_err());
}
