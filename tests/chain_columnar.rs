//! The columnar form (`chain::columnar`) against the per-object decode, on the real captures.
//!
//! Guards: every row rebuilt from the columns equals the per-object rendering of that element
//! (`Codec::render`, what `decodeType` returns), field by field, with accounts as hex and as SS58:
//! SN1's 1024 `NeuronInfoLite` (block 6852344), its `Option<Metagraph>` (every subnet-wide field
//! and every per-UID vector), an old runtime's `Vec<u8>`-wrapped neurons, a `Vec<NeuronInfo>` with
//! weights and bonds, and `DynamicInfo` in all four spellings (no dynamic-info capture exists in
//! tests/fixtures/chain, so those bytes are encoded here from hand-made values that reach every
//! field's edge: u64::MAX, u128::MAX, negative fixed-point, non-UTF-8 text, absent rows). Errors
//! are the per-object decoder's (code, field path, offset), and types without a columnar form
//! are refused by name.

#![cfg(feature = "render")]

use serde_json::{json, Map, Value};
use std::path::PathBuf;
use tao_engine::chain::columnar::{
    decode_columns, join_accounts, Column, Columns, Scalar, Table, COLUMNAR_TYPES,
};
use tao_engine::chain::registry::{decode_type, Wrapping};
use tao_engine::chain::render::{self, RenderOpts};
use tao_engine::chain::scale::{decode_all, encode, Codec};
use tao_engine::chain::{
    AccountId32, DynamicInfo, Metagraph, MetagraphCollateral, MetagraphWithCollateral, NeuronInfo,
    NeuronInfoLite,
};
use tao_engine::ErrorCode;

#[path = "support/columnar.rs"]
mod columnar_support;
use columnar_support::dynamic;

fn fixture(name: &str) -> (String, Vec<u8>, Wrapping) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/chain")
        .join(name);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    let bytes = tao_engine::chain::hex::decode(doc["hex"].as_str().expect("hex")).expect("hex");
    let wrapping =
        Wrapping::parse(doc["result_wrapping"].as_str().unwrap_or("raw")).expect("wrapping");
    (
        doc["type"].as_str().expect("type").to_string(),
        bytes,
        wrapping,
    )
}

const OPTS: [RenderOpts; 2] = [RenderOpts { ss58_prefix: None }, RenderOpts::SS58];

fn account(a: &AccountId32, opts: &RenderOpts) -> Value {
    Value::String(match opts.ss58_prefix {
        Some(p) => a.to_ss58(p),
        None => a.to_hex(),
    })
}

/// Entry `i` of a column, in the per-object conventions. Lists and the metagraph's pair groups
/// are tuples (`[account, amount]`), other groups objects (`null` where absent).
fn cell(name: &str, col: &Column, i: usize, opts: &RenderOpts) -> Value {
    match col {
        Column::Bool(v) => Value::Bool(v[i] == 1),
        Column::U8(v) => json!(v[i]),
        Column::U16(v) => json!(v[i]),
        Column::U32(v) => json!(v[i]),
        Column::U64(v) => render::uint(u128::from(v[i])),
        Column::U128(v) => render::uint(v[i]),
        Column::I96F32(v) => render::fixed(v[i].bits.to_string(), v[i].to_f64()),
        Column::Account(v) => account(&v[i], opts),
        Column::Text(v) => render::text(&v[i]),
        Column::Group(g) if name.ends_with("_per_hotkey") => tuple(g, i, opts),
        Column::Group(g) => row(g, i, opts),
        Column::List { offsets, items } => (offsets[i] as usize..offsets[i + 1] as usize)
            .map(|k| tuple(items, k, opts))
            .collect(),
    }
}

fn tuple(c: &Columns, i: usize, opts: &RenderOpts) -> Value {
    c.columns
        .iter()
        .map(|(n, col)| cell(n, col, i, opts))
        .collect()
}

