//! `decodeColumns`: the large chain results (neurons, metagraphs, dynamic info) as one typed array
//! per field. The core decodes the bytes straight into columns (`chain::columnar`); this hands them
//! out in one crossing (`emit`): a program saying where each numeric column lies in wasm memory,
//! which a JS snippet runs to copy every column once into its typed-array view of one
//! `ArrayBuffer` for the whole result. An account column as text crosses as one text of its
//! distinct accounts (`chain::columnar::distinct`: a subnet's coldkeys are a few dozen owners) that
//! the snippet splits and fans out to the rows.

use super::convert::js_error;
use super::request::{read, read_or_default, BytesLike, ColumnarAccounts, FromJs, Wrapping};
use emit::{Emit, Kind};
use js_sys::{Array, BigInt, Object, Reflect};
use std::borrow::Cow;
use std::collections::HashMap;
use tao_engine::chain::columnar::{
    decode_columns, distinct, join_accounts, join_hex, Column as Col, Columns, Scalar, Table,
};
use tao_engine::chain::hex;
use tao_engine::chain::types::{AccountId32, SS58_PREFIX};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

mod emit;

// The result types below are declared for their TypeScript only: `emit`'s snippet builds the
// values as typed arrays over one ArrayBuffer (serde cannot), so no Rust value of them is made.

/// A 128-bit unsigned column: value = (hi << 64n) | lo.
#[derive(Tsify)]
#[allow(dead_code)]
pub struct U128Column {
    /// High 64 bits per row.
    #[tsify(type = "BigUint64Array")]
    hi: (),
    /// Low 64 bits per row.
    #[tsify(type = "BigUint64Array")]
    lo: (),
}

/// The raw bits of an I96F32 column: bits = (BigInt(hi) << 64n) + lo (hi signed).
#[derive(Tsify)]
#[allow(dead_code)]
pub struct FixedBits {
    /// High 64 bits per row, signed.
    #[tsify(type = "BigInt64Array")]
    hi: (),
    /// Low 64 bits per row.
    #[tsify(type = "BigUint64Array")]
    lo: (),
}

/// An I96F32 column: value = bits / 2^32.
#[derive(Tsify)]
#[allow(dead_code)]
pub struct FixedColumn {
    /// The raw bits.
    bits: FixedBits,
    /// The values as floats (nearest f64).
    #[tsify(type = "Float64Array")]
    approx: (),
}

/// Text: a string when the bytes are UTF-8, else their hex.
#[derive(Tsify)]
#[allow(dead_code)]
#[tsify(type = "string | { hex: string }")]
pub struct TextValue;

/// A nested struct per row; `present` (0/1) only where the struct is optional.
#[derive(Tsify)]
#[allow(dead_code)]
#[tsify(type = "{ present?: Uint8Array; [field: string]: Column | undefined }")]
pub struct ColumnGroup;

/// A list per row: row i owns items offsets[i] .. offsets[i + 1] of every item column.
#[derive(Tsify)]
#[allow(dead_code)]
#[tsify(type = "{ offsets: Uint32Array; [field: string]: Column }")]
pub struct ColumnList;

/// One column of `decodeColumns`: bool and u8 as Uint8Array, u16 Uint16Array, u32 Uint32Array,
/// u64 BigUint64Array, accounts string[] (hex or SS58; with `accounts: "bytes"` one Uint8Array,
/// 32 bytes per row), text TextValue[].
#[derive(Tsify)]
#[tsify(
    type = "Uint8Array | Uint16Array | Uint32Array | BigUint64Array | U128Column | FixedColumn | string[] | TextValue[] | ColumnGroup | ColumnList"
)]
pub struct Column;

