//! Columnar ("struct of arrays") form of the large runtime-API results: one vector per field
//! instead of one object per row, for callers that hand them to JS as typed arrays (the wasm
//! `decodeColumns`) or scan a field across a whole subnet.
//!
//! The bytes are decoded by [`decode_type_with_limits`] exactly as for the per-object form (same
//! types, wrappings, limits and errors); the columns are then collected from the typed value, one
//! vector per field (`build`). Field names are the chain's, as in the per-object rendering. The tables:
//!
//! | type | rows | fields |
//! | --- | --- | --- |
//! | `Vec<NeuronInfoLite>`, `Vec<NeuronInfo>` | one per neuron | — |
//! | `Option<Metagraph>`, `Metagraph` (and `…WithCollateral`, spec 435+) | one per UID (`hotkeys`) | the subnet-wide values |
//! | `Vec<Option<DynamicInfo>>`, `Vec<DynamicInfo>`, `Option<DynamicInfo>`, `DynamicInfo` | one per subnet | — |
//!
//! Conventions: a nested struct is a [`Column::Group`] of columns; a per-row list (a neuron's
//! `stake`, `weights`, `bonds`) is a [`Column::List`] (CSR: `offsets` of `len + 1` entries and the
//! items of every row back to back); an absent row of a `Vec<Option<T>>` (or an absent nested
//! `Option`) has `present` 0 and zero values (zero account, empty text) in every column. Every
//! column of a metagraph keeps its own length (the chain leaves `pruning_score`, `trust` and `rank`
//! empty since ~spec 401; the dividend lists are per hotkey).

use crate::chain::registry::{canonical_type_name, decode_type_with_limits, Decoded, Wrapping};
use crate::chain::scale::{Codec, Limits};
use crate::chain::types::{
    AccountId32, DynamicInfo, Metagraph, MetagraphWithCollateral, NeuronInfo, NeuronInfoLite,
    I96F32,
};
use build::{dynamic_infos, metagraph, neurons, neurons_lite};

mod build;
use crate::error::{Error, ErrorCode, Result};

/// The type names [`decode_columns`] accepts (canonical spelling).
pub const COLUMNAR_TYPES: [&str; 12] = [
    "Vec<NeuronInfoLite>",
    "Vec<NeuronInfo>",
    "Option<Metagraph>",
    "Metagraph",
    "Option<MetagraphWithCollateral>",
    "MetagraphWithCollateral",
    "Vec<Option<DynamicInfo>>",
    "Vec<DynamicInfo>",
    "Option<DynamicInfo>",
    "DynamicInfo",
    "Option<NeuronInfoLite>",
    "Option<NeuronInfo>",
];

/// One field of every row.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// `bool` as 0 / 1.
    Bool(Vec<u8>),
    /// `u8`.
    U8(Vec<u8>),
    /// `u16` / `Compact<u16>`.
    U16(Vec<u16>),
    /// `u32`.
    U32(Vec<u32>),
    /// `u64` / `Compact<u64>`.
    U64(Vec<u64>),
    /// `u128` / `Compact<u128>`.
    U128(Vec<u128>),
    /// `I96F32` (raw bits kept).
    I96F32(Vec<I96F32>),
    /// `AccountId32`.
    Account(Vec<AccountId32>),
    /// Text bytes (UTF-8 when valid; kept as the chain stored them).
    Text(Vec<Vec<u8>>),
    /// A nested struct (or a list of pairs at the top of a metagraph): columns of its own.
    Group(Columns),
    /// A per-row list: row `i` owns items `offsets[i]..offsets[i + 1]`.
    List {
        /// `len + 1` ascending item offsets, starting at 0.
        offsets: Vec<u32>,
        /// The items of every row, back to back.
        items: Columns,
    },
}