fn row(c: &Columns, i: usize, opts: &RenderOpts) -> Value {
    if c.present.as_ref().is_some_and(|p| p[i] == 0) {
        return Value::Null;
    }
    let mut m = Map::new();
    for (n, col) in &c.columns {
        assert_eq!(col.len(), c.len, "column {n} has the group's length");
        m.insert(n.to_string(), cell(n, col, i, opts));
    }
    Value::Object(m)
}

fn scalar(s: &Scalar, opts: &RenderOpts) -> Value {
    match s {
        Scalar::Bool(b) => Value::Bool(*b),
        Scalar::U16(x) => json!(x),
        Scalar::U64(x) => render::uint(u128::from(*x)),
        Scalar::U128(x) => render::uint(*x),
        Scalar::I96F32(x) => render::fixed(x.bits.to_string(), x.to_f64()),
        Scalar::Account(a) => account(a, opts),
        Scalar::Text(t) => render::text(t),
        Scalar::Struct(None) => Value::Null,
        Scalar::Struct(Some(f)) => Value::Object(
            f.iter()
                .map(|(n, s)| (n.to_string(), scalar(s, opts)))
                .collect(),
        ),
    }
}

/// A metagraph table back as one object: its fields, then every column whole.
fn whole(t: &Table, opts: &RenderOpts) -> Value {
    let mut m: Map<String, Value> = t
        .fields
        .iter()
        .map(|(n, s)| (n.to_string(), scalar(s, opts)))
        .collect();
    for (n, col) in &t.rows.columns {
        m.insert(
            n.to_string(),
            (0..col.len()).map(|i| cell(n, col, i, opts)).collect(),
        );
    }
    Value::Object(m)
}

fn table(type_name: &str, bytes: &[u8], w: Wrapping) -> Table {
    decode_columns(type_name, bytes, w)
        .expect("decodes")
        .expect("Some")
}

/// Every row of a `Vec<T>` table equals the per-object rendering of that element.
fn rows_match<C: Codec>(t: &Table, values: &[C::Value]) {
    assert_eq!(t.rows.len, values.len());
    assert!(t.fields.is_empty());
    for opts in &OPTS {
        for (i, v) in values.iter().enumerate() {
            assert_eq!(
                row(&t.rows, i, opts),
                C::render(v, opts),
                "{} row {i}",
                t.type_name
            );
        }
    }
}

#[test]
fn sn1_neurons_lite_every_uid_and_field() {
    let (ty, bytes, w) = fixture("finney_b6852344_sn1_neurons_lite.json");
    let t = table(&ty, &bytes, w);
    assert_eq!(t.type_name, "Vec<NeuronInfoLite>");
    let v = decode_all::<Vec<NeuronInfoLite>>(&bytes).unwrap();
    assert_eq!(v.len(), 1024);
    rows_match::<NeuronInfoLite>(&t, &v);
    // The comparison sees a one-rao change in one row of one nested column.
    let mut bent = t.clone();
    if let Some((_, Column::Group(axon))) = bent
        .rows
        .columns
        .iter_mut()
        .find(|(n, _)| *n == "axon_info")
    {
        if let Some((_, Column::U128(ip))) = axon.columns.iter_mut().find(|(n, _)| *n == "ip") {
            ip[700] ^= 1;
        }
    }
    assert_ne!(
        row(&bent.rows, 700, &OPTS[0]),
        NeuronInfoLite::render(&v[700], &OPTS[0])
    );
    // The columns are typed as documented.
    let Some(Column::U64(emission)) = t.rows.get("emission") else {
        panic!("emission is U64")
    };
    assert_eq!(
        emission.iter().sum::<u64>(),
        v.iter().map(|n| n.emission).sum::<u64>()
    );
    let Some(Column::Group(axon)) = t.rows.get("axon_info") else {
        panic!("axon_info is a group")
    };
    assert!(matches!(axon.get("ip"), Some(Column::U128(_))));
    let Some(Column::List { offsets, items }) = t.rows.get("stake") else {
        panic!("stake is a list")
    };
    assert_eq!(offsets.len(), 1025);
    assert_eq!(items.len, v.iter().map(|n| n.stake.len()).sum::<usize>());
}