/// Result of `decodeColumns`. The numeric columns are views into one ArrayBuffer (keeping any
/// one of them keeps the whole result's numbers alive; `.slice()` a column to detach it).
#[derive(Tsify)]
#[tsify(hashmap_as_object)]
#[allow(dead_code)]
pub struct ColumnarTable {
    /// Canonical type name.
    #[serde(rename = "type")]
    type_name: String,
    /// Rows: neurons, UIDs (`hotkeys`) of a metagraph, or subnets.
    length: u32,
    /// For `Vec<Option<T>>`: 1 where the row is present (absent rows hold zeros and "").
    #[tsify(optional, type = "Uint8Array")]
    present: Option<()>,
    /// A metagraph's subnet-wide values (u64/u128 bigint, fixed-point {bits: bigint, approx}).
    #[tsify(optional, type = "Record<string, any>")]
    fields: Option<()>,
    /// One column per field, the chain's field names.
    columns: HashMap<String, Column>,
}

crate::js_request! {
    /// How `decodeColumns` renders accounts.
    #[derive(Default)]
    pub struct ColumnarOptions {
        /// Accounts as SS58 text (the same as `accounts: "ss58"`).
        #[tsify(optional)]
        ss58 "ss58": Option<bool>,
        /// Accounts as `0x` hex (default), SS58 text, or raw bytes (the cheapest form).
        #[tsify(optional)]
        accounts "accounts": Option<ColumnarAccounts>,
    }
}

/// An account column as text (hex, or SS58 with `prefix`), each distinct account formatted once:
/// one text of the distinct accounts and each row's index among them, for the snippet to split
/// and fan out.
fn account_strings(e: &mut Emit, key: &'static str, v: &[AccountId32], prefix: Option<u16>) {
    if v.is_empty() {
        e.accounts(key, Vec::new(), Vec::new());
        return;
    }
    let (rows, index) = match distinct(v) {
        Some((unique, index)) => (Cow::Owned(unique), index),
        None => (Cow::Borrowed(v), Vec::new()),
    };
    let text = match prefix {
        None => join_hex(&rows, b","),
        Some(p) => join_accounts(&rows, Some(p), ',').into_bytes(),
    };
    e.accounts(key, text, index);
}

fn set(o: &Object, key: &str, v: &JsValue) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(key), v);
}

/// How accounts leave: text (hex or SS58) or their 32 raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accounts {
    Text(Option<u16>),
    Bytes,
}

impl From<ColumnarOptions> for Accounts {
    fn from(o: ColumnarOptions) -> Self {
        match o.accounts {
            Some(ColumnarAccounts::Bytes) => Accounts::Bytes,
            Some(ColumnarAccounts::Ss58) => Accounts::Text(Some(SS58_PREFIX)),
            Some(ColumnarAccounts::Hex) => Accounts::Text(None),
            None if o.ss58 == Some(true) => Accounts::Text(Some(SS58_PREFIX)),
            None => Accounts::Text(None),
        }
    }
}

/// Bytes the numeric arrays of `c` need in the result's one `ArrayBuffer`: their sizes plus up to 7
/// bytes of alignment padding each (so the order they are laid out in does not matter).
fn room(c: &Columns, acc: Accounts) -> usize {
    let arr = |n: usize, size: usize| n.saturating_mul(size).saturating_add(7);
    let mut total = c.present.as_ref().map_or(0, |p| arr(p.len(), 1));
    for (_, col) in &c.columns {
        total = total.saturating_add(match col {
            Col::Bool(v) | Col::U8(v) => arr(v.len(), 1),
            Col::U16(v) => arr(v.len(), 2),
            Col::U32(v) => arr(v.len(), 4),
            Col::U64(v) => arr(v.len(), 8),
            Col::U128(v) => arr(v.len(), 16).saturating_add(7),
            Col::I96F32(v) => arr(v.len(), 24).saturating_add(14),
            Col::Account(v) if acc == Accounts::Bytes => arr(v.len(), 32),
            Col::Account(_) | Col::Text(_) => 0,
            Col::Group(g) => room(g, acc),
            Col::List { offsets, items } => arr(offsets.len(), 4).saturating_add(room(items, acc)),
        });
    }
    total
}

