//! Columnar ("struct of arrays") form of the large runtime-API results: one vector per field
//! instead of one object per row, for callers that hand them to JS as typed arrays (the wasm
//! `decodeColumns`) or scan a field across a whole subnet.
//!
//! [`decode_columns`] reads the bytes once and appends every value to its column (`direct`: the
//! [`Columnar`] impls that `scale_struct!` derives from each type's one field list), with the
//! per-object decoder's wrappings, limits and errors. [`decode_columns_via_objects`] is the
//! reference: it decodes the typed value ([`decode_type_with_limits`]) and collects the columns from
//! it (`build`); the tests require both to agree on every capture. Field names are the chain's, as
//! in the per-object rendering. The tables:
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

use crate::chain::registry::{
    canonical_type_name, decode_type_with_limits, decode_wrapped, Decoded, Wrapping,
};
use crate::chain::scale::{Codec, Limits};
use crate::chain::types::{
    AccountId32, DynamicInfo, Metagraph, MetagraphWithCollateral, NeuronInfo, NeuronInfoLite,
    I96F32,
};
pub use accounts::{distinct, join_accounts, join_hex};
use build::{dynamic_infos, metagraph, neurons, neurons_lite};
pub use direct::{decode_column, fixed_sum, pair_names, Columnar};

mod accounts;

mod build;
mod direct;
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
    let canonical = columnar_name(type_name)?;
    let decode: fn(&[u8], Limits) -> Result<Column> = match canonical.as_str() {
        "Vec<NeuronInfoLite>" => decode_column::<Vec<NeuronInfoLite>>,
        "Vec<NeuronInfo>" => decode_column::<Vec<NeuronInfo>>,
        "Option<NeuronInfoLite>" => decode_column::<Option<NeuronInfoLite>>,
        "Option<NeuronInfo>" => decode_column::<Option<NeuronInfo>>,
        "Option<Metagraph>" => decode_column::<Option<Metagraph>>,
        "Metagraph" => decode_column::<Metagraph>,
        "Option<MetagraphWithCollateral>" => decode_column::<Option<MetagraphWithCollateral>>,
        "MetagraphWithCollateral" => decode_column::<MetagraphWithCollateral>,
        "Vec<Option<DynamicInfo>>" => decode_column::<Vec<Option<DynamicInfo>>>,
        "Vec<DynamicInfo>" => decode_column::<Vec<DynamicInfo>>,
        "Option<DynamicInfo>" => decode_column::<Option<DynamicInfo>>,
        "DynamicInfo" => decode_column::<DynamicInfo>,
        other => return Err(no_builder(other)),
    };
    let top = decode_wrapped(&canonical, bytes, wrapping, limits, decode)?;
    let metagraph = canonical.contains("Metagraph");
    let rows = match top {
        // `Vec<T>`: one row holding the list; its items are the rows.
        Column::List { items, .. } => items,
        Column::Group(g) => g,
        _ => return Err(no_builder(&canonical)),
    };
    // `Option<T>` (and a bare `T`): one row, `present` says whether it is there.
    let rows = if canonical.starts_with("Option<") {
        if rows.present.as_ref().and_then(|p| p.first()) != Some(&1) {
            return Ok(None);
        }
        Columns {
            present: None,
            ..rows
        }
    } else {
        rows
    };
    let (fields, rows) = if metagraph {
        split_metagraph(rows)?
    } else {
        (vec![], rows)
    };
    Ok(Some(Table {
        type_name: canonical,
        fields,
        rows,
    }))
}

fn no_builder(name: &str) -> Error {
    Error::new(
        ErrorCode::Internal,
        format!("{name} is listed as columnar but has no builder"),
    )
}

/// The canonical name of a type with a columnar form (`UNSUPPORTED` naming `typeName` otherwise).
fn columnar_name(type_name: &str) -> Result<String> {
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
    Ok(canonical)
}

/// A metagraph decoded as one row: its per-UID vectors (lists) become the columns (a list of
/// plain values its one column, of structs or pairs a group), everything else a subnet-wide field.
fn split_metagraph(row: Columns) -> Result<(Vec<(&'static str, Scalar)>, Columns)> {
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    for (name, col) in row.columns {
        match col {
            Column::List { mut items, .. } => {
                let col = match (items.columns.len(), items.present.is_none()) {
                    (1, true) if items.columns.first().is_some_and(|(n, _)| n.is_empty()) => {
                        items.columns.pop().map(|(_, c)| c)
                    }
                    _ => None,
                };
                columns.push((name, col.unwrap_or(Column::Group(items))));
            }
            other => fields.push((name, first(name, other)?)),
        }
    }
    let len = match columns.first() {
        Some((_, c)) => c.len(),
        None => 0,
    };
    Ok((
        fields,
        Columns {
            len,
            present: None,
            columns,
        },
    ))
}

/// Row 0 of a one-row column as a [`Scalar`].
fn first(name: &str, col: Column) -> Result<Scalar> {
    let missing = || {
        Error::new(
            ErrorCode::Internal,
            format!("metagraph field {name}: no value in its one-row column"),
        )
    };
    let one = |v: Option<Scalar>| v.ok_or_else(missing);
    match col {
        Column::Bool(v) => one(v.first().map(|&b| Scalar::Bool(b == 1))),
        Column::U16(v) => one(v.first().map(|&x| Scalar::U16(x))),
        Column::U64(v) => one(v.first().map(|&x| Scalar::U64(x))),
        Column::U128(v) => one(v.first().map(|&x| Scalar::U128(x))),
        Column::I96F32(v) => one(v.first().map(|&x| Scalar::I96F32(x))),
        Column::Account(v) => one(v.first().map(|&x| Scalar::Account(x))),
        Column::Text(mut v) => one(v.pop().map(Scalar::Text)),
        Column::Group(g) => {
            if g.present.as_ref().is_some_and(|p| p.first() != Some(&1)) {
                return Ok(Scalar::Struct(None));
            }
            let mut f = Vec::with_capacity(g.columns.len());
            for (n, c) in g.columns {
                f.push((n, first(n, c)?));
            }
            Ok(Scalar::Struct(Some(f)))
        }
        Column::U8(_) | Column::U32(_) | Column::List { .. } => Err(Error::new(
            ErrorCode::Internal,
            format!("metagraph field {name}: no scalar form"),
        )),
    }
}

/// The reference form of [`decode_columns_with_limits`]: decode the typed value, then collect its
/// columns (every field's layout spelled out in `build`). Same result and errors; slower. Kept to
/// check the direct decoder against.
pub fn decode_columns_via_objects(
    type_name: &str,
    bytes: &[u8],
    wrapping: Wrapping,
    limits: Limits,
) -> Result<Option<Table>> {
    let canonical = columnar_name(type_name)?;
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
        other => return Err(no_builder(other)),
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