#[test]
fn old_runtime_vec_u8_neurons_lite() {
    let (_, bytes, w) = fixture("b3264157_sn23_neurons_lite_vecu8.json");
    assert_eq!(w, Wrapping::VecU8);
    let t = table("Vec<NeuronInfoLite>", &bytes, w);
    let d = decode_type("Vec<NeuronInfoLite>", &bytes, w).unwrap();
    let v = d.get::<Vec<NeuronInfoLite>>().unwrap();
    assert!(!v.is_empty());
    rows_match::<NeuronInfoLite>(&t, v);
}

#[test]
fn sn1_metagraph_every_field_and_uid() {
    let (ty, bytes, w) = fixture("finney_b6852344_sn1_metagraph.json");
    let t = table(&ty, &bytes, w);
    let m = decode_all::<Option<Metagraph>>(&bytes).unwrap().unwrap();
    assert_eq!((t.rows.len, t.fields.len()), (1024, 52));
    for opts in &OPTS {
        assert_eq!(whole(&t, opts), Metagraph::render(&m, opts));
    }
    let mut bent = t.clone();
    if let Some((_, Column::U64(stake))) = bent
        .rows
        .columns
        .iter_mut()
        .find(|(n, _)| *n == "alpha_stake")
    {
        stake[1023] = stake[1023].wrapping_add(1);
    }
    assert_ne!(whole(&bent, &OPTS[0]), Metagraph::render(&m, &OPTS[0]));
    // The bare struct (no Option tag) gives the same table.
    let bare = table("Metagraph", &bytes[1..], Wrapping::Raw);
    assert_eq!((bare.fields, bare.rows), (t.fields.clone(), t.rows.clone()));
    // None is None.
    assert_eq!(
        decode_columns("Option<Metagraph>", &[0], Wrapping::Raw).unwrap(),
        None
    );

    // Spec 435+: the same metagraph with collateral appended.
    let n = m.hotkeys.len() as u64;
    let c = MetagraphCollateral {
        collateral_locked: (0..n).map(|i| i * 7).collect(),
        collateral_min: (0..n).map(|i| u64::MAX - i).collect(),
        collateral_earned: vec![1; m.hotkeys.len()],
    };
    let with = MetagraphWithCollateral {
        metagraph: m,
        collateral: c,
    };
    let bytes = encode::<Option<MetagraphWithCollateral>>(&Some(with.clone()));
    let t = table("Option<MetagraphWithCollateral>", &bytes, Wrapping::Raw);
    for opts in &OPTS {
        assert_eq!(
            whole(&t, opts),
            MetagraphWithCollateral::render(&with, opts)
        );
    }
}

#[test]
fn neuron_info_with_weights_and_bonds() {
    let (_, bytes, _) = fixture("btdecode_neuron_info_sn1_uid1.json");
    let one = decode_all::<NeuronInfo>(&bytes).unwrap();
    let mut v = vec![one.clone(), one.clone(), one];
    v[0].weights = vec![(0, 65535), (7, 1)];
    v[1].weights.clear();
    v[1].bonds = vec![(3, 9)];
    v[2].stake.clear();
    v[2].emission = u64::MAX;
    let bytes = encode::<Vec<NeuronInfo>>(&v);
    let t = table("Vec<NeuronInfo>", &bytes, Wrapping::Raw);
    rows_match::<NeuronInfo>(&t, &v);
    let single = table(
        "Option<NeuronInfo>",
        &encode::<Option<NeuronInfo>>(&Some(v[0].clone())),
        Wrapping::Raw,
    );
    rows_match::<NeuronInfo>(&single, &v[..1]);
}