/// Emit column `c` under `key`: numeric arrays as ranges of the result's buffer, the rest as
/// values made here.
fn column(e: &mut Emit, key: &'static str, c: &Col, acc: Accounts) {
    match c {
        Col::Bool(v) | Col::U8(v) => e.u8s(key, v),
        Col::U16(v) => e.u16s(key, v),
        Col::U32(v) => e.u32s(key, v),
        Col::U64(v) => e.u64s(key, v),
        Col::U128(v) => {
            e.open();
            e.made(
                "hi",
                Kind::U64,
                v.iter().map(|x| (x >> 64) as u64).collect(),
            );
            e.made("lo", Kind::U64, v.iter().map(|&x| x as u64).collect());
            e.close(key);
        }
        Col::I96F32(v) => {
            e.open();
            e.open();
            // The signed high half and the floats leave as their bit patterns.
            let hi = v.iter().map(|x| (x.bits >> 64) as i64 as u64).collect();
            e.made("hi", Kind::I64, hi);
            e.made("lo", Kind::U64, v.iter().map(|x| x.bits as u64).collect());
            e.close("bits");
            let approx = v.iter().map(|x| x.to_f64().to_bits()).collect();
            e.made("approx", Kind::F64, approx);
            e.close(key);
        }
        Col::Account(v) => match acc {
            Accounts::Bytes => e.account_bytes(key, v),
            // One text and one split instead of a string per account across the boundary.
            Accounts::Text(p) => account_strings(e, key, v, p),
        },
        Col::Text(v) => e.extra(key, &v.iter().map(|t| text(t)).collect::<Array>()),
        Col::Group(g) => {
            e.open();
            columns(e, g, acc);
            e.close(key);
        }
        Col::List { offsets, items } => {
            e.open();
            columns(e, items, acc);
            e.u32s("offsets", offsets);
            e.close(key);
        }
    }
}

/// The columns of `c` (its `present` first) into the object the program has open.
fn columns(e: &mut Emit, c: &Columns, acc: Accounts) {
    if let Some(p) = &c.present {
        e.u8s("present", p);
    }
    for (name, col) in &c.columns {
        column(e, name, col, acc);
    }
}

fn text(bytes: &[u8]) -> JsValue {
    match core::str::from_utf8(bytes) {
        Ok(s) => JsValue::from_str(s),
        Err(_) => {
            let o = Object::new();
            set(&o, "hex", &JsValue::from_str(&hex::encode(bytes)));
            o.into()
        }
    }
}

fn scalar(s: &Scalar, acc: Accounts) -> JsValue {
    match s {
        Scalar::Bool(b) => JsValue::from_bool(*b),
        Scalar::U16(x) => JsValue::from_f64(f64::from(*x)),
        Scalar::U64(x) => BigInt::from(*x).into(),
        Scalar::U128(x) => BigInt::from(*x).into(),
        Scalar::I96F32(x) => {
            let o = Object::new();
            set(&o, "bits", &BigInt::from(x.bits).into());
            set(&o, "approx", &JsValue::from_f64(x.to_f64()));
            o.into()
        }
        Scalar::Account(a) => match acc {
            Accounts::Bytes => js_sys::Uint8Array::from(&a.0[..]).into(),
            Accounts::Text(p) => {
                JsValue::from_str(&join_accounts(core::slice::from_ref(a), p, ','))
            }
        },
        Scalar::Text(t) => text(t),
        Scalar::Struct(None) => JsValue::NULL,
        Scalar::Struct(Some(fields)) => {
            let o = Object::new();
            for (name, v) in fields {
                set(&o, name, &scalar(v, acc));
            }
            o.into()
        }
    }
}