impl Column {
    /// Entries (rows of a group or list).
    pub fn len(&self) -> usize {
        match self {
            Column::Bool(v) | Column::U8(v) => v.len(),
            Column::U16(v) => v.len(),
            Column::U32(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::U128(v) => v.len(),
            Column::I96F32(v) => v.len(),
            Column::Account(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::Group(c) => c.len,
            Column::List { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Named columns of `len` rows, in the chain's field order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Columns {
    /// Rows.
    pub len: usize,
    /// For optional rows: 1 where the row is `Some`.
    pub present: Option<Vec<u8>>,
    /// The columns.
    pub columns: Vec<(&'static str, Column)>,
}

impl Columns {
    /// The column named `name`.
    pub fn get(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }
}

/// A single value of a table (a metagraph's subnet-wide fields).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `bool`.
    Bool(bool),
    /// `u16` / `Compact<u16>`.
    U16(u16),
    /// `u64` / `Compact<u64>`.
    U64(u64),
    /// `Compact<u128>`.
    U128(u128),
    /// `I96F32`.
    I96F32(I96F32),
    /// `AccountId32`.
    Account(AccountId32),
    /// Text bytes.
    Text(Vec<u8>),
    /// An optional struct (`None` is absent).
    Struct(Option<Vec<(&'static str, Scalar)>>),
}

/// A decoded result in columnar form.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The canonical type name.
    pub type_name: String,
    /// Values that are not per row (empty except for metagraphs).
    pub fields: Vec<(&'static str, Scalar)>,
    /// The rows.
    pub rows: Columns,
}

/// Decode `bytes` as one of [`COLUMNAR_TYPES`] into columns; `None` for an `Option` result that is
/// `None`. Errors as [`decode_type`](crate::chain::decode_type), and `UNSUPPORTED` (field
/// `typeName`) for a type without a columnar form.
pub fn decode_columns(type_name: &str, bytes: &[u8], wrapping: Wrapping) -> Result<Option<Table>> {
    decode_columns_with_limits(type_name, bytes, wrapping, Limits::DEFAULT)
}

/// [`decode_columns`] with explicit decoder limits.
pub fn decode_columns_with_limits(
    type_name: &str,
    bytes: &[u8],
    wrapping: Wrapping,
    limits: Limits,
) -> Result<Option<Table>> {
    let canonical = canonical_type_name(type_name).map_err(|e| e.with_field("typeName"))?;
    if !COLUMNAR_TYPES.contains(&canonical.as_str()) {
        return Err(Error::field(
            ErrorCode::Unsupported,
            "typeName",
            format!(
                "no columnar form of {canonical} (use decodeType); columnar types: {}",
                COLUMNAR_TYPES.join(", ")
            ),
        ));
    }
    let d = decode_type_with_limits(&canonical, bytes, wrapping, limits)?;
    let (fields, rows) = match canonical.as_str() {
        "Vec<NeuronInfoLite>" => (vec![], neurons_lite(typed::<Vec<NeuronInfoLite>>(&d)?)?),
        "Vec<NeuronInfo>" => (vec![], neurons(typed::<Vec<NeuronInfo>>(&d)?)?),
        "Option<NeuronInfoLite>" => match typed::<Option<NeuronInfoLite>>(&d)? {
            Some(n) => (vec![], neurons_lite(core::slice::from_ref(n))?),
            None => return Ok(None),
        },
        "Option<NeuronInfo>" => match typed::<Option<NeuronInfo>>(&d)? {
            Some(n) => (vec![], neurons(core::slice::from_ref(n))?),
            None => return Ok(None),
        },
        "Option<Metagraph>" => match typed::<Option<Metagraph>>(&d)? {
            Some(m) => metagraph(m, None),
            None => return Ok(None),
        },
        "Metagraph" => metagraph(typed::<Metagraph>(&d)?, None),
        "Option<MetagraphWithCollateral>" => match typed::<Option<MetagraphWithCollateral>>(&d)? {
            Some(m) => metagraph(&m.metagraph, Some(&m.collateral)),
            None => return Ok(None),
        },
        "MetagraphWithCollateral" => {
            let m = typed::<MetagraphWithCollateral>(&d)?;
            metagraph(&m.metagraph, Some(&m.collateral))
        }
        "Vec<Option<DynamicInfo>>" => {
            let v = typed::<Vec<Option<DynamicInfo>>>(&d)?;
            let mut c = dynamic_infos(v.iter().map(Option::as_ref));
            c.present = Some(v.iter().map(|o| u8::from(o.is_some())).collect());
            (vec![], c)
        }
        "Vec<DynamicInfo>" => (
            vec![],
            dynamic_infos(typed::<Vec<DynamicInfo>>(&d)?.iter().map(Some)),
        ),
        "Option<DynamicInfo>" => match typed::<Option<DynamicInfo>>(&d)? {
            Some(x) => (vec![], dynamic_infos(core::iter::once(Some(x)))),
            None => return Ok(None),
        },
        "DynamicInfo" => (
            vec![],
            dynamic_infos(core::iter::once(Some(typed::<DynamicInfo>(&d)?))),
        ),
        other => {
            return Err(Error::new(
                ErrorCode::Internal,
                format!("{other} is listed as columnar but has no builder"),
            ))
        }
    };
    Ok(Some(Table {
        type_name: canonical,
        fields,
        rows,
    }))
}

fn typed<C: Codec>(d: &Decoded) -> Result<&C::Value> {
    d.get::<C>().ok_or_else(|| {
        Error::new(
            ErrorCode::Internal,
            format!("{} decoded to an unexpected Rust type", d.type_name()),
        )
    })
}

/// Two lower-case hex digits per byte value.
static HEX_PAIRS: [[u8; 2]; 256] = hex_pairs();

const fn hex_pairs() -> [[u8; 2]; 256] {
    let digits = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [digits[i >> 4], digits[i & 15]];
        i += 1;
    }
    t
}

/// Accounts as one text, `sep` between them: `0x` hex, or SS58 with `ss58_prefix`. A JS caller
/// splits it in one call instead of making one string per account.
pub fn join_accounts(accounts: &[AccountId32], ss58_prefix: Option<u16>, sep: char) -> String {
    let Some(prefix) = ss58_prefix else {
        let mut sep_buf = [0u8; 4];
        let sep = sep.encode_utf8(&mut sep_buf).as_bytes();
        let each = 66usize.saturating_add(sep.len());
        let mut out = Vec::with_capacity(accounts.len().saturating_mul(each));
        for (i, a) in accounts.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(sep);
            }
            let mut text = [0u8; 66];
            let (head, digits) = text.split_at_mut(2);
            head.copy_from_slice(b"0x");
            for (d, &b) in digits.chunks_exact_mut(2).zip(a.0.iter()) {
                if let Some(pair) = HEX_PAIRS.get(usize::from(b)) {
                    d.copy_from_slice(pair);
                }
            }
            out.extend_from_slice(&text);
        }
        // Only ASCII hex digits, "0x" and the separator were written.
        return String::from_utf8(out).unwrap_or_default();
    };
    let mut out = String::with_capacity(accounts.len().saturating_mul(49));
    for (i, a) in accounts.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(&a.to_ss58(prefix));
    }
    out
}