#[test]
fn dynamic_info_all_spellings() {
    let v = vec![
        Some(dynamic(0, true)),
        None,
        Some(dynamic(3, false)),
        Some(dynamic(64, true)),
        None,
    ];
    let bytes = encode::<Vec<Option<DynamicInfo>>>(&v);
    let t = table("Vec<Option<DynamicInfo>>", &bytes, Wrapping::Raw);
    assert_eq!(t.rows.present.as_deref(), Some(&[1u8, 0, 1, 1, 0][..]));
    rows_match::<Option<DynamicInfo>>(&t, &v);
    // Absent rows hold zeros.
    let Some(Column::U64(alpha_in)) = t.rows.get("alpha_in") else {
        panic!("U64")
    };
    assert_eq!(alpha_in[1], 0);
    let Some(Column::Group(ident)) = t.rows.get("subnet_identity") else {
        panic!("group")
    };
    assert_eq!(ident.present.as_deref(), Some(&[1u8, 0, 0, 1, 0][..]));

    let some: Vec<DynamicInfo> = v.iter().flatten().cloned().collect();
    let t = table(
        "Vec<DynamicInfo>",
        &encode::<Vec<DynamicInfo>>(&some),
        Wrapping::Raw,
    );
    assert_eq!(t.rows.present, None);
    rows_match::<DynamicInfo>(&t, &some);
    let t = table(
        "Option<DynamicInfo>",
        &encode::<Option<DynamicInfo>>(&Some(some[2].clone())),
        Wrapping::Raw,
    );
    rows_match::<DynamicInfo>(&t, &some[2..]);
    let t = table(
        "DynamicInfo",
        &encode::<DynamicInfo>(&some[0]),
        Wrapping::Raw,
    );
    rows_match::<DynamicInfo>(&t, &some[..1]);
    assert_eq!(
        decode_columns("Option<DynamicInfo>", &[0], Wrapping::Raw).unwrap(),
        None
    );
    let empty = table("Vec<Option<DynamicInfo>>", &[0], Wrapping::Raw);
    assert_eq!((empty.rows.len, empty.rows.present), (0, Some(vec![])));
}

#[test]
fn errors_are_the_per_object_decoders() {
    let (ty, bytes, w) = fixture("finney_b6852344_sn1_neurons_lite.json");
    for cut in [1, 5000, bytes.len() - 1] {
        let want = decode_type(&ty, &bytes[..cut], w).unwrap_err();
        let got = decode_columns(&ty, &bytes[..cut], w).unwrap_err();
        assert_eq!(
            (got.code, &got.field, got.offset),
            (want.code, &want.field, want.offset),
            "cut {cut}"
        );
        assert_eq!(got.code, ErrorCode::Decode);
    }
    let mut extra = bytes.clone();
    extra.push(0);
    assert_eq!(
        decode_columns(&ty, &extra, w).unwrap_err().code,
        ErrorCode::TrailingBytes
    );
    let e = decode_columns("Vec<u16>", &[0], Wrapping::Raw).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Unsupported, Some("typeName"))
    );
    let e = decode_columns("Vec<", &[0], Wrapping::Raw).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("typeName"));
    // Every listed name is canonical and known to the per-object decoder.
    for name in COLUMNAR_TYPES {
        assert!(
            tao_engine::chain::registry::known_types().any(|k| k == name),
            "{name}"
        );
    }
}

#[test]
fn joined_accounts_split_back() {
    let accts: Vec<AccountId32> = (0..5u8)
        .map(|b| AccountId32([b.wrapping_mul(53); 32]))
        .collect();
    for opts in &OPTS {
        let joined = join_accounts(&accts, opts.ss58_prefix, ',');
        let parts: Vec<Value> = joined
            .split(',')
            .map(|s| Value::String(s.to_string()))
            .collect();
        let want: Vec<Value> = accts.iter().map(|a| account(a, opts)).collect();
        assert_eq!(parts, want);
    }
    assert_eq!(join_accounts(&[], None, ','), "");
}