fn table(t: &Table, acc: Accounts) -> JsValue {
    let o = Object::new();
    set(&o, "type", &JsValue::from_str(&t.type_name));
    set(&o, "length", &JsValue::from_f64(t.rows.len as f64));
    let mut e = Emit::new();
    if let Some(p) = &t.rows.present {
        e.u8s("present", p);
    }
    if !t.fields.is_empty() {
        let f = Object::new();
        for (name, v) in &t.fields {
            set(&f, name, &scalar(v, acc));
        }
        e.extra("fields", &f);
    }
    e.open();
    for (name, col) in &t.rows.columns {
        column(&mut e, name, col, acc);
    }
    e.close("columns");
    e.run(&o, room(&t.rows, acc))
}

/// Decode a large chain result into columns: one typed array per numeric field (`BigUint64Array`
/// for u64, `Uint16Array`, `Uint32Array`, `Uint8Array` for u8 and bool), accounts as `string[]`
/// (hex; SS58 with `{ ss58: true }` or `{ accounts: "ss58" }`; with `{ accounts: "bytes" }` one
/// `Uint8Array` of 32 bytes per row, the cheapest form), text as `string[]`, nested structs as groups of columns,
/// per-row lists (a neuron's `stake`, `weights`, `bonds`) as `{ offsets, ...item columns }`, and
/// 128-bit values as `{ hi, lo }` pairs of 64-bit arrays. Takes the same arguments as `decodeType`
/// and accepts and refuses the same bytes, but reads them once straight into the columns (no
/// object per row); every numeric column is a view of one `ArrayBuffer`, filled with one copy
/// each. Use `decodeType` for small values.
///
/// Types: `Vec<NeuronInfoLite>`, `Vec<NeuronInfo>`, `Option<Metagraph>` / `Metagraph` (and
/// `…WithCollateral`), `Vec<Option<DynamicInfo>>`, `Vec<DynamicInfo>`, `Option<DynamicInfo>`,
/// `DynamicInfo`, `Option<NeuronInfoLite>`, `Option<NeuronInfo>`. An `Option` that is `None`
/// gives `null`.
///
/// Throws `Error` with `code` `UNSUPPORTED` (field `typeName`: no columnar form), and the codes of
/// `decodeType` (`DECODE` with `field` and `offset`, `TRAILING_BYTES`, `DECODE_LIMIT`,
/// `INVALID_HEX`, `INVALID_TYPE` naming `typeName`, `data`, `wrapping`, `options`,
/// `options.ss58` or `options.accounts`).
///
/// @example
/// ```ts
/// const t = decodeColumns("Vec<NeuronInfoLite>", bytes);
/// t.length;                        // 1024
/// t.columns.emission;              // BigUint64Array(1024)
/// t.columns.hotkey[0];             // "0x4a7a…"
/// t.columns.axon_info.port;        // Uint16Array(1024)
/// const { offsets, coldkey, amount } = t.columns.stake; // uid i: offsets[i] .. offsets[i + 1]
/// decodeColumns("Option<Metagraph>", mg, "raw", { ss58: true }).fields.block; // 6852344n
/// decodeColumns("Vec<NeuronInfoLite>", bytes, "raw", { accounts: "bytes" }).columns.hotkey; // Uint8Array(32768)
/// ```
#[wasm_bindgen(js_name = decodeColumns, unchecked_return_type = "ColumnarTable | null")]
pub fn decode_columns_js(
    #[wasm_bindgen(js_name = typeName, unchecked_param_type = "string")] type_name: JsValue,
    data: Ts<BytesLike>,
    wrapping: Option<Ts<Wrapping>>,
    options: Option<Ts<ColumnarOptions>>,
) -> Result<JsValue, JsValue> {
    let type_name = String::parse(&type_name, "typeName").map_err(js_error)?;
    let bytes = read(&data, "data")?.0;
    let w = Wrapping::or_raw(wrapping.as_ref().map(|w| read(w, "wrapping")).transpose()?);
    let acc = Accounts::from(read_or_default(&options, "options")?);
    Ok(
        match decode_columns(&type_name, &bytes, w).map_err(js_error)? {
            Some(t) => table(&t, acc),
            None => JsValue::NULL,
        },
    )
}
